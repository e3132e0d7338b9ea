"""The stage order, in one place.

    bytes --decode--> text --parse--> Lark tree --to_ast--> ast.Module --check--> model.Contract
                                                                      |
                                     to_python (generated/*.py) <-----+-----> to_markdown (generated/*.md)

Each stage returns its result and a list of diagnostics; a stage runs only if the previous one
produced no errors. Nothing here prints or exits: `cli.py` does that.
"""

from __future__ import annotations

from pathlib import Path


from sladsl import ast, nodes
from sladsl.diagnostics import Diagnostic, sorted_diagnostics
from sladsl.parse import decode, parse_text
from sladsl.to_ast import to_ast


@nodes.frozen
class Source:
    """One contract file as read: its display name and text (None if it could not be decoded)."""

    file: str
    text: str | None


@nodes.frozen
class Result:
    """What the front end and checker made of one file."""

    source: Source
    module: ast.Module | None
    contract: object | None  # model.Contract once checked
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def read_source(path: Path, display: str | None = None) -> tuple[Source, list[Diagnostic]]:
    """Read and decode a file (I/O errors propagate as OSError for the CLI to report)."""
    name = display or str(path)
    text, diagnostics = decode(path.read_bytes(), name)
    return Source(name, text), diagnostics


def front_end(source: Source) -> tuple[ast.Module | None, list[Diagnostic]]:
    """text -> AST, with syntax diagnostics."""
    if source.text is None:
        return None, []
    tree, diagnostics = parse_text(source.text, source.file)
    if tree is None:
        return None, diagnostics
    module, more = to_ast(tree, source.file)
    return module, diagnostics + more


def compile_source(source: Source, diagnostics: list[Diagnostic] | None = None) -> Result:
    """Run every stage up to the checked model."""
    from sladsl.check import check  # late: keeps `import sladsl.pipeline` cheap for the runtime

    found = list(diagnostics or [])
    module, syntax = front_end(source)
    found += syntax
    contract = None
    if module is not None and not any(d.is_error for d in found):
        contract, semantic = check(module, source.file)
        found += semantic
    return Result(source, module, contract, tuple(sorted_diagnostics(found)))


def compile_path(path: Path, display: str | None = None) -> Result:
    source, diagnostics = read_source(path, display)
    return compile_source(source, diagnostics)


def compile_text(text: str, file: str = "<string>") -> Result:
    decoded, diagnostics = decode(text.encode("utf-8"), file)
    return compile_source(Source(file, decoded), diagnostics)
