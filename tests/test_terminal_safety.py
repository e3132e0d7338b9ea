"""Contract text, file names and data echoed on a terminal are escaped (issue 20.18).

An OSC sequence (`ESC ] 0 ; title BEL`) sets the terminal's title, a CSI sequence (`ESC [ 2 J`)
clears the screen, a bidi override reorders what the reader sees. None may reach the terminal raw,
whether it comes from a string (rejected as E008), a comment echoed in a diagnostic's excerpt, a
file name, or a ticket file.
"""

from __future__ import annotations

import json
import unicodedata

from click.testing import CliRunner

from sladsl.cli import cli
from sladsl.diagnostics import printable, render_json, render_text
from sladsl.pipeline import compile_text

OSC = "\x1b]0;pwned\x07"
CSI = "\x1b[2J"
C1_CSI = "\x9b2J"
BIDI = "\u202e"


def raw_controls(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf") and c != "\n"]


def test_printable_escapes_controls_and_keeps_the_rest():
    assert printable(f"a{OSC}b") == "a\\x1b]0;pwned\\x07b"
    assert printable(C1_CSI + BIDI) == "\\x9b2J\\u202e"
    assert printable("Asia/Jakarta — é 😀") == "Asia/Jakarta — é 😀"


def test_escape_in_a_string_is_e008_and_printed_escaped():
    result = compile_text(f'note "x{OSC}y"\nnote "\\u001b[2J and {C1_CSI}"\n', "t.sla")
    assert [d.code for d in result.diagnostics] == ["E008", "E008"]
    text = "\n".join(render_text(d, {"t.sla": result.source.text}) for d in result.diagnostics)
    assert raw_controls(text) == [] and "\\x1b]0;pwned\\x07" in text


def test_raw_escape_in_a_comment_is_escaped_in_the_excerpt():
    source = f"respond 4x  # {CSI}{OSC}\n"
    result = compile_text(source, "t.sla")
    (diagnostic,) = result.diagnostics
    text = render_text(diagnostic, {"t.sla": source})
    assert raw_controls(text) == [] and "\\x1b[2J" in text


def test_caret_points_at_the_error_after_escaped_characters():
    source = f'note "{BIDI}{BIDI}" oops\n'
    (diagnostic,) = compile_text(source, "t.sla").diagnostics
    text = render_text(diagnostic, {"t.sla": source})
    assert raw_controls(text) == []
    excerpt, caret = text.splitlines()[2:4]
    start = caret.index("^")
    assert excerpt[start:start + 4] == "oops" and caret[start:] == "^^^^"


def test_json_output_escapes_c1_and_format_characters():
    result = compile_text(f'respond 2h within "n{BIDI}"\n', "t.sla")
    text = render_json(result.diagnostics)
    assert raw_controls(text) == []
    messages = [d["message"] for d in json.loads(text)]
    assert any(f"n{BIDI}" in m for m in messages), messages  # the value itself is intact


def test_file_names_with_escapes_are_printed_escaped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args in (["check", f"missing{CSI}.sla"], ["render", f"x{OSC}.sla"], ["build", f"y{CSI}.sla"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert raw_controls(result.output) == [], (args, result.output)
    named = tmp_path / f"n{CSI}.sla"
    named.write_text("respond 4x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", named.name])
    assert result.exit_code == 1 and raw_controls(result.output) == [], result.output
