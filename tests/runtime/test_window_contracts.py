"""Windows across midnight, windows across days and holiday hours (docs/semantics.md "Windows
across midnight and holiday hours"), on DST days in several zones.

Each calendar is compiled from contract text and asked through the evaluator `sladsl.load` builds
and through the generated module; the minute-stepping reference (tests/runtime/reference.py) gets
the same calendar written out by hand as windows within each day, which is what SEMANTICS.md says
a window across midnight is. Expected figures are worked out by hand in the doc.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner
from reference import Reference  # tests/runtime is on sys.path under pytest

from sladsl.cli import cli
from sladsl.pipeline import compile_text
from sladsl.runtime.evaluator import Evaluator
from sladsl.to_spec import to_spec
from tests.generated import compiled, generated_module

LONDON, NEW_YORK, SYDNEY = ZoneInfo("Europe/London"), ZoneInfo("America/New_York"), ZoneInfo("Australia/Sydney")
CONTRACT = """contract "Windows" {
  zone Europe/London
  calendar out_of_hours {
    Mon-Thu 17:30-09:30 next day
    Fri 17:30-Mon 09:30
    on holidays 24x7
    except holidays(GB-ENG)
  }
  calendar night_ny = Sat 22:00-06:00 next day America/New_York
  calendar weekend_london = Fri 17:00-Mon 09:00
  calendar night_sydney = Sat 20:00-08:00 next day Australia/Sydney
  calendar late_shift = Mon 22:00-06:00 next day UTC except 2026-03-03
  priorities P
  respond 4h within out_of_hours
}
"""
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The same calendars as windows within each day, written by hand for the reference.
OUT_OF_HOURS_BY_HAND = {
    **{day: [("00:00", "09:30"), ("17:30", "24:00")] for day in EVERY_DAY[:5]},
    "sat": [("00:00", "24:00")], "sun": [("00:00", "24:00")],
}
GB_ENG_SPRING_2026 = {date(2026, 4, 3), date(2026, 4, 6)}  # Good Friday, Easter Monday
HAND = {
    "out_of_hours": Reference(LONDON, OUT_OF_HOURS_BY_HAND, GB_ENG_SPRING_2026, [("00:00", "24:00")]),
    "night_ny": Reference(NEW_YORK, {"sat": [("22:00", "24:00")], "sun": [("00:00", "06:00")]}),
    "weekend_london": Reference(LONDON, {"fri": [("17:00", "24:00")], "sat": [("00:00", "24:00")],
                                         "sun": [("00:00", "24:00")], "mon": [("00:00", "09:00")]}),
    "night_sydney": Reference(SYDNEY, {"sat": [("20:00", "24:00")], "sun": [("00:00", "08:00")]}),
    "late_shift": Reference(timezone.utc, {"mon": [("22:00", "24:00")], "tue": [("00:00", "06:00")]},
                            {date(2026, 3, 3)}),
}

# (calendar, stretch open, stretch close, its business time): DST inside the stretch.
STRETCHES = [
    ("night_ny", datetime(2024, 3, 9, 22, tzinfo=NEW_YORK), datetime(2024, 3, 10, 6, tzinfo=NEW_YORK), 7),
    ("night_ny", datetime(2024, 11, 2, 22, tzinfo=NEW_YORK), datetime(2024, 11, 3, 6, tzinfo=NEW_YORK), 9),
    ("weekend_london", datetime(2024, 3, 29, 17, tzinfo=LONDON), datetime(2024, 4, 1, 9, tzinfo=LONDON), 63),
    ("weekend_london", datetime(2024, 10, 25, 17, tzinfo=LONDON), datetime(2024, 10, 28, 9, tzinfo=LONDON), 65),
    ("night_sydney", datetime(2024, 4, 6, 20, tzinfo=SYDNEY), datetime(2024, 4, 7, 8, tzinfo=SYDNEY), 13),
    ("night_sydney", datetime(2024, 10, 5, 20, tzinfo=SYDNEY), datetime(2024, 10, 6, 8, tzinfo=SYDNEY), 11),
    ("out_of_hours", datetime(2026, 3, 27, 17, 30, tzinfo=LONDON), datetime(2026, 3, 30, 9, 30, tzinfo=LONDON), 63),
    # Easter: Thursday's evening runs into Good Friday (24 h), the weekend and Easter Monday, then
    # Monday's own evening window is the holiday's and Tuesday's morning piece follows it.
    ("out_of_hours", datetime(2026, 4, 2, 17, 30, tzinfo=LONDON), datetime(2026, 4, 7, 9, 30, tzinfo=LONDON), 112),
    # A holiday removes the pieces on its date only: Monday 2 March 22:00-24:00 counts, Tuesday
    # 3 March (a holiday) 00:00-06:00 does not.
    ("late_shift", datetime(2026, 3, 2, 22, tzinfo=timezone.utc), datetime(2026, 3, 3, 0, tzinfo=timezone.utc), 2),
]
# (calendar, start, business time, due) from the doc's worked example.
DUES = [
    ("out_of_hours", datetime(2026, 3, 10, 12, tzinfo=LONDON), 4, datetime(2026, 3, 10, 21, 30, tzinfo=LONDON)),
    ("out_of_hours", datetime(2026, 3, 27, 16, tzinfo=LONDON), 40, datetime(2026, 3, 29, 10, 30, tzinfo=LONDON)),
    ("out_of_hours", datetime(2026, 4, 2, 12, tzinfo=LONDON), 24, datetime(2026, 4, 3, 17, 30, tzinfo=LONDON)),
    ("out_of_hours", datetime(2026, 4, 4, 10, tzinfo=LONDON), 72, datetime(2026, 4, 7, 18, tzinfo=LONDON)),
    ("late_shift", datetime(2026, 3, 2, 23, tzinfo=timezone.utc), 2, datetime(2026, 3, 9, 23, tzinfo=timezone.utc)),
]


@pytest.fixture(scope="module")
def calendars(tmp_path_factory):
    contract = compiled(CONTRACT, "windows.sla")
    loaded = Evaluator(to_spec(contract))
    module = generated_module(contract, CONTRACT, tmp_path_factory.mktemp("gen"))
    return contract, loaded, module


def _both(calendars, name):
    _, loaded, module = calendars
    return loaded.calendar(name), module.calendar(name)


def test_frozen_spring_holidays_are_the_hand_listed_ones(calendars):
    contract, _, _ = calendars
    frozen = {h.date for h in contract.calendar("out_of_hours").holidays}
    assert {d for d in frozen if date(2026, 3, 1) <= d <= date(2026, 4, 30)} == GB_ENG_SPRING_2026


@pytest.mark.parametrize(("name", "opens", "closes", "hours"), STRETCHES)
def test_stretches_across_midnight_and_dst_agree_with_the_reference(calendars, name, opens, closes, hours):
    reference = HAND[name]
    s, e = int(opens.timestamp()), int(closes.timestamp())
    day_before, day_after = s - 60, e + 86400  # the minute before the stretch is closed
    assert reference.elapsed(day_before, e) == hours * 3600
    assert reference.windows(s - 3600, e + 3600)[0] == (s, e)  # one stretch, opening and closing there
    for calendar in _both(calendars, name):
        assert calendar.elapsed_epoch(day_before, e) == hours * 3600
        assert calendar.windows_epoch(s - 3600, e + 3600)[0] == (s, e)
        assert calendar.add_epoch(day_before, hours * 3600) == e  # lands on the close
        assert calendar.add_epoch(s + 1800, 3600) == reference.add(s + 1800, 3600)
        assert calendar.elapsed_epoch(s, day_after) == reference.elapsed(s, day_after)


@pytest.mark.parametrize(("name", "start", "hours", "due"), DUES)
def test_worked_example_dues(calendars, name, start, hours, due):
    expected = int(due.timestamp())
    assert HAND[name].add(int(start.timestamp()), hours * 3600) == expected
    for calendar in _both(calendars, name):
        assert int(calendar.add(start, timedelta(hours=hours)).timestamp()) == expected


def test_sql_engine_equals_python_on_crossing_windows_and_holiday_hours(tmp_path):
    """The SQL tables are laid out from the runtime calendar: the DuckDB engine must judge as Python."""
    pytest.importorskip("duckdb")
    contract = tmp_path / "windows.sla"
    contract.write_text(CONTRACT, encoding="utf-8")
    starts = [datetime(2026, 4, 2, 17, 29, tzinfo=LONDON), datetime(2026, 4, 3, 0, 0, tzinfo=LONDON),
              datetime(2026, 3, 27, 16, tzinfo=LONDON), datetime(2026, 3, 29, 0, 59, tzinfo=LONDON),
              datetime(2026, 4, 6, 23, 59, tzinfo=LONDON), datetime(2026, 3, 10, 9, 30, tzinfo=LONDON),
              datetime(2026, 10, 24, 23, tzinfo=LONDON), datetime(2026, 12, 24, 12, tzinfo=LONDON)]
    rows = []
    for n, start in enumerate(starts):
        for m, reply in enumerate((3, 4, 5, 30)):
            rows.append({"id": f"T{n}-{m}", "priority": "P", "opened_at": start.isoformat(),
                         "first_response_at": (start + timedelta(hours=reply)).isoformat()})
    tickets = tmp_path / "tickets.jsonl"
    tickets.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    outputs = []
    for engine in ("python", "duckdb"):
        result = CliRunner().invoke(cli, ["eval", str(contract), "--tickets", str(tickets), "--now",
                                          "2027-01-01T00:00:00Z", "--engine", engine])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1]
    assert "breached" in outputs[0] and "met" in outputs[0]


def test_fmt_round_trip_of_the_new_windows():
    from sladsl.fmt import format_text

    text = ("calendar c {\n  Mon-Thu 17:30-09:30 next day\n  Fri 17:30-Mon 09:30\n  on holidays 24x7\n"
            "  except Dec 25\n  zone UTC\n}\ncalendar d = Mon-Fri 09:00-17:00 on holidays 10:00-12:00 "
            "except Dec 24 UTC\nrespond 4h within c\n")
    once, diagnostics = format_text(text)
    assert not diagnostics and once is not None
    assert "Mon-Thu 17:30-09:30 next day Fri 17:30-Mon 09:30 on holidays 24x7" in once
    assert "on holidays 10:00-12:00" in once
    assert format_text(once)[0] == once
    first, second = compile_text(text, "a.sla"), compile_text(once, "b.sla")
    assert first.ok and second.ok and _same_calendars(first.contract, second.contract)


def _same_calendars(a, b) -> bool:
    return [(c.week, c.holiday_hours, c.holidays) for c in a.calendars] == \
        [(c.week, c.holiday_hours, c.holidays) for c in b.calendars]


# ---- property: any window across midnight or days, with holiday hours, near a DST change ----------

DAY_WORDS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata")
# Weeks holding a DST change in the first three zones (2026): the property runs over these days.
DST_WEEKS = (date(2026, 3, 5), date(2026, 3, 26), date(2026, 4, 1), date(2026, 10, 1), date(2026, 10, 22),
             date(2026, 10, 29))


def _by_hand(first_day: int, opens: int, closes: int, span_days: int) -> dict[str, list[tuple[str, str]]]:
    """The window cut at each midnight, written the plain way: minute counts to HH:MM pieces."""
    def hhmm(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    week: dict[str, list[tuple[str, str]]] = {}
    week.setdefault(DAY_NAMES_LOWER[first_day], []).append((hhmm(opens), "24:00"))
    for offset in range(1, span_days):
        week.setdefault(DAY_NAMES_LOWER[(first_day + offset) % 7], []).append(("00:00", "24:00"))
    if closes:
        week.setdefault(DAY_NAMES_LOWER[(first_day + span_days) % 7], []).append(("00:00", hhmm(closes)))
    return week


DAY_NAMES_LOWER = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zone=st.sampled_from(ZONES), first_day=st.integers(0, 6), opens=st.integers(0, 47),
       closes=st.integers(0, 47), span_days=st.integers(1, 6), next_day=st.booleans(),
       week=st.sampled_from(DST_WEEKS), holiday_offset=st.integers(0, 9),
       holiday_hours=st.sampled_from(((), (("10:00", "12:00"),), (("00:00", "24:00"),))),
       start_minutes=st.integers(0, 7 * 48), budget=st.integers(1, 4 * 48))
def test_any_window_across_days_agrees_with_the_reference(zone, first_day, opens, closes, span_days, next_day,
                                                          week, holiday_offset, holiday_hours,
                                                          start_minutes, budget):
    opens, closes = opens * 30, closes * 30
    if next_day:
        span_days = 1
        closes = min(closes, opens)
        window = f"{DAY_WORDS[first_day]} {opens // 60:02d}:{opens % 60:02d}-{closes // 60:02d}:{closes % 60:02d} next day"
    else:
        close_day = DAY_WORDS[(first_day + span_days) % 7]
        window = (f"{DAY_WORDS[first_day]} {opens // 60:02d}:{opens % 60:02d}-{close_day} "
                  f"{closes // 60:02d}:{closes % 60:02d}")
    holiday = week + timedelta(days=holiday_offset)
    hours = f" on holidays {', '.join(f'{o}-{c}' for o, c in holiday_hours)}" if holiday_hours else ""
    text = f"calendar c = {window} {zone} except {holiday.isoformat()}{hours}\nrespond 4h\n"
    result = compile_text(text, "p.sla")
    assert result.ok, (text, [d.message for d in result.diagnostics])
    calendar = Evaluator(to_spec(result.contract)).calendar("c")
    tz = ZoneInfo(zone)
    reference = Reference(tz, _by_hand(first_day, opens, closes, span_days), {holiday}, holiday_hours)
    origin = int(datetime(week.year, week.month, week.day, tzinfo=tz).timestamp())
    start = origin + start_minutes * 1800
    end = start + 3 * 86400
    assert calendar.elapsed_epoch(start, end) == reference.elapsed(start, end), text
    assert calendar.windows_epoch(start, end) == reference.windows(start, end), text
    target = budget * 1800
    if reference.elapsed(start, start + 10 * 86400) >= target:  # due within the stepped range
        assert calendar.add_epoch(start, target) == reference.add(start, target), text
    # Business days count dates with a window; a holiday with holiday hours is one of them.
    days = budget % 3
    assert calendar.add_business_days_epoch(start, days) == reference.add_business_days(start, days), text
