"""Choices by ticket attributes in the data layer and the CLI (docs/semantics.md "Calendars and
plans chosen by ticket attributes"): the columnar batch path agrees with `evaluate_ticket` fed
the raw rows, a missing column or an unmatched value is a data error naming the row and the
attribute, and `eval --events`, `--live`, `explain`, `fmt`, `diff`, the SQL guard all see them.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import sladsl
from sladsl.cli import cli
from sladsl.data import DataError, Names, Skipped, read_ticket_chunks, read_tickets
from sladsl.diff import diff
from sladsl.evaluate import Evaluation
from sladsl.fmt import format_text
from sladsl.pipeline import compile_path, compile_text
from sladsl.to_markdown import render

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "cases" / "choices" / "good" / "regional_policies.sla"
UTC = timezone.utc
NOW = datetime(2026, 6, 1, tzinfo=UTC)
LOCATIONS = ["United States", "canada", " Mexico", "Germany", "France", "", "Japan"]
ORGANISATIONS = ["Acme", "acme", "Globex", "Initech", ""]
TAGS = ["", "vip", "gold billing", "billing,vip", "other", "VIP"]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def random_rows(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    base = datetime(2026, 3, 2, tzinfo=UTC)
    for i in range(count):
        opened = base + timedelta(seconds=rng.randrange(0, 50 * 86400))
        row = {"id": f"T{i}", "priority": rng.choice(["Urgent", "Normal"]),
               "opened_at": opened.isoformat(), "channel": rng.choice(["", "Phone"]),
               "location": rng.choice(LOCATIONS), "organisation": rng.choice(ORGANISATIONS),
               "tags": rng.choice(TAGS), "first_response_at": "", "resolved_at": ""}
        if rng.random() < 0.7:
            row["first_response_at"] = (opened + timedelta(seconds=rng.randrange(0, 3 * 86400))).isoformat()
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_batch_path_equals_evaluate_ticket_on_the_raw_rows(tmp_path):
    model = compile_path(GOOD).contract
    evaluator = sladsl.load(str(GOOD))
    rows = random_rows(400, 20260306)
    path = write_csv(tmp_path / "tickets.csv", rows)
    by_id = {r["id"]: r for r in rows}
    run = Evaluation(model, evaluator, NOW)
    compared = 0
    for chunk in read_ticket_chunks(path, Names.of_contract(model), size=97):
        result = run.run_chunk(chunk)
        for ident, verdicts in zip(result.chunk.ids, result.verdicts()):
            raw = by_id[ident]
            ticket = {"id": ident, "priority": raw["priority"], "channel": raw["channel"] or None,
                      "opened_at": datetime.fromisoformat(raw["opened_at"]), "now": NOW,
                      "location": raw["location"], "organisation": raw["organisation"],
                      "tags": raw["tags"]}
            if raw["first_response_at"]:
                ticket["first_response_at"] = datetime.fromisoformat(raw["first_response_at"])
            expected = evaluator.evaluate_ticket(ticket)["results"]
            assert [(v.metric, v.due, v.status) for v in verdicts] == [
                (r["metric"], int(r["due"].timestamp()), r["status"]) for r in expected], ident
            compared += len(verdicts)
    assert compared == 400


def test_jsonl_rows_and_tag_lists_read_the_same(tmp_path):
    model = compile_path(GOOD).contract
    rows = random_rows(60, 7)
    csv_path = write_csv(tmp_path / "t.csv", rows)
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text("".join(json.dumps({**r, "tags": r["tags"].replace(",", " ").split()}) + "\n"
                             for r in rows), encoding="utf-8")
    names = Names.of_contract(model)
    keys = [t.key for t in read_tickets(csv_path, names)]
    assert keys == [t.key for t in read_tickets(jsonl, names)]
    assert keys == [k for c in read_ticket_chunks(csv_path, names, size=13) for k in c.keys]


STRICT = GOOD.read_text(encoding="utf-8").replace("    otherwise: eu_hours\n", "").replace(
    "plan Standard otherwise {", "plan Standard {")


def test_missing_column_is_a_data_error_naming_it(tmp_path):
    rows = [{k: v for k, v in r.items() if k != "location"} for r in random_rows(3, 1)]
    path = write_csv(tmp_path / "tickets.csv", rows)
    result = invoke("eval", str(GOOD), "--tickets", str(path), "--now", "2026-06-01T00:00:00Z")
    assert result.exit_code == 1
    assert "missing required column(s) `location`" in result.output
    assert "--map location=COLUMN" in result.output
    mapped = write_csv(tmp_path / "mapped.csv", [{**r, "country": "Germany"} for r in rows])
    result = invoke("eval", str(GOOD), "--tickets", str(mapped), "--map", "location=country",
                    "--now", "2026-06-01T00:00:00Z")
    assert result.exit_code == 0, result.output


def test_no_branch_and_no_otherwise_is_a_data_error_never_a_default(tmp_path):
    contract = tmp_path / "strict.sla"
    contract.write_text(STRICT, encoding="utf-8")
    model = compile_path(contract).contract
    base = {"priority": "Normal", "opened_at": "2026-03-06T16:30:00Z", "channel": "",
            "tags": "", "first_response_at": "", "resolved_at": ""}
    rows = [{**base, "id": "ok", "location": "Germany", "organisation": "Acme"},
            {**base, "id": "where", "location": "France", "organisation": "Acme"},
            {**base, "id": "who", "location": "Germany", "organisation": "Initech"}]
    path = write_csv(tmp_path / "tickets.csv", rows)
    names = Names.of_contract(model)
    for read in (lambda: list(read_tickets(path, names)),
                 lambda: [t for c in read_ticket_chunks(path, names) for t in c.tickets()]):
        with pytest.raises(DataError) as caught:
            read()
        assert (caught.value.row, caught.value.field) == (3, "location")
        assert "location `France` matches no branch" in str(caught.value)
    skipped = Skipped()
    kept = [t.id for c in read_ticket_chunks(path, names, skipped=skipped) for t in c.tickets()]
    assert kept == ["ok"] and skipped.total == 2
    result = invoke("eval", str(contract), "--tickets", str(path), "--now", "2026-06-01T00:00:00Z",
                    "--skip-invalid")
    assert "1 x no calendar for `location` (rows 3)" in result.output
    assert "1 x no plan matches (rows 4)" in result.output
    alone = write_csv(tmp_path / "who.csv", rows[2:])
    result = invoke("eval", str(contract), "--tickets", str(alone), "--now", "2026-06-01T00:00:00Z")
    assert result.exit_code == 1
    # the row, the fields the plans' conditions read, and their values
    assert "who.csv:2: field `channel, organisation, tags`: no plan's conditions match the " \
           "ticket (channel (blank), organisation `Initech`, tags (blank))" in result.output


def test_events_live_and_explain_read_the_attributes(tmp_path):
    rows = [{"id": "A", "priority": "Normal", "opened_at": "2026-03-06T16:30:00Z", "channel": "",
             "location": "Canada", "organisation": "Acme", "tags": ""}]
    tickets = write_csv(tmp_path / "tickets.csv", rows)
    events = tmp_path / "events.csv"
    events.write_text("id,at,event,value\nA,2026-03-06T21:00:00Z,reply,\n", encoding="utf-8")
    # Enterprise on us_hours: 11:30 EST + 4 h = 15:30 EST = 20:30 UTC; the reply at 21:00 is late.
    result = invoke("eval", str(GOOD), "--tickets", str(tickets), "--events", str(events),
                    "--now", "2026-03-10T00:00:00Z", "--format", "csv")
    line = result.output.splitlines()[1]
    assert ",Enterprise,Normal," in line and ",us_hours," in line and ",breached," in line
    assert "2026-03-06T15:30:00-05:00" in line
    live = invoke("eval", str(GOOD), "--tickets", str(tickets), "--live",
                  "--now", "2026-03-06T17:30:00Z")
    assert "2026-03-06 15:30 -05:00" in live.output and "3h" in live.output
    explained = invoke("explain", str(GOOD), "--tickets", str(tickets), "--ticket", "A",
                       "--now", "2026-03-10T00:00:00Z")
    assert "plan Enterprise, location Canada" in explained.output
    assert "calendar `us_hours`" in explained.output


def test_fmt_round_trips_and_diff_sees_each_change():
    text = GOOD.read_text(encoding="utf-8")
    once, problems = format_text(text, "x.sla")
    assert not problems and once is not None
    assert format_text(once, "x.sla")[0] == once
    before = compile_text(text, "a.sla").contract
    assert diff(before, compile_text(once, "b.sla").contract) == []
    for old, new in (('"Germany": de_hours', '"Austria": de_hours'),
                     ('otherwise: eu_hours', 'otherwise: de_hours'),
                     ('organisation is "Acme", "Globex"', 'organisation is "Acme"'),
                     ('tags has "vip", "gold"', 'tags has "vip"')):
        after = compile_text(text.replace(old, new), "b.sla").contract
        assert diff(before, after), (old, new)


def test_the_document_says_which_hours_apply_to_whom():
    document = render(compile_path(GOOD).contract)
    assert 'chosen by the ticket\'s location; location "United States" or "Canada" or "Mexico": ' \
           "Mon-Fri 09:00-18:00 America/New\\_York" in document
    assert "any other location: Mon-Fri 09:00-17:00 Europe/London" in document
    assert "1. Enterprise: the ticket's organisation is \"Acme\" or \"Globex\"." in document
    assert "3. Standard: any other ticket." in document


def test_the_sql_back_end_refuses_the_choices():
    result = invoke("check", "--sql", str(GOOD))
    assert result.exit_code == 1
    assert "calendars chosen by a ticket attribute" in result.output
    assert "plans chosen by ticket attributes" in result.output


def test_due_lenses_show_each_chosen_calendar():
    from sladsl.editor import Document

    doc = Document(GOOD.read_text(encoding="utf-8"), "regional.sla")
    # Friday 6 March 2026 16:30 UTC: 11:30 in New York, 17:30 in Berlin, 16:30 in London
    lenses = dict((span.line, text) for span, text in doc.lenses(datetime(2026, 3, 6, 16, 30, tzinfo=UTC)))
    standard = lenses[31]  # `respond 1 business day` of plan Standard
    assert "under Standard, us_hours" in standard and "under Standard, de_hours" in standard
    assert "under Standard, eu_hours" in standard


def test_versions_that_choose_differently_are_refused_not_misread(tmp_path):
    version = """contract "V" {{
  effective {day}
  calendar office = Mon-Fri 09:00-17:00 UTC
  plan Gold{gold} {{
    hours office
    respond 1h
  }}
  plan Basic{basic} {{
    hours office
    respond 8h
  }}
}}
"""
    contract = tmp_path / "v.sla"
    contract.write_text(version.format(day="2026-01-01", gold="", basic="") + "\n"
                        + version.format(day="2026-07-01", gold=' when tags has "vip"',
                                         basic=" otherwise"), encoding="utf-8")
    tickets = write_csv(tmp_path / "t.csv", [{"id": "1", "opened_at": "2026-03-02T10:00:00Z",
                                             "tags": "vip", "plan": ""}])
    result = invoke("eval", str(contract), "--tickets", str(tickets), "--now", "2026-08-01T00:00:00Z")
    assert result.exit_code == 1
    assert "choose plans or calendars by ticket attributes differently" in result.output
