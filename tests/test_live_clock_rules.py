"""The live view under the contract's clock rules (docs/semantics.md "Live view").

Regression for the defect where `live()` and `eval --live` ignored the contract's `pause ...
while status`, `reopen` and `reclassification` clauses: `eval --live` refused every ticket with a
clock of its own ("not judged"), and `live()` on a ticket given as events counted its time left
without its pauses and called a paused clock running. Worked cases are computed by hand (24x7
UTC: business time is wall-clock time); the differential test asks `eval --events` and `eval
--live` about the same random event logs: the verdicts must be the same, and a ticket resolved
before `now` has every clock stopped.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

import sladsl
from sladsl.cli import cli

UTC = timezone.utc
H = timedelta(hours=1)
DESK = """contract Desk {
  zone UTC
  calendar always = 24x7
  respond 2h within always
  resolve 8h within always
  pause while status "waiting on customer"
  pause resolve while status "pending vendor"
  reopen REOPEN
}
"""
TIERS = """contract Tiers {
  zone UTC
  calendar always = 24x7
  priorities High, Low
  within always {
    priority High respond 2h resolve 8h update every 4h
    priority Low respond 8h resolve 24h update every 8h
  }
  pause while status "waiting on customer"
  pause resolve while status "pending vendor"
  reopen REOPEN
  reclassification counts from FROM
}
"""


def at(hour: int, minute: int = 0, day: int = 4) -> datetime:
    return datetime(2026, 5, day, hour, minute, tzinfo=UTC)


def loaded(tmp_path, text: str):
    path = tmp_path / "c.sla"
    path.write_text(text, encoding="utf-8")
    return path, sladsl.load(path)


def live(evaluator, now: datetime, events, **fields) -> dict:
    answer = evaluator.live({"opened_at": at(10), "now": now, "events": events, **fields})
    return {c["metric"]: (c["status"], c["clock"], c["next_due"], c["left"], c["overdue_by"],
                          c["paused_since"]) for c in answer["clocks"]}


@pytest.fixture(params=["continues", "restarts"])
def desk(request, tmp_path):
    return request.param, *loaded(tmp_path, DESK.replace("REOPEN", request.param))


def test_a_status_that_pauses_every_clock(desk):
    # Waiting since 10:30, `now` 11:00: 30 min used of each; both clocks paused.
    _mode, _path, ev = desk
    got = live(ev, at(11), [(at(10, 30), "status", "Waiting on Customer")])
    assert got["response"] == ("pending", "paused", at(12, 30), 1.5 * H, None, at(10, 30))
    assert got["resolution"] == ("pending", "paused", at(18, 30), 7.5 * H, None, at(10, 30))


def test_a_status_that_pauses_one_clock(desk):
    # Pending vendor since 11:00, `now` 13:00: the resolution has used 1 h (paused since 11:00,
    # due 20:00 if the pause ended now, 7 h left); the response ran on and is 1 h overdue.
    _mode, _path, ev = desk
    got = live(ev, at(13), [(at(11), "status", "pending vendor")])
    assert got["resolution"] == ("pending", "paused", at(20), 7 * H, None, at(11))
    assert got["response"] == ("breached", "running", at(12), -H, H, None)


def test_a_reopened_ticket(desk):
    # Resolved 12:00, reopened 13:00, `now` 14:00. The response clock continues without the
    # hour spent solved: due 12:00, overdue by 1 h (not 2). The resolution: continued, 2 h + 1 h
    # used, due 19:00 (5 h left); restarted, a new cycle from 13:00, due 21:00 (7 h left).
    mode, _path, ev = desk
    got = live(ev, at(14), [(at(12), "resolved", None), (at(13), "reopened", None)])
    assert got["response"] == ("breached", "running", at(12), -H, H, None)
    if mode == "continues":
        assert got["resolution"] == ("pending", "running", at(19), 5 * H, None, None)
    else:
        assert got["resolution"] == ("pending", "running", at(21), 7 * H, None, None)


def test_a_restarted_cycle_runs_after_a_breached_one(desk):
    # Resolved 19:00 (the 18:00 due missed), reopened 20:00, `now` 21:00. Restarted: the verdict
    # stays breached, but the new cycle runs (it used to show `stopped`): due 04:00, 7 h left.
    # Continued: 9 h + 1 h used of 8 h, due 18:00, overdue by 2 h (the solved hour not counted).
    mode, _path, ev = desk
    got = live(ev, at(21), [(at(19), "resolved", None), (at(20), "reopened", None)])
    if mode == "restarts":
        assert got["resolution"] == ("breached", "running", at(4, day=5), 7 * H, None, None)
    else:
        assert got["resolution"] == ("breached", "running", at(18), -2 * H, 2 * H, None)


@pytest.mark.parametrize("since, due, left", [("opening", at(12), -H / 2),
                                              ("change", at(13), H / 2)])
def test_a_reclassified_ticket(tmp_path, since, due, left):
    # Filed Low at 10:00 (respond 8h), raised to High (2h) at 11:00, `now` 12:30: from the
    # opening the response was due 12:00 (30 min overdue); from the change it is due 13:00.
    text = TIERS.replace("REOPEN", "continues").replace("FROM", since)
    _path, ev = loaded(tmp_path, text)
    got = live(ev, at(12, 30), [(at(11), "priority", "High")], priority="Low")
    assert got["response"][2:4] == (due, left)


# -- eval --live ------------------------------------------------------------------------------

def run(*args: str):
    result = CliRunner().invoke(cli, [*map(str, args)])
    assert result.exit_code == 0, result.output
    return result


def test_eval_live_follows_the_contracts_clock_rules(tmp_path):
    """The worked cases above through `eval --live`, with priorities read case-insensitively
    (the priority event's value through the value options too)."""
    path, _ev = loaded(tmp_path, TIERS.replace("REOPEN", "restarts").replace("FROM", "change"))
    (tmp_path / "t.csv").write_text("id,priority,opened_at\nV,High,2026-05-04T10:00:00Z\n"
                                    "R,High,2026-05-04T10:00:00Z\nC,low,2026-05-04T10:00:00Z\n")
    (tmp_path / "e.csv").write_text(
        "id,at,event,value\nV,2026-05-04T11:00:00Z,status,pending vendor\n"
        "R,2026-05-04T19:00:00Z,resolved,\nR,2026-05-04T20:00:00Z,reopened,\n"
        "C,2026-05-04T11:00:00Z,priority,HIGH\n")
    common = (path, "--tickets", tmp_path / "t.csv", "--events", tmp_path / "e.csv",
              "--ignore-case", "--format", "csv")
    rows = {(r["id"], r["metric"]): r for r in csv.DictReader(
        run("eval", *common, "--live", "--now", "2026-05-04T13:00:00Z").stdout.splitlines())}
    v = rows[("V", "resolution")]
    assert (v["clock"], v["next_due"], v["left_seconds"], v["paused_since"]) == \
        ("paused", "2026-05-04T20:00:00+00:00", str(7 * 3600), "2026-05-04T11:00:00+00:00")
    assert rows[("V", "response")]["clock"] == "running"
    c = rows[("C", "response")]  # from the change at 11:00: due 13:00, on the dot
    assert (c["priority"], c["status"], c["next_due"], c["left_seconds"]) == \
        ("High", "pending", "2026-05-04T13:00:00+00:00", "0")
    rows = {(r["id"], r["metric"]): r for r in csv.DictReader(
        run("eval", *common, "--live", "--now", "2026-05-04T21:00:00Z").stdout.splitlines())}
    r = rows[("R", "resolution")]
    assert (r["status"], r["clock"], r["next_due"], r["left_seconds"]) == \
        ("breached", "running", "2026-05-05T04:00:00+00:00", str(7 * 3600))


def test_eval_live_pause_status_replaces_the_contracts(tmp_path):
    """`--pause-status` replaces the statuses that pause every clock for `--live` as for `eval`."""
    path, _ev = loaded(tmp_path, DESK.replace("REOPEN", "continues"))
    (tmp_path / "t.csv").write_text("id,opened_at\nW,2026-05-04T10:00:00Z\n"
                                    "H,2026-05-04T10:00:00Z\n")
    (tmp_path / "e.csv").write_text("id,at,event,value\nW,2026-05-04T10:30:00Z,status,"
                                    "waiting on customer\nH,2026-05-04T10:30:00Z,status,on hold\n")
    args = (path, "--tickets", tmp_path / "t.csv", "--events", tmp_path / "e.csv", "--live",
            "--now", "2026-05-04T11:00:00Z", "--format", "csv")
    plain = {(r["id"], r["metric"]): r["clock"] for r in csv.DictReader(run("eval", *args).stdout.splitlines())}
    assert (plain[("W", "response")], plain[("H", "response")]) == ("paused", "running")
    held = {(r["id"], r["metric"]): r["clock"] for r in csv.DictReader(
        run("eval", *args, "--pause-status", "on hold").stdout.splitlines())}
    assert (held[("W", "response")], held[("H", "response")]) == ("running", "paused")


def _random_log(rng: random.Random, opened: datetime) -> list[tuple[datetime, str, str | None]]:
    log, t = [], opened
    for _ in range(rng.randrange(0, 8)):
        t += timedelta(seconds=60 * rng.randrange(0, 6 * 60))
        kind = rng.choice(["reply", "priority", "status", "status", "resolved", "reopened",
                           "update"])
        value = {"priority": rng.choice(["High", "Low"]),
                 "status": rng.choice(["waiting on customer", "pending vendor", "open"])}.get(kind)
        log.append((t, kind, value))
    return log


@pytest.mark.parametrize("reopen, since", [("continues", "opening"), ("restarts", "change")])
def test_live_verdicts_are_evals(tmp_path, reopen, since):
    """Differential: `eval --live` and `eval --events` on the same random event logs at one
    `now` give every ticket the same verdicts (status, due, stop instant); a ticket whose last
    event resolved it before `now` has every clock stopped; an open one none stopped by the
    resolution."""
    path, _ev = loaded(tmp_path, TIERS.replace("REOPEN", reopen).replace("FROM", since))
    rng = random.Random(f"live{reopen}{since}")
    now = at(18)
    rows, lines, logs = ["id,priority,opened_at"], ["id,at,event,value"], {}
    for n in range(150):
        opened = at(rng.randrange(0, 18), 5 * rng.randrange(0, 12))
        log = [e for e in _random_log(rng, opened) if e[0] <= now]
        logs[f"T{n}"] = log
        rows.append(f"T{n},{rng.choice(['High', 'Low'])},{opened.isoformat()}")
        lines += [f"T{n},{t.isoformat()},{k},{v or ''}" for t, k, v in log]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "e.csv").write_text("\n".join(lines) + "\n")
    common = (path, "--tickets", tmp_path / "t.csv", "--events", tmp_path / "e.csv",
              "--format", "json", "--now", now.isoformat())
    judged = {t["id"]: t for t in json.loads(run("eval", *common).stdout)["tickets"]}
    shown = {t["id"]: t for t in json.loads(run("eval", *common, "--live").stdout)["tickets"]}
    assert set(judged) == set(shown) == set(logs)
    stopped_seen = running_seen = 0
    for ident, ticket in judged.items():
        want = {r["metric"]: (r["status"], _utc(r["due"]), _utc(r["event_at"]), r["reason"])
                for r in ticket["results"]}
        clocks = shown[ident]["clocks"]
        got = {c["metric"]: (c["status"], _utc(c["due"]), _utc(c["event_at"]), c["reason"])
               for c in clocks}
        assert got == want, (ident, logs[ident])
        assert shown[ident]["priority"] == ticket["priority"]
        kinds = [k for _t, k, _v in logs[ident]]
        closed = "resolved" in kinds and kinds[::-1].index("resolved") < \
            (kinds[::-1].index("reopened") if "reopened" in kinds else len(kinds))
        states = {c["clock"] for c in clocks if c["status"] != "not judged"}
        if closed:
            assert states <= {"stopped"}, (ident, logs[ident], clocks)
            stopped_seen += 1
        else:
            assert "resolution" not in {c["metric"] for c in clocks if c["clock"] == "stopped"}
            running_seen += 1
    assert stopped_seen > 10 and running_seen > 10


def _utc(text: str | None) -> str | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC).isoformat()
