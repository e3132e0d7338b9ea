"""Cheaper start for Lark's contextual lexer: per-terminal regexes until a parser state is busy.

Lark's contextual lexer keeps one scanner per set of terminals a parser state accepts, and
compiles each as one alternation regex (`(?P<A>...)|(?P<B>...)|...`) the first time the state is
met. A contract meets dozens of states a few times each, so compiling those alternations was the
largest part of a short `sladsl check` (about 60 compilations, ~2 ms each). Here a state's scanner
starts by trying its terminals one by one, in the scanner's own order, with regexes compiled once
per terminal and shared by every state (a plain string terminal, a keyword or punctuation, is
compared as the string it is: no regex at all); only after `BUSY` uses does it compile the
alternation and hand over to Lark's own scanner (a long file then lexes at Lark's speed).

Both give the same answer: an alternation matches with its first alternative that matches at the
position (and `fullmatch` with the first that matches the whole text), which is what trying the
terminals in the same order gives; a string terminal's regex is the escaped string, which
matches exactly where the text starts with the string (or, for `fullmatch`, equals it). tests/test_lexing.py compares the tokens of every contract and
of mutated texts with those of the unchanged Lark lexer.

Lark's internals are used (`BasicLexer._build_scanner`, `_create_unless`, `Scanner`); if they are
not as expected, `install` leaves the lexer as it is: slower, never different.
"""

from __future__ import annotations

from typing import Any

BUSY = 256  # matches in one state before its alternation is worth compiling (~2 ms)

_regexes: dict[tuple[str, int], Any] = {}  # (pattern, flags) -> compiled, shared by every state


class LazyScanner:
    """A stand-in for `lark.lexer.Scanner` (same `match`, `fullmatch`, `allowed_types`)."""

    def __init__(self, terminals: list, g_regex_flags: int, re_module: Any, use_bytes: bool,
                 scanner_class: type) -> None:
        self.terminals = terminals
        self.allowed_types = {t.name for t in terminals}
        self._flags = g_regex_flags
        self._re = re_module
        self._use_bytes = use_bytes
        self._scanner_class = scanner_class
        self._scanner: Any = None
        self._uses = 0
        self._patterns: list[tuple[Any, str, str]] | None = None

    def _one_by_one(self) -> list[tuple[Any, str, str]]:
        """(compiled regex or None, literal, name) per terminal, in the scanner's order. A plain
        string terminal (`plan`, `{`) is matched as the literal it is: its regex is the escaped
        string, which matches exactly where the text starts with it, and compiling ~100 of them
        cost more than the rest of the lexing."""
        if self._patterns is None:
            patterns = []
            for terminal in self.terminals:
                pattern = terminal.pattern
                if pattern.type == "str" and not pattern.flags and not self._flags and not self._use_bytes:
                    patterns.append((None, pattern.value, terminal.name))
                    continue
                key = (pattern.to_regexp(), self._flags)
                regex = _regexes.get(key)
                if regex is None:
                    regex = _regexes[key] = self._re.compile(key[0], self._flags)
                patterns.append((regex, "", terminal.name))
            self._patterns = patterns
        return self._patterns

    def _full(self) -> Any:
        if self._scanner is None:
            self._scanner = self._scanner_class(self.terminals, self._flags, self._re, self._use_bytes)
        return self._scanner

    def match(self, text: Any, pos: int) -> tuple[str, str] | None:
        if self._scanner is None:
            self._uses += 1
            if self._uses <= BUSY:
                source, end = text.text, text.end
                for regex, literal, name in self._one_by_one():
                    if regex is None:
                        if source.startswith(literal, pos, end):
                            return literal, name
                        continue
                    found = regex.match(source, pos, end)
                    if found:
                        return found.group(0), name
                return None
        return self._full().match(text, pos)

    def fullmatch(self, text: str) -> str | None:
        if self._scanner is None:
            for regex, literal, name in self._one_by_one():
                if text == literal if regex is None else regex.fullmatch(text):
                    return name
            return None
        return self._full().fullmatch(text)


_embedded: dict[tuple[str, str, int], bool] = {}  # (regex terminal, string, flags) -> same text?


def create_unless(terminals: list, flags: int, re_module: Any, use_bytes: bool, lark_lexer: Any):
    """Lark's `_create_unless`, with lazy scanners and its string tests remembered across states.

    A keyword (a string terminal) that a regex terminal also matches, such as `plan` and NAME, is
    lexed as the regex terminal and then renamed by an `UnlessCallback` if its text is exactly a
    keyword of the state; a keyword whose flags the regex covers is dropped from the scanner."""
    regex_terminals = [t for t in terminals if isinstance(t.pattern, lark_lexer.PatternRE)]
    string_terminals = [t for t in terminals if isinstance(t.pattern, lark_lexer.PatternStr)]
    if len(regex_terminals) + len(string_terminals) != len(terminals):
        raise AttributeError("a terminal that is neither a string nor a regex")  # -> Lark's own path
    embedded_strs = set()
    callback = {}
    for retok in regex_terminals:
        unless = []
        regexp = retok.pattern.to_regexp()
        for strtok in string_terminals:
            if strtok.priority != retok.priority:
                continue
            text = strtok.pattern.value
            key = (regexp, text, flags)
            same = _embedded.get(key)
            if same is None:
                found = re_module.match(regexp, text, flags)
                same = _embedded[key] = bool(found) and found.group(0) == text
            if same:
                unless.append(strtok)
                if strtok.pattern.flags <= retok.pattern.flags:
                    embedded_strs.add(strtok)
        if unless:
            callback[retok.name] = lark_lexer.UnlessCallback(
                LazyScanner(unless, flags, re_module, use_bytes, lark_lexer.Scanner))
    return [t for t in terminals if t not in embedded_strs], callback


def install(lark_parser: Any) -> bool:
    """Give every scanner of `lark_parser`'s contextual lexer a lazy start. True if installed."""
    try:
        from lark import lexer as lark_lexer

        lark_lexer.UnlessCallback, lark_lexer.PatternRE, lark_lexer.PatternStr  # noqa: B018
        contextual = lark_parser.parser.lexer
        basics = {id(b): b for b in [*contextual.lexers.values(), contextual.root_lexer]}.values()
        if lark_parser.options.use_bytes or any(
                b._scanner is not None or b.user_callbacks or not hasattr(b, "_build_scanner")
                for b in basics):
            return False
    except AttributeError:
        return False

    def builder(basic: Any):
        def build_scanner() -> Any:
            # Lark's BasicLexer._build_scanner, with lazy scanners in place of Scanner.
            try:
                terminals, callback = create_unless(basic.terminals, basic.g_regex_flags, basic.re,
                                                    basic.use_bytes, lark_lexer)
            except AttributeError:
                return type(basic)._build_scanner(basic)
            basic.callback = callback
            return LazyScanner(terminals, basic.g_regex_flags, basic.re, basic.use_bytes,
                               lark_lexer.Scanner)
        return build_scanner

    for basic in basics:
        basic._build_scanner = builder(basic)
    return True
