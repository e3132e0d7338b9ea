"""model.Contract -> the published SLA document (Markdown), through Jinja2 templates.

The templates in `sladsl/templates/` lay the document out; this module supplies the one escape
filter `md` and the formatting helpers. A contract is untrusted input: every contract string
leaves through `md` (directly in a template, or inside a helper that embeds it), so no name or
text can add markup, raw HTML, a table column or a heading. Helpers named `fmt_*` return
Markdown whose contract parts already went through `md`; their own words are plain text.

Output is deterministic: model tuples keep the contract's order, holidays are sorted, numbers
are exact (Fractions formatted without float noise), and nothing depends on the clock or paths
beyond the contract's display name.
"""

from __future__ import annotations

import contextvars
import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import lru_cache

import jinja2

from sladsl import model
from sladsl.to_markdown_terms import credit_life_lines, maintenance_window_lines

# ---- the escape filter ---------------------------------------------------------------------

# Every ASCII punctuation character that can start or end inline markup (emphasis, code, links,
# autolinks and raw HTML, entities, strike-through, table cells) or a block (headings, quotes,
# lists, fences, thematic breaks, setext underlines) is backslash-escaped; CommonMark allows a
# backslash before any ASCII punctuation, and `\<` renders as a literal `<`, never as HTML.
# Escaped wherever they stand: emphasis, code, links, HTML, tables, entities, strike-through and
# headings' closing `#`s. With `[` `]` and `<` escaped, `(`, `)`, `!` and `{`, `}` cannot start
# anything, so they stay readable (`status.qiscus.com`, `(GMT+7)`).
#
# Portability (issue 22.5): python-markdown (MkDocs) honours a backslash only before
# \ ` * _ { } [ ] ( ) > # + - . !, so `<`, `&`, `|`, `~` and `=` are written as numeric character
# references instead, which every CommonMark renderer and python-markdown show as the character
# (`&#60;` is never a tag, `&#124;` never splits a table cell).
_ESCAPED = frozenset("\\`*_[]>#")
_ENTITIES = {"<": "&#60;", "&": "&#38;", "|": "&#124;", "~": "&#126;"}
# Block starts: a list (`-`, `+`, `1.`, `1)`) or a setext underline (`=`) only at the start.
_BLOCK_START = re.compile(r"^(?:[-+]|[0-9]+[.)])")
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t\n]*")
_PARAGRAPH_BREAK = re.compile(r"[ \t]*\n[ \t]*\n[ \t\n]*")


def _escape_char(char: str) -> str:
    if char in _ESCAPED:
        return "\\" + char
    return _ENTITIES.get(char, char)


def _escape_line(text: str) -> str:
    escaped = "".join(_escape_char(char) for char in text)
    if escaped.startswith("="):  # a setext underline; python-markdown keeps `\=` literally
        escaped = "&#61;" + escaped[1:]
    start = _BLOCK_START.match(escaped)
    if start:  # escape the marker's last character: `\-`, `1\.`
        end = start.end()
        escaped = escaped[: end - 1] + "\\" + escaped[end - 1 :]
    return escaped


def md(value: object, paragraphs: str | None = None) -> str:
    """Contract text as literal Markdown inline text.

    Line breaks become one space (a table cell or heading must stay on one line), and leading or
    trailing blanks go (Markdown would drop them, and four of them would start a code block).
    With `paragraphs` (the indentation of the enclosing list item), blank lines in the text are
    kept as paragraph breaks instead, each paragraph indented to stay inside the item.
    """
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    if paragraphs is None:
        return _escape_line(_LINE_BREAK.sub(" ", text).strip(" \t"))
    parts = [_LINE_BREAK.sub(" ", part).strip(" \t") for part in _PARAGRAPH_BREAK.split(text)]
    return ("\n\n" + paragraphs).join(_escape_line(part) for part in parts if part)


# ---- numbers -------------------------------------------------------------------------------

def decimal(value: Fraction | int, places: int = 4) -> str:
    """An exact decimal for terminating fractions (99.95, 3.3), else rounded to `places`."""
    value = Fraction(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    for digits in range(0, places + 1):
        scaled = value * 10**digits
        if scaled.denominator == 1:
            break
    else:
        scaled = round(value * 10**places)  # not a terminating decimal: round for display only
        digits = places
    whole = int(scaled)
    if digits == 0:
        return f"{sign}{whole}"
    text = f"{whole:0{digits + 1}d}"
    return f"{sign}{text[:-digits]}.{text[-digits:]}"


def percent(value: Fraction | int) -> str:
    """99.95%, 3.3%, 5%: exact, no float noise."""
    return decimal(value) + "%"


def printed_percent(value: Fraction | int) -> str:
    """A credit-table bound as printed in tables: at least one decimal (99.0%)."""
    text = decimal(value)
    return (text if "." in text else text + ".0") + "%"


def fmt_money(money: model.Money, period: str | None = None) -> str:
    """`IDR 216,000,000 per year`."""
    amount = Fraction(money.amount)
    whole = int(amount)
    text = f"{whole:,}"
    if amount.denominator != 1:
        text += decimal(amount - whole, 2)[1:]
    return f"{md(money.currency)} {text}" + (f" per {md(period)}" if period else "")


# ---- durations -----------------------------------------------------------------------------

_UNITS = (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
_SHORT = {"hour": "h", "minute": "min", "second": "s"}


def plural(count: int | str, word: str) -> str:
    return f"{count} {word}" if str(count) == "1" else f"{count} {word}s"


def seconds_text(seconds: int, largest: str = "hour") -> str:
    """`5400` -> "1 hour 30 minutes"; units from `largest` down, zero parts left out."""
    names = [name for name, _ in _UNITS]
    parts = []
    remaining = int(seconds)
    for name, size in _UNITS[names.index(largest):]:
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(plural(count, name))
    return " ".join(parts) if parts else "0"


def _largest_unit(duration: model.Duration) -> str:
    """Keep the unit the contract wrote: "24h" stays 24 hours, "30 days" stays days."""
    text = duration.text.lower()
    if "week" in text or re.search(r"\d\s*w\b", text):
        return "week"
    if "day" in text or re.search(r"\d\s*d\b", text):
        return "day"
    return "hour"


def fmt_duration(duration: model.Duration) -> str:
    """"1 hour 30 minutes", "2 business days", "1 minute 30 seconds"."""
    if duration.business_days is not None:
        return plural(duration.business_days, "business day")
    return seconds_text(duration.seconds or 0, _largest_unit(duration))


def fmt_every(duration: model.Duration) -> str:
    """"every week", "every day", "every 2 weeks"."""
    text = fmt_duration(duration)
    return "every " + (text[2:] if text.startswith("1 ") and " " not in text[2:] else text)


def short_seconds(seconds: Fraction | int) -> str:
    """`1339.2` -> "22 min 19 s" (whole seconds, rounded down): downtime allowances."""
    remaining = int(seconds)
    parts = []
    for name, size in _UNITS[1:]:
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(plural(count, name) if name == "day" else f"{count} {_SHORT[name]}")
    return " ".join(parts) if parts else "0 s"


_PERIOD_DAYS = {"week": (7, None), "month": (30, 31), "quarter": (90, 92), "year": (365, 366)}
_PERIOD_NAME = {"week": "week", "month": "month", "quarter": "quarter", "year": "year"}


def allowed_downtime(target: Fraction, period: str, rolling_days: int | None = None) -> str:
    """"99.95% per month allows 21 min 36 s of downtime in a 30-day month (22 min 19 s in a 31-day month)"."""
    share = (100 - Fraction(target)) / 100
    if rolling_days is not None:
        return (f"{percent(target)} over {rolling_days} days allows "
                f"{short_seconds(share * rolling_days * 86400)} of downtime in the window")
    short, long = _PERIOD_DAYS[period]
    share = (100 - Fraction(target)) / 100
    text = (f"{percent(target)} per {_PERIOD_NAME[period]} allows "
            f"{short_seconds(share * short * 86400)} of downtime in a {short}-day {period}")
    if long is not None:
        text += f" ({short_seconds(share * long * 86400)} in a {long}-day {period})"
    return text


# ---- dates, zones and calendars --------------------------------------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAY_NAMES = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri",
              "sat": "Sat", "sun": "Sun"}
# Years whose offsets a zone description lists when a calendar freezes no holiday years: the
# window every seed contract freezes, so the text does not depend on the day it is rendered.
_OFFSET_YEARS = (2020, 2035)


def fmt_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def next_day(day: date) -> date:
    return day + timedelta(days=1)


def short_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1][:3]}"


