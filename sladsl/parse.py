"""Stage 1: bytes -> text -> Lark tree, with syntax errors translated into diagnostics.

The grammar lives in `grammar/sladsl.lark` (a checkout) or `sladsl/grammar/sladsl.lark` (a wheel).
Syntax errors are reported in human terms ("expected a duration such as `4h` or `30m`") and the
parser recovers line by line so one run reports every error in a file.
"""

from __future__ import annotations

import functools
import gc
import re
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_parser_state import ParserState

from sladsl.ast import Span
from sladsl.diagnostics import Diagnostic

MAX_BYTES = 4 * 1024 * 1024  # a contract is a few KB; this bounds time and memory on bad input
MAX_DEPTH = 32  # nesting of `{ }` blocks
MAX_ERRORS = 25  # per file; after that one more diagnostic says so

_GRAMMAR_NAME = "sladsl.lark"


def grammar_path() -> Path:
    """The grammar file: inside the installed package, else the checkout's `grammar/`."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "grammar" / _GRAMMAR_NAME, here.parent / "grammar" / _GRAMMAR_NAME):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"sladsl grammar `{_GRAMMAR_NAME}` is missing from {here}")


@functools.cache
def parser() -> Lark:
    """The LALR parser (`build_parser`), built once per process.

    The cyclic garbage collector is paused meanwhile: loading the parser creates tens of
    thousands of objects, all kept, and each collection it would trigger walks them in vain."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return build_parser()
    finally:
        if collecting:
            gc.enable()


# How the parser is built; part of its cache key.
_LARK_OPTIONS = {"parser": "lalr", "lexer": "contextual", "propagate_positions": True, "maybe_placeholders": True}


def build_parser(*, lazy_lexer: bool = True) -> Lark:
    """The LALR parser, as Lark builds it from the grammar, loaded from the user cache when the
    grammar and the installed Lark are unchanged.

    Building takes seconds, and even rebuilding the parser from Lark's own serialized tables (its
    `cache=` option) took most of a short command's time; the cache keeps the parser Lark built,
    pickled whole, under a key of the grammar, these options and the Lark and Python versions
    (`sladsl/cache.py`), and a missing, stale or damaged file is rebuilt. tests/test_parser_cache.py
    checks that the kept parser parses (trees, errors, recovery, completion) as a fresh one does.
    With `lazy_lexer` the lexer compiles a parser state's combined regex only once the state is
    busy (`sladsl/lexing.py`); the tokens are the same (tests/test_lexing.py compares them).
    """
    from sladsl import cache

    grammar = grammar_path().read_text(encoding="utf-8")
    options = repr(sorted(_LARK_OPTIONS.items()))
    built = cache.load_parser(grammar, options, Lark)
    if not isinstance(built, Lark):
        built = Lark(grammar, **_LARK_OPTIONS)  # type: ignore[arg-type]
        cache.store_parser(grammar, options, built)  # before `install` patches it
    if lazy_lexer:
        from sladsl.lexing import install

        install(built)
    return built


def decode(data: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """Source bytes -> normalised text (BOM dropped, CRLF -> LF), or a diagnostic."""
    if len(data) > MAX_BYTES:
        return None, [Diagnostic(
            "E002", f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}",
            Span(file, 0, 0, 0, 0), help="split the contract into smaller files",
        )]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [Diagnostic(
            "E001", f"byte 0x{data[error.start]:02x} at offset {error.start} is not valid UTF-8",
            Span(file, line, column, line, column + 1),
            help="save the file as UTF-8",
        )]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return None, [Diagnostic(
            "E003", "unexpected NUL character: this looks like a binary file",
            Span(file, line, column, line, column + 1), help="pass a `.sla` text file",
        )]
    return text, []


def parse_text(text: str, file: str) -> tuple[Tree | None, list[Diagnostic]]:
    """Parse normalised text. Returns the tree (None if any syntax error) and the diagnostics.

    One pass, whatever the number of errors: after an error the parser drops the statement it was
    in and the rest of that line, then carries on (panic-mode recovery), so the work stays linear.
    """
    depth_error = _check_depth(text, file)
    if depth_error:
        return None, [depth_error]
    if not text.endswith("\n"):
        text += "\n"
    lines = text.split("\n")
    diagnostics: list[Diagnostic] = []

    def recover(error: UnexpectedInput) -> bool:
        at_end = isinstance(error, UnexpectedEOF) or (
            isinstance(error, UnexpectedToken) and error.token.type == "$END")
        if at_end and diagnostics:
            return False  # an end-of-file error after others is usually their echo
        diagnostics.append(_translate(error, lines, file))
        if at_end:
            return False
        if len(diagnostics) >= MAX_ERRORS:
            diagnostics.append(Diagnostic(
                "E004", f"too many syntax errors; stopped after {MAX_ERRORS}", Span(file, 0, 0, 0, 0)))
            return False
        return _skip_statement(error)

    try:
        tree = parser().parse(text, on_error=recover)
    except UnexpectedInput:
        return None, diagnostics  # recovery gave up; every error seen is recorded
    return (None if diagnostics else tree), diagnostics


