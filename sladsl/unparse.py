"""AST -> canonical `.sla` text: the inverse of the front end.

The promise (tested with hypothesis): for every `ast.Module` the front end can produce,
`front_end(unparse(m))` gives a module equal to `m` (spans are left out of equality).

Canonical form: 2-space indentation, one statement per line, blocks `header {` ... `}`, calendars
as `calendar NAME = ...` on one line, target options in the order quantity, `(alternative)`,
`within`, `best-effort`, names bare when they are identifiers that are not keywords, every string
through `quote()`. `fmt.py` reuses the emitted `Line`s to put comments and blank lines back.
"""

from __future__ import annotations

import functools
import re


from sladsl import ast, nodes

INDENT = "  "
IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Escapes the grammar's STRING admits (to_ast.unquote reads them back).
_SIMPLE_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


class UnparseError(ValueError):
    """The AST has a shape no `.sla` text produces (e.g. a level list mixing both forms)."""


@functools.cache
def keywords() -> frozenset[str]:
    """Every word the grammar spells out as a literal (`"respond"`, `"Mon"`, `"business"`...)."""
    from sladsl.parse import grammar_path

    text = grammar_path().read_text(encoding="utf-8")
    code = "\n".join(line.split("//", 1)[0] for line in text.splitlines())
    return frozenset(re.findall(r'"([A-Za-z_][A-Za-z0-9_]*)"', code))


