"""Helpers shared by the CLI commands: finding contracts, printing diagnostics, atomic writes."""

from __future__ import annotations

import os
import re
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

from sladsl.cli.output import UsageProblem, echo
from sladsl.diagnostics import Diagnostic, render_json, render_text
from sladsl.pipeline import DirectoryProblem, Result, compile_directory, compile_path

CONTRACT_SUFFIX = ".sla"


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
    """Check a contract file, or a directory holding the versions of one contract."""
    try:
        if path.is_dir():
            return compile_directory(path, display_name(path))
        return compile_path(path, display_name(path))
    except DirectoryProblem as error:
        raise UsageProblem(str(error)) from error
    except IsADirectoryError as error:
        raise UsageProblem(f"`{path}` is a directory") from error
    except OSError as error:
        raise UsageProblem(f"cannot read `{path}`: {error.strerror or error}") from error


def checked_for_output(contract: str, output: str | None) -> Result:
    """The checked contract of a command whose stdout (or `output`) is what it makes from it:
    a missing file or an output naming the contract is a UsageProblem; a contract with errors
    prints its diagnostics on stderr and exits 1."""
    path = Path(contract)
    if not path.exists():
        raise UsageProblem(f"no such file: `{contract}`")
    if output is not None:
        refuse_inputs_as_outputs([Path(output)], [path])
    result = compile_file(path)
    if not result.ok or result.contract is None:
        print_diagnostics([result], "text", err=True)
        raise SystemExit(1)
    return result


def print_diagnostics(results: list[Result], fmt: str, *, err: bool = False) -> None:
    """Diagnostics as text or JSON; `err`: on stderr (commands whose stdout is their data, so a
    JSON stdout stays JSON or empty)."""
    diagnostics: list[Diagnostic] = [d for r in results for d in r.diagnostics]
    if fmt == "json":
        echo(render_json(diagnostics), err=err)
        return
    sources = {s.file: s.text for r in results for s in (r.source, *r.others) if s.text is not None}
    for diagnostic in diagnostics:
        echo(render_text(diagnostic, sources), err=err)
        echo("", err=err)


class Terminated(SystemExit):
    """SIGTERM or SIGHUP arrived while an output was being written: exit 128 + the signal."""


@contextmanager
def _signals_raise():
    """Turn SIGTERM and SIGHUP into `Terminated` for the block, so `finally`/`except` clean up
    (a killed CI job must not leave `.NAME.XXXX.tmp` behind); the old handlers come back after."""
    import signal  # here, as `tempfile` in the writers: `sladsl check` writes nothing
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]

    def raise_terminated(signum, frame):
        raise Terminated(128 + signum)

    previous = {number: signal.signal(number, raise_terminated) for number in wanted}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


def _new_file_mode(target: Path) -> int:
    """The mode the output gets: the replaced file's, else 0666 less the umask (what `open`
    gives a new file; `mkstemp`'s 0600 must not leak through the rename)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def write_target(path: Path) -> Path:
    """Where writing `path` lands: a symlink is written through (its target is replaced and the
    link stays a link, as editors do), anything else is `path` itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextmanager
def atomic_writer(path: Path, *, text: bool = False):
    """A file handle whose content appears at `path` only when the block ends without error.

    It writes a temporary file beside the target, fsyncs it and renames it over the target; on
    any exception (a full disk, Ctrl-C, SIGTERM or SIGHUP) the temporary file goes and the old
    file stays intact. The new file keeps the mode of the file it replaces, else follows the
    umask; a symlink `path` is written through (`write_target`).
    """
    target = write_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _new_file_mode(target)
    import tempfile

    with _signals_raise():
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            os.fchmod(fd, mode)
            kind = {"mode": "w", "encoding": "utf-8", "newline": "", "buffering": 1 << 20} \
                if text else {"mode": "wb"}
            with os.fdopen(fd, **kind) as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


def refuse_inputs_as_outputs(outputs: Iterable[Path], inputs: Iterable[Path]) -> None:
    """A UsageProblem when an output would replace one of the inputs: the same file, also
    through symbolic or hard links (`eval --tickets t.csv -o t.csv` would turn the tickets
    into verdicts, `render c.sla -o c.sla` the contract into Markdown)."""
    existing = []
    for path in inputs:
        try:
            existing.append((path, os.stat(path)))
        except OSError:
            continue
    for output in outputs:
        try:
            found = os.stat(output)
        except OSError:
            continue  # not there yet: it cannot be an input
        for path, known in existing:
            if (found.st_dev, found.st_ino) == (known.st_dev, known.st_ino):
                same = "" if os.fspath(output) == os.fspath(path) else \
                    f" (`{output}` and `{path}` are the same file)"
                raise UsageProblem(f"refusing to write over the input `{path}`{same}: "
                                   "give another output path")


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
    with _signals_raise():
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
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _new_file_mode(path))  # the umask (or the replaced file's), not 0600
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
