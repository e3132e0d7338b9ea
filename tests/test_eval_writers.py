"""`sladsl eval`'s writers build CSV, table and JSON text from columns (issue 21.13); here they
are checked byte for byte against a slow per-verdict reference written independently: `csv.writer`,
`json.dumps`, `str.ljust` and `datetime.isoformat` / `strftime` on each verdict of
`ChunkVerdicts.verdicts()`.
"""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import sladsl
from sladsl.cli.data import _Writer
from sladsl.data import Names, Skipped, read_ticket_chunks
from sladsl.diagnostics import printable
from sladsl.evaluate import Evaluation
from sladsl.pipeline import compile_path

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 6, 3, 12, tzinfo=timezone.utc)


def _iso(micro, zone) -> str:
    return "" if micro is None else datetime.fromtimestamp(micro // 1_000_000, zone).isoformat()


def _short(micro, zone) -> str:
    if micro is None:
        return ""
    value = datetime.fromtimestamp(micro // 1_000_000, zone)
    clock = value.strftime("%H:%M:%S" if value.second else "%H:%M")
    offset = value.strftime("%z")
    return f"{value:%Y-%m-%d} {clock} {offset[:-2]}:{offset[-2:]}"


def _hms(seconds) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s"))
                   if n) or "0s"


def _row(cells) -> str:
    widths = (10, 10, 10, 16, 24, 10, 10, 10, 24)
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()


def reference(run: Evaluation, results, fmt: str) -> str:
    """The chunk text of `fmt`, verdict by verdict."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    first = True
    for result in results:
        parts = []
        for ticket, verdicts in zip(result.chunk.tickets(), result.verdicts()):
            items = []
            for v in verdicts:
                head = [ticket.id, ticket.row, ticket.plan or "", ticket.priority or "",
                        ticket.channel or ""]
                if v.target is None:
                    if fmt == "csv":
                        writer.writerow(head + [v.metric, "", "", _iso(ticket.opened, timezone.utc),
                                                "", "", "not judged", "", "", "", "", v.reason])
                    elif fmt == "table":
                        out.write(_row((printable(ticket.id), ticket.priority or "",
                                        v.metric or "-", "-", "", "not judged"))
                                  + f"  ({v.reason})\n")
                    items.append({"metric": v.metric or None, "status": "not judged",
                                  "reason": v.reason})
                    continue
                zone = run.calendar(v.target["calendar"]).zone
                due = v.due * 1_000_000
                if fmt == "csv":
                    writer.writerow(head + [
                        v.metric, v.target["text"], v.target["calendar"], _iso(ticket.opened, zone),
                        _iso(due, zone), _iso(v.event, zone), v.status, v.used,
                        "" if v.left is None else v.left,
                        "yes" if v.target.get("best_effort") else "no",
                        v.target.get("source_line") or "", v.reason or ""])
                elif fmt == "table":
                    out.write(_row((printable(ticket.id), ticket.priority or "", v.metric,
                                    v.target["text"], _short(due, zone), v.status, _hms(v.used),
                                    _hms(v.left), _short(v.event, zone))) + "\n")
                item = {"metric": v.metric, "target": v.target["text"],
                        "calendar": v.target["calendar"], "due": _iso(due, zone),
                        "event_at": _iso(v.event, zone) or None, "status": v.status,
                        "reason": v.reason, "used_seconds": v.used, "left_seconds": v.left,
                        "best_effort": bool(v.target.get("best_effort")),
                        "source_line": v.target.get("source_line")}
                if v.proportion is not None:
                    spec = run.proportions[v.proportion[0]]
                    item["proportion"] = {"target": spec["text"], "met_by_ticket": v.proportion[1]}
                items.append(item)
            parts.append(json.dumps({
                "id": ticket.id, "row": ticket.row, "priority": ticket.priority,
                "plan": ticket.plan, "channel": ticket.channel,
                "opened_at": _iso(ticket.opened, timezone.utc), "results": items},
                ensure_ascii=False))
        if fmt == "json" and parts:
            out.write(("\n  " if first else ",\n  ") + ",\n  ".join(parts))
            first = False
    return out.getvalue()


def _tickets(path: Path, contract: str, rng: random.Random, count: int) -> None:
    """Random tickets of `contract`'s names, odd ids, pauses, events before and after due."""
    model = compile_path(Path(contract), "c.sla").contract
    names = Names.of_contract(model)
    base = datetime(2026, 3, 20, tzinfo=timezone(timedelta(hours=7)))
    ids = ["A", "a,b", 'q"uote', "é ü", "tab\there", "Z" * 30, "esc\x1b[2J"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["id", "priority", "plan", "addons", "channel", "opened_at",
                      "first_response_at", "resolved_at", "pauses"])
        for k in range(count):
            opened = base + timedelta(seconds=rng.randrange(0, 250 * 86400))
            events = [(opened + timedelta(seconds=rng.randrange(0, 5 * 86400))).isoformat()
                      if rng.random() < 0.6 else "" for _ in range(2)]
            pauses = ""
            if rng.random() < 0.1:
                p0 = opened + timedelta(seconds=rng.randrange(0, 86400))
                pauses = json.dumps([[p0.isoformat(), (p0 + timedelta(hours=2)).isoformat()]])
            out.writerow([f"{rng.choice(ids)}{k}", rng.choice(list(names.priorities) + [""]),
                          rng.choice(list(names.plans) + [""]),
                          rng.choice(list(names.addons) + ["", ""]),
                          rng.choice(list(names.channels) + [""]),
                          opened.isoformat(), *events, pauses])


@pytest.mark.parametrize("name", ["qiscus", "rocksoft", "haisoft", "rocketchat", "vhostweb"])
@pytest.mark.parametrize("fmt", ["csv", "csv (no pyarrow)", "table", "json"])
def test_column_writers_equal_the_per_verdict_reference(tmp_path, monkeypatch, name, fmt):
    if fmt == "csv (no pyarrow)":  # the lines joined in Python rather than by Arrow
        from sladsl import arrow_csv

        monkeypatch.setattr(arrow_csv, "load", lambda: None)
        fmt = "csv"
    contract = str(ROOT / "contracts" / f"{name}.sla")
    path = tmp_path / "t.csv"
    _tickets(path, contract, random.Random(name), 300)
    model = compile_path(Path(contract), f"{name}.sla").contract
    evaluator = sladsl.load(contract)
    run = Evaluation(model, evaluator, NOW, skipped=Skipped())
    results = [run.run_chunk(chunk) for chunk in
               read_ticket_chunks(path, Names.of_contract(model), skipped=Skipped(), size=37)]
    sink = io.StringIO()
    writer = _Writer(sink, fmt, run)
    header = sink.getvalue()
    for result in results:
        writer.write_chunk(result)
    assert sink.getvalue()[len(header):] == reference(run, results, fmt)
