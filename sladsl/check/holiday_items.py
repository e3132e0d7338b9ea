"""Checker rules for holiday items: yearly rules, ranges, the day after, and edits of a country set.

Every item is expanded to local dates here, at build time, for the years the calendar freezes
(SEMANTICS.md "Calendars"); the model and every back end see only the dates. Called from
`CalendarChecks` (sladsl/check/calendars.py) with the checker as `ck`, for its diagnostics and
did-you-mean. A result is `(dates, source, years)`: `(date, label)` pairs, the plain-language
source printed in the reviewer's document, and the frozen years (None: exact dates that freeze
nothing).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sladsl import ast

if TYPE_CHECKING:
    from sladsl.check.calendars import CalendarChecks as Checker
    from sladsl.runtime.rules import FixedDate, NthWeekday

# `sladsl.runtime.rules` is imported where a rule is built: most contracts state none, and its
# frozen dataclasses (`dataclasses` imports `inspect`) and `calendar` were a noticeable part of `sladsl check`'s start-up.

Result = tuple[list[tuple[date, str]], str, "tuple[int, int] | None"]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
LONG_RANGE_DAYS = 31  # a yearly holiday run longer than a month is more likely a mistake (W202)
OBSERVED_SUFFIX = " (observed)"  # how the holidays package names a date moved off a weekend


def rule_text(node: ast.HolidayRule) -> str:
    """`third Mon of Jan` or `Dec 25`, as the document and the diagnostics say it."""
    if node.ordinal:
        return f"{node.ordinal} {node.weekday} of {node.month}"
    return f"{node.month} {node.day}" if node.day is not None else node.month


def build_rule(node: ast.HolidayRule) -> FixedDate | NthWeekday:
    """The runtime rule a yearly holiday states; ValueError when it cannot exist."""
    from sladsl.runtime.rules import OBSERVED_NEAREST, FixedDate, NthWeekday

    month = MONTHS.index(node.month) + 1
    observed = OBSERVED_NEAREST if node.observed else None
    if node.ordinal:
        if node.day is not None:
            raise ValueError("a weekday rule takes no day number")
        return NthWeekday(ORDINALS[node.ordinal], DAYS.index(node.weekday or ""), month, observed)
    if node.day is None:
        raise ValueError("a date rule needs a day, such as `Dec 25`")
    return FixedDate(month, node.day, observed)


def yearly_rule(ck: Checker, node: ast.HolidayRule, years: tuple[int, int]) -> Result | None:
    """`Dec 25`, `third Mon of Jan "MLK Day" observed`: one date a year, or none (an error)."""
    rule = _rule_or_error(ck, node)
    if rule is None:
        return None
    text = rule_text(node)
    dates = rule.dates(*years)
    if not _some_dates(ck, dates, f"holiday rule `{text}`", node.span, years):
        return None
    _every_year(ck, rule, text, node.span, years)
    label = node.label or text
    named = f" ({node.label})" if node.label else ""
    source = f"{text}{named} every year{' (observed)' if node.observed else ''}"
    return [(day, label) for day in dates], source, years


def holiday_range(ck: Checker, node: ast.HolidayRange, years: tuple[int, int]) -> Result | None:
    """`Dec 28 - Jan 3`: every day of the run, every year; a run may cross New Year."""
    from sladsl.runtime.rules import YearlyRange

    text = f"{node.first_month} {node.first_day} - {node.last_month} {node.last_day}"
    try:
        rule = YearlyRange(MONTHS.index(node.first_month) + 1, node.first_day,
                           MONTHS.index(node.last_month) + 1, node.last_day)
    except ValueError as error:
        ck.error("E306", f"invalid holiday range `{text}`: {error}", node.span,
                 help="give days that exist every year, such as `Dec 28 - Jan 3` (Feb 29 does not)")
        return None
    length = (date(2001 + rule.crosses_new_year, rule.last_month, rule.last_day)
              - date(2001, rule.first_month, rule.first_day)).days + 1
    if length > LONG_RANGE_DAYS:
        ck.warn("W202", f"holiday range `{text}` is {length} days long", node.span,
                help=f"a range runs from its first day to its last, crossing New Year when the last "
                f"comes first in the year: did you mean `{node.last_month} {node.last_day} - "
                f"{node.first_month} {node.first_day}`?")
    label = node.label or text
    named = f" ({node.label})" if node.label else ""
    return [(day, label) for day in rule.dates(*years)], f"{text}{named} every year", years


def date_range(ck: Checker, node: ast.DateRange) -> Result | None:
    """`2026-12-24 - 2027-01-02`: each date of one run; exact dates freeze no years."""
    first, last = ck.parse_date(node.first, node.span), ck.parse_date(node.last, node.span)
    if first is None or last is None:
        return None
    if last < first:
        ck.error("E210", f"date range `{node.first} - {node.last}` ends before it starts", node.span,
                 help=f"write the first date first: `{node.last} - {node.first}`")
        return None
    label = node.label or f"{node.first} - {node.last}"
    named = f" ({node.label})" if node.label else ""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [(day, label) for day in days], f"{node.first} - {node.last}{named}", None


def day_after_rule(ck: Checker, node: ast.DayAfter, years: tuple[int, int]) -> Result | None:
    """`day after fourth Thu of Nov "Black Friday"`: the rule's label names the day after."""
    base = node.base
    assert isinstance(base, ast.HolidayRule)  # a named base is resolved by `day_after_named`
    rule = _rule_or_error(ck, base)
    if rule is None:
        return None
    from sladsl.runtime.rules import DayAfter

    text = f"day after {rule_text(base)}"
    dates = DayAfter(rule).dates(*years)
    if not _some_dates(ck, dates, f"holiday rule `{text}`", node.span, years):
        return None
    label = base.label or text[0].upper() + text[1:]
    named = f" ({base.label})" if base.label else ""
    return [(day, label) for day in dates], f"{text}{named} every year", years


