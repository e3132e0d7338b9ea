"""The explain stage: the timeline behind one ticket's verdicts (`sladsl explain`).

For each metric with a target, the ticket's clock is laid out day by day in the target's
calendar: the windows crossed (cut at local midnights), the business time used and left, the
holidays and pauses skipped, the due instant and why it falls there, and the verdict with the
event that decided it. The verdict is the evaluation stage's own (`Evaluation.one`), so explain
and `sladsl eval` cannot disagree; this module only lays the clock out as text. The CLI
(`sladsl/cli/data.py`) parses the options, finds the ticket and prints these lines.

`hms` and `short_instant` are the people-facing forms of business time and of instants that the
CLI's other reports (`eval` tables, `uptime`) print too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sladsl.data import DataError, Names, Ticket, read_tickets, to_datetime
from sladsl.diagnostics import printable
from sladsl.evaluate import Evaluation, Verdict
from sladsl.runtime.zones import wall_to_epoch


class ExplainError(Exception):
    """A ticket that cannot be explained (not found, ambiguous, no target, a year out of reach):
    one line for the user, a data problem rather than a usage problem."""


def hms(seconds: int | None) -> str:
    """Business time for people: `7h33m36s`, `45m`, `0s`."""
    if seconds is None:
        return ""
    sign = "-" if seconds < 0 else ""
    seconds = abs(int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{secs}s" if secs else ""]
    return sign + ("".join(parts) or "0s")


def short_instant(micro: int | None, zone) -> str:
    """`2026-05-04 09:30 +07:00` (seconds shown only when not zero)."""
    if micro is None:
        return ""
    value = to_datetime(micro, zone)
    clock = value.strftime("%H:%M:%S" if value.second or value.microsecond else "%H:%M")
    return f"{value:%Y-%m-%d} {clock} {value:%z}"[:-2] + ":" + f"{value:%z}"[-2:]


# ---- the ticket -------------------------------------------------------------------------------

class _Errors:
    """A `Skipped` stand-in that keeps every row error (explain reads past other rows' errors)."""

    def __init__(self) -> None:
        self.errors: list[DataError] = []

    def add(self, error: DataError) -> None:
        self.errors.append(error)


def find_ticket(path: Path, ident: str, names: Names, input_format, fields, zone, plan,
                normalize=None) -> Ticket:
    """The ticket with id `ident`. Other rows' errors are not its business; its own row's error
    is reported, and an id on more than one row is refused (which one would be meant?)."""
    ident = ident.strip()
    errors = _Errors()
    found = []
    try:
        for ticket in read_tickets(path, names, fmt=input_format, mapping=fields,
                                   assume_zone=zone, default_plan=plan, display=path.name,
                                   skipped=errors, normalize=normalize):
            if ticket.id == ident:
                found.append(ticket)
    except DataError as error:  # the file as a whole: its header, its encoding
        raise ExplainError(str(error)) from None
    mine = [e for e in errors.errors if e.ident == ident]
    rows = sorted({t.row for t in found} | {e.row for e in mine})
    if len(rows) > 1:
        raise ExplainError(f"{path.name}: ticket `{ident}` is on rows "
                           + ", ".join(map(str, rows)) + ": ticket ids must be unique, so "
                           "explain cannot tell which row is meant")
    if found:
        return found[0]
    if mine:
        raise ExplainError(str(mine[0]))
    others = len(errors.errors)
    raise ExplainError(f"{path.name}: no ticket `{ident}`"
                       + (f" ({others} invalid row(s) have other or unreadable ids; "
                          "`sladsl eval --skip-invalid` lists them)" if others else ""))


# ---- the timeline -----------------------------------------------------------------------------

def explain_ticket(run: Evaluation, model, ticket: Ticket, only: str | None = None) -> list[str]:
    """The timeline of each metric of `ticket` that has a target (only `only` if given)."""
    lines: list[str] = []
    for name in [only] if only else list(run.metrics):
        target = run.target(name, ticket)
        if target is None:
            if only:
                raise ExplainError(f"no `{name}` target for priority `{ticket.priority}`"
                                   + (f" under plan `{ticket.plan}`" if ticket.plan else ""))
            continue
        try:
            lines += explain_metric(run, model, ticket, name, target)
        except ValueError as error:  # beyond the frozen holiday years, or years 2..9998
            field = run.culprit(ticket, name)
            if field != "opened_at":
                detail = str(error).split(": rebuild", 1)[0]
                raise ExplainError(f"cannot judge the {name} of ticket `{ticket.id}`: its `{field}` "
                                   f"reach a year the contract cannot answer ({detail}); check "
                                   "them") from None
            raise ExplainError(f"cannot judge the {name} of ticket `{ticket.id}`: {error}") from None
    if not lines:
        raise ExplainError(f"no target applies to priority `{ticket.priority}`"
                           + (f" under plan `{ticket.plan}`" if ticket.plan else ""))
    return lines


def _windows(run: Evaluation, cal, target: dict, ticket: Ticket, start: int, end: int,
             lines: list[str], zone) -> list:
    """The business windows of [start, end): the target's hours, or, where they change at the
    ticket's restoration (`until restored then CAL`), those hours up to it and CAL's after (a
    line saying so is added)."""
    after = target.get("until_restored")
    if after is None or ticket.restored is None:
        return list(cal.windows_epoch(start, end))
    at = ticket.restored // 1_000_000
    lines.append(f"  restored {short_instant(ticket.restored, zone)}: from then the clock counts "
                 f"in `{printable(after)}` hours")
    return list(cal.windows_epoch(start, min(end, at)) if start < at else []) + \
        list(run.calendar(after).windows_epoch(max(start, at), end) if end > at else [])


def explain_metric(run: Evaluation, model, ticket: Ticket, metric: str, target: dict) -> list[str]:
    """The timeline of one metric of `ticket` under `target`: the lines `sladsl explain` prints."""
    cal_name = target["calendar"]
    cal = run.calendar(cal_name)
    zone = cal.zone
    verdict = Verdict(metric, target, None, None, None, None, None)
    run.one(ticket, verdict)
    opened, due = ticket.opened // 1_000_000, verdict.due
    spec = model.calendar(cal_name)
    lines = [
        f"{metric} of ticket `{ticket.id}` (priority {ticket.priority}"
        + (f", plan {ticket.plan}" if ticket.plan else "")
        + (f", channel {ticket.channel}" if ticket.channel else "")
        # the attributes that chose its calendar (docs/semantics.md "chosen by ticket attributes")
        + "".join(f", {name} {' '.join(values) or '(blank)'}" for name, values in ticket.attributes)
        + ")",
        f"  target: {target['text']}" + (" best-effort" if target.get("best_effort") else "")
        + f" ({target.get('origin') or 'contract'}, line {target.get('source_line')})",
        f"  calendar `{cal_name}`: {_calendar_text(spec)}",
        f"  opened: {short_instant(ticket.opened, zone)}"
        + ("" if cal.is_open_epoch(opened) else
           f" (outside hours: the clock starts at {short_instant(cal.next_open_epoch(opened) * 1_000_000, zone)})"),
    ]
    kind = target.get("start")
    if kind is not None:  # `from first contact` / `from priority set`
        what = {"contact": "the first contact", "priority": "the priority being set"}[kind]
        begin = (ticket.starts or {}).get(kind)
        if begin is None:
            lines.append(f"  clock start: {what}, which the data does not show")
        else:
            opened = begin // 1_000_000
            lines.append(f"  clock start: {what}, {short_instant(begin, zone)}")
    for event in ticket.events:  # from an event log (--events)
        lines.append(f"  event {short_instant(event.at, zone)}: {event.kind}"
                     + (f" `{printable(event.value)}`" if event.value else "")
                     + f" (row {event.row})")
    if target["business_days"] is not None:
        lines.append(f"  business days: {target['business_days']} business date(s) after the "
                     "last business moment at or before the opening, same clock time, clamped "
                     "into that date's hours (docs/semantics.md)")
    pauses = [(a // 1_000_000, b // 1_000_000) for a, b in ticket.pauses]
    budget = target["seconds"]
    if target.get("every") and run.update_events:
        budget = None  # each update restarts the interval: no single budget runs down
        lines.append(f"  cadence: an update {target['text']}, each update restarting the interval; "
                     "the due instant below is that of the interval that decides the verdict")
    spent = 0
    by_day: dict = {}
    for a, b in _windows(run, cal, target, ticket, opened, max(due, opened), lines, zone):
        for x, y in _minus(a, b, pauses):
            # Stretches joined across midnight (24x7, night shifts) are shown per local date.
            for day, piece in _by_local_date(x, y, zone):
                by_day.setdefault(day, []).append(piece)
    holidays = {h.date: h.label for h in spec.holidays}
    first_day = datetime.fromtimestamp(opened, zone).date()
    last_day = datetime.fromtimestamp(max(due, opened), zone).date()
    day = first_day
    while day <= last_day:
        if day in holidays:
            lines.append(f"  {day} {day:%a}: holiday skipped ({holidays[day]})")
        spans = by_day.get(day)
        if spans:
            used = sum(y - x for x, y in spans)
            spent += used
            windows = ", ".join(f"{_clock(x, zone, day)}-{_clock(y, zone, day)}" for x, y in spans)
            rest = f", {hms(budget - spent)} left" if budget is not None else ""
            lines.append(f"  {day} {day:%a}: {windows}: {hms(used)} used{rest}")
        day += timedelta(days=1)
    for a, b in pauses:
        lost = cal.elapsed_epoch(a, b)
        lines.append(f"  pause {short_instant(a * 1_000_000, zone)} .. {short_instant(b * 1_000_000, zone)}: "
                     f"{hms(lost)} of business time skipped")
    lines.append(f"  due: {short_instant(due * 1_000_000, zone)} ({_due_reason(cal, due, opened, target)})")
    event = verdict.event
    what = {"response": "first response", "resolution": "resolution"}.get(metric, metric)
    if verdict.reason is not None and event is not None:
        what = "resolution"  # the resolution stopped this clock first
    if verdict.status == "not judged":
        lines.append(f"  verdict: not judged: {verdict.reason}; business time used "
                     f"{hms(verdict.used)}")
    elif event is not None:
        relation = "after" if verdict.status == "breached" else (
            "at" if event == due * 1_000_000 else "before")
        lines.append(f"  verdict: {verdict.status}: {what} at {short_instant(event, zone)}, {relation} "
                     f"the due instant; business time used {hms(verdict.used)}"
                     + (f" ({verdict.reason})" if verdict.reason else ""))
    else:
        lines.append(f"  verdict: {verdict.status}: no {what} yet at "
                     f"{short_instant(run.now_us, zone)}; business time used {hms(verdict.used)}"
                     + (f", {hms(verdict.left)} left" if verdict.left is not None else ""))
    lines.append("")
    return lines


def _minus(a: int, b: int, pauses) -> list[tuple[int, int]]:
    spans = [(a, b)]
    for p0, p1 in pauses:
        spans = [piece for x, y in spans
                 for piece in ((x, min(y, p0)), (max(x, p1), y)) if piece[1] > piece[0]]
    return spans


def _by_local_date(x: int, y: int, zone):
    """[x, y) cut at local midnights: (date, (from, to)) per local date it touches."""
    out = []
    while x < y:
        day = datetime.fromtimestamp(x, zone).date()
        midnight = wall_to_epoch(zone, datetime.combine(day + timedelta(days=1), datetime.min.time()))
        out.append((day, (x, min(y, midnight))))
        x = midnight
    return out


def _clock(epoch: int, zone, day=None) -> str:
    """HH:MM (HH:MM:SS when the seconds matter) of an instant, read on local date `day`: the
    midnight that ends that date is 24:00."""
    value = datetime.fromtimestamp(epoch, zone)
    text = value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if day is not None and value.date() > day and text == "00:00":
        return "24:00"
    return text


def _due_reason(cal, due: int, opened: int, target: dict) -> str:
    if target["business_days"] is not None:
        return f"{target['business_days']} business day(s) after the opening"
    if target["seconds"] == 0:
        return "a zero budget is due at the next opening"
    if not cal.is_open_epoch(due) and cal.is_open_epoch(due - 1):
        closing_day = datetime.fromtimestamp(due - 1, cal.zone).date()
        return (f"due on the close at {_clock(due, cal.zone, closing_day)}: the budget ran out "
                "exactly at closing")
    return f"the {hms(target['seconds'])} budget runs out at {_clock(due, cal.zone)}"


def _calendar_text(spec) -> str:
    if spec.always:
        hours = "24x7"
    else:
        hours = "; ".join(f"{day.capitalize()} " + ", ".join(f"{o}-{c}" for o, c in windows)
                          for day, windows in spec.week if windows)
    years = f", holidays frozen for {spec.holiday_years[0]}-{spec.holiday_years[1]}" \
        if spec.holiday_years else ""
    label = spec.zone_label or spec.zone
    zone = label if label == spec.zone else f"{label} ({spec.zone})"  # GMT+7 (UTC+07:00)
    return f"zone {zone}; {hours}{years}"


