"""Answer a contract's questions from its spec: due instants, ticket verdicts, escalation, credits.

Part of the runtime: imports only the standard library and `sladsl.runtime`. Every generated
module (`generated/<contract>.py`) builds one `Evaluator` from its literal `SPEC`, and
`sladsl.load()` builds one from the spec `sladsl.to_spec` makes of a freshly checked contract, so
both answer alike. The spec layout is typed in `sladsl/runtime/spec.py`; the rules are in
SEMANTICS.md and docs/embedding.md.

Rules this module decides (docs/embedding.md "Rules"):
- Target lookup: channel targets, then add-on targets (a target without a calendar counts in the
  plan's hours), then plan targets, then contract targets; at each level a per-ticket target beats
  a proportion target ("2h for 85% per month"), which is reported beside it.
- `plan=None` means the contract-level targets, or the only plan when there is exactly one.
- Business-day targets: `Calendar.add_business_days`, then pauses push the due instant later by
  the business time inside the pauses before it (and by any pause met while pushing).
- Breach: an event strictly after the due instant; at the due instant it is met; no event and
  `now` strictly after the due instant is breached. Compared as UTC instants (PEP 495).
- Escalation past a bounded last step stays on the last step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from fractions import Fraction
from types import ModuleType
from typing import Any, Literal, NamedTuple

from sladsl.runtime import formulas
from sladsl.runtime.bands import band_units, band_worth, chosen_credits
from sladsl.runtime.choice import attribute_values, choose, describe
from sladsl.runtime.clock import Calendar, Pauses
from sladsl.runtime.clock_rules import Cycle, Timeline, timeline
from sladsl.runtime.coverage import Restored
from sladsl.runtime.credit_life import claim_days, takes_claims, with_life
from sladsl.runtime.maintenance_windows import apply_windows, used_windows
from sladsl.runtime.spec import CreditSpec, MaintenanceSpec, ServiceSpec, TargetSpec, validate_spec
from sladsl.runtime.zones import parse_zone, wall_to_epoch

__all__ = ["Evaluator", "NOT_JUDGED", "not_in_effect_reason", "REASONS", "STATUSES", "STOPPED_BY_RESOLUTION", "judged_status",
           "reason_text", "seconds_of", "stop_event", "verdict_status", "verdict_status_codes"]

METRICS = ("response", "resolution", "update", "pickup")
# Which ticket field is the event that ends each metric's clock.
# `updates` (a list of update instants) is optional: a ticket that has the key (from an event
# log) carries update events, one without it cannot, and its update target is not judged. The
# first update is the event of a plain `update` target (`first_update_at` below).
EVENT_FIELDS = {"response": "first_response_at", "resolution": "resolved_at",
                "update": "first_update_at"}
TICKET_FIELDS = ("id", "priority", "opened_at", "plan", "addons", "channel", "first_response_at",
                 "resolved_at", "updates", "pauses", "restored_at", "contact_at", "priority_set_at",
                 "events", "now")
# With `events` the timeline comes from them (runtime/clock_rules.py): these fields must be absent.
TIMELINE_FIELDS = ("first_response_at", "resolved_at", "updates", "pauses", "restored_at",
                   "contact_at", "priority_set_at")
EVENT_KINDS = ("reply", "customer_reply", "status", "priority", "update", "resolved", "reopened",
               "restored", "contact")
# A target's clock start (`from first contact`, `from priority set`) -> the ticket field of it.
START_FIELDS = {"contact": "contact_at", "priority": "priority_set_at"}
# An event that may come before the opening: the customer's first contact is often logged later.
BEFORE_OPENING = ("contact",)
BILLING = ("monthly", "quarterly", "annual")
_UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_MICRO = timedelta(microseconds=1)
_SECOND = timedelta(seconds=1)
Result = dict[str, Any]  # plain data handed to the caller (docs/embedding.md)
Interval = tuple[datetime, datetime]


class Data(NamedTuple):
    """Availability input read once: outages (start, end, impact, scope), excluded intervals and
    maintenance (start, end, scope); `scope` selects the records of one scope (None: all)."""

    outages: list[tuple[datetime, datetime, Fraction, str | None]]
    excluded: list[tuple[datetime, datetime, str | None]]
    maintenance: list[tuple[datetime, datetime, str | None]]
    scope: str | None = None
    # {scope or None (the service): (created, deleted)}: the parts of time it existed (partial periods)
    lifespans: dict[str | None, Interval] | None = None
    # (interval start, good, total, scope) of a service measured by counts (None: by outages)
    counts: list[tuple[datetime, int, int, str | None]] | None = None
    claims: tuple[date, ...] = ()  # granted claim dates: when credits are posted (runtime/credit_life.py)
    terms: Mapping[str, Any] | None = None  # credit formulas: rates, devices (runtime/formulas.py)


Cap = tuple[Any, str, str]  # limit in the credit's unit, per period, text
Unit = tuple[datetime, Any]  # (when, raw credit amount) before caps
Units = tuple[list[Unit], Result]
Addons = Iterable[str] | str
Chosen = tuple[str, ...]  # the calendar each calendar choice chose, in the spec's order


# The verdict vocabulary, shared by `evaluate_ticket` and the batch stage (`sladsl.evaluate`),
# which stores statuses as indices into this tuple. "not judged" comes with a reason (REASONS).
STATUSES = ("met", "breached", "pending", "not judged")
NOT_JUDGED = STATUSES.index("not judged")
# Metrics whose clock the resolution stops (SEMANTICS.md "Due instants": a ticket solved without
# a reply has not missed its response, as in Jira Service Management).
STOPPED_BY_RESOLUTION = ("response", "update")
# The `reason` beside a verdict: why it is not judged, or what stopped its clock.
REASONS = {
    "no_events": "the data carries no {metric} events",
    "not_opened": "not yet opened at the judging instant",
    "resolved": "the clock stopped at the resolution",
    "no_statuses": "the contract pauses the {metric} clock on ticket statuses the data does not "
                   "carry (give an event log)",
    "not_started": "the {metric} clock starts at the first response, which has not happened",
    "no_contact": "the {metric} clock starts at the first contact, which the data does not show",
    "no_priority_set": "the {metric} clock starts when the priority is set, which the data does "
                       "not show",
}
START_REASONS = {"contact": "no_contact", "priority": "no_priority_set"}


def reason_text(code: str | None, metric: str) -> str | None:
    """The reason text of a verdict (None: none to give)."""
    return None if code is None else REASONS[code].format(metric=metric)


def stop_event(metric: str, event: int | None, resolved: int | None) -> tuple[int | None, str | None]:
    """(instant, reason code) that stops a metric's clock: its own event, or the resolution
    when that comes first for a metric the resolution stops. Numbers of one timeline or None."""
    if resolved is not None and metric in STOPPED_BY_RESOLUTION and (event is None or resolved < event):
        return resolved, "resolved"
    return event, None


def not_in_effect_reason(instant: int, contracts: list[dict[str, Any]]) -> str:
    """Why a ticket opened at `instant` is not judged: no version of the contract was in effect
    (each of `contracts` is an evaluator's CONTRACT, with its `effective` and `until` dates)."""
    when = datetime.fromtimestamp(instant, _UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    spans = []
    for meta in contracts:
        start, end = meta["effective"], meta["until"]
        spans.append((f"from {start.isoformat()}" if start else "")
                     + (" " if start and end else "") + (f"until {end.isoformat()}" if end else ""))
    return f"no version of the contract is in effect at {when} (in effect " + ", ".join(spans) + ")"


def seconds_of(value: datetime) -> int:
    """Whole UTC epoch seconds of an aware datetime, truncated toward the past (decision 1 of
    docs/semantics.md "Precision": every instant is read at whole seconds)."""
    return (value - _EPOCH) // _SECOND


def verdict_status(due: int, event: int | None, now: int) -> str:
    """The breach rule (SEMANTICS.md "Due instants"), on numbers of one UTC timeline.

    `due`, `event` (None: no event yet) and `now` are epoch seconds or microseconds, all in one
    unit, never aware datetimes (PEP 495 `==`). An event at the due instant is on time (met),
    strictly after it breached; with no event, `now` strictly after the due instant is breached,
    else pending. `evaluate_ticket` and the batch stage (`sladsl.evaluate`) both decide with this.
    """
    if event is not None:
        return "breached" if event > due else "met"
    return "breached" if now > due else "pending"


def due_epoch(calendar: Calendar | Restored, seconds: int | None, days: int | None, start: int,
              pauses: list[tuple[int, int]]) -> int:
    """`Evaluator._due` on epoch seconds: a duration, or business days then the pauses' time."""
    if seconds is not None:
        return calendar.add_epoch(start, seconds, pauses)
    assert days is not None  # exactly one of seconds / business_days is set
    due = calendar.add_business_days_epoch(start, days)
    if not pauses:
        return due
    lost = calendar.elapsed_epoch(start, due) - calendar.elapsed_epoch(start, due, pauses)
    return due if lost <= 0 else calendar.add_epoch(due, lost, pauses)


def cadence_verdict(calendar: Calendar | Restored, seconds: int | None, days: int | None, opened: int,
                    updates: list[int], resolution: int | None, now: int,
                    pauses: list[tuple[int, int]], after: int | None = None,
                    after_response: bool = False
                    ) -> tuple[int, str, str | None, int | None, int, int | None]:
    """`update every N` (docs/semantics.md "Update cadence"), on epoch seconds: the interval
    starts at the opening and restarts at each update; the resolution stops it. Returns (due,
    status, reason code, event, used, left) of the interval that decides: the first one an
    update (or the resolution, or `now`) overran, else the last one.

    `used` and `left` are business time within that interval, pauses excluded.
    With `after_response` the first interval starts at the first response `after` (updates
    before it do not count); with no response yet, or a resolution before any, it is not judged.
    """
    if after_response:
        if after is None or (resolution is not None and resolution < after):
            return due_epoch(calendar, seconds, days, opened, pauses), "not judged", \
                "not_started", None, 0, None
        updates = [u for u in updates if u >= after]
        opened = after
    if now < opened and not updates and resolution is None:
        return due_epoch(calendar, seconds, days, opened, pauses), "not judged", "not_opened", \
            None, 0, None
    start = opened
    for update in sorted(updates):
        if resolution is not None and update > resolution:
            break  # the resolution stopped the update clock
        due = due_epoch(calendar, seconds, days, start, pauses)
        if update > due:
            return due, "breached", None, update, calendar.elapsed_epoch(start, update, pauses), None
        start = update
    due = due_epoch(calendar, seconds, days, start, pauses)
    if resolution is not None:
        status = "breached" if resolution > due else "met"
        return due, status, "resolved", resolution, \
            calendar.elapsed_epoch(start, resolution, pauses), None
    used = calendar.elapsed_epoch(start, now, pauses)
    if now > due:
        return due, "breached", None, None, used, None
    return due, "pending", None, None, used, calendar.elapsed_epoch(now, due, pauses)


def cycles_verdict(calendar: Calendar | Restored, seconds: int | None, days: int | None,
                   cycles: Sequence[Cycle], stop: int | None, now: int, has_event_data: bool = True
                   ) -> tuple[int, str, str | None, int | None, int, int | None]:
    """A clock of several cycles (`reopen restarts`; docs/semantics.md "Clock rules"), on epoch
    seconds: each cycle has its own due instant from its start, counting its pauses; the verdict
    is that of the first earlier cycle that ended after its due instant (breached), else that of
    the last cycle, which ends at `stop` (the metric's stop event, None: not yet). Returns (due,
    status, reason code, event, used, left) like `cadence_verdict`."""
    for start, end, pauses in cycles[:-1]:
        assert end is not None  # only the last cycle is open-ended
        due = due_epoch(calendar, seconds, days, start, list(pauses))
        if end > due:
            return due, "breached", None, end, calendar.elapsed_epoch(start, end, pauses), None
    start, _end, pauses = cycles[-1]
    due = due_epoch(calendar, seconds, days, start, list(pauses))
    status, code = judged_status(due, stop, now, start, has_event_data)
    used = calendar.elapsed_epoch(start, now if stop is None else stop, pauses)
    left = calendar.elapsed_epoch(now, due, pauses) if status == "pending" else None
    return due, status, code, stop, used, left


def started_cycles(cycles: Sequence[Cycle], opened: int, begin: int) -> tuple[Cycle, ...]:
    """The cycles of a clock that starts at `begin` (`from first contact`, `from priority set`;
    docs/semantics.md "Clocks that start at an event") instead of the opening `opened`: the cycle
    from the opening starts at `begin` (before the opening too: a contact logged late), a later
    one (a reclassification or a restart) not before `begin`; a cycle over by then is dropped."""
    out = [(begin if start == opened else max(start, begin), end, pauses)
           for start, end, pauses in cycles if end is None or end > begin]
    return tuple(out)


def verdict_status_codes(due: Any, event: Any, has_event: Any, now: Any) -> Any:
    """`verdict_status` element-wise on NumPy arrays: indices into STATUSES (0 met, 1 breached,
    2 pending). `event` holds any value where `has_event` is False."""
    late = (event > due) & has_event
    late |= (now > due) & ~has_event
    return late + 2 * (~late & ~has_event)


def judged_status(due: int, event: int | None, now: int, opened: int,
                  has_event_data: bool = True) -> tuple[str, str | None]:
    """(status, reason code) of one metric: the breach rule on whole seconds, or "not judged"
    when the data cannot carry the metric's event, or when the ticket has no event and was not
    yet opened at `now` (it has no time left to report). `event` is the clock's stop instant
    (`stop_event`)."""
    if not has_event_data:
        return "not judged", "no_events"
    if event is None and now < opened:
        return "not judged", "not_opened"
    return verdict_status(due, event, now), None


def _micros(value: datetime) -> int:
    """Whole UTC microseconds of an aware datetime (exact)."""
    return (value - _EPOCH) // _MICRO


def _names(values: Iterable[object]) -> str:
    """`a`, `b`, `c` for messages; `(none)` when empty."""
    values = list(values)
    return ", ".join(f"`{v}`" for v in values) if values else "(none)"


def _aware(value: object, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError(f"{what} must be an aware datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{what} {value.isoformat()} is a naive datetime: it needs a zone (tzinfo), "
            "e.g. datetime(..., tzinfo=ZoneInfo('Asia/Jakarta'))"
        )
    return value


def _after(a: datetime, b: datetime) -> bool:
    """`a` strictly after `b`, compared as UTC instants (never `==` across zones, PEP 495)."""
    return a.astimezone(_UTC) > b.astimezone(_UTC)


def _pct(value: int | Fraction) -> str:
    """A percentage for rule text: exact when it terminates in four decimals, else rounded."""
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _clock(seconds: int) -> str:
    """1h, 60m, 21m36s: a duration for rule text."""
    seconds = int(seconds)
    if seconds and seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{secs}s" if secs else ""]
    return "".join(parts) or "0s"


class TicketClocks(NamedTuple):
    """The clocks behind a ticket's verdicts (`Evaluator._judge`), for the live view; epoch
    seconds. `pauses` hold for every clock, `own` replaces the opening and `pauses` of a metric
    by its cycles (runtime/clock_rules.py), `since` is the start of the pause running at `now`
    (key None: every clock's, else a metric's own; empty for flat data, whose running pause the
    caller knows), `events` the evaluated fields (first response, resolution, updates)."""

    opened: int
    pauses: tuple[tuple[int, int], ...]
    own: dict[str, tuple[Cycle, ...]]
    since: dict[str | None, int]
    events: dict[str, Any]

    def cycles(self, metric: str) -> tuple[Cycle, ...]:
        """The metric's clock: its own cycles, else one from the opening with `pauses`."""
        return self.own.get(metric) or ((self.opened, None, self.pauses),)


class _Resolved:
    """A looked-up target: the governing target, its calendar, and any proportion target."""

    __slots__ = ("target", "calendar", "calendar_name", "delta", "days", "proportion",
                 "proportion_calendar", "proportion_calendar_name", "proportion_plan")

    def __init__(self, target: TargetSpec, calendar_name: str, calendar: Calendar,
                 proportion: TargetSpec | None, proportion_calendar: Calendar | None,
                 proportion_calendar_name: str | None = None, proportion_plan: str | None = None) -> None:
        self.target = target
        self.calendar_name = calendar_name
        self.calendar = calendar
        seconds = target["seconds"]
        self.delta = timedelta(seconds=seconds) if seconds is not None else None
        self.days = target["business_days"]
        self.proportion = proportion
        self.proportion_calendar = proportion_calendar
        self.proportion_calendar_name = proportion_calendar_name
        self.proportion_plan = proportion_plan  # the plan whose level holds it; None: elsewhere


class Evaluator:
    """The evaluator API (docs/embedding.md) answered from one contract's spec."""

    def __init__(self, spec: object) -> None:
        # A clear SpecError (a ValueError) on another format or shape.
        self.spec = spec = validate_spec(spec)
        meta = spec["contract"]
        self.CONTRACT = {
            "name": meta["name"],
            "provider": meta["provider"],
            "title": meta["title"],
            "currency": meta["currency"],
            "zone": meta["zone"],
            "source_file": meta["source_file"],
            "source_sha256": meta["source_sha256"],
            "plans": list(spec["plans"]),
            "addons": list(spec["addons"]),
            "priorities": list(spec["priorities"]),
            "channels": list(spec["channels"]),
            "calendars": list(spec["calendars"]),
            "services": list(spec["services"]),
            "metrics": list(spec["metrics"]),
            "effective": meta["effective"],
            "until": meta["until"],
        }
        self.IN_EFFECT = meta["in_effect"]
        # Choices by ticket attributes (runtime/choice.py): calendars chosen by an attribute, in
        # a fixed order (`Chosen`), and the plans chosen by conditions.
        self._choices = spec.get("calendar_choices", {})
        self._choice_order = tuple(sorted(self._choices))
        self._plan_choice = spec.get("plan_choice", ())
        attributes = {c[0] for b in self._plan_choice for c in b["when"]}
        attributes.update(choice["attribute"] for choice in self._choices.values())
        self.ATTRIBUTES = tuple(sorted(attributes - {"channel"}))  # ticket fields of their own
        self._calendars: dict[str, Calendar] = {}
        self._lookups: dict[tuple[object, ...], _Resolved | None] = {}
        self._zones: dict[str, tzinfo] = {}

    def __repr__(self) -> str:
        return f"<Evaluator {self.CONTRACT['name']!r}>"

    def in_effect(self, instant: int) -> bool:
        """Whether the terms are in effect at an instant (UTC epoch seconds)."""
        start, end = self.IN_EFFECT
        return (start is None or instant >= start) and (end is None or instant < end)

    # -- calendars -----------------------------------------------------------------------------

    def calendar(self, name: str) -> Calendar:
        """The named calendar (built once, then cached)."""
        cached = self._calendars.get(name) if isinstance(name, str) else None
        if cached is not None:
            return cached
        table = self.spec["calendars"].get(name) if isinstance(name, str) else None
        if table is None:
            raise ValueError(f"unknown calendar `{name}`: calendars are {_names(self.spec['calendars'])}")
        calendar = Calendar(table["zone"], table["week"], table["holidays"],
                            holiday_years=table.get("holiday_years"),
                            holiday_hours=table.get("holiday_hours", ()))
        self._calendars[name] = calendar
        return calendar

    # -- target lookup -------------------------------------------------------------------------

    def _plan_name(self, plan: object) -> str | None:
        plans = self.spec["plans"]
        if plan is None:
            return next(iter(plans)) if len(plans) == 1 else None
        if not isinstance(plan, str) or plan not in plans:
            raise ValueError(f"unknown plan `{plan}`: plans are {_names(plans)}")
        return plan

    def _addon_names(self, addons: Addons, plan_name: str | None) -> tuple[str, ...]:
        if isinstance(addons, str):
            addons = (addons,)
        try:
            addons = tuple(addons)
        except TypeError:
            raise ValueError("addons must be a list of add-on names") from None
        known = self.spec["addons"]
        for name in addons:
            if not isinstance(name, str) or name not in known:
                raise ValueError(f"unknown add-on `{name}`: add-ons are {_names(known)}")
            allowed = known[name]["for_plans"]
            if allowed and plan_name not in allowed:
                raise ValueError(f"add-on `{name}` is only for plans {_names(allowed)}, not `{plan_name}`")
        return addons

    def _priority(self, priority: object, channel: object) -> str | None:
        """Check the channel and priority; the channel's default priority fills a missing one."""
        channels = self.spec["channels"]
        entry = None
        if channel is not None:
            entry = channels.get(channel) if isinstance(channel, str) else None
            if entry is None:
                raise ValueError(f"unknown channel `{channel}`: channels are {_names(channels)}")
            if priority is None:
                priority = entry["default_priority"]
        priorities = self.spec["priorities"]
        if priorities:
            if priority is None:
                raise ValueError(f"a priority is required: priorities are {_names(priorities)}")
            if not isinstance(priority, str) or priority not in priorities:
                raise ValueError(f"unknown priority `{priority}`: priorities are {_names(priorities)}")
        elif priority is not None:
            raise ValueError(f"unknown priority `{priority}`: the contract declares no priorities")
        if entry is not None and entry["only_priorities"] and priority not in entry["only_priorities"]:
            raise ValueError(
                f"channel `{channel}` takes only priorities {_names(entry['only_priorities'])}, "
                f"not `{priority}`"
            )
        return priority

    # -- choices by ticket attributes (docs/semantics.md) -------------------------------------

    def _values_of(self, attributes: Mapping[str, Any] | None, channel: object) -> dict[str, tuple[str, ...]]:
        given = attributes or {}
        if not hasattr(given, "get"):
            raise ValueError("attributes must be a mapping of attribute names to values")
        values = {name: attribute_values(name, given.get(name)) for name in self.ATTRIBUTES}
        values["channel"] = (channel,) if isinstance(channel, str) else ()
        return values

    def _chosen(self, attributes: Mapping[str, Any] | None, channel: object) -> Chosen:
        """The calendar each calendar choice chooses for a ticket's attributes (a ValueError
        naming the attribute when a value matches no branch and there is no `otherwise`)."""
        if not self._choices:
            return ()
        values = self._values_of(attributes, channel)
        out = []
        for name in self._choice_order:
            choice = self._choices[name]
            found = choose(choice["branches"], values)
            if found is None:
                attribute = choice["attribute"]
                listed = [v for b in choice["branches"] for c in b["when"] for v in c[2]]
                raise ValueError(
                    f"calendar `{name}` is chosen by {attribute}: {describe([attribute], values)} "
                    f"matches none of {_names(listed)} and the choice has no `otherwise`")
            out.append(found)
        return tuple(out)

    def _chosen_plan(self, plan: object, attributes: Mapping[str, Any] | None, channel: object) -> object:
        """The ticket's plan: the one it names, else the first plan whose conditions match."""
        if plan is not None or not self._plan_choice:
            return plan
        values = self._values_of(attributes, channel)
        found = choose(self._plan_choice, values)
        if found is None:
            used = sorted({c[0] for b in self._plan_choice for c in b["when"]})
            raise ValueError(f"no plan's conditions match the ticket ({describe(used, values)}) "
                             "and no plan says `otherwise`")
        return found

    def _lookup(self, metric: str, priority: str | None, plan: str | None, addons: Addons,
                channel: str | None, chosen: Chosen = ()) -> _Resolved | None:
        """The governing target, or None when no level has one for this metric and priority."""
        hit: _Resolved | Literal[False] | None
        key: tuple[object, ...] | None
        try:
            if addons.__class__ is not tuple:
                addons = (addons,) if isinstance(addons, str) else tuple(addons)
            key = (metric, priority, plan, addons, channel, chosen)
            hit = self._lookups.get(key, False)
        except TypeError:  # an unhashable argument: no caching, the checks below explain it
            key, hit = None, False
        if hit is not False:
            return hit
        if metric not in METRICS:
            raise ValueError(f"unknown metric `{metric}`: metrics are {_names(METRICS)}")
        plan_name = self._plan_name(plan)
        addon_names = self._addon_names(addons, plan_name)
        priority = self._priority(priority, channel)
        levels: list[tuple[str | None, tuple[TargetSpec, ...]]] = []
        if channel is not None:
            levels.append((None, self.spec["channels"][channel]["targets"]))
        levels += [(None, self.spec["addons"][a]["targets"]) for a in addon_names]
        if plan_name is not None:
            levels.append((plan_name, self.spec["plans"][plan_name]["targets"]))
        levels.append((None, self.spec["targets"]))
        governing = proportion = proportion_plan = None
        for level_plan, level in levels:
            for target in level:
                if target["metric"] != metric or target["priority"] not in (priority, None):
                    continue
                if target["proportion"] is None:
                    governing = governing or target
                elif proportion is None:
                    proportion, proportion_plan = target, level_plan
            if governing is not None:
                break
        if governing is None:
            governing = proportion
        if governing is None:
            resolved = None
        else:
            name, calendar = self._target_calendar(governing, plan_name, chosen)
            p_name = p_cal = None
            if proportion is not None:
                p_name, p_cal = self._target_calendar(proportion, plan_name, chosen)
            resolved = _Resolved(governing, name, calendar, proportion, p_cal, p_name,
                                 proportion_plan)
        if key is not None:
            self._lookups[key] = resolved
        return resolved

    def _target_calendar(self, target: TargetSpec, plan_name: str | None,
                         chosen: Chosen = ()) -> tuple[str, Calendar]:
        name = target["calendar"]
        if name is None and plan_name is not None:
            name = self.spec["plans"][plan_name]["hours"]
        if name is None:
            raise ValueError(
                f"the {target['metric']} target `{target['text']}` ({target['origin']}) counts in "
                f"the plan's hours: give a plan with hours ({_names(self.spec['plans'])})"
            )
        if name in self._choices:  # chosen by a ticket attribute: the ticket's choice
            if len(chosen) != len(self._choice_order):
                raise ValueError(f"calendar `{name}` is chosen by the ticket's "
                                 f"{self._choices[name]['attribute']}: give `attributes`")
            name = chosen[self._choice_order.index(name)]
        return name, self.calendar(name)

    def _require(self, metric: str, priority: str | None, plan: str | None, addons: Addons,
                 channel: str | None, chosen: Chosen = ()) -> _Resolved:
        resolved = self._lookup(metric, priority, plan, addons, channel, chosen)
        if resolved is None:
            where = f"plan `{plan}`" if plan is not None else "the contract level"
            if plan is None and len(self.spec["plans"]) > 1:
                where += f" (plans are {_names(self.spec['plans'])})"
            shown = self._priority(priority, channel)
            raise ValueError(
                f"no {metric} target for priority `{shown}` under {where}: "
                f"the contract's metrics are {_names(self.spec['metrics'])}"
            )
        return resolved

    # -- due instants ----------------------------------------------------------------------------

    def due(self, metric: str, priority: str | None, opened_at: datetime, *, plan: str | None = None,
            addons: Addons = (), channel: str | None = None, pauses: Pauses = (),
            attributes: Mapping[str, Any] | None = None) -> datetime:
        """The instant the target for this metric and priority falls due (aware, calendar zone);
        `attributes` (`{"location": "Germany"}`) choose calendars and plans where the contract
        chooses them by ticket attributes."""
        chosen: Chosen = ()
        if self._choices or self._plan_choice:
            plan = self._chosen_plan(plan, attributes, channel)  # type: ignore[assignment]
            chosen = self._chosen(attributes, channel)
        resolved = self._lookup(metric, priority, plan, addons, channel, chosen)
        if resolved is None:
            resolved = self._require(metric, priority, plan, addons, channel, chosen)
        if opened_at.__class__ is not datetime or opened_at.tzinfo is None:
            _aware(opened_at, "opened_at")
        return self._due(resolved.calendar, resolved.delta, resolved.days, opened_at, pauses)

    @staticmethod
    def _due(calendar: Calendar, delta: timedelta | None, days: int | None, opened_at: datetime,
             pauses: Pauses) -> datetime:
        if delta is not None:
            return calendar.add(opened_at, delta, pauses) if pauses else calendar.add(opened_at, delta)
        assert days is not None  # exactly one of seconds / business_days is set (spec.TargetSpec)
        due = calendar.add_business_days(opened_at, days)
        if not pauses:
            return due
        # Business days, then pauses: the due instant moves later by the business time the
        # pauses hold before it; `add` with the same pauses also counts any pause met on the way.
        lost = calendar.elapsed(opened_at, due) - calendar.elapsed(opened_at, due, pauses)
        if lost <= timedelta(0):
            return due
        return calendar.add(due, lost, pauses)

    def restored_calendar(self, resolved: _Resolved, restored: datetime | None) -> Restored | None:
        """The clock of a target whose hours change at the restoration (`until restored then
        CAL`) for a ticket restored at `restored`; None when its hours do not change."""
        after = resolved.target["until_restored"]
        if after is None or restored is None:
            return None
        return Restored(resolved.calendar, self.calendar(after), seconds_of(restored))

    def _cadence_result(self, resolved: _Resolved, opened: datetime, events: dict[str, Any],
                        now: datetime, pauses: Pauses, switched: Restored | None = None) -> Result:
        """`update every N`: `cadence_verdict` on whole seconds, as plain data."""
        calendar, target = switched or resolved.calendar, resolved.target
        resolution, responded = events["resolved_at"], events["first_response_at"]
        found = cadence_verdict(
            calendar, target["seconds"], target["business_days"], seconds_of(opened),
            [seconds_of(u) for u in events["updates"]],
            None if resolution is None else seconds_of(resolution), seconds_of(now),
            [(seconds_of(a), seconds_of(b)) for a, b in pauses],
            None if responded is None else seconds_of(responded), target["after_response"])
        due, status, code, event, used, left = found
        zone = calendar.zone
        return {
            "metric": "update", "target": target["text"], "calendar": resolved.calendar_name,
            "due": datetime.fromtimestamp(due, zone), "status": status,
            "event_at": None if event is None else datetime.fromtimestamp(event, zone),
            "reason": reason_text(code, "update"), "used": timedelta(seconds=used),
            "left": None if left is None else timedelta(seconds=left),
            "best_effort": target["best_effort"], "negotiable": target["negotiable"],
            "source_line": target["source_line"],
        }

    def target(self, metric: str, priority: str | None, *, plan: str | None = None, addons: Addons = (),
               channel: str | None = None, attributes: Mapping[str, Any] | None = None) -> Result:
        """The governing target for this metric and priority, as plain data."""
        chosen: Chosen = ()
        if self._choices or self._plan_choice:
            plan = self._chosen_plan(plan, attributes, channel)  # type: ignore[assignment]
            chosen = self._chosen(attributes, channel)
        resolved = self._require(metric, priority, plan, addons, channel, chosen)
        target = resolved.target
        return {
            "metric": target["metric"],
            "priority": self._priority(priority, channel) if target["priority"] is None else target["priority"],
            "seconds": target["seconds"],
            "business_days": target["business_days"],
            "text": target["text"],
            "calendar": resolved.calendar_name,
            "best_effort": target["best_effort"],
            "negotiable": target["negotiable"],
            "low_text": target["low_text"],
            "every": target["every"],
            "after_response": target["after_response"],
            "until_restored": target["until_restored"],
            "start": target["start"],
            "source_line": target["source_line"],
            "origin": target["origin"],
        }

    def proportion_target(self, metric: str, priority: str | None, *, plan: str | None = None,
                          addons: Addons = (), channel: str | None = None,
                          attributes: Mapping[str, Any] | None = None) -> Result | None:
        """The proportion target ("2h for 85% per month") `evaluate_ticket` judges this metric of
        such a ticket against, as plain data, or None."""
        chosen: Chosen = ()
        if self._choices or self._plan_choice:
            plan = self._chosen_plan(plan, attributes, channel)  # type: ignore[assignment]
            chosen = self._chosen(attributes, channel)
        resolved = self._lookup(metric, priority, plan, addons, channel, chosen)
        if resolved is None or resolved.proportion is None:
            return None
        share = resolved.proportion
        return {
            "metric": share["metric"], "seconds": share["seconds"],
            "business_days": share["business_days"], "text": share["text"],
            "calendar": resolved.proportion_calendar_name, "written_calendar": share["calendar"],
            "percent": share["proportion"], "period": share["proportion_period"],
            "plan": resolved.proportion_plan, "origin": share["origin"],
            "source_line": share["source_line"],
        }

    # -- tickets -------------------------------------------------------------------------------

    def evaluate_ticket(self, ticket: Mapping[str, Any]) -> Result:
        """Verdicts for every metric the ticket's plan/priority has a per-ticket target for."""
        return self._judge(ticket)[0]

    def _judge(self, ticket: Mapping[str, Any]) -> tuple[Result, TicketClocks | None]:
        """`evaluate_ticket`'s verdicts, and the clocks behind them for the live view (None when
        no version of the contract is in effect)."""
        if not hasattr(ticket, "get") or not hasattr(ticket, "keys"):
            raise ValueError("a ticket must be a mapping with at least `priority` and `opened_at`")
        unknown = sorted(str(k) for k in ticket.keys() if k not in TICKET_FIELDS and k not in self.ATTRIBUTES)
        if unknown:
            raise ValueError(f"unknown ticket field(s) {_names(unknown)}: fields are "
                             f"{_names(TICKET_FIELDS + self.ATTRIBUTES)}")
        if "opened_at" not in ticket:
            raise ValueError("the ticket has no `opened_at`")
        opened = _aware(ticket["opened_at"], "opened_at")
        now = ticket.get("now")
        now = datetime.now(_UTC) if now is None else _aware(now, "now")
        clocks: dict[str, tuple[Cycle, ...]] | None = None  # None: the data carries no statuses
        stopped_under: dict[str, Any] = {}  # metric -> the priority its clock stopped under
        original = ticket.get("priority")  # None in stopped_under: this one
        since: dict[str | None, int] = {}
        if "events" in ticket:
            ticket, found = self._from_events(ticket, opened, now)
            clocks, stopped_under = found.clocks, found.priorities
            since.update(found.own_paused_since.items())
            if found.paused_since is not None:
                since[None] = found.paused_since
        plan, channel = ticket.get("plan"), ticket.get("channel")
        addons = ticket.get("addons") or ()
        pauses = tuple(ticket.get("pauses") or ())
        for pause in pauses:
            try:
                p0, p1 = pause
            except (TypeError, ValueError):
                raise ValueError("each pause must be a (from, to) pair of aware datetimes") from None
            _aware(p0, "pause start")
            _aware(p1, "pause end")
            if _after(p0, p1):
                raise ValueError(f"a pause ends before it starts: {p0.isoformat()} .. {p1.isoformat()}")
        priority = self._priority(ticket.get("priority"), channel)
        chosen: Chosen = ()
        if self._choices or self._plan_choice:  # docs/semantics.md "chosen by ticket attributes"
            plan = self._chosen_plan(plan, ticket, channel)
            chosen = self._chosen(ticket, channel)
        plan_name = self._plan_name(plan)
        opened_s = seconds_of(opened)
        if not self.in_effect(opened_s):  # decided by the opening: docs/semantics.md "Versions"
            return {"id": ticket.get("id"), "priority": priority, "plan": plan_name, "results": [],
                    "reason": not_in_effect_reason(opened_s, [self.CONTRACT])}, None
        events: dict[str, Any] = {}
        if "updates" in ticket:  # the data carries update events
            updates = sorted(ticket["updates"] or (), key=lambda u: seconds_of(_aware(u, "update")))
            if updates and seconds_of(updates[0]) < opened_s:
                raise ValueError(f"update {updates[0].isoformat()} is before opened_at {opened.isoformat()}")
            events["updates"] = updates
            events["first_update_at"] = updates[0] if updates else None
        for field in ("first_response_at", "resolved_at", "restored_at", *START_FIELDS.values()):
            event = ticket.get(field)
            if event is not None:
                _aware(event, field)
                if seconds_of(event) < opened_s and field != "contact_at":
                    raise ValueError(f"{field} {event.isoformat()} is before opened_at {opened.isoformat()}")
            events[field] = event
        results = []
        own_clocks = dict(clocks or {})  # each metric's clock as judged, for the live view
        for metric in METRICS:
            own = priority
            if metric in stopped_under:
                own = self._priority(stopped_under[metric] or original, channel)
            resolved = self._lookup(metric, own, plan, addons, channel, chosen)
            if resolved is None:
                continue
            cycles = None if clocks is None else clocks.get(metric)
            cadence = resolved.target["every"] and "updates" in events
            held = pauses if cycles is None else tuple(
                (datetime.fromtimestamp(a, _UTC), datetime.fromtimestamp(b, _UTC))
                for a, b in cycles[0][2])
            # A coverage change at the restoration: the epoch rules on a `Restored` clock.
            switched = self.restored_calendar(resolved, events["restored_at"])
            start = resolved.target["start"]
            begin = None if start is None else events[START_FIELDS[start]]
            if begin is not None:  # a clock that starts at an event (its cycles from it)
                cycles = started_cycles(cycles or ((opened_s, None, tuple(
                    (seconds_of(a), seconds_of(b)) for a, b in held)),), opened_s, seconds_of(begin))
                own_clocks[metric] = cycles
            if not cadence and (cycles is not None or switched is not None):
                # its own start, pauses or cycles, or hours that change
                run: tuple[Cycle, ...] = cycles or ((opened_s, None, tuple(
                    (seconds_of(a), seconds_of(b)) for a, b in held)),)
                result = self._cycles_result(resolved, metric, run, events, now, switched)
            elif cadence and switched is not None:
                result = self._cadence_result(resolved, opened, events, now, held, switched)
            else:
                result = self._verdict(resolved, metric, opened, events, now, held)
            missing = None
            if clocks is None and metric in self.spec["clock"]["metric_pause_statuses"]:
                # Decision 3: the contract pauses this clock on statuses flat data cannot carry.
                missing = "no_statuses"
            elif start is not None and begin is None:  # its starting event is not in the data
                missing = START_REASONS[start]
            if missing is not None:
                result.update(status="not judged", reason=reason_text(missing, metric), left=None)
                if "proportion" in result:
                    result["proportion"]["met_by_ticket"] = None
            results.append(result)
        answer = {"id": ticket.get("id"), "priority": priority, "plan": plan_name, "results": results}
        held_s = tuple((seconds_of(a), seconds_of(b)) for a, b in pauses)
        return answer, TicketClocks(opened_s, held_s, own_clocks, since, events)

    def _from_events(self, ticket: Mapping[str, Any], opened: datetime, now: datetime
                     ) -> tuple[dict[str, Any], Timeline]:
        """The ticket with its timeline fields taken from `events` (runtime/clock_rules.py, the
        contract's clock rules), and the timeline (its per-metric clocks); whole seconds."""
        given = [f for f in TIMELINE_FIELDS if ticket.get(f)]
        if given:
            raise ValueError(f"the ticket has `events` and {_names(given)}: with events the "
                             "timeline comes from them; leave those fields out")
        opened_s, rows = seconds_of(opened), []
        for event in ticket["events"] or ():
            try:
                at, kind, value = event
            except (TypeError, ValueError):
                raise ValueError("each event must be an (at, kind, value) triple") from None
            if kind not in EVENT_KINDS:
                raise ValueError(f"unknown event `{kind}`: events are {_names(EVENT_KINDS)}")
            at_s = seconds_of(_aware(at, f"the `{kind}` event's instant"))
            if at_s < opened_s and kind not in BEFORE_OPENING:
                raise ValueError(f"`{kind}` at {at.isoformat()} is before opened_at {opened.isoformat()}")
            rows.append((at_s, kind, value))
        rows.sort(key=lambda row: row[0])  # stable: list order among equal instants
        found = timeline(self.spec["clock"], opened_s, rows, seconds_of(now),
                         priority=ticket.get("priority"))

        def instant(value: int | None) -> datetime | None:
            return None if value is None else datetime.fromtimestamp(value, _UTC)

        flat = {k: v for k, v in ticket.items() if k != "events"}
        flat.update(first_response_at=instant(found.responded), resolved_at=instant(found.resolved),
                    restored_at=instant(found.restored),
                    **{START_FIELDS[kind]: instant(at) for kind, at in found.starts.items()},
                    updates=[instant(u) for u in found.updates],
                    pauses=[(instant(a), instant(b)) for a, b in found.pauses])
        if found.priority is not None:
            flat["priority"] = found.priority
        return flat, found

    def _cycles_result(self, resolved: _Resolved, metric: str, cycles: tuple[Cycle, ...],
                       events: dict[str, Any], now: datetime,
                       switched: Restored | None = None) -> Result:
        """A clock of several cycles (`reopen restarts`), or of hours that change at the
        restoration (`switched`): `cycles_verdict`, as plain data."""
        calendar, target = switched or resolved.calendar, resolved.target
        field = EVENT_FIELDS.get(metric)
        event = events.get(field) if field else None
        resolution = events["resolved_at"]
        stop, why = stop_event(metric, None if event is None else seconds_of(event),
                               None if resolution is None else seconds_of(resolution))
        due, status, code, at, used, left = cycles_verdict(
            calendar, target["seconds"], target["business_days"], cycles, stop, seconds_of(now),
            field in events)
        zone = calendar.zone
        result = {
            "metric": metric, "target": target["text"], "calendar": resolved.calendar_name,
            "due": datetime.fromtimestamp(due, zone), "status": status,
            "event_at": None if at is None else datetime.fromtimestamp(at, zone),
            "reason": reason_text(code or (why if at == stop else None), metric),
            "used": timedelta(seconds=used), "left": None if left is None else timedelta(seconds=left),
            "best_effort": target["best_effort"], "negotiable": target["negotiable"],
            "source_line": target["source_line"],
        }
        share = resolved.proportion
        if share is not None:
            assert resolved.proportion_calendar is not None  # set with the proportion target
            p_status = cycles_verdict(resolved.proportion_calendar, share["seconds"],
                                      share["business_days"], cycles, stop, seconds_of(now),
                                      field in events)[1]
            result["proportion"] = {"percent": share["proportion"], "within": share["text"],
                                    "met_by_ticket": {"met": True, "breached": False}.get(p_status)}
        return result

    def live(self, ticket: Mapping[str, Any]) -> Result:
        """Each metric's clock at `now`, as a helpdesk sidebar shows it: running, paused or
        stopped, the next due instant and the business time left (negative once overdue).
        docs/semantics.md "Live view"; the verdicts are `evaluate_ticket`'s."""
        from sladsl.runtime.live import live_clocks

        return live_clocks(self, ticket)

    def _verdict(self, resolved: _Resolved, metric: str, opened: datetime,
                 events: dict[str, Any], now: datetime, pauses: Pauses) -> Result:
        """One metric's verdict; every instant is read at whole seconds (docs/semantics.md)."""
        calendar, target = resolved.calendar, resolved.target
        if target["every"] and "updates" in events:
            return self._cadence_result(resolved, opened, events, now, pauses)
        due = self._due(calendar, resolved.delta, resolved.days, opened, pauses)
        field = EVENT_FIELDS.get(metric)
        event = events.get(field) if field else None
        resolution = events["resolved_at"]
        event_s = None if event is None else seconds_of(event)
        stop_s, why = stop_event(metric, event_s, None if resolution is None else seconds_of(resolution))
        stop = resolution if why == "resolved" else event
        now_s = seconds_of(now)
        status, code = judged_status(seconds_of(due), stop_s, now_s, seconds_of(opened),
                                     field in events)
        until = stop if stop is not None else now
        used = calendar.elapsed(opened, until, pauses)
        left = calendar.elapsed(now, due, pauses) if status == "pending" else None
        result = {
            "metric": metric,
            "target": target["text"],
            "calendar": resolved.calendar_name,
            "due": due,
            "event_at": None if stop is None else stop.replace(microsecond=0),  # read at seconds
            "status": status,
            "reason": reason_text(code or why, metric),
            "used": used,
            "left": left,
            "best_effort": target["best_effort"],
            "negotiable": target["negotiable"],
            "source_line": target["source_line"],
        }
        share = resolved.proportion
        if share is not None:
            p_cal = resolved.proportion_calendar
            assert p_cal is not None  # set with the proportion target
            p_delta = timedelta(seconds=share["seconds"]) if share["seconds"] is not None else None
            p_due = self._due(p_cal, p_delta, share["business_days"], opened, pauses)
            p_status = status if status == "not judged" else verdict_status(seconds_of(p_due), stop_s, now_s)
            within = {"met": True, "breached": False}.get(p_status)
            result["proportion"] = {"percent": share["proportion"], "within": share["text"],
                                    "met_by_ticket": within}
        return result

    # -- escalation ------------------------------------------------------------------------------

    def penalties(self, tickets: Iterable[Mapping[str, Any]]) -> list[Result]:
        """The contract's penalties on ticket breaches over `tickets` (docs/semantics.md
        "Penalties on ticket breaches"): per penalty, each period's breached verdicts (pending and
        not judged ones are counted beside them, never as breaches) and the amount owed."""
        from sladsl.runtime.penalties import PenaltyTally

        tally = PenaltyTally(self.spec["penalties"])
        for ticket in tickets:
            answer = self.evaluate_ticket(ticket)
            opened = _micros(_aware(ticket["opened_at"], "opened_at")) // 1_000_000 * 1_000_000
            for result in answer["results"]:
                tally.add(opened, answer["priority"], result["metric"], result["status"])
        return tally.report()

    def escalation(self, plan: str | None, elapsed: timedelta | None = None, *,
                   opened_at: datetime | None = None, now: datetime | None = None) -> Result | None:
        """The escalation step for `elapsed` time (or the time from `opened_at` to `now`)."""
        plan_name = self._plan_name(plan)
        ladder = None
        if plan_name is not None:
            ladder = self.spec["plans"][plan_name]["escalation"]
        ladder = ladder or self.spec["escalation"]
        if elapsed is None:
            if opened_at is None:
                raise ValueError("give `elapsed` (a timedelta) or `opened_at` (and optionally `now`)")
            opened_at = _aware(opened_at, "opened_at")
            now = datetime.now(_UTC) if now is None else _aware(now, "now")
            if ladder is None:
                return None
            if ladder["calendar"] is not None:
                elapsed = self.calendar(ladder["calendar"]).elapsed(opened_at, now)
            else:
                elapsed = timedelta(seconds=max(0, now.timestamp() - opened_at.timestamp()))
        elif opened_at is not None or now is not None:
            raise ValueError("give either `elapsed` or `opened_at`/`now`, not both")
        if not isinstance(elapsed, timedelta):
            raise ValueError(f"elapsed must be a timedelta, not {type(elapsed).__name__}")
        if elapsed < timedelta(0):
            raise ValueError(f"elapsed must not be negative, got {elapsed}")
        if ladder is None:
            return None
        seconds = elapsed.total_seconds()
        steps = ladder["steps"]
        chosen = None
        for step in steps:
            if step["start"] <= seconds and (step["end"] is None or seconds < step["end"]):
                chosen = step
                break
        if chosen is None and steps and seconds >= steps[-1]["start"]:
            chosen = steps[-1]  # past a bounded last step: stay on the last step
        if chosen is None:
            return None
        return {
            "role": chosen["role"],
            "contact": chosen["contact"],
            "remark": chosen["remark"],
            "when": chosen["when"],
            "start": timedelta(seconds=chosen["start"]),
            "end": None if chosen["end"] is None else timedelta(seconds=chosen["end"]),
            "source_line": chosen["source_line"],
        }

    # -- availability ----------------------------------------------------------------------------
    #
    # A service is judged per its own period (`per month`: calendar months in its zone). Caps and
    # maintenance allowances are counted over their own periods from the start of those periods,
    # so outages and maintenance given from before the judged period use them up (docs/semantics.md
    # "Caps and allowances over their own period"); `counted_from` in the answer says from when.

    def availability(self, service: str, period: str | Interval, outages: Iterable[Any],
                     excluded: Iterable[Any] = (), *, maintenance: Iterable[Any] = (),
                     billing: str = "monthly", now: datetime | None = None,
                     claims: Iterable[Any] = (), activated: Any = None,
                     lifespans: Mapping[str | None, Any] | None = None, hourly_rate: Any = None,
                     devices: Any = None) -> Result:
        """Downtime, exact uptime and the credits owed for one service over one of its periods.

        `period` names one period of the service's kind (`2026-05` for `per month`, `2026-W10`
        for `per week`; for `per rolling N days` the date the window ends with, or the claim
        date of `before claim`) or is an aware (start, end) window judged as one; use
        `availability_periods` for a longer period. A rolling window also takes the dates of
        earlier successful `claims` (their windows' downtime is not counted again) and the day
        the service was `activated` (days before it count as available). A calendar period
        also takes `activated` and `lifespans` ({scope or None: (created, deleted)}): the part
        of the period the service (or the scope's resource) existed in is judged, its credits
        per the contract's `partial periods` (docs/semantics.md "Partial periods"). `hourly_rate`
        ("USD 120") and `devices` (200) are what credit formulas leave to be given when judging."""
        from sladsl.runtime import availability as av

        entry, zone = self._service_entry(service, billing)
        terms = {"hourly_rate": hourly_rate, "devices": devices}
        if entry["period"] == "rolling":
            if lifespans:
                raise ValueError(f"`{service}` is measured over a rolling window: lifespans apply to "
                                 "calendar and billing periods")
            return self._rolling(service, entry, zone, period, outages, excluded, maintenance, billing,
                                 now, claims, activated, av, terms)
        found = _posting_claims(service, entry, claims)
        if entry["billing"]:
            return self._billing(service, entry, zone, period, outages, excluded, maintenance, billing,
                                 now, activated, av, lifespans, terms, found)
        bounds = self._period(period, zone, av, entry["first_month"])
        if isinstance(period, str) and av.period_kind(period) != entry["period"]:
            raise ValueError(
                f"`{period}` is a {av.period_kind(period)} but `{service}` is measured per "
                f"{entry['period']}: ask availability_periods() for one verdict per {entry['period']}")
        spans = _lifespans(entry, lifespans, activated, zone)
        data = self._availability_data(entry, outages, excluded, maintenance, zone, spans, terms)._replace(claims=found)
        return self._judged_scopes(service, entry, bounds, data, billing, zone, av, _now(now))

    def availability_periods(self, service: str, period: str | Interval, outages: Iterable[Any],
                             excluded: Iterable[Any] = (), *, maintenance: Iterable[Any] = (),
                             billing: str = "monthly", now: datetime | None = None,
                             claims: Iterable[Any] = (), activated: Any = None,
                             lifespans: Mapping[str | None, Any] | None = None, hourly_rate: Any = None,
                             devices: Any = None) -> Result:
        """One `availability` answer per period of the service inside `period` (2026-Q1 of a
        `per month` service: January, February, March), and their total.

        A period that is not made of whole service periods (a month of a `per week` service, a
        month of a `per quarter` one) is refused: it has no verdict of its own. A rolling window
        is one period: the window ending with (or before) the date given."""
        from sladsl.runtime import availability as av

        entry, zone = self._service_entry(service, billing)
        if entry["period"] == "rolling" or entry["billing"]:
            answer = self.availability(service, period, outages, excluded, maintenance=maintenance,
                                       billing=billing, now=now, claims=claims, activated=activated,
                                       lifespans=lifespans, hourly_rate=hourly_rate, devices=devices)
            return {"service": service, "periods": [answer],
                    "total": _total([answer], (answer["period_start"], answer["period_end"]))}
        found = _posting_claims(service, entry, claims)
        bounds = self._period(period, zone, av, entry["first_month"])
        own = entry["period"]
        assert own is not None  # a service with a target has a period
        pieces = av.periods_overlapping(own, bounds, zone, entry["first_month"])
        if _after(bounds[0], pieces[0][0]) or _after(pieces[-1][1], bounds[1]):
            shown = period if isinstance(period, str) else f"{bounds[0].isoformat()} .. {bounds[1].isoformat()}"
            raise ValueError(f"`{shown}` is not made of whole {own}s, the periods `{service}` is "
                             f"measured in: ask for {own}s ({_PERIOD_EXAMPLE[own]}) or a period made of them")
        spans = _lifespans(entry, lifespans, activated, zone)
        data = self._availability_data(entry, outages, excluded, maintenance, zone, spans,
                                       {"hourly_rate": hourly_rate, "devices": devices})._replace(claims=found)
        # A period the service did not exist in at all has no verdict (partial periods).
        pieces = [p for p in pieces if spans is None or _active(p, spans.get(None)) is not None]
        if not pieces:
            raise ValueError(f"`{service}` was not active in `{period}`")
        answers = [self._judged_scopes(service, entry, piece, data, billing, zone, av, _now(now))
                   for piece in pieces]
        return {"service": service, "periods": answers, "total": _total(answers, bounds)}

    def _rolling(self, service: str, entry: ServiceSpec, zone: tzinfo, period: Any, outages: Iterable[Any],
                 excluded: Iterable[Any], maintenance: Iterable[Any], billing: str, now: datetime | None,
                 claims: Iterable[Any], activated: Any, av: ModuleType,
                 terms: Mapping[str, Any] | None = None) -> Result:
        """A rolling window (docs/semantics.md "Rolling windows"): the N local days ending with the
        date given (or before it, for a claim); the windows of earlier successful claims and the
        days before activation count as available."""
        days, before = entry["rolling_days"], entry["before_claim"]
        assert days is not None  # a rolling service states its length
        day = _day(period, "period")
        bounds = av.rolling_window(day, days, zone, before)
        earlier = sorted({_day(c, "claim") for c in claims})
        used = [d for d in earlier if d < day]
        cut = [av.rolling_window(d, days, zone, before) for d in used]
        start = None if activated is None else _day(activated, "activated")
        if start is not None and start > bounds[0].astimezone(zone).date():
            cut.append((bounds[0], av.rolling_window(start, 1, zone, True)[1]))
        data = self._availability_data(entry, outages, excluded, maintenance, zone, terms=terms)
        data = data._replace(excluded=data.excluded + [(a, b, None) for a, b in cut])
        answer = self._judged_scopes(service, entry, bounds, data, billing, zone, av, _now(now))
        answer["rolling"] = {"days": days, "date": day, "before_claim": before,
                             "claims_not_counted_again": used, "activated": start}
        return answer

    def _billing(self, service: str, entry: ServiceSpec, zone: tzinfo, period: Any, outages: Iterable[Any],
                 excluded: Iterable[Any], maintenance: Iterable[Any], billing: str, now: datetime | None,
                 activated: Any, av: ModuleType, lifespans: Mapping[str | None, Any] | None = None,
                 terms: Mapping[str, Any] | None = None, claims: tuple[date, ...] = ()) -> Result:
        """A billing period anchored at the activation day (docs/semantics.md "Billing periods"):
        `period` names the one starting in a month (`2026-02`) or a day it holds (`2026-02-20`)."""
        anchor = entry["activated"]
        given = None if activated is None else _day(activated, "activated")
        if anchor is not None and given is not None and given != anchor:
            raise ValueError(f"`{service}` states its activation day, {anchor.isoformat()}; "
                             f"{given.isoformat()} was given")
        anchor = anchor or given
        if anchor is None:
            raise ValueError(f"`{service}` is measured per billing {entry['period']} from activation: "
                             "give the activation day (`activated=`, `uptime --activated DATE`)")
        kind = entry["period"]
        assert kind is not None  # a service with a target has a period
        months = av.BILLING_MONTHS[kind]
        if not isinstance(period, str):
            raise ValueError(f"`{service}` is measured per billing {kind}: name the period "
                             "(`2026-02`, the one starting in February 2026) or a day it holds")
        index = av.billing_period_named(period, anchor, months)
        bounds = av.billing_period(anchor, index, months, zone)
        entry = {**entry, "activated": anchor}  # resolved for caps and claims
        spans = _lifespans(entry, lifespans, None, zone)
        data = self._availability_data(entry, outages, excluded, maintenance, zone, spans,
                                       terms)._replace(claims=claims)
        answer = self._judged_scopes(service, entry, bounds, data, billing, zone, av, _now(now))
        answer["billing"] = {"kind": kind, "activated": anchor, "number": index + 1}
        return answer

    def _service_entry(self, service: str, billing: str) -> tuple[ServiceSpec, tzinfo]:
        services = self.spec["services"]
        entry = services.get(service) if isinstance(service, str) else None
        if entry is None:
            raise ValueError(f"unknown service `{service}`: services are {_names(services)}")
        if entry["target_percent"] is None:
            raise ValueError(f"service `{service}` states no availability target")
        if billing not in BILLING:
            raise ValueError(f"unknown billing `{billing}`: use {_names(BILLING)}")
        return entry, self._zone(entry["zone"])

    def _availability_data(self, entry: ServiceSpec, outages: Iterable[Any], excluded: Iterable[Any],
                           maintenance: Iterable[Any], zone: tzinfo,
                           spans: dict[str | None, Interval] | None = None,
                           terms: Mapping[str, Any] | None = None) -> Data:
        """Outages (with impact and scope), excluded intervals and maintenance, read and validated
        once; every record is read whatever its scope. With lifespans (`spans`), an outage counts
        only while its service and scope existed (caps and allowances read earlier periods too)."""
        counting = entry["counting"]
        outages = list(outages)
        if entry["counts"] is not None:  # the service's data are counts rows, not outage records
            if tuple(excluded) or tuple(maintenance):
                raise ValueError("a service measured by counts takes no excluded intervals or maintenance")
            return Data([], [], [], lifespans=spans, counts=_counts_rows(entry, outages))
        counted = []
        for index, record in enumerate(outages):
            a, b = self._outage(record, entry["downtime_start"], zone)
            impact = _impact_of(record, counting["impact"], index)
            scope = _scope_of(record, counting, "outage", index, required=True)
            alive = _lifespan_of(spans, scope)
            for x, y in _clip([(a, b)], alive) if alive is not None else ():
                counted.append((x, y, impact, scope))
        cut = [(*self._interval(x, "excluded interval", zone), _scope_of(x, counting, "excluded interval", i))
               for i, x in enumerate(excluded)]
        works = [(*self._interval(x, "maintenance", zone), _scope_of(x, counting, "maintenance", i))
                 for i, x in enumerate(maintenance)]
        return Data(counted, cut, works, lifespans=spans,
                    terms=formulas.read_terms(self, entry, outages, zone, **(terms or {})))

    def _measured(self, entry: ServiceSpec, bounds: Interval, data: Data, zone: tzinfo,
                  av: ModuleType) -> Result:
        """Downtime and uptime of one window: the outages that count, the maintenance that counts,
        minus cuts, counted the way the service's `counting` says; a service judged `overall
        average` or `all-down` combines its scopes here (docs/semantics.md "Measurement scopes").
        `whole_to(end)` measures the same data from the window's start to the end of the service
        period holding the instant `end`: a per-outage credit reads there the part of an outage
        that runs past the window (or ends at its end: counted maintenance can touch it), its
        maintenance decided as when that period is judged."""
        measured = self._measured_window(entry, bounds, data, zone, av)

        def whole_to(end: datetime) -> Result:
            if entry["period"] == "rolling":
                end = end + timedelta(seconds=1)
            else:
                end = av.period_containing(entry["period"], end, zone, entry["first_month"])[1]
            return self._measured(entry, (bounds[0], end), data, zone, av)
        measured["whole_to"] = whole_to
        return measured

    def _measured_window(self, entry: ServiceSpec, bounds: Interval, data: Data, zone: tzinfo,
                         av: ModuleType) -> Result:
        counting = entry["counting"]
        if counting["scope"] is not None and data.scope is None:
            return self._measured_overall(entry, bounds, data, zone, av)
        if data.counts is not None:
            return _measured_counts(entry, bounds, data, zone, av)
        counted, cut, works = _in_scope(data)
        cut, works, unexcused = apply_windows(entry["maintenance_windows"], entry["maintenance"],
                                              data.maintenance, data.scope, cut, works)
        since = None
        if counting["minimum"] is not None:
            rule, seconds = counting["minimum"]
            counted = _restricted(counted, av.minimum_outages([(a, b) for a, b, _w in counted], rule, seconds))
        if works:
            more_counted, more_cut, since = self._maintenance(entry["maintenance"], works, bounds, zone, av,
                                                              entry["first_month"], entry["billing"])
            counted = counted + [(a, b, Fraction(1)) for a, b in more_counted]
            cut = cut + more_cut
        counted = counted + [(a, b, Fraction(1)) for a, b in unexcused]  # outside every used window
        plain = [(a, b) for a, b, _w in counted]

        def down_in(window: Interval) -> Any:
            if counting["impact"]:
                return av.weighted_downtime(window, counted, cut)
            if counting["interval"] is not None:
                return av.sampled_downtime(window, av.down_intervals(window, plain, cut),
                                           counting["interval"], counting["interval_threshold"])
            return av.downtime(window, plain, cut)

        return _measurement(bounds, down_in, plain, cut, since, av)

    def _measured_overall(self, entry: ServiceSpec, bounds: Interval, data: Data, zone: tzinfo,
                          av: ModuleType) -> Result:
        """`overall average`: the mean of the listed scopes' downtime; `overall all-down`: only the
        instants at which every listed scope is down count."""
        counting = entry["counting"]
        parts = [self._measured(entry, bounds, data._replace(scope=name), zone, av) for name in counting["scopes"]]
        since = min((p["since"] for p in parts if p["since"] is not None), key=lambda d: d.timestamp(), default=None)
        if counting["overall"] == "average":
            def mean_in(window: Interval) -> Any:
                return _whole(sum((Fraction(p["down_in"](window)) for p in parts), Fraction(0)) / len(parts))
            merged = av.merge_intervals([x for p in parts for x in p["merged"]])
            return _counts_of_parts(_measurement(bounds, mean_in, merged, [], since, av), parts)
        everywhere = av.intersect_intervals([av.down_intervals(bounds, p["merged"], p["cut"]) for p in parts])

        def all_down_in(window: Interval) -> Any:
            if counting["interval"] is not None:
                return av.sampled_downtime(window, _clip(everywhere, window), counting["interval"],
                                           counting["interval_threshold"])
            return av.downtime(window, everywhere)
        return _counts_of_parts(_measurement(bounds, all_down_in, everywhere, [], since, av), parts)

    def _judged_scopes(self, service: str, entry: ServiceSpec, bounds: Interval, data: Data, billing: str,
                       zone: tzinfo, av: ModuleType, now: datetime | None = None) -> Result:
        """The answer for one period, with `scopes` (one answer per scope) when the service is
        measured per scope. `overall each`: every scope is judged and credited on its own; the
        service meets its target when every scope does, and its figures are the worst scope's."""
        counting = entry["counting"]
        # Partial periods: the part of the period the service (and each scope's resource) existed in.
        spans, full = data.lifespans or {}, bounds
        active = _active(bounds, spans.get(None))
        if active is None:
            raise ValueError(f"`{service}` did not exist between {bounds[0].isoformat()} and {bounds[1].isoformat()}")
        bounds = active
        if counting["scope"] is None:
            return self._judged(service, entry, bounds, data, billing, zone, av, now, full)
        names = counting["scopes"] or tuple(sorted({s for *_x, s in data.outages if s is not None}
                                                   | {s for *_x, s in data.counts or () if s is not None}
                                                   | {s for s in spans if s is not None}))
        scopes = {}
        for name in names:
            own = _active(bounds, spans.get(name))
            if own is not None:  # a resource that did not exist in the period has no verdict in it
                scopes[name] = self._judged(service, entry, own, data._replace(scope=name), billing, zone, av,
                                            now, full)
        if counting["overall"] != "each":
            answer = self._judged(service, entry, bounds, data, billing, zone, av, now, full)
            for each in scopes.values():
                each["credits"] = []  # credits are decided on the overall figure only
            return {**answer, "scope_kind": counting["scope"], "overall": counting["overall"], "scopes": scopes}
        if not scopes:
            answer = self._judged(service, entry, bounds, data._replace(scope=""), billing, zone, av, now, full)
            return {**answer, "scope_kind": counting["scope"], "overall": "each", "scopes": {}}
        worst = min(scopes, key=lambda name: (scopes[name]["uptime"], name))
        credits = [{**credit, "scope": name} for name, each in scopes.items() for credit in each["credits"]]
        return {**scopes[worst], "met": all(each["met"] for each in scopes.values()), "credits": credits,
                "scope_kind": counting["scope"], "overall": "each", "worst_scope": worst, "scopes": scopes}

    def _judged(self, service: str, entry: ServiceSpec, bounds: Interval, data: Data, billing: str,
                zone: tzinfo, av: ModuleType, now: datetime | None = None,
                full: Interval | None = None) -> Result:
        """One window's verdict and credits; `full`: the whole period when `bounds` is the part of
        it the service existed in (a partial period, whose fee-share credits follow the contract)."""
        answer = self._judged_window(service, entry, bounds, data, billing, zone, av, now)
        if full is not None and (_after(bounds[0], full[0]) or _after(full[1], bounds[1])):
            _partial(service, answer, entry, full, av)
        return answer

    def _judged_window(self, service: str, entry: ServiceSpec, bounds: Interval, data: Data, billing: str,
                       zone: tzinfo, av: ModuleType, now: datetime | None = None) -> Result:
        measured = self._measured(entry, bounds, data, zone, av)
        target = entry["target_percent"]
        credits, since = [], [measured["since"]]
        for scheme in entry["credits"]:
            credit, first = self._credit(scheme, entry, measured, data, billing, zone, av)
            since.append(first)
            if credit is not None:
                credits.append(with_life(_with_claim(credit, scheme, entry, bounds[1], zone, av, now),
                                         scheme, entry, bounds[1], zone, data.claims, av))
        credits = chosen_credits(credits, entry.get("credit_choice"), billing, bounds, zone, av,
                                 entry["first_month"])  # sladsl/runtime/bands.py
        shown = []
        for a, b in _subtract(_clip(measured["merged"], bounds), av.merge_intervals(measured["cut"])):
            shown.append((a.astimezone(zone), b.astimezone(zone)))
        since = [s for s in since if s is not None and _after(bounds[0], s)]
        extra = {"counts": measured["counts"]} if "counts" in measured else {}
        return {
            **extra,
            "service": service,
            "period_start": bounds[0],
            "period_end": bounds[1],
            "period_seconds": measured["total"],
            "downtime_seconds": measured["down"],
            "uptime": measured["up"],
            "uptime_percent": measured["percent"],
            "target_percent": target,
            "met": measured["percent"] >= target,
            "credits": credits,
            "outages": shown,
            # Caps and allowances of longer periods read the data from here (None: the period's start).
            "counted_from": min(since, key=lambda d: d.timestamp()).astimezone(zone) if since else None,
            "error_budget": _error_budget(measured, Fraction(target or 0), now, av),
            # only a service with dated windows has the key (the SQL engines refuse those, E801)
            **({"maintenance_windows": used_windows(entry["maintenance_windows"], data.maintenance)}
               if entry["maintenance_windows"] else {}),
        }

    def _zone(self, name: str | None) -> tzinfo:
        if name is None:
            raise ValueError("the service states no availability zone")
        zone = self._zones.get(name)
        if zone is None:
            zone = self._zones[name] = parse_zone(name)
        return zone

    @staticmethod
    def _period(period: str | Interval, zone: tzinfo, av: ModuleType, first_month: int = 1) -> Interval:
        if isinstance(period, str):
            parsed: Interval = av.parse_period(period, zone, first_month)
            return parsed
        try:
            start, end = period
        except (TypeError, ValueError):
            raise ValueError(
                f"invalid period {period!r}: write `2026-05`, `2026-Q2`, `2026-W10`, `2026` or give (start, end)"
            ) from None
        _aware(start, "period start")
        _aware(end, "period end")
        if not _after(end, start):
            raise ValueError(f"the period ends before it starts: {start.isoformat()} .. {end.isoformat()}")
        return start, end

    @staticmethod
    def _interval(item: Any, what: str, zone: tzinfo) -> Interval:
        if hasattr(item, "get"):
            start, end = item.get("start"), item.get("end")
        else:
            try:
                start, end = item
            except (TypeError, ValueError):
                raise ValueError(f"each {what} must be (start, end) or a mapping with start and end") from None
        _aware(start, f"{what} start")
        _aware(end, f"{what} end")
        if _after(start, end):
            raise ValueError(f"a {what} ends before it starts: {start.isoformat()} .. {end.isoformat()}")
        return start, end

    def _outage(self, record: Any, downtime_start: tuple[str, tuple[str, ...]], zone: tzinfo) -> Interval:
        """(start, end) of an outage record, its start read the way the service's contract says."""
        start, end, _notes = self._outage_read(record, downtime_start, zone)
        return start, end

    def _outage_read(self, record: Any, downtime_start: tuple[str, tuple[str, ...]],
                     zone: tzinfo) -> tuple[datetime, datetime, list[str]]:
        """(counted start, end, notes): when an outage starts to count (docs/semantics.md
        "When an outage starts to count").

        The contract's `downtime starts at` names the instant (`earliest(report, detection)`: the
        earlier of `reported_at` and `detected_at`, among those given); with none of them given,
        the record's `start`. That instant is kept inside the record: an event before `start`
        counts from `start` (the failure had not begun), an event at or after `end` counts
        nothing (the contract starts downtime after the failure ended). Both are noted.
        """
        if not hasattr(record, "get"):
            start, end = self._interval(record, "outage", zone)
            return start, end, []
        start, end = self._interval(record, "outage", zone)
        how, events = downtime_start
        names = events if how in ("earliest", "latest") else (how,)
        found = []
        for name in names:
            value = record.get(_OUTAGE_FIELDS[name])
            if value is not None:
                found.append((_aware(value, _OUTAGE_FIELDS[name]), _OUTAGE_FIELDS[name]))
        if not found:
            return start, end, []
        pick = max if how == "latest" else min
        chosen, field = pick(found, key=lambda item: item[0].timestamp())
        if field == "start":
            return start, end, []
        if _after(start, chosen):
            return start, end, [f"{field} {chosen.isoformat()} is before start {start.isoformat()}: "
                                "the outage counts from start"]
        if not _after(end, chosen):
            return end, end, [f"{field} {chosen.isoformat()} is not before end {end.isoformat()}: "
                              f"the contract starts downtime at the {_EVENT_WORD[field]}, so this outage counts none"]
        return chosen, end, []

    def outage_notes(self, service: str, record: Any) -> list[str]:
        """Why an outage record counts differently from its own start and end (empty when it
        does not): for `uptime` to warn about inconsistent rows."""
        entry, zone = self._service_entry(service, "monthly")
        return self._outage_read(record, entry["downtime_start"], zone)[2]

    def _maintenance(self, clause: MaintenanceSpec | None, works: list[Interval], bounds: Interval,
                     zone: tzinfo, av: ModuleType,
                     first_month: int = 1,
                     own: bool = False) -> tuple[list[Interval], list[Interval], datetime | None]:
        """(counted as downtime, excluded, allowance start) for maintenance per the service clause.

        The allowance is used up in time order from the start of its own period (a quarter's
        allowance by January's maintenance before February's), so maintenance given from before
        `bounds` takes its share; the third value is the earliest allowance start."""
        if clause is None:
            return [], list(works), None  # no clause: maintenance is excluded like any exclusion
        calendar = self.calendar(clause["outside"]) if clause["outside"] else None
        counted: list[Interval] = []
        cut: list[Interval] = []
        merged = av.merge_intervals(works)
        # `own`: a billing period's allowance counts over that billing period (E421 refuses others).
        periods = [bounds] if own else av.periods_overlapping(clause["period"], bounds, zone, first_month)
        for lo, hi in periods:
            window = (lo, hi if _after(bounds[1], hi) else bounds[1])
            eligible = []
            for a, b in _clip(merged, window):
                if calendar is None:
                    eligible.append((a, b))
                    continue
                # Inside the `outside` calendar's hours maintenance is not excused: it counts.
                inside = list(calendar.windows(a, b))
                counted += inside
                eligible += _subtract([(a, b)], inside)
            allowance = clause["allowance"]
            total = sum(b.timestamp() - a.timestamp() for a, b in eligible)
            if clause["overrun"] == "all":
                (counted if total > allowance else cut).extend(eligible)
                continue
            left: float = allowance  # "excess": the first `allowance` seconds are excused, the rest counts
            for a, b in eligible:
                length = b.timestamp() - a.timestamp()
                if length <= left:
                    cut.append((a, b))
                    left -= length
                    continue
                split = a.astimezone(_UTC) + timedelta(seconds=left) if left > 0 else a
                if left > 0:
                    cut.append((a, split))
                counted.append((split, b))
                left = 0
        return counted, cut, periods[0][0]

    # -- credits: one raw amount per unit (a period, or an outage), then the caps over their periods

    def _credit(self, scheme: CreditSpec, entry: ServiceSpec, measured: Result, data: Data, billing: str,
                zone: tzinfo, av: ModuleType) -> tuple[Result | None, datetime | None]:
        """(the credit owed in the measured window or None, the earliest cap-period start)."""
        kind = scheme["kind"]
        bounds = measured["bounds"]
        caps = _caps_for(scheme, billing)
        # A billing period's caps count over that billing period alone (E421 refuses others).
        since = None if entry["billing"] else self._cap_start(caps, bounds, zone, av, entry["first_month"])
        units = []
        if since is not None:  # the earlier part of each cap's period, judged as the service would
            history = av.periods_overlapping(entry["period"], (since, bounds[0]), zone, entry["first_month"])
            for piece in _clip(history, (since, bounds[0])):
                units += _CREDIT_UNITS[kind](self, scheme, entry, {**self._measured(entry, piece, data, zone, av),
                                                                   "data": data}, billing, av)[0]
        here, base = _CREDIT_UNITS[kind](self, scheme, entry, {**measured, "data": data}, billing, av)
        if not base:
            return None, since
        unit = base.pop("unit")
        if unit == "none":  # periods counted, but no amount stated for this billing basis
            return base, None
        paid, capped = _pay(caps, units, here, zone, av, entry["first_month"], entry["billing"])
        if paid <= 0:
            return None, since
        amount = _AMOUNT_FIELD[unit]
        base[amount] = math.ceil(paid) if amount == "extension_seconds" else paid
        base["capped"] = capped
        if scheme.get("fee_scope"):  # `fee of the affected region`: shares of that scope's fee
            base["fee_scope"] = scheme.get("fee_scope")
        if unit == "days" and kind == "bands":  # days of service in money (sladsl/runtime/bands.py)
            base.update(band_worth(_paid_each(caps, units, here, zone, av, entry["first_month"]), billing,
                                   zone, av, entry["first_month"]))
        if caps:
            base["rule"] += ", at most " + " and ".join(f"{text} per {per}" for _v, per, text in caps)
            if since is not None:
                base["rule"] += f" (counted from {since.astimezone(zone).date().isoformat()})"
        return base, since

    @staticmethod
    def _cap_start(caps: list[Cap], bounds: Interval, zone: tzinfo, av: ModuleType,
                   first_month: int) -> datetime | None:
        """The earliest start of a cap period that begins before the measured window, or None."""
        starts = [av.period_containing(per, bounds[0], zone, first_month)[0] for _v, per, _t in caps]
        starts = [s for s in starts if _after(bounds[0], s)]
        return min(starts, key=lambda d: d.timestamp()) if starts else None

    def _tiered_units(self, scheme: Any, entry: ServiceSpec, measured: Result, billing: str,
                      av: ModuleType) -> Units:
        percent, target = measured["percent"], entry["target_percent"]
        assert target is not None  # _service_entry refuses a service without a target
        tiers = [(low, high, credit, below) for low, high, credit, below, _line in scheme["rows"]]
        index, credit = av.tiered_credit(percent, target, tiers, scheme["gaps"])
        if index is None or credit <= 0:
            return [], {}
        low, high, credit, below, line = scheme["rows"][index]
        base = _credit_base(scheme, "percent")
        base.update(basis=scheme["basis"], source_line=line or scheme["source_line"],
                    rule=f"uptime {_pct(percent)} is below the {_pct(target)} target; the row "
                         f"{_tier_span(low, high, below)} (gaps favour the {scheme['gaps']}) credits "
                         f"{_pct(credit)} of the {scheme['basis']} fee")
        return [(measured["bounds"][0], credit)], base

    def _per_outage_units(self, scheme: Any, entry: ServiceSpec, measured: Result, billing: str,
                          av: ModuleType) -> Units:
        """One unit per merged outage starting in the window, measured whole (also the part after
        the window): its credit periods x the amount, dated at its start (docs/semantics.md
        "Per-period credits": an outage belongs to the period in which it starts)."""
        rate = next((v for k, v, basis, _t in scheme["amounts"] if k == "percent" and basis == billing), None)
        days = next((v for k, v, basis, _t in scheme["amounts"] if k == "days"), None)
        units, periods = [], 0
        outages, cut = _whole_outages(measured)
        for a, b in outages:
            duration = av.downtime((a, b), [(a, b)], cut)
            count, _credit = av.per_period_credit([duration], grace_seconds=scheme["grace"],
                                                  period_seconds=scheme["period"],
                                                  rounding=scheme["rounding"], rate=0)
            periods += count
            if count:
                units.append((a, count * (rate if rate is not None else days if days is not None else 0)))
        if periods == 0:
            return [], {}
        return units, per_outage_base(scheme, billing, periods, rate, days)

    def _extension_units(self, scheme: Any, entry: ServiceSpec, measured: Result, billing: str,
                         av: ModuleType) -> Units:
        percent, target = measured["percent"], entry["target_percent"]
        assert target is not None  # _service_entry refuses a service without a target
        if percent >= target:
            return [], {}
        if scheme["scope"] == "excess":
            seconds = av.excess_downtime(measured["total"], measured["down"], target)
            rule = (f"uptime {_pct(percent)} is below the {_pct(target)} target: the subscription "
                    f"is extended by the downtime beyond what {_pct(target)} of the period allows")
        else:
            seconds = measured["down"]
            rule = (f"uptime {_pct(percent)} is below the {_pct(target)} target: the subscription "
                    "is extended by all the downtime")
        base = _credit_base(scheme, "seconds")
        base.update(rule=rule)
        return [(measured["bounds"][0], seconds)], base


_OUTAGE_FIELDS = {"report": "reported_at", "detection": "detected_at", "start": "start"}
_EVENT_WORD = {"reported_at": "report", "detected_at": "detection"}
_CREDIT_UNITS = {"tiered": Evaluator._tiered_units, "per_outage": Evaluator._per_outage_units,
                 "extension": Evaluator._extension_units, "bands": band_units, **formulas.CREDIT_UNITS}
_AMOUNT_FIELD = {"percent": "percent", "days": "days", "seconds": "extension_seconds", "none": "percent",
                 "money": "amount"}
_PERIOD_EXAMPLE = {"week": "`2026-W10`", "month": "`2026-05`", "quarter": "`2026-Q2`", "year": "`2026`"}


def _counts_rows(entry: ServiceSpec, records: Iterable[Any]) -> list[tuple[datetime, int, int, str | None]]:
    """Counts rows ({start, good, total[, scope]} or (start, good, total[, scope])) validated:
    whole counts, good at most total, a scope when the service is measured per scope, and no
    two rows of a scope whose intervals overlap (a duplicate included). Errors name the row."""
    counts = entry["counts"]
    assert counts is not None
    step = counts["interval"]
    rows = []
    for index, record in enumerate(records):
        if hasattr(record, "get"):
            start, good, total = record.get("start"), record.get("good"), record.get("total")
        else:
            try:
                start, good, total, *rest = record
            except (TypeError, ValueError):
                raise ValueError(f"counts row {index + 1}: give (start, good, total) or a mapping") from None
            record = {"scope": rest[0]} if rest else {}
        _aware(start, f"counts row {index + 1} start")
        for name, value in (("good", good), ("total", total)):
            if type(value) is not int or value < 0:
                raise ValueError(f"counts row {index + 1}: `{name}` must be a whole number of at least 0, "
                                 f"got {value!r}")
        if good > total:
            raise ValueError(f"counts row {index + 1}: good {good} is more than total {total}")
        rows.append((start, good, total, _scope_of(record, entry["counting"], "counts row", index,
                                                    required=True), index + 1))
    rows.sort(key=lambda r: (r[3] or "", r[0].timestamp()))
    for (a, *_x, scope_a, row_a), (b, *_y, scope_b, row_b) in zip(rows, rows[1:]):
        if scope_a == scope_b and b.timestamp() - a.timestamp() < step:
            raise ValueError(f"counts rows {row_a} and {row_b} overlap: their intervals start "
                             f"{a.isoformat()} and {b.isoformat()}, less than {step} s apart")
    return [(start, good, total, scope) for start, good, total, scope, _row in rows]


def _counts_of_parts(measured: Result, parts: list[Result]) -> Result:
    """An overall figure over scopes measured by counts carries the scopes' counts, summed."""
    counted = [p["counts"] for p in parts if "counts" in p]
    if counted:
        measured["counts"] = {**counted[0], **{key: sum(c[key] for c in counted) for key in ("rows", "good", "total")}}
    return measured


def _measured_counts(entry: ServiceSpec, bounds: Interval, data: Data, zone: tzinfo, av: ModuleType) -> Result:
    """One window's figures from counts (docs/semantics.md "Availability from counts"): the grid
    of intervals starts at the local midnight of the day the window starts on."""
    counts = entry["counts"]
    assert counts is not None and data.counts is not None
    rows = [(s, g, t) for s, g, t, scope in data.counts if scope is None or scope == data.scope]
    day = bounds[0].astimezone(zone).date()
    anchor = datetime.fromtimestamp(wall_to_epoch(zone, datetime(day.year, day.month, day.day)), zone)

    def figures(window: Interval) -> tuple[Any, list[Interval]]:
        result: tuple[Any, list[Interval]] = av.counts_downtime(
            window, rows, counts["interval"], counts["rule"], anchor=anchor, threshold=counts["threshold"],
            inclusive=counts["inclusive"], average_seconds=counts["window"])
        return result

    def down_in(window: Interval) -> Any:
        return figures(window)[0]

    measured = _measurement(bounds, down_in, figures(bounds)[1], [], None, av)
    lo, hi = bounds
    judged = [(g, t) for s, g, t in rows if not _after(lo, s) and _after(hi, s)]
    measured["counts"] = {"name": counts["name"], "rule": counts["rule"], "rows": len(judged),
                          "good": sum(g for g, _t in judged), "total": sum(t for _g, t in judged)}
    return measured


def _lifespans(entry: ServiceSpec, lifespans: Mapping[str | None, Any] | None, activated: Any,
               zone: tzinfo) -> dict[str | None, Interval] | None:
    """{scope or None: (created, deleted)} as aware (start, end), open ends filled in; the
    activation day's local midnight bounds the service's own (None) lifespan from below."""
    if not lifespans and activated is None:
        return None
    far_past, far_future = datetime(1, 1, 2, tzinfo=_UTC), datetime(9999, 12, 30, tzinfo=_UTC)
    spans: dict[str | None, Interval] = {}
    for key, value in (lifespans or {}).items():
        if key is not None and entry["counting"]["scope"] is None:
            raise ValueError(f"a lifespan for `{key}`, but the service is not measured per scope: "
                             "give the service's own lifespan (key None)")
        if key is not None and entry["counting"]["overall"] != "each":
            raise ValueError(f"lifespans of {entry['counting']['scope']}s on a service judged `overall "
                             f"{entry['counting']['overall']}`: an overall figure over resources that "
                             "existed for different parts of the period is not defined")
        try:
            created, deleted = value
        except (TypeError, ValueError):
            raise ValueError(f"the lifespan of `{key}` must be (created, deleted); None for an open end") from None
        lo = far_past if created is None else _aware(created, "created")
        hi = far_future if deleted is None else _aware(deleted, "deleted")
        if not _after(hi, lo):
            raise ValueError(f"the lifespan of `{key}` ends before it starts")
        spans[key] = (lo, hi)
    if activated is not None:
        day = _day(activated, "activated")
        start = datetime.fromtimestamp(wall_to_epoch(zone, datetime(day.year, day.month, day.day)), zone)
        lo, hi = spans.get(None, (far_past, far_future))
        spans[None] = (start if _after(start, lo) else lo, hi)
        if not _after(hi, spans[None][0]):
            raise ValueError("the service was deleted before it was activated")
    return spans


def _active(bounds: Interval, span: Interval | None) -> Interval | None:
    """The part of `bounds` inside a lifespan (None: all of it), or None when they do not meet."""
    if span is None:
        return bounds
    clipped = _clip([span], bounds)
    return clipped[0] if clipped else None


def _lifespan_of(spans: dict[str | None, Interval] | None, scope: str | None) -> Interval | None:
    """The time a record of `scope` can count in: the service's lifespan and its scope's (None:
    they do not meet)."""
    out: Interval | None = (datetime(1, 1, 2, tzinfo=_UTC), datetime(9999, 12, 30, tzinfo=_UTC))
    for key in {None, scope}:
        if spans is not None and key in spans and out is not None:
            out = _active(out, spans[key])
    return out


def _partial(service: str, answer: Result, entry: ServiceSpec, full: Interval, av: ModuleType) -> None:
    """A partial period: uptime is over the active part (already), and a credit in a share of the
    fee is a share of the fee prorated to the active part, or of the full fee, as the contract's
    `partial periods` says (docs/semantics.md "Partial periods"); days of service and extensions
    stay as they are."""
    share = Fraction(answer["period_seconds"]) / Fraction(av.period_seconds(full))
    fee = entry["partial_fee"]
    answer["partial"] = {"period_start": full[0], "period_end": full[1], "share": share, "fee": fee}
    for credit in answer["credits"]:
        if credit.get("percent") is None or credit["kind"] == "extension":
            continue
        if fee is None:
            raise ValueError(f"`{service}` existed for part of the period only and earns a credit in a share "
                             "of the fee, but the contract does not say whether that is a share of the full "
                             "or of the prorated fee (`partial periods credit prorated fee`)")
        if fee == "prorated":
            credit["percent_of_prorated_fee"] = credit["percent"]
            credit["percent"] = credit["percent"] * share
            credit["rule"] += (f"; the service existed for {_pct(100 * share)} of the period: "
                               f"{_pct(credit['percent_of_prorated_fee'])} of the prorated fee is "
                               f"{_pct(credit['percent'])} of the {credit['basis']} fee")


def _day(value: Any, what: str) -> date:
    """A local date given as a `date` or `YYYY-MM-DD`."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"invalid {what} {value!r}: give a date such as `2026-04-30`")


def _measurement(bounds: Interval, down_in: Any, merged: list[Interval], cut: list[Interval],
                 since: datetime | None, av: ModuleType) -> Result:
    """One window's figures; `down_in(window)` counts the downtime of any part of it (the error
    budget's burn rate asks for the part elapsed so far)."""
    total = av.period_seconds(bounds)
    down = down_in(bounds)
    up = av.uptime(total, down)
    return {"bounds": bounds, "total": total, "down": down, "up": up, "percent": 100 * up,
            "merged": av.merge_intervals(merged), "cut": cut, "since": since, "down_in": down_in}


def _whole_outages(measured: Result) -> tuple[list[Interval], list[Interval]]:
    """(the merged outages that start in the measured window, each whole; the cuts over them).

    An outage running past the window (or up to its end) is measured again into the periods it
    reaches (`whole_to`), with their exclusions and maintenance allowances; until no outage that
    starts in the window reaches the end of what was measured (maintenance counted in a later
    period can join it)."""
    lo, hi = measured["bounds"]
    current = measured
    while True:
        mine = [(a, b) for a, b in current["merged"] if not _after(lo, a) and _after(hi, a)]
        end = max((b for _a, b in mine), key=lambda d: d.timestamp(), default=lo)
        if _after(current["bounds"][1], end):
            return mine, current["cut"]
        current = measured["whole_to"](end)


def _in_scope(data: Data) -> tuple[list[tuple[datetime, datetime, Fraction]], list[Interval], list[Interval]]:
    """The records that apply to `data.scope`: its own, and those naming no scope (all scopes)."""
    def applies(scope: str | None) -> bool:
        return scope is None or scope == data.scope
    return ([(a, b, w) for a, b, w, s in data.outages if applies(s)],
            [(a, b) for a, b, s in data.excluded if applies(s)],
            [(a, b) for a, b, s in data.maintenance if applies(s)])


def _restricted(outages: list[tuple[datetime, datetime, Fraction]],
                windows: list[Interval]) -> list[tuple[datetime, datetime, Fraction]]:
    """The parts of weighted outages inside `windows` (the failures a minimum rule keeps)."""
    out = []
    for a, b, weight in outages:
        for x, y in _clip(windows, (a, b)):
            out.append((x, y, weight))
    return out


def _impact_of(record: Any, weighted: bool, index: int) -> Fraction:
    """The share of customers an outage affected (0..1); 1 when the contract does not weight."""
    if not weighted:
        return Fraction(1)
    value = record.get("impact") if hasattr(record, "get") else None
    if value is None:
        raise ValueError(f"outage {index + 1} has no `impact`: the contract weights downtime by impact "
                         "(give the share of customers affected, e.g. 0.25 or \"25%\")")
    try:
        if isinstance(value, str):
            text = value.strip()
            share = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
        elif isinstance(value, float):
            share = Fraction(repr(value))
        elif isinstance(value, (int, Fraction)) and not isinstance(value, bool):
            share = Fraction(value)
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"outage {index + 1}: impact {value!r} is not a share (0.25 or \"25%\")") from None
    if not 0 <= share <= 1:
        raise ValueError(f"outage {index + 1}: impact {value!r} is not between 0 and 1 (0% and 100%)")
    return share


def _scope_of(record: Any, counting: Any, what: str, index: int, required: bool = False) -> str | None:
    """The scope a record names (None: every scope); outages must name one when the contract
    measures per scope, and a listed scope when it lists them."""
    if counting["scope"] is None:
        return None
    value = record.get("scope") if hasattr(record, "get") else None
    if value is None or value == "":
        if required:
            raise ValueError(f"{what} {index + 1} has no `scope`: the contract measures per "
                             f"{counting['scope']} (give the {counting['scope']} it affected)")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} {index + 1}: scope {value!r} is not a name")
    if counting["scopes"] and value not in counting["scopes"]:
        raise ValueError(f"{what} {index + 1}: unknown {counting['scope']} `{value}`; the contract lists "
                         + ", ".join(f"`{n}`" for n in counting["scopes"]))
    return value


def _with_claim(credit: Result, scheme: CreditSpec, entry: ServiceSpec, period_end: datetime,
                zone: tzinfo, av: ModuleType, now: datetime | None) -> Result:
    """The credit with the last day it can be claimed (`claim_by`) when the contract says, and,
    given `now`, whether that day is still to come (`claim_open`)."""
    window = scheme.get("claim_within")
    if window is None:
        return credit
    count, unit = window
    if entry["billing"] and unit == "cycle":  # the end of the count-th billing period after it
        anchor, months = entry["activated"], av.BILLING_MONTHS[entry["period"]]
        assert anchor is not None  # `_billing` resolved it
        after = av.billing_index(anchor, period_end.astimezone(zone).date(), months) + count
        credit["claim_by"] = av.billing_start(anchor, after, months) - timedelta(days=1)
    else:
        credit["claim_by"] = av.claim_deadline(period_end, zone, count, unit, entry["period"],
                                               entry["first_month"])
    if unit == "day":
        credit["claim_rule"] = f"{count} day{'s' if count != 1 else ''} after the period ends"
    else:
        cycles = f"{count} billing cycle{'s' if count != 1 else ''}"
        credit["claim_rule"] = f"by the end of {cycles} ({entry['period']}s) after the period"
    if now is not None:
        credit["claim_open"] = now.astimezone(zone).date() <= credit["claim_by"]
    return credit


def _posting_claims(service: str, entry: ServiceSpec, claims: Iterable[Any]) -> tuple[date, ...]:
    """Claim dates given for a service measured per calendar or billing period: they say when its
    credits are posted (`post ...`); claims with no posting rule mean nothing here."""
    found = claim_days(claims)
    if found and not takes_claims(entry):
        raise ValueError(f"`{service}` is measured per {entry['period']}: claims apply to rolling "
                         "windows (`per rolling 365 days before claim`), and to credits that say when "
                         "they are posted (`post ...`)")
    return found


def _now(now: datetime | None) -> datetime | None:
    return None if now is None else _aware(now, "now")


def _error_budget(measured: Result, target: Fraction, now: datetime | None, av: ModuleType) -> Result:
    """The downtime the target allows in the period, how much is used and left, and with `now`
    the burn rate so far: the share of the budget used over the share of the period elapsed
    (1 spends the budget exactly by the period's end; docs/semantics.md "Error budget")."""
    lo, hi = measured["bounds"]
    allowed = Fraction(measured["total"]) * (100 - Fraction(target)) / 100
    used = Fraction(measured["down"])
    budget: Result = {"allowed_seconds": _whole(allowed), "used_seconds": _whole(used),
                      "left_seconds": _whole(allowed - used),
                      "used_percent": 100 * used / allowed if allowed else None,
                      "now": None, "used_so_far_seconds": None, "elapsed_percent": None, "burn_rate": None}
    if now is None:
        return budget
    if _after(lo, now):
        raise ValueError(f"now {now.isoformat()} is before the period starts ({lo.isoformat()})")
    until = hi if _after(now, hi) else now
    elapsed = Fraction(av.period_seconds((lo, until))) if _after(until, lo) else Fraction(0)
    so_far = Fraction(measured["down_in"]((lo, until))) if elapsed else Fraction(0)
    share = elapsed / Fraction(measured["total"])
    budget.update(now=now, used_so_far_seconds=_whole(so_far), elapsed_percent=100 * share,
                  burn_rate=(so_far / allowed) / share if allowed and share else None)
    return budget


def per_outage_base(scheme: Any, billing: str, periods: int, rate: Any, days: Any) -> Result:
    """A per-outage credit's answer before the amount: its unit, billing basis, periods and the
    rule that explains it (the SQL engine builds its answer with the same words)."""
    rule = (f"each outage longer than {_clock(scheme['grace'])} earns one credit per "
            f"{scheme['rounding']} {_clock(scheme['period'])} beyond it: {periods} period(s)")
    if rate is not None:
        base = _credit_base(scheme, "percent")
        base.update(basis=billing, rule=rule + f" x {_pct(rate)} of the {billing} fee")
    elif days is not None:
        base = _credit_base(scheme, "days")
        base.update(rule=rule + f" x {days} day(s) of service")
    else:
        base = _credit_base(scheme, "none")
        base.update(rule=rule)
    base.update(periods=periods)
    return base


def _credit_base(scheme: Any, unit: str) -> Result:
    return {"kind": scheme["kind"], "percent": None, "basis": None, "days": None,
            "extension_seconds": None, "periods": None, "capped": False, "rule": "",
            "source_line": scheme["source_line"], "unit": unit}


def _caps_for(scheme: Any, billing: str) -> list[Cap]:
    """(limit, per, text) of the caps that bound this credit: the billing basis's share of the fee
    for percentages (a table's own basis), days of service (as seconds for an extension)."""
    caps = scheme.get("caps", ())
    if scheme["kind"] == "tiered":
        return [(v, per, t) for v, basis, per, t in caps if basis == scheme["basis"]]
    if scheme["kind"] == "extension":
        return [(v * 86400, per, t) for v, basis, per, t in caps if basis is None]
    if scheme["kind"] == "bands":  # the checker keeps only caps in the bands' own unit (E406)
        return [(v, per, t) for v, _basis, per, t in caps]
    if scheme["kind"] in formulas.FORMULA_KINDS:  # checked to be in the credit's own unit
        return [(v, per, t) for v, _basis, per, t in caps]
    has_rate = any(k == "percent" and basis == billing for k, _v, basis, _t in scheme["amounts"])
    wanted = billing if has_rate else None
    return [(v, per, t) for v, basis, per, t in caps if basis == wanted]


def _pay(caps: list[Cap], history: list[Unit], here: list[Unit], zone: tzinfo,
         av: ModuleType, first_month: int, one_period: bool = False) -> tuple[Any, bool]:
    """(amount paid for the units `here`, whether a cap cut it): units are (instant, amount) in
    time order; each cap limits the sum paid within its period, `history` units included
    (`one_period`: every unit lies in the one period each cap counts over, a billing period)."""
    used: dict[tuple[int, float], Any] = {}
    paid, capped = 0, False
    for position, (instant, amount) in enumerate(list(history) + list(here)):
        keys = [(i, 0.0 if one_period else av.period_containing(per, instant, zone, first_month)[0].timestamp())
                for i, (_v, per, _t) in enumerate(caps)]
        pay = amount
        for key, (limit, _per, _text) in zip(keys, caps):
            pay = min(pay, limit - used.get(key, 0))
        pay = max(pay, 0)
        for key in keys:
            used[key] = used.get(key, 0) + pay
        if position >= len(history):
            paid += pay
            capped = capped or pay < amount
    return paid, capped


def _paid_each(caps: list[Cap], history: list[Unit], here: list[Unit], zone: tzinfo,
               av: ModuleType, first_month: int) -> list[Unit]:
    """(instant, amount paid) for each unit `here`, after the caps (what `_pay` sums)."""
    out, before = [], 0
    for count in range(1, len(here) + 1):
        paid, _capped = _pay(caps, history, here[:count], zone, av, first_month)
        out.append((here[count - 1][0], paid - before))
        before = paid
    return out


def _total(answers: list[Result], bounds: Interval) -> Result:
    """The sum of per-period answers: downtime, uptime over the whole span, credits by kind."""
    total = sum((Fraction(a["period_seconds"]) for a in answers), Fraction(0))
    down = sum((Fraction(a["downtime_seconds"]) for a in answers), Fraction(0))
    sums: dict[tuple[str, str | None], Result] = {}
    for answer in answers:
        for credit in answer["credits"]:
            key = (credit["kind"], credit["basis"])
            entry = sums.setdefault(key, {"kind": credit["kind"], "basis": credit["basis"], "percent": None,
                                          "days": None, "extension_seconds": None, "periods": None,
                                          "capped": False, **_money_fields(credit)})
            entry["capped"] = entry["capped"] or credit["capped"]
            for extra in ("worth_basis", "choice"):
                if credit.get(extra) is not None:
                    entry[extra] = credit[extra]
            for field in ("percent", "days", "extension_seconds", "periods", "worth_percent", "amount"):
                if credit.get(field) is not None:
                    entry[field] = (entry.get(field) or 0) + credit[field]
    up = (total - down) / total
    return {"period_start": bounds[0], "period_end": bounds[1], "period_seconds": _whole(total),
            "downtime_seconds": _whole(down), "uptime": up, "uptime_percent": 100 * up,
            "met": all(a["met"] for a in answers), "periods_missed": sum(not a["met"] for a in answers),
            "credits": [sums[k] for k in sorted(sums, key=lambda k: (k[0], k[1] or ""))]}


def _money_fields(credit: Result) -> Result:
    """A credit paid in money sums its `amount` in its `currency` (runtime/formulas.py)."""
    return {"amount": None, "currency": credit["currency"]} if "currency" in credit else {}


def _whole(value: Fraction) -> int | Fraction:
    return value.numerator if value.denominator == 1 else value


def _tier_span(low: Fraction | None, high: Fraction, below: bool) -> str:
    """A credit row in words, its upper bound exclusive when the contract wrote `below`."""
    top = f"below {_pct(high)}" if below else f"{_pct(high)}"
    if low is None:
        return top if below else f"{top} or below"
    return f"from {_pct(low)} to {top}" if below else f"{_pct(low)} to {top}"


def _clip(intervals: Iterable[Interval], bounds: Interval) -> list[Interval]:
    lo, hi = bounds
    out = []
    for a, b in intervals:
        a = a if _after(a, lo) else lo
        b = hi if _after(b, hi) else b
        if _after(b, a):
            out.append((a, b))
    return out


def _subtract(intervals: Iterable[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """Parts of sorted disjoint `intervals` outside the sorted disjoint `holes`."""
    out = []
    for a, b in intervals:
        pieces = [(a, b)]
        for x, y in holes:
            nxt = []
            for p, q in pieces:
                if not _after(q, x) or not _after(y, p):
                    nxt.append((p, q))
                    continue
                if _after(x, p):
                    nxt.append((p, x))
                if _after(q, y):
                    nxt.append((y, q))
            pieces = nxt
        out += pieces
    return out
