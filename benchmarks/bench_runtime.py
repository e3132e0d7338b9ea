"""Benchmark of the business-time runtime: ns per ticket, beside naive baselines.

    python benchmarks/bench_runtime.py [--n 1000000] [--repeats 5]

Mon-Fri 09:00-17:00 in Asia/Jakarta and America/New_York; random tickets opened over 2021-2028
with budgets up to five business days. Prints the median of several repeats; asserts nothing.
Baselines, measured in the same run on small samples and extrapolated per ticket: the
minute-stepping reference of tests/runtime/reference.py and, when installed, the `businesstime`
library (elapsed only: it has no "add"; it ignores zones, so it gets naive local times).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, time as clock, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "runtime"))

from sladsl.runtime import Calendar, parse_zone  # noqa: E402
from sladsl.runtime.batch import have_numpy  # noqa: E402

OFFICE = {day: [("09:00", "17:00")] for day in ("mon", "tue", "wed", "thu", "fri")}
ZONES = ("Asia/Jakarta", "America/New_York")


def median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def tickets(n: int, seed: int):
    rng = random.Random(seed)
    lo = int(datetime(2021, 1, 1, tzinfo=timezone.utc).timestamp())
    hi = int(datetime(2029, 1, 1, tzinfo=timezone.utc).timestamp())
    starts = [rng.randrange(lo, hi) for _ in range(n)]
    durations = [rng.randrange(0, 5 * 8 * 3600) for _ in range(n)]
    ends = [s + rng.randrange(0, 30 * 86400) for s in starts]
    return starts, durations, ends


def bench_zone(name: str, args) -> list[tuple[str, float]]:
    zone = parse_zone(name)
    rows: list[tuple[str, float]] = []

    def build():
        Calendar(zone, OFFICE).cover(2020, 2029)

    rows.append(("build 10-year calendar (ns total)", median_seconds(build, args.repeats) * 1e9))

    cal = Calendar(zone, OFFICE)
    cal.cover(2020, 2029)
    starts, durations, ends = tickets(args.n, seed=1)

    m = min(args.n, args.scalar_n)
    start_dts = [datetime.fromtimestamp(t, zone) for t in starts[:m]]
    deltas = [timedelta(seconds=d) for d in durations[:m]]
    end_dts = [datetime.fromtimestamp(t, zone) for t in ends[:m]]
    add = cal.add
    elapsed = cal.elapsed

    def scalar_add():
        for s, d in zip(start_dts, deltas):
            add(s, d)

    def scalar_elapsed():
        for s, e in zip(start_dts, end_dts):
            elapsed(s, e)

    rows.append(("scalar add, datetime -> datetime", median_seconds(scalar_add, args.repeats) / m * 1e9))
    rows.append(("scalar elapsed, datetime -> timedelta", median_seconds(scalar_elapsed, args.repeats) / m * 1e9))

    if have_numpy():
        import numpy as np

        t = np.array(starts, dtype=np.int64)
        d = np.array(durations, dtype=np.int64)
        e = np.array(ends, dtype=np.int64)
        cal.add_many(t, d)
        rows.append(("batch add (numpy)", median_seconds(lambda: cal.add_many(t, d), args.repeats) / args.n * 1e9))
        rows.append(("batch elapsed (numpy)", median_seconds(lambda: cal.elapsed_many(t, e), args.repeats) / args.n * 1e9))
    else:
        print("numpy not installed: batch numpy rows skipped")
    rows.append(("batch add (pure Python)", median_seconds(
        lambda: cal.add_many(starts[:m], durations[:m], use_numpy=False), args.repeats) / m * 1e9))
    rows.append(("batch elapsed (pure Python)", median_seconds(
        lambda: cal.elapsed_many(starts[:m], ends[:m], use_numpy=False), args.repeats) / m * 1e9))

    # Baselines on a small sample, extrapolated per ticket.
    from reference import Reference

    k = args.sample
    minute_starts = [s // 60 * 60 for s in starts[:k]]
    ref = Reference(zone, OFFICE)

    def reference_add():
        for s, dur in zip(minute_starts, durations[:k]):
            ref.add(s, dur)

    def reference_elapsed():
        for s, end in zip(minute_starts, ends[:k]):
            ref.elapsed(s, end // 60 * 60)

    rows.append(("reference add (minute stepping)", median_seconds(reference_add, 1) / k * 1e9))
    rows.append(("reference elapsed (minute stepping)", median_seconds(reference_elapsed, 1) / k * 1e9))

    try:
        from businesstime import BusinessTime
    except ImportError:
        print("businesstime not installed (pip install businesstime): its rows are skipped")
    else:
        bt = BusinessTime(business_hours=(clock(9), clock(17)))
        kb = min(m, args.sample * 20)
        naive_starts = [s.replace(tzinfo=None) for s in start_dts[:kb]]
        naive_ends = [e.replace(tzinfo=None) for e in end_dts[:kb]]

        def businesstime_elapsed():
            for s, e in zip(naive_starts, naive_ends):
                bt.businesstimedelta(s, e)

        rows.append(("businesstime elapsed (naive local)", median_seconds(businesstime_elapsed, 3) / kb * 1e9))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="tickets for the batch runs")
    parser.add_argument("--scalar-n", type=int, default=200_000, help="tickets for scalar runs")
    parser.add_argument("--sample", type=int, default=50, help="tickets for the slow baselines")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {args.n:,} tickets, median of {args.repeats}")
    for name in ZONES:
        rows = bench_zone(name, args)
        table = dict(rows)
        fast_add = table.get("batch add (numpy)", table["scalar add, datetime -> datetime"])
        fast_elapsed = table.get("batch elapsed (numpy)", table["scalar elapsed, datetime -> timedelta"])
        print(f"\n{name}, Mon-Fri 09:00-17:00")
        print(f"  {'operation':42} {'ns/ticket':>14} {'x numpy batch':>14}")
        for label, ns in rows:
            if label.startswith("build"):
                print(f"  {label:42} {ns / 1e6:>11.2f} ms")
                continue
            base = fast_elapsed if "elapsed" in label else fast_add
            print(f"  {label:42} {ns:>14,.1f} {ns / base:>13,.1f}x")


if __name__ == "__main__":
    main()
