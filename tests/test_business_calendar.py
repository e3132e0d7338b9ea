"""A calendar named `business` can be referenced wherever it can be declared (issue 20.14).

`business` is also a keyword (`business(...)` inline calendars, `2 business days`); before, a
calendar declared as `calendar business = ...` could not be named after `within` or `hours`.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sladsl.fmt import format_text
from sladsl.pipeline import compile_text
from sladsl.runtime.evaluator import Evaluator
from sladsl.to_spec import to_spec

TEXT = """calendar business = Mon-Fri 09:00-17:00 UTC
plan P {
  hours business
  respond 4h
  resolve 2 business days
}
within business {
  priority High respond 1h
}
escalate within business {
  0h.. "Support"
}
priority Low respond 8h within business(Mon-Fri 08:00-18:00 UTC)
"""


def test_business_names_the_calendar_after_within_hours_and_escalate():
    result = compile_text(TEXT, "b.sla")
    assert result.ok, [d.message for d in result.diagnostics]
    contract = result.contract
    assert contract.plans[0].hours == "business"
    assert contract.escalation.calendar == "business"
    calendars = {t.priority: t.calendar for t in contract.targets}
    assert calendars["High"] == "business" and calendars["Low"] != "business"  # the inline one
    simple = compile_text("calendar business = Mon-Fri 09:00-17:00 UTC\n"
                          "priority High respond 1h within business\n", "s.sla")
    evaluator = Evaluator(to_spec(simple.contract))
    friday = datetime(2026, 7, 3, 16, tzinfo=timezone.utc)  # 1h before close
    assert evaluator.due("response", "High", friday) == datetime(2026, 7, 3, 17, tzinfo=timezone.utc)


def test_business_calendar_survives_fmt():
    formatted, diagnostics = format_text(TEXT, "b.sla")
    assert formatted is not None and not diagnostics
    again = compile_text(formatted, "b.sla")
    assert again.ok and again.contract.plans[0].hours == "business"
