"""A ticket's events -> its clocks, under the contract's clock rules (docs/semantics.md "Event
logs" and "Clock rules").

Part of the runtime (standard library only): `Evaluator.evaluate_ticket` runs it on a ticket
given as `events`, and `sladsl.events` (`eval --events`) on each ticket of an event log, so a
generated module, `sladsl.load()` and the CLI derive a timeline the same way.

Instants are integers of one unit (epoch seconds or microseconds), `events` in time order
(file order among equal instants). The rules:
- the first `reply` is the first response; every `update` is an update; the first `restored`
  is the restoration (where a target's coverage changes, `until restored then CAL`); the first
  `contact` and the first `priority` are where a clock may start (`from first contact`, `from
  priority set`);
- the ticket is resolved at its last `resolved` not followed by a `reopened`;
- `reopen continues` (the default): the time between a `resolved` and the next `reopened` is
  paused for every clock; `reopen restarts`: each reopening starts a new resolution cycle (the
  other clocks continue, without the time spent solved);
- `status`: while the status is one of the contract's pause statuses for every metric (or the
  caller's override of them, `eval --pause-status`), every clock is paused; while it is one of a
  metric's own pause statuses, that metric's clock is; statuses compare case-insensitively. A
  pause still open at the end of the log ends at the resolution, else at `now`;
- `priority` (a change when its value differs from the priority in force): a clock that stopped
  before a change keeps the priority it stopped under; a clock still running at a change takes
  the new priority's target, counted from the opening (`reclassification counts from opening`,
  the default, as Jira Service Management recalculates a goal) or from the change (`... from
  change`). The last priority is the ticket's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["Cycle", "Timeline", "timeline"]

Pause = tuple[int, int]
# A clock's cycle: (start, end, pauses). `end` is None for the last cycle, whose end is the
# metric's own stop event; an earlier cycle (a resolution before a reopening) ends at `end`.
Cycle = tuple[int, int | None, tuple[Pause, ...]]


class Timeline:
    """What a ticket's events say: the flat fields, and the clocks that differ from them.

    `pauses` hold for every clock; `clocks[metric]` (only for a metric with its own pause
    statuses, or a resolution restarted by a reopening) replaces the opening and `pauses` for
    that metric by its cycles."""

    __slots__ = ("responded", "resolved", "updates", "priority", "pauses", "clocks", "priorities",
                 "paused_since", "own_paused_since", "restored", "starts")

    def __init__(self, responded: int | None, resolved: int | None, updates: list[int],
                 priority: str | None, pauses: tuple[Pause, ...],
                 clocks: dict[str, tuple[Cycle, ...]], priorities: dict[str, str | None]) -> None:
        self.responded, self.resolved, self.updates = responded, resolved, updates
        self.priority, self.pauses, self.clocks = priority, pauses, clocks
        # metric -> the priority its clock stopped under, where that is not the last one (None:
        # the ticket's priority before any change)
        self.priorities = priorities
        # the start of an every-clock pause still running at `now` (unresolved), for the live view
        self.paused_since: int | None = None
        # metric -> the start of its own pause (its statuses or every clock's) running at `now`
        self.own_paused_since: dict[str, int] = {}
        # the first `restored` event: where a target's coverage changes (`until restored`)
        self.restored: int | None = None
        # the events a clock may start at (`from first contact`, `from priority set`): the
        # first `contact` ("contact") and the first `priority` event ("priority")
        self.starts: dict[str, int] = {}


def timeline(clock: Mapping[str, Any], opened: int, events: Iterable[tuple[int, str, str | None]],
             now: int, pause_statuses: Sequence[str] | None = None,
             priority: str | None = None) -> Timeline:
    """The ticket's timeline under the clock rules `clock` (a spec's `clock` table); a non-None
    `pause_statuses` replaces the contract's pause statuses of every metric; `priority` is the
    ticket's own priority (before any `priority` event)."""
    every = {s.casefold() for s in (clock["pause_statuses"] if pause_statuses is None
                                    else pause_statuses)}
    own = {m: {s.casefold() for s in statuses}
           for m, statuses in clock["metric_pause_statuses"].items()}
    responded = resolved = None
    current = priority
    reclassified: list[tuple[int, str | None]] = []  # (instant, new priority) of each change
    updates: list[int] = []
    restored: int | None = None
    begins: dict[str, int] = {}  # kind -> the first `contact` / `priority` event
    changes: list[tuple[int, str]] = []  # (instant, new status)
    solved: list[Pause] = []  # [resolved, reopened) intervals
    starts = [opened]  # the start of each resolution cycle
    ends: list[int] = []  # the end of each resolution cycle but the last
    for at, kind, value in events:
        if kind in ("contact", "priority"):
            begins.setdefault(kind, at)
        if kind == "reply" and responded is None:
            responded = at
        elif kind == "update":
            updates.append(at)
        elif kind == "restored" and restored is None:
            restored = at
        elif kind == "priority" and value != current:
            current = value
            reclassified.append((at, value))
        elif kind == "status":
            changes.append((at, (value or "").casefold()))
        elif kind == "resolved" and resolved is None:
            resolved = at
        elif kind == "reopened" and resolved is not None:
            solved.append((resolved, at))
            ends.append(resolved)
            starts.append(at)
            resolved = None
    pauses = _merge(_while(changes, every, resolved, now) + solved)
    clocks: dict[str, tuple[Cycle, ...]] = {}
    for metric, statuses in own.items():
        clocks[metric] = ((opened, None, _merge(_while(changes, every | statuses, resolved, now) + solved)),)
    if clock["reopen"] == "restarts" and ends:
        mine = clocks["resolution"][0][2] if "resolution" in clocks else pauses
        bounds: list[int | None] = [*ends, None]
        clocks["resolution"] = tuple((start, stop, mine) for start, stop in zip(starts, bounds))
    stops = {"response": _first(responded, resolved), "resolution": resolved}
    priorities = _reclassified(clock, reclassified, stops, priority, clocks, (opened, None, pauses))
    found = Timeline(responded, resolved, updates, reclassified[-1][1] if reclassified else None,
                     pauses, clocks, priorities)
    found.restored, found.starts = restored, begins
    if resolved is None:  # a pause still running at `now` (for the live view)
        since = _open_since(changes, every)
        if since is not None and since <= now:
            found.paused_since = since
        for metric, statuses in own.items():
            since = _open_since(changes, every | statuses)
            if since is not None and since <= now:
                found.own_paused_since[metric] = since
    return found


