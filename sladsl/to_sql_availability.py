"""model.Contract -> SQL for availability and service credits (issue 16), beside `to_sql`.

The same design as the ticket queries (docs/sql.md): the compiler lays out what needs a calendar
or a rule table as data in epoch seconds and exact integers, the warehouse only adds, compares
and groups integers.

- `av_periods`: each service period (month, quarter, ISO week, year; fiscal years from their
  first month) as [p_start, p_end) epoch seconds, cut at local midnights by the runtime.
- `av_services`: the availability target as a fraction (`target_num / target_den` percent), how
  an outage starts to count (`downtime starts at ...`), the maintenance clause.
- `av_schemes`: one row per credit scheme and billing basis: the amount of a credit period and
  the cap, as integers in units of 1/`amount_den` (a common denominator of the contract's
  numbers, so 3.3 % and 1/24 are exact), and the per-outage grace and rounding.
- `av_bands`: a credit table laid out by the runtime's own `tiered_credit` as bands of uptime
  percent with rational bounds, each bound inclusive or not: the query compares
  `100 * (T - D) * den` with `num * T`, never a rounded percentage.
- maintenance `outside` a calendar reads the ticket queries' `segments` table (the calendar's
  windows, slope 1, and the gaps between them, slope 0).

Every clause the query implements is in `SUPPORTED` (a table of the model's fields); anything
else, or a value the table does not accept, is refused with E801 by `refusals()` instead of
being ignored (a new availability construct is unknown until it is added here).
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from fractions import Fraction

import attrs
import sqlglot
from sqlglot import exp

from sladsl import model
from sladsl.diagnostics import Diagnostic
from sladsl.runtime import availability as av
from sladsl.runtime.evaluator import Evaluator
from sladsl.runtime.zones import parse_zone, wall_to_epoch

__all__ = ["AV_TABLES", "SUPPORTED", "refusals", "has_availability", "lay_out_availability",
           "availability_query", "credit_query", "outage_query",
           "INCIDENT_COLUMNS", "STAGES", "VIEW_FILES", "stage_query", "tail_periods"]

INCIDENT_COLUMNS = ("service", "kind", "start", "end", "reported_at", "detected_at")

AV_TABLES = {
    "av_services": ("service", "target_num", "target_den", "pick", "use_start", "use_report",
                    "use_detection", "maint_mode", "allowance", "outside"),
    "av_periods": ("service", "period_label", "p_start", "p_end"),
    "av_schemes": ("service", "scheme_id", "billing", "kind", "unit", "amount_den", "rate_k",
                   "cap_k", "ext_scale", "grace", "credit_period", "rounding", "scope"),
    "av_bands": ("service", "scheme_id", "lo_num", "lo_den", "lo_incl", "hi_num", "hi_den",
                 "hi_incl", "row_index", "credit_k"),
}
AV_INTEGER_COLUMNS = {"target_num", "target_den", "use_start", "use_report", "use_detection",
                      "allowance", "p_start", "p_end", "scheme_id", "amount_den", "rate_k",
                      "cap_k", "ext_scale", "grace", "credit_period", "lo_num", "lo_den",
                      "lo_incl", "hi_num", "hi_den", "hi_incl", "row_index", "credit_k"}
BILLINGS = ("monthly", "annual")


# -- what the query implements: a table of the model's fields --------------------------------------

def _any(_value, _service) -> str | None:
    return None  # shown in the document only, or read by the layout as it is


def _one_of(*allowed):
    def check(value, _service) -> str | None:
        return None if value in allowed else f"`{value}`"
    return check


def _service_period(value, service) -> str | None:
    own = service.availability.period
    return None if value == own else \
        f"an allowance per {value} (the service is judged per {own})"


def _caps(value, service):
    own = service.availability.period
    for share, per in value:
        if per != own:
            return f"a cap per {per} (the service is judged per {own})", share.span
    return None


def _downtime_start(value, _service) -> str | None:
    how, events = value or ("start", ())
    known = {"start", "report", "detection"}
    if how in ("earliest", "latest") and set(events) <= known:
        return None
    return None if how in known and not events else f"`downtime starts at {how}(...)`"


# model class -> {field: check}; a field missing here, with a value other than its default, is a
# clause the SQL does not implement.
SUPPORTED: dict[type, dict[str, object]] = {
    model.Service: {"name": _any, "availability": _any, "downtime_means": _any,
                    "downtime_start": _downtime_start, "maintenance": _any, "monitors": _any,
                    "credits": _any, "commitments": _any, "prose": _any, "span": _any,
                    # `pay every credit` is what the queries do; `greater` / `customer`: refused
                    "credit_choice": _one_of(None, "every")},
    model.AvailabilityTarget: {"target": _any, "period": _one_of(*av.PERIOD_KINDS),
                               "zone": _any, "best_effort": _any, "measured_at": _any,
                               "span": _any, "first_month": _any, "not_rolling": _any},
    model.Maintenance: {"allowance": _any, "period": _service_period, "outside": _any,
                        "overrun": _one_of("excess", "all"), "span": _any},
    model.TieredCredit: {"basis": _one_of(*BILLINGS), "rows": _any,
                         "gaps": _one_of("customer", "provider"), "claim": _any, "span": _any,
                         "caps": _caps},
    model.PerOutageCredit: {"grace": _any, "rounding": _one_of("started", "whole"),
                            "period": _any, "amounts": _any, "caps": _caps, "claim": _any,
                            "span": _any},
    model.ExtensionCredit: {"scope": _one_of("excess", "all"), "claim": _any, "span": _any,
                            "caps": _caps},
}
# The service spec keys the layout reads; a key the back end has never seen is refused too.
SPEC_KEYS = {"target_percent", "period", "first_month", "zone", "best_effort", "downtime_start",
             "maintenance", "credits", "source_line",
             # present in every spec; the model check above refuses any value but the default
             # (`Service.counting`, `AvailabilityTarget.rolling_days` / `before_claim` / `billing` / `activated`,
             # `Service.maintenance_windows`)
             "counting", "rolling_days", "before_claim", "billing", "activated", "partial_fee", "counts",
             "maintenance_windows",
             # present only when stated; the model check refuses any value but "every"
             "credit_choice"}


def has_availability(contract: model.Contract) -> bool:
    return any(s.availability is not None for s in contract.services)


def refusals(contract: model.Contract, spec: dict | None = None,
             services: tuple[str, ...] | None = None) -> list[Diagnostic]:
    """E801 for every availability clause the SQL back end cannot run (never approximated), in
    every service with an availability target (or those named in `services`)."""
    out = []
    for service in contract.services:
        if service.availability is None or (services is not None and service.name not in services):
            continue
        parts = [(service, service.span), (service.availability, service.availability.span)]
        if service.maintenance is not None:
            parts.append((service.maintenance, service.maintenance.span))
        parts += [(scheme, scheme.span) for scheme in service.credits]
        for part, span in parts:
            out += _refuse_part(part, span, service)
        if spec is not None:
            unknown = sorted(set(spec["services"][service.name]) - SPEC_KEYS)
            if unknown:
                out.append(_refusal(service.span, service.name, f"`{unknown[0]}`"))
    return out


def _refuse_part(part, span, service) -> list[Diagnostic]:
    table = SUPPORTED.get(type(part))
    if table is None:
        return [_refusal(span, service.name, _clause_name(type(part)))]
    out = []
    for field in attrs.fields(type(part)):
        value = getattr(part, field.name)
        check = table.get(field.name)
        if check is None:
            default = field.default.factory() if isinstance(field.default, attrs.Factory) \
                else field.default
            if value != default:
                out.append(_refusal(span, service.name, f"`{field.name.replace('_', ' ')}`"
                                                         f" of {_clause_name(type(part), '')}"))
            continue
        problem = check(value, service)  # type: ignore[operator]
        if isinstance(problem, tuple):  # (what, where)
            out.append(_refusal(problem[1], service.name, problem[0]))
        elif problem is not None:
            out.append(_refusal(span, service.name, problem))
    return out


# The clauses a refusal names most often, in the language's own words; others are spelled out
# from their model name ("a band credit clause").
_CLAUSE_NAMES = {"FeeMultipleCredit": "a credit in multiples of the fees",
                 "HourlyRateCredit": "an hourly-rate credit", "DeviceCredit": "a per-violation credit"}


def _clause_name(kind: type, clause: str = " clause") -> str:
    """The user's words for a model clause, never a class name."""
    if kind.__name__ in _CLAUSE_NAMES:
        return _CLAUSE_NAMES[kind.__name__]
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", kind.__name__).lower()
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}{clause}"


