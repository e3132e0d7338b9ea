"""`explain` and data errors tell the truth about clocks (issue 20.15).

Expected text is worked out by hand from docs/semantics.md: a 24x7 calendar is business time
every hour of every date, so 5 business days from Monday 00:00 (anchored at Sunday 24:00) run to
Saturday 00:00 and are shown one local date at a time; a night calendar's stretch that runs
through midnight is shown on both dates.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sladsl.cli import cli

ROOT = Path(__file__).resolve().parent.parent
QISCUS = str(ROOT / "contracts" / "qiscus.sla")
CONTRACT = """contract BD {
  zone UTC
  calendar always = 24x7
  calendar nights = Mon-Fri 00:00-06:00, 22:00-24:00
  priorities High, Low
  priority High respond 5 business days within always
  priority Low respond 1 business day within nights
}
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_explain_shows_midnight_stretches_per_local_date(tmp_path):
    contract = tmp_path / "bd.sla"
    contract.write_text(CONTRACT, encoding="utf-8")
    result = run("explain", str(contract), "--priority", "High", "--opened-at",
                 "2026-05-04T00:00:00Z", "--now", "2026-05-06T00:00:00Z")
    assert result.exit_code == 0, result.output
    days = [line.strip() for line in result.stdout.splitlines() if line.startswith("  2026-05-0")]
    # It was one line, "2026-05-04 Mon: 24:00-24:00: 120h used".
    assert days == [f"2026-05-0{d} {name}: 00:00-24:00: 24h used"
                    for d, name in zip(range(4, 9), ("Mon", "Tue", "Wed", "Thu", "Fri"))]
    assert "  due: 2026-05-09 00:00 +00:00" in result.stdout
    result = run("explain", str(contract), "--priority", "Low", "--opened-at",
                 "2026-05-04T23:00:00Z", "--now", "2026-05-06T00:00:00Z")
    assert result.exit_code == 0, result.output
    days = [line.strip() for line in result.stdout.splitlines() if line.startswith("  2026-05-0")]
    # Monday 23:00 + 1 business day = Tuesday 23:00: 1h on Monday, 6h + 1h on Tuesday.
    assert days == ["2026-05-04 Mon: 23:00-24:00: 1h used",
                    "2026-05-05 Tue: 00:00-06:00, 22:00-23:00: 7h used"]


PAUSED = ('id,priority,plan,opened_at,pauses\n'
          'A,Critical,Premium,2026-05-04T10:00:00+07:00,'
          '"[[""2026-05-04T10:10:00+07:00"",""2040-01-01T00:00:00+07:00""]]"\n')


def test_a_pause_beyond_the_frozen_years_blames_the_pause(tmp_path):
    # Qiscus freezes Indonesian holidays for 2020-2035; the ticket opens in 2026 but its pause
    # runs to 2040. The opening is fine: the pause is the field to check, not opened_at.
    tickets = tmp_path / "p.csv"
    tickets.write_text(PAUSED, encoding="utf-8")
    result = run("eval", QISCUS, "--tickets", str(tickets), "--now", "2026-06-01T00:00:00Z")
    assert result.exit_code == 1
    assert result.stderr.startswith("sladsl: p.csv:2: field `pauses`: cannot judge its response: "
                                    "its pauses reach a year the contract cannot answer")
    assert "rebuild" not in result.stderr and "check the pauses value" in result.stderr
    result = run("explain", QISCUS, "--tickets", str(tickets), "--ticket", "A",
                 "--now", "2026-06-01T00:00:00Z")
    assert result.exit_code == 1
    assert "its `pauses` reach a year the contract cannot answer" in result.stderr
    assert "rebuild" not in result.stderr
