"""Credits by outage-duration band (issue 15 item 4): docs/semantics.md "Credits by outage duration".

Expected values are the worked examples of that section, counted by hand there (band edges,
gaps, caps over their period, a day of service as the fee / the days of its month); every
evaluator answer is asked of `sladsl.load()` and of the generated module alike (`Both`).
"""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest

from sladsl.diff import diff as diff_contracts
from sladsl.pipeline import compile_text
from sladsl.runtime.availability import band_credit
from test_availability_clauses import Both, outage, utc

H, M = 3600, 60

BANDS = """contract "Cloud" {
  zone UTC
  service Compute {
    availability 99.9% per quarter
    credit per outage by duration {
      15m..below 1h -> 1 day of service
      1h..below 4h -> 3 days of service
      4h.. -> 7 days of service
      cap 10 days of service per quarter
      claim within 30 days after period end
    }
  }
}
"""

# The worked example's table of 2026-Q2.
Q2 = [outage(utc(5, 14, 10), 15 * M - 1), outage(utc(5, 20), 15 * M), outage(utc(6, 3, 8), H),
      outage(utc(6, 10), 5 * H)]

SPEC_BANDS = [(15 * M, False, H, True, 1), (H, False, 4 * H, True, 3), (4 * H, False, None, False, 7)]


@pytest.mark.parametrize(("seconds", "expected"), [
    (0, (None, 0)), (15 * M - 1, (None, 0)), (15 * M, (0, 1)), (H - 1, (0, 1)), (H, (1, 3)),
    (4 * H - 1, (1, 3)), (4 * H, (2, 7)), (100 * H, (2, 7)),
])
def test_band_edges_are_inclusive_unless_below(seconds, expected):
    assert band_credit(seconds, SPEC_BANDS) == expected


def test_over_excludes_its_bound_and_a_bounded_last_band_ends():
    bands = [(15 * M, False, H, False, 1), (H, True, None, False, 3)]
    assert band_credit(H, bands) == (0, 1)
    assert band_credit(H + 1, bands) == (1, 3)
    assert band_credit(5 * H, [(15 * M, False, 4 * H, False, 1)]) == (None, 0)


def test_a_length_in_a_gap_goes_to_the_party_the_contract_names():
    bands = [(15 * M, False, H, False, 1), (2 * H, False, None, False, 3)]
    assert band_credit(90 * M, bands, "customer") == (1, 3)
    assert band_credit(90 * M, bands, "provider") == (0, 1)
    assert band_credit(90 * M, bands) == (None, 0)


def test_the_worked_example_of_a_quarter(tmp_path):
    cloud = Both(BANDS, tmp_path)
    report = cloud.availability("Compute", "2026-Q2", Q2)
    (credit,) = report["credits"]
    assert credit["kind"] == "bands"
    assert (credit["days"], credit["capped"], credit["periods"]) == (10, True, 3)
    # 1 day in May (31 days), 3 + 6 days in June (30 days), as shares of the monthly fee.
    assert credit["worth_percent"] == F(1030, 31)
    assert credit["worth_basis"] == "monthly"
    assert credit["claim_by"].isoformat() == "2026-07-30"
    assert "15m -> 1 day of service" in credit["rule"]
    assert "at most 10 days of service per quarter" in credit["rule"]
    # Annual billing: a day is 1/365 of 2026's fee.
    (annual,) = cloud.availability("Compute", "2026-Q2", Q2, billing="annual")["credits"]
    assert (annual["days"], annual["worth_percent"], annual["worth_basis"]) == (10, F(1000, 365), "annual")


def test_an_outage_belongs_to_the_period_it_starts_in_with_its_whole_length(tmp_path):
    cloud = Both(BANDS, tmp_path)
    straddling = [{"start": utc(3, 31, 23), "end": utc(4, 1, 2)}]  # 3 h
    (q1,) = cloud.availability("Compute", "2026-Q1", straddling)["credits"]
    assert q1["days"] == 3
    assert cloud.availability("Compute", "2026-Q2", straddling)["credits"] == []


def test_hours_of_service_are_parts_of_a_day(tmp_path):
    text = BANDS.replace("15m..below 1h -> 1 day of service", "15m..below 1h -> 12 hours of service")
    cloud = Both(text, tmp_path)
    (credit,) = cloud.availability("Compute", "2026-Q2", [outage(utc(6, 3), 20 * M)])["credits"]
    assert (credit["days"], credit["worth_percent"]) == (F(1, 2), F(5, 3))  # 1/60 = 1.6667 %
    assert "| 15 minutes to less than 1 hour | 12 hours of service |" in cloud.document()


MONTHLY_QUARTER_CAP = BANDS.replace("per quarter\n    credit", "per month\n    credit").replace(
    "cap 10 days", "cap 5 days")


