"""unparse: AST -> canonical text -> the same AST, for random trees and for every seed contract."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sladsl import ast
from sladsl.pipeline import Source, front_end
from sladsl.to_ast import unquote
from sladsl.unparse import UnparseError, quote, unparse
from strategies import modules  # tests/ is on sys.path under pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = sorted((ROOT / "contracts").glob("*.sla"))


def parse(text: str) -> ast.Module:
    module, diagnostics = front_end(Source("t.sla", text))
    assert not diagnostics, (text, [d.message for d in diagnostics])
    assert module is not None
    return module


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_round_trip_random_modules(module):
    text = unparse(module)
    assert parse(text) == module, text


@given(st.text())
@settings(max_examples=150, deadline=None)
def test_quote_inverts_unquote(text):
    token = quote(text)
    assert "\n" not in token
    assert unquote(token) == text


@pytest.mark.parametrize(("value", "expected"), [
    ('say "hi"', r'"say \"hi\""'),
    ("a\\b", r'"a\\b"'),
    ("line\nnext\ttab", r'"line\nnext\ttab"'),
    ("\x00", r'"\u0000"'),
    ("\\u0041", r'"\\u0041"'),  # text that looks like an escape stays text
])
def test_quote_escapes(value, expected):
    assert quote(value) == expected


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.name)
def test_round_trip_seed_contracts(path):
    module = parse(path.read_text(encoding="utf-8"))
    text = unparse(module)
    assert parse(text) == module
    assert unparse(parse(text)) == text  # canonical text is a fixed point


def test_canonical_layout():
    module = parse(
        'contract   "Demo"{\n'
        'calendar office {\n  Mon-Fri 09:00-17:00\n  zone GMT+7\n}\n'
        'plan Basic includes "Base plan" {\n'
        'priority Critical respond 1h best-effort within office (2 business day) resolve 8h\n'
        '}\n'
        '}\n')
    assert unparse(module) == (
        'contract Demo {\n'
        '  calendar office = Mon-Fri 09:00-17:00 zone GMT+7\n'
        '  plan Basic includes "Base plan" {\n'
        '    priority Critical respond 1h (2 business days) within office best-effort resolve 8h\n'
        '  }\n'
        '}\n')


@pytest.mark.parametrize(("text", "printed"), [
    ("respond", '"respond"'),   # a keyword
    ("Mon", '"Mon"'),           # a weekday
    ("business", '"business"'),
    ("8x7 Dedicated", '"8x7 Dedicated"'),
    ("Non_Urgent", "Non_Urgent"),
    ("Premium", "Premium"),
])
def test_names_quoted_only_when_needed(text, printed):
    module = ast.Module((ast.Channel(ast.Name(text), ()),))
    assert unparse(module) == f"channel {printed} {{\n}}\n"


def test_24x7_after_an_open_ended_except_stays_on_one_line():
    # `24x7` outranks a day number in the lexer, so `except Dec 24x7` is `except Dec` then `24x7`.
    module = parse('calendar c {\n  except Dec\n  24x7\n}\n')
    assert unparse(module) == "calendar c = except Dec 24x7\n"
    assert parse(unparse(module)) == module


def test_unrepresentable_tree_is_refused():
    two_bare_targets = ast.TargetStmt((), (
        ast.Target("respond", ast.Fixed(ast.ClockDuration("1h"))),
        ast.Target("resolve", ast.Fixed(ast.ClockDuration("8h")))))
    with pytest.raises(UnparseError):
        unparse(ast.Module((two_bare_targets,)))