def _refusal(span, service: str, what: str) -> Diagnostic:
    return Diagnostic(
        "E801", f"the SQL back end cannot compute {what} in service `{service}`",
        span, notes=("`sladsl sql` and `--engine duckdb|spark` refuse rather than approximate "
                     "an availability or credit answer",),
        help="use `--engine python` (and `sladsl uptime`) for this contract, or restate the "
             "clause in a form the SQL back end lists in docs/sql.md")


# -- layout ----------------------------------------------------------------------------------------

def _lcm(*values: int) -> int:
    out = 1
    for v in values:
        out = out * v // math.gcd(out, v)
    return out


def _k(value: Fraction, den: int) -> int:
    scaled = Fraction(value) * den
    assert scaled.denominator == 1, (value, den)
    return int(scaled)


def _service_row(name: str, entry: dict) -> tuple:
    target = Fraction(entry["target_percent"])
    how, events = entry["downtime_start"]
    names = set(events) if how in ("earliest", "latest") else {how}
    maintenance = entry["maintenance"]
    mode = "none" if maintenance is None else maintenance["overrun"]
    return (name, target.numerator, target.denominator, "max" if how == "latest" else "min",
            int("start" in names), int("report" in names), int("detection" in names), mode,
            None if maintenance is None else int(maintenance["allowance"]),
            None if maintenance is None else maintenance["outside"])


