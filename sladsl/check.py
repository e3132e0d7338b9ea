"""Stage 3: AST -> checked model (`sladsl.model`), with every problem reported as a diagnostic.

The checker resolves names, gives literals their units, builds and validates calendars (zones,
windows, frozen holiday dates), flattens plan inheritance and runs the consistency rules. It
collects every diagnostic it can instead of stopping at the first; a construct with an error is
left out of the model and the model is returned only when there are no errors. An unexpected
exception becomes an internal-error diagnostic (E901) at the span being checked.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from fractions import Fraction
from typing import Collection, Iterable, Sequence

import attrs

from sladsl import ast, model
from sladsl.ast import Span
from sladsl.check_clock import CLOCK_STATEMENTS, CLOCK_WORDS, clock_rules
from sladsl.cache import holidays_key, load_holidays, store_holidays
from sladsl.diagnostics import Diagnostic, DiagnosticError, Label
from sladsl.runtime.rules import OBSERVED_NEAREST, FixedDate, NthWeekday
from sladsl.runtime.zones import fixed_zone, parse_zone
from sladsl.unparse import calref, target as target_text

SUGGESTION_BUDGET = 20_000  # did-you-mean comparisons per file (Checker.suggest)
LISTED_NAMES = 10  # names a help line lists when it has no suggestion
DEFAULT_HOLIDAY_YEARS = (2020, 2035)  # frozen range when a contract states none (docs/language.md)
HOLIDAY_YEAR_LIMITS = (1900, 2200)  # what a stated range may span (the holidays package's tables)
# The longest duration the checker accepts, wall-clock or in business days: far beyond any SLA
# term, and far inside what datetime arithmetic can hold (999,999,999 days) from any year.
MAX_DURATION_DAYS = 36_500
DAYS_PER_MONTH_FOR_CREDITS = 30  # "1 day of service" compared with a percentage of a month

_DAY_INDEX = {name: i for i, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))}
_MONTH_INDEX = {name: i + 1 for i, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"))}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}
_CLOCK_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
BROKEN = type("Broken", (), {"__repr__": lambda self: "BROKEN"})()  # a calendar that failed to check
_CLOCK_RE = re.compile(r"(\d+)([dhms])")
_PRIME_RE = re.compile(r"^(\d+)'(?:(\d+)\")?$|^(\d+)\"$")

# Abbreviations people write for zones: the fixed offset used, and the IANA zone to prefer.
ZONE_ABBREVIATIONS = {
    "BRT": (-180, "America/Sao_Paulo"), "BRST": (-120, "America/Sao_Paulo"),
    "ART": (-180, "America/Argentina/Buenos_Aires"),
    "EST": (-300, "America/New_York"), "EDT": (-240, "America/New_York"),
    "CST": (-360, "America/Chicago"), "CDT": (-300, "America/Chicago"),
    "MST": (-420, "America/Denver"), "MDT": (-360, "America/Denver"),
    "PST": (-480, "America/Los_Angeles"), "PDT": (-420, "America/Los_Angeles"),
    "BST": (60, "Europe/London"), "CET": (60, "Europe/Paris"), "CEST": (120, "Europe/Paris"),
    "EET": (120, "Europe/Athens"), "IST": (330, "Asia/Kolkata"), "ICT": (420, "Asia/Bangkok"),
    "WIB": (420, "Asia/Jakarta"), "MYT": (480, "Asia/Kuala_Lumpur"), "SGT": (480, "Asia/Singapore"),
    "HKT": (480, "Asia/Hong_Kong"), "JST": (540, "Asia/Tokyo"), "KST": (540, "Asia/Seoul"),
    "AEST": (600, "Australia/Sydney"), "AEDT": (660, "Australia/Sydney"),
    "NZST": (720, "Pacific/Auckland"),
}

# Which statements each kind of block accepts.
_ANYWHERE = (ast.Prose, ast.Definition, ast.Reading, ast.Commitment)
_TARGETS = (ast.TargetStmt, ast.Within)
_ALLOWED = {
    "contract": _ANYWHERE + _TARGETS + (
        ast.Header, ast.HeaderDate, ast.Currency, ast.DefaultZone, ast.Calendar, ast.Priorities,
        ast.Channel, ast.Plan, ast.Addon, ast.Service, ast.Section, ast.Escalate) + CLOCK_STATEMENTS,
    "plan": _ANYWHERE + _TARGETS + (ast.Hours, ast.Price, ast.Channels, ast.Escalate),
    "addon": _ANYWHERE + _TARGETS + (ast.Price,),
    "channel": _ANYWHERE + _TARGETS + (
        ast.Hours, ast.Contact, ast.Audience, ast.DefaultPriority, ast.OnlyPriority),
    "service": _ANYWHERE + (
        ast.Availability, ast.Monitor, ast.DowntimeDef, ast.DowntimeStart, ast.Maintenance,
        ast.Credit),
    "section": _ANYWHERE,
    "within": (ast.TargetStmt, ast.Within, ast.Prose, ast.Reading),
}
_STATEMENT_WORDS = {
    ast.Header: "a header", ast.HeaderDate: "a header date", ast.Currency: "`currency`",
    ast.DefaultZone: "`zone`", ast.Calendar: "`calendar`", ast.Priorities: "`priorities`",
    ast.Channel: "`channel`", ast.Plan: "`plan`", ast.Addon: "`addon`", ast.Service: "`service`",
    ast.Section: "`section`", ast.Escalate: "`escalate`", ast.Hours: "`hours`",
    ast.Contact: "`contact`", ast.Audience: "`audience`", ast.Channels: "`channels`",
    ast.Price: "`price`", ast.DefaultPriority: "`default priority`",
    ast.OnlyPriority: "`only priority`", ast.Availability: "`availability`",
    ast.Monitor: "`monitor`", ast.DowntimeDef: "`downtime means`",
    ast.DowntimeStart: "`downtime starts at`", ast.Maintenance: "`maintenance`",
    ast.Credit: "`credit`", ast.TargetStmt: "a target", ast.Within: "`within`",
    ast.Contract: "`contract`", **CLOCK_WORDS,
}


def check(module: ast.Module, file: str) -> tuple[model.Contract | None, list[Diagnostic]]:
    """Check one parsed file. Returns the model (None if there were errors) and the diagnostics."""
    checker = Checker(file)
    try:
        contract = checker.run(module)
    except Exception as error:  # noqa: BLE001 - never a traceback: report and point at the span
        checker.internal(error, checker.current_span)
        contract = None
    if any(d.is_error for d in checker.diagnostics):
        contract = None
    return contract, checker.diagnostics


def parse_percent(text: str) -> Fraction:
    return Fraction(text.rstrip("%"))


def clock_seconds(text: str) -> int | None:
    """`1h30m` -> 5400; `1'30\"` -> 90. None if malformed (units out of order or repeated)."""
    prime = _PRIME_RE.match(text)
    if prime:
        minutes, seconds, only_seconds = prime.groups()
        if only_seconds is not None:
            return int(only_seconds)
        return int(minutes) * 60 + int(seconds or 0)
    parts = _CLOCK_RE.findall(text)
    if "".join(n + u for n, u in parts) != text:
        return None
    order = [list(_CLOCK_UNITS).index(u) for _, u in parts]
    if order != sorted(set(order)):
        return None
    return sum(int(n) * _CLOCK_UNITS[u] for n, u in parts)


class Checker:
    """One contract's checking state: diagnostics, symbol tables, and the span being checked."""

    def __init__(self, file: str):
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        self.current_span: Span = Span(file, 0, 0, 0, 0)
        self.calendars: dict[str, model.Calendar] = {}
        self.calendar_spans: dict[str, Span] = {}
        self.priority_names: list[str] = []
        self.priorities_declared = False
        self.default_zone: str | None = None
        self.default_zone_label: str | None = None
        self.level_info: dict[str, tuple[str | None, tuple[str, ...], Span]] = {}
        self.channel_names: list[str] = []
        self._sorted_names: dict[str, tuple[int, list[str]]] = {}
        self._suggestions: dict[tuple[str, str, float], str | None] = {}
        self._suggestion_budget = SUGGESTION_BUDGET
        self._plan_name_sets: dict[int, tuple[tuple, frozenset[str]]] = {}
        self._holiday_items: dict[tuple, tuple] = {}
        self._holiday_tables: dict[tuple, tuple[model.Holiday, ...]] = {}
        self.two_way_reported: set[Span] = set()
        self.two_ways_settled: frozenset[str] = frozenset()  # origins with a `reading two_ways`

    # ---- reporting ----------------------------------------------------------------------------
    def error(self, code: str, message: str, span: Span, help: str | None = None,
              notes: Iterable[str] = (), labels: Iterable[Label] = ()) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, tuple(labels), tuple(notes), help))

    warn = error  # severity comes from the code's registry entry

    def internal(self, error: Exception, span: Span) -> None:
        self.error("E901", f"internal error while checking this construct: "
                   f"{type(error).__name__}: {error}", span,
                   help="this is a bug in sladsl; please report it with the contract")

    def guarded(self, span: Span, fn, *args):
        """Run `fn`; a DiagnosticError or an unexpected exception is reported, not raised."""
        saved = self.current_span
        self.current_span = span
        try:
            return fn(*args)
        except DiagnosticError as error:
            self.diagnostics.append(error.diagnostic)
            return None
        except Exception as error:  # noqa: BLE001
            self.internal(error, span)
            return None
        finally:
            self.current_span = saved

    def unknown(self, kind: str, name: str, span: Span, known: Collection[str]) -> None:
        names = self.sorted_names(kind, known)
        close = self.suggest(kind, name, names)
        if close:
            help_text = f"did you mean `{close}`?"
        elif names:
            shown = ", ".join(f"`{k}`" for k in names[:LISTED_NAMES])
            more = f" and {len(names) - LISTED_NAMES:,} more" if len(names) > LISTED_NAMES else ""
            help_text = f"declared {kind}s: {shown}{more}"
        else:
            help_text = f"declare the {kind} first"
        self.error("E101", f"unknown {kind} `{name}`", span, help=help_text)

    def sorted_names(self, kind: str, known: Collection[str]) -> list[str]:
        """`known` sorted, computed once per kind (and again only if the set grew)."""
        cached = self._sorted_names.get(kind)
        if cached is None or cached[0] != len(known):
            cached = self._sorted_names[kind] = (len(known), sorted(set(known)))
        return cached[1]

    def suggest(self, kind: str, word: str, candidates: Sequence[str], cutoff: float = 0.6) -> str | None:
        """The closest candidate for did-you-mean, within a per-file budget of comparisons.

        Each suggestion compares the word with every candidate; without a bound, a contract with
        thousands of misspelt references to thousands of names took minutes (issue 20.20). Repeated
        words are answered from a cache; once SUGGESTION_BUDGET comparisons are spent, no further
        suggestions are made and the help lists names instead, so checking stays linear.
        """
        key = (kind, word, cutoff)
        if key not in self._suggestions:
            close = None
            if len(candidates) <= self._suggestion_budget:
                self._suggestion_budget -= len(candidates)
                found = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
                close = found[0] if found else None
            self._suggestions[key] = close
        return self._suggestions[key]

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
        for stmt in body:
            if isinstance(stmt, ast.Priorities):
                self.guarded(stmt.span, self.priorities, stmt)
        self.declare_calendars(body)
        if not self.priorities_declared:
            self.priority_names = self.implicit_priorities(body)
        self.channel_names = [s.name.text for s in body if isinstance(s, ast.Channel)]
        channels = tuple(c for c in (self.guarded(s.span, self.channel, s)
                                     for s in body if isinstance(s, ast.Channel)) if c)
        self.unique("channel", [s.name for s in body if isinstance(s, ast.Channel)])
        base_targets = self.collect_targets(body, "contract", None)
        escalation = self.single_escalation(body, "contract")
        plans = self.plans(body, base_targets)
        addons = tuple(a for a in (self.guarded(s.span, self.addon, s, plans)
                                   for s in body if isinstance(s, ast.Addon)) if a)
        self.unique("add-on", [s.name for s in body if isinstance(s, ast.Addon)])
        services = tuple(s for s in (self.guarded(st.span, self.service, st)
                                     for st in body if isinstance(st, ast.Service)) if s)
        self.unique("service", [s.name for s in body if isinstance(s, ast.Service)])
        sections = tuple(self.section(s) for s in body if isinstance(s, ast.Section))
        contract_targets = tuple(self.bind(t, None) for t in self.effective_targets([base_targets]))
        contract_targets = tuple(t for t in contract_targets if t is not None)
        self.consistency(contract_targets, "the contract")
        for plan in plans:
            self.consistency(plan.targets, f"plan `{plan.name}`")
        self.check_holiday_years(header)
        return model.Contract(
            name=name, file=self.file, **header,
            calendars=tuple(self.calendars[n] for n in self.calendars),
            priorities=tuple(self.priority(name, rank, span) for rank, name in enumerate(self.priority_names)),
            channels=channels, plans=plans, addons=addons, services=services, sections=sections,
            targets=contract_targets, escalation=escalation,
            commitments=self.commitments(body), prose=self.prose(body, "contract"),
            readings=self.readings(body, "contract"), span=span,
            clock=clock_rules(self, body, (contract_targets, plans, addons, channels)),
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
            key = value = None
            if isinstance(stmt, ast.Header):
                key, value = stmt.key, stmt.value
            elif isinstance(stmt, ast.HeaderDate):
                key, value = stmt.key, self.parse_date(stmt.value, stmt.span)
            elif isinstance(stmt, ast.Currency):
                key, value = "currency", stmt.code
            elif isinstance(stmt, ast.DefaultZone):
                zone = self.zone(stmt.zone, stmt.span)
                key, value = "zone", zone
                if zone:
                    self.default_zone, self.default_zone_label = zone, stmt.zone
            if key is None:
                continue
            if key in seen:
                self.error("E105", f"`{key}` is stated twice", stmt.span,
                           labels=[Label(seen[key], "first stated here")],
                           help="keep one")
                continue
            seen[key] = stmt.span
            out[key] = value
        return out

    def parse_date(self, text: str, span: Span) -> date | None:
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.error("E306", f"`{text}` is not a valid date", span, help="write YYYY-MM-DD")
            return None

    def unique(self, kind: str, names: list[ast.Name]) -> None:
        seen: dict[str, Span] = {}
        for name in names:
            if name.text in seen:
                self.error("E102", f"duplicate {kind} `{name.text}`", name.span,
                           labels=[Label(seen[name.text], "first declared here")],
                           help=f"rename one of the {kind}s")
            else:
                seen[name.text] = name.span

    # ---- priorities ---------------------------------------------------------------------------
    def priorities(self, stmt: ast.Priorities) -> None:
        if self.priorities_declared:
            self.error("E105", "`priorities` is declared twice", stmt.span, help="keep one list")
            return
        self.priorities_declared = True
        self.unique("priority", [level.name for level in stmt.levels])
        for level in stmt.levels:
            if level.name.text not in self.level_info:
                self.priority_names.append(level.name.text)
                self.level_info[level.name.text] = (level.description, level.examples, level.span)

    def implicit_priorities(self, body: tuple) -> list[str]:
        """Without `priorities`, the levels are those the contract names, in order of appearance."""
        names: list[str] = []
        for node in (n for stmt in body for n in ast.walk(stmt)):
            if isinstance(node, ast.TargetStmt):
                used = node.priorities
            elif isinstance(node, ast.DefaultPriority):
                used = (node.name,)
            else:
                continue
            for name in used:
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

    # ---- zones and calendars ------------------------------------------------------------------
    def zone(self, text: str, span: Span) -> str | None:
        """A zone as written -> the runtime's form; warns on Etc/GMT and abbreviations."""
        if text in ZONE_ABBREVIATIONS:
            minutes, iana = ZONE_ABBREVIATIONS[text]
            offset = _offset_text(minutes)
            self.warn("W302", f"zone abbreviation `{text}` is read as the fixed offset {offset}",
                      span, help=f"write the IANA zone `{iana}` (it follows daylight saving time "
                      f"rules), or the fixed offset `{offset.replace('UTC', 'GMT')}`")
            return offset
        if re.fullmatch(r"[A-Z]{2,5}", text) and text not in ("UTC", "GMT"):
            self.error("E304", f"unknown zone abbreviation `{text}`", span,
                       help="write an IANA zone such as `Asia/Jakarta`, or an offset such as `GMT+7`")
            return None
        match = re.fullmatch(r"(UTC|GMT)(?:([+-])(\d{1,2})(?::(\d{2}))?)?", text)
        if match:
            _, sign, hours, minutes = match.groups()
            if sign is None:
                return "UTC"
            total = int(hours) * 60 + int(minutes or 0)
            if int(hours) > 14 or int(minutes or 0) >= 60 or total > 14 * 60:
                self.error("E304", f"`{text}` is not a valid UTC offset", span,
                           help="offsets run from -14:00 to +14:00")
                return None
            return _offset_text(total if sign == "+" else -total)
        try:
            parse_zone(text)
        except (ValueError, KeyError, OSError):
            close = self.suggest("zone", text, _iana_names(), cutoff=0.7)
            self.error("E304", f"unknown time zone `{text}`", span,
                       help=f"did you mean `{close}`?" if close else
                       "write an IANA zone such as `Asia/Jakarta`, or an offset such as `GMT+7`")
            return None
        etc = re.fullmatch(r"Etc/GMT([+-])(\d{1,2})", text)
        if etc:
            sign, hours = etc.groups()
            real = _offset_text((-1 if sign == "+" else 1) * int(hours) * 60)
            self.warn("W301", f"`{text}` means {real}: the sign of `Etc/GMT` zones is reversed",
                      span, help=f"write `{real.replace('UTC', 'GMT')}` if that is what you mean")
        return text

    def declare_calendars(self, body: tuple) -> None:
        for stmt in body:
            if not isinstance(stmt, ast.Calendar):
                continue
            name = stmt.name.text
            if name in self.calendar_spans:
                self.error("E102", f"duplicate calendar `{name}`", stmt.name.span,
                           labels=[Label(self.calendar_spans[name], "first declared here")],
                           help="rename one of the calendars")
                continue
            self.calendar_spans[name] = stmt.name.span
            calendar = self.guarded(stmt.span, self.build_calendar, name, stmt.items, stmt.span,
                                    False)
            if calendar is not None:
                self.calendars[name] = calendar

    def calendar_expr(self, expr, span: Span) -> str | None:
        """A calendar reference or inline calendar -> the name of a model calendar."""
        if isinstance(expr, ast.CalendarRef):
            name = expr.name.text
            if name in self.calendars:
                return name
            if name in self.calendar_spans:
                return None  # declared but broken: already reported
            if name in ("24x7",):
                return self.inline_calendar((ast.Always(),), expr.span)
            self.unknown("calendar", name, expr.name.span, self.calendar_spans)
            return None
        if isinstance(expr, ast.Always):
            return self.inline_calendar((expr,), expr.span)
        return self.inline_calendar(expr.items, expr.span)

    def inline_calendar(self, items: tuple, span: Span) -> str | None:
        # Named after its canonical text, so the same inline calendar written twice is built once.
        single = len(items) == 1 and isinstance(items[0], ast.Always)
        name = items[0].text if single else calref(ast.InlineCalendar(items))
        if name not in self.calendars:
            calendar = self.guarded(span, self.build_calendar, name, items, span, True)
            if calendar is None:
                return None
            self.calendars[name] = calendar
        return name

    def build_calendar(self, name: str, items: tuple, span: Span, inline: bool) -> model.Calendar | None:
        week: dict[str, list[tuple[int, int, Span]]] = {d: [] for d in model.WEEKDAYS}
        always = False
        zone = zone_label = None
        holidays: dict[date, str] = {}
        holiday_keys: list[tuple] = []
        sources: list[str] = []
        years: tuple[int, int] | None = None
        ok = True
        for item in items:
            if isinstance(item, ast.Always):
                always = True
                for day in model.WEEKDAYS:
                    week[day].append((0, 24 * 60, item.span))
            elif isinstance(item, ast.Weekly):
                days = self.dayset(item.days)
                for window in item.windows:
                    bounds = self.window(window)
                    if bounds is None:
                        ok = False
                        continue
                    for day in days:
                        week[day].append((*bounds, window.span))
            elif isinstance(item, ast.ZoneItem):
                if zone is not None:
                    self.error("E105", "a calendar may name one zone", item.span,
                               help="remove one of the zones")
                    continue
                zone, zone_label = self.zone(item.zone, item.span), item.zone
                if zone is None:
                    ok = False
            elif isinstance(item, ast.Except):
                for holiday in item.holidays:
                    result = self.cached_holiday(holiday)
                    if result is None:
                        ok = False
                        continue
                    dates, source, holiday_years = result
                    holiday_keys.append(_holiday_key(holiday))
                    for day, label in dates:
                        holidays.setdefault(day, label)
                    sources.append(source)
                    if holiday_years:
                        years = holiday_years if years is None else (
                            max(years[0], holiday_years[0]), min(years[1], holiday_years[1]))
        # Windows of one day must not overlap (they may touch).
        windows: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        overlaps: dict[tuple, list[str]] = {}  # one diagnostic per pair of windows, naming the days
        for day in model.WEEKDAYS:
            spans = sorted(week[day])
            for (o1, c1, s1), (o2, c2, s2) in zip(spans, spans[1:]):
                if o2 < c1:
                    overlaps.setdefault((o1, c1, s1, o2, c2, s2), []).append(day.capitalize())
            windows.append((day, tuple((_clock(o), _clock(c)) for o, c, _ in spans)))
        for (o1, c1, s1, o2, c2, s2), days in overlaps.items():
            self.error("E302", f"windows {_clock(o1)}-{_clock(c1)} and {_clock(o2)}-{_clock(c2)} "
                       f"overlap on {', '.join(days)}", s2, labels=[Label(s1, "the other window")],
                       help="make the windows disjoint (they may touch)")
            ok = False
        if ok and not any(w for _, w in windows):
            self.error("E303", f"calendar `{name}` has no business time", span,
                       help="add windows such as `Mon-Fri 09:00-17:00`, or use `24x7`")
            return None
        if zone is None and ok:
            zone, zone_label = self.default_zone, self.default_zone_label
            if zone is None:
                if always and not holidays:
                    zone, zone_label = "UTC", "UTC"
                else:
                    self.error("E304", f"calendar `{name}` has no time zone", span,
                               help="add a zone such as `Asia/Jakarta` or `GMT+7`, or a contract-wide "
                               "`zone` statement")
                    return None
        if not ok:
            return None
        # Only holiday sets and yearly rules are frozen for a range of years; a dated holiday is one
        # date, exact in every year, so a calendar of dated holidays alone has no frozen range
        # (it answers any year) and dates never narrow the range of the sets beside them.
        # Calendars with the same holidays share one table (a contract of 400 calendars each
        # `except holidays(US) 1900..2200` holds one table, not 400: issue 22.4).
        table = self._holiday_tables.get(tuple(holiday_keys))
        if table is None:
            table = tuple(model.Holiday(d, holidays[d]) for d in sorted(holidays))
            self._holiday_tables[tuple(holiday_keys)] = table
        return model.Calendar(
            name=name, zone=zone, zone_label=zone_label, week=tuple(windows),
            holidays=table,
            holiday_years=years, holiday_sources=tuple(sources), always=always, inline=inline,
            span=span,
        )

    def dayset(self, days: ast.DaySet | None) -> list[str]:
        if days is None:
            return list(model.WEEKDAYS[:5])
        if days.group:
            return {"daily": list(model.WEEKDAYS), "weekdays": list(model.WEEKDAYS[:5]),
                    "weekends": list(model.WEEKDAYS[5:])}[days.group]
        out: list[str] = []
        for rng in days.ranges:
            first = _DAY_INDEX[rng.first]
            last = _DAY_INDEX[rng.last] if rng.last else first
            index = first
            while True:  # ranges may wrap: Sat-Mon
                if model.WEEKDAYS[index] not in out:
                    out.append(model.WEEKDAYS[index])
                if index == last:
                    break
                index = (index + 1) % 7
        return out

    def window(self, window: ast.Window) -> tuple[int, int] | None:
        opened, closed = _minutes_of(window.open), _minutes_of(window.close)
        if opened is None or closed is None or opened >= 24 * 60:
            bad = window.open if opened is None or opened >= 24 * 60 else window.close
            self.error("E301", f"`{bad}` is not a clock time of the day", window.span,
                       help="use 00:00 to 23:59 (and 24:00 as a closing time)")
            return None
        if closed <= opened:
            self.error("E301", f"window `{window.open}-{window.close}` is "
                       f"{'empty' if closed == opened else 'reversed'}", window.span,
                       help="a window never crosses midnight: write 22:00-24:00 and 00:00-06:00 "
                       "as two windows" if closed < opened else "give the window a length")
            return None
        return opened, closed

    def cached_holiday(self, holiday):
        """`holiday`, expanded once per distinct holiday item (the holidays package is slow)."""
        key = _holiday_key(holiday)
        if key not in self._holiday_items:
            result = self.holiday(holiday)
            if result is None:
                return None  # not cached: each faulty item reports its own diagnostic
            self._holiday_items[key] = result
        return self._holiday_items[key]

    def holiday(self, holiday) -> tuple[list[tuple[date, str]], str, tuple[int, int] | None] | None:
        if isinstance(holiday, ast.HolidayDate):
            day = self.parse_date(holiday.date, holiday.span)
            if day is None:
                return None
            named = f" ({holiday.label})" if holiday.label else ""  # the label is published, not dead
            return [(day, holiday.label or "Holiday")], f"{day.isoformat()}{named}", None
        if isinstance(holiday, ast.HolidayRule):
            first, last = DEFAULT_HOLIDAY_YEARS
            month = _MONTH_INDEX[holiday.month]
            observed = OBSERVED_NEAREST if holiday.observed else None
            try:
                if holiday.ordinal:
                    if holiday.day is not None:
                        raise ValueError("a weekday rule takes no day number")
                    rule = NthWeekday(_ORDINALS[holiday.ordinal], _DAY_INDEX[holiday.weekday],
                                      month, observed)
                    text = f"{holiday.ordinal} {holiday.weekday} of {holiday.month}"
                else:
                    if holiday.day is None:
                        raise ValueError("a date rule needs a day, such as `Dec 25`")
                    rule = FixedDate(month, holiday.day, observed)
                    text = f"{holiday.month} {holiday.day}"
            except ValueError as error:
                self.error("E306", f"invalid holiday rule: {error}", holiday.span,
                           help="write `Dec 25` or `third Mon of Jan`")
                return None
            label = holiday.label or text
            return ([(d, label) for d in rule.dates(first, last)],
                    f"{text}{f' ({holiday.label})' if holiday.label else ''} every year"
                    f"{' (observed)' if observed else ''}", (first, last))
        return self.holiday_set(holiday)

    def holiday_set(self, holiday: ast.HolidaySet):
        # A set computed before (this process, or an earlier run: sladsl/cache.py) is reused; only
        # requests that passed the checks below were ever stored, so a hit needs no checking.
        years = (holiday.years.first, holiday.years.last) if holiday.years else DEFAULT_HOLIDAY_YEARS
        key = holidays_key(holiday.region, tuple(holiday.categories or ("public",)), *years)
        cached = load_holidays(key)
        if cached is not None:
            return self.holiday_set_result(holiday, *cached, *years)
        import holidays as holidays_lib

        country, _, subdivision = holiday.region.partition("-")
        supported = holidays_lib.list_supported_countries()
        if country not in supported:
            codes = sorted(code for code in supported if len(code) == 2)
            close = self.suggest("country", country, codes, cutoff=0.5)
            self.error("E305", f"unknown holiday country `{country}`", holiday.span,
                       help=f"did you mean `{close}`?" if close else
                       "use an ISO 3166 country code such as `TH` or `MY`")
            return None
        if subdivision and subdivision not in supported[country]:
            self.error("E305", f"unknown subdivision `{subdivision}` of `{country}`", holiday.span,
                       help=f"known subdivisions: {', '.join(supported[country][:20]) or 'none'}")
            return None
        if holiday.years is not None:
            first, last = holiday.years.first, holiday.years.last
            low, high = HOLIDAY_YEAR_LIMITS
            if last < first or first < low or last > high:
                self.error("E306", f"year range {first}..{last} is reversed or out of range",
                           holiday.years.span,
                           help=f"write the first year, then the last, both within {low}..{high}")
                return None
        else:
            first, last = DEFAULT_HOLIDAY_YEARS
        categories = holiday.categories or ("public",)
        cls = holidays_lib.country_holidays(country).__class__
        known = getattr(cls, "supported_categories", ("public",))
        for category in categories:
            if category not in known:
                self.error("E305", f"`{country}` has no holiday category `{category}`", holiday.span,
                           help=f"categories: {', '.join(sorted(known))}")
                return None
        found = holidays_lib.country_holidays(
            country, subdiv=subdivision or None, years=range(first, last + 1),
            categories=tuple(categories), language="en_US")
        dates = sorted((day, str(label)) for day, label in found.items())
        store_holidays(key, dates, holidays_lib.__version__)
        return self.holiday_set_result(holiday, dates, holidays_lib.__version__, first, last)

    @staticmethod
    def holiday_set_result(holiday: ast.HolidaySet, dates, version: str, first: int, last: int):
        categories = holiday.categories or ("public",)
        name = holiday.region + ("" if categories == ("public",) else f" ({', '.join(categories)})")
        return dates, f"{name} holidays {first}-{last} (holidays {version})", (first, last)

    # ---- durations ----------------------------------------------------------------------------
    def duration(self, node, *, business_days_ok: bool = True, what: str = "a duration") -> model.Duration:
        """An AST duration -> model.Duration; raises DiagnosticError on a bad one."""
        if isinstance(node, ast.MisplacedPercent):
            raise DiagnosticError(Diagnostic(
                "E202", f"expected {what}, found the percentage `{node.text}`", node.span,
                help="write a duration such as `4h`, `30m` or `2 business days`"))
        if isinstance(node, ast.BusinessDays):
            if not business_days_ok:
                raise DiagnosticError(Diagnostic(
                    "E202", f"expected wall-clock time for {what}, found business days", node.span,
                    help="write hours or days, such as `4h` or `2 days`"))
            if node.count <= 0:
                raise DiagnosticError(Diagnostic(
                    "E204", "a target of zero business days", node.span, help="give a positive count"))
            unit = "business day" if node.count == 1 else "business days"
            return self.bounded(model.Duration(business_days=node.count, text=f"{node.count} {unit}"), node.span)
        if isinstance(node, ast.UnitDuration):
            unit = node.unit.rstrip("s")
            seconds = node.count * _UNIT_SECONDS[unit]
            return self.bounded(model.Duration(seconds=seconds, text=f"{node.count} {node.unit}"), node.span)
        seconds = clock_seconds(node.text)
        if seconds is None:
            raise DiagnosticError(Diagnostic(
                "E201", f"malformed duration `{node.text}`", node.span,
                help="write units from largest to smallest, each once: `1h30m`, `90s`, `1'30\"`"))
        return self.bounded(model.Duration(seconds=seconds, text=node.text), node.span)

    @staticmethod
    def bounded(duration: model.Duration, span: Span) -> model.Duration:
        """E206 for a duration no clock could count: beyond MAX_DURATION_DAYS (wall-clock or business)."""
        days = duration.business_days if duration.business_days is not None else duration.seconds / 86400
        if days > MAX_DURATION_DAYS:
            raise DiagnosticError(Diagnostic(
                "E206", f"`{duration.text}` is longer than {MAX_DURATION_DAYS:,} days (100 years)", span,
                help="no service-level term runs longer; check the number and its unit"))
        return duration

    def positive(self, duration: model.Duration, span: Span, what: str) -> None:
        if duration.seconds is not None and duration.seconds <= 0:
            raise DiagnosticError(Diagnostic(
                "E204", f"{what} of zero", span, help="give a positive duration"))

    def percent(self, text: str, span: Span, *, allow_zero: bool = True) -> Fraction:
        value = parse_percent(text)
        if value > 100 or value < 0:
            raise DiagnosticError(Diagnostic(
                "E203", f"`{text}` is outside 0-100%", span, help="percentages run from 0% to 100%"))
        if value == 0 and not allow_zero:
            raise DiagnosticError(Diagnostic(
                "E203", f"a target of `{text}` promises nothing", span,
                help="give the share promised, above 0% and at most 100%"))
        return value

    # ---- targets ------------------------------------------------------------------------------
    def collect_targets(self, body: tuple, origin: str, calendar: str | None) -> list[model.Target]:
        """Targets of a block, with calendars where the text names one (None: bind later)."""
        out: list[model.Target] = []
        for stmt in body:
            if isinstance(stmt, ast.Within):
                inner = self.guarded(stmt.span, self.calendar_expr, stmt.calendar, stmt.span)
                if inner is not None:
                    out += self.collect_targets(stmt.body, origin, inner)
            elif isinstance(stmt, ast.TargetStmt):
                out += self.target_stmt(stmt, origin, calendar)
        seen: dict[tuple, model.Target] = {}
        for target in out:
            key = (target.metric, target.priority, target.proportion is not None)
            if key in seen:
                who = f"priority `{target.priority}`" if target.priority else "every priority"
                self.error("E105", f"two {target.metric} targets for {who} in {origin}", target.span,
                           labels=[Label(seen[key].span, "the other target")],
                           help="keep one target per metric and priority")
            else:
                seen[key] = target
        return out

    def target_stmt(self, stmt: ast.TargetStmt, origin: str, calendar: str | None) -> list[model.Target]:
        priorities: list[str | None] = []
        for name in stmt.priorities:
            resolved = self.priority_ref(name)
            if resolved is not None:
                priorities.append(resolved)
        if stmt.priorities and not priorities:
            return []
        if not stmt.priorities:
            priorities = [None]
        self.mixed_scope(stmt)
        out = []
        sticky = calendar
        for target in stmt.targets:
            if target.calendar is not None:
                sticky = self.guarded(target.span, self.calendar_expr, target.calendar, target.span)
                if sticky is None:
                    continue
            built = self.guarded(target.span, self.target, target, origin, sticky)
            if built is None:
                continue
            for priority in priorities:
                out.append(_evolve(built, priority=priority))
        return out

    def mixed_scope(self, stmt: ast.TargetStmt) -> None:
        """W501: a target with no `within` before one with `within` on the same line.

        `within` applies to its own target and the later ones (docs/language.md rule 3), so in
        `respond 1h resolve 8h within always` the response counts in the plan's hours, not in
        `always`; a reader takes the line the other way, so the checker says which it is."""
        scoped = [t for t in stmt.targets if t.calendar is not None]
        if not scoped:
            return
        first = scoped[0]
        for target in stmt.targets:
            if target is first:
                break
            written = calref(first.calendar)
            self.warn("W501", f"`{target_text(target)}` does not count in `{written}`: `within` "
                      "applies to its own target and the ones after it", target.span,
                      labels=(Label(getattr(first.calendar, "span", first.span),
                                    f"`within {written}` is written"),),
                      help=f"write `within {written}` right after `{target_text(target)}` to "
                           "apply it to the whole line, or give this target its own `within`")

    def target(self, node: ast.Target, origin: str, calendar: str | None) -> model.Target:
        metric = model.METRIC_OF_VERB[node.metric]
        quantity = node.quantity
        low = proportion = period = None
        if isinstance(quantity, ast.Range):
            low = self.duration(quantity.low)
            high = self.duration(quantity.high)
            self.positive(low, quantity.low.span, "a range starting")
            self.positive(high, quantity.high.span, "a target")
            if (low.seconds is not None and high.seconds is not None and low.seconds >= high.seconds) or (
                    low.business_days is not None and high.business_days is not None
                    and low.business_days >= high.business_days):
                raise DiagnosticError(Diagnostic(
                    "E205", f"range `between {low.text} and {high.text}` is reversed or empty",
                    quantity.span, help="write the shorter duration first"))
            duration = high
        elif isinstance(quantity, ast.Proportion):
            duration = self.duration(quantity.duration)
            self.positive(duration, quantity.duration.span, "a target")
            proportion = self.percent(quantity.percent, quantity.span, allow_zero=False)
            period = quantity.period
        else:
            duration = self.duration(quantity.duration)
            self.positive(duration, quantity.span, "a target")
        alternative = None
        if node.alternative is not None:
            alternative = self.duration(node.alternative)
            self.positive(alternative, node.alternative.span, "a target")
        if node.every:
            self.cadence(node, metric)
        return model.Target(
            metric=metric, priority=None, duration=duration, calendar=calendar, low=low,
            proportion=proportion, proportion_period=period, best_effort=node.best_effort,
            alternative=alternative, every=node.every, origin=origin, span=node.span,
        )

    def cadence(self, node: ast.Target, metric: str) -> None:
        """E501: `every` is a cadence of updates, one interval long (docs/language.md)."""
        if metric != "update":
            raise DiagnosticError(Diagnostic(
                "E501", f"`{node.metric} every` is not a cadence: only `update` targets repeat",
                node.span, help="remove `every`, or make it an `update` target"))
        if not isinstance(node.quantity, ast.Fixed):
            raise DiagnosticError(Diagnostic(
                "E501", "an update cadence takes one interval, not a range or a proportion",
                node.quantity.span, help="write `update every 4h`"))

    def bind(self, target: model.Target, hours: str | None) -> model.Target | None:
        """Give a target its calendar: its own, else the plan's hours, else the only calendar."""
        if target.calendar is not None:
            return target
        if hours is not None:
            return _evolve(target, calendar=hours)
        named = [c for c in self.calendars.values() if not c.inline]
        if len(named) == 1:
            return _evolve(target, calendar=named[0].name)
        self.error("E106", f"no calendar for this {target.metric} target", target.span,
                   help="add `within CALENDAR` to the target, wrap it in `within CALENDAR { }`, or "
                   "give the plan `hours CALENDAR`")
        return None

    # ---- plans --------------------------------------------------------------------------------
    def plans(self, body: tuple, base: list[model.Target]) -> tuple[model.Plan, ...]:
        nodes = {}
        for stmt in body:
            if isinstance(stmt, ast.Plan):
                if stmt.name.text in nodes:
                    self.error("E102", f"duplicate plan `{stmt.name.text}`", stmt.name.span,
                               labels=[Label(nodes[stmt.name.text].name.span, "first declared here")],
                               help="rename one of the plans")
                    continue
                nodes[stmt.name.text] = stmt
        for node in nodes.values():
            self.placement(node.body, "plan")
            for parent in node.includes:
                if parent.text not in nodes:
                    self.unknown("plan", parent.text, parent.span, nodes)
        order = self.inheritance_order(nodes)
        raw: dict[str, dict] = {}
        for name in order:
            node = nodes[name]
            own = self.guarded(node.span, self.plan_parts, node)
            if own is None:
                continue
            raw[name] = own
        built = []
        for name in nodes:
            if name in raw:
                plan = self.guarded(nodes[name].span, self.flatten_plan, name, nodes, raw, base)
                if plan is not None:
                    built.append(plan)
        return tuple(built)

    def inheritance_order(self, nodes: dict[str, ast.Plan]) -> list[str]:
        """Plans with their parents first; a cycle is E104 and its plans are left out."""
        order: list[str] = []
        state: dict[str, str] = {}

        def visit(name: str, path: list[str]) -> bool:
            if state.get(name) == "done":
                return True
            if state.get(name) == "active":
                cycle = path[path.index(name):] + [name]
                self.error("E104", f"plan inheritance cycle: {' -> '.join(f'`{c}`' for c in cycle)}",
                           nodes[name].span, help="remove one `includes` from the cycle")
                return False
            state[name] = "active"
            ok = True
            for parent in nodes[name].includes:
                if parent.text in nodes:
                    ok = visit(parent.text, path + [name]) and ok
            state[name] = "done" if ok else "broken"
            if ok:
                order.append(name)
            return ok

        for name in nodes:
            if state.get(name) is None:
                visit(name, [])
        return order

    def plan_parts(self, node: ast.Plan) -> dict:
        origin = f"plan {node.name.text}"
        hours = price = None
        channels: list[str] = []
        channel_names: list[ast.Name] = []
        for stmt in node.body:
            if isinstance(stmt, ast.Hours):
                if hours is not None:
                    self.error("E105", "`hours` is stated twice", stmt.span, help="keep one")
                    continue
                hours = self.guarded(stmt.span, self.calendar_expr, stmt.calendar, stmt.span) or BROKEN
            elif isinstance(stmt, ast.Price):
                price = self.guarded(stmt.span, self.price, stmt)
            elif isinstance(stmt, ast.Channels):
                for name in stmt.names:
                    channels.append(name.text)
                    channel_names.append(name)
        return {
            "hours": hours,
            "price": price,
            "channels": channels,
            "channel_names": channel_names,
            "targets": self.collect_targets(node.body, origin, None),
            "escalation": self.single_escalation(node.body, origin),
            "prose": list(self.prose(node.body, origin)),
        }

    def flatten_plan(self, name: str, nodes: dict, raw: dict, base: list[model.Target]) -> model.Plan:
        ancestors: list[str] = []

        def collect(current: str):
            for parent in nodes[current].includes:
                if parent.text in raw and parent.text not in ancestors:
                    ancestors.append(parent.text)
                    collect(parent.text)

        collect(name)
        chain = [name] + ancestors  # nearest first
        hours = next((raw[p]["hours"] for p in chain if raw[p]["hours"]), None)
        if hours is BROKEN:  # already reported where the calendar is declared or named
            hours = None
            base = [t for t in base if t.calendar is not None]
            raw = {**raw, **{p: {**raw[p], "targets": [t for t in raw[p]["targets"] if t.calendar]}
                             for p in chain}}
        escalation = next((raw[p]["escalation"] for p in chain if raw[p]["escalation"]), None)
        channels = []
        for plan in reversed(chain):
            channels += [c for c in raw[plan]["channels"] if c not in channels]
        prose = []
        for plan in reversed(chain):
            prose += raw[plan]["prose"]
        levels = [raw[p]["targets"] for p in chain] + [base]
        targets = []
        for target in self.effective_targets(levels):
            bound = self.bind(target, hours)
            if bound is not None:
                targets.append(bound)
        for channel in raw[name]["channel_names"]:
            if channel.text not in self.channel_names:
                self.unknown("channel", channel.text, channel.span, self.channel_names)
        return model.Plan(
            name=name, includes=tuple(p.text for p in nodes[name].includes), ancestors=tuple(ancestors),
            hours=hours, price=raw[name]["price"], channels=tuple(channels), targets=tuple(targets),
            escalation=escalation, prose=tuple(prose), span=nodes[name].span,
        )

    def effective_targets(self, levels: list[list[model.Target]]) -> list[model.Target]:
        """One target per (metric, priority, kind): the nearest level wins, and within a level a
        priority-specific target beats an every-priority one."""
        chosen: dict[tuple, model.Target] = {}
        priorities = self.priority_names or [None]
        for level in levels:  # nearest first
            found: dict[tuple, model.Target] = {}
            for target in level:
                kind = target.proportion is not None
                names = [target.priority] if target.priority else priorities
                for priority in names:
                    key = (target.metric, priority, kind)
                    if target.priority is None and key in found:
                        continue  # a specific target of this level wins
                    found[key] = _evolve(target, priority=priority)
            for key, target in found.items():
                chosen.setdefault(key, target)
        rank = {p: i for i, p in enumerate(priorities)}
        return sorted(chosen.values(), key=lambda t: (model.METRICS.index(t.metric),
                                                      rank.get(t.priority, -1), t.proportion is not None))

    def price(self, stmt: ast.Price) -> model.Price:
        if stmt.included:
            return model.Price(included=stmt.label or "", span=stmt.span)
        amount = Fraction(stmt.money.amount.replace(",", ""))
        return model.Price(model.Money(stmt.money.currency, amount, stmt.money.amount),
                           stmt.period, span=stmt.span, addon=stmt.addon)

    def plan_names(self, plans: tuple[model.Plan, ...]) -> frozenset[str]:
        """The names of `plans`, built once for all add-ons (not once per add-on)."""
        cached = self._plan_name_sets.get(id(plans))
        if cached is None or cached[0] is not plans:
            cached = self._plan_name_sets[id(plans)] = (plans, frozenset(p.name for p in plans))
        return cached[1]

    def addon(self, stmt: ast.Addon, plans: tuple[model.Plan, ...]) -> model.Addon:
        self.placement(stmt.body, "addon")
        origin = f"addon {stmt.name.text}"
        names = self.plan_names(plans)
        for plan in stmt.for_plans:
            if plan.text not in names:
                self.unknown("plan", plan.text, plan.span, names)
        price = None
        for inner in stmt.body:
            if isinstance(inner, ast.Price):
                price = self.guarded(inner.span, self.price, inner)
        targets = self.effective_targets([self.collect_targets(stmt.body, origin, None)])
        usable = [p for p in plans if not stmt.for_plans or p.name in {n.text for n in stmt.for_plans}]
        for target in targets:
            if target.alternative is not None:
                self.two_ways(target, [target.calendar or p.hours for p in usable])
        for target in targets:
            if target.calendar is None:
                for plan in usable:
                    if plan.hours is None:
                        self.error("E106", f"add-on target has no calendar under plan `{plan.name}`",
                                   target.span, help=f"give plan `{plan.name}` `hours`, or the target "
                                   "a `within`")
                        break
        return model.Addon(stmt.name.text, tuple(p.text for p in stmt.for_plans), price,
                           tuple(targets), self.prose(stmt.body, origin), span=stmt.span)

    # ---- channels -----------------------------------------------------------------------------
    def channel(self, stmt: ast.Channel) -> model.Channel:
        self.placement(stmt.body, "channel")
        fields: dict = {"only_priorities": ()}
        for inner in stmt.body:
            if isinstance(inner, ast.Hours):
                fields["hours"] = self.guarded(inner.span, self.calendar_expr, inner.calendar, inner.span)
            elif isinstance(inner, ast.Contact):
                fields["contact"] = inner.text
            elif isinstance(inner, ast.Audience):
                fields["audience"] = inner.text
            elif isinstance(inner, ast.DefaultPriority):
                if inner.name.text in self.priority_names:
                    fields["default_priority"] = inner.name.text
                else:
                    close = self.suggest("priority", inner.name.text, self.priority_names)
                    self.error("E107", f"default priority `{inner.name.text}` does not exist",
                               inner.name.span,
                               help=f"did you mean `{close}`?" if close else
                               f"priorities: {', '.join(f'`{p}`' for p in self.priority_names)}")
            elif isinstance(inner, ast.OnlyPriority):
                fields["only_priorities"] = tuple(
                    p for p in (self.priority_ref(n) for n in inner.names) if p)
        origin = f"channel {stmt.name.text}"
        targets = []
        for target in self.collect_targets(stmt.body, origin, None):
            bound = self.bind(target, fields.get("hours"))
            if bound is not None:
                targets.append(bound)
        return model.Channel(name=stmt.name.text, targets=tuple(targets),
                             prose=self.prose(stmt.body, origin), span=stmt.span, **fields)

    # ---- escalation ---------------------------------------------------------------------------
    def single_escalation(self, body: tuple, origin: str) -> model.Escalation | None:
        ladders = [s for s in body if isinstance(s, ast.Escalate)]
        for extra in ladders[1:]:
            self.error("E105", f"two escalation ladders in {origin}", extra.span,
                       labels=[Label(ladders[0].span, "the first ladder")], help="merge them into one")
        if not ladders:
            return None
        return self.guarded(ladders[0].span, self.escalation, ladders[0], origin)

    def escalation(self, stmt: ast.Escalate, origin: str) -> model.Escalation | None:
        calendar = None
        if stmt.calendar is not None:
            calendar = self.calendar_expr(stmt.calendar, stmt.span)
        steps = []
        for row in stmt.rows:
            start = self.duration(row.start, business_days_ok=False, what="an escalation step")
            end = None if row.end is None else self.duration(row.end, business_days_ok=False,
                                                             what="an escalation step")
            if end is not None and end.seconds <= start.seconds:
                self.error("E205", f"escalation step `{start.text}..{end.text}` is reversed or empty",
                           row.span, help="write the earlier time first")
                continue
            fields = dict(row.fields)
            steps.append(model.EscalationStep(start.seconds, None if end is None else end.seconds,
                                              row.role, fields.get("contact"), fields.get("remark"),
                                              fields.get("when"), span=row.span))
        steps.sort(key=lambda s: s.start)
        for first, second in zip(steps, steps[1:]):
            if first.end is None or first.end > second.start:
                self.error("E205", "escalation steps overlap", second.span,
                           labels=[Label(first.span, "the earlier step")],
                           help="each step must end where or before the next starts")
        return model.Escalation(tuple(steps), calendar, origin, span=stmt.span)

    # ---- services -----------------------------------------------------------------------------
    def service(self, stmt: ast.Service) -> model.Service:
        self.placement(stmt.body, "service")
        origin = f"service {stmt.name.text}"
        fields: dict = {}
        means, monitors, credits = [], [], []
        # A reading whose topic a warning names (`amounts`, `caps`) settles that warning here.
        settled = frozenset(r.topic for r in stmt.body if isinstance(r, ast.Reading) and r.topic)
        for inner in stmt.body:
            if isinstance(inner, ast.Availability):
                if "availability" in fields:
                    self.error("E105", "`availability` is stated twice", inner.span, help="keep one")
                    continue
                fields["availability"] = self.guarded(inner.span, self.availability, inner)
            elif isinstance(inner, ast.DowntimeDef):
                means.append(inner.text)
            elif isinstance(inner, ast.DowntimeStart):
                start = self.guarded(inner.span, self.downtime_start, inner)
                if start:
                    fields["downtime_start"] = start
            elif isinstance(inner, ast.Maintenance):
                fields["maintenance"] = self.guarded(inner.span, self.maintenance, inner)
            elif isinstance(inner, ast.Monitor):
                monitor = self.guarded(inner.span, self.monitor, inner)
                if monitor:
                    monitors.append(monitor)
            elif isinstance(inner, ast.Credit):
                credit = self.guarded(inner.span, self.credit, inner, fields.get("availability"), settled)
                if credit:
                    credits.append(credit)
        if credits and fields.get("availability") is None and "availability" not in fields:
            self.error("E404", f"{origin} has credits but no `availability` target", stmt.span,
                       help="add `availability 99.9% per month`")
        return model.Service(
            name=stmt.name.text, downtime_means=tuple(means), monitors=tuple(monitors),
            credits=tuple(credits), commitments=self.commitments(stmt.body),
            prose=self.prose(stmt.body, origin), span=stmt.span,
            **{k: v for k, v in fields.items() if v is not None},
        )

    def availability(self, stmt: ast.Availability) -> model.AvailabilityTarget:
        target = self.percent(stmt.percent, stmt.span, allow_zero=False)
        zone = self.zone(stmt.zone, stmt.span) if stmt.zone else (self.default_zone or "UTC")
        if zone is None:
            raise DiagnosticError(Diagnostic("E304", "availability zone is invalid", stmt.span))
        first_month = 1
        if stmt.fiscal_from is not None:
            if stmt.period not in ("quarter", "year"):
                raise DiagnosticError(Diagnostic(
                    "E408", f"`fiscal from {stmt.fiscal_from}` on a {stmt.period}", stmt.span,
                    help="only quarters and years are fiscal: `availability 99.9% per quarter fiscal from Feb`"))
            first_month = _MONTH_NUMBERS[stmt.fiscal_from]
        return model.AvailabilityTarget(target, stmt.period, zone, stmt.best_effort,
                                        stmt.measured_at, span=stmt.span, first_month=first_month,
                                        not_rolling=stmt.not_rolling)

    def downtime_start(self, stmt: ast.DowntimeStart):
        events = ("report", "detection", "start")
        for event in stmt.events:
            if event not in events:
                raise DiagnosticError(Diagnostic(
                    "E405", f"unknown downtime start event `{event}`", stmt.span,
                    help="events: `report`, `detection`, `start` (the outage record's start)"))
        if stmt.function is None:
            return (stmt.events[0], ())
        if stmt.function not in ("earliest", "latest"):
            raise DiagnosticError(Diagnostic(
                "E405", f"unknown choice `{stmt.function}`", stmt.span,
                help="write `earliest(report, detection)` or `latest(...)`"))
        return (stmt.function, stmt.events)

    def maintenance(self, stmt: ast.Maintenance) -> model.Maintenance:
        allowance = self.duration(stmt.allowance, business_days_ok=False, what="an allowance")
        outside = None
        if stmt.outside is not None:
            outside = self.calendar_expr(stmt.outside, stmt.span)
        return model.Maintenance(allowance.seconds, stmt.period, outside, stmt.overrun, span=stmt.span)

    def monitor(self, stmt: ast.Monitor) -> model.Monitor:
        interval = self.duration(stmt.interval, business_days_ok=False, what="an interval")
        self.positive(interval, stmt.span, "a monitoring interval")
        return model.Monitor(interval, stmt.description, span=stmt.span)

    def share(self, node, *, cap: bool = False) -> model.Share:
        if isinstance(node, ast.ServiceDays):
            if node.count <= 0:
                raise DiagnosticError(Diagnostic("E204", "a credit of zero days", node.span,
                                                 help="give a positive count"))
            unit = "day" if node.count == 1 else "days"
            return model.Share("days", Fraction(node.count), None, f"{node.count} {unit} of service",
                               span=node.span)
        if isinstance(node, ast.FeeFraction):
            numerator, denominator = node.fraction.split("/")
            if int(denominator) == 0:
                raise DiagnosticError(Diagnostic("E201", f"`{node.fraction}` divides by zero", node.span,
                                                 help="write a fraction such as `1/24`"))
            value = Fraction(int(numerator), int(denominator)) * 100
            if value > 100:
                raise DiagnosticError(Diagnostic("E203", f"`{node.fraction}` is more than the whole fee",
                                                 node.span, help="a share of a fee is at most 1"))
            return model.Share("percent", value, node.basis, f"{node.fraction} of {node.basis} fee",
                               span=node.span)
        if cap and parse_percent(node.percent) > 100:
            raise DiagnosticError(Diagnostic(
                "E403", f"cap `{node.percent} of {node.basis} fee` is above 100%", node.span,
                help="a cap is at most the whole fee"))
        return model.Share("percent", self.percent(node.percent, node.span), node.basis,
                           f"{node.percent} of {node.basis} fee", span=node.span)

    def credit(self, stmt: ast.Credit, availability: model.AvailabilityTarget | None,
               settled: frozenset = frozenset()):
        kind = stmt.kind
        claim = next((line.text for line in stmt.lines if isinstance(line, ast.Claim)), None)
        gaps = [line for line in stmt.lines if isinstance(line, ast.Gaps)]
        rows = [line for line in stmt.lines if isinstance(line, ast.TierRow)]
        amounts = [line for line in stmt.lines if isinstance(line, ast.Amount)]
        caps = []
        for line in stmt.lines:
            if isinstance(line, ast.Cap):
                share = self.guarded(line.span, lambda node: self.share(node, cap=True), line.share)
                if share is not None:
                    caps.append((share, line.period))
        if isinstance(kind, ast.Tiers):
            if amounts:
                self.error("E103", "a tiered credit takes rows, not amounts", amounts[0].span,
                           help="write rows such as `99.0%..99.9% -> 5%`")
            caps = self.caps_fit(caps, availability, f"a share of the {kind.basis} fee",
                                 lambda share: share.kind == "percent" and share.basis == kind.basis,
                                 f"a share of the {kind.basis} fee, e.g. `cap 30% of {kind.basis} fee per month`")
            return attrs.evolve(self.tiers(stmt, kind, rows, gaps, claim, availability, settled), caps=caps)
        if rows or gaps:
            self.error("E103", "tier rows belong in `credit tiers of ... fee`", (rows or gaps)[0].span,
                       help="use `credit tiers of monthly fee { ... }`")
        if isinstance(kind, ast.PerOutage):
            grace = self.duration(kind.grace, business_days_ok=False, what="a grace time")
            period = self.duration(kind.period, business_days_ok=False, what="a credit period")
            self.positive(period, kind.span, "a credit period")
            shares = [s for s in (self.guarded(a.span, self.share, a.share) for a in amounts) if s]
            if not amounts:
                raise DiagnosticError(Diagnostic(
                    "E404", "a per-outage credit needs an amount", stmt.span,
                    help="add a line such as `3.3% of monthly fee` or `1 day of service`"))
            self.credit_agreement(shares, [a.span for a in amounts], period.seconds, "amounts", settled)
            caps = list(self.caps_fit(
                caps, None, None,
                lambda cap: any(a.kind == cap.kind and a.basis == cap.basis for a in shares),
                "the unit of one of the amounts: a share of the same fee, or days of service"))
            if len(caps) > 1:
                self.credit_agreement([c for c, _ in caps], [c.span for c, _ in caps], None, "caps", settled)
            return model.PerOutageCredit(grace.seconds, kind.rounding, period.seconds, tuple(shares),
                                         tuple(caps), claim, span=stmt.span)
        if amounts:
            self.error("E103", "an extension credit takes no amounts", amounts[0].span,
                       help="the extension is the downtime itself")
        caps = self.caps_fit(caps, availability, "days of service", lambda share: share.kind == "days",
                             "days of service, e.g. `cap 30 days of service per year`")
        return model.ExtensionCredit(kind.scope, claim, span=stmt.span, caps=caps)

    def caps_fit(self, caps, availability, unit: str, fits, example: str) -> tuple:
        """Caps of a tiered or extension credit: in the credit's own unit (E406), over a period
        made of whole measurement periods (E407), since the credit is decided once per period."""
        kept = []
        for share, per in caps:
            if not fits(share):
                what = (f"is not {unit}, the unit this credit is paid in" if unit
                        else "limits none of this credit's amounts")
                self.error("E406", f"`cap {share.text}` {what}", share.span, help=f"state the cap in {example}")
                continue
            period = availability.period if availability is not None else None
            if period is not None and per not in _CAP_PERIODS_OVER.get(period, (period,)):
                self.error("E407", f"a cap per {per} on a credit decided per {period}", share.span,
                           help=f"the credit is decided once per {period}: cap it per "
                           + " or per ".join(_CAP_PERIODS_OVER.get(period, (period,))))
                continue
            kept.append((share, per))
        return tuple(kept)

    def tiers(self, stmt, kind, rows, gaps, claim, availability, settled=frozenset()):
        if not rows:
            raise DiagnosticError(Diagnostic("E404", "a credit table with no rows", stmt.span,
                                             help="add rows such as `99.0%..99.9% -> 5%`"))
        built = []
        for row in rows:
            high = self.percent(row.high, row.span)
            low = None if row.low is None else self.percent(row.low, row.span)
            credit = self.percent(row.credit, row.span)
            if low is not None and low > high:
                self.error("E205", f"tier `{row.low}..{row.high}` is reversed", row.span,
                           help="write the lower uptime first")
                continue
            built.append(model.TierRow(low, high, row.below, credit, span=row.span))
        built.sort(key=lambda r: r.high, reverse=True)
        opens = [r for r in built if r.low is None]
        if len(opens) > 1 or (opens and opens[0] is not built[-1]):
            self.error("E401", "only the lowest tier may be open-ended", (opens[0] if opens else built[0]).span,
                       help="give the other rows a lower bound")
        explicit_gaps = gaps[0].party if gaps else None
        for upper, lower in zip(built, built[1:]):
            if upper.low is None:
                continue
            if lower.high > upper.low or (lower.high == upper.low and not lower.below):
                self.error("E401", f"tiers `{_pct(upper.low)}..{_pct(upper.high)}` and "
                           f"`..{_pct(lower.high)}` overlap", lower.span,
                           labels=[Label(upper.span, "the other tier")],
                           help="make each uptime fall in one row")
                continue
            gap = upper.low - lower.high
            precision = Fraction(1, 10 ** max(_decimals(upper.low), _decimals(lower.high)))
            if gap > precision and explicit_gaps is None:
                self.error("E402", f"no tier covers uptimes between {_pct(lower.high)}% and "
                           f"{_pct(upper.low)}%", lower.span,
                           help="add a row for the gap, or say who gets it: `gaps favour customer`")
        if availability is not None and built and built[0].high != availability.target:
            self.warn("W401", f"the credit table starts at {_pct(built[0].high)}% but the target is "
                      f"{_pct(availability.target)}%", built[0].span,
                      help="the target governs the top edge: uptimes at or above it earn nothing; "
                      "make the first row end at the target")
        top = built[0] if built else None
        if (availability is not None and top is not None and top.high == availability.target
                and not top.below and "tier_edges" not in settled):
            target = _pct(availability.target)
            low = "" if top.low is None else _printed(top.low)
            self.warn("W402", f"the credit row `{low}..{_printed(top.high)}` includes {target}%, which "
                      f"meets the {target}% target", top.span,
                      notes=[f"the target governs: exactly {target}% meets it and earns nothing"],
                      help=f"write the row `{low}..below {_printed(top.high)}` to say so, or add "
                      '`reading tier_edges "<the words>" as "<which governs>"` to the service')
        return model.TieredCredit(kind.basis, tuple(built), explicit_gaps or "customer", claim,
                                  span=stmt.span)

    def credit_agreement(self, shares, spans, period_seconds, what: str, settled=frozenset()) -> None:
        """W104: the same credit stated as days, % of monthly and % of annual fee must agree.

        A `reading <what> "..." as "..."` in the same service (topic `amounts` or `caps`) says
        which figure governs, so it settles the warning."""
        if what in settled:
            return
        monthly = []
        for share in shares:
            if share.kind == "days":
                value = share.value * 100 / DAYS_PER_MONTH_FOR_CREDITS
            elif share.basis == "annual":
                value = share.value * 12
            else:
                value = share.value
            monthly.append((value, share))
        values = {v for v, _ in monthly}
        if len(values) > 1:
            low, high = min(values), max(values)
            places = _distinguishing_places([v for v, _ in monthly] + [high - low])
            described = "; ".join(f"`{s.text}` = {float(v):.{places}f}% of a month's fee" for v, s in monthly)
            self.warn("W104", f"the credit {what} disagree: {described}", spans[0],
                      notes=[f"they differ by up to {float(high - low):.{places}f} percentage points "
                             f"({float((high - low) / high * 100):.1f}%); a month is taken as "
                             f"{DAYS_PER_MONTH_FOR_CREDITS} days and a year as 12 months"],
                      help=f"the evaluator uses each amount for its own fee basis; add "
                      f"`reading {what} \"<the words>\" as \"<which governs>\"` to the service")

    # ---- prose, readings, commitments ---------------------------------------------------------
    def prose(self, body: tuple, origin: str) -> tuple[model.Prose, ...]:
        out = []
        for stmt in body:
            if isinstance(stmt, ast.Prose):
                out.append(model.Prose(stmt.kind, stmt.text, None, origin, span=stmt.span))
            elif isinstance(stmt, ast.Definition):
                out.append(model.Prose("definition", stmt.text, stmt.term, origin, span=stmt.span))
        return tuple(out)

    def readings(self, body: tuple, scope: str) -> tuple[model.Reading, ...]:
        out = []

        def walk(stmts, where):
            for stmt in stmts:
                if isinstance(stmt, ast.Reading):
                    out.append(model.Reading(stmt.topic, stmt.quote, stmt.meaning, where, span=stmt.span))
                elif isinstance(stmt, (ast.Plan, ast.Addon, ast.Channel, ast.Service, ast.Section)):
                    walk(stmt.body, f"{type(stmt).__name__.lower()} {stmt.name.text}")
                elif isinstance(stmt, ast.Within):
                    walk(stmt.body, where)

        walk(body, scope)
        return tuple(out)

    def commitments(self, body: tuple) -> tuple[model.Commitment, ...]:
        out = []
        for stmt in body:
            if isinstance(stmt, ast.Commitment):
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

    # ---- consistency --------------------------------------------------------------------------
    def approx_seconds(self, duration: model.Duration, calendar: str | None) -> Fraction | None:
        """Business seconds a duration stands for under a calendar (business days at the
        calendar's average business-day length)."""
        if duration.seconds is not None:
            return Fraction(duration.seconds)
        if calendar is None or calendar not in self.calendars:
            return None
        cal = self.calendars[calendar]
        days = cal.business_days_per_week
        return Fraction(cal.weekly_seconds, days) * duration.business_days if days else None

    def consistency(self, targets: Iterable[model.Target], where: str) -> None:
        targets = [t for t in targets if t.proportion is None]
        by_key = {(t.metric, t.priority): t for t in targets}
        for (metric, priority), target in by_key.items():
            if metric == "response" and ("resolution", priority) in by_key:
                resolution = by_key[("resolution", priority)]
                a = self.approx_seconds(target.duration, target.calendar)
                b = self.approx_seconds(resolution.duration, resolution.calendar)
                if a is not None and b is not None and a > b and target.span != resolution.span:
                    self.warn("W101", f"response target `{target.duration.text}` is longer than the "
                              f"resolution target `{resolution.duration.text}` for "
                              f"{_who(priority)} in {where}", target.span,
                              labels=[Label(resolution.span, "the resolution target")],
                              help="a ticket cannot be resolved before it is answered; check the numbers")
        rank = {p: i for i, p in enumerate(self.priority_names)}
        for metric in model.METRICS:
            ranked = sorted((t for t in targets if t.metric == metric and t.priority in rank),
                            key=lambda t: rank[t.priority])
            for severe_index, severe in enumerate(ranked):
                for mild in ranked[severe_index + 1:]:
                    a = self.approx_seconds(severe.duration, severe.calendar)
                    b = self.approx_seconds(mild.duration, mild.calendar)
                    if a is not None and b is not None and a > b and severe.origin == mild.origin:
                        self.warn("W102", f"`{severe.priority}` is more severe than `{mild.priority}` "
                                  f"but its {metric} target `{severe.duration.text}` is slower than "
                                  f"`{mild.duration.text}` in {where}", severe.span,
                                  labels=[Label(mild.span, f"the `{mild.priority}` target")],
                                  help="priorities are listed most severe first; reorder them or "
                                  "fix the targets")
        for target in targets:
            if target.alternative is not None:
                self.two_ways(target, [target.calendar])

    def two_ways(self, target: model.Target, calendars: list[str | None]) -> None:
        """W103 once per written target: its two figures differ under some calendar it counts in.

        A `reading two_ways "..." as "..."` in the block that states the target (or in the
        contract's own body) says which figure governs, so it settles the warning there."""
        if target.span in self.two_way_reported:
            return
        if target.origin in self.two_ways_settled or "contract" in self.two_ways_settled:
            return
        first, second = target.duration, target.alternative
        notes = []
        worst = None
        for calendar in sorted({c for c in calendars if c is not None}):
            a = self.approx_seconds(first, calendar)
            b = self.approx_seconds(second, calendar)
            if a is None or b is None or a == b:
                continue
            day = self.calendars[calendar].uniform_day_seconds
            per_day = f" (a business day is {_hours(day)})" if day else ""
            notes.append(f"in calendar `{calendar}`{per_day}: `{first.text}` = {_hours(a)} and "
                         f"`{second.text}` = {_hours(b)} of business time, {_hours(abs(a - b))} apart")
            if worst is None or abs(a - b) > worst[0]:
                worst = (abs(a - b), calendar)
        if not notes:
            return
        self.two_way_reported.add(target.span)
        self.warn("W103", f"`{first.text}` and `({second.text})` disagree by up to "
                  f"{_hours(worst[0])} of business time (calendar `{worst[1]}`)", target.span,
                  notes=notes + [f"the first figure, `{first.text}`, governs the due instant"],
                  help="state the target once, or add `reading two_ways \"...\" as \"...\"` to the "
                  "block, saying which figure governs")

    def check_holiday_years(self, header: dict) -> None:
        for calendar in self.calendars.values():
            if calendar.holiday_years is None:
                continue
            first, last = calendar.holiday_years
            for key in ("effective", "withdrawn"):
                day = header.get(key)
                if day is not None and not first <= day.year <= last:
                    self.warn("W303", f"calendar `{calendar.name}` has holidays frozen for {first}-{last} "
                              f"but the contract is {key} {day.isoformat()}", calendar.span,
                              help=f"widen the holiday set's year range to cover it, e.g. "
                              f"`{min(first, day.year)}..{max(last, day.year)}`")


# ---- small helpers ----------------------------------------------------------------------------

def _holiday_key(holiday) -> tuple:
    """What a holiday item says, without where it says it (AST nodes compare with their spans)."""
    fields = attrs.asdict(holiday, recurse=False)
    years = fields.get("years")
    if years is not None:
        fields["years"] = (years.first, years.last)
    return (type(holiday).__name__, *(v for k, v in fields.items() if k != "span"))


SETTLES_TWO_WAYS = "two_ways"  # the reading topic that settles W103 (docs/diagnostics.md)
_BLOCK_ORIGINS = {ast.Plan: "plan", ast.Addon: "addon", ast.Channel: "channel"}


def two_ways_readings(body: tuple, origin: str = "contract") -> frozenset[str]:
    """Origins (`contract`, `plan Basic`, ...) whose block holds a `reading two_ways`, `within` included."""
    found: set[str] = set()
    for stmt in body:
        if isinstance(stmt, ast.Reading) and stmt.topic == SETTLES_TWO_WAYS:
            found.add(origin)
        elif isinstance(stmt, ast.Within):
            found |= two_ways_readings(stmt.body, origin)
        elif type(stmt) in _BLOCK_ORIGINS:
            found |= two_ways_readings(stmt.body, f"{_BLOCK_ORIGINS[type(stmt)]} {stmt.name.text}")
    return frozenset(found)



def _evolve(target: model.Target, **changes) -> model.Target:
    return attrs.evolve(target, **changes)


def _offset_text(minutes: int) -> str:
    """`UTC+07:00`: the name the runtime gives a fixed-offset zone."""
    return fixed_zone(minutes).tzname(None)


def _minutes_of(text: str) -> int | None:
    hours, _, minutes = text.partition(":")
    h, m = int(hours), int(minutes)
    if m >= 60 or h > 24 or (h == 24 and m):
        return None
    return h * 60 + m


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _pct(value: Fraction | None) -> str:
    """A percentage for messages: 99.9 -> `99.9`, 99 -> `99`."""
    if value is None:
        return ""
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return text


_MONTH_NUMBERS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}

