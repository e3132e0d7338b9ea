"""Event logs -> ticket timelines: `sladsl eval --events FILE` (issue 14.7).

A pipeline stage beside `sladsl.data`: an event log (CSV or JSON Lines, columns `id,at,event,
value`) says what happened to each ticket of the tickets file, and this module turns it into
the same flat fields a tickets file can carry (first response, resolution, pauses, priority), plus
the first update, which flat files cannot carry. So a ticket given as flat columns and the same
ticket given as events are judged by the same code, identically (tests/test_events.py).

The rules are the runtime's (`sladsl/runtime/clock_rules.py`, docs/semantics.md "Event logs" and
"Clock rules"), under the contract's clock rules (`pause while status`, `reopen`), so `eval
--events` and `evaluate_ticket(events=...)` derive a timeline alike; this module reads the file
and reports a bad row by row and field. `--pause-status` replaces the contract's statuses that
pause every clock; `customer_reply` is shown by `explain`, no clock uses it.
"""

from __future__ import annotations

from pathlib import Path

from sladsl.runtime.evaluator import BEFORE_OPENING, EVENT_KINDS
from sladsl.runtime.clock_rules import timeline
from sladsl.data import (
    START_COLUMNS, DataError, Names, Ticket, _Instants, _numpy, _records, _Row, _show, _strip,
    detect_format, instants_of_texts,
)

__all__ = ["EVENT_KINDS", "EVENT_LOG_FIELDS", "NO_CLOCK_RULES", "Event", "apply_events",
           "event_value", "read_events"]

EVENT_LOG_FIELDS = ("id", "at", "event", "value")
# What a contract without clock clauses means (the spec's `clock` table of such a contract).
NO_CLOCK_RULES = {"pause_statuses": (), "metric_pause_statuses": {}, "reopen": "continues",
                  "reclassify": "opening"}
_NEEDS_VALUE = ("status", "priority")


class Event:
    """One row of an event log; `at` in UTC microseconds (whole seconds)."""

    __slots__ = ("row", "id", "at", "kind", "value")

    def __init__(self, row: int, ident: str, at: int, kind: str, value: str | None) -> None:
        self.row, self.id, self.at, self.kind, self.value = row, ident, at, kind, value

    def __repr__(self) -> str:
        return f"Event({self.row}, {self.id!r}, {self.at}, {self.kind!r}, {self.value!r})"


def read_events(path: Path, *, fmt: str | None = None, assume_zone=None,
                display: str | None = None, time_formats: tuple[str, ...] = ()) -> dict[str, list[Event]]:
    """Events per ticket id, each ticket's in time order (file order among equal instants);
    a bad row raises DataError naming the row and field.

    With NumPy, a block of rows is read a column at a time (`_plain_block`) when every row of it
    is one the row code would take as it is; any other block is read row by row, so the events
    and the errors are the row code's."""
    name = display or path.name
    instant = _Instants(assume_zone, time_formats)
    np = None if time_formats else _numpy()  # --time-format: every instant through the row code
    out: dict[str, list[Event]] = {}
    block: list = []
    for item in _records(path, detect_format(path, fmt), {}, EVENT_LOG_FIELDS,
                         ("id", "at", "event"), name):
        block.append(item)
        if len(block) >= _BLOCK or isinstance(item[1], DataError):
            _add_block(block, name, instant, np, out)
            block = []
    _add_block(block, name, instant, np, out)
    for events in out.values():
        events.sort(key=lambda e: (e.at, e.row))
    return out


_BLOCK = 8192  # event rows read together


def _add_block(block: list, name: str, instant: _Instants, np, out: dict[str, list[Event]]) -> None:
    events = _plain_block(np, block) if np is not None and block else None
    if events is None:
        events = [_event(name, row, values, instant) for row, values in block]
    for event in events:
        out.setdefault(event.id, []).append(event)


def _plain_block(np, block: list) -> list[Event] | None:
    """The events of a block whose every row is plain: text cells, a known event, a value where
    one is needed, an instant of a shape `instants_of_texts` reads. None otherwise."""
    rows, ids, kinds, values, ats = [], [], [], [], []
    for row, record in block:
        if type(record) is not dict:
            return None
        ident, kind, value, at = (record.get("id"), record.get("event"), record.get("value"),
                                  record.get("at"))
        if type(ident) is not str or type(kind) is not str or type(at) is not str \
                or (value is not None and type(value) is not str):
            return None
        ident, kind, value = ident.strip(), kind.strip(), (value or "").strip()
        if not ident or kind not in EVENT_KINDS or (kind in _NEEDS_VALUE and not value):
            return None
        rows.append(row)
        ids.append(ident)
        kinds.append(kind)
        values.append(value or None)
        ats.append(at)
    seconds, unread = instants_of_texts(np, ats)
    if unread:
        return None
    return list(map(Event, rows, ids, (seconds * 1_000_000).tolist(), kinds, values))


