"""The checker's rules for contract versions (docs/semantics.md "Versions", E701-E705).

A file may hold several `contract` blocks of one name, each a version with its own `effective`
date; a version is in effect from 00:00 of its `effective` date until 00:00 of the next
version's (or until the end of its own `until` date, inclusive). Each block is checked as a
contract of its own (`check_one`, the checker's `check`); this module then checks the set: every version dated, no two
in effect on one day, no day between two versions that none covers.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Callable

from sladsl import ast, model, nodes
from sladsl.ast import Span
from sladsl.diagnostics import Diagnostic, Label

CheckOne = Callable[..., tuple[model.Contract | model.Versions | None, list[Diagnostic]]]


def version_blocks(module: ast.Module) -> list[ast.Contract] | None:
    """The contract blocks of a file that are versions of one contract (two or more blocks, all
    of one name, nothing outside them), else None: the checker's usual rules apply."""
    blocks = [s for s in module.body if isinstance(s, ast.Contract)]
    if len(blocks) < 2 or len(blocks) != len(module.body):
        return None
    if len({b.name.text for b in blocks}) != 1:
        return None
    return blocks


def check_versions(blocks: list[ast.Contract], file: str,
                   check_one: CheckOne) -> tuple[model.Versions | None, list[Diagnostic]]:
    """Check each version as a contract, then the set (E701-E703)."""
    found: list[Diagnostic] = []
    checked: list[model.Contract] = []
    spans: dict[int, dict[str, Span]] = {}
    for block in blocks:
        contract, diagnostics = check_one(ast.Module((block,), span=block.span), file, alone=False)
        found += diagnostics
        if isinstance(contract, model.Contract):
            checked.append(contract)
            spans[id(contract)] = _date_spans(block)
    if len(checked) != len(blocks):
        return None, found
    found += _undated(checked, spans)
    if any(d.is_error for d in found):
        return None, found
    ordered = sorted(checked, key=lambda c: c.effective or date.min)
    found += _overlaps_and_gaps(ordered, spans)
    if ordered[0].split_periods:
        found += split_without_earlier(blocks[checked.index(ordered[0])].body)
    found += [w for v in ordered[1:] if not v.split_periods
              for w in _mid_period(v, spans[id(v)]["effective"])]
    found += [e for earlier, later in zip(ordered, ordered[1:]) if later.split_periods
              for e in _unsplittable(earlier, later, spans[id(later)]["effective"])]
    if any(d.is_error for d in found):
        return None, found
    return model.Versions(ordered[0].name, file, _with_implied_ends(ordered),
                          span=blocks[0].span), found


def _date_spans(block: ast.Contract) -> dict[str, Span]:
    """Where a block states `effective` and `until`, and its name (for a version without them)."""
    spans = {"name": block.name.span}
    spans.update({s.key: s.span for s in block.body if isinstance(s, ast.HeaderDate)})
    return spans


def _undated(versions: list[model.Contract], spans: dict[int, dict[str, Span]]) -> list[Diagnostic]:
    return [Diagnostic(
        "E701", f"a version of contract `{v.name}` has no `effective` date", spans[id(v)]["name"],
        help="each version of a contract states the date it takes effect, "
             "e.g. `effective 2026-01-01`")
        for v in versions if v.effective is None]


def _overlaps_and_gaps(versions: list[model.Contract],
                       spans: dict[int, dict[str, Span]]) -> list[Diagnostic]:
    """E702 for two versions in effect on one day, E703 for days no version covers."""
    found = []
    for earlier, later in zip(versions, versions[1:]):
        assert earlier.effective is not None and later.effective is not None
        last_day = earlier.until
        if later.effective == earlier.effective:
            found.append(_diagnostic(
                "E702", f"two versions of `{later.name}` take effect on "
                f"{later.effective.isoformat()}", spans[id(later)]["effective"],
                spans[id(earlier)]["effective"], "the other version",
                "give each version its own `effective` date"))
        elif last_day is not None and last_day >= later.effective:
            found.append(_diagnostic(
                "E702", f"versions overlap: one is in effect until {last_day.isoformat()} and the "
                f"next from {later.effective.isoformat()}", spans[id(later)]["effective"],
                spans[id(earlier)]["until"], "in effect until "
                f"{last_day.isoformat()}", f"end the earlier version on "
                f"{(later.effective - timedelta(days=1)).isoformat()}, or drop its `until`"))
        elif last_day is not None and last_day + timedelta(days=1) < later.effective:
            gap_from = last_day + timedelta(days=1)
            gap_to = later.effective - timedelta(days=1)
            found.append(_diagnostic(
                "E703", f"no version of `{later.name}` is in effect from {gap_from.isoformat()} "
                f"to {gap_to.isoformat()}", spans[id(later)]["effective"], spans[id(earlier)]["until"],
                f"in effect until {last_day.isoformat()}",
                f"end the earlier version on {gap_to.isoformat()}, or drop its `until`: a version "
                "without one lasts until the next takes effect"))
    return found


_PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def _next_period_start(day: date, period: str, first_month: int) -> date:
    """The first day of the first `period` beginning on or after `day`."""
    if period == "week":
        return day + timedelta(days=-day.weekday() % 7)
    step = _PERIOD_MONTHS[period]
    year, month = day.year, day.month
    if day.day != 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while (month - first_month) % step:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, 1)


