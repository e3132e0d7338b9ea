"""Semantic difference of two checked contracts: what changes in meaning, not in text.

Reads two `model.Contract`s and returns `Change` values. Layout, comments, the order of
declarations and the names of calendars do not matter: a target is compared by what its calendar
*is* (zone, weekly windows, holiday dates), so renaming `office` to `business_hours` with the same
hours is no change. Targets are matched by (metric, priority), named things by name, prose as a
multiset. Credit tables are compared as functions of uptime ("at 99.5% the credit goes from 10% to
5%"), with the runtime's own lookup, so the diff and the evaluator cannot disagree.

Every field of the model takes part: fields without a rule of their own are compared
structurally (`_generic`), so a clause added to the language later is reported, never ignored.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any, Callable, Iterable

import attrs

from sladsl import model
from sladsl.runtime.availability import band_credit, tiered_credit
from sladsl.numbers import decimal_text

# Fields that never carry meaning: provenance and positions.
# `until_implied` only says whether `until` was written or follows from the next version.
_IGNORED = frozenset({"span", "origin", "includes", "ancestors", "inline", "zone_label",
                      "holiday_sources", "file", "until_implied"})
# Fields naming a calendar: compared by the calendar's content, not its name.
_CALENDAR_REFS = frozenset({(model.Target, "calendar"), (model.Target, "until_restored"),
                            (model.Plan, "hours"),
                            (model.Channel, "hours"), (model.Escalation, "calendar"),
                            (model.Maintenance, "outside")})

KINDS = ("added", "removed", "tightened", "loosened", "changed")


@attrs.frozen
class Change:
    """One difference in meaning: where, what, and the old and new values as plain text."""

    kind: str  # one of KINDS
    where: str  # "plan Premium", "service Web hosting", "contract"
    what: str  # "Critical response target", "availability target"
    old: str | None = None
    new: str | None = None
    details: tuple[str, ...] = ()  # e.g. the uptimes at which a credit changes

    def sentence(self) -> str:
        """One plain-text line, e.g. "plan Premium: Critical response target tightened: 2h -> 1h"."""
        head = f"{self.where}: {self.what}"
        if self.kind == "added":
            return f"{head} added: {self.new}" if self.new else f"{head} added"
        if self.kind == "removed":
            return f"{head} removed (was {self.old})" if self.old else f"{head} removed"
        if self.old is None and self.new is None:
            return f"{head} {self.kind}"
        return f"{head} {self.kind}: {self.old} -> {self.new}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "where": self.where, "what": self.what, "old": self.old,
                "new": self.new, "details": list(self.details)}


@attrs.frozen
class Context:
    """The two contracts, for resolving calendar names to their content."""

    old: model.Contract
    new: model.Contract


def diff(old: model.Contract | model.Versions, new: model.Contract | model.Versions) -> list[Change]:
    """Every difference in meaning between `old` and `new`, in a stable order."""
    if isinstance(old, model.Versions) or isinstance(new, model.Versions):
        return _versions(model.versions_of(old), model.versions_of(new))
    return _contract(old, new)


def _versions(old: tuple[model.Contract, ...], new: tuple[model.Contract, ...]) -> list[Change]:
    """Two sets of versions: the same number are compared in order (a moved date is reported
    as such); otherwise versions are matched by effective date, the rest added or removed."""
    if len(old) == len(new):
        pairs = list(zip(old, new))
        added: list[model.Contract] = []
        removed: list[model.Contract] = []
    else:
        by_date = {v.effective: v for v in old}
        pairs = [(by_date[v.effective], v) for v in new if v.effective in by_date]
        matched = {v.effective for v in new} & set(by_date)
        added = [v for v in new if v.effective not in matched]
        removed = [v for v in old if v.effective not in matched]
    changes = [Change("removed", "contract", f"version from {_day(v.effective)}",
                      _days_text(v), None) for v in removed]
    changes += [Change("added", "contract", f"version from {_day(v.effective)}", None,
                       _days_text(v)) for v in added]
    for before, after in pairs:
        label = f"version from {_day(after.effective)}"
        changes += [attrs.evolve(c, where=f"{label}, {c.where}") for c in _contract(before, after)]
    return changes


def _day(day: Any) -> str:
    return day.isoformat() if day is not None else "the start"


def _days_text(version: model.Contract) -> str:
    return f"in effect {_day(version.effective)} to " + (
        version.until.isoformat() if version.until else "no end")


def _contract(old: model.Contract, new: model.Contract) -> list[Change]:
    ctx = Context(old, new)
    changes: list[Change] = []
    for field in attrs.fields(model.Contract):
        if field.name in _IGNORED:
            continue
        rule = _CONTRACT_RULES.get(field.name, _generic_field)
        changes += rule(ctx, "contract", field.name, getattr(old, field.name), getattr(new, field.name))
    return changes


# ---- rendering values as plain text ------------------------------------------------------------

_DAYS = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat",
         "sun": "Sun"}


def percent(value: Fraction) -> str:
    """Exact percentages without float noise: 99.95%, 5%, 33.3333%."""
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


def calendar_text(calendar: model.Calendar | None) -> str:
    """"Mon-Fri 09:00-17:00 UTC+07:00, 17 holidays in 2026", or "24x7 UTC"."""
    if calendar is None:
        return "the plan's hours"
    if calendar.always:
        week = "24x7"
    else:
        week = "; ".join(
            (_DAYS[first] if first == last else f"{_DAYS[first]}-{_DAYS[last]}") + " "
            + ", ".join(f"{o}-{c}" for o, c in windows)
            for first, last, windows in calendar.week_groups())
    text = f"{week} {calendar.zone}"
    if calendar.holiday_hours:
        text += ", on holidays " + ", ".join(f"{o}-{c}" for o, c in calendar.holiday_hours)
    if calendar.holidays:
        text += f", {len(calendar.holidays)} holiday dates"
    return text


def _value_text(value: Any) -> str:
    """A model value as short plain text, for the generic comparison."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Fraction):
        return percent(value) if value.denominator != 1 or value <= 100 else str(value)
    if isinstance(value, model.Duration):
        return value.text
    if isinstance(value, model.Calendar):
        return calendar_text(value)
    if isinstance(value, model.Money):
        return f"{value.currency} {value.text}"
    if isinstance(value, tuple):
        return ", ".join(_value_text(v) for v in value) or "none"
    described = _DESCRIBED.get(type(value))
    if described is not None:
        return described(value)
    if attrs.has(type(value)):
        name = getattr(value, "name", None) or getattr(value, "text", None)
        if isinstance(name, str):
            return name
        return "; ".join(f"{f.name} {_value_text(getattr(value, f.name))}"
                         for f in attrs.fields(type(value)) if f.name not in _IGNORED)
    return str(value)


