"""The HTML page: standalone, escaped, with the charts drawn from the model (values by hand)."""

from __future__ import annotations

import os
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

from sladsl import model
from sladsl.pipeline import compile_path, compile_text
from sladsl.to_html import credit_steps, render_html, tier_credit

ROOT = Path(__file__).resolve().parent.parent


def contract_of(stem: str) -> model.Contract:
    return compile_path(ROOT / "contracts" / f"{stem}.sla", f"contracts/{stem}.sla").contract


def test_contract_text_is_escaped_everywhere():
    evil = '<script>alert(1)</script> & "q" <img src=x onerror=alert(2)>'
    quoted = evil.replace('"', '\\"')
    text = (f'contract "{quoted}" {{\n  provider "{quoted}"\n  calendar office = Mon-Fri 09:00-17:00 UTC\n'
            f'  channel "{quoted}" {{\n    hours office\n  }}\n'
            f'  service "{quoted}" {{\n    availability 99% per month\n'
            f'    credit tiers of monthly fee {{\n      ..98.9% -> 10%\n    }}\n  }}\n}}\n')
    result = compile_text(text)
    assert result.contract is not None, result.diagnostics
    page = render_html(result.contract)
    assert "<script" not in page and "<img" not in page and "onerror=alert" not in page.replace(
        "onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;" in page


def test_page_is_standalone():
    page = render_html(contract_of("qiscus"))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for needle in ("<script", "src=\"http", "href=\"http", "<link", "@import", "url("):
        assert needle not in page, needle
    assert "@media print" in page
    # Qiscus: office (Basic, Premium), everyday (8x7) and always (24x7): three hours charts.
    assert page.count('class="chart hours"') == 3


def test_vhostweb_credit_steps_follow_the_table():
    contract = contract_of("vhostweb")
    (service,) = contract.services
    (credit,) = service.credits
    target = service.availability.target
    # Rows as printed; between rows the customer gets the larger credit; at the target, nothing.
    assert tier_credit(credit, target, F(9995, 100)) == 0
    assert tier_credit(credit, target, F(999, 10)) == 0
    assert tier_credit(credit, target, F(9989, 100)) == 5
    assert tier_credit(credit, target, F(9895, 100)) == 10
    assert tier_credit(credit, target, F(9795, 100)) == 15
    assert tier_credit(credit, target, F(9495, 100)) == 25
    assert tier_credit(credit, target, F(8995, 100)) == 30
    assert tier_credit(credit, target, F(50)) == 30
    start, steps = credit_steps(credit, target)
    assert start < F(899, 10)
    assert [s[2] for s in steps] == [30, 25, 15, 10, 5, 0]


def test_hours_chart_bands_match_the_calendar():
    page = render_html(contract_of("haisoft"))
    # Phone: Mon-Fri 09:00-11:00 and 13:00-16:00: ten bands; Ticket: 24x7, seven full bands.
    assert page.count("<title>Mon 09:00-11:00</title>") == 1
    assert page.count("<title>Fri 13:00-16:00</title>") == 1
    assert page.count("00:00-24:00</title>") == 7


def test_browser_test_fails_in_ci_without_chromium(tmp_path):
    env = dict(os.environ, CI="true", PATH=str(tmp_path))  # no chromium on this PATH
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/test_html_chromium.py::test_page_renders_in_chromium_with_its_charts[vhostweb]"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "chromium is not installed" in run.stdout


def test_holiday_summary_without_frozen_years_and_with_holiday_hours():
    """Regression: a calendar of dated holidays only (no frozen years) crashed `render --format
    html` (`None has no element 0`); a calendar with holiday hours is not "closed" on holidays."""
    dated = compile_text("calendar c = Mon-Fri 09:00-17:00 UTC except 2026-12-24 - 2026-12-26\n"
                         "respond 4h\n", "a.sla")
    page = render_html(dated.contract)
    assert "<summary>Closed on holidays</summary>" in page and "24 Dec" in page
    hours = compile_text("calendar c = Mon-Fri 09:00-17:00 UTC except Dec 24 on holidays 10:00-12:00\n"
                         "respond 4h\n", "b.sla")
    page = render_html(hours.contract)
    assert "<summary>Open 10:00-12:00 on holidays, 2020 to 2035</summary>" in page
