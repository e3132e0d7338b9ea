"""Availability clauses answered as written: caps, allowances, periods, outage starts, wording.

Every contract here is small and written inline; each answer is asked of both `sladsl.load()` and
the module `to_python` generates from the same contract, and both must agree. Expected values are
worked out by hand in the comments (SEMANTICS.md "Availability"), never by running the evaluator.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from fractions import Fraction as F

import pytest

from sladsl.pipeline import compile_text
from tests.generated import Both

UTC = timezone.utc
H = timedelta(hours=1)


def utc(month, day, hour=0, minute=0, second=0, year=2026):
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def outage(start, seconds):
    return {"start": start, "end": start + timedelta(seconds=seconds)}


# ---- 20.15: rule texts and rendering ------------------------------------------------------------

TIERS_BELOW = """contract "T" {
  zone UTC
  service Web {
    availability 99.9% per month
    credit tiers of monthly fee {
      99.0%..99.9% -> 10%
      below 99.0% -> 25%
    }
  }
}
"""


def test_a_below_row_is_described_as_exclusive(tmp_path):
    web = Both(TIERS_BELOW, tmp_path)
    # June: 2,592,000 s; 97% uptime = 3% down = 77,760 s: the `below 99.0%` row.
    report = web.availability("Web", "2026-06", [outage(utc(6, 10), 77760)])
    (credit,) = report["credits"]
    assert credit["percent"] == F(25)
    assert "the row below 99% " in credit["rule"] and "or below" not in credit["rule"]


ZERO_GRACE = """contract "T" {
  zone UTC
  service Net {
    availability 99.9% per month
    credit per outage beyond 0h per whole 1s {
      1% of monthly fee
    }
  }
}
"""


def test_a_zero_grace_and_a_one_second_period_render_true_examples(tmp_path):
    text = Both(ZERO_GRACE, tmp_path).document()
    # Whole 1-second periods, no grace: 2 s earn 2 periods, 3 s earn 3.
    assert ("From the first second of each outage, every whole period of 1 second earns one "
            "credit period: an outage of 2 seconds earns 2 periods; one of 3 seconds earns 3.") in text
    assert "-1 hours" not in text and "The first 0 " not in text


# ---- 20.2: caps inside tiers and extensions, applied over their stated period ------------------

TIERS_CAPPED = """contract "T" {
  zone UTC
  service Web {
    availability 99.9% per month
    credit tiers of monthly fee {
      99.0%..99.9% -> 10%
      below 99.0% -> 25%
      cap 5% of monthly fee per month
    }
  }
}
"""


def test_a_cap_inside_a_credit_table_limits_the_month(tmp_path):
    web = Both(TIERS_CAPPED, tmp_path)
    # March: 31 days = 2,678,400 s; 20 h = 72,000 s down: 181/186 = 97.31% (row `below 99.0%`: 25%),
    # capped at 5% of the monthly fee.
    report = web.availability("Web", "2026-03", [outage(utc(3, 10), 72000)])
    assert report["uptime"] == F(181, 186)
    (credit,) = report["credits"]
    assert (credit["percent"], credit["capped"]) == (F(5), True)
    assert "at most 5% of monthly fee per month" in credit["rule"]
    # 99.5%: row 10%, also above the cap.
    half = web.availability("Web", "2026-03", [outage(utc(3, 10), 13392)])  # 0.5% of 2,678,400
    assert [(c["percent"], c["capped"]) for c in half["credits"]] == [(F(5), True)]
    assert "- Cap: at most 5% of the monthly fee per month, counting every credit of that calendar month." \
        in web.document()


PER_OUTAGE_QUARTER_CAP = """contract "T" {
  zone UTC
  service Net {
    availability 99.9% per month
    credit per outage beyond 0h per started 1h {
      5% of monthly fee
      cap 10% of monthly fee per quarter
    }
  }
}
"""


def test_a_per_outage_cap_per_quarter_counts_the_whole_quarter(tmp_path):
    net = Both(PER_OUTAGE_QUARTER_CAP, tmp_path)
    january = outage(utc(1, 10), 3600)       # 1 started hour: 5%
    february = outage(utc(2, 10), 2 * 3600)  # 2 started hours: 10%, but January used 5% of the 10%
    report = net.availability("Net", "2026-02", [january, february])
    (credit,) = report["credits"]
    assert (credit["periods"], credit["percent"], credit["capped"]) == (2, F(5), True)
    assert report["counted_from"] == utc(1, 1)
    # Without January's outage the quarter's cap is untouched (the answer says from when it counted).
    (alone,) = net.availability("Net", "2026-02", [february])["credits"]
    assert (alone["percent"], alone["capped"]) == (F(10), False)
    # A 3 h January outage (15%) uses the whole cap: February owes nothing; April starts afresh.
    long_january = outage(utc(1, 10), 3 * 3600)
    assert net.availability("Net", "2026-02", [long_january, february])["credits"] == []
    (april,) = net.availability("Net", "2026-04", [long_january, outage(utc(4, 2), 3600)])["credits"]
    assert (april["percent"], april["capped"]) == (F(5), False)


EXTENSION_CAPPED = """contract "T" {
  zone UTC
  service Box {
    availability 99.9% per month
    credit extension for all downtime {
      cap 1 day of service per month
    }
  }
}
"""


def test_an_extension_cap_in_days_of_service(tmp_path):
    box = Both(EXTENSION_CAPPED, tmp_path)
    (credit,) = box.availability("Box", "2026-06", [outage(utc(6, 3), 30 * 3600)])["credits"]
    assert (credit["extension_seconds"], credit["capped"]) == (86400, True)  # 30 h capped at 24 h
    (short,) = box.availability("Box", "2026-06", [outage(utc(6, 3), 3 * 3600)])["credits"]
    assert (short["extension_seconds"], short["capped"]) == (3 * 3600, False)
    assert "- Cap: at most 1 day of service per month" in box.document()


# ---- 20.3: maintenance allowances judged over their own period ---------------------------------

QUARTER_ALLOWANCE = """contract "T" {
  zone UTC
  service Web {
    availability 99% per month
    maintenance up to 4h per quarter overrun counts excess
  }
}
"""


def test_a_quarterly_allowance_remembers_earlier_months(tmp_path):
    web = Both(QUARTER_ALLOWANCE, tmp_path)
    january = (utc(1, 10), utc(1, 10, 3))
    february = (utc(2, 10), utc(2, 10, 3))
    # 4 h a quarter: January's 3 h leave 1 h, so 2 h of February's 3 h count.
    report = web.availability("Web", "2026-02", [], maintenance=[january, february])
    assert report["downtime_seconds"] == 2 * 3600
    assert report["counted_from"] == utc(1, 1)
    assert web.availability("Web", "2026-01", [], maintenance=[january, february])["downtime_seconds"] == 0
    # April opens a new quarter.
    april = (utc(4, 10), utc(4, 10, 3))
    assert web.availability("Web", "2026-04", [], maintenance=[january, february, april])["downtime_seconds"] == 0
    assert "counted over each calendar quarter from its start" in web.document()


WEEK_ALLOWANCE = """contract "T" {
  zone UTC
  service Web {
    availability 99% per month
    maintenance up to 1h per week overrun counts excess
  }
}
"""


def test_a_weekly_allowance_is_applied_week_by_week(tmp_path):
    web = Both(WEEK_ALLOWANCE, tmp_path)
    # Monday 1 June and Monday 8 June 2026 are in ISO weeks 23 and 24: 1 h each, each within its week.
    works = [(utc(6, 1), utc(6, 1, 1)), (utc(6, 8), utc(6, 8, 1))]
    assert web.availability("Web", "2026-06", [], maintenance=works)["downtime_seconds"] == 0
    # Two hours in one week: 1 h counts.
    assert web.availability("Web", "2026-06", [], maintenance=[(utc(6, 1), utc(6, 1, 2))])["downtime_seconds"] == 3600
    # Wednesday 1 July 2026 is in the week of Monday 29 June: June's hour uses that week's allowance.
    straddle = [(utc(6, 29), utc(6, 29, 1)), (utc(7, 1), utc(7, 1, 0, 30))]
    july = web.availability("Web", "2026-07", [], maintenance=straddle)
    assert july["downtime_seconds"] == 1800 and july["counted_from"] == utc(6, 29)


# ---- 20.4: a period other than the service's own ----------------------------------------------

def test_a_quarter_of_a_monthly_service_is_judged_month_by_month(tmp_path):
    web = Both(TIERS_BELOW, tmp_path)
    march = outage(utc(3, 10), 72000)  # 97.31% in March (see above): 25%
    with pytest.raises(ValueError, match=r"`2026-Q1` is a quarter but `Web` is measured per month"):
        web.availability("Web", "2026-Q1", [march])
    report = web.loaded.availability_periods("Web", "2026-Q1", [march])
    assert report == web.generated.availability_periods("Web", "2026-Q1", [march])
    assert [(a["period_start"], a["met"]) for a in report["periods"]] == [
        (utc(1, 1), True), (utc(2, 1), True), (utc(3, 1), False)]
    assert [c["percent"] for c in report["periods"][2]["credits"]] == [F(25)]
    total = report["total"]
    # Q1 2026: 90 days = 7,776,000 s; 72,000 s down.
    assert (total["period_seconds"], total["downtime_seconds"]) == (7776000, 72000)
    assert total["uptime"] == F(7776000 - 72000, 7776000)
    assert (total["met"], total["periods_missed"]) == (False, 1)
    assert [(c["kind"], c["percent"]) for c in total["credits"]] == [("tiered", F(25))]


WEEKLY = """contract "T" {
  zone Europe/Paris
  service Web {
    availability 99% per week
  }
}
"""


def test_iso_weeks_for_a_weekly_service(tmp_path):
    web = Both(WEEKLY, tmp_path)
    report = web.availability("Web", "2026-W10", [])
    # ISO 2026 week 1 starts Monday 29 December 2025, so week 10 is Monday 2 March to Monday 9 March.
    assert (report["period_start"].isoformat(), report["period_end"].isoformat()) == (
        "2026-03-02T00:00:00+01:00", "2026-03-09T00:00:00+01:00")
    assert report["period_seconds"] == 7 * 86400
    # Week 13 holds the spring-forward night of 29 March: 167 hours.
    assert web.availability("Web", "2026-W13", [])["period_seconds"] == 167 * 3600
    with pytest.raises(ValueError, match=r"`2026-03` is not made of whole weeks"):
        web.loaded.availability_periods("Web", "2026-03", [])
    with pytest.raises(ValueError, match="has no ISO week 54"):
        web.availability("Web", "2026-W54", [])


# ---- 20.4 through the CLI -----------------------------------------------------------------------

def _uptime(tmp_path, contract: str, rows: str, *args: str):
    from click.testing import CliRunner

    from sladsl.cli import cli

    (tmp_path / "c.sla").write_text(contract, encoding="utf-8")
    (tmp_path / "i.csv").write_text("start,end,kind\n" + rows, encoding="utf-8")
    return CliRunner().invoke(cli, ["uptime", str(tmp_path / "c.sla"), "--incidents",
                                    str(tmp_path / "i.csv"), *args], catch_exceptions=False)


def test_uptime_of_a_quarter_reports_each_month_and_the_total(tmp_path):
    result = _uptime(tmp_path, TIERS_BELOW, "2026-03-10T00:00:00Z,2026-03-10T20:00:00Z,outage\n",
                     "--period", "2026-Q1")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.count("service `Web`: ") == 3
    assert "service `Web`: 2026-03-01T00:00:00+00:00 .. 2026-04-01T00:00:00+00:00 (744h, 2678400 s)" in out
    assert "  target: 99.9% not met\n" in out and "  credit (tiered): 25% of the monthly fee\n" in out
    assert "  target: missed in 1 of 3 months" in out
    assert "  credits (tiered), sum of the months: 25% of the monthly fee" in out
    document = json.loads(_uptime(tmp_path, TIERS_BELOW, "2026-03-10T00:00:00Z,2026-03-10T20:00:00Z,outage\n",
                                  "--period", "2026-Q1", "--format", "json").stdout)
    (service,) = document["services"]
    assert (service["judged_per"], service["met"], service["periods_missed"]) == ("month", False, 1)
    assert [p["met"] for p in service["periods"]] == [True, True, False]


def test_uptime_weeks_agree_with_the_checker(tmp_path):
    ok = _uptime(tmp_path, WEEKLY, "2026-03-03T10:00:00+01:00,2026-03-03T12:00:00+01:00,outage\n",
                 "--period", "2026-W10")
    assert ok.exit_code == 0, ok.stderr
    # 2 h of a 168 h week: 166/168 = 98.81% < 99%.
    assert "  uptime: 98.80% (exact 83/84)" in ok.stdout and "not met" in ok.stdout
    refused = _uptime(tmp_path, WEEKLY, "", "--period", "2026-03")
    assert refused.exit_code == 2
    assert "`2026-03` is not made of whole weeks" in refused.stderr


def test_uptime_says_from_when_a_quarterly_allowance_counts(tmp_path):
    rows = ("2026-01-10T00:00:00Z,2026-01-10T03:00:00Z,maintenance\n"
            "2026-02-10T00:00:00Z,2026-02-10T03:00:00Z,maintenance\n")
    result = _uptime(tmp_path, QUARTER_ALLOWANCE, rows, "--period", "2026-02")
    assert result.exit_code == 0, result.stderr
    assert "  downtime: 2h (7200 s)" in result.stdout
    assert "allowance 4h per quarter" in result.stdout
    assert "caps and allowances counted from 2026-01-01T00:00:00+00:00" in result.stdout


# ---- 21.6: when an outage starts to count -------------------------------------------------------

REPORTED = """contract "T" {
  zone UTC
  service Web {
    availability 99.9% per month
    downtime starts at earliest(report, detection)
  }
}
"""


def test_an_outage_counts_from_its_reading_kept_inside_the_record(tmp_path):
    web = Both(REPORTED, tmp_path)
    start, end = utc(6, 11, 10), utc(6, 11, 14)  # a 4 h failure
    # Detected a day before it began: counted from start, 4 h (not 28 h).
    early = {"start": start, "end": end, "detected_at": utc(6, 10, 10)}
    assert web.availability("Web", "2026-06", [early])["downtime_seconds"] == 4 * 3600
    assert web.loaded.outage_notes("Web", early) == [
        "detected_at 2026-06-10T10:00:00+00:00 is before start 2026-06-11T10:00:00+00:00: "
        "the outage counts from start"]
    # Reported after it ended, no detection: the contract counts from the report, so nothing.
    late = {"start": start, "end": end, "reported_at": utc(6, 11, 15)}
    assert web.availability("Web", "2026-06", [late])["downtime_seconds"] == 0
    assert web.loaded.outage_notes("Web", late) == [
        "reported_at 2026-06-11T15:00:00+00:00 is not before end 2026-06-11T14:00:00+00:00: "
        "the contract starts downtime at the report, so this outage counts none"]
    # Reported inside: from the report; the earlier of the two when both are given.
    inside = {"start": start, "end": end, "reported_at": utc(6, 11, 11), "detected_at": utc(6, 11, 12)}
    assert web.availability("Web", "2026-06", [inside])["downtime_seconds"] == 3 * 3600
    assert web.loaded.outage_notes("Web", inside) == []


def test_uptime_warns_about_inconsistent_outage_rows(tmp_path):
    from click.testing import CliRunner

    from sladsl.cli import cli

    (tmp_path / "c.sla").write_text(REPORTED, encoding="utf-8")
    (tmp_path / "i.csv").write_text(
        "start,end,kind,reported_at,detected_at\n"
        "2026-06-11T10:00:00Z,2026-06-11T14:00:00Z,outage,,2026-06-10T10:00:00Z\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["uptime", str(tmp_path / "c.sla"), "--incidents", str(tmp_path / "i.csv"),
                                      "--period", "2026-06"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "  downtime: 4h (14400 s)" in result.stdout
    assert ("sladsl: warning: i.csv row 2: detected_at 2026-06-10T10:00:00+00:00 is before start "
            "2026-06-11T10:00:00+00:00: the outage counts from start") in result.stderr


# ---- 15.1: fiscal quarters and years, "not rolling" ---------------------------------------------

FISCAL = """contract "Cloud" {
  zone UTC
  service Compute {
    availability 99.99% per quarter fiscal from Feb not rolling
    maintenance up to 2h per year overrun counts excess
    credit tiers of monthly fee {
      99.0%..99.99% -> 10%
      below 99.0% -> 30%
      cap 30% of monthly fee per year
    }
  }
}
"""


def test_fiscal_quarters_start_in_the_stated_month(tmp_path):
    compute = Both(FISCAL, tmp_path)
    q1 = compute.availability("Compute", "2026-Q1", [])
    # A fiscal year from February, named by the year it starts in: Q1 2026 is 1 Feb to 1 May 2026,
    # 28 + 31 + 30 = 89 days; the quarters end on 30 April, 31 July, 31 October and 31 January.
    assert (q1["period_start"], q1["period_end"], q1["period_seconds"]) == (utc(2, 1), utc(5, 1), 89 * 86400)
    year = compute.loaded.availability_periods("Compute", "2026", [])
    assert [p["period_end"] for p in year["periods"]] == [utc(5, 1), utc(8, 1), utc(11, 1), utc(2, 1, year=2027)]
    # January 2026 belongs to fiscal Q4 of 2025: an outage then is outside fiscal Q1 2026.
    january = outage(utc(1, 20), 86400)
    assert compute.availability("Compute", "2026-Q1", [january])["downtime_seconds"] == 0
    assert compute.availability("Compute", "2025-Q4", [january])["downtime_seconds"] == 86400
    text = compute.document()
    assert ("per fiscal quarter (quarters start on 1 February, 1 May, 1 August and 1 November)" in text
            and "Each quarter is a fixed calendar period, not a rolling window." in text)


def test_a_fiscal_yearly_cap_and_allowance_count_from_the_fiscal_year(tmp_path):
    compute = Both(FISCAL, tmp_path)
    # Q1 (89 days = 7,689,600 s) with 2% down = 153,792 s: 98% -> 30%, the whole yearly cap.
    q1 = outage(utc(3, 2), 153792)
    q2 = outage(utc(6, 2), 153792)  # Q2 is 92 days: 98.06%, also 30%, but the fiscal year's cap is used
    assert [c["percent"] for c in compute.availability("Compute", "2026-Q1", [q1])["credits"]] == [F(30)]
    second = compute.availability("Compute", "2026-Q2", [q1, q2])
    assert second["credits"] == [] and second["counted_from"] == utc(2, 1)
    # The fiscal year 2026 starts on 1 February 2026, so January's maintenance belongs to 2025's.
    works = [(utc(1, 10), utc(1, 10, 2)), (utc(2, 10), utc(2, 10, 3))]
    assert compute.availability("Compute", "2026-Q1", [], maintenance=works)["downtime_seconds"] == 3600


# ---- 15.4: explicit inclusive and exclusive tier bounds -----------------------------------------

EXCLUSIVE_TOPS = """contract "T" {
  zone UTC
  service Web {
    availability 99.9% per month
    credit tiers of monthly fee {
      99.0%..below 99.9% -> 5%
      98.0%..below 99.0% -> 10%
      below 98.0% -> 25%
    }
  }
}
"""


def test_rows_with_an_exclusive_top(tmp_path):
    web = Both(EXCLUSIVE_TOPS, tmp_path)
    june = 2592000  # 30 days

    def credit(down_seconds):
        report = web.availability("Web", "2026-06", [outage(utc(6, 10), down_seconds)] if down_seconds else [])
        return [c["percent"] for c in report["credits"]]

    assert credit(june // 1000) == []          # exactly 99.9%: the target, nothing
    assert credit(june // 100) == [F(5)]        # exactly 99.0%: in `99.0%..below 99.9%`
    assert credit(june // 100 + 1) == [F(10)]   # just under 99.0%: the next row
    assert credit(2 * june // 100) == [F(10)]   # exactly 98.0%: in `98.0%..below 99.0%`
    assert "| from 99.0% to below 99.9% | 5%" in web.document()
    result = compile_text(EXCLUSIVE_TOPS, "t.sla")
    assert [d.code for d in result.diagnostics] == []  # no W402: the top row excludes the target


# ---- 15.7: the error budget ---------------------------------------------------------------------

def test_error_budget_and_burn_rate(tmp_path):
    web = Both(TIERS_BELOW, tmp_path)
    march = outage(utc(3, 10), 72000)
    budget = web.availability("Web", "2026-03", [march])["error_budget"]
    # 0.1% of 2,678,400 s = 2,678.4 s allowed; 72,000 s used = 2,688.17...%; 69,321.6 s over.
    assert budget["allowed_seconds"] == F(13392, 5) and budget["used_seconds"] == 72000
    assert budget["left_seconds"] == F(13392, 5) - 72000
    assert budget["used_percent"] == 100 * F(72000) / F(13392, 5)
    assert budget["burn_rate"] is None
    # At 16 March 00:00, 15 of 31 days have passed and all 20 h were used: (72000 / 2678.4) / (15/31).
    now = utc(3, 16)
    at = web.availability("Web", "2026-03", [march], now=now)["error_budget"]
    assert at["elapsed_percent"] == F(1500, 31) and at["used_so_far_seconds"] == 72000
    assert at["burn_rate"] == (F(72000) / F(13392, 5)) / F(15, 31)
    # On 5 March nothing is used yet: burn rate 0.
    assert web.availability("Web", "2026-03", [march], now=utc(3, 5))["error_budget"]["burn_rate"] == 0
    with pytest.raises(ValueError, match="before the period starts"):
        web.availability("Web", "2026-03", [march], now=utc(2, 5))
    from click.testing import CliRunner

    from sladsl.cli import cli

    (tmp_path / "i.csv").write_text("start,end,kind\n2026-03-10T00:00:00Z,2026-03-10T20:00:00Z,outage\n",
                                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["uptime", str(tmp_path / "contract.sla"), "--incidents",
                                      str(tmp_path / "i.csv"), "--period", "2026-03", "--now",
                                      "2026-03-16T00:00:00Z"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "  error budget: 44m38s allowed, 20h used (2688.17%), 19h15m21s over" in result.stdout
    assert "  burn rate at 2026-03-16T00:00:00+00:00: 55.56 (20h used in 48.38% of the period" in result.stdout


# ---- 15.4: caps as durations of service ---------------------------------------------------------

DAYS_CAPPED = """contract "T" {
  zone UTC
  service Net {
    availability 99.9% per month
    credit per outage beyond 1h per started 1h {
      1 day of service
      cap 3 days of service per quarter
    }
  }
}
"""


def test_a_cap_in_days_of_service_per_quarter(tmp_path):
    net = Both(DAYS_CAPPED, tmp_path)
    january = outage(utc(1, 10), 3 * 3600)   # 2 started hours beyond the first: 2 days
    february = outage(utc(2, 10), 4 * 3600)  # 3 days, but the quarter's cap leaves 1
    (credit,) = net.availability("Net", "2026-02", [january, february])["credits"]
    assert (credit["periods"], credit["days"], credit["capped"], credit["percent"]) == (3, 1, True, None)
    assert "- Cap: at most 3 days of service per quarter, counting every credit of that calendar quarter." \
        in net.document()