def _window_text(window: model.MaintenanceWindow) -> str:
    text = window.text + (f", backup {window.backup_text}" if window.backup_text else "")
    return text + (f", affecting {', '.join(window.scopes)}" if window.scopes else "")


def _posting_text(life: model.CreditLife) -> str | None:
    if life.post == "within":
        return f"within {life.post_days} days after the claim"
    return "on the next invoice" if life.post == "next_invoice" else None


def _expiry_text(life: model.CreditLife) -> str | None:
    if life.expire == "after_issue":
        return f"{life.expire_count} {life.expire_unit}(s) after issue"
    return "at the contract's end" if life.expire == "contract_end" else None


# A credit's life, aspect by aspect: a change names the aspect that changed.
_LIFE_ASPECTS: tuple[tuple[str, Callable[[model.CreditLife], str | None]], ...] = (
    ("claim address", lambda life: life.claim_at),
    ("what a claim includes", lambda life: ", ".join(life.claim_includes) or None),
    ("credit posting", _posting_text),
    ("credit expiry", _expiry_text),
)


def _life_text(life: model.CreditLife) -> str:
    return "; ".join(f"{what} {text}" for what, aspect in _LIFE_ASPECTS
                     if (text := aspect(life)) is not None)


def _claim_window_text(window: model.ClaimWindow) -> str:
    unit = "day" if window.unit == "day" else "billing cycle"
    return f"{window.count} {unit}{'' if window.count == 1 else 's'} after the period ends"


# Values with a sentence of their own in changes.
_DESCRIBED: dict[type, Callable[[Any], str]] = {model.MaintenanceWindow: _window_text,
                                                 model.CreditLife: _life_text,
                                                 model.ClaimWindow: _claim_window_text}


# ---- normal forms: what two values must share to mean the same ----------------------------------

def _calendar_key(calendar: model.Calendar) -> tuple:
    return (calendar.zone, calendar.always, calendar.week, calendar.holiday_hours,
            frozenset(h.date for h in calendar.holidays), calendar.holiday_years)


def _normal(value: Any, contract: model.Contract, owner: type | None = None, field: str = "") -> Any:
    """A hashable form of `value` that ignores spans, provenance, order and calendar names."""
    if owner is not None and (owner, field) in _CALENDAR_REFS and isinstance(value, str):
        return _hours_key(contract, value)
    if isinstance(value, model.Calendar):
        return ("calendar", _calendar_key(value))
    if attrs.has(type(value)):
        cls = type(value)
        return (cls.__name__,) + tuple(
            (f.name, _normal(getattr(value, f.name), contract, cls, f.name))
            for f in attrs.fields(cls) if f.name not in _IGNORED)
    if isinstance(value, tuple):
        items = [_normal(v, contract) for v in value]
        if value and all(_is_unnamed_record(v) for v in value):  # order carries no meaning
            return ("bag", tuple(sorted(Counter(map(repr, items)).items())))
        return tuple(items)
    return value


def _is_unnamed_record(value: Any) -> bool:
    return attrs.has(type(value)) and not isinstance(getattr(value, "name", None), str)


def _same(ctx: Context, old: Any, new: Any, owner: type | None = None, field: str = "") -> bool:
    return _normal(old, ctx.old, owner, field) == _normal(new, ctx.new, owner, field)


# ---- rules -------------------------------------------------------------------------------------

Rule = Callable[[Context, str, str, Any, Any], list[Change]]


def _generic_field(ctx: Context, where: str, field: str, old: Any, new: Any,
                   owner: type | None = None) -> list[Change]:
    """Any field without a rule of its own: reported when its normal forms differ."""
    if _same(ctx, old, new, owner, field):
        return []
    what = field.replace("_", " ")
    if isinstance(old, tuple) and isinstance(new, tuple) and all(
            _is_unnamed_record(v) for v in old + new):
        return _bag(ctx, where, what, old, new)
    if old is None or old == ():
        return [Change("added", where, what, None, _value_text(new))]
    if new is None or new == ():
        return [Change("removed", where, what, _value_text(old), None)]
    return [Change("changed", where, what, _value_text(old), _value_text(new))]


