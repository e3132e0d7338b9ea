"""The contract as a whole: the file's shape, where each statement may stand, the header,
priorities, and the blocks that carry text only (prose, readings, commitments, sections)."""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from sladsl import ast, model
from sladsl.ast import Span
from sladsl.check import versions
from sladsl.check.base import CheckerBase, by_type
from sladsl.check.clock import CLOCK_STATEMENTS, CLOCK_WORDS
from sladsl.check.consistency import two_ways_readings
from sladsl.check.counting import COUNTING_STATEMENTS, COUNTING_WORDS
from sladsl.check.counts import COUNTS_STATEMENTS, COUNTS_WORDS
from sladsl.check.formulas import PENALTY_WORDS
from sladsl.check.periods import PERIOD_STATEMENTS, PERIOD_WORDS
from sladsl.diagnostics import Label

# Which statements each kind of block accepts.
_ANYWHERE = (ast.Prose, ast.Definition, ast.Reading, ast.Commitment)
_TARGETS = (ast.TargetStmt, ast.Within)
_ALLOWED = {
    "contract": _ANYWHERE + _TARGETS + (
        ast.Penalty, ast.Header, ast.HeaderDate, ast.Currency, ast.DefaultZone, ast.Calendar, ast.CalendarChoice,
        ast.Priorities,
        ast.Channel, ast.Plan, ast.Addon, ast.Service, ast.Section, ast.Escalate)
        + CLOCK_STATEMENTS,
    "plan": _ANYWHERE + _TARGETS + (ast.Hours, ast.Price, ast.Channels, ast.Escalate),
    "addon": _ANYWHERE + _TARGETS + (ast.Price,),
    "channel": _ANYWHERE + _TARGETS + (
        ast.Hours, ast.Contact, ast.Audience, ast.DefaultPriority, ast.OnlyPriority),
    "service": _ANYWHERE + (
        ast.Availability, ast.Monitor, ast.DowntimeDef, ast.DowntimeStart, ast.Maintenance,
        ast.MaintenanceWindow, ast.Credit, ast.CreditChoice) + COUNTING_STATEMENTS + PERIOD_STATEMENTS + COUNTS_STATEMENTS,
    "section": _ANYWHERE,
    "within": (ast.TargetStmt, ast.Within, ast.Prose, ast.Reading),
}
_STATEMENT_WORDS = {
    ast.Header: "a header", ast.HeaderDate: "a header date", ast.Currency: "`currency`",
    ast.DefaultZone: "`zone`", ast.Calendar: "`calendar`", ast.Priorities: "`priorities`",
    ast.CalendarChoice: "`calendar ... by`",
    ast.Channel: "`channel`", ast.Plan: "`plan`", ast.Addon: "`addon`", ast.Service: "`service`",
    ast.Section: "`section`", ast.Escalate: "`escalate`", ast.Hours: "`hours`",
    ast.Contact: "`contact`", ast.Audience: "`audience`", ast.Channels: "`channels`",
    ast.Price: "`price`", ast.DefaultPriority: "`default priority`",
    ast.OnlyPriority: "`only priority`", ast.Availability: "`availability`",
    ast.Monitor: "`monitor`", ast.DowntimeDef: "`downtime means`",
    ast.DowntimeStart: "`downtime starts at`", ast.Maintenance: "`maintenance`",
    ast.MaintenanceWindow: "`maintenance on`",
    ast.Credit: "`credit`", ast.CreditChoice: "`pay ... credit`", ast.TargetStmt: "a target", ast.Within: "`within`",
    ast.Contract: "`contract`", **COUNTING_WORDS, **CLOCK_WORDS, **PERIOD_WORDS, **COUNTS_WORDS, **PENALTY_WORDS,
}

# Header statements: each gives one (key, value) of model.Contract's header fields.
_HEADER_ITEMS = {
    ast.Header: "header_text",
    ast.HeaderDate: "header_date",
    ast.Currency: "header_currency",
    ast.DefaultZone: "header_zone",
}

# Nodes that name priorities, and the names they use (`implicit_priorities`).
_PRIORITY_USES: dict[type, Callable[[Any], tuple[ast.Name, ...]]] = {
    ast.TargetStmt: lambda node: node.priorities,
    ast.DefaultPriority: lambda node: (node.name,),
}

# Statements of text only, as model.Prose (`kind`, `text`, `term`) of their block.
_PROSE: dict[type, Callable[[Any], tuple[str, str, str | None]]] = {
    ast.Prose: lambda stmt: (stmt.kind, stmt.text, None),
    ast.Definition: lambda stmt: ("definition", stmt.text, stmt.term),
}

