"""Dated maintenance windows (docs/semantics.md "Dated maintenance windows").

A contract declares windows by date (`maintenance on 2027-01-10 02:00-06:00 backup 2027-01-17
02:00-06:00 [affecting reporting, exports]`). The incidents file says which were used: a window is
used when a `maintenance` row overlaps it (a row naming no scope, or one the window affects). A
used window is excluded time for the scopes it affects (all, when it names none); the backup is a
window only when its primary was not used. Maintenance outside every used window is maintenance
like any other: the allowance clause decides, and without one it counts as downtime.

Windows are UTC epoch seconds (the checker read them in the service's zone). Part of the runtime:
standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

__all__ = ["used_windows", "apply_windows"]

_UTC = timezone.utc
Interval = tuple[datetime, datetime]


def _epoch(instant: datetime) -> float:
    return instant.timestamp()


def _applies(row_scope: str | None, scopes: Sequence[str]) -> bool:
    return row_scope is None or not scopes or row_scope in scopes


def _overlaps(window: tuple[int, int], rows: Sequence[tuple[datetime, datetime, str | None]],
              scopes: Sequence[str]) -> bool:
    start, end = window
    return any(_epoch(a) < end and start < _epoch(b) and _applies(s, scopes) for a, b, s in rows)


def used_windows(windows: Sequence[Any], maintenance: Sequence[tuple[datetime, datetime, str | None]]
                 ) -> list[dict[str, Any]]:
    """The declared windows in effect, in contract order: each `{start, end, scopes, backup,
    source_line}` (datetimes in UTC; `backup` True when the primary was not used and its backup was)."""
    out = []
    for window in windows:
        primary = (window["start"], window["end"])
        chosen, backup = None, False
        if _overlaps(primary, maintenance, window["scopes"]):
            chosen = primary
        elif window["backup"] is not None and _overlaps(window["backup"], maintenance, window["scopes"]):
            chosen, backup = window["backup"], True
        if chosen is not None:
            out.append({"start": datetime.fromtimestamp(chosen[0], _UTC),
                        "end": datetime.fromtimestamp(chosen[1], _UTC), "scopes": tuple(window["scopes"]),
                        "backup": backup, "source_line": window["source_line"]})
    return out


def _outside(spans: Sequence[Interval], holes: Sequence[Interval]) -> list[Interval]:
    """The parts of `spans` outside every hole."""
    out: list[Interval] = []
    for a, b in spans:
        pieces = [(a, b)]
        for x, y in holes:
            nxt = []
            for p, q in pieces:
                if _epoch(y) <= _epoch(p) or _epoch(x) >= _epoch(q):
                    nxt.append((p, q))
                    continue
                if _epoch(x) > _epoch(p):
                    nxt.append((p, x))
                if _epoch(y) < _epoch(q):
                    nxt.append((y, q))
            pieces = nxt
        out += pieces
    return out


def apply_windows(windows: Sequence[Any], clause: Any, rows: Sequence[tuple[datetime, datetime, str | None]],
                  scope: str | None, cut: list[Interval], works: list[Interval]
                  ) -> tuple[list[Interval], list[Interval], list[Interval]]:
    """(excluded, maintenance left to the allowance clause, maintenance that counts as downtime)
    for one scope (None: a service not measured per scope), given every maintenance row `rows`.

    Without declared windows nothing changes. With them, the used windows that affect `scope` are
    excluded; maintenance outside them goes to the allowance clause, or counts when there is none."""
    if not windows:
        return cut, works, []
    excused = [(w["start"], w["end"]) for w in used_windows(windows, rows)
               if not w["scopes"] or scope in w["scopes"]]
    rest = _outside(works, excused)
    if clause is None:
        return cut + excused, [], rest
    return cut + excused, rest, []
