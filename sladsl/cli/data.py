"""`sladsl eval`, `sladsl uptime`, `sladsl explain`: a contract run against real data.

The commands read tickets and incidents with `sladsl.data`, judge tickets with the evaluation
stage `sladsl.evaluate`, lay out explain's timeline with `sladsl.timeline` and judge availability
with the evaluator API (`sladsl.load`); this module parses options, prints and writes. `eval` streams: tickets are read (as columns,
`read_ticket_chunks`), evaluated and written a chunk at a time, so memory stays flat however long
the file is.
"""

from __future__ import annotations

import collections
import csv
import gc
import itertools
import json
import re
import stat
import sys
from contextlib import contextmanager
from datetime import date, datetime, timezone
from fractions import Fraction
from operator import itemgetter
from pathlib import Path
from typing import Iterator, NamedTuple

import click

from sladsl import arrow_csv
from sladsl.cli.formulas import (check_device_rows, eval_penalties, formula_options, formula_terms,
                                 money_json, money_text, penalties_option)
from sladsl.cli.common import (
    UsageProblem, atomic_writer, compile_file, display_name, print_diagnostics,
    refuse_inputs_as_outputs, write_atomic,
)
from sladsl.data import (
    INCIDENT_FIELDS, NONE, DataError, Names, Skipped, Ticket, TicketChunk,
    format_instant,
    format_instants, instant_formatter,
    parse_instant, parse_mapping, read_incidents, read_ticket_chunks, to_datetime,
)
from sladsl.diagnostics import printable
from sladsl.numbers import decimal_text
from sladsl.fanout import Spool, WorkerFailed, ordered_map, worker_count
from sladsl.cli.uptime_terms import life_json, life_lines, no_allowance_text, posts_credits, window_json, window_lines
from sladsl.evaluate import (
    METRICS, NOT_JUDGED, STATUSES, ChunkVerdicts, Evaluation, not_judged_rows,
    proportion_rows, summary_rows,
)
from sladsl.evaluate_versions import VersionedEvaluation, names_of, needs_versions
from sladsl.model import versions_of
from sladsl.runtime.versions import Versions
from sladsl.timeline import ExplainError, explain_ticket, find_ticket, hms, short_instant

CHUNK = 65536  # tickets evaluated together: large enough for NumPy, small enough for memory


class DataProblem(click.ClickException):
    """A contract or data error: exit code 1, one line on stderr."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"sladsl: {printable(self.format_message())}", err=True)  # data values are untrusted


# -- shared plumbing --------------------------------------------------------------------------

def _load(path_text: str):
    """(model.Contract, evaluator) for a contract file; diagnostics and exit 1 on errors."""
    path = Path(path_text)
    if not path.exists():
        raise UsageProblem(f"no such file: `{path_text}`")
    result = compile_file(path)
    if not result.ok:
        print_diagnostics([result], "text", err=True)  # stdout is the command's data
        check = "sladsl check --versions" if path.is_dir() else "sladsl check"
        raise DataProblem(f"`{display_name(path)}` has errors; run `{check}` for details")
    try:
        import sladsl

        load = sladsl.load
    except AttributeError:  # the evaluator API is not installed in this checkout
        raise UsageProblem("the evaluator (`sladsl.load`) is not available in this installation") \
            from None
    try:
        evaluator = load(path)
    except ValueError as error:
        raise DataProblem(str(error)) from None
    return result.contract, evaluator


def _zone(text: str | None):
    if text is None:
        return None
    from sladsl.runtime import parse_zone

    try:
        return parse_zone(text)
    except ValueError as error:
        raise UsageProblem(f"--assume-zone: {error}") from None


def _instant_option(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        seconds = parse_instant(text.strip())
    except ValueError as error:
        raise UsageProblem(f"{option}: {str(error).replace(' or pass `--assume-zone ZONE`', '')}") \
            from None
    try:
        return datetime.fromtimestamp(seconds, timezone.utc)
    except (OverflowError, ValueError, OSError):
        raise UsageProblem(f"{option}: `{text}` is out of range") from None


def _now() -> datetime:
    """The current instant, truncated to the whole second like every instant read (brief
    decision 1), so a run without `--now` compares at the same precision as one with it."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def _mapping(items, fields) -> dict[str, str]:
    try:
        return parse_mapping(items, fields)
    except ValueError as error:
        raise UsageProblem(f"--map: {error}") from None


def _data_file(text: str, option: str) -> Path:
    """The path of a data file: a regular file (it is read twice, for the progress bar)."""
    path = Path(text)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UsageProblem(f"{option}: no such file: `{text}`") from None
    except OSError as error:
        raise UsageProblem(f"{option}: cannot read `{text}`: {error.strerror or error}") from None
    if not stat.S_ISREG(mode):
        what = next((label for test, label in _FILE_KINDS if test(mode)), "not a regular file")
        raise UsageProblem(f"{option}: `{text}` is {what}, not a data file")
    return path


