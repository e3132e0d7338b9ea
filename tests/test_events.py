"""Event logs (`eval --events`, issue 14.7): the same tickets given as flat columns and as
events are judged identically (a differential test), and the event rules of docs/semantics.md
"Event logs" hold on worked examples (24x7 UTC: business time is wall-clock time)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from sladsl.cli import cli
from sladsl.data import DataError

ROOT = Path(__file__).resolve().parent.parent
QISCUS = str(ROOT / "contracts" / "qiscus.sla")
ROCKSOFT = str(ROOT / "contracts" / "rocksoft.sla")
WAIT = "Waiting on customer"
CLOCKS = """contract Clocks {
  zone UTC
  calendar always = 24x7 UTC
  priorities High, Low
  priority High respond 2h resolve 8h update 4h
  priority Low respond 8h resolve 2 business days update 1 business day
}
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def iso(t: datetime) -> str:
    return t.isoformat()


def _random_tickets(contract: str, rng: random.Random, count: int):
    """(flat rows, bare rows, event rows) describing the same tickets two ways."""
    from sladsl.pipeline import compile_path

    model = compile_path(Path(contract), contract).contract
    priorities = [p.name for p in model.priorities]
    plans = [p.name for p in model.plans]
    zone = timezone(timedelta(hours=7))
    base = datetime(2026, 4, 27, tzinfo=zone)
    flat, bare, events = [], [], []
    for i in range(count):
        ident = f"T{i}"
        opened = base + timedelta(seconds=rng.randrange(0, 30 * 86400))
        row = {"id": ident, "priority": rng.choice(priorities), "opened_at": iso(opened)}
        if plans:
            row["plan"] = rng.choice(plans) if len(plans) > 1 else plans[0]
        bare.append(dict(row))
        log = []
        pauses, t = [], opened
        for _ in range(rng.randrange(0, 3)):  # waiting on the customer, then open again
            p0 = t + timedelta(seconds=rng.randrange(0, 86400))
            p1 = p0 + timedelta(seconds=rng.randrange(1, 40000))
            pauses.append((p0, p1))
            log += [(p0, "status", WAIT), (p1, "status", "Open")]
            t = p1
        responded = resolved = None
        if rng.random() < 0.7:
            responded = opened + timedelta(seconds=rng.randrange(0, 3 * 86400))
            log.append((responded, "reply", ""))
            # A later reply and a customer reply change nothing.
            log.append((responded + timedelta(hours=1), "reply", ""))
            log.append((opened + timedelta(seconds=rng.randrange(0, 86400)), "customer_reply", ""))
        if rng.random() < 0.6:
            first = opened + timedelta(seconds=rng.randrange(0, 6 * 86400))
            resolved = first
            log.append((first, "resolved", ""))
            if rng.random() < 0.3:  # reopened: the time it spent solved is a pause
                reopened = first + timedelta(seconds=rng.randrange(1, 86400))
                resolved = reopened + timedelta(seconds=rng.randrange(1, 86400))
                log += [(reopened, "reopened", ""), (resolved, "resolved", "")]
                pauses.append((first, reopened))
        merged = []
        for p0, p1 in sorted(pauses):
            if merged and p0 <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], p1))
            else:
                merged.append((p0, p1))
        row = dict(row)
        if responded:
            row["first_response_at"] = iso(responded)
        if resolved:
            row["resolved_at"] = iso(resolved)
        if merged:
            row["pauses"] = [[iso(a), iso(b)] for a, b in merged]
        flat.append(row)
        rng.shuffle(log)  # file order is not time order
        events += [{"id": ident, "at": iso(at), "event": kind, "value": value}
                   for at, kind, value in log]
    return flat, bare, events


def _jsonl(path: Path, rows) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("contract", [QISCUS, ROCKSOFT])
def test_flat_columns_and_events_are_judged_identically(contract, tmp_path):
    flat, bare, events = _random_tickets(contract, random.Random(14), 250)
    now = "2026-05-20T12:00:00+07:00"
    one = run("eval", contract, "--tickets", _jsonl(tmp_path / "flat.jsonl", flat),
              "--format", "csv", "--now", now)
    assert one.exit_code == 0, one.output
    two = run("eval", contract, "--tickets", _jsonl(tmp_path / "bare.jsonl", bare),
              "--events", _jsonl(tmp_path / "events.jsonl", events), "--pause-status", WAIT.upper(),
              "--format", "csv", "--now", now)
    assert two.exit_code == 0, two.output
    assert len(one.stdout.splitlines()) > 250
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr  # the summary