def _scheme_rows(name: str, entry: dict) -> tuple[list[tuple], list[tuple]]:
    """av_schemes and av_bands rows of one service (the runtime's `_caps_for` picks the caps)."""
    from sladsl.runtime.evaluator import _caps_for

    schemes, bands = [], []
    target = Fraction(entry["target_percent"])
    for sid, scheme in enumerate(entry["credits"]):
        kind = scheme["kind"]
        for billing in BILLINGS:
            caps = [Fraction(v) for v, _per, _text in _caps_for(scheme, billing)]
            cap = min(caps) if caps else None
            unit, rate, scale, den = kind, Fraction(0), None, 1
            if kind == "tiered":
                den = _lcm(*(Fraction(r[2]).denominator for r in scheme["rows"]),
                           *(c.denominator for c in caps))
                unit = "percent"
            elif kind == "per_outage":
                rate_p = next((Fraction(v) for k, v, basis, _t in scheme["amounts"]
                               if k == "percent" and basis == billing), None)
                days = next((Fraction(v) for k, v, _b, _t in scheme["amounts"] if k == "days"), None)
                unit = "percent" if rate_p is not None else "days" if days is not None else "none"
                rate = rate_p if rate_p is not None else days if days is not None else Fraction(0)
                den = _lcm(rate.denominator, *(c.denominator for c in caps))
            else:  # extension: seconds, the excess over the target as a fraction of 100 * den
                unit = "seconds"
                den = _lcm(100 * target.denominator, *(c.denominator for c in caps))
                scale = den // (100 * target.denominator) if scheme["scope"] == "excess" else den
            schemes.append((name, sid, billing, kind, unit, den, _k(rate, den),
                            None if cap is None else _k(cap, den), scale,
                            scheme.get("grace"), scheme.get("period"), scheme.get("rounding"),
                            scheme.get("scope")))
        if kind == "tiered":
            den = schemes[-1][5]
            bands += [(name, sid, *band[:-1], _k(band[-1], den))
                      for band in _bands(scheme, target)]
    return schemes, bands


def _bands(scheme: dict, target: Fraction) -> list[tuple]:
    """(lo_num, lo_den, lo_incl, hi_num, hi_den, hi_incl, row_index, credit) for every stretch of
    uptime percent that earns a credit, as the runtime's `tiered_credit` answers it: the answer
    can only change at a printed bound or the target, so each bound and each stretch between
    neighbouring bounds is asked once."""
    tiers = [(low, high, credit, below) for low, high, credit, below, _line in scheme["rows"]]
    points = sorted({Fraction(x) for row in tiers for x in row[:2] if x is not None} | {target})
    pieces = [(None, False, points[0], False, points[0] - 1)]
    for n, point in enumerate(points):
        pieces.append((point, True, point, True, point))
        nxt = points[n + 1] if n + 1 < len(points) else None
        pieces.append((point, False, nxt, False, point + 1 if nxt is None else (point + nxt) / 2))
    merged: list[list] = []  # neighbouring pieces with the same answer join
    for lo, lo_incl, hi, hi_incl, sample in pieces:
        answer = av.tiered_credit(sample, target, tiers, scheme["gaps"])
        if merged and merged[-1][4] == answer:
            merged[-1][2:4] = [hi, hi_incl]
        else:
            merged.append([lo, lo_incl, hi, hi_incl, answer])
    out = []
    for lo, lo_incl, hi, hi_incl, (index, credit) in merged:
        if index is None or credit <= 0:
            continue
        assert hi is not None  # at or above the target nothing is owed
        out.append((None if lo is None else lo.numerator, None if lo is None else lo.denominator,
                    int(lo_incl), hi.numerator, hi.denominator, int(hi_incl), index, credit))
    return out


