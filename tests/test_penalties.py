"""Penalties on ticket breaches (docs/semantics.md "Penalties on ticket breaches").

The expected counts are the docs' worked example, by hand: Critical first responses due within
1 hour of 24x7 time, fiscal quarters from February, judged at 3 February 2026 10:30 UTC. The
generated module, `sladsl.load()` and `sladsl eval --penalties` (the batch path) answer alike.
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
from tests.generated import compiled, generated_module

CONTRACT = """contract "Support" {
  zone UTC
  priorities Critical, Low
  respond 4h within 24x7
  priority Critical respond 1h within 24x7
  penalty more than 1 breaches of respond priority Critical per quarter fiscal from Feb -> 20% of monthly fee
}
"""
ROWS = """id,priority,opened_at,first_response_at
1,Critical,2026-01-10T10:00:00Z,2026-01-10T12:00:00Z
2,Critical,2026-01-20T10:00:00Z,2026-01-20T12:00:00Z
3,Critical,2026-02-02T10:00:00Z,2026-02-02T12:00:00Z
4,Critical,2026-02-03T10:00:00Z,
5,Low,2026-01-04T10:00:00Z,2026-01-04T20:00:00Z
6,Critical,2026-02-01T10:00:00Z,2026-02-01T10:30:00Z
"""
NOW = "2026-02-03T10:30:00Z"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def tickets(now: str) -> list[dict]:
    out = []
    for line in ROWS.splitlines()[1:]:
        ident, priority, opened, responded = line.split(",")
        ticket = {"id": ident, "priority": priority, "opened_at": utc(opened), "now": utc(now)}
        if responded:
            ticket["first_response_at"] = utc(responded)
        out.append(ticket)
    return out


def evaluators(tmp_path):
    path = tmp_path / "support.sla"
    path.write_text(CONTRACT, encoding="utf-8")
    return sladsl.load(path), generated_module(compiled(CONTRACT, "support.sla"), CONTRACT, tmp_path)


def periods(report) -> dict:
    (penalty,) = report
    return {p["period"]: (p["breached"], p["met"], p["pending"], p["not_judged"], p["owed"])
            for p in penalty["periods"]}


@pytest.mark.parametrize("now, expected", [
    (NOW, {"2025-Q4": (2, 0, 0, 0, True), "2026-Q1": (1, 1, 1, 0, False)}),
    ("2026-02-03T11:00:01Z", {"2025-Q4": (2, 0, 0, 0, True), "2026-Q1": (2, 1, 0, 0, True)}),
])
def test_worked_example(tmp_path, now, expected):
    loaded, generated = evaluators(tmp_path)
    report = loaded.penalties(tickets(now))
    assert generated.penalties(tickets(now)) == report
    assert periods(report) == expected
    owed = [p["amount"] for p in report[0]["periods"] if p["owed"]]
    assert owed[0] == ("percent", F(20), "monthly", "20% of monthly fee")


def _eval(tmp_path, *args):
    (tmp_path / "c.sla").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "t.csv").write_text(ROWS, encoding="utf-8")
    return CliRunner().invoke(cli, ["eval", str(tmp_path / "c.sla"), "--tickets", str(tmp_path / "t.csv"),
                                    "--now", NOW, "--penalties", *args], catch_exceptions=False)


def test_eval_penalties_agrees_with_the_embedding(tmp_path):
    result = _eval(tmp_path, "--format", "json")
    assert result.exit_code == 0, result.output
    (penalty,) = json.loads(result.stdout)["penalties"]
    got = {p["period"]: (p["breached"], p["met"], p["pending"], p["not_judged"], p["owed"])
           for p in penalty["periods"]}
    assert got == periods(sladsl.load(tmp_path / "c.sla").penalties(tickets(NOW)))
    text = _eval(tmp_path).stdout
    assert "  2025-Q4: 2 breached, 0 met, 0 pending, 0 not judged: owed 20% of monthly fee" in text
    assert "  2026-Q1: 1 breached, 1 met, 1 pending, 0 not judged: not owed" in text
    csv = _eval(tmp_path, "--format", "csv").stdout.splitlines()
    assert csv[0] == "penalty,source_line,period,breached,met,pending,not_judged,owed,amount"
    assert csv[1].endswith(",6,2025-Q4,2,0,0,0,yes,20% of monthly fee")


def test_eval_penalties_is_refused_where_it_means_nothing(tmp_path):
    (tmp_path / "n.sla").write_text(CONTRACT.replace(CONTRACT.splitlines()[5] + "\n", ""), encoding="utf-8")
    (tmp_path / "t.csv").write_text(ROWS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "n.sla"), "--tickets", str(tmp_path / "t.csv"),
                                      "--penalties"])
    assert result.exit_code == 2 and "states no `penalty`" in result.output
    result = _eval(tmp_path, "--engine", "duckdb")
    assert result.exit_code != 0 and "E801" in result.output


def test_the_document_states_the_penalty():
    document = render(compile_text(CONTRACT, "c.sla").contract)
    assert ("If more than 1 first responses to Critical tickets miss their target in a quarter (fiscal "
            "quarters starting in February), we credit 20% of the monthly fee for that quarter.") in document
    assert "is not counted as missed" in document


def test_diff_sees_a_penalty_change(tmp_path):
    (tmp_path / "a.sla").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "b.sla").write_text(CONTRACT.replace("more than 1", "more than 4"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(tmp_path / "a.sla"), str(tmp_path / "b.sla")])
    assert result.exit_code == 1, result.output
    assert "contract: penalty added: more than 4 breaches of respond" in result.output


def test_fiscal_labels():
    from sladsl.runtime.penalties import period_label

    jan = datetime(2026, 1, 20, tzinfo=timezone.utc)
    assert [period_label(k, jan, 2) for k in ("quarter", "year", "month", "week")] == \
        ["2025-Q4", "2025", "2026-01", "2026-W04"]


def test_versions_count_each_ticket_under_the_version_it_was_opened_in(tmp_path):
    # From 1 February the threshold is 0: ticket 3 (breached, opened 2 February) alone owes it.
    later = CONTRACT.replace('  zone UTC\n', '  effective 2026-02-01\n  zone UTC\n').replace("more than 1", "more than 0")
    earlier = CONTRACT.replace('  zone UTC\n', '  effective 2025-01-01\n  zone UTC\n')
    path = tmp_path / "v.sla"
    path.write_text(earlier + "\n" + later, encoding="utf-8")
    reports = sladsl.load(path).penalties(tickets(NOW))
    assert [(r["version"].isoformat(), r["more_than"]) for r in reports] == [("2025-01-01", 1), ("2026-02-01", 0)]
    assert periods([reports[0]]) == {"2025-Q4": (2, 0, 0, 0, True)}
    assert periods([reports[1]]) == {"2026-Q1": (1, 1, 1, 0, True)}
