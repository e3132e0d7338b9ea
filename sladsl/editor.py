"""What an editor asks of a contract, answered from one compile: names, hover, completion, lenses.

`Document` holds one version of a contract's text and everything derived from it, computed once
(the front end and checker run in the constructor; the evaluator, tokens and lenses on first
use). Positions here are the compiler's own: 1-based lines and 1-based columns in code points,
as in `ast.Span`; `sladsl/lsp.py` converts them to and from the protocol's units.

Nothing here knows the Language Server Protocol, so this module reads like the other back ends:
it reads the checked model (and, for positions of names, the AST) and returns plain values.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta, timezone

import attrs

from sladsl import ast, model
from sladsl.diagnostics import Diagnostic
from sladsl.parse import accepted_terminals, decode, parser, terminal_words
from sladsl.pipeline import Result, Source, compile_source

# ---- the name index ---------------------------------------------------------------------------

# Which names each node declares or refers to: (node class, field, kind). Table-driven so a new
# construct that names something is one row here.
DECLARES = (
    (ast.Calendar, "name", "calendar"),
    (ast.CalendarChoice, "name", "calendar"),
    (ast.Plan, "name", "plan"),
    (ast.Addon, "name", "addon"),
    (ast.Level, "name", "priority"),
    (ast.Channel, "name", "channel"),
    (ast.Service, "name", "service"),
)
REFERS = (
    (ast.CalendarRef, "name", "calendar"),
    (ast.Plan, "includes", "plan"),
    (ast.Addon, "for_plans", "plan"),
    (ast.TargetStmt, "priorities", "priority"),
    (ast.DefaultPriority, "name", "priority"),
    (ast.OnlyPriority, "names", "priority"),
    (ast.Channels, "names", "channel"),
)


@attrs.frozen
class Occurrence:
    """A name written in the contract: where, of what kind, and whether it declares the name."""

    kind: str
    name: str
    span: ast.Span
    declares: bool
    scope: int  # the index of the top-level statement (contract) it belongs to


def index_names(module: ast.Module) -> tuple[Occurrence, ...]:
    """Every declaration of and reference to a calendar, plan, add-on, priority, channel or
    service, in source order. Names are scoped by top-level statement (one contract each)."""
    found: list[Occurrence] = []
    for scope, stmt in enumerate(module.body):
        for node in ast.walk(stmt):
            for rules, declares in ((DECLARES, True), (REFERS, False)):
                for cls, field, kind in rules:
                    if type(node) is cls:
                        value = getattr(node, field)
                        for name in value if isinstance(value, tuple) else (value,):
                            found.append(Occurrence(kind, name.text, name.span, declares, scope))
    return tuple(sorted(found, key=lambda o: (o.span.line, o.span.column)))


def contains(span: ast.Span, line: int, column: int) -> bool:
    """Whether (line, column) lies in `span`, its end included (a cursor right after a word)."""
    if span.line <= 0 or not (span.line <= line <= span.end_line):
        return False
    if line == span.line and column < span.column:
        return False
    return not (line == span.end_line and column > span.end_column)


# ---- one document version ---------------------------------------------------------------------


class Document:
    """One version of a contract and what the compiler made of it (compiled exactly once)."""

    def __init__(self, text: str, file: str) -> None:
        decoded, decode_errors = decode(text.encode("utf-8", "surrogatepass"), file)
        self.file = file
        self.readable = decoded is not None  # False: not UTF-8, binary, or over the size limit
        self.text = decoded if decoded is not None else text.replace("\r\n", "\n").replace("\r", "\n")
        self.lines = self.text.split("\n")
        self.result: Result = compile_source(Source(file, decoded), decode_errors)
        module = self.result.module
        # Names need only a parse: navigation keeps working while the checker reports errors
        # elsewhere. Hover texts and lenses read the checked model, so they need a clean check.
        self.names = index_names(module) if module is not None else ()
        self._lenses: tuple[datetime, list] | None = None

    @property
    def contract(self) -> model.Contract | None:
        """The checked contract; of a file with several versions, the latest (hovers and due
        lenses answer for it)."""
        if not self.result.ok or self.result.contract is None:
            return None
        return model.versions_of(self.result.contract)[-1]  # type: ignore[arg-type]

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.result.diagnostics

    def offset(self, line: int, column: int) -> int:
        """The index into `text` of a 1-based (line, column)."""
        line = max(1, min(line, len(self.lines)))
        column = max(1, min(column, len(self.lines[line - 1]) + 1))
        return sum(len(row) + 1 for row in self.lines[: line - 1]) + column - 1

    def name_at(self, line: int, column: int) -> Occurrence | None:
        return next((o for o in self.names if contains(o.span, line, column)), None)

    def occurrences(self, of: Occurrence) -> list[Occurrence]:
        return [o for o in self.names if (o.kind, o.name, o.scope) == (of.kind, of.name, of.scope)]

    def definition(self, of: Occurrence) -> list[Occurrence]:
        """The declaration; for priorities named only by use (no `priorities` block), the first use."""
        same = self.occurrences(of)
        return [o for o in same if o.declares] or same[:1]

    @functools.cached_property
    def formatted(self) -> str | None:
        """The text in `sladsl fmt` layout (None while it has syntax errors); parsed on request."""
        from sladsl.fmt import format_text

        if self.result.module is None:
            return None
        return format_text(self.text, self.file)[0]

    @functools.cached_property
    def semantic_tokens(self) -> list[tuple[int, int, int, str, bool]]:
        return semantic_tokens(self)

    def lenses(self, now: datetime) -> list[tuple[ast.Span, str]]:
        """The due lenses for tickets opened at `now` (cached per minute of `now`)."""
        key = now.replace(second=0, microsecond=0)
        if self._lenses is None or self._lenses[0] != key:
            self._lenses = (key, lenses(self, now))
        return self._lenses[1]

    @functools.cached_property
    def line_blocks(self) -> tuple[tuple[str, ...] | None, ...]:
        return _line_blocks(self.text)

    @functools.cached_property
    def fallback_names(self) -> tuple[Occurrence, ...]:
        return _fallback_names(self)

    @functools.cached_property
    def evaluator(self):
        from sladsl.runtime.evaluator import Evaluator
        from sladsl.to_spec import to_spec

        return Evaluator(to_spec(self.contract)) if self.contract is not None else None


# ---- hover ------------------------------------------------------------------------------------

_METRIC_VERBS = {"response": "gets a response", "resolution": "is resolved",
                 "update": "gets an update", "pickup": "is picked up"}


def hover(doc: Document, line: int, column: int, today: date) -> tuple[str, ast.Span] | None:
    """Markdown for what is under the cursor, and the span it describes."""
    explained = _hover_code(doc, line, column)
    occurrence = doc.name_at(line, column)
    contract = doc.contract
    if occurrence is not None and contract is not None:
        text = _HOVERS[occurrence.kind](contract, occurrence.name, today)
        if text:
            return text, occurrence.span
    inline = _inline_calendar_at(doc, line, column)
    if inline is not None and contract is not None:
        text = _hover_calendar(contract, inline[0], today)
        if text:
            return text, inline[1]
    if contract is not None:
        found = _target_at(doc, line, column)
        if found is not None:
            return target_sentence(contract, found[0], found[1]), found[1].span
    return explained


def _inline_calendar_at(doc: Document, line: int, column: int) -> tuple[str, ast.Span] | None:
    """A `business(...)` calendar under the cursor, with the name the checker gives it."""
    from sladsl.unparse import calref

    module = doc.result.module
    if module is None:
        return None
    for node in ast.walk(module):
        if isinstance(node, ast.InlineCalendar) and contains(node.span, line, column):
            single = len(node.items) == 1 and isinstance(node.items[0], ast.Always)
            return (node.items[0].text if single else calref(node)), node.span  # as sladsl.check.calendars
    return None


def _hover_code(doc: Document, line: int, column: int) -> tuple[str, ast.Span] | None:
    """The `--explain` text of a diagnostic under the cursor, or of a code written there."""
    from sladsl.explain import explain_code

    word = _word_at(doc.lines[line - 1] if 0 < line <= len(doc.lines) else "", column)
    if word and re.fullmatch(r"[EW]\d{3}", word[0]):
        text = explain_code(word[0])
        if text:
            return text, ast.Span(doc.file, line, word[1], line, word[1] + len(word[0]))
    for diagnostic in doc.diagnostics:
        if contains(diagnostic.span, line, column):
            text = explain_code(diagnostic.code)
            if text:
                return text, diagnostic.span
    return None


def _word_at(text: str, column: int) -> tuple[str, int] | None:
    for match in re.finditer(r"[A-Za-z0-9_]+", text):
        if match.start() + 1 <= column <= match.end() + 1:
            return match.group(0), match.start() + 1
    return None


def _hover_calendar(contract: model.Contract, name: str, today: date) -> str | None:
    from sladsl.to_markdown import fmt_zone, week_text

    choice = contract.calendar_choice(name)
    if choice is not None:  # chosen by a ticket attribute: what each value chooses
        return "\n".join([f"**calendar {_code(name)}**, chosen by the ticket's "
                          f"{_code(choice.attribute)}", ""] + [
            f"- {', '.join(_code(v) for c in b.when for v in c.values) or 'otherwise'}: "
            f"{_code(b.choice)}" for b in choice.branches])
    try:
        calendar = contract.calendar(name)
    except KeyError:
        return None
    rows = [f"**calendar {_code(name)}**", "",
            f"- hours: {week_text(calendar)}",
            f"- zone: {fmt_zone(calendar.zone, calendar.zone_label, calendar.holiday_years)}"]
    this_year = [h for h in calendar.holidays if h.date.year == today.year]
    if this_year:
        rows.append(f"- holidays in {today.year}:")
        rows += [f"  - {h.date:%a} {h.date.day} {h.date:%b}: {_plain(h.label)}"
                 for h in sorted(this_year, key=lambda h: h.date)]
    elif calendar.holidays or calendar.holiday_sources:
        years = calendar.holiday_years
        frozen = f" (dates are frozen for {years[0]}-{years[1]})" if years else ""
        rows.append(f"- holidays in {today.year}: none{frozen}")
    else:
        rows.append("- holidays: none")
    return "\n".join(rows)


def _hover_plan(contract: model.Contract, name: str, today: date) -> str | None:
    from sladsl.to_markdown import METRIC_TITLES, fmt_target

    try:
        plan = contract.plan(name)
    except KeyError:
        return None
    head = f"**plan {_code(name)}**"
    if plan.includes:
        head += " includes " + ", ".join(_code(a) for a in plan.includes)
        further = [a for a in plan.ancestors if a not in plan.includes]
        if further:
            head += " (and through it " + ", ".join(_code(a) for a in further) + ")"
    rows = [head, ""]
    if plan.hours:
        rows.append(f"hours: {_code(plan.hours)}")
        rows.append("")
    if not plan.targets:
        return "\n".join(rows + ["no targets"])
    rows += ["| priority | metric | target | from |", "|---|---|---|---|"]
    for target in plan.targets:
        where = target.origin or "contract"
        rows.append(f"| {_plain(target.priority or 'any')} | {METRIC_TITLES[target.metric]} "
                    f"| {_cell(fmt_target(target))} | {_plain(where)} |")
    return "\n".join(rows)


def _hover_priority(contract: model.Contract, name: str, today: date) -> str | None:
    for priority in contract.priorities:
        if priority.name == name:
            text = f"**priority {_code(name)}** (severity {priority.rank + 1} of {len(contract.priorities)})"
            if priority.description:
                text += "\n\n" + _plain(priority.description)
            return text
    return None


def _hover_channel(contract: model.Contract, name: str, today: date) -> str | None:
    for channel in contract.channels:
        if channel.name == name:
            rows = [f"**channel {_code(name)}**"]
            rows += [f"- {label}: {_plain(value)}" for label, value in (
                ("contact", channel.contact), ("hours", channel.hours),
                ("default priority", channel.default_priority),
                ("only priorities", ", ".join(channel.only_priorities))) if value]
            return "\n".join(rows)
    return None


def _hover_service(contract: model.Contract, name: str, today: date) -> str | None:
    from sladsl.to_markdown import percent

    for service in contract.services:
        if service.name == name:
            text = f"**service {_code(name)}**"
            target = service.availability
            if target is not None:
                text += f"\n\navailability {percent(target.target)} per {target.period}"
            return text
    return None


def _hover_addon(contract: model.Contract, name: str, today: date) -> str | None:
    for addon in contract.addons:
        if addon.name == name:
            plans = ", ".join(_code(p) for p in addon.for_plans) or "any plan"
            return f"**add-on {_code(name)}** for {plans}: {len(addon.targets)} target(s)"
    return None


_HOVERS = {"calendar": _hover_calendar, "plan": _hover_plan, "priority": _hover_priority,
           "channel": _hover_channel, "service": _hover_service, "addon": _hover_addon}


def _target_at(doc: Document, line: int, column: int) -> tuple[str, model.Target] | None:
    """The checked target written under the cursor, with where it applies ("plan Premium")."""
    for where, target in _all_targets(doc.contract):
        if contains(target.span, line, column):
            return where, target
    return None


def _all_targets(contract: model.Contract | None):
    """(where, target) for every target the model holds, own targets before inherited copies."""
    if contract is None:
        return
    yield from (("contract", t) for t in contract.targets)
    for plan in contract.plans:
        own = [t for t in plan.targets if t.origin == f"plan {plan.name}"]
        yield from ((f"plan {plan.name}", t) for t in own)
    for addon in contract.addons:
        yield from ((f"addon {addon.name}", t) for t in addon.targets)
    for channel in contract.channels:
        yield from ((f"channel {channel.name}", t) for t in channel.targets)
    for plan in contract.plans:
        yield from ((f"plan {plan.name}", t) for t in plan.targets)


def target_sentence(contract: model.Contract, where: str, target: model.Target) -> str:
    """One sentence, in the published document's words: who, what, how soon, in which hours."""
    from sladsl.to_markdown import counted_in, fmt_target

    who = f"a ticket of priority {_code(target.priority)}" if target.priority else "every ticket"
    kind, _, name = where.partition(" ")
    scope = "Under every plan" if where == "contract" else f"Under {_ADDON.get(kind, kind)} {_plain(name)}"
    if target.proportion is not None:
        body = f"{target.metric}: {fmt_target(target)}"
    else:
        body = f"{who} {_METRIC_VERBS[target.metric]} {fmt_target(target)}"
    return f"{scope}, {body}, counted {counted_in(target.calendar)}."


