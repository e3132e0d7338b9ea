"""Batch evaluation: a checked contract, its evaluator and tickets -> verdicts and summaries.

A pipeline stage (docs/architecture.md): `Evaluation` takes validated tickets (`sladsl.data`) a
chunk at a time and answers, per ticket and metric with a per-ticket target, the due instant, the
status, the business time used and left, and keeps the tallies behind the summary (per plan,
priority and metric) and the proportion targets ("85% within 2h per month"). The CLI
(`sladsl eval`, `sladsl explain`) only parses options, reads, prints and writes.

A chunk is evaluated as columns: tickets are grouped by the target that governs each metric
(looked up once per distinct (priority, plan, add-ons, channel)), and each group is answered with
the batch runtime: due instants by `add_many` / `add_business_days_many`, used and left business
time by `elapsed_many`, statuses by array comparison (`verdict_status_codes`). Paused tickets take
the evaluator's `due()` and the calendar's scalar `elapsed_epoch`. The rules (target lookup,
breach at the edge, which proportion target covers a ticket) are the runtime evaluator's own
(`sladsl/runtime/evaluator.py`); tests/test_evaluate.py checks the stage against
`evaluate_ticket`. Without NumPy the same code runs on lists through the runtime's scalar loops.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from fractions import Fraction

from sladsl.data import NONE, DataError, Ticket, TicketChunk, instant_formatter, to_datetime
from sladsl.runtime.batch import add_business_days_many
from sladsl.runtime.coverage import Restored
from sladsl.numbers import decimal_text
from sladsl.runtime.evaluator import (NOT_JUDGED, START_REASONS, STATUSES, STOPPED_BY_RESOLUTION,
                                      cadence_verdict, cycles_verdict, judged_status,
                                      reason_text, started_cycles, stop_event,
                                      verdict_status_codes)

__all__ = ["METRICS", "STATUSES", "NOT_JUDGED", "Evaluation", "Verdict", "Group", "ChunkVerdicts",
           "period_label", "summary_rows", "proportion_rows", "not_judged_rows"]

METRICS = ("response", "resolution", "update", "pickup")
_EVENT_COLUMN = {"response": 1, "resolution": 2}  # index into TicketChunk.arrays()
_EVENT_FIELD = {"response": "responded", "resolution": "resolved", "update": "updated"}
_MISSING = object()
FIRST_ROWS = 5  # rows listed per reason a ticket is not judged
_FIELD_WORDS = {"pauses": "its pauses", "first_response_at": "its first response",
                "resolved_at": "its resolution"}
_REASON_CODES = (None, "resolved", "not_opened", "no_events", "no_statuses", "not_started",
                 "no_contact", "no_priority_set")  # NumPy codes of REASONS
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MET = {"met": True, "breached": False}  # met_by_ticket of a proportion (else None)


def _seconds(cycles) -> list:
    """Cycles in UTC microseconds -> whole seconds (decision 1: instants read at seconds)."""
    return [(a // 1_000_000, None if b is None else b // 1_000_000,
             [(p // 1_000_000, q // 1_000_000) for p, q in pauses]) for a, b, pauses in cycles]


def _chunk_cycles(chunk: TicketChunk, i: int, metric: str) -> tuple:
    """`Evaluation.cycles` of the chunk's ticket `i`, without building the Ticket."""
    own = chunk.clocks.get(i, {}).get(metric) if chunk.clocks else None
    return own if own is not None else ((chunk.opened[i], None, chunk.pauses.get(i, ())),)


def _put(group, field: str, k: int, value) -> None:
    """Set position `k` of a group's `event` or `reason` column (a list, an array, or None)."""
    column = getattr(group, field)
    if column is None:
        column = [None] * len(group.idx)
    elif not isinstance(column, list):
        column = [None if e == NONE else e for e in column.tolist()]
    column[k] = value
    setattr(group, field, column)


def _micro(value: datetime) -> int:
    return (value - _EPOCH) // timedelta(microseconds=1)


def _numpy():
    try:
        import numpy
    except ImportError:
        return None
    return numpy


class Verdict:
    """One metric of one ticket. `event` is the instant that stopped its clock (UTC
    microseconds, the resolution when it stopped the clock first), `reason` the text beside a
    "not judged" status or a clock stopped by the resolution (runtime REASONS), else None.
    `target` is None for a ticket or metric no target judges (`ChunkVerdicts.unjudged`)."""

    __slots__ = ("metric", "target", "due", "event", "status", "used", "left", "proportion",
                 "reason")

    def __init__(self, metric, target, due, event, status, used, left, reason=None) -> None:
        self.metric, self.target, self.due, self.event = metric, target, due, event
        self.status, self.used, self.left = status, used, left
        self.proportion = None  # (proportion key, met_by_ticket: bool | None)
        self.reason = reason


class Group:
    """One metric of the tickets of a chunk that share its governing target, as lists.

    `idx` ascending ticket indices; `due` epoch seconds; `status` indices into STATUSES; `used`
    seconds; `left` seconds or None (not pending); `event` the clock's stop instants (UTC
    microseconds or None); `reason` None (no ticket has one) or per ticket a runtime REASONS code
    or None; `proportion` None or, per ticket, (proportion key, met_by_ticket) or None.
    """

    __slots__ = ("metric", "rank", "target", "idx", "due", "status", "used", "left", "proportion",
                 "periods", "tally", "event", "reason")

    def __init__(self, metric, target, idx) -> None:
        self.metric, self.rank, self.target, self.idx = metric, METRICS.index(metric), target, idx
        self.due = self.status = self.used = self.left = self.proportion = None
        self.event = self.reason = None
        self.periods = ()  # (proportion key, period label, status index) to tally
        self.tally = ()  # ((plan, priority, metric), [met, breached, pending, not judged]) per key


