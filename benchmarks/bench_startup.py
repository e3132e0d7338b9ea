"""Start-up time of the `sladsl` command, whole process, as a ratio to a bare `python -c pass`.

    python benchmarks/bench_startup.py [--runs 21] [--contract contracts/qiscus.sla]

Like hyperfine: every command is first run a few times unmeasured (so the bytecode cache and the
parser cache are warm, as on a user's install after the first run), then the commands are run
round-robin `--runs` times each and the median wall time of each is printed with its ratio to the
median of `python -c pass` from the same interpreter, for wall time and for CPU time (user +
system, which a loaded machine disturbs less). Round-robin spreads the noise of a shared machine
over all commands alike. Targets (issue 13): `check` within 8x, `--version` and `--help`
within 4x. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 3


def sladsl_command() -> list[str]:
    """The installed console script next to this interpreter (what a user runs)."""
    script = Path(sys.executable).parent / "sladsl"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from sladsl.cli import main; main()"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one whole process."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    return time.perf_counter() - start, _children_cpu() - cpu


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=21)
    args.add_argument("--contract", default="contracts/qiscus.sla")
    options = args.parse_args()
    sladsl = sladsl_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "sladsl --version": [*sladsl, "--version"],
        "sladsl --help": [*sladsl, "--help"],
        f"sladsl check {options.contract}": [*sladsl, "check", options.contract],
    }
    for command in commands.values():
        for _ in range(WARMUP):
            run_once(command)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(options.runs):
        for name, command in commands.items():
            wall, cpu = run_once(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
    base_wall = statistics.median(walls["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    print(f"{'command':<40} {'wall ms':>8} {'ratio':>6} {'cpu ms':>8} {'ratio':>6}   "
          f"(medians of {options.runs} runs each)")
    for name in commands:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:<40} {wall * 1000:>8.1f} {wall / base_wall:>5.1f}x {cpu * 1000:>8.1f} "
              f"{cpu / base_cpu:>5.1f}x")


if __name__ == "__main__":
    main()
