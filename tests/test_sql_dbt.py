"""`sladsl sql --layout dbt`: a dbt project (models with source()/ref(), seeds, yml) whose seeds
and models, run on DuckDB with the Jinja calls rendered to table names (no dbt install needed),
give the same answers as the plain layout.

The golden snapshot (tests/golden/sql/dbt/) holds the models, the yml files and the small seeds;
rewrite with `SLADSL_UPDATE_GOLDEN=1` and review the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sladsl.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "sql" / "dbt"
EXAMPLES = ROOT / "examples"
BIG_SEEDS = ("segments", "cum_index", "bdays", "clock_pieces", "periods", "lookup")
VIEWS = ("verdicts", "summary", "proportion_periods", "availability_pieces",
         "availability_downtime", "availability", "availability_credits", "availability_outages")


def sql(contract: str, out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["sql", str(ROOT / "contracts" / f"{contract}.sla"),
                                      "--dialect", "duckdb", "-o", str(out), "--years", "2026",
                                      *extra])
    assert result.exit_code == 0, result.output
    return out


def test_dbt_layout_is_golden(tmp_path):
    from test_to_sql import check_golden

    out = sql("vhostweb", tmp_path / "dbt", "--layout", "dbt", "--table",
              "tickets=helpdesk.tickets")
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "dbt_project.yml" in files and "models/sources.yml" in files
    assert "seeds/sla_segments.csv" in files and "models/sla_availability.sql" in files
    for name in files:
        if name.startswith("seeds/") and any(f"sla_{b}." in name for b in BIG_SEEDS):
            continue
        check_golden(f"dbt/{name}", (out / name).read_text(encoding="utf-8"))
    text = (out / "models" / "sla_summary.sql").read_text()
    assert "{{ ref('sla_verdicts') }}" in text and "{{ source('sladsl', 'tickets') }}" in text


def _render_jinja(text: str) -> str:
    text = re.sub(r"\{\{ config\([^}]*\) \}\}", "", text)
    text = re.sub(r"\{\{ ref\('(\w+)'\) \}\}", r"\1", text)
    return re.sub(r"\{\{ source\('sladsl', '(\w+)'\) \}\}", r"\1", text)


def _seed_types(path: Path) -> dict[str, dict[str, str]]:
    """seeds.yml as {seed: {column: type}} (the file sladsl writes: one column a line)."""
    out: dict[str, dict[str, str]] = {}
    seed = None
    for line in path.read_text().splitlines():
        if line.startswith("  - name: "):
            seed = line.split(": ", 1)[1]
            out[seed] = {}
        elif line.startswith("        ") and seed:
            column, kind = line.strip().split(": ")
            out[seed][column] = kind
    return out


def _inputs(con) -> None:
    con.execute("CREATE TABLE tickets AS SELECT id, priority, plan, addons, channel, "
                "CAST(opened_at AS TIMESTAMPTZ) AS opened_at, "
                "CAST(first_response_at AS TIMESTAMPTZ) AS first_response_at, "
                "CAST(resolved_at AS TIMESTAMPTZ) AS resolved_at "
                f"FROM read_csv('{EXAMPLES / 'tickets-qiscus.csv'}', all_varchar=true)")
    con.execute("CREATE TABLE ticket_pauses (ticket_id VARCHAR, paused_from TIMESTAMPTZ, "
                "paused_to TIMESTAMPTZ)")
    con.execute("CREATE TABLE incidents AS SELECT * REPLACE ("
                "CAST(start AS TIMESTAMPTZ) AS start, CAST(\"end\" AS TIMESTAMPTZ) AS \"end\", "
                "CAST(reported_at AS TIMESTAMPTZ) AS reported_at, "
                "CAST(detected_at AS TIMESTAMPTZ) AS detected_at) "
                f"FROM read_csv('{EXAMPLES / 'incidents-vhostweb.csv'}', all_varchar=true)")


def _answers(con) -> dict[str, list]:
    con.execute("SET TimeZone = 'UTC'")
    out = {}
    for view in VIEWS:
        # `now` is the warehouse's clock: compare what does not move with it.
        rows = con.execute(f"SELECT * FROM sla_{view}").fetchall()
        columns = [d[0] for d in con.description]
        keep = [i for i, c in enumerate(columns)
                if c not in ("status", "left_seconds", "used_seconds", "downtime_so_far_seconds",
                             "reason")]
        out[view] = sorted(tuple(str(r[i]) for i in keep) for r in rows)
    return out


@pytest.mark.parametrize("contract", ["qiscus", "vhostweb"])
def test_dbt_seeds_and_models_run_and_agree_with_the_plain_layout(tmp_path, contract):
    duckdb = pytest.importorskip("duckdb")
    plain = sql(contract, tmp_path / "plain")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    _inputs(con)
    con.execute((plain / "tables.sql").read_text())
    for name in ("verdicts", "summary", "proportions", "availability_pieces",
                 "availability_downtime", "availability", "credits", "outages"):
        con.execute((plain / f"{name}.sql").read_text())
    expected = _answers(con)

    dbt = sql(contract, tmp_path / "dbt", "--layout", "dbt")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    _inputs(con)
    for seed, types in _seed_types(dbt / "seeds" / "seeds.yml").items():
        # As a seed loader reads CSV: an empty cell is NULL (the queries read '' and NULL alike).
        columns = ", ".join(f"'{c}': '{t.upper()}'" for c, t in types.items())
        con.execute(f"CREATE TABLE {seed} AS SELECT * FROM read_csv("
                    f"'{dbt / 'seeds' / (seed + '.csv')}', header=true, columns={{{columns}}})")
    for view in VIEWS:  # in dependency order: verdicts before the summaries
        body = _render_jinja((dbt / "models" / f"sla_{view}.sql").read_text())
        con.execute(f"CREATE VIEW sla_{view} AS {body}")
    got = _answers(con)
    assert got == expected
    assert any(got[v] for v in VIEWS)
    if contract == "vhostweb":
        assert ("Web hosting", "2026-04") == got["availability"][3][:2]
    else:
        assert len(got["verdicts"]) >= 7  # every example ticket judged (qiscus, 7 rows)
