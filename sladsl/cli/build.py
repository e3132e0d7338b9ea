"""`sladsl build`: contracts -> generated/<module>.py evaluators (and <stem>.md documents).

What a build writes depends only on each contract's bytes and its file name: the generated files
name their source by file name (`qiscus.sla`), never by a path relative to the working directory
or an absolute one, so `sladsl build contracts/` from the root, `sladsl build .` from contracts/
and a build from outside the tree write the same bytes (docs/architecture.md).
"""

from __future__ import annotations

from pathlib import Path

import click

from sladsl.cli.common import (
    UsageProblem,
    compile_file,
    contract_files,
    display_name,
    leftover_temp_files,
    print_diagnostics,
    refuse_inputs_as_outputs,
    write_all_atomic,
)
from sladsl.diagnostics import printable
from sladsl.model import with_file
from sladsl.to_python import py_name, to_python

OUTPUT_SUFFIXES = (".py", ".md", ".html")
# A contract is a few KB and its outputs a few hundred; an output over this is almost always a
# holiday range or a calendar repeated far beyond need (issue 22.4), so the build says so.
LARGE_OUTPUT_BYTES = 5 * 10**6


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


def source_name(path: Path) -> str:
    """How generated files name their contract: the file name alone, whatever the working directory."""
    return path.name


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
        contract = with_file(result.contract, source_name(path))  # each version too
        names = {f"{py_name(path.stem)}.py": lambda c=contract, s=source: to_python(c, s)}
        if render_md is not None:
            names[f"{path.stem}.md"] = lambda c=contract: render_md(c)
            names[f"{path.stem}.html"] = lambda c=contract: _render_html(c)
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
            if len(outputs[name]) > LARGE_OUTPUT_BYTES:
                click.echo(f"sladsl: warning: `{printable(name)}` from `{printable(display_name(path))}` "
                           f"is {len(outputs[name]) / 1e6:.1f} MB (over {LARGE_OUTPUT_BYTES // 10**6} MB): "
                           "check the contract's holiday year ranges and repeated calendars", err=True)
    return outputs, failed, problems


@click.command("build")
@click.argument("paths", nargs=-1)
@click.option("--out", "out", default="generated", show_default=True, metavar="DIR",
              help="Directory for the generated modules and documents.")
@click.option("--check", "check", is_flag=True,
              help="Compare with the files in --out instead of writing; exit 1 when stale.")
def build_command(paths: tuple[str, ...], out: str, check: bool) -> None:
    """Compile contracts (files or directories; default `contracts/`) into evaluators."""
    paths = paths or ("contracts",)
    files = contract_files(paths)
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
    if not check:
        refuse_inputs_as_outputs([out_dir / name for name in outputs], files)
    if check:
        # Extra files are judged only when whole directories were named: `build a.sla --check`
        # says nothing about the outputs of contracts it was not asked about.
        whole = all(Path(p).is_dir() for p in paths)
        stale = _compare(out_dir, outputs, complete=whole and not failed and not problems)
        for line in stale:
            click.echo(printable(line))
        if stale or failed or problems:
            raise SystemExit(1)
        click.echo(f"{len(outputs)} file(s) in {printable(out_dir.as_posix())} are up to date")
        return
    _write(out_dir, outputs)
    if failed or problems:
        raise SystemExit(1)


def _write(out_dir: Path, outputs: dict[str, bytes]) -> None:
    """Write the changed outputs as one (all old or all new), after removing our leftover temp files."""
    for leftover in leftover_temp_files(out_dir, OUTPUT_SUFFIXES):
        try:
            leftover.unlink()
        except OSError as error:
            raise UsageProblem(f"cannot remove `{leftover.as_posix()}`: {error.strerror or error}") from error
        click.echo(f"removed leftover {printable(leftover.as_posix())}")
    changed = {}
    for name in sorted(outputs):
        target = out_dir / name
        if _read(target) == outputs[name]:
            click.echo(f"unchanged {printable(target.as_posix())}")  # same bytes: keep the file and its mtime
        else:
            changed[target] = outputs[name]
    try:
        write_all_atomic(changed)
    except OSError as error:
        raise UsageProblem(f"cannot write to `{out_dir.as_posix()}`: {error.strerror or error}; "
                           "no file was changed") from error
    for target in changed:
        click.echo(f"wrote {printable(target.as_posix())}")


def _compare(out_dir: Path, outputs: dict[str, bytes], *, complete: bool) -> list[str]:
    """Lines naming stale, missing, leftover temporary and (when `complete`) extra files."""
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
    lines += [f"leftover {p.as_posix()}" for p in leftover_temp_files(out_dir, OUTPUT_SUFFIXES)]
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
