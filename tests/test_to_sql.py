"""sladsl.to_sql: the calendar tables and the SQL written per dialect.

Each dialect's SQL is a golden file under tests/golden/sql/ (sqlglot does not validate what it
writes, so a change in it or in sqlglot shows up as a diff to review). Rewrite them with
`SLADSL_UPDATE_GOLDEN=1 python -m pytest tests/test_to_sql.py` and read the `git diff`; CI never
rewrites them. Expected table values below are worked out by hand from the contracts.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl
from sladsl import to_sql
from sladsl.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "sql"
UPDATE = os.environ.get("SLADSL_UPDATE_GOLDEN") == "1"
QISCUS = ROOT / "contracts" / "qiscus.sla"
ROCKSOFT = ROOT / "contracts" / "rocksoft.sla"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing {name}: run with SLADSL_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed: review, then rewrite"


NAMES = to_sql.SqlNames(tickets="helpdesk.tickets", pauses="helpdesk.ticket_pauses",
                        prefix="sla_", columns={"opened_at": "created_at", "addons": None})


@pytest.mark.parametrize("dialect", to_sql.DIALECTS)
def test_queries_per_dialect_are_golden(dialect):
    for name, tree in (("verdicts", to_sql.verdict_query(NAMES)),
                       ("summary", to_sql.summary_query(NAMES, "sla_verdicts")),
                       ("proportions", to_sql.proportion_query(NAMES, "sla_verdicts"))):
        check_golden(f"{dialect}/{name}.sql", to_sql.to_dialect(tree, dialect) + "\n")


@pytest.mark.parametrize("dialect", to_sql.DIALECTS)
def test_tables_per_dialect_are_golden(dialect):
    layout = to_sql.lay_out(sladsl.load(ROCKSOFT), (2026, 2026))
    small = to_sql.Layout()
    for name, (columns, rows) in layout.tables.items():
        small.add(name, columns, rows[:3])
    check_golden(f"{dialect}/tables.sql", to_sql.table_sql(small, NAMES, dialect))


def test_dialect_pieces_floor_never_round():
    # The hand-written pieces, not sqlglot's translation: BigQuery's DIV truncates, so the
    # dividend is made a multiple first; Snowflake floors an exact decimal quotient.
    text = {d: to_sql.to_dialect(to_sql.verdict_query(NAMES), d) for d in to_sql.DIALECTS}
    assert "UNIX_SECONDS(" in text["bigquery"] and "UNIX_SECONDS(" in text["spark"]
    assert "EPOCH_US(" in text["duckdb"] and "EPOCH(" not in text["duckdb"].replace("EPOCH_US(", "")
    assert "DATE_PART(EPOCH_MICROSECOND" in text["snowflake"]
    assert "EXTRACT(EPOCH FROM" in text["postgres"]
    assert "PMOD(" in text["spark"] and "DIV(" in text["bigquery"]


def test_duckdb_floor_pieces_on_negative_and_fractional_instants():
    duckdb = pytest.importorskip("duckdb")
    query = to_sql.to_dialect(
        to_sql.sqlglot.parse_one("SELECT SLA_EPOCH(t) AS e, SLA_FDIV(n, 86400) AS d FROM x",
                                 read="duckdb"), "duckdb")
    con = duckdb.connect()
    con.execute("CREATE TABLE x AS SELECT * FROM (VALUES "
                "(TIMESTAMP '1969-12-31 23:59:59.5', -1), (TIMESTAMP '2026-05-04 09:00:00.999999',"
                " 86400), (TIMESTAMP '2026-05-04 09:00:00', -86401)) AS v(t, n)")
    # Truncated toward the past: -0.5 s is second -1; 86400 -> day 1; -86401 -> day -2.
    assert con.execute(query).fetchall() == [(-1, -1), (1777885200, 1), (1777885200, -2)]


def test_calendar_tables_by_hand():
    # Rocksoft `phone` calendar: Mon-Fri 09:00-18:00 Asia/Kuala_Lumpur (UTC+8), Malaysian
    # holidays. 2026-05-04 is a Monday: the window is 01:00-10:00 UTC = 1777856400..1777888800.
    layout = to_sql.lay_out(sladsl.load(ROCKSOFT), (2026, 2026))
    columns, rows = layout.tables["segments"]
    phone = [dict(zip(columns, r)) for r in rows if r[0] == "phone"]
    monday = next(r for r in phone if r["seg_start"] == 1777856400)
    assert monday["seg_end"] == 1777888800 and monday["slope"] == 1
    # The gap before it starts at Friday's close (2026-05-01 is Labour Day: Thursday 04-30).
    gap = next(r for r in phone if r["seg_end"] == 1777856400)
    assert gap["slope"] == 0 and gap["cum"] == monday["cum"]
    assert gap["seg_start"] == int(datetime(2026, 4, 30, 10, tzinfo=timezone.utc).timestamp())
    # cum_index: the window's cumulative business time is its cum + 9 h at the close.
    columns, rows = layout.tables["cum_index"]
    entry = next(dict(zip(columns, r)) for r in rows if r[0] == "phone" and r[2] == 1777856400)
    assert entry["cum_end"] - entry["cum_before"] == 9 * 3600


def test_lookup_is_the_evaluators():
    ev = sladsl.load(QISCUS)
    layout = to_sql.lay_out(ev, (2026, 2026))
    rows = layout.tables["lookup"][1]
    targets = {r[0]: dict(zip(layout.tables["targets"][0], r))
               for r in layout.tables["targets"][1]}
    lookup = {(r[0], r[1], r[2], r[3], r[4]): r[5] for r in rows}
    # Qiscus Premium Critical: respond 1h, resolve 8h in office hours (the seed's Annex A).
    found = targets[lookup[("Premium", "Critical", "", "", "response")]]
    assert (found["seconds"], found["calendar"], found["target_text"]) == (3600, "office", "1h")
    found = targets[lookup[("Basic", "Low", "", "", "response")]]
    assert (found["business_days"], found["best_effort"]) == (2, 1)


def test_sql_command_writes_files(tmp_path):
    # Two dialects end to end (each lays the calendars out again); all five are golden above.
    for dialect in ("duckdb", "bigquery"):
        out = tmp_path / dialect
        result = CliRunner().invoke(cli, ["sql", str(ROCKSOFT), "--dialect", dialect, "-o",
                                          str(out), "--years", "2026", "--table",
                                          "tickets=raw.tickets", "--column",
                                          "opened_at=created_at"])
        assert result.exit_code == 0, result.output
        names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
        assert "verdicts.sql" in names and "tables.sql" in names
        assert "data/sla_segments.csv" in names
        assert "raw.tickets" in (out / "verdicts.sql").read_text()


def test_sql_command_rejects_bad_names(tmp_path):
    result = CliRunner().invoke(cli, ["sql", str(ROCKSOFT), "--dialect", "duckdb",
                                      "--column", "opened=created_at"])
    assert result.exit_code == 2 and "unknown name `opened`" in result.output
    result = CliRunner().invoke(cli, ["sql", str(ROCKSOFT), "--dialect", "duckdb",
                                      "--prefix", "x; drop"])
    assert result.exit_code == 2


def test_hostile_names_stay_identifiers():
    names = to_sql.SqlNames(tickets="t", columns={"opened_at": 'a"; DROP TABLE x; --'})
    text = to_sql.to_dialect(to_sql.verdict_query(names), "postgres")
    assert '"a""; DROP TABLE x; --"' in text


def test_emitted_duckdb_sql_runs_and_agrees_with_the_runtime(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["sql", str(QISCUS), "--dialect", "duckdb", "-o", str(out),
                                      "--years", "2026"])
    assert result.exit_code == 0, result.output
    con = duckdb.connect()
    con.execute((out / "tables.sql").read_text())
    # Qiscus Premium Critical opened Friday 2026-05-08 16:30 +07:00 (seed example): 30 min on
    # Friday, 30 min on Monday -> response due Monday 2026-05-11 09:30 +07:00; answered then.
    con.execute("CREATE TABLE tickets AS SELECT 'Q-1' AS id, 'Premium' AS plan, "
                "'Critical' AS priority, 'Helpdesk' AS channel, NULL AS addons, "
                "TIMESTAMPTZ '2026-05-08 16:30:00+07' AS opened_at, "
                "TIMESTAMPTZ '2026-05-11 09:30:00+07' AS first_response_at, "
                "CAST(NULL AS TIMESTAMPTZ) AS resolved_at")
    con.execute("CREATE TABLE ticket_pauses (ticket_id VARCHAR, paused_from TIMESTAMPTZ, "
                "paused_to TIMESTAMPTZ)")
    for name in ("verdicts", "summary", "proportions"):
        con.execute((out / f"{name}.sql").read_text())
    due, status = con.execute("SELECT due, status FROM sla_verdicts "
                              "WHERE metric = 'response'").fetchone()
    assert due == int(datetime.fromisoformat("2026-05-11T09:30:00+07:00").timestamp())
    assert status == "met"
    assert con.execute("SELECT met, breached FROM sla_summary "
                       "WHERE metric = 'response'").fetchone() == (1, 0)
