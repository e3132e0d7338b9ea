"""The pyarrow paths of `eval` (issue 13 item 6) against the plain ones, on hostile files.

`sladsl.arrow_csv` parses CSV blocks with Arrow only where that parse provably equals the csv
module's; these tests read the same files with it and without it (pyarrow hidden) and with the
row reader `read_tickets` (the independent reference) and ask for the same tickets, rows, errors
and skipped counts, and for `eval` the same bytes on stdout and stderr. Small read blocks put the
block boundaries everywhere, so a million-line file's cases are met in a few hundred lines.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl.arrow_csv
import sladsl.data
from sladsl.cli import cli
from sladsl.data import DataError, Names, Skipped, _SeenIds, read_ticket_chunks, read_tickets

pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

ROOT = Path(__file__).resolve().parent.parent
QISCUS = str(ROOT / "contracts" / "qiscus.sla")
NAMES = Names(priorities=("Critical", "High", "Normal", "Low"),
              plans=("Premium", "8x7 Dedicated", "24x7 Dedicated"), addons=("Resolution",))
HEADER = "id,priority,plan,addons,opened_at,first_response_at,resolved_at,pauses"

# Cells a ticket file meets in practice and in attacks: every timestamp shape the column path
# reads and several it must leave to the row code; quoted, blank and odd cells.
OPENED = ["2026-05-04T09:00:00+07:00", "2026-05-04T02:00:00Z", "2026-05-04T09:00:00.123+07:00",
          "2026-05-04T02:00:00.999999Z", "2026-05-04T09:00:00,5+07:00", "2026-05-04 09:00+0700",
          "2026-05-04t02:00:00z", "2026-02-29T09:00:00+07:00", "2026-05-04T09:00:00+24:00",
          "2026-05-04T24:00:00Z", " 2026-05-04T09:00:00+07:00", "2026-05-04T09:00:00-03:30",
          "2026-05-04T09:00:00", "1969-12-31T23:59:59.5Z", "", "now", "２０２６-05-04T09:00:00Z"]
LATER = ["", "", "2026-05-04T10:00:00+07:00", "2026-05-05T02:00:00Z", "2026-05-03T02:00:00Z",
         "2026-05-04T10:30:00.250+07:00", "bad"]
IDS = ["T", "a,b", 'q"uote', "é ü", "  padded  ", "", "T", "tab\there"]
PRIORITIES = ["Critical", "High", "Normal", "Low", "low", "", "Urgent"]
PLANS = ["Premium", "8x7 Dedicated", "24x7 Dedicated", "", "Gold"]
PAUSES = ["", "", "", '[["2026-05-04T09:10:00+07:00", "2026-05-04T09:20:00+07:00"]]', "[",
          "  "]


def _cell(text: str, rng: random.Random, quote: float = 0.1) -> str:
    """A CSV cell: quoted when it must be, and with probability `quote` when it need not be."""
    if any(c in text for c in ',"\n\r') or rng.random() < quote:
        return '"' + text.replace('"', '""') + '"'
    return text


def _file(rng: random.Random, count: int, ending: str, structural: float = 0.0,
          quote: float = 0.1) -> str:
    """A ticket file; `structural`: the share of lines Arrow must not vouch for (their block is
    read as before), from blank lines to quoted line ends (the rest of the file is then)."""
    lines = [HEADER]
    for k in range(count):
        roll = rng.random() / structural if structural else 1.0
        if roll < 0.3:
            lines.append("")  # a blank line
            continue
        if roll < 0.6:
            lines.append(f"T{k},High,Premium")  # too few cells
            continue
        if roll < 0.9:
            lines.append(f'T{k},High,Premium,,x"y,,,')  # a quote inside an unquoted cell
            continue
        if roll < 1.0:
            lines.append(f'"T{k}{ending}",High,Premium,,{OPENED[0]},,,')  # a quoted line end
            continue
        ident = rng.choice(IDS) + (str(k) if rng.random() < 0.95 else "")
        cells = [ident, rng.choice(PRIORITIES), rng.choice(PLANS),
                 rng.choice(["", "", "Resolution", "Extra"]),
                 rng.choice(OPENED) if rng.random() < 0.3 else OPENED[0],
                 rng.choice(LATER), rng.choice(LATER), rng.choice(PAUSES)]
        lines.append(",".join(_cell(c, rng, quote) for c in cells))
    return ending.join(lines) + (ending if rng.random() < 0.7 else "")


def _tickets(path: Path, *, skip: bool, arrow: bool, monkeypatch, block_size=None):
    """(tickets as tuples, skipped lines) or the DataError's (row, field, text)."""
    with monkeypatch.context() as patch:
        if not arrow:
            patch.setattr(sladsl.arrow_csv, "load", lambda: None)
        skipped = Skipped() if skip else None
        try:
            got = [(t.row, t.id, t.priority, t.plan, t.addons, t.opened, t.responded, t.resolved,
                    t.pauses)
                   for chunk in read_ticket_chunks(path, NAMES, skipped=skipped, size=23,
                                                   block_size=block_size)
                   for t in chunk.tickets()]
        except DataError as error:
            return ("error", error.row, error.field, str(error))
        return got, skipped.lines() if skip else None