_ADDON = {"addon": "add-on"}


def _code(text: str) -> str:
    """Contract text as an inline code span: one line (block structure is parsed before inline
    spans, so a line break inside could start a heading), no backtick to close it early."""
    return "`" + re.sub(r"\s+", " ", text).replace("`", "'").strip() + "`"


def _plain(text: str | None) -> str:
    from sladsl.to_markdown import md

    return md(text or "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# ---- code lenses: due instants ---------------------------------------------------------------


def lenses(doc: Document, now: datetime) -> list[tuple[ast.Span, str]]:
    """For each target written in the contract: when a ticket opened `now` would fall due, in
    each calendar it is counted in (one per plan hours when inherited by plans with other hours)."""
    contract = doc.contract
    if contract is None or doc.evaluator is None:
        return []
    opened = now.replace(microsecond=0)  # instants are whole seconds (decision 1)
    groups: dict[tuple, dict[str, tuple[model.Duration, list[str]]]] = {}
    for span, written, duration, written_plan in _bound_targets(contract):
        key = (span.line, span.column, span.end_line, span.end_column)
        # A calendar chosen by a ticket attribute: one due instant per calendar it chooses from.
        for calendar in contract.hours_options(written):
            plan = written_plan if calendar == written else \
                (f"{written_plan}, {calendar}" if written_plan else calendar)
            entry = groups.setdefault(key, {}).setdefault(calendar, (duration, []))
            if plan and plan not in entry[1]:
                entry[1].append(plan)
    out = []
    for key, calendars in sorted(groups.items()):
        parts = []
        for calendar, (duration, plans) in calendars.items():
            due = _due(doc.evaluator, calendar, duration, opened)
            parts.append(due + (f" under {', '.join(plans)}" if len(calendars) > 1 and plans else ""))
        out.append((ast.Span(doc.file, *key), "due for a ticket opened now: " + "; ".join(parts)))
    return out


def _bound_targets(contract: model.Contract):
    """(span, calendar, duration, plan) for every target with a calendar to count in."""
    named = [c.name for c in contract.calendars if not c.inline]
    only = named[0] if len(named) == 1 else None
    for plan in contract.plans:
        for target in plan.targets:
            calendar = target.calendar or plan.hours
            if calendar:
                yield target.span, calendar, target.duration, plan.name
    for target in contract.targets:
        if target.calendar or only:
            yield target.span, target.calendar or only, target.duration, None
    for channel in contract.channels:
        for target in channel.targets:
            calendar = target.calendar or channel.hours or only
            if calendar:
                yield target.span, calendar, target.duration, None
    for addon in contract.addons:
        plans = [p for p in contract.plans if not addon.for_plans or p.name in addon.for_plans]
        for target in addon.targets:
            for plan in plans:
                calendar = target.calendar or plan.hours
                if calendar:
                    yield target.span, calendar, target.duration, plan.name


def _due(evaluator, calendar_name: str, duration: model.Duration, opened: datetime) -> str:
    """The due instant in words, or why the runtime cannot say (a target beyond the years whose
    holidays are frozen, or beyond the year 9999): the same refusal an evaluator would give."""
    calendar = evaluator.calendar(calendar_name)
    try:
        if duration.business_days is not None:
            due = calendar.add_business_days(opened, duration.business_days)
        else:
            due = calendar.add(opened, timedelta(seconds=duration.seconds or 0))
    except OverflowError:
        return "not computable (the due instant is past the year 9999)"
    except ValueError as error:  # HolidaysNotFrozen, NoBusinessTime, a date past 9999
        return f"not computable ({error})"
    return due_text(due, opened)


def due_text(due: datetime, opened: datetime) -> str:
    """"Mon 10:00 (+07:00)"; the date too when the due instant is a week or more away."""
    offset = due.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else "+00:00"
    if due - opened >= timedelta(days=6):
        return f"{due:%a %Y-%m-%d %H:%M} ({offset})"
    return f"{due:%a %H:%M} ({offset})"


# ---- completion -------------------------------------------------------------------------------

_PARTIAL_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[a-z]*)?(?:/[A-Za-z0-9_+\-]*)*$")
# The name a position wants, from the words before it on the same statement.
_NAME_CONTEXT = (
    (re.compile(r"\b(?:within|hours|outside)\s+$"), "calendar"),
    (re.compile(r"\bincludes\s+(?:[^{,]+,\s*)*$"), "plan"),
    (re.compile(r"\baddon\s+(?:\w+|\"[^\"]*\")\s+for\s+(?:[^{,]+,\s*)*$"), "plan"),
    (re.compile(r"\b(?:priority|only\s+priority)\s+(?:[^,\s]+\s*,\s*)*$"), "priority"),
    (re.compile(r"\bchannels\s+(?:[^,]+,\s*)*$"), "channel"),
)
_NAME_TERMINALS = {"IDENT", "STRING"}


