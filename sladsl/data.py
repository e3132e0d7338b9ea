"""Reading tickets and incidents from CSV or JSON Lines, validated against a contract's names.

The readers stream: one record is parsed, checked and yielded at a time, so a file of a million
tickets is never held in memory (the caller batches what it needs). Instants are kept as whole
UTC microseconds (ints): exact, cheap to store, and compared on the UTC timeline as
SEMANTICS.md "Pitfalls" asks (never `==` between aware datetimes).

Formats (docs/cli.md "Ticket files" and "Incident files"):
- CSV with a header row (row 1; the first record is row 2), or JSON Lines (one object a line,
  blank lines ignored; rows are line numbers), or Parquet (`sladsl[parquet]`; rows are record
  numbers from 1). Chosen by extension (`.csv`, `.jsonl`, `.ndjson`, `.parquet`) or explicitly.
- Timestamps are ISO 8601 with an offset (`2026-05-04T09:00:00+07:00` or `...Z`); a naive one is
  an error unless an assumed zone is given (then it is read in that zone, fold=0 in a repeated
  hour, like the runtime reads window bounds).
- Tickets: `id, priority, channel, plan, addons, opened_at, first_response_at, resolved_at,
  pauses, restored_at, contact_at, priority_set_at` (`restored_at`: when the service was
  restored, for a target whose coverage changes then; `contact_at`, `priority_set_at`: the
  events a target's clock may start at, the first contact possibly before the opening). `pauses` is one JSON list of `[from, to]` pairs (a JSON string in a CSV cell, a list in
  JSON Lines); `addons` is `;`-separated in CSV, a list or a `;`-separated string in JSON Lines.
- Incidents: `start, end, kind` (`outage` by default, `maintenance`, `excluded`), optional
  `reported_at`, `detected_at`, `service` (empty: every service), `impact` (the share of
  customers affected: `25%` or `0.25`), `scope` (the region, instance... it affected; empty on
  maintenance or an exclusion: every scope), `devices` (the number of devices an outage affected,
  a whole number, for a credit per affected device).

Every problem is a `DataError` naming the file, the row and the field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from bisect import bisect_right
from datetime import date, datetime, timedelta, timezone, tzinfo
from fractions import Fraction
from difflib import get_close_matches
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Iterator

from sladsl.runtime.choice import attribute_values, choose, describe

__all__ = [
    "DataError", "Ticket", "Incident", "Names", "Skipped", "FORMATS", "TICKET_FIELDS",
    "INCIDENT_FIELDS", "INCIDENT_KINDS", "detect_format", "parse_mapping", "read_tickets",
    "read_incidents", "read_claim_dates", "to_datetime", "format_instant", "instant_formatter", "TicketChunk",
    "read_ticket_chunks", "NONE", "format_instants", "parse_instant", "INSTANT_SHAPES",
]

FORMATS = ("csv", "jsonl", "parquet")
_EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
TICKET_FIELDS = (
    "id", "priority", "channel", "plan", "addons", "opened_at", "first_response_at",
    "resolved_at", "pauses", "restored_at", "contact_at", "priority_set_at",
)
# The ticket columns of the events a clock may start at (`from first contact`, `from priority
# set`), by the runtime's start names.
START_COLUMNS = {"contact": "contact_at", "priority": "priority_set_at"}
INCIDENT_FIELDS = ("start", "end", "kind", "reported_at", "detected_at", "service", "impact", "scope",
                   "devices")
INCIDENT_KINDS = ("outage", "maintenance", "excluded")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICRO = timedelta(microseconds=1)
_MAX_CELL = 1 << 20  # a CSV cell larger than 1 MiB is a broken file, not a ticket
READ_BLOCK = 1 << 22  # characters the CSV fast path reads at a time (tests pass small ones)


class DataError(ValueError):
    """A problem in a data file: `file:row: field `name`: message` (row 0: the whole file)."""

    def __init__(self, file: str, row: int, field: str | None, message: str, reason: str) -> None:
        self.file, self.row, self.field, self.message, self.reason = file, row, field, message, reason
        self.ident: str | None = None  # the ticket id of the row, when it has one
        where = f"{file}:{row}" if row else file
        what = f" field `{field}`:" if field else ""
        super().__init__(f"{where}:{what} {message}")

    def __reduce__(self):  # pickled by a worker process (sladsl.fanout): the fields, not the text
        return (type(self), (self.file, self.row, self.field, self.message, self.reason),
                {"ident": self.ident})


class Ticket:
    """One validated ticket; instants are UTC microseconds (None when absent)."""

    __slots__ = ("row", "id", "priority", "channel", "plan", "addons", "opened", "responded",
                 "resolved", "pauses", "updated", "events", "clocks", "priorities", "restored",
                 "starts", "attributes")

    def __init__(self, row, id, priority, channel, plan, addons, opened, responded, resolved,
                 pauses, updated=None, events=(), clocks=None, priorities=None,
                 restored=None, starts=None, attributes=()) -> None:
        self.row, self.id, self.priority, self.channel, self.plan = row, id, priority, channel, plan
        # ((attribute, values), ...): the attributes the contract's calendar choices read
        # (`Names.calendar_attributes`); the plan a choice of plans made is in `plan` already.
        self.attributes = attributes
        self.addons, self.opened, self.responded, self.resolved = addons, opened, responded, resolved
        self.pauses = pauses
        # From an event log (sladsl.events): the update instants in time order (None: the data
        # carries no updates), the events for `explain`, and the clocks that differ from
        # `opened` and `pauses` (metric -> cycles, runtime/clock_rules.py; None: no event log).
        self.updated, self.events, self.clocks = updated, events, clocks
        # metric -> the priority its clock stopped under, where a later change made another
        # priority the ticket's (runtime/clock_rules.py); None or {}: `priority` for every metric
        self.priorities = priorities
        # When the service was restored (`restored_at`, or an event log's first `restored`):
        # where a target's coverage changes (`until restored then CAL`); None: not (yet)
        self.restored = restored
        # {"contact" | "priority": instant}: the events a target's clock may start at
        self.starts = starts or {}

    def as_mapping(self, zone: tzinfo = timezone.utc) -> dict:
        """The ticket in the shape `evaluate_ticket` takes (aware datetimes in `zone`)."""
        extra = {} if self.updated is None else \
            {"updates": [to_datetime(u, zone) for u in self.updated]}
        if self.restored is not None:
            extra["restored_at"] = to_datetime(self.restored, zone)
        for kind, at in self.starts.items():
            extra[START_COLUMNS[kind]] = to_datetime(at, zone)
        return {**extra,
            "id": self.id, "priority": self.priority, "plan": self.plan, "addons": self.addons,
            "channel": self.channel, "opened_at": to_datetime(self.opened, zone),
            "first_response_at": to_datetime(self.responded, zone),
            "resolved_at": to_datetime(self.resolved, zone),
            "pauses": [(to_datetime(a, zone), to_datetime(b, zone)) for a, b in self.pauses],
            **{name: list(values) for name, values in self.attributes},
        }

    @property
    def key(self) -> tuple:
        """(priority, plan, addons, channel, attributes): what its targets depend on."""
        return (self.priority, self.plan, self.addons, self.channel, self.attributes)


class Incident:
    """One validated incident record; instants are UTC microseconds."""

    __slots__ = ("row", "start", "end", "kind", "reported", "detected", "service", "impact", "scope",
                 "devices")

    def __init__(self, row, start, end, kind, reported, detected, service, impact=None, scope=None,
                 devices=None) -> None:
        self.row, self.start, self.end, self.kind = row, start, end, kind
        self.reported, self.detected, self.service = reported, detected, service
        # The share of customers affected (a Fraction 0..1) and the scope (region, instance...)
        # the outage hit; None when the row leaves them empty.
        self.impact, self.scope = impact, scope
        self.devices = devices  # the devices an outage affected (credits per device); None: not given

    def as_mapping(self, zone: tzinfo = timezone.utc) -> dict:
        """The outage in the shape `availability(outages=...)` takes."""
        out = {"start": to_datetime(self.start, zone), "end": to_datetime(self.end, zone)}
        if self.reported is not None:
            out["reported_at"] = to_datetime(self.reported, zone)
        if self.detected is not None:
            out["detected_at"] = to_datetime(self.detected, zone)
        if self.impact is not None:
            out["impact"] = self.impact
        if self.scope is not None:
            out["scope"] = self.scope
        if self.devices is not None:
            out["devices"] = self.devices
        return out


class Names:
    """The names a data file may use, taken from the contract."""

    def __init__(self, priorities=(), plans=(), channels=(), addons=(), services=(),
                 channel_defaults=None, channel_only=None, plan_choice=(),
                 calendar_choices=None) -> None:
        self.priorities = tuple(priorities)
        self.plans = tuple(plans)
        self.channels = tuple(channels)
        self.addons = tuple(addons)
        self.services = tuple(services)
        self.channel_defaults = dict(channel_defaults or {})
        self.channel_only = dict(channel_only or {})  # channel -> the only priorities it takes
        # Choices by ticket attributes (sladsl/runtime/choice.py), as spec branches: the plans
        # chosen by conditions, and name -> (attribute, branches) of each calendar choice.
        self.plan_choice = tuple(plan_choice)
        self.calendar_choices = dict(calendar_choices or {})
        used = {c[0] for b in self.plan_choice for c in b["when"]}
        used.update(attribute for attribute, _ in self.calendar_choices.values())
        self.attributes = tuple(sorted(used - {"channel"}))  # columns the file must have
        self.calendar_attributes = tuple(sorted(
            {attribute for attribute, _ in self.calendar_choices.values()} - {"channel"}))
        self.choices_differ = False  # versions that choose by ticket attributes differently

    @classmethod
    def of_contract(cls, contract) -> "Names":
        """From a checked `model.Contract`."""
        return cls(
            priorities=[p.name for p in contract.priorities],
            plans=[p.name for p in contract.plans],
            channels=[c.name for c in contract.channels],
            addons=[a.name for a in contract.addons],
            services=[s.name for s in contract.services],
            channel_defaults={c.name: c.default_priority for c in contract.channels
                              if c.default_priority},
            channel_only={c.name: tuple(c.only_priorities) for c in contract.channels
                          if c.only_priorities},
            plan_choice=[_branch(b) for b in contract.plan_choice],
            calendar_choices={c.name: (c.attribute, tuple(_branch(b) for b in c.branches))
                              for c in contract.calendar_choices},
        )

    @property
    def fields(self) -> tuple[str, ...]:
        """The ticket fields a file is read for: the standard ones and the contract's attributes."""
        return TICKET_FIELDS + self.attributes


def _branch(branch) -> dict:
    """A `model.ChoiceBranch` in the runtime's form (sladsl/runtime/choice.py)."""
    return {"when": tuple((c.attribute, c.op, c.values) for c in branch.when), "choice": branch.choice}


