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
from hypothesis import given, settings
from hypothesis import strategies as st

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


_CELLS = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1),
                   st.text(max_size=12),
                   st.sampled_from(["it's", "a\\b", "x'; DROP TABLE t; --", "l\nm", "\u00e9t\u00e9", ""]))


@settings(max_examples=25)
@given(rows=st.lists(st.tuples(_CELLS, _CELLS, _CELLS), min_size=2, max_size=6))
def test_spliced_rows_are_sqlglots_own_text(rows):
    """`table_sql` writes a table's rows beside the first one instead of asking sqlglot for the
    whole statement; on hostile strings, negative and large integers, booleans and NULLs the text
    is sqlglot's, byte for byte, in every dialect, and the splice is taken (no fallback)."""
    target = to_sql.SqlNames().table("segments")
    columns = ["calendar", "day", "note"]
    for dialect in to_sql.DIALECTS:
        whole = to_sql._create_statement(target, columns, rows, dialect)
        assert to_sql._create_table(target, columns, rows, dialect) == whole, dialect
        first = to_sql._RowWriter(columns, dialect)(rows[0])
        assert to_sql._create_statement(target, columns, rows[:1], dialect).count(first) == 1


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


# -- availability and credits (sladsl.to_sql_availability) ----------------------------------------

VHOSTWEB = ROOT / "contracts" / "vhostweb.sla"
HAISOFT = ROOT / "contracts" / "haisoft.sla"
AV_NAMES = to_sql.SqlNames(incidents="ops.incidents", prefix="sla_",
                           columns={"start": "started_at", "end": "ended_at", "service": None})


@pytest.mark.parametrize("dialect", to_sql.DIALECTS)
def test_availability_queries_per_dialect_are_golden(dialect):
    from sladsl import to_sql_availability as avsql

    for file, view in avsql.VIEW_FILES.items():  # the chain of views `sladsl sql` writes
        check_golden(f"{dialect}/{file}", to_sql.to_dialect(avsql.stage_query(view, AV_NAMES),
                                                            dialect) + "\n")


def test_availability_tables_by_hand():
    from sladsl import to_sql_availability as avsql

    ev = sladsl.load(VHOSTWEB)
    layout = to_sql.render(ev, "duckdb", to_sql.SqlNames(), (2026, 2026))
    periods = layout["data/sla_av_periods.csv"].splitlines()
    # Asia/Bangkok (UTC+7, no DST): April 2026 from 2026-03-31T17:00Z, 30 days.
    assert "Web hosting,2026-04,1774976400,1777568400" in periods
    assert len(periods) == 1 + 12
    bands = [dict(zip(avsql.AV_TABLES["av_bands"], line.split(",")))
             for line in layout["data/sla_av_bands.csv"].splitlines()[1:]]
    # `99.0%..99.9% -> 5%`: from 99 (inclusive) up to the 99.9 % target (exclusive: the target
    # is met there); the gap 98.9..99.0 favours the customer, so it earns the 10 % row's credit.
    def band(lo, lo_incl, hi, hi_incl):
        key = (*(lo.split("/") if lo else ("", "")), lo_incl, *hi.split("/"), hi_incl)
        found = [(b["row_index"], b["credit_k"]) for b in bands
                 if (b["lo_num"], b["lo_den"], b["lo_incl"], b["hi_num"], b["hi_den"],
                     b["hi_incl"]) == key]
        return found[0] if found else None

    assert band("99/1", "1", "999/10", "0") == ("0", "5")  # 99.0 inclusive .. the target
    assert band("98/1", "1", "99/1", "0") == ("1", "10")  # the row 98.0..98.9 and the gap
    assert band("", "0", "90/1", "0") == ("4", "30")  # `..89.9%` and the gap below 90
    assert all(b["hi_num"] + "/" + b["hi_den"] != "999/10" or b["hi_incl"] == "0" for b in bands)
    services = layout["data/sla_av_services.csv"].splitlines()[1]
    # 99.9 % = 999/10; earliest(report, detection); maintenance 8 h per month, all of it counts
    # past the allowance, inside `office` hours it is not excused.
    assert services == "Web hosting,999,10,min,0,1,1,all,28800,office"