def _offset_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


@lru_cache(maxsize=None)
def zone_offsets(zone: str, years: tuple[int, int] = _OFFSET_YEARS) -> tuple[str, str | None]:
    """(standard offset, daylight-saving offset or None) of a runtime zone over `years`."""
    from sladsl.runtime.zones import parse_zone

    tz = parse_zone(zone)
    standard, summer = set(), set()
    for year in range(years[0], years[1] + 1):
        for month in (1, 4, 7, 10):
            local = datetime(year, month, 15, 12, tzinfo=tz)
            dst = local.dst()
            (summer if dst else standard).add(local.utcoffset())
    standard = standard or summer
    std = _offset_text(min(standard))
    dst = _offset_text(max(summer)) if summer else None
    return std, dst


def fmt_zone(zone: str, label: str | None = None, years: tuple[int, int] | None = None) -> str:
    """"GMT+7 (UTC+07:00)", "Europe/Paris (UTC+01:00; UTC+02:00 in daylight saving time)"."""
    std, dst = zone_offsets(zone, years or _OFFSET_YEARS)
    name = label or zone
    if dst is None:
        return md(name) if name == std else f"{md(name)} ({std})"
    return f"{md(name)} ({std}; {dst} in daylight saving time)"


def _window_text(windows) -> str:
    parts = [f"{o}-{c}" + (" (midnight)" if c == "24:00" and o != "00:00" else "")
             for o, c in windows]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def contract_zone(contract: model.Contract, zone: str) -> str:
    """A zone as the contract wrote it where a calendar names it ("GMT+7"), with its offsets."""
    for calendar in contract.calendars:
        if calendar.zone == zone and calendar.zone_label:
            return fmt_zone(zone, calendar.zone_label, calendar.holiday_years)
    return fmt_zone(zone)


def channel_plans(contract: model.Contract, channel: str) -> list[str]:
    """Names of the plans that offer `channel`, in the contract's order."""
    return [plan.name for plan in contract.plans if channel in plan.channels]


def week_text(calendar: model.Calendar) -> str:
    """"Mon-Fri 09:00-17:00", "every day 08:00-24:00 (midnight)"; windows across midnight or
    days as the contract wrote them ("Mon-Thu 17:30-09:30 (next day); Fri 17:30-Mon 09:30")."""
    if calendar.always:
        return "24 hours a day, 7 days a week, 365 days a year"
    if calendar.written_week:
        return "; ".join(_written_text(days, windows) for days, windows in calendar.written_week)
    parts = []
    for first, last, windows in calendar.week_groups():
        if first == "mon" and last == "sun":
            days = "every day"
        elif first == last:
            days = _DAY_NAMES[first]
        else:
            days = f"{_DAY_NAMES[first]}-{_DAY_NAMES[last]}"
        parts.append(f"{days} {_window_text(windows)}")
    return "; ".join(parts)


def _days_text(days: tuple[str, ...]) -> str:
    """"Mon-Fri", "Sat", "Mon, Wed", "every day": runs of neighbouring days as ranges."""
    if len(days) == 7:
        return "every day"
    order = [model.WEEKDAYS.index(d) for d in days]
    runs: list[list[int]] = []
    for index in order:
        if runs and index == runs[-1][1] + 1:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    return ", ".join(_DAY_NAMES[model.WEEKDAYS[a]] + ("" if a == b else f"-{_DAY_NAMES[model.WEEKDAYS[b]]}")
                     for a, b in runs)


def _written_text(days: tuple[str, ...], windows) -> str:
    """One weekly item as written: "Mon-Fri 17:30-09:30 (next day)", "Fri 17:30-Mon 09:30"."""
    parts = []
    for opens, closes, until in windows:
        if until == "next day":
            parts.append(f"{opens}-{closes} (next day)")
        elif until:
            parts.append(f"{opens}-{_DAY_NAMES[until]} {closes}")
        else:
            parts.append(_window_text([(opens, closes)]))
    return f"{_days_text(days)} {', '.join(parts)}"


def fmt_hours(calendar: model.Calendar) -> str:
    """Business hours in local time with the zone's UTC offset, and the holiday rule."""
    text = f"{week_text(calendar)} {fmt_zone(calendar.zone, calendar.zone_label, calendar.holiday_years)}"
    if calendar.holidays and calendar.holiday_hours:
        text += f"; on holidays {_window_text(calendar.holiday_hours)}"
    elif calendar.holidays:
        text += ", except holidays"
    return text


