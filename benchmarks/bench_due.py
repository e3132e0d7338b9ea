"""Cost of `due()`: generated module vs `sladsl.load()` vs `Calendar.add` called directly.

Run from the repository root: `python3 benchmarks/bench_due.py`. Prints the import time of each
generated module (a fresh interpreter per module, median of 5), then ns per `due()` call
(median of repeats) and the ratios to the bare runtime call.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "generated"))

import sladsl  # noqa: E402
from sladsl.runtime import fixed_zone  # noqa: E402

REPEATS = 7
CALLS = 20_000


def import_ms(module: str) -> float:
    code = ("import sys, time; sys.path.insert(0, 'generated'); t = time.perf_counter(); "
            f"import {module}; print((time.perf_counter() - t) * 1000)")
    runs = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                 text=True, check=True).stdout) for _ in range(5)]
    return statistics.median(runs)


def ns_per_call(call, starts) -> float:
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter_ns()
        for start in starts:
            call(start)
        times.append((time.perf_counter_ns() - t) / len(starts))
    return statistics.median(times)


def main() -> None:
    for name in sorted(p.stem for p in (ROOT / "generated").glob("*.py")):
        print(f"import generated/{name}.py: {import_ms(name):6.2f} ms")
    import qiscus

    loaded = sladsl.load(ROOT / "contracts" / "qiscus.sla")
    zone = fixed_zone(7 * 60)
    base = datetime(2026, 7, 6, 8, tzinfo=zone)
    starts = [base + timedelta(minutes=37 * i % (60 * 24 * 60)) for i in range(CALLS)]
    office = qiscus.calendar("office")
    hour = timedelta(hours=1)
    for start in starts[:10]:  # the three answer alike
        assert qiscus.due("response", "Critical", start, plan="Premium") == \
            loaded.due("response", "Critical", start, plan="Premium") == office.add(start, hour)
    runtime = ns_per_call(lambda s: office.add(s, hour), starts)
    generated = ns_per_call(lambda s: qiscus.due("response", "Critical", s, plan="Premium"), starts)
    via_load = ns_per_call(lambda s: loaded.due("response", "Critical", s, plan="Premium"), starts)
    print(f"Calendar.add directly : {runtime:8.0f} ns/call")
    print(f"generated qiscus.due  : {generated:8.0f} ns/call  ({generated / runtime:.2f}x runtime)")
    print(f"sladsl.load(...).due  : {via_load:8.0f} ns/call  ({via_load / runtime:.2f}x runtime)")


if __name__ == "__main__":
    main()