def _bag(ctx: Context, where: str, what: str, old: tuple, new: tuple) -> list[Change]:
    """Unordered records (prose, readings, commitments): each one removed or added."""
    keyed_old = [(repr(_normal(v, ctx.old)), v) for v in old]
    keyed_new = [(repr(_normal(v, ctx.new)), v) for v in new]
    gone = Counter(k for k, _ in keyed_old) - Counter(k for k, _ in keyed_new)
    came = Counter(k for k, _ in keyed_new) - Counter(k for k, _ in keyed_old)
    changes: list[Change] = []
    for kind, keyed, surplus in (("removed", keyed_old, gone), ("added", keyed_new, came)):
        for key, value in keyed:
            if surplus[key] > 0:
                surplus[key] -= 1
                text = _value_text(value)
                changes.append(Change(kind, where, _singular(what), *(
                    (text, None) if kind == "removed" else (None, text))))
    return changes


def _singular(what: str) -> str:
    if what.endswith("ies"):  # penalties -> penalty
        return what[:-3] + "y"
    return what[:-1] if what.endswith("s") and not what.endswith("ss") else what


def _fields(ctx: Context, where: str, old: Any, new: Any, rules: dict[str, Rule]) -> list[Change]:
    """Compare two instances of one model class field by field, with `rules` for some fields."""
    cls = type(old)
    changes: list[Change] = []
    for field in attrs.fields(cls):
        if field.name in _IGNORED or field.name == "name":
            continue
        a, b = getattr(old, field.name), getattr(new, field.name)
        rule = rules.get(field.name)
        if rule is not None:
            changes += rule(ctx, where, field.name, a, b)
        elif (cls, field.name) in _CALENDAR_REFS:
            changes += _calendar_ref(ctx, where, field.name, a, b)
        else:
            changes += _generic_field(ctx, where, field.name, a, b, cls)
    return changes


def _keyed(kind: str, rules: dict[str, Rule]) -> Rule:
    """Named declarations (plans, services, ...) matched by name; order does not matter."""

    def rule(ctx: Context, where: str, field: str, old: tuple, new: tuple) -> list[Change]:
        before = {item.name: item for item in old}
        after = {item.name: item for item in new}
        changes: list[Change] = []
        for name in sorted(before.keys() - after.keys()):
            changes.append(Change("removed", f"{kind} {name}", kind, name, None))
        for name in sorted(after.keys() - before.keys()):
            changes.append(Change("added", f"{kind} {name}", kind, None, name))
        for name in sorted(before.keys() & after.keys()):
            changes += _fields(ctx, f"{kind} {name}", before[name], after[name], rules)
        return changes

    return rule


def _calendar_ref(ctx: Context, where: str, field: str, old: str | None, new: str | None) -> list[Change]:
    a = None if old is None else _hours_key(ctx.old, old)
    b = None if new is None else _hours_key(ctx.new, new)
    if a == b:
        return []
    return [Change("changed", where, field.replace("_", " "), _hours_text(ctx.old, old),
                   _hours_text(ctx.new, new))]


def _hours_key(contract: model.Contract, name: str) -> tuple:
    """What a calendar name means: a calendar's hours, or what a ticket attribute chooses."""
    choice = contract.calendar_choice(name)
    if choice is None:
        return ("calendar", _calendar_key(contract.calendar(name)))
    return ("chosen", choice.attribute, tuple(
        (tuple(sorted(v.casefold() for c in b.when for v in c.values)),
         _calendar_key(contract.calendar(b.choice))) for b in choice.branches))


def _hours_text(contract: model.Contract, name: str | None) -> str:
    choice = None if name is None else contract.calendar_choice(name)
    if choice is None:
        return calendar_text(None if name is None else contract.calendar(name))
    return f"by {choice.attribute}: " + "; ".join(
        (", ".join(v for c in b.when for v in c.values) or "otherwise") + ": "
        + calendar_text(contract.calendar(b.choice)) for b in choice.branches)


def _calendar_choices(ctx: Context, where: str, field: str, old: tuple, new: tuple) -> list[Change]:
    """Calendars chosen by a ticket attribute, matched by name, compared by what they choose."""
    before = {c.name for c in old}
    after = {c.name for c in new}
    changes = [Change("removed", f"calendar {n}", "chosen hours", _hours_text(ctx.old, n), None)
               for n in sorted(before - after)]
    changes += [Change("added", f"calendar {n}", "chosen hours", None, _hours_text(ctx.new, n))
                for n in sorted(after - before)]
    for name in sorted(before & after):
        if _hours_key(ctx.old, name) != _hours_key(ctx.new, name):
            changes.append(Change("changed", f"calendar {name}", "chosen hours",
                                  _hours_text(ctx.old, name), _hours_text(ctx.new, name)))
    return changes


def _plan_choice_text(branches: tuple) -> str | None:
    if not branches:
        return None
    return "; then ".join(
        f"{b.choice} " + (" and ".join(f"{c.attribute} {c.op} {', '.join(c.values)}" for c in b.when)
                          if b.when else "otherwise") for b in branches)


def _plan_choice(ctx: Context, where: str, field: str, old: tuple, new: tuple) -> list[Change]:
    """Plans chosen by ticket attributes: the order matters (the first match applies)."""
    def key(branches: tuple) -> tuple:
        return tuple((b.choice, tuple(sorted((c.attribute, c.op, tuple(sorted(v.casefold() for v in c.values)))
                                             for c in b.when))) for b in branches)

    if key(old) == key(new):
        return []
    kind = "added" if not old else "removed" if not new else "changed"
    return [Change(kind, where, "plans chosen by ticket attributes", _plan_choice_text(old),
                   _plan_choice_text(new))]