_FILE_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
               (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"))


def _percent_text(value: Fraction, places: int = 2) -> str:
    """A percentage truncated (never rounded up) to `places`: a miss never displays as a hit."""
    scale = 10 ** places
    whole = value.numerator * scale // value.denominator
    text = f"{whole // scale}.{whole % scale:0{places}d}" if places else str(whole)
    return text + "%"


# Digits of an exact fraction the text output still prints whole; an average of thousands of
# error rates has a denominator of thousands of digits, kept whole only in --format json.
_EXACT_DIGITS = 30


def _exact_text(share: Fraction) -> str:
    """`exact 103/110` for a share; a fraction too long to read, as ten truncated decimals of
    its percentage."""
    if len(str(share.numerator)) + len(str(share.denominator)) <= _EXACT_DIGITS:
        return f"exact {share.numerator}/{share.denominator}"
    return f"{_percent_text(100 * share, 10)[:-1]}...%; exact in --format json"


def _fraction_json(value) -> dict | None:
    if value is None:
        return None
    value = Fraction(value)
    return {"exact": f"{value.numerator}/{value.denominator}", "value": float(value)}


@contextmanager
def _output(path_text: str | None):
    """A text stream: stdout, or a file that appears atomically (temporary file, then rename).

    `eval` output can be hundreds of megabytes, so it streams through `atomic_writer` rather than
    being built in memory for `write_atomic`.
    """
    if path_text is None or path_text == "-":
        yield sys.stdout
        return
    try:
        with atomic_writer(Path(path_text), text=True) as handle:
            yield handle
    except OSError as error:  # a full disk, a vanished directory: the old file stays
        raise UsageProblem(f"cannot write `{path_text}`: {error.strerror or error}") from None


def _progress(path: Path, label: str):
    """A progress bar on stderr for terminals only (length: the file's line count)."""
    if not sys.stderr.isatty():
        return None
    lines = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines += block.count(b"\n")
    bar = click.progressbar(length=max(lines, 1), label=label, file=sys.stderr)
    bar.__enter__()
    return bar


# -- eval ---------------------------------------------------------------------------------------

_CSV_HEADER = ("id", "row", "plan", "priority", "channel", "metric", "target", "calendar",
               "opened_at", "due", "event_at", "status", "used_seconds", "left_seconds",
               "best_effort", "source_line", "reason")


class _Writer:
    """Writes verdicts as a table, CSV or JSON, streaming."""

    def __init__(self, handle, fmt: str, run: Evaluation) -> None:
        self.handle, self.fmt, self.run = handle, fmt, run
        self.first = True
        self.zones: dict = {}
        self.formatters: dict = {}
        self.parts: dict = {}
        self.opened: dict = {}  # zone -> (chunk, its openings formatted in that zone)
        self.arrow = arrow_csv.load() if fmt == "csv" else None  # None: joined in Python (`_csv`)

    def begin(self) -> None:
        """The header: CSV's, the table's, or the start of the JSON document."""
        handle, run = self.handle, self.run
        if self.fmt == "csv":
            csv.writer(handle, lineterminator="\n").writerow(_CSV_HEADER)
        elif self.fmt == "json":
            handle.write('{"contract": ' + json.dumps(run.ev.CONTRACT.get("name"), ensure_ascii=False)
                         + ', "now": ' + json.dumps(format_instant(run.now_us)) + ', "tickets": [')
        else:
            handle.write(_table_row(("id", "priority", "metric", "target", "due", "status",
                                     "used", "left", "event")) + "\n")

    def write(self, part: ChunkVerdicts | _Spooled) -> int:
        """Write a judged chunk, or one a worker wrote in its spool; its ticket count."""
        if isinstance(part, _Spooled):
            if part.length:
                if self.fmt == "json" and not self.first:
                    self.handle.write(",")  # the worker wrote the chunk as if it came first
                self.first = False
                part.spool.copy_to(self.handle, part.length)
            return part.count
        self.write_chunk(part)
        return len(part.chunk)

    def spool(self, result: ChunkVerdicts, spool: Spool) -> int:
        """Write a chunk in a worker's spool, for `write` in the parent; its length in bytes."""
        self.handle, self.first = spool.text(), True
        self.write_chunk(result)
        return spool.written()

    def zone(self, calendar: str):
        zone = self.zones.get(calendar)
        if zone is None:
            zone = self.zones[calendar] = self.run.calendar(calendar).zone
        return zone

    def formatter(self, calendar: str):
        found = self.formatters.get(calendar)
        if found is None:
            found = self.formatters[calendar] = instant_formatter(self.zone(calendar))
        return found

    @staticmethod
    def _parts(target: dict) -> tuple[str, str, str]:
        """The cells a target fixes: (metric, target, calendar) and (best_effort, source_line)."""
        middle = f"{target['metric']},{_cell(target['text'])},{_cell(target['calendar'])},"
        tail = f",{'yes' if target.get('best_effort') else 'no'},{target.get('source_line') or ''},"
        return middle, tail, target["calendar"]

    def write_chunk(self, result: ChunkVerdicts) -> None:
        """One evaluated chunk, every format straight from the columns (issue 21.13: table and
        JSON at CSV speed). Instants are formatted a column at a time; each format builds its
        text by hand, byte for byte what `csv.writer`, `_table_row` and `json.dumps` give
        (tests/test_eval_writers.py checks it against a per-verdict reference)."""
        if not result.groups and not result.unjudged:
            return
        if self.arrow is not None:
            self._csv_arrow(result, self.arrow)
            return
        np = _numpy()
        columns = [self._texts(result, group, np) for group in result.groups]
        {"csv": self._csv, "table": self._table, "json": self._json}[self.fmt](result, columns)

    def _texts(self, result: ChunkVerdicts, group, np):
        """(opened, due, event) ISO texts of a group's tickets in its calendar's zone."""
        chunk = result.chunk
        calendar = group.target["calendar"]
        zone = self.zone(calendar)
        if np is not None:
            arrays = chunk.arrays(np)
            opened = self.opened.get(zone)
            if opened is None or opened[0] is not chunk:
                opened = self.opened[zone] = (chunk, _instant_texts(np, arrays[0], zone))
            stops = group.event if not isinstance(group.event, list) else np.asarray(
                [NONE if e is None else e for e in group.event], dtype=np.int64)
            events = _instant_texts(np, stops, zone)  # what stopped the clock (runtime stop_event)
            dues = format_instants(np, np.asarray(group.due, dtype=np.int64), zone)
            return opened[1], dues, events
        formatter = self.formatter(calendar)
        opened = self.opened.get(zone)
        if opened is None or opened[0] is not chunk:
            opened = self.opened[zone] = (chunk, _instants(chunk.opened, formatter, zone))
        return opened[1], list(map(formatter, group.due)), \
            _instants(result.events(group), formatter, zone)

    def _emit(self, blocks: list, order: list) -> None:
        """Lines of several groups merged back into file order (metric order within a ticket)."""
        if len(blocks) == 1:
            lines = blocks[0]
        else:
            keyed = sorted(zip(itertools.chain.from_iterable(order),
                               itertools.chain.from_iterable(blocks)))
            lines = [line for _, line in keyed]
        self.handle.write("".join(lines))

    def _csv(self, result: ChunkVerdicts, columns) -> None:
        # Cells quoted exactly as `csv.writer` quotes them (`_cell`): the same bytes at a
        # fraction of the cost.
        chunk = result.chunk
        key_cells = {}
        for key in set(chunk.keys):
            priority, plan, _addons, channel, _attributes = key
            key_cells[key] = f"{_cell(plan or '')},{_cell(priority or '')},{_cell(channel or '')},"
        heads = [f"{_cell(ident)},{row},{key_cells[key]}"
                 for ident, row, key in zip(chunk.ids, chunk.rows, chunk.keys)]
        blocks, order = [], []
        for group, (opened, dues, events) in zip(result.groups, columns):
            middle, tail, _ = self._part(group.target)
            statuses = map(STATUSES.__getitem__, group.status)
            reasons = [_cell(r) if r else "" for r in result.reasons(group)]
            blocks.append([
                f"{heads[i]}{middle}{opened[i]},{d},{e},{st},{u},{'' if left is None else left}"
                f"{tail}{r}\n"
                for i, d, e, st, u, left, r in zip(group.idx, dues, events, statuses, group.used,
                                                   group.left, reasons)])
            order.append([i * 4 + group.rank for i in group.idx])
        if result.unjudged:
            blocks.append([f"{heads[i]}{metric},,,{format_instant(chunk.ticket(i).opened)},,,"
                           f"{_NOT_JUDGED},,,,,{_cell(reason)}\n"
                           for i, metric, reason in result.unjudged])
            order.append([i * 4 + _RANK.get(metric, 0) for i, metric, _ in result.unjudged])
        self._emit(blocks, order)

    def _csv_arrow(self, result: ChunkVerdicts, arrow) -> None:
        """`_csv` with the lines joined by Arrow a column at a time: the same bytes (tests/
        test_arrow_csv.py compares the two on the same chunks)."""
        np, pa = arrow.np, arrow.pa
        chunk = result.chunk
        distinct, codes = chunk.key_codes(np)
        key_cells = pa.array([f"{_cell(plan or '')},{_cell(priority or '')},{_cell(channel or '')}"
                              for priority, plan, _addons, channel, _attributes in distinct], arrow.string)
        heads = arrow.join([arrow.cells(pa.array(chunk.ids, arrow.string)),
                            arrow.numbers(chunk.rows), key_cells.take(pa.array(codes))])
        opened: dict = {}  # zone -> the chunk's openings in it
        lines, order = [], []
        for group in result.groups:
            target = group.target
            zone = self.zone(target["calendar"])
            if zone not in opened:
                opened[zone] = arrow.instant_texts(chunk.arrays(np)[0], zone)
            at = pa.array(group.idx, pa.int64())
            stops = group.event if not isinstance(group.event, list) else np.asarray(
                [NONE if e is None else e for e in group.event], dtype=np.int64)
            reasons = pa.array(result.reasons(group), arrow.string)
            lines.append(arrow.join([
                heads.take(at), f"{target['metric']},{_cell(target['text'])},{_cell(target['calendar'])}",
                opened[zone].take(at),
                arrow.instant_texts(np.asarray(group.due, dtype=np.int64), zone, seconds=True),
                arrow.instant_texts(stops, zone), _STATUS_TEXTS(pa).take(pa.array(group.status)),
                arrow.numbers(group.used), arrow.numbers(group.left),
                f"{'yes' if target.get('best_effort') else 'no'},{target.get('source_line') or ''}",
                arrow.join([arrow.cells(reasons), "\n"], "")]))
            order.append(np.asarray(group.idx, dtype=np.int64) * 4 + group.rank)
        if result.unjudged:
            lines.append(pa.array([
                f"{_cell(chunk.ids[i])},{chunk.rows[i]},{key_cells[codes[i]].as_py()},{metric},,,"
                f"{format_instant(chunk.ticket(i).opened)},,,{_NOT_JUDGED},,,,,{_cell(reason)}\n"
                for i, metric, reason in result.unjudged], arrow.string))
            order.append(np.asarray([i * 4 + _RANK.get(metric, 0)
                                     for i, metric, _ in result.unjudged], dtype=np.int64))
        arrow.write(self.handle, lines, np.concatenate(order) if len(lines) > 1 else None)

    def _table(self, result: ChunkVerdicts, columns) -> None:
        chunk = result.chunk
        # `_table_row` cells padded with format specs (ljust), then the line right-stripped.
        heads = [f"{_screen(ident):<10}  {key[0] or '':<10}  "
                 for ident, key in zip(chunk.ids, chunk.keys)]
        hms = _HmsCache()
        blocks, order = [], []
        for group, (_, dues, events) in zip(result.groups, columns):
            middle = f"{group.metric:<10}  {group.target['text']:<16}  "
            statuses = map(STATUSES.__getitem__, group.status)
            blocks.append([
                f"{heads[i]}{middle}{_short_iso(d):<24}  {st:<10}  {hms(u):<10}  "
                f"{hms(left):<10}  {_short_iso(e)}".rstrip() + "\n"
                for i, d, e, st, u, left in zip(group.idx, dues, events, statuses, group.used,
                                                group.left)])
            order.append([i * 4 + group.rank for i in group.idx])
        if result.unjudged:
            blocks.append([_table_row((_screen(chunk.ids[i]), chunk.keys[i][0] or "", metric or "-", "-",
                                       "", _NOT_JUDGED)) + f"  ({reason})\n"
                           for i, metric, reason in result.unjudged])
            order.append([i * 4 + _RANK.get(metric, 0) for i, metric, _ in result.unjudged])
        self._emit(blocks, order)

    def _json(self, result: ChunkVerdicts, columns) -> None:
        chunk = result.chunk
        items: list[list] = [[] for _ in range(len(chunk))]  # per ticket: (rank, JSON text)
        for group, (_, dues, events) in sorted(zip(result.groups, columns),
                                              key=lambda pair: pair[0].rank):
            target = group.target
            head = (f'{{"metric": {_json_text(group.metric)}, "target": '
                    f'{_json_text(target["text"])}, "calendar": {_json_text(target["calendar"])}, '
                    '"due": "')
            tail = (f', "best_effort": {"true" if target.get("best_effort") else "false"}, '
                    f'"source_line": {_json_text(target.get("source_line"))}')
            shares = group.proportion or [None] * len(group.idx)
            for i, d, e, st, u, left, share, why in zip(
                    group.idx, dues, events, group.status, group.used, group.left, shares,
                    result.reasons(group)):
                event = f'"{e}"' if e else "null"
                items[i].append((group.rank, (
                    f'{head}{d}", "event_at": {event}, "status": "{STATUSES[st]}", '
                    f'"reason": {_json_text(why)}, "used_seconds": {u}, "left_seconds": '
                    f'{"null" if left is None else left}{tail}{self._share_json(share)}}}')))
        if result.unjudged:
            for i, metric, reason in result.unjudged:
                items[i].append((_RANK.get(metric, -1), json.dumps(
                    {"metric": metric or None, "status": _NOT_JUDGED, "reason": reason},
                    ensure_ascii=False)))
            for i in {i for i, _, _ in result.unjudged}:  # metric order, a ticket's own first
                items[i].sort(key=itemgetter(0))
        keys = {key: (f'"priority": {_json_text(key[0])}, "plan": {_json_text(key[1])}, '
                      f'"channel": {_json_text(key[3])}')
                for key in set(chunk.keys)}
        np = _numpy()
        if np is not None:
            opened = _instant_texts(np, chunk.arrays(np)[0], timezone.utc)
        else:
            opened = [format_instant(m) for m in chunk.opened]
        parts = [f'{{"id": {_json_text(ident)}, "row": {row}, {keys[key]}, "opened_at": "{o}", '
                 f'"results": [{", ".join(text for _, text in results)}]}}'
                 for ident, row, key, o, results in zip(chunk.ids, chunk.rows, chunk.keys, opened,
                                                       items)]
        if parts:
            self.handle.write(("\n  " if self.first else ",\n  ") + ",\n  ".join(parts))
            self.first = False

    def _share_json(self, share) -> str:
        """`, "proportion": {...}` of a verdict a proportion target covers, else nothing."""
        if share is None:
            return ""
        spec = self.run.proportions[share[0]]
        met = {True: "true", False: "false", None: "null"}[share[1]]
        return f', "proportion": {{"target": {_json_text(spec["text"])}, "met_by_ticket": {met}}}'

    def _part(self, target: dict):
        part = self.parts.get(id(target))
        if part is None:
            part = self.parts[id(target)] = self._parts(target)
        return part

    def finish(self, skipped: Skipped) -> None:
        summary, proportions = _summary(self.run), _proportion_report(self.run)
        if self.fmt == "json":
            self.handle.write(("\n" if not self.first else "") + '], "summary": '
                              + json.dumps(summary, ensure_ascii=False)
                              + ', "proportions": ' + json.dumps(proportions, ensure_ascii=False)
                              + ', "not_judged": ' + json.dumps(_not_judged(self.run),
                                                                ensure_ascii=False)
                              + ', "skipped": ' + json.dumps(skipped.as_json(), ensure_ascii=False)
                              + _versions_json(self.run) + "}\n")
            return
        text = "\n".join(_summary_lines(summary, proportions) + _not_judged_lines(self.run)
                         + _version_lines(self.run))
        if self.fmt == "table":
            self.handle.write("\n" + text + "\n")
        else:  # csv: the data stays machine-readable; the summary goes to stderr
            click.echo(text, err=True)


def _version_lines(run) -> list[str]:
    """Tickets judged per version, for a contract with dates or versions."""
    if not isinstance(run, VersionedEvaluation):
        return []
    return ["", "versions:"] + [
        f"  in effect from {_date_text(v['effective'])}"
        + (f" until {v['until'].isoformat()}" if v["until"] else "")
        + f": {v['tickets']} ticket(s) judged" for v in run.version_counts()]


def _date_text(day) -> str:
    return day.isoformat() if day is not None else "the start"


def _versions_json(run) -> str:
    if not isinstance(run, VersionedEvaluation):
        return ""
    counts = [{"effective": v["effective"] and v["effective"].isoformat(),
               "until": v["until"] and v["until"].isoformat(), "tickets": v["tickets"]}
              for v in run.version_counts()]
    return ', "versions": ' + json.dumps(counts, ensure_ascii=False)


def _STATUS_TEXTS(pa):
    """The status texts as an Arrow array (indexed by status code)."""
    return pa.array(list(STATUSES), pa.string())


def _cell(text: str) -> str:
    """A CSV cell as `csv.writer` (excel dialect, `\\n` line ends) writes it: quoted when it holds
    a comma, a quote or a line feed, quotes doubled."""
    if "," in text or '"' in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


_EVENT_COLUMN = {"response": 1, "resolution": 2}  # index into TicketChunk.arrays()
_RANK = {metric: rank for rank, metric in enumerate(METRICS)}
_NOT_JUDGED = STATUSES[NOT_JUDGED]  # the status text (NOT_JUDGED is its index)


def _numpy():
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def _instant_texts(np, micros, zone) -> list[str]:
    """`format_instant` of an int64 array of UTC microseconds (`NONE`: absent, shown empty)."""
    missing = micros == NONE
    seconds = micros // 1_000_000
    seconds[missing] = 0
    out = format_instants(np, seconds, zone)
    for k in np.flatnonzero(missing).tolist():
        out[k] = ""
    for k in np.flatnonzero((micros % 1_000_000 != 0) & ~missing).tolist():
        out[k] = format_instant(int(micros[k]), zone)
    return out


def _instants(micros: list, formatter, zone) -> list[str]:
    """`format_instant` of each instant (UTC microseconds or None) in the formatter's zone."""
    out = [formatter(m // 1_000_000) if m is not None and not m % 1_000_000 else m
           for m in micros]
    for k, m in enumerate(out):
        if m.__class__ is not str:
            out[k] = format_instant(m, zone)
    return out


def _instant(micro: int | None, formatter, calendar: str, writer) -> str:
    """`format_instant` in the calendar's zone, through the writer's cached formatter."""
    if micro is None:
        return ""
    seconds, fraction = divmod(micro, 1_000_000)
    return formatter(seconds) if not fraction else format_instant(micro, writer.zone(calendar))


# The status column fits its longest value, `not judged` (10 characters).
_WIDTHS = (10, 10, 10, 16, 24, 10, 10, 10, 24)
_json_text = json.JSONEncoder(ensure_ascii=False).encode  # one JSON value, as json.dumps writes it


def _screen(text: str) -> str:
    """A data value for the terminal table: control and format characters escaped."""
    return text if text.isprintable() else printable(text)


def _short_iso(text: str) -> str:
    """`_short` of an ISO instant text: `2026-05-04T09:30:00+07:00` -> `2026-05-04 09:30 +07:00`
    (seconds shown only when not zero); other shapes (an offset with seconds, a year beyond
    four digits) through `_short` itself."""
    if len(text) != 25:
        if not text:
            return ""
        value = datetime.fromisoformat(text)
        return short_instant(round(value.timestamp() * 1_000_000), value.tzinfo)
    seconds = text[16:19] if text[17:19] != "00" else ""
    return f"{text[:10]} {text[11:16]}{seconds} {text[19:]}"


class _HmsCache(dict):
    """`hms` with its answers kept (used and left times repeat within a chunk)."""

    def __call__(self, seconds) -> str:
        found = self.get(seconds)
        if found is None:
            found = self[seconds] = hms(seconds)
        return found




def _table_row(cells) -> str:
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, _WIDTHS)).rstrip()


