"""Output, import time and memory grow with what a contract says, not with its repetitions (issue 22.4).

Before: 400 calendars each `except holidays(US) 1900..2200` (a 29 KB contract) generated a 19 MB
module that took 20 s and 2.8 GB to import, and the checker expanded the US holidays 400 times.
"""

from __future__ import annotations

import functools
import tracemalloc

import holidays
from click.testing import CliRunner

from sladsl.cli import build, cli
from sladsl.pipeline import compile_text
from sladsl.to_python import to_python


def contract(calendars: int) -> str:
    lines = ['contract "Amp" {', "  zone UTC"]
    lines += [f"  calendar c{i} = Mon-Fri 09:00-17:00 except holidays(US) 1900..2200" for i in range(calendars)]
    return "\n".join([*lines, "  priority High respond 4h within c0", "}"]) + "\n"


@functools.cache
def module_for(calendars: int) -> str:
    result = compile_text(contract(calendars), "amp.sla")
    assert result.ok, [d.message for d in result.diagnostics]
    return to_python(result.contract)


def test_repeated_holiday_sets_are_expanded_once(monkeypatch):
    calls = []
    real = holidays.country_holidays
    monkeypatch.setattr(holidays, "country_holidays", lambda *a, **k: calls.append(a) or real(*a, **k))
    result = compile_text(contract(40), "amp.sla")
    assert result.ok
    assert len(calls) <= 2  # the category probe and the expansion, once (was 80)
    tables = {id(c.holidays) for c in result.contract.calendars}
    assert len(tables) == 1


def test_module_size_grows_with_calendars_not_with_their_holidays():
    one, forty = module_for(1), module_for(40)
    # the holiday table (about 3,300 dates, ~100 KB) is written once; each calendar adds its week
    assert len(forty) - len(one) < 40 * 1_000, (len(one), len(forty))
    assert forty.count("date(1900, ") == one.count("date(1900, ") >= 1
    assert "_HOLIDAYS_0 = " in forty and "_HOLIDAYS_0 = " not in one


def test_import_memory_grows_with_calendars_not_with_their_holidays():
    def peak(source: str) -> int:
        tracemalloc.start()
        namespace: dict = {}
        exec(compile(source, "amp.py", "exec"), namespace)
        assert namespace["calendar"]("c39" if "c39" in namespace["SPEC"]["calendars"] else "c0")
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    one, forty = peak(module_for(1)), peak(module_for(40))
    assert forty < 3 * one, (one, forty)


def test_a_very_large_output_is_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "amp.sla").write_text(contract(3), encoding="utf-8")
    monkeypatch.setattr(build, "LARGE_OUTPUT_BYTES", 50_000)
    result = CliRunner().invoke(cli, ["build", "amp.sla", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert "sladsl: warning: `amp" in result.output and "MB (over" in result.output