def quote(text: str) -> str:
    """A STRING token whose value is exactly `text`: `unquote(quote(s)) == s` for any `s`."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[char])
        elif (code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000
              or char in "\u2028\u2029\ufeff"):
            # Control characters, lone surrogates and line separators are spelled out so the
            # text stays one line and survives any editor or encoder.
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def name(node: ast.Name) -> str:
    """A name bare when it lexes as an identifier and is no keyword, else quoted."""
    text = node.text
    if IDENT_RE.fullmatch(text) and text not in keywords():
        return text
    return quote(text)


def names(nodes: tuple[ast.Name, ...]) -> str:
    return ", ".join(name(n) for n in nodes)


# ---- expressions (text on one line) ----------------------------------------------------------


def duration(node) -> str:
    if isinstance(node, ast.ClockDuration):
        return node.text
    if isinstance(node, ast.UnitDuration):
        return f"{node.count} {node.unit}"
    if isinstance(node, ast.BusinessDays):
        # The AST keeps no singular/plural: both spellings read back as the same count.
        return f"{node.count} business {'day' if node.count == 1 else 'days'}"
    if type(node).__name__ == "MisplacedPercent":  # a percentage where a duration belongs
        return node.text
    raise UnparseError(f"not a duration: {node!r}")


def _holiday(node) -> str:
    if isinstance(node, ast.HolidaySet):
        text = f"holidays({', '.join((node.region, *node.categories))})"
        if node.years is not None:
            text += f" {node.years.first}..{node.years.last}"
        if node.without:
            text += " without " + " and ".join(quote(name) for name in node.without)
        return text
    if isinstance(node, ast.HolidayRange):
        text = f"{node.first_month} {node.first_day} - {node.last_month} {node.last_day}"
        return text if node.label is None else f"{text} {quote(node.label)}"
    if isinstance(node, ast.DateRange):
        text = f"{node.first} - {node.last}"
        return text if node.label is None else f"{text} {quote(node.label)}"
    if isinstance(node, ast.DayAfter):
        base = node.base if isinstance(node.base, ast.HolidayRule) else None
        return "day after " + (_holiday(base) if base is not None else quote(str(node.base)))
    if isinstance(node, ast.HolidayDate):
        return node.date if node.label is None else f"{node.date} {quote(node.label)}"
    if isinstance(node, ast.HolidayRule):
        parts = []
        if node.ordinal is not None or node.weekday is not None:
            if node.ordinal is None or node.weekday is None:
                raise UnparseError("a holiday rule needs both an ordinal and a weekday, or neither")
            parts += [node.ordinal, node.weekday, node.word]  # the author's word: `of` or `in`
        parts.append(node.month)
        if node.day is not None:
            parts.append(str(node.day))
        if node.label is not None:
            parts.append(quote(node.label))
        if node.observed:
            parts.append("observed")
        return " ".join(parts)
    raise UnparseError(f"not a holiday: {node!r}")


def _dayset(node: ast.DaySet) -> str:
    if node.group is not None:
        return node.group
    return ", ".join(r.first if r.last is None else f"{r.first}-{r.last}" for r in node.ranges)


def window(node: ast.Window) -> str:
    close = node.close if node.close_day is None else f"{node.close_day} {node.close}"
    return f"{node.open}-{close}{' next day' if node.next_day else ''}"


def calendar_item(node) -> str:
    if isinstance(node, ast.Weekly):
        if not node.windows:
            raise UnparseError("a weekly calendar item needs at least one window")
        windows = ", ".join(window(w) for w in node.windows)
        return windows if node.days is None else f"{_dayset(node.days)} {windows}"
    if isinstance(node, ast.HolidayHours):
        if node.always is not None:
            return f"on holidays {node.always.text}"
        if not node.windows:
            raise UnparseError("holiday hours need a window or `24x7`")
        return "on holidays " + ", ".join(window(w) for w in node.windows)
    if isinstance(node, ast.Always):
        return node.text
    if isinstance(node, ast.ZoneItem):
        return f"zone {node.zone}" if node.keyword else node.zone
    if isinstance(node, ast.Except):
        return "except " + ", ".join(_holiday(h) for h in node.holidays)
    raise UnparseError(f"not a calendar item: {node!r}")


def calendar_line(items: tuple) -> str:
    return " ".join(calendar_item(item) for item in items)


def calref(node) -> str:
    if isinstance(node, ast.CalendarRef):
        return name(node.name)
    if isinstance(node, ast.Always):
        return node.text
    if isinstance(node, ast.InlineCalendar):
        if not node.items:
            raise UnparseError("an inline calendar needs at least one item")
        return f"business({calendar_line(node.items)})"
    raise UnparseError(f"not a calendar: {node!r}")


def quantity(node) -> str:
    if isinstance(node, ast.Fixed):
        return duration(node.duration)
    if isinstance(node, ast.Range):
        return f"between {duration(node.low)} and {duration(node.high)}"
    if isinstance(node, ast.Proportion):
        text = f"{duration(node.duration)} for {node.percent}"
        return text if node.period is None else f"{text} per {node.period}"
    if isinstance(node, ast.WeeklyCadence):
        return "weekly"
    raise UnparseError(f"not a target quantity: {node!r}")


START_WORDS = {"contact": "from first contact", "priority": "from priority set"}


def target(node: ast.Target) -> str:
    parts = [node.metric, *(["every"] if node.every else []), quantity(node.quantity)]
    if node.alternative is not None:
        parts.append(f"({duration(node.alternative)})")
    if node.calendar is not None:
        parts.append(f"within {calref(node.calendar)}")
    if node.best_effort:
        parts.append("best-effort")
    if node.negotiable:
        parts.append("or as agreed")
    if node.after_response:
        parts.append("after response")
    if node.until_restored is not None:
        parts.append(f"until restored then {calref(node.until_restored)}")
    if node.start is not None:
        parts.append(START_WORDS[node.start])
    return " ".join(parts)


def share(node) -> str:
    if isinstance(node, ast.FeeShare):
        return f"{node.percent} of {node.basis} fee"
    if isinstance(node, ast.FeeFraction):
        return f"{node.fraction} of {node.basis} fee"
    if isinstance(node, ast.ServiceDays):
        return f"{node.count} {'day' if node.count == 1 else 'days'} of service"
    if isinstance(node, ast.ServiceHours):
        return f"{node.count} {'hour' if node.count == 1 else 'hours'} of service"
    raise UnparseError(f"not a credit share: {node!r}")


def credit_kind(node) -> str:
    if isinstance(node, ast.Tiers):
        return f"tiers of {node.basis} fee"
    if isinstance(node, ast.PerOutage):
        return (f"per outage beyond {duration(node.grace)} "
                f"per {node.rounding} {duration(node.period)}")
    if isinstance(node, ast.Extension):
        return f"extension for {node.scope} downtime"
    if isinstance(node, ast.Bands):
        return "per outage by duration"
    if isinstance(node, ast.FeeMultiple):
        return f"{node.multiplier} times fees for downtime of {node.basis} fee"
    if isinstance(node, ast.HourlyRate):
        rate = "hourly rate" if node.rate is None else " ".join(
            part for part in (node.rate.currency, node.rate.amount) if part)
        rounding = f"{node.rounding} " if node.rounding else ""
        return f"{rate} per {rounding}hour of downtime"
    if isinstance(node, ast.PerViolation):
        return "per violation"
    raise UnparseError(f"not a credit kind: {node!r}")


def band_row(node: ast.BandRow) -> str:
    """`15m..below 1h -> 1 day of service`, `4h.. -> ...`, `over 4h -> ...`."""
    if node.over:
        return f"over {duration(node.low)} -> {share(node.share)}"
    high = "" if node.high is None else ("below " if node.below else "") + duration(node.high)
    return f"{duration(node.low)}..{high} -> {share(node.share)}"


def credit_line(node) -> str:
    if isinstance(node, ast.TierRow):
        if node.below:
            if node.low is not None:
                return f"{node.low}..below {node.high} -> {node.credit}"
            return f"below {node.high} -> {node.credit}"
        low = "" if node.low is None else node.low
        return f"{low}..{node.high} -> {node.credit}"
    if isinstance(node, ast.BandRow):
        return band_row(node)
    if isinstance(node, ast.Amount):
        return share(node.share)
    if isinstance(node, ast.Cap):
        return f"cap {share(node.share)} per {node.period}"
    if isinstance(node, ast.Gaps):
        return f"gaps favour {node.party}"
    if isinstance(node, ast.FeeScope):
        return f"fee of the affected {node.kind}"
    if isinstance(node, ast.Claim):
        return f"claim {quote(node.text)}"
    if isinstance(node, ast.ClaimWindow):
        return f"claim within {claim_span(node.length)} after period end"
    life = _CREDIT_LIFE.get(type(node))
    if life is not None:
        return life(node)
    if isinstance(node, ast.PerDevice):
        return f"{node.money.currency} {node.money.amount} per affected device"
    if isinstance(node, ast.ProratedDevices):
        return f"{share(node.share)} prorated by affected devices"
    if isinstance(node, ast.DeviceCount):
        return f"devices {node.count}"
    raise UnparseError(f"not a credit line: {node!r}")


# Where and how a credit is claimed, when it is posted and when it expires.
_CREDIT_LIFE = {
    ast.ClaimAt: lambda node: f"claim at {quote(node.address)}",
    ast.ClaimIncludes: lambda node: "claim includes " + ", ".join(quote(i) for i in node.items),
    ast.PostWithin: lambda node: f"post within {duration(node.length)} after claim",
    ast.PostNextInvoice: lambda node: "post on next invoice",
    ast.ExpireAfter: lambda node: f"expire {node.count} {node.unit} after issue",
    ast.ExpireAtEnd: lambda node: "expire at contract end",
}


def dated_window(node: ast.DatedWindow) -> str:
    end = node.end if node.end_date is None else f"{node.end_date} {node.end}"
    return f"{node.date} {node.start}-{end}"


def claim_span(node) -> str:
    if isinstance(node, ast.BillingCycles):
        return f"{node.count} billing {'cycle' if node.count == '1' else 'cycles'}"
    return duration(node)


def condition(node: ast.Condition) -> str:
    """`organisation is "Acme", Globex`: a plan's test on a ticket attribute."""
    return f"{node.attribute.text} {node.op} {names(node.values)}"


