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

CheckOne = Callable[[ast.Module, str], tuple[model.Contract | None, list[Diagnostic]]]


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
        contract, diagnostics = check_one(ast.Module((block,), span=block.span), file)
        found += diagnostics
        if contract is not None:
            checked.append(contract)
            spans[id(contract)] = _date_spans(block)
    if len(checked) != len(blocks):
        return None, found
    found += _undated(checked, spans)
    if any(d.is_error for d in found):
        return None, found
    ordered = sorted(checked, key=lambda c: c.effective or date.min)
    found += _overlaps_and_gaps(ordered, spans)
    found += [w for v in ordered[1:] for w in _mid_period(v, spans[id(v)]["effective"])]
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
                f"take effect on {start.isoformat()} to say so, or keep this date if the "
                "earlier terms should judge the period in progress"))
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


def dates_zone(contract_zone: str | None, calendar_zones: set[str]) -> str:
    """The zone whose midnights bound the contract's dates: its `zone`, else the zone every
    calendar shares, else UTC (docs/semantics.md "Versions")."""
    if contract_zone is not None:
        return contract_zone
    if len(calendar_zones) == 1:
        return next(iter(calendar_zones))
    return "UTC"