def _calendars(ctx: Context, where: str, field: str, old: tuple, new: tuple) -> list[Change]:
    """Calendars matched by name; a calendar renamed with the same hours is no change, and a
    calendar's hours are compared where a target or plan uses them, so here only the hours,
    zone and holiday dates of calendars present in both are reported."""
    before = {c.name: c for c in old}
    after = {c.name: c for c in new}
    old_keys = {_calendar_key(c) for c in old}
    new_keys = {_calendar_key(c) for c in new}
    changes: list[Change] = []
    for name in sorted(before.keys() - after.keys()):
        if _calendar_key(before[name]) not in new_keys:
            changes.append(Change("removed", f"calendar {name}", "calendar",
                                  calendar_text(before[name]), None))
    for name in sorted(after.keys() - before.keys()):
        if _calendar_key(after[name]) not in old_keys:
            changes.append(Change("added", f"calendar {name}", "calendar", None,
                                  calendar_text(after[name])))
    for name in sorted(before.keys() & after.keys()):
        changes += _calendar(f"calendar {name}", before[name], after[name])
    return changes


def _calendar(where: str, old: model.Calendar, new: model.Calendar) -> list[Change]:
    changes: list[Change] = []
    if (old.always, old.week, old.holiday_hours) != (new.always, new.week, new.holiday_hours):
        changes.append(Change("changed", where, "hours", calendar_text(attrs.evolve(old, holidays=())),
                              calendar_text(attrs.evolve(new, holidays=()))))
    if old.zone != new.zone:
        changes.append(Change("changed", where, "zone", old.zone, new.zone))
    before = {h.date for h in old.holidays}
    after = {h.date for h in new.holidays}
    years = sorted({d.year for d in before ^ after})
    for year in years:
        added = sorted(d for d in after - before if d.year == year)
        removed = sorted(d for d in before - after if d.year == year)
        details = tuple([f"added {d.isoformat()}" for d in added] +
                        [f"removed {d.isoformat()}" for d in removed])
        changes.append(Change("changed", where, f"holidays in {year}",
                              f"{len([d for d in before if d.year == year])} dates",
                              f"{len([d for d in after if d.year == year])} dates", details))
    if old.holiday_years != new.holiday_years:
        changes.append(Change("changed", where, "holiday years", _years(old.holiday_years),
                              _years(new.holiday_years)))
    return changes


def _years(span: tuple[int, int] | None) -> str:
    return "none" if span is None else f"{span[0]}-{span[1]}"


def _priorities(ctx: Context, where: str, field: str, old: tuple, new: tuple) -> list[Change]:
    changes = _keyed("priority", {"rank": _ignore})(ctx, where, field, old, new)
    order_old = [p.name for p in old if p.name in {q.name for q in new}]
    order_new = [p.name for p in new if p.name in {q.name for q in old}]
    if order_old != order_new:
        changes.append(Change("changed", where, "priority order (most severe first)",
                              ", ".join(order_old), ", ".join(order_new)))
    return changes


def _ignore(ctx: Context, where: str, field: str, old: Any, new: Any) -> list[Change]:
    return []


# ---- targets -----------------------------------------------------------------------------------

def _target_name(target: model.Target) -> str:
    who = target.priority or "every priority"
    share = " proportion" if target.proportion is not None else ""
    return f"{who} {target.metric}{share} target"


def _targets(ctx: Context, where: str, field: str, old: tuple, new: tuple) -> list[Change]:
    # A metric may have a per-ticket target and a proportion target ("85% within 2h") at once.
    before = {(t.metric, t.priority, t.proportion is not None): t for t in old}
    after = {(t.metric, t.priority, t.proportion is not None): t for t in new}
    ranks = {p.name: p.rank for p in ctx.new.priorities} | {p.name: -1 for p in ctx.old.priorities
                                                            if p.name not in {q.name for q in ctx.new.priorities}}

    def order(key: tuple[str, str | None, bool]) -> tuple:
        metric, priority, share = key
        return (ranks.get(priority, -2) if priority else -3, priority or "",
                model.METRICS.index(metric) if metric in model.METRICS else len(model.METRICS),
                metric, share)

    changes: list[Change] = []
    for key in sorted(before.keys() - after.keys(), key=order):
        changes.append(Change("removed", where, _target_name(before[key]),
                              _target_text(ctx.old, before[key]), None))
    for key in sorted(after.keys() - before.keys(), key=order):
        changes.append(Change("added", where, _target_name(after[key]), None,
                              _target_text(ctx.new, after[key])))
    for key in sorted(before.keys() & after.keys(), key=order):
        changes += _target(ctx, where, before[key], after[key])
    return changes


def _target_text(contract: model.Contract, target: model.Target) -> str:
    text = target.duration.text
    if target.every:
        text = f"every {text}" + (" after response" if target.after_response else "")
    if target.low is not None:
        text = f"between {target.low.text} and {text}"
    if target.proportion is not None:
        text += f" for {percent(target.proportion)} of tickets"
    if target.calendar is not None:
        text += f" within {_hours_text(contract, target.calendar)}"
    if target.until_restored is not None:
        text += (" until restored then "
                 f"{calendar_text(contract.calendar(target.until_restored))}")
    if target.start is not None:
        text += {"contact": " from first contact", "priority": " from priority set"}[target.start]
    if target.best_effort:
        text += " (best effort)"
    if target.negotiable:
        text += " (or as agreed)"
    return text


def _target(ctx: Context, where: str, old: model.Target, new: model.Target) -> list[Change]:
    if _same(ctx, old, new):
        return []
    name = _target_name(old)
    rest_old = attrs.evolve(old, duration=new.duration)
    if _same(ctx, rest_old, new):  # only the duration moved: say which way
        direction = _direction(old.duration, new.duration)
        return [Change(direction, where, name, old.duration.text, new.duration.text)]
    return [Change("changed", where, name, _target_text(ctx.old, old), _target_text(ctx.new, new))]


