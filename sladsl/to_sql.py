"""model.Contract -> SQL: calendar tables laid out as data, and the verdict queries (issue 16).

A back end (docs/architecture.md): it reads the checked model through its spec and the runtime
(`sladsl.runtime.clock.Calendar` lays out every calendar), never the AST. docs/sql.md explains
the design; in short:

- Time zones are data, arithmetic is integers. Each calendar becomes tables of epoch seconds for a
  range of years (the frozen holiday years by default): `segments` partition the UTC timeline
  into business windows (the business clock runs: slope 1) and the gaps between them (slope 0),
  each with the cumulative business seconds at its start, so `cum(t) = cum + slope * (t - start)`;
  `cum_index` finds the instant at which the cumulative sum reaches a value; `bdays` and
  `clock_pieces` answer "N business days" (SEMANTICS.md) without a wall-clock conversion in the
  warehouse. Lookups are equi-joins on a bucket (the UTC day of an instant, the hour of a
  cumulative sum) plus a range filter.
- The contract's dispatch (which target governs a metric for a plan, priority, channel and
  add-ons) is laid out by the runtime evaluator as a `lookup` table, so the query only joins.
- One query tree (parsed once by sqlglot from the text below) is written in each dialect; the
  pieces sqlglot would translate wrongly or not at all are hand-written per dialect
  (`_PIECES`): epoch seconds of a timestamp (floor, never round) and floor division.

The queries implement the runtime's rules in closed form (see docs/sql.md "The query"):
    due          instant(cum(start) + d)         d = 0: instant(cum(start) + 1) - 1
    pauses       merged; pause j counts iff P_j - S_j < base, where P_j is its business position
                 (clipped), S_j the business length of the pauses before it
    business days anchor, N-th business date, same clock, clamped into that date's hours
    elapsed      cum(end) - cum(start) - business time inside the pauses
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

import sqlglot
from sqlglot import exp

from sladsl import model
from sladsl.runtime.clock import Calendar
from sladsl.runtime.evaluator import Evaluator

__all__ = ["DIALECTS", "SqlNames", "Layout", "lay_out", "verdict_query", "summary_query",
           "proportion_query", "table_sql", "render", "DEFAULT_YEARS"]

DIALECTS = ("duckdb", "spark", "bigquery", "snowflake", "postgres")
DAY = 86400
CUM_BUCKET = 86400  # cumulative business time is indexed by the day (1-2 rows per window)
DEFAULT_YEARS = (2020, 2035)  # used when no calendar of the contract has frozen holiday years
METRICS = model.METRICS
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_UTC = timezone.utc


# -- names of the input tables and columns ---------------------------------------------------

TICKET_COLUMNS = ("id", "plan", "priority", "channel", "addons", "opened_at", "first_response_at",
                  "resolved_at")
PAUSE_COLUMNS = ("ticket_id", "paused_from", "paused_to")
INCIDENT_COLUMNS = ("service", "kind", "start", "end", "reported_at", "detected_at")
OPTIONAL_COLUMNS = ("plan", "priority", "channel", "addons", "service", "reported_at",
                    "detected_at")


class SqlNames:
    """The input tables and columns the queries read, and the prefix of the tables they create.

    `tickets`/`pauses` are (possibly dotted) table names; `columns` maps a canonical column name
    (TICKET_COLUMNS, PAUSE_COLUMNS) to the user's column, or to None when the table lacks it
    (plan, priority, channel, addons: read as empty). Every name leaves as a quoted identifier.
    """

    def __init__(self, tickets="tickets", pauses="ticket_pauses", prefix="sla_", columns=None,
                 now=None, incidents="incidents") -> None:
        self.tickets, self.pauses, self.prefix = tickets, pauses, prefix
        self.incidents = incidents
        self.columns = {c: c for c in TICKET_COLUMNS + PAUSE_COLUMNS + INCIDENT_COLUMNS}
        self.columns.update(columns or {})
        self.now = now  # epoch seconds, or None: the current time of the warehouse

    def key(self) -> tuple:
        """Everything a query's text depends on, hashable."""
        return (self.tickets, self.pauses, self.prefix, self.incidents,
                tuple(sorted(self.columns.items())), self.now)

    def table(self, name: str) -> exp.Table:
        return exp.to_table(f"{self.prefix}{name}")

    def column(self, name: str):
        actual = self.columns.get(name)
        return None if actual is None else exp.column(actual, quoted=True)


# -- calendar layout ------------------------------------------------------------------------------

