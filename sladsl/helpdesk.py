"""Helpdesk exports -> a tickets file and an event log: `sladsl import zendesk|jsm` (issue 14.8).

A pipeline stage before `sladsl.data` and `sladsl.events`: it reads what a helpdesk exports
(Zendesk tickets and ticket audits; Jira Service Management issues with their changelog and
comments) and writes the two files `sladsl eval --tickets T --events E` reads. It keeps the
helpdesk's own values (`urgent`, `Waiting for customer`): turning them into the contract's names
is `eval --map-values` / `--map-file` / `--ignore-case`, so one mapping serves every input.

The rules (docs/helpdesk.md):
- Zendesk: a public comment by someone other than the requester is a `reply` and an `update`;
  one by the requester a `customer_reply`; private comments are no events. The comment of the
  audit that created the ticket (its description) is no reply. A status change is a `status`
  event; a change to `solved` is also `resolved`, and a change from `solved` back to an open
  status `reopened`. A priority change is a `priority` event.
- Jira Service Management: the same, from `fields.comment.comments` (`jsdPublic` false: an
  internal comment) and `changelog.histories` (`status`, `priority`; `resolution` set: resolved,
  cleared: reopened).
- Both, where the options name them (`Moments`): a change to a status that means the service is
  restored is also a `restored` event; a field holding the restoration instant a `restored`
  event, a field holding the customer's first contact a `contact` event. No helpdesk has a
  standard field for either, so nothing is guessed without them.

Every record that cannot be read is a `DataError` naming the file, the record (a line of a JSON
Lines file, or the position in the list of a JSON document) and the field.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from sladsl.data import DataError, Skipped, _show, instant_formatter, parse_instant

__all__ = ["TICKET_COLUMNS", "EVENT_COLUMNS", "Export", "Moments", "read_zendesk", "read_jsm"]

TICKET_COLUMNS = ("id", "priority", "plan", "opened_at", "status", "source_channel")
EVENT_COLUMNS = ("id", "at", "event", "value")


@dataclass(frozen=True)
class Moments:
    """Where an export says when the service was restored and when the customer first made
    contact (`import --restored-status`, `--restored-field`, `--contact-field`): the helpdesk's
    own status names and field ids."""

    restored_statuses: tuple[str, ...] = ()  # matched case-insensitively, as `--pause-status`
    restored_field: str | None = None
    contact_field: str | None = None

    def __post_init__(self) -> None:
        folded = tuple(status.strip().casefold() for status in self.restored_statuses)
        object.__setattr__(self, "restored_statuses", folded)  # frozen: set once, here

    def fields(self) -> tuple[tuple[str, str], ...]:
        """(event, field id) of the fields that hold an instant."""
        return tuple((event, field) for event, field in (("restored", self.restored_field),
                                                         ("contact", self.contact_field)) if field)


class Export:
    """What an import produced: ticket rows, events per ticket id, and counts for the report."""

    def __init__(self, skipped: Skipped | None = None, moments: Moments = Moments()) -> None:
        self.moments = moments
        self.tickets: list[tuple[str, ...]] = []
        self.events: dict[str, list[tuple[int, int, str, str]]] = {}  # id -> (at, seq, kind, value)
        self.seq = 0
        # `--skip-invalid`: bad records are counted here instead of stopping the import. A ticket
        # with a bad audit (or change log) is dropped whole: judged on part of its timeline it
        # would be judged wrongly. Records of tickets not in the export are counted apart.
        self.skipped = skipped
        self.dropped: set[str] = set()
        self.orphans = 0
        self.first_orphan = ""

    def fail(self, error: DataError, ident: str | None = None) -> None:
        """A bad record: raise it, or (`--skip-invalid`) count it and drop ticket `ident`."""
        if self.skipped is None:
            raise error
        if error.reason == "unknown ticket":
            self.orphans += 1  # a record of a ticket the export lacks: no ticket to count
            self.first_orphan = self.first_orphan or str(error)
            return
        if ident is not None and ident in self.events:
            if ident not in self.dropped:
                self.dropped.add(ident)
                self.skipped.add(error)
        elif ident is not None and ident in self.dropped:
            pass  # the ticket is already dropped and counted
        else:
            self.skipped.add(error)

    def add_ticket(self, ident: str, priority: str, plan: str, opened: int, status: str,
                   channel: str) -> None:
        self.tickets.append((ident, priority, plan, _iso(opened), status, channel))
        self.events.setdefault(ident, [])

    def add_event(self, ident: str, at: int, kind: str, value: str = "") -> None:
        self.seq += 1
        self.events[ident].append((at, self.seq, kind, value))

    def add_status(self, ident: str, at: int, status: str) -> None:
        """A status change: a `status` event, and `restored` when the status says so."""
        self.add_event(ident, at, "status", status)
        if status.casefold() in self.moments.restored_statuses:
            self.add_event(ident, at, "restored")

    def add_moments(self, rec: _Record, ident: str, value_of: Callable[[_Record, str], Any],
                    path: str) -> None:
        """The `restored` and `contact` events of the fields that hold them (`value_of(rec, id)`,
        the field's value; `path`: how an error names the field, with `{}` for its id)."""
        for event, field in self.moments.fields():
            value = value_of(rec, field)
            if value not in (None, ""):
                self.add_event(ident, rec.instant(path.format(field), value), event)

    @property
    def kept(self) -> list[tuple[str, ...]]:
        return [row for row in self.tickets if row[0] not in self.dropped] if self.dropped \
            else self.tickets

    @property
    def event_count(self) -> int:
        return sum(len(events) for ident, events in self.events.items() if ident not in self.dropped)

    def csv_texts(self) -> tuple[str, str]:
        """(tickets.csv, events.csv): tickets in export order, each ticket's events in time order
        (export order among equal instants)."""
        tickets, events = io.StringIO(), io.StringIO()
        writer = csv.writer(tickets, lineterminator="\n")
        writer.writerow(TICKET_COLUMNS)
        writer.writerows(self.kept)
        writer = csv.writer(events, lineterminator="\n")
        writer.writerow(EVENT_COLUMNS)
        for row in self.kept:
            for at, _seq, kind, value in sorted(self.events[row[0]]):
                writer.writerow((row[0], _iso(at), kind, value))
        return tickets.getvalue(), events.getvalue()


def _iso(seconds: int) -> str:
    """`2026-05-04T13:00:00Z` (the cached formatter of `sladsl.data`, `Z` for `+00:00`)."""
    return _UTC_TEXT(seconds)[:-6] + "Z"


_UTC_TEXT = instant_formatter(timezone.utc)


# -- reading JSON exports ------------------------------------------------------------------------

def records(path: Path, key: str, name: str) -> Iterator[tuple[int, Any]]:
    """(record number, object) of an export: a JSON document (an API page `{key: [...]}`, or a
    list), or JSON Lines whose lines are objects or pages. Numbers are JSON Lines line numbers,
    else positions in the list (1-based). JSON Lines stream; a document is read whole."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            first = handle.readline()
            while first and not first.strip():
                first = handle.readline()
            if not first:
                raise DataError(name, 0, None, "the file is empty", "empty")
            try:
                head = json.loads(first)
            except ValueError:
                head = _NOT_ONE_DOCUMENT  # a document over several lines
            rest = "" if head is _NOT_ONE_DOCUMENT or isinstance(head, list) else handle.readline()
            while rest and not rest.strip():
                rest = handle.readline()
            if not rest:  # one document (a page or a list), on one line or several
                try:
                    whole = json.loads(first + handle.read())
                except ValueError as error:
                    raise DataError(name, 0, None, f"invalid JSON: {error}", "invalid JSON") from None
                yield from enumerate(_page_items(whole, key, name, 0), start=1)
                return
            handle.seek(0)
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as error:
                    raise DataError(name, line_no, None, f"invalid JSON: {error}", "invalid JSON") from None
                if isinstance(obj, dict) and isinstance(obj.get(key), list):
                    for item in obj[key]:
                        yield line_no, item
                else:
                    yield line_no, obj
    except OSError as error:
        raise DataError(name, 0, None, f"cannot read the file: {error.strerror or error}", "io") from None
    except UnicodeDecodeError:
        raise DataError(name, 0, None, "not UTF-8 text: save the export as UTF-8", "encoding") from None


_NOT_ONE_DOCUMENT = object()


def _page_items(whole: Any, key: str, name: str, row: int) -> list:
    if isinstance(whole, list):
        return whole
    if isinstance(whole, dict) and isinstance(whole.get(key), list):
        return whole[key]
    if isinstance(whole, dict):
        return [whole]
    raise DataError(name, row, None, f"expected a JSON object with a `{key}` list, a list, or "
                    "JSON Lines", "invalid JSON")


class _Record:
    """Reading fields of one exported object, errors naming the file, record and field path."""

    def __init__(self, name: str, row: int, obj: Any, what: str) -> None:
        if not isinstance(obj, dict):
            raise DataError(name, row, None, f"expected a JSON object ({what}), got {_show(obj)}",
                            "invalid record")
        self.name, self.row, self.obj = name, row, obj

    def error(self, field: str, message: str, reason: str) -> DataError:
        return DataError(self.name, self.row, field, message, reason)

    def get(self, path: str) -> Any:
        value: Any = self.obj
        for part in path.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    def text(self, path: str, *, required: bool = False) -> str:
        """A string or integer field as text ("" when absent or null)."""
        value = self.get(path)
        if value is None or value == "":
            if required:
                raise self.error(path, "missing", f"missing `{path}`")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.error(path, f"expected a string or an integer, got {_show(value)}",
                             f"invalid `{path}`")
        return str(value).strip()

    def instant(self, path: str, value: Any = None) -> int:
        """Epoch seconds of a timestamp field (brief decision 1: whole seconds)."""
        value = self.get(path) if value is None else value
        if not isinstance(value, str) or not value.strip():
            raise self.error(path, f"expected a timestamp, got {_show(value)}", "unparseable timestamp")
        try:
            return parse_instant(value.strip())
        except ValueError as error:
            raise self.error(path, str(error).replace(" or pass `--assume-zone ZONE`", ""),
                             "unparseable timestamp") from None


def _option_value(value: Any) -> str:
    """A custom field's value: a string, a number, or a select option `{"value": ...}` /
    `{"name": ...}` (Jira), as text."""
    if isinstance(value, dict):
        value = value.get("value", value.get("name"))
    if isinstance(value, list):  # a multi-select: the first option
        value = _option_value(value[0]) if value else None
    if value is None or isinstance(value, bool):
        return ""
    return str(value).strip()


# -- Zendesk -------------------------------------------------------------------------------------

_SOLVED = "solved"
_ZENDESK_DONE = ("solved", "closed")


def read_zendesk(tickets: Path, audits: Path | None, *, plan_field: str | None = None,
                 plan_tag: str | None = None, names: tuple[str, str] | None = None,
                 skipped: Skipped | None = None, moments: Moments = Moments()) -> Export:
    """A Zendesk ticket export (`GET /api/v2/tickets`, the incremental ticket export) and its
    ticket audits (`GET /api/v2/tickets/{id}/audits` pages, or one audit a line) -> an Export."""
    ticket_name, audit_name = names or (tickets.name, audits.name if audits else "")
    out = Export(skipped, moments)
    requesters: dict[str, str] = {}
    for row, obj in records(tickets, "tickets", ticket_name):
        try:
            rec = _Record(ticket_name, row, obj, "a ticket")
            ident = rec.text("id", required=True)
            if ident in requesters:
                raise rec.error("id", f"ticket `{_show(ident)}` appears twice in the export",
                                "duplicate id")
            requester = rec.text("requester_id")
            out.add_ticket(ident, rec.text("priority"), _zendesk_plan(rec, plan_field, plan_tag),
                           rec.instant("created_at"), rec.text("status"), rec.text("via.channel"))
            out.add_moments(rec, ident, _zendesk_field, "custom_fields.{}")
            requesters[ident] = requester
        except DataError as error:
            out.fail(error)
            _mark_dropped(out, obj, "id")
    if audits is not None:
        for row, obj in records(audits, "audits", audit_name):
            try:
                _zendesk_audit(_Record(audit_name, row, obj, "a ticket audit"), out, requesters)
            except DataError as error:
                out.fail(error, _ident(obj, "ticket_id"))
    return out


def _ident(obj: Any, key: str) -> str | None:
    """The ticket id a bad record names, when it names one."""
    value = obj.get(key) if isinstance(obj, dict) else None
    return str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _mark_dropped(out: Export, obj: Any, key: str) -> None:
    """A skipped ticket's later records belong to it: they are not orphans, and not counted."""
    ident = _ident(obj, key)
    if ident is not None and ident not in out.events:
        out.dropped.add(ident)


def _zendesk_field(rec: _Record, field_id: str) -> Any:
    """The value of the ticket's custom field `field_id` (None when the ticket lacks it)."""
    for field in rec.get("custom_fields") or ():
        if isinstance(field, dict) and str(field.get("id")) == field_id:
            return field.get("value")
    return None


def _zendesk_plan(rec: _Record, plan_field: str | None, plan_tag: str | None) -> str:
    if plan_field is not None:
        return _option_value(_zendesk_field(rec, plan_field))
    if plan_tag is not None:
        for tag in rec.get("tags") or ():
            if isinstance(tag, str) and tag.startswith(plan_tag) and len(tag) > len(plan_tag):
                return tag[len(plan_tag):]
    return ""


def _zendesk_audit(rec: _Record, out: Export, requesters: dict[str, str]) -> None:
    ident = rec.text("ticket_id", required=True)
    if ident in out.dropped:
        return  # the ticket was skipped as invalid
    if ident not in requesters:
        raise rec.error("ticket_id", f"no ticket `{_show(ident)}` in the ticket export: export "
                        "the tickets of every audit", "unknown ticket")
    at = rec.instant("created_at")
    events = rec.get("events")
    if not isinstance(events, list):
        raise rec.error("events", "expected the audit's list of events", "invalid `events`")
    creates = any(isinstance(e, dict) and e.get("type") == "Create" for e in events)
    author = rec.text("author_id")
    for k, event in enumerate(events):
        if not isinstance(event, dict):
            raise rec.error(f"events.{k}", f"expected an object, got {_show(event)}", "invalid event")
        handler = _ZENDESK_EVENTS.get(event.get("type"))
        if handler is not None:
            handler(rec, out, ident, at, event, author, requesters[ident], creates, k)


def _zendesk_comment(rec, out, ident, at, event, author, requester, creates, k) -> None:
    if creates or event.get("public") is not True:
        return  # the ticket's description, or an internal note
    comment_author = str(event.get("author_id") or author)
    if requester and comment_author == requester:
        out.add_event(ident, at, "customer_reply")
    else:
        out.add_event(ident, at, "reply")
        out.add_event(ident, at, "update")


def _zendesk_change(rec, out, ident, at, event, author, requester, creates, k) -> None:
    field = event.get("field_name")
    value = _option_value(event.get("value"))
    if field == "status" and value:
        previous = _option_value(event.get("previous_value"))
        out.add_status(ident, at, value)
        if value == _SOLVED and previous not in _ZENDESK_DONE:
            out.add_event(ident, at, "resolved")
        elif previous == _SOLVED and value not in _ZENDESK_DONE:
            out.add_event(ident, at, "reopened")
    elif field == "priority" and value:
        out.add_event(ident, at, "priority", value)


_ZENDESK_EVENTS: dict[Any, Callable[..., None]] = {
    "Comment": _zendesk_comment, "VoiceComment": _zendesk_comment, "Change": _zendesk_change,
}


# -- Jira Service Management ---------------------------------------------------------------------

def read_jsm(issues: Path, changelog: Path | None = None, *, plan_field: str | None = None,
             names: tuple[str, str] | None = None, skipped: Skipped | None = None,
             moments: Moments = Moments()) -> Export:
    """A Jira Service Management issue export (`/rest/api/3/search` pages with
    `expand=changelog` and the `comment` field) -> an Export. `changelog` (optional): the
    bulk changelog export (`POST /rest/api/3/changelog/bulkfetch` pages, `issueChangeLogs`)
    for issues exported without `expand=changelog`."""
    issue_name, log_name = names or (issues.name, changelog.name if changelog else "")
    out = Export(skipped, moments)
    by_jira_id: dict[str, str] = {}  # Jira's numeric issue id -> the issue key
    for row, obj in records(issues, "issues", issue_name):
        key = None
        try:
            rec = _Record(issue_name, row, obj, "an issue")
            key = rec.text("key", required=True)
            if key in out.events:
                raise rec.error("key", f"issue `{_show(key)}` appears twice in the export",
                                "duplicate id")
            _jsm_issue(rec, out, key, plan_field)
            if rec.text("id"):
                by_jira_id[rec.text("id")] = key
        except DataError as error:
            if key is not None and key in out.events and error.reason != "duplicate id":
                out.fail(error, key)  # the issue's own record: drop what was read of it
            else:
                out.fail(error)
                _mark_dropped(out, obj, "id")
    if changelog is not None:
        for row, obj in records(changelog, "issueChangeLogs", log_name):
            try:
                entry = _Record(log_name, row, obj, "an issue's change log")
                jira_id = entry.text("issueId", required=True)
                if jira_id in out.dropped:
                    continue  # the issue was skipped as invalid
                if jira_id not in by_jira_id:
                    raise entry.error("issueId", f"no issue with id `{_show(jira_id)}` in the "
                                      "issue export", "unknown ticket")
                _jsm_histories(entry, out, by_jira_id[jira_id], entry.get("changeHistories"),
                               "changeHistories")
            except DataError as error:
                jira_id = _ident(obj, "issueId")
                out.fail(error, by_jira_id.get(jira_id) if jira_id else None)
    return out


def _jsm_issue(rec: _Record, out: Export, key: str, plan_field: str | None) -> None:
    reporter = rec.text("fields.reporter.accountId") or rec.text("fields.reporter.name")
    plan = _option_value(_jsm_field(rec, plan_field)) if plan_field else ""
    out.add_ticket(key, _option_value(rec.get("fields.priority")), plan,
                   rec.instant("fields.created"), _option_value(rec.get("fields.status")),
                   _option_value(rec.get("fields.customfield_10010.requestType")))
    out.add_moments(rec, key, _jsm_field, "fields.{}")
    _jsm_comments(rec, out, key, reporter)
    histories = rec.get("changelog.histories")
    if histories is not None:
        _jsm_histories(rec, out, key, histories, "changelog.histories")


def _jsm_field(rec: _Record, field_id: str) -> Any:
    return rec.get(f"fields.{field_id}")


def _jsm_comments(rec: _Record, out: Export, key: str, reporter: str) -> None:
    comments = rec.get("fields.comment.comments") or []
    if not isinstance(comments, list):
        raise rec.error("fields.comment.comments", "expected a list of comments", "invalid comments")
    for k, comment in enumerate(comments):
        path = f"fields.comment.comments.{k}"
        if not isinstance(comment, dict):
            raise rec.error(path, f"expected an object, got {_show(comment)}", "invalid comment")
        if comment.get("jsdPublic", True) is not True:
            continue  # an internal comment: the customer never saw it
        at = rec.instant(f"{path}.created", comment.get("created"))
        author = comment.get("author") or {}
        who = str(author.get("accountId") or author.get("name") or "") if isinstance(author, dict) else ""
        if reporter and who == reporter:
            out.add_event(key, at, "customer_reply")
        else:
            out.add_event(key, at, "reply")
            out.add_event(key, at, "update")


def _jsm_histories(rec: _Record, out: Export, key: str, histories: Any, path: str) -> None:
    if not isinstance(histories, list):
        raise rec.error(path, "expected a list of change histories", "invalid changelog")
    resolved = False
    entries = []
    for k, history in enumerate(histories):
        if not isinstance(history, dict):
            raise rec.error(f"{path}.{k}", f"expected an object, got {_show(history)}", "invalid changelog")
        at = rec.instant(f"{path}.{k}.created", history.get("created"))
        entries.append((at, k, history))
    for at, k, history in sorted(entries, key=lambda e: (e[0], e[1])):
        for item in history.get("items") or ():
            if not isinstance(item, dict):
                continue
            field, value = item.get("field"), _option_value(item.get("toString"))
            if field == "status" and value:
                out.add_status(key, at, value)
            elif field == "priority" and value:
                out.add_event(key, at, "priority", value)
            elif field == "resolution":
                if value and not resolved:
                    out.add_event(key, at, "resolved")
                    resolved = True
                elif not value and resolved:
                    out.add_event(key, at, "reopened")
                    resolved = False
