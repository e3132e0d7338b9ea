"""Inactivity timers (issue 14 item 2): docs/semantics.md "Inactivity timers".

Expected values are that section's worked example, computed by hand: Mon-Fri 09:00-17:00 UTC,
`remind after 3 business days`, `solve after 3 business days`, `close after 4 business days`,
each step counted from the one before it; the ticket enters "pending" on Monday 2026-03-02 at
10:00. Asked of `live()` and of `eval --live --events`; without an event log the answer is
blank and says why.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

import sladsl
from sladsl.cli import cli
from sladsl.pipeline import compile_text

UTC = timezone.utc
DESK = """contract Desk {
  zone UTC
  calendar office = Mon-Fri 09:00-17:00 UTC
  respond 8h within office
  pause while status "pending"
  inactivity while status "pending" within office {
    remind after 3 business days
    solve after 3 business days
    close after 4 business days
  }
}
"""
NO_EVENTS = ("no event log: the inactivity timer reads the ticket's status changes and customer "
             "replies (`--events`)")


def at(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    path = tmp_path_factory.mktemp("inactivity") / "desk.sla"
    path.write_text(DESK, encoding="utf-8")
    return path, sladsl.load(path)


PENDING = [(at(2, 9), "reply", None), (at(2, 10), "status", "Pending")]


@pytest.mark.parametrize("now, events, reached, state, due, reason", [
    # Wednesday noon: nothing reached yet; remind due Thursday 10:00 (3 business days).
    (at(4, 12), PENDING, None, "remind", at(5, 10), None),
    # At the due instant the step is reached.
    (at(5, 10), PENDING, "remind", "solve", at(10, 10), None),
    # Thursday 12 March: remind (Thu 5th), solve (Tue 10th) reached; close due Mon 16th 10:00.
    (at(12, 12), PENDING, "solve", "close", at(16, 10), None),
    (at(17, 9), PENDING, "close", None, None, "every inactivity step is reached"),
    # A customer reply on Friday 6th at 15:00 starts again: remind Wed 11th 15:00, solve Mon 16th.
    (at(12, 12), PENDING + [(at(6, 15), "customer_reply", None)], "remind", "solve", at(16, 15),
     None),
    # Leaving the status stops the timer; entering it again starts it from there.
    (at(12, 12), PENDING + [(at(6, 15), "status", "open")], None, None, None,
     'the ticket is not waiting in "pending"'),
    # (back to "pending" Monday 9th 11:00: remind due Thursday 12th 11:00, Wednesday noon)
    (at(11, 12), PENDING + [(at(6, 15), "status", "open"), (at(9, 11), "status", "pending")],
     None, "remind", at(12, 11), None),
    # An event after `now` is not yet known.
    (at(4, 12), PENDING + [(at(4, 13), "status", "open")], None, "remind", at(5, 10), None),
])
def test_worked_example(desk, now, events, reached, state, due, reason):
    answer = desk[1].live({"opened_at": at(2, 8), "now": now, "events": events})
    assert (answer["inactivity_reached"], answer["inactivity_state"], answer["inactivity_due"],
            answer["inactivity_reason"]) == (reached, state, due, reason)


def test_without_an_event_log_the_answer_is_blank_and_says_why(desk):
    answer = desk[1].live({"opened_at": at(2, 8), "now": at(12, 12)})
    assert (answer["inactivity_reached"], answer["inactivity_state"], answer["inactivity_due"],
            answer["inactivity_reason"]) == (None, None, None, NO_EVENTS)


def test_a_contract_without_the_clause_answers_no_inactivity_fields(tmp_path):
    path = tmp_path / "plain.sla"
    path.write_text(DESK.split("  inactivity")[0] + "}\n", encoding="utf-8")
    answer = sladsl.load(path).live({"opened_at": at(2, 8), "now": at(12, 12)})
    assert not [key for key in answer if key.startswith("inactivity")]


def test_eval_live_with_and_without_events(desk, tmp_path):
    (tmp_path / "t.csv").write_text("id,opened_at\nA,2026-03-02T08:00:00Z\n", encoding="utf-8")
    (tmp_path / "e.csv").write_text("id,at,event,value\nA,2026-03-02T09:00:00Z,reply,\n"
                                    "A,2026-03-02T10:00:00Z,status,pending\n", encoding="utf-8")
    base = ["eval", str(desk[0]), "--tickets", str(tmp_path / "t.csv"), "--live", "--now",
            "2026-03-12T12:00:00Z"]
    result = CliRunner().invoke(cli, [*base, "--events", str(tmp_path / "e.csv"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(result.stdout.splitlines()))
    assert (row["inactivity_reached"], row["inactivity_state"], row["inactivity_due"],
            row["inactivity_reason"]) == ("solve", "close", "2026-03-16T10:00:00+00:00", "")
    result = CliRunner().invoke(cli, [*base, "--format", "json"])
    assert result.exit_code == 0, result.output
    ticket = json.loads(result.stdout)["tickets"][0]
    assert (ticket["inactivity_state"], ticket["inactivity_due"], ticket["inactivity_reason"]) == \
        (None, None, NO_EVENTS)
    result = CliRunner().invoke(cli, [*base, "--events", str(tmp_path / "e.csv")])
    assert "inactivity: solve reached; next close due 2026-03-16 10:00 +00:00" in result.stdout


def test_around_the_clock_without_within(tmp_path):
    # No `within`: 24x7, so 3 business days are 72 hours: Monday 10:00 -> Thursday 10:00.
    path = tmp_path / "c.sla"
    path.write_text(DESK.replace(" within office {", " {"), encoding="utf-8")
    answer = sladsl.load(path).live({"opened_at": at(2, 8), "now": at(3, 12), "events": PENDING})
    assert (answer["inactivity_state"], answer["inactivity_due"]) == ("remind", at(5, 10))


def test_the_document_states_it():
    from sladsl.to_markdown import render

    document = render(compile_text(DESK, "desk.sla").contract)
    assert ('While a ticket\'s status is "pending", our helpdesk moves it on if the customer does '
            "not reply: to *remind* after 3 business days, then to *solve* after 3 business days, "
            "then to *close* after 4 business days, in *office* hours") in document
    # the business-days convention is stated even though the one target counts hours
    assert '"N business days" is not N x 24 hours' in document


def test_fmt_writes_it_back_canonically():
    from sladsl.fmt import format_text

    messy = DESK.replace('inactivity while status "pending" within office {',
                         'inactivity   while status "pending","Waiting"  within office {') \
        .replace("    solve after 3 business days", "solve after 3 business days")
    text, diagnostics = format_text(messy)
    assert not diagnostics
    assert ('  inactivity while status "pending", "Waiting" within office {\n'
            "    remind after 3 business days\n    solve after 3 business days\n"
            "    close after 4 business days\n  }\n") in text
    assert format_text(text)[0] == text


@pytest.mark.parametrize("change", [
    ("close after 4 business days", "close after 5 business days"),
    (' within office {', ' {'),
    ('while status "pending" within', 'while status "pending", "on hold" within'),
    ("    remind after 3 business days\n", ""),
])
def test_diff_sees_a_change(change):
    from sladsl.diff import diff

    old = compile_text(DESK, "old.sla").contract
    new = compile_text(DESK.replace(*change), "new.sla").contract
    # (dropping `within` also adds the 24x7 calendar the steps then count on)
    assert [c.what for c in diff(old, new) if c.what != "calendar"] == ["inactivity timers"]
    assert diff(old, compile_text(DESK.replace('"pending" within', '"PENDING" within'),
                                  "same.sla").contract) == []


def test_the_sql_engines_refuse_it():
    from sladsl.to_spec import to_specs
    from sladsl.to_sql_guard import sql_refusals

    contract = compile_text(DESK, "desk.sla").contract
    refusals = sql_refusals(contract, to_specs(contract)[0], "desk.sla")
    assert [(d.code, d.span.line) for d in refusals] == [("E801", 6)]
    assert "inactivity timers" in refusals[0].message


def test_explain_lists_the_transitions(desk, tmp_path):
    (tmp_path / "t.csv").write_text("id,opened_at\nA,2026-03-02T08:00:00Z\n", encoding="utf-8")
    (tmp_path / "e.csv").write_text("id,at,event,value\nA,2026-03-02T09:00:00Z,reply,\n"
                                    "A,2026-03-02T10:00:00Z,status,pending\n", encoding="utf-8")
    base = ["explain", str(desk[0]), "--ticket", "A", "--tickets", str(tmp_path / "t.csv"),
            "--now", "2026-03-12T12:00:00Z"]
    result = CliRunner().invoke(cli, [*base, "--events", str(tmp_path / "e.csv")])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        '\n\ninactivity while status "pending" (on office):\n  started 2026-03-02 10:00 +00:00\n'
        "  remind due 2026-03-05 10:00 +00:00  reached\n  solve due 2026-03-10 10:00 +00:00  reached\n"
        "  close due 2026-03-16 10:00 +00:00  next\n")
    result = CliRunner().invoke(cli, base)
    assert result.stdout.endswith(f"(on office):\n  {NO_EVENTS}\n")