def choice_text(contract: model.Contract, choice: model.CalendarChoice) -> str:
    """A calendar chosen by a ticket attribute, for the customer: which hours apply to whom,
    branch by branch in the contract's order ("chosen by the ticket's location: "Canada":
    Mon-Fri 09:00-18:00 ...; any other location: ...")."""
    attribute = md(choice.attribute)
    parts = []
    for branch in choice.branches:
        hours = fmt_hours(contract.calendar(branch.choice))
        if branch.when:
            values = " or ".join(f"\"{md(v)}\"" for v in branch.when[0].values)
            parts.append(f"{attribute} {values}: {hours}")
        else:
            parts.append(f"any other {attribute}: {hours}")
    text = f"chosen by the ticket's {attribute}; " + "; ".join(parts)
    if not any(not b.when for b in choice.branches):
        text += f"; a ticket with any other {attribute} is not covered by these hours"
    return text


def hours_text(contract: model.Contract, name: str) -> str:
    """A calendar's hours (`fmt_hours`), or the hours a ticket attribute chooses."""
    choice = contract.calendar_choice(name)
    return fmt_hours(contract.calendar(name)) if choice is None else choice_text(contract, choice)


def plan_choice_rows(contract: model.Contract) -> list[tuple[str, str]]:
    """(plan, "when organisation is "Acme" and tags include "vip"") per plan chosen by ticket
    attributes, in the order they are tried."""
    rows = []
    for branch in contract.plan_choice:
        tests = []
        for condition in branch.when:
            values = " or ".join(f"\"{md(v)}\"" for v in condition.values)
            verb = "include" if condition.op == "has" else "is"
            tests.append(f"the ticket's {md(condition.attribute)} {verb} {values}")
        rows.append((md(branch.choice), " and ".join(tests) if tests else "any other ticket"))
    return rows


def holiday_rows(calendar: model.Calendar) -> list[tuple[int, str]]:
    """(year, "1 Jan, 25 Jan, ...") per year with frozen holidays, dates sorted and unique."""
    by_year: dict[int, set[date]] = defaultdict(set)
    for holiday in calendar.holidays:
        by_year[holiday.date.year].add(holiday.date)
    return [(year, ", ".join(short_date(day) for day in sorted(days)))
            for year, days in sorted(by_year.items())]


# ---- targets ---------------------------------------------------------------------------------

METRIC_TITLES = {"response": "Response", "resolution": "Resolution", "update": "Update",
                 "pickup": "Pickup"}
_PROPORTION_PERIOD = {"month": "per month", "quarter": "per quarter", "year": "per year",
                      "week": "per week"}


def fmt_target(target: model.Target, calendar_note: bool = False) -> str:
    """One target in words: "within 1 hour", "between 15 minutes and 4 hours (best effort)".

    A proportion's period is not part of the rule's words: the seeds state "85% of issues
    within two hours" without one, so the period the contract measures it over is stated as how
    the rule is applied (`proportion_periods`), next to the rule.
    """
    if target.proportion is not None:
        text = f"{percent(target.proportion)} of tickets within {fmt_duration(target.duration)}"
    elif target.low is not None:
        text = f"between {fmt_duration(target.low)} and {fmt_duration(target.duration)}"
    elif target.every and target.after_response:
        text = (f"every {fmt_duration(target.duration)} from the first response, counted again "
                "from each update")
    elif target.every:
        text = f"every {fmt_duration(target.duration)}, counted again from each update"
    else:
        text = f"within {fmt_duration(target.duration)}"
    if target.alternative is not None:
        text += f" (also stated as {fmt_duration(target.alternative)})"
    if target.best_effort:
        text += " (best effort)"
    if target.negotiable:
        text += ", or as agreed with the customer"
    if calendar_note:
        text += ", " + counted_in(target.calendar)
    if target.until_restored is not None:
        text += (f"; once the service is restored, the rest counts in *{md(target.until_restored)}* "
                 "hours")
    if target.start is not None:
        text += {"contact": ", counted from the customer's first contact",
                 "priority": ", counted from when we set the ticket's priority"}[target.start]
    return text


def counted_in(calendar: str | None) -> str:
    if calendar is None:
        return "in the support hours of the plan it is added to"
    return f"in *{md(calendar)}* hours"


def _target_key(target: model.Target) -> tuple:
    """What makes two expanded targets one rule: the same statement, with the same meaning."""
    span = target.span
    return (target.metric, getattr(span, "line", 0), getattr(span, "column", 0), target.duration,
            target.low, target.proportion, target.proportion_period, target.best_effort,
            target.alternative, target.calendar, target.until_restored, target.start,
            target.origin)


def target_table(contract: model.Contract, targets, plan: str | None = None) -> dict:
    """Targets laid out without repetition.

    The checker expands a target written for every priority into one target per priority; a
    rule that covers every row of the table is stated once ("common"), the others fill a table
    of rows (priority, most severe first) x columns (metrics present).
    """
    targets = tuple(targets)
    calendars = sorted({t.calendar or "" for t in targets})
    mixed = len(calendars) > 1
    names = [p.name for p in contract.priorities]
    keys = ([None] if any(t.priority is None for t in targets) else [])
    keys += [n for n in names if any(t.priority == n for t in targets)]
    keys += sorted({t.priority for t in targets if t.priority is not None and t.priority not in names})
    groups: dict[tuple, list[model.Target]] = {}
    for target in targets:
        groups.setdefault(_target_key(target), []).append(target)
    common_keys = {key for key, found in groups.items()
                   if len(keys) > 1 and {t.priority for t in found} == set(keys)}
    common = []
    for key, found in groups.items():
        if key in common_keys or len(keys) == 1:
            t = found[0]
            if any(c[1] is t for c in common):
                continue
            common.append((METRIC_TITLES[t.metric], t, fmt_target(t, mixed) + source_note(t.span)))
    rest = [t for t in targets if _target_key(t) not in common_keys] if len(keys) > 1 else []
    metrics = [m for m in model.METRICS if any(t.metric == m for t in rest)]
    rows = []
    for key in keys:
        cells = []
        for metric in metrics:
            found = [t for t in rest if t.priority == key and t.metric == metric]
            cells.append("; ".join(fmt_target(t, mixed) + source_note(t.span) for t in found)
                         or "no target")
        rows.append(("Any priority" if key is None else md(key), cells))
    single = None if mixed or not calendars else (calendars[0] or None)
    parents = {origin_plan(t.origin) for t in targets}
    parent = parents.pop() if len(parents) == 1 else None
    return {"metrics": [METRIC_TITLES[m] for m in metrics], "rows": rows if metrics else [],
            "common": [(title, text) for title, _, text in common],
            "calendar": single, "mixed": mixed, "plan_hours": calendars == [""],
            "from_plan": parent if plan is not None and parent and parent != plan else None,
            "proportions": proportion_periods(targets)}


