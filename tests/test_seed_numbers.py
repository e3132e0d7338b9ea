"""Every number a seed document states appears in the generated document, in some spelling.

Numbers are read from the seed text with a regex (`numbers`; tools/pin_seed_facts.py pins each
seed's numbers in tests/data/seed_facts.json, since the seeds are not in the repository) and compared by value (Decimal), after the
spellings the documents use: "9AM"/"6PM" are clock hours (09:00, 18:00), "216mil" is 216,000,000,
"99.0" is 99, "1'30\"" is 1 and 30. The document is read as rendered text (Markdown parsed, so
escapes are gone) without its generic parts: "How we read the source" quotes the seed verbatim,
and "How we count time" and "Holidays" are full of numbers that would match anything. The few
numbers that are not commitments are listed below, each with its reason.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from sladsl.pipeline import compile_path
from sladsl.to_markdown import render

ROOT = Path(__file__).resolve().parent.parent
# The seeds are not in the repository: their numbers are pinned as data by tools/pin_seed_facts.py.
SEED_FACTS = json.loads((ROOT / "tests" / "data" / "seed_facts.json").read_text(encoding="utf-8"))
SEED_OF = {stem: facts["seed"] for stem, facts in SEED_FACTS.items()}


def seed_numbers(stem: str) -> set[Decimal]:
    return {Decimal(n) for n in SEED_FACTS[stem]["numbers"]}

GENERIC_SECTIONS = ("How we read the source", "How we count time", "Holidays")

# (seed, number as Decimal) -> why the document need not show it.
EXCEPTIONS = {
    ("vhostweb", Decimal("7.7")): "\"7.7 PROMO\" is an advertising banner above the SLA, not a term",
    ("qiscus", Decimal(5)): "\"5.  COMMITTED UPTIME\" is the annexes' section numbering",
}

NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)\s*(am|pm|mil)?(?![a-z])", re.IGNORECASE)
THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")


def numbers(text: str) -> set[Decimal]:
    found = set()
    for match in NUMBER.finditer(text):
        raw, suffix = match.group(1), (match.group(2) or "").lower()
        pieces = [raw.replace(",", "")] if THOUSANDS.fullmatch(raw) else re.split(r",", raw)
        for piece in pieces:
            parts = piece.split(".")
            # "0.0", "99.95": one decimal number; "1.2.3" (a version or list): its parts.
            values = [Decimal(piece)] if len(parts) <= 2 else [Decimal(p) for p in parts if p]
            for value in values:
                if suffix == "pm" and value < 12:
                    value += 12
                elif suffix == "mil":
                    value *= 1_000_000
                found.add(value.normalize() if value == value.to_integral() else value)
    return {Decimal(int(v)) if v == v.to_integral() else v for v in found}


def document_text(stem: str) -> str:
    result = compile_path(ROOT / "contracts" / f"{stem}.sla", f"contracts/{stem}.sla")
    tokens = MarkdownIt("commonmark").enable("table").parse(render(result.contract))
    out, skipping = [], False
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            skipping = tokens[i + 1].content in GENERIC_SECTIONS
        if token.type == "inline" and not skipping:
            out.append(token.content)
            out += [c.content for c in token.children or [] if c.type == "text"]
    return "\n".join(out)


@pytest.mark.parametrize("stem", sorted(SEED_OF))
def test_every_seed_number_appears_in_the_document(stem):
    shown = numbers(document_text(stem))
    missing = sorted(n for n in seed_numbers(stem) - shown if (stem, n) not in EXCEPTIONS)
    assert missing == [], f"numbers of {SEED_OF[stem]} missing from {stem}.md: {missing}"


def test_exceptions_are_still_needed():
    """An exception that the document now shows, or that the seed no longer states, is stale."""
    for (stem, number), reason in EXCEPTIONS.items():
        assert number in seed_numbers(stem), (stem, number, reason)
        assert number not in numbers(document_text(stem)), (stem, number, reason)


def test_number_spellings():
    assert numbers("9AM-6PM") == {Decimal(9), Decimal(18)}
    assert numbers("IDR 216mil") == {Decimal(216_000_000)}
    assert numbers("IDR 216,000,000") == {Decimal(216_000_000)}
    assert numbers("99.0% - 99.9%") == {Decimal(99), Decimal("99.9")}
    assert numbers("1'30\"") == {Decimal(1), Decimal(30)}