# Blocks whose readings count, and the scope a reading inside each is stated in.
_READING_SCOPES: dict[type, Callable[[Any, str], str]] = {
    ast.Plan: lambda stmt, where: f"plan {stmt.name.text}",
    ast.Addon: lambda stmt, where: f"addon {stmt.name.text}",
    ast.Channel: lambda stmt, where: f"channel {stmt.name.text}",
    ast.Service: lambda stmt, where: f"service {stmt.name.text}",
    ast.Section: lambda stmt, where: f"section {stmt.name.text}",
    ast.Within: lambda stmt, where: where,
}


class ContractChecks(CheckerBase):
    # ---- entry --------------------------------------------------------------------------------
    def run(self, module: ast.Module) -> model.Contract | None:
        contracts = [s for s in module.body if isinstance(s, ast.Contract)]
        loose = [s for s in module.body if not isinstance(s, ast.Contract)]
        if not module.body:
            self.error("E103", "the file declares nothing", Span(self.file, 1, 1, 1, 2),
                       help='write a `contract "Name" { ... }` or at least one target')
            return None
        if contracts and loose:
            self.error("E103", "statements outside the `contract` block", loose[0].span,
                       help="move them inside the contract, or drop the `contract` wrapper")
            return None
        if len(contracts) > 1:
            self.error("E102", "more than one contract in a file", contracts[1].span,
                       labels=[Label(contracts[0].span, "first contract")],
                       help="put each contract in its own `.sla` file")
            return None
        if contracts:
            name, body, span = contracts[0].name.text, contracts[0].body, contracts[0].span
        else:
            stem = self.file.rsplit("/", 1)[-1].removesuffix(".sla")
            name, body, span = stem, module.body, module.span
        return self.contract(name, body, span)

    # ---- the contract -------------------------------------------------------------------------
    def contract(self, name: str, body: tuple, span: Span) -> model.Contract:
        self.placement(body, "contract")
        self.two_ways_settled = two_ways_readings(body)
        header = self.header(body)
        self.in_effect = (header.get("effective"), header.get("until"))
        statements = by_type(body)
        for stmt in statements[ast.Priorities]:
            self.guarded(stmt.span, self.priorities, stmt)
        self.declare_calendars(body)
        if not self.priorities_declared:
            self.priority_names = self.implicit_priorities(body)
        self.channel_names = [s.name.text for s in statements[ast.Channel]]
        self.declare_calendar_choices(body)
        channels = tuple(c for c in (self.guarded(s.span, self.channel, s)
                                     for s in statements[ast.Channel]) if c)
        self.unique("channel", [s.name for s in statements[ast.Channel]])
        base_targets = self.collect_targets(body, "contract", None)
        escalation = self.single_escalation(body, "contract")
        plans = self.plans(body, base_targets)
        addons = tuple(a for a in (self.guarded(s.span, self.addon, s, plans)
                                   for s in statements[ast.Addon]) if a)
        self.unique("add-on", [s.name for s in statements[ast.Addon]])
        services = tuple(s for s in (self.guarded(st.span, self.service, st)
                                     for st in statements[ast.Service]) if s)
        self.unique("service", [s.name for s in statements[ast.Service]])
        sections = tuple(self.section(s) for s in statements[ast.Section])
        contract_targets = tuple(self.bind(t, None) for t in self.effective_targets([base_targets]))
        contract_targets = tuple(t for t in contract_targets if t is not None)
        self.consistency(contract_targets, "the contract")
        for plan in plans:
            self.consistency(plan.targets, f"plan `{plan.name}`")
        self.check_holiday_years(header)
        self.diagnostics += versions.until_before_effective(header, body)
        self.diagnostics += versions.misplaced_split(body)
        # before the calendars are listed: `inactivity` without `within` adds the 24x7 calendar
        clock = self.clock_rules(body, (contract_targets, plans, addons, channels))
        return model.Contract(
            name=name, file=self.file, **header, split_periods=versions.splits_periods(body),
            dates_zone=versions.dates_zone(
                self.default_zone,
                {c.zone for c in self.calendars.values() if isinstance(c, model.Calendar)}),
            calendars=tuple(self.calendars[n] for n in self.calendars),
            calendar_choices=tuple(self.calendar_choices.values()), plan_choice=self.plan_branches,
            priorities=tuple(self.priority(name, rank, span) for rank, name in enumerate(self.priority_names)),
            channels=channels, plans=plans, addons=addons, services=services, sections=sections,
            targets=contract_targets, escalation=escalation,
            commitments=self.commitments(body), prose=self.prose(body, "contract"),
            readings=self.readings(body, "contract"), span=span,
            clock=clock,
            penalties=self.penalties(body, (contract_targets, plans, addons, channels)),  # check/formulas.py
        )

    def placement(self, body: tuple, where: str) -> None:
        allowed = _ALLOWED[where]
        for stmt in body:
            if not isinstance(stmt, allowed):
                word = _STATEMENT_WORDS.get(type(stmt), type(stmt).__name__)
                self.error("E103", f"{word} is not allowed in a {where}", stmt.span,
                           help="move it to where it belongs (see docs/language.md)")
            if isinstance(stmt, ast.Within):
                self.placement(stmt.body, "within")

    def header(self, body: tuple) -> dict:
        out: dict = {}
        seen: dict[str, Span] = {}
        for stmt in body:
            item = self.dispatch(_HEADER_ITEMS, stmt)
            if item is None:
                continue
            key, value = item
            if key in seen:
                self.error("E105", f"`{key}` is stated twice", stmt.span,
                           labels=[Label(seen[key], "first stated here")],
                           help="keep one")
                continue
            seen[key] = stmt.span
            out[key] = value
        return out

    @staticmethod
    def header_text(stmt: ast.Header) -> tuple[str, str]:
        return stmt.key, stmt.value

    def header_date(self, stmt: ast.HeaderDate) -> tuple[str, date | None]:
        return stmt.key, self.parse_date(stmt.value, stmt.span)

    @staticmethod
    def header_currency(stmt: ast.Currency) -> tuple[str, str]:
        return "currency", stmt.code

    def header_zone(self, stmt: ast.DefaultZone) -> tuple[str, str | None]:
        zone = self.zone(stmt.zone, stmt.span)
        if zone:
            self.default_zone, self.default_zone_label = zone, stmt.zone
        return "zone", zone

    # ---- priorities ---------------------------------------------------------------------------
    def priorities(self, stmt: ast.Priorities) -> None:
        if self.stated_again(self.firsts, "priorities", stmt.span, "`priorities` is declared twice",
                             help="keep one list"):
            return
        self.unique("priority", [level.name for level in stmt.levels])
        for level in stmt.levels:
            if level.name.text not in self.level_info:
                self.priority_names.append(level.name.text)
                self.level_info[level.name.text] = (level.description, level.examples, level.span)

    def implicit_priorities(self, body: tuple) -> list[str]:
        """Without `priorities`, the levels are those the contract names, in order of appearance."""
        names: list[str] = []
        for node in (n for stmt in body for n in ast.walk(stmt)):
            uses = _PRIORITY_USES.get(type(node))
            if uses is None:
                continue
            for name in uses(node):
                if name.text not in names:
                    names.append(name.text)
                    self.level_info[name.text] = (None, (), name.span)
        return names

    def priority(self, name: str, rank: int, default_span: Span) -> model.Priority:
        description, examples, span = self.level_info.get(name, (None, (), default_span))
        return model.Priority(name, rank, description, examples, span=span)

    def priority_ref(self, name: ast.Name) -> str | None:
        if name.text in self.priority_names:
            return name.text
        self.unknown("priority", name.text, name.span, self.priority_names)
        return None

    # ---- prose, readings, commitments ---------------------------------------------------------
    def prose(self, body: tuple, origin: str) -> tuple[model.Prose, ...]:
        out = []
        for stmt in body:
            fields = _PROSE.get(type(stmt))
            if fields is not None:
                out.append(model.Prose(*fields(stmt), origin, span=stmt.span))
        return tuple(out)

    def readings(self, body: tuple, scope: str) -> tuple[model.Reading, ...]:
        out = []

        def walk(stmts, where):
            for stmt in stmts:
                if type(stmt) is ast.Reading:
                    out.append(model.Reading(stmt.topic, stmt.quote, stmt.meaning, where, span=stmt.span))
                elif type(stmt) in _READING_SCOPES:
                    walk(stmt.body, _READING_SCOPES[type(stmt)](stmt, where))

        walk(body, scope)
        return tuple(out)

    def commitments(self, body: tuple) -> tuple[model.Commitment, ...]:
        out = []
        for stmt in by_type(body)[ast.Commitment]:
            commitment = self.guarded(stmt.span, self.commitment, stmt)
            if commitment:
                out.append(commitment)
        return tuple(out)

    def commitment(self, stmt: ast.Commitment) -> model.Commitment:
        duration = self.duration(stmt.duration)
        self.positive(duration, stmt.span, "a commitment")
        return model.Commitment(stmt.kind, stmt.text, stmt.when, duration, stmt.after,
                                stmt.best_effort, span=stmt.span)

    def section(self, stmt: ast.Section) -> model.Section:
        self.placement(stmt.body, "section")
        return model.Section(stmt.name.text, self.commitments(stmt.body),
                             self.prose(stmt.body, f"section {stmt.name.text}"), span=stmt.span)
