"""`sladsl fmt`: rewrite contracts in canonical layout, keeping comments; `--check` only reports."""

from __future__ import annotations

import click

from sladsl.cli.common import UsageProblem, contract_files, display_name, write_atomic
from sladsl.diagnostics import printable, render_text
from sladsl.fmt import format_text
from sladsl.parse import decode


@click.command("fmt")
@click.argument("paths", nargs=-1)
@click.option("--check", is_flag=True,
              help="Change nothing; list the files that would change and exit 1 if any.")
def fmt_command(paths: tuple[str, ...], check: bool) -> None:
    """Format contracts (files or directories; default `contracts/`) in the canonical layout."""
    files = contract_files(paths or ("contracts",))
    if not files:
        raise UsageProblem("no `.sla` files found")
    failed = changed = 0
    for path in files:
        name = display_name(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UsageProblem(f"cannot read `{path}`: {error.strerror or error}") from error
        text, diagnostics = decode(data, name)
        formatted = None
        if text is not None:
            formatted, diagnostics = format_text(text, name)
        if formatted is None:
            failed += 1
            for diagnostic in diagnostics:
                click.echo(render_text(diagnostic, {name: text or ""}))
                click.echo("")
            continue
        new = formatted.encode("utf-8")
        if new == data:
            continue
        changed += 1
        if check:
            click.echo(f"would reformat {printable(name)}")
        else:
            try:
                write_atomic(path, new)
            except OSError as error:
                raise UsageProblem(f"cannot write `{path}`: {error.strerror or error}") from error
            click.echo(f"reformatted {printable(name)}")
    verb = "would reformat" if check else "reformatted"
    click.echo(f"{verb} {changed} of {len(files)} file(s)"
               + (f"; {failed} with syntax errors" if failed else ""))
    if failed or (check and changed):
        raise SystemExit(1)


COMMANDS = (fmt_command,)
