"""Availability from counts: `measured by requests in 1m intervals ...` (`uptime --counts`).

Expected values are the worked example of docs/semantics.md "Availability from counts"
(computed by hand there) and a slow reference that walks the period minute by minute; every
answer is asked of `sladsl.load()` and of the generated module alike.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from fractions import Fraction as F
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sladsl.cli import cli
from sladsl.pipeline import compile_text
from sladsl.to_markdown import render
from sladsl.to_openslo import to_openslo
from tests.generated import Both

UTC = timezone.utc
ROOT = Path(__file__).resolve().parent.parent
CONTRACT = """contract "Cloud" {
  zone UTC
  service Ratio {
    availability 99.9% per month
    measured by requests in 1m intervals good / total
    credit tiers of monthly fee {
      99.0%..below 99.9% -> 10%
      below 99.0% -> 25%
    }
  }
  service Minutes {
    availability 99.9% per month
    measured by requests in 1m intervals down when error rate above 5%
    credit per outage beyond 1m per started 1m {
      1% of monthly fee
    }
  }
  service Hourly {
    availability 99.9% per month
    measured by requests in 1m intervals average of 1h error rates
  }
}
"""


def at(day, hour=0, minute=0):
    return datetime(2026, 4, day, hour, minute, tzinfo=UTC)


# The worked example: three minutes of 1 April 2026 and one of 2 April.
ROWS = [{"start": at(1, 0, 0), "good": 90, "total": 100},    # 10% errors
        {"start": at(1, 0, 1), "good": 95, "total": 100},    # 5%: not above 5%
        {"start": at(1, 0, 2), "good": 0, "total": 0},       # none made
        {"start": at(2, 5, 30), "good": 1960, "total": 2000}]  # 2%


@pytest.fixture
def both(tmp_path):
    return Both(CONTRACT, tmp_path)


def test_ratio(both):
    answer = both.availability("Ratio", "2026-04", ROWS)
    # good / total = (90 + 95 + 0 + 1960) / 2200 = 2145/2200 = 39/40
    assert answer["uptime"] == F(39, 40) and answer["downtime_seconds"] == 64_800
    assert answer["counts"] == {"name": "requests", "rule": "ratio", "rows": 4, "good": 2145, "total": 2200}
    assert answer["credits"][0]["percent"] == 25


def test_threshold(both):
    answer = both.availability("Minutes", "2026-04", ROWS)
    # only the first minute is above 5% errors: 60 s of 2,592,000
    assert answer["downtime_seconds"] == 60 and answer["uptime"] == F(43199, 43200)
    assert answer["outages"] == [(at(1, 0, 0), at(1, 0, 1))]
    assert answer["met"] and answer["credits"] == []  # a 60 s run is not beyond 1m


def test_average_of_hourly_error_rates(both):
    answer = both.availability("Hourly", "2026-04", ROWS)
    # hour 0 of 1 April: 15 failed of 200 = 7.5%; 05:00 on 2 April: 40 of 2000 = 2%; the other
    # 718 hours made nothing: 0%. Mean = (0.075 + 0.02) / 720; downtime = 3600 x 0.095 = 342 s.
    assert answer["downtime_seconds"] == 342 and answer["uptime"] == 1 - F(342, 2_592_000)


def test_empty_period_is_fully_available(both):
    assert both.availability("Ratio", "2026-05", ROWS)["uptime"] == 1


def test_error_budget_burn_rate_is_the_error_rate_over_the_allowed_rate(both):
    budget = both.availability("Ratio", "2026-04", ROWS, now=at(1, 12))["error_budget"]
    # so far: 15 failed of 200 = 7.5% errors, allowed 0.1%: burn rate 75
    assert budget["burn_rate"] == 75


@pytest.mark.parametrize("rows, message", [
    ([{"start": at(1), "good": 5, "total": 4}], "good 5 is more than total 4"),
    ([{"start": at(1), "good": -1, "total": 4}], "whole number"),
    ([{"start": at(1), "good": 1, "total": 4}, {"start": at(1), "good": 1, "total": 4}], "rows 1 and 2 overlap"),
    ([{"start": at(1, 0, 0) + timedelta(seconds=30), "good": 1, "total": 4}], "not on the 60 s grid"),
])
def test_bad_rows_are_refused(both, rows, message):
    with pytest.raises(ValueError, match=message):
        both.loaded.availability("Minutes", "2026-04", rows)


def _reference(rows, rule):
    """Minute by minute over April 2026: the downtime of each rule from first principles."""
    by_minute = {r["start"]: (r["good"], r["total"]) for r in rows}
    minutes = 30 * 24 * 60
    if rule == "ratio":
        good = sum(g for g, _t in by_minute.values())
        total = sum(t for _g, t in by_minute.values())
        return F(minutes * 60 * (total - good), total) if total else 0
    if rule == "threshold":
        return sum(60 for g, t in by_minute.values() if t and F(t - g, t) > F(5, 100))
    down = F(0)
    for hour in range(30 * 24):
        start = at(1) + timedelta(hours=hour)
        cells = [by_minute.get(start + timedelta(minutes=m), (0, 0)) for m in range(60)]
        total = sum(t for _g, t in cells)
        if total:
            down += F(sum(t - g for g, t in cells), total) * 3600
    return down


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30 * 24 * 60 - 1), st.integers(0, 50), st.integers(0, 50)),
                max_size=12, unique_by=lambda r: r[0]))
def test_runtime_agrees_with_a_minute_stepping_reference(tmp_path_factory, cells):
    rows = [{"start": at(1) + timedelta(minutes=m), "good": min(a, b), "total": max(a, b)} for m, a, b in cells]
    both = _SHARED.setdefault("both", Both(CONTRACT, tmp_path_factory.mktemp("counts")))
    for service, rule in (("Ratio", "ratio"), ("Minutes", "threshold"), ("Hourly", "average")):
        assert both.availability(service, "2026-04", rows)["downtime_seconds"] == _reference(rows, rule)


_SHARED: dict = {}


def test_checker_refusals():
    bad = CONTRACT.replace("measured by requests in 1m intervals good / total",
                           "measured by requests in 7m intervals good / total\n    downtime weighted by impact")
    codes = sorted(d.code for d in compile_text(bad, "c.sla").diagnostics)
    assert codes == ["E424", "E426"]
    bad = CONTRACT.replace("down when error rate above 5%", "average of 1h error rates")
    assert [d.code for d in compile_text(bad, "c.sla").diagnostics] == ["E427"]


def test_document_states_the_rules():
    document = render(compile_text(CONTRACT, "c.sla").contract)
    assert "each minute whose error rate (failed requests divided by requests made) is above 5% counts as down" in document
    assert "an hour with no requests counts as 0% errors" in document


def test_openslo_maps_counts_to_ratio_indicators():
    documents, notes = to_openslo(compile_text(CONTRACT, "c.sla").contract)
    schema = json.loads((ROOT / "tests/data/openslo-v1.schema.json").read_text())
    for document in documents:
        jsonschema.validate(document, schema)
    slos = {d["metadata"]["displayName"]: d["spec"] for d in documents if d["kind"] == "SLO"}
    assert slos["Ratio availability"]["budgetingMethod"] == "Occurrences"
    assert "good requests of Ratio" in json.dumps(slos["Ratio availability"]["indicator"])
    minutes = slos["Minutes availability"]
    assert minutes["budgetingMethod"] == "Timeslices"
    assert minutes["objectives"][0]["timeSliceTarget"] == 0.95
    assert minutes["objectives"][0]["timeSliceWindow"] == "1m"
    assert "Hourly availability" not in slos and any("'Hourly'" in n for n in notes)


def _uptime(tmp_path, counts: str, *args):
    (tmp_path / "c.sla").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "counts.csv").write_text(counts, encoding="utf-8")
    return CliRunner().invoke(cli, ["uptime", str(tmp_path / "c.sla"), "--counts", str(tmp_path / "counts.csv"),
                                    "--period", "2026-04", *args])


COUNTS = ("start,good,total\n2026-04-01T00:00:00Z,90,100\n2026-04-01T00:01:00Z,95,100\n"
          "2026-04-01T00:02:00Z,0,0\n2026-04-02T05:30:00Z,1960,2000\n")


def test_uptime_counts_text_and_json(tmp_path):
    result = _uptime(tmp_path, COUNTS, "--service", "Ratio")
    assert result.exit_code == 0, result.output
    assert "measured by requests (good / total): 2145 of 2200 good in 4 counts row(s)" in result.stdout
    assert "uptime: 97.50% (exact 39/40)" in result.stdout
    data = json.loads(_uptime(tmp_path, COUNTS, "--format", "json").stdout)
    figures = {s["service"]: s["uptime"]["exact"] for s in data["services"]}
    assert figures == {"Ratio": "39/40", "Minutes": "43199/43200", "Hourly": "143981/144000"}


def test_a_long_exact_uptime_is_printed_as_decimals(tmp_path):
    """Hours with 997, 991, 983, ... requests: the mean of their error rates has a denominator
    the product of those primes, unreadable whole; the text gives ten truncated decimals of the
    percentage (from the same mean taken here) and JSON keeps the fraction."""
    primes = [p for p in range(900, 1000) if all(p % d for d in range(2, 32))][:12]
    counts = "start,good,total\n" + "".join(
        f"2026-04-{1 + i:02d}T00:00:00Z,{p - 1},{p}\n" for i, p in enumerate(primes))
    mean_error = sum(F(1, p) for p in primes) / (30 * 24)
    uptime = 1 - mean_error
    result = _uptime(tmp_path, counts, "--service", "Hourly")
    assert result.exit_code == 0, result.output
    line = next(s for s in result.stdout.splitlines() if s.startswith("  uptime:"))
    decimals = str(int(100 * uptime * 10**10))
    assert line.endswith(f"({decimals[:-10]}.{decimals[-10:]}...%; exact in --format json)"), line
    data = json.loads(_uptime(tmp_path, counts, "--service", "Hourly", "--format", "json").stdout)
    assert F(data["services"][0]["uptime"]["exact"]) == uptime


@pytest.mark.parametrize("counts, message", [
    ("start,good,total\n2026-04-01T00:00:00Z,5,4\n", "counts.csv:2: field `good`: good 5 is more than total 4"),
    ("start,good,total\n2026-04-01T00:00:00Z,x,4\n", "counts.csv:2: field `good`"),
    ("start,good,total\n2026-04-01T00:00:00Z,1,4\n2026-04-01T00:00:00Z,1,4\n", "counts.csv:3: field `start`: this interval overlaps row 2"),
    ("start,good,total\nsoon,1,4\n", "counts.csv:2: field `start`"),
    ("start,good\n2026-04-01T00:00:00Z,1\n", "total"),
])
def test_uptime_counts_data_errors(tmp_path, counts, message):
    result = _uptime(tmp_path, counts, "--service", "Ratio")
    assert result.exit_code == 1 and message in result.stderr, result.stderr


def test_uptime_needs_counts_and_refuses_other_engines(tmp_path):
    (tmp_path / "c.sla").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "incidents.csv").write_text("start,end\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["uptime", str(tmp_path / "c.sla"), "--incidents",
                                      str(tmp_path / "incidents.csv"), "--period", "2026-04"])
    assert result.exit_code == 2 and "give --counts FILE" in result.stderr
    result = _uptime(tmp_path, COUNTS, "--service", "Ratio", "--engine", "duckdb")
    assert result.exit_code != 0 and "E801" in result.output + result.stderr


def test_counts_per_scope(tmp_path):
    text = CONTRACT.replace("measured by requests in 1m intervals good / total",
                            'measured by requests in 1m intervals good / total\n    measured per region in "eu", "us" overall average')
    text = text.replace("measured by requests in 1m intervals down when error rate above 5%",
                        "measured by requests in 1m intervals down when error rate above 5%\n    measured per region")
    scoped = Both(text, tmp_path)
    rows = [{"start": at(1), "good": 90, "total": 100, "scope": "eu"},
            {"start": at(1), "good": 100, "total": 100, "scope": "us"}]
    # eu fails 10% of its requests, us none: the average of 90% and 100%
    average = scoped.availability("Ratio", "2026-04", rows)
    assert average["uptime"] == F(19, 20) and average["counts"]["total"] == 200
    each = scoped.availability("Minutes", "2026-04", rows)
    assert set(each["scopes"]) == {"eu", "us"} and each["worst_scope"] == "eu"
    assert each["scopes"]["eu"]["downtime_seconds"] == 60
    with pytest.raises(ValueError, match="has no `scope`"):
        scoped.loaded.availability("Minutes", "2026-04", [{"start": at(1), "good": 1, "total": 1}])
