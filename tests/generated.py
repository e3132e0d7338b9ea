"""A contract text compiled both ways the runtime is reached: `sladsl.load()` and the generated
module `sladsl build` writes, so a test can ask both and compare."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import sladsl
from sladsl import model
from sladsl.pipeline import compile_text
from sladsl.to_markdown import render
from sladsl.to_python import to_python


def compiled(text: str, file: str = "contract.sla") -> model.Contract:
    result = compile_text(text, file)
    assert result.contract is not None, [d.message for d in result.diagnostics]
    return result.contract


def generated_module(contract: model.Contract, text: str, folder: Path) -> ModuleType:
    """The generated module of `contract` (compiled from `text`), written to `folder` and
    imported. Named after the text: a second contract in the same folder never meets the first
    one's cached bytecode."""
    name = f"generated_{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"
    path = folder / f"{name}.py"
    path.write_text(to_python(contract, text.encode("utf-8")), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.pop(name, None)
    return module


class Both:
    """The evaluator of a contract text, loaded and generated; every call is asked of both."""

    def __init__(self, text: str, tmp_path: Path) -> None:
        path = tmp_path / "contract.sla"
        path.write_text(text, encoding="utf-8")
        self.loaded = sladsl.load(path)
        self.contract = compiled(text)
        self.generated = generated_module(self.contract, text, tmp_path)

    def availability(self, *args, **kwargs):
        loaded = self.loaded.availability(*args, **kwargs)
        assert self.generated.availability(*args, **kwargs) == loaded
        return loaded

    def raises(self, message: str, *args, **kwargs) -> None:
        for side in (self.loaded, self.generated):
            with pytest.raises(ValueError, match=message):
                side.availability(*args, **kwargs)

    def document(self) -> str:
        return render(self.contract)
