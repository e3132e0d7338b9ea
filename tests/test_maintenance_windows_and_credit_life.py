"""Dated maintenance windows and the life of credits (docs/semantics.md "Dated maintenance windows"
and "Credit posting and expiry"): the worked examples, computed by hand in the comments, answered
by `sladsl.load()` and by the generated module alike."""

from __future__ import annotations

from datetime import date, datetime, timezone
from fractions import Fraction
from pathlib import Path

import pytest

import sladsl
from sladsl.pipeline import compile_text
from tests.generated import compiled, generated_module

UTC = timezone.utc
CONTRACT = """contract "Reports" {
  zone UTC
  service Reports {
    availability 99.9% per month
    measured per feature in reporting, api
    maintenance on 2027-01-10 02:00-06:00 backup 2027-01-17 02:00-06:00
    maintenance on 2027-01-24 02:00-04:00 affecting reporting
    credit tiers of monthly fee {
      99.0%..below 99.9% -> 10%
      below 99.0% -> 25%
      claim within 30 days after period end
      claim at "credits@example.com"
      post within 30 days after claim
      expire 12 months after issue
    }
    credit extension for excess downtime {
      post on next invoice
      expire at contract end
    }
  }
  until 2027-12-31
}
"""


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=UTC)


def out(a, b, scope):
    return {"start": a, "end": b, "scope": scope}


