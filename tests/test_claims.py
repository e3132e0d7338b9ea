"""Claim windows: `claim within N days | N billing cycles after period end`.

Expected dates are counted by hand on the calendar (docs/semantics.md, "Claim deadlines")."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from sladsl.pipeline import compile_text
from sladsl.runtime.evaluator import Evaluator
from sladsl.runtime.availability import claim_deadline, month_period, quarter_period
from sladsl.to_markdown import render
from sladsl.to_spec import to_spec

UTC = timezone.utc


def contract(period: str, window: str, zone: str = "Europe/Paris") -> str:
    return (f'contract "Cloud" {{\n  service API {{\n    availability 99.9% per {period} in {zone}\n'
            "    credit tiers of monthly fee {\n      99.0%..below 99.9% -> 10%\n"
            f"      below 99.0% -> 25%\n      claim within {window} after period end\n    }}\n  }}\n}}\n")


@pytest.mark.parametrize(("count", "unit", "kind", "period", "expected"), [
    (30, "day", "month", month_period(2026, 3, "Europe/Paris"), date(2026, 4, 30)),
    (1, "day", "month", month_period(2026, 3, "Europe/Paris"), date(2026, 4, 1)),
    (60, "day", "month", month_period(2026, 12, "UTC"), date(2027, 3, 1)),  # Jan 31 + Feb 28 + 1
    (2, "cycle", "month", month_period(2026, 3, "Europe/Paris"), date(2026, 5, 31)),
    (1, "cycle", "month", month_period(2026, 12, "UTC"), date(2027, 1, 31)),
    (2, "cycle", "quarter", quarter_period(2026, 1, "UTC"), date(2026, 9, 30)),
    (1, "cycle", "quarter", quarter_period(2026, 1, "UTC", first_month=2), date(2026, 7, 31)),
])
def test_claim_deadline_counted_on_the_calendar(count, unit, kind, period, expected):
    zone = "UTC" if period[1].utcoffset().total_seconds() == 0 else "Europe/Paris"
    first_month = 2 if period[0].month == 2 else 1
    assert claim_deadline(period[1], zone, count, unit, kind, first_month) == expected


def load(text: str) -> Evaluator:
    return Evaluator(to_spec(compile_text(text).contract, text.encode()))


def outage_hours(hours: int) -> list[dict]:
    return [{"start": datetime(2026, 3, 10, 10, tzinfo=UTC),
             "end": datetime(2026, 3, 10, 10 + hours, tzinfo=UTC)}]


def test_each_credit_owed_carries_its_last_claim_day_and_whether_it_is_still_open():
    evaluator = load(contract("month", "30 days"))
    open_ = evaluator.availability("API", "2026-03", outage_hours(2),
                                   now=datetime(2026, 4, 30, 21, 59, tzinfo=UTC))  # 23:59 in Paris
    [credit] = open_["credits"]
    assert credit["claim_by"] == date(2026, 4, 30)
    assert credit["claim_open"] is True
    closed = evaluator.availability("API", "2026-03", outage_hours(2),
                                    now=datetime(2026, 4, 30, 22, 0, tzinfo=UTC))  # 1 May in Paris
    assert closed["credits"][0]["claim_open"] is False


def test_no_credit_owed_no_claim_date():
    evaluator = load(contract("month", "30 days"))
    assert evaluator.availability("API", "2026-03", [])["credits"] == []


def test_billing_cycles_are_the_services_periods():
    evaluator = load(contract("quarter", "2 billing cycles", "UTC"))
    answer = evaluator.availability("API", "2026-Q1", outage_hours(4))
    assert answer["credits"][0]["claim_by"] == date(2026, 9, 30)


@pytest.mark.parametrize(("window", "sentence"), [
    ("30 days", "Claim deadline: within 30 days after the end of the month the credit is for."),
    ("1 billing cycle", "Claim deadline: by the end of the next billing cycle (month) after the "
                        "month the credit is for."),
    ("2 billing cycles", "Claim deadline: by the end of the second billing cycle (month) after the "
                         "month the credit is for."),
])
def test_the_document_states_the_deadline(window, sentence):
    assert sentence in render(compile_text(contract("month", window)).contract)


@pytest.mark.parametrize("window", ["0 days", "0 billing cycles", "36h", "1 business day"])
def test_windows_that_cannot_end_on_a_day_are_rejected(window):
    result = compile_text(contract("month", window))
    assert not result.ok
