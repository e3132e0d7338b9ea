"""model.Contract -> spec: the plain-data tables an evaluator answers from.

The spec holds only dicts, lists/tuples, str, int, bool, None, `Fraction` and `datetime.date`, so
`to_python` can write it as literals (every one through `repr()`) and `sladsl.load` can hand the
very same value to `sladsl.runtime.evaluator.Evaluator`: a generated module and a loaded contract
answer from equal specs (tests/test_differential.py checks it).

The layout is typed in `sladsl/runtime/spec.py` (`Spec` and its parts, `SPEC_FORMAT`), which the
runtime validates when an evaluator starts; tables iterate in contract order (which is source
order, hence stable).
"""

from __future__ import annotations

import hashlib
from fractions import Fraction
from datetime import date, datetime, timedelta

from sladsl import model
from sladsl.runtime.spec import (
    BranchSpec,
    CalendarChoiceSpec,
    InactivitySpec,
    SPEC_FORMAT,
    AddonSpec,
    AmountSpec,
    CapSpec,
    CalendarSpec,
    ChannelSpec,
    ContractSpec,
    CreditLifeSpec,
    MaintenanceWindowSpec,
    CountingSpec,
    ClockSpec,
    CreditSpec,
    PenaltySpec,
    LadderSpec,
    PlanSpec,
    ServiceSpec,
    Spec,
    TargetSpec,
)

from sladsl.runtime.zones import parse_zone, wall_to_epoch

__all__ = ["SPEC_FORMAT", "to_spec", "to_specs"]


def to_specs(checked: model.Contract | model.Versions, source: bytes | None = None) -> tuple[Spec, ...]:
    """One spec per version, earliest first; each version ends where the next begins."""
    versions = model.versions_of(checked)
    starts = [_midnight(v.effective, v.dates_zone) for v in versions]
    return tuple(to_spec(v, source, ends=starts[i + 1] if i + 1 < len(versions) else None)
                 for i, v in enumerate(versions))


def _midnight(day: date | None, zone: str) -> int | None:
    """The instant a date begins in a zone (epoch seconds), None for no date."""
    if day is None:
        return None
    return wall_to_epoch(parse_zone(zone), datetime(day.year, day.month, day.day))


def to_spec(contract: model.Contract, source: bytes | None = None, ends: int | None = None) -> Spec:
    """The evaluator spec of a checked contract; `source` is the contract file's bytes (for its
    hash); `ends` the instant the next version takes effect, if any."""
    until_end = _midnight(contract.until + timedelta(days=1), contract.dates_zone) \
        if contract.until is not None else None
    meta: ContractSpec = {
        "name": contract.name,
        "provider": contract.provider,
        "title": contract.title,
        "currency": contract.currency,
        "zone": contract.zone,
        "source_file": contract.file,
        "source_sha256": hashlib.sha256(source).hexdigest() if source is not None else None,
        "effective": contract.effective,
        "until": contract.until,
        "in_effect": (_midnight(contract.effective, contract.dates_zone),
                      ends if ends is not None else until_end),
    }
    if contract.split_periods:  # only then: every other spec stays as it was
        meta["split_periods"] = True
    spec: Spec = {
        "format": SPEC_FORMAT,
        "contract": meta,
        "metrics": _metrics(contract),
        "priorities": tuple(p.name for p in contract.priorities),
        "calendars": _calendars(contract.calendars),
        "targets": tuple(_target(t) for t in contract.targets),
        "escalation": _ladder(contract.escalation),
        "plans": {p.name: _plan(p) for p in contract.plans},
        "addons": {a.name: _addon(a) for a in contract.addons},
        "channels": {c.name: _channel(c) for c in contract.channels},
        "services": {s.name: _service(s) for s in contract.services},
        "clock": _clock(contract.clock),
        "penalties": tuple(_penalty(p, contract.dates_zone) for p in contract.penalties),
    }
    # Only when the contract chooses by ticket attributes: every other spec stays as it was.
    if contract.calendar_choices:
        spec["calendar_choices"] = {c.name: _calendar_choice(c) for c in contract.calendar_choices}
    if contract.plan_choice:
        spec["plan_choice"] = tuple(_branch(b) for b in contract.plan_choice)
    if contract.clock.inactivity is not None:
        spec["inactivity"] = _inactivity(contract.clock.inactivity)
    return spec


