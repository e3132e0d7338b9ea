"""Completion parses only from the nearest statement line at or above the cursor (with stand-in
block openers), not the whole text before it. The slow reference is the whole prefix: at line
starts and ends of every contract in contracts/, both leave the LALR parser accepting the same
terminals (apart from `_NL` on the first and last lines, which completion never offers).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sladsl.editor import Document, completion_prefix
from sladsl.parse import accepted_terminals

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = sorted((ROOT / "contracts").glob("*.sla"))


@pytest.mark.parametrize("path", CONTRACTS, ids=[p.name for p in CONTRACTS])
def test_the_short_prefix_accepts_what_the_whole_prefix_accepts(path):
    document = Document(path.read_text(encoding="utf-8"), path.name)
    checked = 0
    for line in range(1, len(document.lines) + 1, 4):
        row = document.lines[line - 1]
        for column in {len(row) - len(row.lstrip()) + 1, len(row) + 1}:
            short = accepted_terminals(completion_prefix(document, line, column))
            whole = accepted_terminals(document.text[: document.offset(line, column)])
            assert short - {"_NL"} == whole - {"_NL"}, (line, column)
            checked += 1
    assert checked > 20


def test_blocks_that_do_not_hold_statements_are_not_stood_in_for():
    text = 'calendar c {\n  Mon-Fri 09:00-17:00\n  \n}\nplan P {\n  priorities {\n    A: "x"\n    \n  }\n}\n'
    document = Document(text, "t.sla")
    inside_calendar = accepted_terminals(completion_prefix(document, 3, 3))
    assert "DAY" in inside_calendar and "PLAN" not in inside_calendar
    inside_levels = accepted_terminals(completion_prefix(document, 8, 5))
    assert "IDENT" in inside_levels and "PLAN" not in inside_levels
    # cut at `priorities {` (its levels are not statements), the plan stood in for
    assert completion_prefix(document, 8, 5) == 'contract _ {\n  priorities {\n    A: "x"\n    '