def _reference(path: Path, *, skip: bool):
    skipped = Skipped() if skip else None
    try:
        got = [(t.row, t.id, t.priority, t.plan, t.addons, t.opened, t.responded, t.resolved,
                t.pauses) for t in read_tickets(path, NAMES, skipped=skipped)]
    except DataError as error:
        return ("error", error.row, error.field, str(error))
    return got, skipped.lines() if skip else None


@pytest.mark.parametrize("seed", range(7))
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("skip", [True, False])
def test_arrow_reader_equals_the_plain_reader_and_the_row_reader(tmp_path, monkeypatch, seed,
                                                                 ending, skip):
    rng = random.Random(seed)
    # seeds 4 and 5 quote every cell, as pyarrow's and pandas' writers can
    text = _file(rng, 300, ending, structural=(0.0, 0.003, 0.02)[seed % 3],
                 quote=1.0 if seed >= 4 else 0.1)
    if seed % 3 == 0:
        text = "\ufeff" + text  # a byte order mark before the header
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    expected = _reference(path, skip=skip)
    for block_size in (None, 100, 1000):
        assert _tickets(path, skip=skip, arrow=False, monkeypatch=monkeypatch,
                        block_size=block_size) == expected
        assert _tickets(path, skip=skip, arrow=True, monkeypatch=monkeypatch,
                        block_size=block_size) == expected


