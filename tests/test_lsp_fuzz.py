"""Fuzzing `sladsl lsp` through the protocol: a half-typed file never breaks the server.

The inputs are test_fuzz.py's: mutations of the contracts in contracts/ (lines and tokens
deleted, duplicated, swapped, truncated; odd literal values) and soups of the language's tokens.
Each becomes a new version of one open document, and every request kind is made at random
positions (inside the text, at its ends and beyond). Every request must be answered without a
JSON-RPC error, the server must not report an error on its own, and a version is compiled at most
once. Bounded to run in seconds; `SLADSL_FUZZ_SCALE` multiplies the examples.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lsp_client import LspClient
from test_fuzz import SCALE, seed_mutation, seed_value_mutation, token_soup

URI = "file:///tmp/sladsl-test/fuzz.sla"
VERSIONS = iter(range(2, 10**6))
POSITION_REQUESTS = ("textDocument/hover", "textDocument/definition", "textDocument/completion",
                     "textDocument/references")
DOCUMENT_REQUESTS = ("textDocument/documentSymbol", "textDocument/semanticTokens/full",
                     "textDocument/codeLens")


@pytest.fixture(scope="module")
def client():
    server = LspClient({"now": "2026-03-29T01:30:00+01:00", "debounce": 0.01})
    server.open(URI, "")
    yield server
    server.close()


def _positions(text: str):
    lines = text.split("\n")
    return st.tuples(st.integers(0, len(lines) + 1), st.integers(0, 120)).map(
        lambda p: {"line": p[0], "character": p[1]})


def _exercise(client: LspClient, text: str, positions: list[dict]) -> None:
    version = next(VERSIONS)
    client.change(URI, text, version)
    document = {"textDocument": {"uri": URI}}
    for where in positions:
        for method in POSITION_REQUESTS:
            extra = {"context": {"includeDeclaration": True}} if method.endswith("references") else {}
            client.request(method, {**document, "position": where, **extra})
    for method in DOCUMENT_REQUESTS:
        client.request(method, document)
    client.request("textDocument/formatting", {**document, "options": {"tabSize": 2, "insertSpaces": True}})
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(text.split("\n")), "character": 0}}
    client.request("textDocument/codeAction", {**document, "range": whole, "context": {"diagnostics": []}})


@st.composite
def edits(draw):
    text = draw(st.one_of(seed_mutation(), seed_value_mutation(), token_soup()))
    return text, draw(st.lists(_positions(text), min_size=1, max_size=3))


@settings(max_examples=30 * SCALE, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(edits())
def test_every_request_on_mutated_contracts_is_answered(client, edit) -> None:
    text, positions = edit
    _exercise(client, text, positions)


@pytest.mark.parametrize("name", ["qiscus.sla", "vhostweb.sla"])
def test_typing_a_contract_from_scratch(client, name) -> None:
    """Every prefix of a real contract (in steps), as if typed: completion at the cursor, hover
    and tokens answer at each one."""
    from test_fuzz import SEEDS

    text = SEEDS[name]
    for end in range(0, len(text) + 1, 150):
        prefix = text[:end]
        version = next(VERSIONS)
        client.change(URI, prefix, version)
        lines = prefix.split("\n")
        cursor = {"line": len(lines) - 1, "character": len(lines[-1].encode("utf-16-le")) // 2}
        document = {"textDocument": {"uri": URI}}
        completion = client.request("textDocument/completion", {**document, "position": cursor})
        assert isinstance(completion["items"], list)
        client.request("textDocument/hover", {**document, "position": cursor})
        client.request("textDocument/semanticTokens/full", document)


def test_the_server_stayed_healthy(client) -> None:
    """Runs after the fuzzing: no error was reported out of band, one compile per version."""
    errors = [m for m in client.notifications
              if m.get("method") in ("window/showMessage", "window/logMessage")
              and m["params"].get("type") == 1]
    assert errors == [], errors
    compiles = client.request("sladsl/stats", {})["compiles"][URI]
    assert compiles <= next(VERSIONS) - 1  # versions 1.. so far, each compiled at most once
    assert client.process.poll() is None
