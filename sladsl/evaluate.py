"""Batch evaluation: a checked contract, its evaluator and tickets -> verdicts and summaries.

A pipeline stage (docs/architecture.md): `Evaluation` takes validated tickets (`sladsl.data`) a
chunk at a time and answers, per ticket and metric with a per-ticket target, the due instant, the
status, the business time used and left, and keeps the tallies behind the summary (per plan,
priority and metric) and the proportion targets ("85% within 2h per month"). The CLI
(`sladsl eval`, `sladsl explain`) only parses options, reads, prints and writes.

Tickets without pauses are grouped by (calendar, target size): durations are answered with the
batch runtime (`Calendar.add_many` / `elapsed_many`), business days with the calendar's
`add_business_days_epoch`; paused tickets take the per-ticket `due()`. Both paths give what
`evaluate_ticket` gives (tests/test_evaluate.py checks it on random tickets).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction

from sladsl.data import Ticket, to_datetime

__all__ = ["METRICS", "STATUSES", "Evaluation", "Verdict", "period_label"]

METRICS = ("response", "resolution", "update", "pickup")
STATUSES = ("met", "breached", "pending")
_EVENT_FIELD = {"response": "responded", "resolution": "resolved"}
_MISSING = object()
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _micro(value: datetime) -> int:
    return (value - _EPOCH) // timedelta(microseconds=1)


class Verdict:
    """One metric of one ticket."""

    __slots__ = ("metric", "target", "due", "event", "status", "used", "left", "proportion")

    def __init__(self, metric, target, due, event, status, used, left) -> None:
        self.metric, self.target, self.due, self.event = metric, target, due, event
        self.status, self.used, self.left = status, used, left
        self.proportion = None  # (proportion key, met_by_ticket: bool | None)


class Evaluation:
    """Evaluates tickets chunk by chunk and keeps the summary tallies."""

    def __init__(self, contract, evaluator, now: datetime) -> None:
        self.contract, self.ev = contract, evaluator
        self.now_us = _micro(now)
        self.now_s = self.now_us // 1_000_000
        self.metrics = tuple(m for m in METRICS if m in set(evaluator.CONTRACT.get("metrics") or METRICS))
        self.targets: dict = {}
        self.calendars: dict = {}
        self.zones: dict = {}
        self.summary: dict = {}  # (plan, priority, metric) -> [met, breached, pending]
        self.proportions = _proportion_targets(contract)
        self.tallies: dict = {}  # (proportion key, period label) -> [met, missed, pending]

    def calendar(self, name: str):
        cal = self.calendars.get(name)
        if cal is None:
            cal = self.calendars[name] = self.ev.calendar(name)
        return cal

    def target(self, metric: str, ticket: Ticket):
        key = (metric, ticket.priority, ticket.plan, ticket.addons, ticket.channel)
        found = self.targets.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = self.ev.target(metric, ticket.priority, plan=ticket.plan,
                                       addons=ticket.addons, channel=ticket.channel)
            except ValueError:
                found = None  # no target for this metric: not evaluated
            if found is not None and found.get("proportion") is not None:
                found = None  # a proportion target is judged over a period, not per ticket
            self.targets[key] = found
        return found

    def run(self, tickets: list[Ticket]) -> list[list[Verdict]]:
        """Verdicts per ticket (metric order), batched by (calendar, duration)."""
        out: list[list[Verdict]] = [[] for _ in tickets]
        groups: dict = {}
        for i, ticket in enumerate(tickets):
            for metric in self.metrics:
                target = self.target(metric, ticket)
                if target is None:
                    continue
                verdict = Verdict(metric, target, None, self.event(metric, ticket), None, None, None)
                out[i].append(verdict)
                if ticket.pauses:
                    self.one(ticket, verdict)
                else:
                    groups.setdefault((target["calendar"], target["seconds"],
                                       target["business_days"]), []).append((ticket, verdict))
        for (calendar, seconds, days), members in groups.items():
            self._batch(self.calendar(calendar), seconds, days, members)
        for ticket, verdicts in zip(tickets, out):
            for verdict in verdicts:
                tally = self.summary.setdefault((ticket.plan, ticket.priority, verdict.metric), [0, 0, 0])
                tally[("met", "breached", "pending").index(verdict.status)] += 1
        self._judge_proportions(tickets, out)
        return out

    @staticmethod
    def event(metric: str, ticket: Ticket):
        field = _EVENT_FIELD.get(metric)
        return getattr(ticket, field) if field else None

    def _status(self, due_s: int, event_us):
        due_us = due_s * 1_000_000
        if event_us is not None:
            return "breached" if event_us > due_us else "met"  # at the due instant: on time
        return "breached" if self.now_us > due_us else "pending"

    def one(self, ticket: Ticket, verdict: Verdict) -> None:
        """The per-ticket path (paused tickets): `due()` of the evaluator API."""
        zone = timezone.utc
        due = self.ev.due(verdict.metric, ticket.priority, to_datetime(ticket.opened, zone),
                          plan=ticket.plan, addons=ticket.addons, channel=ticket.channel,
                          pauses=[(to_datetime(a, zone), to_datetime(b, zone)) for a, b in ticket.pauses])
        cal = self.calendar(verdict.target["calendar"])
        pauses = [(a // 1_000_000, b // 1_000_000) for a, b in ticket.pauses]
        start = ticket.opened // 1_000_000
        verdict.due = int(due.timestamp())
        verdict.status = self._status(verdict.due, verdict.event)
        end = verdict.event // 1_000_000 if verdict.event is not None else self.now_s
        verdict.used = cal.elapsed_epoch(start, end, pauses)
        verdict.left = self._left(cal, verdict, pauses)

    def _left(self, cal, verdict: Verdict, pauses=()):
        if verdict.status != "pending":
            return None
        return cal.elapsed_epoch(self.now_s, verdict.due, pauses)

    def _batch(self, cal, seconds: int | None, days: int | None, members) -> None:
        """Tickets without pauses sharing a calendar and a target size.

        Durations go through `add_many`; business days have no batch form, so each ticket takes
        `add_business_days_epoch`, the function `due()` itself ends in (without the datetime
        round trips).
        """
        starts = [t.opened // 1_000_000 for t, _ in members]
        if days is None:
            dues = cal.add_many(starts, [seconds] * len(starts))
        else:
            add_days = cal.add_business_days_epoch
            dues = [add_days(start, days) for start in starts]
        ends = []
        for (ticket, verdict), due in zip(members, dues):
            verdict.due = int(due)
            verdict.status = self._status(verdict.due, verdict.event)
            ends.append(verdict.event // 1_000_000 if verdict.event is not None else self.now_s)
        used = cal.elapsed_many(starts, ends)
        pending = [v for _, v in members if v.status == "pending"]
        left = cal.elapsed_many([self.now_s] * len(pending), [v.due for v in pending]) if pending else []
        for (_, verdict), u in zip(members, used):
            verdict.used = int(u)
        for verdict, l in zip(pending, left):
            verdict.left = int(l)

    def _judge_proportions(self, tickets, out) -> None:
        """Tally "85% within 2h per month" targets over the period each ticket was opened in."""
        if not self.proportions:
            return
        groups: dict = {}
        for i, ticket in enumerate(tickets):
            for key, spec in self.proportions.items():
                if ticket.priority not in spec["priorities"] or (
                        spec["plan"] is not None and ticket.plan != spec["plan"]):
                    continue
                calendar = spec["calendar"] or _plan_hours(self.contract, ticket.plan)
                if calendar is None:
                    continue
                groups.setdefault((calendar, spec["seconds"]), []).append((i, ticket, key))
        for (calendar, seconds), members in groups.items():
            cal = self.calendar(calendar)
            dues = cal.add_many([t.opened // 1_000_000 for _, t, _ in members],
                                [seconds] * len(members))
            for (i, ticket, key), due in zip(members, dues):
                spec = self.proportions[key]
                status = self._status(int(due), self.event(spec["metric"], ticket))
                period = period_label(ticket.opened, spec["period"], self._zone(spec["zone"]))
                tally = self.tallies.setdefault((key, period), [0, 0, 0])
                tally[("met", "breached", "pending").index(status)] += 1
                met = {"met": True, "breached": False}.get(status)
                for verdict in out[i]:
                    if verdict.metric == spec["metric"]:
                        verdict.proportion = (key, met)

    def _zone(self, name: str | None):
        if name not in self.zones:
            from sladsl.runtime import parse_zone

            self.zones[name] = parse_zone(name) if name else timezone.utc
        return self.zones[name]


def _plan_hours(contract, plan: str | None) -> str | None:
    if plan is None:
        return None
    try:
        return contract.plan(plan).hours
    except KeyError:
        return None


def _proportion_targets(contract) -> dict:
    """Proportion targets keyed by their source: one judgment per written sentence."""
    found: dict = {}
    sources = [(None, contract.targets)] + [(p.name, p.targets) for p in contract.plans]
    for plan, targets in sources:
        for target in targets:
            if target.proportion is None or target.duration.seconds is None:
                continue
            line = getattr(target.span, "line", 0) or 0
            key = (target.metric, target.duration.seconds, target.calendar, target.proportion,
                   target.proportion_period, target.origin if plan is None else f"plan {plan}", line)
            spec = found.setdefault(key, {
                "metric": target.metric, "seconds": target.duration.seconds,
                "calendar": target.calendar, "percent": target.proportion,
                "period": target.proportion_period, "plan": plan, "priorities": set(),
                "text": f"{target.duration.text} for {_number(target.proportion)}%"
                        + (f" per {target.proportion_period}" if target.proportion_period else ""),
                "zone": contract.zone, "source_line": line or None,
            })
            spec["priorities"].add(target.priority)
            if target.priority is None:
                spec["priorities"].update(p.name for p in contract.priorities)
    # An inherited target appears in every plan that inherits it; keep the contract-level one.
    return found


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def period_label(micro: int, period: str | None, zone) -> str:
    if period is None:
        return "all"
    local = to_datetime(micro, zone)
    if period == "month":
        return f"{local.year:04d}-{local.month:02d}"
    if period == "quarter":
        return f"{local.year:04d}-Q{(local.month - 1) // 3 + 1}"
    if period == "year":
        return f"{local.year:04d}"
    if period == "week":
        iso = local.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if period == "day":
        return local.date().isoformat()
    return "all"


def summary_rows(run: Evaluation) -> list[dict]:
    rank = {name: i for i, name in enumerate(run.ev.CONTRACT.get("priorities") or ())}
    rows = []
    for (plan, priority, metric), (met, breached, pending) in sorted(
            run.summary.items(),
            key=lambda kv: (kv[0][0] or "", rank.get(kv[0][1], 99), METRICS.index(kv[0][2]))):
        decided = met + breached
        rows.append({
            "plan": plan, "priority": priority, "metric": metric, "tickets": decided + pending,
            "met": met, "breached": breached, "pending": pending,
            "compliance": (Fraction(100 * met, decided)) if decided else None,
        })
    return rows


def proportion_rows(run: Evaluation) -> list[dict]:
    rows = []
    for (key, period), (met, missed, pending) in sorted(run.tallies.items(),
                                                        key=lambda kv: (str(kv[0][0]), kv[0][1])):
        spec = run.proportions[key]
        decided = met + missed
        actual = Fraction(100 * met, decided) if decided else None
        if actual is None:
            verdict = "pending"
        elif actual >= spec["percent"]:
            verdict = "met" if not pending or Fraction(100 * met, decided + pending) >= spec["percent"] \
                else "pending"
        else:
            verdict = "missed" if Fraction(100 * (met + pending), decided + pending) < spec["percent"] \
                else "pending"
        rows.append({
            "target": spec["text"], "metric": spec["metric"], "plan": spec["plan"],
            "period": period, "required": (spec["percent"]),
            "met": met, "missed": missed, "pending": pending,
            "actual": (actual), "verdict": verdict, "source_line": spec["source_line"],
        })
    return rows