def proportion_periods(targets) -> list[str]:
    """How a proportion rule is measured, in words, once per rule."""
    seen, out = set(), []
    for t in targets:
        if t.proportion is None or not t.proportion_period:
            continue
        key = (t.proportion, t.duration, t.proportion_period)
        if key in seen:
            continue
        seen.add(key)
        out.append(f"We measure the {percent(t.proportion)} over the tickets opened in each "
                   f"{period_word(t.proportion_period)}.")
    return out


def inherited(origin: str, plan: str | None) -> str:
    """" (from Premium)" for a target a plan inherits; nothing for its own."""
    parent = origin_plan(origin)
    return f" (from {md(parent)})" if plan is not None and parent and parent != plan else ""


# Citations of contract lines are for reviewers (`render --cite`): the customer never sees the
# `.sla` file, so the published document carries none. Set for the duration of one `render`.
_CITE: contextvars.ContextVar[bool] = contextvars.ContextVar("sladsl_cite", default=False)


def citing() -> bool:
    return _CITE.get()


def source_note(span) -> str:
    """" _(contract line 64)_" for a contract span when citing, else nothing."""
    line = getattr(span, "line", 0)
    return f" _(contract line {line})_" if line and _CITE.get() else ""


# ---- credits and availability --------------------------------------------------------------

_BASIS = {"monthly": "the monthly fee", "quarterly": "the quarterly fee", "annual": "the annual fee",
          "support": "the support fee"}
_BILLING = {"monthly": "monthly billing", "quarterly": "quarterly billing", "annual": "annual billing"}


def table_fee(credit: model.TieredCredit) -> str:
    """The fee a credit table is a share of: "the monthly fee", "the quarterly fee of the affected
    region"."""
    return _BASIS.get(credit.basis, md(credit.basis)) + fee_scope_text(credit)


def fee_scope_text(credit) -> str:
    scope = getattr(credit, "fee_scope", None)
    return f" of the affected {md(scope)}" if scope else ""


def fmt_share(share: model.Share) -> str:
    """"3.3% of the monthly fee", "1/24 of the annual fee", "1 day of service"."""
    if share.kind == "days":
        if Fraction(share.value).denominator != 1:  # `4 hours of service`
            return plural(decimal(share.value * 24), "hour") + " of service"
        return plural(decimal(share.value), "day") + " of service"
    text = share.text.split(" of ", 1)[0] if "/" in share.text else percent(share.value)
    return f"{md(text)} of {_BASIS.get(share.basis or '', md(share.basis or 'the fee'))}"


def share_billing(share: model.Share) -> str:
    return f" ({_BILLING[share.basis]})" if share.basis in _BILLING else ""


def tier_range(row: model.TierRow) -> str:
    if row.low is None:
        return f"below {printed_percent(row.high)}" if row.below else f"{printed_percent(row.high)} or below"
    if row.below:
        return f"from {printed_percent(row.low)} to below {printed_percent(row.high)}"
    return f"{printed_percent(row.low)} to {printed_percent(row.high)}"


def tier_gaps(credit: model.TieredCredit) -> str | None:
    """The gap rule in words, with the first printed gap as the example; None without gaps."""
    for upper, lower in zip(credit.rows, credit.rows[1:]):
        if upper.low is None or upper.low <= lower.high:
            continue
        example = (upper.low + lower.high) / 2
        if credit.gaps == "customer":
            return (f"an uptime between two rows, e.g. {percent(example)}, earns the larger credit "
                    f"({percent(max(upper.credit, lower.credit))})")
        return (f"an uptime between two rows, e.g. {percent(example)}, earns the smaller credit "
                f"({percent(min(upper.credit, lower.credit))})")
    return None


def period_text(seconds: int) -> str:
    """A credit period as the seeds name them: "60 minutes" up to an hour, else hours."""
    return seconds_text(seconds, "minute" if seconds <= 3600 else "hour")


def outage_rule(credit: model.PerOutageCredit) -> str:
    """The per-outage rule in words, with a worked example of its rounding."""
    counted = "started" if credit.rounding == "started" else "whole"
    period = period_text(credit.period)
    if credit.grace:
        first = "hour" if credit.grace == 3600 else seconds_text(credit.grace, "minute")
        return (f"The first {first} of each outage earns nothing. Beyond that, every {counted} "
                f"period of {period} earns one credit period: {outage_example(credit)}.")
    return (f"From the first second of each outage, every {counted} period of {period} earns "
            f"one credit period: {outage_example(credit)}.")


def outage_example(credit: model.PerOutageCredit) -> str:
    """A worked example of the rounding: the periods two outage lengths earn.

    The two lengths sit `step` apart on either side of a period boundary, `step` being a minute
    when the period is at least two minutes and a second otherwise, so the example holds for any
    period (a 1-second period has no minute inside it).
    """
    two = credit.grace + 2 * credit.period
    step = 60 if credit.period >= 120 else 1
    if credit.rounding == "started":
        return (f"an outage of exactly {_length(two)} earns 2 periods; "
                f"one of {_length(two + step)} earns 3")
    return (f"an outage of {_length(two + credit.period - step)} earns 2 periods; "
            f"one of {_length(two + credit.period)} earns 3")


def _length(seconds: int) -> str:
    return seconds_text(seconds, "hour" if seconds >= 3600 else "minute")


def maintenance_text(contract: model.Contract, maintenance: model.Maintenance) -> str:
    """The maintenance allowance in words, for either way an overrun is counted."""
    allowance = seconds_text(maintenance.allowance)
    period = maintenance.period
    where = ""
    if maintenance.outside:
        where = (f" done outside business hours ({fmt_hours(contract.calendar(maintenance.outside))})")
    inside = "; maintenance inside those hours always counts" if maintenance.outside else ""
    if maintenance.overrun == "excess":
        return (f"maintenance{where} is not counted as downtime, up to {allowance} per {period}"
                f"{inside}. Beyond {allowance} in a {period}, only the excess counts as downtime.")
    return (f"maintenance{where} is not counted as downtime in a {period} where it totals "
            f"{allowance} or less{inside}. In a {period} where it totals more than {allowance}, "
            f"all of that {period}'s maintenance counts as downtime.")


def credit_kind(credit) -> str:
    if isinstance(credit, model.TieredCredit):
        return "tiers"
    if isinstance(credit, model.PerOutageCredit):
        return "per_outage"
    if isinstance(credit, model.BandCredit):
        return "bands"
    if isinstance(credit, model.FeeMultipleCredit | model.HourlyRateCredit | model.DeviceCredit):
        return "formula"  # to_markdown_formulas.py
    return "extension"


