"""Coverage that depends on the priority or on an add-on (issue 14.4; docs/semantics.md
"Coverage by priority and add-on"): per-priority `within` already states it.

Urgent tickets counted 24x7 while the rest counts 24x5, and an add-on that moves Sev1 to 24x7
for the plans it is bought with. Asked through the evaluator `sladsl.load` builds and the
generated module; the minute-stepping reference gives the 24x5 and 24x7 answers independently.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from reference import Reference  # tests/runtime is on sys.path under pytest

from sladsl.runtime.evaluator import Evaluator
from sladsl.to_spec import to_spec
from tests.generated import compiled, generated_module

NY = ZoneInfo("America/New_York")
CONTRACT = """contract "Coverage" {
  zone America/New_York
  calendar weekdays_around_the_clock = Mon-Fri 00:00-24:00
  priorities Sev0, Sev1, Sev2
  plan Standard {
    hours weekdays_around_the_clock
    priority Sev0 respond 1h within 24x7
    priority Sev1 respond 2h
    priority Sev2 respond 8h
  }
  addon "Weekend cover" for Standard {
    within 24x7 {
      priority Sev1 respond 2h
    }
  }
}
"""
SATURDAY = datetime(2026, 3, 7, 10, tzinfo=NY)
WEEK_24X5 = {day: [("00:00", "24:00")] for day in ("mon", "tue", "wed", "thu", "fri")}
WEEK_24X7 = {**WEEK_24X5, "sat": [("00:00", "24:00")], "sun": [("00:00", "24:00")]}
# (priority, add-ons, reference calendar, business time, due worked out by hand)
CASES = [
    ("Sev0", (), WEEK_24X7, 1, datetime(2026, 3, 7, 11, tzinfo=NY)),  # urgent: 24x7
    ("Sev1", (), WEEK_24X5, 2, datetime(2026, 3, 9, 2, tzinfo=NY)),  # the rest: Monday 00:00 + 2 h
    ("Sev2", (), WEEK_24X5, 8, datetime(2026, 3, 9, 8, tzinfo=NY)),
    ("Sev1", ("Weekend cover",), WEEK_24X7, 2, datetime(2026, 3, 7, 12, tzinfo=NY)),  # upgraded
    ("Sev2", ("Weekend cover",), WEEK_24X5, 8, datetime(2026, 3, 9, 8, tzinfo=NY)),  # not upgraded
]


@pytest.fixture(scope="module")
def evaluators(tmp_path_factory):
    contract = compiled(CONTRACT, "coverage.sla")
    module = generated_module(contract, CONTRACT, tmp_path_factory.mktemp("gen"))
    return Evaluator(to_spec(contract)), module


@pytest.mark.parametrize(("priority", "addons", "week", "hours", "due"), CASES)
def test_coverage_follows_the_priority_and_the_addon(evaluators, priority, addons, week, hours, due):
    expected = int(due.timestamp())
    start = int(SATURDAY.timestamp())
    assert Reference(NY, week).add(start, hours * 3600) == expected
    for evaluator in evaluators:
        got = evaluator.due("response", priority, SATURDAY, plan="Standard", addons=addons)
        assert int(got.timestamp()) == expected


def test_a_ticket_with_the_addon_is_judged_on_24x7(evaluators):
    for evaluator in evaluators:
        ticket = {"id": "T1", "priority": "Sev1", "opened_at": SATURDAY, "plan": "Standard",
                  "first_response_at": SATURDAY + timedelta(hours=3)}
        (plain,) = evaluator.evaluate_ticket(ticket)["results"]
        (covered,) = evaluator.evaluate_ticket({**ticket, "addons": ["Weekend cover"]})["results"]
        assert (plain["status"], plain["calendar"]) == ("met", "weekdays_around_the_clock")
        assert (covered["status"], covered["calendar"]) == ("breached", "24x7")  # due Saturday 12:00
