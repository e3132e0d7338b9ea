"""The parser kept in the user cache (`sladsl/cache.py`: Lark's parser pickled whole) parses
exactly as a parser Lark has just built from the grammar.

Both are compared on every `.sla` file of the repository (contracts, examples, test cases), on
deterministic mutations of each (texts that stop the lexer or the parser, recovered from line by
line as `parse_text` does), on the fuzz generators' inputs (tests/test_fuzz.py), and on what the
interactive parser accepts after each line (editor completion). Trees are compared with their
positions. A kept parser is used only for the grammar, options, Lark and Python it was built
with; a damaged or foreign file is rebuilt.
"""

from __future__ import annotations

import os
import pickle
import random
from pathlib import Path

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput
from lark.parsers.lalr_analysis import Reduce, Shift

from sladsl import cache
from sladsl.parse import _LARK_OPTIONS, build_parser, grammar_path
from test_fuzz import seed_mutation, seed_value_mutation, token_soup
from test_lexing import _outcome as lark_outcome

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted(p for p in ROOT.glob("**/*.sla") if ".venv" not in p.parts and "node_modules" not in p.parts)
GRAMMAR = grammar_path().read_text(encoding="utf-8")
OPTIONS = repr(sorted(_LARK_OPTIONS.items()))


@pytest.fixture(scope="module")
def fresh() -> Lark:
    """Lark's own parser, built from the grammar in this process (no cache involved)."""
    return Lark(GRAMMAR, **_LARK_OPTIONS)


@pytest.fixture(scope="module")
def kept(fresh: Lark, tmp_path_factory) -> Lark:
    """The same parser after a trip through the cache directory."""
    directory = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SLADSL_CACHE_DIR", str(directory))
        cache.store_parser(GRAMMAR, OPTIONS, fresh)
        assert [p.name.startswith("parser-") for p in directory.iterdir()] == [True]
        loaded = cache.load_parser(GRAMMAR, OPTIONS, Lark)
    assert isinstance(loaded, Lark) and loaded is not fresh
    return loaded


def _shape(node):
    """A tree as nested tuples with every position (Tree equality ignores them)."""
    if isinstance(node, Token):
        return ("token", node.type, str(node), node.start_pos, node.end_pos, node.line, node.column,
                node.end_line, node.end_column)
    if isinstance(node, Tree):
        meta = node.meta
        where = tuple(getattr(meta, name, None) for name in
                      ("line", "column", "end_line", "end_column", "start_pos", "end_pos"))
        return ("tree", str(node.data), where, tuple(_shape(child) for child in node.children))
    return ("leaf", node)


def _outcome(parser: Lark, text: str):
    """The tree (with positions) or None, and every error, recovering as `parse_text` does."""
    tree, errors = lark_outcome(parser, text)
    return (None if tree is None else _shape(tree)), errors


def _mutations(text: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(3):
        at = rng.randrange(len(text)) if text else 0
        out.append(text[:at] + rng.choice("{}\"%:-.,#x9 \n@") + text[at + 1:])
        out.append(text[:at])
    return out


def test_every_repository_contract_parses_the_same(fresh: Lark, kept: Lark) -> None:
    assert len(TEXTS) > 100
    for index, path in enumerate(TEXTS):
        text = path.read_text(encoding="utf-8", errors="replace")
        for variant in [text, *_mutations(text, index)]:
            assert _outcome(kept, variant) == _outcome(fresh, variant), path.relative_to(ROOT)


def test_completion_accepts_the_same_after_every_line(fresh: Lark, kept: Lark) -> None:
    for path in TEXTS[::7]:
        text = path.read_text(encoding="utf-8", errors="replace")
        cuts = [i + 1 for i, char in enumerate(text) if char == "\n"][:40]
        for cut in cuts:
            found = []
            for parser in (fresh, kept):
                interactive = parser.parse_interactive(text[:cut])
                try:
                    interactive.exhaust_lexer()
                    found.append(sorted(interactive.accepts()))
                except UnexpectedInput as error:
                    found.append(("error", type(error).__name__, error.line, error.column))
            assert found[0] == found[1], (path.relative_to(ROOT), cut)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.one_of(seed_mutation(), seed_value_mutation(), token_soup(), st.text(max_size=300)))
def test_fuzz_inputs_parse_the_same(fresh: Lark, kept: Lark, text: str) -> None:
    assert _outcome(kept, text) == _outcome(fresh, text)


