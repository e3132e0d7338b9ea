"""`sladsl eval --live`: every ticket's clocks at `--now`, as a helpdesk sidebar shows them.

Each ticket is read as `eval` reads it (the same readers, value options and event log) and
handed to the evaluator's `live()` (sladsl.runtime.live, docs/semantics.md "Live view"); this
module formats the answers. Every ticket read appears: a ticket no target judges has one row
`not judged` with the reason, a bad row stops the run or is skipped and counted.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone

import click

from sladsl.data import DataError, Ticket, _show, to_datetime
from sladsl.diagnostics import printable

_CSV_HEADER = ("id", "row", "plan", "priority", "channel", "metric", "target", "calendar", "status",
               "clock", "next_due", "left_seconds", "overdue_seconds", "paused_since", "due",
               "event_at", "reason")
# Added after the clock columns for a contract with `inactivity while status ...` (one value per
# ticket, repeated on each of its rows in CSV; docs/semantics.md "Inactivity timers").
INACTIVITY_HEADER = ("inactivity_reached", "inactivity_state", "inactivity_due", "inactivity_reason")
_TABLE = ((10, "id"), (10, "priority"), (10, "metric"), (16, "target"), (10, "status"),
          (10, "clock"), (24, "next due"), (0, "left"))


def _seconds(value: timedelta | None) -> str:
    return "" if value is None else str(int(value.total_seconds()))


def _left_cell(clock: dict) -> str:
    """The `left` cell: the time left, and why a clock is not judged (under the heading)."""
    reason = f"({clock['reason']})" if clock["status"] == "not judged" else ""
    return "  ".join(part for part in (left_text(clock), reason) if part)


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat()


def _short(value: datetime | None) -> str:
    if value is None:
        return ""
    offset = value.strftime("%z")
    return f"{value:%Y-%m-%d %H:%M}{value.strftime(':%S') if value.second else ''} " \
        f"{offset[:3]}:{offset[3:]}"


def _hms(value: timedelta) -> str:
    seconds = int(abs(value.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "".join(part for part in (f"{hours}h" if hours else "", f"{minutes}m" if minutes else "",
                                     f"{secs}s" if secs else "")) or "0s"
    return text


def left_text(clock: dict) -> str:
    """`1h30m`, `1h30m (paused)`, `overdue by 2h`, or empty for a stopped clock."""
    if clock["overdue_by"] is not None:
        return f"overdue by {_hms(clock['overdue_by'])}"
    if clock["left"] is None:
        return ""
    return _hms(clock["left"]) + (" (paused)" if clock["clock"] == "paused" else "")


def inactivity_text(answer: dict) -> str:
    """`inactivity: remind reached; next solve due 2026-03-10 11:00 +01:00`, or the reason."""
    parts = []
    if answer.get("inactivity_reached"):
        parts.append(f"{printable(answer['inactivity_reached'])} reached")
    if answer.get("inactivity_state"):
        parts.append(f"next {printable(answer['inactivity_state'])} due "
                     f"{_short(answer.get('inactivity_due'))}")
    if answer.get("inactivity_reason"):
        parts.append(printable(answer["inactivity_reason"]))
    return "inactivity: " + ("; ".join(parts) or "-")


def inactivity_lines(evaluator, events, now: datetime) -> list[str]:
    """`explain`'s lines on the inactivity timer at `now` (docs/semantics.md "Inactivity
    timers"): when it started and each step's due instant, reached or next; `events`: the
    ticket's event log (Event rows, instants in microseconds), None without one."""
    from sladsl.runtime.inactivity import NO_EVENT_LOG, inactivity_start, inactivity_transitions

    rule = evaluator.spec["inactivity"]
    calendar = evaluator.calendar(rule["calendar"])
    statuses = ", ".join(f'"{s}"' for s in rule["statuses"])
    out = [f"inactivity while status {statuses} (on {rule['calendar']}):"]
    if events is None:
        return out + [f"  {NO_EVENT_LOG}"]
    at = int(now.timestamp())
    rows = sorted(((e.at // 1_000_000, e.kind, e.value) for e in events), key=lambda r: r[0])
    start = inactivity_start(rule, rows, at)
    if start is None:
        return out + [f"  the ticket is not waiting in {statuses} at {_short(_at(at, calendar))}"]
    out.append(f"  started {_short(_at(start, calendar))}")
    upcoming = True
    for name, due in inactivity_transitions(rule, calendar, start):
        mark = "reached" if due <= at else "next" if upcoming else ""
        upcoming = upcoming and due <= at
        out.append(f"  {name} due {_short(_at(due, calendar))}  {mark}".rstrip())
    return out


def _at(epoch: int, calendar) -> datetime:
    return datetime.fromtimestamp(epoch, calendar.zone)


def has_inactivity(evaluator) -> bool:
    """Whether the contract (any of its versions) has inactivity timers."""
    return any("inactivity" in e.spec for e in getattr(evaluator, "evaluators", [evaluator]))


def ticket_mapping(ticket: Ticket, now: datetime, events=None, normalize=None) -> dict:
    """The evaluator mapping of a read ticket at `now`. A ticket read with an event log is
    given as its `events` (priorities in the contract's names), so the runtime derives its
    clocks under the contract's clock rules, as `eval --events` does (runtime/clock_rules.py);
    its fields are then as the tickets file has them (the priority before any change)."""
    from sladsl.events import event_value

    mapping = ticket.as_mapping()
    mapping["now"] = now
    if events is not None:
        for field in ("first_response_at", "resolved_at", "pauses"):
            del mapping[field]
        mapping["events"] = [(to_datetime(e.at, timezone.utc), e.kind, event_value(e, normalize))
                             for e in events]
    return mapping


def with_pause_statuses(evaluator, statuses):
    """The evaluator whose statuses that pause every clock are `statuses` (`--pause-status`
    replaces the contract's list for the run, docs/semantics.md "Clock rules"); unchanged when
    none are given."""
    if not statuses:
        return evaluator
    from sladsl.runtime.evaluator import Evaluator
    from sladsl.runtime.versions import Versions

    def replaced(spec: dict) -> dict:
        return {**spec, "clock": {**spec["clock"], "pause_statuses": tuple(statuses)}}

    if isinstance(evaluator, Versions):
        return Versions([replaced(e.spec) for e in evaluator.evaluators])
    return Evaluator(replaced(evaluator.spec))


def live_answers(evaluator, tickets, now: datetime, file: str, skipped, normalize=None):
    """(ticket, answer or None, reason) for each ticket, or each (ticket as read, ticket with
    its event log's timeline) pair; an answer the runtime cannot give (a year beyond the frozen
    holidays) is a DataError on the ticket's `opened_at`."""
    for item in tickets:
        read, ticket = item if isinstance(item, tuple) else (item, None)
        mapping = ticket_mapping(read, now, None if ticket is None else ticket.events, normalize)
        ticket = ticket or read
        try:
            answer = evaluator.live(mapping)
        except ValueError as error:
            problem = DataError(file, ticket.row, "opened_at", f"cannot judge ticket "
                                f"`{_show(ticket.id)}`: {error}", "cannot judge")
            if skipped is None:
                raise problem from None
            skipped.add(problem)
            continue
        if not answer["clocks"]:  # the answer still carries the inactivity fields
            yield ticket, answer, (answer.get("reason")
                                   or "no target applies to this ticket's priority and plan")
        else:
            yield ticket, answer, None


class LiveWriter:
    """The live view as a table, CSV or JSON, one ticket at a time."""

    def __init__(self, handle, fmt: str, contract: str | None, now: datetime,
                 inactivity: bool = False) -> None:
        self.handle, self.fmt, self.first = handle, fmt, True
        self.inactivity = inactivity  # the contract has inactivity timers: their columns
        self.counts: dict[str, int] = {}
        if fmt == "csv":
            self.csv = csv.writer(handle, lineterminator="\n")
            self.csv.writerow(_CSV_HEADER + (INACTIVITY_HEADER if inactivity else ()))
        elif fmt == "json":
            handle.write('{"contract": ' + json.dumps(contract, ensure_ascii=False) + ', "now": '
                         + json.dumps(now.isoformat()) + ', "tickets": [')
        else:
            handle.write(self._row([title for _, title in _TABLE]) + "\n")

    @staticmethod
    def _row(cells) -> str:
        return "  ".join(str(c).ljust(w) for c, (w, _) in zip(cells, _TABLE)).rstrip()

    def write(self, ticket: Ticket, answer: dict | None, reason: str | None) -> None:
        self.answer = answer or {}
        clocks = answer["clocks"] if answer and answer["clocks"] else [
            {"metric": None, "target": None, "calendar": None, "status": "not judged",
             "clock": "not judged", "next_due": None, "left": None, "overdue_by": None,
             "paused_since": None, "due": None, "event_at": None, "reason": reason}]
        for clock in clocks:
            state = "overdue" if clock["overdue_by"] is not None else clock["clock"]
            self.counts[state] = self.counts.get(state, 0) + 1
        getattr(self, "_" + self.fmt)(ticket, clocks)

    def _table(self, ticket: Ticket, clocks) -> None:
        for c in clocks:
            self.handle.write(self._row((
                printable(ticket.id), ticket.priority or "", c["metric"] or "-", c["target"] or "-",
                c["status"], c["clock"], _short(c["next_due"]), _left_cell(c))) + "\n")
        if self.inactivity:
            self.handle.write(" " * 12 + inactivity_text(self.answer) + "\n")

    def _inactivity_cells(self) -> tuple:
        if not self.inactivity:
            return ()
        a = self.answer
        return (a.get("inactivity_reached") or "", a.get("inactivity_state") or "",
                _iso(a.get("inactivity_due")), a.get("inactivity_reason") or "")

    def _csv(self, ticket: Ticket, clocks) -> None:
        for c in clocks:
            self.csv.writerow((
                ticket.id, ticket.row, ticket.plan or "", ticket.priority or "", ticket.channel or "",
                c["metric"] or "", c["target"] or "", c["calendar"] or "", c["status"], c["clock"],
                _iso(c["next_due"]), _seconds(c["left"]), _seconds(c["overdue_by"]),
                _iso(c["paused_since"]), _iso(c["due"]), _iso(c["event_at"]), c["reason"] or "")
                + self._inactivity_cells())

    def _json(self, ticket: Ticket, clocks) -> None:
        item = {"id": ticket.id, "row": ticket.row, "priority": ticket.priority,
                "plan": ticket.plan, "channel": ticket.channel, "clocks": [{
                    "metric": c["metric"], "target": c["target"], "calendar": c["calendar"],
                    "status": c["status"], "clock": c["clock"], "next_due": _iso(c["next_due"]) or None,
                    "left_seconds": int(c["left"].total_seconds()) if c["left"] is not None else None,
                    "overdue_seconds": int(c["overdue_by"].total_seconds())
                    if c["overdue_by"] is not None else None,
                    "paused_since": _iso(c["paused_since"]) or None, "due": _iso(c["due"]) or None,
                    "event_at": _iso(c["event_at"]) or None, "reason": c["reason"]}
                    for c in clocks]}
        if self.inactivity:
            item.update(zip(INACTIVITY_HEADER, (v or None for v in self._inactivity_cells())))
        self.handle.write(("\n  " if self.first else ",\n  ") + json.dumps(item, ensure_ascii=False))
        self.first = False

    def finish(self, skipped) -> None:
        order = ("running", "paused", "overdue", "stopped", "not judged")
        summary = {state: self.counts.get(state, 0) for state in order}
        if self.fmt == "json":
            self.handle.write(("\n" if not self.first else "") + '], "clocks": ' + json.dumps(summary)
                              + ', "skipped": ' + json.dumps(skipped.as_json(), ensure_ascii=False)
                              + "}\n")
            return
        line = "clocks: " + ", ".join(f"{count} {state}" for state, count in summary.items())
        if self.fmt == "table":
            self.handle.write("\n" + line + "\n")
        else:
            click.echo(line, err=True)
