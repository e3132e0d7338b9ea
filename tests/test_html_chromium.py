"""`render --format html` in a real browser: headless Chromium (the Debian `chromium` package)
opens each seed contract's page, which must load with no console error or exception and draw its
charts (every SVG has a non-empty bounding box and its bands or steps). A PNG of each page is
written for people to look at (kept under $SLADSL_SCREENSHOTS when set).

Without Chromium the test is skipped locally, and fails in CI (CI=true): `.ci/run` installs it
with apt, and a CI run that silently skipped the browser would prove nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sladsl.pipeline import compile_path
from sladsl.to_html import render_html
from tests.chromium import Browser, find_chromium

ROOT = Path(__file__).resolve().parent.parent
STEMS = ("haisoft", "qiscus", "rocketchat", "rocksoft", "vhostweb")
# Per SVG: bounding box, and how many drawn marks (opening bands, or the credit step path).
MEASURE = """JSON.stringify([...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBBox();
  return {kind: svg.classList.contains('credit') ? 'credit' : 'hours', width: box.width, height: box.height,
          marks: svg.querySelectorAll('rect.band, path.step').length,
          drawn: [...svg.querySelectorAll('rect.band, path.step')].every(m => {
            const b = m.getBBox(); return b.width > 0 && b.height >= 0; })};
}))"""


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        message = "chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI must run the browser test, see .ci/run")
        pytest.skip(message)
    with Browser(executable) as opened:
        yield opened


@pytest.mark.parametrize("stem", STEMS)
def test_page_renders_in_chromium_with_its_charts(stem, browser, tmp_path):
    import json

    contract = compile_path(ROOT / "contracts" / f"{stem}.sla", f"contracts/{stem}.sla").contract
    page = tmp_path / f"{stem}.html"
    page.write_text(render_html(contract), encoding="utf-8")
    shots = Path(os.environ.get("SLADSL_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    png = shots / f"{stem}.png"
    value, errors = browser.open(page.as_uri(), MEASURE, png)
    assert errors == [], errors
    charts = json.loads(value)
    hours = [c for c in charts if c["kind"] == "hours"]
    assert hours, "every seed contract states some support hours"
    for chart in charts:
        assert chart["width"] > 100 and chart["height"] > 50, chart
        assert chart["drawn"], chart
    assert any(c["marks"] for c in hours), charts
    credits = [c for c in charts if c["kind"] == "credit"]
    tiered = sum(1 for s in contract.services for k in s.credits if type(k).__name__ == "TieredCredit")
    assert len(credits) == tiered and all(c["marks"] == 1 for c in credits), charts
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
