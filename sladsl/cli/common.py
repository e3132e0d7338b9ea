"""Helpers shared by the CLI commands: finding contracts, printing diagnostics, atomic writes."""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

import click

from sladsl.diagnostics import Diagnostic, printable, render_json, render_text
from sladsl.pipeline import Result, compile_path

CONTRACT_SUFFIX = ".sla"


class UsageProblem(click.ClickException):
    """A usage or I/O problem: exit code 2, one line on stderr."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"sladsl: {printable(self.format_message())}", err=True)  # paths are untrusted


def contract_files(paths: Iterable[str]) -> list[Path]:
    """Expand files and directories into `.sla` files, sorted; missing paths are a UsageProblem."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                found += sorted(p for p in path.rglob(f"*{CONTRACT_SUFFIX}") if p.is_file())
            except OSError as error:
                raise UsageProblem(f"cannot read directory `{raw}`: {error.strerror}") from error
        elif path.exists():
            found.append(path)
        else:
            raise UsageProblem(f"no such file or directory: `{raw}`")
    return found


def display_name(path: Path) -> str:
    """A stable, relative display name (no absolute paths in output)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def compile_file(path: Path) -> Result:
    try:
        return compile_path(path, display_name(path))
    except IsADirectoryError as error:
        raise UsageProblem(f"`{path}` is a directory") from error
    except OSError as error:
        raise UsageProblem(f"cannot read `{path}`: {error.strerror or error}") from error


def print_diagnostics(results: list[Result], fmt: str) -> None:
    diagnostics: list[Diagnostic] = [d for r in results for d in r.diagnostics]
    if fmt == "json":
        click.echo(render_json(diagnostics))
        return
    sources = {r.source.file: r.source.text for r in results if r.source.text is not None}
    for diagnostic in diagnostics:
        click.echo(render_text(diagnostic, sources), err=False)
        click.echo("")


@contextmanager
def atomic_writer(path: Path, *, text: bool = False):
    """A file handle whose content appears at `path` only when the block ends without error.

    It writes a temporary file beside `path`, fsyncs it and renames it over `path`; on any
    exception (a full disk, Ctrl-C) the temporary file goes and the old `path` stays intact.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        mode = {"mode": "w", "encoding": "utf-8", "newline": "", "buffering": 1 << 20} if text else {"mode": "wb"}
        with os.fdopen(fd, **mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so readers never see a partial file (see `atomic_writer`)."""
    with atomic_writer(path) as handle:
        handle.write(data)


# ---- writing several files as one -------------------------------------------------------------

# The temporary files `atomic_writer` and `write_all_atomic` create: `.NAME.XXXXXXXX.tmp` beside
# NAME (tempfile.mkstemp's 8 random characters). A run killed with SIGKILL can leave one behind.
TEMP_FILE = re.compile(r"^\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp$")


def leftover_temp_files(directory: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Our temporary files in `directory` whose target ends with one of `suffixes`, sorted."""
    if not directory.is_dir():
        return []
    try:
        entries = sorted(directory.iterdir())
    except OSError as error:
        raise UsageProblem(f"cannot read directory `{directory.as_posix()}`: {error.strerror}") from error
    found = []
    for entry in entries:
        match = TEMP_FILE.match(entry.name)
        if match and match.group("target").endswith(suffixes) and entry.is_file():
            found.append(entry)
    return found


def write_all_atomic(files: dict[Path, bytes]) -> None:
    """Write every file so a reader sees all old or all new contents, never a mixture.

    Every file is first written in full to a temporary file beside its target and fsynced; only
    when all of them are on disk are they renamed over their targets, one after the other (a
    rename is atomic and takes microseconds). Any failure before the renames (a full disk,
    Ctrl-C) removes the temporary files and leaves every target untouched.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(path, data), path))
        while staged:
            tmp, path = staged[0]
            os.replace(tmp, path)
            staged.pop(0)
    except BaseException:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise


def _stage(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # a new file follows the umask, not mkstemp's 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask
