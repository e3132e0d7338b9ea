"""docs/cli.md shows real output: the examples below are run and must print what the page shows.

A block is a ```text fence whose first line is `$ sladsl ...`; the rest is the expected stdout,
optionally ending with `exit N` (the expected exit code; 0 when absent). Only the commands in
CHECKED are run: each is deterministic (a fixed `--now`, files from `examples/`).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from sladsl.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
BLOCK = re.compile(r"```text\n\$ (sladsl [^\n]*)\n(.*?)```", re.DOTALL)

CHECKED = (
    "sladsl eval examples/support-versions.sla --tickets examples/tickets-acme-2027.csv "
    "--now 2027-04-01T00:00:00Z",
    "sladsl uptime examples/support-versions.sla --incidents examples/incidents-acme.csv "
    "--period 2027-Q1",
    "sladsl diff examples/support-2026.sla examples/support-2027.sla",
    "sladsl uptime examples/cloud-regions.sla --incidents examples/incidents-cloud-regions.csv "
    "--period 2026-Q2",
    "sladsl diff examples/support-2026.sla examples/support-2027.sla --tickets "
    "examples/tickets-acme.csv --now 2026-06-01T00:00:00Z",
    "sladsl diff examples/support-2026.sla examples/support-2027.sla --tickets "
    "examples/tickets-acme-opened.csv --events examples/events-acme.csv --pause-status waiting "
    "--now 2026-06-01T00:00:00Z",
)


def blocks() -> dict[str, str]:
    return {m.group(1): m.group(2) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("command", CHECKED)
def test_doc_block_is_real_output(command, monkeypatch):
    monkeypatch.chdir(ROOT)
    shown = blocks()
    assert command in shown, f"docs/cli.md no longer shows `{command}`"
    expected = shown[command]
    code = 0
    last = re.search(r"^exit (\d+)\n\Z", expected, re.MULTILINE)
    if last:
        code = int(last.group(1))
        expected = expected[:last.start()]
    result = CliRunner().invoke(cli, shlex.split(command)[1:], catch_exceptions=False)
    assert result.stdout.rstrip("\n") == expected.rstrip("\n")  # a page block drops a final blank line
    assert result.exit_code == code