def _direction(old: model.Duration, new: model.Duration) -> str:
    """A shorter target of the same unit is tighter for the customer; across units, "changed"."""
    for unit in ("seconds", "business_days"):
        a, b = getattr(old, unit), getattr(new, unit)
        if a is not None and b is not None:
            return "tightened" if b < a else "loosened"
    return "changed"


# ---- services and credits ----------------------------------------------------------------------

def _availability(ctx: Context, where: str, field: str, old: Any, new: Any) -> list[Change]:
    if old is None or new is None or _same(ctx, old, new):
        return _generic_field(ctx, where, "availability", old, new)
    changes: list[Change] = []
    if old.target != new.target:
        kind = "tightened" if new.target > old.target else "loosened"
        changes.append(Change(kind, where, "availability target", percent(old.target),
                              percent(new.target)))
    changes += _fields(ctx, where, attrs.evolve(old, target=new.target), new, {})
    return changes


def _credits(ctx: Context, where: str, field: str, old: tuple, new: tuple) -> list[Change]:
    """Credit schemes matched by kind; tables compared as functions of uptime."""
    changes: list[Change] = []
    before = _by_kind(old)
    after = _by_kind(new)
    target_old = _service_target(ctx.old, where)
    target_new = _service_target(ctx.new, where)
    for kind in sorted(before.keys() | after.keys()):
        a, b = before.get(kind), after.get(kind)
        if a is None or b is None:
            changes += _generic_field(ctx, where, f"{kind} credit", a, b)
        elif isinstance(a, model.TieredCredit) and isinstance(b, model.TieredCredit):
            changes += _tiers(ctx, where, a, b, target_old, target_new)
        elif isinstance(a, model.BandCredit) and isinstance(b, model.BandCredit):
            changes += _band_tables(ctx, where, a, b)
        else:
            changes += _fields(ctx, where + f", {kind} credit", a, b, _FORMULA_RULES)
    return changes


def _by_kind(schemes: Iterable[Any]) -> dict[str, Any]:
    """Credits by kind; a second credit of the same kind is `<kind> 2` (matched in written order),
    so it is compared too instead of hiding the first."""
    out: dict[str, Any] = {}
    for scheme in schemes:
        kind = type(scheme).__name__.removesuffix("Credit").lower()
        key, count = kind, 1
        while key in out:
            count += 1
            key = f"{kind} {count}"
        out[key] = scheme
    return out


def _multiplier(ctx: Context, where: str, field: str, old: Fraction, new: Fraction) -> list[Change]:
    """`10 times fees for downtime` -> `100 times ...`: a multiplier, not a percentage."""
    if old == new:
        return []
    return [Change("changed", where, "multiplier", f"{decimal_text(old)} times", f"{decimal_text(new)} times")]


def _life(ctx: Context, where: str, field: str, old: model.CreditLife | None,
          new: model.CreditLife | None) -> list[Change]:
    """Claiming, posting and expiry of a credit: one change per aspect that changed."""
    changes: list[Change] = []
    for what, aspect in _LIFE_ASPECTS:
        a = None if old is None else aspect(old)
        b = None if new is None else aspect(new)
        if a != b:
            kind = "added" if a is None else "removed" if b is None else "changed"
            changes.append(Change(kind, where, what, a, b))
    return changes


def _claim_window(ctx: Context, where: str, field: str, old: model.ClaimWindow | None,
                  new: model.ClaimWindow | None) -> list[Change]:
    return _generic_field(ctx, where, "claim window", old, new)


# The terms every kind of credit shares.
_CREDIT_TERMS: dict[str, Rule] = {"life": _life, "claim_within": _claim_window}
# A fee multiple's `text` is its multiplier as written: compared through `multiplier` alone.
_FORMULA_RULES: dict[str, Rule] = {**_CREDIT_TERMS, "multiplier": _multiplier,
                                   "text": lambda *_args: []}


def _service_target(contract: model.Contract, where: str) -> Fraction | None:
    name = where.removeprefix("service ")
    for service in contract.services:
        if service.name == name and service.availability is not None:
            return service.availability.target
    return None


def _tier_rows(credit: model.TieredCredit) -> list[tuple]:
    return [(r.low, r.high, r.credit, r.below) for r in credit.rows]


def credit_at(credit: model.TieredCredit, target: Fraction | None, uptime: Fraction) -> Fraction:
    """The credit percent a tiered table pays at `uptime`, by the runtime's lookup."""
    goal = target if target is not None else Fraction(100)
    return tiered_credit(uptime, goal, _tier_rows(credit), credit.gaps)[1]


def _bounds(*credits: model.TieredCredit, targets: Iterable[Fraction | None]) -> list[Fraction]:
    """Every printed bound and target, 0% and 100%, ascending: the credit is constant on each
    bound and on each open interval between neighbouring bounds."""
    bounds = {Fraction(0), Fraction(100)} | {t for t in targets if t is not None}
    for credit in credits:
        for row in credit.rows:
            bounds.add(row.high)
            if row.low is not None:
                bounds.add(row.low)
    return sorted(bounds)


def _segments(bounds: list[Fraction]) -> list[tuple[Fraction, Fraction, Fraction]]:
    """(low, high, probe) for each bound (low == high) and each open interval between bounds."""
    segments = []
    for low, high in zip(bounds, bounds[1:]):
        segments.append((low, low, low))
        segments.append((low, high, (low + high) / 2))
    segments.append((bounds[-1], bounds[-1], bounds[-1]))
    return segments


