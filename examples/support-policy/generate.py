"""Write a synthetic Zendesk export for the Northwind Cloud support policy (support-policy.sla).

    python generate.py --tickets 100000 --seed 14 -o build/

writes `build/tickets.jsonl` (one Zendesk ticket object a line, as the incremental ticket export
gives them) and `build/audits.jsonl` (one ticket audit a line, as `GET /api/v2/tickets/{id}/audits`
lists them), with Zendesk's own field names and values: `priority` is `urgent`, `high`, `normal`,
`low` or null; statuses are `new`, `open`, `pending`, `solved`; the plan is a tag (`plan_std`,
`plan_biz`, `plan_ent`). The export is taken at 2026-07-01T00:00:00Z: nothing happens after it,
and the tickets opened last are still open.

The first tickets are the worked examples of README.md ("Tickets to check by hand"), with fixed
timelines; the rest are random but reproducible (the same seed gives the same bytes). Standard
library only.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

UTC = timezone.utc
EXPORTED_AT = datetime(2026, 7, 1, tzinfo=UTC)
FIRST_OPENING = datetime(2026, 1, 5, tzinfo=UTC)
PLANS = (("plan_std", 50), ("plan_biz", 35), ("plan_ent", 15))
PRIORITIES = (("urgent", 5), ("high", 20), ("normal", 50), ("low", 20), (None, 5))
# Typical first-reply delay (seconds) by priority: what the agents manage, not the targets.
REPLY_DELAY = {"urgent": 1500, "high": 4 * 3600, "normal": 10 * 3600, "low": 30 * 3600, None: 12 * 3600}
AGENTS = range(1, 41)

# The worked examples (README.md "Tickets to check by hand"): (tag, priority, opened, timeline),
# each timeline entry (offset from the opening, kind, value). Instants are UTC.
GOLDEN = (
    # Business / urgent, 24x7: respond 1h, resolve 8h, update every 4h. Opened Sat 2026-05-02
    # 02:00Z, replied 02:45, waited on the customer 03:00-05:00, solved 09:00: the resolution
    # is due 12:00 (8 h + the 2 h pause), met.
    ("plan_biz", "urgent", datetime(2026, 5, 2, 2, 0, tzinfo=UTC), (
        (timedelta(minutes=45), "reply", None),
        (timedelta(hours=1), "status", "pending"),
        (timedelta(hours=3), "customer", None),
        (timedelta(hours=7), "status", "solved"))),
    # Standard / normal: respond 1 business day on Mon-Fri 08:00-18:00 New York. Opened Fri
    # 2026-05-22 16:00 EDT (20:00Z); Mon May 25 is Memorial Day (last Mon of May), so the
    # response is due Tue May 26 16:00 EDT (20:00Z); replied Tue 17:00 EDT: breached.
    ("plan_std", "normal", datetime(2026, 5, 22, 20, 0, tzinfo=UTC), (
        (timedelta(days=4, hours=1), "reply", None),)),
    # Enterprise / high: respond 2h in business hours. Opened Mon 2026-06-29 17:30 EDT
    # (21:30Z): 30 min that evening, 1h30 on Tue from 08:00, due Tue 09:30 EDT (13:30Z). No
    # reply at the export (2026-06-30 20:00 EDT): breached.
    ("plan_ent", "high", datetime(2026, 6, 29, 21, 30, tzinfo=UTC), ()),
    # Enterprise / normal with no priority set in Zendesk: `--default-priority Normal`, respond
    # 4h. Opened Tue 2026-06-30 15:00 EDT (19:00Z), no reply by the export at 20:00 EDT: 3 h
    # used by 18:00, pending, 1 h left, due Wed 09:00 EDT (13:00Z).
    ("plan_ent", None, datetime(2026, 6, 30, 19, 0, tzinfo=UTC), ()),
    # Standard / normal: respond 1 business day. Opened Thu 2026-06-18 17:00 EDT (21:00Z); Fri
    # June 19 is Juneteenth (`Jun 19 observed`), so one business day later is Mon June 22 17:00
    # EDT. Replied Mon 16:30 EDT: met, 9 h 30 used (1 h Thursday, 8 h 30 Monday).
    ("plan_std", "normal", datetime(2026, 6, 18, 21, 0, tzinfo=UTC), (
        (timedelta(days=3, hours=23, minutes=30), "reply", None),)),
    # Business / high: resolve 3 business days, update every 1 business day. Opened Tue
    # 2026-06-30 14:00 EDT (18:00Z), replied 14:30 asking a question (pending), no answer by the
    # export (20:00 EDT): both clocks paused since 14:30 (3 h 30 of office time so far).
    # Resolution: 3 business days is Mon July 6 14:00 (Fri July 3 is Independence Day observed),
    # + 3 h 30 = 17:30; 29 h 30 left. Update: Wed 14:30 + 3 h 30 = Wed 18:00; 10 h left.
    ("plan_biz", "high", datetime(2026, 6, 30, 18, 0, tzinfo=UTC), (
        (timedelta(minutes=30), "reply", None),
        (timedelta(minutes=30), "status", "pending"))),
)


def _z(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Writer:
    """Zendesk objects for one ticket at a time."""

    def __init__(self, tickets, audits) -> None:
        self.tickets, self.audits = tickets, audits
        self.audit_id = 5_000_000
        self.event_id = 90_000_000

    def _event(self, **fields) -> dict:
        self.event_id += 1
        return {"id": self.event_id, **fields}

    def audit(self, ticket_id: int, at: datetime, author: int, events: list) -> None:
        if at >= EXPORTED_AT:
            return  # the export is taken at EXPORTED_AT: later audits do not exist yet
        self.audit_id += 1
        self.audits.write(json.dumps({
            "id": self.audit_id, "ticket_id": ticket_id, "created_at": _z(at),
            "author_id": author, "metadata": {"system": {}, "custom": {}},
            "via": {"channel": "web", "source": {"from": {}, "to": {}, "rel": None}},
            "events": events}) + "\n")

    def ticket(self, ticket_id: int, tag: str, priority, opened: datetime, status: str,
               requester: int) -> None:
        self.tickets.write(json.dumps({
            "url": f"https://northwind.zendesk.com/api/v2/tickets/{ticket_id}.json",
            "id": ticket_id, "created_at": _z(opened), "updated_at": _z(opened),
            "type": "incident" if priority in ("urgent", "high") else "question",
            "subject": f"Ticket {ticket_id}", "priority": priority, "status": status,
            "requester_id": requester, "submitter_id": requester, "assignee_id": None,
            "organization_id": 360000 + requester % 900, "group_id": 20,
            "tags": [tag, "northwind"], "via": {"channel": "web"}, "custom_fields": []}) + "\n")

    def timeline(self, ticket_id: int, tag: str, priority, opened: datetime, steps,
                 requester: int, agent: int) -> None:
        """The Create audit, then one audit per step; the ticket's last status is exported."""
        self.audit(ticket_id, opened, requester, [
            self._event(type="Create", field_name="status", value="new"),
            self._event(type="Create", field_name="priority", value=priority),
            self._event(type="Comment", body="(description)", public=True, author_id=requester)])
        status, current = "new", priority
        for offset, kind, value in steps:
            at = opened + offset
            if at >= EXPORTED_AT:
                break
            if kind == "reply":
                events = [self._event(type="Comment", body="(answer)", public=True, author_id=agent)]
                if status == "new":
                    events.append(self._event(type="Change", field_name="status", value="open",
                                              previous_value="new"))
                    status = "open"
                self.audit(ticket_id, at, agent, events)
            elif kind == "note":
                self.audit(ticket_id, at, agent, [self._event(
                    type="Comment", body="(internal note)", public=False, author_id=agent)])
            elif kind == "customer":
                events = [self._event(type="Comment", body="(reply)", public=True, author_id=requester)]
                if status in ("pending", "solved"):
                    events.append(self._event(type="Change", field_name="status", value="open",
                                              previous_value=status))
                    status = "open"
                self.audit(ticket_id, at, requester, events)
            elif kind == "status":
                self.audit(ticket_id, at, agent, [self._event(
                    type="Change", field_name="status", value=value, previous_value=status)])
                status = value
            elif kind == "priority":
                self.audit(ticket_id, at, agent, [self._event(
                    type="Change", field_name="priority", value=value, previous_value=current)])
                current = value
        self.ticket(ticket_id, tag, current, opened, status, requester)


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


