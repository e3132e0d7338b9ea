"""Benchmark the SQL back end: N generated tickets in Parquet, DuckDB and local Spark vs Python.

    python3 benchmarks/bench_sql.py [--tickets 10000000] [--engines python,duckdb,spark]

1. Generates N tickets for the Qiscus contract with NumPy (every plan and priority, 90 % answered,
   60 % resolved, 30 % with the Resolution add-on whose targets count business days; no pauses)
   and writes them as Parquet (timestamps in UTC) and, for the Python engine, as CSV.
2. Each engine runs in a child process, so its peak memory is its own (`ru_maxrss` of the child;
   for Spark also the JVM's VmHWM):
   - python: `sladsl eval --engine python --format csv` on the CSV, end to end;
   - duckdb: the calendar tables of `sladsl.to_sql`, the tickets read straight from Parquet, the
     verdict query materialised into a table (`CREATE TABLE ... AS`);
   - spark: `local[N]` (N: the cores), the tickets read from Parquet, the query's shared steps
     cached, the result written to Spark's `noop` sink.
   Reported: wall time of the child (start-up included), tickets/second, the child's peak RSS
   (`ru_maxrss`). Prints numbers, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CONTRACT = ROOT / "contracts" / "qiscus.sla"
NOW = 1798650000  # 2026-12-31 00:00 +07:00
YEARS = (2025, 2028)


def generate(folder: Path, count: int, *, csv: bool, seed: int = 1) -> tuple[Path, Path]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    plans = np.array(["Premium", "8x7 Dedicated", "24x7 Dedicated"])
    priorities = np.array(["Critical", "High", "Normal", "Low"])
    opened = 1767546000 + rng.integers(0, 300 * 86400, count)  # from 2026-01-05 +07:00
    responded = opened + rng.integers(60, 2 * 86400, count)
    resolved = opened + rng.integers(600, 10 * 86400, count)
    has_response = rng.random(count) < 0.9
    has_resolution = rng.random(count) < 0.6
    columns = {
        "id": np.arange(count).astype(str),
        "priority": priorities[rng.integers(0, 4, count)],
        "plan": plans[rng.integers(0, 3, count)],
        "addons": np.where(rng.random(count) < 0.3, "Resolution", ""),
    }
    stamp = pa.timestamp("us", tz="UTC")
    table = pa.table({
        **{k: pa.array(v) for k, v in columns.items()},
        "opened_at": pa.array(opened * 1_000_000, type=pa.int64()).cast(stamp),
        "first_response_at": pa.array(responded * 1_000_000, mask=~has_response).cast(stamp),
        "resolved_at": pa.array(resolved * 1_000_000, mask=~has_resolution).cast(stamp),
    })
    parquet = folder / "tickets.parquet"
    pq.write_table(table, parquet)
    text = folder / "tickets.csv"
    if csv:  # the same tickets as CSV, instants as ISO 8601 in UTC
        import pyarrow.compute as pc
        import pyarrow.csv as pcsv

        as_text = {name: pc.strftime(table[name], format="%Y-%m-%dT%H:%M:%SZ")
                   for name in ("opened_at", "first_response_at", "resolved_at")}
        plain = pa.table({**{k: table[k] for k in ("id", "priority", "plan", "addons")},
                          **as_text})
        pcsv.write_csv(plain, text, pcsv.WriteOptions(quoting_style="needed"))
    return parquet, text


def _tables(engine_load) -> None:
    import sladsl
    from sladsl import to_sql

    layout = to_sql.lay_out(sladsl.load(CONTRACT), YEARS)
    for name, (columns, rows) in layout.tables.items():
        schema = [(c, "BIGINT" if c in to_sql.INTEGER_COLUMNS else "VARCHAR") for c in columns]
        engine_load(f"sla_{name}", schema, rows)


def child_duckdb(parquet: Path) -> dict:
    from sladsl import sql_engine, to_sql

    engine = sql_engine._DuckDB()
    start = time.perf_counter()
    _tables(engine.load)
    engine.con.execute(f"CREATE VIEW tickets AS SELECT * FROM read_parquet('{parquet}')")
    engine.con.execute("CREATE OR REPLACE VIEW ticket_pauses AS SELECT CAST(NULL AS VARCHAR) "
                       "AS ticket_id, CAST(NULL AS TIMESTAMP) AS paused_from, "
                       "CAST(NULL AS TIMESTAMP) AS paused_to WHERE 1 = 0")
    query = to_sql.to_dialect(to_sql.verdict_query(to_sql.SqlNames(now=NOW, columns={"channel": None})), "duckdb")
    ready = time.perf_counter()
    engine.con.execute(f"CREATE TABLE verdicts AS {query}")
    rows = engine.con.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0]
    done = time.perf_counter()
    return {"rows": rows, "tables_s": ready - start, "query_s": done - ready}


def child_spark(parquet: Path) -> dict:
    from sladsl import sql_engine, to_sql

    engine = sql_engine._Spark()
    spark = engine.spark
    start = time.perf_counter()
    _tables(engine.load)
    spark.read.parquet(str(parquet)).createOrReplaceTempView("tickets")
    spark.sql("SELECT CAST(NULL AS STRING) AS ticket_id, CAST(NULL AS TIMESTAMP) AS paused_from, "
              "CAST(NULL AS TIMESTAMP) AS paused_to WHERE 1 = 0") \
        .createOrReplaceTempView("ticket_pauses")
    ready = time.perf_counter()
    tree = to_sql.verdict_query(to_sql.SqlNames(now=NOW, columns={"channel": None}))
    frame = engine.frame(tree).cache()  # written once, then counted from the cache
    frame.write.format("noop").mode("overwrite").save()
    rows = frame.count()
    done = time.perf_counter()
    jvm = spark.sparkContext._gateway.proc.pid
    hwm = 0
    for line in Path(f"/proc/{jvm}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) * 1024
    return {"rows": rows, "tables_s": ready - start, "query_s": done - ready, "jvm_peak": hwm}


def child_python(csv: Path) -> dict:
    from sladsl.cli import cli

    start = time.perf_counter()
    cli.main(["eval", str(CONTRACT), "--tickets", str(csv), "--format", "csv", "-o",
              "/dev/null", "--now", "2026-12-31T00:00:00+07:00", "--engine", "python"],
             standalone_mode=False)
    return {"eval_s": time.perf_counter() - start}


def run_child(engine: str, parquet: Path, csv: Path) -> dict:
    start = time.perf_counter()
    command = [sys.executable, __file__, "--child", engine, "--parquet", str(parquet),
               "--csv", str(csv)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"{engine} failed")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - start
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--engines", default="python,duckdb,spark")
    parser.add_argument("--child")
    parser.add_argument("--parquet")
    parser.add_argument("--csv")
    args = parser.parse_args()
    if args.child:
        if args.child == "python":
            result = child_python(Path(args.csv))
        else:
            result = {"duckdb": child_duckdb, "spark": child_spark}[args.child](Path(args.parquet))
        result["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(json.dumps(result))
        return
    engines = args.engines.split(",")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        parquet, csv = generate(Path(folder), args.tickets, csv="python" in engines)
        print(f"generated {args.tickets:,} tickets in {time.perf_counter() - start:.1f} s "
              f"(parquet {parquet.stat().st_size / 2**20:.0f} MiB)")
        for engine in engines:
            r = run_child(engine, parquet, csv)
            line = (f"{engine:7} {r['wall_s']:7.1f} s wall  "
                    f"{args.tickets / r['wall_s']:>12,.0f} tickets/s  "
                    f"peak RSS {r['peak_rss'] / 2**20:,.0f} MiB")
            if "query_s" in r:
                line += (f"  [tables {r['tables_s']:.1f} s, query {r['query_s']:.1f} s = "
                         f"{args.tickets / r['query_s']:,.0f} tickets/s, {r['rows']:,} verdicts]")
            if r.get("jvm_peak"):
                line += f"  JVM peak {r['jvm_peak'] / 2**20:,.0f} MiB"
            print(line, flush=True)


if __name__ == "__main__":
    main()
