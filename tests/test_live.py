"""The live view (issue 14.9): docs/semantics.md "Live view", each worked example asked of the
evaluator's `live()` and of `sladsl eval --live`. Expected values are worked out by hand: on the
24x7 UTC calendar business time is wall-clock time; the office calendar is Mon-Fri 09:00-17:00."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl
from sladsl.cli import cli

UTC = timezone.utc
CONTRACT = """contract Live {
  calendar always = 24x7 UTC
  calendar office = Mon-Fri 09:00-17:00 UTC
  priorities High, Low
  priority High respond 2h within always resolve 8h within always update every 4h within always
  priority Low respond 4h within office
}
"""
H = timedelta(hours=1)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 5, day, hour, minute, tzinfo=UTC)


@pytest.fixture(scope="module")
def contract(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("live") / "live.sla"
    path.write_text(CONTRACT)
    return path


@pytest.fixture(scope="module")
def evaluator(contract):
    return sladsl.load(contract)


def clocks(evaluator, now, **ticket) -> dict:
    answer = evaluator.live({"priority": "High", "opened_at": at(4, 10), "now": now, **ticket})
    return {c["metric"]: c for c in answer["clocks"]}


def test_running(evaluator):
    found = clocks(evaluator, at(4, 11))
    response = found["response"]
    assert (response["clock"], response["status"], response["next_due"], response["left"],
            response["overdue_by"]) == ("running", "pending", at(4, 12), H, None)
    assert (found["resolution"]["next_due"], found["resolution"]["left"]) == (at(4, 18), 7 * H)
    assert found["update"]["clock"] == "not judged"  # a mapping without `updates` carries none


def test_paused_left_stands_still(evaluator):
    for now, due in ((at(4, 11, 30), at(4, 13)), (at(4, 13), at(4, 14, 30))):
        response = clocks(evaluator, now, pauses=[(at(4, 10, 30), None)])["response"]
        assert (response["clock"], response["paused_since"], response["next_due"],
                response["left"]) == ("paused", at(4, 10, 30), due, 1.5 * H)
    # a pause that starts after `now` has not begun
    response = clocks(evaluator, at(4, 11), pauses=[(at(4, 12), None)])["response"]
    assert (response["clock"], response["next_due"]) == ("running", at(4, 12))


def test_overdue_is_negative_left(evaluator):
    response = clocks(evaluator, at(4, 13))["response"]
    assert (response["status"], response["clock"], response["next_due"], response["left"],
            response["overdue_by"]) == ("breached", "running", at(4, 12), -H, H)


def test_stopped_and_update_cadence(evaluator):
    found = clocks(evaluator, at(4, 13), first_response_at=at(4, 11), updates=[at(4, 11)])
    assert (found["response"]["clock"], found["response"]["status"],
            found["response"]["next_due"], found["response"]["left"]) == ("stopped", "met", None, None)
    update = found["update"]
    assert (update["clock"], update["next_due"], update["left"]) == ("running", at(4, 15), 2 * H)


def test_cadence_next_due_after_a_breached_interval(evaluator):
    # updates 15:00 (the first interval was due 14:00: breached) and 17:00; at 18:00 the
    # interval running since 17:00 is due 21:00
    update = clocks(evaluator, at(4, 18), updates=[at(4, 15), at(4, 17)])["update"]
    assert (update["status"], update["clock"], update["next_due"], update["left"]) == \
        ("breached", "running", at(4, 21), 3 * H)


def test_business_hours(evaluator):
    low = evaluator.live({"priority": "Low", "opened_at": at(8, 15), "now": at(8, 18)})["clocks"][0]
    assert (low["next_due"], low["left"]) == (at(11, 11), 2 * H)
    low = evaluator.live({"priority": "Low", "opened_at": at(8, 15), "now": at(11, 12)})["clocks"][0]
    assert (low["left"], low["overdue_by"]) == (-H, H)


def test_generated_modules_expose_live():
    root = Path(__file__).resolve().parent.parent
    text = (root / "generated" / "qiscus.py").read_text()
    assert "live = _EVALUATOR.live" in text and "'live'" in text


# -- eval --live --------------------------------------------------------------------------------

TICKETS = "id,priority,opened_at\nA,High,2026-05-04T10:00:00Z\nB,High,2026-05-04T10:00:00Z\n" \
          "C,Low,2026-05-08T15:00:00Z\nD,Nope,2026-05-04T10:00:00Z\n"
EVENTS = "id,at,event,value\nA,2026-05-04T10:30:00Z,status,waiting\n" \
         "B,2026-05-04T11:00:00Z,reply,\nB,2026-05-04T11:00:00Z,update,\n"


def live_csv(contract, tmp_path, now: str, *extra: str):
    (tmp_path / "t.csv").write_text(TICKETS)
    (tmp_path / "e.csv").write_text(EVENTS)
    result = CliRunner().invoke(cli, ["eval", str(contract), "--tickets", str(tmp_path / "t.csv"),
                                      "--events", str(tmp_path / "e.csv"), "--pause-status",
                                      "waiting", "--live", "--now", now, *extra])
    return result


def test_eval_live_csv(contract, tmp_path):
    result = live_csv(contract, tmp_path, "2026-05-04T13:00:00Z", "--format", "csv", "--skip-invalid")
    assert result.exit_code == 0, result.output
    rows = {(r["id"], r["metric"]): r for r in csv.DictReader(result.stdout.splitlines())}
    a = rows[("A", "response")]
    assert (a["clock"], a["next_due"], a["left_seconds"], a["paused_since"]) == \
        ("paused", "2026-05-04T14:30:00+00:00", "5400", "2026-05-04T10:30:00+00:00")
    b = rows[("B", "response")]
    assert (b["clock"], b["status"], b["next_due"], b["left_seconds"]) == ("stopped", "met", "", "")
    b = rows[("B", "update")]
    assert (b["clock"], b["next_due"], b["left_seconds"]) == ("running", "2026-05-04T15:00:00+00:00", "7200")
    c = rows[("C", "response")]
    assert (c["status"], c["clock"], c["reason"]) == ("not judged", "not judged",
                                                      "not yet opened at the judging instant")
    # tickets in = tickets out + skipped: D's unknown priority is skipped and reported
    assert {r["id"] for r in rows.values()} == {"A", "B", "C"}
    assert "1 x unknown priority (rows 5)" in result.output


def test_eval_live_table_and_json(contract, tmp_path):
    (tmp_path / "t.csv").write_text(TICKETS.replace("D,Nope", "D,High"))
    (tmp_path / "e.csv").write_text(EVENTS)
    args = ["eval", str(contract), "--tickets", str(tmp_path / "t.csv"), "--live",
            "--now", "2026-05-04T13:00:00Z"]
    table = CliRunner().invoke(cli, args)
    assert table.exit_code == 0, table.output
    assert "D           High        response    2h                breached    running     " \
           "2026-05-04 12:00 +00:00   overdue by 1h" in table.output
    assert "clocks: 3 running, 0 paused, 3 overdue, 0 stopped, 4 not judged" in table.output
    document = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    d = next(t for t in document["tickets"] if t["id"] == "D")["clocks"][0]
    assert (d["left_seconds"], d["overdue_seconds"]) == (-3600, 3600)


def test_eval_live_bad_row_stops(contract, tmp_path):
    result = live_csv(contract, tmp_path, "2026-05-04T13:00:00Z")
    assert result.exit_code == 1
    assert "t.csv:5: field `priority`: unknown priority `Nope`" in result.output


def test_cli_doc_example_is_real_output(contract, tmp_path):
    """docs/cli.md "`eval --live`": the lines shown are those `eval --live` writes."""
    doc = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text()
    block = doc.split("### `eval --live`", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    shown = [line for line in block.splitlines()[2:] if line and line != "..."]
    (tmp_path / "t.csv").write_text(TICKETS.replace("C,Low,2026-05-08T15:00:00Z\n", "")
                                    .replace("D,Nope", "D,High"))
    (tmp_path / "e.csv").write_text(EVENTS)
    result = CliRunner().invoke(cli, ["eval", str(contract), "--tickets", str(tmp_path / "t.csv"),
                                      "--events", str(tmp_path / "e.csv"), "--pause-status",
                                      "waiting", "--now", "2026-05-04T13:00:00Z", "--live"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(shown) == 8 and lines[:8] == shown
