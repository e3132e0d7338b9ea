"""Billing periods anchored at activation: `per billing month from activation`.

Expected values are the worked example of docs/semantics.md "Billing periods" (computed by hand
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
OUTAGES = [(datetime(2026, 2, 20, 10, tzinfo=UTC), datetime(2026, 2, 20, 12, tzinfo=UTC))]
CONTRACT = """contract "Cloud" {
  zone UTC
  service Compute {
    availability 99.9% per billing month from activation
    credit tiers of monthly fee {
      99.0%..below 99.9% -> 10%
      below 99.0% -> 25%
      claim within 2 billing cycles after period end
    }
  }
  service Storage {
    availability 99.9% per billing quarter from 2026-01-31
  }
}
"""


@pytest.fixture
def both(tmp_path):
    return Both(CONTRACT, tmp_path)


def test_first_billing_month(both):
    answer = both.availability("Compute", "2026-01", OUTAGES, activated="2026-01-17")
    assert (answer["period_start"], answer["period_end"]) == (datetime(2026, 1, 17, tzinfo=UTC),
                                                              datetime(2026, 2, 17, tzinfo=UTC))
    assert answer["period_seconds"] == 2_678_400 and answer["downtime_seconds"] == 0
    assert answer["billing"] == {"kind": "month", "activated": date(2026, 1, 17), "number": 1}


@pytest.mark.parametrize("period", ["2026-02", "2026-02-20", "2026-03-16"])
def test_second_billing_month(both, period):
    answer = both.availability("Compute", period, OUTAGES, activated=date(2026, 1, 17))
    assert answer["period_start"] == datetime(2026, 2, 17, tzinfo=UTC)
    assert answer["period_seconds"] == 2_419_200 and answer["uptime"] == F(335, 336)
    assert not answer["met"] and answer["error_budget"]["allowed_seconds"] == F(24192, 10)
    [credit] = answer["credits"]
    assert credit["percent"] == 10 and credit["claim_by"] == date(2026, 5, 16)


def test_month_end_clamping(tmp_path):
    clamped = Both(CONTRACT, tmp_path)
    starts = [clamped.availability("Compute", p, [], activated="2026-01-31")["period_start"].date()
              for p in ("2026-01", "2026-02", "2026-03", "2026-04")]
    assert starts == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    first = clamped.availability("Compute", "2026-01", [], activated="2026-01-31")
    assert first["period_seconds"] == 28 * 86400


def test_dst_billing_month(tmp_path):
    berlin = Both(CONTRACT.replace("zone UTC", "zone Europe/Berlin"), tmp_path)
    assert berlin.availability("Compute", "2026-03", [], activated="2026-01-17")["period_seconds"] == 743 * 3600


def test_billing_quarter_stated_in_the_contract(both):
    answer = both.availability("Storage", "2026-04", [])
    assert (answer["period_start"].date(), answer["period_end"].date()) == (date(2026, 4, 30), date(2026, 7, 31))
    with pytest.raises(ValueError, match="no billing period starts in 2026-02"):
        both.loaded.availability("Storage", "2026-02", [])
    with pytest.raises(ValueError, match="states its activation day"):
        both.loaded.availability("Storage", "2026-04", [], activated="2026-02-01")


@pytest.mark.parametrize("period, activated, message", [
    ("2026-02", None, "give the activation day"),
    ("2025-12", "2026-01-17", "before the activation day"),
    ("2026-Q1", "2026-01-17", "invalid billing period"),
])
def test_refusals(both, period, activated, message):
    with pytest.raises(ValueError, match=message):
        both.loaded.availability("Compute", period, OUTAGES, activated=activated)


def test_document_says_what_a_billing_period_is():
    document = render(compile_text(CONTRACT, "c.sla").contract)
    assert "availability per billing month, counted from the day the service was activated" in document
    assert "The service was activated on 31 January 2026; each billing quarter starts on day 31" in document
    assert "the period starts on that month's last day" in document


def _uptime(tmp_path, *args):
    (tmp_path / "c.sla").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "incidents.csv").write_text("start,end\n2026-02-20T10:00:00Z,2026-02-20T12:00:00Z\n",
                                            encoding="utf-8")
    return CliRunner().invoke(cli, ["uptime", str(tmp_path / "c.sla"), "--incidents",
                                    str(tmp_path / "incidents.csv"), "--service", "Compute", *args])


def test_uptime_billing_month(tmp_path):
    result = _uptime(tmp_path, "--period", "2026-02", "--activated", "2026-01-17")
    assert result.exit_code == 0, result.output
    assert "billing month 2 from the activation day 2026-01-17" in result.stdout
    assert "uptime: 99.70% (exact 335/336)" in result.stdout
    assert "claim by 2026-05-16" in result.stdout
    data = json.loads(_uptime(tmp_path, "--period", "2026-02-20", "--activated", "2026-01-17",
                              "--format", "json").stdout)
    assert data["services"][0]["billing"] == {"kind": "month", "number": 2, "activated": "2026-01-17"}


def test_uptime_without_an_activation_day(tmp_path):
    result = _uptime(tmp_path, "--period", "2026-02")
    assert result.exit_code == 2 and "give the activation day" in result.stderr


def test_sql_engine_refuses_billing_periods(tmp_path):
    result = _uptime(tmp_path, "--period", "2026-02", "--activated", "2026-01-17", "--engine", "duckdb")
    assert result.exit_code != 0 and "E801" in result.output + result.stderr
    assert "`billing` of an availability target" in result.output + result.stderr


def test_openslo_exports_a_stated_activation_day_only():
    from sladsl.to_openslo import to_openslo

    documents, notes = to_openslo(compile_text(CONTRACT, "c.sla").contract)
    [slo] = [d for d in documents if d["kind"] == "SLO"]
    assert slo["metadata"]["displayName"] == "Storage availability"
    assert slo["spec"]["timeWindow"][0]["calendar"]["startTime"] == "2026-01-31 00:00:00"
    assert slo["spec"]["timeWindow"][0]["duration"] == "1Q"
    assert any("'Compute'" in note and "activation day" in note for note in notes)