def _skip_statement(error: UnexpectedInput) -> bool:
    """Drop the partial statement from the parser's stacks and the rest of the line from the input.

    The stacks are popped back to the longest prefix after which the statement may end (feeding a
    newline there succeeds); the newline then ends it, so the next line starts a fresh statement.
    """
    interactive = getattr(error, "interactive_parser", None)
    if interactive is None:
        return False
    state = interactive.parser_state
    lexer_state = interactive.lexer_thread.state
    source = getattr(lexer_state.text, "text", lexer_state.text)
    if not (isinstance(error, UnexpectedToken) and error.token.type == "_NL"):
        position = lexer_state.line_ctr.char_pos
        newline = source.find("\n", position)
        lexer_state.line_ctr.feed(source[position : len(source) if newline < 0 else newline + 1])
    line, column = lexer_state.line_ctr.line, lexer_state.line_ctr.column
    newline_token = Token("_NL", "\n", 0, line, column, line, column, 0)
    while True:
        # A trial on copies of the stacks (shallow: interactive.copy() deep-copies the values).
        trial = ParserState(state.parse_conf, state.lexer, list(state.state_stack), list(state.value_stack))
        try:
            trial.feed_token(newline_token)
        except UnexpectedInput:
            if len(state.state_stack) <= 1:
                return True  # at the very start: nothing to end
            state.state_stack.pop()
            state.value_stack.pop()
            continue
        interactive.feed_token(newline_token)
        return True
    return True


def _check_depth(text: str, file: str) -> Diagnostic | None:
    depth = 0
    line = 1
    in_string = False
    escaped = False
    comment = False
    for offset, char in enumerate(text):
        if char == "\n":
            line += 1
            comment = False
            continue
        if comment:
            continue
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char == "#":
            comment = True
        elif char == "{":
            depth += 1
            if depth > MAX_DEPTH:
                column = offset - (text.rfind("\n", 0, offset) + 1) + 1
                return Diagnostic(
                    "E006", f"blocks are nested more than {MAX_DEPTH} deep",
                    Span(file, line, column, line, column + 1),
                    help="contracts need only a few levels: contract, plan, within",
                )
        elif char == "}":
            depth = max(0, depth - 1)
    return None


# ---- human terms for the grammar's terminals --------------------------------------------------

_TERMINALS = {
    "DURATION": "a duration such as `4h` or `30m`",
    "INT": "a whole number",
    "STRING": 'a quoted string such as `"text"`',
    "IDENT": "a name",
    "DATE": "a date such as `2026-01-31`",
    "TIME": "a clock time such as `09:00`",
    "PERCENT": "a percentage such as `99.9%`",
    "FRACTION": "a fraction such as `1/24`",
    "AMOUNT": "an amount such as `216,000,000`",
    "CURRENCY": "a currency code such as `IDR`",
    "REGION": "a country code such as `TH` or `US-NY`",
    "ZONE": "a time zone such as `Asia/Jakarta` or `GMT+7`",
    "ABBREV": "a zone abbreviation such as `BRT`",
    "DAY": "a weekday such as `Mon`",
    "DAY_GROUP": "`daily`, `weekdays` or `weekends`",
    "MONTH": "a month such as `Jan`",
    "ORDINAL": "`first`, `second`, `third`, `fourth` or `last`",
    "METRIC": "a target: `respond`, `resolve`, `update` or `pickup`",
    "UNIT": "a unit such as `hours` or `days`",
    "PERIOD": "`month`, `quarter`, `year` or `week`",
    "ALWAYS": "`24x7`",
    "_NL": "the end of the line",
    "$END": "the end of the file",
}

_KEYWORD_RE = re.compile(r"^[a-z][a-z-]*$")


def _describe(terminal: str) -> tuple[str, list[str]]:
    """A terminal's human description, and the keywords it stands for (for "did you mean")."""
    if terminal in _TERMINALS:
        words = _alternatives(terminal) if terminal in ("METRIC", "DAY_GROUP", "PERIOD", "UNIT") else []
        return _TERMINALS[terminal], words
    try:
        pattern = parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal.lower(), []
    if pattern.type == "str":
        return f"`{pattern.value}`", ([pattern.value] if _KEYWORD_RE.match(pattern.value) else [])
    words = _alternatives(terminal)
    if words:
        return " or ".join(f"`{w}`" for w in words), words
    return terminal.lower(), []


@functools.cache
def _alternatives(terminal: str) -> list[str]:
    """The words of a terminal written as `"a" | "b"` in the grammar."""
    pattern = parser().get_terminal(terminal).pattern.value
    body = pattern[3:-1] if pattern.startswith("(?:") and pattern.endswith(")") else pattern
    words = body.split("|")
    return [w for w in words if re.fullmatch(r"[a-z][a-z-]*", w)]


