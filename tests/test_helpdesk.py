"""Helpdesk exports in (issue 14.8): `sladsl import zendesk|jsm` on synthetic exports with the
real field names (tests/data/helpdesk), the recipes of docs/helpdesk.md run as written, and
`eval`'s value options (`--map-values`, `--map-file`, `--ignore-case`, `--default-priority`,
`--time-format`, Parquet input)."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from sladsl.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "helpdesk"
POLICY = str(ROOT / "examples" / "support-policy" / "support-policy.sla")
DOC = (ROOT / "docs" / "helpdesk.md").read_text(encoding="utf-8")
NOW = "2026-05-05T00:00:00Z"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def zendesk(out: Path):
    return run("import", "zendesk", "--tickets", str(DATA / "zendesk-tickets.json"),
               "--audits", str(DATA / "zendesk-audits.jsonl"), "--plan-tag", "plan_", "-o", str(out))


def jsm(out: Path):
    return run("import", "jsm", "--issues", str(DATA / "jsm-issues.json"),
               "--plan-field", "customfield_10050", "-o", str(out))


def _doc_block_after(marker: str) -> list[str]:
    """The lines of docs/helpdesk.md after the line holding `marker`, up to the next `$` or fence."""
    lines = DOC.splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line) + 1
    out = []
    for line in lines[start:]:
        if line.startswith(("$", "```", "    ")):
            if line.startswith("    "):
                continue  # a continued command line
            break
        out.append(line)
    return out


def test_zendesk_import_writes_the_documented_files(tmp_path):
    result = zendesk(tmp_path)
    assert result.exit_code == 0, result.output
    assert "imported 2 ticket(s) and 13 event(s)" in result.output
    tickets = (tmp_path / "tickets.csv").read_text().splitlines()
    assert tickets == _doc_block_after("$ cat out/tickets.csv")
    events = (tmp_path / "events.csv").read_text().splitlines()
    assert events[:7] == _doc_block_after("$ head -7 out/events.csv")
    # the description, the internal note and the Create events are no events; the solve is
    assert events[7:] == [
        "35436,2026-05-04T17:00:00Z,reply,", "35436,2026-05-04T17:00:00Z,update,",
        "35436,2026-05-04T17:00:00Z,status,solved", "35436,2026-05-04T17:00:00Z,resolved,",
        "35437,2026-05-04T16:00:00Z,reply,", "35437,2026-05-04T16:00:00Z,update,",
        "35437,2026-05-04T16:00:00Z,status,pending"]


def _table_rows(output: str, prefix: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(prefix)]


def test_zendesk_recipe_eval_as_documented(tmp_path):
    assert zendesk(tmp_path).exit_code == 0
    result = run("eval", POLICY, "--tickets", str(tmp_path / "tickets.csv"), "--events",
                 str(tmp_path / "events.csv"), "--ignore-case",
                 "--map-values", "plan=std:Standard,ent:Enterprise", "--default-priority",
                 "Normal", "--now", NOW)
    assert result.exit_code == 0, result.output
    documented = [line for line in DOC.splitlines() if re.match(r"3543[67] ", line)]
    assert documented and documented == _table_rows(result.output, "3543")


def test_jsm_import_and_recipe(tmp_path):
    result = jsm(tmp_path)
    assert result.exit_code == 0, result.output
    assert "imported 2 ticket(s) and 8 event(s)" in result.output
    assert (tmp_path / "tickets.csv").read_text().splitlines() == [
        "id,priority,plan,opened_at,status,source_channel",
        "SD-1,High,Enterprise,2026-05-04T13:00:00Z,Resolved,",
        "SD-2,Low,Standard,2026-05-04T14:00:00Z,Waiting for support,"]
    assert (tmp_path / "events.csv").read_text().splitlines()[1:] == [
        "SD-1,2026-05-04T13:45:00Z,reply,", "SD-1,2026-05-04T13:45:00Z,update,",
        "SD-1,2026-05-04T13:45:00Z,status,Waiting for customer",
        "SD-1,2026-05-04T16:00:00Z,customer_reply,",
        "SD-1,2026-05-04T16:00:00Z,status,Waiting for support",
        "SD-1,2026-05-04T19:00:00Z,status,Resolved", "SD-1,2026-05-04T19:00:00Z,resolved,",
        "SD-2,2026-05-04T15:00:00Z,priority,Medium"]
    result = run("eval", POLICY, "--tickets", str(tmp_path / "tickets.csv"), "--events",
                 str(tmp_path / "events.csv"), "--pause-status", "Waiting for customer",
                 "--map-values", "priority=Highest:Urgent,Medium:Normal,Lowest:Low", "--now", NOW)
    assert result.exit_code == 0, result.output
    documented = [line for line in DOC.splitlines() if re.match(r"SD-\d  ", line)]
    assert documented and documented == _table_rows(result.output, "SD-")


def test_jsm_bulk_changelog_file(tmp_path):
    issues = json.loads((DATA / "jsm-issues.json").read_text())
    logs = []
    for issue in issues["issues"]:
        logs.append({"issueId": issue["id"], "changeHistories": issue.pop("changelog")["histories"]})
    (tmp_path / "issues.json").write_text(json.dumps(issues))
    (tmp_path / "logs.json").write_text(json.dumps({"issueChangeLogs": logs}))
    assert jsm(tmp_path / "a").exit_code == 0
    result = run("import", "jsm", "--issues", str(tmp_path / "issues.json"), "--changelog",
                 str(tmp_path / "logs.json"), "--plan-field", "customfield_10050", "-o",
                 str(tmp_path / "b"))
    assert result.exit_code == 0, result.output
    for name in ("tickets.csv", "events.csv"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text()


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("edit, message", [
    (lambda t, a: a[3].update(created_at="yesterday"),
     "zendesk-audits.jsonl:4: field `created_at`: unparseable timestamp `yesterday`"),
    (lambda t, a: a[6].update(ticket_id=999),
     "zendesk-audits.jsonl:7: field `ticket_id`: no ticket `999` in the ticket export"),
    (lambda t, a: t["tickets"].append(dict(t["tickets"][0])),
     "zendesk-tickets.json:3: field `id`: ticket `35436` appears twice in the export"),
    (lambda t, a: t["tickets"][1].pop("created_at"),
     "zendesk-tickets.json:2: field `created_at`: expected a timestamp, got None"),
    (lambda t, a: a[1].update(events="none"),
     "zendesk-audits.jsonl:2: field `events`: expected the audit's list of events"),
])
def test_zendesk_bad_records_name_the_record_and_field(tmp_path, edit, message):
    tickets = json.loads((DATA / "zendesk-tickets.json").read_text())
    audits = _lines(DATA / "zendesk-audits.jsonl")
    edit(tickets, audits)
    (tmp_path / "zendesk-tickets.json").write_text(json.dumps(tickets))
    (tmp_path / "zendesk-audits.jsonl").write_text("".join(json.dumps(a) + "\n" for a in audits))
    out = tmp_path / "out"
    result = run("import", "zendesk", "--tickets", str(tmp_path / "zendesk-tickets.json"),
                 "--audits", str(tmp_path / "zendesk-audits.jsonl"), "-o", str(out))
    assert result.exit_code == 1
    assert result.output.startswith(f"sladsl: {message}"), result.output
    assert not out.exists()  # nothing written


def test_import_usage_errors(tmp_path):
    (tmp_path / "file").write_text("x")
    result = run("import", "zendesk", "--tickets", str(DATA / "zendesk-tickets.json"), "-o",
                 str(tmp_path / "file"))
    assert result.exit_code == 2 and "is a file" in result.output
    result = run("import", "zendesk", "--tickets", str(tmp_path / "missing.json"), "-o", str(tmp_path))
    assert result.exit_code == 2 and "no such file" in result.output
    result = run("import", "zendesk", "--tickets", str(DATA / "zendesk-tickets.json"),
                 "--plan-tag", "p", "--plan-field", "1", "-o", str(tmp_path))
    assert result.exit_code == 2


def test_zendesk_reopened_and_plan_field(tmp_path):
    tickets = [{"id": 1, "created_at": "2026-05-04T13:00:00Z", "priority": "urgent",
                "requester_id": 5, "custom_fields": [{"id": 360001, "value": "biz"}]}]
    audits = [
        {"ticket_id": 1, "created_at": "2026-05-04T14:00:00Z", "author_id": 9, "events": [
            {"type": "Change", "field_name": "status", "value": "solved", "previous_value": "open"}]},
        {"ticket_id": 1, "created_at": "2026-05-04T15:00:00Z", "author_id": 5, "events": [
            {"type": "Comment", "public": True, "author_id": 5},
            {"type": "Change", "field_name": "status", "value": "open", "previous_value": "solved"}]},
        {"ticket_id": 1, "created_at": "2026-05-04T16:00:00Z", "author_id": 9, "events": [
            {"type": "Change", "field_name": "status", "value": "closed", "previous_value": "solved"}]},
    ]
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tickets))
    (tmp_path / "a.json").write_text(json.dumps(audits))
    result = run("import", "zendesk", "--tickets", str(tmp_path / "t.jsonl"), "--audits",
                 str(tmp_path / "a.json"), "--plan-field", "360001", "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "tickets.csv").read_text().splitlines()[1] == \
        "1,urgent,biz,2026-05-04T13:00:00Z,,"
    assert [line.split(",")[2] for line in (tmp_path / "o" / "events.csv").read_text().splitlines()[1:]] \
        == ["status", "resolved", "customer_reply", "status", "reopened", "status"]


# -- eval's value options ------------------------------------------------------------------------

TICKETS = """id,priority,plan,opened_at,first_response_at
A,urgent,biz,2026-05-04T09:00:00-04:00,2026-05-04T09:30:00-04:00
B,P2,ent,2026-05-04T09:00:00-04:00,
C,,std,2026-05-04T09:00:00-04:00,
"""


def _write(tmp_path: Path, text: str, name: str = "t.csv") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def eval_rows(*args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(cli, ["eval", POLICY, "--now", NOW, "--format", "csv", *args])
    rows = list(csv.DictReader(result.stdout.splitlines())) if result.exit_code == 0 else []
    return result.exit_code, rows, result.output


def test_map_values_ignore_case_and_default_priority(tmp_path):
    tickets = _write(tmp_path, TICKETS)
    code, rows, output = eval_rows("--tickets", tickets, "--ignore-case", "--default-priority",
                                   "Normal", "--map-values", "priority=P2:High",
                                   "--map-values", "plan=biz:Business,ent:Enterprise,std:Standard")
    assert code == 0, output
    found = {(r["id"], r["metric"]): (r["priority"], r["plan"], r["status"]) for r in rows}
    assert found[("A", "response")] == ("Urgent", "Business", "met")
    assert found[("B", "response")] == ("High", "Enterprise", "breached")  # 2h from 09:00 EDT
    assert found[("C", "response")] == ("Normal", "Standard", "pending")
    assert len({r["id"] for r in rows}) == 3


def test_map_file_and_both_reader_paths_agree(tmp_path):
    (tmp_path / "map.json").write_text(json.dumps({
        "priority": {"urgent": "Urgent", "P2": "High"},
        "plan": {"biz": "Business", "ent": "Enterprise", "std": "Standard"}}))
    csv_file = _write(tmp_path, TICKETS)
    jsonl = tmp_path / "t.jsonl"
    with open(jsonl, "w") as handle:
        for record in csv.DictReader(TICKETS.splitlines()):
            handle.write(json.dumps({k: v for k, v in record.items() if v}) + "\n")
    args = ("--map-file", str(tmp_path / "map.json"), "--default-priority", "Normal")
    code_csv, rows_csv, out = eval_rows("--tickets", csv_file, *args)
    assert code_csv == 0, out
    code_jsonl, rows_jsonl, out = eval_rows("--tickets", str(jsonl), *args)
    assert code_jsonl == 0, out
    strip = [{k: v for k, v in r.items() if k != "row"} for r in rows_csv]
    assert strip == [{k: v for k, v in r.items() if k != "row"} for r in rows_jsonl]


def test_ignore_case_alone_is_not_a_map(tmp_path):
    tickets = _write(tmp_path, "id,priority,plan,opened_at\nA,hIGH,business,2026-05-04T09:00:00-04:00\n"
                               "B,p2,business,2026-05-04T09:00:00-04:00\n")
    code, _, output = eval_rows("--tickets", tickets, "--ignore-case")
    assert code == 1
    assert "t.csv:3: field `priority`: unknown priority `p2`" in output
    code, rows, output = eval_rows("--tickets", tickets, "--ignore-case", "--skip-invalid")
    assert code == 0, output
    assert {r["id"] for r in rows} == {"A"} and "1 x unknown priority (rows 3)" in output


@pytest.mark.parametrize("args, message", [
    (("--map-values", "priority=urgent"), "--map-values: `urgent` in `priority=...`: write RAW:NAME pairs"),
    (("--map-values", "urgent:Urgent"), "--map-values: `urgent:Urgent`: start with the field"),
    (("--map-values", "prio=urgent:Urgent"), "--map-values: unknown field `prio` (did you mean `priority`?)"),
    (("--map-values", "priority=urgent:Urgnt"),
     "--map-values/--map-file: `priority` value `urgent` maps to `Urgnt`, which is not a priority "
     "of the contract (did you mean `Urgent`?)"),
    (("--map-values", "priority=u:Urgent,u:High"), "`priority` value `u` is mapped twice"),
    (("--default-priority", "Medium"), "--default-priority: unknown priority `Medium`"),
    (("--time-format", "dd/mm/yyyy"), "--time-format: `dd/mm/yyyy` has no strptime directive"),
    (("--map-file", "missing.json"), "--map-file: no such file"),
])
def test_bad_option_values_are_usage_errors(tmp_path, args, message):
    code, _, output = eval_rows("--tickets", _write(tmp_path, TICKETS), *args)
    assert code == 2, output
    assert message in output


@pytest.mark.parametrize("content, message", [
    ("{", "line 1 column 2: invalid JSON"),
    ('{"priority": ["urgent"]}', "`priority` must map raw values to names"),
    ('{"prio": {}}', "unknown field `prio`"),
    ('{"priority": {"urgent": 1}}', "`urgent` must map to a non-empty name"),
])
def test_bad_map_files(tmp_path, content, message):
    (tmp_path / "m.json").write_text(content)
    code, _, output = eval_rows("--tickets", _write(tmp_path, TICKETS), "--map-file",
                                str(tmp_path / "m.json"))
    assert code == 2 and message in output, output


def test_time_format_reads_local_times_and_names_bad_cells(tmp_path):
    text = ("id,priority,plan,opened_at,first_response_at\n"
            "A,High,Business,04/05/2026 09:00,04/05/2026 12:30\n"
            "B,High,Business,2026-05-04T09:00:00-04:00,\n")
    tickets = _write(tmp_path, text)
    base = ("--tickets", tickets, "--time-format", "%d/%m/%Y %H:%M")
    code, _, output = eval_rows(*base)
    assert code == 1 and "has no offset" in output and "--assume-zone" in output
    code, rows, output = eval_rows(*base, "--assume-zone", "America/New_York")
    assert code == 0, output
    found = {(r["id"], r["metric"]): r for r in rows}
    assert found[("A", "response")]["event_at"] == "2026-05-04T12:30:00-04:00"
    assert found[("A", "response")]["status"] == "met"  # 3h30 against 4h
    assert found[("B", "response")]["opened_at"] == "2026-05-04T09:00:00-04:00"  # ISO still read
    bad = _write(tmp_path, text.replace("04/05/2026 12:30", "2026/05/04 12:30"), "bad.csv")
    code, _, output = eval_rows("--tickets", bad, "--time-format", "%d/%m/%Y %H:%M",
                                "--assume-zone", "America/New_York")
    assert code == 1
    assert "bad.csv:2: field `first_response_at`: unparseable timestamp `2026/05/04 12:30`" in output
    assert "--time-format `%d/%m/%Y %H:%M`" in output


def test_priority_events_are_mapped_too(tmp_path):
    tickets = _write(tmp_path, "id,priority,plan,opened_at\nA,low,biz,2026-05-04T09:00:00-04:00\n")
    events = _write(tmp_path, "id,at,event,value\nA,2026-05-04T10:00:00-04:00,priority,urgent\n",
                    "e.csv")
    code, rows, output = eval_rows("--tickets", tickets, "--events", events, "--ignore-case",
                                   "--map-values", "plan=biz:Business")
    assert code == 0, output
    assert rows[0]["priority"] == "Urgent" and rows[0]["target"] == "1h"


def test_parquet_input_matches_csv(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    from datetime import datetime, timedelta, timezone

    edt = timezone(timedelta(hours=-4))
    table = pa.table({
        "id": [1, 2, 3],
        "priority": ["Urgent", "High", None],
        "plan": ["Business", "Enterprise", "Standard"],
        "opened_at": pa.array([datetime(2026, 5, 4, 9, tzinfo=edt)] * 3, pa.timestamp("s", tz="UTC")),
        "first_response_at": pa.array([datetime(2026, 5, 4, 9, 30, tzinfo=edt), None, None],
                                      pa.timestamp("us", tz="UTC")),
    })
    pq.write_table(table, tmp_path / "t.parquet")
    csv_text = ("id,priority,plan,opened_at,first_response_at\n"
                "1,Urgent,Business,2026-05-04T13:00:00Z,2026-05-04T13:30:00Z\n"
                "2,High,Enterprise,2026-05-04T13:00:00Z,\n3,,Standard,2026-05-04T13:00:00Z,\n")
    args = ("--default-priority", "Normal")
    code, from_parquet, output = eval_rows("--tickets", str(tmp_path / "t.parquet"), *args)
    assert code == 0, output
    code, from_csv, output = eval_rows("--tickets", _write(tmp_path, csv_text), *args)
    assert code == 0, output
    assert [r["row"] for r in from_parquet][::3] == ["1", "2", "3"]  # record numbers from 1
    assert [{**r, "row": ""} for r in from_parquet] == [{**r, "row": ""} for r in from_csv]
    # a naive timestamp column is a wall time: --assume-zone, as in CSV
    naive = table.set_column(3, "opened_at", pa.array([datetime(2026, 5, 4, 9)] * 3, pa.timestamp("s")))
    pq.write_table(naive, tmp_path / "naive.parquet")
    code, _, output = eval_rows("--tickets", str(tmp_path / "naive.parquet"), *args)
    assert code == 1 and "naive.parquet:1: field `opened_at`" in output and "no offset" in output
    code, rows, output = eval_rows("--tickets", str(tmp_path / "naive.parquet"), *args,
                                   "--assume-zone", "America/New_York")
    assert code == 0, output
    assert [{**r, "row": ""} for r in rows] == [{**r, "row": ""} for r in from_csv]


def test_parquet_missing_column_and_not_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["A"], "priority": ["High"]}), tmp_path / "t.parquet")
    code, _, output = eval_rows("--tickets", str(tmp_path / "t.parquet"))
    assert code == 1 and "missing required column(s) `opened_at`" in output
    (tmp_path / "x.parquet").write_text("id,opened_at\n")
    code, _, output = eval_rows("--tickets", str(tmp_path / "x.parquet"))
    assert code == 1 and "x.parquet: not a readable Parquet file" in output


def test_default_priority_without_a_priority_column(tmp_path):
    """The columnar CSV reader and the JSON Lines reader both fill the absent column."""
    text = "id,plan,opened_at\nA,Business,2026-05-04T09:00:00-04:00\n"
    code, rows, output = eval_rows("--tickets", _write(tmp_path, text), "--default-priority", "Low")
    assert code == 0, output
    assert {r["priority"] for r in rows} == {"Low"}
    code, _, output = eval_rows("--tickets", _write(tmp_path, text, "u.csv"))
    assert code == 1 and "missing required column(s) `priority`" in output
    (tmp_path / "t.jsonl").write_text('{"id": "A", "plan": "Business", "opened_at": "2026-05-04T09:00:00-04:00"}\n')
    code, rows, output = eval_rows("--tickets", str(tmp_path / "t.jsonl"), "--default-priority", "Low")
    assert code == 0 and {r["priority"] for r in rows} == {"Low"}, output


def test_explain_takes_the_value_options(tmp_path):
    tickets = _write(tmp_path, TICKETS)
    result = run("explain", POLICY, "--ticket", "A", "--tickets", tickets, "--ignore-case",
                 "--map-values", "plan=biz:Business", "--metric", "response", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert "response of ticket `A` (priority Urgent, plan Business)" in result.output


def test_zendesk_skip_invalid_drops_whole_tickets(tmp_path):
    """tickets in = tickets out + skipped: a ticket with a bad audit is dropped whole (judged on
    part of its timeline it would be judged wrongly); audits of tickets the export lacks are
    counted apart."""
    tickets = json.loads((DATA / "zendesk-tickets.json").read_text())
    tickets["tickets"].append({"id": 35438, "created_at": "soon", "requester_id": 1})
    tickets["tickets"].append(dict(tickets["tickets"][1]))  # a duplicate of 35437
    audits = _lines(DATA / "zendesk-audits.jsonl")
    audits[3]["created_at"] = "yesterday"  # an audit of 35436
    audits.append({"ticket_id": 35438, "created_at": "2026-05-04T18:00:00Z", "events": []})
    audits.append({"ticket_id": 99, "created_at": "2026-05-04T18:00:00Z", "events": []})
    (tmp_path / "t.json").write_text(json.dumps(tickets))
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(a) + "\n" for a in audits))
    args = ["import", "zendesk", "--tickets", str(tmp_path / "t.json"), "--audits",
            str(tmp_path / "a.jsonl"), "-o", str(tmp_path / "o")]
    assert run(*args).exit_code == 1
    result = run(*args, "--skip-invalid")
    assert result.exit_code == 0, result.output
    rows = (tmp_path / "o" / "tickets.csv").read_text().splitlines()[1:]
    assert [r.split(",")[0] for r in rows] == ["35437"]
    assert {line.split(",")[0] for line in (tmp_path / "o" / "events.csv").read_text().splitlines()[1:]} \
        == {"35437"}
    assert "imported 1 ticket(s)" in result.output
    assert "skipped 3 invalid row(s):" in result.output  # 35436 (its audit), 35438, the duplicate
    assert "ignored 1 record(s) of tickets not in the export" in result.output
    # every ticket skipped: nothing written, exit 1
    only_bad = {"tickets": [{"id": 1, "created_at": "never"}]}
    (tmp_path / "bad.json").write_text(json.dumps(only_bad))
    result = run("import", "zendesk", "--tickets", str(tmp_path / "bad.json"), "--skip-invalid",
                 "-o", str(tmp_path / "p"))
    assert result.exit_code == 1 and "nothing was imported" in result.output
    assert not (tmp_path / "p").exists()


def test_jsm_skip_invalid(tmp_path):
    issues = json.loads((DATA / "jsm-issues.json").read_text())
    issues["issues"][0]["fields"]["comment"]["comments"][1]["created"] = "later"
    (tmp_path / "i.json").write_text(json.dumps(issues))
    args = ["import", "jsm", "--issues", str(tmp_path / "i.json"), "-o", str(tmp_path / "o")]
    result = run(*args)
    assert result.exit_code == 1
    assert "i.json:1: field `fields.comment.comments.1.created`: unparseable timestamp `later`" \
        in result.output
    result = run(*args, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert [line.split(",")[0] for line in (tmp_path / "o" / "tickets.csv").read_text().splitlines()] \
        == ["id", "SD-2"]
    assert "skipped 1 invalid row(s):" in result.output


def test_channel_and_addon_names_are_mapped_too(tmp_path):
    """Qiscus has channels and add-ons: `--ignore-case` and `--map-values addons=...` reach them
    in both reader paths (the columnar CSV reader and JSON Lines)."""
    qiscus = str(ROOT / "contracts" / "qiscus.sla")
    text = ("id,priority,plan,addons,channel,opened_at,resolved_at\n"
            "Q1,critical,premium,res,whatsapp,2026-05-13T16:30:00+07:00,2026-05-15T16:00:00+07:00\n")
    expected = ("Critical", "Premium", "WhatsApp")
    for name in ("q.csv", "q.jsonl"):
        if name.endswith(".csv"):
            path = _write(tmp_path, text, name)
        else:
            record = dict(zip(text.splitlines()[0].split(","), text.splitlines()[1].split(",")))
            path = _write(tmp_path, json.dumps(record) + "\n", name)
        result = CliRunner().invoke(cli, ["eval", qiscus, "--tickets", path, "--ignore-case",
                                          "--map-values", "addons=res:Resolution", "--format", "csv",
                                          "--now", "2026-05-20T00:00:00+07:00"])
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(result.stdout.splitlines()))
        assert {(r["priority"], r["plan"], r["channel"]) for r in rows} == {expected}
        assert [r["status"] for r in rows if r["metric"] == "resolution"] == ["met"]
        unmapped = CliRunner().invoke(cli, ["eval", qiscus, "--tickets", path, "--ignore-case",
                                            "--now", "2026-05-20T00:00:00+07:00"])
        assert unmapped.exit_code == 1
        row = 2 if name.endswith(".csv") else 1
        assert f"{name}:{row}: field `addons`: unknown addon `res`" in unmapped.output


def test_reader_paths_agree_on_random_spellings(tmp_path):
    """The value layer is one transform for every reader path: random spellings, blanks and
    mapped codes give the same verdicts from CSV (the columnar reader) and JSON Lines (the row
    reader), and every ticket comes out or is skipped (tickets in = tickets out + skipped)."""
    import random

    rng = random.Random(14)
    spellings = {"Urgent": ["urgent", "URGENT", "P1"], "High": ["high", "High", "P2"],
                 "Normal": ["normal", "", "P3"], "Low": ["low", "LOW", "P4"]}
    plans = ["std", "Business", "ENTERPRISE", "biz", "nope"]
    rows = []
    for i in range(300):
        priority = rng.choice(list(spellings))
        opened = datetime(2026, 5, 4, 13, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(20000))
        replied = opened + timedelta(minutes=rng.randrange(1, 3000))
        rows.append({"id": f"T{i}", "priority": rng.choice(spellings[priority]),
                     "plan": rng.choice(plans), "opened_at": opened.isoformat(),
                     "first_response_at": replied.isoformat() if rng.random() < 0.7 else ""})
    with open(tmp_path / "t.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with open(tmp_path / "t.jsonl", "w") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    args = ("--ignore-case", "--default-priority", "Normal", "--skip-invalid", "--map-values",
            "priority=P1:Urgent,P2:High,P3:Normal,P4:Low,plan=std:Standard,biz:Business")
    outputs = []
    for name in ("t.csv", "t.jsonl"):
        result = CliRunner().invoke(cli, ["eval", POLICY, "--tickets", str(tmp_path / name), *args,
                                          "--format", "csv", "--now", "2026-05-20T00:00:00Z"])
        assert result.exit_code == 0, result.output
        verdicts = list(csv.DictReader(result.stdout.splitlines()))
        skipped = int(re.search(r"skipped (\d+) invalid", result.output).group(1))
        assert len({v["id"] for v in verdicts}) + skipped == 300
        assert skipped == sum(1 for r in rows if r["plan"] == "nope")
        outputs.append([{k: v for k, v in r.items() if k != "row"} for r in verdicts])
    assert outputs[0] == outputs[1]


# -- restoration and first contact (`--restored-status`, `--restored-field`, `--contact-field`) ----

RESTORING = """contract Restoring {
  zone Asia/Jakarta
  calendar office = Mon-Fri 08:00-17:00
  priorities Urgent
  plan Gold {
    hours office
    priority Urgent respond 1h within 24x7 from first contact resolve 8h within 24x7 until restored then office
  }
}
"""


def _restoring_zendesk(tmp_path: Path, restored: str = "2026-05-04T15:30:00+02:00"):
    tickets = [{"id": 1, "created_at": "2026-05-04T13:00:00Z", "priority": "urgent", "requester_id": 5,
                "custom_fields": [{"id": 360001, "value": "Gold"}, {"id": 777, "value": restored},
                                  {"id": 778, "value": "2026-05-04T12:50:00Z"}]},
               {"id": 2, "created_at": "2026-05-04T13:00:00Z", "priority": "urgent", "requester_id": 5,
                "custom_fields": [{"id": 360001, "value": "Gold"}]}]
    audits = [
        {"ticket_id": 1, "created_at": "2026-05-04T13:40:00Z", "author_id": 9, "events": [
            {"type": "Comment", "public": True, "author_id": 9}]},
        {"ticket_id": 2, "created_at": "2026-05-04T14:00:00Z", "author_id": 9, "events": [
            {"type": "Change", "field_name": "status", "value": "Mitigated", "previous_value": "open"}]},
        {"ticket_id": 2, "created_at": "2026-05-04T16:00:00Z", "author_id": 9, "events": [
            {"type": "Change", "field_name": "status", "value": "open", "previous_value": "Mitigated"},
            {"type": "Change", "field_name": "status", "value": "mitigated", "previous_value": "open"}]},
    ]
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tickets))
    (tmp_path / "a.json").write_text(json.dumps(audits))
    return run("import", "zendesk", "--tickets", str(tmp_path / "t.jsonl"), "--audits",
               str(tmp_path / "a.json"), "--plan-field", "360001", "--restored-field", "777",
               "--contact-field", "778", "--restored-status", "MITIGATED", "-o", str(tmp_path / "o"))


def test_zendesk_restoration_and_contact_become_events(tmp_path):
    result = _restoring_zendesk(tmp_path)
    assert result.exit_code == 0, result.output
    events = (tmp_path / "o" / "events.csv").read_text().splitlines()[1:]
    assert events == [
        "1,2026-05-04T12:50:00Z,contact,", "1,2026-05-04T13:30:00Z,restored,",
        "1,2026-05-04T13:40:00Z,reply,", "1,2026-05-04T13:40:00Z,update,",
        # a status named with --restored-status (any case) is also `restored`, each time
        "2,2026-05-04T14:00:00Z,status,Mitigated", "2,2026-05-04T14:00:00Z,restored,",
        "2,2026-05-04T16:00:00Z,status,open", "2,2026-05-04T16:00:00Z,status,mitigated",
        "2,2026-05-04T16:00:00Z,restored,"]


def test_imported_restoration_changes_the_hours_in_eval(tmp_path):
    # Ticket 2, opened Monday 2026-05-04 13:00Z (20:00 in Jakarta), restored 14:00Z: 1h of the 8h
    # runs around the clock, the other 7h in office hours from the restoration: Tuesday 08:00 to
    # 15:00 Jakarta = 2026-05-05T08:00Z (docs/semantics.md "Coverage that changes at the
    # restoration"; the later `restored` event changes nothing: the first one counts).
    # Ticket 1: its clock to respond starts at the contact, 12:50Z: due 13:50Z, replied 13:40Z.
    assert _restoring_zendesk(tmp_path, restored="2026-05-04T20:00:00+07:00").exit_code == 0
    contract = tmp_path / "restoring.sla"
    contract.write_text(RESTORING)
    result = run("eval", str(contract), "--tickets", str(tmp_path / "o" / "tickets.csv"), "--events",
                 str(tmp_path / "o" / "events.csv"), "--ignore-case", "--now", "2026-05-06T00:00:00Z",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    verdicts = {(t["id"], r["metric"]): r for t in json.loads(result.stdout)["tickets"]
                for r in t["results"]}
    assert datetime.fromisoformat(verdicts["2", "resolution"]["due"]) == \
        datetime(2026, 5, 5, 8, tzinfo=timezone.utc)
    assert datetime.fromisoformat(verdicts["1", "response"]["due"]) == \
        datetime(2026, 5, 4, 13, 50, tzinfo=timezone.utc)
    assert verdicts["1", "response"]["status"] == "met"


def test_jsm_restoration_and_contact_become_events(tmp_path):
    issue = {"key": "SD-1", "id": "10001", "fields": {
        "created": "2026-05-04T13:00:00.000+0000", "priority": {"name": "High"},
        "status": {"name": "Open"}, "reporter": {"accountId": "c1"},
        "customfield_10060": "2026-05-04T20:30:00.000+0700",
        "customfield_10061": "2026-05-04T12:45:00.000+0000"},
        "changelog": {"histories": [{"created": "2026-05-04T14:00:00.000+0000", "items": [
            {"field": "status", "toString": "Service restored"}]}]}}
    (tmp_path / "i.json").write_text(json.dumps([issue]))
    result = run("import", "jsm", "--issues", str(tmp_path / "i.json"), "--restored-field",
                 "customfield_10060", "--contact-field", "customfield_10061", "--restored-status",
                 "service restored", "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "events.csv").read_text().splitlines()[1:] == [
        "SD-1,2026-05-04T12:45:00Z,contact,", "SD-1,2026-05-04T13:30:00Z,restored,",
        "SD-1,2026-05-04T14:00:00Z,status,Service restored", "SD-1,2026-05-04T14:00:00Z,restored,"]


def test_a_restoration_field_without_an_instant_names_the_record_and_field(tmp_path):
    result = _restoring_zendesk(tmp_path, restored="2026-05-04")  # a date field: no instant
    assert result.exit_code == 1
    assert "t.jsonl:1: field `custom_fields.777`: unparseable timestamp `2026-05-04`" in result.output


def test_moments_match_statuses_whatever_their_case_for_every_caller():
    # Library callers give statuses as they write them; the matching is the class's own.
    from sladsl.helpdesk import Moments

    assert Moments((" Service Restored", "MITIGATED")).restored_statuses == (
        "service restored", "mitigated")