def _events_csv(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "events.csv"
    path.write_text("id,at,event,value\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


@pytest.fixture()
def clocks(tmp_path) -> str:
    path = tmp_path / "clocks.sla"
    path.write_text(CLOCKS, encoding="utf-8")
    return str(path)


def judged(clocks: str, tmp_path: Path, tickets: str, events: list[str], *extra: str) -> dict:
    path = tmp_path / "t.csv"
    path.write_text("id,priority,opened_at\n" + tickets, encoding="utf-8")
    result = run("eval", clocks, "--tickets", str(path), "--events", _events_csv(tmp_path, events),
                 "--format", "json", "--now", "2026-05-10T00:00:00Z", *extra)
    assert result.exit_code == 0, result.output
    out = {}
    for ticket in json.loads(result.stdout)["tickets"]:
        for r in ticket["results"]:
            out[(ticket["id"], r["metric"])] = (r["status"], r["due"], r["event_at"])
    return out


def test_update_events_judge_update_targets(clocks, tmp_path):
    # Opened 10:00, update 4h: due 14:00. An update at 13:00 meets it; none by `now` breaches.
    got = judged(clocks, tmp_path, "A,High,2026-05-04T10:00:00Z\nB,High,2026-05-04T10:00:00Z\n",
                 ["A,2026-05-04T13:00:00Z,update,", "A,2026-05-04T18:00:00Z,update,"])
    assert got[("A", "update")] == ("met", "2026-05-04T14:00:00+00:00", "2026-05-04T13:00:00+00:00")
    assert got[("B", "update")] == ("breached", "2026-05-04T14:00:00+00:00", None)


def test_the_last_priority_governs_from_the_opening(clocks, tmp_path):
    # Filed Low (respond 8h), raised to High at 11:00: the High target applies, counted from the
    # 10:00 opening (JSM recalculates the goal): due 12:00; the reply at 13:00 is late.
    got = judged(clocks, tmp_path, "A,Low,2026-05-04T10:00:00Z\n",
                 ["A,2026-05-04T11:00:00Z,priority,High", "A,2026-05-04T13:00:00Z,reply,"])
    assert got[("A", "response")] == ("breached", "2026-05-04T12:00:00+00:00",
                                      "2026-05-04T13:00:00+00:00")


def test_a_reopened_ticket_does_not_count_the_time_it_spent_solved(clocks, tmp_path):
    # Resolve 8h. Resolved 12:00, reopened 20:00 (8h solved, paused), resolved again 23:00:
    # 2h + 3h = 5h of the 8h: met; the due moved from 18:00 to 02:00 the next day.
    got = judged(clocks, tmp_path, "A,High,2026-05-04T10:00:00Z\n",
                 ["A,2026-05-04T12:00:00Z,resolved,", "A,2026-05-04T20:00:00Z,reopened,",
                  "A,2026-05-04T23:00:00Z,resolved,"])
    assert got[("A", "resolution")] == ("met", "2026-05-05T02:00:00+00:00",
                                        "2026-05-04T23:00:00+00:00")


def test_waiting_statuses_pause_every_clock(clocks, tmp_path):
    # Waiting on the customer 10:30-11:30 (status names compared case-insensitively): respond 2h
    # is due 13:00; a reply at 12:30 is on time. Without --pause-status it is due 12:00: late.
    events = ["A,2026-05-04T10:30:00Z,status,waiting on customer",
              "A,2026-05-04T11:30:00Z,status,open", "A,2026-05-04T12:30:00Z,reply,"]
    got = judged(clocks, tmp_path, "A,High,2026-05-04T10:00:00Z\n", events,
                 "--pause-status", WAIT)
    assert got[("A", "response")][:2] == ("met", "2026-05-04T13:00:00+00:00")
    got = judged(clocks, tmp_path, "A,High,2026-05-04T10:00:00Z\n", events)
    assert got[("A", "response")][:2] == ("breached", "2026-05-04T12:00:00+00:00")


@pytest.mark.parametrize("line, message", [
    ("A,2026-05-04T09:00:00Z,reply,", "events.csv:2: field `at`: `reply` of ticket `A` is before "
                                      "the ticket was opened"),
    ("A,2026-05-04T11:00:00Z,escalated,", "events.csv:2: field `event`: unknown event `escalated`"),
    ("A,2026-05-04T11:00:00Z,priority,", "events.csv:2: field `value`: a `priority` event needs a value"),
    ("A,2026-05-04T11:00:00Z,priority,Urgent", "events.csv:2: field `value`: unknown priority `Urgent`"),
    ("Z,2026-05-04T11:00:00Z,reply,", "events.csv:2: field `id`: no ticket `Z` in the tickets file"),
])
def test_bad_events_name_the_row_and_field(clocks, tmp_path, line, message):
    path = tmp_path / "t.csv"
    path.write_text("id,priority,opened_at\nA,High,2026-05-04T10:00:00Z\n", encoding="utf-8")
    result = run("eval", clocks, "--tickets", str(path), "--events", _events_csv(tmp_path, [line]),
                 "--now", "2026-05-10T00:00:00Z")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"sladsl: {message}"), result.stderr


def test_a_timeline_given_twice_is_refused(clocks, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,priority,opened_at,first_response_at\n"
                    "A,High,2026-05-04T10:00:00Z,2026-05-04T11:00:00Z\n", encoding="utf-8")
    result = run("eval", clocks, "--tickets", str(path), "--events",
                 _events_csv(tmp_path, ["A,2026-05-04T11:00:00Z,reply,"]),
                 "--now", "2026-05-10T00:00:00Z")
    assert result.exit_code == 1
    assert "has `first_response_at` in the tickets file and an event log is given" in result.stderr


def test_explain_shows_the_events(clocks, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,priority,opened_at\nA,High,2026-05-04T10:00:00Z\n", encoding="utf-8")
    events = _events_csv(tmp_path, ["A,2026-05-04T12:30:00Z,reply,",
                                    "A,2026-05-04T10:30:00Z,status,Waiting on customer",
                                    "A,2026-05-04T11:30:00Z,status,Open"])
    result = run("explain", clocks, "--tickets", str(path), "--ticket", "A", "--events", events,
                 "--pause-status", WAIT, "--metric", "response", "--now", "2026-05-10T00:00:00Z")
    assert result.exit_code == 0, result.output
    assert ("  event 2026-05-04 10:30 +00:00: status `Waiting on customer` (row 3)\n"
            "  event 2026-05-04 11:30 +00:00: status `Open` (row 4)\n"
            "  event 2026-05-04 12:30 +00:00: reply (row 2)\n") in result.stdout
    assert "  verdict: met: first response at 2026-05-04 12:30 +00:00" in result.stdout


_EVENT_CELLS = {
    "id": ["A", " B ", "", "C,1", '"D"'],
    "at": ["2026-05-04T10:00:00Z", "2026-05-04T17:00:00+07:00", "2026-05-04T10:00:00.5-03:30",
           "2026-05-04 10:00+0700", "2026-05-04T10:00:00", "2026-02-30T10:00:00Z", "", "soon"],
    "event": ["reply", " status ", "resolved", "escalated", "priority", ""],
    "value": ["", "Open", " High ", WAIT],
}


@pytest.mark.parametrize("seed", range(24))
def test_event_logs_read_by_blocks_equal_the_row_code(monkeypatch, tmp_path, seed):
    # Random event logs, mostly plain, some rows of every odd kind: read a block of rows at a
    # time and row by row (the reference), the same events or the same first error.
    import csv
    import io

    import sladsl.events as events_module
    from sladsl.events import read_events

    rng = random.Random(seed)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(("id", "at", "event", "value"))
    odd = rng.random() < 0.6  # else every row plain: the whole log takes the block path
    for _ in range(200):
        kind = rng.choice(["reply", "status", "resolved", "update"])
        row = {"id": rng.choice("AB"), "at": f"2026-05-04T{rng.randrange(24):02d}:00:00Z",
               "event": kind, "value": WAIT if kind == "status" else ""}
        if odd and rng.random() < 0.03:  # one cell of the row from the odd ones
            field = rng.choice(list(_EVENT_CELLS))
            row[field] = rng.choice(_EVENT_CELLS[field])
        writer.writerow(row.values())
    path = tmp_path / "events.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    monkeypatch.setattr(events_module, "_BLOCK", 16)

    def outcome(numpy):
        monkeypatch.setattr(events_module, "_numpy", lambda: numpy)
        try:
            found = read_events(path, assume_zone=timezone.utc)
        except DataError as error:
            return str(error)
        return {ident: [repr(e) for e in log] for ident, log in found.items()}

    import numpy
    assert outcome(numpy) == outcome(None)
