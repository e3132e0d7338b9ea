"""Business-time arithmetic on a calendar: weekly windows in a zone, minus holidays (or, on a
holiday, the calendar's holiday hours).

Implements SEMANTICS.md "Business time", "Due instants" and "Business days". Every instant is
handled as whole epoch seconds on the UTC timeline; the local wall clock is consulted only when a
year of windows is laid out. The layout is a sorted table of windows (open, close as epoch
seconds, and the business seconds elapsed before each window since the table origin), built
lazily a year at a time and extended in both directions when a query leaves it:

    cum(t)      business seconds before t    = cum[j] + min(t - open[j], len[j])
    elapsed     cum(end) - cum(start)
    add         the earliest t with cum(t) == cum(start) + duration (bisect over cumend)

Conventions (see docs/semantics.md):
- A window bound read off the wall clock is the first instant at which the local clock reads
  that time or later: a bound inside a spring-forward gap is the end of the gap, a bound inside a
  repeated (fall-back) hour is its first occurrence (fold=0).
- Second precision: instants are truncated to the second that contains them, durations are
  rounded up to whole seconds (a budget is never shortened).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any, cast

from sladsl.runtime.zones import parse_zone, wall_to_epoch

__all__ = ["Calendar", "NoBusinessTime", "DAYS"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY = 86400
# Past the last holiday the weekly pattern always yields business time within a year; a search
# that runs this many years beyond the holidays without finding any is a calendar error.
_SEARCH_YEARS = 10
_ZERO = timedelta(0)
# Pauses: (start, end) pairs, aware datetimes (or epoch seconds) in the datetime API, epoch
# seconds in the `_epoch` API.
Pauses = Iterable[Sequence[Any]]
Week = Mapping[str, Iterable[Sequence[str]]]  # "mon" -> (("09:00", "17:00"), ...)


class HolidaysNotFrozen(ValueError):
    """A question needs a year for which the calendar's holiday dates were not frozen."""


class NoBusinessTime(ValueError):
    """The calendar has no business time at all, or none within the searched range."""


def _clock_seconds(text: object, *, is_close: bool) -> int:
    """Seconds after local midnight for `HH:MM` or `HH:MM:SS`; `24:00` only as a close."""
    if not isinstance(text, str):
        raise ValueError(f"window time must be a string like `09:00`, not {text!r}")
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(f"invalid time `{text}`: write it as `HH:MM`")
    hours, minutes = int(parts[0]), int(parts[1])
    seconds = int(parts[2]) if len(parts) == 3 else 0
    if minutes >= 60 or seconds >= 60:
        raise ValueError(f"invalid time `{text}`")
    value = hours * 3600 + minutes * 60 + seconds
    limit = _DAY if is_close else _DAY - 1
    if value > limit:
        hint = "" if is_close else ": `24:00` is only valid as a close"
        raise ValueError(f"invalid time `{text}`{hint}")
    return value


