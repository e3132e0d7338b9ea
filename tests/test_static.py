"""Static checks run with the suite (so CI runs them): mypy, strict on the runtime and the code
generators, and ruff's lint rules, both configured in pyproject.toml.

Each runs as a subprocess of this interpreter from the repository root; the test fails with the
tool's own report. Both tools are in the `test` extra, so they are installed wherever the README's
test command runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=600)


def test_mypy_strict_on_the_runtime_and_the_generators() -> None:
    # The files and the strictness come from [tool.mypy] in pyproject.toml.
    done = run_tool("mypy", "--no-error-summary", "--cache-dir", str(ROOT / ".mypy_cache"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_lint() -> None:
    done = run_tool("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert done.returncode == 0, done.stdout + done.stderr
