"""The checker's shared state and tools: reporting, name lookup and suggestions, dispatch
tables, durations and percentages.

Each concern of the checker (calendars, targets, plans, services, consistency) is a mixin of
`CheckerBase` in its own module; `sladsl.check.Checker` combines them. The state (symbol tables,
caches, diagnostics) lives here, in one `__init__`, so every concern reads the same tables.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from fractions import Fraction
from typing import Any, Collection, Iterable, Mapping, Sequence


from sladsl import ast, model, nodes
from sladsl.ast import Span
from sladsl.diagnostics import Diagnostic, DiagnosticError, Label

SUGGESTION_BUDGET = 20_000  # did-you-mean comparisons per file (Checker.suggest)
LISTED_NAMES = 10  # names a help line lists when it has no suggestion
# The longest duration the checker accepts, wall-clock or in business days: far beyond any SLA
# term, and far inside what datetime arithmetic can hold (999,999,999 days) from any year.
MAX_DURATION_DAYS = 36_500

_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}
_CLOCK_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_CLOCK_RE = re.compile(r"(\d+)([dhms])")
_PRIME_RE = re.compile(r"^(\d+)'(?:(\d+)\")?$|^(\d+)\"$")

# How each kind of duration node becomes a model.Duration (`CheckerBase.duration`); a node of
# another type is read as a clock duration (`1h30m`), as the grammar's remaining form.
_DURATIONS = {
    ast.MisplacedPercent: "misplaced_percent",
    ast.BusinessDays: "business_days",
    ast.UnitDuration: "unit_duration",
    ast.ClockDuration: "clock_duration",
}


# the kinds of name a diagnostic lists, in the plural where `kind + "s"` is not English
_PLURALS = {"priority": "priorities"}


def plural_of(kind: str) -> str:
    return _PLURALS.get(kind, kind + "s")


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


def by_type(nodes: Iterable[Any]) -> defaultdict[type, list[Any]]:
    """Nodes grouped by their node type, each group in written order (a missing type: [])."""
    groups: defaultdict[type, list[Any]] = defaultdict(list)
    for node in nodes:
        groups[type(node)].append(node)
    return groups


def _evolve(target: model.Target, **changes) -> model.Target:
    return nodes.evolve(target, **changes)


class CheckerBase:
    """One contract's checking state: diagnostics, symbol tables, and the span being checked."""

    def __init__(self, file: str):
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        self.current_span: Span = Span(file, 0, 0, 0, 0)
        self.calendars: dict[str, model.Calendar] = {}
        self.calendar_spans: dict[str, Span] = {}
        self.calendar_choices: dict[str, model.CalendarChoice] = {}  # calendars chosen by an attribute
        self.choice_nodes: dict[str, ast.CalendarChoice] = {}  # every declared one, broken or not
        self.plan_branches: tuple[model.ChoiceBranch, ...] = ()  # plans chosen by conditions
        self.priority_names: list[str] = []
        self.firsts: dict = {}  # contract-wide clauses stated once -> where (`stated_again`)
        self.default_zone: str | None = None
        self.default_zone_label: str | None = None
        self.level_info: dict[str, tuple[str | None, tuple[str, ...], Span]] = {}
        self.channel_names: list[str] = []
        self.restoration_warned: set[Span] = set()  # targets warned W504 (check/clock.py)
        self._sorted_names: dict[str, tuple[int, list[str]]] = {}
        self._suggestions: dict[tuple[str, str, float], str | None] = {}
        self._suggestion_budget = SUGGESTION_BUDGET
        self._plan_name_sets: dict[int, tuple[tuple, frozenset[str]]] = {}
        self._holiday_items: dict[tuple, tuple] = {}
        self._holiday_tables: dict[tuple, tuple[model.Holiday, ...]] = {}
        self.crossing_windows: dict[Span, str] = {}  # windows written across midnight, for E302's help
        self.two_way_reported: set[Span] = set()
        self.two_ways_settled: frozenset[str] = frozenset()  # origins with a `reading two_ways`
        self.in_effect: tuple[date | None, date | None] = (None, None)  # `effective`, `until`

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

    # ---- dispatch -----------------------------------------------------------------------------
    def dispatch(self, table: Mapping[type, str], node: Any, *args: Any, default: str | None = None,
                 **kwargs: Any) -> Any:
        """Call the method `table` names for the node's type (as sqlglot's `TRANSFORMS` and
        Jinja2's `NodeVisitor` do), else `default`; a node of neither is skipped (None).

        Handlers are looked up by name on the instance, so a subclass or a test may replace one."""
        name = table.get(type(node), default)
        if name is None:
            return None
        return getattr(self, name)(node, *args, **kwargs)

    # ---- names --------------------------------------------------------------------------------
    def unknown(self, kind: str, name: str, span: Span, known: Collection[str]) -> None:
        names = self.sorted_names(kind, known)
        close = self.suggest(kind, name, names)
        if close:
            help_text = f"did you mean `{close}`?"
        elif names:
            shown = ", ".join(f"`{k}`" for k in names[:LISTED_NAMES])
            more = f" and {len(names) - LISTED_NAMES:,} more" if len(names) > LISTED_NAMES else ""
            help_text = f"declared {plural_of(kind)}: {shown}{more}"
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
                import difflib  # only when a name is unknown (start-up time)

                self._suggestion_budget -= len(candidates)
                found = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
                close = found[0] if found else None
            self._suggestions[key] = close
        return self._suggestions[key]

    def parse_date(self, text: str, span: Span) -> date | None:
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.error("E306", f"`{text}` is not a valid date", span, help="write YYYY-MM-DD")
            return None

    def first_stated(self, stated: list, message: str, *, code: str = "E105",
                     help: str = "keep one") -> Any:
        """The first of the statements of a clause that may be stated once (None: not stated);
        each later one is `code`, pointing at the first."""
        for later in stated[1:]:
            self.error(code, message, later.span, labels=[Label(stated[0].span, "first stated here")],
                       help=help)
        return stated[0] if stated else None

    @property
    def priorities_declared(self) -> bool:
        return "priorities" in self.firsts

    def stated_again(self, firsts: dict, key: Any, span: Span, message: str, *,
                     help: str = "keep one") -> bool:
        """For a clause stated one statement at a time: True, with E105 pointing at the first,
        when `key` is in `firsts` already; else False, and `span` recorded as its first."""
        first = firsts.get(key)
        if first is None:
            firsts[key] = span
            return False
        self.error("E105", message, span, labels=[Label(first, "first stated here")], help=help)
        return True

    def unique(self, kind: str, names: list[ast.Name]) -> None:
        seen: dict[str, Span] = {}
        for name in names:
            if name.text in seen:
                self.error("E102", f"duplicate {kind} `{name.text}`", name.span,
                           labels=[Label(seen[name.text], "first declared here")],
                           help=f"rename one of the {plural_of(kind)}")
            else:
                seen[name.text] = name.span

    def declare_calendar_name(self, name: ast.Name) -> bool:
        """Register a calendar's name (a calendar or a choice of calendars: one namespace);
        False, with E102, when the name is taken."""
        if name.text in self.calendar_spans:
            self.error("E102", f"duplicate calendar `{name.text}`", name.span,
                       labels=[Label(self.calendar_spans[name.text], "first declared here")],
                       help="rename one of the calendars")
            return False
        self.calendar_spans[name.text] = name.span
        return True

    # ---- durations and percentages ------------------------------------------------------------
    def duration(self, node, *, business_days_ok: bool = True, what: str = "a duration") -> model.Duration:
        """An AST duration -> model.Duration; raises DiagnosticError on a bad one."""
        return self.dispatch(_DURATIONS, node, business_days_ok, what, default="clock_duration")

    @staticmethod
    def misplaced_percent(node: ast.MisplacedPercent, business_days_ok: bool, what: str) -> model.Duration:
        raise DiagnosticError(Diagnostic(
            "E202", f"expected {what}, found the percentage `{node.text}`", node.span,
            help="write a duration such as `4h`, `30m` or `2 business days`"))

    def business_days(self, node: ast.BusinessDays, business_days_ok: bool, what: str) -> model.Duration:
        if not business_days_ok:
            raise DiagnosticError(Diagnostic(
                "E202", f"expected wall-clock time for {what}, found business days", node.span,
                help="write hours or days, such as `4h` or `2 days`"))
        if node.count <= 0:
            raise DiagnosticError(Diagnostic(
                "E204", "a target of zero business days", node.span, help="give a positive count"))
        unit = "business day" if node.count == 1 else "business days"
        return self.bounded(model.Duration(business_days=node.count, text=f"{node.count} {unit}"), node.span)

    def unit_duration(self, node: ast.UnitDuration, business_days_ok: bool, what: str) -> model.Duration:
        unit = node.unit.rstrip("s")
        seconds = node.count * _UNIT_SECONDS[unit]
        return self.bounded(model.Duration(seconds=seconds, text=f"{node.count} {node.unit}"), node.span)

    def clock_duration(self, node: ast.ClockDuration, business_days_ok: bool, what: str) -> model.Duration:
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

    def whole_days(self, node, span: Span, what: str, not_whole: Diagnostic) -> int:
        """A positive duration counted in local days (a claim window, a posting time): its days,
        or `not_whole` raised when it leaves a part of a day."""
        length = self.duration(node, business_days_ok=False, what=what)
        self.positive(length, span, what)
        days, rest = divmod(length.seconds, 86_400)
        if rest:
            raise DiagnosticError(not_whole)
        return days

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
