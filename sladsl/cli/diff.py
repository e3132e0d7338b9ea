"""`sladsl diff OLD NEW`: the difference in meaning between two versions of a contract.

Exit codes follow diff(1): 0 the same meaning, 1 different, 2 errors (a contract that does not
check, a missing file or revision).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import click

from sladsl.cli.common import UsageProblem, display_name
from sladsl.diagnostics import render_text
from sladsl.pipeline import Result, Source, compile_source


def _read(spec: str) -> tuple[str, bytes]:
    """(display name, bytes) of `path` or of `path@REV` (the path as of a git revision)."""
    path = Path(spec)
    if path.is_file():
        return display_name(path), path.read_bytes()
    if "@" not in spec:
        raise UsageProblem(f"no such file: `{spec}`")
    name, rev = spec.rsplit("@", 1)
    file = Path(name)
    if not rev:
        raise UsageProblem(f"`{spec}`: give a git revision after `@`")
    try:
        shown = subprocess.run(["git", "show", f"{rev}:./{file.name}"], cwd=file.parent or Path("."),
                               capture_output=True, check=False)
    except OSError as error:
        raise UsageProblem(f"cannot run git for `{spec}`: {error.strerror or error}") from error
    if shown.returncode != 0:
        reason = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageProblem(f"cannot read `{spec}` from git: {reason[-1] if reason else 'failed'}")
    return f"{display_name(file)}@{rev}", shown.stdout


def load_version(spec: str) -> Result:
    """Check one side of a diff; a contract that does not check is a UsageProblem after its
    diagnostics are printed (exit 2, as diff(1) does for trouble)."""
    from sladsl.parse import decode

    display, data = _read(spec)
    text, diagnostics = decode(data, display)
    result = compile_source(Source(display, text), diagnostics)
    if not result.ok or result.contract is None:
        sources = {result.source.file: result.source.text or ""}
        for diagnostic in result.diagnostics:
            click.echo(render_text(diagnostic, sources) + "\n", err=True)
        raise UsageProblem(f"`{spec}` has errors: fix them before comparing")
    return result


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="text: one line per change; markdown: a change notice for "
              "customers; json: the changes as data.")
def diff_command(old: str, new: str, fmt: str) -> None:
    """The difference in meaning between contract versions OLD and NEW (files, or `path@REV`)."""
    from sladsl.diff import RENDERERS, diff

    before, after = load_version(old), load_version(new)
    changes = diff(before.contract, after.contract)
    click.echo(RENDERERS[fmt](before.contract, after.contract, changes), nl=False)
    raise SystemExit(1 if changes else 0)


COMMANDS = (diff_command,)
