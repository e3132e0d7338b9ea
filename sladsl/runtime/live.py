"""Open tickets' clocks at an instant: what a helpdesk sidebar shows (issue 14.9).

Part of the runtime (standard library and `sladsl.runtime` only): `Evaluator.live(ticket)`,
and so `live(ticket)` on every generated module, answers from `evaluate_ticket`'s verdicts, so
the sidebar and the verdicts can never disagree. The rules are docs/semantics.md "Live view":

- `clock`: `stopped` once the metric's stop event happened (its own event, or the resolution
  for a response or update clock); `paused` while `now` lies inside a pause (a pause with no end,
  `(since, None)`, is still running and ends at `now` for the arithmetic); `running` otherwise;
  `not judged` when the verdict is not judged.
- `next_due`: for a running or paused clock, the instant the clock falls due if nothing else
  happens (a paused clock: if the pause ended at `now`); for `update every N`, the due instant
  of the interval running at `now` (from the last update). None for a stopped clock.
- `left`: business time from `now` to `next_due`, pauses excluded; negative once `now` is past
  it: minus the business time from `next_due` to `now` (`overdue_by`, else None). A paused
  clock's `left` stands still.
- Every metric is followed on the clock its verdict is judged on (`Evaluator._judge`): its own
  cycles and pauses under the contract's clock rules (runtime/clock_rules.py), the last cycle
  being the one that runs.
- A contract with `inactivity while status ...` adds `inactivity_reached` (the last state
  reached by `now`), `inactivity_state` (the next one), `inactivity_due` (when it falls due)
  and `inactivity_reason` (why there is no next state) to the ticket's answer
  (runtime/inactivity.py, docs/semantics.md "Inactivity timers").
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from sladsl.runtime.clock import Calendar
from sladsl.runtime.coverage import Restored
from sladsl.runtime.inactivity import NO_EVENT_LOG, inactivity_start, inactivity_steps
from sladsl.runtime.evaluator import EVENT_FIELDS, TicketClocks, due_epoch, seconds_of, stop_event

if TYPE_CHECKING:
    from sladsl.runtime.evaluator import Evaluator

__all__ = ["live_clocks"]

_UTC = timezone.utc
Result = dict[str, Any]


def _truncated(value: datetime) -> datetime:
    """An aware datetime at the whole second toward the past (brief decision 1)."""
    return value - timedelta(microseconds=value.microsecond)


def _pauses(raw: Any, now: datetime) -> tuple[list[tuple[datetime, datetime]], datetime | None]:
    """(closed pauses, the start of the pause running at `now` or None). An open pause `(since,
    None)` ends at `now`; one that starts after `now` has not begun and is left out."""
    closed: list[tuple[datetime, datetime]] = []
    since: datetime | None = None
    for pause in raw or ():
        try:
            start, end = pause
        except (TypeError, ValueError):
            raise ValueError("each pause must be a (from, to) pair; `to` may be None while "
                             "the pause runs") from None
        if not isinstance(start, datetime) or start.tzinfo is None:
            raise ValueError("a pause start must be an aware datetime")
        start = _truncated(start)
        if end is None:
            if start.astimezone(_UTC) <= now.astimezone(_UTC):
                closed.append((start, now))
                since = start
            continue
        closed.append((start, end))
        if start.astimezone(_UTC) <= now.astimezone(_UTC) < _truncated(end).astimezone(_UTC):
            since = start
    return closed, since


def live_clocks(evaluator: Evaluator, ticket: Any) -> Result:
    """Each metric's clock of `ticket` at `ticket["now"]` (default: the current time)."""
    if not hasattr(ticket, "get"):
        raise ValueError("a ticket must be a mapping with at least `priority` and `opened_at`")
    now = ticket.get("now")
    now = datetime.now(_UTC) if now is None else now
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    now = _truncated(now)
    pauses, since = _pauses(ticket.get("pauses"), now)
    verdict, clocks = evaluator._judge({**ticket, "pauses": pauses, "now": now})
    out = {"id": verdict["id"], "priority": verdict["priority"], "plan": verdict["plan"],
           "now": now, "clocks": []}
    if clocks is None:  # no version of the contract in effect (docs/semantics.md "Versions")
        out["reason"] = verdict["reason"]
        return out
    if "inactivity" in evaluator.spec:
        out.update(_inactivity(evaluator, ticket.get("events"), seconds_of(now)))
    if since is not None:  # flat data: the pause given without an end runs at `now`
        clocks.since[None] = seconds_of(since)
    for result in verdict["results"]:
        # the plan the verdict was judged under (a plan chosen by ticket attributes included)
        out["clocks"].append(_clock(evaluator, {**ticket, "plan": verdict["plan"]},
                                    verdict["priority"], result, seconds_of(now), clocks))
    return out


