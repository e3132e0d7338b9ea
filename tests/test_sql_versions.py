"""`eval --engine duckdb|spark` on a contract with versions gives the Python engine's output, byte
for byte.

Each ticket is judged by the version in effect when it was opened (docs/semantics.md "Versions"):
the routing is the runtime's, each version's part runs on the engine with that version's tables.
The tickets are biased to the version boundaries: opened exactly at a version's first instant
(local midnight in the contract's zone; on a DST day in New York), 1 s before and after, an hour
and a day around it, and outside every version (`not judged`, with the runtime's reason).
"""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl
from sladsl.cli import cli

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "support-versions.sla"
NOW = "2027-06-01T00:00:00+00:00"
# Versions in America/New_York: the first takes effect on the day clocks go forward (8 March
# 2026: local midnight is 05:00 UTC), the second on 1 July (04:00 UTC); none after 2026.
NEW_YORK = """contract "Edge versions" {
  effective 2026-03-08
  until 2026-06-30
  zone America/New_York
  calendar office = Mon-Fri 09:00-17:00 America/New_York
  priorities Urgent, Normal
  plan Standard {
    hours office
    priority Urgent respond 2h resolve 1 business day
    priority Normal respond 4h
  }
}

contract "Edge versions" {
  effective 2026-07-01
  until 2026-12-31
  zone America/New_York
  calendar office = Mon-Sat 08:00-18:00 America/New_York
  priorities Urgent, Normal
  plan Standard {
    hours office
    priority Urgent respond 1h resolve 2 business days
    priority Normal respond 3h
  }
}
"""


def _iso(t: int) -> str:
    return datetime.fromtimestamp(t, timezone.utc).isoformat()


def make_tickets(contract: Path, seed: int, count: int) -> list[dict]:
    rng = random.Random(seed)
    versions = sladsl.load(contract)
    bounds = sorted({t for e in versions.evaluators for t in e.IN_EFFECT if t is not None})
    rows = []
    for n in range(count):
        if rng.random() < 0.85:
            start = rng.choice(bounds) + rng.choice((-1, 0, 0, 1, 1, -3600, 3600, -86400, 86400))
        else:
            start = rng.randrange(bounds[0] - 20 * 86400, bounds[-1] + 20 * 86400)
        row = {"id": f"V{n}", "plan": "Standard", "priority": rng.choice(("Urgent", "Normal")),
               "opened_at": _iso(start)}
        event = start
        for field in ("first_response_at", "resolved_at"):
            if rng.random() < 0.7:
                event += rng.choice((1, 3599, 3600, 3601, 7200, 86400, 3 * 86400))
                row[field] = _iso(event)
        rows.append(row)
    return rows


