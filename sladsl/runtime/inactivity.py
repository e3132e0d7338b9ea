"""Inactivity timers: the states the helpdesk drives while a ticket waits (docs/semantics.md
"Inactivity timers").

Part of the runtime (standard library and `sladsl.runtime` only): the live view
(runtime/live.py) answers, for a contract with `inactivity while status ...`, the state reached
so far and the next one with its due instant. The rules:

- the timer starts when the ticket enters one of the statuses (from another status) and stops
  when it leaves them or is resolved; a `customer_reply` while it runs starts it again;
- the steps are counted one after another on the rule's calendar: the first from the start,
  each next one from the due instant of the step before it;
- a step is reached once `now` is at or past its due instant; only events at or before `now`
  count (the state at `now`);
- without an event log there are no statuses to read: no answer, and the reason says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sladsl.runtime.clock import Calendar

__all__ = ["NO_EVENT_LOG", "inactivity_start", "inactivity_steps", "inactivity_transitions"]

NO_EVENT_LOG = ("no event log: the inactivity timer reads the ticket's status changes and customer "
                "replies (`--events`)")


def inactivity_start(rule: Mapping[str, Any], events: Iterable[tuple[int, str, str | None]],
                     now: int) -> int | None:
    """The instant the timer running at `now` started (epoch seconds), or None when none runs.
    `events`: (instant, kind, value) in time order."""
    statuses = {s.casefold() for s in rule["statuses"]}
    start: int | None = None
    for at, kind, value in events:
        if at > now:  # not yet known at `now`
            continue
        if kind == "status":
            waiting = (value or "").casefold() in statuses
            start = (start if start is not None else at) if waiting else None
        elif kind == "customer_reply" and start is not None:
            start = at
        elif kind == "resolved":
            start = None
    return start


def inactivity_steps(rule: Mapping[str, Any], calendar: Calendar, start: int,
                     now: int) -> tuple[str | None, str | None, int | None]:
    """(the last state reached by `now`, the next state, its due instant) of a timer started at
    `start`: each step is due its duration after the one before it, on `calendar`."""
    reached: str | None = None
    for name, due in inactivity_transitions(rule, calendar, start):
        if due > now:
            return reached, name, due
        reached = name
    return reached, None, None


def inactivity_transitions(rule: Mapping[str, Any], calendar: Calendar,
                           start: int) -> list[tuple[str, int]]:
    """(state, due instant) of every step of a timer started at `start`, in order."""
    out: list[tuple[str, int]] = []
    at = start
    for name, seconds, days, _text in rule["steps"]:
        at = calendar.add_epoch(at, seconds, []) if seconds is not None \
            else calendar.add_business_days_epoch(at, days)
        out.append((name, at))
    return out
