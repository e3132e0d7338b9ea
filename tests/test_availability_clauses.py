"""Availability clauses answered as written: caps, allowances, periods, outage starts, wording.

Every contract here is small and written inline; each answer is asked of both `sladsl.load()` and
the module `to_python` generates from the same contract, and both must agree. Expected values are
worked out by hand in the comments (SEMANTICS.md "Availability"), never by running the evaluator.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import datetime, timedelta, timezone
from fractions import Fraction as F

import sladsl
from sladsl.pipeline import compile_text
from sladsl.to_markdown import render
from sladsl.to_python import to_python

UTC = timezone.utc
H = timedelta(hours=1)


class Both:
    """The evaluator of a contract text, loaded and generated; every call is asked of both."""

    def __init__(self, text: str, tmp_path) -> None:
        path = tmp_path / "contract.sla"
        path.write_text(text, encoding="utf-8")
        self.loaded = sladsl.load(path)
        result = compile_text(text, "contract.sla")
        assert result.contract is not None, result.diagnostics
        self.contract = result.contract
        module_path = tmp_path / "generated_contract.py"
        module_path.write_text(to_python(result.contract, text.encode("utf-8")), encoding="utf-8")
        spec = importlib.util.spec_from_file_location(f"gen_{id(self)}", module_path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules.pop(spec.name, None)
        self.generated = module

    def availability(self, *args, **kwargs):
        loaded = self.loaded.availability(*args, **kwargs)
        assert self.generated.availability(*args, **kwargs) == loaded
        return loaded

    def document(self) -> str:
        return render(self.contract)


def utc(month, day, hour=0, minute=0, second=0, year=2026):
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def outage(start, seconds):
    return {"start": start, "end": start + timedelta(seconds=seconds)}


# ---- 20.15: rule texts and rendering ------------------------------------------------------------

TIERS_BELOW = """contract "T" {
  zone UTC
  service Web {
    availability 99.9% per month
    credit tiers of monthly fee {
      99.0%..99.9% -> 10%
      below 99.0% -> 25%
    }
  }
}
"""


def test_a_below_row_is_described_as_exclusive(tmp_path):
    web = Both(TIERS_BELOW, tmp_path)
    # June: 2,592,000 s; 97% uptime = 3% down = 77,760 s: the `below 99.0%` row.
    report = web.availability("Web", "2026-06", [outage(utc(6, 10), 77760)])
    (credit,) = report["credits"]
    assert credit["percent"] == F(25)
    assert "the row below 99% " in credit["rule"] and "or below" not in credit["rule"]


ZERO_GRACE = """contract "T" {
  zone UTC
  service Net {
    availability 99.9% per month
    credit per outage beyond 0h per whole 1s {
      1% of monthly fee
    }
  }
}
"""


def test_a_zero_grace_and_a_one_second_period_render_true_examples(tmp_path):
    text = Both(ZERO_GRACE, tmp_path).document()
    # Whole 1-second periods, no grace: 2 s earn 2 periods, 3 s earn 3.
    assert ("From the first second of each outage, every whole period of 1 second earns one "
            "credit period: an outage of 2 seconds earns 2 periods; one of 3 seconds earns 3.") in text
    assert "-1 hours" not in text and "The first 0 " not in text
