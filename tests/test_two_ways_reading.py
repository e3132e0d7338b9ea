"""A `reading two_ways` settles W103 where it is written (issue 20.14).

W103 advised "add a `reading` that says which figure governs", but no reading silenced it, so
`check --strict` failed on the project's own contracts.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sladsl.cli import cli
from sladsl.pipeline import compile_text

ROOT = Path(__file__).resolve().parent.parent
HEAD = "calendar office = Mon-Fri 09:00-17:00 UTC\n"
READING = '  reading two_ways "2 business days (48h)" as "The business days govern."\n'


def w103(text: str) -> list[int]:
    return [d.span.line for d in compile_text(text, "t.sla").diagnostics if d.code == "W103"]


def test_unsettled_two_way_targets_warn():
    text = HEAD + "plan A {\n  hours office\n  resolve 2 business days (48h)\n}\n"
    assert w103(text) == [4]


def test_a_two_ways_reading_settles_its_own_block_only():
    text = (HEAD + "plan A {\n  hours office\n  resolve 2 business days (48h)\n" + READING + "}\n"
            "plan B {\n  hours office\n  resolve 3 business days (72h)\n}\n")
    assert w103(text) == [9]  # plan B still warns


def test_a_reading_inside_within_settles_the_enclosing_block():
    bare = "priorities P\n" + HEAD + "plan X {\n  within office {\n    priority P resolve 2 business days (48h)\n"
    assert w103(bare + "  }\n}\n") == [5]
    assert w103(bare + READING + "  }\n}\n") == []


def test_a_contract_level_reading_settles_every_block():
    text = HEAD + READING.strip() + "\nplan A {\n  hours office\n  resolve 2 business days (48h)\n}\n"
    assert w103(text) == []


def test_another_topic_does_not_settle():
    text = (HEAD + "plan A {\n  hours office\n  resolve 2 business days (48h)\n"
            '  reading price "x" as "y"\n}\n')
    assert w103(text) == [4]


def test_strict_check_passes_on_the_projects_contracts(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "--strict", "contracts"])
    assert result.exit_code == 0, result.output
