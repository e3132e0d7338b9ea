"""`sladsl check` without click (`sladsl/cli/quick.py`) prints and exits exactly as through click.

Every argument list below runs twice, through the console script's entry (`sladsl.__main__`,
which hands `check` to the click-free front door) and through the click application
(`sladsl.cli.app.main`); stdout, stderr and the exit code must be equal byte for byte. The lists
cover good, warning and bad contracts, `--strict`, `--format text|json` in every spelling,
options between paths, directories, several files, missing paths, hostile file names, and the
forms the front door leaves to click (help, other options, bad values). A few run as whole
processes too, and `check` must not import click.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sladsl.__main__ as console
from sladsl.cli import app, quick

ROOT = Path(__file__).resolve().parent.parent

WARNING_ONLY = """contract "Shop" {
  service Web {
    availability 99.9% per month
    credit per outage beyond 1h per started 1h {
      0.001% of monthly fee
      0.0001% of annual fee
    }
  }
}
"""
HOSTILE = "odd\x1b[31mname.sla"  # an escape sequence in a file name: printed escaped

# Forms the front door answers itself.
QUICK = [
    ["contracts/qiscus.sla"],
    ["good/a.sla", "good/b.sla"],
    ["warn.sla"],
    ["--strict", "warn.sla"],
    ["warn.sla", "--strict"],
    ["--strict", "--strict", "good/a.sla"],
    ["bad/syntax.sla"],
    ["bad/syntax.sla", "--strict", "good/a.sla"],
    ["--format", "json", "bad/syntax.sla"],
    ["--format=json", "good/a.sla", "warn.sla"],
    ["--format", "text", "bad"],
    ["--format=text", "--strict", "warn.sla"],
    ["--format", "json", "--format", "text", "warn.sla"],
    ["--format", "json", "--strict", "warn.sla"],
    ["bad"],
    ["good", "bad", "warn.sla"],
    [],
    [""],
    ["missing.sla"],
    ["good/a.sla", "missing.sla"],
    ["--format", "json", "missing.sla"],
    ["empty"],
    [HOSTILE],
    ["bad/latin1.sla"],
    ["contracts"],
]
# Forms it leaves to click.
CLICK = [
    ["--help"],
    ["-h"],
    ["good/a.sla", "--help"],
    ["--explain", "E001"],
    ["--explain", "E999"],
    ["--versions", "good"],
    ["--sql", "good/a.sla"],
    ["--", "good/a.sla"],
    ["--format", "xml", "good/a.sla"],
    ["--format", "JSON", "good/a.sla"],
    ["--format"],
    ["--format", "--strict", "good/a.sla"],
    ["--stric", "good/a.sla"],
    ["-s", "good/a.sla"],
    ["-", "good/a.sla"],
    ["--strict=yes", "good/a.sla"],
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("quick")
    shutil.copytree(ROOT / "contracts", root / "contracts")
    (root / "good").mkdir()
    shutil.copy(ROOT / "contracts" / "qiscus.sla", root / "good" / "a.sla")
    shutil.copy(ROOT / "contracts" / "vhostweb.sla", root / "good" / "b.sla")
    (root / "warn.sla").write_text(WARNING_ONLY, encoding="utf-8")
    (root / "bad").mkdir()
    (root / "bad" / "syntax.sla").write_text('contract "X" {\n  priority A respond 4q\n}\n', encoding="utf-8")
    (root / "bad" / "latin1.sla").write_bytes(b'contract "Caf\xe9" {\n}\n')
    (root / "bad" / "semantic.sla").write_text(
        'contract "Y" {\n  priority A respond 1h within calendar nowhere\n}\n', encoding="utf-8")
    (root / "empty").mkdir()
    (root / HOSTILE).write_text(WARNING_ONLY, encoding="utf-8")
    return root


def _run(entry, args: list[str], capfd) -> tuple[str, str, int]:
    old_argv = sys.argv
    sys.argv = ["sladsl", "check", *args]
    try:
        entry()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        sys.argv = old_argv
    sys.stdout.flush()
    sys.stderr.flush()
    out, err = capfd.readouterr()
    return out, err, code


@pytest.mark.parametrize("args", QUICK + CLICK, ids=repr)
def test_the_front_door_and_click_print_the_same(workdir: Path, monkeypatch, capfd, args: list[str]) -> None:
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("COLUMNS", "80")
    assert (quick.parse_arguments(args) is not None) == (args in QUICK), "the table is wrong"
    through_click = _run(app.main, args, capfd)
    through_front = _run(console.main, args, capfd)
    assert through_front == through_click
    assert "Traceback" not in through_front[1]


def test_the_cases_cover_every_outcome(workdir: Path, monkeypatch, capfd) -> None:
    monkeypatch.chdir(workdir)
    codes = {_run(console.main, args, capfd)[2] for args in QUICK}
    assert codes == {0, 1, 2}


@pytest.mark.parametrize("args", [["warn.sla", "--strict"], ["--format", "json", "bad"], ["missing.sla"],
                                  ["--help"]], ids=repr)
def test_whole_processes_print_the_same(workdir: Path, args: list[str]) -> None:
    env = {**os.environ, "COLUMNS": "80"}
    runs = []
    for code in ("import sys; sys.argv[0] = 'sladsl'; from sladsl.__main__ import main; main()",
                 "import sys; sys.argv[0] = 'sladsl'; from sladsl.cli.app import main; main()"):
        done = subprocess.run([sys.executable, "-c", code, "check", *args], cwd=workdir, env=env,
                              capture_output=True, check=False, timeout=300)
        runs.append((done.stdout, done.stderr, done.returncode))
    assert runs[0] == runs[1]


def test_check_runs_without_click(workdir: Path) -> None:
    code = ("import sys\nsys.argv = ['sladsl', 'check', 'good/a.sla']\n"
            "from sladsl.__main__ import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'click'))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.stdout.splitlines()[-1] == "[]", done.stdout + done.stderr