def _branch(branch: model.ChoiceBranch) -> BranchSpec:
    return {"when": tuple((c.attribute, c.op, c.values) for c in branch.when),
            "choice": branch.choice, "source_line": _line(branch.span)}


def _calendar_choice(choice: model.CalendarChoice) -> CalendarChoiceSpec:
    return {"attribute": choice.attribute, "branches": tuple(_branch(b) for b in choice.branches),
            "source_line": _line(choice.span)}


def _penalty(penalty: model.Penalty, zone: str) -> PenaltySpec:
    """A penalty on ticket breaches, its periods bounded in the contract's dates zone."""
    return {"metric": penalty.metric, "priorities": penalty.priorities, "more_than": penalty.more_than,
            "period": penalty.period, "first_month": penalty.first_month, "zone": zone,
            "amount": _amount(penalty.amount), "text": penalty.text, "source_line": _line(penalty.span)}


def _clock(rules: model.ClockRules) -> ClockSpec:
    own = {m: rules.statuses(m) for m in model.METRICS}
    return {
        "pause_statuses": rules.statuses(),
        "metric_pause_statuses": {m: statuses for m, statuses in own.items() if statuses},
        "reopen": rules.reopen,
        "reclassify": rules.reclassify,
    }


def _inactivity(rule: model.Inactivity) -> InactivitySpec:
    return {"statuses": rule.statuses, "calendar": rule.calendar,
            "steps": tuple((s.name, s.duration.seconds, s.duration.business_days, s.duration.text)
                           for s in rule.steps),
            "source_line": _line(rule.span)}


def _line(span: object) -> int | None:
    line = getattr(span, "line", None)
    return line if isinstance(line, int) and line > 0 else None


def _metrics(contract: model.Contract) -> tuple[str, ...]:
    targets = [*contract.targets]
    groups: tuple[model.Plan | model.Addon | model.Channel, ...] = (
        *contract.plans, *contract.addons, *contract.channels)
    for group in groups:
        targets += group.targets
    used = {t.metric for t in targets}
    return tuple(m for m in model.METRICS if m in used)


def _calendars(calendars: tuple[model.Calendar, ...]) -> dict[str, CalendarSpec]:
    # Calendars whose holidays are one checked table share one tuple of dates, so the spec (and
    # the module to_python writes from it) grows with the distinct tables, not with the calendars.
    tables: dict[int, tuple[date, ...]] = {}
    out = {}
    for calendar in calendars:
        key = id(calendar.holidays)
        if key not in tables:
            tables[key] = tuple(sorted({h.date for h in calendar.holidays}))
        out[calendar.name] = _calendar(calendar, tables[key])
    return out


def _calendar(calendar: model.Calendar, holidays: tuple[date, ...]) -> CalendarSpec:
    spec: CalendarSpec = {
        "zone": calendar.zone,
        "week": {day: tuple((opens, closes) for opens, closes in windows) for day, windows in calendar.week},
        "holidays": holidays,
        "holiday_years": _years(calendar.holiday_years),
        "source_line": _line(calendar.span),
    }
    if calendar.holiday_hours:  # only when stated: a holiday is otherwise closed all day
        spec["holiday_hours"] = tuple((opens, closes) for opens, closes in calendar.holiday_hours)
    return spec


def _years(years: tuple[int, int] | None) -> tuple[int, int] | None:
    if not years:
        return None
    first, last = years
    return (first, last)


