"""fmt: canonical layout that keeps comments; idempotent and meaning-preserving; the CLI command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sladsl.cli import cli
from sladsl.fmt import format_text
from sladsl.pipeline import Source, front_end
from sladsl.unparse import unparse
from strategies import modules  # tests/ is on sys.path under pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = sorted((ROOT / "contracts").glob("*.sla"))


def ast_of(text: str):
    module, diagnostics = front_end(Source("t.sla", text))
    assert module is not None and not diagnostics, [d.message for d in diagnostics]
    return module


def fmt(text: str) -> str:
    out, diagnostics = format_text(text, "t.sla")
    assert out is not None, [d.message for d in diagnostics]
    return out


def assert_in_order(needles: list[str], haystack: str) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"{needle!r} missing or out of order in:\n{haystack}"
        position = found + len(needle)


def assert_tidy(text: str) -> None:
    assert text == "" or text.endswith("\n") and not text.endswith("\n\n")
    lines = text.split("\n")[:-1]
    assert not text.startswith("\n")
    for before, after in zip(lines, lines[1:]):
        assert not (before == "" and after == ""), "two blank lines in a row"
        opener = before.endswith("{") and "#" not in before  # (a comment may end with `{`)
        assert not (opener and after == ""), "blank line after `{`"
        assert not (before == "" and after.strip() == "}"), "blank line before `}`"
    assert all(line == line.rstrip() for line in lines)


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.name)
def test_seed_contracts(path):
    text = path.read_text(encoding="utf-8")
    once = fmt(text)
    assert fmt(once) == once
    assert ast_of(once) == ast_of(text)
    comments = [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments and comments[0] in once.splitlines()[0]
    assert_tidy(once)


def test_comments_everywhere_survive_in_order():
    text = (
        "# file header\n"
        "\n"
        "\n"
        "# about the contract\n"
        'contract   "Demo"   {   # opener\n'
        '        provider "P"   # end of provider line\n'
        "\n"
        "\n"
        "\n"
        "   # before the calendar\n"
        "  calendar office = Mon-Fri 09:00-17:00 GMT+7\n"
        "  priorities {\n"
        "  # before a level\n"
        '    High: "h"     # level comment\n'
        '    Low: "l"\n'
        "  }\n"
        "  plan Basic {\n"
        "\n"
        "    respond 1h   # target comment\n"
        "    # last inside plan\n"
        "\n"
        "  }   # plan closed\n"
        "}\n"
        "# trailer\n"
    )
    assert fmt(text) == (
        "# file header\n"
        "\n"
        "# about the contract\n"
        "contract Demo {  # opener\n"
        '  provider "P"  # end of provider line\n'
        "\n"
        "  # before the calendar\n"
        "  calendar office = Mon-Fri 09:00-17:00 GMT+7\n"
        "  priorities {\n"
        "    # before a level\n"
        '    High: "h"  # level comment\n'
        '    Low: "l"\n'
        "  }\n"
        "  plan Basic {\n"
        "    respond 1h  # target comment\n"
        "    # last inside plan\n"
        "  }  # plan closed\n"
        "}\n"
        "# trailer\n"
    )


def test_comments_in_a_folded_calendar_keep_their_order():
    text = (
        "calendar office {  # one\n"
        "  Mon-Fri 09:00-17:00  # two\n"
        "  # three\n"
        "  zone GMT+7  # four\n"
        "}\n"
        "hours office  # five\n"
    )
    out = fmt(text)
    assert out == (
        "# one\n# two\n# three\n# four\n"
        "calendar office = Mon-Fri 09:00-17:00 zone GMT+7\n"
        "hours office  # five\n"
    )
    assert fmt(out) == out


def test_hash_inside_strings_and_durations_is_not_a_comment():
    text = 'channel Phone {\n  pickup 1\'30"  # real\n  note "#not a comment"\n}\n'
    assert fmt(text) == text


def test_syntax_error_is_not_formatted():
    out, diagnostics = format_text('contract "x" {\n  respond\n}\n', "bad.sla")
    assert out is None
    assert diagnostics and diagnostics[0].code == "E004" and diagnostics[0].span.line == 2


def test_empty_and_comment_only_files():
    assert fmt("") == ""
    assert fmt("\n\n  # only a comment   \n\n") == "# only a comment\n"


_comment_bodies = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=8)


@st.composite
def decorated_texts(draw):
    """Canonical text of a random module, re-indented, with comments and blank lines added."""
    module = draw(modules())
    out, comments = [], []
    for line in unparse(module).splitlines():
        out += [""] * draw(st.integers(0, 2))
        if draw(st.integers(0, 3)) == 0:
            comment = "#" + draw(_comment_bodies)
            out.append(draw(st.sampled_from(["", "  ", "\t", "      "])) + comment)
            comments.append(comment.rstrip())
        code = draw(st.sampled_from(["", " ", "    ", "\t"])) + line.strip()
        if draw(st.integers(0, 3)) == 0:
            comment = "#" + draw(_comment_bodies)
            code += draw(st.sampled_from([" ", "   ", "\t"])) + comment
            comments.append(comment.rstrip())
        out.append(code)
    return module, "\n".join(out) + draw(st.sampled_from(["", "\n", "\n\n"])), comments


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decorated_texts())
def test_fmt_on_generated_texts(case):
    module, text, comments = case
    once = fmt(text)
    assert ast_of(once) == module
    assert fmt(once) == once
    assert_in_order(comments, once)
    assert_tidy(once)


# ---- the `sladsl fmt` command ----------------------------------------------------------------


def test_cli_check_rewrite_and_errors(tmp_path):
    messy = tmp_path / "messy.sla"
    messy.write_text('# keep me\nplan   Basic {\n      respond 1h # target\n}\n', encoding="utf-8")
    tidy = tmp_path / "tidy.sla"
    tidy.write_text("note \"fine\"\n", encoding="utf-8")
    runner = CliRunner()

    result = runner.invoke(cli, ["fmt", "--check", str(tmp_path)])
    assert result.exit_code == 1
    assert "messy.sla" in result.output and "tidy.sla" not in result.output
    assert messy.read_text(encoding="utf-8").startswith("# keep me\nplan   Basic")

    result = runner.invoke(cli, ["fmt", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert messy.read_text(encoding="utf-8") == (
        "# keep me\nplan Basic {\n  respond 1h  # target\n}\n")
    assert runner.invoke(cli, ["fmt", "--check", str(tmp_path)]).exit_code == 0

    broken = tmp_path / "broken.sla"
    broken.write_text("plan X {\n  respond\n}\n", encoding="utf-8")
    result = runner.invoke(cli, ["fmt", str(broken)])
    assert result.exit_code == 1
    assert "E004" in result.output
    assert broken.read_text(encoding="utf-8") == "plan X {\n  respond\n}\n"


def test_cli_missing_path_is_a_usage_problem(tmp_path):
    result = CliRunner().invoke(cli, ["fmt", str(tmp_path / "nope.sla")])
    assert result.exit_code == 2


def test_seed_contracts_are_kept_formatted():
    from click.testing import CliRunner

    from sladsl.cli import cli

    result = CliRunner().invoke(cli, ["fmt", "--check", str(ROOT / "contracts")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.name)
def test_formatting_preserves_the_checked_model(path):
    from sladsl.pipeline import compile_text

    text = path.read_text(encoding="utf-8")
    before = compile_text(text, path.name).contract
    after = compile_text(fmt(text), path.name).contract
    assert before is not None and after == before
