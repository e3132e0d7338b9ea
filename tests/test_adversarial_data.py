"""Data commands under hostile data and file-system faults (issues 20, 21, 22).

Each test pins one defect that was reproduced on main: the expected values are written out by
hand from the file the test builds (ids, line numbers, messages), never taken from the reader.
The suite stays small and fast: big-file cases use small read blocks instead of big files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl.data
from sladsl.cli import cli
from sladsl.data import DataError, Names, Skipped, read_ticket_chunks, read_tickets

ROOT = Path(__file__).resolve().parent.parent
QISCUS = str(ROOT / "contracts" / "qiscus.sla")
VHOSTWEB = str(ROOT / "contracts" / "vhostweb.sla")
NAMES = Names(priorities=("Critical", "High", "Normal", "Low"), plans=("Basic", "Premium"),
              channels=("Helpdesk", "Email"), addons=("Resolution",), services=("Web hosting",))
HEADER = "id,priority,plan,channel,opened_at,first_response_at,resolved_at,pauses"
OPENED = "2026-05-04T09:00:00+07:00"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


# -- 20.1: the CSV fast path at its read-block boundary -----------------------------------------

def _records(ending: str):
    """(record text, id, number of line ends inside it) for a mix of plain and quoted records."""
    out = []
    for k in range(40):
        ident = f"T{k}"
        if k % 5 == 1:  # a quoted cell holding a line end (the file's own, CRLF or LF)
            out.append((f'{ident},High,Basic,,{OPENED},,,"[{ending}]"', ident, 1))
        elif k % 5 == 2:  # a quoted CRLF inside an LF file too
            out.append((f'"{ident}",High,,,{OPENED},,,"[\r\n]"', ident, 1))
        elif k % 5 == 3:  # a quoted comma and doubled quotes, one line
            out.append((f'"{ident}, ""x""",Low,Premium,Email,{OPENED},,,', f'{ident}, "x"', 0))
        else:
            out.append((f"{ident},Critical,Premium,Helpdesk,{OPENED},,,", ident, 0))
    return out


def _expected(records):
    """Ids and the line each record starts on (the header is line 1)."""
    line, rows = 2, []
    for _, ident, inner in records:
        rows.append((line, ident))
        line += 1 + inner
    return rows


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
@pytest.mark.parametrize("block_size", [1, 2, 3, 7, 16, 45, 46, 47, 64, 100, 257, 4096])
def test_csv_blocks_of_any_size_read_every_record(tmp_path, ending, block_size):
    records = _records(ending)
    path = write(tmp_path, "t.csv", ending.join([HEADER] + [r for r, _, _ in records]) + ending)
    skipped = Skipped()
    got = [(t.row, t.id) for chunk in read_ticket_chunks(path, NAMES, skipped=skipped, size=7,
                                                         block_size=block_size)
           for t in chunk.tickets()]
    assert got == _expected(records)
    assert skipped.total == 0
    assert [(t.row, t.id) for t in read_tickets(path, NAMES)] == _expected(records)


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
@pytest.mark.parametrize("block_size", [3, 16, 45, 64, 100])
def test_csv_blocks_without_quotes_read_every_record(tmp_path, ending, block_size):
    # The all-plain file stays on the fast path (no csv module) until a CR splits a line end.
    rows = [f"T{k},High,Basic,,{OPENED},,," for k in range(60)]
    path = write(tmp_path, "t.csv", ending.join([HEADER] + rows))  # no final line end
    got = [(t.row, t.id) for chunk in read_ticket_chunks(path, NAMES, block_size=block_size)
           for t in chunk.tickets()]
    assert got == [(k + 2, f"T{k}") for k in range(60)]


def test_crlf_file_larger_than_the_default_block(tmp_path, monkeypatch):
    # The defect as reported: a CRLF export over 4 MiB (the default block) lost the record cut
    # by the boundary. Same shape with the module's block made small, through the CLI.
    monkeypatch.setattr(sladsl.data, "READ_BLOCK", 1000)
    rows = [f"T{k},High,Basic,,,{OPENED},2026-05-04T09:30:00+07:00,," for k in range(300)]
    header = "id,priority,plan,addons,channel,opened_at,first_response_at,resolved_at,pauses"
    path = write(tmp_path, "t.csv", "\r\n".join([header] + rows) + "\r\n")
    for extra in ((), ("--skip-invalid",)):
        result = run("eval", QISCUS, "--tickets", str(path), "--format", "csv",
                     "--now", "2026-06-01T00:00:00Z", *extra)
        assert result.exit_code == 0, result.stderr
        ids = [line.split(",")[0] for line in result.stdout.splitlines()[1:]]
        assert ids == [f"T{k}" for k in range(300)]
        assert "skipped" not in result.stderr
