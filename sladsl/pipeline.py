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
    contract: object | None  # model.Contract (or model.Versions) once checked
    diagnostics: tuple[Diagnostic, ...]
    others: tuple[Source, ...] = ()  # the other files of a directory of versions

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


def directory_files(path: Path) -> list[Path]:
    """The `.sla` files of a directory of versions, in name order."""
    return sorted(p for p in path.glob("*.sla") if p.is_file())


class DirectoryProblem(ValueError):
    """A directory that is not the versions of one contract (no `.sla` file, or several names)."""


def compile_directory(path: Path, display: str | None = None) -> Result:
    """A directory whose `.sla` files are versions of one contract (docs/language.md
    "Versions"), checked as one file holding every version. Every file's contract blocks (or its
    bare statements: a contract named after the file) must name one contract, else
    DirectoryProblem: which files belong together is the caller's choice, not a contract error."""
    from sladsl.check import check
    from sladsl.check.versions import check_versions

    name = display or str(path)
    files = directory_files(path)
    if not files:
        raise DirectoryProblem(f"`{name}` holds no `.sla` file")
    sources: list[Source] = []
    found: list[Diagnostic] = []
    blocks: list[tuple[str, ast.Contract]] = []
    for file in files:
        source, diagnostics = read_source(file, f"{name.rstrip('/')}/{file.name}")
        sources.append(source)
        module, syntax = front_end(source)
        found += diagnostics + syntax
        if module is not None:
            mine, misplaced = _contract_blocks(module, file.stem)
            blocks += [(file.name, b) for b in mine]
            found += misplaced
    directory = Source(name, None)
    names = sorted({(b.name.text, f) for f, b in blocks})
    if len({n for n, _ in names}) > 1:
        shown = ", ".join(f"`{n}` ({f})" for n, f in names)
        raise DirectoryProblem(f"`{name}`: the files name different contracts: {shown}; a "
                               "directory holds the versions of one contract")
    contract = None
    if blocks and not any(d.is_error for d in found):
        body = [b for _, b in blocks]
        if len(body) == 1:
            contract, semantic = check(ast.Module(tuple(body), span=body[0].span), name)
        else:
            contract, semantic = check_versions(body, name, check)
        found += semantic
    return Result(directory, None, contract, tuple(sorted_diagnostics(found)), tuple(sources))


def _contract_blocks(module: ast.Module, stem: str) -> tuple[list[ast.Contract], list[Diagnostic]]:
    """A file's contract blocks, or its bare statements as one contract named after the file;
    statements beside blocks are an error, as in a single file (E103)."""
    blocks = [s for s in module.body if isinstance(s, ast.Contract)]
    loose = tuple(s for s in module.body if not isinstance(s, ast.Contract))
    if not blocks:
        return [ast.Contract(ast.Name(stem, span=module.span), loose, span=module.span)], []
    if loose:
        return blocks, [Diagnostic("E103", "statements outside the `contract` block", loose[0].span,
                                   help="move them inside the contract, or drop the `contract` "
                                   "wrapper")]
    return blocks, []