def _summary(run: Evaluation) -> list[dict]:
    return [{**row, "compliance": _fraction_json(row["compliance"])} for row in summary_rows(run)]


def _proportion_report(run: Evaluation) -> list[dict]:
    return [{**row, "required": _fraction_json(row["required"]), "actual": _fraction_json(row["actual"])}
            for row in proportion_rows(run)]


def _not_judged(run: Evaluation) -> dict:
    rows = not_judged_rows(run)
    return {"total": sum(r["count"] for r in rows), "reasons": rows}


def _not_judged_lines(run: Evaluation) -> list[str]:
    """`not judged: N row(s):` and one line per reason, like the skipped report."""
    rows = not_judged_rows(run)
    if not rows:
        return []
    out = [f"not judged: {sum(r['count'] for r in rows)} row(s):"]
    for r in rows:
        more = ", ..." if r["count"] > len(r["rows"]) else ""
        out.append(f"  {r['count']} x {r['reason']} (rows {', '.join(map(str, r['rows']))}{more})")
    return out


def _summary_lines(summary, proportions) -> list[str]:
    lines = ["summary (compliance = met / (met + breached)):",
             _summary_row(("plan", "priority", "metric", "tickets", "met", "breached", "pending",
                           "not judged", "compliance"))]
    for row in summary:
        compliance = row["compliance"]
        lines.append(_summary_row((
            row["plan"] or "(contract)", row["priority"] or "(any)", row["metric"], row["tickets"],
            row["met"], row["breached"], row["pending"], row["not_judged"],
            _percent_text(Fraction(compliance["exact"])) if compliance else "-")))
    for row in proportions:
        actual = _percent_text(Fraction(row["actual"]["exact"])) if row["actual"] else "-"
        lines.append(f"proportion target `{row['metric']} {row['target']}` (line "
                     f"{row['source_line']}), {row['period']}: {row['met']} of "
                     f"{row['met'] + row['missed']} decided within ({actual}), "
                     f"{row['pending']} pending: {row['verdict']}")
    return lines


def _summary_row(cells) -> str:
    widths = (16, 12, 11, 8, 8, 9, 8, 11, 10)
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()


_input_format = click.option("--input-format", type=click.Choice(["csv", "jsonl", "parquet"]),
                             default=None, help="Format of the data file (default: from its extension).")
_map_values = click.option("--map-values", "value_maps", multiple=True,
                           metavar="FIELD=RAW:NAME[,RAW:NAME...]",
                           help="Read a raw value as a contract name (priority, plan, channel, addons).")
_map_file = click.option("--map-file", metavar="FILE",
                         help='Value mappings as JSON: {"priority": {"urgent": "Urgent"}, ...}.')
_ignore_case = click.option("--ignore-case", is_flag=True,
                            help="Match priority, plan, channel and add-on names in any case.")
_default_priority = click.option("--default-priority", metavar="PRIORITY",
                                 help="Priority of tickets whose priority cell is blank.")
_time_format = click.option("--time-format", "time_formats", multiple=True, metavar="FORMAT",
                            help="A strptime format for timestamps (repeatable; tried in order, "
                            "then ISO 8601).")


def _values_options(function):
    """The value transforms of `sladsl.normalize`, shared by eval and explain."""
    for option in (_time_format, _default_priority, _ignore_case, _map_file, _map_values):
        function = option(function)
    return function


def _normalizer(names: Names, value_maps, map_file, ignore_case, default_priority, time_formats):
    """The run's `Normalizer`, or None when no transform is asked for; bad values exit 2."""
    if not (value_maps or map_file or ignore_case or default_priority or time_formats):
        return None
    from sladsl.normalize import (
        Normalizer, OptionError, check_time_formats, parse_value_maps, read_map_file,
    )

    option = "--map-values"
    try:
        maps = parse_value_maps(value_maps)
        if map_file:
            option = "--map-file"
            for field, pairs in read_map_file(Path(map_file)).items():
                for raw, name in pairs.items():
                    if maps.get(field, {}).get(raw, name) != name:
                        raise OptionError(f"`{field}` value `{raw}` is mapped to "
                                          f"`{maps[field][raw]}` by --map-values and to `{name}`")
                    maps.setdefault(field, {})[raw] = name
        option = "--time-format"
        formats = check_time_formats(time_formats)
        option = "--map-values/--map-file"
        return Normalizer(names, maps, ignore_case=ignore_case, default_priority=default_priority,
                          time_formats=formats)
    except OptionError as error:
        text = str(error)
        raise UsageProblem(text if text.startswith("--") else f"{option}: {text}") from None
_map = click.option("--map", "mapping", multiple=True, metavar="FIELD=COLUMN[,...]",
                    help="Read a field from a differently named column.")
_assume = click.option("--assume-zone", metavar="ZONE",
                       help="Read timestamps without an offset in this zone.")
_events = click.option("--events", "events_file", metavar="FILE",
                       help="Event log (id,at,event,value; .csv or .jsonl): the tickets' timelines.")
_pause_status = click.option("--pause-status", "pause_statuses", multiple=True, metavar="STATUS",
                             help="With --events: a status that pauses every clock (repeatable); "
                             "replaces the contract's `pause while status` list for every clock.")
_skip = click.option("--skip-invalid", is_flag=True,
                     help="Skip invalid rows and report them at the end instead of stopping.")
_fail_on_breach = click.option(
    "--fail-on-breach", is_flag=True,
    help=f"Exit {3} when a target is missed (a breached verdict, a missed proportion target, "
         "an availability target not met), for CI.")

BREACH_EXIT = 3  # docs/cli.md "Exit codes"


class BreachFound(click.ClickException):
    """`--fail-on-breach` and a missed target: its own exit code, one line on stderr."""

    exit_code = BREACH_EXIT

    def show(self, file=None) -> None:
        click.echo(f"sladsl: {printable(self.format_message())}", err=True)  # contract names


@click.command("eval")
@click.argument("contract")
@click.option("--tickets", "tickets_file", required=True, metavar="FILE",
              help="Tickets (.csv, .jsonl or .ndjson).")
@click.option("--plan", metavar="PLAN", help="Plan of tickets whose file names none.")
@click.option("--now", "now_text", metavar="INSTANT",
              help="Judge open tickets at this instant (default: the current time).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--live", is_flag=True, help="Each ticket's clocks at --now instead of verdicts: "
              "running, paused or stopped, next due, time left (negative once overdue).")
@click.option("-o", "--output", metavar="FILE", help="Write here (atomically) instead of stdout.")
@_events
@_pause_status
@_map
@_values_options
@_input_format
@_assume
@_skip
@click.option("--engine", type=click.Choice(["python", "duckdb", "spark"]), default="python",
              show_default=True, help="Compute the verdicts in Python, or in SQL on DuckDB "
              "(embedded) or Spark (local, or SLADSL_SPARK_MASTER); the output is the same.")
@_fail_on_breach
@click.option("--version-by", type=click.Choice(["opened", "due"]), default="opened",
              show_default=True, help="Judge each ticket of a contract with versions by the "
              "version in effect when it was opened, or when its targets were due "
              "(docs/semantics.md \"Versions\").")
@penalties_option
def eval_command(contract, tickets_file, plan, now_text, fmt, live, output, events_file,
                 pause_statuses, mapping, value_maps, map_file, ignore_case, default_priority, time_formats,
                 input_format, assume_zone, skip_invalid, engine, fail_on_breach,
                 version_by, penalties) -> None:
    """Judge every ticket against the contract: due instants, met / breached / pending."""
    path = _data_file(tickets_file, "--tickets")
    if output not in (None, "-"):
        refuse_inputs_as_outputs([Path(output)], [path, Path(contract)])
    now = _instant_option(now_text, "--now") or _now()
    zone = _zone(assume_zone)
    model, evaluator = _load(contract)
    names = names_of(model)
    fields = _mapping(mapping, names.fields)  # the contract's attributes may be mapped too
    _known_name("--plan", plan, names.plans, "plan")
    normalize = _normalizer(names, value_maps, map_file, ignore_case, default_priority, time_formats)
    skipped = Skipped() if skip_invalid else None
    if live:
        if engine != "python":
            raise UsageProblem(f"--engine {engine}: --live is computed by the python engine only")
        _eval_live(evaluator, path, events_file, names, pause_statuses, now, skipped, fmt, output,
                   fail_on_breach, input_format=input_format, mapping=fields, assume_zone=zone,
                   default_plan=plan, display=path.name, normalize=normalize)
        return
    if penalties and (live or needs_versions(evaluator)):
        raise UsageProblem("--penalties: judged for a contract without versions, without --live")
    if events_file and engine != "python":
        raise UsageProblem(f"--engine {engine}: --events is computed by the python engine only "
                           "(the SQL engines read flat ticket columns)")
    # Worker processes for a large file on several cores, for the Python run that writes
    # verdicts; the rows skipped reading are then kept apart, to be merged in file order.
    events_path = _data_file(events_file, "--events") if events_file else None
    try:
        size = path.stat().st_size + (events_path.stat().st_size if events_path else 0)
        workers = 0 if penalties or engine != "python" else worker_count(size)
    except ValueError as error:
        raise UsageProblem(str(error)) from None
    reading = Skipped() if workers and skipped is not None else skipped
    if events_path:
        chunks = _event_chunks(path, events_path, names, pause_statuses,
                               now, reading, clock=_clock_rules(evaluator), fmt=input_format,
                               mapping=fields, assume_zone=zone, default_plan=plan,
                               display=path.name, normalize=normalize)
    else:
        chunks = read_ticket_chunks(path, names, fmt=input_format, mapping=fields,
                                    assume_zone=zone, default_plan=plan, skipped=reading,
                                    display=path.name, size=CHUNK, normalize=normalize)
    if needs_versions(evaluator):
        run = VersionedEvaluation(model, evaluator, now, version_by=version_by, skipped=skipped,
                                  source=path.name, update_events=bool(events_file))
    else:
        run = Evaluation(model, evaluator, now, skipped=skipped, source=path.name,
                         update_events=bool(events_file))
    runner = _runner(run, engine, contract)
    if workers:
        judged = _judged_in_workers(run, fmt, chunks, reading if reading is not skipped else None,
                                    skipped, workers)
    else:
        judged = (runner.run_chunk(chunk) for chunk in chunks)
    bar = _progress(path, "evaluating")
    # Millions of short-lived lists and strings, no reference cycles: the cyclic collector would
    # rescan the live chunk thousands of times for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # A bad first row, or a first chunk the runtime cannot answer, fails before any output.
        first = next(judged, None)
        with _output(output) as handle:
            if penalties:  # the penalties report instead of the verdicts (cli/formulas.py)
                eval_penalties(evaluator, runner, first, chunks, fmt, handle)
            else:
                _write_verdicts(handle, fmt, run, first, judged, bar, skipped)
    except DataError as error:
        raise DataProblem(str(error)) from None
    except WorkerFailed as error:
        raise DataProblem(str(error)) from None
    finally:
        judged.close()  # stops the workers when the run stopped early
        if collecting:
            gc.enable()
        if bar is not None:
            bar.__exit__(None, None, None)
    _report_skipped(skipped)
    _judged_something(run, skipped)
    if fail_on_breach:
        _fail_on_eval_breach(run)