@pytest.fixture(scope="module", params=["load", "generated"])
def evaluator(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("c") / "reports.sla"
    path.write_text(CONTRACT, encoding="utf-8")
    if request.param == "load":
        return sladsl.load(str(path))
    return generated_module(compiled(CONTRACT, "reports.sla"), CONTRACT, path.parent)


def scopes(answer):
    return {name: each["downtime_seconds"] for name, each in answer["scopes"].items()}


def test_a_used_window_excludes_downtime_and_its_backup_is_not_a_window(evaluator):
    # January 2027 (31 days = 2,678,400 s). Maintenance row 10 Jan 02:00-05:00 (no scope): the
    # primary window 02:00-06:00 is used, so the api outage 03:00-04:00 inside it is excused, and
    # the backup 17 Jan 02:00-06:00 is not a window: the api outage 17 Jan 02:00-03:00 counts
    # (3,600 s). The reporting outage 24 Jan 02:00-03:00 falls in the partial window, which is
    # used only once a maintenance row falls in it: none does, so it counts (3,600 s).
    answer = evaluator.availability(
        "Reports", "2027-01",
        [out(at(10, 3), at(10, 4), "api"), out(at(17, 2), at(17, 3), "api"),
         out(at(24, 2), at(24, 3), "reporting")],
        maintenance=[(at(10, 2), at(10, 5))])
    assert scopes(answer) == {"reporting": 3600, "api": 3600}


def test_the_backup_is_used_when_the_primary_was_not(evaluator):
    # No maintenance on the 10th; a maintenance row 17 Jan 02:30-03:30: the backup is used, so
    # the api outage 17 Jan 02:00-03:00 is excused; the api outage 10 Jan 03:00-04:00 counts.
    answer = evaluator.availability(
        "Reports", "2027-01",
        [out(at(10, 3), at(10, 4), "api"), out(at(17, 2), at(17, 3), "api")],
        maintenance=[(at(17, 2, 30), at(17, 3, 30))])
    assert scopes(answer)["api"] == 3600
    assert [(w["start"], w["backup"]) for w in answer["maintenance_windows"]] == [(at(17, 2), True)]


def test_a_partial_window_excuses_only_the_features_it_names(evaluator):
    # Maintenance on reporting 24 Jan 02:00-03:00 uses the partial window 02:00-04:00: the
    # reporting outage 02:00-04:00 is excused; the api outage 02:00-03:00 at the same time counts
    # (3,600 s). The maintenance row names reporting, so it is nothing to api.
    answer = evaluator.availability(
        "Reports", "2027-01",
        [out(at(24, 2), at(24, 4), "reporting"), out(at(24, 2), at(24, 3), "api")],
        maintenance=[{"start": at(24, 2), "end": at(24, 3), "scope": "reporting"}])
    assert scopes(answer) == {"reporting": 0, "api": 3600}


def test_maintenance_outside_every_window_counts_without_an_allowance(evaluator):
    # A maintenance row 5 Jan 10:00-12:00 lies outside every window and the contract sets no
    # allowance: 7,200 s of downtime in every feature (a row naming no scope applies to all).
    answer = evaluator.availability("Reports", "2027-01", [],
                                    maintenance=[(at(5, 10), at(5, 12))])
    assert scopes(answer) == {"reporting": 7200, "api": 7200}
    assert answer["uptime"] == Fraction(2678400 - 7200, 2678400)


def test_posting_and_expiry_dates_from_the_claim(evaluator):
    # 3 h of api downtime in January (10,800 s): uptime 1 - 10,800/2,678,400 = 99.597 %, row
    # 10 %. Claim window: 30 days after 1 Feb 00:00, so claim_by 2 March 2027. Granted claim on
    # 10 February: posted by 10 Feb + 30 days = 12 March 2027; usable until 12 March 2028 - 1 day
    # = 11 March 2028. The extension credit (excess over 2,678.4 s allowed: 8,121.6 s) is posted on
    # the next invoice after 10 February, 1 March 2027, and is usable until the contract's last
    # day, 31 December 2027. A claim on 5 March is after claim_by (2 March): nothing is posted.
    outages = [out(at(5, 10), at(5, 13), "api")]
    answer = evaluator.availability("Reports", "2027-01", outages, claims=["2027-02-10"])
    tiered, extension = answer["credits"]
    assert (tiered["percent"], tiered["claim_by"], tiered["claimed_on"], tiered["posted_by"],
            tiered["usable_until"]) == (10, date(2027, 3, 2), date(2027, 2, 10), date(2027, 3, 12),
                                        date(2028, 3, 11))
    assert tiered["claim_at"] == "credits@example.com"
    assert (extension["posted_on"], extension["usable_until"]) == (date(2027, 3, 1), date(2027, 12, 31))
    late = evaluator.availability("Reports", "2027-01", outages, claims=["2027-03-05"])["credits"][0]
    assert late["claim_late"] is True and "posted_by" not in late and "usable_until" not in late


def test_a_claim_on_an_invoice_day_posts_on_the_next_one(evaluator):
    # An invoice is issued at the start of each billing cycle (a month): a claim granted on
    # 1 March 2027 (an invoice day) is posted on the next invoice, 1 April 2027.
    answer = evaluator.availability("Reports", "2027-01", [out(at(5, 10), at(5, 13), "api")],
                                    claims=[date(2027, 3, 1)])
    assert answer["credits"][1]["posted_on"] == date(2027, 4, 1)


def test_months_after_issue_keep_the_day_or_take_the_months_last():
    from sladsl.runtime.credit_life import add_units

    assert add_units(date(2027, 1, 31), 1, "month") == date(2027, 2, 28)
    assert add_units(date(2028, 1, 31), 1, "month") == date(2028, 2, 29)
    assert add_units(date(2027, 3, 12), 12, "month") == date(2028, 3, 12)
    assert add_units(date(2028, 2, 29), 1, "year") == date(2029, 2, 28)


BILLED = """contract "Hosting" {
  zone UTC
  service Web {
    availability 99.9% per billing month from activation
    credit tiers of monthly fee {
      99.0%..below 99.9% -> 10%
      below 99.0% -> 25%
      POSTING
    }
  }
}
"""


@pytest.mark.parametrize("posting, dates", [
    # posted at most 30 days after the claim of 20 March 2026: by 19 April
    ("post within 30 days after claim", {"posted_by": date(2026, 4, 19)}),
    # the claim falls in billing month 3 (17 March - 16 April): the next invoice starts month 4,
    # on 17 April, not on 1 April as a calendar month would have it
    ("post on next invoice", {"posted_on": date(2026, 4, 17)}),
])
@pytest.mark.parametrize("built", ["load", "generated"])
def test_claims_date_the_credits_of_a_billing_period_from_activation(tmp_path, posting, dates, built):
    # Activated 17 January 2026: billing month 2 runs 17 February - 16 March (28 days, 672 h).
    # 5 h down on 20 February: 667/672 = 99.256%, in the 99.0%..below 99.9% row: 10%.
    text = BILLED.replace("POSTING", posting)
    if built == "load":
        ev = sladsl.load(str(_write(tmp_path, text)))
    else:
        ev = generated_module(compiled(text, "c.sla"), text, tmp_path)
    outage = {"start": datetime(2026, 2, 20, tzinfo=UTC), "end": datetime(2026, 2, 20, 5, tzinfo=UTC)}
    answer = ev.availability("Web", "2026-02", [outage], activated="2026-01-17",
                             claims=["2026-03-20"])
    (credit,) = answer["credits"]
    assert answer["uptime"] == Fraction(667, 672) and credit["percent"] == 10
    assert credit["claimed_on"] == date(2026, 3, 20)
    assert {k: credit[k] for k in dates} == dates


def test_claims_without_a_posting_rule_are_refused_for_a_calendar_period(tmp_path):
    text = CONTRACT.replace("      post within 30 days after claim\n      expire 12 months after issue\n", "")
    text = text.replace("      post on next invoice\n", "")
    evaluator = sladsl.load(str(_write(tmp_path, text)))
    with pytest.raises(ValueError, match="apply to rolling windows"):
        evaluator.availability("Reports", "2027-01", [], claims=["2027-02-10"])


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.sla"
    path.write_text(text, encoding="utf-8")
    return path


def test_uptime_prints_the_windows_used_and_the_credit_dates(tmp_path):
    # The January example through `sladsl uptime --claims`: the primary window of 10 January is
    # used (a maintenance row falls in it), 3 h of api downtime count, the tiered credit (10 %)
    # is claimed on 10 February, posted by 12 March 2027 and usable until 11 March 2028. (A
    # terminal escape in contract text never gets this far: strings refuse control characters.)
    from click.testing import CliRunner

    from sladsl.cli import cli

    text = CONTRACT.replace('claim at "credits@example.com"',
                            'claim at "credits@example.com"\n      claim includes "the account ID"')
    contract = _write(tmp_path, text)
    incidents = tmp_path / "incidents.csv"
    incidents.write_text("start,end,kind,scope\n2027-01-10T02:00:00Z,2027-01-10T05:00:00Z,maintenance,\n"
                         "2027-01-05T10:00:00Z,2027-01-05T13:00:00Z,outage,api\n", encoding="utf-8")
    claims = tmp_path / "claims.csv"
    claims.write_text("claim_date\n2027-02-10\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["uptime", str(contract), "--incidents", str(incidents), "--period",
                                      "2027-01", "--claims", str(claims)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert ("  maintenance window (line 6): 2027-01-10T02:00:00+00:00 .. 2027-01-10T06:00:00+00:00, "
            "used: excluded") in lines
    assert "    claim at credits@example.com" in lines
    assert "    claimed on 2027-02-10" in lines
    assert "    posted by 2027-03-12" in lines
    assert "    usable until 2028-03-11 at the latest, then it expires" in lines
    assert "    posted on 2027-03-01 (the next invoice)" in lines
    assert "    usable until 2027-12-31, then it expires" in lines
    assert "    a claim includes: the account ID" in lines


def test_the_document_states_windows_posting_and_expiry():
    from sladsl.to_markdown import render

    document = render(compile_text(CONTRACT.replace(
        '"credits@example.com"', '"credits@example.com"\n      claim includes "the *account* ID"'),
        "reports.sla").contract)
    assert ("- Maintenance window: 2027-01-10 02:00-06:00 (UTC); if it is not used, the backup window "
            "2027-01-17 02:00-06:00 (UTC).") in document
    assert ("- Maintenance window: 2027-01-24 02:00-04:00 (UTC). During the window only these features "
            "may be unavailable: reporting; outages of any other feature count as downtime.") in document
    assert "- Send claims to: credits@example.com." in document
    assert "- A claim must include: the \\*account\\* ID." in document  # contract text, escaped
    assert "- Posting: the credit is posted within 30 days of an approved claim." in document
    assert "- Expiry: an unused credit expires 12 months after it is posted." in document
    assert "- Posting: the credit is applied to the first invoice issued after an approved claim." in document
    assert "- Expiry: an unused credit expires at the end of this contract (2027-12-31)." in document


@pytest.mark.parametrize("clause, refused", [
    ("    maintenance on 2027-01-10 02:00-06:00\n", "`maintenance windows` of a service"),
    ("    credit extension for excess downtime {\n      post on next invoice\n    }\n", "`life` of an extension credit"),
])
def test_the_sql_engine_refuses_rather_than_answering_differently(tmp_path, clause, refused):
    # The SQL back end implements neither dated windows nor credit dates: `uptime --engine duckdb`
    # refuses with E801 (never an answer that ignores the clause).
    pytest.importorskip("duckdb")
    from click.testing import CliRunner

    from sladsl.cli import cli

    contract = _write(tmp_path, 'contract "C" {\n  zone UTC\n  service Web {\n    availability 99.9% per month\n'
                      + clause + "  }\n}\n")
    incidents = tmp_path / "incidents.csv"
    incidents.write_text("start,end\n2027-01-05T10:00:00Z,2027-01-05T13:00:00Z\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["uptime", str(contract), "--incidents", str(incidents), "--period",
                                      "2027-01", "--engine", "duckdb"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "error[E801]" in result.output and refused in result.output
