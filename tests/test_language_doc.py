"""The language reference: every ```sla block in the docs parses, and every statement is described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sladsl.pipeline import Source, compile_text, front_end

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
REFERENCE = ROOT / "docs" / "language.md"
FENCE = re.compile(r"^```sla([^\n]*)\n(.*?)^```[ \t]*$", re.M | re.S)
# Examples of syntax errors are exempt: a fence with more words (```sla error), or any block in a
# section about a syntax diagnostic (`## E003: unexpected character` in docs/diagnostics.md).
# ```sla fragment marks statements that parse but need declarations from elsewhere; every other
# block outside a diagnostic's section is a complete contract and must pass the checker.
SYNTAX_ERROR_HEADING = re.compile(r"^#+ +(E0\d\d)\b", re.M)
DIAGNOSTIC_HEADING = re.compile(r"^#+ +[EW]\d{3}\b")
FRAGMENT = "fragment"


def _heading_before(text: str, offset: int) -> str:
    headings = [m for m in re.finditer(r"^#+ .*$", text, re.M) if m.start() < offset]
    return headings[-1].group(0) if headings else ""


def sla_blocks():
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            heading = SYNTAX_ERROR_HEADING.match(_heading_before(text, match.start()))
            expected = heading.group(0).split()[-1] if heading else None
            if match.group(1).strip() not in ("", FRAGMENT) and not expected:
                expected = "any"
            yield pytest.param(path, line, match.group(2), expected, id=f"{path.name}:{line}")


@pytest.mark.parametrize(("path", "line", "code", "expected_error"), list(sla_blocks()))
def test_sla_block_parses(path, line, code, expected_error):
    module, diagnostics = front_end(Source(f"{path.name}:{line}", code))
    if expected_error is None:
        assert module is not None and not diagnostics, [
            f"line {line + d.span.line}: {d.message}" for d in diagnostics]
    else:  # an example of a syntax error: it must produce the error its section is about
        # (E001/E002 examples are about bytes and size, which a Markdown block cannot carry as-is)
        if expected_error not in ("any", "E001", "E002"):
            assert expected_error in {d.code for d in diagnostics}, [d.code for d in diagnostics]


def complete_examples():
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match.group(1).strip() or DIAGNOSTIC_HEADING.match(_heading_before(text, match.start())):
                continue  # a fragment, an error example, or a diagnostic's example (test_diagnostics_registry)
            line = text.count("\n", 0, match.start()) + 1
            yield pytest.param(path, line, match.group(2), id=f"{path.name}:{line}")


@pytest.mark.parametrize(("path", "line", "code"), list(complete_examples()))
def test_complete_example_checks(path, line, code):
    """`sladsl check` on the block alone reports no error (warnings are allowed)."""
    result = compile_text(code, f"{path.name}:{line}")
    errors = [f"line {line + d.span.line}: {d.code} {d.message}" for d in result.diagnostics if d.is_error]
    assert not errors, "an example that is not complete must be marked ```sla fragment: " + "; ".join(errors)


def test_most_reference_examples_are_complete():
    assert sum(1 for p in complete_examples() if p.values[0] == REFERENCE) >= 10


def test_reference_has_many_examples():
    assert len(FENCE.findall(REFERENCE.read_text(encoding="utf-8"))) >= 20


def statement_keywords() -> set[str]:
    """The first word of every statement rule listed under `_stmt` in the grammar."""
    grammar = (ROOT / "grammar" / "sladsl.lark").read_text(encoding="utf-8")
    grammar = "\n".join(line.split("//", 1)[0] for line in grammar.splitlines())
    body = re.search(r"^_stmt:(.*?)^\S", grammar, re.M | re.S).group(1)
    rules = re.findall(r"[a-z_]+", body)
    words: set[str] = set()
    for rule in rules:
        # the rule's alternatives, continuation lines (`    | ...`) included
        definition = re.search(rf"^\??{rule}:(.*(?:\n\s+\|.*)*)", grammar, re.M).group(1)
        while re.search(r"\([^()]*\)", definition):  # only top-level `|` separates alternatives
            definition = re.sub(r"\([^()]*\)", "", definition)
        for alternative in definition.split("|"):
            first = alternative.split()[0]
            if first.startswith('"'):
                words.add(first.strip('"'))
                continue
            # a terminal (HEADER_KEY) or a rule (target): the words its own definition starts with
            inner = re.search(rf"^\??{first}(?:\.\d+)?:\s*(.*)$", grammar, re.M).group(1)
            head = inner.split()[0]
            if head.isupper() and not head.startswith('"'):
                inner = re.search(rf"^{head}(?:\.\d+)?:\s*(.*)$", grammar, re.M).group(1)
            words.update(re.findall(r'"([a-z-]+)"', inner))
    return words


def test_statement_keywords_found():
    words = statement_keywords()
    assert {"contract", "provider", "withdrawn", "note", "calendar", "priority", "respond",
            "pickup", "within", "maintenance", "credit", "deadline", "reading"} <= words


def test_reference_mentions_every_statement_keyword():
    text = REFERENCE.read_text(encoding="utf-8")
    missing = [w for w in sorted(statement_keywords()) if f"`{w}" not in text]
    assert not missing
