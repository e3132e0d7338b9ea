"""`sladsl sql`'s calendar tables as SQL: rows spliced beside the one sqlglot writes, against
sqlglot writing every row (the naive reference), per dialect, in the same run.

    python benchmarks/bench_sql_tables.py [--contract contracts/rocksoft.sla] [--years 2026-2035]
                                          [--runs 3] [--dialects duckdb,bigquery]

Prints the median seconds of each and their ratio, and checks the two texts are the same bytes.
Asserts nothing else.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sladsl  # noqa: E402
from sladsl import to_sql  # noqa: E402


def whole_by_sqlglot(layout: to_sql.Layout, names: to_sql.SqlNames, dialect: str) -> str:
    """`table_sql` with every row written by sqlglot (what it did before the splice)."""
    spliced = to_sql._create_table
    to_sql._create_table = to_sql._create_statement
    try:
        return to_sql.table_sql(layout, names, dialect)
    finally:
        to_sql._create_table = spliced


def timed(function, *args) -> tuple[float, str]:
    start = time.perf_counter()
    text = function(*args)
    return time.perf_counter() - start, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contract", default=str(ROOT / "contracts" / "rocksoft.sla"))
    parser.add_argument("--years", default="2026-2035")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dialects", default=",".join(to_sql.DIALECTS))
    args = parser.parse_args()
    lo, hi = (int(y) for y in args.years.split("-"))
    layout = to_sql.lay_out(sladsl.load(args.contract), (lo, hi))
    names = to_sql.SqlNames()
    rows = sum(len(rows) for _columns, rows in layout.tables.values())
    print(f"{Path(args.contract).name}, {lo}-{hi}: {rows:,} rows in {len(layout.tables)} tables")
    print(f"{'dialect':<10} {'spliced s':>10} {'sqlglot s':>10} {'ratio':>7}  same bytes")
    for dialect in args.dialects.split(","):
        fast, slow = [], []
        for _ in range(args.runs):
            seconds, spliced = timed(to_sql.table_sql, layout, names, dialect)
            fast.append(seconds)
            seconds, whole = timed(whole_by_sqlglot, layout, names, dialect)
            slow.append(seconds)
        a, b = statistics.median(fast), statistics.median(slow)
        print(f"{dialect:<10} {a:>10.2f} {b:>10.2f} {b / a:>6.1f}x  {spliced == whole}")


if __name__ == "__main__":
    main()
