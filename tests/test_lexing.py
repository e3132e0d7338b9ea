"""The lazy lexer start (sladsl/lexing.py) gives exactly the tokens and errors of Lark's own lexer.

Every contract of the repository, and deterministic mutations of each (characters dropped,
doubled or replaced, lines swapped: texts that stop the lexer or the parser), is parsed by the
stock Lark parser and by sladsl's, with recovery as `parse_text` does it; the trees and the
sequence of errors (kind, position, token, expected set) must be equal. The lazy scanners are
checked in their three regimes: per-terminal only, alternation only, and switching mid-file.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lark.exceptions import UnexpectedInput

from sladsl import lexing
from sladsl.parse import _skip_statement, build_parser, parser

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted(p for p in ROOT.glob("**/*.sla") if ".venv" not in p.parts and "node_modules" not in p.parts)


def _mutations(text: str, seed: int, count: int = 4) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        at = rng.randrange(len(text)) if text else 0
        kind = rng.randrange(4)
        if kind == 0:
            out.append(text[:at] + text[at + 1:])
        elif kind == 1:
            out.append(text[:at] + text[at] * 2 + text[at + 1:] if text else text)
        elif kind == 2:
            out.append(text[:at] + rng.choice("{}\"%:-.,#x9 \n@") + text[at + 1:])
        else:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            out.append("\n".join(lines))
    return out


def _outcome(lark_parser, text: str):
    """The tree (or None) and every error, recovering line by line as `parse_text` does."""
    errors = []

    def recover(error: UnexpectedInput) -> bool:
        token = getattr(error, "token", None)
        errors.append((type(error).__name__, error.line, error.column,
                       None if token is None else (token.type, str(token)),
                       sorted(getattr(error, "expected", None) or getattr(error, "allowed", None) or ())))
        return len(errors) < 25 and _skip_statement(error)

    try:
        tree = lark_parser.parse(text if text.endswith("\n") else text + "\n", on_error=recover)
    except UnexpectedInput:
        tree = None
    return tree, errors


@pytest.fixture(scope="module")
def cases():
    """Each text and Lark's own outcome for it."""
    stock = build_parser(lazy_lexer=False)
    out = []
    for index, path in enumerate(TEXTS):
        text = path.read_text(encoding="utf-8", errors="replace")
        for variant in [text, *_mutations(text, index)]:
            out.append((path.relative_to(ROOT), variant, _outcome(stock, variant)))
    return out


def test_the_lazy_start_is_installed() -> None:
    # If a Lark upgrade changed the internals it uses, `install` backs off (slower, same tokens);
    # this says so, so the start-up cost does not come back unnoticed.
    scanner = parser().parser.lexer.root_lexer.scanner
    assert isinstance(scanner, lexing.LazyScanner)


@pytest.mark.parametrize("busy", [0, 3, 10**9], ids=["alternation", "switching", "one-by-one"])
def test_same_trees_and_errors_as_lark(cases, monkeypatch, busy: int) -> None:
    monkeypatch.setattr(lexing, "BUSY", busy)
    lazy = build_parser()  # fresh scanners, so each regime starts from the beginning
    assert len(cases) > 100
    for name, text, expected in cases:
        assert _outcome(lazy, text) == expected, name