@attrs.frozen
class Completion:
    label: str
    kind: str  # "keyword", "calendar", "plan", "priority", "channel", "zone", "region", ...
    detail: str | None = None


@attrs.frozen
class Completions:
    """What may be written at the cursor. `start`: the column where the word being typed begins
    (the items replace it); `incomplete`: the list depends on what is typed next, so the editor
    should ask again (zones are offered area by area: `Asia/`, then `Asia/Jakarta`...)."""

    start: int
    items: tuple[Completion, ...] = ()
    incomplete: bool = False


def completions(doc: Document, line: int, column: int) -> Completions:
    if not doc.readable:  # the parser never sees such a file (E001-E003): nothing to offer
        return Completions(column)
    text_line = doc.lines[line - 1] if 0 < line <= len(doc.lines) else ""
    before = text_line[: column - 1]
    quote, comment = _open_string_or_comment(before)
    if comment:
        return Completions(column)
    partial = _PARTIAL_WORD.search(before)
    start = quote + 1 if quote is not None else column - (len(partial.group(0)) if partial else 0)
    typed = before[start - 1 :]
    expected = accepted_terminals(completion_prefix(doc, line, start))
    items: list[Completion] = []
    for terminal in sorted(expected):
        items += [Completion(word, "keyword") for word in terminal_words(terminal)]
    if expected & _NAME_TERMINALS:
        items += _name_items(doc, before[: start - 1], line)
    if "ZONE" in expected:
        items += _zone_items(typed)
    if "REGION" in expected:
        items += [Completion(code, "region", name) for code, name in _regions()]
    unique = {(item.label, item.kind): item for item in items}
    return Completions(start, tuple(unique.values()), incomplete="ZONE" in expected)


