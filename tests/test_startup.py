"""Start-up: the parser and holiday caches (`sladsl/cache.py`), lazy command loading, and what a
short command imports. Timings are in benchmarks/bench_startup.py; these tests pin the means.
"""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl.cache as cache
from sladsl import __version__
from sladsl.cli import LAZY_COMMANDS, cli
from sladsl.parse import grammar_path, parse_text
from sladsl.pipeline import compile_path

ROOT = Path(__file__).resolve().parent.parent
QISCUS = ROOT / "contracts" / "qiscus.sla"  # holidays(ID) 2020..2035


def run_sladsl(args: list[str], cache_dir: Path | str, *, python_code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLADSL_CACHE_DIR": str(cache_dir)}
    code = python_code or "from sladsl.__main__ import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=False, timeout=300)


# -- the parser cache ----------------------------------------------------------------------------


def test_the_parser_cache_is_written_then_used_with_identical_results(tmp_path: Path) -> None:
    cold = run_sladsl(["check", "contracts/qiscus.sla"], tmp_path)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert any(name.startswith("parser-") for name in files), files
    warm = run_sladsl(["check", "contracts/qiscus.sla"], tmp_path)
    assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    assert warm.stderr == ""


def test_the_parser_cache_file_is_named_after_the_grammar(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SLADSL_CACHE_DIR", str(tmp_path))
    grammar = grammar_path().read_text(encoding="utf-8")
    path = cache.parser_cache_path(grammar)
    assert path is not None and Path(path).parent == tmp_path
    assert cache.parser_cache_path(grammar + "\n// changed\n") != path  # a new grammar, a new file


@pytest.mark.parametrize("damage", [b"", b"garbage\n", b"0" * 64 + b"\n\x80\x04not a pickle"])
def test_a_damaged_parser_cache_is_rebuilt(tmp_path: Path, damage: bytes) -> None:
    env_path = tmp_path
    first = run_sladsl(["check", "contracts/qiscus.sla"], env_path)
    (parser_file,) = [p for p in env_path.iterdir() if p.name.startswith("parser-")]
    parser_file.write_bytes(damage)
    again = run_sladsl(["check", "contracts/qiscus.sla"], env_path)
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)


def test_an_unusable_cache_directory_changes_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    normal = run_sladsl(["check", "contracts/qiscus.sla"], tmp_path / "cache")
    for unusable in (blocker / "cache", "off"):
        done = run_sladsl(["check", "contracts/qiscus.sla"], unusable)
        assert (done.returncode, done.stdout, done.stderr) == (normal.returncode, normal.stdout, normal.stderr)


# -- the holiday cache ---------------------------------------------------------------------------


def test_holiday_sets_come_from_the_cache_without_importing_holidays(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SLADSL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cache, "_HOLIDAYS", {})
    computed = compile_path(QISCUS)
    assert computed.ok and computed.contract is not None
    assert any(p.name.startswith("holidays-") for p in tmp_path.iterdir())
    # A fresh process: nothing in memory, and `holidays` cannot be imported at all.
    monkeypatch.setattr(cache, "_HOLIDAYS", {})
    real_import = builtins.__import__

    def no_holidays(name, *args, **kwargs):
        if name == "holidays" or name.startswith("holidays."):
            raise ImportError("the test forbids importing holidays")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_holidays)
    again = compile_path(QISCUS)
    assert again.contract == computed.contract
    assert again.diagnostics == computed.diagnostics


def test_a_damaged_holiday_cache_entry_is_recomputed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SLADSL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cache, "_HOLIDAYS", {})
    computed = compile_path(QISCUS).contract
    (entry,) = [p for p in tmp_path.iterdir() if p.name.startswith("holidays-")]
    for damage in ("", "{", json.dumps({"format": 1}), json.dumps([1, 2])):
        entry.write_text(damage, encoding="utf-8")
        monkeypatch.setattr(cache, "_HOLIDAYS", {})
        assert compile_path(QISCUS).contract == computed


def test_the_holiday_key_depends_on_the_request_and_the_installed_library(monkeypatch) -> None:
    key = cache.holidays_key("ID", ("public",), 2020, 2035)
    assert key is not None
    assert cache.holidays_key("ID", ("public",), 2020, 2036) != key
    assert cache.holidays_key("ID", ("public", "optional"), 2020, 2035) != key
    assert cache.holidays_key("MY", ("public",), 2020, 2035) != key
    monkeypatch.setattr(cache, "_holidays_installation", lambda: "holidays 99.0 elsewhere")
    assert cache.holidays_key("ID", ("public",), 2020, 2035) != key


# -- lazy commands and imports -------------------------------------------------------------------


def test_the_lazy_command_table_matches_the_commands() -> None:
    """Every command of every `sladsl.cli` module is listed, under its module, with its own help."""
    import importlib

    from sladsl import cli as cli_package

    found = {}
    for path in sorted(Path(cli_package.__file__).parent.glob("*.py")):
        module = importlib.import_module(f"sladsl.cli.{path.stem}") if path.stem != "__init__" else None
        for command in getattr(module, "COMMANDS", ()):
            found[command.name] = (path.stem, " ".join((command.help or "").split("\n\n")[0].split()))
    expected = "\n".join(f"    {name!r}: {entry!r}," for name, entry in sorted(found.items()))
    assert found == LAZY_COMMANDS, f"update LAZY_COMMANDS in sladsl/cli/__init__.py to:\n{expected}"


