"""Contract versions (docs/semantics.md "Versions"): dates applied by eval, uptime and explain.

Expected values are computed by hand from the rules in docs/semantics.md and SEMANTICS.md
("Due instants"), in the comments beside each.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl
import sladsl.runtime.versions
from sladsl.cli import cli
from sladsl.pipeline import compile_text
from sladsl.runtime.evaluator import Evaluator
from sladsl.to_spec import to_spec
from sladsl.to_markdown import render
from sladsl.to_python import to_python

ROOT = Path(__file__).resolve().parent.parent
TWO_VERSIONS = ROOT / "tests" / "cases" / "versions" / "good" / "two_versions.sla"
UTC = timezone.utc

# Office hours Mon-Fri 09:00-17:00 Europe/London; Urgent: 2h (from 2026-01-01), 1h (from
# 2027-03-01 to 2027-12-31). London is on UTC+00:00 in February and March 2027 (BST starts 28 Mar).
TICKETS = """id,priority,opened_at,first_response_at
T-1,Urgent,2025-12-31T10:00:00Z,2025-12-31T11:00:00Z
T-2,Urgent,2026-06-01T10:00:00+01:00,2026-06-01T11:30:00+01:00
T-3,Urgent,2027-02-26T16:30:00Z,2027-03-01T09:45:00Z
T-4,Urgent,2027-03-01T10:00:00Z,2027-03-01T11:30:00Z
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def eval_json(tmp_path: Path, *extra: str) -> dict:
    tickets = tmp_path / "t.csv"
    tickets.write_text(TICKETS, encoding="utf-8")
    result = run("eval", str(TWO_VERSIONS), "--tickets", str(tickets), "--format", "json",
                 "--now", "2028-01-01T00:00:00Z", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_id(document: dict) -> dict:
    return {t["id"]: t["results"] for t in document["tickets"]}


def test_eval_judges_each_ticket_by_the_version_in_effect_at_opening(tmp_path):
    document = eval_json(tmp_path)
    results = by_id(document)
    # T-1: opened before the first version takes effect: not judged, saying why.
    assert results["T-1"][0]["status"] == "not judged"
    assert "no version of the contract is in effect at 2025-12-31T10:00:00Z" in results["T-1"][0]["reason"]
    # T-2: first version, 2h from Mon 10:00 BST: due 12:00, reply 11:30 -> met.
    assert (results["T-2"][0]["due"], results["T-2"][0]["status"]) == ("2026-06-01T12:00:00+01:00", "met")
    # T-3: opened Fri 26 Feb 16:30 under the first version (2h): 30 min on Friday, 1h30 on
    # Monday 1 March from 09:00 -> due 10:30, reply 09:45 -> met (the new 1h is not applied).
    assert (results["T-3"][0]["due"], results["T-3"][0]["status"]) == ("2027-03-01T10:30:00+00:00", "met")
    # T-4: opened Mon 1 March 10:00 under the second version (1h): due 11:00, reply 11:30 -> breached.
    assert (results["T-4"][0]["due"], results["T-4"][0]["status"]) == ("2027-03-01T11:00:00+00:00", "breached")
    assert document["versions"] == [
        {"effective": "2026-01-01", "until": "2027-02-28", "tickets": 2},
        {"effective": "2027-03-01", "until": "2027-12-31", "tickets": 1}]
    assert sum(r["count"] for r in document["not_judged"]["reasons"]) == 1


def test_eval_version_by_due(tmp_path):
    results = by_id(eval_json(tmp_path, "--version-by", "due"))
    # T-3: its due instant under the opening version (Mon 1 March 10:30) falls in the second
    # version, which judges it: 1h = 30 min on Friday + 30 min on Monday -> due 09:30; the
    # reply at 09:45 is late.
    assert (results["T-3"][0]["due"], results["T-3"][0]["status"]) == ("2027-03-01T09:30:00+00:00", "breached")
    assert results["T-2"][0]["status"] == "met"  # due well inside the first version
    assert results["T-1"][0]["status"] == "not judged"


def test_single_contract_dates_apply_to_evaluate_ticket():
    result = compile_text('contract "X" {\n  effective 2026-03-01\n  until 2026-03-31\n'
                          '  respond 1h within 24x7\n}\n', "x.sla")
    assert result.ok
    evaluator = Evaluator(to_spec(result.contract))
    now = datetime(2027, 1, 1, tzinfo=UTC)
    inside = evaluator.evaluate_ticket({"opened_at": datetime(2026, 3, 31, 23, 59, 59, tzinfo=UTC),
                                        "now": now})
    assert inside["results"][0]["status"] == "breached"
    # `until` is inclusive: 1 April 00:00 UTC (no zone, no calendars: UTC) is outside.
    after = evaluator.evaluate_ticket({"opened_at": datetime(2026, 4, 1, tzinfo=UTC), "now": now})
    assert after["results"] == []
    assert "no version of the contract is in effect at 2026-04-01T00:00:00Z" in after["reason"]


def test_generated_module_answers_like_load(tmp_path, monkeypatch):
    """A spec per version plus the dates: the generated module and load() agree."""
    monkeypatch.chdir(tmp_path)
    source = TWO_VERSIONS.read_bytes()
    (tmp_path / "two_versions.sla").write_bytes(source)
    loaded = sladsl.load(tmp_path / "two_versions.sla")
    result = compile_text(source.decode(), "two_versions.sla")
    module_path = tmp_path / "two_versions_module.py"
    module_path.write_text(to_python(result.contract, source), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("two_versions_module", module_path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.pop("two_versions_module", None)
    spec.loader.exec_module(module)
    assert module.SPECS == tuple(e.spec for e in loaded.evaluators)
    now = datetime(2028, 1, 1, tzinfo=UTC)
    for opened in (datetime(2025, 12, 31, 10, tzinfo=UTC), datetime(2026, 6, 1, 9, tzinfo=UTC),
                   datetime(2027, 2, 26, 16, 30, tzinfo=UTC), datetime(2027, 3, 1, 10, tzinfo=UTC),
                   datetime(2028, 1, 1, tzinfo=UTC)):
        ticket = {"id": "x", "priority": "Urgent", "opened_at": opened, "now": now}
        assert module.evaluate_ticket(ticket) == loaded.evaluate_ticket(ticket)
    assert module.evaluate_ticket({"priority": "Urgent", "opened_at": datetime(
        2027, 3, 1, 10, tzinfo=UTC), "now": now})["version"].isoformat() == "2027-03-01"


def test_document_states_each_versions_days():
    result = compile_text(TWO_VERSIONS.read_text(encoding="utf-8"), "two_versions.sla")
    text = render(result.contract)
    assert "- Effective from: 1 January 2026\n- In effect until: 28 February 2027" in text
    assert "(the next version takes effect on 1 March 2027)" in text
    assert "- Effective from: 1 March 2027\n- In effect until: 31 December 2027, the last day" in text
    assert "Europe/London" in text.split("## ")[0]  # the zone whose midnights bound the dates


@pytest.mark.parametrize("until, ok", [("2026-12-31", True), ("2027-01-01", False),
                                       ("2026-12-30", False)])
def test_until_of_an_earlier_version_is_the_day_before_the_next(until, ok):
    text = (f'contract "X" {{\n  effective 2026-01-01\n  until {until}\n  respond 2h within 24x7\n}}\n'
            'contract "X" {\n  effective 2027-01-01\n  respond 1h within 24x7\n}\n')
    assert compile_text(text, "x.sla").ok is ok


HOSTING = """contract "Hosting" {
  effective 2026-01-01
  zone UTC
  service Web {
    availability 99.9% per month
    credit tiers of monthly fee {
      99.0% .. below 99.9% -> 5%
      below 99.0% -> 25%
    }
  }
}

contract "Hosting" {
  effective 2026-03-15
  zone UTC
  service Web {
    availability 99.5% per month
    credit tiers of monthly fee {
      99.0% .. below 99.5% -> 10%
      below 99.0% -> 30%
    }
  }
}
"""
INCIDENTS = """service,start,end
Web,2026-03-20T00:00:00Z,2026-03-20T10:00:00Z
Web,2026-04-10T00:00:00Z,2026-04-10T03:00:00Z
"""


def uptime_json(tmp_path: Path, period: str):
    (tmp_path / "hosting.sla").write_text(HOSTING, encoding="utf-8")
    (tmp_path / "incidents.csv").write_text(INCIDENTS, encoding="utf-8")
    return run("uptime", str(tmp_path / "hosting.sla"), "--incidents",
               str(tmp_path / "incidents.csv"), "--period", period, "--format", "json")


def test_uptime_judges_each_period_by_the_version_in_effect_when_it_began(tmp_path):
    result = uptime_json(tmp_path, "2026")
    assert result.exit_code == 0, result.output
    months = json.loads(result.stdout)["services"][0]["periods"]
    assert [m["version"] for m in months] == ["2026-01-01"] * 3 + ["2026-03-15"] * 9
    march, april = months[2], months[3]
    # March began under the first version (the second takes effect on the 15th): 10 h down of
    # 744 h -> 367/372 = 98.66% < 99% -> the first version's 25% (the second's would be 30%).
    assert march["uptime"]["exact"] == "367/372"
    assert (march["target_percent"]["value"], march["credits"][0]["percent"]["value"]) == (99.9, 25.0)
    # April: 3 h of 720 h -> 239/240 = 99.58%: the second version's 99.5% is met, no credit
    # (the first version's 99.9% would have owed 5%).
    assert april["uptime"]["exact"] == "239/240"
    assert (april["target_percent"]["value"], april["met"], april["credits"]) == (99.5, True, [])


def test_uptime_before_the_first_version_is_an_error_naming_the_period(tmp_path):
    result = uptime_json(tmp_path, "2025-12")
    assert result.exit_code == 2
    assert "no version of the contract is in effect at 2025-12-01T00:00:00Z" in result.output


def test_explain_names_the_version_that_judged(tmp_path):
    tickets = tmp_path / "t.csv"
    tickets.write_text(TICKETS, encoding="utf-8")
    args = ("explain", str(TWO_VERSIONS), "--tickets", str(tickets), "--now", "2028-01-01T00:00:00Z")
    opened = run(*args, "--ticket", "T-3")
    assert opened.exit_code == 0
    assert opened.stdout.splitlines()[0] == (
        "terms: the version in effect from 2026-01-01 until 2027-02-28, when the ticket was opened")
    assert "due: 2027-03-01 10:30 +00:00" in opened.stdout
    due = run(*args, "--ticket", "T-3", "--version-by", "due")
    assert due.stdout.splitlines()[0].startswith("terms: the version in effect from 2027-03-01")
    assert "due: 2027-03-01 09:30 +00:00" in due.stdout
    outside = run(*args, "--ticket", "T-1")
    assert outside.exit_code == 1
    assert "ticket `T-1` is not judged: no version of the contract is in effect" in outside.output


def test_versions_and_until_change_what_is_observable():
    """No dead syntax for `until` and for a second version (tests/test_no_dead_syntax.py reads
    rules, not the words of DATE_KEY): each changes the spec and the document."""
    from sladsl.to_spec import to_specs

    one = 'contract "X" {\n  effective 2026-01-01\n  respond 2h within 24x7\n}\n'
    ended = one.replace("  respond", "  until 2026-12-31\n  respond")
    two = one + 'contract "X" {\n  effective 2027-01-01\n  respond 1h within 24x7\n}\n'
    checked = [compile_text(t, "x.sla").contract for t in (one, ended, two)]
    specs = [to_specs(c) for c in checked]
    assert specs[0] != specs[1] and specs[0] != specs[2]
    documents = [render(c) for c in checked]
    assert "31 December 2026" in documents[1] and "31 December 2026" not in documents[0]
    assert len(specs[2]) == 2 and "1 January 2027" in documents[2]


def test_fmt_keeps_a_file_of_versions():
    from sladsl.fmt import format_text

    text = TWO_VERSIONS.read_text(encoding="utf-8")
    formatted, diagnostics = format_text(text, "two_versions.sla")
    assert not diagnostics and formatted == text
    messy = text.replace("  until 2027-12-31", "until   2027-12-31")
    assert format_text(messy, "x.sla")[0] == text


def test_diff_sees_version_dates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = TWO_VERSIONS.read_text(encoding="utf-8")
    Path("old.sla").write_text(text)
    Path("moved.sla").write_text(text.replace("effective 2027-03-01", "effective 2027-04-01"))
    Path("ended.sla").write_text(text.replace("until 2027-12-31", "until 2028-12-31"))
    Path("single.sla").write_text(text.split("\n\n")[0] + "\n")
    moved = run("diff", "old.sla", "moved.sla")
    assert moved.exit_code == 1
    assert moved.output.splitlines()[:2] == [
        "version from 2026-01-01, contract: until changed: 2027-02-28 -> 2027-03-31",
        "version from 2027-04-01, contract: effective changed: 2027-03-01 -> 2027-04-01"]
    assert "until changed: 2027-12-31 -> 2028-12-31" in run("diff", "old.sla", "ended.sla").output
    dropped = run("diff", "old.sla", "single.sla").output
    assert "contract: version from 2027-03-01 removed (was in effect 2027-03-01 to 2027-12-31)" in dropped
    assert run("diff", "old.sla", "old.sla").exit_code == 0


def _version_files(directory: Path) -> None:
    """TWO_VERSIONS as a directory: one file per version."""
    first, second = TWO_VERSIONS.read_text(encoding="utf-8").split("\n\n")
    directory.mkdir()
    (directory / "2026.sla").write_text(first + "\n", encoding="utf-8")
    (directory / "2027.sla").write_text(second, encoding="utf-8")


def test_a_directory_of_files_is_one_contract_in_versions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _version_files(tmp_path / "acme")
    (tmp_path / "t.csv").write_text(TICKETS, encoding="utf-8")
    from_dir = run("eval", "acme", "--tickets", "t.csv", "--now", "2028-01-01T00:00:00Z",
                   "--format", "json")
    from_file = eval_json(tmp_path)
    def verdicts(document):  # source lines count in each version's own file
        return [[{k: v for k, v in r.items() if k != "source_line"} for r in t["results"]]
                for t in document["tickets"]]

    assert verdicts(json.loads(from_dir.stdout)) == verdicts(from_file)
    assert isinstance(sladsl.load(tmp_path / "acme"), sladsl.runtime.versions.Versions)
    assert run("check", "--versions", "acme").exit_code == 0


def test_a_directory_reports_gaps_across_files_and_refuses_two_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _version_files(tmp_path / "acme")
    late = (tmp_path / "acme" / "2027.sla")
    late.write_text(late.read_text().replace("effective 2027-03-01", "effective 2027-04-01"))
    (tmp_path / "acme" / "2026.sla").write_text(
        (tmp_path / "acme" / "2026.sla").read_text().replace(
            "effective 2026-01-01", "effective 2026-01-01\n  until 2027-02-28"))
    checked = run("check", "--versions", "acme")
    assert checked.exit_code == 1
    assert "acme/2027.sla:2:3: error[E703]: no version of `Acme Support` is in effect from " \
           "2027-03-01 to 2027-03-31" in checked.stdout
    assert "note: in effect until 2027-02-28 at acme/2026.sla:4:3" in checked.stdout
    late.write_text(late.read_text().replace('"Acme Support"', '"Other"'))
    (tmp_path / "t.csv").write_text(TICKETS, encoding="utf-8")
    refused = run("eval", "acme", "--tickets", "t.csv")
    assert refused.exit_code == 2
    assert "the files name different contracts" in refused.output
    with pytest.raises(sladsl.ContractError, match="different contracts"):
        sladsl.load(tmp_path / "acme")


def test_diff_of_two_directories(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _version_files(tmp_path / "old")
    _version_files(tmp_path / "new")
    late = tmp_path / "new" / "2027.sla"
    late.write_text(late.read_text().replace("priority Urgent respond 1h", "priority Urgent respond 45m"))
    result = run("diff", "old", "new")
    assert (result.exit_code, result.output) == (
        1, "version from 2027-03-01, contract: Urgent response target tightened: 1h -> 45m\n"
           "1 change(s) in meaning\n")


def test_web_page_of_a_contract_in_versions():
    from sladsl.to_html import render_html

    checked = compile_text(HOSTING.replace("zone UTC", "zone UTC\n  calendar office = Mon-Fri 09:00-17:00\n"
                                           "  respond 1h within office", 1), "h.sla").contract
    page = render_html(checked)
    assert page.count("<h1>") == 2  # each version's document
    assert "In effect until: 14 March 2026" in page
    assert "from 1 March 2026" not in page and "from 15 March 2026: Web" in page  # credit charts
    assert "from 1 January 2026: Web" in page


def test_build_names_every_version_by_file_name(tmp_path, monkeypatch):
    """Generated files name their contract by file name only, each version's spec included."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    result = run("build", "tests/cases/versions/good/two_versions.sla", "--out", str(out))
    assert result.exit_code == 0, result.output
    module = (out / "two_versions.py").read_text(encoding="utf-8")
    assert module.count("'source_file': 'two_versions.sla'") == 2
    assert "tests/cases" not in module
    assert "tests/cases" not in (out / "two_versions.md").read_text(encoding="utf-8")


def test_live_view_by_version(tmp_path):
    """`live()` and `eval --live`: the clocks of the version in effect at the opening; a ticket
    no version covers shows why."""
    loaded = sladsl.load(TWO_VERSIONS)
    now = datetime(2027, 3, 1, 10, 15, tzinfo=UTC)
    answer = loaded.live({"priority": "Urgent", "opened_at": datetime(2027, 3, 1, 10, tzinfo=UTC),
                          "now": now})
    # second version, 1h from 10:00: due 11:00, 45 min left at 10:15
    assert answer["version"].isoformat() == "2027-03-01"
    assert answer["clocks"][0]["target"] == "1h"
    early = loaded.live({"priority": "Urgent", "opened_at": datetime(2025, 6, 1, tzinfo=UTC), "now": now})
    assert early["clocks"] == [] and early["reason"].startswith("no version of the contract")
    tickets = tmp_path / "t.csv"
    tickets.write_text(TICKETS, encoding="utf-8")
    result = run("eval", str(TWO_VERSIONS), "--tickets", str(tickets), "--live",
                 "--now", "2028-01-01T00:00:00Z")
    assert result.exit_code == 0, result.output
    assert "no version of the contract is in effect at 2025-12-31T10:00:00Z" in result.stdout
