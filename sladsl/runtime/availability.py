"""Exact availability arithmetic: periods, downtime, uptime and service credits.

Implements SEMANTICS.md "Availability". Instants are compared as UTC microseconds, never with
`==` between aware datetimes (PEP 495 makes that False inside a repeated hour). All results are
exact: ints, or `fractions.Fraction` where a value is not whole; round only to display.

Conventions:
- `uptime()` returns a fraction of 1 (Fraction(9995, 10000)); targets, tier bounds and credits
  are percentages as printed in contracts (Fraction(999, 10) for 99.9 %), so pass
  `uptime_percent()` (or `100 * uptime()`) to `tiered_credit`.
- Seconds are ints when whole, else Fractions.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from fractions import Fraction
from typing import Any

from sladsl.runtime.zones import parse_zone, wall_to_epoch

__all__ = [
    "period_label",
    "month_period", "quarter_period", "year_period", "week_period", "parse_period",
    "period_kind", "period_containing", "periods_overlapping", "period_seconds",
    "merge_intervals", "downtime", "uptime", "uptime_percent", "tiered_credit",
    "per_period_credit", "excess_downtime", "claim_deadline", "minimum_outages", "down_intervals",
    "weighted_downtime", "sampled_downtime", "intersect_intervals", "rolling_window",
    "billing_start", "billing_period", "billing_index", "billing_period_named", "BILLING_MONTHS",
    "band_credit", "days_in_period", "counts_downtime",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICRO = timedelta(microseconds=1)
_PERIOD = re.compile(r"(\d{4})(?:-(?:(\d{2})|Q([1-4])|W(\d{2})))?")
PERIOD_KINDS = ("week", "month", "quarter", "year")

Number = int | Fraction
Instant = datetime | int  # aware datetime, or epoch seconds
Interval = tuple[Any, Any]  # (start, end) instants; bounds are returned as given
Printed = int | float | str | Fraction  # a number as printed in a contract (exact via Fraction)


def _zone(zone: str | tzinfo) -> tzinfo:
    return parse_zone(zone) if isinstance(zone, str) else zone


def _exact(micro: int) -> Number:
    value = Fraction(micro, 1_000_000)
    return value.numerator if value.denominator == 1 else value


def _micro(instant: datetime | int) -> int:
    """UTC microseconds since the epoch; ints are taken as epoch seconds."""
    if isinstance(instant, int):
        return instant * 1_000_000
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(
            f"{instant.isoformat()} is a naive datetime: it needs a zone (tzinfo)"
        )
    return (instant - _EPOCH) // _MICRO


def _local_midnight(zone: tzinfo, year: int, month: int) -> datetime:
    if year > 9999:
        raise ValueError("period beyond year 9999")
    epoch = wall_to_epoch(zone, datetime(year, month, 1))
    return datetime.fromtimestamp(epoch, zone)


def month_period(year: int, month: int, zone: str | tzinfo) -> tuple[datetime, datetime]:
    """The calendar month as [local midnight of the 1st, local midnight of the next 1st)."""
    zone = _zone(zone)
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return _local_midnight(zone, year, month), _local_midnight(zone, *nxt)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def quarter_period(year: int, quarter: int, zone: str | tzinfo, first_month: int = 1) -> tuple[datetime, datetime]:
    """Quarter 1..4 of the year, bounded by local midnights. With `first_month` 2 (a fiscal year
    from February) quarter 1 of 2026 is 1 February to 1 May 2026: a fiscal year is named by the
    calendar year it starts in."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1..4, got {quarter}")
    zone = _zone(zone)
    first = _add_months(year, first_month, 3 * (quarter - 1))
    return _local_midnight(zone, *first), _local_midnight(zone, *_add_months(*first, 3))


def year_period(year: int, zone: str | tzinfo, first_month: int = 1) -> tuple[datetime, datetime]:
    """The calendar year (or the fiscal year starting in `first_month` of `year`), bounded by local
    midnights."""
    zone = _zone(zone)
    return _local_midnight(zone, year, first_month), _local_midnight(zone, year + 1, first_month)


