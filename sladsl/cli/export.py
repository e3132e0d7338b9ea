"""`sladsl export`: a contract's objectives in the formats of other tools (OpenSLO v1 YAML)."""

from __future__ import annotations

from pathlib import Path

import click

from sladsl.cli.common import (
    UsageProblem, checked_for_output, write_atomic,
)
from sladsl.diagnostics import printable


@click.group("export")
def export_group() -> None:
    """Export a contract's objectives for other tools (OpenSLO)."""


@export_group.command("openslo")
@click.argument("contract")
@click.option("-o", "--output", "output", metavar="FILE",
              help="Write the YAML to FILE (atomically) instead of standard output.")
def openslo_command(contract: str, output: str | None) -> None:
    """OpenSLO v1 YAML: a Service and an SLO per availability objective of CONTRACT."""
    result = checked_for_output(contract, output)
    try:
        import yaml  # noqa: F401  (the `openslo` extra)
    except ImportError:
        raise UsageProblem("the OpenSLO export needs PyYAML: pip install 'sladsl[openslo]'") from None
    from sladsl.to_openslo import ExportError, dump, to_openslo

    try:
        documents, notes = to_openslo(result.contract)
    except ExportError as error:
        click.echo(f"sladsl: {printable(str(error))}", err=True)
        raise SystemExit(1) from None
    for note in notes:
        click.echo(f"note: {printable(note)}", err=True)
    text = dump(documents)
    if output is None:
        click.echo(text, nl=False)
        return
    if Path(output).is_dir():
        raise UsageProblem(f"`{output}` is a directory: give a file name")
    try:
        write_atomic(Path(output), text.encode("utf-8"))
    except OSError as error:
        raise UsageProblem(f"cannot write `{output}`: {error.strerror or error}") from error


COMMANDS = (export_group,)
