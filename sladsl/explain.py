"""`sladsl check --explain CODE`: the documentation section of a diagnostic code.

The text comes from `docs/diagnostics.md` (a checkout) or `sladsl/docs/diagnostics.md` (a wheel,
where pyproject force-includes it); without either file the registry title is all there is.
"""

from __future__ import annotations

import re
from pathlib import Path

from sladsl.diagnostics import CODES

_DOC_NAME = "diagnostics.md"
_HEADING_RE = re.compile(r"^## ([A-Z]\d{3}): ", re.MULTILINE)


def docs_path() -> Path | None:
    """The diagnostics reference: inside the installed package, else the checkout's `docs/`."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "docs" / _DOC_NAME, here.parent / "docs" / _DOC_NAME):
        if candidate.is_file():
            return candidate
    return None


def sections(text: str) -> dict[str, str]:
    """Split the reference into `{code: section}`; a section runs from its `## CODE: title`
    heading to the next `## ` heading (or the end), trailing blank lines dropped."""
    out: dict[str, str] = {}
    starts = [m for m in re.finditer(r"^## ", text, re.MULTILINE)]
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        heading = _HEADING_RE.match(text, start.start())
        if heading:
            out.setdefault(heading.group(1), text[start.start():end].rstrip() + "\n")
    return out


def explain_code(code: str) -> str | None:
    """The documentation of `code` (any case); None if the registry has no such code."""
    key = code.strip().upper()
    entry = CODES.get(key)
    if entry is None:
        return None
    path = docs_path()
    if path is not None:
        try:
            found = sections(path.read_text(encoding="utf-8")).get(key)
        except (OSError, UnicodeDecodeError):
            found = None
        if found:
            return found
    return f"{entry.code}: {entry.title} ({entry.severity.value})\n"
