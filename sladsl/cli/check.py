"""`sladsl check`: diagnostics for contracts, and `--explain CODE`.

The work is `sladsl.cli.quick.run_check`, shared with the click-free front door that answers the
common `sladsl check FILE...` forms without importing click; this module is its click command.
"""

from __future__ import annotations

import click

from sladsl.cli.quick import run_check


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
    run_check(paths, strict=strict, fmt=fmt, explain=explain, versions=versions, for_sql=for_sql)


COMMANDS = (check_command,)
