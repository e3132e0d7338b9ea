"""Holiday rules, ranges, the day after and edited country sets (docs/semantics.md "Holiday rules").

The worked example of docs/semantics.md, judged three ways: the evaluator `sladsl.load` builds,
the generated module, and the minute-stepping reference (tests/runtime/reference.py) given the
holiday dates written out by hand here. Expected due instants are worked out by hand in the doc.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sladsl.pipeline import compile_text
from sladsl.runtime.evaluator import Evaluator
from sladsl.runtime.rules import DayAfter, NthWeekday, YearlyRange
from sladsl.to_spec import to_spec
from tests.generated import compiled, generated_module
from reference import Reference  # tests/runtime is on sys.path under pytest

NY = ZoneInfo("America/New_York")
CONTRACT = """contract "Holidays" {
  zone America/New_York
  calendar us_office {
    Mon-Fri 09:00-17:00
    except holidays(US) without "Columbus Day", Dec 24 "Christmas Eve"
    except day after "Thanksgiving Day", Dec 28 - Jan 3 "Year-end shutdown"
  }
  respond 4h
}
"""
# The calendar's closed dates from July 2026 to mid-January 2027, listed by hand: the US federal
# holidays (Independence Day on Saturday 4 July is observed on Friday 3 July), without Columbus
# Day (12 October), plus Christmas Eve, the day after Thanksgiving and the year-end range.
HAND_HOLIDAYS = {
    date(2026, 7, 3), date(2026, 7, 4), date(2026, 9, 7), date(2026, 11, 11), date(2026, 11, 26),
    date(2026, 11, 27), date(2026, 12, 24), date(2026, 12, 25),
    *(date(2026, 12, 28) + timedelta(days=n) for n in range(7)),  # Dec 28 - Jan 3
}
WINDOW = (date(2026, 7, 1), date(2027, 1, 15))
# (start, business time, due) from docs/semantics.md "Holiday rules".
EXAMPLES = [
    (datetime(2026, 10, 9, 16, tzinfo=NY), timedelta(hours=2), datetime(2026, 10, 12, 10, tzinfo=NY)),
    (datetime(2026, 11, 25, 16, tzinfo=NY), timedelta(hours=4), datetime(2026, 11, 30, 12, tzinfo=NY)),
    (datetime(2026, 12, 23, 16, tzinfo=NY), timedelta(hours=2), datetime(2027, 1, 4, 10, tzinfo=NY)),
    (datetime(2026, 7, 2, 16, tzinfo=NY), timedelta(hours=2), datetime(2026, 7, 6, 10, tzinfo=NY)),
]


@pytest.fixture(scope="module")
def calendars(tmp_path_factory):
    contract = compiled(CONTRACT, "holidays.sla")
    loaded = Evaluator(to_spec(contract)).calendar("us_office")
    module = generated_module(contract, CONTRACT, tmp_path_factory.mktemp("gen"))
    return contract, loaded, module.calendar("us_office")


def test_frozen_dates_are_the_hand_listed_ones(calendars):
    contract, _, _ = calendars
    frozen = {h.date for h in contract.calendar("us_office").holidays}
    assert {d for d in frozen if WINDOW[0] <= d <= WINDOW[1]} == HAND_HOLIDAYS


@pytest.mark.parametrize(("start", "duration", "due"), EXAMPLES)
def test_worked_example_agrees_with_the_reference(calendars, start, duration, due):
    _, loaded, generated = calendars
    week = {day: [("09:00", "17:00")] for day in ("mon", "tue", "wed", "thu", "fri")}
    reference = Reference(NY, week, HAND_HOLIDAYS)
    expected = int(due.timestamp())
    assert reference.add(int(start.timestamp()), int(duration.total_seconds())) == expected
    assert int(loaded.add(start, duration).timestamp()) == expected
    assert int(generated.add(start, duration).timestamp()) == expected


def test_named_day_after_equals_the_rule():
    named = compile_text(CONTRACT, "a.sla").contract.calendar("us_office")
    ruled = compile_text(CONTRACT.replace('day after "Thanksgiving Day"', "day after fourth Thu of Nov"),
                         "b.sla").contract.calendar("us_office")
    assert {h.date for h in named.holidays} == {h.date for h in ruled.holidays}


def test_yearly_range_crosses_new_year_and_covers_the_first_january():
    days = YearlyRange(12, 28, 1, 3).dates(2026, 2027)
    assert days[:3] == [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)]
    assert date(2027, 12, 31) in days and date(2028, 1, 3) in days and len(days) == 3 + 7 + 7


def test_day_after_thanksgiving_is_a_friday():
    days = DayAfter(NthWeekday(4, 3, 11)).dates(2020, 2035)
    assert len(days) == 16 and all(d.weekday() == 4 and 23 <= d.day <= 29 for d in days)


def test_edited_set_keeps_observed_days_of_kept_holidays_and_drops_the_removed_ones():
    text = CONTRACT.replace('"Columbus Day"', '"Columbus Day" and "Independence Day"')
    frozen = {h.date for h in compile_text(text, "c.sla").contract.calendar("us_office").holidays}
    assert date(2026, 7, 3) not in frozen and date(2026, 7, 4) not in frozen  # observed day too
    assert date(2027, 7, 5) not in frozen and date(2026, 9, 7) in frozen


def test_fmt_round_trip_of_the_new_items():
    from sladsl.fmt import format_text

    text = ('calendar c = Mon-Fri 09:00-17:00 UTC except holidays(US) 2024..2030 without "Columbus Day" '
            'and "Veterans Day", Dec 28 - Jan 3 "Break", 2026-12-21 - 2026-12-23, '
            'day after fourth Thu in Nov "Black Friday", day after "Thanksgiving Day"\nrespond 4h\n')
    once, diagnostics = format_text(text)
    assert not diagnostics and once is not None
    assert "day after fourth Thu in Nov" in once and 'without "Columbus Day" and "Veterans Day"' in once
    assert format_text(once)[0] == once


def test_observed_dates_are_not_moved_twice():
    text = "calendar c = Mon-Fri 09:00-17:00 UTC except Dec 25 observed, Dec 26\nrespond 4h\n"
    frozen = {h.date for h in compile_text(text, "d.sla").contract.calendar("c").holidays}
    assert date(2022, 12, 26) in frozen and date(2022, 12, 27) not in frozen  # Sunday 25 -> Monday 26
    assert date(2021, 12, 24) in frozen  # Saturday 25 December 2021 -> Friday 24
