"""OpenSLO v1 documents for a contract's availability objectives (`sladsl export openslo`).

Each service with a measured availability target becomes a `Service` and an `SLO` object. The
SLO's indicator is a stub (good and total seconds of service) that the user points at their own
metrics: with it, OpenSLO's `Occurrences` budgeting over a calendar window computes exactly the
uptime sladsl computes from an incident log. What OpenSLO cannot say (credits, maintenance
allowances, what counts as downtime) is named in each SLO's description and in docs/openslo.md.

Every field of a service and of its availability target is classified below as mapped or not
mapped; a field this module does not know (a new language construct) stops the export instead of
being dropped silently.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from fractions import Fraction

import attrs

from sladsl import model

API_VERSION = "openslo/v1"

# OpenSLO duration shorthands of the calendar-aligned windows sladsl's periods are.
PERIOD_DURATIONS = {"week": "1w", "month": "1M", "quarter": "1Q", "year": "1Y"}

# Where no effective date anchors the calendar window, periods are aligned from this day.
DEFAULT_ANCHOR = date(2000, 1, 1)

# Fields of `model.AvailabilityTarget` and `model.Service`: how each reaches the export.
AVAILABILITY_FIELDS = {
    "target": "objective target",
    "period": "calendar window duration",
    "zone": "calendar window time zone",
    "first_month": "calendar window start (fiscal quarters and years)",
    "not_rolling": "isRolling: false",
    "rolling_days": "rolling window duration (isRolling: true)",
    "before_claim": "description (the window before a claim date)",
    "billing": "calendar window starting on the activation day (description: month-end rule)",
    "activated": "calendar window start time",
    "best_effort": "no objective is exported for a best-effort target",
    "measured_at": "description",
    "span": "not content",
}
SERVICE_FIELDS = {  # field: None when mapped, else how the description names what is left out
    "name": None,
    "availability": None,
    "span": None,
    "downtime_means": "what counts as downtime",
    "downtime_start": "when downtime starts",
    "maintenance": "the maintenance allowance",
    "monitors": "how the service is monitored",
    "credits": "service credits",
    "credit_choice": "which of several service credits are paid",
    "commitments": "other commitments",
    "prose": None,  # policies and exclusions as text: the published document carries them
    "counting": "the minimum outage, sampling intervals, impact weighting and measurement scopes",
    "partial_fee": "how the credit of a partial period is prorated",
    "counts": None,  # a ratio indicator of good and total executions (Occurrences or Timeslices)
    "maintenance_windows": "the dated maintenance windows",
}

_NAME_LIMIT = 63  # RFC 1123 label, as OpenSLO asks of `metadata.name`
_DESCRIPTION_LIMIT = 1050


class ExportError(ValueError):
    """The contract has something OpenSLO v1 cannot state faithfully."""


def to_openslo(contract: model.Contract) -> tuple[list[dict], list[str]]:
    """The OpenSLO documents of every exportable objective, and notes on what was left out.

    Raises ExportError when the contract has no objective to export, or one that cannot be
    stated (a zone OpenSLO cannot name, a 100% target, a field this exporter does not know)."""
    documents: list[dict] = []
    notes: list[str] = []
    names: set[str] = set()
    for service in contract.services:
        _check_known(service)
        availability = service.availability
        if availability is None:
            continue
        if availability.best_effort:
            notes.append(f"service {service.name!r}: best effort, no objective to export")
            continue
        if service.counts is not None and (service.counts.rule == "average" or service.counts.inclusive):
            what = ("the average of per-window error rates" if service.counts.rule == "average"
                    else "an interval down when its error rate reaches a threshold")
            notes.append(f"service {service.name!r}: {what} has no OpenSLO form (Timeslices judge a slice "
                         "good when its ratio is at least a target), so it is not exported")
            continue
        if availability.billing and availability.activated is None:
            notes.append(f"service {service.name!r}: billing periods start on an activation day the "
                         "contract does not state (`from activation`), so no calendar window can be exported")
            continue
        service_name = _unique(_slug(service.name, "service"), names)
        slo_name = _unique(_slug(f"{service_name}-availability", "availability"), names)
        documents.append(_service_document(contract, service, service_name))
        documents.append(_slo_document(contract, service, availability, service_name, slo_name))
        left_out = _left_out(service)
        if left_out:
            notes.append(f"service {service.name!r}: not in OpenSLO: {', '.join(left_out)}")
    if not documents:
        raise ExportError("the contract has no measured availability target to export")
    return documents, notes


def dump(documents: list[dict]) -> str:
    """The documents as one YAML stream (PyYAML quotes every untrusted string it must)."""
    import yaml

    return yaml.safe_dump_all(documents, sort_keys=False, allow_unicode=True, width=100)


def _check_known(service: model.Service) -> None:
    for value, known in ((service, SERVICE_FIELDS), (service.availability, AVAILABILITY_FIELDS)):
        if value is None:
            continue
        unknown = [f.name for f in attrs.fields(type(value)) if f.name not in known]
        if unknown:
            raise ExportError(f"service {service.name!r} uses {', '.join(unknown)}, which the "
                              "OpenSLO export does not know how to state")


def _service_document(contract: model.Contract, service: model.Service, name: str) -> dict:
    title = contract.title or contract.name
    return {
        "apiVersion": API_VERSION,
        "kind": "Service",
        "metadata": {"name": name, "displayName": service.name},
        "spec": {"description": _clip(f"{service.name}, as promised in {title}.")},
    }


def _slo_document(contract: model.Contract, service: model.Service,
                  availability: model.AvailabilityTarget, service_name: str, name: str) -> dict:
    return {
        "apiVersion": API_VERSION,
        "kind": "SLO",
        "metadata": {"name": name, "displayName": f"{service.name} availability"},
        "spec": {
            "description": _description(contract, service, availability),
            "service": service_name,
            "indicator": _indicator(service, name),
            "timeWindow": [_time_window(contract, availability)],
            **_budgeting(service, availability),
        },
    }


def _budgeting(service: model.Service, availability: model.AvailabilityTarget) -> dict:
    """Occurrences of good seconds (or good executions, for `good / total`); a service down per
    interval over an error rate is judged in Timeslices: a slice is good when good / total is at
    least 1 - the threshold, which is `error rate above` the threshold exactly."""
    objective: dict = {"displayName": "SLA", "target": _ratio(availability.target)}
    counts = service.counts
    if counts is None or counts.rule == "ratio":
        return {"budgetingMethod": "Occurrences", "objectives": [objective]}
    objective["timeSliceTarget"] = _ratio(100 - (counts.threshold or Fraction(0)), bounds="[0, 1]")
    objective["timeSliceWindow"] = _short_duration(counts.interval)
    return {"budgetingMethod": "Timeslices", "objectives": [objective]}


def _short_duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _indicator(service: model.Service, slo_name: str) -> dict:
    """A stub: one event per second of service, good when the service was available; for a
    service measured by counts, its good and total executions."""
    if service.counts is not None:
        return _counts_indicator(service, slo_name)

    def source(what: str) -> dict:
        return {"metricSource": {"type": "Any", "spec": {
            "query": f"seconds of {what} of {service.name} (replace with your metric)"}}}

    return {
        "metadata": {"name": _slug(f"{slo_name}-uptime", "uptime"),
                     "displayName": f"Seconds {service.name} was available"},
        "spec": {"ratioMetric": {"counter": True, "good": source("availability"),
                                 "total": source("service time")}},
    }


def _counts_indicator(service: model.Service, slo_name: str) -> dict:
    counts = service.counts
    assert counts is not None

    def source(what: str) -> dict:
        return {"metricSource": {"type": "Any", "spec": {
            "query": f"{what} {counts.name} of {service.name} (replace with your metric)"}}}

    return {
        "metadata": {"name": _slug(f"{slo_name}-{counts.name}", "counts"),
                     "displayName": f"Good {counts.name} of {service.name}"},
        "spec": {"ratioMetric": {"counter": True, "good": source("good"), "total": source("total")}},
    }


def _time_window(contract: model.Contract, availability: model.AvailabilityTarget) -> dict:
    if availability.rolling_days is not None:
        return {"duration": f"{availability.rolling_days}d", "isRolling": True}
    start = (availability.activated if availability.billing and availability.activated
             else _period_start(contract.effective or DEFAULT_ANCHOR, availability))
    return {
        "duration": PERIOD_DURATIONS[availability.period],
        "isRolling": False,
        "calendar": {"startTime": f"{start.isoformat()} 00:00:00",
                     "timeZone": iana_zone(availability.zone)},
    }


def _period_start(anchor: date, availability: model.AvailabilityTarget) -> date:
    """The first day of the period containing `anchor` (fiscal periods from their first month)."""
    if availability.period == "week":
        return anchor - timedelta(days=anchor.weekday())
    if availability.period == "month":
        return anchor.replace(day=1)
    length = 3 if availability.period == "quarter" else 12
    months_in = (anchor.month - availability.first_month) % length
    month_index = anchor.year * 12 + anchor.month - 1 - months_in
    return date(month_index // 12, month_index % 12 + 1, 1)


_FIXED_OFFSET = re.compile(r"UTC([+-])(\d{2}):(\d{2})")


def iana_zone(zone: str) -> str:
    """The IANA name OpenSLO wants for a zone in the runtime form (`Asia/Bangkok`, `UTC+07:00`).

    Whole-hour offsets have POSIX names with the sign inverted (`UTC+07:00` is `Etc/GMT-7`);
    offsets with minutes have none, so they are refused rather than rounded."""
    if zone in ("UTC", "GMT"):
        return "UTC"
    match = _FIXED_OFFSET.fullmatch(zone)
    if match is None:
        return zone
    sign, hours, minutes = match.groups()
    if minutes != "00":
        raise ExportError(f"the zone {zone} has no IANA name (OpenSLO needs one); "
                          "state the contract's zone as an IANA name such as Asia/Kolkata")
    if hours == "00":
        return "UTC"
    return f"Etc/GMT{'-' if sign == '+' else '+'}{int(hours)}"


def _ratio(percent: Fraction, bounds: str = "(0, 1)") -> float:
    ratio = percent / 100
    if not (0 < ratio < 1 if bounds == "(0, 1)" else 0 <= ratio <= 1):
        raise ExportError(f"an objective of {float(percent):g}% cannot be stated in OpenSLO, "
                          "whose targets lie strictly between 0 and 1")
    value = float(ratio)
    if Fraction(value) != ratio and Fraction(repr(value)) != ratio:
        raise ExportError(f"the objective {percent}% has no exact decimal form")
    return value


def _description(contract: model.Contract, service: model.Service,
                 availability: model.AvailabilityTarget) -> str:
    period = availability.period
    if availability.rolling_days is not None:
        period = f"rolling window of {availability.rolling_days} days" + (
            " before a claim date" if availability.before_claim else "")
    if availability.first_month != 1 and period in ("quarter", "year"):
        period = f"fiscal {period} (from month {availability.first_month})"
    if availability.billing:
        period = (f"billing {period} from the activation day; in a month without that day the period "
                  "starts on the month's last day")
    per = "over a" if availability.rolling_days is not None else "per" if availability.billing else "per calendar"
    text = (f"{_percent(availability.target)} availability of {service.name} {per} "
            f"{period} in {availability.zone}")
    if availability.measured_at:
        text += f", measured at {availability.measured_at}"
    text += f" ({contract.title or contract.name})."
    left_out = _left_out(service)
    if left_out:
        text += (" Not stated here, computed by `sladsl uptime`: " + ", ".join(left_out) + ".")
    return _clip(text)


def _left_out(service: model.Service) -> list[str]:
    """What the service states beyond its defaults that OpenSLO has no field for."""
    defaults = {field.name: field.default for field in attrs.fields(model.Service)}
    return [what for field, what in SERVICE_FIELDS.items()
            if what is not None and getattr(service, field) != defaults[field]]


def _percent(value: Fraction) -> str:
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:_NAME_LIMIT].rstrip("-")
    return slug or fallback


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = name[:_NAME_LIMIT - len(suffix)].rstrip("-") + suffix
        number += 1
    taken.add(candidate)
    return candidate


def _clip(text: str) -> str:
    return text if len(text) <= _DESCRIPTION_LIMIT else text[:_DESCRIPTION_LIMIT - 1] + "…"
