"""The canonical formatter: `unparse` layout, with the author's comments and blank lines kept.

Comments and newlines live inside the grammar's `_NL` token, so the parser's own token stream
(the contextual lexer, which knows where strings and durations such as `1'30"` end) tells where
every comment and blank line is. Rules:
- a full-line comment goes before the first statement (or `}`) that starts after it, indented
  like that statement (one level deeper before a `}`); at the end of the file, unindented;
- an end-of-line comment stays at the end of the output line its source line became; when a
  line folds several source lines (a calendar block) and more than one comment was written on
  them, they all become full-line comments before it, so their order is kept;
- blank lines between statements collapse to at most one; none after `{`, before `}` or at the
  ends of the file.
"""

from __future__ import annotations

import bisect

import attrs

from sladsl.diagnostics import Diagnostic
from sladsl.parse import parser
from sladsl.pipeline import Source, front_end
from sladsl.unparse import INDENT, Line, lines

TRAILING_GAP = "  "  # between code and an end-of-line comment


@attrs.frozen
class Trivia:
    """What the grammar throws away: comments (full-line or end-of-line) and blank lines."""

    comments: tuple[tuple[int, str], ...]  # (line, text) of full-line comments
    trailing: tuple[tuple[int, str], ...]  # (line, text) of end-of-line comments
    blanks: frozenset[int]


def scan_trivia(text: str) -> Trivia:
    """Comments and blank lines of a text that parses, read from the parser's `_NL` tokens."""
    source = text if text.endswith("\n") else text + "\n"
    line_starts = [0]
    for index, char in enumerate(source):
        if char == "\n":
            line_starts.append(index + 1)
    comments, trailing, blanks = [], [], set()
    interactive = parser().parse_interactive(source)
    for token in interactive.iter_parse():
        if token.type != "_NL":
            continue
        segments = str(token).split("\n")
        first = segments[0].strip()
        if first:
            before = source[line_starts[token.line - 1] : token.start_pos]
            (comments if not before.strip() else trailing).append((token.line, first.rstrip()))
        # Segments between newlines are whole lines; the last one is the indent of the next code.
        for offset, segment in enumerate(segments[1:-1], start=1):
            stripped = segment.strip()
            if stripped:
                comments.append((token.line + offset, stripped.rstrip()))
            else:
                blanks.add(token.line + offset)
    return Trivia(tuple(comments), tuple(trailing), frozenset(blanks))


@attrs.frozen
class _Item:
    depth: int
    text: str
    kind: str  # "stmt", "open", "close" or "comment"
    first: int
    last: int
    trailing: str | None = None


def _merge(code: list[Line], trivia: Trivia) -> list[_Item]:
    # Output lines keep source order, so their first lines never decrease and bisect applies.
    firsts = [row.first for row in code]
    placed: dict[int, list[tuple[int, str, bool]]] = {}
    tail: list[tuple[int, str]] = []
    found = [(n, text, False) for n, text in trivia.comments]
    found += [(n, text, True) for n, text in trivia.trailing]
    for line_no, comment, trailing in sorted(found):
        if trailing:  # the last output line starting at or before the comment's line
            index = max(0, bisect.bisect_right(firsts, line_no) - 1)
        else:  # the first output line starting after it, unless it sits inside a folded line
            index = bisect.bisect_right(firsts, line_no)
            if index and code[index - 1].kind == "stmt" and line_no <= code[index - 1].last:
                index -= 1
        if index == len(code):
            tail.append((line_no, comment))
        else:
            placed.setdefault(index, []).append((line_no, comment, trailing))
    items: list[_Item] = []
    for index, row in enumerate(code):
        depth = row.depth + 1 if row.kind == "close" else row.depth
        mine = placed.get(index, [])
        inside = [entry for entry in mine if entry[0] >= row.first]
        suffix = None
        if len(inside) == 1 and inside[0][2]:  # one end-of-line comment: it stays there
            suffix = inside[0][1]
            mine = [entry for entry in mine if entry is not inside[0]]
        for line_no, comment, _ in mine:
            items.append(_Item(depth, comment, "comment", line_no, line_no))
        items.append(_Item(row.depth, row.text, row.kind, row.first, row.last, suffix))
    items += [_Item(0, comment, "comment", line_no, line_no) for line_no, comment in tail]
    return items


def _render(items: list[_Item], blanks: frozenset[int]) -> str:
    out: list[str] = []
    previous: _Item | None = None
    covered = 0  # the last source line the output has reached
    for item in items:
        if (previous is not None and previous.kind != "open" and item.kind != "close"
                and any(covered < line < item.first for line in blanks)):
            out.append("")
        text = f"{INDENT * item.depth}{item.text}"
        if item.trailing is not None:
            text += f"{TRAILING_GAP}{item.trailing}"
        out.append(text)
        covered = max(covered, item.last)
        previous = item
    return "".join(f"{line}\n" for line in out)


def format_text(text: str, file: str = "<string>") -> tuple[str | None, list[Diagnostic]]:
    """Canonical text keeping comments, or None and the diagnostics if the text does not parse."""
    module, diagnostics = front_end(Source(file, text))
    if module is None or any(d.is_error for d in diagnostics):
        return None, diagnostics
    trivia = scan_trivia(text)
    return _render(_merge(lines(module), trivia), trivia.blanks), diagnostics