class Skipped:
    """What `skip_invalid` left out: counts per reason and the first few rows of each."""

    FIRST = 5

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.rows: dict[str, list[int]] = {}
        self.first_error: dict[str, str] = {}

    def add(self, error: DataError) -> None:
        self.counts[error.reason] = self.counts.get(error.reason, 0) + 1
        rows = self.rows.setdefault(error.reason, [])
        if len(rows) < self.FIRST:
            rows.append(error.row)
        self.first_error.setdefault(error.reason, str(error))

    def take(self) -> Skipped:
        """What was skipped since the last `take`, moved into a new `Skipped`."""
        taken = Skipped()
        taken.counts, self.counts = self.counts, {}
        taken.rows, self.rows = self.rows, {}
        taken.first_error, self.first_error = self.first_error, {}
        return taken

    def merge(self, later: Skipped) -> None:
        """Add what was skipped after everything here: as if `later`'s rows were `add`ed now."""
        for reason, count in later.counts.items():
            self.counts[reason] = self.counts.get(reason, 0) + count
            rows = self.rows.setdefault(reason, [])
            rows.extend(later.rows[reason][:self.FIRST - len(rows)])
            self.first_error.setdefault(reason, later.first_error[reason])

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        """Plain-text report, one line per reason, most frequent first."""
        if not self.counts:
            return []
        out = [f"skipped {self.total} invalid row(s):"]
        for reason, count in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])):
            rows = ", ".join(str(r) for r in self.rows[reason])
            more = ", ..." if count > len(self.rows[reason]) else ""
            out.append(f"  {count} x {reason} (rows {rows}{more})")
        return out

    def as_json(self) -> dict:
        return {
            "total": self.total,
            "reasons": [
                {"reason": reason, "count": count, "rows": list(self.rows[reason]),
                 "first_error": self.first_error[reason]}
                for reason, count in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        }


# -- formats, mappings, instants -------------------------------------------------------------

def detect_format(path: Path, explicit: str | None = None) -> str:
    """`csv`, `jsonl` or `parquet`, from `explicit` or the file extension."""
    if explicit:
        if explicit not in FORMATS:
            raise DataError(str(path), 0, None, f"unknown input format `{explicit}`: use "
                            + " or ".join(f"`{f}`" for f in FORMATS), "format")
        return explicit
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise DataError(path.name, 0, None,
                        f"cannot tell the format from the extension `{path.suffix}`: name the "
                        "file `.csv`, `.jsonl`, `.ndjson` or `.parquet`, or pass "
                        "`--input-format csv|jsonl|parquet`",
                        "format")
    return found


def parse_mapping(items: Iterable[str], fields: Iterable[str]) -> dict[str, str]:
    """`["opened_at=created,priority=prio"]` -> {"opened_at": "created", "priority": "prio"}."""
    known = tuple(fields)
    mapping: dict[str, str] = {}
    for item in items:
        for part in item.split(","):
            if not part.strip():
                continue
            field, sep, column = part.partition("=")
            field, column = field.strip(), column.strip()
            if not sep or not field or not column:
                raise ValueError(f"invalid mapping `{part}`: write FIELD=COLUMN, e.g. "
                                 "`opened_at=created`")
            if field not in known:
                raise ValueError(f"unknown field `{field}` in `--map`{_did_you_mean(field, known)}; "
                                 "fields: " + ", ".join(f"`{f}`" for f in known))
            mapping[field] = column
    return mapping


def to_datetime(micro: int | None, zone: tzinfo = timezone.utc) -> datetime | None:
    """UTC microseconds -> an aware datetime in `zone` (None stays None)."""
    if micro is None:
        return None
    return (_EPOCH + timedelta(microseconds=micro)).astimezone(zone)


def format_instant(micro: int | None, zone: tzinfo = timezone.utc) -> str:
    """ISO 8601 with the offset of `zone`; whole seconds unless the instant has a fraction."""
    if micro is None:
        return ""
    seconds, fraction = divmod(micro, 1_000_000)
    if fraction == 0:
        return instant_formatter(zone)(seconds)
    return to_datetime(micro, zone).isoformat()


def instant_formatter(zone: tzinfo):
    """A function: epoch seconds -> `datetime.fromtimestamp(s, zone).isoformat()`, without datetimes.

    The text is a cached date prefix, a clock from a table and a cached offset suffix. A fixed
    offset zone has one offset; another zone's offset is looked up once per UTC day and trusted
    for the day when it is the same at both ends (the rule `clock.py` lays windows out by: two
    cancelling transitions within one day do not occur in the tz database), else per instant.
    """
    found = _FORMATTERS.get(zone)
    if found is None:
        found = _FORMATTERS[zone] = _InstantFormatter(zone).format
    return found


_FORMATTERS: dict = {}
_CLOCKS: list[str] = []  # `HH:MM:SS` of each second of a day, made on first use


def _clocks() -> list[str]:
    _CLOCKS.extend(f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60)
                   for s in range(60))
    return _CLOCKS


