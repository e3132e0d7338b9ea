"""Start-up time of the `sladsl` command, whole process, as a ratio to a bare `python -c pass`.

    python benchmarks/bench_startup.py [--runs 21] [--contract contracts/qiscus.sla]

Like hyperfine: every command is first run a few times unmeasured (so the bytecode cache and the
parser cache are warm, as on a user's install after the first run), then the commands are run
round-robin `--runs` times each and the median wall time of each is printed with its ratio to the
median of `python -c pass` from the same interpreter. Round-robin spreads the noise of a shared
machine over all commands alike. Targets (issue 13): `check` within 8x, `--version` and `--help`
within 4x. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
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


def run_once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    return time.perf_counter() - start


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
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(options.runs):
        for name, command in commands.items():
            times[name].append(run_once(command))
    base = statistics.median(times["python -c pass"])
    print(f"{'command':<40} {'median ms':>10} {'ratio':>7}   ({options.runs} runs each)")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:<40} {median * 1000:>10.1f} {median / base:>6.1f}x")


if __name__ == "__main__":
    main()
