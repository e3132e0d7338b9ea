"""`sladsl eval` against its DuckDB peer query, side by side (issue 13 item 6; prints, asserts only
that the outputs are identical).

    python3 benchmarks/bench_peer.py [--tickets 1000000] [--runs 3] [--keep DIR]

1. Generates N Qiscus tickets as CSV with `bench_eval.generate` (every plan and priority, 90 %
   answered, 60 % resolved, 2 % with a pause, 30 % with the Resolution add-on).
2. Runs, alternately and each in its own process (start-up, imports and output included: whole
   process, wall and CPU time of the child):
   - python: `sladsl eval CONTRACT --tickets FILE --format csv -o OUT` (the default engine,
     on every core: the chunks are judged in worker processes, `sladsl/fanout.py`);
   - python-1: the same in one process (`SLADSL_WORKERS=1`), for scale;
   - duckdb: `benchmarks/peer_duckdb.sql` in DuckDB (the same CSV in, the same CSV out; the
     calendar tables `sla_*` built by `sladsl.to_sql.lay_out`, the verdict query by
     `sladsl.to_sql.verdict_query`, inside the timed process).
3. Checks the outputs are byte for byte identical, then prints the medians and the ratios
   python / duckdb and python-1 / duckdb (below 1: the Python engine is faster), with the
   machine's load average.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
CONTRACT = ROOT / "contracts" / "qiscus.sla"
NOW_TEXT = "2026-12-31T00:00:00+07:00"
NOW = 1798650000  # the same instant in epoch seconds
YEARS = (2025, 2028)


def child_duckdb(tickets: Path, out: Path) -> None:
    """The peer: the SQL file with its placeholders filled, run in DuckDB."""
    import sladsl
    from sladsl import sql_engine, to_sql

    engine = sql_engine._DuckDB()  # a connection in UTC; tables loaded through Arrow
    con = engine.con
    layout = to_sql.lay_out(sladsl.load(CONTRACT), YEARS)
    for name, (columns, rows) in layout.tables.items():
        engine.load(f"sla_{name}", [(c, "BIGINT" if c in to_sql.INTEGER_COLUMNS else "VARCHAR")
                                    for c in columns], rows)
    verdicts = to_sql.to_dialect(to_sql.verdict_query(
        to_sql.SqlNames(now=NOW, columns={"channel": None})), "duckdb")
    text = "\n".join(line for line in (ROOT / "benchmarks" / "peer_duckdb.sql").read_text()
                     .splitlines() if not line.lstrip().startswith("--"))
    for key, value in {"tickets": str(tickets), "out": str(out), "offset": "25200",
                       "suffix": "+07:00", "verdicts": verdicts}.items():
        text = text.replace("{" + key + "}", value)
    for statement in text.split(";\n"):
        if statement.strip():
            con.execute(statement)


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of it and its workers, peak RSS in KiB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, **env})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{command[:4]} failed with exit code {done.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each (medians shown)")
    parser.add_argument("--keep", help="a folder for the files (kept; reused if there)")
    parser.add_argument("--child-duckdb", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_duckdb:
        child_duckdb(Path(args.child_duckdb[0]), Path(args.child_duckdb[1]))
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        tickets = folder / f"tickets-{args.tickets}.csv"
        if not tickets.exists():
            import bench_eval

            bench_eval.generate(tickets, args.tickets)
        outputs = {name: folder / f"{name}.csv" for name in ("python", "python-1", "duckdb")}

        def evaluate(name: str) -> list[str]:
            return [sys.executable, "-m", "sladsl", "eval", str(CONTRACT), "--tickets",
                    str(tickets), "--format", "csv", "-o", str(outputs[name]), "--now", NOW_TEXT]

        commands = {  # name -> (command, environment)
            "python": (evaluate("python"), {}),
            "python-1": (evaluate("python-1"), {"SLADSL_WORKERS": "1"}),
            "duckdb": ([sys.executable, __file__, "--child-duckdb", str(tickets),
                        str(outputs["duckdb"])], {}),
        }
        print(f"{args.tickets:,} tickets ({tickets.stat().st_size / 2**20:.0f} MiB CSV), "
              f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        times: dict = {name: [] for name in commands}
        for _ in range(max(1, args.runs)):
            for name, (command, env) in commands.items():  # alternately: all see the same load
                times[name].append(run(command, env))
        peer = outputs["duckdb"].read_bytes()
        same = all(outputs[name].read_bytes() == peer for name in ("python", "python-1"))
        lines = sum(1 for _ in outputs["python"].open("rb")) - 1
        result = {}
        for name, measured in times.items():
            wall = statistics.median(t for t, _, _ in measured)
            cpu = statistics.median(c for _, c, _ in measured)
            result[name] = wall
            print(f"{name:8} wall {wall:6.2f} s (runs: "
                  + ", ".join(f"{t:.2f}" for t, _, _ in measured)
                  + f"), CPU {cpu:6.2f} s (user + sys, all threads)")
        print(f"output: {lines:,} verdict rows, identical: {'yes' if same else 'NO'}")
        for name in ("python", "python-1"):
            print(f"ratio {name} / duckdb (median wall, whole process): "
                  f"{result[name] / result['duckdb']:.2f}")
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(json.dumps({"python_s": result["python"], "python_1_s": result["python-1"],
                          "duckdb_s": result["duckdb"], "identical": same}))
        if not same:
            raise SystemExit("the outputs differ")


if __name__ == "__main__":
    main()
