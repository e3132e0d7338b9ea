"""The evaluator API answered from the seed contracts (`sladsl.load`).

Expected values come from the seed documents (facts pinned in the tests), SEMANTICS.md and hand
arithmetic shown in comments, never from running the evaluator.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction as F
from zoneinfo import ZoneInfo

import pytest

import sladsl
from sladsl.runtime.zones import fixed_zone

GMT7 = fixed_zone(7 * 60)  # Qiscus: "09.00 to 17.00hrs (GMT+7)"
PARIS = ZoneInfo("Europe/Paris")
BANGKOK = ZoneInfo("Asia/Bangkok")
KL = ZoneInfo("Asia/Kuala_Lumpur")
H = timedelta(hours=1)


def line_of(contract: str, text: str) -> int:
    """The 1-based line of `contracts/<contract>.sla` that contains `text` (exactly one)."""
    lines = open(f"contracts/{contract}.sla", encoding="utf-8").read().splitlines()
    found = [i + 1 for i, line in enumerate(lines) if text in line]
    assert len(found) == 1, (contract, text, found)
    return found[0]


@pytest.fixture(scope="module")
def qiscus():
    return sladsl.load("contracts/qiscus.sla")


@pytest.fixture(scope="module")
def haisoft():
    return sladsl.load("contracts/haisoft.sla")


@pytest.fixture(scope="module")
def vhostweb():
    return sladsl.load("contracts/vhostweb.sla")


@pytest.fixture(scope="module")
def rocksoft():
    return sladsl.load("contracts/rocksoft.sla")


# Friday 10 July 2026 and Monday 13 July 2026: neither is an Indonesian public holiday
# (2026 holidays near them: 16 June Islamic New Year, 17 August Independence Day).
FRIDAY = date(2026, 7, 10)
MONDAY = date(2026, 7, 13)


def gmt7(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=GMT7)


def test_the_chosen_dates_are_working_days(qiscus):
    holidays = qiscus.spec["calendars"]["office"]["holidays"]
    assert FRIDAY not in holidays and MONDAY not in holidays
    assert FRIDAY.weekday() == 4 and MONDAY.weekday() == 0


def test_qiscus_premium_critical_response_after_friday_1630_is_monday_0930(qiscus):
    # 30 min on Friday (16:30-17:00) + 30 min on Monday (09:00-09:30) = 1 h.
    due = qiscus.due("response", "Critical", gmt7(FRIDAY, 16, 30), plan="Premium")
    assert due == gmt7(MONDAY, 9, 30)
    assert due.utcoffset() == timedelta(hours=7)


def test_qiscus_premium_critical_resolution_8h_is_monday_1630(qiscus):
    # 8 h = 30 min on Friday (16:30-17:00) + 7 h 30 min on Monday (09:00-16:30).
    assert qiscus.due("resolution", "Critical", gmt7(FRIDAY, 16, 30), plan="Premium") == gmt7(MONDAY, 16, 30)


def test_qiscus_low_one_business_day_from_friday_evening_is_end_of_monday(qiscus):
    # SEMANTICS.md "Business days": Friday 20:00 anchors at Friday's close 17:00; one business
    # date later keeping 17:00 is Monday 17:00.
    assert qiscus.due("response", "Low", gmt7(FRIDAY, 20), plan="Premium") == gmt7(MONDAY, 17)


def test_business_days_skip_an_indonesian_holiday(qiscus):
    # Monday 15 June 2026 + 1 business day: Tuesday 16 June is a holiday, so Wednesday 17 June.
    opened = datetime(2026, 6, 15, 11, tzinfo=GMT7)
    assert qiscus.due("response", "Low", opened, plan="Premium") == datetime(2026, 6, 17, 11, tzinfo=GMT7)


def test_resolution_at_the_due_instant_is_met_one_second_later_breached(qiscus):
    opened = gmt7(FRIDAY, 16, 30)
    due = gmt7(MONDAY, 16, 30)
    on_time = qiscus.evaluate_ticket({"priority": "Critical", "plan": "Premium", "opened_at": opened,
                                      "resolved_at": due, "now": due + H})
    late = qiscus.evaluate_ticket({"priority": "Critical", "plan": "Premium", "opened_at": opened,
                                   "resolved_at": due + timedelta(seconds=1), "now": due + H})
    assert [r["status"] for r in on_time["results"] if r["metric"] == "resolution"] == ["met"]
    assert [r["status"] for r in late["results"] if r["metric"] == "resolution"] == ["breached"]
    # An event given in another zone is compared as an instant.
    utc_due = due.astimezone(ZoneInfo("UTC"))
    same = qiscus.evaluate_ticket({"priority": "Critical", "plan": "Premium", "opened_at": opened,
                                   "resolved_at": utc_due, "now": due + H})
    assert [r["status"] for r in same["results"] if r["metric"] == "resolution"] == ["met"]


def test_ticket_results_used_left_and_pending(qiscus):
    opened = gmt7(FRIDAY, 16, 30)
    result = qiscus.evaluate_ticket({"id": "T-1", "priority": "Critical", "plan": "Premium",
                                     "opened_at": opened, "first_response_at": gmt7(MONDAY, 9, 10),
                                     "now": gmt7(MONDAY, 10)})
    assert result["id"] == "T-1" and result["plan"] == "Premium" and result["priority"] == "Critical"
    response, resolution = result["results"]
    # Response: 30 min Friday + 10 min Monday used; due Monday 09:30; met.
    assert (response["metric"], response["status"], response["used"]) == ("response", "met", timedelta(minutes=40))
    assert response["target"] == "1h" and response["calendar"] == "office" and response["source_line"] == line_of("qiscus", "priority Critical respond 1h")
    # Resolution: still open at Monday 10:00: 30 min + 1 h used, 6 h 30 min left of 8 h.
    assert resolution["status"] == "pending" and resolution["event_at"] is None
    assert resolution["used"] == timedelta(hours=1, minutes=30)
    assert resolution["left"] == timedelta(hours=6, minutes=30)
    breached = qiscus.evaluate_ticket({"priority": "Critical", "plan": "Premium", "opened_at": opened,
                                       "now": gmt7(MONDAY, 16, 31)})
    assert [r["status"] for r in breached["results"]] == ["breached", "breached"]


def test_pauses_push_business_hour_and_business_day_targets(qiscus):
    monday_10 = gmt7(MONDAY, 10)
    # 1 h target with a 30 min pause inside it: due 11:30 instead of 11:00.
    pause = [(gmt7(MONDAY, 10, 30), gmt7(MONDAY, 11))]
    assert qiscus.due("response", "Critical", monday_10, plan="Premium", pauses=pause) == gmt7(MONDAY, 11, 30)
    # 1 business day from Monday 10:00 is Tuesday 10:00; a 2 h pause on Monday afternoon holds
    # 2 h of business time, so the due instant moves to Tuesday 12:00 (docs/embedding.md).
    tuesday = MONDAY + timedelta(days=1)
    pause = [(gmt7(MONDAY, 14), gmt7(MONDAY, 16))]
    assert qiscus.due("response", "Low", monday_10, plan="Premium") == gmt7(tuesday, 10)
    assert qiscus.due("response", "Low", monday_10, plan="Premium", pauses=pause) == gmt7(tuesday, 12)
    # A pause entirely outside business hours costs nothing.
    night = [(gmt7(MONDAY, 18), gmt7(MONDAY, 22))]
    assert qiscus.due("response", "Low", monday_10, plan="Premium", pauses=night) == gmt7(tuesday, 10)


def test_addon_targets_count_in_the_plans_hours(qiscus):
    opened = gmt7(FRIDAY, 10)
    # 8x7 Dedicated works every day: Sat, Sun, Mon are the 3 business days -> Monday 10:00.
    assert qiscus.due("resolution", "High", opened, plan="8x7 Dedicated", addons=["Resolution"]) == gmt7(MONDAY, 10)
    # Premium works weekdays: Mon, Tue, Wed -> Wednesday 10:00.
    wednesday = MONDAY + timedelta(days=2)
    assert qiscus.due("resolution", "High", opened, plan="Premium", addons=("Resolution",)) == gmt7(wednesday, 10)
    target = qiscus.target("resolution", "High", plan="Premium", addons=("Resolution",))
    assert target == {"metric": "resolution", "priority": "High", "seconds": None, "business_days": 3,
                      "text": "3 business days", "calendar": "office", "best_effort": False,
                      "low_text": None, "every": False, "negotiable": False, "after_response": False,
                      "until_restored": None, "start": None,
                      "source_line": line_of("qiscus", "priority High resolve 3 business days"), "origin": "addon Resolution"}
    # Without the add-on, Premium has no High resolution target.
    with pytest.raises(ValueError, match="no resolution target"):
        qiscus.due("resolution", "High", opened, plan="Premium")


def test_unknown_names_and_naive_datetimes_raise_value_errors(qiscus):
    opened = gmt7(FRIDAY, 10)
    with pytest.raises(ValueError, match=r"unknown plan `Gold`: plans are `Basic`, `Premium`, `8x7 Dedicated`, `24x7 Dedicated`"):
        qiscus.due("response", "Critical", opened, plan="Gold")
    with pytest.raises(ValueError, match="unknown priority `Urgent`: priorities are `Critical`"):
        qiscus.due("response", "Urgent", opened, plan="Premium")
    with pytest.raises(ValueError, match="unknown metric `reply`"):
        qiscus.due("reply", "Critical", opened, plan="Premium")
    with pytest.raises(ValueError, match="unknown channel `Fax`: channels are `Helpdesk`"):
        qiscus.due("response", "Critical", opened, plan="Premium", channel="Fax")
    with pytest.raises(ValueError, match="unknown add-on `Turbo`"):
        qiscus.due("response", "Critical", opened, plan="Premium", addons=["Turbo"])
    with pytest.raises(ValueError, match="naive datetime"):
        qiscus.due("response", "Critical", datetime(2026, 7, 10, 10), plan="Premium")
    with pytest.raises(ValueError, match="plans are"):  # plan=None on a four-plan contract
        qiscus.due("response", "Critical", opened)
    with pytest.raises(ValueError, match="unknown ticket field"):
        qiscus.evaluate_ticket({"priority": "Critical", "opened_at": opened, "resolved": opened})
    with pytest.raises(ValueError, match="before opened_at"):
        qiscus.evaluate_ticket({"priority": "Critical", "plan": "Premium", "opened_at": opened,
                                "resolved_at": opened - H})
    with pytest.raises(ValueError, match="unknown calendar `night`: calendars are `office`"):
        qiscus.calendar("night")


def test_escalation_steps(qiscus):
    assert qiscus.escalation("Premium", timedelta(hours=5, minutes=59))["role"] == "Technical Support"
    step = qiscus.escalation("Premium", timedelta(hours=6))
    assert step["role"] == "Account Manager" and step["start"] == 6 * H and step["end"] is None
    assert step["source_line"] == line_of("qiscus", '6h.. "Account Manager"')
    # 8x7's last step is bounded (2h..3h): past it the ladder stays on it.
    assert qiscus.escalation("8x7 Dedicated", timedelta(hours=10))["role"] == "Account Manager"
    # Counted in office hours: Friday 16:00 -> Monday 14:00 is 1 h + 5 h = 6 h.
    step = qiscus.escalation("Premium", opened_at=gmt7(FRIDAY, 16), now=gmt7(MONDAY, 14))
    assert step["role"] == "Account Manager"
    step = qiscus.escalation("Premium", opened_at=gmt7(FRIDAY, 16), now=gmt7(MONDAY, 13, 59))
    assert step["role"] == "Technical Support"
    assert qiscus.escalation("Basic", timedelta(hours=1)) is None  # Basic has no ladder
    with pytest.raises(ValueError, match="unknown plan `Gold`: plans are"):
        qiscus.escalation("Gold", timedelta(0))


def test_haisoft_phone_pickup_within_1_minute_30(haisoft):
    # Phone hours Mon-Fri 09:00-11:00, 13:00-16:00 (Europe/Paris); Monday 8 June 2026.
    def paris(h, m=0, s=0):
        return datetime(2026, 6, 8, h, m, s, tzinfo=PARIS)

    assert haisoft.due("pickup", None, paris(10), channel="Phone") == paris(10, 1, 30)
    assert haisoft.due("pickup", None, paris(8, 59), channel="Phone") == paris(9, 1, 30)
    # 30 s before the 11:00 close, 60 s after the 13:00 opening.
    assert haisoft.due("pickup", None, paris(10, 59, 30), channel="Phone") == paris(13, 1)
    assert haisoft.target("pickup", None, channel="Phone")["seconds"] == 90


def test_rocksoft_critical_resolution_4h_around_the_clock(rocksoft):
    opened = datetime(2026, 3, 8, 23, tzinfo=KL)
    assert rocksoft.due("resolution", "Critical", opened) == datetime(2026, 3, 9, 3, tzinfo=KL)
    assert rocksoft.due("response", "Non-Urgent", opened) == datetime(2026, 3, 8, 23, 45, tzinfo=KL)
    result = rocksoft.evaluate_ticket({"priority": "Critical", "opened_at": opened,
                                       "resolved_at": opened + 3 * H, "now": opened + 5 * H})
    resolution = result["results"][1]
    # Resolved after 3 h: within the 4 h best-effort bound, outside the 2 h of the 85% target.
    assert resolution["status"] == "met" and resolution["best_effort"] is True
    assert resolution["proportion"] == {"percent": F(85), "within": "2h", "met_by_ticket": False}


def june(day, hour=0, minute=0, zone=BANGKOK):
    return datetime(2026, 6, day, hour, minute, tzinfo=zone)


def test_vhostweb_9895_percent_owes_the_10_percent_tier(vhostweb):
    # June has 30 days = 2,592,000 s; 98.95% uptime = 1.05% down = 27,216 s.
    start = june(10)
    report = vhostweb.availability("Web hosting", "2026-06",
                                   [{"start": start, "end": start + timedelta(seconds=27216)}])
    assert report["uptime_percent"] == F(9895, 100) and report["met"] is False
    assert [(c["kind"], c["percent"], c["basis"]) for c in report["credits"]] == [("tiered", F(10), "monthly")]
    assert report["credits"][0]["source_line"] == line_of("vhostweb", "98.0%..98.9% -> 10%")


def test_vhostweb_exactly_999_owes_nothing(vhostweb):
    start = june(10)  # 0.1% of 2,592,000 s = 2,592 s
    report = vhostweb.availability("Web hosting", "2026-06",
                                   [{"start": start, "end": start + timedelta(seconds=2592)}])
    assert report["uptime_percent"] == F(999, 10) and report["met"] is True and report["credits"] == []
    one_more = vhostweb.availability("Web hosting", "2026-06",
                                     [{"start": start, "end": start + timedelta(seconds=2593)}])
    assert [c["percent"] for c in one_more["credits"]] == [F(5)]


def test_vhostweb_downtime_starts_at_the_earlier_of_report_and_detection(vhostweb):
    outage = {"start": june(10, 10), "end": june(10, 11),
              "reported_at": june(10, 10, 10), "detected_at": june(10, 10, 20)}
    assert vhostweb.availability("Web hosting", "2026-06", [outage])["downtime_seconds"] == 50 * 60
    only_detection = {"start": june(10, 10), "end": june(10, 11), "detected_at": june(10, 10, 20)}
    assert vhostweb.availability("Web hosting", "2026-06", [only_detection])["downtime_seconds"] == 40 * 60
    no_fields = {"start": june(10, 10), "end": june(10, 11)}
    assert vhostweb.availability("Web hosting", "2026-06", [no_fields])["downtime_seconds"] == 60 * 60


def test_vhostweb_maintenance_over_the_limit_counts_in_full(vhostweb):
    # "Maintenance, as long as this is done outside office hours and less than 8 hours per month"
    # is excluded; the contract reads it as written: a month over 8 hours counts all of it.
    # Saturday 6 June 2026 08:00-18:00 is outside office hours: 10 h > 8 h, so all 10 h count.
    saturday = (june(6, 8), june(6, 18))
    report = vhostweb.availability("Web hosting", "2026-06", [], maintenance=[saturday])
    assert report["downtime_seconds"] == 10 * 3600
    # 7 h on Saturday (within the limit) and exactly 8 h (the reading keeps it within): none counts.
    for hours in (7, 8):
        within = vhostweb.availability("Web hosting", "2026-06", [], maintenance=[(june(6, 8), june(6, 8 + hours))])
        assert within["downtime_seconds"] == 0, hours
    # Monday 8 June 10:00-12:00 is inside office hours: all of it counts.
    monday = (june(8, 10), june(8, 12))
    assert vhostweb.availability("Web hosting", "2026-06", [], maintenance=[monday])["downtime_seconds"] == 2 * 3600
    both = vhostweb.availability("Web hosting", "2026-06", [], maintenance=[saturday, monday])
    assert both["downtime_seconds"] == 12 * 3600
    # Force majeure exclusions are not downtime.
    excluded = vhostweb.availability("Web hosting", "2026-06", [{"start": june(9, 1), "end": june(9, 3)}],
                                     [(june(9, 2), june(9, 5))])
    assert excluded["downtime_seconds"] == 3600
    assert excluded["outages"] == [(june(9, 1), june(9, 2))]


def test_haisoft_per_outage_credits(haisoft):
    start = datetime(2026, 5, 5, 10, tzinfo=PARIS)
    three_hours = [{"start": start, "end": start + 3 * H}]
    # 3 h = the first hour + two started 60-minute periods: 2 x 3.3% = 6.6%, 2 x 0.27% = 0.54%.
    monthly = haisoft.availability("Network", "2026-05", three_hours)["credits"]
    assert [(c["kind"], c["periods"], c["percent"], c["basis"]) for c in monthly] == [
        ("per_outage", 2, F(66, 10), "monthly")]
    annual = haisoft.availability("Network", "2026-05", three_hours, billing="annual")["credits"]
    assert [(c["periods"], c["percent"], c["basis"]) for c in annual] == [(2, F(54, 100), "annual")]
    one_hour = haisoft.availability("Network", "2026-05", [{"start": start, "end": start + H}])
    assert one_hour["credits"] == []
    # Ten 5 h outages: 10 x 4 periods x 3.3% = 132%, capped at 50% (annual: 1/24 = 25/6 %).
    many = [{"start": start + timedelta(days=i), "end": start + timedelta(days=i, hours=5)} for i in range(10)]
    capped = haisoft.availability("Network", "2026-05", many)["credits"][0]
    assert (capped["periods"], capped["percent"], capped["capped"]) == (40, F(50), True)
    capped = haisoft.availability("Network", "2026-05", many, billing="annual")["credits"][0]
    assert (capped["percent"], capped["capped"]) == (F(25, 6), True)
    with pytest.raises(ValueError, match="unknown billing"):
        haisoft.availability("Network", "2026-05", many, billing="weekly")


def test_rocksoft_extension_is_downtime_beyond_the_allowance(rocksoft):
    # June 2026: 30 days; 0.05% of 2,592,000 s = 1,296 s = 21 min 36 s allowed.
    start = datetime(2026, 6, 3, tzinfo=KL)
    report = rocksoft.availability("Server", "2026-06", [{"start": start, "end": start + H}])
    assert report["met"] is False
    assert [(c["kind"], c["extension_seconds"]) for c in report["credits"]] == [("extension", 3600 - 1296)]
    edge = rocksoft.availability("Network", "2026-06", [{"start": start, "end": start + timedelta(seconds=1296)}])
    assert edge["uptime_percent"] == F(9995, 100) and edge["met"] is True and edge["credits"] == []


def test_availability_errors(rocksoft):
    start = datetime(2026, 6, 3, tzinfo=KL)
    with pytest.raises(ValueError, match="unknown service `Mail`: services are `Server`, `Network`"):
        rocksoft.availability("Mail", "2026-06", [])
    with pytest.raises(ValueError, match="invalid period"):
        rocksoft.availability("Server", "June", [])
    with pytest.raises(ValueError, match="ends before it starts"):
        rocksoft.availability("Server", "2026-06", [{"start": start, "end": start - H}])
    with pytest.raises(ValueError, match="naive"):
        rocksoft.availability("Server", "2026-06", [{"start": datetime(2026, 6, 3), "end": start}])


def test_channel_default_and_only_priorities():
    rocket = sladsl.load("contracts/rocketchat.sla")
    opened = datetime(2026, 6, 3, 10, tzinfo=ZoneInfo("America/Sao_Paulo"))
    # Email tickets default to Medium; the legacy plans publish no figures, so no results.
    result = rocket.evaluate_ticket({"priority": None, "channel": "Email", "plan": "Gold", "opened_at": opened})
    assert result["priority"] == "Medium" and result["results"] == []
    with pytest.raises(ValueError, match="channel `Phone` takes only priorities `High`, not `Low`"):
        rocket.evaluate_ticket({"priority": "Low", "channel": "Phone", "plan": "Gold", "opened_at": opened})


def test_load_reports_contract_errors(tmp_path):
    bad = tmp_path / "bad.sla"
    bad.write_text('contract "X" {\n  plan P {\n    respond 2 fortnights\n  }\n}\n', encoding="utf-8")
    with pytest.raises(sladsl.ContractError) as info:
        sladsl.load(bad)
    assert isinstance(info.value, ValueError)
    assert "error" in str(info.value) and info.value.diagnostics


def test_a_question_beyond_the_frozen_holiday_years_is_an_error_not_a_guess(qiscus):
    # contracts/qiscus.sla freezes Indonesian holidays for 2020..2035; 2036's are unknown to it.
    from sladsl.runtime import HolidaysNotFrozen

    with pytest.raises(HolidaysNotFrozen, match="frozen for 2020-2035"):
        qiscus.due("response", "Critical", gmt7(date(2036, 3, 3), 10), plan="Premium")
    # The 24x7 Dedicated plan's calendar has no holidays, so any year can be asked.
    assert qiscus.due("response", "Critical", gmt7(date(2036, 3, 3), 10), plan="24x7 Dedicated") == gmt7(
        date(2036, 3, 3), 11)
