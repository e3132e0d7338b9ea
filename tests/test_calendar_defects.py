"""Regressions for calendar and fmt defects found in review (issue 14 item 4 follow-up).

a. the document showed windows across midnight as per-day pieces;
b. `sladsl fmt` rewrote `in` to `of` in holiday rules;
c. the runtime laid its first table out for the UTC year of an instant, not its local year, so
   a question inside the frozen holiday years was refused near New Year;
(d. W103 inside an add-on's `within` block: the golden case
   tests/cases/targets/bad/two_ways_in_addon_within.sla.)
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "runtime"))
from reference import Reference  # noqa: E402  (tests/runtime/reference.py)

from sladsl.fmt import format_text  # noqa: E402
from sladsl.pipeline import compile_text  # noqa: E402
from sladsl.runtime.clock import Calendar  # noqa: E402
from sladsl.runtime.evaluator import Evaluator  # noqa: E402
from sladsl.to_markdown import render  # noqa: E402
from sladsl.to_spec import to_spec  # noqa: E402

OUT_OF_HOURS = """contract "Out of hours" {
  calendar out_of_hours {
    Mon-Thu 17:30-09:30 next day
    Fri 17:30-Mon 09:30
    on holidays 24x7
    except holidays(GB-ENG)
    zone Europe/London
  }
  calendar nights = daily 22:00-06:00 next day Asia/Tokyo
  respond 4h within out_of_hours
  resolve 8h within nights
}
"""


def test_document_shows_windows_across_midnight_as_written():
    document = render(compile_text(OUT_OF_HOURS, "ooh.sla").contract)
    assert "out\\_of\\_hours: Mon-Thu 17:30-09:30 (next day); Fri 17:30-Mon 09:30 Europe/London" \
        in document
    assert "nights: every day 22:00-06:00 (next day) Asia/Tokyo" in document
    assert "00:00-09:30" not in document and "22:00-24:00" not in document  # no per-day pieces


def test_fmt_keeps_the_authors_word_in_holiday_rules():
    text = ("calendar c = Mon-Fri 09:00-17:00 UTC except last Mon in May, third Mon of Jan, "
            "day after fourth Thu in Nov\nrespond 1h within c\n")
    formatted, problems = format_text(text, "rules.sla")
    assert not problems
    assert "last Mon in May" in formatted and "third Mon of Jan" in formatted
    assert "day after fourth Thu in Nov" in formatted
    assert format_text(formatted, "rules.sla")[0] == formatted


WEEK = {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
NEW_YEAR_EVE = datetime(2026, 12, 31, 20, 0, tzinfo=timezone.utc)  # 2027-01-01 03:00 at UTC+07:00


def test_holiday_years_are_local_years():
    # Frozen for 2027-2030; the instant is in 2027 on the calendar's clock (a holiday, Friday).
    calendar = Calendar("UTC+07:00", WEEK, [date(2027, 1, 1)], holiday_years=(2027, 2030))
    due = calendar.add(NEW_YEAR_EVE, timedelta(hours=1))
    expected = datetime(2027, 1, 4, 10, 0, tzinfo=timezone(timedelta(hours=7)))  # Monday 09:00 + 1 h
    zone = timezone(timedelta(hours=7))
    assert Reference(zone, WEEK, [date(2027, 1, 1)]).add(int(NEW_YEAR_EVE.timestamp()), 3600) \
        == int(expected.timestamp())
    assert due == expected


def test_a_contract_with_a_country_set_answers_on_its_first_local_day():
    text = ('contract "TH" {\n  calendar office = Mon-Fri 09:00-17:00 GMT+7 except holidays(TH) '
            "2027..2030\n  respond 1h within office\n}\n")
    result = compile_text(text, "th.sla")
    assert result.ok, [d.message for d in result.diagnostics]
    evaluator = Evaluator(to_spec(result.contract))
    holidays = evaluator.spec["calendars"]["office"]["holidays"]
    assert date(2027, 1, 1) in holidays  # New Year's Day, frozen from the holidays package
    zone = timezone(timedelta(hours=7))
    expected = Reference(zone, WEEK, holidays).add(int(NEW_YEAR_EVE.timestamp()), 3600)
    verdict = evaluator.evaluate_ticket({"priority": None, "opened_at": NEW_YEAR_EVE,
                                         "now": NEW_YEAR_EVE})
    assert int(verdict["results"][0]["due"].timestamp()) == expected
