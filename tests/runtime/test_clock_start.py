"""Clocks that start at an event (`from first contact`, `from priority set`; issue 14 item 2).

docs/semantics.md "Clocks that start at an event": the worked example, asked of
`evaluate_ticket` on flat fields and on events, of a generated module, of `sladsl eval` (flat
columns and an event log) and of the live view; expected values by hand and from the
minute-stepping reference (tests/runtime/reference.py). Also: a ticket without the event is not
judged, a contact before the opening starts the clock then, the clock rules compose, bad data,
the document, `sladsl diff`, the SQL guard, and a random differential test (batch path, events,
`evaluate_ticket`, reference).
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from reference import Reference  # tests/runtime is on sys.path under pytest

import sladsl
from sladsl.cli import cli
from sladsl.pipeline import compile_text
from sladsl.to_markdown import render
from tests.generated import compiled, generated_module

UTC = timezone.utc
TEXT = """contract Start {
  zone UTC
  calendar office = Mon-Fri 09:00-17:00
  priorities High, Low
  priority High respond 1h within 24x7 from first contact resolve 8h within 24x7 from priority set
  priority Low respond 4h within office from priority set
  reclassification counts from change
}
"""
NOT_JUDGED = {"contact": "the response clock starts at the first contact, which the data does "
                         "not show",
              "priority": "the resolution clock starts when the priority is set, which the data "
                          "does not show"}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 5, day, hour, minute, tzinfo=UTC)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("start")
    path = folder / "start.sla"
    path.write_text(TEXT, encoding="utf-8")
    module = generated_module(compiled(TEXT, "start.sla"), TEXT, folder)
    return path, sladsl.load(path), module


def both(setup, priority, opened, now, flat: dict, events: list) -> dict:
    """metric -> (status, due, reason, left), the same from flat fields and from events, from
    the loaded contract and its generated module."""
    _path, loaded, module = setup
    answers = []
    for ticket in ({"priority": priority, "opened_at": opened, "now": now, **flat},
                   {"priority": priority, "opened_at": opened, "now": now, "events": events}):
        answer = loaded.evaluate_ticket(ticket)
        assert module.evaluate_ticket(ticket) == answer
        answers.append({r["metric"]: (r["status"], r["due"], r["reason"], r["left"])
                        for r in answer["results"]})
    assert answers[0] == answers[1]
    return answers[0]


def test_the_worked_example(setup):
    got = both(setup, "High", at(4, 10), at(5, 0),
               {"contact_at": at(4, 9, 30), "first_response_at": at(4, 10, 45),
                "priority_set_at": at(4, 12), "resolved_at": at(4, 19)},
               [(at(4, 9, 30), "contact", None), (at(4, 10, 45), "reply", None),
                (at(4, 12), "priority", "High"), (at(4, 19), "resolved", None)])
    assert got["response"][:2] == ("breached", at(4, 10, 30))  # from the contact before opening
    assert got["resolution"][:2] == ("met", at(4, 20))  # from 12:00, not 10:00
    got = both(setup, "Low", at(8, 15), at(11, 11), {"priority_set_at": at(8, 16)},
               [(at(8, 16), "priority", "Low")])
    assert got["response"] == ("pending", at(11, 12), None, timedelta(hours=1))
    office = Reference(UTC, {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")})
    assert office.add(int(at(8, 16).timestamp()), 4 * 3600) == int(at(11, 12).timestamp())


def test_without_the_event_not_judged(setup):
    got = both(setup, "High", at(4, 10), at(5, 0), {"first_response_at": at(4, 10, 45)},
               [(at(4, 10, 45), "reply", None)])
    assert got["response"][0] == "not judged" and got["response"][2] == NOT_JUDGED["contact"]
    assert got["resolution"][0] == "not judged" and got["resolution"][2] == NOT_JUDGED["priority"]


def test_with_reclassification_from_change(setup):
    # Filed Low at 10:00, priority set (to Low) at 10:30, raised to High at 11:00: the High
    # resolution counts from the later of the start and the change, 11:00: due 19:00.
    _path, loaded, module = setup
    ticket = {"priority": "Low", "opened_at": at(4, 10), "now": at(4, 12),
              "events": [(at(4, 10, 30), "priority", "Low"), (at(4, 11), "priority", "High")]}
    answer = loaded.evaluate_ticket(ticket)
    assert module.evaluate_ticket(ticket) == answer
    got = {r["metric"]: (r["status"], r["due"]) for r in answer["results"]}
    assert got["resolution"] == ("pending", at(4, 19))
    assert got["response"] == ("not judged", at(4, 12))  # High: from the first contact, none


def test_the_live_view(setup):
    _path, loaded, _module = setup
    answer = loaded.live({"priority": "Low", "opened_at": at(8, 15), "now": at(11, 11),
                          "events": [(at(8, 16), "priority", "Low")]})
    (clock,) = answer["clocks"]
    assert (clock["clock"], clock["next_due"], clock["left"]) == \
        ("running", at(11, 12), timedelta(hours=1))
    answer = loaded.live({"priority": "Low", "opened_at": at(8, 15), "now": at(11, 11)})
    assert answer["clocks"][0]["clock"] == "not judged"


def _random(rng: random.Random, count: int):
    out = []
    for n in range(count):
        opened = at(rng.randrange(4, 11), rng.randrange(0, 24), 15 * rng.randrange(0, 4))
        contact = None if rng.random() < 0.25 else opened + timedelta(minutes=15 * rng.randrange(-8, 12))
        priority_set = None if rng.random() < 0.25 else opened + timedelta(minutes=15 * rng.randrange(0, 40))
        replied = None if rng.random() < 0.3 else opened + timedelta(minutes=15 * rng.randrange(0, 60))
        resolved = None if rng.random() < 0.3 else opened + timedelta(minutes=30 * rng.randrange(1, 100))
        priority = rng.choice(["High", "Low"])
        out.append((f"T{n}", priority, opened, contact, priority_set, replied, resolved))
    return out


def _iso(t):
    return t.isoformat() if t else ""


def test_batch_events_scalar_and_reference_agree(setup, tmp_path):
    path, loaded, _module = setup
    now = at(20, 0)
    tickets = _random(random.Random(4), 60)
    flat = ["id,priority,opened_at,first_response_at,resolved_at,contact_at,priority_set_at"]
    plain = ["id,priority,opened_at"]
    log = ["id,at,event,value"]
    for ident, priority, opened, contact, priority_set, replied, resolved in tickets:
        flat.append(f"{ident},{priority},{_iso(opened)},{_iso(replied)},{_iso(resolved)},"
                    f"{_iso(contact)},{_iso(priority_set)}")
        plain.append(f"{ident},{priority},{_iso(opened)}")
        events = [(contact, "contact", ""), (priority_set, "priority", priority),
                  (replied, "reply", ""), (resolved, "resolved", "")]
        log += [f"{ident},{_iso(t)},{k},{v}" for t, k, v in sorted(
            (e for e in events if e[0] is not None), key=lambda e: e[0])]
    (tmp_path / "flat.csv").write_text("\n".join(flat) + "\n")
    (tmp_path / "plain.csv").write_text("\n".join(plain) + "\n")
    (tmp_path / "events.csv").write_text("\n".join(log) + "\n")

    def judged(*args) -> dict:
        result = CliRunner().invoke(cli, ["eval", str(path), *args, "--format", "json",
                                          "--now", now.isoformat()])
        assert result.exit_code == 0, result.output
        return {(t["id"], r["metric"]): (r["status"], r["due"], r["event_at"], r["reason"])
                for t in json.loads(result.stdout)["tickets"] for r in t["results"]}

    from_columns = judged("--tickets", str(tmp_path / "flat.csv"))
    assert judged("--tickets", str(tmp_path / "plain.csv"), "--events",
                  str(tmp_path / "events.csv")) == from_columns
    always = Reference(UTC, {d: [("00:00", "24:00")] for d in
                             ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    office = Reference(UTC, {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")})
    rule = {("High", "response"): (always, "contact", 3600),
            ("High", "resolution"): (always, "priority", 8 * 3600),
            ("Low", "response"): (office, "priority", 4 * 3600)}
    judged_some = 0
    for ident, priority, opened, contact, priority_set, replied, resolved in tickets:
        ticket = {"priority": priority, "opened_at": opened, "now": now,
                  "first_response_at": replied, "resolved_at": resolved}
        if contact:
            ticket["contact_at"] = contact
        if priority_set:
            ticket["priority_set_at"] = priority_set
        for result in loaded.evaluate_ticket(ticket)["results"]:
            status, due, _event, reason = from_columns[(ident, result["metric"])]
            assert (result["status"], result["due"], result["reason"]) == \
                (status, datetime.fromisoformat(due), reason), ident
            clock, start, seconds = rule[(priority, result["metric"])]
            begin = {"contact": contact, "priority": priority_set}[start]
            if begin is None:
                assert status == "not judged"
                continue
            judged_some += 1
            expected = clock.add(int(begin.timestamp()), seconds)
            assert int(result["due"].timestamp()) == expected, ident
    assert judged_some > 40


def test_bad_data_document_diff_and_sql(setup, tmp_path):
    path, _loaded, _module = setup
    tickets = tmp_path / "t.csv"
    tickets.write_text("id,priority,opened_at,priority_set_at\n"
                       "A,Low,2026-05-08T15:00:00Z,2026-05-08T14:00:00Z\n")
    result = CliRunner().invoke(cli, ["eval", str(path), "--tickets", str(tickets)])
    assert result.exit_code == 1
    assert "t.csv:2: field `priority_set_at`: priority set before the ticket was opened" in \
        result.output
    document = render(compile_text(TEXT, "start.sla").contract)
    assert "counted from the customer's first contact" in document
    assert "counted from when we set the ticket's priority" in document
    other = tmp_path / "other.sla"
    other.write_text(TEXT.replace("respond 4h within office from priority set",
                                  "respond 4h within office"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(path), str(other)])
    assert "from priority set" in result.output, result.output
    result = CliRunner().invoke(cli, ["check", "--sql", str(path)])
    assert "error[E801]: the SQL back end cannot compute `start` of a target" in result.output


def test_explain_lays_out_the_clock_from_its_start(setup, tmp_path):
    path, _loaded, _module = setup
    tickets = tmp_path / "t.csv"
    tickets.write_text("id,priority,opened_at,priority_set_at\n"
                       "C,Low,2026-05-08T15:00:00Z,2026-05-08T16:00:00Z\n")
    result = CliRunner().invoke(cli, ["explain", str(path), "--tickets", str(tickets), "--ticket",
                                      "C", "--metric", "response", "--now", "2026-05-11T11:00:00Z"])
    assert result.exit_code == 0, result.output
    assert "clock start: the priority being set, 2026-05-08 16:00 +00:00" in result.output
    assert "2026-05-08 Fri: 16:00-17:00: 1h used, 3h left" in result.output
    assert "due: 2026-05-11 12:00 +00:00" in result.output
