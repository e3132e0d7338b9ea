"""Calendars and plans chosen by ticket attributes (issue 14.4; docs/semantics.md "Calendars and
plans chosen by ticket attributes"): the worked example, by hand and against the minute-stepping
reference, through the evaluator `sladsl.load` builds and the generated module alike.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from reference import Reference  # tests/runtime is on sys.path under pytest

from sladsl.pipeline import compile_text
from sladsl.runtime.evaluator import Evaluator
from sladsl.to_spec import to_spec
from tests.generated import compiled, generated_module

# The example of docs/language.md "Calendars and plans chosen by ticket attributes".
CONTRACT = """contract "Regional support" {
  calendar us_hours = Mon-Fri 09:00-18:00 America/New_York except holidays(US)
  calendar de_hours = Mon-Fri 09:00-17:00 Europe/Berlin except holidays(DE)
  calendar eu_hours = Mon-Fri 09:00-17:00 Europe/London except holidays(GB-ENG)
  calendar support by location {
    "United States", "Canada", "Mexico": us_hours
    "Germany": de_hours
    otherwise: eu_hours
  }
  priorities Urgent, Normal
  channel Phone {
    hours support
  }
  plan Enterprise when organisation is "Acme", "Globex" {
    hours support
    priority Urgent respond 1h within 24x7
    priority Normal respond 4h
  }
  plan Priority when tags has "vip", "gold" and channel is Phone {
    hours support
    respond 2h
  }
  plan Standard otherwise {
    hours support
    respond 1 business day
  }
}
"""
UTC = timezone.utc
NY, BERLIN, LONDON = (ZoneInfo(z) for z in ("America/New_York", "Europe/Berlin", "Europe/London"))
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
US_WEEK = {d: [("09:00", "18:00")] for d in WEEKDAYS}
EU_WEEK = {d: [("09:00", "17:00")] for d in WEEKDAYS}
ALWAYS = {d: [("00:00", "24:00")] for d in WEEKDAYS + ("sat", "sun")}
FRIDAY = datetime(2026, 3, 6, 16, 30, tzinfo=UTC)  # 11:30 EST, 17:30 CET, 16:30 GMT
LATE = datetime(2026, 3, 6, 22, 30, tzinfo=UTC)  # 17:30 EST; DST starts in the US on 8 March

# (priority, channel, attributes, opened, plan, calendar, (zone, week, hours), due by hand)
CASES = [
    ("Normal", None, {"organisation": "Acme", "location": "Canada"}, FRIDAY, "Enterprise",
     "us_hours", (NY, US_WEEK, 4), datetime(2026, 3, 6, 15, 30, tzinfo=NY)),
    ("Urgent", None, {"organisation": "Acme", "location": "Canada"}, FRIDAY, "Enterprise",
     "24x7", (UTC, ALWAYS, 1), datetime(2026, 3, 6, 17, 30, tzinfo=UTC)),
    ("Normal", None, {"organisation": "Globex", "location": " MEXICO "}, LATE, "Enterprise",
     "us_hours", (NY, US_WEEK, 4), datetime(2026, 3, 9, 12, 30, tzinfo=NY)),
    ("Normal", "Phone", {"tags": "vip billing", "location": "Germany", "organisation": "Other"},
     FRIDAY, "Priority", "de_hours", (BERLIN, EU_WEEK, 2), datetime(2026, 3, 9, 11, 0, tzinfo=BERLIN)),
    ("Normal", None, {"tags": ["vip"], "location": "France"}, FRIDAY, "Standard", "eu_hours",
     (LONDON, EU_WEEK, 8), datetime(2026, 3, 9, 16, 30, tzinfo=LONDON)),  # 1 business day = 8 h
    ("Normal", None, {"organisation": "Initech", "location": ""}, FRIDAY, "Standard", "eu_hours",
     (LONDON, EU_WEEK, 8), datetime(2026, 3, 9, 16, 30, tzinfo=LONDON)),
]


@pytest.fixture(scope="module")
def evaluators(tmp_path_factory):
    contract = compiled(CONTRACT, "regional.sla")
    module = generated_module(contract, CONTRACT, tmp_path_factory.mktemp("gen"))
    return Evaluator(to_spec(contract)), module


@pytest.mark.parametrize(("priority", "channel", "attributes", "opened", "plan", "calendar",
                          "reference", "due"), CASES)
def test_worked_example(evaluators, priority, channel, attributes, opened, plan, calendar,
                        reference, due):
    zone, week, hours = reference
    expected = int(due.timestamp())
    # The three dates of the example are no holiday in any of the three countries.
    assert Reference(zone, week).add(int(opened.timestamp()), hours * 3600) == expected
    for evaluator in evaluators:
        ticket = {"id": "T", "priority": priority, "opened_at": opened, "channel": channel,
                  "now": opened + timedelta(days=30), **attributes}
        verdict = evaluator.evaluate_ticket(ticket)
        (result,) = verdict["results"]
        assert (verdict["plan"], result["calendar"]) == (plan, calendar)
        assert int(result["due"].timestamp()) == expected
        got = evaluator.due("response", priority, opened, channel=channel, attributes=attributes)
        assert int(got.timestamp()) == expected
        assert evaluator.target("response", priority, channel=channel,
                                attributes=attributes)["calendar"] == calendar


def test_local_holidays_come_with_the_chosen_calendar(evaluators):
    # Good Friday 3 April 2026 is a holiday in Germany and England, not in the United States.
    opened = datetime(2026, 4, 2, 15, 0, tzinfo=UTC)  # Thursday
    for evaluator in evaluators:
        us = evaluator.due("response", "Normal", opened, attributes={"organisation": "Acme",
                                                                      "location": "Canada"})
        de = evaluator.due("response", "Normal", opened, channel="Phone",
                           attributes={"tags": "gold", "location": "Germany"})
        assert us == datetime(2026, 4, 2, 15, 0, tzinfo=NY)  # 11:00 EDT + 4 h
        # 17:00 CEST: closed; Good Friday and the weekend; Easter Monday too (DE): Tue 09:00 + 2 h
        assert de == datetime(2026, 4, 7, 11, 0, tzinfo=BERLIN)


def test_a_named_plan_is_kept(evaluators):
    for evaluator in evaluators:
        verdict = evaluator.evaluate_ticket({
            "priority": "Normal", "opened_at": FRIDAY, "plan": "Standard", "now": FRIDAY,
            "organisation": "Acme", "location": "Canada"})
        assert verdict["plan"] == "Standard"
        assert verdict["results"][0]["calendar"] == "us_hours"


NO_OTHERWISE = CONTRACT.replace("    otherwise: eu_hours\n", "").replace(
    "  plan Standard otherwise {", "  plan Standard {")


def test_no_match_without_otherwise_is_an_error_never_a_default():
    result = compile_text(NO_OTHERWISE, "strict.sla")
    assert result.ok, [d.message for d in result.diagnostics]
    evaluator = Evaluator(to_spec(result.contract))
    with pytest.raises(ValueError, match=r"no plan's conditions match .*organisation `Initech`"):
        evaluator.evaluate_ticket({"priority": "Normal", "opened_at": FRIDAY,
                                   "organisation": "Initech", "location": "Germany"})
    with pytest.raises(ValueError, match=r"calendar `support` is chosen by location: location `France`"):
        evaluator.evaluate_ticket({"priority": "Normal", "opened_at": FRIDAY,
                                   "organisation": "Acme", "location": "France"})
    with pytest.raises(ValueError, match=r"location \(blank\)"):
        evaluator.due("response", "Normal", FRIDAY, plan="Standard", attributes={})


def test_attributes_are_ticket_fields_only_where_the_contract_chooses(evaluators):
    assert evaluators[0].ATTRIBUTES == ("location", "organisation", "tags")
    plain = Evaluator(to_spec(compile_text(
        'contract "P" {\n  calendar c = 24x7 UTC\n  respond 1h within c\n}\n', "p.sla").contract))
    with pytest.raises(ValueError, match="unknown ticket field"):
        plain.evaluate_ticket({"opened_at": FRIDAY, "location": "Germany"})


def test_holidays_of_the_example_are_frozen_per_country(evaluators):
    evaluator, _ = evaluators
    assert date(2026, 4, 6) in evaluator.spec["calendars"]["de_hours"]["holidays"]  # Easter Monday
    assert date(2026, 4, 6) not in evaluator.spec["calendars"]["us_hours"]["holidays"]
