"""Credit formulas (docs/semantics.md "Credit formulas"): a multiple of the fees paid during the
downtime, lost time x an hourly rate, and a flat credit per violation by affected device.

Every expected value is computed by hand in the docs' worked example (April 2026 in UTC: 30 days =
2,592,000 s); the generated module and `sladsl.load()` are asked every question alike.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from fractions import Fraction as F

import pytest
from click.testing import CliRunner

import sladsl
from sladsl.cli import cli
from sladsl.pipeline import compile_text
from sladsl.to_markdown import render
from sladsl.to_spec import to_spec
from tests.generated import Both

UTC = timezone.utc


def utc(month, day, hour=0, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def contract(*credits: str, availability: str = "availability 99.9% per month") -> str:
    body = "\n".join("    " + line for credit in credits for line in credit.splitlines())
    return f'contract "F" {{\n  zone UTC\n  service Web {{\n    {availability}\n{body}\n  }}\n}}\n'


# The worked example: 2 April 10:00-11:30 (5,400 s, 4 devices) and 20 April 23:00 - 21 April
# 00:20 (4,800 s, 10 devices): 10,200 s down in April, uptime 4303/4320 (99.6065%), 99.9% missed.
APRIL = [{"start": utc(4, 2, 10), "end": utc(4, 2, 11, 30), "devices": 4},
         {"start": utc(4, 20, 23), "end": utc(4, 21, 0, 20), "devices": 10}]


def credits(answer) -> dict:
    return {c["kind"]: c for c in answer["credits"]}


def test_worked_example_uptime(tmp_path):
    answer = Both(contract("credit 10 times fees for downtime of monthly fee {\n}"), tmp_path).availability(
        "Web", "2026-04", APRIL)
    assert (answer["downtime_seconds"], answer["uptime"], answer["met"]) == (10200, F(4303, 4320), False)


@pytest.mark.parametrize("multiplier, expected", [("10", F(425, 108)), ("100", F(2125, 54))])
def test_a_multiple_of_the_fees_paid_during_the_downtime(tmp_path, multiplier, expected):
    # 10 x 10,200 / 2,592,000 of the monthly fee = 425/108 % (3.9352 %); 100 x: 2125/54 % (39.35 %)
    both = Both(contract(f"credit {multiplier} times fees for downtime of monthly fee {{\n}}"), tmp_path)
    credit = credits(both.availability("Web", "2026-04", APRIL))["fee_multiple"]
    assert (credit["percent"], credit["basis"]) == (expected, "monthly")


def test_a_multiple_is_cut_by_its_cap(tmp_path):
    text = contract("credit 10 times fees for downtime of monthly fee {\n  cap 2% of monthly fee per month\n}")
    credit = credits(Both(text, tmp_path).availability("Web", "2026-04", APRIL))["fee_multiple"]
    assert (credit["percent"], credit["capped"]) == (2, True)


def test_a_multiple_pays_each_month_of_a_quarter_at_its_own_length(tmp_path):
    # Quarterly service, monthly fee: 1 h in January (2,678,400 s) and 1 h in February (2,419,200 s):
    # 10 x 100 x (3,600/2,678,400 + 3,600/2,419,200) = 1000 x (1/744 + 1/672) = 7375/2604 %.
    text = contract("credit 10 times fees for downtime of monthly fee {\n}",
                    availability="availability 99.99% per quarter")
    outages = [{"start": utc(1, 10), "end": utc(1, 10, 1)}, {"start": utc(2, 10), "end": utc(2, 10, 1)}]
    credit = credits(Both(text, tmp_path).availability("Web", "2026-Q1", outages))["fee_multiple"]
    assert credit["percent"] == F(7375, 2604)


def test_an_annual_fee_is_paid_over_its_year(tmp_path):
    # 10,200 s of a 365-day year (31,536,000 s), 10 times: 1000 x 10,200 / 31,536,000 = 425/1314 %.
    text = contract("credit 10 times fees for downtime of annual fee {\n}")
    credit = credits(Both(text, tmp_path).availability("Web", "2026-04", APRIL))["fee_multiple"]
    assert (credit["percent"], credit["basis"]) == (F(425, 1314), "annual")


@pytest.mark.parametrize("rounding, hours, amount", [("started ", 3, 360), ("whole ", 2, 240),
                                                     ("", F(17, 6), 340)])
def test_lost_time_at_an_hourly_rate(tmp_path, rounding, hours, amount):
    # 10,200 s = 2 h 50 min of the month: 3 started hours, 2 whole hours, 17/6 hours exactly.
    both = Both(contract(f"credit USD 120 per {rounding}hour of downtime {{\n}}"), tmp_path)
    credit = credits(both.availability("Web", "2026-04", APRIL))["hourly_rate"]
    assert (credit["hours"], credit["amount"], credit["currency"]) == (hours, amount, "USD")


def test_an_hourly_rate_given_when_judging(tmp_path):
    both = Both(contract("credit hourly rate per started hour of downtime {\n}"), tmp_path)
    credit = credits(both.availability("Web", "2026-04", APRIL, hourly_rate="EUR 99.50"))["hourly_rate"]
    assert (credit["amount"], credit["currency"]) == (F(2985, 10), "EUR")
    both.raises("does not state", "Web", "2026-04", APRIL)


def test_a_month_that_meets_its_target_earns_no_multiple_and_no_hourly_credit(tmp_path):
    text = contract("credit 10 times fees for downtime of monthly fee {\n}",
                    "credit USD 120 per started hour of downtime {\n}")
    short = [{"start": utc(4, 2, 10), "end": utc(4, 2, 10, 10)}]  # 600 s <= 2,592 s allowed
    assert Both(text, tmp_path).availability("Web", "2026-04", short)["credits"] == []


def test_a_flat_credit_per_violation_and_affected_device(tmp_path):
    # USD 25 x 4 devices + USD 25 x 10 devices = USD 350, for 2 violations.
    both = Both(contract("credit per violation {\n  USD 25 per affected device\n}"), tmp_path)
    credit = credits(both.availability("Web", "2026-04", APRIL))["per_device"]
    assert (credit["amount"], credit["currency"], credit["periods"]) == (350, "USD", 2)


def test_a_credit_prorated_by_affected_devices(tmp_path):
    # 10% x 4/200 + 10% x 10/200 = 0.2% + 0.5% = 0.7% of the monthly fee; a cap of 0.5% cuts it.
    prorated = "credit per violation {\n  10% of monthly fee prorated by affected devices\n  devices 200\n"
    both = Both(contract(prorated + "}"), tmp_path)
    credit = credits(both.availability("Web", "2026-04", APRIL))["per_device"]
    assert (credit["percent"], credit["basis"], credit["capped"]) == (F(7, 10), "monthly", False)
    capped = Both(contract(prorated + "  cap 0.5% of monthly fee per month\n}"), tmp_path)
    credit = credits(capped.availability("Web", "2026-04", APRIL))["per_device"]
    assert (credit["percent"], credit["capped"]) == (F(1, 2), True)


def test_a_violation_pays_in_a_month_that_meets_its_target(tmp_path):
    both = Both(contract("credit per violation {\n  USD 25 per affected device\n}"), tmp_path)
    short = [{"start": utc(5, 2, 10), "end": utc(5, 2, 10, 10), "devices": 4}]
    answer = both.availability("Web", "2026-05", short)
    assert answer["met"] and credits(answer)["per_device"]["amount"] == 100


def test_devices_given_when_judging_and_missing_devices_are_named(tmp_path):
    both = Both(contract("credit per violation {\n  10% of monthly fee prorated by affected devices\n}"),
                tmp_path)
    credit = credits(both.availability("Web", "2026-04", APRIL, devices=100))["per_device"]
    assert credit["percent"] == F(14, 10)  # 10% x 14/100
    both.raises("states no number of devices", "Web", "2026-04", APRIL)
    both.raises("outage 1: no `devices`", "Web", "2026-04", [{"start": utc(4, 2), "end": utc(4, 3)}],
                devices=100)
    both.raises("more than the 3 devices", "Web", "2026-04", APRIL, devices=3)


# ---- the command line, the document, the SQL refusal ----------------------------------------

FULL = contract("credit 10 times fees for downtime of monthly fee {\n}",
                "credit hourly rate per started hour of downtime {\n}",
                "credit per violation {\n  USD 25 per affected device\n}")
ROWS = ("start,end,devices\n2026-04-02T10:00:00Z,2026-04-02T11:30:00Z,4\n"
        "2026-04-20T23:00:00Z,2026-04-21T00:20:00Z,10\n")


def _uptime(tmp_path, rows: str, *args: str):
    (tmp_path / "c.sla").write_text(FULL, encoding="utf-8")
    (tmp_path / "i.csv").write_text(rows, encoding="utf-8")
    return CliRunner().invoke(cli, ["uptime", str(tmp_path / "c.sla"), "--incidents", str(tmp_path / "i.csv"),
                                    "--period", "2026-04", *args], catch_exceptions=False)


def test_uptime_text_and_json(tmp_path):
    result = _uptime(tmp_path, ROWS, "--hourly-rate", "USD 120")
    assert result.exit_code == 0, result.output
    # 425/108 % (docs/semantics.md), cut after four decimals
    assert "credit (fee_multiple): 3.9351...% of the monthly fee" in result.stdout
    assert "credit (hourly_rate): USD 360.00 for 3 hour(s)" in result.stdout
    assert "credit (per_device): USD 350.00 for 2 violation(s)" in result.stdout
    document = json.loads(_uptime(tmp_path, ROWS, "--hourly-rate", "USD 120", "--format", "json").stdout)
    money = {c["kind"]: c for c in document["services"][0]["credits"]}
    assert money["hourly_rate"]["amount"] == {"exact": "360/1", "value": 360.0}
    assert money["hourly_rate"]["currency"] == "USD" and "currency" not in money["fee_multiple"]


def test_uptime_names_the_row_without_devices_and_refuses_useless_options(tmp_path):
    result = _uptime(tmp_path, ROWS.replace(",10\n", ",\n"), "--hourly-rate", "USD 120")
    assert result.exit_code == 1 and "i.csv:3: field `devices`:" in result.output
    result = _uptime(tmp_path, ROWS, "--hourly-rate", "120")
    assert result.exit_code == 2 and "currency code and an amount" in result.output
    result = _uptime(tmp_path, ROWS, "--devices", "200")
    assert result.exit_code == 2 and "--devices: no credit" in result.output


def test_the_sql_engine_refuses_credit_formulas(tmp_path):
    result = _uptime(tmp_path, ROWS, "--engine", "duckdb")
    assert result.exit_code != 0
    assert "E801" in result.output and "a credit in multiples of the fees" in result.output


def test_the_document_states_each_formula():
    text = contract("credit 10 times fees for downtime of monthly fee {\n}",
                    "credit USD 120 per started hour of downtime {\n}",
                    "credit per violation {\n  10% of monthly fee prorated by affected devices\n  devices 200\n}")
    document = render(compile_text(text, "c.sla").contract)
    # one hour of a 30-day month, 10 times: 1000 x 3,600 / 2,592,000 = 1.3889 %
    assert "one hour of downtime in a 30-day month is credited as 1.3889% of the monthly fee" in document
    assert "USD 120 for each started hour of downtime (an hour begun counts in full)" in document
    assert "10% of the monthly fee x the number of devices it affected / 200 devices" in document


def test_the_spec_carries_each_formula():
    text = contract("credit EUR 1,250.50 per hour of downtime {\n}")
    (credit,) = to_spec(compile_text(text, "c.sla").contract)["services"]["Web"]["credits"]
    assert (credit["kind"], credit["rate"], credit["rounding"]) == ("hourly_rate", ("EUR", F(250100, 200)), "exact")


def test_a_violation_belongs_to_the_month_it_starts_in(tmp_path):
    # An outage crossing into May counts its April part; its violation belongs to April (its start).
    both = Both(contract("credit per violation {\n  USD 25 per affected device\n}"), tmp_path)
    crossing = [{"start": utc(4, 30, 23), "end": utc(5, 1, 1), "devices": 2}]
    assert credits(both.availability("Web", "2026-04", crossing))["per_device"]["amount"] == 50
    assert both.availability("Web", "2026-05", crossing)["credits"] == []


def test_openslo_names_credit_formulas_as_not_mapped(tmp_path):
    path = tmp_path / "c.sla"
    path.write_text(FULL, encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "openslo", str(path)])
    assert result.exit_code == 0, result.output
    assert "not in OpenSLO: service credits" in result.stderr


def test_diff_sees_each_formula_change(tmp_path):
    old = contract("credit 10 times fees for downtime of monthly fee {\n}",
                   "credit USD 120 per started hour of downtime {\n}",
                   "credit per violation {\n  USD 25 per affected device\n}",
                   "credit per violation {\n  10% of monthly fee prorated by affected devices\n  devices 200\n}")
    changes = {
        "10 times": "100 times", "USD 120 per started": "USD 120 per whole", "USD 25": "USD 30",
        "devices 200": "devices 250", "10% of monthly fee prorated": "12% of monthly fee prorated",
    }
    (tmp_path / "old.sla").write_text(old, encoding="utf-8")
    for before, after in changes.items():
        (tmp_path / "new.sla").write_text(old.replace(before, after, 1), encoding="utf-8")
        result = CliRunner().invoke(cli, ["diff", str(tmp_path / "old.sla"), str(tmp_path / "new.sla")])
        assert result.exit_code == 1, (before, result.output)
    (tmp_path / "new.sla").write_text(old.replace("10 times", "100 times"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(tmp_path / "old.sla"), str(tmp_path / "new.sla")])
    assert "multiplier changed: 10 times -> 100 times" in result.output


def test_a_split_period_pays_the_violations_of_each_part(tmp_path):
    # Two versions, the second from 15 April splitting periods: a violation on 20 April (10 devices)
    # is judged by the second version, USD 30 each; one on 2 April (4 devices) by the first, USD 25.
    version = ('contract "F" {{\n  effective {day}\n  zone UTC\n  service Web {{\n'
               '    availability 99.9% per month\n    credit per violation {{\n'
               '      USD {amount} per affected device\n    }}\n  }}\n}}\n')
    text = (version.format(day="2026-01-01", amount=25) + "\n"
            + version.format(day="2026-04-15 splitting periods", amount=30))
    path = tmp_path / "v.sla"
    path.write_text(text, encoding="utf-8")
    answer = sladsl.load(path).availability("Web", "2026-04", APRIL)
    (credit,) = answer["credits"]
    assert (credit["amount"], credit["currency"]) == (25 * 4 + 30 * 10, "USD")
