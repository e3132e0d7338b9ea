"""Partial periods: a service activated, or a resource created or deleted, during a period.

Expected values are the worked example of docs/semantics.md "Partial periods" (computed by hand
there); every answer is asked of `sladsl.load()` and of the generated module alike.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from fractions import Fraction as F

import pytest
from click.testing import CliRunner

from sladsl.cli import cli
from sladsl.pipeline import compile_text
from sladsl.to_markdown import render
from tests.generated import Both

UTC = timezone.utc
OUTAGE = (datetime(2026, 4, 20, tzinfo=UTC), datetime(2026, 4, 20, 1, tzinfo=UTC))
TIERS = """    credit tiers of monthly fee {
      99.0%..below 99.9% -> 10%
      below 99.0% -> 25%
    }"""
CONTRACT = f"""contract "Cloud" {{
  zone UTC
  service Compute {{
    availability 99.9% per month
    partial periods credit prorated fee
{TIERS}
  }}
  service Full {{
    availability 99.9% per month
    partial periods credit full fee
{TIERS}
  }}
  service Silent {{
    availability 99.9% per month
{TIERS}
  }}
  service Fleet {{
    availability 99.9% per month
    measured per instance
    partial periods credit prorated fee
{TIERS}
  }}
}}
"""


@pytest.fixture
def both(tmp_path):
    return Both(CONTRACT, tmp_path)


def test_activated_mid_month_prorated(both):
    answer = both.availability("Compute", "2026-04", [OUTAGE], activated="2026-04-16")
    assert (answer["period_start"], answer["period_end"]) == (datetime(2026, 4, 16, tzinfo=UTC),
                                                              datetime(2026, 5, 1, tzinfo=UTC))
    assert answer["period_seconds"] == 1_296_000 and answer["uptime"] == F(359, 360)
    assert answer["error_budget"]["allowed_seconds"] == 1296
    assert answer["partial"]["share"] == F(1, 2) and answer["partial"]["fee"] == "prorated"
    [credit] = answer["credits"]
    assert credit["percent"] == 5 and credit["percent_of_prorated_fee"] == 10


def test_full_fee(both):
    [credit] = both.availability("Full", "2026-04", [OUTAGE], activated=date(2026, 4, 16))["credits"]
    assert credit["percent"] == 10 and "percent_of_prorated_fee" not in credit


def test_unstated_fee_is_refused_not_guessed(both):
    with pytest.raises(ValueError, match="partial periods credit prorated fee"):
        both.loaded.availability("Silent", "2026-04", [OUTAGE], activated="2026-04-16")
    # no credit owed: nothing to decide
    assert both.availability("Silent", "2026-04", [], activated="2026-04-16")["uptime"] == 1


def test_resources_created_and_deleted(both):
    outage = {"start": OUTAGE[0], "end": OUTAGE[1], "scope": "vm-2"}
    lifespans = {"vm-2": (datetime(2026, 4, 10, 12, tzinfo=UTC), datetime(2026, 4, 20, 12, tzinfo=UTC)),
                 "vm-1": (datetime(2026, 5, 1, tzinfo=UTC), None)}
    answer = both.availability("Fleet", "2026-04", [outage], lifespans=lifespans)
    assert set(answer["scopes"]) == {"vm-2"}  # vm-1 did not exist in April
    vm2 = answer["scopes"]["vm-2"]
    assert vm2["period_seconds"] == 864_000 and vm2["uptime"] == F(239, 240)
    [credit] = answer["credits"]
    assert credit["scope"] == "vm-2" and credit["percent"] == F(10, 3)


def test_outages_outside_the_lifespan_do_not_count(both):
    before = (datetime(2026, 4, 2, tzinfo=UTC), datetime(2026, 4, 2, 5, tzinfo=UTC))
    answer = both.availability("Compute", "2026-04", [before, OUTAGE], activated="2026-04-16")
    assert answer["downtime_seconds"] == 3600


def test_months_before_activation_have_no_verdict(both):
    report = both.loaded.availability_periods("Compute", "2026-Q2", [OUTAGE], activated="2026-05-01")
    assert [p["period_start"].month for p in report["periods"]] == [5, 6]
    with pytest.raises(ValueError, match="did not exist between"):
        both.loaded.availability("Compute", "2026-03", [], activated="2026-04-16")


def test_document_states_the_partial_period_rule():
    document = render(compile_text(CONTRACT, "c.sla").contract)
    assert "a credit stated as a share of the fee is a share of the fee prorated to that part" in document
    assert "is a share of the full fee" in document


def _uptime(tmp_path, *args):
    (tmp_path / "c.sla").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "incidents.csv").write_text(
        "service,start,end,scope\nCompute,2026-04-20T00:00:00Z,2026-04-20T01:00:00Z,\n"
        "Fleet,2026-04-20T00:00:00Z,2026-04-20T01:00:00Z,vm-2\n", encoding="utf-8")
    return CliRunner().invoke(cli, ["uptime", str(tmp_path / "c.sla"), "--incidents",
                                    str(tmp_path / "incidents.csv"), "--period", "2026-04", *args])


def test_uptime_activated(tmp_path):
    result = _uptime(tmp_path, "--service", "Compute", "--activated", "2026-04-16")
    assert result.exit_code == 0, result.output
    assert "partial period: the service existed for 1/2 of 2026-04-01" in result.stdout
    assert "credit (tiered): 5% of the monthly fee" in result.stdout


def test_uptime_resources(tmp_path):
    (tmp_path / "resources.csv").write_text(
        "scope,created,deleted\nvm-2,2026-04-10T12:00:00Z,2026-04-20T12:00:00Z\nvm-1,2026-05-01T00:00:00Z,\n",
        encoding="utf-8")
    result = _uptime(tmp_path, "--service", "Fleet", "--resources", str(tmp_path / "resources.csv"),
                     "--format", "json")
    assert result.exit_code == 0, result.output
    [service] = json.loads(result.stdout)["services"]
    assert service["credits"][0]["percent"]["exact"] == "10/3"
    assert service["credits"][0]["percent_of_prorated_fee"]["exact"] == "10/1"


@pytest.mark.parametrize("rows, message", [
    ("scope,created,deleted\nvm-2,2026-04-20T12:00:00Z,2026-04-10T12:00:00Z\n", "resources.csv:2: field `deleted`"),
    ("scope,created,deleted\nvm-2,April,\n", "resources.csv:2: field `created`"),
    ("scope,created,deleted\nvm-2,,\nvm-2,,\n", "resources.csv:3: field `scope`: a second lifespan"),
])
def test_uptime_resources_data_errors(tmp_path, rows, message):
    (tmp_path / "resources.csv").write_text(rows, encoding="utf-8")
    result = _uptime(tmp_path, "--service", "Fleet", "--resources", str(tmp_path / "resources.csv"))
    assert result.exit_code == 1 and message in result.stderr


def test_uptime_sql_engine_refuses(tmp_path):
    result = _uptime(tmp_path, "--service", "Silent", "--activated", "2026-04-16", "--engine", "duckdb")
    assert result.exit_code == 2 and "python engine" in result.stderr
    result = _uptime(tmp_path, "--service", "Compute", "--engine", "duckdb")
    assert result.exit_code != 0 and "`partial fee` of a service" in result.output + result.stderr


def test_a_cap_is_prorated_with_the_credit(tmp_path):
    # A raw 80% (8 started hours beyond 0 x 10%) capped at 50%, over half of April: 25% of the fee.
    text = """contract "Cloud" {
  zone UTC
  service Compute {
    availability 99.9% per month
    partial periods credit prorated fee
    credit per outage beyond 0m per started 1h {
      10% of monthly fee
      cap 50% of monthly fee per month
    }
  }
}
"""
    outage = (datetime(2026, 4, 20, tzinfo=UTC), datetime(2026, 4, 20, 8, tzinfo=UTC))
    [credit] = Both(text, tmp_path).availability("Compute", "2026-04", [outage], activated="2026-04-16")["credits"]
    assert credit["percent"] == 25 and credit["capped"]
