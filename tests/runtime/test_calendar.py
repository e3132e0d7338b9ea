"""One named test per rule of SEMANTICS.md; every expected value is computed by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from sladsl.runtime import Calendar, NoBusinessTime, parse_zone

OFFICE = {day: [("09:00", "17:00")] for day in ("mon", "tue", "wed", "thu", "fri")}
UTC = timezone.utc
H = timedelta(hours=1)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def office():
    return Calendar("GMT+7", OFFICE)


def at(cal, *args):
    return datetime(*args, tzinfo=cal.zone)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def same_instant(a: datetime, b: datetime) -> bool:
    # Compare as epoch seconds: `==` across zones is False inside a repeated hour (PEP 495).
    return a.timestamp() == b.timestamp()


# -- due instants -------------------------------------------------------------------------------

def test_friday_1630_plus_one_hour_is_monday_0930(office):
    due = office.add(at(office, 2026, 5, 15, 16, 30), H)  # Friday
    assert due == at(office, 2026, 5, 18, 9, 30)
    assert due.utcoffset() == timedelta(hours=7)


def test_landing_exactly_on_the_close_returns_the_close(office):
    assert office.add(at(office, 2026, 5, 15, 16, 30), 30 * timedelta(minutes=1)) == at(
        office, 2026, 5, 15, 17, 0
    )
    assert office.add(at(office, 2026, 5, 11, 9), 40 * H) == at(office, 2026, 5, 15, 17)


def test_zero_duration_is_start_when_open_else_next_opening(office):
    assert office.add(at(office, 2026, 5, 13, 11, 5), timedelta(0)) == at(office, 2026, 5, 13, 11, 5)
    assert office.add(at(office, 2026, 5, 15, 20), timedelta(0)) == at(office, 2026, 5, 18, 9)
    assert office.add(at(office, 2026, 5, 15, 17), timedelta(0)) == at(office, 2026, 5, 18, 9)


def test_after_hours_start_accrues_nothing_until_the_opening(office):
    assert office.add(at(office, 2026, 5, 16, 10), H) == at(office, 2026, 5, 18, 10)  # Saturday
    assert office.add(at(office, 2026, 5, 18, 7), H) == at(office, 2026, 5, 18, 10)
    assert office.elapsed(at(office, 2026, 5, 15, 17), at(office, 2026, 5, 18, 9)) == timedelta(0)


def test_elapsed_counts_business_time_only(office):
    assert office.elapsed(at(office, 2026, 5, 15, 16, 30), at(office, 2026, 5, 18, 9, 30)) == H
    assert office.elapsed(at(office, 2026, 5, 18), at(office, 2026, 5, 15)) == timedelta(0)
    # The end may be in another zone: it is an instant.
    assert office.elapsed(at(office, 2026, 5, 18, 9), utc(2026, 5, 18, 3)) == timedelta(hours=1)


def test_result_is_in_the_calendar_zone(office):
    due = office.add(utc(2026, 5, 18, 2), H)  # 09:00 in GMT+7
    assert due.tzinfo is office.zone and due == at(office, 2026, 5, 18, 10)


# -- business days ------------------------------------------------------------------------------

def test_friday_2000_plus_one_business_day_is_monday_1700(office):
    assert office.add_business_days(at(office, 2026, 5, 15, 20), 1) == at(office, 2026, 5, 18, 17)
    # On a calendar of equal days, N business days = N x the day's business time.
    assert office.add(at(office, 2026, 5, 15, 20), 8 * H) == at(office, 2026, 5, 18, 17)


def test_business_days_keep_the_clock_time_inside_hours(office):
    assert office.add_business_days(at(office, 2026, 5, 13, 10), 1) == at(office, 2026, 5, 14, 10)
    assert office.add_business_days(at(office, 2026, 5, 14, 10), 2) == at(office, 2026, 5, 18, 10)


def test_business_days_before_opening_count_from_previous_close(office):
    # Wednesday 08:00: last business moment is Tuesday 17:00; one date later, Wednesday 17:00.
    assert office.add_business_days(at(office, 2026, 5, 13, 8), 1) == at(office, 2026, 5, 13, 17)


def test_zero_business_days_is_the_anchor(office):
    assert office.add_business_days(at(office, 2026, 5, 13, 10), 0) == at(office, 2026, 5, 13, 10)
    assert office.add_business_days(at(office, 2026, 5, 15, 20), 0) == at(office, 2026, 5, 15, 17)


def test_business_days_clamp_into_a_split_day():
    cal = Calendar("UTC", {d: [("09:00", "12:00"), ("13:00", "17:00")] for d in ("mon", "tue", "wed")})
    # In the lunch gap: the anchor is the 12:00 close, kept as 12:00 the next day.
    assert cal.add_business_days(at(cal, 2026, 5, 11, 12, 30), 1) == at(cal, 2026, 5, 12, 12)
    # Exactly at the 13:00 opening: no business time behind it in that window, so the anchor is
    # the 12:00 close too (SEMANTICS.md "Business days"); a minute later it is the start itself.
    assert cal.add_business_days(at(cal, 2026, 5, 11, 13), 1) == at(cal, 2026, 5, 12, 12)
    assert cal.add_business_days(at(cal, 2026, 5, 11, 13, 1), 1) == at(cal, 2026, 5, 12, 13, 1)
    # Wednesday 15:00 + 1: Thursday is closed, so next Monday 15:00.
    assert cal.add_business_days(at(cal, 2026, 5, 13, 15), 1) == at(cal, 2026, 5, 18, 15)
    # A late clock time clamps to the previous close on a shorter day.
    short = Calendar("UTC", {"mon": [("09:00", "18:00")], "tue": [("09:00", "12:00")]})
    assert short.add_business_days(at(short, 2026, 5, 11, 17), 1) == at(short, 2026, 5, 12, 12)
    assert short.add_business_days(at(short, 2026, 5, 12, 10), 1) == at(short, 2026, 5, 18, 10)


def test_business_days_from_an_opening_anchor_at_the_previous_close(office):
    # Issue 20.7: Monday 09:00 + 1 business day was Tuesday 09:00 while add(Monday 09:00, 8h) is
    # Monday 17:00. The opening has no business time behind it: the anchor is Friday's close.
    monday = at(office, 2026, 5, 18, 9)
    assert office.add_business_days(monday, 1) == at(office, 2026, 5, 18, 17)
    assert office.add(monday, 8 * H) == at(office, 2026, 5, 18, 17)
    # N business days = N x the day on equal days, from the opening too.
    assert office.add_business_days(monday, 3) == office.add(monday, 24 * H) == at(office, 2026, 5, 20, 17)
    assert office.add_business_days(monday, 0) == at(office, 2026, 5, 15, 17)


def test_business_days_on_unequal_days_from_an_opening():
    # Issue 20.7: Mon 09-12, Tue 09-17; Tuesday 09:00 + 1 business day anchors at Monday's 12:00
    # close and is due Tuesday 12:00 (it was the next Monday).
    cal = Calendar("UTC", {"mon": [("09:00", "12:00")], "tue": [("09:00", "17:00")]})
    assert cal.add_business_days(at(cal, 2026, 5, 12, 9), 1) == at(cal, 2026, 5, 12, 12)
    # Inside hours the start is its own anchor: Tuesday 10:00 + 1 -> Monday 10:00.
    assert cal.add_business_days(at(cal, 2026, 5, 12, 10), 1) == at(cal, 2026, 5, 18, 10)


def test_business_days_from_a_midnight_joined_to_a_2400_close():
    # 00:00 opens a window that continues yesterday's 22:00-24:00: business time is behind it,
    # so the anchor is 24:00 of yesterday and one business day later is 24:00 of today.
    cal = Calendar("UTC", {d: [("00:00", "06:00"), ("22:00", "24:00")] for d in DAYS})
    assert cal.add_business_days(at(cal, 2026, 5, 12, 0), 1) == at(cal, 2026, 5, 13, 0)
    always = Calendar("UTC", {d: [("00:00", "24:00")] for d in DAYS})
    assert always.add_business_days(at(always, 2026, 5, 12, 0), 2) == at(always, 2026, 5, 14, 0)


def test_negative_business_days_are_rejected(office):
    with pytest.raises(ValueError):
        office.add_business_days(at(office, 2026, 5, 13, 10), -1)


# -- DST ----------------------------------------------------------------------------------------

def test_spring_forward_night_is_an_hour_shorter():
    cal = Calendar("America/New_York", {"sun": [("00:00", "06:00")]})
    start = datetime(2024, 3, 10, 0, 0, tzinfo=NY)  # 02:00 EST -> 03:00 EDT that night
    end = datetime(2024, 3, 10, 6, 0, tzinfo=NY)
    assert cal.elapsed(start, end) == 5 * H
    assert same_instant(cal.add(start, 5 * H), utc(2024, 3, 10, 10))  # 06:00 EDT, the close
    assert same_instant(cal.add(start, 3 * H), utc(2024, 3, 10, 8))  # 04:00 EDT


def test_window_bound_in_a_gap_maps_to_the_end_of_the_gap():
    cal = Calendar("America/New_York", {"sun": [("02:30", "04:00")]})
    day = datetime(2024, 3, 10, 0, 0, tzinfo=NY)
    assert same_instant(cal.next_open(day), utc(2024, 3, 10, 7))  # 03:00 EDT
    assert cal.elapsed(day, day + timedelta(days=1)) == H


def test_fall_back_window_is_an_hour_longer():
    cal = Calendar("America/New_York", {"sun": [("00:00", "06:00")]})
    start = datetime(2024, 11, 3, 0, 0, tzinfo=NY)  # 02:00 EDT -> 01:00 EST
    assert cal.elapsed(start, utc(2024, 11, 4)) == 7 * H
    assert same_instant(cal.add(start, 7 * H), utc(2024, 11, 3, 11))  # 06:00 EST


def test_window_bound_in_a_repeated_hour_is_its_first_occurrence():
    cal = Calendar("America/New_York", {"sun": [("01:30", "03:00")]})
    start = utc(2024, 11, 3, 0)
    assert same_instant(cal.next_open(start), utc(2024, 11, 3, 5, 30))  # 01:30 EDT
    assert cal.elapsed(start, utc(2024, 11, 4)) == timedelta(hours=2, minutes=30)


def test_windows_in_a_repeated_hour_are_intervals_not_wall_clock_minutes():
    # Issue 20.7, docs/semantics.md "Bounds in a repeated hour": a window is one interval from the
    # first instant its open reads to the first instant its close reads. On 2024-11-03 New York
    # reads 01:00-02:00 twice (EDT 05:00-06:00Z, then EST 06:00-07:00Z).
    closes_inside = Calendar("America/New_York", {"sun": [("00:00", "01:30")]})
    day = utc(2024, 11, 3, 0)
    # 00:00 EDT (04:00Z) to the first 01:30 (05:30Z): 1 h 30 min. The second 01:00-01:30 (EST,
    # 06:00-06:30Z) reads inside the window on the wall clock but is not business time.
    assert closes_inside.elapsed(day, utc(2024, 11, 4)) == timedelta(hours=1, minutes=30)
    assert not closes_inside.is_open(utc(2024, 11, 3, 6, 15))
    assert same_instant(closes_inside.add(day, H), utc(2024, 11, 3, 5))
    opens_inside = Calendar("America/New_York", {"sun": [("01:30", "03:00")]})
    # 01:30 EDT (05:30Z) to 03:00 EST (08:00Z): 2 h 30 min, and 01:15 EST (06:15Z), which reads
    # before the window, lies inside the interval and is business time.
    assert opens_inside.is_open(utc(2024, 11, 3, 6, 15))
    assert same_instant(opens_inside.add(day, 2 * H), utc(2024, 11, 3, 7, 30))


def test_london_office_across_the_spring_change():
    cal = Calendar("Europe/London", {d: [("09:00", "17:00")] for d in ("fri", "mon")})
    friday = datetime(2024, 3, 29, 16, tzinfo=LONDON)  # GMT; Monday is BST
    assert same_instant(cal.add(friday, 2 * H), utc(2024, 4, 1, 9))  # Monday 10:00 BST


# -- pauses -------------------------------------------------------------------------------------

def test_pause_moves_the_due_instant_by_the_business_time_inside_it(office):
    start = at(office, 2026, 5, 18, 9)
    pause = (at(office, 2026, 5, 18, 10), at(office, 2026, 5, 18, 10, 30))
    assert office.add(start, 2 * H, pauses=[pause]) == at(office, 2026, 5, 18, 11, 30)
    assert office.elapsed(start, at(office, 2026, 5, 18, 12), pauses=[pause]) == 2.5 * H


def test_pause_outside_hours_costs_nothing_extra(office):
    start = at(office, 2026, 5, 15, 15)  # Friday
    pause = (at(office, 2026, 5, 15, 16), at(office, 2026, 5, 18, 10))
    # 1 h before the pause, paused Fri 16-17 and Mon 9-10, the second hour Mon 10-11.
    assert office.add(start, 2 * H, pauses=[pause]) == at(office, 2026, 5, 18, 11)


def test_overlapping_pauses_are_merged(office):
    start = at(office, 2026, 5, 18, 9)
    pauses = [
        (at(office, 2026, 5, 18, 10), at(office, 2026, 5, 18, 10, 30)),
        (at(office, 2026, 5, 18, 10, 15), at(office, 2026, 5, 18, 10, 45)),
    ]
    assert office.add(start, 2 * H, pauses=pauses) == at(office, 2026, 5, 18, 11, 45)


def test_pause_starting_at_the_due_instant_changes_nothing(office):
    start = at(office, 2026, 5, 18, 9)
    pause = (at(office, 2026, 5, 18, 10), at(office, 2026, 5, 18, 12))
    assert office.add(start, H, pauses=[pause]) == at(office, 2026, 5, 18, 10)


# -- holidays -----------------------------------------------------------------------------------

def test_holiday_removes_the_whole_date():
    cal = Calendar("GMT+7", OFFICE, holidays=[date(2026, 5, 18)])
    assert cal.add(at(cal, 2026, 5, 15, 16, 30), H) == at(cal, 2026, 5, 19, 9, 30)
    assert cal.add_business_days(at(cal, 2026, 5, 15, 20), 1) == at(cal, 2026, 5, 19, 17)
    assert not cal.is_open(at(cal, 2026, 5, 18, 12))


def test_years_of_holidays_do_not_loop():
    mondays = [date(2026, 5, 18) + timedelta(weeks=k) for k in range(52 * 12)]
    cal = Calendar("UTC", {"mon": [("09:00", "10:00")]}, holidays=mondays)
    due = cal.add(at(cal, 2026, 5, 15), H)
    assert due == datetime.combine(mondays[-1] + timedelta(weeks=1), datetime.min.time(), UTC) + 10 * H


# -- zones --------------------------------------------------------------------------------------

def test_gmt_plus_7_is_east_of_utc_but_etc_gmt_plus_7_is_west():
    east = Calendar("GMT+7", OFFICE)
    west = Calendar("Etc/GMT+7", OFFICE)
    monday = datetime(2026, 5, 18, 9)
    assert east.next_open(utc(2026, 5, 18)) == utc(2026, 5, 18, 2)
    assert west.next_open(utc(2026, 5, 18)) == utc(2026, 5, 18, 16)
    assert east.zone.utcoffset(monday) == timedelta(hours=7)
    assert west.zone.utcoffset(monday) == timedelta(hours=-7)


def test_naive_datetime_is_rejected_with_a_clear_message(office):
    for call in (
        lambda: office.add(datetime(2026, 5, 18, 9), H),
        lambda: office.elapsed(at(office, 2026, 5, 18, 9), datetime(2026, 5, 18, 10)),
        lambda: office.is_open(datetime(2026, 5, 18, 9)),
        lambda: office.add_business_days(datetime(2026, 5, 18, 9), 1),
    ):
        with pytest.raises(ValueError, match=r"naive.*zone"):
            call()


# -- calendars ----------------------------------------------------------------------------------

@pytest.mark.parametrize("week", [{}, {"mon": []}, {d: [] for d in ("mon", "sat", "sun")}])
def test_calendar_without_business_time_raises(week):
    with pytest.raises(NoBusinessTime):
        Calendar("UTC", week)
    assert issubclass(NoBusinessTime, ValueError)


@pytest.mark.parametrize(
    "windows",
    [
        [("17:00", "09:00")],
        [("09:00", "09:00")],
        [("09:00", "12:00"), ("11:00", "14:00")],
        [("24:00", "24:00")],
        [("9:00", "17:00")],
        [("09:60", "17:00")],
    ],
)
def test_bad_windows_are_errors(windows):
    with pytest.raises(ValueError):
        Calendar("UTC", {"mon": windows})


def test_24_00_close_and_midnight_touching_windows_form_one_stretch():
    cal = Calendar("UTC", {"mon": [("18:00", "24:00")], "tue": [("00:00", "02:00")]})
    monday = datetime(2026, 5, 18, 23, tzinfo=UTC)
    assert cal.add(monday, 2 * H) == utc(2026, 5, 19, 1)
    assert cal.add(monday, 3 * H) == utc(2026, 5, 19, 2)
    assert cal.is_open(utc(2026, 5, 19, 0))
    assert list(cal.windows(utc(2026, 5, 18, 12), utc(2026, 5, 19, 12))) == [
        (utc(2026, 5, 18, 18), utc(2026, 5, 19, 2))
    ]


def test_windows_are_clipped_to_the_range(office):
    got = list(office.windows(at(office, 2026, 5, 15, 12), at(office, 2026, 5, 18, 10)))
    assert got == [
        (at(office, 2026, 5, 15, 12), at(office, 2026, 5, 15, 17)),
        (at(office, 2026, 5, 18, 9), at(office, 2026, 5, 18, 10)),
    ]


def test_24x7_calendar():
    cal = Calendar("UTC", {d: [("00:00", "24:00")] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    start = utc(2026, 5, 15, 16, 30)
    assert cal.add(start, 100 * H) == start + 100 * H
    assert cal.elapsed(start, start + 1000 * H) == 1000 * H


# -- precision ----------------------------------------------------------------------------------

def test_instants_are_truncated_and_durations_rounded_up_to_seconds(office):
    start = at(office, 2026, 5, 18, 9, 0, 0, 700_000)
    assert office.add(start, H) == at(office, 2026, 5, 18, 10)
    assert office.add(at(office, 2026, 5, 18, 9), timedelta(seconds=1.2)) == at(office, 2026, 5, 18, 9, 0, 2)
    assert office.elapsed(start, at(office, 2026, 5, 18, 9, 0, 1, 999_999)) == timedelta(seconds=1)
    assert office.add(at(office, 2026, 5, 18, 9), timedelta(minutes=1, seconds=30)) == at(
        office, 2026, 5, 18, 9, 1, 30
    )


def test_negative_duration_is_rejected(office):
    with pytest.raises(ValueError):
        office.add(at(office, 2026, 5, 18, 9), -H)


def test_lazy_table_extends_both_ways(office):
    office.cover(2026, 2026)
    assert office.add(at(office, 2031, 5, 17, 10), H) == at(office, 2031, 5, 19, 10)
    assert office.elapsed(at(office, 2019, 5, 10, 16), at(office, 2019, 5, 13, 10)) == 2 * H
    assert office.add_business_days(at(office, 2026, 5, 15, 20), 1) == at(office, 2026, 5, 18, 17)


def test_parse_zone_forms():
    assert parse_zone("UTC+05:30").utcoffset(None) == timedelta(hours=5, minutes=30)
    assert parse_zone("UTC+7").tzname(None) == "UTC+07:00"
    assert parse_zone("GMT-3").utcoffset(None) == timedelta(hours=-3)
    assert parse_zone("UTC") is timezone.utc
    assert str(parse_zone("Asia/Jakarta")) == "Asia/Jakarta"
    for bad in ("BRT", "EST", "Mars/Olympus", "UTC+15", "GMT+7:99", "", "UTC++7"):
        with pytest.raises(ValueError):
            parse_zone(bad)
    with pytest.raises(ValueError, match="abbreviation"):
        parse_zone("BRT")
    with pytest.raises(ValueError, match="unknown time zone `Mars/Olympus`"):
        parse_zone("Mars/Olympus")


def test_questions_beyond_the_frozen_holiday_years_are_errors():
    from sladsl.runtime import HolidaysNotFrozen

    week = {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
    cal = Calendar("Asia/Bangkok", week, [date(2026, 4, 13)], holiday_years=(2026, 2026))
    zone = cal.zone
    assert cal.add(datetime(2026, 4, 10, 16, 0, tzinfo=zone), timedelta(hours=2)) == datetime(
        2026, 4, 14, 10, 0, tzinfo=zone)  # Friday 16:00 + 2h skips the Monday holiday
    with pytest.raises(HolidaysNotFrozen, match="frozen for 2026-2026; the question needs 2027"):
        cal.add(datetime(2027, 1, 5, 9, 0, tzinfo=zone), timedelta(hours=1))
    with pytest.raises(HolidaysNotFrozen):  # a due instant that would run into the next year
        cal.add(datetime(2026, 12, 31, 16, 0, tzinfo=zone), timedelta(hours=2))