def test_per_outage_amounts_are_exact_integers():
    ev = sladsl.load(HAISOFT)
    files = to_sql.render(ev, "duckdb", to_sql.SqlNames(), (2026, 2026))
    schemes = files["data/sla_av_schemes.csv"].splitlines()
    # 3.3 % of the monthly fee per started hour beyond 1 h, capped at 50 %: in tenths of a
    # percent, 33 per period and 500 at most; annual: 0.27 % per period, capped at 1/24 of the
    # annual fee (in 1/300ths of a percent: 0.27 % = 81/300, 1/24 of the fee = 100/24 % =
    # 1250/300).
    assert "Network,0,monthly,per_outage,percent,10,33,500,,3600,3600,started," in schemes
    assert "Network,0,annual,per_outage,percent,300,81,1250,,3600,3600,started," in schemes


def test_emitted_duckdb_availability_runs_and_agrees_with_the_hand_count(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["sql", str(VHOSTWEB), "--dialect", "duckdb", "-o", str(out),
                                      "--years", "2026"])
    assert result.exit_code == 0, result.output
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute((out / "tables.sql").read_text())
    con.execute("CREATE TABLE incidents AS SELECT * REPLACE ("
                "CAST(start AS TIMESTAMPTZ) AS start, CAST(\"end\" AS TIMESTAMPTZ) AS \"end\", "
                "CAST(reported_at AS TIMESTAMPTZ) AS reported_at, "
                "CAST(detected_at AS TIMESTAMPTZ) AS detected_at) "
                f"FROM read_csv('{ROOT / 'examples' / 'incidents-vhostweb.csv'}', all_varchar=true)")
    for name in ("availability_pieces", "availability_downtime", "availability", "credits",
                 "outages"):
        con.execute((out / f"{name}.sql").read_text())
    # April 2026 in Bangkok, 2,592,000 s: outage 1 from the detection (01:05, before the
    # report at 01:20) to 05:00 = 14,100 s; the unnamed outage counts for every service,
    # 10:00-13:38:36 = 13,116 s; the outage of the 25th is wholly excluded; 6 h of maintenance
    # on a Saturday night (outside office hours) is within the 8 h allowance. 27,216 s down:
    # uptime 2,564,784 / 2,592,000 = 98.95 %, in the gap between the 98.0-98.9 % and
    # 99.0-99.9 % rows, which favours the customer: 10 % of the monthly fee.
    row = con.execute("SELECT downtime_seconds, uptime_num, uptime_den, met FROM "
                      "sla_availability WHERE period_label = '2026-04'").fetchone()
    assert row == (27216, 2592000 - 27216, 2592000, 0)
    credit = con.execute("SELECT amount_num, amount_den, row_index FROM sla_availability_credits "
                         "WHERE period_label = '2026-04' AND billing = 'monthly'").fetchall()
    assert credit == [(10, 1, 1)]
    outages = con.execute("SELECT outage_start, outage_end FROM sla_availability_outages "
                          "WHERE period_label = '2026-04' ORDER BY 1").fetchall()
    assert outages == [(1775498700, 1775512800), (1776654000, 1776667116)]
    assert con.execute("SELECT COUNT(*) FROM sla_availability WHERE met = 1").fetchone() == (11,)


def test_sql_refuses_what_it_cannot_compute(tmp_path):
    contract = ROOT / "tests" / "cases" / "sql" / "bad" / "cap_over_periods.sla"
    result = CliRunner().invoke(cli, ["sql", str(contract), "--dialect", "duckdb"])
    assert result.exit_code == 1 and "error[E801]" in result.output


def test_an_unknown_ticket_construct_is_refused():
    """A spec key the verdict query has never seen (a construct added to the language after the
    SQL was written) is refused, never ignored."""
    from sladsl.to_sql_guard import sql_refusals

    ev = sladsl.load(QISCUS)
    model = sladsl.pipeline.compile_path(QISCUS, "qiscus.sla").contract
    assert sql_refusals(model, ev.spec, "qiscus.sla") == []
    target = ev.spec["plans"]["Premium"]["targets"][0]
    target["reset_on_reopen"] = True
    found = sql_refusals(model, ev.spec, "qiscus.sla")
    assert [d.code for d in found] == ["E801"]
    assert "`reset_on_reopen` of a target" in found[0].message
    assert found[0].span.line == target["source_line"]
    target["reset_on_reopen"] = False  # a new key left at its default changes nothing
    ev.spec["calendars"]["office"]["by_severity"] = {"High": "always"}
    assert "`by_severity` of a calendar" in sql_refusals(model, ev.spec, "x")[0].message