def _open_since(changes: list[tuple[int, str]], statuses: set[str]) -> int | None:
    """The start of the pause in `statuses` still open at the end of the log, or None."""
    since = None
    for at, status in changes:
        holding = status in statuses
        if holding and since is None:
            since = at
        elif not holding:
            since = None
    return since


def _first(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def _reclassified(clock: Mapping[str, Any], changes: list[tuple[int, str | None]],
                  stops: dict[str, int | None], own: str | None,
                  clocks: dict[str, tuple[Cycle, ...]], plain: Cycle) -> dict[str, str | None]:
    """Per metric with one stop event (response, resolution): the priority its clock stopped
    under when that is not the last one; with `from change`, its clock (in `clocks`) counts
    from the last change before it stopped. A change at the stop instant comes too late."""
    out: dict[str, str | None] = {}
    final = changes[-1][1] if changes else own
    for metric, stop in stops.items():
        applying = [c for c in changes if stop is None or c[0] < stop]
        if (applying[-1][1] if applying else own) != final:
            out[metric] = applying[-1][1] if applying else own
        if clock["reclassify"] == "change" and applying:
            since = applying[-1][0]
            cycles = [c for c in clocks.get(metric, (plain,)) if c[1] is None or c[1] > since]
            start, end, pauses = cycles[0]
            cycles[0] = (max(start, since), end, pauses)
            clocks[metric] = tuple(cycles)
    return out


def _while(changes: list[tuple[int, str]], statuses: set[str], resolved: int | None,
           now: int) -> list[Pause]:
    """The intervals during which the status is one of `statuses`; one still open ends at the
    resolution when that is later, else at `now` (if later)."""
    out: list[Pause] = []
    since = None
    for at, status in changes:
        holding = status in statuses
        if holding and since is None:
            since = at
        elif not holding and since is not None:
            out.append((since, at))
            since = None
    if since is not None:
        out.append((since, resolved if resolved is not None and resolved > since
                    else max(now, since)))
    return out


def _merge(pauses: list[Pause]) -> tuple[Pause, ...]:
    """Sorted, non-empty, with overlapping or touching pauses joined."""
    out: list[list[int]] = []
    for a, b in sorted(p for p in pauses if p[1] > p[0]):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)