def _mid_period(version: model.Contract, span: Span) -> list[Diagnostic]:
    """W701: a version taking effect inside a service's period judges it from the next one."""
    found = []
    assert version.effective is not None
    for service in version.services:
        target = service.availability
        if target is None or target.period not in (*_PERIOD_MONTHS, "week"):
            continue
        start = _next_period_start(version.effective, target.period, target.first_month)
        if start != version.effective:
            found.append(Diagnostic(
                "W701", f"service `{service.name}` is measured per {target.period}: this version "
                f"judges its availability from {start.isoformat()}", span, (), (
                    "a period is judged whole by the version in effect when it began "
                    "(docs/semantics.md \"Versions\")",),
                f"take effect on {start.isoformat()} to say so, write `effective "
                f"{version.effective.isoformat()} splitting periods` to judge each part of the "
                "period by its own version, or keep this date if the earlier terms should judge "
                "the period in progress"))
    return found


def _diagnostic(code: str, message: str, at: Span, other: Span, label: str,
                help: str) -> Diagnostic:
    return Diagnostic(code, message, at, (Label(other, label),), (), help)


def _with_implied_ends(versions: list[model.Contract]) -> tuple[model.Contract, ...]:
    """Each version but the last ends the day before the next begins (stated or not)."""
    out = []
    for earlier, later in zip(versions, versions[1:]):
        assert later.effective is not None
        last_day = later.effective - timedelta(days=1)
        out.append(nodes.evolve(earlier, until=last_day, until_implied=earlier.until is None))
    return (*out, versions[-1])


def until_before_effective(header: dict, body: tuple) -> list[Diagnostic]:
    """E704: a contract that ends before it starts."""
    effective, until = header.get("effective"), header.get("until")
    if effective is None or until is None or until >= effective:
        return []
    spans = {s.key: s.span for s in body if isinstance(s, ast.HeaderDate)}
    return [Diagnostic("E704", f"the contract ends ({until.isoformat()}) before it takes effect "
                       f"({effective.isoformat()})", spans["until"],
                       (Label(spans["effective"], "takes effect here"),), (),
                       "`until` is the last day the contract is in effect, on or after `effective`")]


def splits_periods(body: tuple) -> bool:
    """Whether the contract's `effective` date says `splitting periods`."""
    return any(isinstance(s, ast.HeaderDate) and s.key == "effective" and s.splitting for s in body)


def misplaced_split(body: tuple) -> list[Diagnostic]:
    """E705: `splitting periods` after `until` or `withdrawn`: only a start splits a period."""
    return [Diagnostic("E705", f"`splitting periods` follows `{s.key}`: only the date a version "
                       "takes effect can split a period", s.span, (), (),
                       "write it after the `effective` date of the later version, e.g. "
                       "`effective 2027-03-15 splitting periods`")
            for s in body if isinstance(s, ast.HeaderDate) and s.splitting and s.key != "effective"]


def _splitting_dates(body: tuple) -> list[ast.HeaderDate]:
    """The `effective ... splitting periods` headers of a body, or of a file's contract blocks."""
    statements = (s for stmt in body for s in (stmt.body if isinstance(stmt, ast.Contract) else (stmt,)))
    return [s for s in statements if isinstance(s, ast.HeaderDate) and s.splitting]


def split_without_earlier(body: tuple) -> list[Diagnostic]:
    """E705: `splitting periods` on a contract with no earlier version: nothing to split from
    (`body`: a contract block's statements, or a file's, whose contract blocks are looked into)."""
    return [Diagnostic("E705", "`splitting periods` on the first version: no earlier version's "
                       "period straddles its date", s.span, (), (
                           "a period is split where one version gives way to the next "
                           "(docs/semantics.md \"Versions\")",),
                       "drop `splitting periods`, or add the earlier version to this file (or "
                       "directory)")
            for s in _splitting_dates(body)]


def split_alone(body: tuple) -> list[Diagnostic]:
    """W702: `splitting periods` on a contract checked alone (a version file of a directory,
    checked without the others): it matters only with the earlier version."""
    return [Diagnostic("W702", "`splitting periods` with no earlier version here: it splits "
                       "nothing when this contract is judged alone", s.span, (), (
                           "a period is split where one version gives way to the next "
                           "(docs/semantics.md \"Versions\")",),
                       "check the versions together (`sladsl check --versions DIR`, or one file "
                       "holding every version), or drop `splitting periods`")
            for s in _splitting_dates(body)]


def _unsplittable(earlier: model.Contract, later: model.Contract, span: Span) -> list[Diagnostic]:
    """E705: a split the runtime cannot make honestly: a service measured per different periods
    in the two versions, or a cap or allowance over a longer period than the service's."""
    found = []
    before = {s.name: s for s in earlier.services}
    for service in later.services:
        old = before.get(service.name)
        if service.availability is None or old is None or old.availability is None:
            continue
        period = service.availability.period
        if old.availability.period != period:
            found.append(f"service `{service.name}` is measured per {old.availability.period}, "
                         f"then per {period}")
        longer = [per for s in (old, service) for credit in s.credits
                  for _share, per in credit.caps if per != period]
        longer += [s.maintenance.period for s in (old, service)
                   if s.maintenance is not None and s.maintenance.period != period]
        if longer:
            found.append(f"service `{service.name}` counts a cap or allowance per {longer[0]}, "
                         f"not per {period}")
    return [Diagnostic("E705", f"this version cannot split periods: {reason}", span, (), (
        "a split period is judged in parts, each by its version, with caps and allowances over "
        "the whole service period (docs/semantics.md \"Versions\")",),
        "drop `splitting periods` (the period is judged whole by the earlier version), or keep "
        "the service's period, caps and allowances per the same period in both versions")
        for reason in found]


def dates_zone(contract_zone: str | None, calendar_zones: set[str]) -> str:
    """The zone whose midnights bound the contract's dates: its `zone`, else the zone every
    calendar shares, else UTC (docs/semantics.md "Versions")."""
    if contract_zone is not None:
        return contract_zone
    if len(calendar_zones) == 1:
        return next(iter(calendar_zones))
    return "UTC"