class _InstantFormatter:
    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        offset = zone.utcoffset(None) if isinstance(zone, timezone) else None
        self.fixed = None if offset is None else offset.days * 86400 + offset.seconds
        self.dates: dict[int, str] = {}
        self.suffixes: dict[int, str] = {}
        self.days: dict[int, int | None] = {}

    def _offset(self, seconds: int) -> int:
        day = seconds // 86400
        offset = self.days.get(day, _MISSING)
        if offset is _MISSING:
            first = self._exact(day * 86400)
            offset = self.days[day] = first if first == self._exact(day * 86400 + 86399) else None
        return self._exact(seconds) if offset is None else offset

    def _exact(self, seconds: int) -> int:
        delta = datetime.fromtimestamp(seconds, self.zone).utcoffset()
        return delta.days * 86400 + delta.seconds

    def many(self, np, seconds) -> list[str]:
        """`format` of each of an int64 array of epoch seconds, the digits laid out by NumPy."""
        n = len(seconds)
        if n == 0:
            return []
        text, odd = self.matrix(np, seconds)
        joined = text.tobytes().decode("ascii")
        out = [joined[k:k + 25] for k in range(0, 25 * n, 25)]
        for k in odd:
            out[k] = self.format(int(seconds[k]))
        return out

    def matrix(self, np, seconds):
        """(an (n, 25) uint8 array: the ASCII text of `format` of each of an int64 array of
        epoch seconds, the indices whose text is not that and must come from `format`)."""
        n = len(seconds)
        if self.fixed is not None:
            offsets = np.full(n, self.fixed, dtype=np.int64)
        else:
            days, inverse = np.unique(seconds // 86400, return_inverse=True)
            per_day = [self._day_offset(d) for d in days.tolist()]
            offsets = np.array([_NONE if o is None else o for o in per_day], dtype=np.int64)[inverse]
            for k in np.flatnonzero(offsets == _NONE).tolist():  # a day with a transition
                offsets[k] = self._exact(int(seconds[k]))
        local = seconds + offsets
        day, clock = np.divmod(local, 86400)
        text = np.empty((n, 25), dtype=np.uint8)
        if not n:
            return text, []
        lo, hi = int(day.min()), int(day.max())
        if hi - lo < 100_000:  # dates from a table of the days spanned, clocks from a day's table
            days = np.arange(lo, hi + 1, dtype=np.int64)
            year, month, dom = _civil_from_days(np, days)
            dates = _digits(np, year, month, dom)
            text[:, 0:10] = dates[day - lo]
            year = year[day - lo]
        else:
            year, month, dom = _civil_from_days(np, day)
            text[:, 0:10] = _digits(np, year, month, dom)
        text[:, 10] = ord("T")
        text[:, 11:19] = _clock_table(np)[clock]
        shift = np.abs(offsets)
        digits = _digit_table(np)
        text[:, 19] = np.where(offsets < 0, ord("-"), ord("+"))
        text[:, 20:22] = digits[np.minimum(shift // 3600, 99)]
        text[:, 22] = ord(":")
        text[:, 23:25] = digits[shift // 60 % 60]
        # an offset with seconds (LMT), or a year isoformat shows otherwise
        odd = np.flatnonzero((shift % 60 != 0) | (year < 1000) | (year > 9999))
        return text, odd.tolist()

    def _day_offset(self, day: int):
        """The offset all day long of UTC day `day`, or None when it changes that day."""
        offset = self.days.get(day, _MISSING)
        if offset is _MISSING:
            first = self._exact(day * 86400)
            offset = self.days[day] = first if first == self._exact(day * 86400 + 86399) else None
        return offset

    def format(self, seconds: int) -> str:
        offset = self.fixed if self.fixed is not None else self._offset(seconds)
        day, clock = divmod(seconds + offset, 86400)
        date = self.dates.get(day)
        if date is None:
            date = self.dates[day] = (_EPOCH.date() + timedelta(days=day)).isoformat() + "T"
        suffix = self.suffixes.get(offset)
        if suffix is None:
            suffix = self.suffixes[offset] = datetime.fromtimestamp(seconds, self.zone).isoformat()[19:]
        return date + (_CLOCKS or _clocks())[clock] + suffix


_TABLES: dict = {}


def _digit_table(np):
    """A (100, 2) uint8 array: the two ASCII digits of 0-99."""
    found = _TABLES.get("digits")
    if found is None:
        found = _TABLES["digits"] = np.frombuffer(
            "".join(f"{k:02d}" for k in range(100)).encode("ascii"), dtype=np.uint8).reshape(100, 2)
    return found


def _clock_table(np):
    """An (86400, 8) uint8 array: `HH:MM:SS` of each second of a day."""
    found = _TABLES.get("clocks")
    if found is None:
        found = _TABLES["clocks"] = np.frombuffer("".join(_CLOCKS or _clocks()).encode("ascii"),
                                                  dtype=np.uint8).reshape(86400, 8)
    return found


def _digits(np, year, month, day):
    """An (n, 10) uint8 array: `YYYY-MM-DD` of the dates (years outside 0-9999 are garbled:
    the caller formats those otherwise)."""
    digits = _digit_table(np)
    text = np.empty((len(year), 10), dtype=np.uint8)
    text[:, 0:2] = digits[np.clip(year // 100, 0, 99)]
    text[:, 2:4] = digits[year % 100]
    text[:, 4] = text[:, 7] = ord("-")
    text[:, 5:7] = digits[month]
    text[:, 8:10] = digits[day]
    return text


def format_instants(np, seconds, zone: tzinfo) -> list[str]:
    """`instant_formatter(zone)` of each of an int64 NumPy array of epoch seconds."""
    instant_formatter(zone)
    return _FORMATTERS[zone].__self__.many(np, seconds)


def _civil_from_days(np, days):
    """(year, month, day) of days since 1970-01-01 (H. Hinnant's algorithm), vectorised."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, day


def _micro_of(value: datetime) -> int:
    if value.microsecond == 0:
        return int(value.timestamp()) * 1_000_000
    return (value - _EPOCH) // _MICRO


def _did_you_mean(name: str, choices: Iterable[str]) -> str:
    close = get_close_matches(name, list(choices), n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if name.lower() in lowered:
            close = [lowered[name.lower()]]
    return f" (did you mean `{close[0]}`?)" if close else ""


def _names(choices: Iterable[str]) -> str:
    choices = list(choices)
    return ", ".join(f"`{c}`" for c in choices) if choices else "none"


def _show(value: object, limit: int = 60) -> str:
    """A user value for a message: repr-quoted when odd, shortened when long."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text.replace("`", "'").replace("\n", "\\n").replace("\r", "\\r")


class _Row:
    """The context for errors about one record."""

    __slots__ = ("file", "row")

    def __init__(self, file: str, row: int) -> None:
        self.file, self.row = file, row

    def error(self, field: str | None, message: str, reason: str) -> DataError:
        return DataError(self.file, self.row, field, message, reason)


# The instant shapes users produce (ISO 8601 extended format, RFC 3339): a date, `T` (or `t`, or
# one space), hours and minutes, optional seconds and fraction, then `Z` or an offset written
# `+07:00`, `+0700` or `+07`. Anything else (another separator, an offset with seconds, fullwidth
# digits, `24:00`) is an error rather than a guess. ASCII digits only.
_INSTANT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?", re.ASCII)
INSTANT_SHAPES = ("`2026-05-04T09:00:00+07:00`, `2026-05-04 09:00+0700`, "
                  "`2026-05-04T02:00:00.250Z`")


def parse_instant(text: str, assume_zone: tzinfo | None = None) -> int:
    """Epoch seconds of an ISO 8601 / RFC 3339 instant, truncated to the whole second (brief
    decision 1: a fraction is dropped toward the past); ValueError with the reason otherwise.

    A local time (no offset) needs `assume_zone` and is read as the runtime reads wall times
    (`wall_to_epoch`): inside a spring-forward gap it is the end of the gap, inside a repeated
    hour its first occurrence.
    """
    found = _INSTANT.fullmatch(text)
    if found is None:
        raise ValueError(f"unparseable timestamp `{_show(text)}`: write ISO 8601 with an "
                         f"offset, e.g. {INSTANT_SHAPES}")
    year, month, day, hour, minute, second, zulu, sign, off_h, off_m = found.groups()
    try:
        wall = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError as error:
        raise ValueError(f"unparseable timestamp `{_show(text)}`: {error}") from None
    if zulu is None and sign is None:
        if assume_zone is None:
            raise _NoOffset(f"timestamp `{_show(text)}` has no offset: add one (`+07:00`, `Z`) "
                            "or pass `--assume-zone ZONE`")
        from sladsl.runtime.zones import wall_to_epoch

        try:
            return wall_to_epoch(assume_zone, wall)
        except (OverflowError, ValueError, OSError):
            raise ValueError(f"timestamp `{_show(text)}` is out of range") from None
    offset = 0
    if sign is not None:
        hours, minutes = int(off_h), int(off_m or 0)
        if hours > 23 or minutes > 59:
            raise ValueError(f"unparseable timestamp `{_show(text)}`: the offset must be "
                             "below 24 hours, in hours and minutes")
        offset = (hours * 3600 + minutes * 60) * (1 if sign == "+" else -1)
    days = wall.toordinal() - _EPOCH_ORDINAL
    return days * 86400 + wall.hour * 3600 + wall.minute * 60 + wall.second - offset


_EPOCH_ORDINAL = _EPOCH.toordinal()


class _NoOffset(ValueError):
    """A local time read without `--assume-zone`."""


class _Instants:
    """Parses timestamps to UTC microseconds of whole seconds; naive ones need an assumed zone.
    `formats` (`--time-format`, sladsl.normalize): strptime formats tried before ISO 8601."""

    def __init__(self, assume_zone: tzinfo | None, formats: tuple[str, ...] = ()) -> None:
        self.zone = assume_zone
        self.formats = formats

    def __call__(self, ctx: _Row, field: str, value: object, *, required: bool = False):
        if value is None or value == "":
            if required:
                raise ctx.error(field, "missing timestamp", f"missing `{field}`")
            return None
        if not isinstance(value, str):
            raise ctx.error(field, f"expected an ISO 8601 timestamp string, got {_show(value)}",
                            "unparseable timestamp")
        try:
            if self.formats:
                from sladsl.normalize import parse_formatted

                seconds = parse_formatted(value.strip(), self.formats, self.zone)
                if seconds is not None:
                    return seconds * 1_000_000
            return parse_instant(value.strip(), self.zone) * 1_000_000
        except _NoOffset as error:
            raise ctx.error(field, str(error), "naive timestamp") from None
        except ValueError as error:
            message = str(error)
            if self.formats and message.startswith("unparseable"):
                message += " (or one of --time-format " + ", ".join(f"`{f}`" for f in self.formats) + ")"
            raise ctx.error(field, message, "unparseable timestamp") from None


# -- records ----------------------------------------------------------------------------------

def _records(path: Path, fmt: str, mapping: dict[str, str], fields: tuple[str, ...],
             required: tuple[str, ...], name: str, alternatives: dict | None = None,
             raw: bool = False, block_size: int | None = None):
    """Yield (row number, {field: value}) for each record, streaming the file.

    `alternatives` maps a required field to another field whose presence can stand in for it
    (tickets: a `channel` column can supply the default priority).
    """
    alternatives = alternatives or {}
    if fmt == "parquet":
        from sladsl.parquet import parquet_records

        yield from parquet_records(path, mapping, fields, required, name, alternatives)
        return
    try:
        # newline="": the csv module handles line ends itself (quoted cells may hold newlines).
        handle = open(path, encoding="utf-8-sig", errors="strict", newline="",
                      buffering=1 << 20)
    except IsADirectoryError:
        raise DataError(name, 0, None, "is a directory, not a data file", "io") from None
    except OSError as error:
        raise DataError(name, 0, None, f"cannot read the file: {error.strerror or error}",
                        "io") from None
    with handle:
        text = handle
        try:
            if raw:
                yield from _csv_blocks(text, mapping, fields, required, name, alternatives,
                                      block_size)
            elif fmt == "csv":
                yield from _csv_records(text, mapping, fields, required, name, alternatives)
            else:
                yield from _jsonl_records(text, mapping, fields, required, name, alternatives)
        except UnicodeDecodeError:
            line, offset = _first_bad_utf8(path)
            raise DataError(name, line, None, f"not UTF-8 text: byte {offset} of the file "
                            f"(counting from 0) starts no UTF-8 character; save the file as "
                            "UTF-8", "encoding") from None


def _first_bad_utf8(path: Path) -> tuple[int, int]:
    """(line number, byte offset in the file) of the first byte that is not UTF-8."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, line = 0, 1
    with open(path, "rb") as handle:
        for raw in handle:  # lines end at b"\n": a CRLF line is one line, as in an editor
            try:
                decoder.decode(raw)
            except UnicodeDecodeError as error:
                return line, offset + error.start - len(decoder.getstate()[0])
            offset += len(raw)
            line += 1
    return line, offset


def _missing_columns(missing, present, name, row, what) -> DataError:
    hint = ", ".join(f"{m}=COLUMN" for m in missing)
    have = _names(present)
    return DataError(
        name, row, None,
        f"missing required {what} " + ", ".join(f"`{m}`" for m in missing)
        + f"; the file has {have}; map a differently named one with `--map {hint}`",
        "missing column")


def _csv_records(text, mapping, fields, required, name, alternatives):
    csv.field_size_limit(_MAX_CELL)
    reader = csv.reader(text)
    index, width = _csv_header(reader, mapping, fields, required, name, alternatives)
    pairs = tuple(index.items())
    while True:
        row = reader.line_num + 1  # the line the record starts on, as an editor numbers it
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise DataError(name, row, None, f"malformed CSV: {error}", "malformed row") from None
        if not cells:
            continue
        if len(cells) != width:
            yield row, DataError(name, row, None,
                                 f"the row has {len(cells)} cell(s), the header {width}",
                                 "wrong number of cells")
            continue
        yield row, {f: cells[i] for f, i in pairs}


def _csv_header(reader, mapping, fields, required, name, alternatives):
    """The header row: {field: column index} and the row width; missing columns are errors."""
    try:
        header = next(reader)
    except StopIteration:
        what = "ticket" if "opened_at" in fields else "incident"
        raise DataError(name, 1, None, f"the file is empty: a CSV {what} file starts with a "
                        "header row", "missing column") from None
    except csv.Error as error:
        raise DataError(name, 1, None, f"malformed CSV: {error}", "malformed row") from None
    header = [h.strip() for h in header]
    column_of = {f: mapping.get(f, f) for f in fields}
    for field, column in mapping.items():
        if column not in header:
            raise DataError(name, 1, None,
                            f"`--map {field}={column}` names no column"
                            f"{_did_you_mean(column, header)}; the file has {_names(header)}",
                            "missing column")
    index = {f: header.index(c) for f, c in column_of.items() if c in header}
    for i in index.values():
        if header.count(header[i]) > 1:  # which one is meant? the file must say
            twice = [str(k + 1) for k, h in enumerate(header) if h == header[i]]
            raise DataError(name, 1, None, f"the column `{_show(header[i])}` appears "
                            f"{len(twice)} times in the header (columns {', '.join(twice)}): "
                            "rename or remove all but one", "duplicate column")
    missing = [f for f in required if f not in index
               and not any(a in index for a in alternatives.get(f, ()))]
    if missing:
        raise _missing_columns([column_of[m] if m in mapping else m for m in missing],
                               header, name, 1, "column(s)")
    return index, len(header)


_NAME_FIELDS = ("id", "priority", "plan", "channel", "service")


class _DuplicateKey(ValueError):
    """A JSON object that names a key twice."""


def _unique_keys(pairs: list) -> dict:
    """`object_pairs_hook`: a dict, or `_DuplicateKey` when a key repeats (JSON leaves it open
    which one counts; Python keeps the last, other readers the first)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj


class _JsonFloat(float):
    """A JSON number with a fraction or exponent, keeping its text for messages (`1e400`)."""

    def __new__(cls, text: str) -> "_JsonFloat":
        number = super().__new__(cls, text)
        number.text = text
        return number


def _no_constant(text: str):
    """`parse_constant`: NaN and Infinity are not JSON."""
    raise ValueError(f"`{text}` is not a JSON value")


def _json_line(line: str):
    """The value of one JSON line, or a (message, reason) pair saying why it is not one."""
    try:
        return json.loads(line, object_pairs_hook=_unique_keys, parse_constant=_no_constant,
                          parse_float=_JsonFloat)
    except json.JSONDecodeError as error:
        return f"invalid JSON: {error.msg} (column {error.colno})", "invalid JSON"
    except _DuplicateKey as error:
        return (f"invalid JSON: the key `{_show(error.args[0])}` appears twice in the object",
                "duplicate key")
    except RecursionError:
        return "invalid JSON: nested too deeply", "invalid JSON"
    except ValueError as error:  # a number of more than 4,300 digits, NaN, Infinity
        text = str(error)
        if "digits" in text:
            text = "a number with more digits than Python reads (4,300)"
        return f"invalid JSON: {text}", "invalid JSON"


def _has_surrogate(value) -> bool:
    """Whether a parsed JSON value holds a lone surrogate (`"\\ud800"`): text no file can hold."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, list):
        return any(map(_has_surrogate, value))
    if isinstance(value, dict):
        return any(map(_has_surrogate, value)) or any(map(_has_surrogate, value.values()))
    return False


def _jsonl_records(text, mapping, fields, required, name, alternatives):
    key_of = {f: mapping.get(f, f) for f in fields}
    row = 0
    for line in text:
        row += 1
        if not line.strip():
            continue
        obj = _json_line(line)
        if isinstance(obj, tuple):
            yield row, DataError(name, row, None, *obj)
            continue
        if not isinstance(obj, dict):
            yield row, DataError(name, row, None, "expected a JSON object on each line",
                                 "invalid JSON")
            continue
        missing = [f for f in required if key_of[f] not in obj
                   and not any(key_of[a] in obj for a in alternatives.get(f, ()))]
        if missing:
            yield row, _missing_columns([key_of[m] for m in missing], sorted(obj),
                                        name, row, "key(s)")
            continue
        values = {}
        checked = "\\u" in line  # only a \u escape makes a lone surrogate
        for field, key in key_of.items():
            if key in obj:
                value = obj[key]
                if checked and _has_surrogate(value):
                    yield row, DataError(name, row, field, "a lone surrogate (`\\ud800`-style "
                                         "escape) is not text", "invalid text")
                    break
                if field in _NAME_FIELDS and isinstance(value, (int, float)) \
                        and not isinstance(value, bool):
                    if isinstance(value, float):  # 1e400 would read as `inf`, 1.0 as `1.0`
                        yield row, DataError(name, row, field, f"the number `{_show(value.text)}` is "
                                             "not a name: write it as a JSON string",
                                             f"invalid {field}")
                        break
                    value = str(value)
                values[field] = value
        else:
            yield row, values


def _strip(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        return value  # validated by the caller
    return value.strip()


def _name(ctx: _Row, field: str, value, choices: tuple[str, ...], what: str) -> str | None:
    """A name the contract defines (exact match), or None when empty."""
    if value in choices:  # the common case: an exact name, no surrounding blanks
        return value
    value = _strip(value)
    if value == "":
        return None
    if not isinstance(value, str):
        raise ctx.error(field, f"expected a {what} name, got {_show(value)}", f"unknown {what}")
    if value in choices:
        return value
    if value not in choices:
        raise ctx.error(field, f"unknown {what} `{_show(value)}`{_did_you_mean(value, choices)}; "
                        f"the contract has {_names(choices)}", f"unknown {what}")
    return value


def _pauses(ctx: _Row, value, instant) -> tuple:
    if not value:
        return ()
    value = _strip(value)
    if value == "" or value == []:
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ctx.error("pauses", "expected a JSON list of [from, to] pairs, e.g. "
                            '`[["2026-05-04T10:00:00+07:00", "2026-05-04T11:00:00+07:00"]]`',
                            "invalid pauses") from None
    if not isinstance(value, list) or not all(
            isinstance(p, list) and len(p) == 2 for p in value):
        raise ctx.error("pauses", "expected a JSON list of [from, to] pairs", "invalid pauses")
    spans = []
    for a, b in value:
        start = instant(ctx, "pauses", a, required=True)
        end = instant(ctx, "pauses", b, required=True)
        if end < start:
            raise ctx.error("pauses", f"a pause ends before it starts ({_show(b)} < {_show(a)})",
                            "pause ends before it starts")
        spans.append((start, end, a, b))
    spans.sort()
    for (_s0, e0, a0, b0), (s1, _e1, a1, b1) in zip(spans, spans[1:]):
        if s1 < e0:  # half-open: pauses that only touch do not overlap
            raise ctx.error("pauses", f"pauses overlap ([{_show(a0)}, {_show(b0)}) and "
                            f"[{_show(a1)}, {_show(b1)}))", "overlapping pauses")
    return tuple((s, e) for s, e, _, _ in spans)


def _addons(ctx: _Row, value, names: Names) -> tuple[str, ...]:
    if not value:
        return ()
    value = _strip(value)
    if value == "" or value == []:
        return ()
    items = value.split(";") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ctx.error("addons", "expected `;`-separated addon names or a list", "unknown addon")
    return tuple(_name(ctx, "addons", item, names.addons, "addon") for item in items
                 if _strip(item) != "")


def read_tickets(path: Path, names: Names, *, fmt: str | None = None,
                 mapping: dict[str, str] | None = None, assume_zone: tzinfo | None = None,
                 default_plan: str | None = None, skipped: Skipped | None = None,
                 display: str | None = None, normalize=None) -> Iterator[Ticket]:
    """Yield validated tickets; a bad row raises DataError, or is counted in `skipped`.
    `normalize` (a `sladsl.normalize.Normalizer`) transforms each record's raw values first."""
    name = display or path.name
    fmt = detect_format(path, fmt)
    instant = _Instants(assume_zone, normalize.time_formats if normalize else ())
    rename = normalize.row if normalize is not None and normalize.renames else None
    if default_plan is not None and default_plan not in names.plans:
        raise DataError(name, 0, "plan", f"unknown plan `{_show(default_plan)}` in `--plan`"
                        f"{_did_you_mean(default_plan, names.plans)}; the contract has "
                        f"{_names(names.plans)}", "unknown plan")
    records = _records(path, fmt, mapping or {}, names.fields, _required(names, normalize), name,
                       {"priority": ("channel",)})
    seen: dict[str, int] = {}  # id -> the row that has it
    for row, values in records:
        try:
            if isinstance(values, DataError):
                raise values
            if rename is not None:
                values = rename(values)
            ticket = _ticket(_Row(name, row), values, names, instant, default_plan)
            first = seen.setdefault(ticket.id, row)
            if first != row:
                raise _duplicate_id(name, row, ticket.id, first)
        except DataError as error:
            if error.ident is None and isinstance(values, dict):
                error.ident = _raw_id(values, row)
            if skipped is None:
                raise
            skipped.add(error)
            continue
        yield ticket


def _duplicate_id(name: str, row: int, ident: str, first: int) -> DataError:
    """The error on the second row with an id: ids name tickets (`explain --ticket`), so the
    file must not say two things about one ticket."""
    error = DataError(name, row, "id", f"duplicate id `{_show(ident)}`: row {first} has it too; "
                      "ticket ids must be unique", "duplicate id")
    error.ident = ident
    return error


def _raw_id(values: dict, row: int) -> str | None:
    """The id a row would have (the row number when empty), or None when it is not text."""
    ident = _strip(values.get("id"))
    return (ident or str(row)) if isinstance(ident, str) else None


def _required(names: Names, normalize=None) -> tuple[str, ...]:
    """The ticket columns a file must have: `priority` only when the contract declares some (a
    contract without priorities, HaiSoft, judges every ticket by its channel) and no
    `--default-priority` stands in for it."""
    if normalize is not None and normalize.default_priority is not None:
        return ("opened_at",) + names.attributes
    # The attributes the contract chooses by: a file without the column is an error, never a
    # silent `otherwise` for every ticket.
    return ("opened_at", "priority") + names.attributes if names.priorities else \
        ("opened_at",) + names.attributes


def _ticket(ctx: _Row, values: dict, names: Names, instant, default_plan) -> Ticket:
    ident = _strip(values.get("id"))
    if not isinstance(ident, str):
        raise ctx.error("id", f"expected a string, got {_show(ident)}", "invalid id")
    channel = _name(ctx, "channel", values.get("channel"), names.channels, "channel")
    priority = _name(ctx, "priority", values.get("priority"), names.priorities, "priority")
    if priority is None and names.priorities:
        priority = names.channel_defaults.get(channel) if channel else None
        if priority is None:
            why = (f"channel `{_show(channel)}` has no default priority" if channel
                   else "every ticket needs one")
            raise ctx.error("priority", f"missing priority ({why}); the contract has "
                            f"{_names(names.priorities)}", "missing `priority`")
    only = names.channel_only.get(channel)
    if only and priority not in only:
        raise ctx.error("priority", f"channel `{_show(channel)}` takes only priorities "
                        f"{_names(only)}, not `{_show(priority)}`", "priority not taken by channel")
    plan = _name(ctx, "plan", values.get("plan"), names.plans, "plan") or default_plan
    addons = _addons(ctx, values.get("addons"), names)
    attributes: tuple = ()
    if names.attributes or names.choices_differ:
        plan, attributes = _chosen(ctx, values, names, plan, channel)
    opened = instant(ctx, "opened_at", values.get("opened_at"), required=True)
    responded = instant(ctx, "first_response_at", values.get("first_response_at"))
    resolved = instant(ctx, "resolved_at", values.get("resolved_at"))
    if responded is not None and responded < opened:
        raise ctx.error("first_response_at", "first response before the ticket was opened ("
                        f"{_show(_strip(values['first_response_at']))} < "
                        f"{_show(_strip(values['opened_at']))})", "response before opening")
    if resolved is not None and resolved < opened:
        raise ctx.error("resolved_at", "resolved before it was opened ("
                        f"{_show(_strip(values['resolved_at']))} < "
                        f"{_show(_strip(values['opened_at']))})", "resolved before opening")
    pauses = _pauses(ctx, values.get("pauses"), instant)
    restored = instant(ctx, "restored_at", values.get("restored_at"))
    if restored is not None and restored < opened:
        raise ctx.error("restored_at", "restored before the ticket was opened ("
                        f"{_show(_strip(values['restored_at']))} < "
                        f"{_show(_strip(values['opened_at']))})", "restored before opening")
    starts = {}
    for kind, column in START_COLUMNS.items():
        at = instant(ctx, column, values.get(column))
        if at is not None:
            starts[kind] = at
    if starts.get("priority", opened) < opened:
        raise ctx.error("priority_set_at", "priority set before the ticket was opened ("
                        f"{_show(_strip(values['priority_set_at']))} < "
                        f"{_show(_strip(values['opened_at']))})", "priority set before opening")
    return Ticket(ctx.row, ident or str(ctx.row), priority, channel, plan, addons, opened,
                  responded, resolved, pauses, restored=restored, starts=starts,
                  attributes=attributes)


def _chosen(ctx: _Row, values: dict, names: Names, plan: str | None, channel: str | None):
    """(plan, attributes) of a ticket where the contract chooses by ticket attributes: the plan
    it names, else the first whose conditions match; the values its calendar choices read, each
    choice checked to choose one. Never a silent default: a ticket no branch or plan matches,
    without an `otherwise`, is a data error naming the attribute."""
    if names.choices_differ:
        raise ctx.error(None, "the versions of the contract choose plans or calendars by ticket "
                        "attributes differently; judging one tickets file against them is not "
                        "supported: evaluate each version's tickets with its own contract",
                        "versions choose differently")
    read: dict[str, tuple[str, ...]] = {"channel": (channel,) if channel else ()}
    for attribute in names.attributes:
        try:
            read[attribute] = attribute_values(attribute, values.get(attribute))
        except ValueError as error:
            raise ctx.error(attribute, str(error), f"invalid `{attribute}`") from None
    shown = {a: tuple(_show(v) for v in values) for a, values in read.items()}  # for messages
    if plan is None and names.plan_choice:
        plan = choose(names.plan_choice, read)
        if plan is None:
            used = sorted({c[0] for b in names.plan_choice for c in b["when"]})
            raise ctx.error(", ".join(used), f"no plan's conditions match the ticket "
                            f"({describe(used, shown)}) and no plan says `otherwise`",
                            "no plan matches")
    for name, (attribute, branches) in names.calendar_choices.items():
        if choose(branches, read) is None:
            raise ctx.error(attribute, f"calendar `{name}` is chosen by {attribute}: "
                            f"{describe([attribute], shown)} matches no branch and the "
                            "choice has no `otherwise`", f"no calendar for `{attribute}`")
    return plan, tuple((a, read[a]) for a in names.calendar_attributes)


# -- columns: the fast path of `sladsl eval` -------------------------------------------------

class TicketChunk:
    """Validated tickets as columns (what `read_ticket_chunks` yields); file order.

    `keys[i]` is the ticket's (priority, plan, addons, channel, attributes) (`Ticket.key`), one shared tuple per distinct
    combination, so a consumer can group tickets by it; instants are UTC microseconds or None
    (`opened`, `responded`, `resolved`), or the same as NumPy int64 columns with `NONE` for a
    missing instant (`arrays()`); `pauses` maps an index to its pauses (only tickets that have
    some). Either form is made from the other on first use.
    """

    __slots__ = ("rows", "ids", "keys", "_lists", "_arrays", "pauses", "updated", "_codes",
                 "clocks", "priorities", "restored", "starts")

    def __init__(self, rows, ids, keys, opened, responded, resolved, pauses, arrays=None,
                 updated=None, clocks=None, priorities=None, restored=None, starts=None) -> None:
        self.rows, self.ids, self.keys, self.pauses = rows, ids, keys, pauses
        self._lists = None if opened is None else (opened, responded, resolved)
        self._arrays = arrays
        # index -> update instants (UTC microseconds), for tickets read from an event log
        self.updated = updated or {}
        # index -> {metric: cycles} (runtime/clock_rules.py, UTC microseconds), only tickets with
        # a clock that differs from their opening and pauses (contract clock rules, events)
        self.clocks = clocks or {}
        # index -> {metric: priority its clock stopped under} (Ticket.priorities), where given
        self.priorities = priorities or {}
        # index -> restoration instant (UTC microseconds), only tickets that have one
        self.restored = restored or {}
        # index -> {"contact" | "priority": instant} (Ticket.starts), only tickets with some
        self.starts = starts or {}
        self._codes = None

    def key_codes(self, np):
        """(the distinct keys in order of first appearance, the index of each ticket's key into
        them as an int64 array); computed once for the evaluation and the writer."""
        if self._codes is None:
            found: dict = {}
            codes = np.fromiter((found.setdefault(k, len(found)) for k in self.keys),
                                dtype=np.int64, count=len(self.keys))
            self._codes = (list(found), codes)
        return self._codes

    def set_key_codes(self, np, cell_keys: list, cell_codes) -> None:
        """`key_codes` from each ticket's code into `cell_keys`, the keys of its distinct cells
        (two cells may give one key): the same answer without a dictionary lookup per ticket."""
        merged: dict = {}
        of_cell = np.array([merged.setdefault(k, len(merged)) for k in cell_keys], dtype=np.int64)
        codes = of_cell[np.asarray(cell_codes, dtype=np.int64)]
        _, first = np.unique(codes, return_index=True)  # where each key first appears
        order = np.argsort(first, kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        keys = list(merged)
        self._codes = ([keys[k] for k in order.tolist()], rank[codes])

    def __len__(self) -> int:
        return len(self.rows)

    def _columns(self):
        if self._lists is None:
            self._lists = tuple(
                [None if m == NONE else m for m in a.tolist()] for a in self._arrays)
        return self._lists

    @property
    def opened(self) -> list:
        return self._columns()[0]

    @property
    def responded(self) -> list:
        return self._columns()[1]

    @property
    def resolved(self) -> list:
        return self._columns()[2]

    def arrays(self, np):
        """(opened, responded, resolved) as int64 arrays of UTC microseconds, `NONE` if absent."""
        if self._arrays is None:
            self._arrays = tuple(np.array([NONE if m is None else m for m in column], dtype=np.int64)
                                 for column in self._lists)
        return self._arrays

    def select(self, keep: list[int]) -> "TicketChunk":
        """The tickets at the indices `keep` (ascending), as a new chunk."""
        opened, responded, resolved = self._columns()
        return TicketChunk([self.rows[i] for i in keep], [self.ids[i] for i in keep],
                           [self.keys[i] for i in keep], [opened[i] for i in keep],
                           [responded[i] for i in keep], [resolved[i] for i in keep],
                           {j: self.pauses[i] for j, i in enumerate(keep) if i in self.pauses},
                           updated={j: self.updated[i] for j, i in enumerate(keep)
                                    if i in self.updated},
                           clocks={j: self.clocks[i] for j, i in enumerate(keep) if i in self.clocks},
                           priorities={j: self.priorities[i] for j, i in enumerate(keep)
                                       if i in self.priorities},
                           restored={j: self.restored[i] for j, i in enumerate(keep)
                                     if i in self.restored},
                           starts={j: self.starts[i] for j, i in enumerate(keep) if i in self.starts})

    @classmethod
    def of(cls, tickets: list[Ticket]) -> "TicketChunk":
        """Columns of `Ticket` objects."""
        interned: dict = {}
        keys = [interned.setdefault(k, k) for k in (t.key for t in tickets)]
        return cls([t.row for t in tickets], [t.id for t in tickets], keys,
                   [t.opened for t in tickets], [t.responded for t in tickets],
                   [t.resolved for t in tickets],
                   {i: t.pauses for i, t in enumerate(tickets) if t.pauses},
                   updated={i: t.updated for i, t in enumerate(tickets) if t.updated is not None},
                   clocks={i: t.clocks for i, t in enumerate(tickets) if t.clocks},
                   priorities={i: t.priorities for i, t in enumerate(tickets) if t.priorities},
                   restored={i: t.restored for i, t in enumerate(tickets) if t.restored is not None},
                   starts={i: t.starts for i, t in enumerate(tickets) if t.starts})

    def ticket(self, i: int) -> Ticket:
        priority, plan, addons, channel, attributes = self.keys[i]
        opened, responded, resolved = self._columns()
        return Ticket(self.rows[i], self.ids[i], priority, channel, plan, addons, opened[i],
                      responded[i], resolved[i], self.pauses.get(i, ()), self.updated.get(i),
                      clocks=self.clocks.get(i), priorities=self.priorities.get(i),
                      restored=self.restored.get(i), starts=self.starts.get(i),
                      attributes=attributes)

    def tickets(self) -> list[Ticket]:
        return [self.ticket(i) for i in range(len(self.rows))]


def read_ticket_chunks(path: Path, names: Names, *, fmt: str | None = None,
                       mapping: dict[str, str] | None = None, assume_zone: tzinfo | None = None,
                       default_plan: str | None = None, skipped: Skipped | None = None,
                       display: str | None = None, size: int = 65536,
                       block_size: int | None = None, normalize=None) -> Iterator[TicketChunk]:
    """`read_tickets` a chunk of about `size` records at a time, as columns; the same tickets.

    CSV with NumPy installed takes a columnar path: cells split without the csv module where a
    block of lines allows it, timestamps of the common shapes (`2026-05-04T09:00:00+07:00`,
    `...Z`) parsed for a whole column at once (pauses too, when a cell is a plain JSON list of
    such pairs), names checked once per distinct combination. Every row that path cannot vouch
    for (any other timestamp shape, an unknown name, an event before the opening, pauses that
    overlap or end before they start, a wrong cell count) is read by `read_tickets`' own row
    code, so the tickets, the errors and the skipped rows are the ones `read_tickets` gives.
    JSON Lines and Parquet records go through the same column checks (`record_chunks`).
    """
    name = display or path.name
    fmt = detect_format(path, fmt)
    np = _numpy()
    # `--time-format`: the columnar path parses ISO 8601 only, so formatted files take the rows'.
    if np is None or (normalize is not None and normalize.time_formats):
        yield from chunked(read_tickets(path, names, fmt=fmt, mapping=mapping,
                                        assume_zone=assume_zone, default_plan=default_plan,
                                        skipped=skipped, display=display, normalize=normalize), size)
        return
    if default_plan is not None and default_plan not in names.plans:
        list(read_tickets(path, names, default_plan=default_plan, display=display))  # raises
    reader = _ColumnReader(np, name, names, mapping or {}, _Instants(assume_zone), default_plan,
                           skipped, normalize if normalize is not None and normalize.renames else None)
    if fmt == "csv":
        yield from reader.chunks(path, size, block_size)
    else:  # JSON Lines, Parquet: records, laid out as cells
        yield from reader.record_chunks(_records(path, fmt, mapping or {}, names.fields,
                                                 _required(names, normalize), name,
                                                 {"priority": ("channel",)}), size)


def chunked(tickets: Iterable[Ticket], size: int) -> Iterator[TicketChunk]:
    """`TicketChunk`s of `size` tickets (the last one shorter), in order."""
    chunk: list[Ticket] = []
    for ticket in tickets:
        chunk.append(ticket)
        if len(chunk) >= size:
            yield TicketChunk.of(chunk)
            chunk = []
    if chunk:
        yield TicketChunk.of(chunk)


def _numpy():
    try:
        import numpy
    except ImportError:
        return None
    return numpy


class _ColumnReader:
    """The CSV columnar path of `read_ticket_chunks`."""

    def __init__(self, np, name, names, mapping, instant, default_plan, skipped,
                 normalize=None) -> None:
        self.np, self.name, self.names, self.mapping = np, name, names, mapping
        self.instant, self.default_plan, self.skipped = instant, default_plan, skipped
        self.normalize = normalize  # name transforms (sladsl.normalize), or None
        self.resolved: dict = {}  # raw (priority, plan, addons, channel) cells -> key or None
        self.seen = _SeenIds(np)  # the ids of the tickets read so far, and their rows

    def chunks(self, path: Path, size: int, block_size: int) -> Iterator[TicketChunk]:
        records = _records(path, "csv", self.mapping, self.names.fields,
                           _required(self.names, self.normalize),
                           self.name, {"priority": ("channel",)}, raw=True, block_size=block_size)
        pairs = next(records)  # ((field, column index), ...) once the header is checked
        self.index = dict(pairs)
        self.width, first_row = next(records)
        arrow = _arrow()
        if arrow is not None:
            start = _data_start(path, first_row)
            if start is not None:
                records.close()
                yield from self._arrow_chunks(arrow, path, start, first_row, size, block_size)
                return
        for rows, block, failure in records:
            if block:
                yield from self._chunk(rows, block, size)
            if failure is not None:
                raise failure

    def _arrow_chunks(self, arrow, path: Path, start: int, first_row: int, size: int,
                      block_size: int | None) -> Iterator[TicketChunk]:
        """`chunks` from blocks Arrow parses (`sladsl.arrow_csv`); a block it cannot vouch for
        is split by `_split_lines`, and from the first block that needs the csv module on, the
        rest of the file is read by `_csv_rest`, exactly as `_csv_blocks` reads it."""
        with open(path, "rb") as handle:
            handle.seek(start)
            for row, count, parsed, end in arrow.blocks(handle, self.width, first_row,
                                                        block_size and 4 * block_size):
                if not isinstance(parsed, bytes):
                    for at in range(0, count, size):
                        table = _ArrowCells(arrow, parsed, self.index, at, min(count, at + size))
                        chunk = self._columns(range(row + at, row + at + table.n), table)
                        if chunk is not None and len(chunk):
                            yield chunk
                    continue
                try:
                    text = parsed.decode("utf-8")
                except UnicodeDecodeError:
                    line, offset = _first_bad_utf8(path)
                    raise DataError(self.name, line, None, f"not UTF-8 text: byte {offset} of the "
                                    "file (counting from 0) starts no UTF-8 character; save the "
                                    "file as UTF-8", "encoding") from None
                block = text[:-1] if text.endswith("\n") else text
                cells = _split_lines(block[:-1] if block.endswith("\r") else block)
                if cells is not None:
                    yield from self._chunk(range(row, row + len(cells)), cells, size)
                    continue
                yield from self._rest(path, end, text, row, size)
                return

    def _rest(self, path: Path, offset: int, text: str, row: int, size: int):
        """The file from line `row` on (`text`, then byte `offset` on) through `_csv_rest`."""
        with open(path, encoding="utf-8", errors="strict", newline="") as rest:
            rest.seek(offset)
            try:
                for rows, block, failure in _csv_rest(_whole_lines(text, rest), row, self.name):
                    if block:
                        yield from self._chunk(rows, block, size)
                    if failure is not None:
                        raise failure
            except UnicodeDecodeError:
                line, at = _first_bad_utf8(path)
                raise DataError(self.name, line, None, f"not UTF-8 text: byte {at} of the file "
                                "(counting from 0) starts no UTF-8 character; save the file as "
                                "UTF-8", "encoding") from None

    def record_chunks(self, records, size: int) -> Iterator[TicketChunk]:
        """`chunks` of (row, values) records (JSON Lines, Parquet): a record of text values
        is a row of cells for the column checks; any other (a number, a list, a record the
        reader refused) is left to the row code, as `read_tickets` reads it."""
        fields = self.names.fields
        self.index = {field: k for k, field in enumerate(fields)}
        self.width = len(fields)
        blank = [""] * self.width
        rows: list[int] = []
        cells: list[list] = []
        others: dict = {}  # index -> the record's values in field order, or its DataError
        for row, values in records:
            if isinstance(values, DataError):
                others[len(rows)] = values
                line = blank
            else:
                line = [values.get(field) for field in fields]
                if all(type(value) is str or value is None for value in line):
                    line = ["" if value is None else value for value in line]
                else:
                    others[len(rows)] = line
                    line = blank
            rows.append(row)
            cells.append(line)
            if len(rows) == size:
                yield from self._record_chunk(rows, cells, others)
                rows, cells, others = [], [], {}
        if rows:
            yield from self._record_chunk(rows, cells, others)

    def _record_chunk(self, rows, cells, others):
        failed = {i: error for i, error in others.items() if isinstance(error, DataError)}
        originals = {i: line for i, line in others.items() if i not in failed}
        chunk = self._columns(rows, _ListCells(cells, self.index, originals), set(originals),
                              failed=failed)
        if chunk is not None and len(chunk):
            yield chunk

    def _chunk(self, rows, block, size):
        for start in range(0, len(block), size):
            chunk = self._list_columns(rows[start:start + size], block[start:start + size])
            if chunk is not None and len(chunk):
                yield chunk

    def _list_columns(self, rows, cells: list) -> TicketChunk | None:
        """`_columns` of records split into lists of cells: a record of another width is left
        to the row code, an empty one (a blank line) is no ticket."""
        width = self.width
        slow = set()  # indices read by the row code
        blank = []
        if any(len(c) != width for c in cells):
            for i, c in enumerate(cells):
                if len(c) != width:
                    if c:
                        slow.add(i)
                    else:
                        blank.append(i)
            originals = {i: cells[i] for i in slow}
            cells = list(cells)
            for i in slow | set(blank):
                cells[i] = [""] * width  # placeholder: the row code reads the original below
        else:
            originals = {}
        return self._columns(rows, _ListCells(cells, self.index, originals), slow, blank)

    def _columns(self, rows, table, slow=None, blank=(), failed=None) -> TicketChunk | None:
        """A chunk of tickets from a table of cells (`_ListCells`, `_ArrowCells`): checked a
        column at a time; every row those checks cannot vouch for (`slow`) read by the row code
        (`_ticket`), so tickets and errors are the ones `read_tickets` gives. `failed`: rows the
        file reader already refused (index -> DataError)."""
        np = self.np
        n = table.n
        slow = set() if slow is None else slow
        rows = list(rows)
        ids = list(map(str.strip, table.texts("id")))
        if "" in ids:
            ids = [ident or str(row) for ident, row in zip(ids, rows)]
        uniques, codes = table.key_cells(self.names.attributes)
        resolved = self.resolved
        per_code = []
        for cell in uniques:
            key = resolved.get(cell, _MISSING)
            if key is _MISSING:
                key = resolved[cell] = self._key(cell)
            per_code.append(key)
        keys = [per_code[c] for c in codes]
        if None in per_code:
            slow.update(i for i, key in enumerate(keys) if key is None)
        opened, bad = table.instants(np, "opened_at", required=True)
        slow.update(bad)
        responded, bad = table.instants(np, "first_response_at")
        slow.update(bad)
        resolved_at, bad = table.instants(np, "resolved_at")
        slow.update(bad)
        early = ((responded != _NONE) & (responded < opened)) | ((resolved_at != _NONE) & (resolved_at < opened))
        slow.update(np.flatnonzero(early).tolist())
        paused, cells = table.filled_texts("pauses")
        pauses: dict = {}  # index -> its pauses (UTC microseconds), sorted
        if paused:  # the cells `_pause_cells` vouches for need no row code
            vouched = _pause_cells(np, cells) if self.normalize is None else {}
            pauses = {paused[k]: spans for k, spans in vouched.items() if spans}
            slow.update(i for k, i in enumerate(paused) if k not in vouched)
        slow.update(table.filled("restored_at"))
        for column in START_COLUMNS.values():
            slow.update(table.filled(column))
        slow.difference_update(blank)
        opened, responded, resolved_at = (_micro_array(np, a) for a in (opened, responded, resolved_at))
        restored: dict = {}
        starts: dict = {}
        drop = set(blank)
        errors: dict = dict(failed or {})  # index -> DataError, reported in row order below
        slow.difference_update(errors)
        width = self.width
        for i in sorted(slow):
            row_cells = table.row(i)
            ctx = _Row(self.name, rows[i])
            values = None
            try:
                if len(row_cells) != width:
                    raise ctx.error(None, f"the row has {len(row_cells)} cell(s), the header {width}",
                                    "wrong number of cells")
                values = {f: row_cells[c] for f, c in self.index.items()}
                if self.normalize is not None:
                    values = self.normalize.row(values)
                t = _ticket(ctx, values, self.names, self.instant, self.default_plan)
            except DataError as error:
                if values is not None:
                    error.ident = _raw_id(values, rows[i])
                errors[i] = error
                if self.skipped is None:
                    break  # rows after the first error are never reached
                continue
            ids[i], keys[i] = t.id, t.key
            for column, value in ((opened, t.opened), (responded, t.responded),
                                  (resolved_at, t.resolved)):
                column[i] = NONE if value is None else value
            if t.pauses:
                pauses[i] = t.pauses
            if t.restored is not None:
                restored[i] = t.restored
            if t.starts:
                starts[i] = t.starts
        self._report(rows, ids, errors, drop)
        if drop:
            keep = [i for i in range(n) if i not in drop]
            at = np.array(keep, dtype=np.int64)
            return TicketChunk([rows[i] for i in keep], [ids[i] for i in keep],
                               [keys[i] for i in keep], None, None, None,
                               {j: pauses[i] for j, i in enumerate(keep) if i in pauses},
                               arrays=(opened[at], responded[at], resolved_at[at]),
                               restored={j: restored[i] for j, i in enumerate(keep)
                                         if i in restored},
                               starts={j: starts[i] for j, i in enumerate(keep) if i in starts})
        chunk = TicketChunk(rows, ids, keys, None, None, None, pauses,
                            arrays=(opened, responded, resolved_at), restored=restored,
                            starts=starts)
        if not slow:  # every key is its cells' key: `key_codes` from the distinct cells
            chunk.set_key_codes(np, per_code, codes)
        return chunk

    def _report(self, rows, ids, errors, drop) -> None:
        """Raise or skip the chunk's errors and duplicate ids in row order, as `read_tickets` does;
        record the ids of the good rows. Adds the skipped indices to `drop`."""
        if not errors and not drop:  # the common case
            live = range(len(ids))
            firsts = self.seen.add(ids, rows)
        else:
            live = [i for i in range(len(ids)) if i not in drop and i not in errors]
            firsts = self.seen.add([ids[i] for i in live], [rows[i] for i in live])
        if not errors and not firsts:
            return
        duplicates = {live[k]: first for k, first in firsts.items()}
        for i, (ident, row) in enumerate(zip(ids, rows)):
            if i in drop:
                continue
            error = errors.get(i)
            if error is None:
                first = duplicates.get(i)
                if first is None:
                    continue
                error = _duplicate_id(self.name, row, ident, first)
            if self.skipped is None:
                raise error
            self.skipped.add(error)
            drop.add(i)

    def _key(self, cell):
        """(priority, plan, addons, channel, attributes) for raw cells (`Ticket.key`), or None
        when the row code must judge."""
        if self.normalize is not None:
            cell = self.normalize.cells(cell[:4]) + cell[4:]
        priority, plan, addons, channel = cell[:4]
        names = self.names
        ctx = _Row(self.name, 0)
        try:
            channel = _name(ctx, "channel", channel, names.channels, "channel")
            priority = _name(ctx, "priority", priority, names.priorities, "priority")
            if priority is None and names.priorities:
                priority = names.channel_defaults.get(channel) if channel else None
                if priority is None:
                    return None
            only = names.channel_only.get(channel)
            if only and priority not in only:
                return None
            plan = _name(ctx, "plan", plan, names.plans, "plan") or self.default_plan
            addons = _addons(ctx, addons, names)
            attributes: tuple = ()
            if names.attributes or names.choices_differ:
                plan, attributes = _chosen(ctx, dict(zip(names.attributes, cell[4:])), names,
                                           plan, channel)
        except DataError:
            return None
        return (priority, plan, addons, channel, attributes)


_MISSING = object()
_NONE = NONE = -(1 << 62)  # a missing instant in a column (below every real one)


def _arrow():
    """`sladsl.arrow_csv`'s helpers, or None without pyarrow (the plain path reads alone)."""
    from sladsl import arrow_csv

    return arrow_csv.load()


def _data_start(path: Path, first_row: int) -> int | None:
    """The byte offset of line `first_row` (the header takes the lines before it), or None when
    the header's lines hold a lone CR (the csv module ends a line there, a byte count at LF
    would not)."""
    with open(path, "rb") as handle:
        head = b"".join(handle.readline() for _ in range(first_row - 1))
    if head.count(b"\r") != head.count(b"\r\n"):
        return None
    return len(head)


class _SeenIds:
    """The ticket ids read so far and the row of each, for the duplicate check, in about 30 bytes
    a ticket (a dict of str would take ~130: 1.3 GB at ten million tickets).

    Each chunk's ids are kept as one joined string with offsets; their 64-bit `hash`es, with the
    ticket's ordinal, in sorted runs merged as they grow (a log-structured merge: a chunk is
    checked against a few runs with `searchsorted`). A hash hit is only a suspicion: the ids
    are compared as strings, so a collision never makes a false duplicate.
    """

    def __init__(self, np) -> None:
        self.np = np
        self.runs: list = []  # (sorted hashes, ordinals), largest first
        self.bases: list[int] = []  # the ordinal of each stored chunk's first id
        self.chunks: list = []  # (joined ids, offsets, first row or rows array)
        self.count = 0

    def add(self, ids: list[str], rows: list[int]) -> dict[int, int]:
        """Record `ids` (read in this order, at `rows`); {position: first row} of those that
        repeat an id recorded before (earlier in `ids` too), which are not recorded."""
        np = self.np
        n = len(ids)
        if not n:
            return {}
        hashes = np.fromiter(map(hash, ids), dtype=np.int64, count=n)
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        twice = ordered[1:] == ordered[:-1]
        suspects = set(order[1:][twice].tolist()) | set(order[:-1][twice].tolist())
        for run, _ in self.runs:
            at = np.minimum(np.searchsorted(run, ordered), len(run) - 1)
            suspects.update(order[run[at] == ordered].tolist())
        firsts: dict[int, int] = {}
        if suspects:
            here: dict[str, int] = {}
            for k in sorted(suspects):
                first = self._row_of(ids[k], int(hashes[k]))
                if first is None:
                    first = here.get(ids[k])
                if first is None:
                    here[ids[k]] = rows[k]
                else:
                    firsts[k] = first
        if firsts:
            keep = [k for k in range(n) if k not in firsts]
            ids, rows, hashes = [ids[k] for k in keep], [rows[k] for k in keep], hashes[keep]
        self._store(ids, rows, hashes)
        return firsts

    def _store(self, ids: list[str], rows: list[int], hashes) -> None:
        np = self.np
        n = len(ids)
        if not n:
            return
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, ids), dtype=np.int64, count=n), out=offsets[1:])
        contiguous = rows[-1] - rows[0] == n - 1  # rows only grow: a range
        self.chunks.append(("".join(ids), offsets,
                            rows[0] if contiguous else np.asarray(rows, dtype=np.int64)))
        self.bases.append(self.count)
        order = np.argsort(hashes, kind="stable")
        run = (hashes[order], order + self.count)
        self.count += n
        while self.runs and len(self.runs[-1][0]) <= 2 * len(run[0]):
            older, ordinals = self.runs.pop()
            at = np.searchsorted(older, run[0], side="right")
            run = (np.insert(older, at, run[0]), np.insert(ordinals, at, run[1]))
        self.runs.append(run)

    def _row_of(self, ident: str, key: int) -> int | None:
        """The row of a recorded `ident` (whose hash is `key`), or None."""
        np = self.np
        for run, ordinals in self.runs:
            lo, hi = int(np.searchsorted(run, key, "left")), int(np.searchsorted(run, key, "right"))
            for ordinal in ordinals[lo:hi].tolist():
                chunk = bisect_right(self.bases, ordinal) - 1
                joined, offsets, rows = self.chunks[chunk]
                k = ordinal - self.bases[chunk]
                if joined[offsets[k]:offsets[k + 1]] == ident:
                    return rows + k if isinstance(rows, int) else int(rows[k])
        return None


class _ListCells:
    """A chunk's records as lists of cells, read a column at a time (see `_ArrowCells`)."""

    def __init__(self, cells: list, index: dict, originals: dict) -> None:
        self.cells, self.index, self.originals = cells, index, originals
        self.n = len(cells)

    def texts(self, field: str) -> list[str]:
        i = self.index.get(field)
        if i is None:
            return [""] * self.n
        return list(map(itemgetter(i), self.cells))

    def key_cells(self, attributes: tuple[str, ...] = ()):
        """(distinct (priority, plan, addons, channel, *attributes) cells, the index of each row's)."""
        raw = zip(*(self.texts(f) for f in ("priority", "plan", "addons", "channel") + attributes))
        found: dict = {}
        codes = [found.setdefault(cell, len(found)) for cell in raw]
        return list(found), codes

    def instants(self, np, field: str, required: bool = False):
        texts = self.texts(field)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=self.n)

        def matrix(where, length):
            part = [texts[i] for i in where.tolist()] if len(where) < self.n else texts
            raw = np.frombuffer("".join(part).encode("latin-1", "replace"), dtype=np.uint8)
            return raw.reshape(len(where), length)

        return _parse_instants(np, lengths, matrix, required=required)

    def filled(self, field: str) -> list[int]:
        """Indices of the rows whose cell is not blank."""
        return self.filled_texts(field)[0]

    def filled_texts(self, field: str) -> tuple[list[int], list[str]]:
        """`filled`, and those cells."""
        found = [(i, p) for i, p in enumerate(self.texts(field)) if p and p.strip()]
        return [i for i, _ in found], [p for _, p in found]

    def row(self, i: int) -> list[str]:
        return self.originals.get(i, self.cells[i])


class _ArrowCells:
    """Rows `lo`..`hi` of a block Arrow parsed (`sladsl.arrow_csv`): the `_ListCells` reads
    answered from the column buffers, a Python string made only for ids and rows the row code
    reads. Arrow measures cells in UTF-8 bytes, `_ListCells` in characters: a timestamp shape is
    all ASCII, so both vouch for the same cells."""

    def __init__(self, arrow, columns: list, index: dict, lo: int, hi: int) -> None:
        self.arrow, self.index = arrow, index
        self.columns = [c.slice(lo, hi - lo) for c in columns]
        self.n = hi - lo

    def _column(self, field: str):
        i = self.index.get(field)
        return None if i is None else self.columns[i]

    def texts(self, field: str) -> list[str]:
        column = self._column(field)
        return [""] * self.n if column is None else column.to_pylist()

    def key_cells(self, attributes: tuple[str, ...] = ()):
        np, pc = self.arrow.np, self.arrow.pc
        codes = np.zeros(self.n, dtype=np.int64)
        dictionaries = []
        for field in ("priority", "plan", "addons", "channel") + attributes:
            column = self._column(field)
            if column is None:
                dictionaries.append([""])
                continue
            encoded = pc.dictionary_encode(column)
            values = encoded.dictionary.to_pylist()
            codes = codes * len(values) + encoded.indices.to_numpy(zero_copy_only=False)
            dictionaries.append(values)
        distinct, inverse = np.unique(codes, return_inverse=True)
        cells = []
        for code in distinct.tolist():
            parts = []
            for values in reversed(dictionaries):
                code, k = divmod(code, len(values))
                parts.append(values[k])
            cells.append(tuple(reversed(parts)))
        return cells, inverse.tolist()

    def _buffers(self, column):
        """(offsets, bytes) of a string column as NumPy arrays (offsets from the slice's start)."""
        np = self.arrow.np
        offsets = np.frombuffer(column.buffers()[1], dtype=np.int32)[
            column.offset:column.offset + self.n + 1].astype(np.int64)
        data = np.frombuffer(column.buffers()[2], dtype=np.uint8) if self.n else \
            np.zeros(0, dtype=np.uint8)
        return offsets, data

    def instants(self, np, field: str, required: bool = False):
        column = self._column(field)
        if column is None:
            return _parse_instants(np, np.zeros(self.n, dtype=np.int64), None, required=required)
        offsets, data = self._buffers(column)
        lengths = np.diff(offsets)

        def matrix(where, length):
            return data[offsets[where][:, None] + np.arange(length)]

        return _parse_instants(np, lengths, matrix, required=required)

    def filled(self, field: str) -> list[int]:
        return self.filled_texts(field)[0]

    def filled_texts(self, field: str) -> tuple[list[int], list[str]]:
        column = self._column(field)
        if column is None:
            return [], []
        np = self.arrow.np
        offsets, _ = self._buffers(column)
        some = np.flatnonzero(np.diff(offsets)).tolist()
        if not some:
            return [], []
        texts = column.take(self.arrow.pa.array(some)).to_pylist()
        found = [(i, p) for i, p in zip(some, texts) if p.strip()]
        return [i for i, _ in found], [p for _, p in found]

    def row(self, i: int) -> list[str]:
        return [c[i].as_py() for c in self.columns]


def _micro_array(np, seconds):
    """Epoch seconds (the missing sentinel kept) -> UTC microseconds."""
    return np.where(seconds == _NONE, _NONE, seconds * 1_000_000)


# The instant shapes the columnar path reads itself: (length, digits of the fraction, zulu).
# `YYYY-MM-DDTHH:MM:SS`, then an optional `.` and 3 or 6 fraction digits (dropped: brief
# decision 1 truncates toward the past), then `Z` or `+HH:MM` / `-HH:MM`.
_SHAPES = tuple((19 + (fraction and fraction + 1) + (1 if zulu else 6), fraction, zulu)
                for fraction in (0, 3, 6) for zulu in (False, True))


def _parse_instants(np, lengths, matrix, *, required: bool = False):
    """Epoch seconds of the cells of a column in one of `_SHAPES`, and the indices left to the
    row code. `lengths` holds each cell's length; `matrix(where, length)` the cells `where`
    (all of that length) as an (n, length) uint8 array of their bytes.

    Vouches only for what `parse_instant` reads the same way: ASCII digits, real dates of the
    years 1900-2199, hours below 24, offsets below 24h. An empty cell is missing (the sentinel
    `_NONE`), or left to the row code when `required`.
    """
    n = len(lengths)
    out = np.full(n, _NONE, dtype=np.int64)
    bad = []
    known = np.zeros(n, dtype=bool)
    for length, fraction, zulu in _SHAPES:
        where = np.flatnonzero(lengths == length)
        if not len(where):
            continue
        known[where] = True
        c = matrix(where, length).astype(np.int64) - 48
        ok = (c[:, 4] == -3) & (c[:, 7] == -3) & (c[:, 10] == 84 - 48) & (c[:, 13] == 10) \
            & (c[:, 16] == 10)
        digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        zone = 19
        if fraction:
            ok &= (c[:, 19] == ord(".") - 48) | (c[:, 19] == ord(",") - 48)
            digits += list(range(20, 20 + fraction))
            zone = 20 + fraction
        if zulu:
            ok &= c[:, zone] == ord("Z") - 48
        else:
            ok &= ((c[:, zone] == -5) | (c[:, zone] == -3)) & (c[:, zone + 3] == 10)
            digits += [zone + 1, zone + 2, zone + 4, zone + 5]
        d = c[:, digits]
        ok &= ((d >= 0) & (d <= 9)).all(axis=1)
        year = c[:, 0] * 1000 + c[:, 1] * 100 + c[:, 2] * 10 + c[:, 3]
        month = c[:, 5] * 10 + c[:, 6]
        day = c[:, 8] * 10 + c[:, 9]
        hour, minute, second = (c[:, k] * 10 + c[:, k + 1] for k in (11, 14, 17))
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0, 0, 0, 0, 0])
        m = np.clip(month, 0, 19)
        last = month_days[m] + ((m == 2) & leap)
        ok &= (year >= 1900) & (year <= 2199) & (month >= 1) & (month <= 12) & (day >= 1) \
            & (day <= last) & (hour <= 23) & (minute <= 59) & (second <= 59)
        seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
        if not zulu:
            oh, om = c[:, zone + 1] * 10 + c[:, zone + 2], c[:, zone + 4] * 10 + c[:, zone + 5]
            ok &= (oh <= 23) & (om <= 59)
            sign = np.where(c[:, zone] == -5, 1, -1)  # '+' is 43 = 48 - 5
            seconds -= sign * (oh * 3600 + om * 60)
        out[where[ok]] = seconds[ok]
        bad += where[~ok].tolist()
    other = np.flatnonzero(~known & ((lengths != 0) | required))
    bad += other.tolist()
    return out, bad


def instants_of_texts(np, texts: list[str]):
    """`_parse_instants` of a list of texts, none of them missing: (epoch seconds, the indices
    left to the row code, whose `_Instants` reads or words each of them)."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    raw = np.frombuffer("".join(texts).encode("latin-1", "replace"), dtype=np.uint8)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)

    def matrix(where, length):
        return raw[starts[where][:, None] + np.arange(length)]

    return _parse_instants(np, lengths, matrix, required=True)


def _pause_cells(np, cells: list[str]) -> dict[int, tuple]:
    """{position in `cells`: its pauses} of the pauses cells read here as `_pauses` reads them: a
    JSON list of [from, to] pairs of instants in one of `_SHAPES` (UTC microseconds, sorted),
    none ending before it starts, none overlapping. Every other cell is left out, for the row
    code to read or to word its error."""
    owners: list[int] = []  # per pair: its cell
    texts: list[str] = []  # from, to, from, to, ...
    out: dict[int, tuple] = {}
    for k, cell in enumerate(cells):
        try:
            value = json.loads(cell)
        except ValueError:
            continue
        if value == []:
            out[k] = ()
        elif type(value) is list and all(type(p) is list and len(p) == 2 and type(p[0]) is str
                                         and type(p[1]) is str for p in value):
            owners += [k] * len(value)
            for a, b in value:
                texts += (a, b)
    if not texts:
        return out
    seconds, bad = instants_of_texts(np, texts)
    unread = {owners[i // 2] for i in bad}
    spans: dict[int, list] = {}
    for k, start, end in zip(owners, seconds[0::2].tolist(), seconds[1::2].tolist()):
        if k not in unread:
            spans.setdefault(k, []).append((start * 1_000_000, end * 1_000_000))
    for k, pairs in spans.items():
        pairs.sort()
        if all(start <= end for start, end in pairs) and all(
                later[0] >= earlier[1] for earlier, later in zip(pairs, pairs[1:])):
            out[k] = tuple(pairs)
    return out


def _days_from_civil(y, m, d):
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm), vectorised."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + 9 - 12 * (m > 2)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _csv_blocks(handle, mapping, fields, required, name, alternatives, block_size=None):
    """The CSV records of `_csv_records` in blocks: yields the column index, the width, then
    (rows, [cells, ...], DataError | None) per block (the error ends the file); `rows` holds the
    line number each record starts on.

    Lines are split at commas without the csv module where that gives what it gives: no `\\r`
    other than in `\\r\\n`, no NUL, no over-long line, and lines with quotes parsed by `csv`
    one line each (checked not to run into the next line). A block where that fails, and the
    rest of the file after it, go through `csv.reader`, fed whole lines (`_whole_lines`): a line
    cut by the block boundary would otherwise end a record early.
    """
    csv.field_size_limit(_MAX_CELL)
    reader = csv.reader(handle)
    index, width = _csv_header(reader, mapping, fields, required, name, alternatives)
    yield tuple(index.items())
    row = reader.line_num + 1
    yield width, row
    block_size = block_size or READ_BLOCK
    carry = ""
    while True:
        piece = handle.read(block_size)
        text = carry + piece
        if not text:
            return
        cut = text.rfind("\n") if piece else len(text)
        if cut < 0:
            carry = text
            continue
        block, carry = text[:cut], text[cut + 1:]
        if block.endswith("\r"):  # the CR of the CRLF the block was cut at
            block = block[:-1]
        cells = _split_lines(block)
        if cells is None:  # the csv module reads from here on
            break
        yield range(row, row + len(cells)), cells, None
        row += len(cells)
    yield from _csv_rest(_whole_lines(text, handle), row, name)


def _csv_rest(lines, first_line: int, name: str):
    """Blocks of (rows, cells, error) read by `csv.reader` from `lines` (the first is line
    `first_line` of the file); a record's row is the line it starts on."""
    reader = csv.reader(lines)
    rows: list[int] = []
    block: list = []
    while True:
        start = first_line + reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            yield rows, block, DataError(name, start, None, f"malformed CSV: {error}",
                                         "malformed row")
            return
        rows.append(start)
        block.append(cells)
        if len(block) >= 65536:
            yield rows, block, None
            rows, block = [], []
    if block:
        yield rows, block, None


def _whole_lines(text: str, handle):
    """The lines of `text` and then of `handle`, the last line of `text` completed from `handle`
    (`text` ends wherever a block read stopped: inside a line, or between the CR and LF of one)."""
    lines = io.StringIO(text, newline="").readlines()
    if lines:
        last = lines[-1]
        if last.endswith("\r"):
            following = handle.readline()
            if following == "\n":
                lines[-1] = last + following
            elif following:
                lines.append(following)
        elif not last.endswith("\n"):
            lines[-1] = last + handle.readline()
    yield from lines
    yield from handle


def _split_lines(block: str):
    """Cells of each line of `block` as `csv.reader` reads them, or None where it cannot tell."""
    if "\r" in block:
        if block.count("\r") != block.count("\r\n"):
            return None
        block = block.replace("\r\n", "\n")
    if "\0" in block:
        return None
    lines = block.split("\n")
    if len(block) > _MAX_CELL and max(map(len, lines)) > _MAX_CELL:
        return None
    cells = [line.split(",") for line in lines]
    if '"' in block:
        quoted = [i for i, line in enumerate(lines) if '"' in line]
        parsed = list(csv.reader([lines[i] + "\n" for i in quoted] + ["\n"]))
        if len(parsed) != len(quoted) + 1 or parsed[-1]:
            return None  # a quoted cell runs into the next line
        for i, record in zip(quoted, parsed):
            cells[i] = record
    if "" in lines:
        for i, line in enumerate(lines):
            if not line:
                cells[i] = []
    return cells


def read_claim_dates(path: Path, *, fmt: str | None = None, display: str | None = None) -> list[date]:
    """The dates of earlier successful claims: a `claim_date` column (`2026-05-01`), one claim
    per row; a bad row raises DataError naming the row and the field."""
    name = display or path.name
    found = []
    for row, values in _records(path, detect_format(path, fmt), {}, ("claim_date",), ("claim_date",), name):
        if isinstance(values, DataError):
            raise values
        text = _strip(values.get("claim_date"))
        try:
            found.append(date.fromisoformat(text))
        except (TypeError, ValueError):
            raise DataError(name, row, "claim_date", f"expected a date such as 2026-05-01, got {_show(text)}",
                            "bad date") from None
    return found


RESOURCE_FIELDS = ("service", "scope", "created", "deleted")
COUNTS_FIELDS = ("start", "good", "total", "scope", "service")


def read_counts(path: Path, *, fmt: str | None = None, display: str | None = None,
                assume_zone: tzinfo | None = None) -> list[tuple[int, str | None, str | None, int, int, int]]:
    """Counts of executions per interval (`uptime --counts`): (row, service, scope, start as epoch
    seconds, good, total). `start`, `good` and `total` are required; `good` and `total` whole
    numbers with good <= total; a bad row raises DataError naming the row and the field."""
    name = display or path.name
    instant = _Instants(assume_zone)
    found = []
    for row, values in _records(path, detect_format(path, fmt), {}, COUNTS_FIELDS, ("start", "good", "total"), name):
        if isinstance(values, DataError):
            raise values
        ctx = _Row(name, row)
        start = instant(ctx, "start", values.get("start"), required=True)
        numbers = []
        for field in ("good", "total"):
            value = _strip(values.get(field))
            if isinstance(value, str) and value.isascii() and value.isdigit():
                value = int(value)
            if type(value) is not int or value < 0:
                raise ctx.error(field, f"expected a whole number of executions (0 or more), got {_show(value)}",
                                f"bad {field}")
            numbers.append(value)
        if numbers[0] > numbers[1]:
            raise ctx.error("good", f"good {numbers[0]} is more than total {numbers[1]}", "good above total")
        texts = []
        for field in ("service", "scope"):
            text = _strip(values.get(field))
            if text != "" and not isinstance(text, str):
                raise ctx.error(field, f"expected a name, got {_show(text)}", f"bad {field}")
            texts.append(text or None)
        found.append((row, texts[0], texts[1], start // 1_000_000, numbers[0], numbers[1]))
    if not found:
        raise DataError(name, 0, None, "no counts rows: give `start`, `good` and `total` columns", "empty")
    return found


def read_lifespans(path: Path, *, fmt: str | None = None, display: str | None = None,
                   assume_zone: tzinfo | None = None) -> list[tuple[int, str | None, str | None, int | None, int | None]]:
    """Resource lifespans (`uptime --resources`): (row, service, scope, created, deleted), the
    instants as epoch seconds (None: an open end). `service` and `scope` are optional columns
    (empty: every service; the service itself); a bad row raises DataError naming row and field."""
    name = display or path.name
    instant = _Instants(assume_zone)
    found = []
    for row, values in _records(path, detect_format(path, fmt), {}, RESOURCE_FIELDS, (), name):
        if isinstance(values, DataError):
            raise values
        ctx = _Row(name, row)
        created = instant(ctx, "created", _strip(values.get("created")) or None)
        deleted = instant(ctx, "deleted", _strip(values.get("deleted")) or None)
        if created is not None and deleted is not None and deleted <= created:
            raise ctx.error("deleted", "the resource is deleted before (or when) it is created", "reversed lifespan")
        texts = []
        for field in ("service", "scope"):
            text = _strip(values.get(field))
            if text is not None and text != "" and not isinstance(text, str):
                raise ctx.error(field, f"expected a name, got {_show(text)}", f"bad {field}")
            texts.append(text or None)
        found.append((row, texts[0], texts[1], None if created is None else created // 1_000_000,
                      None if deleted is None else deleted // 1_000_000))
    if not found:
        raise DataError(name, 0, None, "no resource rows: give `scope`, `created` and `deleted` columns", "empty")
    return found


def read_incidents(path: Path, names: Names, *, fmt: str | None = None,
                   mapping: dict[str, str] | None = None, assume_zone: tzinfo | None = None,
                   skipped: Skipped | None = None, display: str | None = None) -> Iterator[Incident]:
    """Yield validated incidents; a bad row raises DataError, or is counted in `skipped`."""
    name = display or path.name
    fmt = detect_format(path, fmt)
    instant = _Instants(assume_zone)
    for row, values in _records(path, fmt, mapping or {}, INCIDENT_FIELDS, ("start", "end"), name):
        try:
            if isinstance(values, DataError):
                raise values
            yield _incident(_Row(name, row), values, names, instant)
        except DataError as error:
            if skipped is None:
                raise
            skipped.add(error)


def _incident(ctx: _Row, values: dict, names: Names, instant) -> Incident:
    kind = _strip(values.get("kind")) or "outage"
    if not isinstance(kind, str) or kind.lower() not in INCIDENT_KINDS:
        raise ctx.error("kind", f"unknown incident kind `{_show(kind)}`"
                        f"{_did_you_mean(str(kind).lower(), INCIDENT_KINDS)}; use "
                        f"{_names(INCIDENT_KINDS)}", "unknown kind")
    service = _name(ctx, "service", values.get("service"), names.services, "service")
    start = instant(ctx, "start", values.get("start"), required=True)
    end = instant(ctx, "end", values.get("end"), required=True)
    if end < start:
        raise ctx.error("end", f"the incident ends before it starts ({_show(_strip(values['end']))}"
                        f" < {_show(_strip(values['start']))})", "end before start")
    reported = instant(ctx, "reported_at", values.get("reported_at"))
    detected = instant(ctx, "detected_at", values.get("detected_at"))
    scope = _strip(values.get("scope"))
    if not isinstance(scope, str):
        raise ctx.error("scope", f"expected a scope name, got {_show(scope)}", "bad scope")
    return Incident(ctx.row, start, end, kind.lower(), reported, detected, service,
                    _impact(ctx, values.get("impact")), scope or None, _devices(ctx, values.get("devices")))


def _devices(ctx: _Row, value) -> int | None:
    """The `devices` cell: how many devices an outage affected, a whole number; None when empty."""
    text = _strip(value)
    if text == "" or text is None:
        return None
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise ctx.error("devices", f"expected a number of devices, got {_show(text)}", "bad devices")
    try:
        number = Fraction(repr(text) if isinstance(text, float) else str(text))
    except (ValueError, ZeroDivisionError):
        raise ctx.error("devices", f"expected a whole number of devices, got {_show(text)}",
                        "bad devices") from None
    if number.denominator != 1 or number < 0:
        raise ctx.error("devices", f"expected a whole number of devices (0 or more), got {_show(text)}",
                        "bad devices")
    return int(number)


def _impact(ctx: _Row, value) -> Fraction | None:
    """The `impact` cell: a share of customers written `25%` or `0.25` (0..1); None when empty."""
    text = _strip(value)
    if text == "" or text is None:
        return None
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise ctx.error("impact", f"expected a share such as 25% or 0.25, got {_show(text)}", "bad impact")
    try:
        if isinstance(text, str) and text.endswith("%"):
            share = Fraction(text[:-1].strip()) / 100
        else:
            share = Fraction(repr(text) if isinstance(text, float) else str(text))
    except (ValueError, ZeroDivisionError):
        raise ctx.error("impact", f"expected a share such as 25% or 0.25, got {_show(text)}",
                        "bad impact") from None
    if not 0 <= share <= 1:
        raise ctx.error("impact", f"impact {_show(text)} is not between 0% and 100% (0 and 1)",
                        "impact out of range")
    return share