def week_period(year: int, week: int, zone: str | tzinfo) -> tuple[datetime, datetime]:
    """ISO 8601 week `week` of ISO year `year`: local midnight Monday to local midnight Monday."""
    zone = _zone(zone)
    try:
        monday = datetime.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no ISO week {week}") from None
    if monday.year >= 9999:
        raise ValueError("period beyond year 9999")
    nxt = monday + timedelta(days=7)
    return (datetime.fromtimestamp(wall_to_epoch(zone, monday), zone),
            datetime.fromtimestamp(wall_to_epoch(zone, nxt), zone))


def parse_period(text: str, zone: str | tzinfo, first_month: int = 1) -> tuple[datetime, datetime]:
    """`2026-05` (month), `2026-Q2` (quarter), `2026-W10` (ISO week) or `2026` (year); quarters
    and years start in `first_month` (fiscal years are named by the year they start in)."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"invalid period `{text}`: write `2026-05`, `2026-Q2`, `2026-W10` or `2026`")
    year, month, quarter, week = match.groups()
    if month is not None:
        return month_period(int(year), int(month), zone)
    if quarter is not None:
        return quarter_period(int(year), int(quarter), zone, first_month)
    if week is not None:
        return week_period(int(year), int(week), zone)
    return year_period(int(year), zone, first_month)


def period_kind(text: str) -> str:
    """"week", "month", "quarter" or "year": what a period string such as `2026-Q2` names."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"invalid period `{text}`: write `2026-05`, `2026-Q2`, `2026-W10` or `2026`")
    _year, month, quarter, week = match.groups()
    return "month" if month else "quarter" if quarter else "week" if week else "year"