def _range_text(first: tuple, last: tuple) -> str:
    """The uptimes a run of segments covers: "from 99% to below 99.5%", "at 99.9%"."""
    low = f"from {percent(first[0])}" if first[0] == first[1] else f"from above {percent(first[0])}"
    high = f"to {percent(last[1])}" if last[0] == last[1] else f"to below {percent(last[1])}"
    if first is last and first[0] == first[1]:
        return f"at {percent(first[0])}"
    return f"{low} {high}"


def credit_changes(old: model.TieredCredit, new: model.TieredCredit, target_old: Fraction | None,
                   target_new: Fraction | None) -> list[str]:
    """Where two credit tables pay differently, as uptime ranges, best uptime first."""
    runs: list[list] = []  # [first segment, last segment, old credit, new credit]
    for segment in _segments(_bounds(old, new, targets=(target_old, target_new))):
        a = credit_at(old, target_old, segment[2])
        b = credit_at(new, target_new, segment[2])
        if a == b:
            runs.append([None])
        elif runs and runs[-1][0] is not None and runs[-1][2:] == [a, b]:
            runs[-1][1] = segment
        else:
            runs.append([segment, segment, a, b])
    return [f"{_range_text(first, last)} the credit goes from {percent(a)} to {percent(b)}"
            for first, last, a, b in reversed([r for r in runs if r[0] is not None])]


def _tiers(ctx: Context, where: str, old: model.TieredCredit, new: model.TieredCredit,
           target_old: Fraction | None, target_new: Fraction | None) -> list[Change]:
    changes: list[Change] = []
    details = credit_changes(old, new, target_old, target_new)
    if details:
        changes.append(Change("changed", where, "credit table", details=tuple(details)))
    rest = {**_CREDIT_TERMS, "rows": _ignore, "gaps": _ignore}
    changes += _fields(ctx, where + ", credit table", old, new, rest)
    return changes


def band_at(credit: model.BandCredit, seconds: int) -> tuple[Any, str]:
    """What an outage of `seconds` earns under a band table, by the runtime's lookup: (the
    amount as a comparable value, as text)."""
    bands = [(b.low, b.over, b.high, b.below, b.amount.value) for b in credit.bands]
    index, _amount = band_credit(seconds, bands, credit.gaps)
    if index is None:
        return None, "nothing"
    amount = credit.bands[index].amount
    return (amount.kind, amount.basis, amount.value), amount.text


def band_changes(old: model.BandCredit, new: model.BandCredit) -> list[str]:
    """Where two band tables pay differently, as ranges of whole-second outage lengths: the
    answer can change only where a band starts or ends, so each stretch is asked once."""
    edges = {0}
    for band in old.bands + new.bands:
        edges.add(band.low + 1 if band.over else band.low)
        if band.high is not None:
            edges.add(band.high if band.below else band.high + 1)
    points = sorted(edges)
    runs: list[list] = []  # [start, end (None: no end), old, new]
    for start, end in zip(points, points[1:] + [None]):
        a, b = band_at(old, start), band_at(new, start)
        if a[0] == b[0]:
            continue
        if runs and runs[-1][1] == start and runs[-1][2:] == [a, b]:
            runs[-1][1] = end
        else:
            runs.append([start, end, a, b])
    out = []
    for start, end, a, b in runs:
        span = f"outages of {_seconds_words(start)} or more" if end is None else (
            f"outages of {_seconds_words(start)}" if end == start + 1
            else f"outages from {_seconds_words(start)} to less than {_seconds_words(end)}")
        out.append(f"{span}: the credit goes from {a[1]} to {b[1]}")
    return out