_CREDIT_CHOICES = {
    "every": "**Which credits are paid.** Each of the credits above is paid for the same {period}.",
    "greater": "**Which credits are paid.** For each {period}, only the greater of the credits above "
               "is paid, compared as shares of the fee (a day of service at the fee / the days of its "
               "billing period); the others are not paid.",
    "customer": "**Which credits are paid.** For each {period}, the customer chooses one of the "
                "credits above; they are not paid together.",
}


def credit_choice_text(service: model.Service) -> str | None:
    """Which of a service's credits are paid, when the contract says (`pay ... credit`)."""
    if service.credit_choice is None:
        return None
    period = period_noun(service.availability) if service.availability is not None else "period"
    return _CREDIT_CHOICES[service.credit_choice].format(period=period)


def band_range(band: model.DurationBand) -> str:
    """A duration band in words: "15 minutes to less than 1 hour", "more than 4 hours"."""
    low = _length(band.low) if band.low else "0 minutes"
    if band.high is None:
        return f"more than {low}" if band.over else f"{low} or more"
    start = f"more than {low}" if band.over else low
    return f"{start} to {'less than ' if band.below else ''}{_length(band.high)}"


def band_notes(credit: model.BandCredit, availability: model.AvailabilityTarget | None) -> list[str]:
    """The rules around a band table: where outages belong, what a day of service is worth,
    and the gaps rule (docs/semantics.md "Credits by outage duration")."""
    first = credit.bands[0]
    period = period_noun(availability) if availability is not None else "period"
    shortest = f"of {_length(first.low)} or less" if first.over else f"shorter than {_length(first.low)}"
    notes = [f"Each outage earns the credit of the band its whole length falls in, once, in the "
             f"{period} in which it starts" + (f"; an outage {shortest} earns nothing." if first.low or first.over
                                               else ".")]
    if first.amount.kind == "days":
        notes.append("A day of service is worth the fee of the billing period in which the outage starts "
                     "divided by that period's number of days (for a monthly fee and a 31-day month, "
                     "1/31 of the month's fee); an hour of service is 1/24 of a day.")
    if credit.gaps is not None:
        party = "larger" if credit.gaps == "customer" else "smaller"
        notes.append(f"An outage whose length falls between two bands earns the {party} of their credits.")
    return notes


_EVENTS = {"report": "the customer's report", "detection": "the provider's own detection"}


def downtime_start(service: model.Service) -> str | None:
    """What the contract says about when downtime starts; None when it says nothing."""
    if service.downtime_start is None:
        return None
    function, events = service.downtime_start
    if function == "start" or not events:
        return "Downtime counts from the start of the outage."
    names = [_EVENTS.get(e, "the " + md(e)) for e in events]
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    which = "earlier" if function == "earliest" else "later"
    if len(names) > 2:
        which = "earliest" if function == "earliest" else "latest"
    return f"Downtime counts from the {which} of {listed}; time before that does not count."


def counting_lines(service: model.Service) -> list[tuple[str, object]]:
    """What counts as downtime beyond the outage records, one (sentence, span) per rule
    (docs/semantics.md "What counts as downtime")."""
    counting = service.counting
    per = period_noun(service.availability)
    lines: list[tuple[str, object]] = []
    if counting.minimum is not None:
        lines.append((_MINIMUM_TEXT[counting.minimum.rule].format(seconds_text(counting.minimum.seconds))
                      + " Overlapping or touching outages are one outage.", counting.minimum.span))
    if counting.sampling is not None:
        sampling = counting.sampling
        length = seconds_text(sampling.seconds)
        rule = ("an interval with any downtime in it counts as down in full"
                if sampling.threshold is None else
                f"an interval counts as down in full when at least {percent(sampling.threshold)} of it is "
                "down, and not at all otherwise")
        lines.append((f"Downtime is counted in intervals of {length}, the first starting with the "
                      f"{per} (local midnight): {rule}. An outage that only touches the edge of an "
                      "interval puts no downtime in it.", sampling.span))
    if counting.impact:
        lines.append(("Each outage counts in proportion to the share of customers it affected (30 minutes "
                      "affecting 25% of customers count as 7 minutes 30 seconds); where outages overlap, "
                      "the larger share counts.", counting.impact_span))
    if counting.scopes is not None:
        lines.append((_scopes_text(counting.scopes), counting.scopes.span))
    return lines


_MINIMUM_TEXT = {
    "longer": "Only an outage longer than {} counts as downtime; it then counts in full, from its first second.",
    "at_least": "Only an outage lasting at least {} counts as downtime; it then counts in full, from its "
                "first second.",
    "beyond": "Of each outage, only the time after its first {} counts as downtime.",
}


def _scopes_text(scopes: model.Scopes) -> str:
    kind = md(scopes.kind)
    listed = f" ({', '.join(md(n) for n in scopes.names)})" if scopes.names else ""
    head = f"Availability is measured per {kind}{listed}: each outage is recorded against the {kind} it affected."
    if scopes.overall == "average":
        return f"{head} The figure judged and credited is the average of the {kind}s' availability."
    if scopes.overall == "all-down":
        return f"{head} The service counts as down only while every listed {kind} is down."
    return (f"{head} Each {kind} is judged and credited on its own; the target is met only when every "
            f"{kind} meets it.")


def period_noun(availability: model.AvailabilityTarget | None) -> str:
    """"month", "quarter"...; "window" for a rolling window."""
    if availability is None:
        return "period"
    return "window" if availability.rolling_days is not None else availability.period


def uptime_heading(availability: model.AvailabilityTarget | None) -> str:
    """The credit table's first column: "Monthly uptime", "Uptime over the window"."""
    if availability is None:
        return "Periodly uptime"
    if availability.rolling_days is not None:
        return "Uptime over the window"
    return availability.period.capitalize() + "ly uptime"


def rolling_text(availability: model.AvailabilityTarget) -> str:
    """What the rolling window is, and what `before claim` adds."""
    days = availability.rolling_days
    if availability.before_claim:
        return (f"The window is the {days} days before the date of a claim (the claim date itself "
                "not included). Days before the service started count as available, and downtime "
                "already counted in an earlier successful claim is not counted again.")
    return (f"The window is the {days} days ending with the day for which availability is "
            "judged, that day included; it moves forward one day at a time.")


def billing_text(availability: model.AvailabilityTarget) -> str:
    """What a billing period anchored at activation covers, and the month-end rule."""
    kind = availability.period
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    day = availability.activated
    if day is None:
        start = (f"Each billing {kind} starts on the day of the month the service was activated and "
                 f"ends the day before that day {'a month' if months == 1 else f'{months} months'} later")
    else:
        start = (f"The service was activated on {fmt_date(day)}; each billing {kind} starts on day "
                 f"{day.day} of its first month and ends the day before day {day.day} "
                 f"{'a month' if months == 1 else f'{months} months'} later")
    return (start + ". In a month that has no such day the period starts on that month's last day "
            "(activated on the 31st: the 28th or 29th of February, the 30th of April).")


