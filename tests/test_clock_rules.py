"""Clock rules in the contract (`pause ... while status`, `reopen`; issue 14 item 2).

The worked examples of docs/semantics.md "Clock rules", asked of `evaluate_ticket` with events on a
loaded contract and on a generated module (they must agree), and of `sladsl eval --events`; the
precedence of `--pause-status`; flat data for a clock paused on its own statuses (not judged);
and a differential test: the same tickets as flat columns and as events under the contract's
`pause while status` (no command-line option) are judged identically. Expected values are worked
by hand from the rules (24x7 UTC: business time is wall-clock time).
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl
from sladsl.cli import cli
from sladsl.pipeline import compile_text
from sladsl.to_markdown import render
from tests.generated import compiled, generated_module

from test_events import QISCUS, WAIT, _jsonl, _random_tickets

DESK = """contract Desk {
  zone UTC
  calendar always = 24x7
  respond 2h within always
  resolve 8h within always
  pause while status "waiting on customer"
  pause resolve while status "pending vendor"
  REOPEN
}
"""
UTC = timezone.utc
NOW = datetime(2026, 5, 10, tzinfo=UTC)


def at(hour: int, minute: int = 0, day: int = 4) -> datetime:
    return datetime(2026, 5, day, hour, minute, tzinfo=UTC)


@pytest.fixture(scope="module", params=["continues", "restarts"])
def desk(request, tmp_path_factory):
    """(path, loaded evaluator, generated module) of DESK with `reopen <param>`."""
    folder = tmp_path_factory.mktemp(request.param)
    path = folder / "desk.sla"
    text = DESK.replace("REOPEN", f"reopen {request.param}")
    path.write_text(text, encoding="utf-8")
    module = generated_module(compiled(text, "desk.sla"), text, folder)
    return request.param, path, sladsl.load(path), module


def verdicts(desk, events, **fields) -> dict:
    """metric -> (status, due, event_at, reason), from the loaded contract; the generated module
    must give the very same results."""
    _mode, _path, loaded, module = desk
    ticket = {"opened_at": at(10), "now": NOW, "events": events, **fields}
    results = loaded.evaluate_ticket(ticket)
    assert module.evaluate_ticket(ticket) == results
    return {r["metric"]: (r["status"], r["due"], r["event_at"], r["reason"])
            for r in results["results"]}


def test_statuses_pause_every_clock(desk):
    got = verdicts(desk, [(at(10, 30), "status", "Waiting on Customer"),
                          (at(11, 30), "status", "open"), (at(12, 30), "reply", None)])
    assert got["response"][:3] == ("met", at(13), at(12, 30))


def test_statuses_of_one_clock_pause_only_that_clock(desk):
    got = verdicts(desk, [(at(11), "status", "pending vendor"), (at(12, 30), "reply", None),
                          (at(13), "status", "open"), (at(19), "resolved", None)])
    assert got["resolution"][:3] == ("met", at(20), at(19))
    assert got["response"][:3] == ("breached", at(12), at(12, 30))


def test_flat_data_cannot_judge_a_clock_paused_on_its_own_statuses(desk):
    _mode, _path, loaded, module = desk
    ticket = {"opened_at": at(10), "now": NOW, "first_response_at": at(11),
              "resolved_at": at(15), "pauses": [(at(12), at(13))]}
    results = {r["metric"]: r for r in loaded.evaluate_ticket(ticket)["results"]}
    assert module.evaluate_ticket(ticket)["results"] == loaded.evaluate_ticket(ticket)["results"]
    assert results["resolution"]["status"] == "not judged"
    assert results["resolution"]["reason"] == ("the contract pauses the resolution clock on ticket "
                                               "statuses the data does not carry (give an event log)")
    assert results["response"]["status"] == "met"  # the other clocks are judged as usual


def test_a_reopened_ticket(desk):
    mode = desk[0]
    got = verdicts(desk, [(at(12), "resolved", None), (at(20), "reopened", None),
                          (at(23), "resolved", None)])
    if mode == "continues":  # 2h + 3h of 8h: the time spent solved does not count
        assert got["resolution"][:3] == ("met", at(2, day=5), at(23))
    else:  # a new cycle from 20:00, due 04:00; the first cycle was met
        assert got["resolution"][:3] == ("met", at(4, day=5), at(23))


def test_a_restarted_cycle_is_judged_from_the_reopening(desk):
    mode = desk[0]
    got = verdicts(desk, [(at(12), "resolved", None), (at(13), "reopened", None),
                          (at(23), "resolved", None)])
    if mode == "continues":  # 2h + 10h = 12h > 8h: due 19:00 (18:00 + 1h solved)
        assert got["resolution"][:3] == ("breached", at(19), at(23))
    else:  # the second cycle is due 13:00 + 8h = 21:00
        assert got["resolution"][:3] == ("breached", at(21), at(23))


def test_a_breached_cycle_stays_breached(desk):
    mode = desk[0]
    got = verdicts(desk, [(at(19), "resolved", None), (at(20), "reopened", None),
                          (at(21), "resolved", None)])
    if mode == "continues":  # 9h + 1h of 8h, due 18:00 (the solved hour lies after it)
        assert got["resolution"][:3] == ("breached", at(18), at(21))
    else:  # the first cycle, due 18:00, ended at 19:00
        assert got["resolution"][:3] == ("breached", at(18), at(19))


def test_events_and_flat_timeline_fields_together_are_refused(desk):
    _mode, _path, loaded, _module = desk
    with pytest.raises(ValueError, match="the ticket has `events` and `resolved_at`"):
        loaded.evaluate_ticket({"opened_at": at(10), "now": NOW, "resolved_at": at(11),
                                "events": [(at(10, 30), "reply", None)]})
    with pytest.raises(ValueError, match="unknown event `escalated`"):
        loaded.evaluate_ticket({"opened_at": at(10), "now": NOW,
                                "events": [(at(10, 30), "escalated", None)]})


# ---- the CLI: eval --events, precedence of --pause-status ------------------------------------


def _eval(path: Path, tmp_path: Path, events: list[str], *extra: str) -> dict:
    tickets = tmp_path / "t.csv"
    tickets.write_text("id,opened_at\nA,2026-05-04T10:00:00Z\n", encoding="utf-8")
    log = tmp_path / "events.csv"
    log.write_text("id,at,event,value\n" + "".join(f"A,{e}\n" for e in events), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(path), "--tickets", str(tickets), "--events",
                                      str(log), "--format", "json", "--now",
                                      "2026-05-10T00:00:00Z", *extra])
    assert result.exit_code == 0, result.output
    (ticket,) = json.loads(result.stdout)["tickets"]
    return {r["metric"]: (r["status"], r["due"], r["event_at"]) for r in ticket["results"]}


WAITING = ["2026-05-04T10:30:00Z,status,waiting on customer", "2026-05-04T11:30:00Z,status,on hold",
           "2026-05-04T12:00:00Z,status,open", "2026-05-04T12:30:00Z,reply,"]


def test_the_contract_pause_statuses_apply_without_an_option(desk, tmp_path):
    got = _eval(desk[1], tmp_path, WAITING)
    assert got["response"] == ("met", "2026-05-04T13:00:00+00:00", "2026-05-04T12:30:00+00:00")


def test_pause_status_option_replaces_the_contract_list(desk, tmp_path):
    # Only "on hold" (11:30-12:00) pauses now: due 12:30, the reply at 12:30 is on time.
    got = _eval(desk[1], tmp_path, WAITING, "--pause-status", "ON HOLD")
    assert got["response"] == ("met", "2026-05-04T12:30:00+00:00", "2026-05-04T12:30:00+00:00")


def test_cli_restarted_cycle(desk, tmp_path):
    got = _eval(desk[1], tmp_path, ["2026-05-04T19:00:00Z,resolved,",
                                    "2026-05-04T20:00:00Z,reopened,",
                                    "2026-05-04T21:00:00Z,resolved,"])
    if desk[0] == "restarts":
        assert got["resolution"] == ("breached", "2026-05-04T18:00:00+00:00",
                                     "2026-05-04T19:00:00+00:00")
    else:
        assert got["resolution"] == ("breached", "2026-05-04T18:00:00+00:00",
                                     "2026-05-04T21:00:00+00:00")


def test_flat_columns_and_events_under_the_contract_clause(tmp_path):
    """Qiscus with `pause while status` added: flat pauses vs status events, no option."""
    text = Path(QISCUS).read_text(encoding="utf-8").rstrip()
    assert text.endswith("}")
    contract = tmp_path / "qiscus_paused.sla"
    contract.write_text(text[:-1] + f'  pause while status "{WAIT.lower()}"\n}}\n', encoding="utf-8")
    flat, bare, events = _random_tickets(QISCUS, random.Random(41), 200)
    now = "2026-05-20T12:00:00+07:00"
    runner = CliRunner()
    one = runner.invoke(cli, ["eval", str(contract), "--tickets", _jsonl(tmp_path / "flat.jsonl", flat),
                              "--format", "csv", "--now", now])
    two = runner.invoke(cli, ["eval", str(contract), "--tickets", _jsonl(tmp_path / "bare.jsonl", bare),
                              "--events", _jsonl(tmp_path / "events.jsonl", events),
                              "--format", "csv", "--now", now])
    assert one.exit_code == 0 and two.exit_code == 0, (one.output, two.output)
    assert len(one.stdout.splitlines()) > 200
    assert two.stdout == one.stdout


# ---- priority changes (docs/semantics.md "Priority changes") ----------------------------------

TIERS = """contract Tiers {
  zone UTC
  calendar always = 24x7
  priorities High, Low
  within always {
    priority High respond 2h resolve 8h
    priority Low respond 8h resolve 24h or as agreed
    update every 4h after response
  }
  pause while status "waiting on customer"
  RULES
}
"""


@pytest.fixture(scope="module", params=["opening", "change"])
def tiers(request, tmp_path_factory):
    """(mode, path, loaded, generated module) of TIERS with `reclassification counts from`."""
    folder = tmp_path_factory.mktemp(f"tiers_{request.param}")
    text = TIERS.replace("RULES", f"reclassification counts from {request.param}")
    path = folder / "tiers.sla"
    path.write_text(text, encoding="utf-8")
    module = generated_module(compiled(text, "tiers.sla"), text, folder)
    return request.param, path, sladsl.load(path), module


def test_a_running_clock_takes_the_new_priority(tiers):
    mode = tiers[0]
    got = verdicts(tiers, [(at(11), "priority", "High"), (at(13), "reply", None)], priority="Low")
    if mode == "opening":
        assert got["response"][:3] == ("breached", at(12), at(13))
        assert got["resolution"][:3] == ("breached", at(18), None)
    else:
        assert got["response"][:3] == ("met", at(13), at(13))
        assert got["resolution"][:3] == ("breached", at(19), None)


def test_a_stopped_clock_keeps_the_priority_it_stopped_under(tiers):
    # Regression: the last priority used to judge every clock, so a reply made within Low's 8h
    # was judged against High's 2h once the ticket was raised after the reply.
    mode = tiers[0]
    got = verdicts(tiers, [(at(13), "reply", None), (at(15), "priority", "High"),
                           (at(20), "resolved", None)], priority="Low")
    assert got["response"][:3] == ("met", at(18), at(13))
    if mode == "opening":
        assert got["resolution"][:3] == ("breached", at(18), at(20))
    else:
        assert got["resolution"][:3] == ("met", at(23), at(20))


def test_a_change_at_the_stop_instant_comes_too_late(tiers):
    got = verdicts(tiers, [(at(13), "reply", None), (at(13), "priority", "High")], priority="Low")
    assert got["response"][:3] == ("met", at(18), at(13))


def test_a_priority_event_repeating_the_priority_is_no_change(tiers):
    got = verdicts(tiers, [(at(11), "priority", "Low"), (at(13), "reply", None)], priority="Low")
    assert got["response"][:3] == ("met", at(18), at(13))


def _random_log(rng: random.Random, opened: datetime) -> list[tuple[datetime, str, str | None]]:
    from datetime import timedelta

    log = []
    t = opened
    for _ in range(rng.randrange(0, 7)):
        t += timedelta(seconds=rng.randrange(0, 6 * 3600))
        kind = rng.choice(["reply", "priority", "status", "resolved", "reopened", "update"])
        value = {"priority": rng.choice(["High", "Low"]),
                 "status": rng.choice(["waiting on customer", "open"])}.get(kind)
        log.append((t, kind, value))
    return log


@pytest.mark.parametrize("reopen", ["continues", "restarts"])
@pytest.mark.parametrize("reclassify", ["opening", "change"])
def test_eval_events_agrees_with_evaluate_ticket(tmp_path, reopen, reclassify):
    """The batch path (`eval --events`) and `evaluate_ticket(events=...)` of a loaded contract
    and of its generated module judge random event logs alike."""
    text = TIERS.replace("RULES", f"reopen {reopen}\n  reclassification counts from {reclassify}")
    path = tmp_path / "tiers.sla"
    path.write_text(text, encoding="utf-8")
    module = generated_module(compiled(text, "tiers.sla"), text, tmp_path)
    loaded = sladsl.load(path)
    rng = random.Random(f"{reopen}{reclassify}")
    rows, logs = ["id,priority,opened_at"], {}
    for n in range(120):
        opened = datetime(2026, 5, 4, tzinfo=UTC).replace(hour=rng.randrange(0, 24))
        priority = rng.choice(["High", "Low"])
        logs[f"T{n}"] = (opened, priority, _random_log(rng, opened))
        rows.append(f"T{n},{priority},{opened.isoformat()}")
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = ["id,at,event,value"] + [f"{i},{t.isoformat()},{k},{v or ''}"
                                     for i, (_o, _p, log) in logs.items() for t, k, v in log]
    (tmp_path / "e.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(path), "--tickets", str(tmp_path / "t.csv"),
                                      "--events", str(tmp_path / "e.csv"), "--format", "json",
                                      "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    for ticket in json.loads(result.stdout)["tickets"]:
        opened, priority, log = logs[ticket["id"]]
        asked = {"opened_at": opened, "priority": priority, "now": NOW, "events": log}
        answer = loaded.evaluate_ticket(asked)
        assert module.evaluate_ticket(asked) == answer
        assert ticket["priority"] == answer["priority"]
        got = {r["metric"]: (r["status"], r["due"], r["event_at"], r["reason"])
               for r in ticket["results"]}
        want = {r["metric"]: (r["status"], r["due"].astimezone(UTC).isoformat(),
                              r["event_at"] and r["event_at"].astimezone(UTC).isoformat(),
                              r["reason"]) for r in answer["results"]}
        assert got == want, (ticket["id"], log)


# ---- cadence forms: `after response`, `or as agreed` (docs/semantics.md "Update cadence") -------


def test_a_cadence_after_the_response(tiers):
    # Replied 13:00: intervals 13:00-17:00 (update 16:00), 16:00-20:00: the 21:00 update is late.
    got = verdicts(tiers, [(at(11), "update", None), (at(13), "reply", None),
                           (at(16), "update", None), (at(21), "update", None)], priority="High")
    assert got["update"][:3] == ("breached", at(20), at(21))


def test_a_cadence_after_the_response_waits_for_it(tiers):
    reason = "the update clock starts at the first response, which has not happened"
    got = verdicts(tiers, [(at(11), "update", None)], priority="High")
    assert got["update"][0] == "not judged" and got["update"][3] == reason
    got = verdicts(tiers, [(at(12), "resolved", None)], priority="High")
    assert got["update"][0] == "not judged" and got["update"][3] == reason


def test_a_negotiable_target_is_judged_and_marked(tiers, tmp_path):
    _mode, path, loaded, _module = tiers
    answer = loaded.evaluate_ticket({"opened_at": at(10), "priority": "Low", "now": NOW,
                                     "resolved_at": at(12, day=6)})
    (resolution,) = [r for r in answer["results"] if r["metric"] == "resolution"]
    assert (resolution["status"], resolution["negotiable"]) == ("breached", True)
    assert resolution["target"] == "24h or as agreed"
    assert loaded.target("resolution", "Low")["negotiable"] is True
    assert loaded.target("resolution", "High")["negotiable"] is False
    tickets = tmp_path / "t.csv"
    tickets.write_text("id,priority,opened_at,resolved_at\n"
                       "A,Low,2026-05-04T10:00:00Z,2026-05-06T12:00:00Z\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(path), "--tickets", str(tickets), "--format",
                                      "json", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    (ticket,) = json.loads(result.stdout)["tickets"]
    (row,) = [r for r in ticket["results"] if r["metric"] == "resolution"]
    assert (row["status"], row["target"]) == ("breached", "24h or as agreed")
    document = render(compile_text(path.read_text(encoding="utf-8"), "tiers.sla").contract)
    assert "within 24 hours, or as agreed with the customer" in document
    assert "every 4 hours from the first response, counted again from each update" in document


def test_weekly_is_seven_days_of_elapsed_time(tmp_path):
    # Office hours do not stretch a week: opened Monday 10:00, updated Wednesday 15:00, the next
    # update is due the following Wednesday 15:00; one an hour later is late.
    text = """contract Weekly {
  zone UTC
  calendar office = Mon-Fri 09:00-17:00
  within office {
    respond 2h
    update weekly
  }
}
"""
    path = tmp_path / "weekly.sla"
    path.write_text(text, encoding="utf-8")
    loaded = sladsl.load(path)
    module = generated_module(compiled(text, "weekly.sla"), text, tmp_path)
    # On time at 15:00 on the 13th, the interval running at `now` (the 20th, 00:00) is pending.
    for late, status in ((at(15, day=13), "pending"), (at(16, day=13), "breached")):
        ticket = {"opened_at": at(10), "now": NOW.replace(day=20),
                  "events": [(at(15, day=6), "update", None), (late, "update", None)]}
        answer = loaded.evaluate_ticket(ticket)
        assert module.evaluate_ticket(ticket) == answer
        (update,) = [r for r in answer["results"] if r["metric"] == "update"]
        assert (update["status"], update["calendar"]) == (status, "24x7")
        assert update["due"] == (at(15, day=13) if status == "breached" else at(15, day=20))


def test_sql_back_end_refuses_only_a_clock_paused_on_its_own_statuses():
    """The SQL engines read flat columns: the clock rules that only shape event logs pass; a
    clock paused on its own statuses (not judged on flat data) is refused (E801)."""
    from sladsl.runtime.evaluator import Evaluator
    from sladsl.to_spec import to_spec
    from sladsl.to_sql_guard import sql_refusals

    def refusals(rules: str) -> list[str]:
        contract = compile_text(TIERS.replace("RULES", rules), "tiers.sla").contract
        spec = Evaluator(to_spec(contract)).spec
        return [d.message for d in sql_refusals(contract, spec, "tiers.sla")]

    assert refusals("reopen restarts\n  reclassification counts from change") == []
    assert refusals('pause resolve while status "pending vendor"') == [
        "the SQL back end cannot compute `pause resolve while status` (a clock paused on its "
        "own statuses)"]
