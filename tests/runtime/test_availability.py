"""SEMANTICS.md "Availability": periods, downtime, uptime, tiered and per-period credits."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction as F
from zoneinfo import ZoneInfo

import pytest

from sladsl.runtime import (
    downtime,
    excess_downtime,
    merge_intervals,
    month_period,
    parse_period,
    per_period_credit,
    period_seconds,
    quarter_period,
    tiered_credit,
    uptime,
    uptime_percent,
    year_period,
)

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
BANGKOK = ZoneInfo("Asia/Bangkok")
HOUR = 3600
# VhostWeb: 99.0-99.9: 5, 98.0-98.9: 10, 95.0-97.9: 15, 90.0-94.9: 25, 89.9 or below: 30.
VHOSTWEB = [
    (F("99.0"), F("99.9"), F(5)),
    (F("98.0"), F("98.9"), F(10)),
    (F("95.0"), F("97.9"), F(15)),
    (F("90.0"), F("94.9"), F(25)),
    (None, F("89.9"), F(30)),
]
TARGET = F("99.9")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_dst_months_in_london_are_743_and_745_hours():
    assert period_seconds(month_period(2024, 3, "Europe/London")) == 743 * HOUR
    assert period_seconds(month_period(2024, 10, LONDON)) == 745 * HOUR
    assert period_seconds(month_period(2024, 5, LONDON)) == 744 * HOUR
    start, end = month_period(2024, 3, LONDON)
    assert start == datetime(2024, 3, 1, tzinfo=LONDON) and end == datetime(2024, 4, 1, tzinfo=LONDON)


def test_periods_are_bounded_by_local_midnights():
    start, end = month_period(2026, 5, "Asia/Bangkok")
    assert start == utc(2026, 4, 30, 17) and end == utc(2026, 5, 31, 17)
    assert parse_period("2026-05", BANGKOK) == (start, end)
    assert parse_period("2026-Q2", "UTC") == quarter_period(2026, 2, "UTC") == (utc(2026, 4, 1), utc(2026, 7, 1))
    assert parse_period("2026", "UTC") == year_period(2026, "UTC") == (utc(2026, 1, 1), utc(2027, 1, 1))
    assert month_period(2026, 12, "UTC") == (utc(2026, 12, 1), utc(2027, 1, 1))
    for bad in ("2026-13", "2026-Q5", "May 2026", "26-05"):
        with pytest.raises(ValueError):
            parse_period(bad, "UTC")


def test_midnight_in_a_gap_starts_the_period_at_the_end_of_the_gap():
    # Sao Paulo sprang forward at local midnight on 2018-11-04: the day began at 01:00.
    start, _ = month_period(2018, 11, "America/Sao_Paulo")
    assert start.timestamp() == utc(2018, 11, 1, 3).timestamp()  # no gap on the 1st
    assert period_seconds(month_period(2018, 11, "America/Sao_Paulo")) == (30 * 24 - 1) * HOUR


def test_merge_intervals_joins_overlapping_and_touching_across_zones():
    bangkok_10 = datetime(2026, 5, 4, 10, tzinfo=BANGKOK)  # 03:00 UTC
    merged = merge_intervals([
        (utc(2026, 5, 4, 4), utc(2026, 5, 4, 5)),
        (bangkok_10, utc(2026, 5, 4, 4)),  # touches the first
        (utc(2026, 5, 4, 7), utc(2026, 5, 4, 8)),
        (utc(2026, 5, 4, 7, 30), utc(2026, 5, 4, 7, 45)),  # inside the third
    ])
    assert merged == [(bangkok_10, utc(2026, 5, 4, 5)), (utc(2026, 5, 4, 7), utc(2026, 5, 4, 8))]


def test_merge_intervals_in_a_repeated_hour_compares_instants():
    # 01:30 EDT and 01:30 EST are different instants; == between zones would mislead (PEP 495).
    ny = ZoneInfo("America/New_York")
    first = datetime(2024, 11, 3, 1, 30, tzinfo=ny)
    second = datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=ny)
    merged = merge_intervals([(first, utc(2024, 11, 3, 6)), (utc(2024, 11, 3, 6), second)])
    assert len(merged) == 1 and merged[0][1].timestamp() - merged[0][0].timestamp() == HOUR


def test_downtime_is_union_of_outages_minus_exclusions_clipped_to_period():
    period = (utc(2026, 5, 1), utc(2026, 6, 1))
    outages = [
        (utc(2026, 4, 30, 23), utc(2026, 5, 1, 1)),  # 1 h inside the period
        (utc(2026, 5, 10, 10), utc(2026, 5, 10, 12)),
        (utc(2026, 5, 10, 11), utc(2026, 5, 10, 13)),  # overlaps: 10-13 = 3 h
        (utc(2026, 5, 31, 23, 30), utc(2026, 6, 1, 2)),  # 30 min inside
    ]
    excluded = [(utc(2026, 5, 10, 12, 30), utc(2026, 5, 10, 14))]  # removes 30 min
    assert downtime(period, outages) == 4.5 * HOUR
    assert downtime(period, outages, excluded) == 4 * HOUR
    assert downtime(period, [(utc(2026, 5, 2), utc(2026, 5, 2, 0, 0, 0, 500_000))]) == F(1, 2)


def test_uptime_is_exact():
    assert uptime(30 * 24 * HOUR, 1296) == F(9995, 10000)
    assert uptime_percent(30 * 24 * HOUR, 1296) == F("99.95")
    with pytest.raises(ValueError):
        uptime(100, 101)


def test_exactly_the_target_earns_nothing():
    period = 30 * 24 * HOUR
    exactly = uptime_percent(period, period // 1000)  # 99.9 %
    assert exactly == TARGET
    assert tiered_credit(exactly, TARGET, VHOSTWEB) == (None, 0)
    assert tiered_credit(F("99.95"), TARGET, VHOSTWEB) == (None, 0)
    # One second more downtime breaches the target: the 5 % row.
    assert tiered_credit(uptime_percent(period, period // 1000 + 1), TARGET, VHOSTWEB) == (0, 5)


def test_98_95_falls_in_the_gap_to_the_customer_row():
    assert tiered_credit(F("98.95"), TARGET, VHOSTWEB) == (1, 10)
    assert tiered_credit(F("98.95"), TARGET, VHOSTWEB, gaps="provider") == (0, 5)
    assert tiered_credit(F("94.95"), TARGET, VHOSTWEB) == (3, 25)
    assert tiered_credit(F("94.95"), TARGET, VHOSTWEB, gaps="provider") == (2, 15)


def test_tier_edges_are_inclusive_and_bottom_row_is_open():
    assert tiered_credit(F("99.0"), TARGET, VHOSTWEB) == (0, 5)
    assert tiered_credit(F("98.9"), TARGET, VHOSTWEB) == (1, 10)
    assert tiered_credit(F("89.9"), TARGET, VHOSTWEB) == (4, 30)
    assert tiered_credit(F(12), TARGET, VHOSTWEB) == (4, 30)
    assert tiered_credit(99.5, 99.9, [(99.0, 99.9, 5)]) == (0, 5)  # floats read as printed


def test_gap_between_top_row_and_target():
    rows = [(F(99), F("99.5"), F(5))]
    assert tiered_credit(F("99.7"), TARGET, rows) == (0, 5)
    assert tiered_credit(F("99.7"), TARGET, rows, gaps="provider") == (None, 0)


def test_haisoft_per_period_credits():
    kw = dict(grace_seconds=HOUR, period_seconds=HOUR, rate=F("3.3"), cap=F(50))
    assert per_period_credit([3 * HOUR], **kw) == (2, F("6.6"))
    assert per_period_credit([HOUR], **kw) == (0, 0)
    assert per_period_credit([HOUR + 1], **kw) == (1, F("3.3"))
    assert per_period_credit([HOUR + 1], rounding="whole", **kw) == (0, 0)
    assert per_period_credit([timedelta(hours=2, minutes=30)], rounding="whole", **kw) == (1, F("3.3"))
    assert per_period_credit([3 * HOUR, 4 * HOUR], **kw) == (5, F("16.5"))
    assert per_period_credit([3 * HOUR] * 20, **kw) == (40, 50)  # 132 % capped at 50 %


def test_excess_downtime():
    month = 30 * 24 * HOUR
    assert excess_downtime(month, 3000, TARGET) == 3000 - 2592
    assert excess_downtime(month, 2592, TARGET) == 0
    assert excess_downtime(month, 100, TARGET) == 0


def test_a_below_row_excludes_its_bound():
    Fraction = F
    # `99.0%..99.9% -> 5%`, `95.0%..98.9% -> 10%`, `below 95% -> 20%` under a 99.9% target.
    tiers = [(Fraction(99), Fraction(999, 10), 5), (Fraction(95), Fraction(989, 10), 10),
             (None, Fraction(95), 20, True)]
    assert tiered_credit(Fraction(95), Fraction(999, 10), tiers) == (1, 10)  # 95% is not below 95%
    assert tiered_credit(Fraction(9499, 100), Fraction(999, 10), tiers) == (2, 20)
    # Without the row above, exactly 95% sits in a gap between the target and `below 95%`.
    assert tiered_credit(Fraction(95), Fraction(999, 10), tiers[2:], gaps="provider") == (None, 0)
    assert tiered_credit(Fraction(95), Fraction(999, 10), tiers[2:], gaps="customer") == (0, 20)