def _interval_word(seconds: int) -> str:
    """"minute", "hour", "5 min interval"."""
    return {60: "minute", 3600: "hour", 86400: "day"}.get(seconds, f"{short_seconds(seconds)} interval")


def _a(word: str) -> str:
    return "an" if word.startswith(("hour", "a", "e", "i", "o", "u", "8")) else "a"


def counts_text(counts: model.CountsSli) -> str:
    """How availability is computed from counts of executions, with the empty-interval rule."""
    every = _interval_word(counts.interval)
    name = md(counts.name)
    if counts.rule == "ratio":
        return (f"Availability is measured by {name}: the number that succeeded divided by the number made "
                f"in the period (counted per {every}). A period with none made is fully available.")
    if counts.rule == "threshold":
        over = "at or above" if counts.inclusive else "above"
        return (f"Availability is measured by {name}: each {every} whose error rate (failed {name} divided "
                f"by {name} made) is {over} {percent(counts.threshold or 0)} counts as down; {_a(every)} {every} "
                f"with no {name} counts as up.")
    window = _interval_word(counts.window or counts.interval)
    return (f"Availability is measured by {name}: 100% minus the average of the error rates of each {window} "
            f"of the period (failed {name} divided by {name} made); {_a(window)} {window} with no {name} counts as 0% errors.")


def partial_text(service: model.Service) -> str:
    """What a period the service existed in only in part is judged on, and its credits' fee."""
    noun = period_noun(service.availability)
    fee = ("the fee prorated to that part (the part's share of the " + noun + " times the fee)"
           if service.partial_fee == "prorated" else "the full fee")
    return (f"Partial periods: in a {noun} the service (or a resource) existed in only in part, "
            f"because it started or ended during it, availability is measured over that part, and "
            f"a credit stated as a share of the fee is a share of {fee}.")


def target_period(availability: model.AvailabilityTarget) -> str:
    """"calendar month", or for a fiscal year from February "fiscal quarter (quarters start on
    1 February, 1 May, 1 August and 1 November)"."""
    if availability.rolling_days is not None:
        return f"rolling window of {availability.rolling_days} days"
    if availability.billing:
        return f"billing {availability.period}, counted from the day the service was activated"
    first = availability.first_month
    if first == 1 or availability.period not in ("quarter", "year"):
        return period_word(availability.period)
    if availability.period == "year":
        return f"fiscal year (from 1 {_MONTHS[first - 1]})"
    starts = [f"1 {_MONTHS[(first - 1 + 3 * i) % 12]}" for i in range(4)]
    return f"fiscal quarter (quarters start on {', '.join(starts[:3])} and {starts[3]})"


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth")


def _numbered(n: int) -> str:
    """13th, 21st, 22nd, 111th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def claim_window_text(window: model.ClaimWindow, availability: model.AvailabilityTarget | None) -> str:
    """"within 30 days after the end of the month the credit is for", or "by the end of the
    second billing cycle (month) after ..."; a billing cycle is the service's measurement period."""
    period = period_noun(availability)
    after = f"after the end of the {period} the credit is for"
    if window.unit == "day":
        return f"within {'1 day' if window.count == 1 else f'{window.count} days'} {after}"
    if window.count == 1:
        return f"by the end of the next billing cycle ({period}) after the {period} the credit is for"
    nth = _ORDINALS[window.count - 1] if window.count <= len(_ORDINALS) else _numbered(window.count)
    return f"by the end of the {nth} billing cycle ({period}) after the {period} the credit is for"


def period_word(period: str) -> str:
    return {"month": "calendar month", "quarter": "calendar quarter", "year": "calendar year",
            "week": "week (Monday 00:00 to Monday 00:00)"}.get(period, md(period))


# ---- commitments and prose -------------------------------------------------------------------

PROSE_KINDS = (("feature", "Features"), ("policy", "Policies"), ("obligation", "Obligations"),
               ("exclude", "Exclusions"), ("note", "Notes"))


def fmt_commitment(commitment: model.Commitment) -> str:
    """"Replace any failing hardware part within 4 hours after a notification ..."."""
    text = md(commitment.text)
    if commitment.when == "every":
        text += " " + fmt_every(commitment.duration)
    elif commitment.when == "notice":
        text += f", with at least {fmt_duration(commitment.duration)}' notice"
    else:
        text += f" within {fmt_duration(commitment.duration)}"
        if commitment.after:
            text += f" after {md(commitment.after)}"
    if commitment.best_effort:
        text += " (best effort)"
    return text


def prose_groups(prose, kinds=PROSE_KINDS) -> list[tuple[str, list]]:
    """Prose grouped by kind in a fixed order, each group in the contract's order."""
    return [(title, [p for p in prose if p.kind == kind]) for kind, title in kinds
            if any(p.kind == kind for p in prose)]


def origin_plan(origin: str) -> str | None:
    return origin[len("plan "):] if origin.startswith("plan ") else None


def scope_label(scope: str) -> str:
    """"plan Basic" -> "Plan Basic"; "contract" -> "Whole contract"."""
    if scope == "contract":
        return "Whole contract"
    kind, _, name = scope.partition(" ")
    kind = {"addon": "add-on"}.get(kind, kind)
    return f"{md(kind.capitalize())} {md(name)}" if name else md(kind.capitalize())