def _translate(error: UnexpectedInput, lines: list[str], file: str) -> Diagnostic:
    expected: set[str]
    if isinstance(error, UnexpectedCharacters):
        line, column = error.line, error.column
        source_line = lines[line - 1] if 0 < line <= len(lines) else ""
        match = re.match(r"[A-Za-z_][A-Za-z0-9_-]*|\S", source_line[column - 1 :])
        found = match.group(0) if match else source_line[column - 1 : column]
        expected = set(error.allowed or ())
        width = max(1, len(found))
    elif isinstance(error, UnexpectedToken) and error.token.type != "$END":
        token: Token = error.token
        line, column = token.line, token.column
        found = "end of line" if token.type == "_NL" else str(token).split("\n")[0]
        try:  # the exact set: LALR lookaheads alone over-approximate after default reductions
            expected = set(error.interactive_parser.accepts())
        except Exception:  # noqa: BLE001 - fall back to the parser's own estimate
            expected = set(error.expected)
        width = 1 if token.type == "_NL" else max(1, len(found))
    else:  # end of file
        line = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
        line = max(1, line)
        column = len(lines[line - 1]) + 1 if lines else 1
        expected = set(getattr(error, "expected", ()) or ())
        found = ""
        width = 1
    span = Span(file, line, column, line, column + width)
    descriptions, keywords = [], []
    statement_start = {"PRIORITY", "CALENDAR", "PLAN"} <= expected
    if "DURATION" in expected:
        expected = expected - {"PERCENT"}  # parsed only to report E202 in the checker
    for terminal in sorted(expected):
        if terminal.startswith("__") or terminal == "_NL" and len(expected) > 1:
            continue
        text, words = _describe(terminal)
        descriptions.append(text)
        keywords += words
    descriptions = sorted(set(descriptions))
    expected_text = _join(descriptions)
    if statement_start:  # the start of a statement: dozens of keywords; name the idea instead
        closing = " or `}`" if "RBRACE" in expected else ""
        expected_text = "a statement such as `priority`, `plan`, `calendar` or `service`" + closing
    import difflib  # here: only a syntax error pays for importing it

    suggestion = difflib.get_close_matches(found, keywords, n=1, cutoff=0.6) if found else []
    help_text = f"did you mean `{suggestion[0]}`?" if suggestion else None
    if not found:
        return Diagnostic("E005", f"unexpected end of file; expected {expected_text}", span,
                          help=help_text or "a `{` may be missing its `}`")
    if isinstance(error, UnexpectedCharacters) and found == '"':
        return Diagnostic("E003", "unterminated string", span,
                          help='close the string with `"` (write `\\"` for a quote inside it)')
    if len(found) > 40:
        found = found[:40] + "…"
    shown = found if found.strip() else repr(found)
    if found == "end of line":
        return Diagnostic("E004", f"unexpected end of line; expected {expected_text}", span,
                          help=help_text)
    if isinstance(error, UnexpectedCharacters) and not re.match(r"[A-Za-z_]", found):
        message = f"unexpected character `{shown}`"
        code = "E003"
    else:
        message = f"unexpected `{shown}`"
        code = "E004"
    if expected_text:
        message += f"; expected {expected_text}"
    return Diagnostic(code, message, span, help=help_text)


def _join(items: list[str], limit: int = 6) -> str:
    if not items:
        return ""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" or one of {len(items) - limit} more"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


# ---- what may come next (editor completion) ---------------------------------------------------


def accepted_terminals(prefix: str) -> frozenset[str]:
    """The terminals the LALR parser accepts right after `prefix` (Lark's interactive parser).

    Syntax errors earlier in `prefix` are recovered from as `parse_text` does (the statement is
    dropped), so a half-typed line above the cursor does not blind completion below it.
    """
    found: list[frozenset[str]] = []
    sentinel = "\x00"  # no terminal matches it: the lexer stops exactly at the cursor
    errors = 0

    def at_cursor(error: UnexpectedInput) -> bool:
        nonlocal errors
        interactive = getattr(error, "interactive_parser", None)
        position = getattr(error, "pos_in_stream", None)
        if isinstance(error, UnexpectedToken):
            position = error.token.start_pos if error.token.type != "$END" else len(prefix)
        if interactive is not None and (position is None or position >= len(prefix)):
            found.append(frozenset(interactive.accepts()))
            return False
        errors += 1
        return errors < MAX_ERRORS and _skip_statement(error)

    try:
        parser().parse(prefix + sentinel, on_error=at_cursor)
    except UnexpectedInput:
        pass
    return found[0] - {"$END"} if found else frozenset()


def terminal_words(terminal: str) -> tuple[str, ...]:
    """The literal words a terminal stands for (`plan`; `Mon`, `Tue`, ...); none for open ones
    such as IDENT or DURATION, and none for punctuation."""
    try:
        pattern = parser().get_terminal(terminal).pattern
    except KeyError:
        return ()
    if pattern.type == "str":
        return (pattern.value,) if re.fullmatch(r"[A-Za-z][A-Za-z-]*", pattern.value) else ()
    body = pattern.value
    if not (body.startswith("(?:") and body.endswith(")")):
        return ()
    words = body[3:-1].split("|")
    if all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", word) for word in words):
        return tuple(sorted(words))
    return ()
