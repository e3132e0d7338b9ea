"""The registry, the reference and the golden cases stay in step.

- every code in `CODES` has a `## CODE: title` section in docs/diagnostics.md and a golden case;
- no section or case names a code the registry does not have;
- every message keeps the style (one line, no capital first letter, no final period);
- every example in docs/diagnostics.md still produces the output printed under it
  (`SLADSL_UPDATE_GOLDEN=1` rewrites those outputs, like the golden cases);
- `sladsl check --explain` prints a code's section, in any case, from a checkout or a wheel.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl.explain
from sladsl.check import Checker
from sladsl.cli import cli
from sladsl.diagnostics import CODES
from sladsl.explain import explain_code, sections
from sladsl.parse import MAX_BYTES
from sladsl.pipeline import compile_path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "diagnostics.md"
CASES = ROOT / "tests" / "cases"
UPDATE = os.environ.get("SLADSL_UPDATE_GOLDEN") == "1"
CODE_IN_OUTPUT = re.compile(r"^\S*: (?:error|warning)\[([A-Z]\d{3})\]: ", re.MULTILINE)
EXAMPLE_RE = re.compile(r"```sla\n(?P<sla>.*?)```\n\n```text\n(?P<text>.*?)```", re.DOTALL)

# Codes that cannot be a committed file, and the test in test_cases.py that produces each one.
PRODUCED_BY_TESTS = {"E002": "test_too_large_file", "E901": "test_internal_error"}
# The E001 example is shown as text but saved in this encoding when it is run.
EXAMPLE_ENCODING = {"E001": "latin-1"}


def doc_sections() -> dict[str, str]:
    return sections(DOCS.read_text(encoding="utf-8"))


def case_codes() -> dict[str, set[Path]]:
    found: dict[str, set[Path]] = {}
    for expected in CASES.glob("*/bad/*.expected"):
        for code in CODE_IN_OUTPUT.findall(expected.read_text(encoding="utf-8")):
            found.setdefault(code, set()).add(expected)
    return found


# ---- registry <-> docs <-> cases --------------------------------------------------------------


def test_every_code_has_a_section_with_its_exact_title() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for code, entry in CODES.items():
        assert f"\n## {code}: {entry.title}\n" in text, f"docs/diagnostics.md lacks `## {code}: {entry.title}`"


def test_every_section_is_a_registered_code_and_appears_once() -> None:
    headings = re.findall(r"^## ([A-Z]\d{3}):", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(set(headings)) == sorted(headings), "a code has two sections"
    assert set(headings) <= set(CODES), f"sections for unregistered codes: {set(headings) - set(CODES)}"
    assert headings == list(CODES), "sections are in registry order"


@pytest.mark.parametrize("code", list(CODES))
def test_section_has_meaning_example_output_and_fix(code: str) -> None:
    section = doc_sections()[code]
    example = EXAMPLE_RE.search(section)
    assert example, f"{code}: needs a ```sla example followed by its ```text output"
    assert f"[{code}]" in example["text"], f"{code}: the output shown does not contain {code}"
    assert "**How to fix it.**" in section
    meaning = section.split("\n\n")[1]
    assert len(meaning) > 40, f"{code}: say what the code means"


def test_every_code_has_a_golden_case() -> None:
    covered = set(case_codes()) | set(PRODUCED_BY_TESTS)
    missing = set(CODES) - covered
    assert not missing, f"codes with no golden case: {sorted(missing)}"


def test_codes_produced_by_tests_are_really_tested() -> None:
    tree = ast.parse((ROOT / "tests" / "test_cases.py").read_text(encoding="utf-8"))
    tests = {node.name: ast.get_docstring(node) or "" for node in tree.body
             if isinstance(node, ast.FunctionDef)}
    for code, name in PRODUCED_BY_TESTS.items():
        assert name in tests, f"{code}: tests/test_cases.py::{name} is missing"
        assert code in tests[name], f"{code}: tests/test_cases.py::{name} should be about {code}"


def test_cases_name_only_registered_codes() -> None:
    unknown = {code: sorted(p.name for p in paths) for code, paths in case_codes().items()
               if code not in CODES}
    assert not unknown


# ---- message style ----------------------------------------------------------------------------


def _style_problem(text: str) -> str | None:
    if not text:
        return "empty"
    if "\n" in text or "\r" in text:
        return "more than one line"
    if text[0].isupper():
        return "starts with a capital letter"
    if text.endswith("."):
        return "ends with a period"
    return None


@pytest.mark.parametrize("path", sorted(CASES.glob("*/bad/*.sla")), ids=lambda p: p.relative_to(CASES).as_posix())
def test_messages_keep_the_style(path: Path) -> None:
    result = compile_path(path, path.relative_to(ROOT).as_posix())
    if path.parent.parent.name == "sql":  # what the SQL back end refuses: `check --sql`
        from sladsl.to_sql_guard import with_sql_refusals

        result = with_sql_refusals(result)
    assert result.diagnostics
    for diagnostic in result.diagnostics:
        problem = _style_problem(diagnostic.message)
        assert problem is None, f"{diagnostic.code} message {problem}: {diagnostic.message!r}"
        for line in (*diagnostic.notes, *(label.message for label in diagnostic.labels)):
            assert "\n" not in line, f"{diagnostic.code} note spans lines: {line!r}"
        if diagnostic.help is not None:
            assert "\n" not in diagnostic.help


def test_style_check_can_fail() -> None:
    assert _style_problem("Unknown name") == "starts with a capital letter"
    assert _style_problem("unknown name.") == "ends with a period"
    assert _style_problem("unknown\nname") == "more than one line"
    assert _style_problem("`Critical` is slower") is None


# ---- the examples in the reference are real output ---------------------------------------------


def _run_example(code: str, sla: str, workdir: Path, monkeypatch) -> str:
    monkeypatch.chdir(workdir)
    path = workdir / "example.sla"
    if code == "E002":  # the example line, repeated past the size limit
        line = sla.encode("utf-8")
        path.write_bytes(line * (MAX_BYTES // len(line)) + line[: MAX_BYTES % len(line) + 1])
        assert path.stat().st_size == MAX_BYTES + 1
    else:
        path.write_bytes(sla.encode(EXAMPLE_ENCODING.get(code, "utf-8")))
    if code == "E901":  # a valid contract; the checker is made to fail on `monitor`
        def explode(self, stmt):
            raise RuntimeError("boom")
        monkeypatch.setattr(Checker, "monitor", explode)
    sql = ["--sql"] if code.startswith("E8") else []  # what the SQL back end refuses
    result = CliRunner().invoke(cli, ["check", *sql, "example.sla"], catch_exceptions=False)
    return result.stdout.rstrip() + "\n"


@pytest.mark.parametrize("code", list(CODES))
def test_reference_example_output_is_current(code: str, tmp_path, monkeypatch) -> None:
    section = doc_sections()[code]
    example = EXAMPLE_RE.search(section)
    output = _run_example(code, example["sla"], tmp_path, monkeypatch)
    if UPDATE and output != example["text"]:
        text = DOCS.read_text(encoding="utf-8")
        new_section = section.replace(f"```text\n{example['text']}```", f"```text\n{output}```", 1)
        DOCS.write_text(text.replace(section, new_section, 1), encoding="utf-8")
        return
    assert output == example["text"], f"docs/diagnostics.md {code}: the output shown is out of date"


def test_reference_intro_shows_both_formats() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "## Text format" in text and "## JSON format" in text
    assert "## Message style" in text


# ---- --explain --------------------------------------------------------------------------------


def test_explain_returns_the_section_in_any_case() -> None:
    text = explain_code("e101")
    assert text is not None and text.startswith("## E101: unknown name\n")
    assert "```sla" in text and "## E102" not in text
    assert explain_code(" W302 ") == explain_code("w302")


def test_explain_unknown_code_is_none() -> None:
    assert explain_code("E999") is None
    assert explain_code("") is None
    assert explain_code("../../etc/passwd") is None


def test_explain_through_the_cli() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["check", "--explain", "w103"])
    assert result.exit_code == 0
    assert result.stdout.startswith("## W103: target stated two ways that disagree\n")
    result = runner.invoke(cli, ["check", "--explain", "X42"])
    assert result.exit_code == 2
    assert "unknown diagnostic code `X42`" in result.stderr
    assert "Traceback" not in result.output


def test_explain_falls_back_to_the_registry_title(monkeypatch) -> None:
    monkeypatch.setattr(sladsl.explain, "docs_path", lambda: None)
    assert explain_code("E304") == "E304: unknown time zone (error)\n"
    assert explain_code("w401") == "W401: credit table does not start at the uptime target (warning)\n"


def test_explain_reads_the_copy_inside_an_installed_package(tmp_path) -> None:
    """A wheel has `sladsl/docs/diagnostics.md` next to `sladsl/explain.py`, and no `docs/`."""
    package = tmp_path / "site-packages" / "sladsl"
    (package / "docs").mkdir(parents=True)
    (package / "explain.py").write_text((ROOT / "sladsl" / "explain.py").read_text(encoding="utf-8"))
    (package / "docs" / "diagnostics.md").write_text(
        "# Reference\n\n## E101: unknown name\n\nFrom the wheel.\n\n## E102: duplicate name\n\nOther.\n",
        encoding="utf-8")
    spec = importlib.util.spec_from_file_location("wheel_explain", package / "explain.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.explain_code("E101") == "## E101: unknown name\n\nFrom the wheel.\n"
    # a code the copy lacks falls back to the registry title
    assert module.explain_code("E103") == "E103: statement not allowed here (error)\n"