def period_containing(kind: str, instant: datetime, zone: str | tzinfo,
                      first_month: int = 1) -> tuple[datetime, datetime]:
    """The week, month, quarter or year (local midnights in `zone`; quarters and years starting in
    `first_month`) that contains `instant`."""
    zone = _zone(zone)
    local = datetime.fromtimestamp(_micro(instant) // 1_000_000, zone)
    if kind == "week":
        year, week, _day = local.isocalendar()
        return week_period(year, week, zone)
    if kind == "month":
        return month_period(local.year, local.month, zone)
    start_year = local.year if local.month >= first_month else local.year - 1
    if kind == "quarter":
        return quarter_period(start_year, (local.month - first_month) % 12 // 3 + 1, zone, first_month)
    if kind == "year":
        return year_period(start_year, zone, first_month)
    raise ValueError(f"unknown period `{kind}`: use {', '.join(PERIOD_KINDS)}")


def periods_overlapping(kind: str, bounds: Interval, zone: str | tzinfo,
                        first_month: int = 1) -> list[tuple[datetime, datetime]]:
    """The whole weeks (months, quarters, years) that overlap `bounds`, in order, unclipped."""
    lo, hi = _micro(bounds[0]), _micro(bounds[1])
    out = []
    period = period_containing(kind, bounds[0], zone, first_month)
    while _micro(period[0]) < hi:
        if _micro(period[1]) > lo:
            out.append(period)
        period = period_containing(kind, period[1], zone, first_month)
    return out


def claim_deadline(period_end: datetime, zone: str | tzinfo, count: int, unit: str,
                   kind: str, first_month: int = 1) -> date:
    """The last local day on which a credit for the period ending at `period_end` can be claimed.

    `unit` "day": `count` calendar days after the period (a period ending at 1 April 00:00 with
    30 days: the claim window is 1-30 April, so 30 April). "cycle": the end of the `count`-th
    billing cycle (service period of `kind`) after it (March with 2 cycles: the end of May)."""
    zone = _zone(zone)
    if count < 1:
        raise ValueError("a claim window is at least one day or one billing cycle")
    if unit == "day":
        return period_end.astimezone(zone).date() + timedelta(days=count - 1)
    if unit != "cycle":
        raise ValueError(f"unknown claim window unit `{unit}`: use `day` or `cycle`")
    end = period_end
    for _ in range(count):
        end = period_containing(kind, end, zone, first_month)[1]
    return end.astimezone(zone).date() - timedelta(days=1)


def rolling_window(day: date, days: int, zone: str | tzinfo, before: bool = False) -> tuple[datetime, datetime]:
    """The `days` local days ending with `day` ([local midnight `days - 1` days before it, the
    midnight after it)), or with `before` the `days` days before `day` (ending at its midnight)."""
    zone = _zone(zone)
    if days < 1:
        raise ValueError("a rolling window is at least one day long")
    last = day if before else day + timedelta(days=1)
    first = last - timedelta(days=days)
    if first.year < 2 or last.year > 9998:
        raise ValueError("a rolling window beyond the years 2 to 9998")
    return (datetime.fromtimestamp(wall_to_epoch(zone, datetime(first.year, first.month, first.day)), zone),
            datetime.fromtimestamp(wall_to_epoch(zone, datetime(last.year, last.month, last.day)), zone))


# ---- billing periods anchored at activation (docs/semantics.md "Billing periods") -----------

BILLING_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_BILLING_NAME = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def billing_start(anchor: date, index: int, months: int) -> date:
    """The first day of billing period `index` (0: the one starting on `anchor`): the anchor's
    day of the month `index * months` months later, clamped to that month's last day (activated
    on 31 January: 28 February, 31 March, 30 April...; the clamp never carries over)."""
    year, month = _add_months(anchor.year, anchor.month, index * months)
    if not 1 <= year <= 9999:
        raise ValueError("a billing period beyond the years 1 to 9999")
    return date(year, month, min(anchor.day, calendar.monthrange(year, month)[1]))


def billing_period(anchor: date, index: int, months: int, zone: str | tzinfo) -> tuple[datetime, datetime]:
    """Billing period `index`: [local midnight of its first day, local midnight of the next one's)."""
    zone = _zone(zone)
    if index < 0:
        raise ValueError(f"no billing period before the activation day {anchor.isoformat()}")
    first, nxt = billing_start(anchor, index, months), billing_start(anchor, index + 1, months)
    if nxt.year > 9998:
        raise ValueError("a billing period beyond year 9998")
    return (datetime.fromtimestamp(wall_to_epoch(zone, datetime(first.year, first.month, first.day)), zone),
            datetime.fromtimestamp(wall_to_epoch(zone, datetime(nxt.year, nxt.month, nxt.day)), zone))


def billing_index(anchor: date, day: date, months: int) -> int:
    """The index of the billing period holding the local date `day` (negative: before activation)."""
    index = ((day.year - anchor.year) * 12 + day.month - anchor.month) // months
    while billing_start(anchor, index, months) > day:
        index -= 1
    while billing_start(anchor, index + 1, months) <= day:
        index += 1
    return index


def billing_period_named(text: str, anchor: date, months: int) -> int:
    """The index of the billing period a name gives: `2026-02` the one starting in February 2026,
    `2026-02-20` the one holding that day."""
    match = _BILLING_NAME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"invalid billing period `{text}`: write `2026-02` (the period starting in "
                         "February 2026) or a day it holds (`2026-02-20`)")
    year, month, day = int(match.group(1)), int(match.group(2)), match.group(3)
    if day is not None:
        try:
            index = billing_index(anchor, date(year, month, int(day)), months)
        except ValueError:
            raise ValueError(f"invalid date `{text}`") from None
    else:
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1..12, got {month}")
        index, rest = divmod((year - anchor.year) * 12 + month - anchor.month, months)
        if rest:
            raise ValueError(f"no billing period starts in {text}: from the activation day "
                             f"{anchor.isoformat()} they start every {months} months")
    if index < 0:
        raise ValueError(f"`{text}` is before the activation day {anchor.isoformat()}")
    return index


def period_seconds(period: tuple[datetime, datetime]) -> Number:
    """Length of a period in real (UTC) seconds: 743 h for a spring-forward month."""
    return _exact(_micro(period[1]) - _micro(period[0]))


def _merged_micro(intervals: Iterable[Interval]) -> list[tuple[int, int]]:
    spans = sorted((_micro(a), _micro(b)) for a, b in intervals)
    out: list[list[int]] = []
    for a, b in spans:
        if b < a:
            raise ValueError("an interval ends before it starts")
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out if b > a]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Union of intervals: overlapping or touching ones merge; sorted; empty ones dropped.

    The returned bounds are the original objects (so their zones are kept), chosen by UTC
    instant.
    """
    items = sorted(((_micro(a), _micro(b), a, b) for a, b in intervals), key=lambda x: x[:2])
    out: list[list[Any]] = []
    for ma, mb, a, b in items:
        if mb < ma:
            raise ValueError("an interval ends before it starts")
        if out and ma <= out[-1][1]:
            if mb > out[-1][1]:
                out[-1][1], out[-1][3] = mb, b
        else:
            out.append([ma, mb, a, b])
    return [(a, b) for ma, mb, a, b in out if mb > ma]


def downtime(period: Interval, outages: Iterable[Interval], excluded: Iterable[Interval] = ()) -> Number:
    """Seconds of (union of outages) minus (union of excluded), clipped to the period."""
    lo, hi = _micro(period[0]), _micro(period[1])
    cut = _merged_micro(excluded)
    total = 0
    for a, b in _merged_micro(outages):
        a, b = max(a, lo), min(b, hi)
        if b <= a:
            continue
        total += b - a
        for x, y in cut:
            overlap = min(b, y) - max(a, x)
            if overlap > 0:
                total -= overlap
    return _exact(total)


def uptime(period_seconds: Number, downtime_seconds: Number) -> Fraction:
    """(period - downtime) / period as an exact fraction of 1."""
    period = Fraction(period_seconds)
    down = Fraction(downtime_seconds)
    if period <= 0:
        raise ValueError("the period must be longer than zero")
    if not 0 <= down <= period:
        raise ValueError("downtime must lie between zero and the period")
    return (period - down) / period


def uptime_percent(period_seconds: Number, downtime_seconds: Number) -> Fraction:
    """Uptime in percent, exact (Fraction(19990, 200) for 99.95 %)."""
    return 100 * uptime(period_seconds, downtime_seconds)


def _fraction(value: Printed) -> Fraction:
    """Exact value of a printed number; floats are read by their shortest repr (99.9 -> 999/10)."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def tiered_credit(uptime: Printed, target: Printed, tiers: Iterable[Sequence[Any]],
                  gaps: str = "customer") -> tuple[int | None, Fraction]:
    """(row index or None, credit percent) for an uptime in percent against a credit table.

    Rows are `(low, high, credit)` percentages as printed, bounds inclusive; `low` may be None
    for an open bottom row ("89.9% or below"). A fourth element `True` makes `high` exclusive
    (`below 90%`: 90% itself is not in the row). Uptime at or above the target earns nothing
    (the target sentence governs the top edge). An uptime in a printed gap between rows, or
    between the top row and the target, goes to the neighbouring row with the larger credit
    when `gaps="customer"`, the smaller when `gaps="provider"` (the target counts as a row
    crediting 0).
    """
    if gaps not in ("customer", "provider"):
        raise ValueError(f"gaps must be 'customer' or 'provider', got {gaps!r}")
    value, goal = _fraction(uptime), _fraction(target)
    if value >= goal:
        return None, Fraction(0)
    rows: list[tuple[Fraction | None, Fraction, Fraction, int]] = []
    exclusive: dict[int, bool] = {}
    for index, (low, high, credit, *strict) in enumerate(tiers):
        low = None if low is None else _fraction(low)
        high = _fraction(high)
        if low is not None and high < low:
            raise ValueError(f"tier row {index} has low {low} above high {high}")
        rows.append((low, high, _fraction(credit), index))
        exclusive[index] = bool(strict and strict[0])
    for low, high, credit, index in rows:
        if (low is None or low <= value) and (value < high if exclusive[index] else value <= high):
            return index, credit
    # In a gap: the nearest row above (lowest `low` above the value, or the target) and the
    # nearest row below (highest `high` under the value).
    above = [
        (low, credit, index) for low, high, credit, index in rows if low is not None and low > value
    ]
    below = [(high, credit, index) for low, high, credit, index in rows
             if high < value or (exclusive[index] and high == value)]
    candidates: list[tuple[Fraction, int | None]] = []
    if above:
        low, credit, index = min(above)
        candidates.append((credit, index))
    elif value < goal:
        candidates.append((Fraction(0), None))
    if below:
        high, credit, index = max(below)
        candidates.append((credit, index))
    if gaps == "customer":
        credit, chosen = max(candidates, key=lambda c: c[0])
    else:
        credit, chosen = min(candidates, key=lambda c: c[0])
    return chosen, credit