def _write_verdicts(handle, fmt: str, run, first, judged, bar, skipped) -> None:
    """Every chunk's verdicts, as they are judged, then the summary."""
    writer = _Writer(handle, fmt, run)
    writer.begin()
    for part in itertools.chain([first] if first is not None else [], judged):
        count = writer.write(part)
        if bar is not None:
            bar.update(count)
    writer.finish(skipped or Skipped())


class _Spooled(NamedTuple):
    """A chunk judged by a worker process: its ticket count and its lines, in the spool."""

    count: int
    spool: Spool
    length: int


def _judged_in_workers(run: Evaluation | VersionedEvaluation, fmt: str, chunks,
                       reading: Skipped | None, skipped: Skipped | None,
                       workers: int) -> Iterator[_Spooled]:
    """The chunks judged and written in `workers` forked processes (sladsl.fanout), in file
    order; each chunk's tallies and skipped rows are added to `run` (and its `skipped`) as it
    comes back, in the order the one-process run adds them: the rows skipped reading a chunk,
    then those skipped judging it."""
    spools = [Spool() for _ in range(workers)]

    def start(index: int):
        writer, spool = _Writer(None, fmt, run), spools[index]

        def judge(chunk: TicketChunk) -> tuple:
            result = run.run_chunk(chunk)
            return index, len(result.chunk), writer.spool(result, spool), run.take_tallies()
        return judge

    read_skips: collections.deque = collections.deque()

    def jobs():
        for chunk in chunks:
            read_skips.append(reading.take() if reading is not None else None)
            yield chunk

    try:
        for index, count, length, tallies in ordered_map(start, jobs(), workers):
            if reading is not None:
                skipped.merge(read_skips.popleft())
            run.add_tallies(tallies)
            yield _Spooled(count, spools[index], length)
        if reading is not None:
            skipped.merge(reading.take())  # rows skipped after the last chunk
    finally:
        for spool in spools:
            spool.close()


def _eval_live(evaluator, path: Path, events_file, names: Names, pause_statuses, now: datetime,
               skipped, out_format: str, output, fail_on_breach: bool, input_format,
               **read_options) -> None:
    """`eval --live` (sladsl.cli.live): every ticket's clocks at `now`."""
    from sladsl.cli.live import LiveWriter, has_inactivity, live_answers, with_pause_statuses

    read_options["fmt"] = input_format
    if events_file:
        from sladsl.events import tickets_with_events

        events_path = _data_file(events_file, "--events")
        events = _read_event_log(events_path, read_options)
        # Each ticket as read and with its timeline: the live view hands the runtime its events
        # (under the contract's clock rules, with `--pause-status` replacing the every-clock
        # statuses), so it follows the clocks `eval --events` judges (sladsl.cli.live).
        tickets = tickets_with_events(path, events, names, pause_statuses=pause_statuses,
                                      now=int(now.timestamp()) * 1_000_000, skipped=skipped,
                                      events_file=events_path.name, clock=_clock_rules(evaluator),
                                      pairs=True, **read_options)
        evaluator = with_pause_statuses(evaluator, pause_statuses)
    else:
        from sladsl.data import read_tickets

        tickets = read_tickets(path, names, skipped=skipped, **read_options)
    read = breached = 0
    try:
        answers = live_answers(evaluator, tickets, now, path.name, skipped,
                               read_options.get("normalize"))
        first = next(answers, None)  # a bad first row fails before any output
        with _output(output) as handle:
            writer = LiveWriter(handle, out_format, evaluator.CONTRACT.get("name"), now,
                                has_inactivity(evaluator))
            for ticket, answer, reason in itertools.chain([first] if first else [], answers):
                writer.write(ticket, answer, reason)
                read += 1
                breached += sum(1 for c in (answer or {}).get("clocks", ())
                                if c["status"] == "breached")
            writer.finish(skipped or Skipped())
    except DataError as error:
        raise DataProblem(str(error)) from None
    _report_skipped(skipped)
    if read == 0:
        total = skipped.total if skipped else 0
        raise DataProblem("nothing was judged: " + (f"all {total} ticket(s) were skipped as invalid"
                                                    if total else "the file has no tickets"))
    if fail_on_breach and breached:
        raise BreachFound(f"{breached} clock(s) breached (--fail-on-breach)")


def _judged_something(run: Evaluation, skipped: Skipped | None) -> None:
    """A run that judged no ticket is not a success: exit 1 saying why (brief, issue 20.8)."""
    if any(sum(counts[:NOT_JUDGED]) for counts in run.summary.values()):  # met/breached/pending
        return
    read = run.tickets + (skipped.total if skipped else 0)
    if read == 0:
        why = "the file has no tickets"
    elif run.tickets == 0:
        why = f"all {read} ticket(s) were skipped as invalid"
    else:
        top = not_judged_rows(run)[0]
        why = (f"none of the {run.tickets} ticket(s) has a target that judges it"
               + (f" ({skipped.total} more skipped as invalid)" if skipped and skipped.total else "")
               + f"; the most common reason ({top['count']} row(s)): {top['reason']}")
    raise DataProblem(f"nothing was judged: {why}")


def _fail_on_eval_breach(run: Evaluation) -> None:
    breached = sum(counts[1] for counts in run.summary.values())
    missed = sum(1 for row in proportion_rows(run) if row["verdict"] == "missed")
    if breached or missed:
        parts = [f"{breached} verdict(s) breached"] if breached else []
        parts += [f"{missed} proportion target period(s) missed"] if missed else []
        raise BreachFound(" and ".join(parts) + " (--fail-on-breach)")


def _known_name(option: str, value: str | None, choices, what: str) -> None:
    """An option naming something of the contract: unknown is a usage error (exit 2), with
    "did you mean", like `uptime --service`."""
    if value is None or value in choices:
        return
    from sladsl.data import _did_you_mean

    raise UsageProblem(f"{option}: unknown {what} `{value}`{_did_you_mean(value, choices)}; the "
                       "contract has " + (", ".join(f"`{c}`" for c in choices) or "none"))


def _read_event_log(events_path: Path, read_options: dict):
    """The event log (`--events`) read with the tickets' zone and timestamp formats; a data
    error is the command's DataProblem."""
    from sladsl.events import read_events

    normalize = read_options.get("normalize")
    try:
        return read_events(events_path, assume_zone=read_options.get("assume_zone"),
                           display=events_path.name,
                           time_formats=normalize.time_formats if normalize else ())
    except DataError as error:
        raise DataProblem(str(error)) from None


def _event_chunks(path: Path, events_path: Path, names: Names, pause_statuses, now: datetime,
                  skipped, clock: dict, **read_options):
    """Ticket chunks whose timelines come from an event log (sladsl.events). Nothing is read
    before the first chunk is asked for: worker processes are forked before (sladsl.fanout)."""
    from sladsl.events import ticket_chunks_with_events

    events = _read_event_log(events_path, read_options)
    now_us = int(now.timestamp()) * 1_000_000
    yield from ticket_chunks_with_events(path, events, names, pause_statuses=pause_statuses,
                                         now=now_us, skipped=skipped, size=CHUNK,
                                         events_file=events_path.name, clock=clock, **read_options)


def _refuse_for_sql(contract: str, model, evaluator, *, services=(), tickets=True) -> None:
    """E801 diagnostics and exit 1 when the SQL back end would have to ignore a clause."""
    from sladsl.to_sql_guard import sql_refusals

    path = Path(contract)
    problems = sql_refusals(model, evaluator.spec, display_name(path), services, tickets)
    if problems:
        import attrs

        result = attrs.evolve(compile_file(path), diagnostics=tuple(problems))
        print_diagnostics([result], "text", err=True)
        raise DataProblem(f"`{display_name(path)}` has clauses the SQL back end cannot compute; "
                          "use --engine python")


def _runner(run: Evaluation | VersionedEvaluation, engine: str, contract: str | None = None):
    """What answers each chunk: the Python evaluation itself, or a SQL engine filling it (for a
    contract with versions, one per version: the routing by version stays the runtime's)."""
    if engine == "python":
        return run
    if isinstance(run, VersionedEvaluation):
        run.runners = [_runner(each, engine, contract) for each in run.runs]
        return run
    from sladsl.sql_engine import EngineProblem, SqlEvaluation

    if contract is not None:
        _refuse_for_sql(contract, run.contract, run.ev, services=())

    try:
        return SqlEvaluation(run, engine)
    except EngineProblem as error:
        raise UsageProblem(f"--engine {engine}: {error}") from None


def _report_skipped(skipped: Skipped | None) -> None:
    if skipped is not None and skipped.total:
        for line in skipped.lines():
            click.echo(printable(line), err=True)


# -- uptime -------------------------------------------------------------------------------------

_engine_option = click.option(
    "--engine", type=click.Choice(["python", "duckdb", "spark"]), default="python",
    show_default=True, help="Compute downtime, uptime and credits in Python, or in SQL on DuckDB "
    "(embedded) or Spark (local, or SLADSL_SPARK_MASTER); the output is the same.")

@click.command("uptime")
@click.argument("contract")
@click.option("--incidents", "incidents_file", metavar="FILE",
              help="Incidents (.csv, .jsonl or .ndjson).")
@click.option("--counts", "counts_file", metavar="FILE", help="Counts of good and total executions per "
              "interval (columns `start`, `good`, `total`, optional `scope` and `service`) for a service "
              "`measured by` counts.")
@click.option("--period", metavar="PERIOD",
              help="`2026-05`, `2026-Q2`, `2026-W10` (ISO week) or `2026`; a longer period than the "
              "service's own is judged per service period, with a total. For `per rolling N days`: "
              "the date the window ends with (`2026-04-30`). For `per billing month from activation`: the "
              "period starting in a month (`2026-02`) or a day it holds (`2026-02-20`).")
@click.option("--claim-date", metavar="DATE", help="For `per rolling N days before claim`: the date "
              "of the claim (the window is the N days before it); instead of --period.")
@click.option("--claims", "claims_file", metavar="FILE", help="Earlier successful claims of a rolling "
              "window (a `claim_date` column): downtime in their windows is not counted again.")
@click.option("--activated", metavar="DATE", help="The day the service started: in a rolling window, "
              "the days before it count as available; billing periods are counted from it; a calendar "
              "period is judged from it (a partial period).")
@click.option("--resources", "resources_file", metavar="FILE", help="Lifespans (columns `scope`, "
              "`created`, `deleted`, optional `service`): each resource is judged over the part of the "
              "period it existed in (a row without scope: the service itself).")
@click.option("--service", metavar="SERVICE", help="Only this service (default: every service "
              "with an availability target).")
@click.option("--billing", type=click.Choice(["monthly", "quarterly", "annual"]), default="monthly",
              show_default=True, help="Billing basis for per-outage credits and caps.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write here (atomically) instead of stdout.")
@click.option("--now", "now_text", metavar="INSTANT",
              help="Report the error budget's burn rate so far at this instant.")