# Blocks whose body is statements (grammar `block`): a statement starts in the same parser
# state whichever of them it is in, so `contract _ {` stands for any of them.
_STATEMENT_BLOCKS = frozenset({"contract", "plan", "addon", "channel", "service", "section", "within"})
_STAND_IN = "contract _ {\n"


def completion_prefix(doc: Document, line: int, column: int) -> str:
    """Text that leaves the LALR parser in the state it has at (line, column), kept short.

    The parser's state at the start of a statement depends only on the blocks around it, so
    the text is cut at the start of the nearest statement line at or above the cursor whose
    enclosing blocks all hold statements, with one stand-in opener per block. Completion then
    costs the same at line 10 and at line 10,000, and errors above that line do not matter.
    """
    for anchor in range(line, 0, -1):
        openers = doc.line_blocks[anchor - 1]
        if openers is None or not all(o in _STATEMENT_BLOCKS for o in openers):
            continue
        if anchor == line or _starts_statement(doc.lines[anchor - 1]):
            return _STAND_IN * len(openers) + doc.text[doc.offset(anchor, 1) : doc.offset(line, column)]
    return doc.text[: doc.offset(line, column)]


def _starts_statement(row: str) -> bool:
    stripped = row.lstrip()
    return bool(stripped) and stripped[0] not in "#}"


