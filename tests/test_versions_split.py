"""`effective DATE splitting periods` (docs/semantics.md "Versions"): a service period in progress
when a version takes effect is split there, each part judged by its own version.

Expected values are computed by hand in the comments beside each (the worked example of
docs/semantics.md "Versions"), never by running the code under test.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import datetime, timezone
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl
import sladsl.runtime.versions
from sladsl.to_spec import to_specs
from sladsl.cli import cli
from sladsl.fmt import format_text
from sladsl.pipeline import compile_text
from sladsl.to_markdown import render
from sladsl.to_python import to_python

ROOT = Path(__file__).resolve().parent.parent
SPLIT = ROOT / "tests" / "cases" / "versions" / "good" / "split_periods.sla"
UTC = timezone.utc
# A 10 h outage in the first part (5 March), a 24 h outage in the second (20 March).
INCIDENTS = """service,kind,start,end
Web,outage,2027-03-05T08:00:00Z,2027-03-05T18:00:00Z
Web,outage,2027-03-20T00:00:00Z,2027-03-21T00:00:00Z
"""
OUTAGES = [(datetime(2027, 3, 5, 8, tzinfo=UTC), datetime(2027, 3, 5, 18, tzinfo=UTC)),
           (datetime(2027, 3, 20, tzinfo=UTC), datetime(2027, 3, 21, tzinfo=UTC))]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def uptime(tmp_path: Path, contract: str, *extra: str):
    (tmp_path / "c.sla").write_text(contract, encoding="utf-8")
    (tmp_path / "i.csv").write_text(INCIDENTS, encoding="utf-8")
    return run("uptime", str(tmp_path / "c.sla"), "--incidents", str(tmp_path / "i.csv"),
               "--period", "2027-03", *extra)


def test_a_month_split_on_the_15th_is_judged_in_two_parts():
    march = sladsl.load(SPLIT).availability("Web", "2027-03", OUTAGES)
    first, second = march["parts"]
    # 1-15 March: 14 days = 1,209,600 s, 10 h down: 1 - 36,000/1,209,600 = 163/168 (97.02%),
    # below the first version's 99.9%; row `below 99%` -> 25% x 14/31 = 350/31% of the fee.
    assert (first["period_seconds"], first["downtime_seconds"]) == (1_209_600, 36_000)
    assert first["uptime"] == Fraction(163, 168)
    assert (first["target_percent"], first["met"], first["share"]) == (Fraction(999, 10), False,
                                                                       Fraction(14, 31))
    assert first["version"].isoformat() == "2027-01-01"
    assert first["credits"][0]["percent"] == Fraction(350, 31)
    # Its error budget: 1,209,600 x 0.1% = 1,209.6 s.
    assert first["error_budget"]["allowed_seconds"] == Fraction(6048, 5)
    # 15 March - 1 April: 17 days = 1,468,800 s, 24 h down: 1 - 86,400/1,468,800 = 16/17
    # (94.12%), below 99.5%; row `below 95%` -> 50% x 17/31 = 850/31%. Budget 7,344 s.
    assert (second["period_seconds"], second["downtime_seconds"]) == (1_468_800, 86_400)
    assert second["uptime"] == Fraction(16, 17)
    assert (second["target_percent"], second["met"]) == (Fraction(995, 10), False)
    assert second["version"].isoformat() == "2027-03-15"
    assert second["credits"][0]["percent"] == Fraction(850, 31)
    assert second["error_budget"]["allowed_seconds"] == 7_344
    # The month: 1,200/31% (38.71%), under the later version's 50% cap (the earlier one's 30%
    # would have cut it).
    assert march["split"] and not march["met"]
    assert [(c["kind"], c["percent"], c["capped"]) for c in march["credits"]] == [
        ("tiered", Fraction(1200, 31), False)]
    assert (march["period_seconds"], march["downtime_seconds"]) == (2_678_400, 122_400)


def test_the_later_versions_cap_bounds_the_period():
    text = SPLIT.read_text(encoding="utf-8").replace("cap 50% of monthly fee", "cap 20% of monthly fee")
    march = compile_and_load(text).availability("Web", "2027-03", OUTAGES)
    assert [(c["percent"], c["capped"]) for c in march["credits"]] == [(20, True)]


def test_without_splitting_the_month_is_judged_whole_by_the_first_version():
    text = SPLIT.read_text(encoding="utf-8").replace(" splitting periods", "")
    march = compile_and_load(text).availability("Web", "2027-03", OUTAGES)
    # 34 h of 744 h: 355/372 = 95.43% < 99% -> 25% (the first version's table).
    assert "parts" not in march and march["uptime"] == Fraction(355, 372)
    assert [c["percent"] for c in march["credits"]] == [25]


PER_OUTAGE = """contract "Hosting" {
  effective 2027-01-01
  zone UTC
  service Web {
    availability 99% per month
    credit per outage beyond 1h per started 1h {
      5% of monthly fee
    }
  }
}