class Layout:
    """Every table the queries join, as (columns, rows) in a fixed order: the contract as data."""

    def __init__(self) -> None:
        self.tables: dict[str, tuple[tuple[str, ...], list[tuple]]] = {}

    def add(self, name: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        self.tables[name] = (columns, rows)


TABLES = {
    "segments": ("calendar", "day", "seg_start", "seg_end", "cum", "slope", "starts_window",
                 "clock_start", "bidx", "prev_bidx", "prev_clock"),
    "cum_index": ("calendar", "bucket", "win_open", "cum_before", "cum_end"),
    "bdays": ("calendar", "bidx", "first_open", "first_cum"),
    "clock_pieces": ("calendar", "bidx", "clock_from", "clock_to", "epoch_from", "slope"),
    "targets": ("target_id", "metric", "calendar", "seconds", "business_days", "target_text",
                "best_effort", "source_line"),
    "lookup": ("plan", "priority", "channel", "addons", "metric", "target_id", "proportion_id"),
    "proportions": ("proportion_id", "metric", "period", "percent_num", "percent_den",
                    "target_text", "plan", "source_line"),
    "periods": ("period", "day", "p_start", "p_end", "label"),
}
INTEGER_COLUMNS = {"day", "seg_start", "seg_end", "cum", "slope", "starts_window", "clock_start",
                   "bidx", "prev_bidx", "prev_clock", "bucket", "win_open", "cum_before",
                   "cum_end", "first_open", "first_cum", "clock_from", "clock_to", "epoch_from",
                   "target_id", "seconds", "business_days", "source_line", "proportion_id",
                   "percent_num", "percent_den", "p_start", "p_end", "best_effort"}


def contract_years(spec: dict) -> tuple[int, int]:
    """The years the tables cover by default: the calendars' frozen holiday years, else 2020-2035."""
    frozen = [c["holiday_years"] for c in spec["calendars"].values() if c.get("holiday_years")]
    if not frozen:
        return DEFAULT_YEARS
    return max(f[0] for f in frozen), min(f[1] for f in frozen)


def lay_out(evaluator: Evaluator, years: tuple[int, int] | None = None) -> Layout:
    """The tables of a contract for the local years `years` (default: `contract_years`)."""
    spec = evaluator.spec
    first, last = years or contract_years(spec)
    layout = Layout()
    rows = {name: [] for name in ("segments", "cum_index", "bdays", "clock_pieces")}
    for name in sorted(spec["calendars"]):
        table = spec["calendars"][name]
        lo, hi = first, last
        if table.get("holiday_years"):
            lo, hi = max(lo, table["holiday_years"][0]), min(hi, table["holiday_years"][1])
        calendar = Calendar(table["zone"], table["week"], table["holidays"],
                            holiday_years=table.get("holiday_years"),
                            holiday_hours=table.get("holiday_hours", ()))
        for key, part in _calendar_rows(name, calendar, lo, hi).items():
            rows[key] += part
    for key, part in rows.items():
        layout.add(key, TABLES[key], part)
    targets, lookup, proportions = _dispatch(evaluator)
    layout.add("targets", TABLES["targets"], targets)
    layout.add("lookup", TABLES["lookup"], lookup)
    layout.add("proportions", TABLES["proportions"], [row[:-1] for row in proportions])
    periods = sorted({row[2] for row in proportions if row[2] is not None})
    layout.add("periods", TABLES["periods"],
               _period_rows(periods, spec["contract"]["zone"], first, last))
    return layout


def _offset(zone, t: int) -> int:
    off = zone.utcoffset(datetime.fromtimestamp(t, _UTC).replace(tzinfo=None)) \
        if isinstance(zone, timezone) else datetime.fromtimestamp(t, zone).utcoffset()
    return off.days * DAY + off.seconds


def _transition(zone, lo: int, hi: int) -> int:
    """The first instant in (lo, hi] whose UTC offset differs from lo's (one exists)."""
    base = _offset(zone, lo)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _offset(zone, mid) == base:
            lo = mid
        else:
            hi = mid
    return hi


def _split(zone, o: int, c: int) -> list[tuple[int, int]]:
    """A window cut where the UTC offset changes inside it (the wall clock is linear per piece)."""
    pieces = []
    while c - o > 1 and _offset(zone, o) != _offset(zone, c - 1):
        t = _transition(zone, o, c - 1)
        pieces.append((o, t))
        o = t
    pieces.append((o, c))
    return pieces


def _calendar_rows(name: str, cal: Calendar, first: int, last: int) -> dict[str, list[tuple]]:
    cal.cover(first, last)
    opens, closes, _cum, _cumend = cal.table()
    ords = cal._ord
    lo_ts = cal._wall_epoch(date(first, 1, 1).toordinal(), 0)
    hi_ts = cal._wall_epoch(date(last + 1, 1, 1).toordinal(), 0)
    keep = [k for k in range(len(opens)) if lo_ts <= opens[k] and closes[k] <= hi_ts]
    bday_ords = sorted({ords[k] for k in keep})
    bidx = {o: i for i, o in enumerate(bday_ords)}
    zone = cal.zone
    segments, cum_index, bdays = [], [], {}
    cum = 0
    prev = None  # (bidx, clock at close) of the previous window
    last_close = None
    for k in keep:
        o, c, day = opens[k], closes[k], ords[k]
        if last_close is not None and last_close < o:
            segments.append((last_close, o, cum, 0, 0, 0, 0, prev[0], prev[1]))
        if day not in bdays:
            bdays[day] = (o, cum)
        for n, (a, b) in enumerate(_split(zone, o, c)):
            starts = _anchors_before(cal, a) if n == 0 else 0
            segments.append((a, b, cum + a - o, 1, starts, cal._clock_on(day, a), bidx[day],
                             prev[0] if prev else None, prev[1] if prev else None))
        for bucket in range(cum // CUM_BUCKET, (cum + c - o - 1) // CUM_BUCKET + 1):
            cum_index.append((name, bucket, o, cum, cum + c - o))
        cum += c - o
        prev = (bidx[day], cal._clock_on(day, c))
        last_close = c
    # The years' edges: a gap from the first local midnight to the first opening (no window
    # before it to anchor business days at) and from the last close to the last midnight.
    if keep:
        segments.insert(0, (lo_ts, opens[keep[0]], 0, 0, 0, 0, 0, None, None))
        segments.append((last_close, hi_ts, cum, 0, 0, 0, 0, prev[0], prev[1]))
    seg_rows = []
    for a, b, *rest in segments:
        if b <= a:
            continue
        for d in range(a // DAY, (b - 1) // DAY + 1):
            seg_rows.append((name, d, a, b, *rest))
    bday_rows = [(name, bidx[o], op, cm) for o, (op, cm) in sorted(bdays.items())]
    pieces = []
    for o in bday_ords:
        pieces += [(name, bidx[o], *p) for p in _clock_pieces(cal, o)]
    return {"segments": seg_rows, "cum_index": cum_index, "bdays": bday_rows,
            "clock_pieces": pieces}


def _anchors_before(cal: Calendar, opening: int) -> int:
    """1 when "N business days" from exactly this opening anchor at the previous close
    (SEMANTICS.md), 0 when at the opening itself: asked of the runtime, zero days later."""
    try:
        return 0 if cal.add_business_days_epoch(opening, 0) == opening else 1
    except ValueError:  # no previous close inside the frozen years: the SEMANTICS.md rule
        return 1


def _clock_pieces(cal: Calendar, ordinal: int) -> list[tuple[int, int, int, int]]:
    """Local clock seconds of a date [0, 86400] -> epoch seconds, as linear pieces.

    The runtime reads a wall time as the first instant at which the local clock reads it or later
    (`Calendar._wall_epoch`): inside a spring-forward gap that is the end of the gap (slope 0),
    in a repeated hour its first occurrence. Each piece is checked against the runtime.
    """
    zone = cal.zone
    naive_midnight = (ordinal - _EPOCH_ORDINAL) * DAY
    lo = naive_midnight - 2 * DAY
    hi = naive_midnight + 3 * DAY
    cuts = [lo]
    t = lo
    while not isinstance(zone, timezone) and _offset(zone, t) != _offset(zone, hi):
        t = _transition(zone, t, hi)
        cuts.append(t)
    cuts.append(hi)
    pieces = []
    clock = 0
    for a, b in zip(cuts, cuts[1:]):
        off = _offset(zone, a)
        wall_a, wall_b = a + off - naive_midnight, b + off - naive_midnight
        if wall_b <= clock or clock > DAY:
            continue
        if wall_a > clock:
            pieces.append((clock, min(wall_a, DAY + 1), a, 0))  # a gap in the wall clock: its end
            clock = wall_a
            if clock > DAY:
                break
        pieces.append((clock, min(wall_b, DAY + 1), clock - off + naive_midnight, 1))
        clock = wall_b
        if clock > DAY:
            break
    for c_from, c_to, e_from, _slope in pieces:
        for c in {c_from, c_to - 1}:
            expected = cal._wall_epoch(ordinal, c)
            got = e_from + (c - c_from) * _slope
            if expected != got:
                raise AssertionError(f"clock piece of {date.fromordinal(ordinal)} at {c}: "
                                     f"{got} != {expected}")
    return pieces


def _addon_sets(spec: dict) -> list[tuple[str, ...]]:
    names = sorted(spec["addons"])
    out = []
    for n in range(len(names) + 1):
        out += list(itertools.combinations(names, n))
    return out


def addons_key(addons) -> str:
    """The canonical text of a set of add-ons in the `addons` column: sorted, comma-joined."""
    return ",".join(sorted(addons))


def _dispatch(evaluator: Evaluator):
    """targets, lookup and proportions rows: the runtime's target lookup for every key."""
    spec = evaluator.spec
    plans = [None, *spec["plans"]]
    priorities = [None, *spec["priorities"]]
    channels = [None, *spec["channels"]]
    targets: dict = {}
    shares: dict = {}
    lookup = []
    for plan, priority, channel, addons in itertools.product(plans, priorities, channels,
                                                             _addon_sets(spec)):
        for metric in METRICS:
            try:
                target = evaluator.target(metric, priority, plan=plan, addons=addons,
                                          channel=channel)
            except ValueError:
                continue
            same = (metric, target["seconds"], target["business_days"], target["text"],
                    target["calendar"], bool(target["best_effort"]), target["source_line"])
            tid = targets.setdefault(same, len(targets) + 1)
            share = evaluator.proportion_target(metric, priority, plan=plan, addons=addons,
                                                channel=channel)
            pid = None
            if share is not None:
                source = share["origin"] if share["plan"] is None else f"plan {share['plan']}"
                pkey = (share["metric"], share["seconds"], share["written_calendar"],
                        share["percent"], share["period"], source, share["source_line"] or 0)
                entry = shares.get(pkey)
                if entry is None:
                    entry = shares[pkey] = (1_000_000 + len(shares) + 1, share, pkey)
                pid = entry[0]
            lookup.append((plan or "", priority or "", channel or "", addons_key(addons), metric,
                           tid, pid))
    target_rows = [(tid, m, cal, sec, bd, text, 1 if be else 0, line)
                   for (m, sec, bd, text, cal, be, line), tid in targets.items()]
    proportions = []
    for pid, share, pkey in shares.values():
        # The proportion's clock is a target row of its own (same id), so one query answers both.
        target_rows.append((pid, share["metric"], share["calendar"], share["seconds"],
                            share["business_days"], share["text"], 0, share["source_line"]))
        percent = share["percent"]
        text = f"{share['text']} for {_number(percent)}%" + \
            (f" per {share['period']}" if share["period"] else "")
        proportions.append((pid, share["metric"], share["period"], percent.numerator,
                            percent.denominator, text, share["plan"], share["source_line"], pkey))
    return sorted(target_rows), lookup, proportions


def proportion_keys(evaluator: Evaluator) -> dict[int, tuple]:
    """proportion_id -> the key `sladsl.evaluate.Evaluation` files the proportion under."""
    return {row[0]: row[-1] for row in _dispatch(evaluator)[2]}


def _number(value) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def _period_rows(periods, zone_name, first: int, last: int) -> list[tuple]:
    """(period, UTC day, start, end, label): the local period an instant falls in, as data."""
    from sladsl.evaluate import period_label
    from sladsl.runtime.zones import parse_zone, wall_to_epoch

    zone = parse_zone(zone_name) if zone_name else _UTC
    rows = []
    for period in periods:
        # Boundaries: the first instant of each local date on which the label changes.
        bounds = []
        day = date(first, 1, 1)
        end_day = date(last + 1, 1, 1)
        label = None
        while day <= end_day:
            t = wall_to_epoch(zone, datetime(day.year, day.month, day.day))
            text = period_label(t * 1_000_000, period, zone)
            if text != label:
                bounds.append((t, text))
                label = text
            day += timedelta(days=1)
        for (a, text), (b, _next) in zip(bounds, bounds[1:]):
            for d in range(a // DAY, (b - 1) // DAY + 1):
                rows.append((period, d, a, b, text))
    return rows


# -- the queries ------------------------------------------------------------------------------------

# Written once in DuckDB's syntax and parsed by sqlglot; `SLA_EPOCH(ts)` (whole epoch seconds,
# floor) and `SLA_FDIV(a, b)` (floor division by a positive constant) become per-dialect pieces.
# {p} is the table prefix; the CTE `tickets_in`, `pauses_in` and `params` are built from SqlNames.
# The instant that stops a metric's clock (runtime `stop_event`): its own event, or the
# resolution when that comes first for the response (SEMANTICS.md: a ticket solved without a
# reply has not missed its response); `update` events are not in the ticket table: not judged.
_STOP = """CASE WHEN l.metric = 'response' AND t.resolution_s IS NOT NULL
              AND (t.response_s IS NULL OR t.resolution_s < t.response_s) THEN t.resolution_s
              WHEN l.metric = 'response' THEN t.response_s
              WHEN l.metric = 'resolution' THEN t.resolution_s END AS event_s,
         CASE WHEN l.metric = 'response' AND t.resolution_s IS NOT NULL
              AND (t.response_s IS NULL OR t.resolution_s < t.response_s) THEN 1 ELSE 0
         END AS stopped"""

_VERDICTS = """
WITH
tickets AS (
  SELECT id, plan, priority, channel, addons,
         SLA_EPOCH(opened_at) AS opened_s,
         SLA_EPOCH(first_response_at) AS response_s,
         SLA_EPOCH(resolved_at) AS resolution_s
  FROM tickets_in
),
pause_raw AS (
  SELECT p.ticket_id AS id, SLA_EPOCH(p.paused_from) AS p0, SLA_EPOCH(p.paused_to) AS p1
  FROM pauses_in AS p
),
pause_mark AS (
  SELECT id, p0, p1,
         CASE WHEN p0 <= MAX(p1) OVER (PARTITION BY id ORDER BY p0, p1
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
              THEN 0 ELSE 1 END AS island_start
  FROM pause_raw
  WHERE p1 > p0
),
pause_island AS (
  SELECT id, p0, p1,
         SUM(island_start) OVER (PARTITION BY id ORDER BY p0, p1 ROWS UNBOUNDED PRECEDING) AS island
  FROM pause_mark
),
pauses AS (
  SELECT id, MIN(p0) AS p0, MAX(p1) AS p1 FROM pause_island GROUP BY id, island
),
jobs AS (
  SELECT t.id, l.metric, 0 AS kind, l.target_id AS tid, t.opened_s,
         {stop}
  FROM tickets AS t
  JOIN {p}lookup AS l
    ON COALESCE(l.plan, '') = t.plan AND COALESCE(l.priority, '') = t.priority
   AND COALESCE(l.channel, '') = t.channel AND COALESCE(l.addons, '') = t.addons
  UNION ALL
  SELECT t.id, l.metric, 1 AS kind, l.proportion_id AS tid, t.opened_s,
         {stop}
  FROM tickets AS t
  JOIN {p}lookup AS l
    ON COALESCE(l.plan, '') = t.plan AND COALESCE(l.priority, '') = t.priority
   AND COALESCE(l.channel, '') = t.channel AND COALESCE(l.addons, '') = t.addons
  WHERE l.proportion_id IS NOT NULL
),
job_start AS (
  SELECT j.id, j.metric, j.kind, j.tid, j.opened_s, j.event_s, j.stopped, g.calendar, g.seconds,
         g.business_days, (SELECT now_s FROM params) AS now_s,
         s.cum + s.slope * (j.opened_s - s.seg_start) AS cum_s,
         CASE WHEN s.slope = 1 AND (j.opened_s > s.seg_start OR s.starts_window = 0)
              THEN s.bidx ELSE s.prev_bidx END AS anchor_bidx,
         CASE WHEN s.slope = 1 AND (j.opened_s > s.seg_start OR s.starts_window = 0)
              THEN s.clock_start + j.opened_s - s.seg_start ELSE s.prev_clock END AS anchor_clock
  FROM jobs AS j
  JOIN {p}targets AS g ON g.target_id = j.tid
  LEFT JOIN {p}segments AS s
    ON s.calendar = g.calendar AND s.day = SLA_FDIV(j.opened_s, 86400)
   AND s.seg_start <= j.opened_s AND j.opened_s < s.seg_end
),
job_days AS (
  SELECT j.*,
         CASE WHEN c.epoch_from + c.slope * (j.anchor_clock - c.clock_from) <= b.first_open
              THEN b.first_open
              ELSE c.epoch_from + c.slope * (j.anchor_clock - c.clock_from) END AS candidate,
         b.first_open, b.first_cum
  FROM job_start AS j
  LEFT JOIN {p}bdays AS b
    ON j.business_days IS NOT NULL AND b.calendar = j.calendar
   AND b.bidx = j.anchor_bidx + j.business_days
  LEFT JOIN {p}clock_pieces AS c
    ON c.calendar = j.calendar AND c.bidx = b.bidx
   AND c.clock_from <= j.anchor_clock AND j.anchor_clock < c.clock_to
),
job_due_days AS (
  SELECT j.*,
         CASE WHEN j.candidate = j.first_open THEN j.first_open
              WHEN s.slope = 1 THEN j.candidate ELSE s.seg_start END AS due_days,
         CASE WHEN j.candidate = j.first_open THEN j.first_cum
              ELSE s.cum + s.slope * (j.candidate - s.seg_start) END AS cum_days
  FROM job_days AS j
  LEFT JOIN {p}segments AS s
    ON s.calendar = j.calendar AND s.day = SLA_FDIV(j.candidate, 86400)
   AND s.seg_start <= j.candidate AND j.candidate < s.seg_end
),
job_pauses AS (
  SELECT j.id, j.metric, j.kind, p.p0, p.p1,
         s0.cum + s0.slope * (p.p0 - s0.seg_start) AS c0,
         s1.cum + s1.slope * (p.p1 - s1.seg_start) AS c1
  FROM job_due_days AS j
  JOIN pauses AS p ON p.id = j.id
  LEFT JOIN {p}segments AS s0
    ON s0.calendar = j.calendar AND s0.day = SLA_FDIV(p.p0, 86400)
   AND s0.seg_start <= p.p0 AND p.p0 < s0.seg_end
  LEFT JOIN {p}segments AS s1
    ON s1.calendar = j.calendar AND s1.day = SLA_FDIV(p.p1, 86400)
   AND s1.seg_start <= p.p1 AND p.p1 < s1.seg_end
),
job_lost AS (
  SELECT j.id, j.metric, j.kind,
         COUNT(jp.p0) AS n_pauses,
         COUNT(jp.p0) - COUNT(jp.c0 + jp.c1) AS n_unknown,
         SUM(CASE WHEN jp.c1 IS NULL OR j.cum_days IS NULL THEN 0
                  ELSE GREATEST(0, LEAST(jp.c1, j.cum_days) - GREATEST(jp.c0, j.cum_s)) END) AS lost
  FROM job_due_days AS j
  LEFT JOIN job_pauses AS jp ON jp.id = j.id AND jp.metric = j.metric AND jp.kind = j.kind
  GROUP BY j.id, j.metric, j.kind
),
job_base AS (
  SELECT j.*, l.n_pauses, l.n_unknown,
         CASE WHEN j.seconds IS NOT NULL THEN j.cum_s + GREATEST(j.seconds, 1)
              WHEN l.lost > 0 THEN j.cum_days + l.lost END AS base,
         CASE WHEN j.seconds IS NOT NULL THEN j.cum_s ELSE j.cum_days END AS clip,
         CASE WHEN j.seconds = 0 THEN 1 ELSE 0 END AS adjust
  FROM job_due_days AS j
  JOIN job_lost AS l ON l.id = j.id AND l.metric = j.metric AND l.kind = j.kind
),
pause_positions AS (
  SELECT j.id, j.metric, j.kind, j.base, jp.p0,
         GREATEST(jp.c0, j.clip) AS pos,
         GREATEST(0, jp.c1 - GREATEST(jp.c0, j.clip)) AS len
  FROM job_base AS j
  JOIN job_pauses AS jp ON jp.id = j.id AND jp.metric = j.metric AND jp.kind = j.kind
  WHERE j.base IS NOT NULL AND jp.c0 IS NOT NULL AND jp.c1 IS NOT NULL
),
pause_before AS (
  SELECT id, metric, kind, base, pos, len,
         COALESCE(SUM(len) OVER (PARTITION BY id, metric, kind ORDER BY p0
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
  FROM pause_positions
),
pause_extra AS (
  SELECT id, metric, kind,
         SUM(CASE WHEN pos - before < base THEN len ELSE 0 END) AS extra
  FROM pause_before
  GROUP BY id, metric, kind
),
job_target AS (
  SELECT j.*, j.base + COALESCE(e.extra, 0) AS goal
  FROM job_base AS j
  LEFT JOIN pause_extra AS e ON e.id = j.id AND e.metric = j.metric AND e.kind = j.kind
),
job_due AS (
  SELECT j.*,
         CASE WHEN j.n_unknown > 0 THEN NULL
              WHEN j.goal IS NULL THEN j.due_days
              ELSE w.win_open + j.goal - w.cum_before - j.adjust END AS due,
         COALESCE(j.event_s, j.now_s) AS end_s
  FROM job_target AS j
  LEFT JOIN {p}cum_index AS w
    ON w.calendar = j.calendar AND w.bucket = SLA_FDIV(j.goal - 1, 86400)
   AND w.cum_before < j.goal AND j.goal <= w.cum_end
),
job_cums AS (
  SELECT j.*,
         CASE WHEN j.due IS NULL OR se.seg_start IS NULL OR sd.seg_start IS NULL
                   OR sn.seg_start IS NULL THEN NULL
              WHEN j.metric NOT IN ('response', 'resolution') THEN 'not judged'
              WHEN j.event_s IS NULL AND j.now_s < j.opened_s THEN 'not judged'
              WHEN j.event_s IS NOT NULL AND j.event_s > j.due THEN 'breached'
              WHEN j.event_s IS NOT NULL THEN 'met'
              WHEN j.now_s > j.due THEN 'breached'
              ELSE 'pending' END AS status,
         se.cum + se.slope * (j.end_s - se.seg_start) AS cum_end,
         sd.cum + sd.slope * (j.due - sd.seg_start) AS cum_due,
         sn.cum + sn.slope * (j.now_s - sn.seg_start) AS cum_now
  FROM job_due AS j
  LEFT JOIN {p}segments AS se
    ON se.calendar = j.calendar AND se.day = SLA_FDIV(j.end_s, 86400)
   AND se.seg_start <= j.end_s AND j.end_s < se.seg_end
  LEFT JOIN {p}segments AS sd
    ON sd.calendar = j.calendar AND sd.day = SLA_FDIV(j.due, 86400)
   AND sd.seg_start <= j.due AND j.due < sd.seg_end
  LEFT JOIN {p}segments AS sn
    ON sn.calendar = j.calendar AND sn.day = SLA_FDIV(j.now_s, 86400)
   AND sn.seg_start <= j.now_s AND j.now_s < sn.seg_end
),
job_paused AS (
  SELECT j.id, j.metric, j.kind,
         SUM(GREATEST(0, LEAST(jp.c1, j.cum_end) - GREATEST(jp.c0, j.cum_s))) AS used_paused,
         SUM(GREATEST(0, LEAST(jp.c1, j.cum_due) - GREATEST(jp.c0, j.cum_now))) AS left_paused
  FROM job_cums AS j
  JOIN job_pauses AS jp ON jp.id = j.id AND jp.metric = j.metric AND jp.kind = j.kind
  GROUP BY j.id, j.metric, j.kind
)
SELECT j.id, j.metric, j.kind, j.tid AS target_id, j.due, j.status,
       CASE WHEN j.status IS NULL THEN NULL
            WHEN j.end_s <= j.opened_s THEN 0
            ELSE j.cum_end - j.cum_s - COALESCE(p.used_paused, 0) END AS used_seconds,
       CASE WHEN j.status <> 'pending' THEN NULL
            WHEN j.due <= j.now_s THEN 0
            ELSE j.cum_due - j.cum_now - COALESCE(p.left_paused, 0) END AS left_seconds,
       j.opened_s, CASE WHEN j.kind = 1 THEN COALESCE(pd.label, 'all') END AS period_label,
       CASE WHEN j.metric NOT IN ('response', 'resolution') THEN 'no_events'
            WHEN j.event_s IS NULL AND j.now_s < j.opened_s THEN 'not_opened'
            WHEN j.stopped = 1 THEN 'resolved' END AS reason, j.stopped
FROM job_cums AS j
LEFT JOIN job_paused AS p ON p.id = j.id AND p.metric = j.metric AND p.kind = j.kind
LEFT JOIN {p}proportions AS pr ON j.kind = 1 AND pr.proportion_id = j.tid
LEFT JOIN {p}periods AS pd
  ON pd.period = pr.period AND pd.day = SLA_FDIV(j.opened_s, 86400)
 AND pd.p_start <= j.opened_s AND j.opened_s < pd.p_end
"""


def _pieces(dialect: str) -> dict[str, str]:
    """Hand-written SQL for the pieces sqlglot does not translate faithfully; `{a}`, `{b}`."""
    return _PIECES[dialect]


_PIECES = {
    # DuckDB: `//` and `%` truncate toward zero; epoch_us is exact (epoch() is a double).
    "duckdb": {
        "SLA_FDIV": "(({a}) - ((({a}) % {b}) + {b}) % {b}) // {b}",
        "SLA_EPOCH": "((EPOCH_US({a}) - ((EPOCH_US({a}) % 1000000) + 1000000) % 1000000) "
                     "// 1000000)",
    },
    # Spark: `div` truncates, `pmod` is the non-negative remainder; unix_seconds floors.
    "spark": {
        "SLA_FDIV": "((({a}) - PMOD({a}, {b})) DIV {b})",
        "SLA_EPOCH": "UNIX_SECONDS({a})",
    },
    # BigQuery: DIV and MOD truncate; UNIX_SECONDS rounds down to the second.
    "bigquery": {
        "SLA_FDIV": "DIV(({a}) - MOD(MOD({a}, {b}) + {b}, {b}), {b})",
        "SLA_EPOCH": "UNIX_SECONDS({a})",
    },
    # Snowflake: exact decimal division, so FLOOR is a floor; DATE_PART(epoch_second) truncates.
    "snowflake": {
        "SLA_FDIV": "CAST(FLOOR(({a}) / {b}) AS BIGINT)",
        "SLA_EPOCH": "CAST(FLOOR(DATE_PART(EPOCH_MICROSECOND, {a}) / 1000000) AS BIGINT)",
    },
    # PostgreSQL: bigint `/` truncates; the dividend is made a multiple of the divisor first.
    "postgres": {
        "SLA_FDIV": "((({a}) - MOD(MOD({a}, {b}) + {b}, {b})) / {b})",
        "SLA_EPOCH": "CAST(FLOOR(EXTRACT(EPOCH FROM {a})) AS BIGINT)",
    },
}


def _dialect_pieces(tree: exp.Expression, dialect: str) -> exp.Expression:
    """Replace SLA_* calls by their hand-written form in `dialect` (parsed in that dialect)."""
    pieces = _PIECES[dialect]

    def swap(node):
        if isinstance(node, exp.Anonymous) and node.name.upper() in pieces:
            args = [a.sql(dialect=dialect) for a in node.expressions]
            text = pieces[node.name.upper()].format(a=args[0], b=args[1] if len(args) > 1 else "")
            return sqlglot.parse_one(text, read=dialect)
        return node

    return tree.transform(swap)


def _input_ctes(names: SqlNames) -> list[tuple[str, exp.Expression]]:
    """The CTEs that read the user's tables under canonical column names."""
    empty = exp.Literal.string("")
    null = exp.Null()

    def pick(name, default):
        column = names.column(name)
        if column is None:
            return default
        return exp.func("COALESCE", exp.cast(column, "VARCHAR"), empty) if default is empty \
            else column

    tickets = exp.select(
        exp.alias_(names.column("id"), "id"),
        *[exp.alias_(pick(c, empty), c) for c in ("plan", "priority", "channel", "addons")],
        *[exp.alias_(pick(c, null), c) for c in ("opened_at", "first_response_at", "resolved_at")],
    ).from_(exp.to_table(names.tickets, quoted=True) if "." not in names.tickets
            else exp.to_table(names.tickets))
    if names.pauses:
        pauses = exp.select(*[exp.alias_(names.column(c), c) for c in PAUSE_COLUMNS]).from_(
            exp.to_table(names.pauses))
    else:
        pauses = sqlglot.parse_one(
            "SELECT CAST(NULL AS VARCHAR) AS ticket_id, CAST(NULL AS TIMESTAMP) AS paused_from, "
            "CAST(NULL AS TIMESTAMP) AS paused_to WHERE 1 = 0", read="duckdb")
    if names.now is None:
        now = sqlglot.parse_one("SELECT SLA_EPOCH(CURRENT_TIMESTAMP) AS now_s", read="duckdb")
    else:
        now = exp.select(exp.alias_(exp.Literal.number(int(names.now)), "now_s"))
    return [("tickets_in", tickets), ("pauses_in", pauses), ("params", now)]


def _incidents_cte(names: SqlNames) -> exp.Expression:
    """The incident table under canonical names; a missing `service` column applies every row
    to every service, missing report or detection instants read as NULL."""
    null = exp.Null()
    canonical = {"start": "start_at", "end": "end_at"}
    picked = [exp.alias_(names.column(c) if names.column(c) is not None else null,
                         canonical.get(c, c)) for c in INCIDENT_COLUMNS]
    return exp.select(*picked).from_(exp.to_table(names.incidents))


def input_ctes_for(names: SqlNames, wanted: tuple[str, ...]) -> list[exp.CTE]:
    """The input CTEs `wanted` (tickets_in, pauses_in, incidents_in, params) as CTE nodes."""
    inputs = dict(_input_ctes(names))
    inputs["incidents_in"] = _incidents_cte(names)
    return [exp.CTE(this=inputs[n], alias=exp.TableAlias(this=exp.to_identifier(n)))
            for n in wanted]


def _with_inputs(query_text: str, names: SqlNames) -> exp.Expression:
    text = query_text.replace("{stop}", _STOP).replace("{p}", names.prefix)
    tree = sqlglot.parse_one(text, read="duckdb")
    inputs = _input_ctes(names)
    ctes = [exp.CTE(this=q, alias=exp.TableAlias(this=exp.to_identifier(n))) for n, q in inputs]
    with_ = tree.args["with_"] if "with_" in tree.args else tree.args.get("with")
    with_.set("expressions", ctes + list(with_.expressions))
    return tree


def steps(tree: exp.Expression) -> list[tuple[str, exp.Expression]]:
    """A WITH query as its CTEs in order, then the final SELECT as `result`: an engine that
    inlines CTEs (Spark) materialises each step once instead of recomputing shared ones."""
    tree = tree.copy()
    with_ = tree.args.get("with_") or tree.args.get("with")
    out = [(cte.alias, cte.this) for cte in with_.expressions]
    tree.set("with_", None)
    tree.set("with", None)
    return out + [("result", tree)]


def verdict_query(names: SqlNames) -> exp.Expression:
    """One row per (ticket, metric, kind): kind 0 the governing target, 1 its proportion target.

    Columns: id, metric, kind, target_id, due (epoch seconds; NULL: not judged, the ticket needs
    instants beyond the calendar tables), status, used_seconds, left_seconds, opened_s.
    """
    return _with_inputs(_VERDICTS, names)


def summary_query(names: SqlNames, verdicts: str) -> exp.Expression:
    """Per plan, priority and metric: tickets, met, breached, pending (the `eval` summary)."""
    text = f"""
    SELECT t.plan, t.priority, v.metric, COUNT(*) AS tickets,
           SUM(CASE WHEN v.status = 'met' THEN 1 ELSE 0 END) AS met,
           SUM(CASE WHEN v.status = 'breached' THEN 1 ELSE 0 END) AS breached,
           SUM(CASE WHEN v.status = 'pending' THEN 1 ELSE 0 END) AS pending,
           SUM(CASE WHEN v.status = 'not judged' OR v.status IS NULL THEN 1 ELSE 0 END)
             AS not_judged
    FROM {verdicts} AS v JOIN tickets_in AS t ON t.id = v.id
    WHERE v.kind = 0
    GROUP BY t.plan, t.priority, v.metric
    ORDER BY t.plan NULLS FIRST, t.priority NULLS FIRST, v.metric NULLS FIRST
    """
    return _summary_tree(text, names)


def proportion_query(names: SqlNames, verdicts: str) -> exp.Expression:
    """Per proportion target and period: met, missed, pending ("85% within 2h per month")."""
    text = f"""
    SELECT v.target_id AS proportion_id, v.period_label,
           SUM(CASE WHEN v.status = 'met' THEN 1 ELSE 0 END) AS met,
           SUM(CASE WHEN v.status = 'breached' THEN 1 ELSE 0 END) AS missed,
           SUM(CASE WHEN v.status = 'pending' THEN 1 ELSE 0 END) AS pending
    FROM {verdicts} AS v
    JOIN {verdicts} AS g ON g.id = v.id AND g.metric = v.metric AND g.kind = 0
    WHERE v.kind = 1 AND v.status IS NOT NULL AND g.status <> 'not judged'
    GROUP BY v.target_id, v.period_label
    ORDER BY proportion_id NULLS FIRST, period_label NULLS FIRST
    """
    return _summary_tree(text, names)


def _summary_tree(text: str, names: SqlNames) -> exp.Expression:
    tree = sqlglot.parse_one(text, read="duckdb")
    name, query = _input_ctes(names)[0]
    tree.set("with_", exp.With(expressions=[
        exp.CTE(this=query, alias=exp.TableAlias(this=exp.to_identifier(name)))]))
    return tree


def to_dialect(tree: exp.Expression, dialect: str, *, pretty: bool = True) -> str:
    """The query in one dialect, with the hand-written pieces.

    sqlglot warns that it cannot restate the NULLS order of a window's ORDER BY for PostgreSQL;
    every window here orders by instants that are never NULL, so the order is the same.
    """
    import logging

    log = logging.getLogger("sqlglot")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        return _dialect_pieces(tree.copy(), dialect).sql(dialect=dialect, pretty=pretty)
    finally:
        log.setLevel(level)


# -- tables as SQL ---------------------------------------------------------------------------------

def _literal(value) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Literal.number(int(value))
    if isinstance(value, int):
        return exp.Literal.number(value)
    return exp.Literal.string(str(value))


def _column_type(name: str) -> str:
    from sladsl.to_sql_availability import AV_INTEGER_COLUMNS

    return "BIGINT" if name in INTEGER_COLUMNS or name in AV_INTEGER_COLUMNS else "VARCHAR"


def table_sql(layout: Layout, names: SqlNames, dialect: str) -> str:
    """`CREATE TABLE <prefix><name> AS SELECT ... FROM (VALUES ...)` for every table."""
    out = []
    for name, (columns, rows) in layout.tables.items():
        target = names.table(name)
        # PostgreSQL has no CREATE OR REPLACE TABLE; Spark's session catalog only replaces v2
        # tables: drop, then create.
        if dialect in ("postgres", "spark"):
            out.append(exp.Drop(tables=[target], kind="TABLE", exists=True).sql(dialect=dialect) + ";")
        out.append(_create_table(target, columns, rows, dialect) + ";")
    return "\n".join(out) + "\n"


def _create_table(target: exp.Table, columns, rows, dialect: str) -> str:
    """One CREATE TABLE ... AS SELECT from its rows. sqlglot writes the statement around the
    first row; the other rows, of literals only, are spliced in beside it in the form sqlglot
    gave that row (`(...)`, or BigQuery's `STRUCT(... AS column)`), each literal written by
    sqlglot: the text is the same as sqlglot's for the whole table (tests/test_to_sql.py) at a
    fraction of the cost (a calendar table has a row per day and window: 16 years of one
    contract took 47 s and 1.2 GB in BigQuery's form)."""
    statement = _create_statement(target, columns, rows[:1], dialect)
    if len(rows) < 2:
        return statement
    row = _RowWriter(columns, dialect)
    first = row(rows[0])
    if statement.count(first) != 1:  # not a form this splice knows: sqlglot writes it all
        return _create_statement(target, columns, rows, dialect)
    return statement.replace(first, ", ".join(map(row, rows)))


def _create_statement(target: exp.Table, columns, rows, dialect: str) -> str:
    cast = [exp.alias_(exp.cast(exp.column(c), _column_type(c)), c) for c in columns]
    if rows:
        values = exp.values([tuple(_literal(v) for v in row) for row in rows], alias="v",
                            columns=list(columns))
        select = exp.select(*cast).from_(values)
    else:  # no rows: a typed empty table
        select = exp.select(*[exp.alias_(exp.cast(exp.Null(), _column_type(c)), c)
                              for c in columns]).where(exp.false())
    replace = dialect not in ("postgres", "spark")
    return exp.Create(this=target, kind="TABLE", expression=select, replace=replace).sql(dialect=dialect)


class _RowWriter:
    """A row of literals as sqlglot writes it in a dialect's VALUES (BigQuery: a STRUCT naming
    the columns). Any other value is written by sqlglot from `_literal` once per distinct value
    (escaping is the dialect's); integers and NULL, the bulk of a calendar table, directly as
    sqlglot writes them: their digits and `NULL`."""

    def __init__(self, columns, dialect: str) -> None:
        self.dialect = dialect
        self.strings: dict[str, str] = {}
        self.names = ([" AS " + exp.to_identifier(c).sql(dialect=dialect) for c in columns]
                      if dialect == "bigquery" else None)

    def literal(self, value) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, int):  # bool too: 0/1, as _literal writes it
            return str(int(value))
        text = str(value)
        found = self.strings.get(text)
        if found is None:
            found = self.strings[text] = _literal(value).sql(dialect=self.dialect)
        return found

    def __call__(self, row) -> str:
        values = [self.literal(v) for v in row]
        if self.names is None:
            return "(" + ", ".join(values) + ")"
        return "STRUCT(" + ", ".join(v + n for v, n in zip(values, self.names)) + ")"


def table_csv(layout: Layout, name: str) -> str:
    """One table as CSV (header, `\\n` line ends, empty cell for NULL)."""
    import csv
    import io

    columns, rows = layout.tables[name]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue()


def render(evaluator: Evaluator, dialect: str, names: SqlNames,
           years: tuple[int, int] | None = None) -> dict[str, str]:
    """Every file `sladsl sql` writes: relative path -> text."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect `{dialect}`: dialects are {', '.join(DIALECTS)}")
    layout = lay_out(evaluator, years)
    p = names.prefix
    files = {f"data/{p}{name}.csv": table_csv(layout, name) for name in layout.tables}
    files["tables.sql"] = table_sql(layout, names, dialect)
    verdicts = to_dialect(verdict_query(names), dialect)
    files["verdicts.sql"] = _view(f"{p}verdicts", verdicts, dialect)
    files["summary.sql"] = _view(f"{p}summary", to_dialect(summary_query(names, f"{p}verdicts"),
                                                           dialect), dialect)
    files["proportions.sql"] = _view(
        f"{p}proportion_periods", to_dialect(proportion_query(names, f"{p}verdicts"), dialect),
        dialect)
    availability = _availability_files(evaluator, layout, names, dialect,
                                       years or contract_years(evaluator.spec))
    files["tables.sql"] += availability.pop("tables.sql", "")
    files.update(availability)
    return files


def _availability_files(evaluator: Evaluator, layout: Layout, names: SqlNames, dialect: str,
                        years: tuple[int, int]) -> dict[str, str]:
    """The availability tables and views, when a service states an availability target."""
    from sladsl import to_sql_availability as avsql

    coverage: dict[str, tuple[int, int]] = {}
    for row in layout.tables["segments"][1]:
        lo, hi = coverage.get(row[0], (row[2], row[3]))
        coverage[row[0]] = (min(lo, row[2]), max(hi, row[3]))
    periods = avsql.warehouse_periods(evaluator, years, coverage)
    if not periods:
        return {}
    tables = Layout()
    for name, (columns, rows) in avsql.lay_out_availability(evaluator, periods).items():
        tables.add(name, columns, rows)
    p = names.prefix
    files = {f"data/{p}{name}.csv": table_csv(tables, name) for name in tables.tables}
    files["tables.sql"] = table_sql(tables, names, dialect)
    for file, view in avsql.VIEW_FILES.items():  # a chain: each view reads those before it
        files[file] = _view(f"{p}{view}", to_dialect(avsql.stage_query(view, names), dialect),
                            dialect)
    return files


def _view(name: str, query: str, dialect: str) -> str:
    head = exp.Create(this=exp.to_table(name), kind="VIEW", replace=True,
                      expression=exp.select("1")).sql(dialect=dialect)
    head = head[: head.upper().rindex(" AS ") + 4]
    return f"-- generated by sladsl, do not edit\n{head}\n{query};\n"