def _line_blocks(text: str) -> tuple[tuple[str, ...] | None, ...]:
    """For each line: the first words of the statements whose `{` blocks are open at its start
    (outermost first), or None when the line starts inside a string."""
    out: list[tuple[str, ...] | None] = [()]
    stack: list[str] = []
    in_string = escaped = comment = False
    line_start = 0
    for index, char in enumerate(text):
        if char == "\n":
            comment = False
            out.append(None if in_string else tuple(stack))
            line_start = index + 1
        elif comment:
            continue
        elif in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "#":
            comment = True
        elif char == "{":
            words = text[line_start:index].split()
            stack.append(words[0] if words else "")
        elif char == "}" and stack:
            stack.pop()
    return tuple(out)


def _zone_items(typed: str) -> list[Completion]:
    """Zone areas (`Asia/`, `UTC`) until an area is typed, then the zones of that area: a few
    dozen items per answer instead of all ~600 (about 70 ms of encoding on every keystroke)."""
    area, slash, _ = typed.partition("/")
    if not slash:
        areas = sorted({zone.split("/")[0] + "/" for zone in _zones() if "/" in zone})
        return [Completion("UTC", "zone"), *(Completion(a, "zone", "time zones") for a in areas)]
    return [Completion(zone, "zone") for zone in _zones() if zone.split("/")[0] == area]


