"""Yearly holiday rules ("Dec 25", "third Monday of January") expanded to local dates.

The rules are frozen dataclasses whose repr() is valid Python, so the compiler can write them
into generated evaluators; the evaluators still freeze the expanded dates (SEMANTICS.md
"Calendars"). A rule's `dates(first_year, last_year)` covers the rule's occurrences in those
years; an observed shift may move a date into a neighbouring year (New Year's Day on a Saturday
is observed on Friday 31 December of the year before), and such a date is kept.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["FixedDate", "NthWeekday", "YearlyRange", "DayAfter", "OBSERVED_NEAREST", "OBSERVED_MONDAY",
           "expand"]

# Saturday -> Friday and Sunday -> Monday (US federal style).
OBSERVED_NEAREST = "nearest"
# Saturday and Sunday -> the following Monday (UK bank-holiday style).
OBSERVED_MONDAY = "monday"
_SHIFTS = {
    None: (0, 0),
    OBSERVED_NEAREST: (-1, 1),
    OBSERVED_MONDAY: (2, 1),
}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _observe(day: date, observed: str | None) -> date:
    saturday, sunday = _SHIFTS[observed]
    weekday = day.weekday()
    if weekday == 5:
        return day + timedelta(days=saturday)
    if weekday == 6:
        return day + timedelta(days=sunday)
    return day


def _check_years(first_year: int, last_year: int) -> range:
    if last_year < first_year:
        raise ValueError(f"last year {last_year} is before first year {first_year}")
    return range(first_year, last_year + 1)


@dataclass(frozen=True)
class FixedDate:
    """The same month and day every year, optionally moved off weekends (`observed`)."""

    month: int
    day: int
    observed: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, got {self.month}")
        if not 1 <= self.day <= monthrange(2000, self.month)[1]:  # 2000: Feb 29 exists
            raise ValueError(f"day {self.day} does not exist in month {self.month}")
        if self.observed not in _SHIFTS:
            raise ValueError(f"observed must be None, 'nearest' or 'monday', got {self.observed!r}")

    def dates(self, first_year: int, last_year: int) -> list[date]:
        """Occurrences in the given years (Feb 29 only in leap years), after the observed shift."""
        out = []
        for year in _check_years(first_year, last_year):
            if self.day <= monthrange(year, self.month)[1]:
                out.append(_observe(date(year, self.month, self.day), self.observed))
        return out


@dataclass(frozen=True)
class NthWeekday:
    """The n-th given weekday of a month (n = -1 for the last); weekday 0 is Monday."""

    n: int
    weekday: int
    month: int
    observed: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.weekday, str):
            name = self.weekday.strip().lower()[:3]
            if name not in _WEEKDAYS:
                raise ValueError(f"unknown weekday `{self.weekday}`")
            object.__setattr__(self, "weekday", _WEEKDAYS.index(name))
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) .. 6 (Sunday), got {self.weekday}")
        if self.n == 0 or not -5 <= self.n <= 5:
            raise ValueError(f"n must be 1..5 or -1..-5, got {self.n}")
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, got {self.month}")
        if self.observed not in _SHIFTS:
            raise ValueError(f"observed must be None, 'nearest' or 'monday', got {self.observed!r}")

    def dates(self, first_year: int, last_year: int) -> list[date]:
        """Occurrences in the given years; a year without a fifth such weekday has none."""
        out = []
        for year in _check_years(first_year, last_year):
            first_weekday, length = monthrange(year, self.month)
            first = 1 + (self.weekday - first_weekday) % 7
            days = list(range(first, length + 1, 7))
            index = self.n - 1 if self.n > 0 else self.n
            if -len(days) <= index < len(days):
                out.append(_observe(date(year, self.month, days[index]), self.observed))
        return out


@dataclass(frozen=True)
class YearlyRange:
    """Every day from one month and day to another, every year (`Dec 28 - Jan 3`).

    A range whose last day comes before its first in the year crosses New Year: it ends in the
    next year. Both bounds must exist every year (Feb 29 does not).
    """

    first_month: int
    first_day: int
    last_month: int
    last_day: int

    def __post_init__(self) -> None:
        for month, day in ((self.first_month, self.first_day), (self.last_month, self.last_day)):
            if not 1 <= month <= 12:
                raise ValueError(f"month must be 1..12, got {month}")
            if not 1 <= day <= monthrange(2001, month)[1]:  # 2001: not a leap year
                raise ValueError(f"day {day} does not exist in month {month} every year")

    @property
    def crosses_new_year(self) -> bool:
        return (self.last_month, self.last_day) < (self.first_month, self.first_day)

    def dates(self, first_year: int, last_year: int) -> list[date]:
        """Days in the given years: the runs that start in them, and the end of the run that
        started the year before (Jan 1-3 of the first year, for `Dec 28 - Jan 3`)."""
        _check_years(first_year, last_year)
        out = []
        start_year = first_year - 1 if self.crosses_new_year else first_year
        for year in range(start_year, last_year + 1):
            day = date(year, self.first_month, self.first_day)
            end = date(year + self.crosses_new_year, self.last_month, self.last_day)
            while day <= end:
                if day.year >= first_year:
                    out.append(day)
                day += timedelta(days=1)
        return out


@dataclass(frozen=True)
class DayAfter:
    """The day after each date of another rule (`day after fourth Thu of Nov`)."""

    rule: FixedDate | NthWeekday

    def dates(self, first_year: int, last_year: int) -> list[date]:
        return [day + timedelta(days=1) for day in self.rule.dates(first_year, last_year)]


Rule = FixedDate | NthWeekday | YearlyRange | DayAfter


def expand(rules: Iterable[Rule], first_year: int, last_year: int) -> list[date]:
    """Sorted, de-duplicated dates of several rules over the given years."""
    return sorted({day for rule in rules for day in rule.dates(first_year, last_year)})
