"""`sladsl check FILE...` without click: the command's work (`run_check`) and a small front door
(`main`) for its common forms.

Importing click costs more than checking a contract, so `sladsl/__main__.py` hands
`sladsl check ...` to `main` first. It understands only paths, `--strict` and
`--format text|json` (also `--format=json`), in any order; anything else (`--help`, `--explain`,
`--versions`, `--sql`, `--`, an unknown option or a bad value, shell completion) it leaves to
click untouched, which prints its usage errors and help as always. Both run `run_check` and print
through `sladsl.cli.output.echo`, so the output and exit code are the same byte for byte
(tests/test_quick_check.py runs both over many argument lists).
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from sladsl.cli.output import UsageProblem, echo

_FORMATS = ("text", "json")


def run_check(paths: tuple[str, ...] | list[str], *, strict: bool = False, fmt: str = "text",
              explain: str | None = None, versions: bool = False, for_sql: bool = False) -> None:
    """Check contracts (files or directories; default `contracts/`) and print the diagnostics.

    Raises SystemExit(1) when an error is found (or a warning, with `strict`), UsageProblem
    for a missing path or nothing to check."""
    from sladsl.cli.common import compile_file, contract_files, print_diagnostics

    if explain:
        from sladsl.explain import explain_code

        text = explain_code(explain)
        if text is None:
            raise UsageProblem(f"unknown diagnostic code `{explain}`")
        echo(text)
        return
    if versions:  # each directory is one contract (docs/language.md "Versions")
        files = [Path(p) for p in paths]
        missing = [p for p in paths if not Path(p).is_dir()]
        if not paths or missing:
            raise UsageProblem("--versions: give directories, each holding the versions of one "
                               "contract" + (f" (not a directory: `{missing[0]}`)" if missing else ""))
    else:
        files = contract_files(paths or ("contracts",))
    if not files:
        raise UsageProblem("no `.sla` files found")
    results = [compile_file(path) for path in files]
    if for_sql:
        from sladsl.to_sql_guard import with_sql_refusals

        results = [with_sql_refusals(r) for r in results]
    print_diagnostics(results, fmt)
    errors = sum(1 for r in results for d in r.diagnostics if d.is_error)
    warnings = sum(1 for r in results for d in r.diagnostics if not d.is_error)
    if fmt == "text":
        echo(f"checked {len(files)} file(s): {errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        raise SystemExit(1)


def parse_arguments(args: list[str]) -> tuple[list[str], bool, str] | None:
    """(paths, strict, format) of `sladsl check ARGS`, or None when click must read them."""
    paths: list[str] = []
    strict, fmt = False, "text"
    rest = iter(args)
    for arg in rest:
        if arg == "--strict":
            strict = True
        elif arg == "--format" or arg.startswith("--format="):
            value = arg[len("--format="):] if "=" in arg else next(rest, None)
            if value not in _FORMATS:
                return None  # click words the error
            fmt = value
        elif arg.startswith("-"):
            return None
        else:
            paths.append(arg)
    return paths, strict, fmt


def main(args: list[str]) -> None:
    """Run `sladsl check ARGS` and exit, or return (having done nothing) for click to run it."""
    if "_SLADSL_COMPLETE" in os.environ:  # click's shell completion
        return
    parsed = parse_arguments(args)
    if parsed is None:
        return
    paths, strict, fmt = parsed
    _start_up()
    try:
        run_check(paths, strict=strict, fmt=fmt)
    except UsageProblem as problem:
        problem.show()
        sys.exit(problem.exit_code)
    except (EOFError, KeyboardInterrupt):  # as click and then `sladsl.cli.app.main` word it
        echo("", err=True)
        echo("sladsl: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:  # as click: quiet streams, so the exit does not report the pipe again
        from click.utils import PacifyFlushWrapper

        sys.stdout = PacifyFlushWrapper(sys.stdout)  # type: ignore[assignment]
        sys.stderr = PacifyFlushWrapper(sys.stderr)  # type: ignore[assignment]
        sys.exit(1)
    finally:
        gc.freeze()  # the process ends: the collection at exit need not walk what is left
    sys.exit(0)


def _start_up() -> None:
    """Import what checking needs and load the parser with the cyclic garbage collector paused,
    then set those objects aside for good (`gc.freeze`): they live as long as the process, and
    every collection would walk them again. A parser that cannot be loaded is left for the first
    contract to report, as it would be without this."""
    gc.disable()
    try:
        import sladsl.check  # noqa: F401
        import sladsl.cli.common  # noqa: F401
        from sladsl.parse import parser

        try:
            parser()
        except Exception:  # noqa: BLE001, S110 - raised again, in its place, by the first parse
            pass
    finally:
        gc.freeze()
        gc.enable()
