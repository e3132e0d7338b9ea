"""model.Contract -> spec: the plain-data tables an evaluator answers from.

The spec holds only dicts, lists/tuples, str, int, bool, None, `Fraction` and `datetime.date`, so
`to_python` can write it as literals (every one through `repr()`) and `sladsl.load` can hand the
very same value to `sladsl.runtime.evaluator.Evaluator`: a generated module and a loaded contract
answer from equal specs (tests/test_differential.py checks it).

Layout (`SPEC_FORMAT` 1), iteration in contract order (which is source order, hence stable):

    {"format": 1,
     "contract": {"name", "provider", "title", "currency", "zone", "source_file", "source_sha256"},
     "metrics": ("response", ...),          # the metrics some target uses, in model.METRICS order
     "priorities": ("Critical", ...),        # most severe first
     "calendars": {name: {"zone", "week": {"mon": (("09:00", "17:00"),), ...},
                          "holidays": (date, ...), "holiday_years": (first, last) | None,
                          "source_line"}},
     "targets": (target, ...),               # contract-level
     "escalation": ladder | None,            # contract-level
     "plans": {name: {"hours", "targets": (target, ...),
                      "escalation": ladder | None, "source_line"}},
     "addons": {name: {"for_plans": (...), "targets": (...), "source_line"}},
     "channels": {name: {"hours", "default_priority", "only_priorities", "targets", "source_line"}},
     "services": {name: service}}

    target  = {"metric", "priority", "seconds", "business_days", "text", "calendar", "best_effort",
               "low_text", "proportion" (Fraction percent | None), "proportion_period",
               "alternative_text", "origin", "source_line"}
    ladder  = {"calendar", "origin", "source_line",
               "steps": ({"start", "end", "role", "contact", "remark", "when", "source_line"}, ...)}
    service = {"target_percent", "period", "zone", "best_effort", "downtime_start": (how, events),
               "maintenance": {"allowance", "period", "outside", "overrun", "source_line"} | None,
               "credits": (scheme, ...), "source_line"}
    scheme  = {"kind": "tiered", "basis", "gaps", "rows": ((low, high, credit, below, line), ...)}
            | {"kind": "per_outage", "grace", "rounding", "period",
               "amounts": ((kind, value, basis, text), ...)}
            | {"kind": "extension", "scope"}
              each also with "claim", "source_line" and "caps": ((value, basis, per, text), ...),
              a cap's basis being None for days of service.
"""

from __future__ import annotations

import hashlib

from sladsl import model

SPEC_FORMAT = 1


def to_spec(contract: model.Contract, source: bytes | None = None) -> dict:
    """The evaluator spec of a checked contract; `source` is the contract file's bytes (for its hash)."""
    return {
        "format": SPEC_FORMAT,
        "contract": {
            "name": contract.name,
            "provider": contract.provider,
            "title": contract.title,
            "currency": contract.currency,
            "zone": contract.zone,
            "source_file": contract.file,
            "source_sha256": hashlib.sha256(source).hexdigest() if source is not None else None,
        },
        "metrics": _metrics(contract),
        "priorities": tuple(p.name for p in contract.priorities),
        "calendars": {c.name: _calendar(c) for c in contract.calendars},
        "targets": tuple(_target(t) for t in contract.targets),
        "escalation": _ladder(contract.escalation),
        "plans": {p.name: _plan(p) for p in contract.plans},
        "addons": {a.name: _addon(a) for a in contract.addons},
        "channels": {c.name: _channel(c) for c in contract.channels},
        "services": {s.name: _service(s) for s in contract.services},
    }


def _line(span) -> int | None:
    line = getattr(span, "line", None)
    return line if isinstance(line, int) and line > 0 else None


def _metrics(contract: model.Contract) -> tuple[str, ...]:
    targets = [*contract.targets]
    for group in (*contract.plans, *contract.addons, *contract.channels):
        targets += group.targets
    used = {t.metric for t in targets}
    return tuple(m for m in model.METRICS if m in used)