def _parse_week(week: object) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Per weekday (Monday first), sorted `(open, close)` seconds with touching windows joined."""
    if not hasattr(week, "items"):
        raise ValueError("week must map day names (`mon` .. `sun`) to lists of (open, close)")
    by_day: dict[str, Any] = {}
    for key, windows in week.items():
        day = str(key).strip().lower()[:3]
        if day not in DAYS or not str(key).strip().lower().startswith(day):
            raise ValueError(f"unknown weekday `{key}`: use `mon` .. `sun`")
        if day in by_day:
            raise ValueError(f"weekday `{key}` is given twice")
        by_day[day] = windows
    out = []
    for day in DAYS:
        spans = sorted(
            (_clock_seconds(o, is_close=False), _clock_seconds(c, is_close=True))
            for o, c in (by_day.get(day) or ())
        )
        joined: list[list[int]] = []
        for o, c in spans:
            if c <= o:
                raise ValueError(f"empty or reversed window on `{day}`: {_hhmm(o)}-{_hhmm(c)}")
            if joined and o < joined[-1][1]:
                raise ValueError(f"overlapping windows on `{day}` at {_hhmm(o)}")
            if joined and o == joined[-1][1]:
                joined[-1][1] = c
            else:
                joined.append([o, c])
        out.append(tuple((o, c) for o, c in joined))
    return tuple(out)


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}"


def _seconds(delta: timedelta) -> int:
    return delta.days * _DAY + delta.seconds


def _naive_error(what: str, value: datetime) -> ValueError:
    return ValueError(
        f"{what} {value.isoformat()} is a naive datetime: it needs a zone (tzinfo), "
        "e.g. datetime(..., tzinfo=ZoneInfo('Asia/Jakarta'))"
    )


def _epoch(value: datetime, what: str) -> int:
    """Whole epoch seconds of an aware datetime, truncated toward the past."""
    if not isinstance(value, datetime):
        raise TypeError(f"{what} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise _naive_error(what, value)
    ts = value.timestamp()
    t = int(ts)
    return t - 1 if t > ts else t


def _budget(duration: timedelta) -> int:
    """Whole seconds of a non-negative duration, rounded up."""
    if not isinstance(duration, timedelta):
        raise TypeError(f"duration must be a timedelta, not {type(duration).__name__}")
    seconds = duration.days * _DAY + duration.seconds + (1 if duration.microseconds else 0)
    if seconds < 0:
        raise ValueError(f"duration must not be negative, got {duration}")
    return seconds


class Calendar:
    """A zone, weekly windows and holiday dates; answers business-time questions exactly."""

    __slots__ = (
        "zone", "week", "holidays", "_fixed", "_hol_years", "_y_lo", "_y_hi",
        "_lo_ts", "_hi_ts", "_cum_lo", "_cum_hi", "_open", "_close", "_len", "_cum",
        "_cumend", "_ord", "_bdays", "version", "_batch_cache", "_frozen", "_days_cache",
        "holiday_hours",
    )

    def __init__(self, zone: str | tzinfo, week: Week, holidays: Iterable[date] = (), *,
                 holiday_years: Sequence[int] | None = None,
                 holiday_hours: Iterable[Sequence[str]] = ()) -> None:
        # holiday_years: (first, last) the holiday dates were frozen for; a question that needs a
        # year outside them raises HolidaysNotFrozen instead of silently assuming no holidays.
        # holiday_hours: the windows of a holiday date (`on holidays 24x7`); none: closed all day.
        if isinstance(zone, str):
            zone = parse_zone(zone)
        elif not isinstance(zone, tzinfo):
            raise TypeError(f"zone must be a zone name or a tzinfo, not {type(zone).__name__}")
        self.zone = zone
        self.week = _parse_week(week)
        self.holiday_hours = _parse_week({"mon": holiday_hours})[0]
        if not any(self.week):
            raise NoBusinessTime("the calendar has no business hours on any weekday")
        ordinals = set()
        for day in holidays:
            if isinstance(day, datetime) or not isinstance(day, date):
                raise TypeError(f"holidays must be dates, got {day!r}")
            ordinals.add(day.toordinal())
        self.holidays = frozenset(ordinals)
        years = [date.fromordinal(o).year for o in ordinals] or [1970]
        self._hol_years = (min(years), max(years))
        self._frozen = tuple(holiday_years) if holiday_years else None
        self._fixed = _fixed_offset(zone)
        self._y_lo = self._y_hi = 0
        self._lo_ts = self._hi_ts = 0
        self._cum_lo = self._cum_hi = 0
        self._open: list[int] = []
        self._close: list[int] = []
        self._len: list[int] = []
        self._cum: list[int] = []
        self._cumend: list[int] = []
        self._ord: list[int] = []
        self._bdays: list[int] = []
        self.version = 0
        self._batch_cache: Any = None  # sladsl.runtime.batch: bucket tables
        self._days_cache: Any = None  # sladsl.runtime.batch: the table as arrays with UTC offsets

    def __repr__(self) -> str:
        return f"Calendar(zone={self.zone!s}, years={self._y_lo}..{self._y_hi - 1})"

    # -- public API on datetimes ---------------------------------------------------------------

    def add(self, start: datetime, duration: timedelta, pauses: Pauses = ()) -> datetime:
        """The earliest instant at which `duration` of business time has elapsed since `start`."""
        # Hot path: the body of _cum and _inverse is inlined (see benchmarks/bench_runtime.py).
        if start.__class__ is not datetime or start.tzinfo is None:
            t = _epoch(start, "start")
        else:
            ts = start.timestamp()
            t = int(ts)
            if t > ts:
                t -= 1
        d = _budget(duration)
        if pauses:
            return datetime.fromtimestamp(self._add_paused(t, d, pauses), self.zone)
        if d == 0:
            return datetime.fromtimestamp(self.next_open_epoch(t), self.zone)
        if not self._lo_ts <= t < self._hi_ts:
            self._cover(t)
        opens = self._open
        j = bisect_right(opens, t) - 1
        if j < 0:
            target = self._cum_lo + d
        else:
            over = t - opens[j]
            length = self._len[j]
            target = self._cum[j] + (over if over < length else length) + d
        if target > self._cum_hi:
            self._grow_to(target)
            opens = self._open
        k = bisect_left(self._cumend, target)
        return datetime.fromtimestamp(opens[k] + target - self._cum[k], self.zone)

    def elapsed(self, start: datetime, end: datetime, pauses: Pauses = ()) -> timedelta:
        """Business time in `[start, end)` outside the pauses; zero when `end <= start`."""
        if pauses or start.__class__ is not datetime or end.__class__ is not datetime \
                or start.tzinfo is None or end.tzinfo is None:
            return timedelta(
                seconds=self.elapsed_epoch(_epoch(start, "start"), _epoch(end, "end"), pauses)
            )
        # Hot path: _epoch and cum_epoch inlined.
        ts = start.timestamp()
        s = int(ts)
        if s > ts:
            s -= 1
        ts = end.timestamp()
        e = int(ts)
        if e > ts:
            e -= 1
        if e <= s:
            return _ZERO
        if not self._lo_ts <= s < self._hi_ts:
            self._cover(s)
        if not self._lo_ts <= e < self._hi_ts:
            self._cover(e)
        opens, lengths, cums = self._open, self._len, self._cum
        j = bisect_right(opens, e) - 1
        if j < 0:
            return _ZERO
        over = e - opens[j]
        length = lengths[j]
        total = cums[j] + (over if over < length else length)
        j = bisect_right(opens, s, 0, j + 1) - 1
        if j < 0:
            total -= self._cum_lo
        else:
            over = s - opens[j]
            length = lengths[j]
            total -= cums[j] + (over if over < length else length)
        return timedelta(seconds=total)

    def add_business_days(self, start: datetime, n: int) -> datetime:
        """SEMANTICS.md "Business days": N business dates later, same clock time, clamped."""
        return datetime.fromtimestamp(
            self.add_business_days_epoch(_epoch(start, "start"), n), self.zone
        )

    def is_open(self, instant: datetime) -> bool:
        """Whether `instant` lies inside a business window."""
        return self.is_open_epoch(_epoch(instant, "instant"))

    def next_open(self, instant: datetime) -> datetime:
        """`instant` itself if open, else the next window opening."""
        return datetime.fromtimestamp(self.next_open_epoch(_epoch(instant, "instant")), self.zone)

    def windows(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Business windows intersecting `[start, end)`, clipped, joined where they touch."""
        zone = self.zone
        spans = self.windows_epoch(_epoch(start, "start"), _epoch(end, "end"))
        return iter(
            [(datetime.fromtimestamp(a, zone), datetime.fromtimestamp(b, zone)) for a, b in spans]
        )

    def add_many(self, starts: Any, durations: Any, *, use_numpy: bool | None = None) -> Any:
        """Batch `add` on epoch seconds; see sladsl.runtime.batch."""
        from sladsl.runtime.batch import add_many

        return add_many(self, starts, durations, use_numpy=use_numpy)

    def elapsed_many(self, starts: Any, ends: Any, *, use_numpy: bool | None = None) -> Any:
        """Batch `elapsed` on epoch seconds; see sladsl.runtime.batch."""
        from sladsl.runtime.batch import elapsed_many

        return elapsed_many(self, starts, ends, use_numpy=use_numpy)

    def cover(self, first_year: int, last_year: int) -> None:
        """Lay out the windows of local years `first_year..last_year` now rather than lazily."""
        if not self._y_hi:
            self._init_table(first_year, last_year + 1)
        if first_year < self._y_lo:
            self._extend_back(first_year)
        if last_year + 1 > self._y_hi:
            self._extend_forward(last_year + 1)

    # -- the same API on epoch seconds (what generated evaluators and batch code use) ----------

    def cum_epoch(self, t: int) -> int:
        """Business seconds between the table origin and `t` (only differences are meaningful)."""
        if not self._lo_ts <= t < self._hi_ts:
            self._cover(t)
        j = bisect_right(self._open, t) - 1
        if j < 0:
            return self._cum_lo
        over = t - self._open[j]
        length = self._len[j]
        return self._cum[j] + (over if over < length else length)

    def instant_epoch(self, target: int) -> int:
        """The earliest instant `t` with `cum_epoch(t) >= target` (a close, not the next open)."""
        if target > self._cum_hi:
            self._grow_to(target)
        k = bisect_left(self._cumend, target)
        if k == 0 and target <= self._cum[0]:
            raise ValueError("target lies before the calendar table; compute it with cum_epoch")
        return self._open[k] + target - self._cum[k]

    def add_epoch(self, t: int, seconds: int, pauses: Pauses = ()) -> int:
        """`add` on epoch seconds; pauses are (from, to) epoch-second pairs."""
        if seconds < 0:
            raise ValueError(f"duration must not be negative, got {seconds} s")
        if pauses:
            return self._add_paused(t, seconds, pauses, epoch=True)
        if seconds == 0:
            return self.next_open_epoch(t)
        return self.instant_epoch(self.cum_epoch(t) + seconds)

    def elapsed_epoch(self, s: int, e: int, pauses: Pauses = ()) -> int:
        """`elapsed` on epoch seconds."""
        if e <= s:
            return 0
        total = self.cum_epoch(e) - self.cum_epoch(s)
        for p0, p1 in self._pauses(pauses, s, epoch=False):
            if p0 >= e:
                break
            total -= self.cum_epoch(min(p1, e)) - self.cum_epoch(p0)
        return total

    def is_open_epoch(self, t: int) -> bool:
        if not self._lo_ts <= t < self._hi_ts:
            self._cover(t)
        j = bisect_right(self._open, t) - 1
        return j >= 0 and t < self._close[j]

    def next_open_epoch(self, t: int) -> int:
        if not self._lo_ts <= t < self._hi_ts:
            self._cover(t)
        j = bisect_right(self._open, t) - 1
        if j >= 0 and t < self._close[j]:
            return t
        while j + 1 >= len(self._open):
            self._extend_forward(self._y_hi + 1)
        return self._open[j + 1]

    def prev_close_epoch(self, t: int) -> tuple[int, int]:
        """Index and instant of the last window close at or before `t`."""
        if not self._lo_ts <= t < self._hi_ts:
            self._cover(t)
        j = bisect_right(self._close, t) - 1
        while j < 0:
            self._extend_back(self._y_lo - 1)
            j = bisect_right(self._close, t) - 1
        return j, self._close[j]

    def add_business_days_epoch(self, t: int, n: int) -> int:
        """`add_business_days` on epoch seconds."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, not {type(n).__name__}")
        if n < 0:
            raise ValueError(f"business days must not be negative, got {n}")
        j, anchor = self.anchor_epoch(t)
        day = self._ord[j]
        clock = self._clock_on(day, anchor)
        p = bisect_left(self._bdays, day)
        self.lay_out_business_dates(p + n + 1)
        target_day = self._bdays[p + n]
        candidate = self._wall_epoch(target_day, clock)
        lo = bisect_left(self._ord, target_day)
        hi = bisect_right(self._ord, target_day)
        if candidate <= self._open[lo]:
            return self._open[lo]
        k = bisect_right(self._open, candidate, lo, hi) - 1
        return min(candidate, self._close[k])

    def anchor_epoch(self, t: int) -> tuple[int, int]:
        """The business-day anchor of `t` (SEMANTICS.md "Business days"): the index of the window
        holding the last business moment at or before `t`, and that moment's end.

        That window is the last one opening strictly before `t`: the anchor is `t` itself when
        `t` lies inside it or on its close, else its close. A start exactly at an opening has no
        business time behind it in that window, so it anchors at the previous close; a midnight
        opening joined to a `24:00` close anchors at that close (24:00 of the earlier date).
        """
        if not self._lo_ts <= t < self._hi_ts:
            self._cover(t)
        j = bisect_left(self._open, t) - 1
        while j < 0:
            self._extend_back(self._y_lo - 1)
            j = bisect_left(self._open, t) - 1
        close = self._close[j]
        return j, t if t < close else close

    def lay_out_business_dates(self, count: int) -> None:
        """Extend the table forward until it holds at least `count` business dates.

        One extension sized from the business dates per year seen so far, so "20,000 business
        days" lays out its centuries once instead of a year at a time (batch tables are rebuilt
        after every extension). It stops at the frozen holiday years, where the next extension
        raises `HolidaysNotFrozen` as any question beyond them does.
        """
        while len(self._bdays) < count:
            years = max(1, self._y_hi - self._y_lo)
            per_year = max(1, len(self._bdays) // years)
            more = -(-(count - len(self._bdays)) // per_year) + 1
            if self._frozen:  # up to the last frozen year; past it one year, which raises
                more = max(1, min(more, self._frozen[1] + 1 - self._y_hi))
            if self._y_hi > 9998:
                raise ValueError("the answer lies beyond the supported years 2..9998")
            self._extend_forward(min(self._y_hi + more, 9999))

    def windows_epoch(self, s: int, e: int) -> list[tuple[int, int]]:
        """`windows` on epoch seconds, as a list."""
        if e <= s:
            return []
        if not self._lo_ts <= s < self._hi_ts:
            self._cover(s)
        if not self._lo_ts <= e - 1 < self._hi_ts:
            self._cover(e - 1)
        opens, closes = self._open, self._close
        out: list[list[int]] = []
        j = bisect_right(closes, s)
        while j < len(opens) and opens[j] < e:
            a, b = max(opens[j], s), min(closes[j], e)
            if out and out[-1][1] == a:
                out[-1][1] = b
            else:
                out.append([a, b])
            j += 1
        return [(a, b) for a, b in out]

    def table(self) -> tuple[list[int], list[int], list[int], list[int]]:
        """The current window table: opens, closes, cum before each open, cum at each close."""
        return self._open, self._close, self._cum, self._cumend

    # -- pauses ---------------------------------------------------------------------------------

    def _pauses(self, pauses: Pauses, s: int, *, epoch: bool) -> list[list[int]]:
        """Merged pauses (overlapping or touching ones join) ending after `s`, clipped to `s`."""
        spans = []
        for item in pauses:
            p0, p1 = item
            if not epoch:
                p0 = p0 if isinstance(p0, int) else _epoch(p0, "pause start")
                p1 = p1 if isinstance(p1, int) else _epoch(p1, "pause end")
            if p1 < p0:
                raise ValueError("a pause ends before it starts")
            if p1 > s and p1 > p0:
                spans.append((max(p0, s), p1))
        spans.sort()
        merged: list[list[int]] = []
        for p0, p1 in spans:
            if merged and p0 <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], p1)
            else:
                merged.append([p0, p1])
        return merged

    def _add_paused(self, t: int, d: int, pauses: Pauses, epoch: bool = False) -> int:
        merged = self._pauses(pauses, t, epoch=epoch)
        if d == 0:
            # The clock runs when a window is open and no pause holds it.
            u = self.next_open_epoch(t)
            for p0, p1 in merged:
                if p0 <= u < p1:
                    u = self.next_open_epoch(p1)
            return u
        target = self.cum_epoch(t) + d
        for p0, p1 in merged:
            if p0 >= self.instant_epoch(target):
                break
            target += self.cum_epoch(p1) - self.cum_epoch(p0)
        return self.instant_epoch(target)

    # -- the window table ---------------------------------------------------------------------

    def _cover(self, t: int) -> None:
        """Extend the table by whole local years until it contains instant `t`."""
        # The local year: the table is laid out by local years, and holidays are frozen for local
        # years (2026-12-31 20:00 UTC is 2027-01-01 in UTC+07:00, inside a 2027.. range).
        year = datetime.fromtimestamp(t, self.zone).year if -62e9 < t < 253e9 else 0
        if not 1 < year < 9999:
            raise ValueError(f"instant {t} is outside the supported years 2..9998")
        if not self._y_hi:
            self._init_table(year, year + 1)
        while t < self._lo_ts:
            self._extend_back(min(year, self._y_lo - 1))
        while t >= self._hi_ts:
            self._extend_forward(max(year + 1, self._y_hi + 1))

    def _grow_to(self, target: int) -> None:
        """Extend forward until the table holds `target` business seconds."""
        while target > self._cum_hi:
            self._extend_forward(self._y_hi + 1)

    def _init_table(self, y_lo: int, y_hi: int) -> None:
        opens, closes, ords = self._lay_out(y_lo, y_hi)
        self._y_lo, self._y_hi = y_lo, y_hi
        self._lo_ts = self._wall_epoch(date(y_lo, 1, 1).toordinal(), 0)
        self._hi_ts = self._wall_epoch(date(y_hi, 1, 1).toordinal(), 0)
        self._open, self._close, self._ord = opens, closes, ords
        self._len = [c - o for o, c in zip(opens, closes)]
        self._cum, self._cumend = _prefix(self._len, 0)
        self._cum_lo, self._cum_hi = 0, self._cumend[-1] if opens else 0
        self._bdays = sorted(set(ords))
        self.version += 1
        while not self._open:
            self._extend_forward(self._y_hi + 1)

    def _extend_forward(self, y_hi: int) -> None:
        if not self._y_hi:
            raise AssertionError("table not initialised")
        last_open = self._close[-1] if self._open else None
        self._check_search(y_hi - 1, self._hol_years[1], last_open, self._hi_ts)
        opens, closes, ords = self._lay_out(self._y_hi, y_hi)
        lengths = [c - o for o, c in zip(opens, closes)]
        cum, cumend = _prefix(lengths, self._cum_hi)
        self._open += opens
        self._close += closes
        self._ord += ords
        self._len += lengths
        self._cum += cum
        self._cumend += cumend
        if cumend:
            self._cum_hi = cumend[-1]
        self._bdays += sorted(set(ords))
        self._y_hi = y_hi
        self._hi_ts = self._wall_epoch(date(y_hi, 1, 1).toordinal(), 0)
        self.version += 1

    def _extend_back(self, y_lo: int) -> None:
        first_open = self._open[0] if self._open else None
        self._check_search(y_lo, self._hol_years[0], first_open, self._lo_ts)
        opens, closes, ords = self._lay_out(y_lo, self._y_lo)
        lengths = [c - o for o, c in zip(opens, closes)]
        start = self._cum_lo - sum(lengths)
        cum, cumend = _prefix(lengths, start)
        self._open = opens + self._open
        self._close = closes + self._close
        self._ord = ords + self._ord
        self._len = lengths + self._len
        self._cum = cum + self._cum
        self._cumend = cumend + self._cumend
        self._cum_lo = start
        self._bdays = sorted(set(ords)) + self._bdays
        self._y_lo = y_lo
        self._lo_ts = self._wall_epoch(date(y_lo, 1, 1).toordinal(), 0)
        self.version += 1

    def _check_search(self, year: int, holiday_year: int, nearest: int | None, edge: int) -> None:
        """Stop a search for business time that has run far past the holidays (never loop)."""
        if not 2 <= year <= 9998:
            raise NoBusinessTime(f"no business time found before reaching year {year}")
        if abs(year - holiday_year) > _SEARCH_YEARS and (
            nearest is None or abs(edge - nearest) > _SEARCH_YEARS * 366 * _DAY
        ):
            raise NoBusinessTime(
                f"no business time within {_SEARCH_YEARS} years past the last holiday"
            )

    def _lay_out(self, y_lo: int, y_hi: int) -> tuple[list[int], list[int], list[int]]:
        """Windows of local years [y_lo, y_hi) as epoch-second opens, closes and date ordinals."""
        if self._frozen and (y_lo < self._frozen[0] or y_hi - 1 > self._frozen[1]):
            first, last = self._frozen
            year = y_lo if y_lo < first else y_hi - 1
            raise HolidaysNotFrozen(
                f"this calendar's holidays are frozen for {first}-{last}; the question needs {year}: "
                "rebuild the contract with a wider holiday year range")
        first = date(y_lo, 1, 1).toordinal()
        last = date(y_hi, 1, 1).toordinal()
        opens: list[int] = []
        closes: list[int] = []
        ords: list[int] = []
        week, holidays, holiday_hours = self.week, self.holidays, self.holiday_hours
        weekday = (first + 6) % 7
        if self._fixed is not None:
            base = (first - _EPOCH_ORDINAL) * _DAY - self._fixed
            for o in range(first, last):
                spans = holiday_hours if o in holidays else week[weekday]
                if spans:
                    for a, b in spans:
                        opens.append(base + a)
                        closes.append(base + b)
                        ords.append(o)
                base += _DAY
                weekday = weekday + 1 if weekday < 6 else 0
            return opens, closes, ords
        # A zone with transitions: one offset lookup per local midnight; a day whose two
        # midnights share an offset has no transition (two cancelling transitions within one
        # day do not occur in the tz database), other days map each bound exactly.
        # A zone's offset of a naive local time is never None (only for naive zones).
        utcoffset = cast(Callable[[datetime], timedelta], self.zone.utcoffset)
        one_day = timedelta(days=1)
        midnight = datetime.fromordinal(first)
        off = utcoffset(midnight)
        base = (first - _EPOCH_ORDINAL) * _DAY
        for o in range(first, last):
            midnight += one_day
            next_off = utcoffset(midnight)
            spans = holiday_hours if o in holidays else week[weekday]
            if spans:
                if off == next_off:
                    shift = base - off.days * _DAY - off.seconds
                    for a, b in spans:
                        opens.append(shift + a)
                        closes.append(shift + b)
                        ords.append(o)
                else:
                    for a, b in spans:
                        a_ts, b_ts = self._wall_epoch(o, a), self._wall_epoch(o, b)
                        if a_ts < b_ts:
                            opens.append(a_ts)
                            closes.append(b_ts)
                            ords.append(o)
            off = next_off
            base += _DAY
            weekday = weekday + 1 if weekday < 6 else 0
        return opens, closes, ords

    def _wall_epoch(self, ordinal: int, seconds: int) -> int:
        """The first instant at which the local clock reads `seconds` after midnight of the date."""
        if self._fixed is not None:
            return (ordinal - _EPOCH_ORDINAL) * _DAY + seconds - self._fixed
        return wall_to_epoch(self.zone, datetime.fromordinal(ordinal) + timedelta(seconds=seconds))

    def _clock_on(self, ordinal: int, t: int) -> int:
        """Wall-clock seconds of instant `t` counted from midnight of the given local date."""
        wall = datetime.fromtimestamp(t, self.zone).replace(tzinfo=None)
        return _seconds(wall - datetime.fromordinal(ordinal))


def _prefix(lengths: list[int], start: int) -> tuple[list[int], list[int]]:
    cum: list[int] = []
    cumend: list[int] = []
    total = start
    for length in lengths:
        cum.append(total)
        total += length
        cumend.append(total)
    return cum, cumend


def _fixed_offset(zone: tzinfo) -> int | None:
    """Offset in seconds of a fixed-offset zone (datetime.timezone), else None."""
    if isinstance(zone, timezone):
        return _seconds(zone.utcoffset(None))
    return None
