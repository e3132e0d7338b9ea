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
            if "proportion" in r:
                assert v.proportion[1] == r["proportion"]["met_by_ticket"], (ticket.id, v.metric)
            compared += 1
    assert compared > 300
