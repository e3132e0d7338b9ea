"""A slow, obviously correct business-time reference, written apart from sladsl.runtime.clock.

It walks the UTC timeline minute by minute and reads the local wall clock with zoneinfo at every
step. Every input must lie on whole minutes (window times, instants, pauses; durations may have
seconds): then each minute [t, t + 60) is entirely open or entirely closed.

The one convention it shares with the runtime is the definition of a window bound (SEMANTICS.md
leaves it open): a bound is the first instant at which the local clock reads that time or later,
so a bound in a spring-forward gap is the end of the gap and one in a repeated hour is its first
occurrence.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTE = 60
STEP_LIMIT = 3_000_000  # about 5.7 years of minutes: enough for any test, stops a runaway


def clock_seconds(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


class Reference:
    """Minute-stepping business clock over `week` windows in `zone`, minus `holidays` (which
    have the `holiday_hours` windows instead, none by default)."""

    def __init__(self, zone, week, holidays=(), holiday_hours=()):
        self.zone = zone
        self.week = {
            index: [(clock_seconds(o), clock_seconds(c)) for o, c in week.get(name, [])]
            for index, name in enumerate(DAY_NAMES)
        }
        self.holidays = set(holidays)
        self.holiday_hours = [(clock_seconds(o), clock_seconds(c)) for o, c in holiday_hours]
        self._days: dict[date, list[tuple[int, int]]] = {}

    def wall(self, t: int) -> datetime:
        """The local wall-clock reading (naive) at epoch second t."""
        return datetime.fromtimestamp(t, self.zone).replace(tzinfo=None)

    def bound(self, day: date, seconds: int) -> int:
        """First whole minute at which the wall clock reads day 00:00 + seconds or later."""
        target = datetime.combine(day, time()) + timedelta(seconds=seconds)
        # No zone is more than 14 h ahead of UTC, so 15 h before "target read as UTC" the
        # clock reads less than target.
        t = int(target.replace(tzinfo=timezone.utc).timestamp()) - 15 * 3600
        assert self.wall(t) < target
        while self.wall(t) < target:
            t += MINUTE
        return t

    def day_windows(self, day: date) -> list[tuple[int, int]]:
        """The UTC windows (epoch seconds) of a local date; empty ones dropped."""
        if day not in self._days:
            out = []
            spans = self.holiday_hours if day in self.holidays else self.week[day.weekday()]
            for o, c in spans:
                start, end = self.bound(day, o), self.bound(day, c)
                if start < end:
                    out.append((start, end))
            self._days[day] = out
        return self._days[day]

    def window_day(self, t: int) -> date | None:
        """The local date whose window contains instant t, if any."""
        today = self.wall(t).date()
        for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
            for start, end in self.day_windows(day):
                if start <= t < end:
                    return day
        return None

    def is_open(self, t: int) -> bool:
        return self.window_day(t) is not None

    def running(self, t: int, pauses) -> bool:
        return self.is_open(t) and not any(p0 <= t < p1 for p0, p1 in pauses)

    def elapsed(self, s: int, e: int, pauses=()) -> int:
        total = 0
        for t in range(s, e, MINUTE):
            if self.running(t, pauses):
                total += MINUTE
        return total

    def add(self, s: int, seconds: int, pauses=()) -> int:
        """Earliest instant by which `seconds` of running time has passed since s."""
        remaining = seconds
        t = s
        for _ in range(STEP_LIMIT):
            if self.running(t, pauses):
                if remaining <= MINUTE:
                    return t + remaining
                remaining -= MINUTE
            t += MINUTE
        raise RuntimeError("reference add ran too long")

    def next_open(self, t: int) -> int:
        for _ in range(STEP_LIMIT):
            if self.is_open(t):
                return t
            t += MINUTE
        raise RuntimeError("reference next_open ran too long")

    def add_business_days(self, s: int, n: int) -> int:
        """SEMANTICS.md "Business days", minute by minute.

        The anchor is the end of the last open minute that ends at or before s: s itself when
        the minute before s is open, else found by walking back (so a start exactly at an
        opening walks back to the previous close). Its date is the date of that open minute's
        window, its clock time the wall-clock reading at the anchor counted from that date's
        midnight (24:00 for a midnight close). Then the n-th following date that has a window,
        the same clock time, clamped into that date's windows.
        """
        anchor = s
        for _ in range(STEP_LIMIT):
            if self.is_open(anchor - MINUTE):
                break
            anchor -= MINUTE
        else:
            raise RuntimeError("reference anchor search ran too long")
        day = self.window_day(anchor - MINUTE)
        clock = self.wall(anchor) - datetime.combine(day, time())
        clock_s = clock.days * 86400 + clock.seconds
        moved = 0
        while moved < n:
            day += timedelta(days=1)
            if self.day_windows(day):
                moved += 1
        wanted = self.bound(day, clock_s)
        windows = self.day_windows(day)
        if wanted <= windows[0][0]:
            return windows[0][0]
        for start, end in reversed(windows):
            if start <= wanted:
                return min(wanted, end)
        raise AssertionError("unreachable")

    def windows(self, s: int, e: int) -> list[tuple[int, int]]:
        """Maximal runs of open minutes inside [s, e)."""
        out: list[list[int]] = []
        for t in range(s, e, MINUTE):
            if self.is_open(t):
                if out and out[-1][1] == t:
                    out[-1][1] = t + MINUTE
                else:
                    out.append([t, t + MINUTE])
        return [(a, b) for a, b in out]