def test_a_cap_per_quarter_on_a_monthly_service_counts_the_earlier_months(tmp_path):
    web = Both(MONTHLY_QUARTER_CAP, tmp_path)
    april, may = outage(utc(4, 10), 5 * H), outage(utc(5, 10), H)
    (paid,) = web.availability("Compute", "2026-04", [april, may])["credits"]
    assert (paid["days"], paid["capped"]) == (5, True)
    assert web.availability("Compute", "2026-05", [april, may])["credits"] == []
    (alone,) = web.availability("Compute", "2026-05", [may])["credits"]
    assert (alone["days"], alone["capped"]) == (3, False)


def test_the_document_prints_the_bands_and_what_a_day_is_worth(tmp_path):
    document = Both(BANDS, tmp_path).document()
    assert "#### Service credits by outage duration" in document
    assert "| 15 minutes to less than 1 hour | 1 day of service |" in document
    assert "| 1 hour to less than 4 hours | 3 days of service |" in document
    assert "| 4 hours or more | 7 days of service |" in document
    assert "an outage shorter than 15 minutes earns nothing" in document
    assert "divided by that period's number of days" in document
    assert "- Cap: at most 10 days of service per quarter" in document


def _uptime(tmp_path, contract: str, rows: str, *args: str):
    from click.testing import CliRunner

    from sladsl.cli import cli

    (tmp_path / "c.sla").write_text(contract, encoding="utf-8")
    (tmp_path / "i.csv").write_text("start,end\n" + rows, encoding="utf-8")
    return CliRunner().invoke(cli, ["uptime", str(tmp_path / "c.sla"), "--incidents",
                                    str(tmp_path / "i.csv"), *args], catch_exceptions=False)


Q2_ROWS = ("2026-05-14T10:00:00Z,2026-05-14T10:14:59Z\n2026-05-20T00:00:00Z,2026-05-20T00:15:00Z\n"
           "2026-06-03T08:00:00Z,2026-06-03T09:00:00Z\n2026-06-10T00:00:00Z,2026-06-10T05:00:00Z\n")


def test_uptime_text_and_json_name_the_days_and_their_worth(tmp_path):
    text = _uptime(tmp_path, BANDS, Q2_ROWS, "--period", "2026-Q2")
    assert text.exit_code == 0, text.output
    assert ("credit (bands): 10 days of service for 3 outage(s) (capped), worth 33.22% of the monthly "
            "fee (a day of service is the monthly fee / the days of its month)") in text.output
    data = json.loads(_uptime(tmp_path, BANDS, Q2_ROWS, "--period", "2026-Q2", "--format", "json").output)
    (credit,) = data["services"][0]["credits"]
    assert credit["days"]["exact"] == "10/1"
    assert credit["worth_percent"]["exact"] == "1030/31"
    assert credit["worth_basis"] == "monthly"


def test_the_duckdb_engine_refuses_bands(tmp_path):
    result = _uptime(tmp_path, BANDS, Q2_ROWS, "--period", "2026-Q2", "--engine", "duckdb")
    assert result.exit_code == 1
    assert "E801" in result.output and "BandCredit" in result.output


def test_diff_reads_bands_as_a_function_of_outage_length():
    old = compile_text(BANDS, "old.sla").contract
    new = compile_text(BANDS.replace("1h..below 4h -> 3 days", "1h..below 4h -> 2 days"), "new.sla").contract
    (change,) = diff_contracts(old, new)
    assert change.details == ("outages from 1h to less than 4h: the credit goes from 3 days of service "
                              "to 2 days of service",)
    same = compile_text(BANDS.replace("1 day of service", "24 hours of service"), "same.sla").contract
    assert diff_contracts(old, same) == []


# ---- one formula or the other (docs/semantics.md "One formula or the other") -------------------

TWO_REMEDIES = """contract "Cloud" {
  zone UTC
  service Compute {
    availability 99.9% per month
    credit tiers of monthly fee {
      99.0%..below 99.9% -> 10%
      below 99.0% -> 25%
    }
    credit per outage by duration {
      15m..below 1h -> 1 day of service
      1h.. -> 3 days of service
    }
    pay the greater credit
  }
}
"""


