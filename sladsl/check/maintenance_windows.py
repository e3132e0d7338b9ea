"""Checking dated maintenance windows (docs/semantics.md "Dated maintenance windows").

`maintenance on 2027-01-10 02:00-06:00 [backup 2027-01-17 02:00-06:00] [affecting a, b]`: local
times in the service's zone, turned into UTC epoch seconds here so every back end reads instants.
A mixin of `base.CheckerBase`, called once per service by `ServiceChecks.service`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from itertools import combinations

from sladsl import ast, model
from sladsl.check.base import CheckerBase
from sladsl.diagnostics import Diagnostic, DiagnosticError, Label
from sladsl.runtime.zones import parse_zone, wall_to_epoch

_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")


class MaintenanceWindowChecks(CheckerBase):
    def maintenance_windows(self, body: tuple, availability: model.AvailabilityTarget | None,
                            counting: model.Counting) -> tuple[model.MaintenanceWindow, ...]:
        """The service's dated windows, each misuse a diagnostic (E470-E475)."""
        stmts = [s for s in body if isinstance(s, ast.MaintenanceWindow)]
        if not stmts:
            return ()
        if availability is None:
            self.error("E475", "a dated maintenance window in a service with no availability target",
                       stmts[0].span, help="add `availability 99.9% per month`: the window's times "
                       "are read in the zone of the availability target")
            return ()
        built = [w for w in (self.guarded(s.span, self.maintenance_window, s, availability.zone, counting)
                             for s in stmts) if w is not None]
        self.windows_apart(built)
        return tuple(built)

    def maintenance_window(self, stmt: ast.MaintenanceWindow, zone: str,
                           counting: model.Counting) -> model.MaintenanceWindow:
        start, end = self.dated_window(stmt.window, zone)
        backup = None
        if stmt.backup is not None:
            backup = self.dated_window(stmt.backup, zone)
            if backup[0] < end:
                raise DiagnosticError(Diagnostic(
                    "E472", "the backup window starts before its primary window ends", stmt.backup.span,
                    labels=(Label(stmt.window.span, "the primary window"),),
                    help="a backup is used when the primary was not: date it after the primary"))
        return model.MaintenanceWindow(
            start, end, _text(stmt.window), backup, None if stmt.backup is None else _text(stmt.backup),
            self.affected_scopes(stmt, counting), span=stmt.span)

    def dated_window(self, node: ast.DatedWindow, zone: str) -> tuple[int, int]:
        """(start, end) in UTC epoch seconds of a window written in local time (E470, E474)."""
        first = self.parse_date(node.date, node.span)
        last = first if node.end_date is None else self.parse_date(node.end_date, node.span)
        opens, closes = _clock(node.start, closes=False), _clock(node.end, closes=True)
        if first is None or last is None:
            raise DiagnosticError(Diagnostic("E306", "the window's date is not valid", node.span,
                                             help="write YYYY-MM-DD"))
        if opens is None or closes is None:
            raise DiagnosticError(Diagnostic(
                "E470", f"`{_text(node)}` is not a time window", node.span,
                help="times run from 00:00 to 24:00, e.g. `2027-01-10 02:00-06:00`"))
        tz = parse_zone(zone)
        start_wall = datetime.combine(first, datetime.min.time()) + opens
        end_wall = datetime.combine(last, datetime.min.time()) + closes
        start, end = wall_to_epoch(tz, start_wall), wall_to_epoch(tz, end_wall)
        if end <= start:
            raise DiagnosticError(Diagnostic(
                "E470", f"the maintenance window `{_text(node)}` ends before it starts", node.span,
                help="a window across midnight names its end date: `2027-01-09 22:00-2027-01-10 04:00`"))
        self.window_in_effect(node, first, end_wall)
        return start, end

    def window_in_effect(self, node: ast.DatedWindow, first: date, end_wall: datetime) -> None:
        """E474: a window dated before the contract takes effect or after its last day."""
        effective, until = self.in_effect
        if effective is not None and first < effective:
            raise DiagnosticError(Diagnostic(
                "E474", f"the maintenance window `{_text(node)}` is before the contract takes effect "
                f"({effective.isoformat()})", node.span,
                help="date the window while the contract is in effect, or put it in the version in "
                     "effect then"))
        if until is not None and end_wall > datetime.combine(until + timedelta(days=1), datetime.min.time()):
            raise DiagnosticError(Diagnostic(
                "E474", f"the maintenance window `{_text(node)}` is after the contract's last day "
                f"({until.isoformat()})", node.span,
                help="date the window while the contract is in effect, or put it in the version in "
                     "effect then"))

    def affected_scopes(self, stmt: ast.MaintenanceWindow, counting: model.Counting) -> tuple[str, ...]:
        """E473: a partial-outage window names scopes the service lists (`measured per ... in`)."""
        if not stmt.affecting:
            return ()
        scopes = counting.scopes
        listed = scopes.names if scopes is not None else ()
        if not listed:
            raise DiagnosticError(Diagnostic(
                "E473", "the window names what it affects, but the service lists no scopes",
                stmt.affecting[0].span,
                help="list them: `measured per feature in reporting, exports, api`; outages then carry "
                     "a `scope` and only those of the named scopes are excused"))
        for name in stmt.affecting:
            if name.text not in listed:
                close = self.suggest("scope", name.text, listed)
                raise DiagnosticError(Diagnostic(
                    "E473", f"unknown {scopes.kind if scopes else 'scope'} `{name.text}`", name.span,
                    help=(f"did you mean `{close}`? " if close else "") + "the service lists "
                    + ", ".join(f"`{n}`" for n in listed)))
        return tuple(dict.fromkeys(n.text for n in stmt.affecting))

    def windows_apart(self, windows: list[model.MaintenanceWindow]) -> None:
        """E471: two declared windows (primaries or backups) that overlap and may take down the
        same scope; a window and its own backup are E472's concern."""
        spans = [(w, (w.start, w.end), w.text) for w in windows]
        spans += [(w, w.backup, w.backup_text) for w in windows if w.backup is not None]
        for (one, (a, b), text), (other, (c, d), other_text) in combinations(spans, 2):
            disjoint_scopes = one.scopes and other.scopes and not set(one.scopes) & set(other.scopes)
            if one is other or disjoint_scopes or not (a < d and c < b):
                continue
            first, second = (one, other) if one.span.line <= other.span.line else (other, one)
            self.error("E471", f"maintenance windows `{text}` and `{other_text}` overlap", second.span,
                       labels=[Label(first.span, "the other window")],
                       help="merge them into one window, or move one")


def _clock(text: str, *, closes: bool) -> timedelta | None:
    """`02:00` -> 2 h; `24:00` only as a closing time; None when not a time of day."""
    match = _TIME.fullmatch(text)
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not closes)):
        return None
    return timedelta(hours=hours, minutes=minutes)


def _text(node: ast.DatedWindow) -> str:
    end = node.end if node.end_date is None else f"{node.end_date} {node.end}"
    return f"{node.date} {node.start}-{end}"