def _event(name: str, row: int, values, instant: _Instants) -> Event:
    """One record of the event log, by the row code: its Event, or the DataError naming it."""
    if isinstance(values, DataError):
        raise values
    ctx = _Row(name, row)
    ident = _strip(values.get("id"))
    if not isinstance(ident, str) or not ident:
        raise ctx.error("id", f"expected a ticket id, got {_show(ident)}", "invalid id")
    kind = _strip(values.get("event"))
    if kind not in EVENT_KINDS:
        raise ctx.error("event", f"unknown event `{_show(kind)}`: events are "
                        + ", ".join(f"`{k}`" for k in EVENT_KINDS), "unknown event")
    value = _strip(values.get("value"))
    if value is not None and not isinstance(value, str):
        raise ctx.error("value", f"expected a string, got {_show(value)}", "invalid value")
    if kind in _NEEDS_VALUE and not value:
        raise ctx.error("value", f"a `{kind}` event needs a value (the new {kind})",
                        "missing value")
    at = instant(ctx, "at", values.get("at"), required=True)
    return Event(row, ident, at, kind, value or None)


def apply_events(ticket: Ticket, events: list[Event], names: Names, pause_statuses=(),
                 *, now: int, file: str, clock: dict | None = None, normalize=None) -> Ticket:
    """The ticket with its timeline taken from `events` (module rules); `now` in microseconds.

    `clock` is the contract's clock rules (the spec's `clock` table; None: none stated);
    non-empty `pause_statuses` (`--pause-status`) replace the contract's statuses that pause
    every clock. The ticket's own event fields must be empty: with an event log the timeline
    comes from the events, and a file that says both would be judged on whichever was read last.
    """
    starts = [(START_COLUMNS[kind], at) for kind, at in ticket.starts.items()]
    for field, value in (("first_response_at", ticket.responded), ("resolved_at", ticket.resolved),
                         ("pauses", ticket.pauses), ("restored_at", ticket.restored), *starts):
        if value:
            raise DataError(file, events[0].row if events else 0, "id",
                            f"ticket `{_show(ticket.id)}` has `{field}` in the tickets file and "
                            "an event log is given: with --events the timeline comes from the "
                            "events; leave the column empty", "timeline given twice")
    rows = []
    for event in events:
        if event.at < ticket.opened and event.kind not in BEFORE_OPENING:
            raise DataError(file, event.row, "at", f"`{event.kind}` of ticket `{_show(ticket.id)}` "
                            "is before the ticket was opened", "event before opening")
        if event.kind == "priority":
            value = event_value(event, normalize)
            if names.priorities and value not in names.priorities:
                raise DataError(file, event.row, "value", f"unknown priority `{_show(event.value)}`"
                                "; the contract has " + ", ".join(f"`{p}`" for p in names.priorities),
                                "unknown priority")
            rows.append((event.at, event.kind, value))
        else:
            rows.append((event.at, event.kind, event.value))
    found = timeline(clock or NO_CLOCK_RULES, ticket.opened, rows, now,
                     tuple(pause_statuses) or None, ticket.priority)
    return Ticket(ticket.row, ticket.id, found.priority or ticket.priority, ticket.channel,
                  ticket.plan, ticket.addons, ticket.opened, found.responded, found.resolved,
                  found.pauses, tuple(found.updates), tuple(events), clocks=found.clocks,
                  priorities={m: p or ticket.priority for m, p in found.priorities.items()},
                  restored=found.restored, starts=found.starts,
                  attributes=ticket.attributes)


def event_value(event: Event, normalize=None) -> str | None:
    """The event's value in the contract's names: a priority through the value options."""
    if event.kind == "priority" and normalize is not None:
        return normalize.name("priority", event.value)
    return event.value


def ticket_chunks_with_events(path: Path, events: dict[str, list[Event]], names: Names, *,
                              pause_statuses=(), now: int, skipped=None, size: int = 65536,
                              events_file: str = "events", clock: dict | None = None,
                              **read_options):
    """`tickets_with_events` as `TicketChunk`s of about `size` tickets."""
    from sladsl.data import chunked

    yield from chunked(tickets_with_events(path, events, names, pause_statuses=pause_statuses,
                                           now=now, skipped=skipped, events_file=events_file,
                                           clock=clock, **read_options), size)


def tickets_with_events(path: Path, events: dict[str, list[Event]], names: Names, *,
                        pause_statuses=(), now: int, skipped=None, events_file: str = "events",
                        clock: dict | None = None, pairs: bool = False, **read_options):
    """`read_tickets` of the tickets file, each ticket's timeline taken from `events` under the
    contract's clock rules `clock`. A ticket whose events are invalid is a DataError (or skipped
    and counted); an event for an id the tickets file lacks is a DataError, since every judged
    ticket needs its row (plan, priority, opening). With `pairs`, (the ticket as read, the
    ticket with its timeline) pairs."""
    from sladsl.data import read_tickets

    seen: set[str] = set()
    for ticket in read_tickets(path, names, skipped=skipped, **read_options):
        seen.add(ticket.id)
        try:
            found = apply_events(ticket, events.get(ticket.id, []), names, pause_statuses,
                                 now=now, file=events_file, clock=clock,
                                 normalize=read_options.get("normalize"))
            yield (ticket, found) if pairs else found
        except DataError as error:
            if skipped is None:
                raise
            skipped.add(error)
    for ident, items in events.items():
        if ident not in seen:
            raise DataError(events_file, items[0].row, "id", f"no ticket `{_show(ident)}` in the "
                            "tickets file: every ticket with events needs its row there",
                            "unknown ticket")