@_map
@_input_format
@_assume
@_skip
@_engine_option
@_fail_on_breach
@formula_options
def uptime_command(contract, incidents_file, counts_file, period, claim_date, claims_file, activated, resources_file,
                   service, billing, fmt, output, now_text, mapping, input_format, assume_zone, skip_invalid,
                   engine, fail_on_breach, hourly_rate, devices) -> None:
    """Uptime of a period from an incident log: downtime, exact uptime, target and credits."""
    if billing == "quarterly" and engine != "python":
        raise UsageProblem("--billing quarterly: the SQL engines bill monthly or annually; use --engine python")
    if (period is None) == (claim_date is None):
        raise UsageProblem("give the period to judge: --period (or --claim-date for a window before a claim)")
    period = period or claim_date
    if incidents_file is None and counts_file is None:
        raise UsageProblem("give --incidents FILE (or --counts FILE for a service measured by counts)")
    path = _data_file(incidents_file, "--incidents") if incidents_file is not None else None
    counts_path = _data_file(counts_file, "--counts") if counts_file is not None else None
    rolling_options = _rolling_options(claims_file, activated, resources_file)
    if output not in (None, "-"):
        refuse_inputs_as_outputs([Path(output)], [p for p in (path, counts_path, Path(contract)) if p])
    fields = _mapping(mapping, INCIDENT_FIELDS)
    zone = _zone(assume_zone)
    model, evaluator = _load(contract)
    if needs_versions(evaluator) and not isinstance(evaluator, Versions):
        evaluator = Versions([evaluator.spec])  # a dated contract judges only its own periods
    services = _services_of(model)
    if service is not None:
        names = [s.name for s in _all_services(model)]
        if service not in names:
            from sladsl.data import _did_you_mean

            raise UsageProblem(f"--service: unknown service `{service}`"
                               f"{_did_you_mean(service, names)}; the contract has "
                               + ", ".join(f"`{n}`" for n in names))
        services = [s for s in services if s.name == service]
        if not services:
            raise UsageProblem(f"--service: `{service}` has no availability target")
    if not services:
        raise UsageProblem("the contract has no service with an availability target")
    skipped = Skipped() if skip_invalid else None
    try:
        incidents = [] if path is None else list(read_incidents(
            path, names_of(model), fmt=input_format, mapping=fields, assume_zone=zone, skipped=skipped,
            display=path.name))
        counted = None if counts_path is None else _read_counts(counts_path, model, zone)
    except DataError as error:
        raise DataProblem(str(error)) from None
    if skipped is not None and skipped.total and not incidents:
        _report_skipped(skipped)
        raise DataProblem(f"nothing was judged: all {skipped.total} incident row(s) were skipped "
                          "as invalid (an uptime without them would read as no downtime)")
    reports, warned = [], set()
    terms = formula_terms(hourly_rate, devices, services, engine)
    answer_periods = _uptime_runner(engine, contract, model, evaluator, incidents,
                                    tuple(s.name for s in services))
    display = path.name if path is not None else ""
    for svc in services:
        if svc.counts is not None:  # measured by counts: its data are the counts rows
            _refuse_incidents_of(svc, incidents, display)
            mine, outages = [], _counts_records(svc, counted, counts_path)
        else:
            if path is None:
                raise UsageProblem(f"service `{svc.name}` is measured from incidents: give --incidents FILE "
                                   "(or --service to pick a service measured by counts)")
            mine = [i for i in incidents if i.service in (None, svc.name)]
            outages = [i.as_mapping() for i in mine if i.kind == "outage"]
        _check_counting_rows(svc, mine, display)
        try:
            check_device_rows(svc, mine, display)
        except DataError as error:
            raise DataProblem(str(error)) from None
        _warn_outages(_latest(evaluator), svc.name, [i for i in mine if i.kind == "outage"],
                      display, warned)
        excluded = [(to_datetime(i.start), to_datetime(i.end)) for i in mine if i.kind == "excluded"]
        maintenance = [(to_datetime(i.start), to_datetime(i.end)) for i in mine
                       if i.kind == "maintenance"]
        _check_period_year(period)
        extra = _rolling_for(svc, rolling_options, claim_date)
        if extra and (engine != "python" or (isinstance(evaluator, Versions) and set(extra) != {"claims"})):
            raise UsageProblem("--claims, --activated and --resources are answered by the python engine, "
                               "for a contract without versions")
        try:
            cut, works = _scoped_spans(svc, mine, excluded, maintenance)
            answer = answer_periods(svc.name, period, outages, cut, maintenance=works, billing=billing,
                                    now=_instant_option(now_text, "--now"), **extra, **terms)
        except ValueError as error:
            raise UsageProblem(f"--period: {error}") from None
        for piece in answer["periods"]:  # the service and evaluator of the judging version
            piece["_judge"] = _version_judge(model, svc, piece, evaluator)
            if piece.get("counts") is not None and not piece["counts"]["total"]:
                click.echo(printable(f"sladsl: warning: service `{svc.name}`: no {svc.counts.name} counted "
                                     f"from {piece['period_start'].isoformat()} to {piece['period_end'].isoformat()}: "
                                     "nothing failed, so the uptime is 100%"), err=True)
            for part in piece.get("parts", ()):  # a split period: each part by its version
                part["_judge"] = _version_judge(model, svc, part, evaluator)
        reports.append((svc, answer, excluded, maintenance))
    if fmt == "json":
        text = json.dumps({
            "contract": evaluator.CONTRACT.get("name"), "period": period, "billing": billing,
            "services": [_uptime_report_json(svc, a, excluded, maintenance, evaluator)
                         for svc, a, excluded, maintenance in reports],
            "skipped": (skipped or Skipped()).as_json(),
        }, indent=2, ensure_ascii=False) + "\n"
    else:
        lines = []
        for svc, answer, excluded, maintenance in reports:
            lines += _uptime_report_lines(svc, answer, excluded, maintenance, evaluator)
        text = "\n".join(lines) + "\n"
    if output:
        try:
            write_atomic(Path(output), text.encode("utf-8"))
        except OSError as error:
            raise UsageProblem(f"cannot write `{output}`: {error.strerror or error}") from None
    else:
        click.echo(text, nl=False)
    _report_skipped(skipped)
    missed = [svc.name for svc, report, _, _ in reports
              if not all(answer["met"] for answer in report["periods"])]
    if fail_on_breach and missed:
        raise BreachFound("availability target not met for " + ", ".join(f"`{n}`" for n in missed)
                          + " (--fail-on-breach)")


def _latest(evaluator):
    return evaluator.evaluators[-1] if isinstance(evaluator, Versions) else evaluator


def _all_services(checked) -> list:
    """Every service of any version, by name (the latest version's, where several have it)."""
    found: dict = {}
    for version in versions_of(checked):
        for service in version.services:
            found[service.name] = service
    return list(found.values())


def _services_of(checked) -> list:
    return [s for s in _all_services(checked) if s.availability is not None]


def _version_judge(checked, svc, answer, evaluator):
    """(service, evaluator) of the version that judged a period (its maintenance, calendars)."""
    if not isinstance(evaluator, Versions):
        return svc, evaluator
    for version, judge in zip(versions_of(checked), evaluator.evaluators):
        if version.effective == answer.get("version"):
            return next((s for s in version.services if s.name == svc.name), svc), judge
    return svc, evaluator.evaluators[-1]


def _uptime_runner(engine: str, contract: str, model, evaluator, incidents, services):
    """What answers `availability_periods`: the runtime, or the SQL back end on an engine (which
    first refuses, with E801, any clause its queries do not implement)."""
    if engine == "python":
        return evaluator.availability_periods
    if isinstance(evaluator, Versions):  # each period by its version, each version on the engine
        if any(e.spec["contract"].get("split_periods") for e in evaluator.evaluators):
            raise UsageProblem(f"--engine {engine}: a version `splitting periods` is judged by "
                               "the python engine only")
        answerers = [_uptime_runner(engine, contract, version, judge, incidents,
                                    tuple(s for s in services if _has_target(judge, s)))
                     for version, judge in zip(versions_of(model), evaluator.evaluators)]

        def by_version(service, period, outages, excluded, *, maintenance, billing, now):
            return evaluator.periods_answered_by(answerers, service, period, outages, excluded,
                                                 maintenance=maintenance, billing=billing, now=now)
        return by_version
    from sladsl.sql_engine import EngineProblem, SqlUptime

    _refuse_for_sql(contract, model, evaluator, services=services, tickets=False)
    try:
        runner = SqlUptime(evaluator, engine, incidents, services)
    except EngineProblem as error:
        raise UsageProblem(f"--engine {engine}: {error}") from None

    def answer(service, period, outages, excluded, *, maintenance, billing, now):
        return runner.report(service, period, outages, excluded, maintenance, billing, now)
    return answer


def _has_target(evaluator, service: str) -> bool:
    entry = evaluator.spec["services"].get(service)
    return entry is not None and entry["target_percent"] is not None


def _read_counts(counts_path: Path, model, zone) -> list:
    from sladsl.data import read_counts

    rows = read_counts(counts_path, display=counts_path.name, assume_zone=zone)
    known = {s.name for s in _all_services(model)}
    for row, service, *_rest in rows:
        if service is not None and service not in known:
            from sladsl.data import _did_you_mean

            raise DataError(counts_path.name, row, "service", f"unknown service `{service}`"
                            f"{_did_you_mean(service, sorted(known))}", "unknown service")
    return rows


def _refuse_incidents_of(svc, incidents, display: str) -> None:
    """An incident row naming a service measured by counts would be ignored: an error naming it."""
    for incident in incidents:
        if incident.service == svc.name:
            raise DataProblem(printable(str(DataError(
                display, incident.row, "service", f"service `{svc.name}` is measured by {svc.counts.name}: "
                "its availability comes from --counts, not from incident rows", "incident of a counts service"))))


def _counts_records(svc, rows, counts_path: Path | None) -> list[dict]:
    """The counts rows of one service as `availability()` takes them, after the checks that name
    the file's rows: a scope where the service is measured per scope (a listed one), and no two
    rows of a scope whose intervals overlap (a duplicate start included)."""
    if rows is None or counts_path is None:
        raise UsageProblem(f"service `{svc.name}` is measured by {svc.counts.name}: give --counts FILE")
    display, scopes, step = counts_path.name, svc.counting.scopes, svc.counts.interval
    mine = [r for r in rows if r[1] in (None, svc.name)]
    last: dict = {}
    for row, _service, scope, start, good, total in sorted(mine, key=lambda r: (r[2] or "", r[3], r[0])):
        if scopes is not None and scope is None:
            raise DataProblem(str(DataError(display, row, "scope", f"service `{svc.name}` is measured per "
                                            f"{scopes.kind}: give the {scopes.kind} these counts are of",
                                            "missing scope")))
        if scopes is not None and scopes.names and scope not in scopes.names:
            raise DataProblem(printable(str(DataError(display, row, "scope", f"unknown {scopes.kind} `{scope}`; "
                                        "the contract lists " + ", ".join(f"`{n}`" for n in scopes.names),
                                        "unknown scope"))))
        if scopes is None and scope is not None:
            raise DataProblem(printable(str(DataError(display, row, "scope", f"service `{svc.name}` is not "
                                                      "measured per scope: leave `scope` empty", "unexpected scope"))))
        earlier = last.get(scope)
        if earlier is not None and start - earlier[1] < step:
            raise DataProblem(str(DataError(display, row, "start", f"this interval overlaps row {earlier[0]} "
                                            f"(intervals of {hms(step)} starting "
                                            f"{datetime.fromtimestamp(earlier[1], timezone.utc).isoformat()} and "
                                            f"{datetime.fromtimestamp(start, timezone.utc).isoformat()})",
                                            "overlapping counts")))
        last[scope] = (row, start)
    records = []
    for _row, _service, scope, start, good, total in mine:
        record = {"start": datetime.fromtimestamp(start, timezone.utc), "good": good, "total": total}
        if scope is not None:
            record["scope"] = scope
        records.append(record)
    return records


def _counts_lines(answer) -> list[str]:
    counts = answer.get("counts")
    if counts is None:
        return []
    rule = {"ratio": "good / total", "threshold": "intervals over the error rate are down",
            "average": "the average of the windows' error rates"}[counts["rule"]]
    downtime = ("the downtime above is the down intervals" if counts["rule"] == "threshold"
                else "the downtime above is the period times the share that failed")
    return [printable(f"  measured by {counts['name']} ({rule}): {counts['good']} of {counts['total']} good "
                      f"in {counts['rows']} counts row(s); {downtime}")]


def _counts_json(answer) -> dict | None:
    counts = answer.get("counts")
    return None if counts is None else dict(counts)


