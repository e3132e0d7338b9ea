"""Verdict semantics shared by `evaluate_ticket` and the batch stage (issue 20.5, 20.6; 21.4, 21.5).

Expected values come from SEMANTICS.md ("Due instants", decision 1 and 3 of the brief as stated in
docs/semantics.md "Verdicts"), worked out by hand on a 24x7 UTC calendar where business time is
wall-clock time: respond 2h, resolve 8h, update 4h. Every case is asked of both paths, which
must give the same status, reason, due and stop instant.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import sladsl
from sladsl.data import Names, read_tickets
from sladsl.evaluate import Evaluation
from sladsl.pipeline import compile_path

CLOCKS = """contract Clocks {
  zone UTC
  calendar always = 24x7 UTC
  priorities High
  priority High respond 2h resolve 8h update 4h
}
"""
UTC = timezone.utc
OPENED = "2026-05-04T10:00:00+00:00"
STOPPED = "the clock stopped at the resolution"
NO_UPDATES = "the data carries no update events"
NOT_OPENED = "not yet opened at the judging instant"


@pytest.fixture(scope="module")
def contract(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("verdicts") / "clocks.sla"
    path.write_text(CLOCKS, encoding="utf-8")
    return str(path)


def both(contract: str, tmp_path: Path, row: dict, now: str) -> dict:
    """{metric: (status, reason, due ISO, stop instant ISO or None, left seconds)} from both
    paths, asserted equal."""
    now_dt = datetime.fromisoformat(now)
    evaluator = sladsl.load(contract)
    ticket = {"priority": "High", **{k: datetime.fromisoformat(v) if k.endswith("_at") else v
                                    for k, v in row.items()}, "now": now_dt}
    direct = {}
    for r in evaluator.evaluate_ticket(ticket)["results"]:
        left = None if r["left"] is None else r["left"] // timedelta(seconds=1)
        stop = None if r["event_at"] is None else r["event_at"].astimezone(UTC).isoformat()
        direct[r["metric"]] = (r["status"], r["reason"], r["due"].astimezone(UTC).isoformat(),
                               stop, left)
    model = compile_path(Path(contract), contract).contract
    path = tmp_path / "tickets.jsonl"
    path.write_text(json.dumps({"id": "T", "priority": "High", **row}) + "\n", encoding="utf-8")
    (tickets,) = [list(read_tickets(path, Names.of_contract(model)))]
    batch = {}
    for v in Evaluation(model, evaluator, now_dt).run(tickets)[0]:
        stop = None if v.event is None else \
            (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=v.event)).isoformat()
        batch[v.metric] = (v.status, v.reason, datetime.fromtimestamp(v.due, UTC).isoformat(),
                           stop, v.left)
    assert batch == direct
    return direct


def test_resolution_before_any_reply_stops_the_response_clock(contract, tmp_path):
    # Issue 20.6: resolved at 11:00 without a reply. The response clock stopped at 11:00, before
    # its 12:00 due instant: met, not breached "long after resolution".
    got = both(contract, tmp_path, {"opened_at": OPENED, "resolved_at": "2026-05-04T11:00:00+00:00"},
               "2026-05-10T00:00:00+00:00")
    assert got["response"] == ("met", STOPPED, "2026-05-04T12:00:00+00:00",
                               "2026-05-04T11:00:00+00:00", None)
    assert got["resolution"][:2] == ("met", None)


def test_a_resolution_after_the_due_instant_without_reply_is_a_missed_response(contract, tmp_path):
    got = both(contract, tmp_path, {"opened_at": OPENED, "resolved_at": "2026-05-04T13:00:00+00:00"},
               "2026-05-10T00:00:00+00:00")
    assert got["response"][:2] == ("breached", STOPPED)


def test_a_reply_after_the_resolution_does_not_restart_the_response_clock(contract, tmp_path):
    got = both(contract, tmp_path, {"opened_at": OPENED, "resolved_at": "2026-05-04T11:00:00+00:00",
                                    "first_response_at": "2026-05-04T15:00:00+00:00"},
               "2026-05-10T00:00:00+00:00")
    assert got["response"][:2] == ("met", STOPPED)
    # A reply before the resolution is the response, as always.
    got = both(contract, tmp_path, {"opened_at": OPENED, "resolved_at": "2026-05-04T15:00:00+00:00",
                                    "first_response_at": "2026-05-04T11:00:00+00:00"},
               "2026-05-10T00:00:00+00:00")
    assert got["response"] == ("met", None, "2026-05-04T12:00:00+00:00",
                               "2026-05-04T11:00:00+00:00", None)


def test_update_targets_are_not_judged_without_update_events(contract, tmp_path):
    # Issue 20.5: flat ticket data has no update events; the update target was always breached.
    got = both(contract, tmp_path, {"opened_at": OPENED}, "2026-05-10T00:00:00+00:00")
    assert got["update"] == ("not judged", NO_UPDATES, "2026-05-04T14:00:00+00:00", None, None)
    assert got["response"][:2] == ("breached", None)  # the other metrics are judged as before


def test_instants_are_read_at_whole_seconds(contract, tmp_path):
    # Issue 21.4: opened 10:00:00.999999, replied 12:00:00.000001 (1h59m59.000002s later). Both
    # truncate to the second: 10:00:00 and 12:00:00, exactly the due instant: met.
    got = both(contract, tmp_path, {"opened_at": "2026-05-04T10:00:00.999999+00:00",
                                    "first_response_at": "2026-05-04T12:00:00.000001+00:00"},
               "2026-05-10T00:00:00+00:00")
    assert got["response"][:3] == ("met", None, "2026-05-04T12:00:00+00:00")
    # One second later is late.
    got = both(contract, tmp_path, {"opened_at": "2026-05-04T10:00:00.999999+00:00",
                                    "first_response_at": "2026-05-04T12:00:01+00:00"},
               "2026-05-10T00:00:00+00:00")
    assert got["response"][0] == "breached"
    # `now` too: at 12:00:00.5 an open ticket is still pending (12:00:00 is not after the due).
    got = both(contract, tmp_path, {"opened_at": OPENED}, "2026-05-04T12:00:00.500000+00:00")
    assert got["response"][0] == "pending"


def test_now_before_opening_is_not_yet_opened(contract, tmp_path):
    # Issue 21.5: judged at 09:00 a ticket opened at 10:00 had more time left than its target.
    got = both(contract, tmp_path, {"opened_at": OPENED}, "2026-05-04T09:00:00+00:00")
    assert {m: v[:2] for m, v in got.items()} == {
        "response": ("not judged", NOT_OPENED), "resolution": ("not judged", NOT_OPENED),
        "update": ("not judged", NO_UPDATES)}
    assert all(v[4] is None for v in got.values())  # no time left reported
    # At the opening instant itself it is open: pending with the whole target left.
    got = both(contract, tmp_path, {"opened_at": OPENED}, OPENED)
    assert got["response"] == ("pending", None, "2026-05-04T12:00:00+00:00", None, 7200)


def test_eval_csv_reports_the_reason_column(contract, tmp_path):
    from click.testing import CliRunner

    from sladsl.cli import cli

    tickets = tmp_path / "t.csv"
    tickets.write_text("id,priority,opened_at,resolved_at\nA,High,2026-05-04T10:00:00+00:00,"
                       "2026-05-04T11:00:00+00:00\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", contract, "--tickets", str(tickets), "--format", "csv",
                                      "--now", "2026-05-10T00:00:00+00:00"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith(",status,used_seconds,left_seconds,best_effort,source_line,reason")
    assert lines[1].endswith(",2026-05-04T11:00:00+00:00,met,3600,,no,5,"
                             "the clock stopped at the resolution")
    # The update clock also stopped at the resolution (1h used), but with no update events in
    # the data it is not judged.
    assert lines[3].endswith(",2026-05-04T11:00:00+00:00,not judged,3600,,no,5,"
                             "the data carries no update events")
    assert "not judged" in result.stderr  # the summary counts them in their own column
