"""Start-up time of the `sladsl` command, whole process, as a ratio to a bare `python -c pass`.

    python benchmarks/bench_startup.py [--runs 21] [--contract contracts/qiscus.sla] [--imports]
                                       [--instructions]

Like hyperfine: every command is first run a few times unmeasured (so the bytecode cache and the
parser cache are warm, as on a user's install after the first run), then the commands are run
round-robin `--runs` times each and the median wall time of each is printed with its ratio to the
median of `python -c pass` from the same interpreter, for wall time and for CPU time (user +
system, which a loaded machine disturbs less). Round-robin spreads the noise of a shared machine
over all commands alike. Targets (issue 13): `check` within 8x, `--version` and `--help`
within 4x. Asserts nothing.

`--instructions` also counts the instructions each command executes (one run each under valgrind's
cachegrind, if installed), with the same ratios: a count does not depend on the machine's load, so
it compares two versions on a busy machine where wall times cannot (roughly 3.5 M instructions
per millisecond on the reference machine, less for the file-system work of imports).

`--imports` then shows where `check`'s import time goes: each module's `-X importtime` self time
(the minimum over the runs, the least disturbed by a loaded machine) added to the package that
first needed it (click, lark, a sladsl module, or Python's own start-up and standard library).
"""

from __future__ import annotations

import argparse
import collections
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


def instructions(command: list[str]) -> int | None:
    """Instructions one run of `command` executes (valgrind cachegrind), or None without valgrind."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    try:
        done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                               "--cachegrind-out-file=/dev/null", *command], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    except FileNotFoundError:
        return None
    for line in done.stderr.splitlines():
        if "I   refs:" in line:
            return int(line.split(":")[1].replace(",", "").strip())
    return None


def import_owners(command: list[str], runs: int) -> collections.Counter[str]:
    """Milliseconds of import time per owner: click, lark, each sladsl module, or Python."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    best: dict[str, tuple[str, int]] = {}
    for _ in range(runs):
        report = subprocess.run([sys.executable, "-X", "importtime", *command], cwd=ROOT, env=env,
                                capture_output=True, text=True, check=False).stderr
        rows = []
        for line in report.splitlines():
            if line.startswith("import time:") and "self [us]" not in line:
                self_us, _, name = line[len("import time:"):].split("|")
                rows.append((int(self_us), (len(name) - len(name.lstrip(" ")) - 1) // 2, name.strip()))
        stack: list[tuple[int, str]] = []  # importtime prints a module after what it imported
        for self_us, depth, name in reversed(rows):
            while stack and stack[-1][0] >= depth:
                stack.pop()
            parent = stack[-1][1] if stack else None
            top = name.split(".")[0]
            if parent and not parent.startswith("sladsl"):
                owner = parent
            elif top in ("click", "lark"):
                owner = top
            elif top == "sladsl":
                owner = name
            else:
                owner = parent or "python (start-up, standard library)"
            if name not in best or self_us < best[name][1]:
                best[name] = (owner, self_us)
            stack.append((depth, owner))
    owners: collections.Counter[str] = collections.Counter()
    for owner, self_us in best.values():
        owners[owner] += self_us / 1000
    return owners


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=21)
    args.add_argument("--contract", default="contracts/qiscus.sla")
    args.add_argument("--imports", action="store_true", help="also show check's import time by package")
    args.add_argument("--instructions", action="store_true",
                      help="also count each command's instructions (valgrind)")
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
    if options.instructions:
        counts = {name: instructions(command) for name, command in commands.items()}
        base = counts["python -c pass"]
        if base is None:
            print("\ninstructions: valgrind is not installed")
        else:
            print(f"\n{'command':<40} {'instructions':>14} {'ratio':>6}   (valgrind cachegrind, one run each)")
            for name, count in counts.items():
                if count is not None:
                    print(f"{name:<40} {count / 1e6:>12.1f} M {count / base:>5.1f}x")
    if options.imports:
        owners = import_owners([*sladsl, "check", options.contract], options.runs)
        print(f"\nimports of `sladsl check`: {sum(owners.values()):.1f} ms (least self time of each module "
              f"over {options.runs} runs, by the package that first needed it)")
        for owner, ms in owners.most_common(12):
            print(f"{ms:>8.1f}  {owner}")


if __name__ == "__main__":
    main()
