"""`sladsl render`: a contract's published document (Markdown or a web page) on stdout or in a file."""

from __future__ import annotations

from pathlib import Path

import click

from sladsl.cli.common import (
    UsageProblem, checked_for_output, write_atomic,
)
from sladsl.diagnostics import render_text


@click.command("render")
@click.argument("contract")
@click.option("-o", "--output", "output", metavar="FILE",
              help="Write the document to FILE (atomically) instead of standard output.")
@click.option("--cite", is_flag=True,
              help="Review copy: name the contract line behind each statement and the text each "
                   "reading settles (the published document carries no citations).")
@click.option("--format", "output_format", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True,
              help="markdown: the document; html: a standalone web page with support-hours and "
                   "credit charts.")
def render_command(contract: str, output: str | None, cite: bool, output_format: str) -> None:
    """Render CONTRACT as its published SLA document (Markdown, or HTML with --format html)."""
    result = checked_for_output(contract, output)

    # Warnings go to stderr so that stdout stays the document; `sladsl check` explains them.
    for diagnostic in result.diagnostics:
        click.echo(render_text(diagnostic, {result.source.file: result.source.text or ""}), err=True)

    # Late imports: jinja2 (and markdown-it-py for HTML) load only for this command.
    if output_format == "html":
        from sladsl.to_html import render_html as render
    else:
        from sladsl.to_markdown import render

    text = render(result.contract, cite=cite)
    if output is None:
        click.echo(text, nl=False)
        return
    target = Path(output)
    if target.is_dir():
        raise UsageProblem(f"`{output}` is a directory: give a file name")
    try:
        write_atomic(target, text.encode("utf-8"))
    except OSError as error:
        raise UsageProblem(f"cannot write `{output}`: {error.strerror or error}") from error


COMMANDS = (render_command,)
