"""`sladsl render` end to end: stdout, `-o FILE` (atomic), errors as diagnostics, never tracebacks."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from sladsl.cli import cli
from sladsl.pipeline import compile_path
from sladsl.to_markdown import render

ROOT = Path(__file__).resolve().parent.parent
HAISOFT = ROOT / "contracts" / "haisoft.sla"


def run(*args):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 always keeps stderr apart
        runner = CliRunner()
    return runner.invoke(cli, list(args), catch_exceptions=False)


def expected_document(path: Path) -> str:
    result = compile_path(path, path.relative_to(ROOT).as_posix())
    return render(result.contract)


def test_render_to_stdout_is_the_document(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("render", "contracts/haisoft.sla")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected_document(HAISOFT)


def test_warnings_go_to_stderr_and_stdout_stays_the_document(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.sla").write_text('contract "Warned" {\n  calendar c = Mon-Fri 09:00-17:00 UTC\n'
                                    '  priority A resolve 720h (30 business days) within c\n}\n', encoding="utf-8")
    result = run("render", "w.sla")  # W103: 720h vs 30 business days, no reading settles it
    assert result.exit_code == 0
    assert "W103" in result.stderr and "W103" not in result.stdout
    assert result.stdout.startswith("# Warned\n")


def test_render_to_file_writes_the_document(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "sub" / "haisoft.md"
    result = run("render", "contracts/haisoft.sla", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == expected_document(HAISOFT)
    assert [p.name for p in out.parent.iterdir()] == ["haisoft.md"]  # no temporary file left


def test_contract_with_errors_prints_diagnostics_and_exits_1(tmp_path):
    bad = tmp_path / "bad.sla"
    bad.write_text('contract "X" {\n  plan P includes Missing {\n  }\n}\n', encoding="utf-8")
    out = tmp_path / "bad.md"
    result = run("render", str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert "error[" in result.stderr and result.stdout == ""  # stdout is only ever the document
    assert not out.exists()


@pytest.mark.parametrize("args", [("render", "no/such/file.sla"), ("render",)])
def test_usage_problems_exit_2_without_traceback(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output + result.stderr


def test_output_to_a_directory_is_a_usage_problem(tmp_path):
    result = run("render", str(HAISOFT), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_cite_adds_contract_lines_for_reviewers(monkeypatch):
    monkeypatch.chdir(ROOT)
    plain = run("render", "contracts/haisoft.sla")
    cited = run("render", "contracts/haisoft.sla", "--cite")
    assert plain.exit_code == cited.exit_code == 0
    assert "contract line" not in plain.stdout
    assert "_(contract line " in cited.stdout
    result = compile_path(HAISOFT, "contracts/haisoft.sla")
    assert cited.stdout == render(result.contract, cite=True)
