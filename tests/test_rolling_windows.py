"""Rolling windows: `per rolling N days` and `per rolling N days before claim`.

Expected values are the worked example of docs/semantics.md "Rolling windows" (computed by hand
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
OUTAGES = [(datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 6, 1, 2, tzinfo=UTC)),
           (datetime(2026, 4, 10, tzinfo=UTC), datetime(2026, 4, 10, 1, tzinfo=UTC))]
CONTRACT = """contract "Cloud" {
  zone UTC
  service Claims {
    availability 99.9% per rolling 365 days before claim
  }
  service Window {
    availability 99.9% per rolling 30 days
  }
}
"""


@pytest.fixture
def both(tmp_path):
    return Both(CONTRACT, tmp_path)


def test_window_before_a_claim(both):
    answer = both.availability("Claims", "2026-05-01", OUTAGES)
    assert (answer["period_start"], answer["period_end"]) == (datetime(2025, 5, 1, tzinfo=UTC),
                                                              datetime(2026, 5, 1, tzinfo=UTC))
    assert answer["period_seconds"] == 31_536_000 and answer["downtime_seconds"] == 10_800
    assert answer["uptime"] == F(2919, 2920) and answer["met"]
    assert answer["error_budget"]["allowed_seconds"] == 31_536


def test_earlier_claim_downtime_is_not_reused(both):
    answer = both.availability("Claims", "2026-05-01", OUTAGES, claims=["2025-12-01", date(2026, 6, 1)])
    assert answer["downtime_seconds"] == 3600 and answer["uptime"] == F(8759, 8760)
    assert answer["rolling"]["claims_not_counted_again"] == [date(2025, 12, 1)]  # a later claim is ignored


def test_days_before_activation_count_as_available(both):
    answer = both.availability("Claims", "2026-05-01", OUTAGES, activated="2025-07-01")
    assert answer["downtime_seconds"] == 3600 and answer["period_seconds"] == 31_536_000


def test_window_ending_with_a_date(both):
    answer = both.availability("Window", date(2026, 4, 30), OUTAGES)
    assert answer["period_start"] == datetime(2026, 4, 1, tzinfo=UTC)
    assert answer["downtime_seconds"] == 3600 and answer["uptime"] == F(719, 720) and not answer["met"]
    assert both.loaded.availability_periods("Window", "2026-04-30", OUTAGES)["periods"][0] == answer


def test_window_over_a_dst_change(tmp_path):
    # 30 days ending 30 March 2026 in Europe/Paris hold the spring-forward night: 719 h.
    text = CONTRACT.replace("zone UTC", "zone Europe/Paris")
    answer = Both(text, tmp_path).availability("Window", "2026-03-30", [])
    assert answer["period_seconds"] == 719 * 3600


@pytest.mark.parametrize("period", ["2026-04", "2026-02-30", "soon"])
def test_a_rolling_window_needs_a_date(both, period):
    with pytest.raises(ValueError, match="give a date"):
        both.loaded.availability("Window", period, OUTAGES)


def test_claims_are_refused_for_calendar_periods(tmp_path):
    monthly = Both(CONTRACT.replace("rolling 30 days", "month"), tmp_path)
    with pytest.raises(ValueError, match="rolling windows"):
        monthly.loaded.availability("Window", "2026-04", OUTAGES, claims=["2026-01-01"])


def test_document_says_what_the_window_is():
    document = render(compile_text(CONTRACT, "c.sla").contract)
    assert "availability per rolling window of 365 days" in document
    assert "downtime already counted in an earlier successful claim is not counted again" in document
    assert "the 30 days ending with the day for which availability is judged" in document


def _uptime(tmp_path, *args):
    (tmp_path / "c.sla").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "incidents.csv").write_text(
        "start,end\n2025-06-01T00:00:00Z,2025-06-01T02:00:00Z\n2026-04-10T00:00:00Z,2026-04-10T01:00:00Z\n",
        encoding="utf-8")
    (tmp_path / "claims.csv").write_text("claim_date\n2025-12-01\n", encoding="utf-8")
    return CliRunner().invoke(cli, ["uptime", str(tmp_path / "c.sla"), "--incidents",
                                    str(tmp_path / "incidents.csv"), *args])


def test_uptime_claim_date_and_claims(tmp_path):
    result = _uptime(tmp_path, "--service", "Claims", "--claim-date", "2026-05-01",
                     "--claims", str(tmp_path / "claims.csv"))
    assert result.exit_code == 0, result.output
    assert "rolling window: the 365 days before the claim date 2026-05-01" in result.stdout
    assert "earlier claims, whose windows' downtime is not counted again: 2025-12-01" in result.stdout
    assert "downtime: 1h (3600 s)" in result.stdout
    data = json.loads(_uptime(tmp_path, "--service", "Claims", "--claim-date", "2026-05-01",
                              "--format", "json").stdout)
    assert data["services"][0]["rolling"]["date"] == "2026-05-01"
    assert data["services"][0]["downtime_seconds"]["exact"] == "10800/1"


@pytest.mark.parametrize("args, message", [
    (["--service", "Window", "--claim-date", "2026-05-01"], "--claim-date: service `Window`"),
    (["--period", "2026-04-30", "--claim-date", "2026-05-01"], "give the period to judge"),
    (["--service", "Claims", "--claim-date", "2026-05-01", "--activated", "July"], "--activated"),
])
def test_uptime_refuses_what_it_cannot_judge(tmp_path, args, message):
    result = _uptime(tmp_path, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_uptime_names_the_bad_claim_row(tmp_path):
    (tmp_path / "bad.csv").write_text("claim_date\n2025-12-01\n2025-13-01\n", encoding="utf-8")
    result = _uptime(tmp_path, "--service", "Claims", "--claim-date", "2026-05-01",
                     "--claims", str(tmp_path / "bad.csv"))
    assert result.exit_code == 1
    assert "bad.csv:3: field `claim_date`: expected a date" in result.stderr


def test_the_sql_back_end_refuses_a_rolling_window(tmp_path):
    (tmp_path / "c.sla").write_text(CONTRACT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--sql", str(tmp_path / "c.sla")])
    assert "`rolling days` of an availability target in service `Window`" in result.stdout
    assert "`before claim` of an availability target in service `Claims`" in result.stdout
