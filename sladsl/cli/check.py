"""`sladsl check`: diagnostics for contracts, and `--explain CODE`."""

from __future__ import annotations

from pathlib import Path

import click

from sladsl.cli.common import UsageProblem, compile_file, contract_files, print_diagnostics


@click.command("check")
@click.argument("paths", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as failures.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format for diagnostics.")
@click.option("--explain", "explain", metavar="CODE", help="Print the documentation of a diagnostic code.")
@click.option("--versions", "versions", is_flag=True,
              help="Check each directory given as the versions of one contract, a file each.")
@click.option("--sql", "for_sql", is_flag=True,
              help="Also report clauses the SQL back end (`sladsl sql`, `--engine duckdb|spark`) "
                   "cannot compute (E801).")
def check_command(paths: tuple[str, ...], strict: bool, fmt: str, explain: str | None,
                  versions: bool = False, for_sql: bool = False) -> None:
    """Check contracts (files or directories; default `contracts/`) and report diagnostics."""
    if explain:
        from sladsl.explain import explain_code

        text = explain_code(explain)
        if text is None:
            raise UsageProblem(f"unknown diagnostic code `{explain}`")
        click.echo(text)
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
        click.echo(f"checked {len(files)} file(s): {errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        raise SystemExit(1)


COMMANDS = (check_command,)
