"""The committed generated modules and `sladsl.load()` answer every question alike.

Random tickets (priorities, plans, add-ons, channels of each seed contract; opening instants
across 2020-2035 in several zones; random events and pauses) and random outages and periods.
Errors count as answers too: both sides must raise ValueError with the same message.
"""

from __future__ import annotations

import importlib.util
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sladsl
from sladsl.to_python import py_name

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = sorted((ROOT / "contracts").glob("*.sla"))
ZONES = [timezone.utc, ZoneInfo("Asia/Jakarta"), ZoneInfo("Europe/Paris"),
         ZoneInfo("America/Sao_Paulo"), ZoneInfo("Asia/Kuala_Lumpur"), timezone(timedelta(hours=-5))]
SETTINGS = settings(max_examples=80, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def generated(path: Path):
    name = py_name(path.stem)
    spec = importlib.util.spec_from_file_location(f"generated_{name}", ROOT / "generated" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PAIRS = {path.stem: (generated(path), sladsl.load(path)) for path in CONTRACTS}


def answer(call):
    try:
        return ("ok", call())
    except ValueError as error:
        return ("error", str(error))


def instants(lo=2020, hi=2035):
    return st.builds(
        lambda seconds, zone: datetime.fromtimestamp(seconds, zone),
        st.integers(int(datetime(lo, 1, 1, tzinfo=timezone.utc).timestamp()),
                    int(datetime(hi, 12, 31, tzinfo=timezone.utc).timestamp())),
        st.sampled_from(ZONES),
    )


@st.composite
def tickets(draw, contract):
    spec = contract["CONTRACT"] if isinstance(contract, dict) else contract.CONTRACT
    opened = draw(instants())
    offsets = st.integers(0, 40 * 86400)
    ticket = {
        "id": draw(st.integers(0, 99)),
        "priority": draw(st.sampled_from([*spec["priorities"], None, "Nope"])),
        "plan": draw(st.sampled_from([*spec["plans"], None])),
        "addons": draw(st.lists(st.sampled_from(spec["addons"]), max_size=1, unique=True)) if spec["addons"] else (),
        "opened_at": opened,
        "now": opened + timedelta(seconds=draw(offsets)),
    }
    if spec["channels"] and draw(st.booleans()):
        ticket["channel"] = draw(st.sampled_from(spec["channels"]))
    if draw(st.booleans()):
        ticket["first_response_at"] = opened + timedelta(seconds=draw(offsets))
    if draw(st.booleans()):
        ticket["resolved_at"] = opened + timedelta(seconds=draw(offsets))
    pauses = []
    for _ in range(draw(st.integers(0, 2))):
        start = opened + timedelta(seconds=draw(offsets))
        pauses.append((start, start + timedelta(seconds=draw(st.integers(0, 3 * 86400)))))
    ticket["pauses"] = pauses
    return ticket


@pytest.mark.parametrize("stem", sorted(PAIRS))
@SETTINGS
@given(data=st.data())
def test_tickets_and_due_agree(stem, data):
    module, loaded = PAIRS[stem]
    assert module.CONTRACT == loaded.CONTRACT
    ticket = data.draw(tickets(loaded))
    assert answer(lambda: module.evaluate_ticket(ticket)) == answer(lambda: loaded.evaluate_ticket(ticket))
    metric = data.draw(st.sampled_from(["response", "resolution", "update", "pickup"]))
    args = (metric, ticket["priority"], ticket["opened_at"])
    kwargs = {"plan": ticket["plan"], "addons": ticket["addons"], "channel": ticket.get("channel"),
              "pauses": ticket["pauses"]}
    assert answer(lambda: module.due(*args, **kwargs)) == answer(lambda: loaded.due(*args, **kwargs))
    del kwargs["pauses"]
    assert answer(lambda: module.target(*args[:2], **kwargs)) == answer(lambda: loaded.target(*args[:2], **kwargs))
    elapsed = timedelta(seconds=data.draw(st.integers(0, 10 * 3600)))
    assert answer(lambda: module.escalation(ticket["plan"], elapsed)) == answer(
        lambda: loaded.escalation(ticket["plan"], elapsed))


@pytest.mark.parametrize("stem", sorted(s for s, (m, _) in PAIRS.items() if m.CONTRACT["services"]))
@SETTINGS
@given(data=st.data())
def test_availability_agrees(stem, data):
    module, loaded = PAIRS[stem]
    service = data.draw(st.sampled_from(loaded.CONTRACT["services"]))
    year = data.draw(st.integers(2020, 2035))
    period = data.draw(st.sampled_from([f"{year}-{m:02d}" for m in range(1, 13)] + [f"{year}-Q2", str(year)]))
    start = datetime(year, 1, 1, tzinfo=timezone.utc)
    spans = st.tuples(st.integers(0, 365 * 86400), st.integers(0, 2 * 86400))
    outages = []
    for offset, length in data.draw(st.lists(spans, max_size=4)):
        a = start + timedelta(seconds=offset)
        record = {"start": a, "end": a + timedelta(seconds=length)}
        if data.draw(st.booleans()):
            record["reported_at"] = a + timedelta(seconds=data.draw(st.integers(0, 3600)))
        if data.draw(st.booleans()):
            record["detected_at"] = a + timedelta(seconds=data.draw(st.integers(0, 3600)))
        outages.append(record)
    windows = [(start + timedelta(seconds=o), start + timedelta(seconds=o + n))
               for o, n in data.draw(st.lists(spans, max_size=2))]
    works = [(start + timedelta(seconds=o), start + timedelta(seconds=o + n))
             for o, n in data.draw(st.lists(spans, max_size=3))]
    billing = data.draw(st.sampled_from(["monthly", "annual"]))
    assert answer(lambda: module.availability(service, period, outages, windows, maintenance=works, billing=billing)) \
        == answer(lambda: loaded.availability(service, period, outages, windows, maintenance=works, billing=billing))
    # A quarter or a year of a monthly service: one answer per month and the total.
    assert answer(lambda: module.availability_periods(service, period, outages, windows, maintenance=works,
                                                      billing=billing)) \
        == answer(lambda: loaded.availability_periods(service, period, outages, windows, maintenance=works,
                                                      billing=billing))
