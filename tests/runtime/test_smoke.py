"""First checks of the calendar against SEMANTICS.md examples (hand-computed)."""

from datetime import datetime, timedelta

from sladsl.runtime import Calendar

WEEKDAYS = {day: [("09:00", "17:00")] for day in ("mon", "tue", "wed", "thu", "fri")}


def test_friday_1630_plus_one_hour_is_monday_0930():
    cal = Calendar("GMT+7", WEEKDAYS)
    start = datetime(2026, 5, 15, 16, 30, tzinfo=cal.zone)  # a Friday
    assert cal.add(start, timedelta(hours=1)) == datetime(2026, 5, 18, 9, 30, tzinfo=cal.zone)