def _target(target: model.Target) -> TargetSpec:
    duration = target.duration
    return {
        "metric": target.metric,
        "priority": target.priority,
        "seconds": duration.seconds,
        "business_days": duration.business_days,
        "text": _target_text(target),
        "calendar": target.calendar,
        "best_effort": target.best_effort,
        "low_text": target.low.text if target.low is not None else None,
        "proportion": target.proportion,
        "proportion_period": target.proportion_period,
        "alternative_text": target.alternative.text if target.alternative is not None else None,
        "every": target.every,
        "negotiable": target.negotiable,
        "after_response": target.after_response,
        "until_restored": target.until_restored,
        "start": target.start,
        "origin": target.origin,
        "source_line": _line(target.span),
    }


def _target_text(target: model.Target) -> str:
    """"4h", "every 4h after response", "5 business days or as agreed": the target as every
    output shows it, so a negotiable target is marked wherever its verdict appears."""
    text = f"every {target.duration.text}" if target.every else target.duration.text
    if target.after_response:
        text += " after response"
    if target.until_restored is not None:
        text += f" until restored then {target.until_restored}"
    if target.start is not None:
        text += {"contact": " from first contact", "priority": " from priority set"}[target.start]
    if target.negotiable:
        text += " or as agreed"
    return text


def _ladder(escalation: model.Escalation | None) -> LadderSpec | None:
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


def _plan(plan: model.Plan) -> PlanSpec:
    return {
        "hours": plan.hours,
        "targets": tuple(_target(t) for t in plan.targets),
        "escalation": _ladder(plan.escalation),
        "source_line": _line(plan.span),
    }


def _addon(addon: model.Addon) -> AddonSpec:
    return {
        "for_plans": tuple(addon.for_plans),
        "targets": tuple(_target(t) for t in addon.targets),
        "source_line": _line(addon.span),
    }


def _channel(channel: model.Channel) -> ChannelSpec:
    return {
        "hours": channel.hours,
        "default_priority": channel.default_priority,
        "only_priorities": tuple(channel.only_priorities),
        "targets": tuple(_target(t) for t in channel.targets),
        "source_line": _line(channel.span),
    }


def _service(service: model.Service) -> ServiceSpec:
    availability = service.availability
    maintenance = service.maintenance
    how, events = service.downtime_start or ("start", ())
    spec: ServiceSpec = {
        "target_percent": availability.target if availability else None,
        "period": availability.period if availability else None,
        "first_month": availability.first_month if availability else 1,
        "rolling_days": availability.rolling_days if availability else None,
        "before_claim": availability.before_claim if availability else False,
        "billing": availability.billing if availability else False,
        "activated": availability.activated if availability else None,
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
        "counting": _counting(service.counting),
        "partial_fee": service.partial_fee,
        "counts": None if service.counts is None else {
            "name": service.counts.name, "interval": service.counts.interval, "rule": service.counts.rule,
            "threshold": service.counts.threshold, "inclusive": service.counts.inclusive,
            "window": service.counts.window},
        "maintenance_windows": tuple(_maintenance_window(w) for w in service.maintenance_windows),
    }
    if service.credit_choice is not None:
        spec["credit_choice"] = service.credit_choice
    return spec


def _maintenance_window(window: model.MaintenanceWindow) -> MaintenanceWindowSpec:
    return {"start": window.start, "end": window.end, "backup": window.backup, "scopes": window.scopes,
            "source_line": _line(window.span)}


def _life(life: model.CreditLife | None) -> CreditLifeSpec | None:
    if life is None:
        return None
    return {"claim_at": life.claim_at, "claim_includes": life.claim_includes, "post": life.post,
            "post_days": life.post_days, "expire": life.expire, "expire_count": life.expire_count,
            "expire_unit": life.expire_unit, "contract_end": life.contract_end}


def _counting(counting: model.Counting) -> CountingSpec:
    minimum, sampling, scopes = counting.minimum, counting.sampling, counting.scopes
    return {
        "minimum": None if minimum is None else (minimum.rule, minimum.seconds),
        "interval": None if sampling is None else sampling.seconds,
        "interval_threshold": None if sampling is None else sampling.threshold,
        "impact": counting.impact,
        "scope": None if scopes is None else scopes.kind,
        "scopes": () if scopes is None else scopes.names,
        "overall": "each" if scopes is None else scopes.overall,
    }