def _rolling_options(claims_file: str | None, activated: str | None, resources_file: str | None = None) -> dict:
    """`--claims`, `--activated` and `--resources`, read and checked once."""
    options: dict = {}
    if resources_file is not None:
        from sladsl.data import read_lifespans

        resources_path = _data_file(resources_file, "--resources")
        try:
            options["resources"] = (resources_path.name, read_lifespans(resources_path, display=resources_path.name))
        except DataError as error:
            raise DataProblem(str(error)) from None
    if claims_file is not None:
        from sladsl.data import read_claim_dates

        claims_path = _data_file(claims_file, "--claims")
        try:
            options["claims"] = read_claim_dates(claims_path, display=claims_path.name)
        except DataError as error:
            raise DataProblem(str(error)) from None
    if activated is not None:
        try:
            options["activated"] = date.fromisoformat(activated.strip())
        except ValueError:
            raise UsageProblem(f"--activated: expected a date such as 2026-01-15, got `{activated}`") from None
    return options


def _rolling_for(svc, options: dict, claim_date: str | None) -> dict:
    """The rolling-window options for one service; refused for a service they cannot apply to."""
    availability = svc.availability
    rolling = availability.rolling_days is not None
    if claim_date is not None and not availability.before_claim:
        raise UsageProblem(f"--claim-date: service `{svc.name}` is not measured over the days before a claim "
                           "(`per rolling N days before claim`): use --period")
    if "claims" in options and not rolling and not posts_credits(svc):
        raise UsageProblem(f"--claims applies to rolling windows, and to credits that say when they are "
                           f"posted; service `{svc.name}` is measured per {availability.period} (use "
                           "--service to pick another)")
    extra = {key: value for key, value in options.items() if key != "resources"}
    if "resources" in options:
        if rolling:
            raise UsageProblem(f"--resources applies to calendar and billing periods; service `{svc.name}` is "
                               "measured over a rolling window")
        extra["lifespans"] = _lifespans_for(svc, *options["resources"])
    return extra


def _lifespans_for(svc, display: str, rows) -> dict:
    """{scope or None: (created, deleted)} of one service from `--resources` rows (a row naming
    another service is not its; a scope given twice is an error naming the row)."""
    scopes = svc.counting.scopes
    found: dict = {}
    for row, service, scope, created, deleted in rows:
        if service is not None and service != svc.name:
            continue
        if scope is not None and scopes is None:
            raise DataProblem(str(DataError(display, row, "scope", f"service `{svc.name}` is not measured per "
                                            "scope: leave `scope` empty to give the service's own lifespan",
                                            "unexpected scope")))
        if scope is not None and scopes.names and scope not in scopes.names:
            raise DataProblem(printable(str(DataError(
                display, row, "scope", f"unknown {scopes.kind} `{scope}`; the contract lists "
                + ", ".join(f"`{n}`" for n in scopes.names), "unknown scope"))))
        if scope in found:
            raise DataProblem(printable(str(DataError(
                display, row, "scope", f"a second lifespan for {'the service' if scope is None else f'`{scope}`'}",
                "duplicate lifespan"))))
        found[scope] = tuple(None if t is None else datetime.fromtimestamp(t, timezone.utc)
                             for t in (created, deleted))
    return found


def _rolling_lines(answer) -> list[str]:
    """What a rolling window covers, and what earlier claims and the activation day took out."""
    rolling = answer.get("rolling")
    if rolling is None:
        return []
    day = rolling["date"].isoformat()
    lines = [f"  rolling window: the {rolling['days']} days "
             + (f"before the claim date {day}" if rolling["before_claim"] else f"ending with {day}")]
    if rolling["claims_not_counted_again"]:
        lines.append("  earlier claims, whose windows' downtime is not counted again: "
                     + ", ".join(d.isoformat() for d in rolling["claims_not_counted_again"]))
    if rolling["activated"] is not None:
        lines.append(f"  activated {rolling['activated'].isoformat()}: the days before count as available")
    return lines


def _partial_lines(answer) -> list[str]:
    """A partial period: the whole period, the share the service existed for, how credits follow."""
    partial = answer.get("partial")
    if partial is None:
        return []
    share = Fraction(partial["share"])
    fee = {"prorated": "credits are shares of the prorated fee", "full": "credits are shares of the full fee",
           None: "the contract does not say how credits are prorated"}[partial["fee"]]
    return [f"  partial period: the service existed for {share.numerator}/{share.denominator} of "
            f"{partial['period_start'].isoformat()} .. {partial['period_end'].isoformat()}; {fee}"]


def _partial_json(answer) -> dict | None:
    partial = answer.get("partial")
    if partial is None:
        return None
    return {"period_start": partial["period_start"].isoformat(), "period_end": partial["period_end"].isoformat(),
            "share": _fraction_json(partial["share"]), "fee": partial["fee"]}


def _billing_lines(answer) -> list[str]:
    """Which billing period this is, counted from the activation day."""
    billing = answer.get("billing")
    if billing is None:
        return []
    return [f"  billing {billing['kind']} {billing['number']} from the activation day "
            f"{billing['activated'].isoformat()}"]


def _billing_json(answer) -> dict | None:
    billing = answer.get("billing")
    if billing is None:
        return None
    return {"kind": billing["kind"], "number": billing["number"], "activated": billing["activated"].isoformat()}


def _rolling_json(answer) -> dict | None:
    rolling = answer.get("rolling")
    if rolling is None:
        return None
    return {"days": rolling["days"], "date": rolling["date"].isoformat(), "before_claim": rolling["before_claim"],
            "claims_not_counted_again": [d.isoformat() for d in rolling["claims_not_counted_again"]],
            "activated": None if rolling["activated"] is None else rolling["activated"].isoformat()}


def _scoped_spans(svc, incidents, excluded, maintenance) -> tuple:
    """(excluded, maintenance) for `availability_periods`: (start, end) pairs, or records with
    their `scope` for a service measured per scope (a row naming a scope applies to it only)."""
    if svc.counting.scopes is None:
        return excluded, maintenance
    return ([_span_record(i) for i in incidents if i.kind == "excluded"],
            [_span_record(i) for i in incidents if i.kind == "maintenance"])


def _span_record(incident) -> dict:
    """An excluded or maintenance row as `availability()` takes it (with its scope, if any)."""
    record = {"start": to_datetime(incident.start), "end": to_datetime(incident.end)}
    if incident.scope is not None:
        record["scope"] = incident.scope
    return record


def _check_counting_rows(svc, incidents, display: str) -> None:
    """The columns a service's counting rules need, named by row and field: `impact` on every
    outage of a service weighted by impact, `scope` on every outage of one measured per scope
    (a listed scope, when the contract lists them)."""
    counting = svc.counting
    for incident in incidents:
        if incident.kind != "outage":
            _check_listed_scope(svc, incident, display)  # maintenance or an exclusion: any scope or none
            continue
        if counting.impact and incident.impact is None:
            raise DataProblem(str(DataError(
                display, incident.row, "impact", f"service `{svc.name}` weights downtime by impact: "
                "give the share of customers affected (25% or 0.25)", "missing impact")))
        scopes = counting.scopes
        if scopes is None:
            continue
        if incident.scope is None:
            raise DataProblem(str(DataError(
                display, incident.row, "scope", f"service `{svc.name}` is measured per {scopes.kind}: "
                f"give the {scopes.kind} this outage affected", "missing scope")))
        _check_listed_scope(svc, incident, display)


def _check_listed_scope(svc, incident, display: str) -> None:
    """A row's scope is one the contract lists, when it lists them (row and field named)."""
    scopes = svc.counting.scopes
    if scopes is None or not scopes.names or incident.scope is None or incident.scope in scopes.names:
        return
    from sladsl.data import _did_you_mean

    raise DataProblem(printable(str(DataError(
        display, incident.row, "scope", f"unknown {scopes.kind} `{incident.scope}`"
        f"{_did_you_mean(incident.scope, list(scopes.names))}; the contract lists "
        + ", ".join(f"`{n}`" for n in scopes.names), "unknown scope"))))


def _counting_text(svc) -> str | None:
    """The service's counting rules in one line, for the report."""
    counting, parts = svc.counting, []
    if counting.minimum is not None:
        words = {"longer": "only outages longer than {}", "at_least": "only outages of at least {}",
                 "beyond": "only the time beyond {} of each outage"}
        parts.append(words[counting.minimum.rule].format(hms(counting.minimum.seconds)))
    if counting.sampling is not None:
        rule = ("any downtime" if counting.sampling.threshold is None
                else f"at least {decimal_text(counting.sampling.threshold)}% down")
        parts.append(f"in {hms(counting.sampling.seconds)} intervals ({rule} makes one down)")
    if counting.impact:
        parts.append("weighted by impact")
    return "; ".join(parts) if parts else None


def _scope_lines(answer) -> list[str]:
    """One line per scope of a service measured per scope, and the overall rule."""
    scopes = answer.get("scopes")
    if scopes is None:
        return []
    kind, overall = answer["scope_kind"], answer["overall"]
    rule = {"each": f"each {kind} judged and credited on its own; met only if every {kind} is",
            "average": f"the average of the {kind}s is judged", "all-down":
            f"down only while every {kind} is down"}[overall]
    worst = f"; figures above: the worst {kind}, `{answer['worst_scope']}`" if answer.get("worst_scope") else ""
    lines = [f"  measured per {kind}, overall {overall} ({rule}){worst}"]
    if not scopes:
        lines.append(f"    no {kind} had an outage")
    for name, each in scopes.items():
        uptime = Fraction(each["uptime"])
        down = Fraction(each["downtime_seconds"])
        lines.append(f"    {kind} `{name}`: downtime {hms(int(down))} ({decimal_text(down)} s), uptime "
                     f"{_percent_text(100 * uptime)} ({_exact_text(uptime)}), "
                     + ("met" if each["met"] else "not met"))
    return [printable(line) for line in lines]


def _warn_outages(evaluator, service: str, outages, display: str, warned: set) -> None:
    """One stderr line per outage row whose report or detection lies outside its start..end."""
    for incident in outages:
        for note in evaluator.outage_notes(service, incident.as_mapping()):
            if (incident.row, note) not in warned:
                warned.add((incident.row, note))
                click.echo(printable(f"sladsl: warning: {display} row {incident.row}: {note}"), err=True)


def _check_period_year(period: str) -> None:
    """A period in a year the runtime answers for (2..9998), said in the period's own terms."""
    year = re.match(r"\s*(\d{4})", period)
    if year is not None and not 2 <= int(year.group(1)) <= 9998:
        raise UsageProblem(f"--period: `{period}` is in year {int(year.group(1))}: sladsl answers "
                           "for the years 2 to 9998")


def _clip(intervals, lo, hi):
    out = []
    for a, b in intervals:
        a, b = max(a, lo), min(b, hi)
        if b > a:
            out.append((a, b))
    return out


def _maintenance_account(svc, maintenance, answer, evaluator) -> dict | None:
    """How much scheduled maintenance there was, and how much fell inside the `outside` hours.

    For display only: the downtime verdict comes from `availability()`.
    """
    if not maintenance:
        return None
    lo, hi = answer["period_start"], answer["period_end"]
    spans = _clip(maintenance, lo, hi)
    total = sum(int((b - a).total_seconds()) for a, b in spans)
    rule = svc.maintenance
    if rule is None:
        return {"total_seconds": total, "in_hours_seconds": 0, "allowance_seconds": None,
                "outside": None, "overrun": None}
    inside = 0
    if rule.outside:
        cal = evaluator.calendar(rule.outside)
        inside = sum(int(cal.elapsed(a, b).total_seconds()) for a, b in spans)
    return {"total_seconds": total, "in_hours_seconds": inside, "allowance_seconds": rule.allowance,
            "outside": rule.outside, "overrun": rule.overrun}


