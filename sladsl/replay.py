"""Replay history under two versions of a contract: which verdicts and credits change.

Reads the same tickets (or incidents) once per version, judges them with each version's own
evaluator, exactly as `sladsl eval` / `sladsl uptime` would, and pairs the answers by ticket and
metric (or by service and period). Tickets come from a tickets file, or with `events` from its
rows and an event log (`sladsl.events`, as `eval --events` reads them). Nothing here prints:
`sladsl diff --tickets/--events/--incidents` renders the result.

The question is "what would this history have given under each side's terms", so a side that is
one contract is applied to every ticket whatever its `effective`/`until` dates; a side with
several versions judges each ticket by its version, as `sladsl eval` does (docs/semantics.md
"Versions").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from sladsl.data import Names, read_incidents, read_ticket_chunks, to_datetime
from sladsl.evaluate import Evaluation
from sladsl.evaluate_versions import VersionedEvaluation, names_of
from sladsl.model import versions_of
from sladsl.runtime.versions import Versions
from sladsl.numbers import decimal_text

_Key = tuple[str, str, str]  # (plan, priority, metric)


@attrs.frozen
class Side:
    """One version: its checked model and its evaluator."""

    contract: Any
    evaluator: Any


@attrs.frozen
class EventLog:
    """An event log to take the tickets' timelines from (`eval --events`)."""

    path: Path
    pause_statuses: tuple[str, ...] = ()


@attrs.frozen
class TicketChange:
    id: str
    plan: str
    priority: str
    metric: str
    old: str  # status under the old version ("met", "breached", "pending", "not judged", "no target")
    new: str
    old_due: int | None  # epoch seconds
    new_due: int | None

    @property
    def verdict_changed(self) -> bool:
        """The status changed (not only the due instant)."""
        return self.old != self.new


@attrs.frozen
class TicketReplay:
    tickets: int
    verdicts: int  # (ticket, metric) pairs judged under either version
    changes: tuple[TicketChange, ...]
    compliance: tuple[tuple[_Key, tuple[int, int], tuple[int, int]], ...]  # key, (met, judged) old, new

    def by_key(self) -> list[dict[str, Any]]:
        """Changed verdicts counted per (plan, priority, metric), with each transition."""
        counts: dict[_Key, Counter[str]] = defaultdict(Counter)
        moved: Counter[_Key] = Counter()
        for change in self.changes:
            key = (change.plan, change.priority, change.metric)
            if change.verdict_changed:
                counts[key][f"{change.old} -> {change.new}"] += 1
            else:
                moved[key] += 1
        rows = []
        for key, old, new in self.compliance:
            found = counts.get(key, Counter())
            if not found and not moved[key] and old == new:
                continue
            rows.append({"plan": key[0], "priority": key[1], "metric": key[2],
                         "changed": sum(found.values()), "due_moved": moved[key],
                         "transitions": dict(sorted(found.items())),
                         "compliance_before": _share(old), "compliance_after": _share(new)})
        return rows

    @property
    def changed(self) -> int:
        return sum(change.verdict_changed for change in self.changes)


def _share(met_judged: tuple[int, int]) -> Fraction | None:
    met, judged = met_judged
    return Fraction(100 * met, judged) if judged else None


def _chunks(path: Path, names: Names, now: datetime, events: EventLog | None, read: dict[str, Any]):
    """The tickets as chunks: the file's own columns, or its rows with an event log's timelines."""
    if events is None:
        return read_ticket_chunks(path, names, display=path.name, **read)
    from sladsl.events import read_events, ticket_chunks_with_events

    log = read_events(events.path, assume_zone=read.get("assume_zone"), display=events.path.name)
    return ticket_chunks_with_events(path, log, names, pause_statuses=events.pause_statuses,
                                     now=int(now.timestamp()) * 1_000_000,
                                     events_file=events.path.name, display=path.name, **read)


def _verdicts(side: Side, path: Path, now: datetime, read: dict[str, Any],
              events: EventLog | None = None) -> dict[tuple[str, str], Any]:
    """(ticket id, metric) -> (plan, priority, status, due) under one version."""
    names = names_of(side.contract)
    run: Any
    if isinstance(side.evaluator, Versions):
        run = VersionedEvaluation(side.contract, side.evaluator, now, source=path.name,
                                  update_events=events is not None)
    else:
        run = Evaluation(side.contract, side.evaluator, now, source=path.name,
                         update_events=events is not None)
    found: dict[tuple[str, str], Any] = {}
    for chunk in _chunks(path, names, now, events, read):
        result = run.run_chunk(chunk)
        chunk = result.chunk
        for ident, (priority, plan, _addons, _channel, _attributes), verdicts in zip(
                chunk.ids, chunk.keys, result.verdicts()):
            for verdict in verdicts:
                found[(ident, verdict.metric)] = (plan or "", priority or "", verdict.status,
                                                  None if verdict.due is None else int(verdict.due))
    return found