@pytest.mark.parametrize("tail", [
    b"T9,High,Premium,,2026-05-04T09:00:00+07:00,,,\r",  # a lone CR: a line end for csv
    b"T9,High,Premium,,2026-05-04T09:00:00+07:00,\0,,\n",  # NUL: csv refuses it
    b"T9,High,Premium,,2026-05-04T09:00:00+07:00,\xff,,\n",  # not UTF-8
    b'T9,High,Premium,,2026-05-04T09:00:00+07:00,,,"[\n]"\n',  # a quoted line end
    b'T9,High,Premium,,"2026-05-04T09:00:00+07:00"x,,,\n',  # text after a closing quote
    b"\xef\xbb\xbfT9,High,Premium,,2026-05-04T09:00:00+07:00,,,\n",  # a BOM inside the file
    b"T9,High,Premium,," + b"x" * ((1 << 20) + 9) + b",,,\n",  # a cell over the 1 MiB limit
])
@pytest.mark.parametrize("skip", [True, False])
def test_blocks_arrow_cannot_vouch_for_read_as_before(tmp_path, monkeypatch, tail, skip):
    good = "".join(f"T{k},High,Premium,,2026-05-04T09:00:00+07:00,,,\n" for k in range(40))
    path = tmp_path / "t.csv"
    path.write_bytes((HEADER + "\n" + good).encode() + tail + good.replace("T", "U").encode())
    expected = _reference(path, skip=skip)
    for block_size in (None, 50):
        assert _tickets(path, skip=skip, arrow=True, monkeypatch=monkeypatch,
                        block_size=block_size) == expected
        assert _tickets(path, skip=skip, arrow=False, monkeypatch=monkeypatch,
                        block_size=block_size) == expected


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_eval_writes_the_same_bytes_with_and_without_pyarrow(tmp_path, monkeypatch, seed, fmt):
    rng = random.Random(100 + seed)
    path = tmp_path / "t.csv"
    path.write_bytes(_file(rng, 400, rng.choice(["\n", "\r\n"]), 0.005 * seed).encode("utf-8"))
    outputs = []
    for arrow in (True, False):
        with monkeypatch.context() as patch:
            if not arrow:
                patch.setattr(sladsl.arrow_csv, "load", lambda: None)
            patch.setattr(sladsl.data, "READ_BLOCK", 512)
            result = CliRunner().invoke(cli, ["eval", QISCUS, "--tickets", str(path), "--format",
                                              fmt, "--now", "2026-06-01T00:00:00Z",
                                              "--skip-invalid"], catch_exceptions=False)
        outputs.append((result.exit_code, result.stdout, result.stderr))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 0, outputs[0][2]


class _Colliding(str):
    """A str whose hash is one of three values: ids collide on purpose."""

    def __hash__(self) -> int:
        return len(self) % 3


@pytest.mark.parametrize("colliding", [False, True])
def test_seen_ids_equal_a_dict_of_first_rows(colliding):
    rng = random.Random(7)
    seen = _SeenIds(np)
    first: dict[str, int] = {}
    row = 2
    for _ in range(40):  # chunks of varied sizes: runs are merged many times over
        ids, rows = [], []
        for _ in range(rng.randrange(0, 60)):
            text = f"T{rng.randrange(0, 900)}" + ("x" * rng.randrange(0, 3))
            ids.append(_Colliding(text) if colliding else text)
            rows.append(row)
            row += rng.choice([1, 1, 1, 2])
        expected = {}
        for k, (ident, at) in enumerate(zip(ids, rows)):
            earlier = first.setdefault(ident, at)
            if earlier != at:
                expected[k] = earlier
        assert seen.add(ids, rows) == expected


def test_a_block_starting_with_a_byte_order_mark_is_not_arrows():
    # Arrow drops a BOM at the start of what it parses; inside a file it is a cell's first char.
    import io

    arrow = sladsl.arrow_csv.load()
    line = "\ufeffT1,High\n".encode()
    (block,) = arrow.blocks(io.BytesIO(line), 2, 2)
    assert block[2] == line
    (block,) = arrow.blocks(io.BytesIO(b"T1,High\n"), 2, 2)
    assert [c.to_pylist() for c in block[2]] == [["T1"], ["High"]]


@pytest.mark.parametrize("block, paired", [
    (b'"a","b"\n"c",d\r\n', True), (b'"",""\n', True), (b'x,y\n', True),
    (b'"a"x,b\n', False), (b'x"a",b\n', False), (b'"a\nb",c\n', False),
    (b'"a""b",c\n', False), (b'"a,b\n', False),
])
def test_the_vectorised_quote_test_is_sufficient(block, paired):
    # Whenever it says yes, the per-line pattern (the exact test) says yes too.
    arrow = sladsl.arrow_csv.load()
    raw = np.frombuffer(block, dtype=np.uint8)
    assert arrow._quotes_paired(raw) is paired
    if paired:
        assert all(sladsl.arrow_csv._PLAIN_LINE.fullmatch(line)
                   for line in block.split(b"\n") if line)
