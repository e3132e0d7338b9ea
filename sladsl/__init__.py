"""sladsl: SLA contracts as code.

The pipeline (see docs/architecture.md): parse -> to_ast -> check -> to_python / to_markdown.
`sladsl.load(path)` checks a contract and returns the same evaluator a generated module exposes
(docs/embedding.md); `import sladsl` itself stays light: the compiler loads inside `load`.
"""

__version__ = "0.1.0"

__all__ = ["ContractError", "__version__", "load"]


class ContractError(ValueError):
    """A contract has errors; the message lists the rendered diagnostics."""

    def __init__(self, message: str, diagnostics=()) -> None:
        super().__init__(message)
        self.diagnostics = tuple(diagnostics)


def load(path):
    """Check the contract at `path` and return its `sladsl.runtime.evaluator.Evaluator`, or for
    a contract with several versions (in one file, or a directory of files) its
    `sladsl.runtime.versions.Versions`.

    Raises ContractError (a ValueError) listing the diagnostics when the contract has errors, and
    OSError when the file cannot be read.
    """
    from pathlib import Path

    from sladsl.diagnostics import render_text
    from sladsl.parse import decode
    from sladsl.pipeline import (DirectoryProblem, Source, compile_directory, compile_source,
                                 directory_files)
    from sladsl.model import Versions as CheckedVersions, with_file
    from sladsl.runtime.evaluator import Evaluator
    from sladsl.runtime.versions import Versions
    from sladsl.to_spec import to_spec, to_specs

    path = Path(path)
    name = _display(path)
    if path.is_dir():  # the versions of one contract, a file each (docs/language.md "Versions")
        try:
            result = compile_directory(path, name)
        except DirectoryProblem as error:
            raise ContractError(str(error)) from None
        data = b"".join(f.read_bytes() for f in directory_files(path))
    else:
        data = path.read_bytes()
        text, diagnostics = decode(data, name)
        result = compile_source(Source(name, text), diagnostics)
    if not result.ok or result.contract is None:
        errors = [d for d in result.diagnostics if d.is_error]
        sources = {s.file: s.text or "" for s in (result.source, *result.others)}
        text = "\n\n".join(render_text(d, sources) for d in errors)
        raise ContractError(f"{name}: the contract has {len(errors)} error(s)\n\n{text}", errors)
    # Named by file name, as `sladsl build` names it: the spec equals the generated module's.
    checked = with_file(result.contract, path.name)
    if isinstance(checked, CheckedVersions):  # several versions: the runtime picks per ticket
        return Versions(to_specs(checked, data))
    return Evaluator(to_spec(checked, data))


def _display(path) -> str:
    """The path relative to the working directory when it lies below it (no absolute paths)."""
    from pathlib import Path

    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
