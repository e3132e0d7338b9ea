"""Suite-wide settings.

sladsl's per-user cache (`sladsl/cache.py`: parser tables, holiday sets) goes to a fresh temporary
directory for the session (`SLADSL_CACHE_DIR`, inherited by CLI subprocesses): the suite reads
nothing outside the repository, and every run starts cold once.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_CACHE_DIR = tempfile.mkdtemp(prefix="sladsl-test-cache-")
os.environ["SLADSL_CACHE_DIR"] = _CACHE_DIR


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_CACHE_DIR, ignore_errors=True)