def _seconds_words(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{n}{u}" for n, u in ((hours, "h"), (minutes, "m"), (secs, "s")) if n) or "0s"


def _band_tables(ctx: Context, where: str, old: model.BandCredit, new: model.BandCredit) -> list[Change]:
    changes: list[Change] = []
    details = band_changes(old, new)
    if details:
        changes.append(Change("changed", where, "credit by outage duration", details=tuple(details)))
    changes += _fields(ctx, where + ", credit by outage duration", old, new,
                       {**_CREDIT_TERMS, "bands": _ignore, "gaps": _ignore})
    return changes


def _counting(ctx: Context, where: str, field: str, old: model.Counting, new: model.Counting) -> list[Change]:
    """What counts as downtime, rule by rule, in the contract's own words."""
    changes: list[Change] = []
    for what, describe in _COUNTING_PARTS:
        a, b = describe(old), describe(new)
        if a == b:
            continue
        kind = "added" if a is None else "removed" if b is None else "changed"
        changes.append(Change(kind, where, what, a, b))
    return changes


def _clock_text(seconds: int) -> str:
    """`300` -> "5m", `90` -> "1m30s": a duration as contracts write it."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "") + (f"{secs}s" if secs else "")
    return text or "0s"


def _minimum_text(counting: model.Counting) -> str | None:
    rule = counting.minimum
    if rule is None:
        return None
    length = _clock_text(rule.seconds)
    return {"longer": f"outages longer than {length}", "at_least": f"outages of at least {length}",
            "beyond": f"only beyond {length} of each outage"}[rule.rule]


def _sampling_text(counting: model.Counting) -> str | None:
    sampling = counting.sampling
    if sampling is None:
        return None
    down = "any downtime" if sampling.threshold is None else f"at least {percent(sampling.threshold)} down"
    return f"{_clock_text(sampling.seconds)} intervals ({down})"


def _scopes_text(counting: model.Counting) -> str | None:
    scopes = counting.scopes
    if scopes is None:
        return None
    listed = f" in {', '.join(scopes.names)}" if scopes.names else ""
    return f"per {scopes.kind}{listed}, overall {scopes.overall}"


_COUNTING_PARTS: tuple[tuple[str, Callable[[model.Counting], str | None]], ...] = (
    ("minimum outage", _minimum_text),
    ("downtime intervals", _sampling_text),
    ("impact weighting", lambda c: "weighted by impact" if c.impact else None),
    ("measurement scopes", _scopes_text),
)


_TARGET_RULES: dict[str, Rule] = {"targets": _targets}
def _counts_text(counts: model.CountsSli | None) -> str | None:
    """`requests in 1m intervals, down when error rate above 5%`: the statement in its own words."""
    if counts is None:
        return None
    rule = {"ratio": "good / total",
            "threshold": f"down when error rate {'reaches' if counts.inclusive else 'above'} "
                         f"{percent(counts.threshold or Fraction(0))}",
            "average": f"average of {_clock_text(counts.window or counts.interval)} error rates"}[counts.rule]
    return f"{counts.name} in {_clock_text(counts.interval)} intervals, {rule}"


def _counts(ctx: Context, where: str, field: str, old: model.CountsSli | None,
            new: model.CountsSli | None) -> list[Change]:
    a, b = _counts_text(old), _counts_text(new)
    if a == b:
        return []
    kind = "added" if a is None else "removed" if b is None else "changed"
    return [Change(kind, where, "measured by", a, b)]


_SERVICE_RULES: dict[str, Rule] = {"availability": _availability, "credits": _credits, "counting": _counting,
                                   "counts": _counts}
def _clock(ctx: Context, where: str, field: str, old: model.ClockRules,
           new: model.ClockRules) -> list[Change]:
    """Clock rules: the statuses pausing each clock (case-insensitive, as the runtime compares
    them), and what a reopened ticket does."""
    changes = []
    for metric in (None, *model.METRICS):
        was = {s.casefold(): s for s in old.statuses(metric)}
        now = {s.casefold(): s for s in new.statuses(metric)}
        what = "statuses pausing every clock" if metric is None else \
            f"statuses pausing the {metric} clock alone"
        for key in sorted(now.keys() - was.keys()):
            changes.append(Change("added", where, what, None, now[key]))
        for key in sorted(was.keys() - now.keys()):
            changes.append(Change("removed", where, what, was[key], None))
    if old.reopen != new.reopen:
        changes.append(Change("changed", where, "reopened tickets", old.reopen, new.reopen))
    if old.reclassify != new.reclassify:
        changes.append(Change("changed", where, "a priority change counts from", old.reclassify,
                              new.reclassify))
    was, now_ = _inactivity(old.inactivity), _inactivity(new.inactivity)
    if was != now_:
        kind = "added" if was is None else "removed" if now_ is None else "changed"
        changes.append(Change(kind, where, "inactivity timers", was, now_))
    return changes


def _inactivity(rule: model.Inactivity | None) -> str | None:
    """The inactivity timers as compared: statuses (case-insensitive), calendar and steps."""
    if rule is None:
        return None
    statuses = ", ".join(sorted(s.casefold() for s in rule.statuses))
    steps = ", ".join(f"{s.name} after {s.duration.text}" for s in rule.steps)
    return f"while status {statuses} on {rule.calendar}: {steps}"


def _dates_zone(ctx: Context, where: str, field: str, old: str, new: str) -> list[Change]:
    """The zone whose midnights bound the dates: meaningful only for a contract with dates."""
    dated = any(c.effective or c.until for c in (ctx.old, ctx.new))
    if not dated or old == new:
        return []
    return [Change("changed", where, "time zone of the effective dates", old, new)]


def _split_periods(ctx: Context, where: str, field: str, old: bool, new: bool) -> list[Change]:
    """`splitting periods`: how a service period in progress when this version starts is judged."""
    if old == new:
        return []
    words = {True: "split at the change, each part by its own terms",
             False: "judged whole by the terms in effect when it began"}
    return [Change("changed", where, "a service period in progress when these terms take effect",
                   words[old], words[new])]


_CONTRACT_RULES: dict[str, Rule] = {
    "clock": _clock,
    "dates_zone": _dates_zone,
    "split_periods": _split_periods,
    "calendars": _calendars,
    "calendar_choices": _calendar_choices,
    "plan_choice": _plan_choice,
    "priorities": _priorities,
    "targets": _targets,
    "plans": _keyed("plan", _TARGET_RULES),
    "addons": _keyed("addon", _TARGET_RULES),
    "channels": _keyed("channel", _TARGET_RULES),
    "services": _keyed("service", _SERVICE_RULES),
    "sections": _keyed("section", {}),
}


# ---- rendering ---------------------------------------------------------------------------------

_METRIC_WORDS = {"response": "first response", "resolution": "resolution", "update": "update",
                 "pickup": "pickup"}


def to_text(old: model.Contract, new: model.Contract, changes: list[Change]) -> str:
    """One line per change, then a count; "no difference in meaning" when there is none."""
    if not changes:
        return "no difference in meaning\n"
    lines = []
    for change in changes:
        lines.append(_plain(change.sentence()))
        lines += [f"  {_plain(detail)}" for detail in change.details]
    lines.append(f"{len(changes)} change(s) in meaning")
    return "\n".join(lines) + "\n"


def _plain(text: str) -> str:
    """Contract text on a terminal: control characters shown as escapes, never executed."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def to_json(old: model.Contract, new: model.Contract, changes: list[Change]) -> str:
    import json

    counts = Counter(change.kind for change in changes)
    data = {"same": not changes, "changed": len(changes),
            "counts": {kind: counts.get(kind, 0) for kind in KINDS},
            "changes": [change.to_json() for change in changes]}
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def to_markdown(old: model.Contract, new: model.Contract, changes: list[Change]) -> str:
    """A change notice a provider can send to customers."""
    from sladsl.to_markdown import md

    title = new.title or new.name
    lines = [f"# Changes to {md(title)}", ""]
    if not changes:
        lines.append("This version changes nothing in what we commit to.")
        return "\n".join(lines) + "\n"
    when = f"From {new.effective.day} {new.effective:%B %Y}" if new.effective else "In this version"
    lines += [f"{when}, the following changes apply:", ""]
    for change in changes:
        if change.where == "contract" and change.what == "effective":
            continue  # the notice opens with it
        lines.append(f"- {md(_notice(change))}")
        lines += [f"    - {md(detail)}" for detail in change.details]
    return "\n".join(lines) + "\n"


def _notice(change: Change) -> str:
    """A customer-facing sentence: "Premium plan: Critical first response is 2h instead of 1h"."""
    where = change.where
    for kind in ("plan", "addon", "service", "channel", "calendar", "section", "priority"):
        if where.startswith(kind + " "):
            label = {"addon": "add-on", "calendar": "hours"}.get(kind, kind)
            where = f"{where[len(kind) + 1:]} {label}"
    where = "" if where == "contract" else where[0].upper() + where[1:] + ": "
    what = change.what
    for metric, words in _METRIC_WORDS.items():
        what = what.replace(f" {metric} target", f" {words} target")
    if change.kind == "added":
        return f"{where}new {what}: {change.new}" if change.new else f"{where}new {what}"
    if change.kind == "removed":
        return f"{where}{what} withdrawn (was {change.old})" if change.old else f"{where}{what} withdrawn"
    if change.old is None and change.new is None:
        return f"{where}the {what} changes:"
    verb = {"tightened": " (shorter)", "loosened": " (longer)"}.get(change.kind, "")
    if change.what == "availability target":
        verb = {"tightened": " (higher)", "loosened": " (lower)"}.get(change.kind, "")
    return f"{where}{what} is {change.new} instead of {change.old}{verb}"


RENDERERS: dict[str, Callable[[model.Contract, model.Contract, list[Change]], str]] = {
    "text": to_text, "json": to_json, "markdown": to_markdown}


# ---- replay ------------------------------------------------------------------------------------

def _pct_text(value: Fraction | None) -> str:
    return "none judged" if value is None else percent(value)


def _replay_lines(replay: dict[str, Any]) -> list[str]:
    lines = []
    tickets = replay.get("tickets")
    if tickets is not None:
        lines.append(f"replay of {tickets.tickets} ticket(s), {tickets.verdicts} verdict(s): "
                     f"{tickets.changed} verdict(s) change")
        for row in tickets.by_key():
            moves = "; ".join(f"{t} {n}" for t, n in row["transitions"].items()) or "no verdict changes"
            moved = f"; due instant moved for {row['due_moved']}" if row["due_moved"] else ""
            lines.append(f"  plan {row['plan'] or '-'}, {row['priority'] or '-'}, {row['metric']}: "
                         f"{moves}{moved}; compliance {_pct_text(row['compliance_before'])} -> "
                         f"{_pct_text(row['compliance_after'])}")
    incidents = replay.get("incidents")
    if incidents is not None:
        judged, changes = incidents
        lines.append(f"replay of {judged} service period(s): {len(changes)} change")
        for change in changes:
            lines.append(f"  {change.service} {change.period_start:%Y-%m-%d}..{change.period_end:%Y-%m-%d}: "
                         f"{_met(change.old_met)}, credit {', '.join(change.old_credits) or 'none'} -> "
                         f"{_met(change.new_met)}, credit {', '.join(change.new_credits) or 'none'}")
    return [_plain(line) for line in lines]


def _met(met: bool | None) -> str:
    return {True: "met", False: "missed", None: "no target"}[met]


def _replay_json(replay: dict[str, Any]) -> dict[str, Any]:
    def fraction(value: Fraction | None) -> str | None:
        return None if value is None else percent(value)

    out: dict[str, Any] = {}
    tickets = replay.get("tickets")
    if tickets is not None:
        out["tickets"] = {
            "tickets": tickets.tickets, "verdicts": tickets.verdicts, "changed": tickets.changed,
            "by_key": [{**row, "compliance_before": fraction(row["compliance_before"]),
                        "compliance_after": fraction(row["compliance_after"])} for row in tickets.by_key()],
            "changed_tickets": [{"id": c.id, "plan": c.plan, "priority": c.priority,
                                 "metric": c.metric, "old": c.old, "new": c.new,
                                 "old_due": c.old_due, "new_due": c.new_due}
                                for c in tickets.changes if c.verdict_changed]}
    incidents = replay.get("incidents")
    if incidents is not None:
        judged, changes = incidents
        out["incidents"] = {"periods": judged, "changed": len(changes), "changes": [
            {"service": c.service, "period_start": c.period_start.isoformat(),
             "period_end": c.period_end.isoformat(), "old_met": c.old_met, "new_met": c.new_met,
             "old_credits": list(c.old_credits), "new_credits": list(c.new_credits)}
            for c in changes]}
    return out


def render_replay(fmt: str, text: str, replay: dict[str, Any]) -> str:
    """The diff's text with the replay appended (text, markdown) or merged in (json)."""
    import json

    if fmt == "json":
        data = json.loads(text)
        data["replay"] = _replay_json(replay)
        return json.dumps(data, indent=2, ensure_ascii=True) + "\n"
    lines = _replay_lines(replay)
    if fmt == "markdown":
        from sladsl.to_markdown import md

        return text + "\n## What this would have changed\n\n" + "".join(
            f"- {md(line.strip())}\n" for line in lines)
    return text + "\n".join(lines) + "\n"
