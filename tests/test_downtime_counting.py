"""What counts as downtime: minimum duration, sampling intervals, impact weighting, scopes.

Expected values come from docs/semantics.md "What counts as downtime" (worked out by hand there
and in the comments here) or from `_reference`, a slow second-by-second count written from the
same text without the runtime; every answer is asked of `sladsl.load()` and of the module
`to_python` generates, which must agree.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner

from sladsl.cli import cli
from sladsl.pipeline import compile_text
from sladsl.to_markdown import render
from tests.generated import Both

UTC = timezone.utc
APRIL = 30 * 86400  # 2026-04 in UTC, seconds


def utc(month, day, hour=0, minute=0, second=0):
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def contract(*lines: str, target: str = "99.97%", period: str = "month") -> str:
    body = "\n".join(f"    {line}" for line in lines)
    return (f'contract "Cloud" {{\n  zone UTC\n  service Compute {{\n    availability {target} per {period}\n'
            f"{body}\n  }}\n}}\n")


CREDIT = ["credit tiers of monthly fee {", "  99.0%..below 99.97% -> 10%", "  below 99.0% -> 25%", "}"]

# The worked example of docs/semantics.md "What counts as downtime" (rows 2-5 of its table).
WORKED = [
    {"start": utc(4, 1, 10, 0), "end": utc(4, 1, 10, 4), "scope": "eu"},
    {"start": utc(4, 1, 10, 4), "end": utc(4, 1, 10, 6, 30), "scope": "eu"},
    {"start": utc(4, 2, 12, 3), "end": utc(4, 2, 12, 14), "scope": "us"},
    {"start": utc(4, 3, 0, 0), "end": utc(4, 3, 0, 5), "scope": "us"},
]


def worked(tmp_path, overall="each", minimum=True, intervals=True) -> Both:
    lines = (["downtime counts outages longer than 5m"] if minimum else []) + (
        ["downtime in 5m intervals"] if intervals else []) + [
        f"measured per region in eu, us overall {overall}", *CREDIT]
    return Both(contract(*lines), tmp_path)


# ---- the worked example ------------------------------------------------------------------------

def test_worked_example_each(tmp_path):
    answer = worked(tmp_path).availability("Compute", "2026-04", WORKED)
    eu, us = answer["scopes"]["eu"], answer["scopes"]["us"]
    assert eu["downtime_seconds"] == 600 and eu["uptime"] == F(4319, 4320) and eu["met"]
    assert us["downtime_seconds"] == 900 and us["uptime"] == F(2879, 2880) and not us["met"]
    assert answer["met"] is False and answer["worst_scope"] == "us"
    assert answer["downtime_seconds"] == 900  # the worst scope's figures
    assert [(c["scope"], c["percent"]) for c in answer["credits"]] == [("us", 10)]
    assert eu["credits"] == [] and us["credits"][0]["percent"] == 10
    assert answer["error_budget"]["allowed_seconds"] == F(7776, 10)


def test_worked_example_average(tmp_path):
    answer = worked(tmp_path, "average").availability("Compute", "2026-04", WORKED)
    assert answer["downtime_seconds"] == 750
    assert answer["uptime"] == F(3455, 3456) and answer["met"] and answer["credits"] == []
    assert answer["scopes"]["us"]["downtime_seconds"] == 900  # for information, no credit
    assert answer["scopes"]["us"]["credits"] == []


def test_worked_example_all_down(tmp_path):
    answer = worked(tmp_path, "all-down").availability("Compute", "2026-04", WORKED)
    assert answer["downtime_seconds"] == 0 and answer["met"]


def test_worked_example_variants(tmp_path):
    no_intervals = worked(tmp_path, intervals=False).availability("Compute", "2026-04", WORKED)
    assert (no_intervals["scopes"]["eu"]["downtime_seconds"], no_intervals["scopes"]["us"]["downtime_seconds"]) \
        == (390, 660)
    no_minimum = worked(tmp_path, minimum=False).availability("Compute", "2026-04", WORKED)
    assert no_minimum["scopes"]["us"]["downtime_seconds"] == 1200


def test_impact_example(tmp_path):
    both = Both(contract("downtime weighted by impact"), tmp_path)
    outages = [{"start": utc(4, 1, 10), "end": utc(4, 1, 10, 30), "impact": "25%"},
               {"start": utc(4, 1, 10, 10), "end": utc(4, 1, 10, 20), "impact": F(1, 2)}]
    assert both.availability("Compute", "2026-04", outages)["downtime_seconds"] == 600


# ---- edges of each rule ------------------------------------------------------------------------

@pytest.mark.parametrize("rule, seconds, expected", [
    ("longer than 5m", 300, 0), ("longer than 5m", 301, 301),
    ("of at least 60s", 59, 0), ("of at least 60s", 60, 60),
])
def test_minimum_edges(tmp_path, rule, seconds, expected):
    both = Both(contract(f"downtime counts outages {rule}"), tmp_path)
    start = utc(4, 10, 8)
    answer = both.availability("Compute", "2026-04", [(start, start + timedelta(seconds=seconds))])
    assert answer["downtime_seconds"] == expected


def test_minimum_beyond_counts_the_excess(tmp_path):
    both = Both(contract("downtime counts only beyond 5m of each outage"), tmp_path)
    answer = both.availability("Compute", "2026-04", [(utc(4, 10, 8), utc(4, 10, 8, 12)),
                                                      (utc(4, 11, 8), utc(4, 11, 8, 4))])
    assert answer["downtime_seconds"] == 7 * 60


def test_minimum_judges_the_whole_failure_across_a_period_boundary(tmp_path):
    # 23:58 on 30 April to 00:04 on 1 May: 6 minutes, longer than 5, so April's 2 minutes count.
    both = Both(contract("downtime counts outages longer than 5m"), tmp_path)
    answer = both.availability("Compute", "2026-04", [(utc(4, 30, 23, 58), utc(5, 1, 0, 4))])
    assert answer["downtime_seconds"] == 120


def test_minimum_before_maintenance_is_taken_out(tmp_path):
    # A 10-minute failure, 6 minutes of it inside excluded time: the failure counts (10 > 5),
    # then the exclusion takes 6 minutes out: 4 minutes.
    both = Both(contract("downtime counts outages longer than 5m"), tmp_path)
    answer = both.availability("Compute", "2026-04", [(utc(4, 5, 9), utc(4, 5, 9, 10))],
                               [(utc(4, 5, 9, 4), utc(4, 5, 9, 10))])
    assert answer["downtime_seconds"] == 240


def test_interval_touching_edge_and_threshold(tmp_path):
    any_down = Both(contract("downtime in 5m intervals"), tmp_path)
    # Ends exactly at 10:05: only the 10:00 interval. Starts at 10:09:59: the 10:05 interval.
    answer = any_down.availability("Compute", "2026-04", [(utc(4, 1, 10, 1), utc(4, 1, 10, 5)),
                                                          (utc(4, 1, 10, 9, 59), utc(4, 1, 10, 10))])
    assert answer["downtime_seconds"] == 600
    half = Both(contract("downtime in 1m intervals at least 50% down"), tmp_path)
    # 10:00:30-10:01:29: 30 s in the 10:00 minute (counts), 29 s in 10:01 (does not).
    answer = half.availability("Compute", "2026-04", [(utc(4, 1, 10, 0, 30), utc(4, 1, 10, 1, 29))])
    assert answer["downtime_seconds"] == 60


def test_intervals_start_at_local_midnight(tmp_path):
    # Asia/Kathmandu is UTC+05:45: April starts at 2026-03-31T18:15Z, so 5-minute intervals start
    # at :15, :20 ... UTC; an outage 18:16-18:17 UTC is in the 18:15 interval only.
    both = Both(contract("downtime in 15m intervals").replace("zone UTC", "zone Asia/Kathmandu"), tmp_path)
    answer = both.availability("Compute", "2026-04", [(utc(4, 1, 18, 16), utc(4, 1, 18, 17))])
    assert answer["downtime_seconds"] == 900
    assert answer["outages"][0][0].utcoffset() == timedelta(hours=5, minutes=45)


def test_error_budget_burn_rate_counts_the_intervals(tmp_path):
    both = Both(contract("downtime in 5m intervals"), tmp_path)
    answer = both.availability("Compute", "2026-04", [(utc(4, 1, 10, 1), utc(4, 1, 10, 2))],
                               now=utc(4, 16))
    budget = answer["error_budget"]
    assert budget["used_seconds"] == 300 and budget["used_so_far_seconds"] == 300
    # (300 / 777.6) / (15 / 30)
    assert budget["burn_rate"] == F(300) / F(7776, 10) / F(1, 2)


def test_scoped_maintenance_without_scope_applies_to_every_scope(tmp_path):
    both = Both(contract("measured per region in eu, us overall all-down"), tmp_path)
    outages = [{"start": utc(4, 2, 9), "end": utc(4, 2, 11), "scope": "eu"},
               {"start": utc(4, 2, 10), "end": utc(4, 2, 12), "scope": "us"}]
    answer = both.availability("Compute", "2026-04", outages, [{"start": utc(4, 2, 10), "end": utc(4, 2, 10, 30)}])
    assert answer["downtime_seconds"] == 1800  # 10:00-11:00 both down, minus 10:00-10:30


@pytest.mark.parametrize("outage, message", [
    ({"start": utc(4, 1), "end": utc(4, 1, 1)}, "has no `scope`"),
    ({"start": utc(4, 1), "end": utc(4, 1, 1), "scope": "asia"}, "unknown region `asia`"),
])
def test_scoped_records_are_checked(tmp_path, outage, message):
    both = Both(contract("measured per region in eu, us"), tmp_path)
    with pytest.raises(ValueError, match=message):
        both.loaded.availability("Compute", "2026-04", [outage])


@pytest.mark.parametrize("impact", [None, "150%", "-0.1", "lots", True])
def test_impact_is_checked(tmp_path, impact):
    both = Both(contract("downtime weighted by impact"), tmp_path)
    record = {"start": utc(4, 1), "end": utc(4, 1, 1)}
    if impact is not None:
        record["impact"] = impact
    with pytest.raises(ValueError, match="impact"):
        both.loaded.availability("Compute", "2026-04", [record])


# ---- against a slow reference ------------------------------------------------------------------

def _reference(outages, excluded, *, minimum=None, interval=None, threshold=None, impact=False,
               span=4 * 3600):
    """Downtime seconds in [0, span), second by second, from docs/semantics.md: failures are runs
    of covered seconds; the minimum rule keeps or trims runs; excluded seconds go; then intervals
    (from 0) or the largest impact per second."""
    covered = [max((w for a, b, w in outages if a <= s < b), default=None) for s in range(span)]
    keep = [w is not None for w in covered]
    if minimum is not None:
        rule, limit = minimum
        s = 0
        while s < span:
            if not keep[s]:
                s += 1
                continue
            end = s
            while end < span and covered[end] is not None:
                end += 1
            length = end - s
            counts = length > limit if rule == "longer" else length >= limit if rule == "at_least" else True
            for t in range(s, end):
                keep[t] = counts and (rule != "beyond" or t - s >= limit)
            s = end
    down = [keep[s] and not any(a <= s < b for a, b in excluded) for s in range(span)]
    if impact:
        return sum((covered[s] for s in range(span) if down[s]), F(0))
    if interval is None:
        return sum(down)
    total = 0
    for start in range(0, span, interval):
        inside = sum(down[start:start + interval])
        if (inside > 0) if threshold is None else (inside * 100 >= threshold * interval):
            total += interval
    return total


RULES = [
    ({"minimum": ("longer", 300)}, "downtime counts outages longer than 5m"),
    ({"minimum": ("at_least", 60)}, "downtime counts outages of at least 60s"),
    ({"minimum": ("beyond", 120)}, "downtime counts only beyond 2m of each outage"),
    ({"interval": 300}, "downtime in 5m intervals"),
    ({"interval": 60, "threshold": 50}, "downtime in 1m intervals at least 50% down"),
    ({"impact": True}, "downtime weighted by impact"),
    ({"minimum": ("longer", 300), "interval": 900}, "downtime counts outages longer than 5m\n    downtime in 15m intervals"),
    ({"minimum": ("at_least", 60), "impact": True},
     "downtime counts outages of at least 60s\n    downtime weighted by impact"),
]


@pytest.mark.parametrize("options, clause", RULES, ids=[c.split("\n")[0] for _o, c in RULES])
def test_agrees_with_the_reference(tmp_path, options, clause):
    both = Both(contract(clause), tmp_path)
    rng = random.Random(clause)
    base = utc(4, 7)  # a midnight: intervals start here
    for _ in range(6):
        outages = []
        for _ in range(rng.randint(1, 6)):
            a = rng.randrange(0, 4 * 3600 - 60)
            outages.append((a, a + rng.choice([30, 59, 60, 61, 299, 300, 301, 420, 1200]), F(rng.randint(0, 4), 4)))
        excluded = []
        if rng.random() < 0.5:
            a = rng.randrange(0, 4 * 3600 - 600)
            excluded.append((a, a + rng.randint(1, 600)))
        expected = _reference(outages, excluded, **options)
        records = [{"start": base + timedelta(seconds=a), "end": base + timedelta(seconds=min(b, 4 * 3600)),
                    "impact": w} for a, b, w in outages]
        cut = [(base + timedelta(seconds=a), base + timedelta(seconds=b)) for a, b in excluded]
        answer = both.availability("Compute", "2026-04", records, cut)
        assert answer["downtime_seconds"] == expected, (outages, excluded)


# ---- the document, fmt, the uptime command -----------------------------------------------------

def test_document_states_each_rule():
    text = contract("downtime counts outages of at least 60s", "downtime in 5m intervals",
                    "measured per region in eu, us overall all-down")
    document = render(compile_text(text, "c.sla").contract)
    assert "Only an outage lasting at least 1 minute counts as downtime" in document
    assert "intervals of 5 minutes" in document
    assert "down only while every listed region is down" in document
    weighted = render(compile_text(contract("downtime weighted by impact"), "c.sla").contract)
    assert "share of customers it affected" in weighted


def test_scope_names_are_escaped_in_the_document():
    text = contract('measured per region in "<b>eu</b>", "us*"')
    document = render(compile_text(text, "c.sla").contract)
    assert "<b>" not in document and "us\\*" in document


INCIDENTS = """start,end,kind,scope,impact
2026-04-01T10:00:00Z,2026-04-01T10:04:00Z,outage,eu,
2026-04-01T10:04:00Z,2026-04-01T10:06:30Z,outage,eu,
2026-04-02T12:03:00Z,2026-04-02T12:14:00Z,outage,us,
2026-04-03T00:00:00Z,2026-04-03T00:05:00Z,outage,us,
"""


def _uptime(tmp_path, text: str, incidents: str, *args: str):
    (tmp_path / "c.sla").write_text(text, encoding="utf-8")
    (tmp_path / "incidents.csv").write_text(incidents, encoding="utf-8")
    return CliRunner().invoke(cli, ["uptime", str(tmp_path / "c.sla"), "--incidents",
                                    str(tmp_path / "incidents.csv"), "--period", "2026-04", *args])


def test_uptime_reports_each_scope(tmp_path):
    text = contract("downtime counts outages longer than 5m", "downtime in 5m intervals",
                    "measured per region in eu, us overall each", *CREDIT)
    result = _uptime(tmp_path, text, INCIDENTS)
    assert result.exit_code == 0, result.output
    assert "downtime counted: only outages longer than 5m; in 5m intervals" in result.stdout
    assert "region `eu`: downtime 10m (600 s), uptime 99.97% (exact 4319/4320), met" in result.stdout
    assert "region `us`: downtime 15m (900 s), uptime 99.96% (exact 2879/2880), not met" in result.stdout
    assert "credit (tiered) for region `us`: 10% of the monthly fee" in result.stdout
    assert "target: 99.97% not met" in result.stdout
    data = json.loads(_uptime(tmp_path, text, INCIDENTS, "--format", "json").stdout)
    service = data["services"][0]
    assert service["scopes"]["each"]["us"]["downtime_seconds"]["exact"] == "900/1"
    assert service["scopes"]["worst"] == "us" and service["credits"][0]["scope"] == "us"


@pytest.mark.parametrize("clause, incidents, expected", [
    ("measured per region", "start,end,scope\n2026-04-01T10:00:00Z,2026-04-01T11:00:00Z,\n",
     "incidents.csv:2: field `scope`: service `Compute` is measured per region"),
    ("measured per region in eu, us", "start,end,scope\n2026-04-01T10:00:00Z,2026-04-01T11:00:00Z,ue\n",
     "incidents.csv:2: field `scope`: unknown region `ue`"),
    ("measured per region in eu, us", "start,end,kind,scope\n2026-04-01T10:00:00Z,2026-04-01T11:00:00Z,"
     "maintenance,asia\n", "incidents.csv:2: field `scope`: unknown region `asia`"),
    ("downtime weighted by impact", "start,end,impact\n2026-04-01T10:00:00Z,2026-04-01T11:00:00Z,\n",
     "incidents.csv:2: field `impact`: service `Compute` weights downtime by impact"),
    ("downtime weighted by impact", "start,end,impact\n2026-04-01T10:00:00Z,2026-04-01T11:00:00Z,120%\n",
     "incidents.csv:2: field `impact`: impact 120% is not between 0% and 100%"),
])
def test_uptime_names_row_and_field(tmp_path, clause, incidents, expected):
    result = _uptime(tmp_path, contract(clause), incidents)
    assert result.exit_code != 0
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_cloud_region_example_end_to_end():
    """examples/cloud-regions.sla over 2026-Q2 (91 days = 7,862,400 s; 99.99% allows 786.24 s).
    eu-west: 10:02:10-10:09:40 touches the 10:00 and 10:05 intervals: 600 s, 13103/13104, met; its
    45-second outage is under 60 s. us-east: 22:58-23:31 touches 22:55..23:30: 2,400 s,
    3275/3276, missed: the table's 10% against the band's 1 day (33 min; 1/30 of June's fee =
    3.33%): the greater, 10%, is paid. ap-south: 5 h on 12 May and 1 h 30 min on 20 June, on
    interval edges: 23,400 s = 1/336 of the quarter, 335/336, missed: 10% against 7 days (May,
    7/31) + 3 days (June, 3/30) = 1010/31 % = 32.58%: the bands are paid. The 2 h maintenance is
    inside the 4 h quarterly allowance."""
    root = Path(__file__).resolve().parent.parent
    result = CliRunner().invoke(cli, ["uptime", str(root / "examples" / "cloud-regions.sla"), "--incidents",
                                      str(root / "examples" / "incidents-cloud-regions.csv"),
                                      "--period", "2026-Q2", "--format", "json"])
    assert result.exit_code == 0, result.output
    service = json.loads(result.stdout)["services"][0]
    each = service["scopes"]["each"]
    assert [each[n]["uptime"]["exact"] for n in ("eu-west", "us-east", "ap-south")] == \
        ["13103/13104", "3275/3276", "335/336"]
    assert service["met"] is False and service["scopes"]["worst"] == "ap-south"
    credits = {c["scope"]: c for c in service["credits"]}
    assert set(credits) == {"us-east", "ap-south"}
    us, ap = credits["us-east"], credits["ap-south"]
    assert (us["kind"], us["percent"]["exact"], us["choice"]) == ("tiered", "10/1", "greater")
    assert (ap["kind"], ap["days"]["exact"], ap["worth_percent"]["exact"]) == ("bands", "10/1", "1010/31")
    assert ap["choice"] == "greater" and ap["capped"] is False
    assert us["claim_by"] == ap["claim_by"] == "2026-07-30"


@pytest.mark.parametrize("clause", ["downtime counts outages longer than 5m", "downtime in 5m intervals",
                                    "downtime weighted by impact", "measured per region"])
def test_the_sql_back_end_refuses_what_counts_as_downtime(tmp_path, clause):
    """The warehouse queries implement none of these: they must refuse (E801), never ignore."""
    (tmp_path / "c.sla").write_text(contract(clause), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--sql", str(tmp_path / "c.sla")])
    assert "error[E801]" in result.stdout and "`counting` of a service" in result.stdout
    plain = tmp_path / "plain.sla"
    plain.write_text(contract(), encoding="utf-8")
    assert "E801" not in CliRunner().invoke(cli, ["check", "--sql", str(plain)]).stdout