def random_steps(rng: random.Random, priority) -> list:
    """A plausible life: a first reply, maybe a wait on the customer, updates, a solve, maybe
    a reopening; offsets from the opening."""
    steps = []
    t = timedelta(seconds=int(rng.expovariate(1 / REPLY_DELAY[priority])) + 60)
    if rng.random() < 0.1:
        steps.append((t / 2, "note", None))
    steps.append((t, "reply", None))
    if rng.random() < 0.08 and priority in ("normal", "low"):
        t += timedelta(seconds=rng.randrange(600, 7200))
        steps.append((t, "priority", "high"))
    if rng.random() < 0.4:  # the agent asks the customer something
        t += timedelta(seconds=rng.randrange(300, 4 * 3600))
        steps.append((t, "reply", None))
        steps.append((t, "status", "pending"))
        if rng.random() < 0.1:
            return steps  # the customer never answers: the ticket waits, paused
        t += timedelta(seconds=int(rng.expovariate(1 / (20 * 3600))) + 60)
        steps.append((t, "customer", None))
    for _ in range(rng.randrange(0, 3)):
        t += timedelta(seconds=int(rng.expovariate(1 / (3 * 3600))) + 60)
        steps.append((t, "reply", None))
    if rng.random() < 0.9:
        t += timedelta(seconds=int(rng.expovariate(1 / (6 * 3600))) + 60)
        steps.append((t, "status", "solved"))
        if rng.random() < 0.05:  # reopened by the customer, solved again
            t += timedelta(seconds=rng.randrange(3600, 3 * 86400))
            steps.append((t, "customer", None))
            t += timedelta(seconds=rng.randrange(600, 8 * 3600))
            steps.append((t, "reply", None))
            steps.append((t + timedelta(seconds=60), "status", "solved"))
    return steps


def generate(count: int, seed: int, out: Path) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    span = int((EXPORTED_AT - FIRST_OPENING).total_seconds()) - 3600
    with open(out / "tickets.jsonl", "w", encoding="utf-8", newline="\n") as tickets, \
            open(out / "audits.jsonl", "w", encoding="utf-8", newline="\n") as audits:
        writer = Writer(tickets, audits)
        for i in range(count):
            ticket_id = 100_001 + i
            requester = 700_000 + rng.randrange(5000)
            agent = rng.choice(AGENTS)
            if i < len(GOLDEN):
                tag, priority, opened, steps = GOLDEN[i]
            else:
                tag, priority = _pick(rng, PLANS), _pick(rng, PRIORITIES)
                opened = FIRST_OPENING + timedelta(seconds=rng.randrange(span))
                steps = random_steps(rng, priority)
            writer.timeline(ticket_id, tag, priority, opened, steps, requester, agent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("-o", "--output", type=Path, default=Path("build"))
    args = parser.parse_args()
    if args.tickets < len(GOLDEN):
        parser.error(f"--tickets: at least {len(GOLDEN)} (the worked examples)")
    generate(args.tickets, args.seed, args.output)


if __name__ == "__main__":
    main()
