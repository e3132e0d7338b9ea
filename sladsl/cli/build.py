"""`sladsl build`: contracts -> generated/<module>.py evaluators (and <stem>.md documents)."""

from __future__ import annotations

from pathlib import Path

import click

from sladsl.cli.common import (
    UsageProblem,
    compile_file,
    contract_files,
    display_name,
    print_diagnostics,
    write_atomic,
)
from sladsl.diagnostics import printable
from sladsl.to_python import py_name, to_python

OUTPUT_SUFFIXES = (".py", ".md", ".html")


def markdown_renderer():
    """`sladsl.to_markdown.render` when that back end exists, else None."""
    try:
        from sladsl.to_markdown import render
    except ModuleNotFoundError as error:
        if error.name == "sladsl.to_markdown":
            return None
        raise
    return render


def _render_html(contract) -> str:
    """The published web page, written beside the Markdown document."""
    from sladsl.to_html import render_html

    return render_html(contract)


def render_outputs(files: list[Path]) -> tuple[dict[str, bytes], list, list[str]]:
    """Render every contract in memory: ({file name: bytes}, failed results, problems)."""
    render_md = markdown_renderer()
    outputs: dict[str, bytes] = {}
    owners: dict[str, str] = {}
    failed, problems = [], []
    for path in files:
        result = compile_file(path)
        if not result.ok or result.contract is None:
            failed.append(result)
            continue
        try:
            source = path.read_bytes()
        except OSError as error:
            raise UsageProblem(f"cannot read `{path}`: {error.strerror or error}") from error
        names = {f"{py_name(path.stem)}.py": lambda c=result.contract, s=source: to_python(c, s)}
        if render_md is not None:
            names[f"{path.stem}.md"] = lambda c=result.contract: render_md(c)
            names[f"{path.stem}.html"] = lambda c=result.contract: _render_html(c)
        for name, render in names.items():
            if name in owners:
                problems.append(f"`{display_name(path)}` and `{owners[name]}` both produce `{name}`: "
                                "rename one of the contracts")
                continue
            owners[name] = display_name(path)
            try:
                text = render()
            except Exception as error:  # a back end bug must not become a traceback here
                problems.append(f"cannot render `{name}` from `{display_name(path)}`: "
                                f"{type(error).__name__}: {error}")
                continue
            outputs[name] = text.encode("utf-8")
    return outputs, failed, problems


@click.command("build")
@click.argument("paths", nargs=-1)
@click.option("--out", "out", default="generated", show_default=True, metavar="DIR",
              help="Directory for the generated modules and documents.")
@click.option("--check", "check", is_flag=True,
              help="Compare with the files in --out instead of writing; exit 1 when stale.")
def build_command(paths: tuple[str, ...], out: str, check: bool) -> None:
    """Compile contracts (files or directories; default `contracts/`) into evaluators."""
    files = contract_files(paths or ("contracts",))
    if not files:
        raise UsageProblem("no `.sla` files found")
    outputs, failed, problems = render_outputs(files)
    if failed:
        print_diagnostics(failed, "text")
    for problem in problems:
        click.echo(f"sladsl: {printable(problem)}", err=True)
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageProblem(f"`{out}` is not a directory")
    if check:
        stale = _compare(out_dir, outputs, complete=not failed and not problems)
        for line in stale:
            click.echo(printable(line))
        if stale or failed or problems:
            raise SystemExit(1)
        click.echo(f"{len(outputs)} file(s) in {printable(out_dir.as_posix())} are up to date")
        return
    for name in sorted(outputs):
        target = out_dir / name
        if _read(target) == outputs[name]:
            click.echo(f"unchanged {printable(target.as_posix())}")  # same bytes: keep the file and its mtime
            continue
        try:
            write_atomic(target, outputs[name])
        except OSError as error:
            raise UsageProblem(f"cannot write `{target.as_posix()}`: {error.strerror or error}") from error
        click.echo(f"wrote {printable(target.as_posix())}")
    if failed or problems:
        raise SystemExit(1)


def _compare(out_dir: Path, outputs: dict[str, bytes], *, complete: bool) -> list[str]:
    """Lines naming stale, missing and (when every contract built) extra files."""
    lines = []
    for name in sorted(outputs):
        target = out_dir / name
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            lines.append(f"missing {target.as_posix()}")
            continue
        except OSError as error:
            raise UsageProblem(f"cannot read `{target.as_posix()}`: {error.strerror or error}") from error
        if current != outputs[name]:
            lines.append(f"stale {target.as_posix()}")
    if complete and out_dir.is_dir():
        try:
            present = sorted(p.name for p in out_dir.iterdir()
                             if p.is_file() and p.suffix in OUTPUT_SUFFIXES)
        except OSError as error:
            raise UsageProblem(f"cannot read directory `{out_dir.as_posix()}`: {error.strerror}") from error
        lines += [f"extra {(out_dir / name).as_posix()}" for name in present if name not in outputs]
    return lines


COMMANDS = (build_command,)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
