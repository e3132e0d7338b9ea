"""The checker's model: names, units, calendars, inheritance and readings, construct by construct.

Expected values come from the language rules in docs/language.md and SEMANTICS.md, and from the
seed documents for the seed contracts.
"""

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from sladsl.pipeline import compile_path, compile_text

CARD = "priority Critical respond 1h within business(09:00-17:00 GMT+7) resolve 8h\n"
ROOT = Path(__file__).resolve().parent.parent


def checked(text: str):
    result = compile_text(text, "t.sla")
    assert result.ok, [d.message for d in result.diagnostics]
    return result.contract


def codes(text: str) -> list[str]:
    return [d.code for d in compile_text(text, "t.sla").diagnostics]


def test_card_line_is_a_complete_contract():
    contract = checked(CARD)
    assert [p.name for p in contract.priorities] == ["Critical"]
    response, resolution = contract.targets
    assert (response.metric, response.priority, response.duration.seconds) == ("response", "Critical", 3600)
    # `within` sticks to the later targets of the same statement that name no calendar.
    assert resolution.metric == "resolution" and resolution.duration.seconds == 8 * 3600
    assert resolution.calendar == response.calendar
    calendar = contract.calendar(response.calendar)
    assert calendar.zone == "UTC+07:00"
    # A window list without days means Monday to Friday.
    assert dict(calendar.week) == {
        "mon": (("09:00", "17:00"),), "tue": (("09:00", "17:00"),), "wed": (("09:00", "17:00"),),
        "thu": (("09:00", "17:00"),), "fri": (("09:00", "17:00"),), "sat": (), "sun": ()}


def test_durations_have_units_and_second_precision():
    contract = checked(
        "calendar c = 24x7\n"
        "priority A pickup 1'30\" respond 1h30m resolve 2 business days update 2 days\n")
    by_metric = {t.metric: t.duration for t in contract.targets}
    assert by_metric["pickup"].seconds == 90
    assert by_metric["response"].seconds == 5400
    assert by_metric["resolution"].business_days == 2 and by_metric["resolution"].seconds is None
    assert by_metric["update"].seconds == 2 * 86400


def test_plan_inheritance_is_late_bound_to_the_inheriting_plan_hours():
    contract = checked("""
calendar office = Mon-Fri 09:00-17:00 GMT+7
calendar everyday = daily 09:00-17:00 GMT+7
priorities {
  Critical: "down"
  Low: "question"
}
plan Basic {
  hours office
  respond 2 business days best-effort
}
plan Premium includes Basic {
  priority Critical respond 1h
}
plan Weekend includes Premium {
  hours everyday
}
""")
    premium = contract.plan("Premium")
    weekend = contract.plan("Weekend")
    assert premium.ancestors == ("Basic",) and weekend.ancestors == ("Premium", "Basic")
    targets = {(t.metric, t.priority): t for t in premium.targets}
    # A priority-specific child target overrides the parent's every-priority target...
    assert targets[("response", "Critical")].duration.seconds == 3600
    assert targets[("response", "Critical")].origin == "plan Premium"
    # ...and the parent's target still covers the other priorities, with its provenance kept.
    assert targets[("response", "Low")].duration.business_days == 2
    assert targets[("response", "Low")].best_effort and targets[("response", "Low")].origin == "plan Basic"
    assert {t.calendar for t in premium.targets} == {"office"}
    assert {t.calendar for t in weekend.targets} == {"everyday"}


def test_addon_targets_count_in_the_hours_of_the_plan_they_are_used_with():
    contract = checked("""
calendar office = Mon-Fri 09:00-17:00 GMT+7
plan P {
  hours office
}
addon Resolution {
  price IDR 100,000,000 per year
  priority Low resolve 30 business days
}
""")
    (addon,) = contract.addons
    assert addon.price.money.amount == 100_000_000 and addon.price.period == "year"
    assert addon.targets[0].calendar is None


def test_escalation_ladder_in_seconds():
    contract = checked("""
calendar c = 24x7
escalate {
  0h..6h "Technical Support" remark "reporting"
  6h.. "Account Manager" when "no response"
}
""")
    steps = contract.escalation.steps
    assert [(s.start, s.end, s.role) for s in steps] == [(0, 6 * 3600, "Technical Support"),
                                                         (6 * 3600, None, "Account Manager")]
    assert steps[1].when == "no response"