class ChunkVerdicts:
    """The verdicts of one chunk: its (possibly narrowed) tickets, one `Group` per target, and
    `unjudged`: (ticket index, metric or "", reason) of what no target judges, so every ticket
    of the chunk has at least one row."""

    __slots__ = ("chunk", "groups", "unjudged")

    def __init__(self, chunk: TicketChunk, groups: list[Group], unjudged=()) -> None:
        self.chunk, self.groups, self.unjudged = chunk, groups, list(unjudged)

    @staticmethod
    def events(group: Group) -> list:
        """The instant that stopped the clock (UTC microseconds or None) of each ticket."""
        if isinstance(group.event, list):
            return group.event
        return [None if e == NONE else e for e in group.event.tolist()]

    @staticmethod
    def reasons(group: Group) -> list:
        """The reason text (or None) of each ticket of the group."""
        if group.reason is None:
            return [None] * len(group.idx)
        texts = {code: reason_text(code, group.metric) for code in set(group.reason)}
        return list(map(texts.__getitem__, group.reason))

    def verdicts(self) -> list[list[Verdict]]:
        """Per ticket, its verdicts in metric order (`Verdict` objects)."""
        out: list[list[Verdict]] = [[] for _ in range(len(self.chunk))]
        for group in sorted(self.groups, key=lambda g: g.rank):
            target = group.target
            proportion = group.proportion or [None] * len(group.idx)
            for i, due, status, used, left, event, share, reason in zip(
                    group.idx, group.due, group.status, group.used, group.left,
                    self.events(group), proportion, self.reasons(group)):
                verdict = Verdict(group.metric, target, due, event, STATUSES[status], used, left,
                                  reason)
                verdict.proportion = share
                out[i].append(verdict)
        if self.unjudged:
            for i, metric, reason in self.unjudged:
                out[i].append(Verdict(metric, None, None, None, STATUSES[NOT_JUDGED], None, None,
                                      reason))
            rank = {m: k for k, m in enumerate(METRICS)}
            for i in {i for i, _, _ in self.unjudged}:
                out[i].sort(key=lambda v: rank.get(v.metric, -1))
        return out


