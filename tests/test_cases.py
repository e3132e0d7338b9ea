"""Golden diagnostics: `tests/cases/<feature>/{good,bad}/*.sla`.

A `bad/<name>.sla` sits next to `<name>.expected`, the exact text `sladsl check` prints for it
(diagnostics, then the summary line), produced in-process through the CLI with the relative
display path `tests/cases/<feature>/bad/<name>.sla`. A `good/*.sla` must check with no
diagnostic at all. Run with `SLADSL_UPDATE_GOLDEN=1` to rewrite the `.expected` files, then read
the `git diff`.

Two codes cannot live in a committed file: E002 (a file over the size limit is generated here) and
E901 (an internal error is provoked here by making a checker method raise).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sladsl.check import Checker
from sladsl.cli import cli
from sladsl.parse import MAX_BYTES
from sladsl.pipeline import compile_text

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
UPDATE = os.environ.get("SLADSL_UPDATE_GOLDEN") == "1"

BAD = sorted(CASES.glob("*/bad/*.sla"))
GOOD = sorted(CASES.glob("*/good/*.sla"))


def _id(path: Path) -> str:
    return path.relative_to(CASES).as_posix()


# Cases under `sql/` are what the SQL back end refuses (E801): checked with `--sql`.
SQL_CASES = "sql"


def run_check(relative: str, *args: str) -> tuple[int, str]:
    """`sladsl check ARGS RELATIVE` in-process from the checkout root: (exit code, stdout)."""
    result = CliRunner().invoke(cli, ["check", *args, relative], catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # display paths are relative to the working directory


@pytest.mark.parametrize("path", BAD, ids=_id)
def test_bad_case(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    code, output = run_check(relative, *(["--sql"] if path.parent.parent.name == SQL_CASES else []))
    expected_path = path.with_suffix(".expected")
    if UPDATE:
        expected_path.write_text(output, encoding="utf-8", newline="\n")
    assert expected_path.exists(), f"missing {expected_path.name}: run with SLADSL_UPDATE_GOLDEN=1"
    assert output == expected_path.read_text(encoding="utf-8")
    has_error = re.search(r"^\S+: error\[E\d{3}\]", output, re.MULTILINE) is not None
    assert code == (1 if has_error else 0)
    assert re.search(r"(error|warning)\[[EW]\d{3}\]", output), "a bad case must produce a diagnostic"


@pytest.mark.parametrize("path", GOOD, ids=_id)
def test_good_case(path: Path) -> None:
    code, output = run_check(path.relative_to(ROOT).as_posix())
    assert output == "checked 1 file(s): 0 error(s), 0 warning(s)\n"
    assert code == 0


def test_every_bad_case_has_its_expectation_and_no_orphans() -> None:
    expected = sorted(CASES.glob("*/*/*.expected"))
    assert {p.with_suffix(".sla") for p in expected} == set(BAD)


def test_too_large_file(tmp_path, monkeypatch) -> None:
    """E002: one byte over the limit is refused before decoding (generated, never committed)."""
    big = tmp_path / "big.sla"
    line = b"# " + b"x" * 97 + b"\n"  # 100 bytes a line
    big.write_bytes(line * (MAX_BYTES // 100) + b"x" * (MAX_BYTES % 100 + 1))
    assert big.stat().st_size == MAX_BYTES + 1
    monkeypatch.chdir(tmp_path)
    code, output = run_check("big.sla")
    assert output == (
        "big.sla: error[E002]: file is 4,194,305 bytes; the limit is 4,194,304\n"
        "  = help: split the contract into smaller files\n"
        "\n"
        "checked 1 file(s): 1 error(s), 0 warning(s)\n"
    )
    assert code == 1


def test_file_at_the_size_limit_is_read(tmp_path, monkeypatch) -> None:
    """Exactly MAX_BYTES is allowed: a contract made of comments and one target."""
    body = b'respond 4h within 24x7\n'
    filler = b"#" * (MAX_BYTES - len(body) - 1) + b"\n"
    path = tmp_path / "edge.sla"
    path.write_bytes(filler + body)
    assert path.stat().st_size == MAX_BYTES
    monkeypatch.chdir(tmp_path)
    code, output = run_check("edge.sla")
    assert output == "checked 1 file(s): 0 error(s), 0 warning(s)\n"
    assert code == 0


def test_internal_error(monkeypatch) -> None:
    """E901: an unexpected exception in the checker becomes a diagnostic at the construct's span."""

    def explode(self, stmt):
        raise RuntimeError("boom")

    monkeypatch.setattr(Checker, "monitor", explode)
    text = 'service Web {\n  availability 99.9% per month\n  monitor every 5m\n}\n'
    result = compile_text(text, "t.sla")
    internal = [d for d in result.diagnostics if d.code == "E901"]
    assert len(internal) == 1
    diagnostic = internal[0]
    assert "internal error" in diagnostic.message
    assert "RuntimeError: boom" in diagnostic.message
    # the span is the `monitor` statement: line 3, from column 3
    assert (diagnostic.span.file, diagnostic.span.line, diagnostic.span.column) == ("t.sla", 3, 3)
    assert diagnostic.span.end_line == 3
    assert result.contract is None


def test_internal_error_outside_a_guarded_construct(monkeypatch) -> None:
    """E901 when the whole run fails: reported at the file, never raised."""

    def explode(self, body):
        raise KeyError("lost")

    monkeypatch.setattr(Checker, "placement", lambda self, body, where: explode(self, body))
    result = compile_text("respond 4h within 24x7\n", "t.sla")
    assert [d.code for d in result.diagnostics] == ["E901"]
    assert "internal error" in result.diagnostics[0].message
    assert result.diagnostics[0].span.file == "t.sla"
