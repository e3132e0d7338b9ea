"""Diagnostics as data: a registry of stable codes, the `Diagnostic` value, and its renderers.

Message style (after Cedar): lowercase, no final period, user text in backticks, one line; detail
goes in `notes` and the fix in `help`. Every code is documented in docs/diagnostics.md, and a test
keeps the registry, the docs and the golden cases in step.
"""

from __future__ import annotations

import json
import unicodedata
from enum import Enum
from typing import Iterable


from sladsl import nodes
from sladsl.ast import NO_SPAN, Span


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@nodes.frozen
class Code:
    """One registry entry: a stable code, its severity and a one-line title."""

    code: str
    severity: Severity
    title: str


def _registry(*rows: tuple[str, str]) -> dict[str, Code]:
    codes = {}
    for code, title in rows:
        severity = Severity.WARNING if code.startswith("W") else Severity.ERROR
        codes[code] = Code(code, severity, title)
    return codes


# E0xx: reading and parsing. E1xx: names. E2xx: units and values. E3xx: calendars and zones.
# E4xx: credits and availability. E7xx: versions. E8xx: what the SQL back end refuses. E9xx: internal. W: warnings, numbered by theme likewise.
CODES = _registry(
    ("E001", "file cannot be decoded as UTF-8"),
    ("E002", "file is too large"),
    ("E003", "unexpected character"),
    ("E004", "unexpected token"),
    ("E005", "unexpected end of file"),
    ("E006", "nesting is too deep"),
    ("E007", "string escape is not a character"),
    ("E008", "control character in a string"),
    ("E101", "unknown name"),
    ("E102", "duplicate name"),
    ("E103", "statement not allowed here"),
    ("E104", "cycle in plan inheritance"),
    ("E105", "duplicate or conflicting clause"),
    ("E106", "no calendar for a target"),
    ("E107", "channel default priority does not exist"),
    ("E201", "malformed literal"),
    ("E202", "wrong unit"),
    ("E203", "percentage out of range"),
    ("E204", "target of zero or below"),
    ("E205", "reversed range"),
    ("E206", "number or duration out of range"),
    ("E207", "holiday item that gives no date"),
    ("E208", "unknown holiday name in `without`"),
    ("E209", "`day after` names no holiday of the calendar"),
    ("E210", "date range that ends before it starts"),
    ("E211", "window across days that cannot be laid out"),
    ("E212", "holiday hours without holidays or across midnight"),
    ("E213", "a ticket field that cannot choose"),
    ("E214", "a value chosen twice or blank"),
    ("E215", "a branch or plan that can never be chosen"),
    ("E216", "the wrong test for an attribute"),
    ("E217", "a calendar chosen by a ticket attribute where no ticket is known"),
    ("E301", "empty, reversed or malformed window"),
    ("E302", "overlapping windows"),
    ("E303", "calendar with no business time"),
    ("E304", "unknown time zone"),
    ("E305", "unknown holiday country, subdivision or category"),
    ("E306", "invalid date or holiday rule"),
    ("E401", "overlapping credit tiers"),
    ("E402", "credit tier gap with no rule"),
    ("E403", "cap above 100%"),
    ("E404", "incomplete credit scheme"),
    ("E405", "unknown downtime start event"),
    ("E406", "cap in a unit the credit is not paid in"),
    ("E407", "cap period shorter than the measurement period"),
    ("E408", "fiscal month or week"),
    ("E409", "sampling interval does not divide a day"),
    ("E410", "sampling threshold of 0%"),
    ("E411", "impact weighting with sampling intervals"),
    ("E412", "per-outage credit on impact-weighted downtime"),
    ("E413", "overall rule over unlisted scopes"),
    ("E414", "per-outage credit on an average over scopes"),
    ("E415", "scope listed twice"),
    ("E416", "rolling window length out of range"),
    ("E417", "`not rolling` on a rolling window"),
    ("E418", "cap on a credit over a rolling window"),
    ("E419", "claim window in billing cycles on a rolling window"),
    ("E420", "billing period that is not a month, quarter or year"),
    ("E421", "cap or allowance over another period than the billing period"),
    ("E422", "fiscal year on billing periods"),
    ("E423", "partial periods on a rolling window"),
    ("E424", "counts interval that does not divide a day"),
    ("E425", "error-rate threshold no interval can cross"),
    ("E426", "outage rule on a service measured by counts"),
    ("E427", "per-outage credit on counts without down intervals"),
    ("E428", "all-down over counts without down intervals"),
    ("E430", "claim window not in whole days or billing cycles"),
    ("E431", "band rows outside a credit by outage duration, or none in one"),
    ("E432", "duration band holds no outage length"),
    ("E433", "duration bands pay in different units"),
    ("E434", "duration bands overlap"),
    ("E435", "gap between duration bands"),
    ("E436", "choice among fewer than two credits"),
    ("E437", "greater of credits paid as shares of different fees"),
    ("E438", "fee of the affected scope without a scope credited on its own"),
    ("E439", "per-outage amount in a fee no billing pays"),
    ("E450", "credit of zero times the fees"),
    ("E451", "amount of money without a currency"),
    ("E452", "amount of money of zero"),
    ("E453", "per-violation credit without an amount"),
    ("E454", "per-violation credit with two amounts"),
    ("E455", "device line outside a per-violation credit"),
    ("E456", "`devices` in a credit per affected device"),
    ("E457", "credit prorated over zero devices"),
    ("E458", "penalty that pays nothing"),
    ("E470", "maintenance window that is not a time window"),
    ("E471", "overlapping maintenance windows"),
    ("E472", "backup window before its primary"),
    ("E473", "maintenance window naming an unknown scope"),
    ("E474", "maintenance window outside the contract's dates"),
    ("E475", "maintenance window without an availability target"),
    ("E476", "claim address that is neither an email address nor a web address"),
    ("E477", "expiry after issue without a posting time"),
    ("E478", "posting on the next invoice over a rolling window"),
    ("E479", "posting time not in whole days"),
    ("E480", "empty item in a claim's contents"),
    ("E501", "`every` on a target that is not an update cadence"),
    ("E502", "status already pauses the clock"),
    ("E503", "empty pause status"),
    ("E504", "`reopen` stated twice"),
    ("E505", "clock named twice in a pause"),
    ("E506", "`reclassification` stated twice"),
    ("E507", "`after response` on a target that is not an update cadence"),
    ("E508", "`weekly` on a target that is not an update cadence"),
    ("E509", "`until restored` on a business-days target"),
    ("E510", "`until restored` on a proportion target"),
    ("E511", "clock start on a target that is not a response or resolution"),
    ("E512", "clock start on a proportion target"),
    ("E513", "`inactivity` stated twice"),
    ("E514", "`inactivity` without a status or a step"),
    ("E515", "an inactivity step after no time"),
    ("E516", "an inactivity step named twice"),
    ("E701", "version without an effective date"),
    ("E702", "versions in effect on the same day"),
    ("E703", "days no version covers"),
    ("E704", "contract ends before it takes effect"),
    ("E705", "`splitting periods` where no period can be split"),
    ("E801", "clause the SQL back end cannot compute"),
    ("E901", "internal error"),
    ("W101", "response target longer than resolution target"),
    ("W102", "more severe priority has a slower target"),
    ("W103", "target stated two ways that disagree"),
    ("W104", "credit amounts stated two ways that disagree"),
    ("W105", "a plan its conditions never choose"),
    ("W201", "holiday rule that skips some years"),
    ("W202", "holiday range longer than a month"),
    ("W203", "more severe priority counted on fewer hours"),
    ("W301", "`Etc/GMT` zone with a reversed sign"),
    ("W302", "zone abbreviation"),
    ("W303", "holiday set used beyond its frozen years"),
    ("W401", "credit table does not start at the uptime target"),
    ("W402", "credit row includes the uptime target"),
    ("W403", "sampling interval shorter than the monitoring interval"),
    ("W404", "partial periods without a credit in a share of the fee"),
    ("W430", "no duration band for the longest outages"),
    ("W431", "several credits and no word on which are paid"),
    ("W440", "prorated credit without a number of devices"),
    ("W441", "penalty on a metric no target judges"),
    ("W450", "credits expiring at the end of a contract with no end date"),
    ("W501", "target before a `within` on the same line does not count in it"),
    ("W502", "pause of a clock no target uses"),
    ("W503", "`reclassification` without priorities"),
    ("W504", "`until restored` names the calendar the clock already counts in"),
    ("W701", "version takes effect inside a service's measurement period"),
    ("W702", "`splitting periods` on a contract checked without its earlier version"),
)