contract "Hosting" {
  effective 2027-03-15 splitting periods
  zone UTC
  service Web {
    availability 99% per month
    credit per outage beyond 1h per started 1h {
      10% of monthly fee
    }
  }
}
"""


def test_a_per_outage_credit_follows_the_version_in_effect_when_the_outage_started():
    outages = [(datetime(2027, 3, 14, 22, tzinfo=UTC), datetime(2027, 3, 15, 2, tzinfo=UTC)),
               (datetime(2027, 3, 20, tzinfo=UTC), datetime(2027, 3, 20, 2, 30, tzinfo=UTC))]
    march = compile_and_load(PER_OUTAGE).availability("Web", "2027-03", outages)
    first, second = march["parts"]
    # 14 March 22:00 - 15 March 02:00 started under the first version: 4 h whole, 3 h beyond
    # the grace -> 3 started hours x 5% = 15% (not cut at the change).
    assert [(c["periods"], c["percent"]) for c in first["credits"]] == [(3, 15)]
    # 20 March 00:00-02:30 under the second: 1 h 30 min beyond -> 2 x 10% = 20%.
    assert [(c["periods"], c["percent"]) for c in second["credits"]] == [(2, 20)]
    assert [(c["periods"], c["percent"]) for c in march["credits"]] == [(5, 35)]
    # Downtime is still measured per part: 2 h in the first (met), 4 h 30 min in the second:
    # 1 - 16,200/1,468,800 = 98.90% < 99%.
    assert (first["downtime_seconds"], first["met"]) == (7_200, True)
    assert (second["downtime_seconds"], second["met"]) == (16_200, False)


def compile_and_load(text: str):
    result = compile_text(text, "c.sla")
    assert not [d for d in result.diagnostics if d.is_error], result.diagnostics
    return sladsl.runtime.versions.Versions(to_specs(result.contract))


def test_uptime_shows_each_part_and_the_periods_credit(tmp_path):
    result = uptime(tmp_path, SPLIT.read_text(encoding="utf-8"), "--format", "json")
    assert result.exit_code == 0, result.output
    march = json.loads(result.stdout)["services"][0]
    assert march["split"] is True and march["met"] is False
    assert [(p["version"], p["period_start"], p["period_end"], p["uptime"]["exact"], p["met"],
             p["share"]["exact"], p["credits"][0]["percent"]["exact"])
            for p in march["parts"]] == [
        ("2027-01-01", "2027-03-01T00:00:00+00:00", "2027-03-15T00:00:00+00:00", "163/168", False,
         "14/31", "350/31"),
        ("2027-03-15", "2027-03-15T00:00:00+00:00", "2027-04-01T00:00:00+00:00", "16/17", False,
         "17/31", "850/31")]
    assert [p["error_budget"]["allowed_seconds"]["exact"] for p in march["parts"]] == ["6048/5", "7344/1"]
    assert march["credits"][0]["percent"]["exact"] == "1200/31"
    text = uptime(tmp_path, SPLIT.read_text(encoding="utf-8")).output
    assert "split at 2027-03-15T00:00:00+00:00" in text
    assert "terms: the version in effect from 2027-03-15; 17/31 of the period" in text
    assert "credit (tiered), sum of the parts: " in text


def test_now_before_the_change_gives_the_later_part_no_burn_rate():
    now = datetime(2027, 3, 10, tzinfo=UTC)
    first, second = sladsl.load(SPLIT).availability("Web", "2027-03", OUTAGES, now=now)["parts"]
    # 9 of the first part's 14 days have elapsed: 10 h used of 1,209.6 s -> burn rate
    # (36,000 / 1,209.6) / (9/14) = 46.30 (exact 1250/27).
    assert first["error_budget"]["burn_rate"] == Fraction(1250, 27)
    assert second["error_budget"]["burn_rate"] is None and second["error_budget"]["now"] is None


def test_the_generated_module_answers_like_load(tmp_path):
    source = SPLIT.read_bytes()
    loaded = sladsl.load(SPLIT)
    result = compile_text(source.decode(), "split_periods.sla")
    path = tmp_path / "split_module.py"
    path.write_text(to_python(result.contract, source), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("split_module", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.pop("split_module", None)
    spec.loader.exec_module(module)
    assert module.availability("Web", "2027-03", OUTAGES) == loaded.availability("Web", "2027-03", OUTAGES)
    assert module.availability("Web", "2027-03", OUTAGES)["credits"][0]["percent"] == Fraction(1200, 31)


@pytest.mark.parametrize("engine", ["duckdb"])
def test_the_sql_engines_refuse_a_version_splitting_periods(tmp_path, engine):
    result = uptime(tmp_path, SPLIT.read_text(encoding="utf-8"), "--engine", engine)
    assert result.exit_code == 2
    assert "a version `splitting periods` is judged by the python engine only" in result.output


def test_the_document_states_the_rule():
    document = render(compile_text(SPLIT.read_text(encoding="utf-8"), "s.sla").contract)
    assert ("A service period (such as a month) in progress on 15 March 2027 is divided on that "
            "day") in document
    whole = SPLIT.read_text(encoding="utf-8").replace(" splitting periods", "")
    assert "is divided on that day" not in render(compile_text(whole, "s.sla").contract)


def test_fmt_keeps_the_clause():
    text = SPLIT.read_text(encoding="utf-8")
    assert format_text(text, "s.sla") == (text, [])
    messy = text.replace("effective 2027-03-15 splitting periods", "effective   2027-03-15  splitting   periods")
    assert format_text(messy, "s.sla")[0] == text


def test_diff_reports_a_change_of_the_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = SPLIT.read_text(encoding="utf-8")
    Path("whole.sla").write_text(text.replace(" splitting periods", ""), encoding="utf-8")
    Path("split.sla").write_text(text, encoding="utf-8")
    result = run("diff", "whole.sla", "split.sla")
    assert result.exit_code == 1
    assert ("version from 2027-03-15, contract: a service period in progress when these terms take "
            "effect changed: judged whole by the terms in effect when it began -> split at the "
            "change, each part by its own terms") in result.output
    assert run("diff", "split.sla", "split.sla").exit_code == 0
