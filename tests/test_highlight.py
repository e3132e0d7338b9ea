"""The Pygments lexer and the TextMate grammar: every seed token classified, every keyword known."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pygments.token import Comment, Error, Keyword, Literal, Name, Number, Operator, String

from sladsl.highlight import SlaLexer

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = sorted((ROOT / "contracts").glob("*.sla"))
TMLANGUAGE = ROOT / "editors" / "sladsl.tmLanguage.json"


def grammar_words() -> set[str]:
    """The quoted words of grammar/sladsl.lark (keywords, weekdays, months...), comments removed."""
    text = (ROOT / "grammar" / "sladsl.lark").read_text(encoding="utf-8")
    code = "\n".join(line.split("//", 1)[0] for line in text.splitlines())
    return set(re.findall(r'"([A-Za-z_][A-Za-z0-9_-]*)"', code))


def tokens(text: str) -> list[tuple[object, str]]:
    return [(kind, value) for kind, value in SlaLexer().get_tokens(text) if value.strip()]


def kind_of(text: str, value: str):
    return next(kind for kind, v in tokens(text) if v == value)


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.name)
def test_no_error_tokens_in_seed_contracts(path):
    text = path.read_text(encoding="utf-8")
    found = list(SlaLexer().get_tokens(text))
    assert "".join(v for _, v in found) == text if text.endswith("\n") else text + "\n"
    errors = [v for kind, v in found if kind in Error]
    assert not errors


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("priority Critical respond 1h", "respond", Keyword),
    ("priority Critical respond 1h", "priority", Keyword),
    ("priority Critical respond 1h", "Critical", Name),
    ("respond 1h30m", "1h30m", Number),
    ("pickup 1'30\"", "1'30\"", Number),
    ("availability 99.95% per month", "99.95%", Number),
    ("price IDR 216,000,000 per year", "216,000,000", Number),
    ("respond 2 business days", "2", Number),
    ('note "a \\"quoted\\" word"', '\\"', String.Escape),
    ('note "plain"', '"', String),
    ("# a comment", "# a comment", Comment),
    ("calendar c = Mon-Fri 09:00-17:00 GMT+7", "09:00", Literal.Date),
    ("calendar c = Mon-Fri 09:00-17:00 GMT+7", "Mon", Name.Builtin),
    ("calendar c = Mon-Fri 09:00-17:00 GMT+7", "GMT+7", Name.Constant),
    ("calendar c = daily 08:00-24:00 Asia/Kuala_Lumpur", "Asia/Kuala_Lumpur", Name.Constant),
    ("calendar c = 24x7", "24x7", Keyword.Constant),
    ("withdrawn 2022-07-01", "2022-07-01", Literal.Date),
    ("respond 1h best-effort", "best-effort", Keyword),
    ("99.0%..99.9% -> 5%", "->", Operator),
    ("zone BRT", "BRT", Name.Constant),
])
def test_token_classes(text, value, expected):
    assert kind_of(text, value) in expected


def test_every_grammar_word_is_a_keyword_or_builtin():
    for word in sorted(grammar_words()):
        kind = kind_of(word, word)
        assert kind in Keyword or kind in Name.Builtin, (word, kind)


def test_identifiers_that_start_like_keywords_are_names():
    assert kind_of("channel planner {", "planner") is Name
    assert kind_of("channel Monday {", "Monday") is Name


def test_lexer_is_registered_by_name_and_filename():
    from importlib.metadata import entry_points

    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename

    if not entry_points(group="pygments.lexers", name="sladsl"):
        pytest.skip("sladsl is not installed, so its Pygments entry point is not registered")
    assert type(get_lexer_by_name("sla")).__name__ == "SlaLexer"
    # Pygments' own Slash lexer also claims `*.sla`; ours must win, by name and by content.
    assert type(get_lexer_for_filename("x.sla")).__name__ == "SlaLexer"
    contract = (ROOT / "contracts" / "qiscus.sla").read_text(encoding="utf-8")
    assert type(get_lexer_for_filename("x.sla", contract)).__name__ == "SlaLexer"


# ---- TextMate grammar ------------------------------------------------------------------------

# Oniguruma constructs Python's `re` does not accept; patterns using them are not compiled here.
_ONIGURUMA_ONLY = re.compile(r"\\[hHG]|\(\?>|\\p\{|\(\?<[A-Za-z]")


def _patterns(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("match", "begin", "end") and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def test_textmate_grammar_is_valid():
    data = json.loads(TMLANGUAGE.read_text(encoding="utf-8"))
    assert data["scopeName"] == "source.sladsl"
    assert "sla" in data["fileTypes"]
    patterns = list(_patterns(data))
    assert len(patterns) > 10
    for pattern in patterns:
        if _ONIGURUMA_ONLY.search(pattern):
            continue
        re.compile(pattern)
    # every include points at a repository entry
    text = TMLANGUAGE.read_text(encoding="utf-8")
    for ref in re.findall(r'"include":\s*"#([^"]+)"', text):
        assert ref in data["repository"], ref


def test_textmate_grammar_knows_every_keyword():
    patterns = "\n".join(_patterns(json.loads(TMLANGUAGE.read_text(encoding="utf-8"))))
    patterns = patterns.replace("\\b", " ")  # `\bword` spells the word after a boundary
    missing = [w for w in sorted(grammar_words())
               if not re.search(r"(?<![A-Za-z0-9_])" + re.escape(w) + r"(?![A-Za-z0-9_])", patterns)]
    assert not missing


def test_textmate_keyword_rule_matches_like_the_lexer():
    data = json.loads(TMLANGUAGE.read_text(encoding="utf-8"))
    keyword = re.compile(data["repository"]["keywords"]["patterns"][0]["match"])
    assert keyword.search("respond 1h").group(0) == "respond"
    assert keyword.search("planner") is None
