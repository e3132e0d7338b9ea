"""Batch business-time arithmetic on epoch seconds, vectorised with NumPy when it is installed.

`add_many(cal, starts, durations)` and `elapsed_many(cal, starts, ends)` give exactly the answers
of `Calendar.add_epoch` / `Calendar.elapsed_epoch` element by element (no pauses: a batch is a
replay of tickets whose pauses the caller has already subtracted). Without NumPy, or with
`use_numpy=False`, they loop over the scalar code.

The NumPy path is O(1) per ticket, without a binary search per element: windows that touch
(22:00-24:00 then 00:00-06:00) are joined into stretches, and two bucket tables map

    time axis   t >> shift          -> the one stretch that matters inside that bucket
    budget axis (2 * target - 1 + zero) >> shift -> the stretch(es) where the budget runs out

Bucket widths are powers of two no wider than the shortest stretch or gap, so a bucket holds at
most one stretch edge and the answer is a clip (time axis) or a single comparison (budget axis).
Where a calendar has edges closer than the width the tables can afford (tiny windows), the few
affected buckets are flagged and their tickets answered by `np.searchsorted` on the windows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sladsl.runtime.clock import Calendar

# NumPy is optional and imported lazily, so its module and arrays are typed `Any` here.
Array = Any
NumPy = Any

__all__ = ["add_many", "add_business_days_many", "elapsed_many", "have_numpy"]

# Bucket tables are kept below this many entries; denser calendars use the flagged fallback.
_MAX_BUCKETS = 1 << 22
_MAX_SHIFT = 20  # buckets of at most ~12 days


def have_numpy() -> bool:
    try:
        import numpy  # noqa: F401  (probe only)
    except ImportError:
        return False
    return True


def _numpy(use_numpy: bool | None) -> NumPy:
    if use_numpy is False:
        return None
    try:
        import numpy
    except ImportError:
        if use_numpy:
            raise
        return None
    return numpy


def add_many(cal: Calendar, starts: Iterable[int] | Array, durations: Iterable[int] | Array, *,
             use_numpy: bool | None = None) -> list[int] | Array:
    """Due instants (epoch seconds) for tickets opened at `starts` with `durations` seconds."""
    np = _numpy(use_numpy)
    if np is None:
        starts, durations = list(starts), list(durations)
        if len(starts) != len(durations):
            raise ValueError("starts and durations differ in length")
        add = cal.add_epoch
        return [add(int(t), int(d)) for t, d in zip(starts, durations)]
    t = np.asarray(starts, dtype=np.int64)
    d = np.asarray(durations, dtype=np.int64)
    if t.shape != d.shape:
        raise ValueError("starts and durations differ in length")
    if t.size == 0:
        return np.zeros(t.shape, dtype=np.int64)
    if d.min() < 0:
        raise ValueError("durations must not be negative")
    cal.cum_epoch(int(t.min()))
    cal.cum_epoch(int(t.max()))
    c = _tables(np, cal).cum(t)
    # Key on the doubled budget axis: 2c - 1 finds where a positive budget is used up (a close
    # stays a close); 2c finds the next opening for a zero budget (SEMANTICS.md "Due instants").
    c += d
    key = c * 2
    key -= d != 0
    top = int(key.max())
    if top >= 2 * cal._cum_hi:
        cal._grow_to(top // 2 + 1)
    return _tables(np, cal).due(c, key)


def elapsed_many(cal: Calendar, starts: Iterable[int] | Array, ends: Iterable[int] | Array, *,
                 use_numpy: bool | None = None) -> list[int] | Array:
    """Business seconds in [start, end) per ticket; 0 where end <= start."""
    np = _numpy(use_numpy)
    if np is None:
        starts, ends = list(starts), list(ends)
        if len(starts) != len(ends):
            raise ValueError("starts and ends differ in length")
        elapsed = cal.elapsed_epoch
        return [elapsed(int(s), int(e)) for s, e in zip(starts, ends)]
    s = np.asarray(starts, dtype=np.int64)
    e = np.asarray(ends, dtype=np.int64)
    if s.shape != e.shape:
        raise ValueError("starts and ends differ in length")
    if s.size == 0:
        return np.zeros(s.shape, dtype=np.int64)
    for bound in (s.min(), s.max(), e.min(), e.max()):
        cal.cum_epoch(int(bound))
    tables = _tables(np, cal)
    out = tables.cum(e)
    out -= tables.cum(s)
    np.maximum(out, 0, out=out)
    return out


def add_business_days_many(cal: Calendar, starts: Iterable[int] | Array, n: int, *,
                           use_numpy: bool | None = None) -> list[int] | Array:
    """`Calendar.add_business_days_epoch(start, n)` for each start (epoch seconds), one `n`.

    The rule of SEMANTICS.md "Business days" on the window table: anchor at the end of the last
    business moment at or before the start (`Calendar.anchor_epoch`); the same local clock time
    `n` business dates later (`_bdays`); clamped into that date's windows. The wall clock is read with each
    window's UTC offset: exact wherever the anchor's window and the target date's windows keep one
    offset from first open to last close (one transition a day at most, so then none falls among
    them). The few others (a window or a business date holding a DST change) take the scalar code.
    """
    np = _numpy(use_numpy)
    if np is None:
        add_days = cal.add_business_days_epoch
        return [add_days(int(t), n) for t in starts]
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"business days must not be negative, got {n}")
    t = np.asarray(starts, dtype=np.int64)
    if t.size == 0:
        return np.zeros(t.shape, dtype=np.int64)
    cal.cum_epoch(int(t.max()))
    cal.anchor_epoch(int(t.min()))  # a window opening before every start (extends back)
    days = _days(np, cal)
    # The anchor (Calendar.anchor_epoch): in the last window opening strictly before the start,
    # the start itself when inside it or on its close, else its close.
    k = np.searchsorted(days.opens, t, side="left") - 1
    anchor = np.minimum(t, days.closes[k])
    day = days.ords[k]
    p = np.searchsorted(days.bdays, day, side="left")
    if int(p.max()) + n >= len(days.bdays):
        cal.lay_out_business_dates(int(p.max()) + n + 1)  # one extension, then one rebuild
        days = _days(np, cal)
    target_day = days.bdays[p + n]
    lo = np.searchsorted(days.ords, target_day, side="left")
    hi = np.searchsorted(days.ords, target_day, side="right") - 1
    # The clock of the anchor on its date, moved to the target date at the target date's offset.
    # (The anchor is after its window's opening, so its offset is the close's unless the window
    # holds a transition, and those take the scalar code below.)
    candidate = anchor + days.off_close[k] + (target_day - day) * 86400 - days.off_open[lo]
    w = np.minimum(np.searchsorted(days.opens, candidate, side="right") - 1, hi)
    w = np.maximum(w, lo)
    out = np.where(candidate <= days.opens[lo], days.opens[lo],
                   np.minimum(candidate, days.closes[w]))
    odd = np.flatnonzero((days.off_open[k] != days.off_close[k])
                         | (days.off_open[lo] != days.off_close[hi]))
    if len(odd):
        add_days = cal.add_business_days_epoch
        out[odd] = [add_days(int(x), n) for x in t[odd].tolist()]
    return out


class _DayTables:
    """The window table as arrays, with each window's date and UTC offsets at open and close."""

    def __init__(self, np: NumPy, cal: Calendar) -> None:
        from datetime import datetime

        self.version = cal.version
        opens, closes, _cums, _cumends = cal.table()
        self.opens = np.asarray(opens, dtype=np.int64)
        self.closes = np.asarray(closes, dtype=np.int64)
        self.ords = np.asarray(cal._ord, dtype=np.int64)
        self.bdays = np.asarray(cal._bdays, dtype=np.int64)
        if cal._fixed is not None:
            self.off_open = self.off_close = np.full(len(opens), cal._fixed, dtype=np.int64)
            return
        zone = cal.zone

        def offset(t: int) -> int:
            delta = datetime.fromtimestamp(t, zone).utcoffset()
            assert delta is not None  # an aware datetime
            return delta.days * 86400 + delta.seconds

        self.off_open = np.fromiter(map(offset, opens), dtype=np.int64, count=len(opens))
        self.off_close = np.fromiter(map(offset, closes), dtype=np.int64, count=len(closes))