def choice_branch(node: ast.ChoiceBranch) -> str:
    """`"Germany", "Austria": de_hours` or `otherwise: eu_hours` (values are always quoted)."""
    values = ", ".join(quote(v.text) for v in node.values) if node.values else "otherwise"
    return f"{values}: {calref(node.calendar)}"


def escalation_row(node: ast.EscalationRow) -> str:
    end = "" if node.end is None else duration(node.end)
    parts = [f"{duration(node.start)}..{end}", quote(node.role)]
    parts += [f"{key} {quote(value)}" for key, value in node.fields]
    return " ".join(parts)


def level(node: ast.Level) -> str:
    if node.description is None:
        raise UnparseError("a level in a `priorities { }` block needs a description")
    parts = [f"{name(node.name)}:", quote(node.description)]
    parts += [f"example {quote(e)}" for e in node.examples]
    return " ".join(parts)


# ---- statements (lines) ----------------------------------------------------------------------


@nodes.frozen
class Line:
    """One output line, with the source lines it came from (0 when the AST has no spans)."""

    depth: int
    text: str
    kind: str  # "stmt", "open" (ends with `{`) or "close" (`}`)
    first: int
    last: int


class Unparser:
    """Writes statements as `Line`s: one `stmt_<Node>` method per statement class."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.depth = 0

    def writeline(self, text: str, node, kind: str = "stmt", last_node=None) -> None:
        first, last = node.span.line, (last_node or node).span.end_line
        if kind == "open":
            last = first
        elif kind == "close":
            first = last
        self.lines.append(Line(self.depth, text, kind, first, last))

    def block(self, header: str, node, rows) -> None:
        """`header {`, then each row (a statement, or a (text, first node, last node)), then `}`."""
        self.writeline(f"{header} {{", node, "open")
        self.depth += 1
        for row in rows:
            if isinstance(row, tuple):
                self.writeline(row[0], row[1], last_node=row[-1])
            else:
                self.statement(row)
        self.depth -= 1
        self.writeline("}", node, "close")

    def body(self, statements) -> None:
        for statement in statements:
            self.statement(statement)

    def statement(self, node) -> None:
        method = getattr(self, f"stmt_{type(node).__name__}", None)
        if method is None:
            raise UnparseError(f"not a statement: {node!r}")
        method(node)

    # ---- declarations -------------------------------------------------------------------------
    def stmt_Contract(self, node: ast.Contract) -> None:
        self.block(f"contract {name(node.name)}", node, node.body)

    def stmt_Plan(self, node: ast.Plan) -> None:
        header = f"plan {name(node.name)}"
        if node.includes:
            header += f" includes {names(node.includes)}"
        if node.when:
            header += " when " + " and ".join(condition(c) for c in node.when)
        elif node.otherwise:
            header += " otherwise"
        self.block(header, node, node.body)

    def stmt_Addon(self, node: ast.Addon) -> None:
        header = f"addon {name(node.name)}"
        if node.for_plans:
            header += f" for {names(node.for_plans)}"
        self.block(header, node, node.body)

    def stmt_Channel(self, node: ast.Channel) -> None:
        self.block(f"channel {name(node.name)}", node, node.body)

    def stmt_Service(self, node: ast.Service) -> None:
        self.block(f"service {name(node.name)}", node, node.body)

    def stmt_Section(self, node: ast.Section) -> None:
        self.block(f"section {name(node.name)}", node, node.body)

    def stmt_Within(self, node: ast.Within) -> None:
        self.block(f"within {calref(node.calendar)}", node, node.body)

    # ---- header and prose ---------------------------------------------------------------------
    def stmt_Header(self, node: ast.Header) -> None:
        self.writeline(f"{node.key} {quote(node.value)}", node)

    def stmt_HeaderDate(self, node: ast.HeaderDate) -> None:
        self.writeline(f"{node.key} {node.value}" + (" splitting periods" if node.splitting else ""), node)

    def stmt_Currency(self, node: ast.Currency) -> None:
        self.writeline(f"currency {node.code}", node)

    def stmt_DefaultZone(self, node: ast.DefaultZone) -> None:
        self.writeline(f"zone {node.zone}", node)

    def stmt_Prose(self, node: ast.Prose) -> None:
        self.writeline(f"{node.kind} {quote(node.text)}", node)

    def stmt_Definition(self, node: ast.Definition) -> None:
        self.writeline(f"definition {quote(node.term)} {quote(node.text)}", node)

    def stmt_Reading(self, node: ast.Reading) -> None:
        topic = "" if node.topic is None else f"{node.topic} "
        self.writeline(f"reading {topic}{quote(node.quote)} as {quote(node.meaning)}", node)

    # ---- calendars, priorities, targets -------------------------------------------------------
    def stmt_Calendar(self, node: ast.Calendar) -> None:
        if node.items:
            self.writeline(f"calendar {name(node.name)} = {calendar_line(node.items)}", node)
        else:  # an empty calendar (E303 in the checker) has only the block form
            self.block(f"calendar {name(node.name)}", node, [])

    def stmt_CalendarChoice(self, node: ast.CalendarChoice) -> None:
        self.block(f"calendar {name(node.name)} by {node.attribute.text}", node,
                   [(choice_branch(b), b) for b in node.branches])

    def stmt_Priorities(self, node: ast.Priorities) -> None:
        if node.levels and all(l.description is None and not l.examples for l in node.levels):
            self.writeline(f"priorities {names(tuple(l.name for l in node.levels))}", node)
        else:
            self.block("priorities", node, [(level(l), l) for l in node.levels])

    def stmt_TargetStmt(self, node: ast.TargetStmt) -> None:
        targets = " ".join(target(t) for t in node.targets)
        if node.priorities:
            self.writeline(f"priority {names(node.priorities)} {targets}", node)
        elif len(node.targets) == 1:
            self.writeline(targets, node)
        else:
            raise UnparseError("several targets on one line need a `priority` list")

    def stmt_Escalate(self, node: ast.Escalate) -> None:
        header = "escalate" if node.calendar is None else f"escalate within {calref(node.calendar)}"
        self.block(header, node, [(escalation_row(r), r) for r in node.rows])

    # ---- plans and channels -------------------------------------------------------------------
    def stmt_Hours(self, node: ast.Hours) -> None:
        self.writeline(f"hours {calref(node.calendar)}", node)

    def stmt_Contact(self, node: ast.Contact) -> None:
        self.writeline(f"contact {quote(node.text)}", node)

    def stmt_Audience(self, node: ast.Audience) -> None:
        self.writeline(f"audience {quote(node.text)}", node)

    def stmt_Channels(self, node: ast.Channels) -> None:
        self.writeline(f"channels {names(node.names)}", node)

    def stmt_Price(self, node: ast.Price) -> None:
        if node.money is not None:
            addon = "addon " if node.addon else ""
            text = f"price {addon}{node.money.currency} {node.money.amount}"
            if node.period is not None:
                text += f" per {node.period}"
        elif node.included:
            text = "price included" if node.label is None else f"price included {quote(node.label)}"
        else:
            raise UnparseError("a price is an amount or `included`")
        self.writeline(text, node)

    def stmt_DefaultPriority(self, node: ast.DefaultPriority) -> None:
        self.writeline(f"default priority {name(node.name)}", node)

    def stmt_OnlyPriority(self, node: ast.OnlyPriority) -> None:
        self.writeline(f"only priority {names(node.names)}", node)

    # ---- services and credits -----------------------------------------------------------------
    def stmt_Availability(self, node: ast.Availability) -> None:
        period = node.period
        if node.rolling_days is not None:
            period = f"rolling {node.rolling_days} days" + (" before claim" if node.before_claim else "")
        if node.billing_from is not None:
            period = f"billing {node.period} from {node.billing_from}"
        parts = ["availability", node.percent, "per", period]
        if node.fiscal_from is not None:
            parts += ["fiscal from", node.fiscal_from]
        if node.not_rolling:
            parts.append("not rolling")
        if node.best_effort:
            parts.append("best-effort")
        if node.zone is not None:
            parts += ["in", node.zone]
        if node.measured_at is not None:
            parts += ["measured at", quote(node.measured_at)]
        self.writeline(" ".join(parts), node)

    def stmt_Monitor(self, node: ast.Monitor) -> None:
        text = f"monitor every {duration(node.interval)}"
        if node.description is not None:
            text += f" {quote(node.description)}"
        self.writeline(text, node)

    def stmt_DowntimeDef(self, node: ast.DowntimeDef) -> None:
        self.writeline(f"downtime means {quote(node.text)}", node)

    def stmt_DowntimeStart(self, node: ast.DowntimeStart) -> None:
        if node.function is not None:
            start = f"{node.function}({', '.join(node.events)})"
        elif len(node.events) == 1:
            start = node.events[0]
        else:
            raise UnparseError("a downtime start without a function names one event")
        self.writeline(f"downtime starts at {start}", node)

    def stmt_DowntimeMinimum(self, node: ast.DowntimeMinimum) -> None:
        length = duration(node.duration)
        text = {"longer": f"downtime counts outages longer than {length}",
                "at_least": f"downtime counts outages of at least {length}",
                "beyond": f"downtime counts only beyond {length} of each outage"}.get(node.rule)
        if text is None:
            raise UnparseError(f"unknown minimum outage rule {node.rule!r}")
        self.writeline(text, node)

    def stmt_DowntimeIntervals(self, node: ast.DowntimeIntervals) -> None:
        text = f"downtime in {duration(node.interval)} intervals"
        if node.threshold is not None:
            text += f" at least {node.threshold} down"
        self.writeline(text, node)

    def stmt_CountsSli(self, node: ast.CountsSli) -> None:
        rule = {"ratio": "good / total",
                "threshold": f"down when error rate {node.over} {node.threshold}",
                "average": f"average of {duration(node.window) if node.window else ''} error rates"}[node.rule]
        self.writeline(f"measured by {node.name} in {duration(node.interval)} intervals {rule}", node)

    def stmt_PartialPeriods(self, node: ast.PartialPeriods) -> None:
        self.writeline(f"partial periods credit {node.fee} fee", node)

    def stmt_DowntimeWeighting(self, node: ast.DowntimeWeighting) -> None:
        self.writeline("downtime weighted by impact", node)

    def stmt_Scopes(self, node: ast.Scopes) -> None:
        text = f"measured per {node.kind}"
        if node.names:
            text += f" in {names(node.names)}"
        if node.overall is not None:
            text += f" overall {node.overall}"
        self.writeline(text, node)

    def stmt_Maintenance(self, node: ast.Maintenance) -> None:
        text = f"maintenance up to {duration(node.allowance)} per {node.period}"
        if node.outside is not None:
            text += f" outside {calref(node.outside)}"
        self.writeline(f"{text} overrun counts {node.overrun}", node)

    def stmt_MaintenanceWindow(self, node: ast.MaintenanceWindow) -> None:
        text = f"maintenance on {dated_window(node.window)}"
        if node.backup is not None:
            text += f" backup {dated_window(node.backup)}"
        if node.affecting:
            text += f" affecting {names(node.affecting)}"
        self.writeline(text, node)

    def stmt_PauseRule(self, node: ast.PauseRule) -> None:
        metrics = f"{', '.join(node.metrics)} " if node.metrics else ""
        statuses = ", ".join(quote(s) for s in node.statuses)
        self.writeline(f"pause {metrics}while status {statuses}", node)

    def stmt_ReopenRule(self, node: ast.ReopenRule) -> None:
        self.writeline(f"reopen {node.mode}", node)

    def stmt_InactivityRule(self, node: ast.InactivityRule) -> None:
        header = f"inactivity while status {', '.join(quote(s) for s in node.statuses)}"
        if node.calendar is not None:
            header += f" within {calref(node.calendar)}"
        self.block(header, node, [(f"{s.name} after {duration(s.duration)}", s) for s in node.steps])

    def stmt_ReclassifyRule(self, node: ast.ReclassifyRule) -> None:
        self.writeline(f"reclassification counts from {node.start}", node)

    def stmt_Penalty(self, node: ast.Penalty) -> None:
        priorities = f" priority {', '.join(name(n) for n in node.priorities)}" if node.priorities else ""
        fiscal = f" fiscal from {node.fiscal_from}" if node.fiscal_from else ""
        self.writeline(f"penalty more than {node.more_than} breaches of {node.metric}{priorities} per "
                       f"{node.period}{fiscal} -> {share(node.amount)}", node)

    def stmt_Credit(self, node: ast.Credit) -> None:
        self.block(f"credit {credit_kind(node.kind)}", node,
                   [(credit_line(line), line) for line in node.lines])

    def stmt_CreditChoice(self, node: ast.CreditChoice) -> None:
        self.writeline(_CREDIT_CHOICE_WORDS[node.how], node)

    def stmt_Commitment(self, node: ast.Commitment) -> None:
        parts = [node.kind, quote(node.text), node.when, duration(node.duration)]
        if node.after is not None:
            parts += ["after", quote(node.after)]
        if node.best_effort:
            parts.append("best-effort")
        self.writeline(" ".join(parts), node)


_CREDIT_CHOICE_WORDS = {"every": "pay every credit", "greater": "pay the greater credit",
                        "customer": "pay one credit chosen by customer"}


def lines(module: ast.Module) -> list[Line]:
    """The canonical lines of a module, each with the source lines it was built from."""
    unparser = Unparser()
    unparser.body(module.body)
    return unparser.lines


def render(rows: list[Line]) -> str:
    return "".join(f"{INDENT * row.depth}{row.text}\n" for row in rows)


def unparse(module: ast.Module) -> str:
    """Canonical `.sla` text for a module (no comments: `fmt.format_text` keeps those)."""
    return render(lines(module))