def _credit(scheme: model.CreditScheme) -> CreditSpec:
    spec = _credit_core(scheme)
    fee_scope = getattr(scheme, "fee_scope", None)
    if fee_scope is not None:  # `fee of the affected region`; absent otherwise (older modules)
        spec["fee_scope"] = fee_scope  # type: ignore[typeddict-unknown-key]
    return spec


def _credit_core(scheme: model.CreditScheme) -> CreditSpec:
    claim, line = scheme.claim, _line(scheme.span)
    window = scheme.claim_window
    claim_within = None if window is None else (window.count, window.unit)
    if isinstance(scheme, model.TieredCredit):
        rows = tuple((r.low, r.high, r.credit, r.below, _line(r.span)) for r in scheme.rows)
        return {"kind": "tiered", "basis": scheme.basis, "gaps": scheme.gaps, "rows": rows,
                "caps": _caps(scheme), "claim": claim, "claim_within": claim_within,
                "life": _life(scheme.life), "source_line": line}
    if isinstance(scheme, model.PerOutageCredit):
        return {
            "kind": "per_outage",
            "grace": scheme.grace,
            "rounding": scheme.rounding,
            "period": scheme.period,
            "amounts": tuple(_amount(a) for a in scheme.amounts),
            "caps": _caps(scheme),
            "claim": claim,
            "claim_within": claim_within,
            "life": _life(scheme.life),
            "source_line": line,
        }
    if isinstance(scheme, model.BandCredit):
        bands = tuple((b.low, b.over, b.high, b.below, _amount(b.amount), _line(b.span))
                      for b in scheme.bands)
        return {"kind": "bands", "bands": bands, "gaps": scheme.gaps, "caps": _caps(scheme),
                "claim": claim, "claim_within": claim_within, "life": _life(scheme.life),
                "source_line": line}
    if isinstance(scheme, model.ExtensionCredit):
        return {"kind": "extension", "scope": scheme.scope, "caps": _caps(scheme), "claim": claim,
                "claim_within": claim_within, "life": _life(scheme.life), "source_line": line}
    if isinstance(scheme, model.FeeMultipleCredit | model.HourlyRateCredit | model.DeviceCredit):
        return _formula(scheme, claim, claim_within, line)
    raise TypeError(f"unknown credit scheme {type(scheme).__name__}")


def _money(money: model.Money | None) -> tuple[str, Fraction] | None:
    return None if money is None else (money.currency, money.amount)


def _formula(scheme: model.FormulaCredit, claim: str | None, claim_within: tuple[int, str] | None,
             line: int | None) -> CreditSpec:
    """The spec of a credit formula (docs/semantics.md "Credit formulas")."""
    if isinstance(scheme, model.FeeMultipleCredit):
        return {"kind": "fee_multiple", "multiplier": scheme.multiplier, "basis": scheme.basis,
                "caps": _caps(scheme), "claim": claim, "claim_within": claim_within, "life": _life(scheme.life),
                "source_line": line}
    if isinstance(scheme, model.HourlyRateCredit):
        return {"kind": "hourly_rate", "rate": _money(scheme.rate), "rounding": scheme.rounding,
                "caps": _caps(scheme), "claim": claim, "claim_within": claim_within, "life": _life(scheme.life),
                "source_line": line}
    share = scheme.prorated
    return {"kind": "per_device", "per_device": _money(scheme.per_device),
            "prorated": None if share is None else (share.kind, share.value, share.basis, share.text),
            "devices": scheme.devices, "caps": _caps(scheme), "claim": claim,
            "claim_within": claim_within, "life": _life(scheme.life), "source_line": line}


def _amount(share: model.Share) -> AmountSpec:
    return (share.kind, share.value, share.basis, share.text)


def _caps(scheme: model.CreditScheme) -> tuple[CapSpec, ...]:
    return tuple((share.value, share.basis, per, share.text) for share, per in scheme.caps)
