"""`sladsl eval`, `sladsl uptime`, `sladsl explain` on small hand-made files.

Expected values are computed by hand from the seeds and SEMANTICS.md (worked out in the comments),
never by running the code under test.
"""

from __future__ import annotations

import json
from datetime import timedelta, timezone
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from sladsl.cli import cli

ROOT = Path(__file__).resolve().parent.parent
QISCUS = str(ROOT / "contracts" / "qiscus.sla")
VHOSTWEB = str(ROOT / "contracts" / "vhostweb.sla")
HAISOFT = str(ROOT / "contracts" / "haisoft.sla")
ROCKSOFT = str(ROOT / "contracts" / "rocksoft.sla")
HEADER = "id,priority,plan,addons,channel,opened_at,first_response_at,resolved_at,pauses\n"
WIB = timezone(timedelta(hours=7))
# The line of HaiSoft's `pickup 1'30"` target, read from the contract text itself.
PICKUP_LINE = next(n for n, line in enumerate(
    Path(HAISOFT).read_text(encoding="utf-8").splitlines(), 1) if "pickup 1'30" in line)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def eval_json(contract: str, tickets: str, *extra: str) -> dict:
    result = run("eval", contract, "--tickets", tickets, "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def results_by_ticket(document: dict) -> dict:
    return {(t["id"], r["metric"]): r for t in document["tickets"] for r in t["results"]}


# -- eval: the breach edge (SEMANTICS.md "Due instants") ---------------------------------------

def test_qiscus_friday_afternoon_critical(tmp_path):
    # Premium Critical: respond within 1h of office hours (Mon-Fri 09:00-17:00 GMT+7). Opened
    # Friday 2026-05-08 16:30: 30 min on Friday, 30 min on Monday 2026-05-11 -> due 09:30.
    # Neither date is an Indonesian holiday (May 2026: 1st, 14th, 27th, 31st).
    tickets = write(tmp_path, "tickets.csv", HEADER
                    + "on-time,Critical,Premium,,,2026-05-08T16:30:00+07:00,2026-05-11T09:30:00+07:00,,\n"
                    + "late,Critical,Premium,,,2026-05-08T16:30:00+07:00,2026-05-11T09:30:01+07:00,,\n")
    found = results_by_ticket(eval_json(QISCUS, tickets, "--now", "2026-05-11T12:00:00+07:00"))
    on_time, late = found[("on-time", "response")], found[("late", "response")]
    assert on_time["due"] == late["due"] == "2026-05-11T09:30:00+07:00"
    assert (on_time["status"], on_time["used_seconds"], on_time["left_seconds"]) == ("met", 3600, None)
    assert (late["status"], late["used_seconds"]) == ("breached", 3601)


def test_qiscus_due_on_the_close_and_after_hours_reply(tmp_path):
    # Opened Friday 16:00, 1h budget: it runs out exactly at the 17:00 close, so the due instant
    # is Friday 17:00, and a reply at 17:05 (after hours) is late.
    tickets = write(tmp_path, "tickets.csv", HEADER
                    + "T,Critical,Premium,,,2026-05-08T16:00:00+07:00,2026-05-08T17:05:00+07:00,,\n")
    found = results_by_ticket(eval_json(QISCUS, tickets, "--now", "2026-05-11T12:00:00+07:00"))
    assert found[("T", "response")]["due"] == "2026-05-08T17:00:00+07:00"
    assert found[("T", "response")]["status"] == "breached"
    assert found[("T", "response")]["used_seconds"] == 3600  # 17:00-17:05 is after hours


def test_eval_pending_left_and_business_days(tmp_path):
    # Low: 1 business day. Opened Friday 20:00 (after hours): anchor at Friday's 17:00 close,
    # one business date later is Monday, same clock time 17:00 (SEMANTICS.md "Business days").
    # Judged Monday 16:00: pending, 7h used (Monday 09:00-16:00), 1h left.
    tickets = write(tmp_path, "tickets.csv", HEADER
                    + "L,Low,Premium,,,2026-05-08T20:00:00+07:00,,,\n")
    found = results_by_ticket(eval_json(QISCUS, tickets, "--now", "2026-05-11T16:00:00+07:00"))
    low = found[("L", "response")]
    assert low["due"] == "2026-05-11T17:00:00+07:00"
    assert (low["status"], low["used_seconds"], low["left_seconds"]) == ("pending", 7 * 3600, 3600)


def test_eval_pause_moves_the_due_instant(tmp_path):
    # Normal: 4h. Opened Tuesday 2026-05-12 09:00, paused 10:00-11:00 -> due 14:00 (not 13:00).
    pauses = '"[[""2026-05-12T10:00:00+07:00"", ""2026-05-12T11:00:00+07:00""]]"'
    tickets = write(tmp_path, "tickets.csv", HEADER
                    + f"P,Normal,Premium,,,2026-05-12T09:00:00+07:00,2026-05-12T13:30:00+07:00,,{pauses}\n")
    found = results_by_ticket(eval_json(QISCUS, tickets, "--now", "2026-05-13T09:00:00+07:00"))
    assert found[("P", "response")]["due"] == "2026-05-12T14:00:00+07:00"
    assert found[("P", "response")]["status"] == "met"
    assert found[("P", "response")]["used_seconds"] == 3 * 3600 + 1800  # 4h30m minus the 1h pause


def test_eval_summary_counts_and_compliance(tmp_path):
    tickets = write(tmp_path, "tickets.csv", HEADER
                    + "A,Critical,Premium,,,2026-05-08T16:30:00+07:00,2026-05-11T09:30:00+07:00,,\n"
                    + "B,Critical,Premium,,,2026-05-08T16:30:00+07:00,2026-05-11T09:30:01+07:00,,\n"
                    + "C,Critical,Premium,,,2026-05-08T16:30:00+07:00,2026-05-08T16:40:00+07:00,,\n")
    document = eval_json(QISCUS, tickets, "--now", "2026-05-11T10:00:00+07:00")
    (row,) = [r for r in document["summary"] if r["metric"] == "response"]
    assert (row["plan"], row["priority"], row["met"], row["breached"], row["pending"]) == \
        ("Premium", "Critical", 2, 1, 0)
    assert row["compliance"]["exact"] == "200/3"  # 2 of 3 met = 66.67 %


def test_rocksoft_proportion_per_month(tmp_path):
    # "85% of issues resolved within two hours", per calendar month (Asia/Kuala_Lumpur, +08:00),
    # wall-clock (24x7). May: 7 tickets, 6 resolved within 2h -> 6/7 = 85.7 % >= 85 %: met.
    # June: 2 tickets, 1 within -> 50 %: missed.
    rows = [f"M{i},Critical,,,,2026-05-0{i}T10:00:00+08:00,,2026-05-0{i}T11:00:00+08:00,\n"
            for i in range(1, 7)]
    rows.append("M7,Normal,,,,2026-05-07T10:00:00+08:00,,2026-05-07T12:00:01+08:00,\n")
    rows.append("J1,Normal,,,,2026-06-01T10:00:00+08:00,,2026-06-01T12:00:00+08:00,\n")
    rows.append("J2,Normal,,,,2026-06-02T10:00:00+08:00,,2026-06-02T13:00:00+08:00,\n")
    tickets = write(tmp_path, "tickets.csv", HEADER + "".join(rows))
    document = eval_json(ROCKSOFT, tickets, "--now", "2026-07-01T00:00:00+08:00")
    by_period = {p["period"]: p for p in document["proportions"]}
    assert set(by_period) == {"2026-05", "2026-06"}
    may, june = by_period["2026-05"], by_period["2026-06"]
    assert (may["met"], may["missed"], may["verdict"]) == (6, 1, "met")
    assert may["actual"]["exact"] == "600/7"
    assert (june["met"], june["missed"], june["verdict"]) == (1, 1, "missed")
    assert may["required"]["exact"] == "85/1"
    found = results_by_ticket(document)
    assert found[("M7", "resolution")]["proportion"]["met_by_ticket"] is False
    assert found[("J1", "resolution")]["proportion"]["met_by_ticket"] is True  # exactly 2h: within


def test_eval_json_schema(tmp_path):
    document = eval_json(QISCUS, str(ROOT / "examples" / "tickets-qiscus.csv"),
                         "--now", "2026-05-12T12:00:00+07:00")
    assert set(document) == {"contract", "now", "tickets", "summary", "proportions", "not_judged",
                             "skipped"}
    assert document["contract"] == "Qiscus Enterprise Support"
    ticket = document["tickets"][0]
    assert set(ticket) == {"id", "row", "priority", "plan", "channel", "opened_at", "results"}
    assert set(ticket["results"][0]) == {"metric", "target", "calendar", "due", "event_at", "status",
                                         "reason", "used_seconds", "left_seconds", "best_effort",
                                         "source_line"}
    assert set(document["summary"][0]) == {"plan", "priority", "metric", "tickets", "met",
                                           "breached", "pending", "not_judged", "compliance"}
    assert document["skipped"] == {"total": 0, "reasons": []}


def test_eval_csv_to_file_is_atomic_and_quiet(tmp_path):
    out = tmp_path / "out" / "verdicts.csv"
    result = run("eval", QISCUS, "--tickets", str(ROOT / "examples" / "tickets-qiscus.csv"),
                 "--format", "csv", "-o", str(out), "--now", "2026-05-12T12:00:00+07:00")
    assert result.exit_code == 0
    assert result.stdout == ""
    # stderr is not a terminal under the test runner: no progress bar, only the summary.
    assert "evaluating" not in result.stderr and "\r" not in result.stderr
    assert result.stderr.startswith("summary (compliance = met / (met + breached)):")
    lines = out.read_text().splitlines()
    assert lines[0].startswith("id,row,plan,priority,channel,metric,target,calendar,opened_at,due,")
    assert [p.name for p in out.parent.iterdir()] == ["verdicts.csv"]  # no temporary file left


def test_eval_table_mentions_every_ticket():
    result = run("eval", QISCUS, "--tickets", str(ROOT / "examples" / "tickets-qiscus.csv"),
                 "--now", "2026-05-12T12:00:00+07:00")
    assert result.exit_code == 0
    assert result.stderr == ""
    for ident in ("Q-101", "Q-102", "Q-103", "Q-104", "Q-105", "Q-106", "Q-107"):
        assert ident in result.stdout
    assert "summary (compliance" in result.stdout


def test_eval_map_and_assume_zone(tmp_path):
    tickets = write(tmp_path, "t.jsonl", json.dumps({
        "key": "X", "prio": "Critical", "created": "2026-05-08 16:30:00",
        "first_response_at": "2026-05-11T09:30:00+07:00"}) + "\n")
    document = eval_json(QISCUS, tickets, "--map", "id=key,priority=prio,opened_at=created",
                         "--assume-zone", "Asia/Jakarta", "--plan", "Premium",
                         "--now", "2026-05-11T12:00:00+07:00")
    found = results_by_ticket(document)
    assert found[("X", "response")]["due"] == "2026-05-11T09:30:00+07:00"


# -- bad input: one line, row and field named, exit 1 ------------------------------------------

BAD_TICKETS = [
    ("created,priority\n2026-05-04T09:00:00+07:00,High\n",
     "tickets.csv:1: missing required column(s) `opened_at`; the file has `created`, `priority`; "
     "map a differently named one with `--map opened_at=COLUMN`"),
    (HEADER + "T,High,Premium,,,2026-05-04 nine,,,\n",
     "tickets.csv:2: field `opened_at`: unparseable timestamp `2026-05-04 nine`"),
    (HEADER + "T,High,Premium,,,2026-05-04T09:00:00,,,\n",
     "tickets.csv:2: field `opened_at`: timestamp `2026-05-04T09:00:00` has no offset"),
    (HEADER + "T,High,Premium,,,2026-05-04T09:00:00+07:00,,2026-05-04T08:00:00+07:00,\n",
     "tickets.csv:2: field `resolved_at`: resolved before it was opened "
     "(2026-05-04T08:00:00+07:00 < 2026-05-04T09:00:00+07:00)"),
    (HEADER + "T,High,Premium,,,2026-05-04T09:00:00+07:00,2026-05-04T08:00:00+07:00,,\n",
     "tickets.csv:2: field `first_response_at`: first response before the ticket was opened"),
    (HEADER + "T,Hgh,Premium,,,2026-05-04T09:00:00+07:00,,,\n",
     "tickets.csv:2: field `priority`: unknown priority `Hgh` (did you mean `High`?); "
     "the contract has `Critical`, `High`, `Normal`, `Low`"),
    (HEADER + "T,High,Premiun,,,2026-05-04T09:00:00+07:00,,,\n",
     "tickets.csv:2: field `plan`: unknown plan `Premiun` (did you mean `Premium`?)"),
    (HEADER + "T,High,Premium,,Helpdesc,2026-05-04T09:00:00+07:00,,,\n",
     "tickets.csv:2: field `channel`: unknown channel `Helpdesc` (did you mean `Helpdesk`?)"),
    (HEADER + 'T,High,Premium,,,2026-05-04T09:00:00+07:00,,,"[[""2026-05-04T10:00:00+07:00"", '
     '""2026-05-04T11:00:00+07:00""], [""2026-05-04T10:30:00+07:00"", ""2026-05-04T12:00:00+07:00""]]"\n',
     "tickets.csv:2: field `pauses`: pauses overlap"),
]


@pytest.mark.parametrize("text, message", BAD_TICKETS)
def test_bad_tickets_exit_1_with_one_clear_line(tmp_path, text, message):
    tickets = write(tmp_path, "tickets.csv", text)
    result = run("eval", QISCUS, "--tickets", tickets, "--now", "2026-05-12T12:00:00+07:00",
                 "-o", str(tmp_path / "out.csv"), "--format", "csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("sladsl: " + message)
    assert result.stderr.count("\n") == 1  # one line, no traceback
    assert not (tmp_path / "out.csv").exists()  # a failed run leaves no output file


def test_bad_incident_exit_1(tmp_path):
    incidents = write(tmp_path, "incidents.csv", "start,end\n"
                      "2026-04-07T05:00:00+07:00,2026-04-07T01:00:00+07:00\n")
    result = run("uptime", VHOSTWEB, "--incidents", incidents, "--period", "2026-04")
    assert result.exit_code == 1
    assert result.stderr == ("sladsl: incidents.csv:2: field `end`: the incident ends before it "
                             "starts (2026-04-07T01:00:00+07:00 < 2026-04-07T05:00:00+07:00)\n")


def test_skip_invalid_reports_counts(tmp_path):
    tickets = write(tmp_path, "tickets.csv", HEADER
                    + "A,High,Premium,,,2026-05-11T10:00:00+07:00,,,\n"
                    + "B,Hgh,Premium,,,2026-05-11T10:00:00+07:00,,,\n"
                    + "C,High,Premium,,,2026-05-11T10:00:00,,,\n"
                    + "D,Urgent,Premium,,,2026-05-11T10:00:00+07:00,,,\n")
    result = run("eval", QISCUS, "--tickets", tickets, "--skip-invalid", "--format", "json",
                 "--now", "2026-05-11T11:00:00+07:00")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "skipped 3 invalid row(s):",
        "  2 x unknown priority (rows 3, 5)",
        "  1 x naive timestamp (rows 4)",
    ]
    document = json.loads(result.stdout)
    assert [t["id"] for t in document["tickets"]] == ["A"]
    assert document["skipped"]["total"] == 3


def test_usage_problems_exit_2(tmp_path):
    assert run("eval", QISCUS, "--tickets", str(tmp_path / "nope.csv")).exit_code == 2
    tickets = write(tmp_path, "tickets.csv", HEADER)
    result = run("eval", QISCUS, "--tickets", tickets, "--now", "2026-05-11T10:00:00")
    assert result.exit_code == 2 and "has no offset" in result.stderr
    result = run("eval", QISCUS, "--tickets", tickets, "--map", "opend_at=x")
    assert result.exit_code == 2 and "did you mean `opened_at`" in result.stderr


def test_contract_with_errors_exits_1(tmp_path):
    contract = write(tmp_path, "bad.sla", "contract \"X\" {\n  calendar c = Mon-Fri 17:00-09:00 UTC\n}\n")
    tickets = write(tmp_path, "tickets.csv", HEADER)
    result = run("eval", contract, "--tickets", tickets)
    assert result.exit_code == 1
    assert "has errors" in result.stderr


# -- uptime --------------------------------------------------------------------------------------

def uptime_json(contract: str, incidents: str, *extra: str) -> dict:
    result = run("uptime", contract, "--incidents", incidents, "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_vhostweb_98_95_percent_owes_the_10_percent_tier():
    # examples/incidents-vhostweb.csv, April 2026 (30 days = 2,592,000 s) in Asia/Bangkok:
    #   outage 1: 01:00-05:00, detected 01:05, reported 01:20: counts from 01:05 -> 3h55m = 14,100 s
    #   maintenance Saturday 00:00-06:00: outside office hours, within 8h: excluded
    #   outage 2: 10:00-13:38:36 -> 13,116 s
    #   outage 3 fully covered by an `excluded` record: 0 s
    # downtime 27,216 s = 7h33m36s, uptime 2,564,784 / 2,592,000 = 98.95 % = 1979/2000, which
    # lies in the printed gap between 99.0-99.9 and 98.0-98.9: gaps favour the customer -> 10 %.
    document = uptime_json(VHOSTWEB, str(ROOT / "examples" / "incidents-vhostweb.csv"),
                           "--period", "2026-04")
    (service,) = document["services"]
    assert service["service"] == "Web hosting"
    assert service["period_start"] == "2026-04-01T00:00:00+07:00"
    assert service["period_end"] == "2026-05-01T00:00:00+07:00"
    assert service["period_seconds"]["exact"] == "2592000/1"
    assert service["downtime_seconds"]["exact"] == "27216/1"
    assert service["uptime"]["exact"] == "1979/2000"
    assert service["met"] is False
    (credit,) = service["credits"]
    assert (credit["kind"], credit["percent"]["exact"], credit["basis"]) == ("tiered", "10/1", "monthly")


def test_vhostweb_uptime_text():
    result = run("uptime", VHOSTWEB, "--incidents", str(ROOT / "examples" / "incidents-vhostweb.csv"),
                 "--period", "2026-04")
    assert result.exit_code == 0
    assert "  downtime: 7h33m36s (27216 s) in 2 merged outage(s)" in result.stdout
    assert "  uptime: 98.95% (exact 1979/2000)" in result.stdout
    assert "  target: 99.9% not met" in result.stdout
    assert "  credit (tiered): 10% of the monthly fee" in result.stdout


def test_vhostweb_exactly_99_9_owes_nothing(tmp_path):
    # 0.1 % of 2,592,000 s = 2,592 s = 43m12s: exactly 99.9 % meets "less than 99.9 % is not
    # fulfilled", so no credit.
    incidents = write(tmp_path, "incidents.csv", "start,end\n"
                      "2026-04-07T01:00:00+07:00,2026-04-07T01:43:12+07:00\n")
    (service,) = uptime_json(VHOSTWEB, incidents, "--period", "2026-04")["services"]
    assert service["uptime_percent"]["exact"] == "999/10"
    assert service["met"] is True
    assert all(Fraction(c["percent"]["exact"]) == 0 for c in service["credits"] if c["percent"])


def test_haisoft_three_hour_outage_earns_two_periods(tmp_path):
    # Beyond the first hour, per started 60 minutes: a 3h outage -> 2 periods x 3.3 % = 6.6 %.
    incidents = write(tmp_path, "incidents.csv", "start,end,service\n"
                      "2026-05-05T14:00:00+02:00,2026-05-05T17:00:00+02:00,Network\n")
    (service,) = uptime_json(HAISOFT, incidents, "--period", "2026-05")["services"]
    (credit,) = service["credits"]
    assert (credit["kind"], credit["periods"], credit["basis"]) == ("per_outage", 2, "monthly")
    assert credit["percent"]["exact"] == "33/5"  # 6.6 %
    (annual,) = uptime_json(HAISOFT, incidents, "--period", "2026-05",
                            "--billing", "annual")["services"][0]["credits"]
    assert annual["percent"]["exact"] == "27/50"  # 2 x 0.27 % = 0.54 % of the annual fee


def test_uptime_json_schema():
    document = uptime_json(HAISOFT, str(ROOT / "examples" / "incidents-haisoft.csv"),
                           "--period", "2026-05")
    assert set(document) == {"contract", "period", "billing", "services", "skipped"}
    service = document["services"][0]
    assert set(service) == {"service", "period_start", "period_end", "period_seconds",
                            "downtime_seconds", "uptime", "uptime_percent", "target_percent", "met",
                            "outages", "excluded", "maintenance", "counted_from", "error_budget",
                            "credits", "downtime_counted", "scopes", "rolling", "billing", "partial", "counts",
                            "maintenance_windows"}
    assert set(service["uptime"]) == {"exact", "value"}
    assert set(service["credits"][0]) == {"kind", "percent", "basis", "days", "extension_seconds",
                                          "periods", "capped", "rule", "source_line", "scope",
                                          "claim_by", "claim_open", "percent_of_prorated_fee",
                                          "claim_at", "claim_includes", "claimed_on", "claim_late",
                                          "posted_by", "posted_on", "usable_until"}


def test_uptime_unknown_service_exit_2():
    result = run("uptime", HAISOFT, "--incidents", str(ROOT / "examples" / "incidents-haisoft.csv"),
                 "--period", "2026-05", "--service", "Netwrk")
    assert result.exit_code == 2
    assert "unknown service `Netwrk` (did you mean `Network`?)" in result.stderr


# -- explain -----------------------------------------------------------------------------------

def test_explain_holiday_and_budget_per_day():
    # Critical, Premium + Resolution addon, opened Wednesday 2026-05-13 16:30. Thursday
    # 2026-05-14 is Ascension Day (Indonesia). Resolution 8h: 30m Wednesday, 7h30m Friday -> 16:30.
    result = run("explain", QISCUS, "--ticket", "Q-103", "--tickets",
                 str(ROOT / "examples" / "tickets-qiscus.csv"), "--metric", "resolution")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "  2026-05-13 Wed: 16:30-17:00: 30m used, 7h30m left" in lines
    assert "  2026-05-14 Thu: holiday skipped (Ascension Day)" in lines
    assert "  2026-05-15 Fri: 09:00-16:30: 7h30m used, 0s left" in lines
    assert any(line.startswith("  due: 2026-05-15 16:30 +07:00") for line in lines)
    assert any(line.startswith("  verdict: met: resolution at 2026-05-15 16:00 +07:00") for line in lines)


def test_explain_due_on_the_close():
    result = run("explain", QISCUS, "--priority", "Critical", "--plan", "Premium",
                 "--opened-at", "2026-05-08T16:00:00+07:00", "--responded-at",
                 "2026-05-08T17:05:00+07:00", "--metric", "response")
    assert result.exit_code == 0, result.stderr
    assert "  due: 2026-05-08 17:00 +07:00 (due on the close at 17:00: the budget ran out " \
           "exactly at closing)" in result.stdout
    assert "  verdict: breached: first response at 2026-05-08 17:05 +07:00, after the due instant" \
        in result.stdout


def test_explain_names_a_zone_once_when_it_is_written_as_a_zone_name(tmp_path):
    contract = write(tmp_path, "c.sla", 'contract "Acme" {\n  calendar office = Mon-Fri 08:00-18:00 '
                     'America/New_York\n  priority P2 respond 1h within office\n}\n')
    result = run("explain", contract, "--priority", "P2", "--opened-at", "2026-07-06T07:00:00-04:00")
    assert result.exit_code == 0, result.stderr
    assert "  calendar `office`: zone America/New_York; Mon 08:00-18:00;" in result.stdout


def test_explain_pause_is_shown():
    result = run("explain", QISCUS, "--priority", "Normal", "--plan", "Premium",
                 "--opened-at", "2026-05-12T09:00:00+07:00",
                 "--pause", "2026-05-12T10:00:00+07:00/2026-05-12T11:00:00+07:00",
                 "--metric", "response", "--now", "2026-05-12T12:00:00+07:00")
    assert result.exit_code == 0, result.stderr
    assert "  2026-05-12 Tue: 09:00-10:00, 11:00-14:00: 4h used, 0s left" in result.stdout
    assert "1h of business time skipped" in result.stdout
    assert "  due: 2026-05-12 14:00 +07:00" in result.stdout


def test_explain_bad_input():
    result = run("explain", QISCUS, "--priority", "Critcal", "--plan", "Premium",
                 "--opened-at", "2026-05-08T16:00:00+07:00")
    assert result.exit_code == 2  # a value given on the command line: a usage error (21.9)
    assert "unknown priority `Critcal` (did you mean `Critical`?)" in result.stderr
    assert run("explain", QISCUS, "--ticket", "Q-101").exit_code == 2


def test_csv_cells_are_quoted_like_csv_writer():
    import csv
    import io

    from sladsl.cli.data import _cell

    for text in ["", "plain", "a,b", 'say "hi"', "two\nlines", "cr\ronly", " padded ", "é,ü", '"']:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow([text, "x"])
        assert out.getvalue() == _cell(text) + ",x\n"


PICKUP_LINE = next(n for n, line in enumerate(Path(HAISOFT).read_text().splitlines(), 1)
                   if line.strip().startswith("pickup "))


def test_haisoft_without_priorities_needs_no_priority_column(tmp_path):
    # HaiSoft declares no priorities; the Phone channel's `pickup 1'30"` counts in the phone hours
    # (Mon-Fri 09:00-11:00, 13:00-16:00 Europe/Paris). Opened Monday 2026-05-04 10:58 +02:00:
    # 90 s fit before the 11:00 close -> due 10:59:30. Ticket data carries no pickup events, so
    # the target is not judged (SEMANTICS.md: never breached for want of an event), with
    # 10:58-11:00 (120 s) + 13:00-16:00 (10,800 s) = 10,920 s used by midnight. A Ticket-channel
    # ticket has no target: listed as not judged, with the reason (brief decision 4). Nothing
    # was judged, so the run exits 1 after writing its output (issue 20.8).
    tickets = write(tmp_path, "tickets.csv", "id,channel,opened_at\n"
                    "H1,Phone,2026-05-04T10:58:00+02:00\nH2,Ticket,2026-05-04T10:58:00+02:00\n")
    result = run("eval", HAISOFT, "--tickets", tickets, "--format", "json",
                 "--now", "2026-05-05T00:00:00+02:00")
    assert result.exit_code == 1 and "sladsl: nothing was judged: " in result.stderr
    document = json.loads(result.stdout)
    assert [t["id"] for t in document["tickets"]] == ["H1", "H2"]
    (pickup,) = document["tickets"][0]["results"]
    assert (pickup["metric"], pickup["due"], pickup["status"], pickup["used_seconds"]) == \
        ("pickup", "2026-05-04T10:59:30+02:00", "not judged", 10920)
    assert pickup["reason"] == "the data carries no pickup events"
    assert document["tickets"][1]["results"] == [{
        "metric": None, "status": "not judged",
        "reason": "no target applies to a ticket without a priority on channel `Ticket` in the contract"}]
    assert document["tickets"][0]["priority"] is None
    result = run("eval", HAISOFT, "--tickets", tickets, "--format", "csv",
                 "--now", "2026-05-05T00:00:00+02:00")
    assert result.exit_code == 1, result.stderr
    assert result.stdout.splitlines()[1] == (
        "H1,2,,,Phone,pickup,\"1'30\"\"\",phone,2026-05-04T10:58:00+02:00,"
        "2026-05-04T10:59:30+02:00,,not judged,10920,,no,"
        f"{PICKUP_LINE},the data carries no pickup events")
    assert result.stdout.splitlines()[2] == (
        "H2,3,,,Ticket,,,,2026-05-04T08:58:00+00:00,,,not judged,,,,,no target applies to a "
        "ticket without a priority on channel `Ticket` in the contract")


def test_a_due_instant_beyond_the_frozen_holidays_is_a_data_error(tmp_path):
    # Qiscus office hours freeze Indonesian holidays for 2020-2035. Premium Low: 1 business day;
    # opened Monday 2035-12-31 16:00 the due date is in 2036, for which no holidays are frozen.
    # An opening in year 1 is outside the runtime's years 2..9998.
    tickets = write(tmp_path, "tickets.csv", HEADER
                    + "A,High,Premium,,,2035-06-01T10:00:00+07:00,,,\n"
                    + "B,Low,Premium,,,2035-12-31T16:00:00+07:00,,,\n"
                    + "C,High,Premium,,,0001-01-01T10:00:00+00:00,,,\n")
    args = ["eval", QISCUS, "--tickets", tickets, "--now", "2035-06-02T00:00:00+07:00",
            "--format", "csv"]
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""  # nothing written before the error
    assert result.stderr == (
        "sladsl: tickets.csv:3: field `opened_at`: cannot judge its response: this calendar's "
        "holidays are frozen for 2020-2035; the question needs 2036: rebuild the contract with a "
        "wider holiday year range\n")
    result = run(*args, "--skip-invalid")
    assert result.exit_code == 0
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["A"]
    assert result.stderr.splitlines()[-3:] == [
        "skipped 2 invalid row(s):", "  1 x holidays not frozen (rows 3)",
        "  1 x instant out of range (rows 4)"]


# -- table layout: every value under its heading ------------------------------------------------

ALIGNMENT_CONTRACT = """contract T {
  calendar office = daily 00:00-24:00 UTC
  priorities High
  plan P {
    hours office
    priority High respond 1h update 4h
  }
}
"""


def _starts(line: str, heads: list[str], header: str) -> dict[str, str]:
    """The text of `line` starting at each heading's column, up to its first double space."""
    return {h: line[header.index(h):].split("  ")[0] for h in heads}


def test_eval_table_columns_stay_aligned_after_not_judged(tmp_path):
    # Regression: `not judged` (10 characters) overflowed the 8-wide status column, pushing the
    # used, left and event cells of that row two characters right of their headings. Ticket A,
    # opened Mon 2026-05-04 10:00 UTC on a 24x7 calendar, replied 10:30: response met, 30 min
    # used; its update target is not judged (no update events), 14 h used by 2026-05-05 00:00.
    contract = write(tmp_path, "t.sla", ALIGNMENT_CONTRACT)
    tickets = write(tmp_path, "t.csv", "id,priority,plan,opened_at,first_response_at\n"
                    "A,High,P,2026-05-04T10:00:00+00:00,2026-05-04T10:30:00+00:00\n")
    result = run("eval", contract, "--tickets", tickets, "--now", "2026-05-05T00:00:00+00:00")
    header, met, unjudged = result.stdout.splitlines()[:3]
    heads = ["status", "used"]
    assert _starts(met, heads, header) == {"status": "met", "used": "30m"}
    assert _starts(unjudged, heads, header) == {"status": "not judged", "used": "14h"}


def test_live_table_columns_stay_aligned_after_not_judged(tmp_path):
    # The same defect in `eval --live`: the clock column (8 wide) held `not judged`. At 10:30 the
    # response clock runs, due 11:00 with 30 min left; the update clock is not judged.
    contract = write(tmp_path, "t.sla", ALIGNMENT_CONTRACT)
    tickets = write(tmp_path, "t.csv", "id,priority,plan,opened_at\nA,High,P,2026-05-04T10:00:00+00:00\n")
    result = run("eval", contract, "--tickets", tickets, "--live", "--now", "2026-05-04T10:30:00+00:00")
    header, running, unjudged = result.stdout.splitlines()[:3]
    assert _starts(running, ["clock", "next due", "left"], header) == {
        "clock": "running", "next due": "2026-05-04 11:00 +00:00", "left": "30m"}
    assert _starts(unjudged, ["clock", "left"], header) == {
        "clock": "not judged", "left": "(the data carries no update events)"}
