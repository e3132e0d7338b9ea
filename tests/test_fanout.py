"""Chunks judged in worker processes (`sladsl.fanout`, issue 13 item 6) give the one-process
answers byte for byte: verdicts in every format, summaries, proportions, the rows not judged and
the rows skipped (their counts, their first rows, in file order), and the same first error.

The one-process run is the reference here; its answers are tested against hand-worked values and
a per-verdict reference elsewhere (tests/test_evaluate.py, tests/test_eval_writers.py).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl.cli.data as cli_data
from sladsl import fanout
from sladsl.cli import cli
from sladsl.data import DataError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(os, "sched_getaffinity"),
                                reason="worker processes are forked on Linux only")

ROOT = Path(__file__).resolve().parent.parent
QISCUS = str(ROOT / "contracts" / "qiscus.sla")
ROCKSOFT = str(ROOT / "contracts" / "rocksoft.sla")
HEADER = "id,priority,plan,addons,channel,opened_at,first_response_at,resolved_at,pauses\n"
CHUNK = 37  # tickets per chunk: every file below is many chunks long


# -- ordered_map --------------------------------------------------------------------------------

def _square(x):
    return x * x


def _start(work):
    return lambda index: work


def test_results_come_back_in_the_order_of_the_jobs():
    assert list(fanout.ordered_map(_start(_square), range(50), 3)) == [x * x for x in range(50)]
    assert multiprocessing.active_children() == []


def test_an_error_of_a_job_is_raised_at_its_turn():
    def work(x):
        if x == 5:
            raise DataError("t.csv", 7, "opened_at", "bad", "timestamp")
        return x

    got = []
    with pytest.raises(DataError) as raised:
        for value in fanout.ordered_map(_start(work), range(20), 2):
            got.append(value)
    assert got == [0, 1, 2, 3, 4]
    assert str(raised.value) == "t.csv:7: field `opened_at`: bad"  # rebuilt from its fields
    assert multiprocessing.active_children() == []


def test_an_error_reading_the_jobs_comes_after_every_earlier_result():
    def jobs():
        yield from range(7)
        raise DataError("t.csv", 9, None, "the row has 2 cell(s), the header 9", "cells")

    got = []
    with pytest.raises(DataError, match=r"t\.csv:9"):
        for value in fanout.ordered_map(_start(_square), jobs(), 2):
            got.append(value)
    assert got == [x * x for x in range(7)]


def test_an_earlier_job_error_wins_over_a_later_reading_error():
    def work(x):
        if x == 3:
            raise ValueError("job 3")
        return x

    def jobs():
        yield from range(5)
        raise DataError("t.csv", 9, None, "later", "cells")

    with pytest.raises(ValueError, match="job 3"):
        list(fanout.ordered_map(_start(work), jobs(), 4))


def test_a_result_that_does_not_pickle_is_a_worker_failure_with_its_traceback():
    with pytest.raises(fanout.WorkerFailed, match="pickle"):
        list(fanout.ordered_map(_start(lambda x: (lambda: x)), range(3), 2))


def test_a_worker_that_dies_is_a_worker_failure_not_a_hang():
    with pytest.raises(fanout.WorkerFailed, match="stopped without an answer"):
        list(fanout.ordered_map(_start(lambda x: os._exit(3) if x == 2 else x), range(6), 2))
    assert multiprocessing.active_children() == []


def test_stopping_early_stops_the_workers():
    results = fanout.ordered_map(_start(_square), range(1000), 2)
    assert [next(results), next(results)] == [0, 1]
    results.close()
    assert multiprocessing.active_children() == []


def test_data_errors_survive_pickling_whole():
    error = DataError("t.csv", 4, "priority", "unknown priority `Urgent`", "priority")
    error.ident = "T-4"
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.row, copy.field, copy.reason, copy.ident) == (
        str(error), 4, "priority", "priority", "T-4")


def test_worker_count(monkeypatch):
    monkeypatch.delenv(fanout.WORKERS_VARIABLE, raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert fanout.worker_count(fanout.MIN_BYTES - 1) == 0  # small: one process
    assert fanout.worker_count(fanout.MIN_BYTES) == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)))
    assert fanout.worker_count(fanout.MIN_BYTES) == fanout.MAX_WORKERS
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert fanout.worker_count(10 * fanout.MIN_BYTES) == 0  # one core
    for wanted, count in (("3", 3), ("1", 0), ("0", 0), (" 5 ", 5), ("64", 64)):
        monkeypatch.setenv(fanout.WORKERS_VARIABLE, wanted)
        assert fanout.worker_count(100) == count
    for wanted in ("many", "-2", "65", "2.5"):
        monkeypatch.setenv(fanout.WORKERS_VARIABLE, wanted)
        with pytest.raises(ValueError, match="from 0 to 64"):
            fanout.worker_count(100)


def test_a_bad_worker_count_is_a_usage_error(monkeypatch, tmp_path):
    tickets = _tickets(tmp_path, 5, seed=1, clean=True)
    monkeypatch.setenv(fanout.WORKERS_VARIABLE, "lots")
    result = CliRunner().invoke(cli, ["eval", QISCUS, "--tickets", tickets], catch_exceptions=False)
    assert result.exit_code == 2
    assert "SLADSL_WORKERS='lots': give a number of worker processes from 0 to 64" in result.stderr


# -- sladsl eval --------------------------------------------------------------------------------

def _stamp(rng: random.Random) -> tuple[str, str, str]:
    """opened_at, first_response_at, resolved_at of a ticket in 2026 (some unanswered)."""
    day, hour, minute = rng.randrange(1, 28), rng.randrange(0, 24), rng.randrange(0, 60)
    opened = f"2026-0{rng.randrange(1, 7)}-{day:02d}T{hour:02d}:{minute:02d}:00+07:00"
    response = "" if rng.random() < 0.2 else opened.replace(
        f"T{hour:02d}:{minute:02d}", f"T{min(hour + rng.randrange(0, 3), 23):02d}:{minute:02d}")
    resolved = "" if rng.random() < 0.4 else opened.replace(f"-{day:02d}T", f"-{day + 1:02d}T")
    return opened, response, resolved


def _tickets(tmp_path: Path, count: int, seed: int, *, clean: bool = False) -> str:
    """Qiscus tickets across plans and priorities, with (unless `clean`) rows every kind of run
    treats apart: invalid cells (skipped reading), a repeated id (found across chunks), a due
    instant beyond the frozen holidays and an opening in year 1 (skipped judging), tickets no
    target judges (no plan)."""
    rng = random.Random(seed)
    lines = [HEADER]
    for n in range(count):
        opened, response, resolved = _stamp(rng)
        priority = rng.choice(["Critical", "High", "Normal", "Low", "Low"])
        plan = rng.choice(["Basic", "Premium", "8x7 Dedicated", "24x7 Dedicated"])
        channel = rng.choice(["", "", "Helpdesk", "WhatsApp"])
        kind = 1.0 if clean else rng.random()
        if kind < 0.06:
            plan = ""
        elif kind < 0.07:
            opened = "2026-13-01T00:00:00+07:00"  # not an instant
        elif kind < 0.09:
            priority = "Urgent"  # no such priority
        elif kind < 0.11:
            opened, response, resolved, priority, plan = (
                "2035-12-31T16:00:00+07:00", "", "", "Low", "Premium")  # due in 2036
        elif kind < 0.12:
            opened, response, resolved = "0001-01-01T10:00:00+00:00", "", ""
        ident = f"T{n}" if clean or rng.random() > 0.02 else f"T{rng.randrange(0, n + 1)}"
        lines.append(f"{ident},{priority},{plan},,{channel},{opened},{response},{resolved},\n")
    path = tmp_path / f"tickets-{seed}.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


def _eval(monkeypatch, workers: int, *args: str):
    monkeypatch.setattr(cli_data, "CHUNK", CHUNK)
    monkeypatch.setenv(fanout.WORKERS_VARIABLE, str(workers))
    used = []
    real = cli_data.ordered_map

    def spy(start, jobs, count):
        used.append(count)
        return real(start, jobs, count)

    monkeypatch.setattr(cli_data, "ordered_map", spy)
    result = CliRunner().invoke(cli, ["eval", *args], catch_exceptions=False)
    assert used == ([workers] if workers > 1 else [])  # the path under test was taken
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_workers_write_what_one_process_writes(monkeypatch, tmp_path, fmt):
    tickets = _tickets(tmp_path, 700, seed=len(fmt))
    args = (QISCUS, "--tickets", tickets, "--now", "2026-07-01T00:00:00+07:00", "--format", fmt,
            "--skip-invalid")
    alone = _eval(monkeypatch, 0, *args)
    assert alone[0] == 0, alone[2]
    assert "skipped" in alone[2] and "holidays not frozen" in alone[2] and b"not judged" in alone[1]
    assert _eval(monkeypatch, 2 if fmt != "csv" else 3, *args) == alone
    # To a file the workers' bytes are copied by the kernel (os.sendfile), not through Python.
    output = tmp_path / f"out.{fmt}"
    code, _, stderr = _eval(monkeypatch, 2, *args, "-o", str(output))
    assert (code, output.read_bytes(), stderr) == alone


def test_workers_read_json_lines_as_one_process(monkeypatch, tmp_path):
    # JSON Lines takes the row reader: the same chunks, the same answers.
    import csv
    import json

    with open(_tickets(tmp_path, 400, seed=5), encoding="utf-8", newline="") as rows:
        lines = [json.dumps({k: v for k, v in row.items() if v}) + "\n" for row in csv.DictReader(rows)]
    tickets = tmp_path / "tickets.jsonl"
    tickets.write_text("".join(lines), encoding="utf-8")
    args = (QISCUS, "--tickets", str(tickets), "--now", "2026-07-01T00:00:00+07:00", "--format",
            "csv", "--skip-invalid")
    alone = _eval(monkeypatch, 0, *args)
    assert alone[0] == 0, alone[2]
    assert _eval(monkeypatch, 2, *args) == alone


def test_workers_judge_event_logs_as_one_process(monkeypatch, tmp_path):
    # Timelines from an event log (replies, waiting statuses, reopenings, updates): the chunks
    # carry their clocks and update instants to the workers.
    import json

    from test_events import CLOCKS, WAIT, _jsonl, _random_tickets

    contract = tmp_path / "clocks.sla"
    contract.write_text(CLOCKS, encoding="utf-8")
    _, bare, events = _random_tickets(str(contract), random.Random(3), 300)
    from datetime import datetime, timedelta

    for n, ticket in enumerate(bare):  # updates 1h and 5h after most openings, one before (skipped)
        opened = datetime.fromisoformat(ticket["opened_at"])
        events += [{"id": ticket["id"], "at": (opened + timedelta(hours=h)).isoformat(),
                    "event": "update", "value": ""} for h in ((1, 5) if n % 3 else (-1,) if n == 9 else ())]
    args = (str(contract), "--tickets", _jsonl(tmp_path / "t.jsonl", bare), "--events",
            _jsonl(tmp_path / "e.jsonl", events), "--pause-status", WAIT, "--now",
            "2026-06-01T00:00:00Z", "--format", "json", "--skip-invalid")
    alone = _eval(monkeypatch, 0, *args)
    assert alone[0] == 0, alone[2]
    document = json.loads(alone[1])
    assert document["skipped"]["total"] == 1  # the update before its ticket's opening
    assert any(row["metric"] == "update" and row["met"] for row in document["summary"])
    assert _eval(monkeypatch, 2, *args) == alone


TWO_VERSIONS = """contract "Acme Support" {
  effective 2026-01-01
  calendar office = Mon-Fri 09:00-17:00 Europe/London
  priorities Urgent, Normal
  priority Urgent respond 2h resolve 2 business days
  priority Normal respond 4h
}

