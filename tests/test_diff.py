"""`sladsl diff`: the semantic difference of two contract versions.

Expected changes are read off the contract texts below (and, for credit tables, off the table rows
and the gap rule of SEMANTICS.md), never from running the diff.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from sladsl.cli import cli
from sladsl.diff import diff
from sladsl.fmt import format_text
from sladsl.pipeline import Source, compile_source

CONTRACTS = sorted(Path(__file__).resolve().parent.parent.joinpath("contracts").glob("*.sla"))

BASE = """\
contract "Demo" {
  title "Demo support"
  effective 2026-03-01
  calendar office = Mon-Fri 09:00-17:00 UTC
  calendar always = 24x7 UTC
  priorities Urgent, Normal
  plan Gold {
    hours office
    priority Urgent respond 1h resolve 8h
    priority Normal respond 4h
    feature "Phone support."
    feature "Email support."
  }
  plan Silver {
    hours office
    priority Urgent respond 2h
  }
  service Hosting {
    availability 99.9% per month
    credit tiers of monthly fee {
      99.0% .. 99.9% -> 5%
      98.0% .. 98.9% -> 10%
      below 98.0% -> 25%
      gaps favour customer
    }
  }
}
"""


def model(text: str, name: str = "demo.sla"):
    result = compile_source(Source(name, text))
    assert result.ok, [d.message for d in result.diagnostics]
    return result.contract


def changes(old: str, new: str) -> list[str]:
    return [c.sentence() for c in diff(model(old), model(new))]


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# ---- no difference in meaning -----------------------------------------------------------------

@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_a_contract_equals_itself_and_its_formatted_text(path):
    text = path.read_text(encoding="utf-8")
    formatted, diagnostics = format_text(text, path.name)
    assert formatted is not None, diagnostics
    assert diff(model(text), model(formatted)) == []


def test_layout_comments_and_declaration_order_are_no_change():
    shuffled = BASE.replace('    feature "Phone support."\n    feature "Email support."\n',
                            '    feature "Email support."   # reordered\n\n    feature "Phone support."\n')
    plans = re.search(r"  plan Gold \{.*?\n  \}\n", shuffled, re.S).group(0)
    shuffled = shuffled.replace(plans, "")
    shuffled = shuffled.replace("  service Hosting", plans + "  service Hosting")
    assert changes(BASE, shuffled) == []


def test_a_renamed_calendar_with_the_same_hours_is_no_change():
    renamed = re.sub(r"\boffice\b", "business_hours", BASE)
    assert changes(BASE, renamed) == []


def _calendar_names(text: str) -> list[str]:
    return re.findall(r"^\s*calendar ([A-Za-z_][A-Za-z0-9_]*) ", text, re.M)


def _outside_strings(text: str, change) -> str:
    """Apply `change` to the code between string literals and comments only."""
    parts = re.split(r'("(?:[^"\\]|\\.)*"|#[^\n]*)', text)
    return "".join(part if i % 2 else change(part) for i, part in enumerate(parts))


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(CONTRACTS), st.randoms(use_true_random=False))
def test_renames_and_formatting_never_change_the_meaning(path, rnd: random.Random):
    text = path.read_text(encoding="utf-8")
    renamed = text
    for name in _calendar_names(text):
        if rnd.random() < 0.7:
            fresh = f"cal_{name}_{rnd.randrange(99)}"
            renamed = _outside_strings(renamed, lambda code, name=name, fresh=fresh: re.sub(
                rf"\b(calendar|hours|within|outside)(\s+){name}\b", rf"\1\2{fresh}", code))
    formatted, _ = format_text(renamed, path.name)
    assert formatted is not None
    assert diff(model(text), model(formatted)) == []


# ---- each kind of change ----------------------------------------------------------------------

def test_targets_tightened_and_loosened_per_plan_priority_and_metric():
    new = edit(BASE, "priority Urgent respond 1h resolve 8h", "priority Urgent respond 30m resolve 12h")
    assert changes(BASE, new) == [
        "plan Gold: Urgent response target tightened: 1h -> 30m",
        "plan Gold: Urgent resolution target loosened: 8h -> 12h",
    ]


def test_a_target_moved_to_another_calendar_is_a_change_in_meaning():
    new = edit(BASE, "priority Normal respond 4h", "priority Normal respond 4h within always")
    assert changes(BASE, new) == [
        "plan Gold: Normal response target changed: 4h within Mon-Fri 09:00-17:00 UTC -> 4h within 24x7 UTC"]


def test_targets_added_and_removed():
    new = edit(BASE, "    priority Normal respond 4h\n", "")
    new = edit(new, "priority Urgent respond 2h", "priority Urgent respond 2h\n    priority Normal respond 1 business day")
    assert changes(BASE, new) == [
        "plan Gold: Normal response target removed (was 4h within Mon-Fri 09:00-17:00 UTC)",
        "plan Silver: Normal response target added: 1 business day within Mon-Fri 09:00-17:00 UTC",
    ]


def test_calendar_hours_zone_and_holidays():
    new = edit(BASE, "calendar office = Mon-Fri 09:00-17:00 UTC",
               "calendar office = Mon-Fri 09:00-18:00 UTC except 2026-12-24")
    found = diff(model(BASE), model(new))
    sentences = [c.sentence() for c in found]
    assert "calendar office: hours changed: Mon-Fri 09:00-17:00 UTC -> Mon-Fri 09:00-18:00 UTC" in sentences
    holidays = [c for c in found if c.what == "holidays in 2026"]
    assert [c.details for c in holidays] == [("added 2026-12-24",)]
    # The plans using `office` change meaning too: their hours are reported once each.
    assert "plan Gold: hours changed: Mon-Fri 09:00-17:00 UTC -> Mon-Fri 09:00-18:00 UTC, 1 holiday dates" in sentences


def test_credit_tables_are_compared_as_functions_of_uptime():
    new = edit(BASE, "98.0% .. 98.9% -> 10%", "98.0% .. 98.9% -> 15%")
    found = diff(model(BASE), model(new))
    assert len(found) == 1 and found[0].what == "credit table"
    details = found[0].details
    # Rows 98.0-98.9 pay 10% before, 15% after; the gap 98.9-99.0 favours the customer, so it
    # follows the larger neighbour: 10% (old) and 15% (new) too. Nothing else moves.
    assert details == ("from 98% to below 99% the credit goes from 10% to 15%",)


def test_the_availability_target_and_the_top_edge_of_the_table():
    new = edit(BASE, "availability 99.9% per month", "availability 99.5% per month")
    found = diff(model(BASE), model(new))
    assert found[0].sentence() == "service Hosting: availability target loosened: 99.9% -> 99.5%"
    # Between 99.5% and 99.9% the old contract paid 5%; the new one pays nothing.
    assert found[1].details == ("from 99.5% to below 99.9% the credit goes from 5% to 0%",)


def test_what_counts_as_downtime_is_meaning():
    counted = edit(BASE, "availability 99.9% per month", "availability 99.9% per month\n"
                   "    downtime counts outages longer than 5m\n    downtime in 5m intervals\n"
                   "    measured per region in eu, us")
    assert changes(BASE, counted) == [
        "service Hosting: minimum outage added: outages longer than 5m",
        "service Hosting: downtime intervals added: 5m intervals (any downtime)",
        "service Hosting: measurement scopes added: per region in eu, us, overall each",
    ]
    other = edit(edit(counted, "longer than 5m", "of at least 5m"), "in eu, us", "in eu, us overall all-down")
    assert changes(counted, other) == [
        "service Hosting: minimum outage changed: outages longer than 5m -> outages of at least 5m",
        "service Hosting: measurement scopes changed: per region in eu, us, overall each -> "
        "per region in eu, us, overall all-down",
    ]
    weighted = edit(counted, "downtime in 5m intervals", "downtime weighted by impact")
    assert changes(counted, weighted) == [
        "service Hosting: downtime intervals removed (was 5m intervals (any downtime))",
        "service Hosting: impact weighting added: weighted by impact",
    ]


def test_a_rolling_window_is_meaning():
    rolling = edit(BASE, "availability 99.9% per month", "availability 99.9% per rolling 30 days")
    assert "service Hosting: rolling days added: 30" in changes(BASE, rolling)
    claim = edit(rolling, "rolling 30 days", "rolling 365 days before claim")
    assert changes(rolling, claim) == ["service Hosting: rolling days changed: 30 -> 365",
                                       "service Hosting: before claim changed: no -> yes"]


def test_a_billing_period_is_meaning():
    billing = edit(BASE, "availability 99.9% per month", "availability 99.9% per billing month from activation")
    assert "service Hosting: billing changed: no -> yes" in changes(BASE, billing)
    dated = edit(billing, "from activation", "from 2026-01-17")
    assert changes(billing, dated) == ["service Hosting: activated added: 2026-01-17"]


def test_partial_periods_are_meaning():
    prorated = edit(BASE, "availability 99.9% per month\n", "availability 99.9% per month\n    partial periods credit prorated fee\n")
    assert "service Hosting: partial fee added: prorated" in changes(BASE, prorated)
    full = edit(prorated, "prorated fee", "full fee")
    assert changes(prorated, full) == ["service Hosting: partial fee changed: prorated -> full"]


def test_counts_are_meaning():
    ratio = edit(BASE, "availability 99.9% per month\n",
                 "availability 99.9% per month\n    measured by requests in 1m intervals good / total\n")
    assert "service Hosting: measured by added: requests in 1m intervals, good / total" in changes(BASE, ratio)
    minutes = edit(ratio, "good / total", "down when error rate above 5%")
    assert changes(ratio, minutes) == ["service Hosting: measured by changed: requests in 1m intervals, good / "
                                       "total -> requests in 1m intervals, down when error rate above 5%"]


def test_plans_services_prose_and_readings_added_or_removed():
    new = edit(BASE, '    feature "Email support."\n', "")
    new = edit(new, "  plan Silver {", '  reading "fast" as "Urgent means production down."\n  plan Silver {')
    new = edit(new, "  service Hosting {", "  plan Bronze {\n    hours office\n  }\n  service Hosting {")
    assert changes(BASE, new) == [
        "plan Bronze: plan added: Bronze",
        "plan Gold: prose removed (was Email support.)",
        'contract: reading added: topic none; quote fast; meaning Urgent means production down.; scope contract',
    ]


def test_priority_order_is_meaning():
    new = edit(BASE, "priorities Urgent, Normal", "priorities Normal, Urgent")
    assert "contract: priority order (most severe first) changed: Urgent, Normal -> Normal, Urgent" in changes(BASE, new)


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_the_diff_bites_on_every_duration_of_every_contract(path):
    """Change any one duration literal of a real contract: the diff must see it (or the checker
    must reject the edit)."""
    text = path.read_text(encoding="utf-8")
    before = model(text)
    spots = list(re.finditer(r"(?<=\s)(\d+)(h|m| business days?)(?=[\s)]|$)", text))
    for spot in spots:
        mutated = text[:spot.start()] + f"{int(spot.group(1)) + 1}{spot.group(2)}" + text[spot.end():]
        result = compile_source(Source(path.name, mutated))
        if result.ok:
            assert diff(before, result.contract), f"{path.name}: {spot.group(0)} at {spot.start()}"


# ---- the command ------------------------------------------------------------------------------

def run(*args: str, cwd: Path | None = None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_exit_codes_and_formats(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("old.sla").write_text(BASE)
    Path("same.sla").write_text(re.sub(r"\boffice\b", "hours9to5", BASE))
    Path("new.sla").write_text(edit(BASE, "priority Urgent respond 2h", "priority Urgent respond 1h"))
    Path("bad.sla").write_text("contract {")
    same = run("diff", "old.sla", "same.sla")
    assert (same.exit_code, same.output) == (0, "no difference in meaning\n")
    changed = run("diff", "old.sla", "new.sla")
    assert changed.exit_code == 1
    assert changed.output == ("plan Silver: Urgent response target tightened: 2h -> 1h\n"
                              "1 change(s) in meaning\n")
    notice = run("diff", "old.sla", "new.sla", "--format", "markdown")
    assert "From 1 March 2026, the following changes apply:" in notice.output
    assert "- Silver plan: Urgent first response target is 1h instead of 2h (shorter)" in notice.output
    data = json.loads(run("diff", "old.sla", "new.sla", "--format", "json").output)
    assert data["changed"] == 1 and data["same"] is False
    assert data["changes"][0]["kind"] == "tightened"
    assert run("diff", "old.sla", "bad.sla").exit_code == 2
    assert run("diff", "old.sla", "missing.sla").exit_code == 2


def test_cli_reads_git_revisions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], check=True)
    Path("c").mkdir()
    Path("c/x.sla").write_text(BASE)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "one"], check=True)
    Path("c/x.sla").write_text(edit(BASE, "availability 99.9%", "availability 99.95%"))
    result = run("diff", "c/x.sla@HEAD", "c/x.sla")
    assert result.exit_code == 1
    assert "service Hosting: availability target tightened: 99.9% -> 99.95%" in result.output
    assert run("diff", "c/x.sla@nope", "c/x.sla").exit_code == 2


def test_contract_text_reaches_the_terminal_escaped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("old.sla").write_text(BASE)
    Path("new.sla").write_text(edit(BASE, 'feature "Phone support."', 'feature "Phone \\u001b]0;owned\\u0007"'))
    result = run("diff", "old.sla", "new.sla")
    assert "\x1b" not in result.output and "\x07" not in result.output


# ---- replay ------------------------------------------------------------------------------------
# BASE: office Mon-Fri 09:00-17:00 UTC; Silver Urgent responds within 2h, then 1h in NEW_SILVER.
# 2026-05-04 is a Monday. Due instants worked by hand:
#   T1 opened Mon 09:00, responded 10:30: old due 11:00 (met), new due 10:00 (breached)
#   T2 opened Mon 09:00, responded 09:30: met under both
#   T3 opened Mon 16:30, responded Tue 09:45: old due Tue 10:30 (met), new Tue 09:30 (breached)
#   T4 Gold, unaffected: opened Mon 09:00, Urgent respond 1h, responded 09:59 (met under both)
TICKETS = """\
id,priority,plan,opened_at,first_response_at,resolved_at
T1,Urgent,Silver,2026-05-04T09:00:00Z,2026-05-04T10:30:00Z,2026-05-04T12:00:00Z
T2,Urgent,Silver,2026-05-04T09:00:00Z,2026-05-04T09:30:00Z,2026-05-04T12:00:00Z
T3,Urgent,Silver,2026-05-04T16:30:00Z,2026-05-05T09:45:00Z,2026-05-05T12:00:00Z
T4,Urgent,Gold,2026-05-04T09:00:00Z,2026-05-04T09:59:00Z,2026-05-04T12:00:00Z
"""
NEW_SILVER = BASE.replace("priority Urgent respond 2h", "priority Urgent respond 1h")

# May 2026 has 31 days = 2,678,400 s. Outages of 12h (43,200 s): uptime 98.387%, in the
# 98.0-98.9 row: 10% under BASE, 15% under NEW_TIERS. April: one 1h outage, 99.86%: 5% both.
INCIDENTS = """\
start,end,kind
2026-05-10T00:00:00Z,2026-05-10T12:00:00Z,outage
2026-04-10T00:00:00Z,2026-04-10T01:00:00Z,outage
"""
NEW_TIERS = BASE.replace("98.0% .. 98.9% -> 10%", "98.0% .. 98.9% -> 15%")


def test_replay_reports_the_verdicts_that_change(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("old.sla").write_text(BASE)
    Path("new.sla").write_text(NEW_SILVER)
    Path("t.csv").write_text(TICKETS)
    result = run("diff", "old.sla", "new.sla", "--tickets", "t.csv", "--now", "2026-06-01T00:00:00Z",
                 "--format", "json")
    assert result.exit_code == 1
    replay = json.loads(result.output)["replay"]["tickets"]
    assert replay["changed"] == 2
    assert sorted((t["id"], t["old"], t["new"]) for t in replay["changed_tickets"]) == [
        ("T1", "met", "breached"), ("T3", "met", "breached")]
    (silver,) = [row for row in replay["by_key"] if row["metric"] == "response"]
    assert (silver["plan"], silver["priority"], silver["changed"]) == ("Silver", "Urgent", 2)
    assert silver["transitions"] == {"met -> breached": 2}
    assert (silver["compliance_before"], silver["compliance_after"]) == ("100%", "33.3333%")
    text = run("diff", "old.sla", "new.sla", "--tickets", "t.csv", "--now", "2026-06-01T00:00:00Z")
    assert "replay of 4 ticket(s)" in text.output and "met -> breached 2" in text.output


def test_replay_reports_the_credits_that_change(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("old.sla").write_text(BASE)
    Path("new.sla").write_text(NEW_TIERS)
    Path("i.csv").write_text(INCIDENTS)
    result = run("diff", "old.sla", "new.sla", "--incidents", "i.csv", "--period", "2026-Q2",
                 "--format", "json")
    incidents = json.loads(result.output)["replay"]["incidents"]
    assert (incidents["periods"], incidents["changed"]) == (3, 1)
    (may,) = incidents["changes"]
    assert may["period_start"].startswith("2026-05-01")
    assert (may["old_credits"], may["new_credits"]) == (["10% of the fee"], ["15% of the fee"])
    assert run("diff", "old.sla", "new.sla", "--incidents", "i.csv").exit_code == 2  # no --period


def test_replay_of_identical_versions_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("old.sla").write_text(BASE)
    Path("t.csv").write_text(TICKETS)
    result = run("diff", "old.sla", "old.sla", "--tickets", "t.csv", "--now", "2026-06-01T00:00:00Z",
                 "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["replay"]["tickets"]["changed"] == 0


# The same tickets as TICKETS, their timelines given as an event log (`eval --events`). T3 waits on
# the customer from Mon 16:40 to Tue 09:30 (`--pause-status waiting`): 10 min of business time
# before the pause, so old 2h is due Tue 09:30 + 1h50 = 11:20 and new 1h Tue 09:30 + 50m = 10:20;
# its reply at 09:45 is met under both (flat, without the pause, it went met -> breached).
EVENT_TICKETS = "id,priority,plan,opened_at\n" + "".join(
    ",".join(line.split(",")[:4]) + "\n" for line in TICKETS.splitlines()[1:])
EVENTS = """\
id,at,event,value
T1,2026-05-04T10:30:00Z,reply,
T1,2026-05-04T12:00:00Z,resolved,
T2,2026-05-04T09:30:00Z,reply,
T2,2026-05-04T12:00:00Z,resolved,
T3,2026-05-04T16:40:00Z,status,waiting
T3,2026-05-05T09:30:00Z,status,open
T3,2026-05-05T09:45:00Z,reply,
T3,2026-05-05T12:00:00Z,resolved,
T4,2026-05-04T09:59:00Z,reply,
T4,2026-05-04T12:00:00Z,resolved,
"""


def test_replay_with_an_event_log(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("old.sla").write_text(BASE)
    Path("new.sla").write_text(NEW_SILVER)
    Path("t.csv").write_text(EVENT_TICKETS)
    Path("e.csv").write_text(EVENTS)
    args = ("diff", "old.sla", "new.sla", "--tickets", "t.csv", "--events", "e.csv",
            "--now", "2026-06-01T00:00:00Z", "--format", "json")
    replay = json.loads(run(*args, "--pause-status", "waiting").output)["replay"]["tickets"]
    assert [(t["id"], t["old"], t["new"]) for t in replay["changed_tickets"]] == [
        ("T1", "met", "breached")]
    (silver,) = [row for row in replay["by_key"] if row["metric"] == "response"]
    assert (silver["changed"], silver["due_moved"]) == (1, 2)  # T2 and T3 met, due earlier
    # Without the pause status the log says what TICKETS says: T1 and T3 change.
    plain = json.loads(run(*args).output)["replay"]["tickets"]
    assert sorted(t["id"] for t in plain["changed_tickets"]) == ["T1", "T3"]
    assert run("diff", "old.sla", "new.sla", "--events", "e.csv").exit_code == 2  # no --tickets


def test_replay_event_log_due_instants_by_hand(tmp_path):
    from datetime import datetime, timezone

    from sladsl.pipeline import compile_text
    from sladsl.replay import EventLog, Side, replay_tickets
    from sladsl.runtime.evaluator import Evaluator
    from sladsl.to_spec import to_spec

    sides = []
    for text in (BASE, NEW_SILVER):
        contract = compile_text(text, "x.sla").contract
        sides.append(Side(contract, Evaluator(to_spec(contract))))
    (tmp_path / "t.csv").write_text(EVENT_TICKETS)
    (tmp_path / "e.csv").write_text(EVENTS)
    result = replay_tickets(*sides, tmp_path / "t.csv", datetime(2026, 6, 1, tzinfo=timezone.utc),
                            EventLog(tmp_path / "e.csv", ("waiting",)))
    (t3,) = [c for c in result.changes if c.id == "T3"]
    assert (t3.old, t3.new) == ("met", "met")
    assert (t3.old_due, t3.new_due) == (int(datetime(2026, 5, 5, 11, 20, tzinfo=timezone.utc).timestamp()),
                                        int(datetime(2026, 5, 5, 10, 20, tzinfo=timezone.utc).timestamp()))


def test_holiday_rules_ranges_and_set_edits_are_seen():
    """docs/language.md "Holidays": each new holiday item changes the frozen dates, which diff reports."""
    old = edit(BASE, "calendar office = Mon-Fri 09:00-17:00 UTC",
               "calendar office = Mon-Fri 09:00-17:00 UTC except holidays(US) 2026..2026")
    edits = {
        'without "Columbus Day"': ("removed 2026-10-12",),
        "without \"Columbus Day\", day after fourth Thu of Nov": ("added 2026-11-27", "removed 2026-10-12"),
        ", Dec 28 - Dec 30": ("added 2026-12-28", "added 2026-12-29", "added 2026-12-30"),
        ", 2026-03-02 - 2026-03-03": ("added 2026-03-02", "added 2026-03-03"),
    }
    for clause, details in edits.items():
        new = old.replace("2026..2026", "2026..2026 " + clause)
        found = [c for c in diff(model(old), model(new)) if c.what == "holidays in 2026"]
        assert found and found[0].details == details, (clause, [c.details for c in found])


def test_windows_across_midnight_and_holiday_hours_are_seen():
    old = edit(BASE, "calendar office = Mon-Fri 09:00-17:00 UTC",
               "calendar office = Mon-Fri 09:00-17:00 UTC except 2026-12-24")
    for new_text, seen in (
        ("Mon-Fri 17:00-09:00 next day UTC except 2026-12-24", "Mon 17:00-24:00"),
        ("Sun 14:00-Fri 17:00 UTC except 2026-12-24", "Sun 14:00-24:00"),
        ("Mon-Fri 09:00-17:00 UTC except 2026-12-24 on holidays 24x7", "on holidays 00:00-24:00"),
    ):
        new = old.replace("Mon-Fri 09:00-17:00 UTC except 2026-12-24", new_text)
        sentences = [c.sentence() for c in diff(model(old), model(new))]
        assert any(s.startswith("calendar office: hours changed") and seen in s for s in sentences), sentences


def test_dated_maintenance_windows_and_credit_life_are_meaning():
    # A dated window, its backup and the scopes it affects decide which downtime is excused;
    # posting and expiry lines decide the dates a credit is posted and lapses.
    window = edit(BASE, "availability 99.9% per month", "availability 99.9% per month\n"
                  "    maintenance on 2026-05-10 02:00-06:00 backup 2026-05-17 02:00-06:00")
    assert changes(BASE, window) == [
        "service Hosting: maintenance window added: 2026-05-10 02:00-06:00, backup 2026-05-17 02:00-06:00"]
    moved = edit(window, "backup 2026-05-17", "backup 2026-05-24")
    assert changes(window, moved) == [
        "service Hosting: maintenance window removed (was 2026-05-10 02:00-06:00, backup 2026-05-17 02:00-06:00)",
        "service Hosting: maintenance window added: 2026-05-10 02:00-06:00, backup 2026-05-24 02:00-06:00"]
    life = edit(BASE, "gaps favour customer", "gaps favour customer\n      post on next invoice\n"
                "      expire 12 months after issue")
    shorter = edit(life, "12 months", "6 months")
    assert changes(life, shorter) == [
        "service Hosting, credit table: credit expiry changed: 12 month(s) after issue -> "
        "6 month(s) after issue"]
    claimed = edit(life, "post on next invoice", 'post within 30 days after claim\n'
                   '      claim at "credits@example.com"\n      claim within 2 billing cycles after period end')
    assert changes(life, claimed) == [
        "service Hosting, credit table: claim window added: 2 billing cycles after the period ends",
        "service Hosting, credit table: claim address added: credits@example.com",
        "service Hosting, credit table: credit posting changed: on the next invoice -> "
        "within 30 days after the claim"]
