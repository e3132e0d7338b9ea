"""Yearly holiday rules (hand-checked against printed calendars)."""

from datetime import date

import pytest

from sladsl.runtime import FixedDate, NthWeekday
from sladsl.runtime.rules import expand


def test_fixed_date():
    assert FixedDate(12, 25).dates(2024, 2025) == [date(2024, 12, 25), date(2025, 12, 25)]
    assert FixedDate(2, 29).dates(2023, 2024) == [date(2024, 2, 29)]


def test_observed_nearest_weekday():
    july4 = FixedDate(7, 4, observed="nearest")
    assert july4.dates(2026, 2027) == [date(2026, 7, 3), date(2027, 7, 5)]  # Sat, Sun
    assert FixedDate(1, 1, observed="nearest").dates(2022, 2022) == [date(2021, 12, 31)]


def test_observed_monday():
    assert FixedDate(12, 25, observed="monday").dates(2021, 2021) == [date(2021, 12, 27)]
    assert FixedDate(12, 26, observed="monday").dates(2021, 2021) == [date(2021, 12, 27)]


def test_nth_weekday():
    assert NthWeekday(3, 0, 1).dates(2026, 2026) == [date(2026, 1, 19)]  # third Monday
    assert NthWeekday(-1, "mon", 5).dates(2026, 2026) == [date(2026, 5, 25)]  # last Monday
    assert NthWeekday(5, 0, 5).dates(2026, 2026) == []  # no fifth Monday in May 2026
    assert NthWeekday(4, 3, 11).dates(2024, 2024) == [date(2024, 11, 28)]  # Thanksgiving


def test_rules_round_trip_through_repr():
    for rule in (FixedDate(12, 25, observed="nearest"), NthWeekday(-1, "mon", 5)):
        assert eval(repr(rule)) == rule  # noqa: S307 - generated code relies on this


def test_expand_sorts_and_deduplicates():
    rules = [FixedDate(12, 25), FixedDate(12, 26, observed="monday"), FixedDate(12, 25)]
    assert expand(rules, 2021, 2021) == [date(2021, 12, 25), date(2021, 12, 27)]


@pytest.mark.parametrize(
    "make",
    [lambda: FixedDate(13, 1), lambda: FixedDate(2, 30), lambda: FixedDate(1, 1, "sunday"),
     lambda: NthWeekday(0, 0, 1), lambda: NthWeekday(1, "xyz", 1), lambda: NthWeekday(1, 7, 1)],
)
def test_invalid_rules(make):
    with pytest.raises(ValueError):
        make()
