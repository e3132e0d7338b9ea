"""Benchmark of the front end and checker: the seed contracts, and a generated 10,000-line contract.

    python benchmarks/bench_check.py [--repeats 7] [--lines 10000]

Prints medians of several repeats (after one warm-up run that also builds the Lark parser, whose
cost is printed on its own); asserts nothing. Targets: all of `contracts/` well under 1 s, the
10,000-line contract under 2 s. The generated contract has many calendars (some with holiday
sets), channels, plans that include each other, per-priority targets, escalation ladders and
services with credit tables; it checks clean, so every stage runs in full. A last row times the
same contract with 30 syntax errors at its end, to show what error recovery costs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sladsl.check import check  # noqa: E402
from sladsl.parse import decode, parse_text, parser  # noqa: E402
from sladsl.pipeline import compile_path, compile_text  # noqa: E402
from sladsl.to_ast import to_ast  # noqa: E402

PRIORITIES = ("Critical", "High", "Normal", "Low")
RESPOND = ("30m", "1h", "4h", "8h")
RESOLVE = ("4h", "8h", "2 business days", "5 business days")
WINDOWS = ("08:00-17:00", "09:00-17:00", "09:00-18:00", "07:30-16:30", "10:00-19:00")
ZONES = ("Asia/Jakarta", "Asia/Bangkok", "America/Sao_Paulo", "Europe/London", "GMT+7", "UTC-03:00")


def median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def generated_contract(target_lines: int) -> str:
    """A contract of about `target_lines` lines that checks clean."""
    out = ['contract "Generated" {', '  provider "Bench"', "  zone Asia/Jakarta", "  currency IDR"]
    out.append(f"  priorities {', '.join(PRIORITIES)}")
    calendars = max(10, target_lines // 40)
    for i in range(calendars):
        week = f"Mon-Fri {WINDOWS[i % len(WINDOWS)]}"
        if i % 3 == 0:
            week += " Sat 09:00-12:00"
        holidays = " except Dec 25, Jan 1" if i % 4 == 0 else ""
        if i % 25 == 0:
            holidays = " except holidays(TH) 2024..2030"
        out.append(f"  calendar cal{i} = {week} {ZONES[i % len(ZONES)]}{holidays}")
    channels = max(4, target_lines // 400)
    for i in range(channels):
        out += [f"  channel ch{i} {{", f'    contact "support{i}@example.com"',
                f"    default priority {PRIORITIES[i % 4]}", f"    hours cal{i % calendars}", "  }"]
    services = max(2, target_lines // 250)
    for i in range(services):
        out += [f"  service svc{i} {{", "    availability 99.9% per month",
                "    downtime starts at earliest(report, detection)",
                "    credit tiers of monthly fee {", "      99.0%..99.9% -> 5%", "      98.0%..98.9% -> 10%",
                "      below 98.0% -> 30%", "    }", "  }"]
    plan = 0
    while len(out) < target_lines - 2:
        parent = f" includes plan{plan - 1}" if plan % 5 else ""  # chains of five plans
        out.append(f"  plan plan{plan}{parent} {{")
        out.append(f"    hours cal{plan % calendars}")
        out.append(f"    channels ch{plan % channels}")
        out.append(f"    price IDR {100_000 + plan} per month")
        for level, name in enumerate(PRIORITIES):
            out.append(f"    priority {name} respond {RESPOND[level]} resolve {RESOLVE[level]}")
        if plan % 10 == 0:
            out += ["    escalate {", '      0h..2h "Agent"', '      2h..8h "Lead"', '      8h.. "Manager"', "    }"]
        out.append("  }")
        plan += 1
    out.append("}")
    return "\n".join(out) + "\n"


def stages(text: str, repeats: int) -> list[tuple[str, float]]:
    """Median seconds of each stage on `text`."""
    data = text.encode("utf-8")
    decoded, _ = decode(data, "generated.sla")
    tree, _ = parse_text(decoded, "generated.sla")
    module, _ = to_ast(tree, "generated.sla")
    return [
        ("decode", median_seconds(lambda: decode(data, "generated.sla"), repeats)),
        ("parse (Lark)", median_seconds(lambda: parse_text(decoded, "generated.sla"), repeats)),
        ("to_ast", median_seconds(lambda: to_ast(tree, "generated.sla"), repeats)),
        ("check", median_seconds(lambda: check(module, "generated.sla"), repeats)),
    ]


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeats", type=int, default=7)
    options.add_argument("--lines", type=int, default=10_000)
    args = options.parse_args()

    start = time.perf_counter()
    parser()
    print(f"build the Lark parser (once per process): {(time.perf_counter() - start) * 1000:8.1f} ms")

    paths = sorted((ROOT / "contracts").glob("*.sla"))
    for path in paths:  # warm-up: imports, holiday tables
        compile_path(path, path.name)
    print(f"\ncheck each contract (median of {args.repeats}):")
    for path in paths:
        lines = path.read_text(encoding="utf-8").count("\n")
        seconds = median_seconds(lambda p=path: compile_path(p, p.name), args.repeats)
        print(f"  {path.name:<16} {lines:5d} lines {seconds * 1000:8.2f} ms")
    total = median_seconds(lambda: [compile_path(p, p.name) for p in paths], args.repeats)
    print(f"  all {len(paths)} contracts          {total * 1000:8.2f} ms   (target: well under 1000 ms)")

    text = generated_contract(args.lines)
    lines = text.count("\n")
    result = compile_text(text, "generated.sla")
    errors = sum(1 for d in result.diagnostics if d.is_error)
    print(f"\ngenerated contract: {lines:,} lines, {len(text):,} bytes, "
          f"{len(result.contract.plans) if result.contract else 0} plans, "
          f"{len(result.contract.calendars) if result.contract else 0} calendars; "
          f"{errors} error(s), {len(result.diagnostics) - errors} warning(s)")
    repeats = max(3, args.repeats // 2)
    seconds = median_seconds(lambda: compile_text(text, "generated.sla"), repeats)
    print(f"  front end + checker (median of {repeats}): {seconds:6.3f} s   (target: under 2 s)")
    if errors:
        print("    (not broken down by stage: the generated contract has errors, a bug in this script)")
    else:
        for name, stage_seconds in stages(text, repeats):
            print(f"    {name:<14} {stage_seconds:6.3f} s")

    broken = text[: text.rindex("}")] + "".join(f"  respnd {i}h\n" for i in range(30)) + "}\n"
    seconds = median_seconds(lambda: compile_text(broken, "generated.sla"), 1)
    print(f"  the same with 30 syntax errors at the end: {seconds:6.3f} s "
          f"(one pass: panic-mode recovery drops the bad statement)")


if __name__ == "__main__":
    main()