def run_eval(contract: Path, tickets: Path, engine: str, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["eval", str(contract), "--tickets", str(tickets),
                                      "--now", NOW, "--engine", engine, *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """(contract, tickets) for the Acme example and the New York versions."""
    folder = tmp_path_factory.mktemp("versions")
    new_york = folder / "new_york.sla"
    new_york.write_text(NEW_YORK, encoding="utf-8")
    out = {}
    for name, contract, seed in (("acme", ACME, 7), ("new_york", new_york, 8)):
        tickets = folder / f"{name}.jsonl"
        tickets.write_text("".join(json.dumps(r) + "\n" for r in make_tickets(contract, seed, 120)),
                           encoding="utf-8")
        out[name] = (contract, tickets)
    return out


@pytest.mark.parametrize("name", ["acme", "new_york"])
def test_duckdb_judges_each_ticket_by_its_version_as_python_does(cases, name):
    contract, tickets = cases[name]
    for fmt in ("csv", "json"):
        python = run_eval(contract, tickets, "python", "--format", fmt)
        assert run_eval(contract, tickets, "duckdb", "--format", fmt) == python
    rows = run_eval(contract, tickets, "python", "--format", "csv")
    # The data reaches what it claims: tickets of every version and tickets no version covers.
    assert "no version of the contract is in effect at" in rows
    judged = [int(n) for n in re.findall(r": (\d+) ticket\(s\) judged", rows)]
    assert len(judged) == 2 and min(judged) > 0, judged


def test_duckdb_routes_by_due_as_python_does(cases):
    contract, tickets = cases["new_york"]
    extra = ("--format", "csv", "--version-by", "due")
    assert run_eval(contract, tickets, "duckdb", *extra) == run_eval(contract, tickets, "python", *extra)


def test_the_boundary_tickets_fall_to_the_right_version(cases):
    """By hand: opened at 04:59:59 UTC on 8 March 2026 (23:59:59 on the 7th in New York) no
    version is in effect; at 05:00:00 (local midnight) the first version judges (Urgent: 2 h of
    Mon-Fri office hours: Monday 9 March 09:00-11:00 EDT, due 11:00 -04:00)."""
    contract, _tickets = cases["new_york"]
    path = contract.parent / "two.jsonl"
    path.write_text(json.dumps({"id": "B", "plan": "Standard", "priority": "Urgent",
                                "opened_at": "2026-03-08T04:59:59+00:00"}) + "\n"
                    + json.dumps({"id": "A", "plan": "Standard", "priority": "Urgent",
                                  "opened_at": "2026-03-08T05:00:00+00:00"}) + "\n",
                    encoding="utf-8")
    out = run_eval(contract, path, "duckdb", "--format", "csv").splitlines()
    before = [line for line in out if line.startswith("B,")]
    at = [line for line in out if line.startswith("A,") and ",response," in line]
    assert len(before) == 1 and "not judged" in before[0]
    assert "no version of the contract is in effect at 2026-03-08T04:59:59Z" in before[0]
    assert len(at) == 1 and ",2026-03-09T11:00:00-04:00," in at[0]


def test_spark_judges_each_ticket_by_its_version(spark_session, cases):
    """On Spark the versions share one catalog: each version's tables are laid out again when
    the other's were loaded last (a few tickets: the engine's cost is per query)."""
    contract, tickets = cases["new_york"]
    few = tickets.parent / "few.jsonl"
    few.write_text("".join(tickets.read_text(encoding="utf-8").splitlines(True)[:30]),
                   encoding="utf-8")
    assert run_eval(contract, few, "spark", "--format", "csv") == \
        run_eval(contract, few, "python", "--format", "csv")


# -- uptime: each period judged whole by the version in effect when it began --------------------

ACME_INCIDENTS = [  # Europe/London: the second version takes effect on 1 March 2027 (00:00 GMT)
    ("2026-12-31T23:59:59+00:00", "2027-01-01T00:00:01+00:00"),
    ("2027-02-28T22:00:00+00:00", "2027-03-01T00:00:01+00:00"),  # 1 s into the second version
    ("2027-03-01T00:00:01+00:00", "2027-03-01T05:00:00+00:00"),  # touching it
    ("2027-03-31T23:00:00+00:00", "2027-04-01T00:30:00+00:00"),  # local midnight, summer time
]


def run_uptime(contract: Path, incidents: Path, period: str, engine: str, *extra: str):
    result = CliRunner().invoke(cli, ["uptime", str(contract), "--incidents", str(incidents),
                                      "--period", period, "--engine", engine, *extra])
    return result.exit_code, result.output


def test_duckdb_judges_each_period_by_its_version_as_python_does(tmp_path):
    rows = [{"service": "Hosting", "kind": "outage", "start": a, "end": b} for a, b in ACME_INCIDENTS]
    rows += [{"service": "Hosting", "kind": "outage", "start": a, "end": b}
             for a, b in (("2027-02-10T00:00:00+00:00", "2027-02-10T03:00:00+00:00"),
                          ("2027-03-10T00:00:00+00:00", "2027-03-10T04:00:00+00:00"))]
    incidents = tmp_path / "incidents.jsonl"
    incidents.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for period, extra in (("2027-Q1", ()), ("2027", ("--format", "json")), ("2026-12", ()),
                          ("2025-12", ()), ("2027-03", ("--billing", "annual"))):
        python = run_uptime(ACME, incidents, period, "python", *extra)
        assert python[0] == (2 if period == "2025-12" else 0), python[1]
        assert run_uptime(ACME, incidents, period, "duckdb", *extra) == python, period
    # March 2027 by the second version: 99.0% .. below 99.9% became 99.5% .. below 99.9%.
    assert "terms: the version in effect from 2027-03-01" in run_uptime(
        ACME, incidents, "2027-03", "duckdb")[1]