# Cap periods made of whole measurement periods (a week does not fit in a month).
_CAP_PERIODS_OVER = {"week": ("week",), "month": ("month", "quarter", "year"),
                     "quarter": ("quarter", "year"), "year": ("year",)}


def _printed(value: Fraction) -> str:
    """A credit-table bound as tables print it: at least one decimal (99.0%)."""
    text = _pct(value)
    return f"{text if '.' in text else text + '.0'}%"


def _distinguishing_places(values, least: int = 2, most: int = 12) -> int:
    """Decimal places that print distinct values distinctly and no nonzero value as zero."""
    for places in range(least, most + 1):
        shown = [round(v, places) for v in values]
        if len(set(shown)) == len(set(values)) and all(r or not v for r, v in zip(shown, values)):
            return places
    return most


def _decimals(value: Fraction) -> int:
    digits = 0
    while value.denominator != 1 and digits < 6:
        value *= 10
        digits += 1
    return max(digits, 1)


def _hours(seconds) -> str:
    seconds = Fraction(seconds)
    hours = seconds / 3600
    if hours.denominator == 1:
        return f"{hours.numerator}h"
    return f"{float(hours):.2f}h"


def _who(priority: str | None) -> str:
    return f"priority `{priority}`" if priority else "every priority"


def _iana_names() -> list[str]:
    import zoneinfo

    return sorted(zoneinfo.available_timezones())
