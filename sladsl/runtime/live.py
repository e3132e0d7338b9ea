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
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from sladsl.runtime.clock import Calendar

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
    verdict = evaluator.evaluate_ticket({**ticket, "pauses": pauses, "now": now})
    updates = sorted(_truncated(u) for u in ticket.get("updates") or ())
    clocks = []
    for result in verdict["results"]:
        clocks.append(_clock(evaluator, {**ticket, "plan": verdict["plan"]}, verdict["priority"],
                             result, now, pauses, since, updates, "updates" in ticket))
    out = {"id": verdict["id"], "priority": verdict["priority"], "plan": verdict["plan"],
           "now": now, "clocks": clocks}
    if "reason" in verdict:  # no version of the contract in effect (docs/semantics.md "Versions")
        out["reason"] = verdict["reason"]
    return out


def _clock(evaluator: Evaluator, ticket: Any, priority: str | None, result: Result, now: datetime,
           pauses: list[tuple[datetime, datetime]], since: datetime | None,
           updates: list[datetime], has_updates: bool) -> Result:
    calendar = evaluator.calendar(result["calendar"])
    out = {key: result[key] for key in ("metric", "target", "calendar", "status", "reason", "due",
                                        "event_at", "source_line")}
    out.update(clock="not judged" if result["status"] == "not judged" else "stopped",
               next_due=None, left=None, overdue_by=None, paused_since=None)
    if result["status"] == "not judged":
        return out
    resolved = evaluator._lookup(result["metric"], priority, ticket.get("plan"),
                                 ticket.get("addons") or (), ticket.get("channel"),
                                 evaluator._chosen(ticket, ticket.get("channel")))
    cadence = resolved is not None and resolved.target["every"] and has_updates
    # A cadence runs until the resolution (an overrunning update ends one interval, not the
    # clock); any other clock stops at its stop event.
    if (ticket.get("resolved_at") is not None) if cadence else (result["event_at"] is not None):
        return out
    next_due = result["due"]
    if cadence:
        assert resolved is not None
        # `update every N`: the interval running at `now` starts at the last update so far.
        start = max([_truncated(ticket["opened_at"])] + [u for u in updates if u <= now],
                    key=lambda t: t.astimezone(_UTC))
        next_due = evaluator._due(calendar, resolved.delta, resolved.days, start, pauses)
    out.update(clock="paused" if since is not None else "running", next_due=next_due,
               paused_since=since)
    out["left"], out["overdue_by"] = _left(calendar, now, next_due, pauses)
    return out


def _left(calendar: Calendar, now: datetime, due: datetime,
          pauses: list[tuple[datetime, datetime]]) -> tuple[timedelta, timedelta | None]:
    """(left, overdue_by): business time to `due`, or minus the business time past it."""
    if now.astimezone(_UTC) <= due.astimezone(_UTC):  # on the UTC timeline (PEP 495)
        return calendar.elapsed(now, due, pauses), None
    over = calendar.elapsed(due, now, pauses)
    return -over, over