def test_help_lists_every_command_as_click_would() -> None:
    import click

    import sladsl.cli as cli_package

    eager = click.Group(name="cli", help=cli.help, params=cli.params,
                        context_settings=cli.context_settings)
    for name in LAZY_COMMANDS:
        command = cli.get_command(click.Context(cli), name)
        assert command is not None
        eager.add_command(command)
    lazy_help = CliRunner().invoke(cli_package.LazyGroup(name="cli", help=cli.help, params=cli.params,
                                                         context_settings=cli.context_settings),
                                   ["--help"]).output
    assert lazy_help == CliRunner().invoke(eager, ["--help"]).output


def test_version_without_click_prints_what_click_prints(tmp_path: Path) -> None:
    fast = run_sladsl(["--version"], tmp_path)
    assert fast.returncode == 0 and fast.stderr == ""
    assert fast.stdout == CliRunner().invoke(cli, ["--version"]).output == f"sladsl, version {__version__}\n"


HELP = "import sys; sys.argv[0] = 'sladsl'; from sladsl.__main__ import main; main()"


@pytest.mark.parametrize("columns", ["", "40", "64", "100"])
def test_help_from_the_cache_is_what_click_prints(tmp_path: Path, monkeypatch, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    click_itself = run_sladsl(["--help"], "off", python_code=HELP)  # no cache: click renders and prints
    cold = run_sladsl(["--help"], tmp_path, python_code=HELP)
    warm = run_sladsl(["-h"], tmp_path, python_code=HELP)
    assert [p.name.startswith("help-") for p in tmp_path.iterdir()] == [True]
    assert click_itself.stdout.startswith("Usage: sladsl [OPTIONS] COMMAND [ARGS]...")
    for done in (cold, warm):
        assert (done.returncode, done.stdout, done.stderr) == (0, click_itself.stdout, "")


def test_a_stale_or_damaged_help_cache_is_not_printed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SLADSL_CACHE_DIR", str(tmp_path))
    key = cache.help_key(78)
    assert key is not None and key != cache.help_key(60)
    cache.store_help(key, "Usage: stale\n")
    assert cache.load_help(key) == "Usage: stale\n"
    path = next(tmp_path.glob("help-*.txt"))
    path.write_text("another key\nUsage: stale\n", encoding="utf-8")
    assert cache.load_help(key) is None
    path.write_bytes(b"\xff\xfe")
    assert cache.load_help(key) is None


LOADED = (
    "import sys\n"
    "sys.argv = ['sladsl', *sys.argv[1:]]\n"
    "from sladsl.__main__ import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('MODULES', ' '.join(sorted(sys.modules)))\n"
)


def loaded_modules(args: list[str], cache_dir: Path) -> set[str]:
    done = run_sladsl(args, cache_dir, python_code=LOADED)
    line = [line for line in done.stdout.splitlines() if line.startswith("MODULES ")]
    assert line, done.stdout + done.stderr
    return set(line[-1].split()[1:])


HEAVY = {"numpy", "jinja2", "sladsl.data", "sladsl.evaluate", "sladsl.to_python", "sladsl.to_markdown",
         "sladsl.cli.data", "sladsl.cli.build", "sladsl.runtime.evaluator"}


def test_check_imports_only_what_it_uses(tmp_path: Path) -> None:
    run_sladsl(["check", "contracts/qiscus.sla"], tmp_path)  # warm the caches
    loaded = loaded_modules(["check", "contracts/qiscus.sla"], tmp_path)
    assert "sladsl.check" in loaded  # the probe works
    unused = HEAVY | {"holidays", "attrs"}  # the syntax tree and model are sladsl.nodes classes
    assert not loaded & unused, sorted(loaded & unused)


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_import_no_compiler(tmp_path: Path, args: list[str]) -> None:
    loaded_modules(args, tmp_path)  # the first --help renders the text with click and keeps it
    loaded = loaded_modules(args, tmp_path)
    unused = HEAVY | {"click", "lark", "attrs", "holidays", "sladsl.pipeline", "sladsl.check"}
    assert not loaded & unused, sorted(loaded & unused)


def test_parse_results_do_not_depend_on_the_cache(tmp_path: Path, monkeypatch) -> None:
    """The tree from cached tables equals the tree from freshly built ones."""
    text = QISCUS.read_text(encoding="utf-8")
    cached, _ = parse_text(text, "q.sla")
    code = ("import sys; from sladsl.parse import parse_text; "
            "tree, _ = parse_text(open(sys.argv[1], encoding='utf-8').read(), 'q.sla'); print(tree)")
    fresh = run_sladsl([str(QISCUS)], "off", python_code=code)
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.strip() == str(cached)