def _clock(evaluator: Evaluator, ticket: Any, priority: str | None, result: Result, now: int,
           clocks: TicketClocks) -> Result:
    """One metric's clock at `now` (epoch seconds), on the same clock as its verdict: the
    metric's last cycle, with its own pauses (runtime/clock_rules.py)."""
    metric = result["metric"]
    out = {key: result[key] for key in ("metric", "target", "calendar", "status", "reason", "due",
                                        "event_at", "source_line")}
    out.update(clock="not judged" if result["status"] == "not judged" else "stopped",
               next_due=None, left=None, overdue_by=None, paused_since=None)
    if result["status"] == "not judged":
        return out
    found = evaluator._lookup(metric, priority, ticket.get("plan"), ticket.get("addons") or (),
                              ticket.get("channel"), evaluator._chosen(ticket, ticket.get("channel")))
    assert found is not None  # the verdict came from this target
    target, events = found.target, clocks.events
    calendar = evaluator.restored_calendar(found, events["restored_at"]) or found.calendar
    resolution = _seconds(events["resolved_at"])
    cadence = bool(target["every"]) and "updates" in events
    if cadence:  # a cadence runs until the resolution; an overrunning update ends an interval
        if resolution is not None:
            return out
    else:
        field = EVENT_FIELDS.get(metric)
        own = _seconds(events.get(field)) if field else None
        if stop_event(metric, own, resolution)[0] is not None:
            return out
    start, _end, pauses = clocks.cycles(metric)[-1]
    if cadence:  # the interval running at `now` starts at the last update so far
        if target["after_response"]:
            start = _seconds(events["first_response_at"]) or start
        start = max([start] + [u for u in map(seconds_of, events["updates"]) if start <= u <= now])
    next_due = due_epoch(calendar, target["seconds"], target["business_days"], start, list(pauses))
    since = clocks.since.get(metric, clocks.since.get(None))
    if since is None:  # a pause given with an end after `now` holds at `now` too
        since = next((a for a, b in pauses if a <= now < b), None)
    zone = calendar.zone
    out.update(clock="paused" if since is not None else "running",
               next_due=datetime.fromtimestamp(next_due, zone),
               paused_since=None if since is None else datetime.fromtimestamp(since, zone))
    out["left"], out["overdue_by"] = _left(calendar, now, next_due, pauses)
    return out


def _inactivity(evaluator: Evaluator, events: Any, now: int) -> Result:
    """The inactivity fields of a ticket at `now` (the events were validated by `_judge`)."""
    rule = evaluator.spec["inactivity"]
    calendar = evaluator.calendar(rule["calendar"])
    out: Result = {"inactivity_reached": None, "inactivity_state": None, "inactivity_due": None,
                   "inactivity_reason": None}
    if events is None:
        out["inactivity_reason"] = NO_EVENT_LOG
        return out
    rows = sorted(((seconds_of(at), kind, value) for at, kind, value in events), key=lambda r: r[0])
    start = inactivity_start(rule, rows, now)
    if start is None:
        out["inactivity_reason"] = "the ticket is not waiting in " + ", ".join(
            f'"{s}"' for s in rule["statuses"])
        return out
    reached, state, due = inactivity_steps(rule, calendar, start, now)
    out.update(inactivity_reached=reached, inactivity_state=state,
               inactivity_due=None if due is None else datetime.fromtimestamp(due, calendar.zone))
    if state is None:
        out["inactivity_reason"] = "every inactivity step is reached"
    return out


def _seconds(value: datetime | None) -> int | None:
    return None if value is None else seconds_of(value)


def _left(calendar: Calendar | Restored, now: int, due: int, pauses: Any) -> tuple[timedelta, timedelta | None]:
    """(left, overdue_by): business time to `due`, or minus the business time past it."""
    if now <= due:
        return timedelta(seconds=calendar.elapsed_epoch(now, due, pauses)), None
    over = timedelta(seconds=calendar.elapsed_epoch(due, now, pauses))
    return -over, over