def _seconds_of(value: Printed | timedelta) -> Fraction:
    if isinstance(value, timedelta):
        return Fraction(value // _MICRO, 1_000_000)
    return _fraction(value)


def per_period_credit(
    outage_durations_seconds: Iterable[Printed | timedelta],
    *,
    grace_seconds: Printed | timedelta,
    period_seconds: Printed | timedelta,
    rounding: str = "started",
    rate: Printed,
    cap: Printed | None = None,
) -> tuple[int, Fraction]:
    """(periods, credit percent): per outage, the time beyond the grace in started or whole
    periods; credit = periods x rate, capped at `cap` for the month."""
    if rounding not in ("started", "whole"):
        raise ValueError(f"rounding must be 'started' or 'whole', got {rounding!r}")
    grace, period = _seconds_of(grace_seconds), _seconds_of(period_seconds)
    if period <= 0:
        raise ValueError("the credit period must be longer than zero")
    periods = 0
    for duration in outage_durations_seconds:
        beyond = _seconds_of(duration) - grace
        if beyond <= 0:
            continue
        count = beyond / period
        periods += math.ceil(count) if rounding == "started" else math.floor(count)
    credit = periods * _fraction(rate)
    if cap is not None:
        credit = min(credit, _fraction(cap))
    return periods, credit


def band_credit(duration_seconds: Printed | timedelta, bands: Iterable[Sequence[Any]],
                gaps: str | None = None) -> tuple[int | None, Fraction]:
    """(band index or None, amount) for one outage of `duration_seconds` against duration bands
    (docs/semantics.md "Credits by outage duration").

    Bands are `(low, over, high, below, amount)`: lengths from `low` seconds (inclusive; `over`:
    exclusive) to `high` (inclusive; `below`: exclusive; None: no upper bound). A length shorter
    than every band, or longer than a bounded last band, earns nothing. A length between two
    bands goes to the neighbour with the larger amount when `gaps="customer"`, the smaller when
    `gaps="provider"`, and earns nothing when `gaps` is None (the checker refuses such gaps).
    """
    if gaps not in (None, "customer", "provider"):
        raise ValueError(f"gaps must be None, 'customer' or 'provider', got {gaps!r}")
    value = _seconds_of(duration_seconds)
    rows = [(Fraction(low), bool(over), None if high is None else Fraction(high), bool(below),
             _fraction(amount), index) for index, (low, over, high, below, amount) in enumerate(bands)]
    for low, over, high, below, amount, index in rows:
        above_low = value > low if over else value >= low
        under_high = high is None or (value < high if below else value <= high)
        if above_low and under_high:
            return index, amount
    shorter = [(high, amount, index) for low, over, high, below, amount, index in rows
               if high is not None and (value > high or (below and value == high))]
    longer = [(low, amount, index) for low, over, high, below, amount, index in rows
              if value < low or (over and value == low)]
    if gaps is None or not shorter or not longer:
        return None, Fraction(0)
    before, after = max(shorter), min(longer)
    pick = max if gaps == "customer" else min
    chosen = pick((before[1], before[2]), (after[1], after[2]), key=lambda c: c[0])
    return chosen[1], chosen[0]


def days_in_period(period: tuple[datetime, datetime], zone: str | tzinfo) -> int:
    """Calendar days of a period in its zone (31 for March, also across a change of clocks):
    a day of service is worth the fee of its billing period divided by this."""
    zone = _zone(zone)
    return (period[1].astimezone(zone).date() - period[0].astimezone(zone).date()).days


def excess_downtime(period_seconds: Number, downtime_seconds: Number, target: Number) -> Number:
    """Seconds of downtime beyond what a target (percent) allows in the period; 0 when met."""
    allowed = Fraction(period_seconds) * (100 - _fraction(target)) / 100
    excess = Fraction(downtime_seconds) - allowed
    if excess <= 0:
        return 0
    return excess.numerator if excess.denominator == 1 else excess


# ---- what counts as downtime (docs/semantics.md "What counts as downtime") ------------------

def _instant(micro: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micro)


def minimum_outages(outages: Iterable[Interval], rule: str, seconds: int) -> list[tuple[datetime, datetime]]:
    """The continuous failures that count under a minimum-duration rule, as UTC (start, end).

    Failures are the union of `outages` (overlapping or touching ones are one failure). "longer":
    a failure strictly longer than `seconds` counts whole, from its first second; "at_least": one
    of at least `seconds` counts whole; "beyond": only its part after the first `seconds` counts.
    """
    if rule not in ("longer", "at_least", "beyond"):
        raise ValueError(f"unknown minimum outage rule {rule!r}")
    limit = seconds * 1_000_000
    out = []
    for a, b in _merged_micro(outages):
        length = b - a
        if rule == "beyond":
            if length > limit:
                out.append((_instant(a + limit), _instant(b)))
        elif length > limit or (rule == "at_least" and length == limit):
            out.append((_instant(a), _instant(b)))
    return out


def _subtract_micro(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of sorted disjoint `spans` outside sorted disjoint `holes`."""
    out = []
    for a, b in spans:
        for x, y in holes:
            if y <= a or x >= b:
                continue
            if x > a:
                out.append((a, x))
            a = max(a, y)
            if a >= b:
                break
        if a < b:
            out.append((a, b))
    return out


def down_intervals(period: Interval, outages: Iterable[Interval],
                   excluded: Iterable[Interval] = ()) -> list[tuple[datetime, datetime]]:
    """The instants that count as down: (union of outages) minus (union of excluded), clipped to
    the period, as sorted disjoint UTC (start, end)."""
    lo, hi = _micro(period[0]), _micro(period[1])
    spans = [(max(a, lo), min(b, hi)) for a, b in _merged_micro(outages)]
    spans = [(a, b) for a, b in spans if b > a]
    return [(_instant(a), _instant(b)) for a, b in _subtract_micro(spans, _merged_micro(excluded))]


def intersect_intervals(groups: Sequence[Iterable[Interval]]) -> list[tuple[datetime, datetime]]:
    """The instants inside some interval of every group (an empty list of groups: none)."""
    if not groups:
        return []
    current = _merged_micro(groups[0])
    for group in groups[1:]:
        other, nxt = _merged_micro(group), []
        for a, b in current:
            for x, y in other:
                if min(b, y) > max(a, x):
                    nxt.append((max(a, x), min(b, y)))
        current = nxt
    return [(_instant(a), _instant(b)) for a, b in current]


def weighted_downtime(period: Interval, outages: Iterable[tuple[Any, Any, Printed]],
                      excluded: Iterable[Interval] = ()) -> Number:
    """Seconds of downtime weighted by impact: at each instant the largest `impact` (a share of
    customers, 0..1) among the outages then under way, outside the excluded intervals, clipped
    to the period; overlapping outages do not add up (the same customers are not down twice)."""
    lo, hi = _micro(period[0]), _micro(period[1])
    pieces = []
    for a, b, impact in outages:
        weight = _fraction(impact)
        if not 0 <= weight <= 1:
            raise ValueError(f"an impact must lie between 0 and 1, got {weight}")
        a, b = max(_micro(a), lo), min(_micro(b), hi)
        if b > a and weight > 0:
            pieces.append((a, b, weight))
    cut = _merged_micro(excluded)
    edges = sorted({x for a, b, _w in pieces for x in (a, b)})
    total = Fraction(0)
    for a, b in zip(edges, edges[1:]):
        weight = max((w for x, y, w in pieces if x <= a and b <= y), default=Fraction(0))
        if weight:
            total += weight * sum(y - x for x, y in _subtract_micro([(a, b)], cut))
    return _exact_fraction(total / 1_000_000)


def _exact_fraction(value: Fraction) -> Number:
    return value.numerator if value.denominator == 1 else value


def sampled_downtime(period: Interval, down: Iterable[Interval], interval_seconds: int,
                     threshold: Printed | None = None) -> Number:
    """Seconds of the intervals that count as down.

    Intervals are `interval_seconds` long on the UTC timeline, the first starting at the period's
    start; the last is cut short by the period's end and counts with its real length. An interval
    is down when the downtime inside it (`down`: instants already counted, e.g. from
    `down_intervals`) is more than zero seconds, or, with `threshold` (percent), at least that
    share of the interval. An outage that only touches an interval's edge puts no time in it.
    """
    if interval_seconds <= 0:
        raise ValueError("the interval must be longer than zero")
    lo, hi = _micro(period[0]), _micro(period[1])
    step = interval_seconds * 1_000_000
    inside: dict[int, int] = {}
    for a, b in _merged_micro(down):
        a, b = max(a, lo), min(b, hi)
        index = (a - lo) // step
        while b > a:
            end = min(lo + (index + 1) * step, b)
            inside[index] = inside.get(index, 0) + end - a
            a, index = end, index + 1
    share = None if threshold is None else _fraction(threshold) / 100
    total = 0
    for index, seconds in inside.items():
        length = min(lo + (index + 1) * step, hi) - (lo + index * step)
        if (seconds > 0 if share is None else seconds >= share * length):
            total += length
    return _exact(total)


# ---- availability from counts (docs/semantics.md "Availability from counts") --------------------

CountRow = tuple[Any, int, int]  # (interval start, good, total)


def counts_downtime(window: Interval, rows: Iterable[CountRow], interval_seconds: int, rule: str, *,
                    anchor: Instant, threshold: Printed | None = None, inclusive: bool = False,
                    average_seconds: int | None = None) -> tuple[Number, list[tuple[datetime, datetime]]]:
    """(seconds of downtime, down intervals) in `window` from counts of good and total executions.

    Intervals are `interval_seconds` long on the UTC timeline from `anchor` (a local midnight);
    every row must start on that grid. "ratio": downtime = window x failed / total of the rows
    starting in the window (none: 0), so uptime is good / total exactly. "threshold": an interval
    whose error rate is above `threshold` percent (at or above it with `inclusive`) is down for the
    part of it inside the window. "average": windows of `average_seconds` from `anchor`; each adds
    its error rate (no executions: 0) times its length inside the window, so uptime is 1 minus the
    length-weighted mean of their error rates. Down intervals are listed for "threshold" only.
    """
    if rule not in ("ratio", "threshold", "average"):
        raise ValueError(f"unknown counts rule {rule!r}")
    lo, hi, base = _micro(window[0]), _micro(window[1]), _micro(anchor)
    step = interval_seconds * 1_000_000
    if step <= 0 or hi <= lo:
        raise ValueError("counts need a positive interval and a window")
    inside: list[tuple[int, int, int]] = []
    for start, good, total in rows:
        at = _micro(start)
        if (at - base) % step:
            raise ValueError(f"a counts row starts at {_instant(at).isoformat()}, not on the "
                             f"{interval_seconds} s grid from {_instant(base).isoformat()}")
        if at + step > lo and at < hi:
            inside.append((at, good, total))
    if rule == "ratio":
        good = sum(g for at, g, _t in inside if lo <= at)
        total = sum(t for at, _g, t in inside if lo <= at)
        return (_exact_fraction(Fraction(hi - lo, 1_000_000) * (total - good) / total) if total else 0), []
    if rule == "threshold":
        limit = _fraction(threshold if threshold is not None else 0) / 100
        down = []
        for at, good, total in inside:
            rate = Fraction(total - good, total) if total else Fraction(0)
            if rate > limit or (inclusive and rate == limit and total):
                down.append((max(at, lo), min(at + step, hi)))
        merged: list[list[int]] = []
        for a, b in sorted(down):  # touching down intervals are one run (one outage)
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        seconds = sum(b - a for a, b in merged)
        return _exact(seconds), [(_instant(a), _instant(b)) for a, b in merged]
    span = (average_seconds or interval_seconds) * 1_000_000
    buckets: dict[int, list[int]] = {}
    for at, good, total in inside:
        bucket = buckets.setdefault((at - base) // span, [0, 0])
        bucket[0] += total - good
        bucket[1] += total
    weighted = Fraction(0)
    for index, (bad, total) in buckets.items():
        start = base + index * span
        length = min(start + span, hi) - max(start, lo)
        if length > 0 and total:
            weighted += Fraction(bad, total) * length
    return _exact_fraction(weighted / 1_000_000), []


def period_label(kind: str, local: datetime, first_month: int = 1) -> str:
    """`2026-05`, `2026-Q1` (a fiscal quarter is named by the year its fiscal year starts in),
    `2026-W10`, `2026`: the period of `kind` holding the local instant."""
    if kind == "month":
        return f"{local.year:04d}-{local.month:02d}"
    if kind == "week":
        year, week, _day = local.isocalendar()
        return f"{year:04d}-W{week:02d}"
    start_year = local.year if local.month >= first_month else local.year - 1
    if kind == "quarter":
        return f"{start_year:04d}-Q{(local.month - first_month) % 12 // 3 + 1}"
    if kind == "year":
        return f"{start_year:04d}"
    raise ValueError(f"unknown period `{kind}`")
