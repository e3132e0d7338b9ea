"""`sladsl uptime --engine duckdb|spark` gives the Python engine's answers, byte for byte.

Differential tests (issue 16): the runtime (`Evaluator.availability_periods`) is the oracle, and
the incidents are biased toward the edges where availability SQL goes wrong: outages starting
and ending at period bounds +-1 s, overlapping and touching outages, DST weeks and months in
three zones, report and detection instants before, inside and after an outage, exclusions over
outages, maintenance inside and outside office hours whose total is exactly the allowance +-1 s,
downtime exactly at every tier bound and the target +-1 s, per-outage downtime beyond the grace
at exact multiples of the credit period. `test_the_tests_bite` breaks one SQL rule at a time.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from fractions import Fraction
from itertools import chain
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl
from sladsl import to_sql_availability
from sladsl.cli import cli
from sladsl.data import Incident

ROOT = Path(__file__).resolve().parent.parent
UPTIME = ROOT / "tests" / "sql" / "uptime.sla"
CONTRACTS = ("haisoft", "qiscus", "rocksoft", "vhostweb")
UTC = timezone.utc
SPAN = (datetime(2025, 12, 29, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC))


def _iso(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat()


def _periods(ev, service: str) -> list[tuple[int, int]]:
    from sladsl.runtime import availability as av

    entry = ev.spec["services"][service]
    zone = ev._zone(entry["zone"])
    pieces = av.periods_overlapping(entry["period"], SPAN, zone, entry["first_month"])
    return [(int(a.timestamp()), int(b.timestamp())) for a, b in pieces]


def _thresholds(entry) -> list[Fraction]:
    """The uptime percentages where an answer changes: the target and every printed tier bound."""
    out = {Fraction(entry["target_percent"])}
    for scheme in entry["credits"]:
        for low, high, *_rest in scheme.get("rows", ()):
            out |= {Fraction(x) for x in (low, high) if x is not None}
    return sorted(out)


def _office_bounds(ev) -> list[int]:
    cal = ev.calendar("office") if "office" in ev.spec["calendars"] else None
    if cal is None:
        return []
    cal.cover(2026, 2027)
    opens, closes, _c, _e = cal.table()
    return [t for pair in zip(opens, closes) for t in pair if 1766000000 <= t < 1800000000]


def make_incidents(ev, seed: int, per_service: int = 40) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []
    office = _office_bounds(ev)

    def add(service, kind, a, b, **extra):
        row = {"start": _iso(a), "end": _iso(max(a, b)), "kind": kind, "service": service}
        row.update({k: _iso(v) for k, v in extra.items()})
        rows.append(row)

    for service, entry in sorted(ev.spec["services"].items()):
        if entry["target_percent"] is None:
            continue
        periods = _periods(ev, service)
        # Periods in fours: quiet, noisy (outages may spill 1 s into its quiet neighbours),
        # quiet, edge (one outage, nothing else).
        edge_periods = periods[3::4]
        noise = periods[1::4]
        # One outage per edge period whose downtime is exactly a threshold's, +-1 s.
        edges = [(x, d) for d in (0, -1, 1) for x in reversed(_thresholds(entry))]
        for (a, b), (x, offset) in zip(edge_periods, edges * 4):
            down = (b - a) * (100 - x) / 100
            length = int(down) + offset if down.denominator == 1 else int(down) + max(0, offset)
            start = a + rng.choice((0, 3600, (b - a) // 2))
            add(service, "outage", start, start + max(1, length))
        allowance = (entry["maintenance"] or {}).get("allowance") or 3600
        for n, (a, b) in enumerate(periods[2::4]):  # maintenance of exactly the allowance +-1 s
            add(service, "maintenance", a + 7200, a + 7200 + allowance + (0, 1, -1)[n % 3])
        for _ in range(per_service):
            a, b = rng.choice(noise)
            start = rng.choice((a, b, a + (b - a) // 3)) + rng.choice((-1, 0, 1, -3600, 600))
            length = rng.choice((1, 1799, 1800, 1801, 5400, 9000, 3 * 3600, 2 * 86400))
            extra = {}
            if rng.random() < 0.5:
                extra["reported_at"] = start + rng.choice((-60, 0, 1, 900, length, length + 5))
            if rng.random() < 0.5:
                extra["detected_at"] = start + rng.choice((-1, 0, 300, length - 1, length))
            add(service, "outage", start, start + length, **extra)
            roll = rng.random()
            if roll < 0.25:  # overlapping or touching the previous outage
                nxt = start + rng.choice((0, length, length - 1, length + 1, length // 2))
                add(service, "outage", nxt, nxt + rng.choice((1, 1800, 4000)))
            elif roll < 0.4:
                x = start + rng.choice((-600, 0, 60, length // 2))
                add(service, "excluded", x, x + rng.choice((1, 600, length)))
            elif roll < 0.6:
                near = [t for t in office if a + 3600 <= t < b - 2 * 86400]
                m = rng.choice(near) + rng.choice((-1800, -1, 0, 1, 600)) if near \
                    else a + rng.choice((0, 1, 3600))
                add(service, "maintenance", m, m + rng.choice(
                    (allowance - 1, allowance, allowance + 1, allowance // 2, 1800)))
    # Rows naming no service count for every service: a few, in the first period of each (the
    # week of 2025-12-22 lies in it for every period kind), away from the exact edges.
    for n in range(6):
        start = 1766448000 + n * 80000 + rng.choice((0, 1, 1799))
        add("", "outage", start, start + rng.choice((1, 1800, 7200)),
            **({"detected_at": start + 60} if n % 2 else {}))
    return rows


def incidents_of(rows) -> list[Incident]:
    def micros(text):
        return None if text is None else int(datetime.fromisoformat(text).timestamp()) * 1_000_000

    return [Incident(n, micros(r["start"]), micros(r["end"]), r["kind"], micros(r.get("reported_at")),
                     micros(r.get("detected_at")), r["service"] or None)
            for n, r in enumerate(rows, 2)]


def _plain(value):
    """An answer as comparable data: instants as ISO text (with their offset), numbers exact."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return (type(value).__name__, str(value))
    return value