@nodes.frozen
class Label:
    """A secondary span with a short message (e.g. "first defined here")."""

    span: Span
    message: str


@nodes.frozen
class Diagnostic:
    """One finding about a contract."""

    code: str
    message: str
    span: Span = NO_SPAN
    labels: tuple[Label, ...] = ()
    notes: tuple[str, ...] = ()
    help: str | None = None

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self):
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)


class DiagnosticError(Exception):
    """Raised inside a stage to abandon the current construct with a diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in source order, duplicates removed."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


# ---- rendering -------------------------------------------------------------------------------


def _unsafe(char: str) -> bool:
    """Control (C0, C1, DEL), format (bidi overrides, zero-width), separator and surrogate code points."""
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def printable(text: str) -> str:
    """`text` safe to print on a terminal: control and format characters become `\\x1b`, `\\u202e`.

    Contract text and file names are untrusted; an escape sequence echoed raw could set the
    terminal's title, clear the screen or reorder what the reader sees (issue 20.18).
    """
    if not any(_unsafe(c) for c in text):
        return text
    return "".join(c.encode("unicode_escape", "backslashreplace").decode("ascii") if _unsafe(c) else c
                   for c in text)


def render_text(diagnostic: Diagnostic, sources: dict[str, str]) -> str:
    """rustc-style text: `file:line:col: error[E004]: message`, the line, a caret, notes, help.

    Everything that comes from the contract or its file name goes through `printable`.
    """
    span = diagnostic.span
    head = f"{diagnostic.severity.value}[{diagnostic.code}]: {printable(diagnostic.message)}"
    if span.line <= 0:
        lines = [f"{printable(span.file)}: {head}"]
    else:
        lines = [f"{printable(span.file)}:{span.line}:{span.column}: {head}"]
        lines += _excerpt(span, sources.get(span.file))
    for label in diagnostic.labels:
        lines.append(f"  = note: {printable(label.message)} at "
                     f"{printable(label.span.file)}:{label.span.line}:{label.span.column}")
    for note in diagnostic.notes:
        lines.append(f"  = note: {printable(note)}")
    if diagnostic.help:
        lines.append(f"  = help: {printable(diagnostic.help)}")
    return "\n".join(lines)


def _excerpt(span: Span, source: str | None) -> list[str]:
    if source is None:
        return []
    text_lines = source.split("\n")
    if span.line > len(text_lines):
        return []
    line = text_lines[span.line - 1].replace("\t", " ")
    if len(line) > 200:  # keep huge single-line inputs readable
        start = max(0, span.column - 80)
        line = line[start : start + 160]
        column = span.column - start
    else:
        column = span.column
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        width = min(span.end_column - span.column, max(1, len(line) - column + 1))
    # Escaping widens the line: the caret moves by what the escapes before it added.
    before, marked = line[: column - 1], line[column - 1 : column - 1 + width]
    column = len(printable(before)) + 1
    width = max(1, len(printable(marked)))
    line = printable(line)
    gutter = str(span.line)
    pad = " " * len(gutter)
    return [
        f"{pad} |",
        f"{gutter} | {line}",
        f"{pad} | {' ' * (column - 1)}{'^' * width}",
    ]


def to_json(diagnostic: Diagnostic) -> dict:
    """The JSON form used by `sladsl check --format json` (documented in docs/cli.md)."""
    span = diagnostic.span
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "labels": [
            {"message": label.message, "file": label.span.file, "line": label.span.line,
             "column": label.span.column}
            for label in diagnostic.labels
        ],
        "notes": list(diagnostic.notes),
        "help": diagnostic.help,
    }


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    """JSON text; C1 controls, DEL and format characters are `\\u` escapes too (json leaves them raw)."""
    text = json.dumps([to_json(d) for d in diagnostics], indent=2, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if _unsafe(c) and c != "\n" else c for c in text)
