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

__all__ = ["FixedDate", "NthWeekday", "OBSERVED_NEAREST", "OBSERVED_MONDAY", "expand"]

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


def expand(rules: Iterable[FixedDate | NthWeekday], first_year: int, last_year: int) -> list[date]:
    """Sorted, de-duplicated dates of several rules over the given years."""
    return sorted({day for rule in rules for day in rule.dates(first_year, last_year)})
