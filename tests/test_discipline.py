"""The suite's own rules (tests/conftest.py): golden update mode fails the run after writing and is
refused in CI; the hypothesis profile follows the CI variable. Each case runs pytest in a sandbox
holding a copy of the conftest and one small test, so the repository's golden files are never
touched here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parent / "conftest.py"

GOLDEN_TEST = '''
import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "answer.txt"


def test_golden():
    output = os.environ.get("NEW_OUTPUT", "42\\n")
    if os.environ.get("SLADSL_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(output, encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8") == output


def test_profile():
    from hypothesis import settings
    print("PROFILE", settings._current_profile, settings.default.deadline, settings.default.derandomize)
'''


def sandbox(tmp_path: Path) -> Path:
    tests = tmp_path / "tests"
    (tests / "golden").mkdir(parents=True)
    shutil.copy(CONFTEST, tests / "conftest.py")
    (tests / "test_sandbox.py").write_text(GOLDEN_TEST, encoding="utf-8")
    (tests / "golden" / "answer.txt").write_text("42\n", encoding="utf-8")
    return tmp_path


def run_pytest(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("CI", "SLADSL_UPDATE_GOLDEN", "HYPOTHESIS_PROFILE", "NEW_OUTPUT")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                           "--rootdir", str(root), str(root / "tests")],
                          cwd=root, env={**clean, **env}, capture_output=True, text=True, check=False,
                          timeout=300)


def test_normal_runs_pass_and_use_the_dev_profile(tmp_path: Path) -> None:
    done = run_pytest(sandbox(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PROFILE dev None False" in done.stdout


def test_ci_runs_use_the_derandomized_ci_profile(tmp_path: Path) -> None:
    done = run_pytest(sandbox(tmp_path), CI="true")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PROFILE ci None True" in done.stdout


def test_update_mode_writes_then_fails_naming_the_files(tmp_path: Path) -> None:
    root = sandbox(tmp_path)
    done = run_pytest(root, SLADSL_UPDATE_GOLDEN="1", NEW_OUTPUT="43\n")
    assert done.returncode == 1, done.stdout + done.stderr
    assert (root / "tests" / "golden" / "answer.txt").read_text(encoding="utf-8") == "43\n"
    assert "1 golden file(s) rewritten:" in done.stdout
    assert "tests/golden/answer.txt" in done.stdout
    assert "review `git diff`" in done.stdout
    assert run_pytest(root, NEW_OUTPUT="43\n").returncode == 0  # the rerun without update mode


def test_update_mode_fails_even_when_nothing_changed(tmp_path: Path) -> None:
    done = run_pytest(sandbox(tmp_path), SLADSL_UPDATE_GOLDEN="1")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "no golden file changed" in done.stdout


@pytest.mark.parametrize("ci", ["true", "1"])
def test_update_mode_is_refused_in_ci(tmp_path: Path, ci: str) -> None:
    root = sandbox(tmp_path)
    done = run_pytest(root, CI=ci, SLADSL_UPDATE_GOLDEN="1", NEW_OUTPUT="43\n")
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert "SLADSL_UPDATE_GOLDEN=1 is refused in CI" in done.stdout + done.stderr
    assert (root / "tests" / "golden" / "answer.txt").read_text(encoding="utf-8") == "42\n"


def test_ci_script_ends_by_checking_tracked_outputs() -> None:
    script = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert 'export CI="${CI:-true}"' in script
    assert "git diff --exit-code -- generated/ tests/golden/ tests/cases/" in script
