"""Batch evaluation of a contract with dates or versions: each ticket by the version that judges it.

A pipeline stage beside `sladsl.evaluate` (docs/semantics.md "Versions"): a chunk of tickets is
split by the version in effect when each ticket was opened (or, with `version_by="due"`, at its
due instant as the opening version computes it), each part is evaluated by that version's
`Evaluation`, and the verdicts are put back in file order. A ticket no version covers is
`not judged`, with the reason naming the instant and the versions' dates. The summary tallies
are the sum of the versions' tallies.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sladsl import model
from sladsl.data import Names, TicketChunk, to_datetime
from sladsl.evaluate import (FIRST_ROWS, ChunkVerdicts, Evaluation, add_counts, add_first_rows,
                             count_first_row)
from sladsl.runtime.versions import Versions

__all__ = ["VersionedEvaluation", "names_of", "needs_versions"]


def needs_versions(evaluator) -> bool:
    """Whether tickets must be routed by date: several versions, or one with dates."""
    return isinstance(evaluator, Versions) or evaluator.IN_EFFECT != (None, None)


def names_of(checked: model.Contract | model.Versions) -> Names:
    """The names tickets may use: those of any version (defaults of the latest)."""
    versions = model.versions_of(checked)
    latest = Names.of_contract(versions[-1])
    for version in versions[:-1]:
        older = Names.of_contract(version)
        for field in ("priorities", "plans", "channels", "addons", "services"):
            mine = getattr(latest, field)
            setattr(latest, field, mine + tuple(n for n in getattr(older, field) if n not in mine))
        if (older.plan_choice, older.calendar_choices) != (latest.plan_choice, latest.calendar_choices):
            # The tickets file is read once, with one set of choices: versions that choose plans
            # or calendars differently would have older tickets read by the latest rules.
            latest.choices_differ = True
    return latest


class VersionedEvaluation:
    """`Evaluation`'s interface over several versions (the CLI writers read it alike)."""

    def __init__(self, checked, evaluator, now: datetime, *, version_by: str = "opened",
                 **options) -> None:
        versions = model.versions_of(checked)
        self.versions = evaluator if isinstance(evaluator, Versions) else Versions([evaluator.spec])
        self.runs = [Evaluation(c, e, now, **options)
                     for c, e in zip(versions, self.versions.evaluators)]
        self.version_by = version_by
        self.contract, self.ev = versions[-1], self.versions.evaluators[-1]
        self.now_us, self.now_s = self.runs[0].now_us, self.runs[0].now_s
        self.own_not_judged: dict = {}  # reason -> [count, first rows]: opened out of effect
        self.own_tickets = 0
        self.per_version = [0] * len(self.runs)  # tickets judged by each version
        # What answers each version's part of a chunk: its evaluation, or a SQL engine filling
        # it (`eval --engine duckdb|spark`: each ticket still judged by its version).
        self.runners: list = list(self.runs)

    # -- what the writers and summaries read -----------------------------------------------------

    @property
    def tickets(self) -> int:
        return self.own_tickets + sum(run.tickets for run in self.runs)

    @property
    def summary(self) -> dict:
        return _sum_tallies(run.summary for run in self.runs)

    @property
    def tallies(self) -> dict:
        return _sum_tallies(run.tallies for run in self.runs)

    @property
    def proportions(self) -> dict:
        out: dict = {}
        for run in self.runs:
            out.update(run.proportions)
        return out

    @property
    def not_judged(self) -> dict:
        out: dict = {}
        for source in [self.own_not_judged, *(run.not_judged for run in self.runs)]:
            for reason, (count, rows) in source.items():
                entry = out.setdefault(reason, [0, []])
                entry[0] += count
                entry[1] = sorted(entry[1] + rows)[:FIRST_ROWS]
        return out

    def take_tallies(self) -> tuple:
        """`Evaluation.take_tallies` of every version, and the tickets no version judged."""
        taken = ([run.take_tallies() for run in self.runs], self.own_not_judged, self.own_tickets,
                 self.per_version)
        self.own_not_judged, self.own_tickets, self.per_version = {}, 0, [0] * len(self.runs)
        return taken

    def add_tallies(self, taken: tuple) -> None:
        """Count a `take_tallies` share as if its chunks had been judged here, now."""
        runs, own_not_judged, own_tickets, per_version = taken
        for run, share in zip(self.runs, runs):
            run.add_tallies(share)
        add_first_rows(self.own_not_judged, own_not_judged)
        self.own_tickets += own_tickets
        self.per_version = [a + b for a, b in zip(self.per_version, per_version)]

    def calendar(self, name: str):
        for run in reversed(self.runs):
            if name in run.ev.spec["calendars"]:
                return run.calendar(name)
        raise ValueError(f"unknown calendar `{name}`")

    def version_counts(self) -> list[dict]:
        """Tickets judged per version (its effective and last day)."""
        return [{"effective": e.CONTRACT["effective"], "until": e.CONTRACT["until"], "tickets": n}
                for e, n in zip(self.versions.evaluators, self.per_version)]

    # -- evaluation -------------------------------------------------------------------------------

    def run_chunk(self, chunk: TicketChunk) -> ChunkVerdicts:
        chosen = self.versions_of_chunk(chunk)
        parts = []
        for index, runner in enumerate(self.runners):
            positions = [i for i, v in enumerate(chosen) if v == index]
            if positions:
                result = runner.run_chunk(chunk.select(positions))
                self.per_version[index] += len(result.chunk)
                parts.append((positions, result))
        return self._merge(chunk, chosen, parts)

    def versions_of_chunk(self, chunk: TicketChunk) -> list[int | None]:
        opened = [m // 1_000_000 for m in chunk.opened]
        if self.version_by == "opened":
            return [self.versions.index_at(s) for s in opened]
        return [self._due_version(chunk, i, opened[i]) for i in range(len(chunk))]

    def _due_version(self, chunk: TicketChunk, i: int, opened: int) -> int | None:
        try:
            return self.versions.ticket_version(_mapping(chunk, i, self.now_s), "due")
        except ValueError:  # the opening version reports it as a data error, with its row
            return self.versions.index_at(opened)

    def _merge(self, chunk: TicketChunk, chosen: list, parts: list) -> ChunkVerdicts:
        """One ChunkVerdicts over the chunk (less the tickets a version skipped as invalid)."""
        kept = [i for i, v in enumerate(chosen) if v is None]
        for positions, result in parts:
            rows = set(result.chunk.rows)
            kept += [i for i in positions if chunk.rows[i] in rows]
        kept.sort()
        merged = chunk.select(kept)
        where = {original: new for new, original in enumerate(kept)}
        groups, unjudged = [], []
        for positions, result in parts:
            rows = set(result.chunk.rows)
            inside = [where[i] for i in positions if chunk.rows[i] in rows]  # sub index -> merged
            for group in result.groups:
                group.idx = [inside[i] for i in group.idx]
                groups.append(group)
            unjudged += [(inside[i], metric, reason) for i, metric, reason in result.unjudged]
        for i, version in enumerate(chosen):
            if version is None:
                reason = self.versions.reason(chunk.opened[i] // 1_000_000)
                unjudged.append((where[i], "", reason))
                count_first_row(self.own_not_judged, reason, chunk.rows[i])
                self.own_tickets += 1
        return ChunkVerdicts(merged, groups, unjudged)


def _sum_tallies(dicts) -> dict:
    out: dict = {}
    for tallies in dicts:
        add_counts(out, tallies)
    return out


def _mapping(chunk: TicketChunk, i: int, now_s: int) -> dict:
    """A chunk's ticket as the runtime's `evaluate_ticket` reads it (for `version_by="due"`)."""
    ticket = chunk.ticket(i)
    mapping = {
        "id": ticket.id, "priority": ticket.priority, "plan": ticket.plan,
        "addons": ticket.addons or (), "channel": ticket.channel,
        "opened_at": to_datetime(ticket.opened),
        "first_response_at": None if ticket.responded is None else to_datetime(ticket.responded),
        "resolved_at": None if ticket.resolved is None else to_datetime(ticket.resolved),
        "pauses": [(to_datetime(a), to_datetime(b)) for a, b in ticket.pauses],
        "now": datetime.fromtimestamp(now_s, timezone.utc),
    }
    return mapping