def _calendar(calendar: model.Calendar) -> dict:
    return {
        "zone": calendar.zone,
        "week": {day: tuple(tuple(w) for w in windows) for day, windows in calendar.week},
        "holidays": tuple(sorted({h.date for h in calendar.holidays})),
        "holiday_years": tuple(calendar.holiday_years) if calendar.holiday_years else None,
        "source_line": _line(calendar.span),
    }


def _target(target: model.Target) -> dict:
    duration = target.duration
    return {
        "metric": target.metric,
        "priority": target.priority,
        "seconds": duration.seconds,
        "business_days": duration.business_days,
        "text": duration.text,
        "calendar": target.calendar,
        "best_effort": target.best_effort,
        "low_text": target.low.text if target.low is not None else None,
        "proportion": target.proportion,
        "proportion_period": target.proportion_period,
        "alternative_text": target.alternative.text if target.alternative is not None else None,
        "origin": target.origin,
        "source_line": _line(target.span),
    }


def _ladder(escalation: model.Escalation | None) -> dict | None:
    if escalation is None:
        return None
    return {
        "calendar": escalation.calendar,
        "origin": escalation.origin,
        "source_line": _line(escalation.span),
        "steps": tuple(
            {"start": s.start, "end": s.end, "role": s.role, "contact": s.contact,
             "remark": s.remark, "when": s.when, "source_line": _line(s.span)}
            for s in escalation.steps
        ),
    }


def _plan(plan: model.Plan) -> dict:
    return {
        "hours": plan.hours,
        "targets": tuple(_target(t) for t in plan.targets),
        "escalation": _ladder(plan.escalation),
        "source_line": _line(plan.span),
    }


def _addon(addon: model.Addon) -> dict:
    return {
        "for_plans": tuple(addon.for_plans),
        "targets": tuple(_target(t) for t in addon.targets),
        "source_line": _line(addon.span),
    }


def _channel(channel: model.Channel) -> dict:
    return {
        "hours": channel.hours,
        "default_priority": channel.default_priority,
        "only_priorities": tuple(channel.only_priorities),
        "targets": tuple(_target(t) for t in channel.targets),
        "source_line": _line(channel.span),
    }


def _service(service: model.Service) -> dict:
    availability = service.availability
    maintenance = service.maintenance
    how, events = service.downtime_start
    return {
        "target_percent": availability.target if availability else None,
        "period": availability.period if availability else None,
        "zone": availability.zone if availability else None,
        "best_effort": availability.best_effort if availability else False,
        "downtime_start": (how, tuple(events)),
        "maintenance": None if maintenance is None else {
            "allowance": maintenance.allowance,
            "period": maintenance.period,
            "outside": maintenance.outside,
            "overrun": maintenance.overrun,
            "source_line": _line(maintenance.span),
        },
        "credits": tuple(_credit(c) for c in service.credits),
        "source_line": _line(service.span),
    }


def _credit(scheme) -> dict:
    common = {"claim": scheme.claim, "source_line": _line(scheme.span)}
    if isinstance(scheme, model.TieredCredit):
        rows = tuple((r.low, r.high, r.credit, r.below, _line(r.span)) for r in scheme.rows)
        return {"kind": "tiered", "basis": scheme.basis, "gaps": scheme.gaps, "rows": rows,
                "caps": _caps(scheme), **common}
    if isinstance(scheme, model.PerOutageCredit):
        return {
            "kind": "per_outage",
            "grace": scheme.grace,
            "rounding": scheme.rounding,
            "period": scheme.period,
            "amounts": tuple((a.kind, a.value, a.basis, a.text) for a in scheme.amounts),
            "caps": _caps(scheme),
            **common,
        }
    if isinstance(scheme, model.ExtensionCredit):
        return {"kind": "extension", "scope": scheme.scope, "caps": _caps(scheme), **common}
    raise TypeError(f"unknown credit scheme {type(scheme).__name__}")


def _caps(scheme) -> tuple:
    return tuple((share.value, share.basis, per, share.text) for share, per in scheme.caps)