def joined(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---- readings: "how we apply this", next to the rule they concern ---------------------------

def _line(item) -> int:
    return getattr(getattr(item, "span", None), "line", 0) or 0


def _contract_anchors(contract: model.Contract) -> list[tuple[int, str]]:
    """(line, place) for each top-level statement a contract-wide reading can follow."""
    anchors = [(_line(cal), "hours") for cal in contract.calendars if not cal.inline]
    anchors += [(_line(p), "priorities") for p in contract.priorities]
    anchors += [(_line(ch), "channels") for ch in contract.channels]
    anchors += [(_line(t), "targets") for t in contract.targets]
    if contract.escalation is not None:
        anchors.append((_line(contract.escalation), "targets"))
    prose_place = {"scope": "scope", "definition": "definitions"}
    anchors += [(_line(p), prose_place.get(p.kind, "general")) for p in contract.prose]
    anchors += [(_line(k), "general") for k in contract.commitments]
    anchors += [(_line(plan), f"plan {plan.name}") for plan in contract.plans]
    anchors += [(_line(addon), f"addon {addon.name}") for addon in contract.addons]
    anchors += [(_line(s), "services") for s in contract.services]
    anchors += [(_line(sec), f"section {sec.name}") for sec in contract.sections]
    return sorted(anchors)


def _service_anchors(service: model.Service) -> list[tuple[int, str]]:
    """(line, place) inside a service: its headline rules, each credit scheme, its prose."""
    head = f"service {service.name}"
    anchors = [(_line(service.availability), head)] if service.availability else []
    anchors += [(_line(m), head) for m in service.monitors]
    if service.maintenance is not None:
        anchors.append((_line(service.maintenance), head))
    anchors += [(_line(credit), f"{head}/credit {i}") for i, credit in enumerate(service.credits)]
    anchors += [(_line(p), head if p.kind == "definition" else f"{head}/tail") for p in service.prose]
    anchors += [(_line(k), f"{head}/tail") for k in service.commitments]
    return sorted(anchors)


def _plan_anchors(plan: model.Plan) -> list[tuple[int, str]]:
    """(line, place) inside a plan: its own targets, its escalation table, the rest."""
    head = f"plan {plan.name}"
    anchors = [(_line(t), f"{head}/targets") for t in plan.targets if origin_plan(t.origin) == plan.name]
    if plan.escalation is not None and origin_plan(plan.escalation.origin) in (None, plan.name):
        anchors.append((_line(plan.escalation), f"{head}/escalation"))
    anchors += [(_line(p), head) for p in own_prose(plan)]
    for item in (plan.price,):
        if item is not None:
            anchors.append((_line(item), head))
    return sorted(anchors)


def _nearest(anchors: list[tuple[int, str]], line: int, default: str) -> str:
    """The place of the last statement written before `line` (a reading follows its rule)."""
    place = default
    for anchor_line, name in anchors:
        if anchor_line and anchor_line <= line:
            place = name
    return place


@lru_cache(maxsize=8)
def reading_places(contract: model.Contract) -> dict[str, tuple[model.Reading, ...]]:
    """Each reading keyed by the place in the document where it is stated.

    A reading is written after the rule it settles, so it goes with the nearest statement
    before it in its own block: a plan's reading under that plan, a service's under the credit
    scheme or headline rule it follows, a contract-wide one under the channels' hours, the
    targets, a section... Every reading gets exactly one place (`test_every_reading_is_stated`).
    """
    services = {s.name: s for s in contract.services}
    plans = {p.name: p for p in contract.plans}
    places: dict[str, list[model.Reading]] = defaultdict(list)
    contract_anchors = _contract_anchors(contract)
    for reading in contract.readings:
        kind, _, name = reading.scope.partition(" ")
        line = _line(reading)
        if reading.scope == "contract":
            place = _nearest(contract_anchors, line, "general")
        elif kind == "service" and name in services:
            place = _nearest(_service_anchors(services[name]), line, f"service {name}")
        elif kind == "plan" and name in plans:
            place = _nearest(_plan_anchors(plans[name]), line, f"plan {name}")
        elif kind == "channel":
            place = "channels"
        else:
            place = reading.scope
        places[place].append(reading)
    return {place: tuple(found) for place, found in places.items()}


def readings_at(contract: model.Contract, place: str) -> tuple[model.Reading, ...]:
    return reading_places(contract).get(place, ())


def hours_reading_place(contract: model.Contract) -> str:
    """Where readings about the calendars go: under the channels' hours when the channel table
    shows hours, else with the calendars under "How we count time"."""
    return "channels" if any(ch.hours for ch in contract.channels) else "calendars"


def reading_note(reading: model.Reading) -> str:
    """A reviewer's pointer to the contract's reading (only with `render --cite`)."""
    if not _CITE.get():
        return ""
    return f' _(contract line {_line(reading)}, reading of: "{md(reading.quote)}")_'


# ---- plans -----------------------------------------------------------------------------------

def own_prose(plan: model.Plan, kinds: tuple[str, ...] | None = None) -> list[model.Prose]:
    """A plan's own prose: what it inherits is stated once, under the plan it comes from."""
    return [p for p in plan.prose if origin_plan(p.origin) in (None, plan.name)
            and (kinds is None or p.kind in kinds)]


def plan_is_bare(contract: model.Contract, plan: model.Plan) -> bool:
    """A plan that states nothing of its own: listed by name only."""
    return not (plan.price or plan.includes or plan.hours or plan.channels or plan.targets
                or plan.escalation or own_prose(plan) or readings_at(contract, f"plan {plan.name}"))


# ---- which conventions a contract needs ------------------------------------------------------

def _all_targets(contract: model.Contract) -> list[model.Target]:
    found = list(contract.targets)
    for holder in (*contract.plans, *contract.addons, *contract.channels):
        found += holder.targets
    return found


def _zone_has_dst(zone: str, years: tuple[int, int] | None = None) -> bool:
    return zone_offsets(zone, years or _OFFSET_YEARS)[1] is not None


def conventions(contract: model.Contract) -> dict[str, bool]:
    """Flags for "How we count time": state a convention only where the contract uses it."""
    targets = _all_targets(contract)
    calendars = {cal.name: cal for cal in contract.calendars}
    used = {t.calendar for t in targets if t.calendar} | {p.hours for p in contract.plans if p.hours}
    used = {option for name in used for option in contract.hours_options(name)}
    plan_hours = any(t.calendar is None for t in targets)
    business = any(name in calendars and not calendars[name].always for name in used) or (
        plan_hours and any(calendars[o].always is False for p in contract.plans if p.hours
                           for o in contract.hours_options(p.hours) if o in calendars))
    zones = [(cal.zone, cal.holiday_years) for cal in contract.calendars if cal.name in used]
    zones += [(s.availability.zone, None) for s in contract.services if s.availability]
    escalation = contract.escalation is not None or any(p.escalation for p in contract.plans)
    return {
        "tickets": bool(targets),
        "business_hours": bool(targets) and business,
        # the inactivity steps count business days the same way: the convention applies to them
        "business_days": any(t.duration.business_days is not None for t in targets) or any(
            s.duration.business_days is not None
            for s in (contract.clock.inactivity.steps if contract.clock.inactivity else ())),
        "dst": any(_zone_has_dst(zone, years) for zone, years in zones),
        "escalation": escalation,
        "services": bool(contract.services),
        "tiers": any(credit_kind(c) == "tiers" for s in contract.services for c in s.credits),
    }


def banner_file(contract: model.Contract) -> str:
    """The contract's file name for the invisible "generated from" comment: a conservative
    character set, so the comment can never end early or turn into visible text."""
    return re.sub(r"[^A-Za-z0-9._/-]", "_", contract.file) or "contract"


# ---- the environment -------------------------------------------------------------------------

_CLOCK_NAMES = {"response": "response", "resolution": "resolution", "update": "update",
                "pickup": "pickup"}


def clock_rules_text(contract: model.Contract) -> list[tuple[str, object]]:
    """(sentence, span) of the contract's clock rules (docs/semantics.md "Clock rules"): which
    statuses pause which clocks, and what a reopened ticket does. Statuses are contract text."""
    rules = contract.clock
    out: list[tuple[str, object]] = []
    every = [r for r in rules.pauses if not r.metrics]
    if every:
        statuses = _statuses([s for r in every for s in r.statuses])
        out.append((f"Every clock is paused while the ticket's status is {statuses}: only business "
                    "time inside the pause is lost, so the due time moves later by that much.",
                    every[0].span))
    else:
        out.append(("While a ticket waits on the customer its clock is paused: only business time "
                    "inside the pause is lost, so the due time moves later by that much.", None))
    for rule in rules.pauses:
        if rule.metrics:
            clocks = joined([f"{_CLOCK_NAMES[m]}" for m in rule.metrics])
            plural = "clocks are" if len(rule.metrics) > 1 else "clock is"
            out.append((f"The {clocks} {plural} {'also ' if every else ''}paused while the "
                        f"ticket's status is {_statuses(rule.statuses)}.", rule.span))
    if rules.reopen == "restarts":
        out.append(("A ticket solved and then reopened starts a new resolution cycle, with its own "
                    "due time counted from the reopening; a cycle that missed its due time stays "
                    "missed. The other clocks continue, without the time the ticket spent solved.",
                    rules.span if rules.reopen_stated else None))
    else:
        out.append(("A ticket solved and then reopened continues its clocks: the time it spent "
                    "solved does not count.", rules.span if rules.reopen_stated else None))
    if len(contract.priorities) > 1:
        whence = "the change" if rules.reclassify == "change" else "the opening of the ticket"
        out.append(("When a ticket's priority changes, a target already met or missed keeps the "
                    "priority it was judged under; a target still running takes the new "
                    f"priority's time, counted from {whence}.",
                    rules.reclassify_span if rules.reclassify_stated else None))
    if rules.inactivity is not None:
        out.append((inactivity_text(rules.inactivity), rules.inactivity.span))
    return out


def inactivity_text(rule: model.Inactivity) -> str:
    """The inactivity timers as one sentence: states our helpdesk moves a waiting ticket to."""
    steps = [f"to *{md(step.name)}* after {fmt_duration(step.duration)}" for step in rule.steps]
    where = counted_in(rule.calendar) if rule.calendar_stated else "counted around the clock"
    later = "; each step counts from the one before it" if len(steps) > 1 else ""
    return (f"While a ticket's status is {_statuses(rule.statuses)}, our helpdesk moves it on if the "
            f"customer does not reply: {', then '.join(steps)}, {where}{later}. A reply from the "
            "customer, or a change to another status, starts the count again.")


def _statuses(statuses) -> str:
    """"a", "b" or "c", each status as literal text."""
    quoted = [f'"{md(s)}"' for s in statuses]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


_FILTERS = {
    "md": md, "percent": percent, "fmt_money": fmt_money, "fmt_duration": fmt_duration,
    "fmt_date": fmt_date, "next_day": next_day, "fmt_hours": fmt_hours, "fmt_target": fmt_target, "fmt_share": fmt_share,
    "fmt_commitment": fmt_commitment, "seconds_text": seconds_text, "source_note": source_note,
    "tier_range": tier_range, "band_range": band_range, "share_billing": share_billing, "week_text": week_text,
    "scope_label": scope_label, "joined": joined, "credit_kind": credit_kind,
    "reading_note": reading_note,
}
_GLOBALS = {
    "allowed_downtime": allowed_downtime, "fmt_zone": fmt_zone, "contract_zone": contract_zone,
    "channel_plans": channel_plans, "target_table": target_table,
    "holiday_rows": holiday_rows, "tier_gaps": tier_gaps, "band_notes": band_notes, "table_fee": table_fee,
    "fee_scope_text": fee_scope_text, "credit_choice_text": credit_choice_text, "outage_rule": outage_rule,
    "hours_text": hours_text, "choice_text": choice_text, "plan_choice_rows": plan_choice_rows,
    "maintenance_text": maintenance_text, "target_period": target_period,
    "downtime_start": downtime_start, "counting_lines": counting_lines, "period_noun": period_noun,
    "uptime_heading": uptime_heading, "rolling_text": rolling_text, "billing_text": billing_text, "counts_text": counts_text, "partial_text": partial_text, "claim_window_text": claim_window_text, "period_text": period_text, "credit_kind": credit_kind, "period_word": period_word, "prose_groups": prose_groups,
    "origin_plan": origin_plan, "counted_in": counted_in, "PROSE_KINDS": PROSE_KINDS,
    "readings_at": readings_at, "hours_reading_place": hours_reading_place,
    "reading_note": reading_note, "own_prose": own_prose, "plan_is_bare": plan_is_bare,
    "conventions": conventions, "banner_file": banner_file, "citing": citing,
    "clock_rules_text": clock_rules_text,
    "maintenance_window_lines": maintenance_window_lines, "credit_life_lines": credit_life_lines,
}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one Jinja2 environment: StrictUndefined, no autoescape (Markdown is escaped by `md`)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sladsl", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(_FILTERS)
    env.globals.update(_GLOBALS)
    from sladsl import to_markdown_formulas as formulas  # it imports this module's filters

    env.globals.update(formula_heading=formulas.formula_heading, formula_lines=formulas.formula_lines,
                       penalty_lines=formulas.penalty_lines)
    env.tests["bare_plan"] = lambda plan, contract: plan_is_bare(contract, plan)
    return env


_BLANK_LINES = re.compile(r"\n{3,}")


def render(contract: model.Contract | model.Versions, cite: bool = False,
           holidays: bool = True) -> str:
    """The contract's published document: deterministic Markdown ending with one newline.

    A contract with several versions is published as the document of each version, earliest
    first, each stating the days it is in effect.

    `cite` adds reviewer notes: the contract line behind each statement and the text each
    reading settles. `holidays=False` leaves the holiday lists out (the HTML page lists them
    with its support-hours chart).
    """
    if isinstance(contract, model.Versions):
        return "\n---\n\n".join(render(v, cite, holidays) for v in contract.versions)
    token = _CITE.set(cite)
    try:
        text = environment().get_template("contract.md.j2").render(c=contract, holidays=holidays)
    finally:
        _CITE.reset(token)
    # Template blocks that render empty leave runs of blank lines: one blank line separates blocks.
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip("\n") + "\n"
