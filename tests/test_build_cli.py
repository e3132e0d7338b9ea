"""`sladsl build [--check]`: atomic, deterministic output; the committed generated/ is fresh."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sladsl.cli import build, cli

ROOT = Path(__file__).resolve().parent.parent
GOOD = 'contract "Tiny" {\n  calendar office = Mon-Fri 09:00-17:00 UTC\n  plan P {\n    hours office\n    respond 1h\n  }\n}\n'


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    """A checkout-like folder: contracts/ copied, run from its root (display paths are relative)."""
    shutil.copytree(ROOT / "contracts", tmp_path / "contracts")
    monkeypatch.chdir(tmp_path)
    # The Markdown back end belongs to a colleague and changes on its own schedule: these tests
    # pin the build command with a stand-in renderer (its output must only be written alongside).
    monkeypatch.setattr(build, "markdown_renderer", lambda: (lambda contract: f"# {contract.name}\n"))
    return tmp_path


def test_committed_generated_folder_is_up_to_date(monkeypatch):
    # What makes CI fail on stale output: rebuild in memory and compare with generated/.
    monkeypatch.chdir(ROOT)
    result = run("build", "--check")
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_build_writes_one_line_per_file_and_is_deterministic(workdir):
    first = run("build", "--out", "out")
    assert first.exit_code == 0, first.output
    written = sorted(p.name for p in (workdir / "out").iterdir())
    assert "qiscus.py" in written and "rocketchat.py" in written and "qiscus.md" in written
    assert (workdir / "out" / "qiscus.md").read_text(encoding="utf-8") == "# Qiscus Enterprise Support\n"
    assert first.output.count("wrote out/") == len(written)
    snapshot = {name: (workdir / "out" / name).read_bytes() for name in written}
    assert run("build", "--out", "out").exit_code == 0
    assert {name: (workdir / "out" / name).read_bytes() for name in written} == snapshot
    assert not [p for p in (workdir / "out").iterdir() if p.name.endswith(".tmp")]
    assert run("build", "--out", "out", "--check").exit_code == 0


def test_check_lists_stale_missing_and_extra_files(workdir):
    assert run("build", "--out", "out").exit_code == 0
    (workdir / "out" / "qiscus.py").write_text("# edited\n", encoding="utf-8")
    (workdir / "out" / "vhostweb.py").unlink()
    (workdir / "out" / "orphan.py").write_text("", encoding="utf-8")
    result = run("build", "--out", "out", "--check")
    assert result.exit_code == 1
    assert "stale out/qiscus.py" in result.output
    assert "missing out/vhostweb.py" in result.output
    assert "extra out/orphan.py" in result.output
    assert (workdir / "out" / "qiscus.py").read_text(encoding="utf-8") == "# edited\n"  # nothing written


def test_contract_with_errors_writes_nothing_for_it_and_exits_1(workdir):
    (workdir / "contracts" / "broken.sla").write_text('contract "B" {\n  plan P {\n    respond 2 fortnights\n  }\n}\n',
                                                     encoding="utf-8")
    result = run("build", "--out", "out")
    assert result.exit_code == 1
    assert "broken.sla" in result.output and "error" in result.output
    assert not (workdir / "out" / "broken.py").exists()
    assert (workdir / "out" / "qiscus.py").exists()


def test_module_names_follow_py_name(workdir):
    (workdir / "one").mkdir()
    (workdir / "one" / "rocket-chat.sla").write_text(GOOD, encoding="utf-8")
    (workdir / "one" / "class.sla").write_text(GOOD, encoding="utf-8")
    result = run("build", "one", "--out", "out")
    assert result.exit_code == 0, result.output
    assert (workdir / "out" / "rocket_chat.py").exists() and (workdir / "out" / "class_.py").exists()


def test_contracts_named_like_imported_modules_do_not_break_siblings(workdir):
    # issue 20.10: `datetime.sla` generated `datetime.py`, which every sibling's `from datetime
    # import date` then imported instead of the standard library's.
    (workdir / "many").mkdir()
    stems = ("datetime", "fractions", "sladsl", "__init__", "qiscus")
    for stem in stems:
        (workdir / "many" / f"{stem}.sla").write_text(GOOD, encoding="utf-8")
    result = run("build", "many", "--out", "out")
    assert result.exit_code == 0, result.output
    names = sorted(p.stem for p in (workdir / "out").glob("*.py"))
    assert names == ["__init___sla", "datetime_sla", "fractions_sla", "qiscus", "sladsl_sla"]
    probe = "import importlib, sys\nfor name in sys.argv[1:]:\n    assert importlib.import_module(name).CONTRACT\n"
    done = subprocess.run([sys.executable, "-c", probe, *names], check=False, cwd=workdir / "out",
                          env={**os.environ, "PYTHONPATH": str(workdir / "out")},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_clashing_module_names_are_reported(workdir):
    (workdir / "two").mkdir()
    (workdir / "two" / "a-b.sla").write_text(GOOD, encoding="utf-8")
    (workdir / "two" / "a_b.sla").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "two", "--out", "out"])
    assert result.exit_code == 1
    assert "both produce `a_b.py`" in result.output


def test_interrupted_write_leaves_the_old_file_intact(workdir, monkeypatch):
    assert run("build", "--out", "out").exit_code == 0
    target = workdir / "out" / "qiscus.py"
    target.write_bytes(b"# old\n")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    result = CliRunner().invoke(cli, ["build", "--out", "out"])
    assert result.exit_code == 2
    assert "No space left on device" in result.output and "Traceback" not in result.output
    assert target.read_bytes() == b"# old\n"
    assert not [p for p in (workdir / "out").iterdir() if p.name.endswith(".tmp")]


def test_unwritable_output_directory_is_a_one_line_error(workdir, monkeypatch):
    # The tests may run as root, which ignores directory permissions: refuse at the write call.
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = CliRunner().invoke(cli, ["build", "--out", "locked"])
    assert result.exit_code == 2
    assert "cannot write" in result.output and "Permission denied" in result.output
    assert "Traceback" not in result.output


def test_ctrl_c_during_build_exits_130_and_leaves_no_partial_file(workdir, monkeypatch, capsys):
    import sys

    from sladsl.cli import main

    assert run("build", "--out", "out").exit_code == 0
    target = workdir / "out" / "qiscus.py"
    target.write_bytes(b"# old\n")

    def interrupt(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    monkeypatch.setattr(sys, "argv", ["sladsl", "build", "--out", "out"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 130
    assert "interrupted" in capsys.readouterr().err
    assert target.read_bytes() == b"# old\n"
    assert not [p for p in (workdir / "out").iterdir() if p.name.endswith(".tmp")]


def test_output_path_below_a_file_is_a_one_line_error(workdir):
    (workdir / "afile").write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--out", "afile/sub"])
    assert result.exit_code == 2
    assert "cannot write" in result.output and "Traceback" not in result.output
    assert CliRunner().invoke(cli, ["build", "--out", "afile"]).exit_code == 2  # not a directory


def test_missing_path_is_a_usage_error(workdir):
    result = CliRunner().invoke(cli, ["build", "nowhere"])
    assert result.exit_code == 2 and "no such file or directory" in result.output


def test_without_a_markdown_back_end_only_modules_are_built(workdir, monkeypatch):
    monkeypatch.setattr(build, "markdown_renderer", lambda: None)
    assert run("build", "--out", "out").exit_code == 0
    assert sorted(p.suffix for p in (workdir / "out").iterdir()) == [".py"] * 5


def test_a_failing_renderer_is_reported_without_a_traceback(workdir, monkeypatch):
    def broken(contract):
        raise RuntimeError("template bug")

    monkeypatch.setattr(build, "markdown_renderer", lambda: broken)
    result = CliRunner().invoke(cli, ["build", "--out", "out"])
    assert result.exit_code == 1 and "RuntimeError: template bug" in result.output
    assert (workdir / "out" / "qiscus.py").exists() and not (workdir / "out" / "qiscus.md").exists()


def test_lone_surrogate_is_a_diagnostic_in_build_and_render(workdir):
    # issue 20.11: `note "\ud800"` passed check and crashed build and render with a traceback.
    (workdir / "s").mkdir()
    lone = GOOD.replace("  plan P {", '  note "half \\ud800"\n  plan P {')
    (workdir / "s" / "lone.sla").write_text(lone, encoding="utf-8")
    for args in (("build", "s", "--out", "out"), ("render", "s/lone.sla")):
        result = CliRunner().invoke(cli, list(args))
        assert result.exit_code == 1, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "error[E007]" in result.output
    assert not (workdir / "out" / "lone.py").exists()


def test_surrogate_pair_escape_is_one_character():
    from sladsl import ast
    from sladsl.pipeline import Source, front_end

    module, diagnostics = front_end(Source("pair.sla", 'note "smile \\ud83d\\ude00 \\u00e9"\n'))
    assert diagnostics == []
    (prose,) = [n for n in ast.walk(module) if isinstance(n, ast.Prose)]
    assert prose.text == "smile \U0001f600 \u00e9"


def test_check_on_named_files_judges_only_their_outputs(workdir):
    # issue 20.13: `build contracts/qiscus.sla --check` reported the other contracts' outputs as extra.
    assert run("build", "--out", "out").exit_code == 0
    result = run("build", "contracts/qiscus.sla", "--out", "out", "--check")
    assert result.exit_code == 0, result.output
    assert "extra" not in result.output and "3 file(s) in out are up to date" in result.output  # .py, .md, .html
    (workdir / "out" / "orphan.py").write_text("# orphan\n", encoding="utf-8")
    assert run("build", "contracts/qiscus.sla", "--out", "out", "--check").exit_code == 0
    assert "extra out/orphan.py" in run("build", "contracts", "--out", "out", "--check").output


def test_build_bytes_do_not_depend_on_the_working_directory(workdir, monkeypatch):
    # issue 22.3: from the root, from contracts/, from outside the tree: the same bytes, no absolute path.
    monkeypatch.setattr(build, "markdown_renderer", lambda: None)
    outside = workdir / "elsewhere"
    outside.mkdir()
    runs = {"root": (workdir, ["contracts", "--out", "out_root"]),
            "inside": (workdir / "contracts", [".", "--out", "../out_inside"]),
            "outside": (outside, [str(workdir / "contracts"), "--out", str(workdir / "out_outside")])}
    for cwd, args in runs.values():
        monkeypatch.chdir(cwd)
        assert run("build", *args).exit_code == 0
    trees = {}
    for label in runs:
        folder = workdir / f"out_{label}"
        trees[label] = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    assert len(trees["root"]) == 5 and trees["root"] == trees["inside"] == trees["outside"]
    for data in trees["outside"].values():
        assert str(workdir).encode() not in data and b"contracts/" not in data
    # --check from yet another directory, against the folder built from the root
    monkeypatch.chdir(outside)
    result = run("build", str(workdir / "contracts"), "--out", str(workdir / "out_root"), "--check")
    assert result.exit_code == 0, result.output


def test_build_is_atomic_as_a_whole(workdir, monkeypatch):
    # issue 21.11: a full disk on the third output left the folder mixing old and new files.
    from sladsl.cli import common

    assert run("build", "--out", "out").exit_code == 0
    before = {p.name: p.read_bytes() for p in (workdir / "out").iterdir()}
    for name in before:
        (workdir / "out" / name).write_bytes(b"# old\n")
    staged = []
    real_stage = common._stage

    def fail_third(path, data):
        if len(staged) == 2:
            raise OSError(28, "No space left on device")
        staged.append(path)
        return real_stage(path, data)

    monkeypatch.setattr(common, "_stage", fail_third)
    result = CliRunner().invoke(cli, ["build", "--out", "out"])
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert "no file was changed" in result.output
    assert {p.name: p.read_bytes() for p in (workdir / "out").iterdir()} == {n: b"# old\n" for n in before}


def test_leftover_temp_files_are_reported_by_check_and_removed_by_build(workdir):
    assert run("build", "--out", "out").exit_code == 0
    leftover = workdir / "out" / ".qiscus.py.k3x_9abc.tmp"  # what a build killed with SIGKILL leaves
    leftover.write_bytes(b"half a module")
    unrelated = workdir / "out" / ".notes.txt.k3x_9abc.tmp"  # not an output of ours: left alone
    unrelated.write_bytes(b"")
    result = run("build", "--out", "out", "--check")
    assert result.exit_code == 1 and "leftover out/.qiscus.py.k3x_9abc.tmp" in result.output
    result = run("build", "--out", "out")
    assert result.exit_code == 0 and "removed leftover out/.qiscus.py.k3x_9abc.tmp" in result.output
    assert not leftover.exists() and unrelated.exists()
    assert run("build", "--out", "out", "--check").exit_code == 0


def test_new_outputs_follow_the_umask(workdir):
    old = os.umask(0o027)
    try:
        assert run("build", "--out", "out").exit_code == 0
    finally:
        os.umask(old)
    modes = {p.name: p.stat().st_mode & 0o777 for p in (workdir / "out").iterdir()}
    assert set(modes.values()) == {0o640}, modes
