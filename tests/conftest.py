"""Suite-wide settings: the cache directory, hypothesis profiles, and the golden-file discipline.

- sladsl's per-user cache (`sladsl/cache.py`: parser tables, holiday sets) goes to a fresh
  temporary directory for the session (`SLADSL_CACHE_DIR`, inherited by CLI subprocesses): the
  suite reads nothing outside the repository, and every run starts cold once.
- Hypothesis profiles: `dev` (the default) and `ci` (when the `CI` environment variable is set, as
  CI services do and `.ci/run` does). Neither has a per-example deadline: on a loaded 2-core
  machine a deadline flakes. `ci` is derandomized, so a CI failure reproduces. `HYPOTHESIS_PROFILE`
  picks one explicitly. Tests that set `max_examples`/`deadline` themselves keep their values.
- Spark: the tests' data are small, so the driver gets a 2 GB heap unless the environment says
  otherwise (the 4 GB default is for a million tickets; a lazily collected 4 GB heap on a shared
  2-core CI machine only invites the OOM killer).
- Golden files (`SLADSL_UPDATE_GOLDEN=1` rewrites them): update mode always fails the run after
  writing, listing what changed, so a rewrite is never silent and is reviewed with `git diff`;
  with `CI` set, update mode is refused before any test runs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
UPDATE_GOLDEN = os.environ.get("SLADSL_UPDATE_GOLDEN") == "1"
# What update mode may rewrite (tests/test_cases.py, test_to_markdown.py, test_diagnostics_registry.py).
GOLDEN_PLACES = ("tests/cases", "tests/golden", "docs/diagnostics.md")

settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if CI else "dev"))

_CACHE_DIR = tempfile.mkdtemp(prefix="sladsl-test-cache-")
os.environ["SLADSL_CACHE_DIR"] = _CACHE_DIR
os.environ.setdefault("SLADSL_SPARK_DRIVER_MEMORY", "2g")


def golden_snapshot() -> dict[str, str]:
    """{relative path: sha256} of every file update mode may write."""
    found: dict[str, str] = {}
    for place in GOLDEN_PLACES:
        path = ROOT / place
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            found[file.relative_to(ROOT).as_posix()] = hashlib.sha256(file.read_bytes()).hexdigest()
    return found


def golden_changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def pytest_configure(config: pytest.Config) -> None:
    if UPDATE_GOLDEN and CI:
        raise pytest.UsageError(
            "SLADSL_UPDATE_GOLDEN=1 is refused in CI: golden files are rewritten on a developer's "
            "machine and the diff is reviewed and committed")
    if UPDATE_GOLDEN:
        config.stash[_BEFORE] = golden_snapshot()


_BEFORE = pytest.StashKey[dict[str, str]]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_CACHE_DIR, ignore_errors=True)
    if not UPDATE_GOLDEN or _BEFORE not in session.config.stash:
        return
    changed = golden_changes(session.config.stash[_BEFORE], golden_snapshot())
    session.config.stash[_CHANGED] = changed
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


_CHANGED = pytest.StashKey[list[str]]()


def _jvm_cpu_seconds(pid: int) -> float | None:
    """CPU seconds of the JVM (and of what it waited for): `time` of this process leaves them out,
    as the JVM is never waited for. Linux only."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


_JVM_CPU: list[float] = []


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if _JVM_CPU:
        terminalreporter.write_line(f"the Spark JVM used {_JVM_CPU[0]:.0f} s of CPU, beside this "
                                    "process's own")
    if not UPDATE_GOLDEN or _CHANGED not in config.stash:
        return
    changed = config.stash[_CHANGED]
    terminalreporter.section("SLADSL_UPDATE_GOLDEN=1")
    if changed:
        terminalreporter.write_line(f"{len(changed)} golden file(s) rewritten:")
        for name in changed:
            terminalreporter.write_line(f"  {name}")
    else:
        terminalreporter.write_line("no golden file changed")
    terminalreporter.write_line("update mode always fails the run: review `git diff`, then rerun "
                                "without SLADSL_UPDATE_GOLDEN")


@pytest.fixture(scope="session")
def spark_session():
    """One local Spark session for the whole run (a JVM takes seconds to start): the SQL engine
    tests of eval and uptime share it."""
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    from sladsl.sql_engine import _Spark

    session = _Spark.session(SparkSession)
    yield session
    proc = getattr(session.sparkContext._gateway, "proc", None)
    used = None if proc is None else _jvm_cpu_seconds(proc.pid)
    if used is not None:
        _JVM_CPU.append(used)
    session.stop()
    _Spark._session = None