def python_and_sql(ev, incidents, engine="duckdb", billing="monthly", now=None):
    """[(service, Python's answer, the engine's answer)] for every service with a target."""
    return list(compared(ev, incidents, engine, billing, now))


def compared(ev, incidents, engine="duckdb", billing="monthly", now=None):
    """`python_and_sql`, a service at a time."""
    from sladsl.sql_engine import SqlUptime

    for service, entry in sorted(ev.spec["services"].items()):
        if entry["target_percent"] is None:
            continue
        # one service per engine run: each service is asked for its own whole periods, and a
        # runner answers every service it was given for each new question
        runner = SqlUptime(ev, engine, incidents, services=[service])
        mine = [i for i in incidents if i.service in (None, service)]
        outages = [i.as_mapping() for i in mine if i.kind == "outage"]
        spans = {k: [(datetime.fromtimestamp(i.start // 10**6, UTC),
                      datetime.fromtimestamp(i.end // 10**6, UTC)) for i in mine if i.kind == k]
                 for k in ("excluded", "maintenance")}
        periods = _periods(ev, service)
        whole = (datetime.fromtimestamp(periods[0][0], UTC), datetime.fromtimestamp(periods[-1][1], UTC))
        args = (service, whole, outages, spans["excluded"])
        expected = ev.availability_periods(*args, maintenance=spans["maintenance"], billing=billing,
                                           now=now)
        got = runner.report(*args, spans["maintenance"], billing, now)
        runner.close()
        yield service, _plain(expected), _plain(got)


@pytest.fixture(scope="module")
def edge_case():
    ev = sladsl.load(UPTIME)
    return ev, incidents_of(make_incidents(ev, 16))


@pytest.mark.parametrize("billing", ["monthly", "annual"])
def test_duckdb_equals_python_on_edge_incidents(edge_case, billing):
    ev, incidents = edge_case
    now = datetime(2027, 3, 5, 12, 0, tzinfo=UTC) if billing == "annual" else None
    for service, expected, got in python_and_sql(ev, incidents, billing=billing, now=now):
        if expected != got:  # the first differing period, readably
            for a, b in zip(expected["periods"], got["periods"]):
                assert a == b, service
        assert expected == got, service


@pytest.mark.parametrize("contract", CONTRACTS)
def test_every_contract_with_availability_equals_python(contract):
    ev = sladsl.load(ROOT / "contracts" / f"{contract}.sla")
    incidents = incidents_of(make_incidents(ev, 3, per_service=25))
    for billing in ("monthly", "annual"):
        for service, expected, got in python_and_sql(ev, incidents, billing=billing):
            assert expected == got, (contract, service, billing)


def test_the_edge_incidents_reach_the_edges(edge_case):
    """The data holds what it claims: met and missed periods, every credit kind, tier rows of
    every table, capped credits, maintenance counted and excused."""
    ev, incidents = edge_case
    answers = [p for service, entry in sorted(ev.spec["services"].items())
               for p in ev.availability_periods(
                   service, (datetime.fromtimestamp(_periods(ev, service)[0][0], UTC),
                             datetime.fromtimestamp(_periods(ev, service)[-1][1], UTC)),
                   [i.as_mapping() for i in incidents if i.kind == "outage"
                    and i.service in (None, service)])["periods"]]
    assert {a["met"] for a in answers} == {True, False}
    credits = [c for a in answers for c in a["credits"]]
    assert {c["kind"] for c in credits} == {"tiered", "per_outage", "extension"}
    assert any(c["capped"] for c in credits)
    rules = {c["rule"].split(" (gaps")[0].split("the row ")[-1] for c in credits
             if c["kind"] == "tiered"}
    assert len(rules) >= 4, rules


def run_uptime(contract: Path, incidents: Path, period: str, engine: str, *extra) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["uptime", str(contract), "--incidents", str(incidents),
                                      "--period", period, "--engine", engine, *extra])
    return result.exit_code, result.output


def _write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("contract", CONTRACTS + ("uptime",))
def test_the_cli_output_is_the_same_bytes(tmp_path, contract):
    path = UPTIME if contract == "uptime" else ROOT / "contracts" / f"{contract}.sla"
    ev = sladsl.load(path)
    rows = make_incidents(ev, 5, per_service=15)
    example = ROOT / "examples" / f"incidents-{contract}.csv"
    files = [_write(tmp_path / "i.jsonl", rows)] + ([example] if example.exists() else [])
    services = [s for s, e in sorted(ev.spec["services"].items()) if e["target_percent"]]
    runs = [("2026", ["--format", "json"]), ("2026", ["--billing", "annual"])]
    if contract == "uptime":  # a service per run: their periods differ
        runs = [("2026", ["--service", "Monthly", "--format", "json"]),
                ("2026", ["--service", "Fiscal", "--now", "2026-09-01T00:00:00Z"]),  # refused
                ("2026-Q2", ["--service", "Fiscal", "--now", "2026-07-15T00:00:00Z"]),
                ("2026", ["--service", "Yearly"]),
                ("2026-W11", ["--service", "Weekly", "--format", "json"]),
                ("2026-W45", ["--service", "Weekly"])]
    assert services
    for incidents in files:
        for period, extra in runs:
            python = run_uptime(path, incidents, period, "python", *extra)
            assert python[0] in (0, 2), python[1]
            assert run_uptime(path, incidents, period, "duckdb", *extra) == python


MUTATIONS = [
    # a tier bound written `..98.9%` taken as strictly below
    ("v.up_scaled * b.hi_den < b.hi_num * v.total", "v.up_scaled * b.hi_den <= b.hi_num * v.total"),
    # the target met only strictly above it
    ("100 * (d.total - d.down) * v.target_den >= v.target_num * d.total",
     "100 * (d.total - d.down) * v.target_den > v.target_num * d.total"),
    # touching outages not merged (two outages for the per-outage credit)
    ("CASE WHEN a <= MAX(b) OVER (PARTITION BY service, label, counts",
     "CASE WHEN a < MAX(b) OVER (PARTITION BY service, label, counts"),
    # `earliest(report, detection)` read as the later of them
    ("(pick = 'min' AND cr <= cd)", "(pick = 'min' AND cr >= cd)"),
    # maintenance of exactly the allowance counted as downtime
    ("CASE WHEN eligible > allowance", "CASE WHEN eligible >= allowance"),
    # a whole credit period ending exactly at the outage's end not counted
    ("ELSE SLA_FDIV(w.down - s.grace, s.credit_period)",
     "ELSE SLA_FDIV(w.down - s.grace - 1, s.credit_period)"),
    # an outage across a period end credited by its largest piece (clipped to one period)
    ("SELECT service, MIN(began) AS began, SUM(down) AS down",
     "SELECT service, MIN(began) AS began, MAX(down) AS down"),
]


@pytest.mark.parametrize("original, broken", MUTATIONS)
def test_the_tests_bite(edge_case, monkeypatch, original, broken):
    ev, incidents = edge_case
    stages = to_sql_availability.STAGES
    assert sum(original in text for text, _reads in stages.values()) == 1
    monkeypatch.setattr(to_sql_availability, "STAGES", {
        view: (text.replace(original, broken), reads) for view, (text, reads) in stages.items()})
    # compared a service at a time, stopping at the first difference
    results = chain(compared(ev, incidents), compared(ev, incidents, billing="annual"))
    assert any(expected != got for _s, expected, got in results)


def test_a_clause_the_sql_cannot_compute_is_refused(tmp_path):
    """A maintenance allowance per week on a service judged per quarter (the allowance spans
    periods) is refused with E801 by `uptime --engine duckdb`, never approximated; the other
    service of the contract runs."""
    contract = ROOT / "tests" / "cases" / "periods" / "good" / "periods.sla"
    incidents = _write(tmp_path / "i.jsonl", [{"start": "2026-03-01T00:00:00Z",
                                               "end": "2026-03-01T01:00:00Z", "kind": "outage"}])
    code, output = run_uptime(contract, incidents, "2026", "duckdb", "--service", "Compute")
    assert code != 0
    assert "error[E801]" in output and "an allowance per week" in output
    assert run_uptime(contract, incidents, "2026", "python", "--service", "Compute")[0] == 0
    storage = ["--service", "Storage", "--format", "json"]
    assert run_uptime(contract, incidents, "2026-W10", "duckdb", *storage) == \
        run_uptime(contract, incidents, "2026-W10", "python", *storage)


# -- Spark: one differential run on the session the eval tests start ------------------------------

def test_spark_equals_python(spark_session, edge_case):
    ev, incidents = edge_case
    for service, expected, got in python_and_sql(ev, incidents[:60], engine="spark"):
        assert expected == got, service


def test_a_dated_contract_is_judged_alike_by_the_sql_engines(tmp_path):
    """A dated contract judges each period by the version in effect when it began (docs/
    semantics.md "Versions"); a period that began before it is the same error on every engine."""
    contract = tmp_path / "dated.sla"
    contract.write_text('contract "Hosting" {\n  effective 2026-03-15\n  zone UTC\n'
                        '  service Web {\n    availability 99.5% per month\n  }\n}\n',
                        encoding="utf-8")
    incidents = _write(tmp_path / "i.jsonl", [{"start": "2026-04-01T00:00:00Z",
                                               "end": "2026-04-01T01:00:00Z", "kind": "outage"}])
    for period in ("2026-04", "2026-03"):
        python = run_uptime(contract, incidents, period, "python")
        assert python[0] == (0 if period == "2026-04" else 2)
        assert run_uptime(contract, incidents, period, "duckdb") == python


# -- per-outage credits: an outage is credited whole in the period in which it started -------------
#
# docs/semantics.md "Per-period credits", by hand. HaiSoft's Network (Europe/Paris): 3.3 % of the
# monthly fee per started hour beyond the first, at most 50 % a month; maintenance is excluded
# (the contract sets no allowance). Each outage crosses a month end.
HAISOFT = ROOT / "contracts" / "haisoft.sla"
ACROSS_MONTHS = [
    # 6 h: March, 5 periods beyond the first hour = 16.5 % (not 3 h in March and 3 h in April)
    ("outage", "2026-03-31T21:00:00+02:00", "2026-04-01T03:00:00+02:00"),
    # 20 h: April, 19 periods = 62.7 %, capped at 50 % in April; nothing in May
    ("outage", "2026-04-30T20:00:00+02:00", "2026-05-01T16:00:00+02:00"),
    # 6 h less 1 h of maintenance in June: May, 5 h = 4 periods = 13.2 %
    ("outage", "2026-05-31T22:00:00+02:00", "2026-06-01T04:00:00+02:00"),
    ("maintenance", "2026-06-01T01:00:00+02:00", "2026-06-01T02:00:00+02:00"),
]
# month -> (downtime seconds, clipped to the month; the per-outage credit: percent, periods, capped)
ACROSS_MONTHS_EXPECTED = {
    1: (0, None), 2: (0, None),
    3: (3 * 3600, (Fraction(33, 2), 5, False)),
    4: (3 * 3600 + 4 * 3600, (Fraction(50), 19, True)),
    5: (16 * 3600 + 2 * 3600, (Fraction(66, 5), 4, False)),
    6: (4 * 3600 - 3600, None),
}


def _across_months(engine: str, period: str, rows=ACROSS_MONTHS) -> dict:
    from sladsl.sql_engine import SqlUptime

    ev = sladsl.load(HAISOFT)
    incidents = incidents_of([{"kind": k, "start": a, "end": b, "service": "Network"}
                              for k, a, b in rows])
    outages = [i.as_mapping() for i in incidents if i.kind == "outage"]
    works = [(datetime.fromtimestamp(i.start // 10**6, UTC), datetime.fromtimestamp(i.end // 10**6, UTC))
             for i in incidents if i.kind == "maintenance"]
    if engine == "python":
        return ev.availability_periods("Network", period, outages, [], maintenance=works)
    runner = SqlUptime(ev, engine, incidents, services=["Network"])
    try:
        return runner.report("Network", period, outages, [], works, "monthly", None)
    finally:
        runner.close()


def _month_figures(answer) -> dict:
    out = {}
    for piece in answer["periods"]:
        credits = [(c["percent"], c["periods"], c["capped"]) for c in piece["credits"]
                   if c["kind"] == "per_outage"]
        out[piece["period_start"].month] = (piece["downtime_seconds"], credits[0] if credits else None)
    return out


@pytest.mark.parametrize("engine", ["python", "duckdb", "spark"])
def test_an_outage_across_a_month_end_is_credited_whole_where_it_started(request, engine):
    if engine == "spark":
        request.getfixturevalue("spark_session")
    assert _month_figures(_across_months(engine, "2026")) == {
        **ACROSS_MONTHS_EXPECTED, **{m: (0, None) for m in range(7, 13)}}


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_outage_begun_before_the_asked_period_is_not_credited_in_it(engine):
    """`uptime --period 2026-Q2` with the March outage: April counts its 3 h of downtime but
    credits nothing for it (it is March's credit); April's own outage is credited."""
    figures = _month_figures(_across_months(engine, "2026-Q2"))
    assert figures == {4: ACROSS_MONTHS_EXPECTED[4], 5: ACROSS_MONTHS_EXPECTED[5],
                       6: ACROSS_MONTHS_EXPECTED[6]}
    alone = _month_figures(_across_months(engine, "2026-04", ACROSS_MONTHS[:1]))
    assert alone == {4: (3 * 3600, None)}