def _open_string_or_comment(before: str) -> tuple[int | None, bool]:
    """(0-based index of the quote opening a string still open at the end, or None; whether the
    end is inside a comment), reading the line's text before the cursor."""
    quote, escaped = None, False
    for index, char in enumerate(before):
        if quote is not None:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quote = None
        elif char == '"':
            quote = index
        elif char == "#":
            return None, True
    return quote, False


def _name_items(doc: Document, before: str, line: int) -> list[Completion]:
    kind = next((kind for pattern, kind in _NAME_CONTEXT if pattern.search(before)), None)
    if kind is None:
        return []
    scope = _scope_at(doc, line)
    names = dict.fromkeys(o.name for o in _last_good_names(doc)
                          if o.kind == kind and o.scope == scope and o.declares)
    if kind == "priority" and not names:
        names = dict.fromkeys(o.name for o in _last_good_names(doc) if o.kind == kind)
    return [Completion(_quoted(name), kind) for name in names]


def _scope_at(doc: Document, line: int) -> int:
    module = doc.result.module
    if module is None:
        return 0
    for scope, stmt in enumerate(module.body):
        if stmt.span.line <= line <= stmt.span.end_line:
            return scope
    return 0


def _last_good_names(doc: Document) -> tuple[Occurrence, ...]:
    """The names of this version, or, while it does not parse, those declared by its statements
    that do (each line parsed alone is too little; the whole text minus the broken lines is
    what `parse_text`'s recovery already reads)."""
    if doc.names:
        return doc.names
    return doc.fallback_names