def _credit_text(credit: dict) -> str:
    kind = credit["kind"]
    money = money_text(credit)  # credit formulas paid in money (cli/formulas.py)
    if money is not None:
        return money
    if kind == "extension":
        seconds = credit.get("extension_seconds") or 0
        return f"subscription extension of {hms(seconds)}" + (" (capped)" if credit.get("capped") else "")
    percent = credit.get("percent")
    fee = f"the {credit.get('basis') or ''} fee".replace("  ", " ") + _fee_scope_text(credit)
    amount = f"{decimal_text(percent)}% of {fee}" if percent is not None else "nothing"
    capped = " (capped)" if credit.get("capped") else ""
    if kind == "per_outage":
        periods = credit.get("periods")
        if credit.get("days") is not None:
            amount = f"{decimal_text(credit['days'])} day(s) of service"
        return f"{amount} for {periods} credit period(s){capped}"
    if kind == "bands":
        return _bands_text(credit, amount, capped)
    if kind == "per_device":
        if credit.get("days") is not None:
            amount = f"{decimal_text(credit['days'])} day(s) of service"
        return f"{amount} for {credit.get('periods')} violation(s){capped}"
    return amount + capped


def _bands_text(credit: dict, amount: str, capped: str) -> str:
    """`10 days of service for 3 outage(s) (capped), worth 32.2581% of the monthly fee`."""
    if credit.get("days") is not None:
        amount = f"{_service_time(Fraction(credit['days']))} of service"
    text = f"{amount} for {credit.get('periods')} outage(s){capped}"
    if credit.get("worth_percent") is not None:
        basis = credit["worth_basis"]
        period = {"monthly": "month", "quarterly": "quarter", "annual": "year"}.get(basis, "billing period")
        text += (f", worth {_percent_text(Fraction(credit['worth_percent']))} of the {basis} fee"
                 f"{_fee_scope_text(credit)} "
                 f"(a day of service is the {basis} fee / the days of its {period})")
    return text


def _fee_scope_text(credit: dict) -> str:
    """` of the affected region` when the credit is a share of the fee of the scope judged."""
    return f" of the affected {credit['fee_scope']}" if credit.get("fee_scope") else ""


def _service_time(days: Fraction) -> str:
    """`3 days`, `1 day`, `4 hours`: days of service, a part of a day in hours."""
    if days.denominator == 1:
        return f"{days} day{'s' if days != 1 else ''}"
    hours = days * 24
    return f"{decimal_text(hours)} hour{'s' if hours != 1 else ''}"


def _worth_json(credit: dict) -> dict:
    """What days of service are worth in money, for credits that say (by duration band), and
    which of several credits is paid, when the contract says (`choice`)."""
    out = {}
    if credit.get("worth_basis") is not None:
        out.update(worth_percent=_fraction_json(credit["worth_percent"]), worth_basis=credit["worth_basis"])
    for extra in ("choice", "fee_scope"):
        if credit.get(extra) is not None:
            out[extra] = credit[extra]
    return out


_CHOICES = {"customer": " (one of the credits the customer chooses from, not both)",
            "greater": " (the greater of the service's credits)"}


def _choice_text(credit: dict) -> str:
    return _CHOICES.get(credit.get("choice") or "", "")


def _budget_lines(budget: dict | None) -> list[str]:
    """`  error budget: 43m12s allowed, 2h used (277.78%), 1h16m48s over`, and the burn rate."""
    if budget is None:
        return []
    left = Fraction(budget["left_seconds"])
    used = "" if budget["used_percent"] is None else f" ({_percent_text(Fraction(budget['used_percent']))})"
    state = f"{hms(int(left))} left" if left >= 0 else f"{hms(int(-left))} over"
    lines = [f"  error budget: {hms(int(budget['allowed_seconds']))} allowed, "
             f"{hms(int(budget['used_seconds']))} used{used}, {state}"]
    if budget["now"] is not None:
        rate = budget["burn_rate"]
        lines.append(f"  burn rate at {budget['now'].isoformat()}: "
                     + ("n/a" if rate is None else f"{float(rate):.2f}")
                     + f" ({hms(int(budget['used_so_far_seconds']))} used in "
                     f"{_percent_text(Fraction(budget['elapsed_percent']))} of the period; 1 uses the "
                     "budget exactly by the end)")
    return lines


def _budget_json(budget: dict) -> dict:
    return {key: (value.isoformat() if isinstance(value, datetime)
                  else value if value is None else _fraction_json(value))
            for key, value in budget.items()}


def _uptime_report_lines(svc, report, excluded, maintenance, evaluator) -> list[str]:
    """One block per service period; a period made of several ends with their total."""
    lines = []
    for answer in report["periods"]:
        if answer.get("split"):
            lines += _split_lines(svc, answer, excluded, maintenance, evaluator)
            continue
        block = _uptime_lines(*_judged_by(svc, answer, evaluator), excluded, maintenance)
        if "version" in answer:  # say which version's terms judged the period
            block.insert(1, f"  terms: the version in effect from {_date_text(answer['version'])}, "
                         "when the period began")
        lines += block
    if len(report["periods"]) > 1:
        lines += _total_lines(svc, report["total"], len(report["periods"]))
    return lines


def _split_lines(svc, answer, excluded, maintenance, evaluator) -> list[str]:
    """A period split where a version that says `splitting periods` takes effect: each part as
    its version judges it (its credit pro rata), then the period's credits after caps."""
    start, end, parts = answer["period_start"], answer["period_end"], answer["parts"]
    cuts = ", ".join(p["period_start"].isoformat() for p in parts[1:])
    lines = [f"service `{svc.name}` {svc.availability.period}: {start.isoformat()} .. "
             f"{end.isoformat()}, split at {cuts} (a version that splits periods takes effect)", ""]
    for part in parts:
        share = Fraction(part["share"])
        block = _uptime_lines(*_judged_by(svc, part, evaluator), excluded, maintenance)
        block[0] = "  part of the period: " + block[0]
        block.insert(1, f"  terms: the version in effect from {_date_text(part['version'])}; "
                     f"{share.numerator}/{share.denominator} of the period")
        lines += block
    down, uptime = Fraction(answer["downtime_seconds"]), Fraction(answer["uptime"])
    lines += [f"service `{svc.name}` period total: {start.isoformat()} .. {end.isoformat()}",
              f"  downtime: {hms(int(down))} ({decimal_text(down)} s)",
              f"  uptime over the whole period: {_percent_text(100 * uptime)} ("
              f"{_exact_text(uptime)}); each part is judged on its own",
              f"  target: {'met in every part' if answer['met'] else 'not met in at least one part'}"]
    if not answer["credits"]:
        lines.append("  credit: none owed")
    for credit in answer["credits"]:
        lines.append(f"  credit ({credit['kind']}), sum of the parts: {_credit_text(credit)}")
        lines.append(f"    rule: {credit.get('rule') or ''}")
        if credit.get("claim_by") is not None:
            lines.append(f"    {_claim_text(credit)}")
    lines.append("")
    return lines


def _total_lines(svc, total, count) -> list[str]:
    per = svc.availability.period
    down, uptime = Fraction(total["downtime_seconds"]), Fraction(total["uptime"])
    lines = [f"service `{svc.name}` total: {total['period_start'].isoformat()} .. "
             f"{total['period_end'].isoformat()}, judged per {per} ({count} {per}s)",
             f"  downtime: {hms(int(down))} ({decimal_text(down)} s)",
             f"  uptime over the whole span: {_percent_text(100 * uptime)} ("
             f"{_exact_text(uptime)}); the target is judged per {per}, not on this figure",
             f"  target: missed in {total['periods_missed']} of {count} {per}s"]
    if not total["credits"]:
        lines.append("  credits: none owed")
    for credit in total["credits"]:
        lines.append(f"  credits ({credit['kind']}){_choice_text(credit)}, sum of the {per}s: {_credit_text(credit)}")
    lines.append("")
    return lines


def _uptime_report_json(svc, report, excluded, maintenance, evaluator) -> dict:
    """One period: as `availability` answers it; several: their total, with `periods`."""
    periods = [_split_json(svc, a, excluded, maintenance, evaluator) if a.get("split") else
               dict(_uptime_json(*_judged_by(svc, a, evaluator), excluded, maintenance),
                    **({"version": _date_text(a["version"])} if "version" in a else {}))
               for a in report["periods"]]
    if len(periods) == 1:
        return periods[0]
    total = report["total"]
    return {
        "service": svc.name, "judged_per": svc.availability.period,
        "period_start": total["period_start"].isoformat(), "period_end": total["period_end"].isoformat(),
        "period_seconds": _fraction_json(total["period_seconds"]),
        "downtime_seconds": _fraction_json(total["downtime_seconds"]),
        "uptime": _fraction_json(total["uptime"]), "uptime_percent": _fraction_json(total["uptime_percent"]),
        "met": bool(total["met"]), "periods_missed": total["periods_missed"],
        "credits": [{"kind": c["kind"], "percent": _fraction_json(c["percent"]), "basis": c["basis"],
                     "days": _fraction_json(c["days"]), "extension_seconds": c["extension_seconds"],
                     "periods": c["periods"], "capped": bool(c["capped"]), **_worth_json(c), **money_json(c)}
                    for c in total["credits"]],
        "periods": periods,
    }


def _split_json(svc, answer, excluded, maintenance, evaluator) -> dict:
    """A split period: its parts (each as one period, with its version and share) and the
    period's credits after caps; `met` is true only when every part met its target."""
    parts = [dict(_uptime_json(*_judged_by(svc, p, evaluator), excluded, maintenance),
                  version=_date_text(p["version"]), share=_fraction_json(p["share"]))
             for p in answer["parts"]]
    return {
        "service": svc.name, "split": True,
        "period_start": answer["period_start"].isoformat(), "period_end": answer["period_end"].isoformat(),
        "period_seconds": _fraction_json(answer["period_seconds"]),
        "downtime_seconds": _fraction_json(answer["downtime_seconds"]),
        "uptime": _fraction_json(answer["uptime"]), "uptime_percent": _fraction_json(answer["uptime_percent"]),
        "met": bool(answer["met"]),
        "credits": [{"kind": c["kind"], "percent": _fraction_json(c["percent"]), "basis": c["basis"],
                     "days": _fraction_json(c["days"]), "extension_seconds": c["extension_seconds"],
                     "periods": c["periods"], "capped": bool(c["capped"]), "rule": c.get("rule"),
                     **_worth_json(c),
                     **({"claim_by": c["claim_by"].isoformat()} if c.get("claim_by") else {}),
                     **money_json(c)}
                    for c in answer["credits"]],
        "parts": parts,
    }


def _judged_by(svc, answer, evaluator) -> tuple:
    """(service, answer, evaluator) of one period, as the version that judged it states them."""
    own_svc, own_evaluator = answer.get("_judge", (svc, evaluator))
    return own_svc, answer, own_evaluator


def _uptime_lines(svc, answer, evaluator, excluded, maintenance) -> list[str]:
    start, end = answer["period_start"], answer["period_end"]
    seconds = answer["period_seconds"]
    down = Fraction(answer["downtime_seconds"])
    uptime = Fraction(answer["uptime"])
    target = Fraction(answer["target_percent"])
    lines = [
        f"service `{svc.name}`: {start.isoformat()} .. {end.isoformat()} "
        f"({hms(int(seconds))}, {seconds} s)",
        f"  downtime: {hms(int(down))} ({decimal_text(down)} s) in {len(answer['outages'])} "
        "merged outage(s)",
    ]
    for a, b in answer["outages"]:
        lines.append(f"    {a.isoformat()} .. {b.isoformat()}")
    lines += _counts_lines(answer)
    lines += _rolling_lines(answer)
    lines += _billing_lines(answer)
    lines += _partial_lines(answer)
    for a, b in _clip(excluded, start, end):
        a, b = a.astimezone(start.tzinfo), b.astimezone(start.tzinfo)
        lines.append(f"  excluded: {a.isoformat()} .. {b.isoformat()} ({hms(int((b - a).total_seconds()))})")
    account = _maintenance_account(svc, maintenance, answer, evaluator)
    if account is not None:
        if account["allowance_seconds"] is None:
            lines.append(f"  maintenance: {hms(account['total_seconds'])}, {no_allowance_text(svc)}")
        else:
            inside = (f", {hms(account['in_hours_seconds'])} of it inside `{account['outside']}` "
                      "hours (not excluded)" if account["outside"] else "")
            lines.append(f"  maintenance: {hms(account['total_seconds'])}{inside}; allowance "
                         f"{hms(account['allowance_seconds'])} per {svc.maintenance.period}, overrun counts "
                         f"{account['overrun']}")
    lines += window_lines(svc, answer)
    counted = _counting_text(svc)
    if counted is not None:
        lines.append(f"  downtime counted: {counted}")
    lines.append(f"  uptime: {_percent_text(100 * uptime)} ("
                 f"{_exact_text(uptime)})")
    lines += _scope_lines(answer)
    lines.append(f"  target: {decimal_text(target)}% {'met' if answer['met'] else 'not met'}")
    lines += _budget_lines(answer.get("error_budget"))
    if answer.get("counted_from") is not None:
        lines.append(f"  caps and allowances counted from {answer['counted_from'].isoformat()}: "
                     "the incidents file must cover it (none listed there means none happened)")
    if not answer["credits"]:
        lines.append("  credit: none owed")
    for credit in answer["credits"]:
        line = f" (line {credit['source_line']})" if credit.get("source_line") else ""
        scope = printable(f" for {answer['scope_kind']} `{credit['scope']}`") if credit.get("scope") else ""
        lines.append(f"  credit ({credit['kind']}){scope}{_choice_text(credit)}: {_credit_text(credit)}")
        lines.append(f"    rule{line}: {credit.get('rule') or ''}")
        if credit.get("claim_by") is not None:
            lines.append(f"    {_claim_text(credit)}")
        lines += life_lines(credit)
    lines.append("")
    return lines


