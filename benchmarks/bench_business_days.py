"""Cost of "N business days" for large N (issue 20.16): lay-out once, then O(1) per ticket.

Run from the repository root: `python3 benchmarks/bench_business_days.py`. On a calendar with
one window a week in a DST zone (Europe/Paris, Wednesday 09:00-10:00), N = 20,000 business days
is about 384 years of windows. Prints, for 10,000 tickets:

- the batch path (`add_business_days_many`) now: the table is extended once for the largest N,
  and the NumPy day tables are built once;
- the old way: the table extended a year at a time with the day tables rebuilt after each year
  (what `add_business_days_many` did before), emulated here with the same runtime calls;
- the naive way: the scalar rule called once per ticket;
- per-ticket cost once the calendar is laid out, for N = 1 and N = 20,000 (O(1): the same).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from sladsl.runtime import Calendar  # noqa: E402
from sladsl.runtime import batch  # noqa: E402

N = 20_000
TICKETS = 10_000
WEEK = {"wed": [("09:00", "10:00")]}
ZONE = "Europe/Paris"


def starts() -> np.ndarray:
    base = 1_780_000_000  # 2026-05-28
    return base + (np.arange(TICKETS, dtype=np.int64) * 7_919) % (365 * 86400)


def seconds(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def old_way(cal: Calendar, t: np.ndarray) -> None:
    """The previous loop: one year laid out at a time, the day tables rebuilt after each."""
    cal.anchor_epoch(int(t.min()))
    cal.cum_epoch(int(t.max()))
    days = batch._days(np, cal)
    while len(days.bdays) <= len(days.bdays) // 2 + N + 60:  # the dates the answer needs
        cal._extend_forward(cal._y_hi + 1)
        days = batch._days(np, cal)
    batch.add_business_days_many(cal, t, N)


def main() -> None:
    t = starts()
    new = seconds(lambda: batch.add_business_days_many(Calendar(ZONE, WEEK), t, N))
    old = seconds(lambda: old_way(Calendar(ZONE, WEEK), t))
    cal = Calendar(ZONE, WEEK)
    sample = t[:500]
    naive = seconds(lambda: [cal.add_business_days_epoch(int(x), N) for x in sample.tolist()])
    naive *= TICKETS / len(sample)
    print(f"{TICKETS} tickets, N = {N} business days, {ZONE} Wed 09:00-10:00")
    print(f"  batch now (lay out once):          {new:8.3f} s")
    print(f"  old way (a year at a time):        {old:8.3f} s   ratio old/now {old / new:7.1f}x")
    print(f"  naive (scalar per ticket):         {naive:8.3f} s   ratio naive/now {naive / new:7.1f}x")
    laid = Calendar(ZONE, WEEK)
    batch.add_business_days_many(laid, t, N)  # lay out
    for n in (1, N):
        runs = [seconds(lambda n=n: batch.add_business_days_many(laid, t, n)) for _ in range(7)]
        per = statistics.median(runs) / TICKETS * 1e9
        print(f"  laid out, N = {n:>6}: {per:8.0f} ns per ticket (median of 7)")


if __name__ == "__main__":
    main()
