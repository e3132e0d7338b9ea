"""The suite needs nothing outside the repository (issue 20.17): a user's clone has no seeds beside it.

Facts from the providers' source documents are pinned in tests/data/seed_facts.json by
tools/pin_seed_facts.py; no test may open a path outside the clone. Verified for real by running
the suite from a fresh clone in a directory with nothing beside it (docs/architecture.md).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Spelled in pieces so this file does not match itself.
OUTSIDE = re.compile("|".join([r"/work" + "/shared", r"\.\./" + "shared", r"/shared" + "/seeds"]))


def test_no_test_reads_outside_the_repository():
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_seed_facts_are_pinned_in_the_repository():
    assert (ROOT / "tests" / "data" / "seed_facts.json").is_file()


def test_readme_installs_extras_from_the_clone():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e '.[fast]'" in readme
    assert "install 'sladsl[" not in readme  # not on PyPI: that command fails
