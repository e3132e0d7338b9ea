"""The typed spec (`sladsl/runtime/spec.py`): every spec to_spec makes is valid, and a spec of
another format or shape stops the evaluator (and a generated module's import) with a SpecError
naming the place."""

from __future__ import annotations

import copy
import importlib.util
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import pytest

from sladsl.pipeline import compile_path
from sladsl.runtime.evaluator import Evaluator
from sladsl.runtime.spec import SPEC_FORMAT, SpecError, validate_spec
from sladsl.to_python import render_spec
from sladsl.to_spec import to_spec, to_specs

ROOT = Path(__file__).resolve().parent.parent.parent
CONTRACTS = sorted((ROOT / "contracts").glob("*.sla")) + sorted((ROOT / "tests" / "cases").glob("*/good/*.sla"))


def spec_of(path: Path) -> dict:
    result = compile_path(path)
    assert result.ok and result.contract is not None, path
    return to_spec(result.contract, path.read_bytes())


@pytest.fixture(scope="module")
def qiscus() -> dict:
    return spec_of(ROOT / "contracts" / "qiscus.sla")


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_spec_to_spec_makes_is_valid(path: Path) -> None:
    result = compile_path(path)
    assert result.ok and result.contract is not None, path
    for spec in to_specs(result.contract, path.read_bytes()):  # one per version
        assert validate_spec(spec) is spec
        assert spec["format"] == SPEC_FORMAT


def test_the_credit_union_is_checked_by_kind() -> None:
    spec = spec_of(ROOT / "contracts" / "vhostweb.sla")
    (service,) = spec["services"].values()
    assert [c["kind"] for c in service["credits"]] == ["tiered"]
    bad = copy.deepcopy(spec)
    scheme = next(iter(bad["services"].values()))["credits"][0]
    scheme["rows"] = (("1", "2"), *scheme["rows"][1:])
    with pytest.raises(SpecError, match=r"\['credits'\]\[0\]\['rows'\]\[0\]: expected a tuple of 5"):
        Evaluator(bad)
    scheme["kind"] = "refund"
    with pytest.raises(SpecError, match=r"\['credits'\]\[0\]\['kind'\]: expected 'tiered' or "):
        Evaluator(bad)


@pytest.mark.parametrize("format_", [0, SPEC_FORMAT - 1, SPEC_FORMAT + 1, str(SPEC_FORMAT), None])
def test_another_format_is_refused_with_a_rebuild_hint(qiscus, format_) -> None:
    spec = {**qiscus, "format": format_}
    with pytest.raises(SpecError, match=rf"spec format {format_!r}, but this sladsl runtime reads "
                                        rf"format {SPEC_FORMAT}: rebuild .*sladsl build"):
        Evaluator(spec)


@pytest.mark.parametrize("value", [None, [], "spec", {"contract": {}}])
def test_not_a_spec(value) -> None:
    with pytest.raises(SpecError, match="not an sladsl evaluator spec"):
        Evaluator(value)


def _first_target(spec: dict) -> dict:
    return next(iter(spec["plans"].values()))["targets"][0]


@pytest.mark.parametrize("mutate, message", [
    (lambda s: s["contract"].pop("zone"), r"spec\['contract'\]: ContractSpec keys: missing 'zone'"),
    (lambda s: s.update(extra=1), r"spec: Spec keys: unknown 'extra'"),
    (lambda s: _first_target(s).update(seconds="4h"),
     r"spec\['plans'\]\['\w+'\]\['targets'\]\[0\]\['seconds'\]: expected int or None, got str '4h'"),
    (lambda s: _first_target(s).update(seconds=True), r"\['seconds'\]: expected int or None, got bool"),
    (lambda s: _first_target(s).update(best_effort=0), r"\['best_effort'\]: expected bool, got int"),
    (lambda s: _first_target(s).update(proportion=0.85),
     r"\['proportion'\]: expected Fraction or None, got float"),
    (lambda s: s.update(priorities=list(s["priorities"])), r"spec\['priorities'\]: expected a tuple, got list"),
    (lambda s: next(iter(s["calendars"].values())).update(holidays=(datetime(2026, 1, 1),)),
     r"\['holidays'\]\[0\]: expected date, got datetime"),
    (lambda s: next(iter(s["calendars"].values()))["week"].update({1: ()}),
     r"\['week'\] key: expected str, got int"),
    (lambda s: s.update(plans=[]), r"spec\['plans'\]: expected a dict, got list"),
])
def test_a_wrong_shape_names_the_place(qiscus, mutate, message) -> None:
    spec = copy.deepcopy(qiscus)
    mutate(spec)
    with pytest.raises(SpecError, match=message):
        Evaluator(spec)


def test_fractions_stay_exact_in_a_valid_spec(qiscus) -> None:
    spec = copy.deepcopy(qiscus)
    _first_target(spec)["proportion"] = Fraction(85)
    _first_target(spec)["proportion_period"] = "month"
    Evaluator(spec)  # no error


def test_a_generated_module_of_another_format_fails_at_import(qiscus, tmp_path) -> None:
    path = tmp_path / "stale_module.py"
    path.write_text(render_spec({**qiscus, "format": SPEC_FORMAT + 1}), encoding="utf-8")
    module_spec = importlib.util.spec_from_file_location("stale_module", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    with pytest.raises(SpecError, match="rebuild the module with `sladsl build`"):
        module_spec.loader.exec_module(module)