contract "Acme Support" {
  effective 2027-03-01
  until 2027-12-31
  calendar office = Mon-Fri 09:00-17:00 Europe/London
  priorities Urgent, Normal
  priority Urgent respond 1h resolve 1 business day
  priority Normal respond 4h
}
"""


@pytest.mark.parametrize("version_by", ["opened", "due"])
def test_workers_judge_each_ticket_by_its_version_as_one_process(monkeypatch, tmp_path, version_by):
    # Tickets before the first version, in each version, and after the last: the versions'
    # tallies, the tickets no version judges and the count per version, summed in file order.
    contract = tmp_path / "acme.sla"
    contract.write_text(TWO_VERSIONS, encoding="utf-8")
    rng = random.Random(9)
    lines = ["id,priority,opened_at,first_response_at,resolved_at\n"]
    for n in range(400):
        year, month = rng.choice([(2025, 12), (2026, 5), (2027, 2), (2027, 2), (2027, 6), (2028, 1)])
        day, hour = rng.randrange(1, 28), rng.randrange(0, 24)
        opened = f"{year}-{month:02d}-{day:02d}T{hour:02d}:00:00Z"
        answered = f"{year}-{month:02d}-{day:02d}T{min(hour + rng.randrange(0, 4), 23):02d}:30:00Z"
        lines.append(f"V{n},{rng.choice(['Urgent', 'Normal'])},{opened},{answered},\n")
    tickets = tmp_path / "acme.csv"
    tickets.write_text("".join(lines), encoding="utf-8")
    args = (str(contract), "--tickets", str(tickets), "--now", "2028-02-01T00:00:00Z",
            "--version-by", version_by)
    for fmt in ("json", "table"):
        alone = _eval(monkeypatch, 0, *args, "--format", fmt)
        assert alone[0] == 0, alone[2]
        assert _eval(monkeypatch, 2, *args, "--format", fmt) == alone
    text = alone[1].decode()
    assert "in effect from 2026-01-01" in text and "in effect from 2027-03-01" in text
    assert "not judged" in text  # opened before the first version or after the last


def test_workers_count_proportions_as_one_process(monkeypatch, tmp_path):
    # Rocksoft's share target (85% resolved within 2 hours per month) is tallied per period
    # across every chunk.
    rng = random.Random(7)
    lines = ["id,priority,opened_at,first_response_at,resolved_at\n"]
    for n in range(400):
        month, day, hour = rng.randrange(1, 7), rng.randrange(1, 28), rng.randrange(0, 22)
        opened = f"2026-{month:02d}-{day:02d}T{hour:02d}:00:00+08:00"
        resolved = f"2026-{month:02d}-{day:02d}T{hour + rng.choice([1, 2]):02d}:{rng.choice(['00', '30'])}:00+08:00"
        lines.append(f"R{n},{rng.choice(['Critical', 'Normal', 'Non-Urgent'])},{opened},,"
                     f"{resolved if rng.random() < 0.8 else ''}\n")
    tickets = tmp_path / "rocksoft.csv"
    tickets.write_text("".join(lines), encoding="utf-8")
    args = (ROCKSOFT, "--tickets", str(tickets), "--now", "2026-07-01T00:00:00+08:00",
            "--format", "json")
    alone = _eval(monkeypatch, 0, *args)
    assert alone[0] == 0, alone[2]
    assert b'"proportions": [{' in alone[1]
    assert _eval(monkeypatch, 2, *args) == alone


@pytest.mark.parametrize("broken", ["cell", "judge"])
def test_workers_stop_at_the_first_bad_row_as_one_process(monkeypatch, tmp_path, broken):
    tickets = Path(_tickets(tmp_path, 300, seed=11, clean=True))
    lines = tickets.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = "2026-13-01T00:00:00+07:00" if broken == "cell" else "0001-01-01T10:00:00+00:00"
    at = 5 * CHUNK + 3  # in the sixth chunk, while earlier ones are with the workers
    lines[at] = lines[at].split(",")[0] + f",High,Premium,,,{bad},,,\n"
    tickets.write_text("".join(lines), encoding="utf-8")
    output = tmp_path / "out.csv"
    args = (QISCUS, "--tickets", str(tickets), "--now", "2026-07-01T00:00:00+07:00",
            "--format", "csv", "-o", str(output))
    alone = _eval(monkeypatch, 0, *args)
    assert alone[0] == 1 and f"{tickets.name}:{at + 1}:" in alone[2]
    assert not output.exists()
    assert _eval(monkeypatch, 2, *args) == alone
    assert not output.exists()
    assert multiprocessing.active_children() == []