def day_after_named(ck: Checker, node: ast.DayAfter, holidays: dict[date, str]) -> list[tuple[date, str]] | None:
    """`day after "Thanksgiving Day"`: the day after every date the calendar's other holidays
    give that name (the name itself, not its observed days)."""
    name = str(node.base)
    found = [day for day, label in holidays.items() if _names(label, name, observed=False)]
    if not found:
        names = sorted({n for label in holidays.values() for n in label.split("; ")})
        close = ck.suggest("holiday", name, names, cutoff=0.5)
        shown = ", ".join(f"`{n}`" for n in names[:10])
        ck.error("E209", f"`day after \"{name}\"` names no holiday of this calendar", node.span,
                 help=f"did you mean `{close}`?" if close else
                 (f"holidays named in this calendar: {shown}" if names else
                  "name a holiday of the calendar's `except` list, or write a rule: `day after fourth Thu of Nov`"))
        return None
    return [(day + timedelta(days=1), f"Day after {name}") for day in sorted(found)]


def without(ck: Checker, node: ast.HolidaySet, result: Result) -> Result | None:
    """`holidays(US) without "Columbus Day" and ...`: the set minus the named holidays (and their
    observed days); an unknown name or a set left empty is an error."""
    dates, source, years = result
    names = sorted({n for _, label in dates for n in label.split("; ")
                    if not n.endswith(OBSERVED_SUFFIX)})
    ok = True
    for name in node.without:
        if not any(_names(label, name, observed=True) for _, label in dates):
            close = ck.suggest("holiday", name, names, cutoff=0.5)
            shown = ", ".join(f"`{n}`" for n in names[:12])
            ck.error("E208", f"`holidays({node.region})` has no holiday named `{name}`", node.span,
                     help=f"did you mean `{close}`?" if close else f"its holidays: {shown}")
            ok = False
    if not ok:
        return None
    kept = []
    for day, label in dates:
        rest = [n for n in label.split("; ") if not any(_same(n, w, observed=True) for w in node.without)]
        if rest:
            kept.append((day, "; ".join(rest)))
    if not kept:
        ck.error("E207", f"`holidays({node.region})` without {_and(node.without)} keeps no holiday",
                 node.span, help="remove the `without` clause or the holiday set")
        return None
    return kept, f"{source} without {' and '.join(repr_name(n) for n in node.without)}", years


def _rule_or_error(ck: Checker, node: ast.HolidayRule) -> FixedDate | NthWeekday | None:
    try:
        return build_rule(node)
    except ValueError as error:
        ck.error("E306", f"invalid holiday rule: {error}", node.span,
                 help="write `Dec 25` or `third Mon of Jan`")
        return None


def _some_dates(ck: Checker, dates: list[date], what: str, span: ast.Span, years: tuple[int, int]) -> bool:
    """E207: an item that gives no date in the frozen years removes nothing; say so."""
    if dates:
        return True
    ck.error("E207", f"{what} falls on no date in {years[0]}-{years[1]}", span,
             help="no month has that day in any of these years (a fifth weekday is rare, and "
             "February has a fifth one only in some leap years): check the ordinal or the month")
    return False


def _every_year(ck: Checker, rule: FixedDate | NthWeekday, text: str, span: ast.Span,
                years: tuple[int, int]) -> None:
    """W201: a rule that skips some of the frozen years (a fifth weekday, Feb 29)."""
    from dataclasses import replace  # with the rules' module: only when a rule is stated

    first, last = years
    # Counted before the observed shift, which may move a date into a neighbouring year.
    present = {day.year for day in replace(rule, observed=None).dates(first, last)}
    missing = [year for year in range(first, last + 1) if year not in present]
    if missing:
        total = last - first + 1
        shown = ", ".join(str(y) for y in missing[:8]) + (" ..." if len(missing) > 8 else "")
        ck.warn("W201", f"holiday rule `{text}` falls in only {total - len(missing)} of the {total} "
                f"years {first}-{last}", span, notes=[f"no date in {shown}"],
                help="if the holiday is every year, use `last` or an earlier ordinal")


def _names(label: str, name: str, *, observed: bool) -> bool:
    return any(_same(part, name, observed=observed) for part in label.split("; "))


def _same(part: str, name: str, *, observed: bool) -> bool:
    part, name = part.casefold(), name.casefold()
    return part == name or observed and part == name + OBSERVED_SUFFIX.casefold()


def repr_name(name: str) -> str:
    return f'"{name}"'


def _and(names: tuple[str, ...]) -> str:
    return " and ".join(f"`{n}`" for n in names)