def _quoted(name: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


@functools.cache
def _zones() -> tuple[str, ...]:
    import zoneinfo

    return ("UTC", *sorted(z for z in zoneinfo.available_timezones() if "/" in z))


@functools.cache
def _regions() -> tuple[tuple[str, str], ...]:
    import holidays

    names = {row[1]: row[0] for row in holidays.registry.COUNTRIES.values()}
    return tuple(sorted((code, names.get(code, code)) for code in holidays.list_supported_countries()))


# ---- quick fixes -----------------------------------------------------------------------------

_DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`\?")


def quick_fix(diagnostic: Diagnostic, written: str) -> str | None:
    """The replacement a "did you mean" help line offers for the text `written` at its span."""
    match = _DID_YOU_MEAN.search(diagnostic.help or "")
    if match is None or diagnostic.span.line <= 0:
        return None
    suggestion = match.group(1)
    if written.startswith('"') and not suggestion.startswith('"'):
        return _quoted(suggestion) if _quoted(suggestion).startswith('"') else f'"{suggestion}"'
    if diagnostic.code == "E101":
        return _quoted(suggestion)
    return suggestion


# ---- document symbols -------------------------------------------------------------------------


@attrs.frozen
class Symbol:
    name: str
    kind: str  # contract, calendar, plan, addon, priority, channel, service, section, target
    span: ast.Span
    selection: ast.Span
    children: tuple["Symbol", ...] = ()


_SYMBOL_KINDS = {ast.Contract: "contract", ast.Calendar: "calendar", ast.Plan: "plan",
                 ast.Addon: "addon", ast.Channel: "channel", ast.Service: "service",
                 ast.Section: "section", ast.Priorities: "priorities", ast.Level: "priority"}


def symbols(doc: Document) -> list[Symbol]:
    """The outline: declarations nested as written, with the targets of each block."""
    module = doc.result.module
    return [s for stmt in module.body for s in _symbols(stmt)] if module is not None else []


def _symbols(node) -> list[Symbol]:
    kind = _SYMBOL_KINDS.get(type(node))
    if isinstance(node, ast.TargetStmt):
        who = ", ".join(n.text for n in node.priorities) or "any priority"
        return [Symbol(f"{t.metric} ({who})", "target", t.span, t.span) for t in node.targets]
    if isinstance(node, ast.Within):
        return [s for child in node.body for s in _symbols(child)]
    if kind is None:
        return []
    children: list[Symbol] = []
    for child in getattr(node, "body", ()) or getattr(node, "levels", ()):
        children += _symbols(child)
    name_node = getattr(node, "name", None)
    name = name_node.text if name_node is not None else kind
    selection = name_node.span if name_node is not None else node.span
    return [Symbol(name, kind, node.span, selection, tuple(children))]


# ---- semantic tokens --------------------------------------------------------------------------

TOKEN_TYPES = ("keyword", "string", "number", "comment", "type", "class", "enumMember",
               "interface", "namespace", "variable", "macro", "operator")
TOKEN_MODIFIERS = ("declaration",)
_NAME_TOKEN = {"calendar": "type", "plan": "class", "addon": "class", "priority": "enumMember",
               "channel": "interface", "service": "namespace"}
_TERMINAL_TOKEN = {"STRING": "string", "DURATION": "number", "INT": "number", "PERCENT": "number",
                   "AMOUNT": "number", "FRACTION": "number", "TIME": "number", "DATE": "number",
                   "ZONE": "macro", "ABBREV": "macro", "CURRENCY": "macro", "REGION": "macro",
                   "IDENT": "variable"}


def semantic_tokens(doc: Document) -> list[tuple[int, int, int, str, bool]]:
    """(line, column, length, type, declaration) per token, one line each, in source order.

    Tokens come from the parser's own contextual lexer (it knows `Mon` is a day and `office` a
    name); after a syntax error the rest of the file is left to the TextMate grammar.
    """
    if not doc.readable:
        return []
    names = {(o.span.line, o.span.column): o for o in doc.names}
    out: list[tuple[int, int, int, str, bool]] = []
    for token in _tokens(doc.text):
        if token.type == "_NL":
            out += _comments(token)
            continue
        occurrence = names.get((token.line, token.column))
        if occurrence is not None:
            kind, declares = _NAME_TOKEN[occurrence.kind], occurrence.declares
        else:
            words = terminal_words(token.type)
            kind = _TERMINAL_TOKEN.get(token.type) or ("keyword" if words else "operator")
            declares = False
        out += _split_lines(token.line, token.column, str(token), kind, declares)
    return out


def _tokens(text: str):
    from lark.exceptions import UnexpectedInput

    interactive = parser().parse_interactive(text if text.endswith("\n") else text + "\n")
    try:
        yield from interactive.iter_parse()
    except UnexpectedInput:
        return


def _comments(token) -> list[tuple[int, int, int, str, bool]]:
    out = []
    column = token.column
    for number, segment in enumerate(str(token).split("\n")):
        at = segment.find("#")
        if at >= 0:
            start = (column if number == 0 else 1) + at
            out.append((token.line + number, start, len(segment) - at, "comment", False))
    return out


def _split_lines(line: int, column: int, text: str, kind: str, declares: bool):
    out = []
    for number, segment in enumerate(text.split("\n")):
        if segment:
            out.append((line + number, column if number == 0 else 1, len(segment), kind, declares))
    return out


# ---- the names of a document that does not parse ---------------------------------------------


def _fallback_names(doc: Document) -> tuple[Occurrence, ...]:
    """Declarations read line by line with a pattern, for completion while the text is broken."""
    found = []
    pattern = re.compile(r'^\s*(calendar|plan|addon|channel|service)\s+'
                         r'([A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*")')
    level = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*")\s*:\s*"')
    for number, row in enumerate(doc.lines, start=1):
        match = pattern.match(row)
        if match:
            kind, name = match.group(1), match.group(2)
            span = ast.Span(doc.file, number, match.start(2) + 1, number, match.end(2) + 1)
            found.append(Occurrence(kind, _unquote(name), span, True, 0))
            continue
        match = level.match(row)
        if match:
            span = ast.Span(doc.file, number, match.start(1) + 1, number, match.end(1) + 1)
            found.append(Occurrence("priority", _unquote(match.group(1)), span, True, 0))
    return tuple(found)


def _unquote(name: str) -> str:
    if name.startswith('"'):
        return re.sub(r"\\(.)", r"\1", name[1:-1])
    return name


def warm_up() -> None:
    """Build once what the first requests would otherwise pay for: the parser, the document
    templates' module, the zone and country lists (a server calls this when it starts)."""
    import sladsl.check  # noqa: F401
    import sladsl.explain  # noqa: F401
    import sladsl.to_markdown  # noqa: F401

    accepted_terminals("")
    _zones()
    _regions()
    Document("calendar c = 24x7 UTC\npriority A respond 1h\n", "<warm-up>").lenses(now_utc())


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