def test_the_greater_credit_is_the_one_worth_more_in_money(tmp_path):
    cloud = Both(TWO_REMEDIES, tmp_path)
    # May: a 2 h outage; 99.7312% earns 10%; the band earns 3 days = 300/31 = 9.68% of May's fee.
    (may,) = cloud.availability("Compute", "2026-05", [outage(utc(5, 10), 2 * H)])["credits"]
    assert (may["kind"], may["percent"], may["choice"]) == ("tiered", 10, "greater")
    assert "not paid: bands 9.6774%" in may["rule"]
    # July: four 1 h outages; 99.4624% earns 10%; the bands earn 12 days = 1200/31 = 38.71%.
    july = [outage(utc(7, day), H) for day in (1, 2, 3, 4)]
    (paid,) = cloud.availability("Compute", "2026-07", july)["credits"]
    assert (paid["kind"], paid["days"], paid["worth_percent"]) == ("bands", 12, F(1200, 31))
    # June: two 20-minute outages meet 99.9%: only the bands owe (2 days), nothing to choose.
    (june,) = cloud.availability("Compute", "2026-06", [outage(utc(6, 1), 20 * M),
                                                       outage(utc(6, 2), 20 * M)])["credits"]
    assert (june["kind"], june["days"], june.get("choice")) == ("bands", 2, None)


def test_the_customers_choice_reports_both_and_says_so(tmp_path):
    cloud = Both(TWO_REMEDIES.replace("pay the greater credit", "pay one credit chosen by customer"), tmp_path)
    credits = cloud.availability("Compute", "2026-05", [outage(utc(5, 10), 2 * H)])["credits"]
    assert [(c["kind"], c["choice"]) for c in credits] == [("tiered", "customer"), ("bands", "customer")]
    assert all("the customer chooses one, not both" in c["rule"] for c in credits)
    assert "the customer chooses one of the credits above" in cloud.document()


def test_every_credit_is_paid_when_the_contract_says_so(tmp_path):
    cloud = Both(TWO_REMEDIES.replace("pay the greater credit", "pay every credit"), tmp_path)
    credits = cloud.availability("Compute", "2026-05", [outage(utc(5, 10), 2 * H)])["credits"]
    assert [(c["kind"], c.get("choice")) for c in credits] == [("tiered", None), ("bands", None)]
    assert "Each of the credits above is paid for the same month." in cloud.document()


def test_uptime_names_the_choice(tmp_path):
    rows = "2026-05-10T00:00:00Z,2026-05-10T02:00:00Z\n"
    text = _uptime(tmp_path, TWO_REMEDIES, rows, "--period", "2026-05").output
    assert "credit (tiered) (the greater of the service's credits): 10% of the monthly fee" in text
    assert "credit (bands)" not in text
    chosen = TWO_REMEDIES.replace("pay the greater credit", "pay one credit chosen by customer")
    text = _uptime(tmp_path, chosen, rows, "--period", "2026-05").output
    assert "credit (bands) (one of the credits the customer chooses from, not both)" in text


def test_sql_runs_every_credit_and_refuses_a_choice():
    from sladsl.to_sql_availability import refusals
    from sladsl.to_spec import to_spec

    tiers_and_extension = TWO_REMEDIES.split("    credit per outage")[0] + (
        "    credit extension for excess downtime {\n    }\n    pay every credit\n  }\n}\n")
    for text, refused in ((tiers_and_extension, False),
                          (tiers_and_extension.replace("pay every credit", "pay the greater credit"), True)):
        contract = compile_text(text, "c.sla").contract
        found = refusals(contract, to_spec(contract, text.encode()))
        assert bool(found) is refused, found


# ---- fee bases (docs/semantics.md "Fee bases") --------------------------------------------------

FEES = """contract "Cloud" {
  zone UTC
  service Compute {
    availability 99.99% per quarter
    measured per region in "eu-west", "us-east" overall each
    credit tiers of quarterly fee {
      99.0%..below 99.99% -> 10%
      below 99.0% -> 25%
      fee of the affected region
    }
  }
  service Desk {
    availability 99% per month
    credit tiers of support fee {
      below 99.0% -> 20%
      cap 30% of support fee per quarter
    }
  }
  service Net {
    availability 99.9% per month
    credit per outage beyond 0m per started 1h {
      5% of monthly fee
      15% of quarterly fee
    }
  }
}
"""


def test_a_table_of_the_quarterly_fee_of_the_affected_region(tmp_path):
    cloud = Both(FEES, tmp_path)
    # us-east: 2 h of 2026-Q2's 7,862,400 s = 99.9084%: 10% of that region's quarterly fee.
    (credit,) = cloud.availability("Compute", "2026-Q2", [dict(outage(utc(5, 10), 2 * H), scope="us-east")])["credits"]
    assert (credit["percent"], credit["basis"], credit["fee_scope"], credit["scope"]) == \
        (10, "quarterly", "region", "us-east")
    assert "| Quarterly uptime | Credit (of the quarterly fee of the affected region) |" in cloud.document()


