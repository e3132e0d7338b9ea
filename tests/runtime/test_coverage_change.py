"""Coverage that changes at the restoration (`until restored then CAL`; issue 14 item 3).

docs/semantics.md "Coverage that changes at the restoration": the worked example, asked of
`evaluate_ticket` on flat fields and on events, of a generated module, of `sladsl eval` (the
batch path, with flat columns and with an event log) and of the live view; expected due instants
come from the hand computation in the docs and from a minute-stepping reference built on
tests/runtime/reference.py (the first calendar's minutes before the restoration, the second's
after). Also: the document, `sladsl diff`, the SQL guard and the random differential test between
the batch path, `evaluate_ticket` and the reference.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from reference import MINUTE, Reference  # tests/runtime is on sys.path under pytest

import sladsl
from sladsl.cli import cli
from sladsl.pipeline import compile_text
from sladsl.to_markdown import render
from tests.generated import compiled, generated_module

UTC = timezone.utc
TEXT = """contract Restore {
  zone UTC
  calendar office = Mon-Fri 09:00-17:00
  priorities Sev1, Sev2
  priority Sev1 resolve 8h within 24x7 until restored then office
  priority Sev1 update every 4h within 24x7 until restored then office
  priority Sev2 resolve 8h within office
  pause while status "waiting on customer"
}
"""
OPENED = datetime(2026, 5, 8, 20, tzinfo=UTC)  # a Friday


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 5, day, hour, minute, tzinfo=UTC)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("restore")
    path = folder / "restore.sla"
    path.write_text(TEXT, encoding="utf-8")
    module = generated_module(compiled(TEXT, "restore.sla"), TEXT, folder)
    return path, sladsl.load(path), module


class _Switched:
    """The reference clock of one ticket: `before` until `at`, `after` from then (minutes)."""

    def __init__(self, before: Reference, after: Reference, at: int) -> None:
        self.before, self.after, self.at = before, after, at

    def running(self, t: int, pauses) -> bool:
        return (self.before if t < self.at else self.after).running(t, pauses)

    elapsed = Reference.elapsed
    add = Reference.add


ALWAYS = Reference(UTC, {d: [("00:00", "24:00")] for d in
                         ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
OFFICE = Reference(UTC, {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")})


def reference_due(opened: datetime, restored: datetime | None, pauses=(), seconds=8 * 3600) -> datetime:
    clock = ALWAYS if restored is None else _Switched(ALWAYS, OFFICE, int(restored.timestamp()))
    due = clock.add(int(opened.timestamp()), seconds, [(int(a.timestamp()), int(b.timestamp()))
                                                      for a, b in pauses])
    return datetime.fromtimestamp(due, UTC)


# (restored, pauses, resolved, now) -> (due, status, left): docs/semantics.md's table.
WORKED = [
    (None, (), at(9, 3), at(11, 12), (at(9, 4), "met", None)),
    (at(8, 22), (), at(11, 14), at(11, 16), (at(11, 15), "met", None)),
    (at(9, 3), (), at(11, 11), at(11, 16), (at(11, 10), "breached", None)),
    (at(9, 5), (), at(11, 9, 30), at(11, 16), (at(9, 4), "breached", None)),
    (at(8, 22), ((at(8, 21), at(8, 21, 30)),), None, at(11, 12),
     (at(11, 15, 30), "pending", timedelta(hours=3, minutes=30))),
]


def _events(restored, pauses, resolved):
    log = [] if restored is None else [(restored, "restored", None)]
    for a, b in pauses:
        log += [(a, "status", "waiting on customer"), (b, "status", "open")]
    return log + ([] if resolved is None else [(resolved, "resolved", None)])


@pytest.mark.parametrize("restored, pauses, resolved, now, expected", WORKED)
def test_the_worked_example(setup, restored, pauses, resolved, now, expected):
    _path, loaded, module = setup
    assert reference_due(OPENED, restored, pauses) == expected[0]
    flat = {"priority": "Sev1", "opened_at": OPENED, "now": now, "resolved_at": resolved,
            "pauses": list(pauses)}
    if restored is not None:
        flat["restored_at"] = restored
    logged = {"priority": "Sev1", "opened_at": OPENED, "now": now,
              "events": _events(restored, pauses, resolved)}
    answers = [loaded.evaluate_ticket(flat), module.evaluate_ticket(flat),
               loaded.evaluate_ticket(logged), module.evaluate_ticket(logged)]
    for answer in answers:
        (resolution,) = [r for r in answer["results"] if r["metric"] == "resolution"]
        assert (resolution["due"], resolution["status"], resolution["left"]) == expected
        assert resolution["target"] == "8h until restored then office"


def test_the_live_view(setup):
    # Restored Friday 22:00 (2 h of the 8 h used), `now` Saturday 12:00: 6 h left, all of it in
    # office hours, next due Monday 15:00.
    _path, loaded, _module = setup
    for ticket in ({"restored_at": at(8, 22)}, {"events": [(at(8, 22), "restored", None)]}):
        answer = loaded.live({"priority": "Sev1", "opened_at": OPENED, "now": at(9, 12), **ticket})
        (clock,) = [c for c in answer["clocks"] if c["metric"] == "resolution"]
        assert (clock["clock"], clock["next_due"], clock["left"]) == \
            ("running", at(11, 15), timedelta(hours=6))


def test_a_cadence_counts_each_interval_on_the_hours_in_force(setup):
    # Update every 4h: updated Friday 23:00 (3 h after the opening, on time), restored
    # Saturday 01:00: the interval from 23:00 used 2 h around the clock, the other 2 h count in
    # office hours from Monday 09:00: due Monday 11:00.
    _path, loaded, _module = setup
    answer = loaded.evaluate_ticket({"priority": "Sev1", "opened_at": OPENED, "now": at(11, 10),
                                     "events": [(at(8, 23), "update", None),
                                                (at(9, 1), "restored", None)]})
    (update,) = [r for r in answer["results"] if r["metric"] == "update"]
    assert (update["due"], update["status"]) == (at(11, 11), "pending")


def _random_tickets(rng: random.Random, count: int):
    out = []
    for n in range(count):
        opened = at(rng.randrange(4, 11), rng.randrange(0, 24), 15 * rng.randrange(0, 4))
        restored = None if rng.random() < 0.3 else \
            opened + timedelta(minutes=30 * rng.randrange(0, 40))
        pauses = []
        if rng.random() < 0.4:
            start = opened + timedelta(minutes=30 * rng.randrange(0, 20))
            pauses = [(start, start + timedelta(minutes=30 * rng.randrange(1, 8)))]
        resolved = None if rng.random() < 0.3 else \
            opened + timedelta(minutes=30 * rng.randrange(1, 200))
        out.append((f"T{n}", rng.choice(["Sev1", "Sev2"]), opened, restored, pauses, resolved))
    return out


def test_batch_scalar_events_and_reference_agree(setup, tmp_path):
    """`eval` on flat columns (the batch path), `eval --events`, `evaluate_ticket` and the
    minute-stepping reference give random tickets the same resolution due instants."""
    path, loaded, _module = setup
    now = at(20, 0)
    tickets = _random_tickets(random.Random(14), 60)
    flat = ["id,priority,opened_at,resolved_at,pauses,restored_at"]
    plain = ["id,priority,opened_at"]
    log = ["id,at,event,value"]
    for ident, priority, opened, restored, pauses, resolved in tickets:
        cell = json.dumps([[a.isoformat(), b.isoformat()] for a, b in pauses]).replace('"', '""')
        flat.append(f"{ident},{priority},{opened.isoformat()},{resolved.isoformat() if resolved else ''},"
                    f"\"{cell if pauses else ''}\",{restored.isoformat() if restored else ''}")
        plain.append(f"{ident},{priority},{opened.isoformat()}")
        log += [f"{ident},{t.isoformat()},{k},{v or ''}"
                for t, k, v in sorted(_events(restored, pauses, resolved), key=lambda e: e[0])]
    (tmp_path / "flat.csv").write_text("\n".join(flat) + "\n")
    (tmp_path / "plain.csv").write_text("\n".join(plain) + "\n")
    (tmp_path / "events.csv").write_text("\n".join(log) + "\n")

    def judged(*args) -> dict:
        result = CliRunner().invoke(cli, ["eval", str(path), *args, "--format", "json",
                                          "--now", now.isoformat()])
        assert result.exit_code == 0, result.output
        return {(t["id"], r["metric"]): (r["status"], r["due"], r["event_at"])
                for t in json.loads(result.stdout)["tickets"] for r in t["results"]}

    from_columns = judged("--tickets", str(tmp_path / "flat.csv"))
    from_events = judged("--tickets", str(tmp_path / "plain.csv"), "--events",
                         str(tmp_path / "events.csv"))
    assert {k: v for k, v in from_events.items() if k[1] == "resolution"} == \
        {k: v for k, v in from_columns.items() if k[1] == "resolution"}
    for ident, priority, opened, restored, pauses, resolved in tickets:
        ticket = {"priority": priority, "opened_at": opened, "now": now, "resolved_at": resolved,
                  "pauses": pauses}
        if restored is not None:
            ticket["restored_at"] = restored
        (result,) = [r for r in loaded.evaluate_ticket(ticket)["results"]
                     if r["metric"] == "resolution"]
        status, due, _event = from_columns[(ident, "resolution")]
        assert (result["status"], result["due"]) == (status, datetime.fromisoformat(due))
        if priority == "Sev1":
            assert result["due"] == reference_due(opened, restored, pauses), ident
        else:  # office hours throughout: the restoration changes nothing
            steps = OFFICE.add(int(opened.timestamp()), 8 * 3600,
                               [(int(a.timestamp()), int(b.timestamp())) for a, b in pauses])
            assert int(result["due"].timestamp()) == steps
    assert MINUTE == 60


def test_the_document_diff_and_sql_guard(setup, tmp_path):
    path, _loaded, _module = setup
    document = render(compile_text(TEXT, "restore.sla").contract)
    assert "once the service is restored, the rest counts in *office* hours" in document
    other = tmp_path / "other.sla"
    other.write_text(TEXT.replace("8h within 24x7 until restored then office",
                                  "8h within 24x7"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(path), str(other)])
    assert "until restored then" in result.output, result.output
    result = CliRunner().invoke(cli, ["check", "--sql", str(path)])
    assert result.exit_code == 1
    assert "error[E801]: the SQL back end cannot compute `until_restored` of a target" in \
        result.output


def test_explain_and_bad_data(setup, tmp_path):
    """`explain` lays out the 24x7 hours to the restoration and the office hours after it; a
    restoration before the opening, or given twice (column and event), is a data error."""
    path, _loaded, _module = setup
    tickets = tmp_path / "t.csv"
    tickets.write_text("id,priority,opened_at,restored_at\n"
                       "A,Sev1,2026-05-08T20:00:00Z,2026-05-08T22:00:00Z\n")
    result = CliRunner().invoke(cli, ["explain", str(path), "--tickets", str(tickets), "--ticket", "A",
                                      "--metric", "resolution", "--now", "2026-05-20T00:00:00Z"])
    assert result.exit_code == 0, result.output
    assert "restored 2026-05-08 22:00" in result.output
    assert "2026-05-08 Fri: 20:00-22:00: 2h used, 6h left" in result.output
    assert "2026-05-11 Mon: 09:00-15:00: 6h used, 0s left" in result.output
    tickets.write_text("id,priority,opened_at,restored_at\n"
                       "A,Sev1,2026-05-08T20:00:00Z,2026-05-08T19:00:00Z\n")
    result = CliRunner().invoke(cli, ["eval", str(path), "--tickets", str(tickets)])
    assert result.exit_code == 1
    assert "t.csv:2: field `restored_at`: restored before the ticket was opened" in result.output
    tickets.write_text("id,priority,opened_at,restored_at\n"
                       "A,Sev1,2026-05-08T20:00:00Z,2026-05-08T22:00:00Z\n")
    events = tmp_path / "e.csv"
    events.write_text("id,at,event,value\nA,2026-05-08T22:00:00Z,restored,\n")
    result = CliRunner().invoke(cli, ["eval", str(path), "--tickets", str(tickets), "--events",
                                      str(events)])
    assert result.exit_code == 1
    assert "has `restored_at` in the tickets file and an event log is given" in result.output