def _days(np: NumPy, cal: Calendar) -> _DayTables:
    cache: _DayTables | None = cal._days_cache
    if cache is None or cache.version != cal.version:
        cache = cal._days_cache = _DayTables(np, cal)
    return cache


def _tables(np: NumPy, cal: Calendar) -> _Tables:
    cache: _Tables | None = cal._batch_cache
    if cache is None or cache.version != cal.version:
        cache = cal._batch_cache = _Tables(np, cal)
    return cache


def _shift_for(np: NumPy, spacing: int, span: int) -> int:
    """Largest power-of-two exponent with 2**shift <= spacing, within the table-size limit."""
    shift = max(0, min(_MAX_SHIFT, int(spacing).bit_length() - 1))
    while shift < _MAX_SHIFT and (span >> shift) > _MAX_BUCKETS:
        shift += 1
    return shift


class _Tables:
    """Bucket tables for one version of a calendar's window table."""

    def __init__(self, np: NumPy, cal: Calendar) -> None:
        self.np = np
        self.version = cal.version
        opens, closes, cums, cumends = (np.asarray(a, dtype=np.int64) for a in cal.table())
        self.opens, self.closes, self.cums, self.cumends = opens, closes, cums, cumends
        # Stretches: windows joined where one closes as the next opens.
        starts = np.ones(len(opens), dtype=bool)
        starts[1:] = opens[1:] != closes[:-1]
        first = np.flatnonzero(starts)
        last = np.append(first[1:], len(opens)) - 1
        s_open, s_close, s_cum = opens[first], closes[last], cums[first]
        # A sentinel empty stretch before everything keeps every index >= 0.
        lo, hi = cal._lo_ts, cal._hi_ts
        s_open = np.concatenate(([lo - 1], s_open))
        s_close = np.concatenate(([lo - 1], s_close))
        s_cum = np.concatenate(([cal._cum_lo], s_cum))
        s_len = s_close - s_open
        self._time_axis(s_open, s_close, s_cum, s_len, lo, hi)
        self._budget_axis(s_open, s_cum, s_len, cal._cum_lo, cal._cum_hi)

    def _time_axis(self, s_open: Array, s_close: Array, s_cum: Array, s_len: Array, lo: int,
                   hi: int) -> None:
        np = self.np
        edges = np.stack([s_open[1:], s_close[1:]], axis=1).ravel()
        spacing = int(np.diff(edges).min()) if len(edges) > 1 else 1 << _MAX_SHIFT
        shift = self.t_shift = _shift_for(np, max(spacing, 1), hi - lo)
        self.t_base = lo >> shift
        n = ((hi - 1) >> shift) - self.t_base + 1
        b_lo = (np.arange(n, dtype=np.int64) + self.t_base) << shift
        b_hi = b_lo + (1 << shift) - 1  # last second of the bucket
        k1 = np.searchsorted(s_open, b_hi, side="right") - 1
        k0 = np.maximum(np.searchsorted(s_open, b_lo, side="right") - 1, 0)
        simple = (k1 == k0) | ((k1 == k0 + 1) & (s_close[k0] <= b_lo))
        self.t_open, self.t_len, self.t_cum = s_open[k1], s_len[k1], s_cum[k1]
        self.t_flag = None if simple.all() else ~simple

    def _budget_axis(self, s_open: Array, s_cum: Array, s_len: Array, cum_lo: int, cum_hi: int) -> None:
        np = self.np
        # Doubled budget axis: stretch k covers keys [2 cum_k, 2 cumend_k); find the first k
        # whose 2 cumend_k exceeds the key.
        ends2 = (s_cum + s_len) * 2
        offsets = s_open - s_cum
        ends2 = np.append(ends2, np.iinfo(np.int64).max)
        offsets = np.append(offsets, offsets[-1])
        real = s_len[1:]
        spacing = 2 * int(real.min()) if len(real) else 1 << _MAX_SHIFT
        lo, hi = 2 * cum_lo - 1, 2 * cum_hi
        shift = self.q_shift = _shift_for(np, spacing, hi - lo)
        self.q_base = lo >> shift
        n = ((hi - 1) >> shift) - self.q_base + 1
        b_lo = (np.arange(n, dtype=np.int64) + self.q_base) << shift
        b_hi = b_lo + (1 << shift) - 1
        ka = np.searchsorted(ends2, b_lo, side="right")
        kb = np.searchsorted(ends2, b_hi, side="right")
        self.q_thr = np.where(kb > ka, ends2[ka], np.iinfo(np.int64).max)
        self.q_off_a = offsets[ka]
        self.q_off_b = offsets[np.minimum(ka + 1, len(offsets) - 1)]
        simple = kb <= ka + 1
        self.q_flag = None if simple.all() else ~simple
        self.ends2, self.offsets = ends2, offsets

    def cum(self, t: Array) -> Array:
        """Business seconds before each t (table origin relative)."""
        np = self.np
        b = t >> self.t_shift
        b -= self.t_base
        out = t - self.t_open.take(b)
        np.clip(out, 0, self.t_len.take(b), out=out)
        out += self.t_cum.take(b)
        if self.t_flag is not None:
            hard = np.flatnonzero(self.t_flag.take(b))
            if len(hard):
                out[hard] = self._cum_exact(t[hard])
        return out

    def _cum_exact(self, t: Array) -> Array:
        np = self.np
        j = np.searchsorted(self.opens, t, side="right") - 1
        jc = np.maximum(j, 0)
        length = self.closes[jc] - self.opens[jc]
        part = np.clip(t - self.opens[jc], 0, length)
        return np.where(j >= 0, self.cums[jc] + part, self._cum_lo_value(t))

    def _cum_lo_value(self, t: Array) -> Array:
        # Before the first window the cum is the value before it (cums[0]).
        return self.cums[0] if len(self.cums) else 0

    def due(self, c: Array, key: Array) -> Array:
        """Instants where budgets `c` are used up; `key` = 2c - 1 (+1 for a zero budget)."""
        np = self.np
        b = key >> self.q_shift
        b -= self.q_base
        late = key >= self.q_thr.take(b)
        out = np.where(late, self.q_off_b.take(b), self.q_off_a.take(b))
        out += c
        if self.q_flag is not None:
            hard = np.flatnonzero(self.q_flag.take(b))
            if len(hard):
                k = np.searchsorted(self.ends2, key[hard], side="right")
                out[hard] = c[hard] + self.offsets[k]
        return out