def test_a_table_of_the_support_fee_capped_over_the_quarter(tmp_path):
    desk = Both(FEES, tmp_path)
    down = [outage(utc(4, 10), 10 * H), outage(utc(5, 10), 10 * H)]  # 98.61% and 98.66%: 20% each
    (april,) = desk.availability("Desk", "2026-04", down)["credits"]
    (may,) = desk.availability("Desk", "2026-05", down)["credits"]
    assert (april["percent"], april["basis"], april["capped"]) == (20, "support", False)
    assert (may["percent"], may["capped"]) == (10, True)  # the quarter's 30% minus April's 20%
    assert "- Cap: at most 30% of the support fee per quarter" in desk.document()


def test_quarterly_billing_picks_the_quarterly_amount_and_values_days_by_the_quarter(tmp_path):
    both = Both(FEES, tmp_path)
    two_hours = [outage(utc(5, 10), 2 * H)]
    (monthly,) = both.availability("Net", "2026-05", two_hours)["credits"]
    (quarterly,) = both.availability("Net", "2026-05", two_hours, billing="quarterly")["credits"]
    assert (monthly["percent"], monthly["basis"]) == (10, "monthly")
    assert (quarterly["percent"], quarterly["basis"]) == (30, "quarterly")
    cloud = Both(BANDS, tmp_path)
    (days,) = cloud.availability("Compute", "2026-Q2", [outage(utc(6, 3), 2 * H)], billing="quarterly")["credits"]
    assert (days["days"], days["worth_percent"], days["worth_basis"]) == (3, F(300, 91), "quarterly")


def test_uptime_names_the_fee_and_sql_refuses_quarterly_billing(tmp_path):
    rows = "2026-05-10T00:00:00Z,2026-05-10T02:00:00Z,us-east\n"
    (tmp_path / "c.sla").write_text(FEES, encoding="utf-8")
    (tmp_path / "i.csv").write_text("start,end,scope\n" + rows, encoding="utf-8")
    from click.testing import CliRunner

    from sladsl.cli import cli

    args = ["uptime", str(tmp_path / "c.sla"), "--incidents", str(tmp_path / "i.csv"), "--period", "2026-Q2",
            "--service", "Compute"]
    text = CliRunner().invoke(cli, args).output
    assert "credit (tiered) for region `us-east`: 10% of the quarterly fee of the affected region" in text
    refused = CliRunner().invoke(cli, [*args, "--engine", "duckdb", "--billing", "quarterly"])
    assert refused.exit_code == 2 and "--billing quarterly" in refused.output


def test_diff_sees_the_choice_and_the_fee():
    old = compile_text(TWO_REMEDIES, "old.sla").contract
    chosen = compile_text(TWO_REMEDIES.replace("pay the greater credit", "pay every credit"), "new.sla").contract
    assert [c.sentence() for c in diff_contracts(old, chosen)] == \
        ["service Compute: credit choice changed: greater -> every"]
    quarterly = compile_text(FEES.replace("tiers of support fee", "tiers of monthly fee")
                             .replace("30% of support fee", "30% of monthly fee"), "q.sla").contract
    changes = [c.sentence() for c in diff_contracts(compile_text(FEES, "f.sla").contract, quarterly)]
    assert "service Desk, credit table: basis changed: support -> monthly" in changes


SPLIT_GREATER = """contract "Hosting" {
  effective 2027-01-01
  zone UTC
  service Web {
    availability 99.9% per month
    credit tiers of monthly fee {
      below 99.9% -> 10%
    }
    credit per outage by duration {
      1h.. -> 3 days of service
    }
    pay the greater credit
  }
}

contract "Hosting" {
  effective 2027-03-15 splitting periods
  zone UTC
  service Web {
    availability 99.9% per month
    credit tiers of monthly fee {
      below 99.9% -> 10%
    }
    credit per outage by duration {
      1h.. -> 3 days of service
    }
    pay the greater credit
  }
}
"""


def test_a_split_period_pays_the_greater_credit_too(tmp_path):
    import sladsl

    path = tmp_path / "split.sla"
    path.write_text(SPLIT_GREATER, encoding="utf-8")
    outages = [outage(utc(3, 20, year=2027), 2 * H + 30 * M)]
    march = sladsl.load(path).availability("Web", "2027-03", outages)
    # The part from 15 March (17 days, 1,468,800 s) misses 99.9% with 9,000 s: 10% x 17/31 of the
    # month = 5.48%; the band owes 3 days = 300/31 = 9.68% of March's fee: the bands are paid.
    assert [(c["kind"], c["days"], c["choice"]) for c in march["credits"]] == [("bands", 3, "greater")]


def test_the_greater_of_a_fee_share_and_money_is_refused():
    text = TWO_REMEDIES.replace("    credit per outage by duration {\n      15m..below 1h -> 1 day of service\n"
                                "      1h.. -> 3 days of service\n    }\n",
                                "    credit USD 120 per started hour of downtime {\n    }\n")
    result = compile_text(text, "c.sla")
    assert result.contract is None
    assert [d.code for d in result.diagnostics] == ["E437"]