def test_tiered_credit_rows_are_exact_fractions_best_first():
    contract = checked("""
service Web {
  availability 99.9% per month in Asia/Bangkok
  credit tiers of monthly fee {
    98.0%..98.9% -> 10%
    99.0%..99.9% -> 5%
    ..89.9% -> 30%
    90.0%..97.9% -> 15%
    gaps favour customer
  }
}
""")
    (service,) = contract.services
    assert service.availability.target == Fraction(999, 10)
    (credit,) = service.credits
    assert [(r.low, r.high, r.credit) for r in credit.rows] == [
        (Fraction(99), Fraction(999, 10), Fraction(5)),
        (Fraction(98), Fraction(989, 10), Fraction(10)),
        (Fraction(90), Fraction(979, 10), Fraction(15)),
        (None, Fraction(899, 10), Fraction(30)),
    ]
    assert credit.gaps == "customer"


def test_per_outage_credit_and_caps():
    contract = checked("""
service Network {
  availability 99.95% per month
  credit per outage beyond 1h per started 60m {
    3.3% of monthly fee
    0.275% of annual fee
    cap 50% of monthly fee per month
    cap 1/24 of annual fee per month
  }
}
""")
    (credit,) = contract.services[0].credits
    assert (credit.grace, credit.period, credit.rounding) == (3600, 3600, "started")
    assert credit.amounts[0].value == Fraction(33, 10)
    assert [(c.value, c.basis) for c, _ in credit.caps] == [(Fraction(50), "monthly"),
                                                            (Fraction(100, 24), "annual")]


def test_zone_forms():
    def zone(text):
        return checked(f"calendar c = Mon-Fri 09:00-17:00 {text}\n").calendar("c").zone

    assert zone("GMT+7") == "UTC+07:00"
    assert zone("UTC+05:30") == "UTC+05:30"
    assert zone("GMT-3") == "UTC-03:00"
    assert zone("Asia/Kuala_Lumpur") == "Asia/Kuala_Lumpur"


def test_zone_abbreviation_warns_with_offset_and_iana_name():
    result = compile_text("calendar c = Mon-Fri 08:00-20:00 zone BRT\n", "t.sla")
    (warning,) = result.diagnostics
    assert warning.code == "W302" and "UTC-03:00" in warning.message
    assert "America/Sao_Paulo" in warning.help
    assert result.contract.calendar("c").zone == "UTC-03:00"


def test_etc_gmt_zone_warns_that_its_sign_is_reversed():
    result = compile_text("calendar c = Mon-Fri 08:00-20:00 Etc/GMT+7\n", "t.sla")
    (warning,) = result.diagnostics
    assert warning.code == "W301" and "UTC-07:00" in warning.message


def test_country_holidays_are_frozen_for_the_stated_years():
    contract = checked("calendar office = Mon-Fri 09:00-18:00 Asia/Bangkok except holidays(TH, public, bank) 2026..2026\n")
    calendar = contract.calendar("office")
    days = {h.date for h in calendar.holidays}
    assert calendar.holiday_years == (2026, 2026)
    # Songkran (13-15 April) and Constitution Day (10 December) are Thai public holidays.
    assert {date(2026, 4, 13), date(2026, 4, 14), date(2026, 4, 15), date(2026, 12, 10)} <= days
    assert all(d.year == 2026 for d in days)


def test_yearly_holiday_rules():
    contract = checked(
        "calendar c = Mon-Fri 09:00-17:00 UTC except Dec 25 observed, third Mon of Jan, 2026-03-02 \"Founders\"\n")
    days = {h.date: h.label for h in contract.calendar("c").holidays}
    assert date(2026, 1, 19) in days  # third Monday of January 2026
    assert date(2022, 12, 26) in days  # Christmas 2022 fell on a Sunday: observed Monday
    assert days[date(2026, 3, 2)] == "Founders"


def test_split_windows_and_midnight_close():
    contract = checked("calendar phone = Mon-Fri 09:00-11:00, 13:00-16:00 Europe/Paris\n"
                       "calendar chat = daily 08:00-24:00 Asia/Kuala_Lumpur\n")
    assert dict(contract.calendar("phone").week)["wed"] == (("09:00", "11:00"), ("13:00", "16:00"))
    assert dict(contract.calendar("chat").week)["sun"] == (("08:00", "24:00"),)


def test_channel_default_priority_and_restrictions():
    contract = checked("""
priorities High, Medium, Low
channel Email {
  default priority Medium
}
channel Phone {
  only priority High
}
""")
    email, phone = contract.channels
    assert email.default_priority == "Medium" and phone.only_priorities == ("High",)