def test_parser_actions_keep_their_identity(kept: Lark) -> None:
    """Lark tells a shift from a reduce by identity: the kept table holds Lark's own objects."""
    actions = {action for row in kept.parser.parser.parser.parse_table.states.values()
               for action, _ in row.values()}
    assert actions == {Shift, Reduce}
    assert kept.lexer_conf.re_module is __import__("re")


def test_the_grammar_is_left_out_of_the_kept_parser(fresh: Lark, kept: Lark) -> None:
    assert hasattr(fresh, "grammar") and not hasattr(kept, "grammar")


def test_a_kept_parser_is_used_only_for_its_grammar_options_and_lark(fresh: Lark, tmp_path: Path,
                                                                      monkeypatch) -> None:
    monkeypatch.setenv("SLADSL_CACHE_DIR", str(tmp_path))
    cache.store_parser(GRAMMAR, OPTIONS, fresh)
    assert isinstance(cache.load_parser(GRAMMAR, OPTIONS, Lark), Lark)
    assert cache.load_parser(GRAMMAR + "\n// changed\n", OPTIONS, Lark) is None
    assert cache.load_parser(GRAMMAR, OPTIONS + "x", Lark) is None
    assert cache.load_parser(GRAMMAR, OPTIONS, Tree) is None  # not what the caller expects
    monkeypatch.setattr(lark, "__version__", "0.0.0")
    assert cache.load_parser(GRAMMAR, OPTIONS, Lark) is None


@pytest.mark.parametrize("damage", [b"", b"garbage", b"KEY\n" + pickle.dumps("not a parser"),
                                    b"KEY\n\x80\x05not a pickle"])
def test_a_damaged_kept_parser_is_not_used(fresh: Lark, tmp_path: Path, monkeypatch, damage: bytes) -> None:
    monkeypatch.setenv("SLADSL_CACHE_DIR", str(tmp_path))
    cache.store_parser(GRAMMAR, OPTIONS, fresh)
    (path,) = tmp_path.iterdir()
    key = path.read_bytes().partition(b"\n")[0]
    path.write_bytes(damage.replace(b"KEY", key))
    assert cache.load_parser(GRAMMAR, OPTIONS, Lark) is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX file modes")
@pytest.mark.parametrize("writable", ["directory", "file"])
def test_a_kept_parser_others_could_write_is_not_loaded(fresh: Lark, tmp_path: Path, monkeypatch,
                                                         writable: str) -> None:
    """A pickle runs code when loaded: one in a place others can write to is never read."""
    monkeypatch.setenv("SLADSL_CACHE_DIR", str(tmp_path))
    cache.store_parser(GRAMMAR, OPTIONS, fresh)
    (path,) = tmp_path.iterdir()
    assert isinstance(cache.load_parser(GRAMMAR, OPTIONS, Lark), Lark)
    target = tmp_path if writable == "directory" else path
    target.chmod(target.stat().st_mode | 0o002)
    assert cache.load_parser(GRAMMAR, OPTIONS, Lark) is None


def test_a_symbolic_link_is_not_loaded_as_a_kept_parser(fresh: Lark, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SLADSL_CACHE_DIR", str(tmp_path / "cache"))
    cache.store_parser(GRAMMAR, OPTIONS, fresh)
    (path,) = (tmp_path / "cache").iterdir()
    path.rename(tmp_path / "elsewhere")
    path.symlink_to(tmp_path / "elsewhere")
    assert cache.load_parser(GRAMMAR, OPTIONS, Lark) is None


def test_a_missing_or_stale_kept_parser_is_rebuilt_and_kept(fresh: Lark, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SLADSL_CACHE_DIR", str(tmp_path))
    cache.store_parser(GRAMMAR + "\n// another grammar\n", OPTIONS, fresh)
    rebuilt = build_parser(lazy_lexer=False)
    assert len(list(tmp_path.iterdir())) == 2  # the stale file stays unread; the new one is kept
    assert isinstance(cache.load_parser(GRAMMAR, OPTIONS, Lark), Lark)
    text = (ROOT / "contracts" / "qiscus.sla").read_text(encoding="utf-8")
    assert _outcome(rebuilt, text) == _outcome(fresh, text)


def test_without_a_cache_directory_nothing_is_kept(fresh: Lark, monkeypatch) -> None:
    monkeypatch.setenv("SLADSL_CACHE_DIR", "off")
    assert cache.parser_cache_path(GRAMMAR, OPTIONS) is None
    cache.store_parser(GRAMMAR, OPTIONS, fresh)
    assert cache.load_parser(GRAMMAR, OPTIONS, Lark) is None
