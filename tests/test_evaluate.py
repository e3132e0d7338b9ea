"""sladsl.evaluate: the batch evaluation stage (tickets -> verdicts, summaries, proportions).

Expected values are worked out by hand from the seeds and SEMANTICS.md in the comments, or taken
from the evaluator's own per-ticket API (`evaluate_ticket`), which the batch path must agree with;
never from running the code under test.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path

import pytest

import sladsl
from sladsl.data import Names, read_tickets
from sladsl.evaluate import Evaluation, proportion_rows, summary_rows
from sladsl.pipeline import compile_path

ROOT = Path(__file__).resolve().parent.parent
QISCUS = str(ROOT / "contracts" / "qiscus.sla")
ROCKSOFT = str(ROOT / "contracts" / "rocksoft.sla")
WIB = timezone(timedelta(hours=7))
MYT = timezone(timedelta(hours=8))


def stage(contract: str, now: datetime) -> Evaluation:
    model = compile_path(Path(contract), contract).contract
    return Evaluation(model, sladsl.load(contract), now)


def tickets_of(contract: str, tmp_path: Path, rows: list[dict]):
    model = compile_path(Path(contract), contract).contract
    path = tmp_path / "tickets.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return list(read_tickets(path, Names.of_contract(model)))


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


# -- verdicts at the breach edge (SEMANTICS.md "Due instants") ----------------------------------

def test_due_on_friday_close_and_monday_morning(tmp_path):
    # Premium Critical respond 1h, office Mon-Fri 09:00-17:00 GMT+7 (Indonesian holidays; none on
    # 2026-05-08/11). Opened Friday 16:30 -> 30 min Friday + 30 min Monday -> Monday 09:30.
    # Opened Friday 16:00 -> the hour runs out exactly at the 17:00 close: due Friday 17:00.
    rows = [
        {"id": "A", "priority": "Critical", "plan": "Premium", "opened_at": "2026-05-08T16:30:00+07:00",
         "first_response_at": "2026-05-11T09:30:00+07:00"},
        {"id": "B", "priority": "Critical", "plan": "Premium", "opened_at": "2026-05-08T16:30:00+07:00",
         "first_response_at": "2026-05-11T09:30:01+07:00"},
        {"id": "C", "priority": "Critical", "plan": "Premium", "opened_at": "2026-05-08T16:00:00+07:00",
         "first_response_at": "2026-05-08T17:05:00+07:00"},
    ]
    run = stage(QISCUS, datetime(2026, 5, 11, 12, tzinfo=WIB))
    a, b, c = (next(v for v in vs if v.metric == "response")
               for vs in run.run(tickets_of(QISCUS, tmp_path, rows)))
    assert a.due == b.due == epoch("2026-05-11T09:30:00+07:00")
    assert (a.status, a.used, a.left) == ("met", 3600, None)  # at the due instant: on time
    assert (b.status, b.used) == ("breached", 3601)
    assert c.due == epoch("2026-05-08T17:00:00+07:00")
    assert (c.status, c.used) == ("breached", 3600)  # 17:00-17:05 is after hours


def test_pending_business_day_target_counts_left(tmp_path):
    # Premium Low respond 1 business day. Opened Friday 20:00 (after hours): anchored at Friday's
    # 17:00 close, one business date later at the same clock time: Monday 17:00. Judged Monday
    # 16:00: pending, 7h used (Monday 09:00-16:00), 1h left.
    rows = [{"id": "L", "priority": "Low", "plan": "Premium", "opened_at": "2026-05-08T20:00:00+07:00"}]
    run = stage(QISCUS, datetime(2026, 5, 11, 16, tzinfo=WIB))
    (low,) = run.run(tickets_of(QISCUS, tmp_path, rows))[0]
    assert low.due == epoch("2026-05-11T17:00:00+07:00")
    assert (low.status, low.used, low.left) == ("pending", 7 * 3600, 3600)


def test_summary_rows_count_each_status(tmp_path):
    # Two met (one at the edge, one early), one breached: compliance 2 / 3 = 200/3 %.
    rows = [
        {"priority": "Critical", "plan": "Premium", "opened_at": "2026-05-08T16:30:00+07:00",
         "first_response_at": reply}
        for reply in ("2026-05-11T09:30:00+07:00", "2026-05-11T09:30:01+07:00", "2026-05-08T16:40:00+07:00")
    ]
    run = stage(QISCUS, datetime(2026, 5, 11, 10, tzinfo=WIB))
    run.run(tickets_of(QISCUS, tmp_path, rows))
    (row,) = [r for r in summary_rows(run) if r["metric"] == "response"]
    assert (row["plan"], row["priority"], row["met"], row["breached"], row["pending"]) == \
        ("Premium", "Critical", 2, 1, 0)
    assert row["compliance"] == Fraction(200, 3)


def test_proportion_rows_per_month(tmp_path):
    # Rocksoft "resolve 2h for 85% per month" (24x7, Asia/Kuala_Lumpur). May: 6 of 7 resolved
    # within 2h -> 600/7 % >= 85 %: met. June: 1 of 2 (exactly 2h is within) -> 50 %: missed.
    rows = [{"id": f"M{i}", "priority": "Critical", "opened_at": f"2026-05-0{i}T10:00:00+08:00",
             "resolved_at": f"2026-05-0{i}T11:00:00+08:00"} for i in range(1, 7)]
    rows += [{"id": "M7", "priority": "Normal", "opened_at": "2026-05-07T10:00:00+08:00",
              "resolved_at": "2026-05-07T12:00:01+08:00"},
             {"id": "J1", "priority": "Normal", "opened_at": "2026-06-01T10:00:00+08:00",
              "resolved_at": "2026-06-01T12:00:00+08:00"},
             {"id": "J2", "priority": "Normal", "opened_at": "2026-06-02T10:00:00+08:00",
              "resolved_at": "2026-06-02T13:00:00+08:00"}]
    run = stage(ROCKSOFT, datetime(2026, 7, 1, tzinfo=MYT))
    run.run(tickets_of(ROCKSOFT, tmp_path, rows))
    by_period = {r["period"]: r for r in proportion_rows(run)}
    assert (by_period["2026-05"]["met"], by_period["2026-05"]["missed"]) == (6, 1)
    assert by_period["2026-05"]["actual"] == Fraction(600, 7)
    assert by_period["2026-05"]["verdict"] == "met"
    assert (by_period["2026-06"]["met"], by_period["2026-06"]["missed"]) == (1, 1)
    assert by_period["2026-06"]["verdict"] == "missed"


# -- the batch path agrees with evaluate_ticket -------------------------------------------------

@pytest.mark.parametrize("contract", [QISCUS, ROCKSOFT])
def test_batch_equals_evaluate_ticket(contract, tmp_path):
    model = compile_path(Path(contract), contract).contract
    evaluator = sladsl.load(contract)
    rng = random.Random(20260504)
    plans = [None] + [p.name for p in model.plans] if len(model.plans) != 1 else [None]
    addons = [a.name for a in model.addons]
    base = datetime(2026, 4, 27, tzinfo=WIB)
    lines = []
    for i in range(300):
        opened = base + timedelta(seconds=rng.randrange(0, 40 * 86400))
        if rng.random() < 0.3:  # sub-second instants: both paths read whole seconds (21.4)
            opened += timedelta(microseconds=rng.randrange(1, 1_000_000))
        row = {"id": f"R{i}", "priority": rng.choice([p.name for p in model.priorities]),
               "opened_at": opened.isoformat()}
        plan = rng.choice(plans)
        if plan is None and model.plans:
            plan = model.plans[0].name if contract == QISCUS else None
        if plan:
            row["plan"] = plan
        if addons and rng.random() < 0.3:
            row["addons"] = [rng.choice(addons)]
        if rng.random() < 0.7:
            row["first_response_at"] = (opened + timedelta(seconds=rng.randrange(0, 3 * 86400))).isoformat()
        if rng.random() < 0.5:
            row["resolved_at"] = (opened + timedelta(seconds=rng.randrange(0, 20 * 86400))).isoformat()
        if rng.random() < 0.2:
            p0 = opened + timedelta(seconds=rng.randrange(0, 86400))
            row["pauses"] = [[p0.isoformat(), (p0 + timedelta(seconds=rng.randrange(1, 20000))).isoformat()]]
        lines.append(json.dumps(row))
    path = tmp_path / "random.jsonl"
    path.write_text("\n".join(lines) + "\n")
    now = datetime(2026, 5, 20, 12, tzinfo=WIB)
    tickets = list(read_tickets(path, Names.of_contract(model)))
    verdicts = Evaluation(model, evaluator, now).run(tickets)
    compared = 0
    for ticket, mine in zip(tickets, verdicts):
        expected = evaluator.evaluate_ticket({**ticket.as_mapping(WIB), "now": now})["results"]
        assert [v.metric for v in mine] == [r["metric"] for r in expected]
        for v, r in zip(mine, expected):
            assert v.due == int(r["due"].timestamp()), (ticket.id, v.metric)
            assert v.status == r["status"], (ticket.id, v.metric)
            assert v.used == r["used"] // timedelta(seconds=1), (ticket.id, v.metric)
            assert v.left == (None if r["left"] is None else r["left"] // timedelta(seconds=1))
            assert v.reason == r["reason"], (ticket.id, v.metric)
            event = r["event_at"]
            assert v.event == (None if event is None else
                               (event - datetime(1970, 1, 1, tzinfo=timezone.utc))
                               // timedelta(microseconds=1)), (ticket.id, v.metric)
            if "proportion" in r:
                assert v.proportion[1] == r["proportion"]["met_by_ticket"], (ticket.id, v.metric)
            compared += 1
    assert compared > 300


CHANGING = """contract Changing {
  zone Asia/Jakarta
  calendar office = Mon-Fri 08:00-17:00
  priorities Urgent, Normal
  plan Gold {
    hours office
    priority Urgent respond 1h within 24x7 from first contact resolve 8h within 24x7 until restored then office
    priority Normal respond 4h from priority set resolve 2 business days
  }
}
"""


@pytest.mark.parametrize("numpy", [True, False])
def test_batch_equals_evaluate_ticket_with_changing_clocks(tmp_path, monkeypatch, numpy):
    """The batch path (with and without NumPy) and `evaluate_ticket` agree on clocks that start
    at an event (`from first contact`, `from priority set`) and hours that change at the
    restoration (`until restored then CAL`), with pauses."""
    import sladsl.data as data
    import sladsl.evaluate as evaluate

    if not numpy:
        for module in (data, evaluate):
            monkeypatch.setattr(module, "_numpy", lambda: None)
    contract = tmp_path / "changing.sla"
    contract.write_text(CHANGING, encoding="utf-8")
    model = compile_path(contract, "changing.sla").contract
    evaluator = sladsl.load(contract)
    rng = random.Random(1403)
    base = datetime(2026, 4, 27, tzinfo=WIB)
    lines = []

    def later(t, days):
        return (t + timedelta(seconds=rng.randrange(0, int(days * 86400)))).isoformat()

    for i in range(300):
        opened = base + timedelta(seconds=rng.randrange(0, 30 * 86400))
        row = {"id": f"R{i}", "priority": rng.choice(["Urgent", "Normal"]), "plan": "Gold",
               "opened_at": opened.isoformat()}
        for field, chance, days in (("first_response_at", 0.7, 2), ("resolved_at", 0.5, 6),
                                    ("restored_at", 0.6, 1), ("priority_set_at", 0.7, 1)):
            if rng.random() < chance:
                row[field] = later(opened, days)
        if rng.random() < 0.7:
            row["contact_at"] = later(opened - timedelta(hours=2), 0.3)
        if rng.random() < 0.3:
            p0 = opened + timedelta(seconds=rng.randrange(0, 86400))
            row["pauses"] = [[p0.isoformat(), (p0 + timedelta(seconds=rng.randrange(1, 20000))).isoformat()]]
        lines.append(json.dumps(row))
    path = tmp_path / "random.jsonl"
    path.write_text("\n".join(lines) + "\n")
    now = datetime(2026, 5, 20, 12, tzinfo=WIB)
    tickets = list(read_tickets(path, Names.of_contract(model)))
    verdicts = Evaluation(model, evaluator, now).run(tickets)
    statuses = set()
    for ticket, mine in zip(tickets, verdicts):
        expected = evaluator.evaluate_ticket({**ticket.as_mapping(WIB), "now": now})["results"]
        assert [v.metric for v in mine] == [r["metric"] for r in expected]
        for v, r in zip(mine, expected):
            got = (v.due, v.status, v.used, v.left, v.reason)
            want = (int(r["due"].timestamp()), r["status"], r["used"] // timedelta(seconds=1),
                    None if r["left"] is None else r["left"] // timedelta(seconds=1), r["reason"])
            assert got == want, (ticket.id, v.metric)
            statuses.add(v.status)
    assert statuses == {"met", "breached", "pending", "not judged"}


# -- one source of rules --------------------------------------------------------------------------

def test_breach_rule_at_the_edge():
    from sladsl.runtime.evaluator import verdict_status

    # SEMANTICS.md "Due instants": at the due instant on time, one unit later breached; no event:
    # pending until `now` passes the due instant.
    assert verdict_status(100, 100, 0) == "met"
    assert verdict_status(100, 101, 0) == "breached"
    assert verdict_status(100, 5, 10**9) == "met"  # an early event stays met whatever `now`
    assert verdict_status(100, None, 100) == "pending"
    assert verdict_status(100, None, 101) == "breached"


def test_breach_rule_on_arrays_is_the_scalar_rule():
    np = pytest.importorskip("numpy")
    from sladsl.runtime.evaluator import STATUSES, verdict_status, verdict_status_codes

    cases = [(due, event, now) for due in (99, 100, 101) for event in (None, 99, 100, 101)
             for now in (99, 100, 101)]
    due = np.array([c[0] for c in cases])
    event = np.array([-1 if c[1] is None else c[1] for c in cases])
    has = np.array([c[1] is not None for c in cases])
    for now in (99, 100, 101):
        codes = verdict_status_codes(due, event, has, now).tolist()
        for (d, e, _), code in zip(cases, codes):
            assert STATUSES[code] == verdict_status(d, e, now)


def test_proportion_target_counts_pauses_like_evaluate_ticket(tmp_path):
    # Rocksoft "resolve 2h for 85% per month" on the 24x7 calendar. Opened 10:00, paused
    # 10:30-11:30 (waiting on the customer), resolved 12:30: 2h30m of clock, 1h of it paused ->
    # 1h30m counted, within 2h: met by the ticket. Without the pause it would be 2h30m: missed.
    rows = [{"id": "P", "priority": "Critical", "opened_at": "2026-05-04T10:00:00+08:00",
             "resolved_at": "2026-05-04T12:30:00+08:00",
             "pauses": [["2026-05-04T10:30:00+08:00", "2026-05-04T11:30:00+08:00"]]},
            {"id": "N", "priority": "Critical", "opened_at": "2026-05-04T10:00:00+08:00",
             "resolved_at": "2026-05-04T12:30:00+08:00"}]
    now = datetime(2026, 6, 1, tzinfo=MYT)
    run = stage(ROCKSOFT, now)
    tickets = tickets_of(ROCKSOFT, tmp_path, rows)
    paused, plain = (next(v for v in vs if v.metric == "resolution") for vs in run.run(tickets))
    assert paused.proportion[1] is True and plain.proportion[1] is False
    reference = sladsl.load(ROCKSOFT).evaluate_ticket({**tickets[0].as_mapping(MYT), "now": now})
    (resolution,) = [r for r in reference["results"] if r["metric"] == "resolution"]
    assert resolution["proportion"]["met_by_ticket"] is True
    (row,) = proportion_rows(run)
    assert (row["period"], row["met"], row["missed"]) == ("2026-05", 1, 1)


def test_proportion_lookup_is_the_evaluators():
    # Rocksoft's proportion sentence is contract-level and covers every priority and channel.
    evaluator = sladsl.load(ROCKSOFT)
    for priority in ("Critical", "Normal", "Non-Urgent"):
        share = evaluator.proportion_target("resolution", priority, channel="Phone")
        assert (share["seconds"], share["percent"], share["period"], share["plan"]) == \
            (7200, Fraction(85), "month", None)
    assert evaluator.proportion_target("response", "Critical") is None


# -- business days as arrays (SEMANTICS.md "Business days") ----------------------------------------

def _calendars():
    from datetime import date

    from sladsl.runtime import Calendar

    every = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return [
        # Windows across the Paris transitions (02:00-03:00 local), a holiday on each side.
        Calendar("Europe/Paris", {"mon": [("00:00", "03:00"), ("09:00", "17:00")],
                                  "fri": [("22:00", "24:00")], "sat": [("00:00", "02:30")],
                                  "sun": [("01:00", "04:00")]},
                 [date(2026, 3, 30), date(2026, 10, 26), date(2026, 12, 25)]),
        # Sao Paulo changed the clock at midnight until 2019: days that start at 01:00.
        Calendar("America/Sao_Paulo", {d: [("00:00", "12:00"), ("13:00", "24:00")] for d in every},
                 [date(2018, 11, 5)]),
        Calendar("America/New_York", {d: [("08:00", "12:00"), ("13:00", "18:00")] for d in every[:5]},
                 [date(2026, 7, 3), date(2026, 11, 26)]),
        Calendar("UTC+07:00", {d: [("09:00", "17:00")] for d in every[:5]},
                 [date(2026, 5, 14), date(2026, 5, 15)]),
    ]


def test_business_days_as_arrays_equal_the_scalar_rule():
    np = pytest.importorskip("numpy")
    from sladsl.runtime.batch import add_business_days_many

    rng = random.Random(7)
    transitions = [1521939600, 1540688400, 1774746000, 1792890000, 1541300400, 1550368800]
    for cal in _calendars():
        starts = [rng.randrange(1500000000, 1830000000) for _ in range(3000)]
        starts += [t + rng.randrange(-3 * 86400, 3 * 86400) for t in transitions for _ in range(300)]
        starts += [t - t % 3600 for t in starts[:500]]  # on the hour: opens and closes
        for n in (0, 1, 2, 5, 30):
            want = [cal.add_business_days_epoch(t, n) for t in starts]
            assert add_business_days_many(cal, np.array(starts), n).tolist() == want, (cal, n)
            assert add_business_days_many(cal, starts, n, use_numpy=False) == want


def test_business_days_as_arrays_by_hand():
    np = pytest.importorskip("numpy")
    from sladsl.runtime.batch import add_business_days_many

    cal = _calendars()[3]  # Mon-Fri 09:00-17:00 UTC+7, holidays Thu 14 and Fri 15 May 2026
    starts = [epoch("2026-05-08T20:00:00+07:00"),  # Friday after hours: from Friday's close
              epoch("2026-05-13T10:00:00+07:00"),  # Wednesday: Thu and Fri are holidays
              epoch("2026-05-09T12:00:00+07:00")]  # Saturday: from Friday's close
    assert add_business_days_many(cal, np.array(starts), 1).tolist() == [
        epoch("2026-05-11T17:00:00+07:00"), epoch("2026-05-18T10:00:00+07:00"),
        epoch("2026-05-11T17:00:00+07:00")]


# -- without NumPy --------------------------------------------------------------------------------

def test_the_pure_python_path_gives_the_same_output(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import sladsl.cli.data as cli_data
    import sladsl.data as data
    import sladsl.evaluate as evaluate
    from sladsl.cli import cli

    rng = random.Random(11)
    lines = ["id,priority,plan,addons,opened_at,first_response_at,resolved_at,pauses"]
    base = datetime(2026, 4, 27, tzinfo=WIB)
    for i in range(400):
        opened = base + timedelta(seconds=rng.randrange(0, 40 * 86400))
        responded = (opened + timedelta(seconds=rng.randrange(0, 3 * 86400))).isoformat() \
            if rng.random() < 0.7 else ""
        pause = ""
        if rng.random() < 0.2:
            p0 = opened + timedelta(seconds=rng.randrange(0, 86400))
            pause = f'"[[""{p0.isoformat()}"", ""{(p0 + timedelta(hours=1)).isoformat()}""]]"'
        lines.append(f"R{i},{rng.choice(['Critical', 'High', 'Normal', 'Low'])},"
                     f"{rng.choice(['Premium', 'Basic', '8x7 Dedicated'])},"
                     f"{'Resolution' if rng.random() < 0.3 else ''},{opened.isoformat()},"
                     f"{responded},,{pause}")
    path = tmp_path / "tickets.csv"
    path.write_text("\n".join(lines) + "\n")
    args = ["eval", QISCUS, "--tickets", str(path), "--format", "csv",
            "--now", "2026-05-20T12:00:00+07:00"]
    with_numpy = CliRunner().invoke(cli, args)
    for module in (cli_data, data, evaluate):
        monkeypatch.setattr(module, "_numpy", lambda: None)
    without = CliRunner().invoke(cli, args)
    assert with_numpy.exit_code == without.exit_code == 0
    assert without.stdout == with_numpy.stdout and without.stdout.count("\n") > 400
