"""`sladsl check` end to end: exit codes and bad input that must give diagnostics, never tracebacks."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sladsl.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CARD = "priority Critical respond 1h within business(09:00-17:00 GMT+7) resolve 8h\n"


def run(*args, cwd=None):
    runner = CliRunner()
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    return result


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return str(path)


def test_card_line_checks_clean(tmp_path):
    result = run("check", write(tmp_path, "card.sla", CARD))
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_seed_contracts_pass_even_strict():
    # Their intentional warnings are settled by readings (`two_ways`, `amounts`): issue 20.14.
    assert run("check", str(ROOT / "contracts")).exit_code == 0
    strict = run("check", "--strict", str(ROOT / "contracts"))
    assert strict.exit_code == 0, strict.output
    assert "0 error(s), 0 warning(s)" in strict.output


def test_strict_fails_on_a_warning(tmp_path):
    path = write(tmp_path, "w.sla", "calendar c = Mon-Fri 09:00-17:00 UTC\npriority A resolve 720h (30 business days) within c\n")
    assert run("check", path).exit_code == 0
    strict = run("check", "--strict", path)
    assert strict.exit_code == 1 and "W103" in strict.output


@pytest.mark.parametrize("name, data, code", [
    ("empty.sla", b"", "E103"),
    ("binary.sla", bytes(range(256)), "E001"),
    ("nul.sla", b"priority A respond 1h\x00\n", "E003"),
    ("typo.sla", b"priority A respnd 1h\n", "E004"),
    ("unclosed.sla", b'contract "x" {\n  priority A respond 1h\n', "E005"),
    ("deep.sla", b"plan A {\n" * 40 + b"}\n" * 40, "E006"),
])
def test_bad_input_is_a_diagnostic_with_exit_1(tmp_path, name, data, code):
    result = run("check", write(tmp_path, name, data))
    assert result.exit_code == 1
    assert f"[{code}]" in result.output
    assert "Traceback" not in result.output


def test_bom_crlf_and_tabs_are_accepted(tmp_path):
    text = "\ufeff" + CARD.replace(" respond", "\trespond").replace("\n", "\r\n")
    result = run("check", write(tmp_path, "crlf.sla", text))
    assert result.exit_code == 0, result.output


def test_huge_file_is_refused_with_a_diagnostic(tmp_path):
    path = tmp_path / "huge.sla"
    path.write_bytes(b"# padding\n" * 1_100_000)  # 11 MB
    result = run("check", str(path))
    assert result.exit_code == 1 and "[E002]" in result.output


def test_missing_path_is_a_usage_problem_with_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope.sla")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_every_error_of_every_file_is_reported(tmp_path):
    write(tmp_path, "a.sla", "priority A respnd 1h\npriority B resolv 2h\n")
    write(tmp_path, "b.sla", "calendar c = Mon-Fri 17:00-09:00 UTC\n")
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.count("[E004]") == 2 and "[E301]" in result.output


def test_text_diagnostic_has_location_source_line_caret_and_help(tmp_path):
    result = run("check", write(tmp_path, "t.sla", "priority A respnd 1h\n"))
    lines = result.output.splitlines()
    assert lines[0].endswith("t.sla:1:12: error[E004]: unexpected `respnd`; expected `,` or a target: "
                             "`respond`, `resolve`, `update` or `pickup`")
    assert lines[2] == "1 | priority A respnd 1h"
    assert lines[3] == "  |            ^^^^^^"
    assert lines[4] == "  = help: did you mean `respond`?"


def test_json_format(tmp_path):
    result = run("check", "--format", "json", write(tmp_path, "t.sla", "priority A respnd 1h\n"))
    (item,) = json.loads(result.output)
    assert item["code"] == "E004" and item["line"] == 1 and item["column"] == 12
    assert item["severity"] == "error" and item["help"] == "did you mean `respond`?"