def _claim_text(credit: dict) -> str:
    text = f"claim by {credit['claim_by'].isoformat()} ({credit['claim_rule']})"
    if credit.get("claim_open") is False:
        text += ": the claim window has closed"
    return text


def _uptime_json(svc, answer, evaluator, excluded, maintenance) -> dict:
    start, end = answer["period_start"], answer["period_end"]
    return {
        "service": svc.name,
        "period_start": start.isoformat(), "period_end": end.isoformat(),
        "period_seconds": _fraction_json(answer["period_seconds"]),
        "downtime_seconds": _fraction_json(answer["downtime_seconds"]),
        "uptime": _fraction_json(answer["uptime"]),
        "uptime_percent": _fraction_json(answer["uptime_percent"]),
        "target_percent": _fraction_json(answer["target_percent"]),
        "met": bool(answer["met"]),
        "outages": [[a.isoformat(), b.isoformat()] for a, b in answer["outages"]],
        "excluded": [[a.astimezone(start.tzinfo).isoformat(), b.astimezone(start.tzinfo).isoformat()]
                     for a, b in _clip(excluded, start, end)],
        "maintenance": _maintenance_account(svc, maintenance, answer, evaluator),
        "counted_from": answer["counted_from"].isoformat() if answer.get("counted_from") else None,
        "error_budget": _budget_json(answer["error_budget"]),
        "credits": [{
            "kind": c["kind"], "percent": _fraction_json(c.get("percent")), "basis": c.get("basis"),
            "days": _fraction_json(c.get("days")), "extension_seconds": c.get("extension_seconds"),
            "periods": c.get("periods"), "capped": bool(c.get("capped")),
            "rule": c.get("rule"), "source_line": c.get("source_line"), "scope": c.get("scope"),
            "claim_by": c["claim_by"].isoformat() if c.get("claim_by") else None,
            "percent_of_prorated_fee": _fraction_json(c.get("percent_of_prorated_fee")),
            "claim_open": c.get("claim_open"), **_worth_json(c), **life_json(c), **money_json(c),
        } for c in answer["credits"]],
        "maintenance_windows": window_json(answer),
        "downtime_counted": _counting_text(svc),
        "rolling": _rolling_json(answer),
        "billing": _billing_json(answer),
        "counts": _counts_json(answer),
        "partial": _partial_json(answer),
        "scopes": None if answer.get("scopes") is None else {
            "kind": answer["scope_kind"], "overall": answer["overall"], "worst": answer.get("worst_scope"),
            "each": {name: {"downtime_seconds": _fraction_json(each["downtime_seconds"]),
                            "uptime": _fraction_json(each["uptime"]),
                            "uptime_percent": _fraction_json(each["uptime_percent"]), "met": bool(each["met"])}
                     for name, each in answer["scopes"].items()}},
    }


# -- explain ------------------------------------------------------------------------------------

def _pause_option(items) -> list[tuple[datetime, datetime]]:
    out = []
    for item in items:
        first, sep, second = item.partition("/")
        if not sep:
            raise UsageProblem(f"--pause: `{item}`: write FROM/TO, two ISO 8601 instants")
        a, b = _instant_option(first, "--pause"), _instant_option(second, "--pause")
        if b < a:
            raise UsageProblem(f"--pause: `{item}` ends before it starts")
        out.append((a, b))
    return out


@click.command("explain")
@click.argument("contract")
@click.option("--ticket", "ticket_id", metavar="ID", help="Explain this ticket of --tickets.")
@click.option("--tickets", "tickets_file", metavar="FILE", help="Tickets (.csv, .jsonl, .ndjson).")
@click.option("--priority", metavar="P", help="Priority of a ticket given on the command line.")
@click.option("--opened-at", "opened_text", metavar="T", help="When that ticket was opened.")
@click.option("--plan", metavar="PLAN")
@click.option("--channel", metavar="CHANNEL")
@click.option("--addon", "addons", multiple=True, metavar="ADDON")
@click.option("--responded-at", "responded_text", metavar="T")
@click.option("--resolved-at", "resolved_text", metavar="T")
@click.option("--pause", "pauses", multiple=True, metavar="FROM/TO")
@click.option("--metric", type=click.Choice(list(METRICS)), help="Only this metric.")
@click.option("--now", "now_text", metavar="INSTANT", help="Judge an open ticket at this instant.")
@_events
@_pause_status
@_map
@_values_options
@_input_format
@_assume
@click.option("--version-by", type=click.Choice(["opened", "due"]), default="opened",
              show_default=True, help="For a contract with versions: the version in effect when "
              "the ticket was opened, or when its targets were due.")
def explain_command(contract, ticket_id, tickets_file, priority, opened_text, plan, channel,
                    addons, responded_text, resolved_text, pauses, metric, now_text, events_file,
                    pause_statuses, mapping, value_maps, map_file, ignore_case, default_priority,
                    time_formats, input_format, assume_zone, version_by) -> None:
    """The timeline behind one verdict: windows crossed, holidays and pauses skipped, due."""
    if bool(ticket_id) != bool(tickets_file):
        if ticket_id or tickets_file:
            raise UsageProblem("--ticket and --tickets go together")
    if ticket_id and (priority or opened_text):
        raise UsageProblem("give either --ticket/--tickets or --priority/--opened-at, not both")
    if not ticket_id and not opened_text:
        raise UsageProblem("give --ticket ID --tickets FILE, or --priority P --opened-at T")
    if events_file and not ticket_id:
        raise UsageProblem("--events goes with --ticket ID --tickets FILE")
    now = _instant_option(now_text, "--now") or _now()
    model, evaluator = _load(contract)
    names = names_of(model)
    _known_name("--plan", plan, names.plans, "plan")
    normalize = _normalizer(names, value_maps, map_file, ignore_case, default_priority, time_formats)
    if ticket_id:
        try:
            ticket = find_ticket(_data_file(tickets_file, "--tickets"), ticket_id, names, input_format,
                                 _mapping(mapping, names.fields), _zone(assume_zone), plan,
                                 normalize)
        except ExplainError as error:
            raise DataProblem(str(error)) from None
    else:
        ticket = _command_line_ticket(names, priority, opened_text, plan, channel, addons,
                                      responded_text, resolved_text, pauses)
    if events_file:
        ticket = _ticket_with_events(ticket, _data_file(events_file, "--events"), names,
                                     pause_statuses, now, _zone(assume_zone),
                                     _clock_rules(evaluator), normalize)
    head = []
    if needs_versions(evaluator):
        model, evaluator, line = _explain_version(model, evaluator, ticket, now, version_by)
        head.append(line)
    run = Evaluation(model, evaluator, now, update_events=bool(events_file))
    try:
        lines = head + explain_ticket(run, model, ticket, metric)
    except ExplainError as error:
        raise DataProblem(str(error)) from None
    if "inactivity" in evaluator.spec:
        from sladsl.cli.live import inactivity_lines

        lines += [""] * (lines[-1:] != [""])  # a blank line before, as between metrics
        lines += inactivity_lines(evaluator, ticket.events if events_file else None, now)
    click.echo("\n".join(printable(line) for line in lines))  # ticket fields are untrusted


def _explain_version(model, evaluator, ticket: Ticket, now: datetime, version_by: str):
    """(the version's model, its evaluator, a line naming it) of the version that judges the
    ticket; a ticket no version covers is an error naming it."""
    versions = evaluator if isinstance(evaluator, Versions) else Versions([evaluator.spec])
    chunk = TicketChunk.of([ticket])
    run = VersionedEvaluation(model, versions, now, version_by=version_by)
    index = run.versions_of_chunk(chunk)[0]
    if index is None:
        raise DataProblem(f"ticket `{ticket.id}` is not judged: "
                          + versions.reason(ticket.opened // 1_000_000))
    chosen = versions.evaluators[index]
    until = chosen.CONTRACT["until"]
    when = {"opened": "when the ticket was opened", "due": "when its targets were due"}[version_by]
    return (versions_of(model)[index], chosen,
            f"terms: the version in effect from {_date_text(chosen.CONTRACT['effective'])}"
            + (f" until {until.isoformat()}" if until else "") + f", {when}")


def _clock_rules(evaluator) -> dict:
    """The contract's clock rules (the spec's `clock` table) that turn events into clocks; the
    versions of a contract must agree on them, since the timeline is read before a version is
    chosen."""
    specs = [e.spec for e in getattr(evaluator, "evaluators", [evaluator])]
    rules = specs[0]["clock"]
    if any(spec["clock"] != rules for spec in specs[1:]):
        raise UsageProblem("--events: the versions of the contract state different clock rules "
                           "(`pause`, `reopen`, `reclassification`); judge each version's tickets "
                           "with its own contract file")
    return rules


def _ticket_with_events(ticket: Ticket, path: Path, names: Names, pause_statuses, now, zone,
                        clock: dict, normalize=None):
    from sladsl.events import apply_events

    events = _read_event_log(path, {"assume_zone": zone, "normalize": normalize})
    try:
        return apply_events(ticket, events.get(ticket.id, []), names, pause_statuses,
                            now=int(now.timestamp()) * 1_000_000, file=path.name, clock=clock,
                            normalize=normalize)
    except DataError as error:
        raise DataProblem(str(error)) from None


def _command_line_ticket(names, priority, opened_text, plan, channel, addons, responded_text,
                         resolved_text, pauses) -> Ticket:
    """Validate command-line values the way a ticket file row is validated."""
    from sladsl.data import _ticket, _Instants, _Row

    opened = _instant_option(opened_text, "--opened-at")
    values = {
        "id": "command line", "priority": priority, "plan": plan, "channel": channel,
        "addons": list(addons), "opened_at": opened.isoformat(),
        "first_response_at": _instant_option(responded_text, "--responded-at"),
        "resolved_at": _instant_option(resolved_text, "--resolved-at"),
        "pauses": [[a.isoformat(), b.isoformat()] for a, b in _pause_option(pauses)],
    }
    for key in ("first_response_at", "resolved_at"):
        values[key] = values[key].isoformat() if values[key] else None
    for option, value, choices, what in (("--priority", priority, names.priorities, "priority"),
                                         ("--channel", channel, names.channels, "channel"),
                                         ("--plan", plan, names.plans, "plan")):
        _known_name(option, value, choices, what)
    for addon in addons:
        _known_name("--addon", addon, names.addons, "add-on")
    try:
        return _ticket(_Row("command line", 0), values, names, _Instants(None), None)
    except DataError as error:  # values given on the command line: a usage problem, exit 2
        option = {"first_response_at": "responded_at", "opened_at": "opened_at"}.get(
            error.field, error.field)
        raise UsageProblem(f"--{option.replace('_', '-')}: {error.message}"
                           if option else error.message) from None


COMMANDS = (eval_command, uptime_command, explain_command)