def service_periods(entry: dict, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """The service's whole periods inside [lo, hi) epoch seconds, with their labels."""
    zone = parse_zone(entry["zone"])
    first = datetime.fromtimestamp(lo, zone)
    out = []
    for a, b in av.periods_overlapping(entry["period"], (lo, hi), zone, entry["first_month"]):
        ta, tb = int(a.timestamp()), int(b.timestamp())
        if lo <= ta and tb <= hi:
            out.append((ta, tb, av.period_label(entry["period"], a, entry["first_month"])))
    del first
    return out


def tail_periods(entry: dict, end: int, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The service periods after `end` that an outage reaching `end` can run into: a per-outage
    credit measures its outage whole, with the exclusions and maintenance of those periods (their
    own rows are not reported). `spans` are the outage and maintenance [a, b) seconds; their
    union bounds every merged outage the query can form, touching ones included."""
    reach = None  # in start order: the spans reaching `end`, then those touching what they reach
    for a, b in sorted(spans):
        if (a < end <= b) or (reach is not None and a <= reach):
            reach = max(b, reach or b)
    if reach is None:
        return []
    zone = parse_zone(entry["zone"])
    last = datetime.fromtimestamp(reach, zone)
    stop = av.period_containing(entry["period"], last, zone, entry["first_month"])[1]
    return service_periods(entry, end, int(stop.timestamp()))


def lay_out_availability(evaluator: Evaluator, periods: dict[str, list[tuple[int, int, str]]]
                         ) -> dict[str, tuple[tuple[str, ...], list[tuple]]]:
    """The av_* tables for the services in `periods` (service -> its periods)."""
    spec = evaluator.spec
    tables = {name: (cols, []) for name, cols in AV_TABLES.items()}
    for name in sorted(periods):
        entry = spec["services"][name]
        tables["av_services"][1].append(_service_row(name, entry))
        tables["av_periods"][1].extend((name, label, a, b) for a, b, label in periods[name])
        schemes, bands = _scheme_rows(name, entry)
        tables["av_schemes"][1].extend(schemes)
        tables["av_bands"][1].extend(bands)
    return tables


def warehouse_periods(evaluator: Evaluator, years: tuple[int, int],
                      coverage: dict[str, tuple[int, int]]) -> dict[str, list[tuple]]:
    """Every service period of the years, inside the `outside` calendar's tables when one is used
    (a period the calendar tables do not cover would lose its maintenance)."""
    out = {}
    for name, entry in sorted(evaluator.spec["services"].items()):
        if entry["target_percent"] is None:
            continue
        zone = parse_zone(entry["zone"])
        lo = wall_to_epoch(zone, datetime(years[0], 1, 1))
        hi = wall_to_epoch(zone, datetime(years[1] + 1, 1, 1))
        outside = (entry["maintenance"] or {}).get("outside")
        if outside is not None:
            lo, hi = max(lo, coverage[outside][0]), min(hi, coverage[outside][1])
        out[name] = service_periods(entry, lo, hi)
    return out


# -- the queries -----------------------------------------------------------------------------------

# The pipeline as a chain of views, each written once (DuckDB syntax, parsed by sqlglot like
# `to_sql._VERDICTS`; {p} is the table prefix, `incidents_in` and `params` are built from
# SqlNames). `sladsl sql` writes each stage as a view that reads the views before it;
# `uptime --engine` runs each answer as one WITH query holding the stages it needs as CTEs
# named like the views (`_query`). Intervals are [a, b) epoch seconds; a set of intervals is
# merged (touching ones join) by gaps and islands, per service, period and `counts` (1:
# downtime, 0: excluded).

# availability_pieces: per service and period, each merged outage piece (outages and counted
# maintenance clipped to the period; `began`: the earliest start of what it merged, before any
# clipping) with each merged exclusion overlapping it (ca, cb; NULL when none does).
_PIECES = """
WITH
inc AS (
  SELECT CASE WHEN service = '' THEN NULL ELSE service END AS service, kind,
         SLA_EPOCH(start_at) AS s, SLA_EPOCH(end_at) AS e,
         SLA_EPOCH(reported_at) AS r, SLA_EPOCH(detected_at) AS d
  FROM incidents_in
),
svc_inc AS (
  SELECT v.service, i.kind, i.s, i.e,
         CASE WHEN v.use_report = 1 THEN i.r END AS cr,
         CASE WHEN v.use_detection = 1 THEN i.d END AS cd,
         CASE WHEN v.use_start = 1 THEN i.s END AS cs, v.pick
  FROM {p}av_services AS v
  JOIN inc AS i ON i.service IS NULL OR i.service = v.service
),
outage_pick AS (
  SELECT service, s, e, cs, pick,
         CASE WHEN cr IS NULL THEN cd WHEN cd IS NULL THEN cr
              WHEN (pick = 'min' AND cr <= cd) OR (pick = 'max' AND cr >= cd) THEN cr
              ELSE cd END AS c1
  FROM svc_inc
  WHERE kind = 'outage'
),
outage_from AS (
  SELECT service, s, e,
         CASE WHEN c1 IS NULL THEN cs WHEN cs IS NULL THEN c1
              WHEN (pick = 'min' AND c1 <= cs) OR (pick = 'max' AND c1 >= cs) THEN c1
              ELSE cs END AS chosen
  FROM outage_pick
),
outages AS (
  SELECT service,
         CASE WHEN chosen IS NULL OR chosen < s THEN s WHEN chosen >= e THEN e
              ELSE chosen END AS a, e AS b
  FROM outage_from
),
periods AS (
  SELECT service, period_label AS label, p_start, p_end FROM {p}av_periods
),
maint_mark AS (
  SELECT service, s AS a, e AS b,
         CASE WHEN s <= MAX(e) OVER (PARTITION BY service ORDER BY s, e
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
              THEN 0 ELSE 1 END AS island_start
  FROM svc_inc
  WHERE kind = 'maintenance' AND e > s
),
maint_island AS (
  SELECT service, a, b,
         SUM(island_start) OVER (PARTITION BY service ORDER BY a, b ROWS UNBOUNDED PRECEDING)
           AS island
  FROM maint_mark
),
maint_merged AS (
  SELECT service, MIN(a) AS a, MAX(b) AS b FROM maint_island GROUP BY service, island
),
maint_clip AS (
  SELECT p.service, p.label, GREATEST(m.a, p.p_start) AS a, LEAST(m.b, p.p_end) AS b, v.outside
  FROM maint_merged AS m
  JOIN periods AS p ON p.service = m.service AND m.a < p.p_end AND p.p_start < m.b
  JOIN {p}av_services AS v ON v.service = p.service
),
maint_split AS (
  SELECT c.service, c.label, GREATEST(c.a, s.seg_start) AS a, LEAST(c.b, s.seg_end) AS b,
         s.slope AS inside
  FROM maint_clip AS c
  JOIN {p}segments AS s
    ON s.calendar = c.outside AND s.day = SLA_FDIV(s.seg_start, 86400)
   AND s.seg_start < c.b AND c.a < s.seg_end
  UNION ALL
  SELECT service, label, a, b, 0 AS inside FROM maint_clip WHERE outside IS NULL
),
maint_run AS (
  SELECT x.service, x.label, x.a, x.b, v.maint_mode, v.allowance,
         COALESCE(SUM(x.b - x.a) OVER (PARTITION BY x.service, x.label ORDER BY x.a
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
           AS used_before,
         SUM(x.b - x.a) OVER (PARTITION BY x.service, x.label) AS eligible
  FROM maint_split AS x
  JOIN {p}av_services AS v ON v.service = x.service
  WHERE x.inside = 0 AND x.b > x.a
),
maint_parts AS (
  SELECT service, label, a, b, 1 AS counts FROM maint_split WHERE inside = 1
  UNION ALL
  SELECT service, label, a, b, 0 AS counts FROM maint_run WHERE maint_mode = 'none'
  UNION ALL
  SELECT service, label, a, b, CASE WHEN eligible > allowance THEN 1 ELSE 0 END AS counts
  FROM maint_run WHERE maint_mode = 'all'
  UNION ALL
  SELECT service, label, a, a + GREATEST(0, LEAST(b - a, allowance - used_before)) AS b,
         0 AS counts
  FROM maint_run WHERE maint_mode = 'excess'
  UNION ALL
  SELECT service, label, a + GREATEST(0, LEAST(b - a, allowance - used_before)) AS a, b,
         1 AS counts
  FROM maint_run WHERE maint_mode = 'excess'
),
spans AS (
  SELECT p.service, p.label, 1 AS counts, GREATEST(o.a, p.p_start) AS a,
         LEAST(o.b, p.p_end) AS b, o.a AS began
  FROM outages AS o
  JOIN periods AS p ON p.service = o.service AND o.a < p.p_end AND p.p_start < o.b
  UNION ALL
  SELECT p.service, p.label, 0 AS counts, GREATEST(x.s, p.p_start) AS a,
         LEAST(x.e, p.p_end) AS b, x.s AS began
  FROM svc_inc AS x
  JOIN periods AS p ON p.service = x.service AND x.s < p.p_end AND p.p_start < x.e
  WHERE x.kind = 'excluded'
  UNION ALL
  SELECT service, label, counts, a, b, a AS began FROM maint_parts
),
span_mark AS (
  SELECT service, label, counts, a, b, began,
         CASE WHEN a <= MAX(b) OVER (PARTITION BY service, label, counts ORDER BY a, b
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
              THEN 0 ELSE 1 END AS island_start
  FROM spans
  WHERE b > a
),
span_island AS (
  SELECT service, label, counts, a, b, began,
         SUM(island_start) OVER (PARTITION BY service, label, counts ORDER BY a, b
                                 ROWS UNBOUNDED PRECEDING) AS island
  FROM span_mark
),
merged AS (
  SELECT service, label, counts, MIN(a) AS a, MAX(b) AS b, MIN(began) AS began
  FROM span_island GROUP BY service, label, counts, island
)
SELECT m.service, m.label, m.a, m.b, m.began, c.a AS ca, c.b AS cb
FROM merged AS m
LEFT JOIN merged AS c
  ON c.service = m.service AND c.label = m.label AND c.counts = 0
 AND c.a < m.b AND m.a < c.b
WHERE m.counts = 1
"""

# availability_downtime: per merged outage piece, its downtime (less the exclusions) and its
# downtime up to `now` (the error budget's burn rate).
_DOWNTIME = """
SELECT m.service, m.label, m.a, m.b, m.began,
       m.b - m.a - SUM(CASE WHEN m.ca IS NULL THEN 0
                            ELSE LEAST(m.cb, m.b) - GREATEST(m.ca, m.a) END) AS down,
       GREATEST(0, LEAST(m.b, MIN(u.until_s)) - m.a)
         - SUM(CASE WHEN m.ca IS NULL THEN 0
                    ELSE GREATEST(0, LEAST(m.cb, m.b, u.until_s) - GREATEST(m.ca, m.a)) END)
         AS down_so_far
FROM {p}availability_pieces AS m
JOIN (SELECT p.service, p.period_label AS label,
             LEAST(GREATEST((SELECT now_s FROM params), p.p_start), p.p_end) AS until_s
      FROM {p}av_periods AS p) AS u
  ON u.service = m.service AND u.label = m.label
GROUP BY m.service, m.label, m.a, m.b, m.began
"""

# availability: per service and period, the downtime, the exact uptime and the verdict.
_AVAILABILITY = """
WITH
period_down AS (
  SELECT p.service, p.period_label AS label, p.p_start, p.p_end, p.p_end - p.p_start AS total,
         COALESCE(SUM(d.down), 0) AS down, COALESCE(SUM(d.down_so_far), 0) AS down_so_far
  FROM {p}av_periods AS p
  LEFT JOIN {p}availability_downtime AS d
    ON d.service = p.service AND d.label = p.period_label
  GROUP BY p.service, p.period_label, p.p_start, p.p_end
),
verdicts AS (
  SELECT d.*, v.target_num, v.target_den,
         CASE WHEN 100 * (d.total - d.down) * v.target_den >= v.target_num * d.total
              THEN 1 ELSE 0 END AS met
  FROM period_down AS d
  JOIN {p}av_services AS v ON v.service = d.service
)
SELECT service, label AS period_label, p_start AS period_start, p_end AS period_end,
       total AS period_seconds, down AS downtime_seconds, down_so_far AS downtime_so_far_seconds,
       total - down AS uptime_num, total AS uptime_den, met
FROM verdicts
ORDER BY service, period_start
"""

# availability_credits: per service, period, billing basis and credit scheme, what is owed.
_CREDITS = """
WITH
judged AS (
  SELECT a.service, a.period_label AS label, a.period_seconds AS total,
         a.downtime_seconds AS down, 100 * a.uptime_num AS up_scaled, a.met,
         v.target_num, v.target_den
  FROM {p}availability AS a
  JOIN {p}av_services AS v ON v.service = a.service
),
whole_mark AS (
  SELECT service, a, b, began, down,
         CASE WHEN a <= MAX(b) OVER (PARTITION BY service ORDER BY a, b
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
              THEN 0 ELSE 1 END AS island_start
  FROM {p}availability_downtime
),
whole_island AS (
  SELECT service, began, down,
         SUM(island_start) OVER (PARTITION BY service ORDER BY a, b ROWS UNBOUNDED PRECEDING)
           AS island
  FROM whole_mark
),
whole_outages AS (
  SELECT service, MIN(began) AS began, SUM(down) AS down
  FROM whole_island GROUP BY service, island
),
outage_units AS (
  SELECT p.service, p.period_label AS label, s.scheme_id, s.billing,
         SUM(CASE WHEN w.down <= s.grace THEN 0
                  WHEN s.rounding = 'started'
                    THEN 0 - SLA_FDIV(s.grace - w.down, s.credit_period)
                  ELSE SLA_FDIV(w.down - s.grace, s.credit_period) END) AS credit_periods
  FROM whole_outages AS w
  JOIN {p}av_periods AS p
    ON p.service = w.service AND p.p_start <= w.began AND w.began < p.p_end
  JOIN {p}av_schemes AS s ON s.service = w.service AND s.kind = 'per_outage'
  GROUP BY p.service, p.period_label, s.scheme_id, s.billing
),
owed AS (
  SELECT v.service, v.label, s.scheme_id, s.billing, b.row_index, b.credit_k AS amount_k,
         CAST(NULL AS BIGINT) AS credit_periods
  FROM judged AS v
  JOIN {p}av_schemes AS s ON s.service = v.service AND s.kind = 'tiered'
  JOIN {p}av_bands AS b
    ON b.service = s.service AND b.scheme_id = s.scheme_id
   AND (b.lo_num IS NULL OR v.up_scaled * b.lo_den > b.lo_num * v.total
        OR (b.lo_incl = 1 AND v.up_scaled * b.lo_den = b.lo_num * v.total))
   AND (v.up_scaled * b.hi_den < b.hi_num * v.total
        OR (b.hi_incl = 1 AND v.up_scaled * b.hi_den = b.hi_num * v.total))
  UNION ALL
  SELECT u.service, u.label, u.scheme_id, u.billing, CAST(NULL AS BIGINT) AS row_index,
         u.credit_periods * s.rate_k AS amount_k, u.credit_periods
  FROM outage_units AS u
  JOIN {p}av_schemes AS s
    ON s.service = u.service AND s.scheme_id = u.scheme_id AND s.billing = u.billing
  WHERE u.credit_periods > 0
  UNION ALL
  SELECT v.service, v.label, s.scheme_id, s.billing, CAST(NULL AS BIGINT) AS row_index,
         CASE WHEN s.scope = 'excess'
              THEN (v.down * 100 * v.target_den
                    - v.total * (100 * v.target_den - v.target_num)) * s.ext_scale
              ELSE v.down * s.ext_scale END AS amount_k,
         CAST(NULL AS BIGINT) AS credit_periods
  FROM judged AS v
  JOIN {p}av_schemes AS s ON s.service = v.service AND s.kind = 'extension'
  WHERE v.met = 0
),
credits AS (
  SELECT o.service, o.label, o.billing, o.scheme_id, s.kind, s.unit, o.row_index,
         CASE WHEN s.unit = 'none' THEN NULL
              WHEN s.cap_k IS NULL OR o.amount_k <= s.cap_k THEN o.amount_k
              ELSE s.cap_k END AS amount_k,
         s.amount_den,
         CASE WHEN s.unit <> 'none' AND s.cap_k IS NOT NULL AND o.amount_k > s.cap_k
              THEN 1 ELSE 0 END AS capped,
         o.credit_periods
  FROM owed AS o
  JOIN {p}av_schemes AS s
    ON s.service = o.service AND s.scheme_id = o.scheme_id AND s.billing = o.billing
)
SELECT service, label AS period_label, billing, scheme_id, kind, row_index,
       amount_k AS amount_num, amount_den, capped, credit_periods,
       CASE WHEN unit = 'seconds' THEN 0 - SLA_FDIV(0 - amount_k, amount_den) END
         AS extension_seconds
FROM credits
WHERE unit = 'none' OR amount_k > 0
ORDER BY service, period_label, billing, scheme_id
"""

# availability_outages: per service and period, the downtime as intervals (the merged outage
# pieces less the exclusions cutting them).
_OUTAGES = """
WITH
cut_gaps AS (
  SELECT service, label, a AS ma, b AS mb, ca, cb,
         LAG(cb) OVER (PARTITION BY service, label, a ORDER BY ca) AS prev_cb
  FROM {p}availability_pieces
  WHERE ca IS NOT NULL
),
shown AS (
  SELECT service, label, COALESCE(prev_cb, ma) AS a, ca AS b FROM cut_gaps
  UNION ALL
  SELECT service, label, MAX(cb) AS a, mb AS b FROM cut_gaps GROUP BY service, label, ma, mb
  UNION ALL
  SELECT service, label, a, b FROM {p}availability_pieces WHERE ca IS NULL
)
SELECT service, label AS period_label, a AS outage_start, b AS outage_end
FROM shown
WHERE b > a
ORDER BY service, period_label, outage_start
"""

# view name -> (its query, the views it reads); in dependency order
STAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "availability_pieces": (_PIECES, ()),
    "availability_downtime": (_DOWNTIME, ("availability_pieces",)),
    "availability": (_AVAILABILITY, ("availability_downtime",)),
    "availability_credits": (_CREDITS, ("availability_downtime", "availability")),
    "availability_outages": (_OUTAGES, ("availability_pieces",)),
}
_INPUTS = ("incidents_in", "params")
# the file `sladsl sql` writes for each view, in the order they must be created
VIEW_FILES = {"availability_pieces.sql": "availability_pieces",
              "availability_downtime.sql": "availability_downtime",
              "availability.sql": "availability", "credits.sql": "availability_credits",
              "outages.sql": "availability_outages"}


def _parsed(view: str, names) -> exp.Expression:
    return sqlglot.parse_one(STAGES[view][0].replace("{p}", names.prefix), read="duckdb")


def _needed(view: str) -> list[str]:
    """The stages `view` reads, directly or not, then itself, in dependency order."""
    out: list[str] = []
    for before in STAGES[view][1]:
        out += [v for v in _needed(before) if v not in out]
    return out + [view]


def _inputs_of(trees: list[exp.Expression], names) -> list[exp.CTE]:
    from sladsl.to_sql import input_ctes_for

    used = {t.name for tree in trees for t in tree.find_all(exp.Table)}
    return input_ctes_for(names, tuple(n for n in _INPUTS if n in used))


def stage_query(view: str, names) -> exp.Expression:
    """The query of one view of the chain as `sladsl sql` writes it: it reads the views before
    it by name (`<prefix>availability_pieces`, ...)."""
    tree = _parsed(view, names)
    with_ = tree.args.get("with_") or tree.args.get("with")
    inputs = _inputs_of([tree], names)
    if inputs:
        if with_ is None:
            tree.set("with_", exp.With(expressions=inputs))
        else:
            with_.set("expressions", inputs + list(with_.expressions))
    return tree


def _query(view: str, names) -> exp.Expression:
    """One answer as a single WITH query: the stages it reads become CTEs named like their
    views (each stage's own CTEs before it), so an engine runs it without the views."""
    trees = [_parsed(v, names) for v in _needed(view)]
    inputs = _inputs_of(trees, names)
    ctes: list[exp.CTE] = []
    for stage, tree in zip(_needed(view), trees):
        with_ = tree.args.get("with_") or tree.args.get("with")
        own = list(with_.expressions) if with_ is not None else []
        tree.set("with_", None)
        tree.set("with", None)
        if stage == view:
            final = tree
        else:
            own.append(exp.CTE(this=tree, alias=exp.TableAlias(
                this=exp.to_identifier(names.prefix + stage))))
        ctes += own
    seen = [c.alias for c in ctes]
    assert len(seen) == len(set(seen)), seen  # the stages' CTE names must not collide
    final.set("with_", exp.With(expressions=inputs + ctes))
    return final


def availability_query(names) -> exp.Expression:
    """One row per service and period: seconds, downtime (and so far at `now`), exact uptime
    (uptime_num / uptime_den), met (1/0)."""
    return _query("availability", names)


def credit_query(names) -> exp.Expression:
    """One row per service, period, billing basis and credit scheme that owes something: the
    tier row, the amount (amount_num / amount_den percent, or days), capped, credit periods,
    extension seconds."""
    return _query("availability_credits", names)


def outage_query(names) -> exp.Expression:
    """The downtime of each period as intervals (merged outages minus the excluded time)."""
    return _query("availability_outages", names)
