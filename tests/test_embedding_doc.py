"""Every ```python block of docs/embedding.md runs, in order, in one namespace."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "embedding.md"
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


def test_doc_has_an_example_for_every_function():
    text = DOC.read_text(encoding="utf-8")
    code = "\n".join(BLOCK.findall(text))
    for name in ("sladsl.load", ".due(", ".target(", ".calendar(", ".evaluate_ticket(", ".escalation(",
                 ".availability(", "CONTRACT"):
        assert name in code, name


def test_doc_examples_run(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the examples add generated/ to sys.path
    namespace: dict = {"__name__": "embedding_doc"}
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 10
    for index, block in enumerate(blocks):
        code = compile(block, f"docs/embedding.md[block {index}]", "exec")
        exec(code, namespace)  # noqa: S102 - running our own documentation is the point
    assert "Premium" in capsys.readouterr().out
