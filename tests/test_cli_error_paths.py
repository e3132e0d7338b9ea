"""Every command's error paths: missing inputs, unwritable outputs, a full disk, Ctrl-C.

Each must end in one line on stderr and a documented exit code (docs/cli.md): 2 for usage and
I/O problems, 130 for an interrupt; never a traceback, never a partial output file.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sladsl.cli import cli, main

ROOT = Path(__file__).resolve().parent.parent

# (command line, the file it writes) for every command that writes a file
WRITERS = [
    (["fmt", "contracts/messy.sla"], "contracts/messy.sla"),
    (["render", "contracts/qiscus.sla", "-o", "out/qiscus.md"], "out/qiscus.md"),
    (["build", "contracts/qiscus.sla", "--out", "out"], "out/qiscus.py"),
    (["eval", "contracts/qiscus.sla", "--tickets", "examples/tickets-qiscus.csv", "--now",
      "2026-12-31T00:00:00+07:00", "--format", "csv", "-o", "out/verdicts.csv"], "out/verdicts.csv"),
    (["uptime", "contracts/vhostweb.sla", "--incidents", "examples/incidents-vhostweb.csv",
      "--period", "2026-04", "-o", "out/uptime.txt"], "out/uptime.txt"),
]

MISSING_INPUTS = [
    ["check", "nope.sla"],
    ["fmt", "nope.sla"],
    ["render", "nope.sla"],
    ["build", "nope.sla"],
    ["eval", "nope.sla", "--tickets", "examples/tickets-qiscus.csv"],
    ["eval", "contracts/qiscus.sla", "--tickets", "nope.csv"],
    ["uptime", "contracts/vhostweb.sla", "--incidents", "nope.csv", "--period", "2026-04"],
    ["explain", "contracts/qiscus.sla", "--ticket", "T1", "--tickets", "nope.csv"],
]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A copy of the contracts and examples, as the working directory."""
    shutil.copytree(ROOT / "contracts", tmp_path / "contracts")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "contracts" / "messy.sla").write_text("priority   A respond 1h   within  business(09:00-17:00 UTC)\n",
                                                     encoding="utf-8")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _old_content(target: Path) -> bytes:
    """What the file holds before the run (`fmt` rewrites its input in place: keep that)."""
    if not target.exists():
        target.write_bytes(b"old\n")
    return target.read_bytes()


def invoke(args):
    return CliRunner().invoke(cli, args)


@pytest.mark.parametrize("args", MISSING_INPUTS, ids=lambda a: " ".join(a[:2]))
def test_a_missing_input_is_a_one_line_usage_error(workdir, args):
    result = invoke(args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(
        result.exception, SystemExit)
    assert "nope" in result.output


@pytest.mark.parametrize("args, written", WRITERS, ids=lambda a: a[0] if isinstance(a, list) else "")
def test_the_commands_run_here(workdir, args, written):
    """The baseline for the failure tests below: each command succeeds and writes its file."""
    result = invoke(args)
    assert result.exit_code == 0, result.output
    assert (workdir / written).is_file()


@pytest.mark.parametrize("args, written", WRITERS, ids=lambda a: a[0] if isinstance(a, list) else "")
def test_a_full_disk_is_a_one_line_error_and_leaves_the_old_file(workdir, monkeypatch, args, written):
    target = workdir / written
    old = _old_content(target)

    def full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    result = invoke(args)
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.output
    assert "Traceback" not in result.output
    assert target.read_bytes() == old
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("args, written", WRITERS, ids=lambda a: a[0] if isinstance(a, list) else "")
def test_ctrl_c_while_writing_exits_130_and_leaves_the_old_file(workdir, monkeypatch, capsys, args, written):
    target = workdir / written
    old = _old_content(target)

    def interrupt(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    monkeypatch.setattr(sys, "argv", ["sladsl", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 130
    assert capsys.readouterr().err.strip().endswith("sladsl: interrupted")
    assert target.read_bytes() == old
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_an_unreadable_contract_directory_is_a_one_line_error(workdir, monkeypatch):
    def refuse(self, pattern):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "rglob", refuse)
    result = invoke(["check", "contracts"])
    assert result.exit_code == 2
    assert "cannot read directory" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("args", [[], ["export"]])
def test_a_group_without_a_command_prints_its_help_not_one_folded_line(args, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["sladsl", *args])
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Usage: ") and f"{' '.join(args)} [OPTIONS] COMMAND" in err.splitlines()[0]
    assert "\\n" not in err and "Commands:" in err