class Evaluation:
    """Evaluates tickets chunk by chunk and keeps the summary tallies.

    A ticket the runtime cannot answer (its due instant needs a year beyond the contract's
    frozen holidays, or an instant outside years 2..9998) is a `DataError` on its `opened_at`,
    or, with `skipped`, left out and counted there.
    """

    def __init__(self, contract, evaluator, now: datetime, *, skipped=None,
                 source: str = "tickets", update_events: bool = False) -> None:
        self.update_events = update_events
        self.contract, self.ev = contract, evaluator
        self.now_us = _micro(now)
        self.now_s = self.now_us // 1_000_000
        self.metrics = tuple(m for m in METRICS if m in set(evaluator.CONTRACT.get("metrics") or METRICS))
        self.skipped, self.source = skipped, source
        self.targets: dict = {}
        self.shares: dict = {}
        self.calendars: dict = {}
        self.zones: dict = {}
        self.summary: dict = {}  # (plan, priority, metric) -> [met, breached, pending, not judged]
        self.proportions: dict = {}  # proportion key -> its description, as targets are met
        self.tallies: dict = {}  # (proportion key, period label) -> [met, missed, pending]
        self.lookup_errors: dict = {}  # (metric, key) -> why its target cannot be judged
        self.unjudged_of: dict = {}  # key -> [(metric or "", reason)]
        self.not_judged: dict = {}  # reason -> [tickets, [first rows]]
        self.tickets = 0  # tickets given a row (judged or not)
        self.np = _numpy()

    def calendar(self, name: str):
        cal = self.calendars.get(name)
        if cal is None:
            cal = self.calendars[name] = self.ev.calendar(name)
        return cal

    @staticmethod
    def started(target, cycles: list, opened: int, starts: dict | None):
        """(cycles in seconds, None) of a metric's clock, from the event its target starts at
        (`from first contact`, `from priority set`: runtime `started_cycles`), or (the cycles
        from the opening, the reason code) when the ticket lacks that event."""
        kind = target.get("start")
        if kind is None:
            return cycles, None
        begin = (starts or {}).get(kind)
        if begin is None:
            return cycles, START_REASONS[kind]
        return list(started_cycles(cycles, opened // 1_000_000, begin // 1_000_000)), None

    def clock_calendar(self, cal, target, restored):
        """`cal`, or the clock of a target whose hours change at the ticket's restoration
        (`until restored then CAL`; `restored` in UTC microseconds or None)."""
        after = target.get("until_restored")
        if after is None or restored is None:
            return cal
        return Restored(cal, self.calendar(after), restored // 1_000_000)

    def target(self, metric: str, ticket: Ticket):
        """The governing per-ticket target of a metric for a ticket (evaluator data), or None;
        under the priority the metric's clock stopped under (Ticket.priorities)."""
        priority = (ticket.priorities or {}).get(metric, ticket.priority)
        return self._target(metric, (priority,) + ticket.key[1:])

    def _target(self, metric: str, key: tuple):
        found = self.targets.get((metric, key), _MISSING)
        if found is _MISSING:
            priority, plan, addons, channel, attributes = key
            try:
                found = self.ev.target(metric, priority, plan=plan, addons=addons, channel=channel,
                                       attributes=dict(attributes))
            except ValueError as error:
                found = None  # no target for this metric: not evaluated
                try:
                    self.ev._lookup(metric, priority, plan, addons, channel,
                                    self.ev._chosen(dict(attributes), channel))
                except ValueError:  # a target governs, but cannot be judged (e.g. no hours)
                    self.lookup_errors[(metric, key)] = str(error)
            if found is not None:
                # One dict per distinct target, so a group spans every key it governs.
                same = tuple(sorted((k, v) for k, v in found.items() if k != "priority"))
                found = self.targets.setdefault(("same", metric, same), found)
            self.targets[(metric, key)] = found
        return found

    def _unjudged(self, key: tuple) -> list:
        """[(metric or "", reason)] of a ticket key: each metric whose target cannot be judged,
        or one entry for the ticket when no target applies at all (decision 4: it still shows)."""
        found = self.unjudged_of.get(key)
        if found is None:
            found = []
            judged = False
            for metric in self.metrics:
                if self._target(metric, key) is not None:
                    judged = True
                elif (metric, key) in self.lookup_errors:
                    found.append((metric, self.lookup_errors[(metric, key)]))
            if not judged and not found:
                found.append(("", self._no_target(key)))
            self.unjudged_of[key] = found
        return found

    def _no_target(self, key: tuple) -> str:
        priority, plan, _addons, channel, _attributes = key
        plans = [p.name for p in self.contract.plans]
        who = f"priority `{priority}`" if priority else "a ticket without a priority"
        if channel:
            who += f" on channel `{channel}`"
        if plan:
            where = f"under plan `{plan}`"
        elif plans:
            where = "without a plan (plans: " + ", ".join(f"`{p}`" for p in plans) + ")"
        else:
            where = "in the contract"
        return f"no target applies to {who} {where}"

    def _share(self, metric: str, key: tuple):
        """(proportion key, description) of the proportion target covering the metric, or None."""
        found = self.shares.get((metric, key), _MISSING)
        if found is _MISSING:
            priority, plan, addons, channel, attributes = key
            try:
                share = self.ev.proportion_target(metric, priority, plan=plan, addons=addons,
                                                  channel=channel, attributes=dict(attributes))
            except ValueError:
                share = None
            found = None
            if share is not None:
                source = share["origin"] if share["plan"] is None else f"plan {share['plan']}"
                pkey = (share["metric"], share["seconds"], share["written_calendar"],
                        share["percent"], share["period"], source, share["source_line"] or 0)
                self.proportions.setdefault(pkey, {
                    "metric": share["metric"], "seconds": share["seconds"],
                    "business_days": share["business_days"], "calendar": share["calendar"],
                    "percent": share["percent"], "period": share["period"], "plan": share["plan"],
                    "text": f"{share['text']} for {decimal_text(share['percent'])}%"
                            + (f" per {share['period']}" if share["period"] else ""),
                    "zone": self.ev.CONTRACT.get("zone"), "source_line": share["source_line"],
                })
                found = pkey
            self.shares[(metric, key)] = found
        return found

    @staticmethod
    def event(metric: str, ticket: Ticket):
        """(instant, reason code): what stops the metric's clock for the ticket (UTC
        microseconds or None), the resolution when it comes first (runtime `stop_event`)."""
        field = _EVENT_FIELD.get(metric)
        event = getattr(ticket, field) if field else None
        if metric == "update":
            event = event[0] if event else None  # the first update
        return _stop(metric, event, ticket.resolved)

    def has_data(self, metric: str) -> bool:
        """Whether the tickets can carry the metric's event (update events come only from an
        event log, `update_events`); a metric without is not judged."""
        return metric in _EVENT_COLUMN or (metric == "update" and self.update_events)

    def missing(self, metric: str) -> str | None:
        """The reason code of a metric the data cannot judge at all (decision 3): its events are
        not carried, or the contract pauses its own clock on statuses only an event log has."""
        if not self.has_data(metric):
            return "no_events"
        if not self.update_events and metric in self.ev.spec["clock"]["metric_pause_statuses"]:
            return "no_statuses"
        return None

    # -- chunks ----------------------------------------------------------------------------------

    def run(self, tickets: list[Ticket]) -> list[list[Verdict]]:
        """Verdicts per ticket (metric order); the summary tallies count them."""
        result = self.run_chunk(TicketChunk.of(tickets))
        if len(result.chunk) == len(tickets):
            return result.verdicts()
        kept = iter(zip(result.chunk.rows, result.verdicts()))
        out, nxt = [], next(kept, None)
        for ticket in tickets:  # skipped tickets get no verdicts
            if nxt is not None and nxt[0] == ticket.row:
                out.append(nxt[1])
                nxt = next(kept, None)
            else:
                out.append([])
        return out

    def run_chunk(self, chunk: TicketChunk) -> ChunkVerdicts:
        """Verdicts of a chunk as groups of columns; the summary tallies count them."""
        while True:
            try:
                groups = self._groups(chunk)
                break
            except ValueError as error:
                if isinstance(error, DataError):
                    raise
                chunk = self._without_unanswerable(chunk, error)
        return self.close_chunk(chunk, groups)

    def close_chunk(self, chunk: TicketChunk, groups: list[Group]) -> ChunkVerdicts:
        """A chunk's verdicts once its groups are answered (here or by a SQL engine): tallied,
        and with a row for what no target judges, so every ticket shows (brief decision 4)."""
        self._tally(chunk, groups)
        self.tickets += len(chunk)
        return ChunkVerdicts(chunk, groups, self._unjudged_rows(chunk))

    def _unjudged_rows(self, chunk: TicketChunk) -> list:
        """(index, metric, reason) of the chunk's tickets no target judges, tallied by reason."""
        out = []
        per_key: dict = {}
        if self.np is not None:  # the common case: every distinct key has its targets
            distinct = chunk.key_codes(self.np)[0]
            per_key = {key: self._unjudged(key) for key in distinct}
            if not any(per_key.values()):
                return out
        for i, key in enumerate(chunk.keys):
            found = per_key.get(key)
            if found is None:
                found = per_key[key] = self._unjudged(key)
            for metric, reason in found:
                out.append((i, metric, reason))
                self._count_not_judged(reason, chunk.rows[i])
        return out

    def _groups(self, chunk: TicketChunk) -> list[Group]:
        np = self.np
        if np is not None:
            keys, codes = chunk.key_codes(np)
            order = np.argsort(codes, kind="stable")
            bounds = np.searchsorted(codes[order], np.arange(len(keys) + 1)).tolist()
            parts = [order[a:b] for a, b in zip(bounds, bounds[1:])]
        else:
            key_ids: dict = {}
            codes = [key_ids.setdefault(k, len(key_ids)) for k in chunk.keys]
            keys = list(key_ids)
            parts = [[] for _ in keys]
            for i, code in enumerate(codes):
                parts[code].append(i)
        # A clock that stopped before a priority change is judged under the priority it stopped
        # under (runtime/clock_rules.py): for that metric, the ticket counts under that key.
        of_metric = {m: (codes, parts) for m in self.metrics}
        key_ids = {key: code for code, key in enumerate(keys)}
        for metric, moved in self._reclassified(chunk, codes, key_ids).items():
            of_metric[metric] = self._regrouped(codes, moved, len(key_ids))
        keys = list(key_ids)
        members: dict = {}  # (metric, id(target)) -> [target, [key code, ...]]
        for code, key in enumerate(keys):
            for metric in self.metrics:
                target = self._target(metric, key)
                if target is not None:
                    members.setdefault((metric, id(target)), [target, []])[1].append(code)
        groups = []
        for (metric, _), (target, member_codes) in members.items():
            m_codes, m_parts = of_metric[metric]
            member_codes = [c for c in member_codes if c < len(m_parts) and len(m_parts[c])]
            if not member_codes:
                continue
            if np is not None:
                idx = np.sort(np.concatenate([m_parts[c] for c in member_codes]))
                group = Group(metric, target, idx.tolist())
                group_codes = m_codes[idx]
            else:
                idx = sorted(i for c in member_codes for i in m_parts[c])
                group = Group(metric, target, idx)
                group_codes = [m_codes[i] for i in idx]
            self._answer(chunk, group, keys, member_codes, group_codes)
            groups.append(group)
        return groups

    def _reclassified(self, chunk: TicketChunk, codes, key_ids: dict) -> dict:
        """metric -> {ticket index: key code} of the tickets whose clock of that metric stopped
        under another priority than the ticket's last one (new keys are added to `key_ids`)."""
        moved: dict = {}
        for i, by_metric in chunk.priorities.items():
            rest = chunk.keys[i][1:]  # (plan, addons, channel, attributes)
            for metric, priority in by_metric.items():
                if metric in self.metrics:
                    key = (priority,) + rest
                    moved.setdefault(metric, {})[i] = key_ids.setdefault(key, len(key_ids))
        return moved

    def _regrouped(self, codes, moved: dict, count: int):
        """(codes, parts) with the `moved` tickets under their new key codes."""
        np = self.np
        if np is not None:
            codes = codes.copy()
            codes[list(moved)] = list(moved.values())
            order = np.argsort(codes, kind="stable")
            bounds = np.searchsorted(codes[order], np.arange(count + 1)).tolist()
            return codes, [order[a:b] for a, b in zip(bounds, bounds[1:])]
        codes = list(codes)
        for i, code in moved.items():
            codes[i] = code
        parts: list[list[int]] = [[] for _ in range(count)]
        for i, code in enumerate(codes):
            parts[code].append(i)
        return codes, parts

    def _answer(self, chunk: TicketChunk, group: Group, keys, member_codes, codes) -> None:
        """Due, status, used and left of a group; with NumPy as arrays, else per element.

        Every instant is read at whole seconds (floor), so the breach rule compares the second
        of the event with the due instant, as `evaluate_ticket` does."""
        target = group.target
        cal = self.calendar(target["calendar"])
        if target.get("every") and group.metric == "update" and self.update_events:
            self._cadence(chunk, group, cal, keys, codes)
            return
        np = self.np
        starts, stops, stopped, events_us = self._instants(chunk, group.metric, group.idx)
        has_data = self.has_data(group.metric)
        missing = self.missing(group.metric)
        plain = None
        clocked = [i for i, clocks in chunk.clocks.items() if group.metric in clocks]
        if target.get("until_restored"):  # hours that change at a ticket's restoration
            clocked += list(chunk.restored)
        if target.get("start"):  # a clock that starts at an event: each ticket its own start
            clocked += list(group.idx)
        if chunk.pauses or clocked:  # positions in the group of the tickets without pauses
            special = list(chunk.pauses) + clocked
            if np is not None:
                paused = np.zeros(len(chunk), dtype=bool)
                paused[special] = True
                plain = np.flatnonzero(~paused[np.asarray(group.idx, dtype=np.int64)]).tolist()
            else:
                special_set = set(special)
                plain = [k for k, i in enumerate(group.idx) if i not in special_set]
        due = self._due(cal, target["seconds"], target["business_days"], starts, plain)
        now_s = self.now_s
        if np is not None:
            has = stops != NONE
            ends = np.where(has, stops, now_s)
            status = verdict_status_codes(due, stops, has, now_s)
            unopened = ~has & (starts > now_s)
            if missing:
                status[:] = NOT_JUDGED
            else:
                status[unopened] = NOT_JUDGED
            used = cal.elapsed_many(starts, ends)
            pending = np.flatnonzero(status == 2)
            left = np.full(len(starts), -1, dtype=np.int64)
            if len(pending):
                left[pending] = cal.elapsed_many(np.full(len(pending), now_s), due[pending])
            reasons = None
            if missing or unopened.any() or (stopped is not None and stopped.any()):
                why = np.zeros(len(starts), dtype=np.int64)
                if stopped is not None:
                    why[stopped] = 1
                why[unopened] = 2
                if missing:
                    why[:] = _REASON_CODES.index(missing)
                reasons = [_REASON_CODES[c] for c in why.tolist()]
        else:
            ends = [now_s if e is None else e for e in stops]
            judged = [judged_status(d, e, now_s, o, has_data)
                      for d, e, o in zip(due, stops, starts)]
            if missing:
                judged = [("not judged", missing)] * len(judged)
            status = [STATUSES.index(st) for st, _ in judged]
            used = cal.elapsed_many(starts, ends, use_numpy=False)
            left = [cal.elapsed_epoch(now_s, d) if s == 2 else -1 for d, s in zip(due, status)]
            reasons = [code or ("resolved" if stop else None)
                       for (_, code), stop in zip(judged, stopped or [False] * len(judged))]
            if not any(reasons):
                reasons = None
        due, status, used, left = (_as_list(a) for a in (due, status, used, left))
        group.event = events_us  # an array with NONE for none, or a list with None
        group.reason = reasons
        if plain is not None and len(plain) < len(group.idx):
            self._paused(chunk, group, cal, due, status, used, left, set(plain),
                         [None if e == NONE else e for e in _as_list(stops)])
        group.due, group.status, group.used = due, status, used
        group.left = [None if x < 0 else x for x in left]
        group.tally = self._counts(keys, codes, status, group.metric)
        shares = {c: self._share(group.metric, keys[c]) for c in member_codes}
        if any(shares.values()):
            self._judge_proportions(chunk, group, starts, stops, plain,
                                    [shares[c] for c in _as_list(codes)])

    def _cadence(self, chunk: TicketChunk, group: Group, cal, keys, codes) -> None:
        """`update every N`, ticket by ticket with the runtime's `cadence_verdict` (what
        `evaluate_ticket` runs): every update restarts the interval."""
        target = group.target
        due, status, used, left, events, reasons = [], [], [], [], [], []
        for i in group.idx:
            resolved = chunk.resolved[i]
            d, st, code, event, u, rest = cadence_verdict(
                self.clock_calendar(cal, target, chunk.restored.get(i)), target["seconds"], target["business_days"], chunk.opened[i] // 1_000_000,
                [x // 1_000_000 for x in chunk.updated.get(i, ())],
                None if resolved is None else resolved // 1_000_000, self.now_s,
                _seconds(_chunk_cycles(chunk, i, "update"))[0][2],
                None if chunk.responded[i] is None else chunk.responded[i] // 1_000_000,
                bool(target.get("after_response")))
            due.append(d)
            status.append(STATUSES.index(st))
            used.append(u)
            left.append(rest)
            events.append(None if event is None else event * 1_000_000)
            reasons.append(code)
        group.due, group.status, group.used, group.left = due, status, used, left
        group.event, group.reason = events, reasons if any(reasons) else None
        group.tally = self._counts(keys, codes, status, group.metric)

    def _counts(self, keys, codes, status, metric) -> list:
        """[((plan, priority, metric), [met, breached, pending, not judged]), ...] of a group."""
        np = self.np
        width = len(STATUSES)
        if np is not None:
            counts = np.bincount(codes * width + np.asarray(status, dtype=np.int64),
                                 minlength=width * len(keys)).reshape(-1, width).tolist()
        else:
            counts = [[0] * width for _ in keys]
            for code, st in zip(codes, status):
                counts[code][st] += 1
        return [((keys[c][1], keys[c][0], metric), n) for c, n in enumerate(counts) if any(n)]

    def _instants(self, chunk: TicketChunk, metric: str, idx: list[int]):
        """Of the tickets `idx`: opening seconds; the seconds of the instant that stops the
        metric's clock (`NONE` / None when none: its own event, or the resolution when that is
        earlier, runtime `stop_event`); whether the resolution stopped it (None: never); and the
        stop instants in UTC microseconds as the data gives them (for output)."""
        np = self.np
        column = _EVENT_COLUMN.get(metric)
        stoppable = metric in STOPPED_BY_RESOLUTION
        updates = metric == "update" and self.update_events
        if np is not None:
            arrays = chunk.arrays(np)
            at = np.asarray(idx, dtype=np.int64)
            opened = arrays[0][at] // 1_000_000
            if updates:
                events = np.asarray([(chunk.updated.get(i) or (NONE,))[0] for i in idx],
                                    dtype=np.int64)
            else:
                events = arrays[column][at] if column is not None else np.full(len(idx), NONE)
            stopped = None
            if stoppable:
                resolved = arrays[2][at]
                r_s, e_s = resolved // 1_000_000, events // 1_000_000
                stopped = (resolved != NONE) & ((events == NONE) | (r_s < e_s))
                events = np.where(stopped, resolved, events)
            stops = np.where(events != NONE, events // 1_000_000, NONE)
            return opened, stops, stopped, events
        lists = (chunk.opened, chunk.responded, chunk.resolved)
        opened = [lists[0][i] // 1_000_000 for i in idx]
        own = (lambda i: (chunk.updated.get(i) or (None,))[0]) if updates else \
            (lambda i: lists[column][i] if column is not None else None)
        pairs = [_stop(metric, own(i), lists[2][i]) for i in idx]
        events = [e for e, _ in pairs]
        stopped = [why is not None for _, why in pairs] if stoppable else None
        stops = [None if e is None else e // 1_000_000 for e in events]
        return opened, stops, stopped, events

    def _due(self, cal, seconds, days, starts, plain):
        """Due instants (epoch seconds) without pauses: paused tickets are answered after."""
        np = self.np
        use = None if np is not None else False
        if plain is not None and np is not None:
            picked = np.asarray(plain, dtype=np.int64)
            part = self._due(cal, seconds, days, starts[picked], None)
            due = starts.copy()  # a placeholder inside the table for the paused ones
            due[picked] = part
            return due
        if plain is not None:
            part = iter(self._due(cal, seconds, days, [starts[k] for k in plain], None))
            keep = set(plain)
            return [next(part) if k in keep else starts[k] for k in range(len(starts))]
        if days is None:
            if np is None:
                return cal.add_many(starts, [seconds] * len(starts), use_numpy=False)
            return cal.add_many(starts, np.full(len(starts), seconds, dtype=np.int64))
        return add_business_days_many(cal, starts, days, use_numpy=use)

    def _paused(self, chunk, group, cal, due, status, used, left, plain, stops) -> None:
        """The per-ticket path for tickets of a group with pauses or their own clock (contract
        clock rules, runtime/clock_rules.py): the runtime's `cycles_verdict` on whole seconds, one
        cycle (the opening and the pauses) unless a reopening restarted the clock."""
        target, metric = group.target, group.metric
        has_data, missing = self.has_data(metric), self.missing(metric)
        now_s = self.now_s
        for k, i in enumerate(group.idx):
            if k in plain:
                continue
            cycles = _chunk_cycles(chunk, i, metric)
            judged, unstarted = self.started(target, _seconds(cycles), chunk.opened[i],
                                             chunk.starts.get(i))
            d, st, code, at, u, rest = cycles_verdict(
                self.clock_calendar(cal, target, chunk.restored.get(i)), target["seconds"],
                target["business_days"], judged, stops[k], now_s, has_data)
            if missing or unstarted:
                st, code, rest = "not judged", missing or unstarted, None
            due[k], status[k], used[k] = d, STATUSES.index(st), u
            left[k] = -1 if rest is None else rest
            if at != stops[k]:  # an earlier cycle decided: it ended at `at`
                _put(group, "event", k, next(e for _s, e, _p in cycles if e is not None
                                             and e // 1_000_000 == at))
                _put(group, "reason", k, None)
            if code is not None:
                _put(group, "reason", k, code)

    @staticmethod
    def cycles(ticket: Ticket, metric: str) -> tuple:
        """The ticket's cycles of a metric's clock (UTC microseconds): its own (events and the
        contract's clock rules), else one from the opening with the ticket's pauses."""
        own = (ticket.clocks or {}).get(metric)
        return own if own is not None else ((ticket.opened, None, ticket.pauses),)

    def one(self, ticket: Ticket, verdict: Verdict) -> None:
        """The per-ticket path (`explain`): the runtime's `cycles_verdict`, as `_paused`."""
        if verdict.target.get("every") and verdict.metric == "update" and self.update_events:
            chunk = TicketChunk.of([ticket])
            group = Group("update", verdict.target, [0])
            self._cadence(chunk, group, self.calendar(verdict.target["calendar"]),
                          [ticket.key], [0])
            verdict.due, verdict.status = group.due[0], STATUSES[group.status[0]]
            verdict.used, verdict.left, verdict.event = group.used[0], group.left[0], group.event[0]
            verdict.reason = ChunkVerdicts.reasons(group)[0]
            return
        verdict.event, why = self.event(verdict.metric, ticket)
        stop = verdict.event // 1_000_000 if verdict.event is not None else None
        cycles = self.cycles(ticket, verdict.metric)
        target = verdict.target
        judged, unstarted = self.started(target, _seconds(cycles), ticket.opened, ticket.starts)
        due, status, code, at, used, left = cycles_verdict(
            self.clock_calendar(self.calendar(target["calendar"]), target, ticket.restored),
            target["seconds"], target["business_days"], judged, stop, self.now_s,
            self.has_data(verdict.metric))
        missing = self.missing(verdict.metric) or unstarted
        if missing:
            status, code, left = "not judged", missing, None
        if at != stop:  # an earlier cycle decided: it ended at `at`
            verdict.event = next(e for _s, e, _p in cycles if e is not None and e // 1_000_000 == at)
            why = None
        verdict.due, verdict.status, verdict.used, verdict.left = due, status, used, left
        verdict.reason = reason_text(code or why, verdict.metric)

    def _judge_proportions(self, chunk, group, starts, stops, plain, shares) -> None:
        """Tally "85% within 2h per month" targets over the period each ticket was opened in.

        Which proportion target covers a ticket is the evaluator's lookup (`proportion_target`),
        and its due instant counts pauses as `evaluate_ticket` does. A ticket whose metric is
        not judged is not counted.
        """
        np = self.np
        by_share: dict = {}
        for k, pkey in enumerate(shares):
            if pkey is not None:
                by_share.setdefault(pkey, []).append(k)
        paused = set(range(len(group.idx))) - set(plain) if plain is not None else set()
        out = [None] * len(group.idx)
        periods = []
        stops = [None if e == NONE else e for e in _as_list(stops)]
        opened_s = _as_list(starts)
        opened_us = _as_list(chunk.arrays(np)[0][np.asarray(group.idx, dtype=np.int64)]) \
            if np is not None else [chunk.opened[i] for i in group.idx]
        for pkey, ks in by_share.items():
            spec = self.proportions[pkey]
            cal = self.calendar(spec["calendar"])
            sub = np.asarray(ks, dtype=np.int64) if np is not None else None
            sub_starts = starts[sub] if np is not None else [starts[k] for k in ks]
            due = _as_list(self._due(cal, spec["seconds"], spec["business_days"], sub_starts, None))
            own = {}  # position -> status, of tickets with pauses or their own clock
            for k in ks:
                if k in paused:
                    own[k] = cycles_verdict(
                        cal, spec["seconds"], spec["business_days"],
                        _seconds(_chunk_cycles(chunk, group.idx[k], group.metric)),
                        stops[k], self.now_s)[1]
            zone = self._zone(spec["zone"])
            labels = _period_labels([opened_us[k] for k in ks], spec["period"], zone)
            for j, k in enumerate(ks):
                if group.status[k] == NOT_JUDGED:
                    out[k] = (pkey, None)
                    continue
                status = STATUSES.index(own[k] if k in own else
                                        judged_status(due[j], stops[k], self.now_s, opened_s[k])[0])
                periods.append((pkey, labels[j], status))
                out[k] = (pkey, _MET.get(STATUSES[status]))
        group.proportion, group.periods = out, periods

    def _zone(self, name: str | None):
        if name not in self.zones:
            from sladsl.runtime import parse_zone

            self.zones[name] = parse_zone(name) if name else timezone.utc
        return self.zones[name]

    # -- tallies and errors ----------------------------------------------------------------------

    def _tally(self, chunk: TicketChunk, groups: list[Group]) -> None:
        summary = self.summary
        for group in groups:
            for key, counts in group.tally:
                tally = summary.setdefault(key, [0] * len(STATUSES))
                for status, count in enumerate(counts):
                    tally[status] += count
            for pkey, label, status in group.periods:
                tally = self.tallies.get((pkey, label))
                if tally is None:
                    tally = self.tallies[(pkey, label)] = [0, 0, 0]
                tally[status] += 1
            if group.reason is not None:  # the group's not-judged rows, by reason
                for i, status, code in zip(group.idx, group.status, group.reason):
                    if status == NOT_JUDGED:
                        self._count_not_judged(reason_text(code, group.metric), chunk.rows[i])

    def take_tallies(self) -> tuple:
        """What was counted since the last take, handed over and reset here: a worker process's
        share of the run (sladsl.fanout), for `add_tallies` in the parent."""
        taken = (self.tickets, self.summary, self.tallies, self.not_judged, dict(self.proportions),
                 self.skipped.take() if self.skipped is not None else None)
        self.tickets, self.summary, self.tallies, self.not_judged = 0, {}, {}, {}
        return taken

    def add_tallies(self, taken: tuple) -> None:
        """Count a `take_tallies` share as if its chunks had been judged here, now."""
        tickets, summary, tallies, not_judged, proportions, skipped = taken
        self.tickets += tickets
        add_counts(self.summary, summary)
        add_counts(self.tallies, tallies)
        add_first_rows(self.not_judged, not_judged)
        for key, spec in proportions.items():
            self.proportions.setdefault(key, spec)
        if skipped is not None and self.skipped is not None:
            self.skipped.merge(skipped)

    def _count_not_judged(self, reason: str, row: int) -> None:
        count_first_row(self.not_judged, reason, row)

    def _without_unanswerable(self, chunk: TicketChunk, cause: ValueError) -> TicketChunk:
        """The chunk without the tickets the runtime cannot answer; each a DataError (raised,
        or counted in `skipped`). Found ticket by ticket with the per-ticket path."""
        bad: dict = {}
        for i in range(len(chunk)):
            ticket = chunk.ticket(i)
            for metric in self.metrics:
                target = self.target(metric, ticket)
                if target is None:
                    continue
                try:
                    self.one(ticket, Verdict(metric, target, None, None, None, None, None))
                    share = self._share(metric, chunk.keys[i])
                    if share is not None:
                        spec = self.proportions[share]
                        self._paused_due(self.calendar(spec["calendar"]), spec, ticket)
                except ValueError as error:
                    bad[i] = self._error(ticket, metric, error)
                    break
        if not bad:  # not one ticket's: report it on the chunk's first row
            raise self._error(chunk.ticket(0), "", cause) from None
        if self.skipped is None:
            raise bad[min(bad)]
        for i in sorted(bad):
            self.skipped.add(bad[i])
        return chunk.select([i for i in range(len(chunk)) if i not in bad])

    def _error(self, ticket: Ticket, metric: str, error: ValueError) -> DataError:
        from sladsl.runtime import HolidaysNotFrozen

        reason = "holidays not frozen" if isinstance(error, HolidaysNotFrozen) else "instant out of range"
        what = f"cannot judge its {metric}: " if metric else ""
        field = self.culprit(ticket, metric) if metric else "opened_at"
        if field != "opened_at":
            # Not the contract's range but the data: a pause or event far beyond the opening.
            detail = str(error).split(": rebuild", 1)[0]
            return DataError(self.source, ticket.row, field,
                             f"{what}{_FIELD_WORDS[field]} reach a year the contract cannot answer "
                             f"({detail}); check the {field} value", reason)
        return DataError(self.source, ticket.row, field, f"{what}{error}", reason)

    def culprit(self, ticket: Ticket, metric: str) -> str:
        """The field to blame when the runtime cannot answer a ticket's metric: `pauses`, or an
        event field, when the metric is answerable without it (a pause or event far in the
        future, beyond the frozen holiday years), else `opened_at` (the due instant itself is out
        of reach)."""
        target = self.target(metric, ticket)
        variants = (
            ("pauses", bool(ticket.pauses), {"pauses": ()}),
            ("first_response_at", ticket.responded is not None, {"responded": None}),
            ("resolved_at", ticket.resolved is not None, {"resolved": None}),
        )
        for field, present, change in variants:
            if not present or target is None:
                continue
            fields = {name: getattr(ticket, name) for name in Ticket.__slots__}
            try:
                self.one(Ticket(**{**fields, **change}),
                         Verdict(metric, target, None, None, None, None, None))
            except ValueError:
                continue
            return field
        return "opened_at"


def count_first_row(tallies: dict, reason: str, row: int) -> None:
    """Count one row under `reason` in reason -> [count, first rows] tallies."""
    tally = tallies.setdefault(reason, [0, []])
    tally[0] += 1
    if len(tally[1]) < FIRST_ROWS:
        tally[1].append(row)


def add_first_rows(into: dict, later: dict) -> None:
    """Add reason -> [count, first rows] tallies counted after those of `into`: the counts
    summed, the rows kept to the first `FIRST_ROWS`."""
    for reason, (count, rows) in later.items():
        tally = into.setdefault(reason, [0, []])
        tally[0] += count
        tally[1].extend(rows[:FIRST_ROWS - len(tally[1])])


def add_counts(into: dict, counts: dict) -> None:
    """Add tallies (key -> [count per status]) into others of the same shape."""
    for key, values in counts.items():
        total = into.setdefault(key, [0] * len(values))
        for status, count in enumerate(values):
            total[status] += count


def _stop(metric: str, event, resolved):
    """(UTC microseconds or None, reason code): runtime `stop_event` compared at whole seconds,
    returning the instant as the data gives it."""
    _, why = stop_event(metric, None if event is None else event // 1_000_000,
                        None if resolved is None else resolved // 1_000_000)
    return (resolved, why) if why else (event, None)


def _as_list(values) -> list:
    return values.tolist() if hasattr(values, "tolist") else list(values)


def _floor_seconds(np, micros):
    """UTC microseconds -> whole epoch seconds (floor: the second that contains the instant)."""
    if np is not None:
        return micros // 1_000_000
    return [m // 1_000_000 for m in micros]


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


def _period_labels(micros: list, period: str | None, zone) -> list[str]:
    """`period_label` of many instants, read off the cached ISO text of the local instant."""
    if period is None or period not in ("month", "quarter", "year", "week", "day"):
        return ["all"] * len(micros)
    text = instant_formatter(zone)
    dates = [text(m // 1_000_000)[:10] for m in micros]
    if period == "month":
        return [d[:7] for d in dates]
    if period == "year":
        return [d[:4] for d in dates]
    if period == "day":
        return dates
    if period == "quarter":
        return [f"{d[:4]}-Q{(int(d[5:7]) - 1) // 3 + 1}" for d in dates]
    weeks: dict = {}
    out = []
    for d in dates:
        label = weeks.get(d)
        if label is None:
            iso = date.fromisoformat(d).isocalendar()
            label = weeks[d] = f"{iso.year:04d}-W{iso.week:02d}"
        out.append(label)
    return out


def summary_rows(run: Evaluation) -> list[dict]:
    rank = {name: i for i, name in enumerate(run.ev.CONTRACT.get("priorities") or ())}
    rows = []
    for (plan, priority, metric), (met, breached, pending, not_judged) in sorted(
            run.summary.items(),
            key=lambda kv: (kv[0][0] or "", rank.get(kv[0][1], 99), METRICS.index(kv[0][2]))):
        decided = met + breached
        rows.append({
            "plan": plan, "priority": priority, "metric": metric,
            "tickets": decided + pending + not_judged,
            "met": met, "breached": breached, "pending": pending, "not_judged": not_judged,
            "compliance": (Fraction(100 * met, decided)) if decided else None,
        })
    return rows


def not_judged_rows(run: Evaluation) -> list[dict]:
    """`{reason, count, rows}` of the rows with the status `not judged`, most frequent first (rows:
    the first five)."""
    return [{"reason": reason, "count": count, "rows": rows}
            for reason, (count, rows) in sorted(run.not_judged.items(),
                                                key=lambda kv: (-kv[1][0], kv[0]))]


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
