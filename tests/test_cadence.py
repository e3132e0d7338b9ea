"""`update every N` (issue 14.1): the interval starts at the opening and restarts at each update;
the resolution stops it. Worked by hand on a 24x7 UTC calendar (business time = wall-clock time)
and on office hours; asked of `evaluate_ticket` and of `eval --events`, which must agree."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl
from sladsl.cli import cli

UTC = timezone.utc
CONTRACT = """contract Cadence {
  zone UTC
  calendar office = Mon-Fri 09:00-17:00
  calendar always = 24x7
  priorities Urgent, Normal
  priority Urgent update every 4h within always
  priority Normal update every 1 business day within office
}
"""


@pytest.fixture(scope="module")
def contract(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("cadence") / "cadence.sla"
    path.write_text(CONTRACT, encoding="utf-8")
    return str(path)


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def both(contract: str, tmp_path: Path, priority: str, updates: list[str], now: str,
         resolved: str | None = None) -> tuple:
    """(status, due, event, used s, left s, reason) from evaluate_ticket and from eval --events."""
    ticket = {"priority": priority, "opened_at": t("2026-05-04T10:00"), "now": t(now),
              "updates": [t(u) for u in updates]}
    if resolved:
        ticket["resolved_at"] = t(resolved)
    (r,) = sladsl.load(contract).evaluate_ticket(ticket)["results"]
    direct = (r["status"], r["due"].astimezone(UTC).isoformat(),
              None if r["event_at"] is None else r["event_at"].astimezone(UTC).isoformat(),
              r["used"] // timedelta(seconds=1),
              None if r["left"] is None else r["left"] // timedelta(seconds=1), r["reason"])
    tickets = tmp_path / "t.csv"
    tickets.write_text(f"id,priority,opened_at\nA,{priority},2026-05-04T10:00:00Z\n", encoding="utf-8")
    events = tmp_path / "e.csv"
    rows = [f"A,{u}Z,update," for u in updates] + ([f"A,{resolved}Z,resolved,"] if resolved else [])
    events.write_text("id,at,event,value\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", contract, "--tickets", str(tickets), "--events",
                                      str(events), "--format", "json", "--now", f"{now}Z"])
    assert result.exit_code == 0, result.output
    (v,) = json.loads(result.stdout)["tickets"][0]["results"]
    batch = (v["status"], datetime.fromisoformat(v["due"]).astimezone(UTC).isoformat(),
             None if v["event_at"] is None else
             datetime.fromisoformat(v["event_at"]).astimezone(UTC).isoformat(),
             v["used_seconds"], v["left_seconds"], v["reason"])
    assert batch == direct
    return direct


def test_each_update_restarts_the_interval(contract, tmp_path):
    # Updates 13:00 and 16:30 (each within 4h of the previous), resolved 20:00, within 4h of
    # 16:30 (due 20:30): met; 3h30m used in the last interval.
    assert both(contract, tmp_path, "Urgent", ["2026-05-04T13:00", "2026-05-04T16:30"],
                "2026-05-05T00:00", resolved="2026-05-04T20:00") == \
        ("met", "2026-05-04T20:30:00+00:00", "2026-05-04T20:00:00+00:00", 12600, None,
         "the clock stopped at the resolution")


def test_a_late_update_breaches_at_its_interval(contract, tmp_path):
    # 13:00 restarts the clock (due 17:00); the next update comes at 17:30: breached, 4h30m used.
    assert both(contract, tmp_path, "Urgent", ["2026-05-04T13:00", "2026-05-04T17:30",
                                               "2026-05-04T18:00"], "2026-05-05T00:00") == \
        ("breached", "2026-05-04T17:00:00+00:00", "2026-05-04T17:30:00+00:00", 16200, None, None)


def test_an_open_interval_is_pending_then_breached(contract, tmp_path):
    # Last update 13:00: due 17:00. At 16:00 pending with 1h left; at 17:00:01 breached.
    assert both(contract, tmp_path, "Urgent", ["2026-05-04T13:00"], "2026-05-04T16:00") == \
        ("pending", "2026-05-04T17:00:00+00:00", None, 10800, 3600, None)
    assert both(contract, tmp_path, "Urgent", ["2026-05-04T13:00"], "2026-05-04T17:00:01")[0] == \
        "breached"
    # No update at all: the first interval runs from the opening (due 14:00).
    assert both(contract, tmp_path, "Urgent", [], "2026-05-04T15:00")[:2] == \
        ("breached", "2026-05-04T14:00:00+00:00")


def test_updates_after_the_resolution_do_not_count(contract, tmp_path):
    # Resolved 12:00 (within the first 4h): met, whatever is written after.
    assert both(contract, tmp_path, "Urgent", ["2026-05-04T20:00"], "2026-05-05T00:00",
                resolved="2026-05-04T12:00")[:3] == \
        ("met", "2026-05-04T14:00:00+00:00", "2026-05-04T12:00:00+00:00")


def test_business_day_cadence(contract, tmp_path):
    # Office Mon-Fri 09-17, 1 business day. Opened Monday 10:00 -> Tuesday 10:00; an update
    # Tuesday 09:30 restarts it -> Wednesday 09:30; none by Wednesday 12:00: breached.
    assert both(contract, tmp_path, "Normal", ["2026-05-05T09:30"], "2026-05-06T12:00")[:2] == \
        ("breached", "2026-05-06T09:30:00+00:00")


def test_without_update_data_a_cadence_is_not_judged(contract):
    (r,) = sladsl.load(contract).evaluate_ticket(
        {"priority": "Urgent", "opened_at": t("2026-05-04T10:00"), "now": t("2026-05-05T00:00")}
    )["results"]
    assert (r["status"], r["reason"]) == ("not judged", "the data carries no update events")


def test_the_document_says_every(tmp_path):
    from sladsl.pipeline import compile_text
    from sladsl.to_markdown import render

    text = render(compile_text(CONTRACT, "cadence.sla").contract)
    assert "every 4 hours, counted again from each update" in text
    assert "within 4 hours" not in text