def replay_tickets(old: Side, new: Side, path: Path, now: datetime, events: EventLog | None = None,
                   **read: Any) -> TicketReplay:
    """Judge the tickets of `path` (with `events`: their timelines from that log) under both
    versions and pair the verdicts."""
    before = _verdicts(old, path, now, read, events)
    after = _verdicts(new, path, now, read, events)
    changes = []
    tally: dict[_Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # met/judged old, new
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        plan, priority = (a or b)[0], (a or b)[1]
        group = (plan, priority, key[1])
        for offset, verdict in ((0, a), (2, b)):
            if verdict is not None and verdict[2] in ("met", "breached"):
                tally[group][offset] += verdict[2] == "met"
                tally[group][offset + 1] += 1
        old_status = a[2] if a else "no target"
        new_status = b[2] if b else "no target"
        if old_status != new_status or (a and b and a[3] != b[3]):
            changes.append(TicketChange(key[0], plan, priority, key[1], old_status, new_status,
                                        a[3] if a else None, b[3] if b else None))
    tickets = len({k[0] for k in before.keys() | after.keys()})
    compliance = tuple((k, (v[0], v[1]), (v[2], v[3])) for k, v in sorted(tally.items()))
    return TicketReplay(tickets, len(before.keys() | after.keys()), tuple(changes), compliance)


# ---- incidents ---------------------------------------------------------------------------------

@attrs.frozen
class CreditChange:
    service: str
    period_start: datetime
    period_end: datetime
    old_met: bool | None  # None: the version has no such service
    new_met: bool | None
    old_credits: tuple[str, ...]
    new_credits: tuple[str, ...]


_CREDIT_UNITS = (("percent", "{}% of the fee"), ("days", "{} day(s) of service"),
                 ("extension_seconds", "an extension of {} s"), ("periods", "for {} period(s)"))


def _credit_key(credit: dict[str, Any]) -> str:
    """A credit as comparable plain text: its amounts, and whether a cap cut it."""
    parts = [text.format(decimal_text(credit[field])) for field, text in _CREDIT_UNITS
             if credit.get(field) is not None]
    if credit.get("capped"):
        parts.append("(capped)")
    return " ".join(parts) or "nothing"


def _periods(side: Side, path: Path, period: str, read: dict[str, Any]) -> dict[tuple, Any]:
    names = names_of(side.contract)
    incidents = list(read_incidents(path, names, display=path.name, **read))
    found = {}
    for service in _services(side.contract):
        if service.availability is None:
            continue
        mine = [i for i in incidents if i.service in (None, service.name)]
        outages = [i.as_mapping() for i in mine if i.kind == "outage"]
        excluded = [(to_datetime(i.start), to_datetime(i.end)) for i in mine if i.kind == "excluded"]
        works = [(to_datetime(i.start), to_datetime(i.end)) for i in mine if i.kind == "maintenance"]
        answer = side.evaluator.availability_periods(service.name, period, outages, excluded,
                                                     maintenance=works)
        for piece in answer["periods"]:
            key = (service.name, piece["period_start"].timestamp(), piece["period_end"].timestamp())
            found[key] = piece
    return found


def _services(checked: Any) -> list[Any]:
    """Every service of any version, by name."""
    found: dict[str, Any] = {}
    for version in versions_of(checked):
        for service in version.services:
            found[service.name] = service
    return list(found.values())


def replay_incidents(old: Side, new: Side, path: Path, period: str, **read: Any) -> tuple[int, list[CreditChange]]:
    """(periods judged, the periods whose verdict or credits differ between the versions)."""
    before = _periods(old, path, period, read)
    after = _periods(new, path, period, read)
    changes = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        credits_a = tuple(_credit_key(c) for c in a["credits"]) if a else ()
        credits_b = tuple(_credit_key(c) for c in b["credits"]) if b else ()
        met_a = a["met"] if a else None
        met_b = b["met"] if b else None
        if (met_a, credits_a) != (met_b, credits_b):
            piece = a or b
            changes.append(CreditChange(key[0], piece["period_start"], piece["period_end"],
                                        met_a, met_b, credits_a, credits_b))
    return len(before.keys() | after.keys()), changes