def test_readings_are_kept_with_their_scope():
    contract = checked("""
calendar c = 24x7
plan P {
  reading after_hours "next day" as "next opening"
}
reading "quote" as "meaning"
""")
    assert [(r.topic, r.scope) for r in contract.readings] == [("after_hours", "plan P"), (None, "contract")]


@pytest.mark.parametrize("text, code", [
    ("priority A respond 99%\n", "E202"),
    ("calendar c = 24x7\npriority A respond 0m\n", "E204"),
    ("calendar c = Mon-Fri 17:00-09:00 UTC\n", "E301"),
    ("calendar c = Mon-Fri 09:00-09:00 UTC\n", "E301"),
    ("calendar c = Mon-Fri 09:00-12:00, 11:00-13:00 UTC\n", "E302"),
    ("calendar c = Mon-Fri 09:00-17:00 Mars/Olympus\n", "E304"),
    ("calendar c = Mon-Fri 09:00-17:00 UTC except holidays(XX)\n", "E305"),
    ("plan A includes B {\n}\nplan B includes A {\n}\n", "E104"),
    ("priorities High, Low\nchannel E {\n  default priority Medium\n}\n", "E107"),
    ("priorities High, Low\ncalendar c = 24x7\npriority Hgh respond 1h\n", "E101"),
    ("calendar c = 24x7\ncalendar c = 24x7\n", "E102"),
    ("service S {\n  availability 101% per month\n}\n", "E203"),
    ("calendar c = 24x7\npriority A respond 90m30h\n", "E201"),
    ("service S {\n  availability 99% per month\n  credit per outage beyond 1h per whole 1h {\n"
     "    3% of monthly fee\n    cap 150% of monthly fee per month\n  }\n}\n", "E403"),
    ("service S {\n  availability 99% per month\n  credit tiers of monthly fee {\n"
     "    98%..99% -> 5%\n    97%..98.5% -> 10%\n  }\n}\n", "E401"),
    ("service S {\n  availability 99% per month\n  credit tiers of monthly fee {\n"
     "    98%..99% -> 5%\n    90%..95% -> 10%\n  }\n}\n", "E402"),
    ("calendar c = 24x7\npriority A resolve between 4h and 1h\n", "E205"),
    ("", "E103"),
])
def test_errors(text, code):
    assert code in codes(text)


@pytest.mark.parametrize("text, code", [
    ("calendar c = 24x7\npriority A respond 8h resolve 1h\n", "W101"),
    ("calendar c = 24x7\npriorities A, B\npriority A respond 8h\npriority B respond 1h\n", "W102"),
    ("calendar c = Mon-Fri 09:00-17:00 UTC\npriority A resolve 720h (30 business days)\n", "W103"),
    ("service S {\n  availability 99.9% per month\n  credit tiers of monthly fee {\n"
     "    99.0%..99.5% -> 5%\n  }\n}\n", "W401"),
])
def test_warnings(text, code):
    assert code in codes(text)


def test_two_way_target_warning_says_by_how_much_under_the_calendar():
    result = compile_text(
        "calendar office = Mon-Fri 09:00-17:00 GMT+7\npriority Low resolve 30 business days (720h)\n", "t.sla")
    (warning,) = result.diagnostics
    # 30 business days of 8 h = 240 h of business time; 720 h is 480 h more.
    assert "480h" in warning.message
    assert any("240h" in note for note in warning.notes)


def test_seed_contracts_check_with_only_their_intentional_warnings():
    found = {}
    for path in sorted((ROOT / "contracts").glob("*.sla")):
        result = compile_path(path, path.name)
        assert result.ok, [(d.code, d.message) for d in result.diagnostics if d.is_error]
        found[path.name] = sorted(d.code for d in result.diagnostics)
    # Listed in docs/coverage/: Qiscus states three resolution targets two ways ("72 hours (3 business
    # days)") and its `reading two_ways` settles which governs, so W103 is silenced. HaiSoft states
    # its per-hour credit as 1 day, 3.3% monthly and 0.27% annual, and its `reading amounts` settles
    # which governs, so W104 is silenced.
    assert found["qiscus.sla"] == []
    assert found["haisoft.sla"] == []
    assert found["rocksoft.sla"] == found["rocketchat.sla"] == found["vhostweb.sla"] == []


def test_checker_never_raises_on_parsed_input(monkeypatch):
    from sladsl import check

    def boom(self, stmt):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(check.Checker, "availability", boom)
    result = compile_text("service S {\n  availability 99% per month\n}\n", "t.sla")
    (diagnostic,) = [d for d in result.diagnostics if d.code == "E901"]
    assert "internal error" in diagnostic.message and diagnostic.span.line == 2
