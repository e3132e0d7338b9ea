"""Every literal is bounded with a diagnostic, never a traceback (issue 20.19).

Limits: a number in a literal has at most 15 digits (Python's `int()` refuses more than 4,300, and
no contract term needs more than a few); a duration, wall-clock or in business days, is at most
36,500 days (datetime arithmetic overflows near 999,999,999 days, about 2.4e10 hours).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

import sladsl
from sladsl.cli import cli
from sladsl.pipeline import compile_text

CALENDAR = "calendar office = Mon-Fri 09:00-17:00 UTC\n"


def codes(text: str) -> list[str]:
    return [d.code for d in compile_text(text, "t.sla").diagnostics]


@pytest.mark.parametrize("literal", ["9" * 16 + "h", "1" * 4301 + "h", "1" * 5000 + " business days",
                                     "1" * 4400 + " hours"])
def test_long_numbers_are_e206(literal):
    assert codes(f"{CALENDAR}respond {literal} within office\n") == ["E206"]


def test_long_numbers_everywhere_else_too():
    big = "7" * 4400
    for text in (f"calendar c = Mon-Fri 09:00-17:00 UTC except holidays(US) {big}..{big}",
                 f"price IDR {big}", f"priority P respond {big}' within office"):
        assert set(codes(f"{CALENDAR}{text}\n")) == {"E206"}, text[:60]


@pytest.mark.parametrize("literal", ["99999999999h", "24000000000h", "36501 days", "5256001 hours",
                                     "36501 business days"])
def test_durations_beyond_100_years_are_e206(literal):
    assert codes(f"{CALENDAR}respond {literal} within office\n") == ["E206"]


def test_the_longest_duration_is_accepted_and_evaluates():
    result = compile_text(f"{CALENDAR}priority High respond 36500 days within always\n"
                          "calendar always = 24x7\n", "t.sla")
    assert result.ok, [d.message for d in result.diagnostics]


def test_long_number_is_a_contract_error_everywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "big.sla"
    path.write_text(f"{CALENDAR}respond {'1' * 4301}h within office\n", encoding="utf-8")
    with pytest.raises(sladsl.ContractError) as error:
        sladsl.load(path)
    assert [d.code for d in error.value.diagnostics] == ["E206"]
    for args in (["check", "big.sla"], ["build", "big.sla", "--out", "out"], ["fmt", "--check", "big.sla"],
                 ["render", "big.sla"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        assert "E206" in result.output


def test_huge_duration_no_longer_reaches_eval(tmp_path, monkeypatch):
    # before: check and build passed, then eval raised OverflowError from timedelta
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.sla").write_text("calendar always = 24x7\npriority High respond 99999999999h within always\n",
                                    encoding="utf-8")
    (tmp_path / "t.csv").write_text("id,priority,opened_at\n1,High,2026-05-11T10:00:00+00:00\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "c.sla", "--tickets", "t.csv",
                                      "--now", "2026-05-12T00:00:00+00:00"])
    assert result.exit_code == 1 and "E206" in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_availability_zero_says_it_promises_nothing():
    result = compile_text('service Web {\n  availability 0% per month\n}\n', "t.sla")
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "E203" and "promises nothing" in diagnostic.message
    assert "outside 0-100%" not in diagnostic.message


def test_e306_help_states_the_allowed_holiday_years():
    result = compile_text("calendar office = Mon-Fri 09:00-17:00 UTC except holidays(US) 1800..2026\n", "t.sla")
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "E306" and "1900..2200" in diagnostic.help


def test_due_at_the_limit_does_not_overflow():
    evaluator_module = compile_text("calendar always = 24x7\npriority High respond 36500 days within always\n",
                                    "t.sla")
    from sladsl.runtime.evaluator import Evaluator
    from sladsl.to_spec import to_spec

    evaluator = Evaluator(to_spec(evaluator_module.contract))
    opened = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert evaluator.due("response", "High", opened) == opened + timedelta(days=36500)


def test_a_dated_holiday_does_not_narrow_the_frozen_years():
    # issue 20.21: `except 2026-12-24` froze the calendar's holidays for 2026 alone, so every
    # question about 2027 raised "rebuild with a wider holiday year range".
    from sladsl.runtime.evaluator import Evaluator
    from sladsl.to_spec import to_spec

    text = ("calendar office = Mon-Fri 09:00-17:00 UTC except 2026-12-24\n"
            "calendar mixed = Mon-Fri 09:00-17:00 UTC except 2026-12-24, Dec 25, holidays(US) 2024..2030\n"
            "priority High respond 8h within office\n")
    result = compile_text(text, "t.sla")
    assert result.ok, [d.message for d in result.diagnostics]
    office, mixed = result.contract.calendars
    assert office.holiday_years is None
    assert mixed.holiday_years == (2024, 2030)  # the rule's default 2020..2035 meets the set's range
    evaluator = Evaluator(to_spec(result.contract))
    opened = datetime(2027, 3, 1, 9, tzinfo=timezone.utc)  # a Monday in 2027
    assert evaluator.due("response", "High", opened) == datetime(2027, 3, 1, 17, tzinfo=timezone.utc)
    # the dated holiday still counts: Thu 2026-12-24 is closed, so 8h from Wed 09:00 ends Wed 17:00,
    # and from Wed 17:00 (the close) they run Fri 09:00-17:00
    wednesday_close = datetime(2026, 12, 23, 17, tzinfo=timezone.utc)
    assert evaluator.due("response", "High", wednesday_close) == datetime(2026, 12, 25, 17, tzinfo=timezone.utc)
