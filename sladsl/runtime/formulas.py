"""Credit formulas (docs/semantics.md "Credit formulas"): a multiple of the fees paid during the
downtime, lost time x an hourly rate, and a flat credit per violation by affected device.

Each `*_units` function answers one credit for one measured window the way the evaluator's own
credit kinds do: (units, base), units being (instant, raw amount) pairs before caps and base the
credit's answer without its amount (empty: nothing owed). Everything is exact (ints and
`Fraction`s); amounts of money are rounded only to display. Part of the runtime: standard
library only, and no import of the evaluator at module level (it imports this module).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from fractions import Fraction
from types import ModuleType
from typing import Any

__all__ = ["CREDIT_UNITS", "FORMULA_KINDS", "fee_share_of_downtime", "hours_of", "read_terms",
           "parse_money", "parse_devices"]

Result = dict[str, Any]
Interval = tuple[datetime, datetime]
Unit = tuple[datetime, Any]
Units = tuple[list[Unit], Result]

FORMULA_KINDS = ("fee_multiple", "hourly_rate", "per_device")
# The calendar period a fee is paid for, by fee basis.
_FEE_PERIOD = {"monthly": "month", "annual": "year"}


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICRO = timedelta(microseconds=1)


def _micro(instant: datetime) -> int:
    return (instant - _EPOCH) // _MICRO


def _base(scheme: Mapping[str, Any], unit: str) -> Result:
    from sladsl.runtime.evaluator import _credit_base  # the evaluator imports this module

    return _credit_base(scheme, unit)


def _pct(value: Fraction) -> str:
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _hours_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.4f}".rstrip("0")


def _missed(measured: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    return bool(measured["percent"] < entry["target_percent"])


# ---- a multiple of the fees paid during the downtime -------------------------------------------

def fee_share_of_downtime(down_in: Any, bounds: Interval, basis: str, zone: tzinfo,
                          first_month: int, av: ModuleType) -> Fraction:
    """The fee paid during the downtime of `bounds`, as a fraction of one `basis` fee: for each
    calendar month (or year) overlapping the window, the downtime inside both / the length of
    that month (year). A monthly fee over a 31-day month is paid at 1/2,678,400 of it a second."""
    share = Fraction(0)
    for period in av.periods_overlapping(_FEE_PERIOD[basis], bounds, zone, first_month):
        lo = period[0] if _micro(period[0]) > _micro(bounds[0]) else bounds[0]
        hi = period[1] if _micro(period[1]) < _micro(bounds[1]) else bounds[1]
        if _micro(hi) > _micro(lo):
            share += Fraction(down_in((lo, hi))) / Fraction(av.period_seconds(period))
    return share


def fee_multiple_units(evaluator: Any, scheme: Mapping[str, Any], entry: Mapping[str, Any],
                       measured: Mapping[str, Any], billing: str, av: ModuleType) -> Units:
    """In a window that misses its target: multiplier x the fee paid during its downtime, in
    percent of the stated fee."""
    if not _missed(measured, entry):
        return [], {}
    zone = measured["bounds"][0].tzinfo
    share = fee_share_of_downtime(measured["down_in"], measured["bounds"], scheme["basis"], zone,
                                  entry["first_month"], av)
    percent = scheme["multiplier"] * 100 * share
    if percent <= 0:
        return [], {}
    base = _base(scheme, "percent")
    period = _FEE_PERIOD[scheme["basis"]]
    base.update(basis=scheme["basis"], rule=(
        f"uptime {_pct(measured['percent'])} is below the {_pct(entry['target_percent'])} target: "
        f"{_pct(scheme['multiplier'])} x the {scheme['basis']} fee paid during the downtime "
        f"({_pct(100 * share)}% of the {period}'s fee)"))
    return [(measured["bounds"][0], percent)], base


# ---- lost time x an hourly rate -----------------------------------------------------------------

def hours_of(seconds: Any, rounding: str) -> int | Fraction:
    """Downtime in hours: started hours (ceil), whole hours (floor) or exact (a Fraction)."""
    hours = Fraction(seconds) / 3600
    if rounding == "started":
        return math.ceil(hours)
    if rounding == "whole":
        return math.floor(hours)
    if rounding == "exact":
        return hours.numerator if hours.denominator == 1 else hours
    raise ValueError(f"rounding must be 'started', 'whole' or 'exact', got {rounding!r}")


def hourly_rate_units(evaluator: Any, scheme: Mapping[str, Any], entry: Mapping[str, Any],
                      measured: Mapping[str, Any], billing: str, av: ModuleType) -> Units:
    """In a window that misses its target: its downtime in hours (as the contract rounds them)
    x the hourly rate, stated in the contract or given when judging."""
    if not _missed(measured, entry):
        return [], {}
    rate = scheme["rate"] or _terms(measured).get("hourly_rate")
    if rate is None:
        raise ValueError("the contract's credit pays the hourly rate, which it does not state: give "
                         "it (`hourly_rate=(\"USD\", 120)`, `uptime --hourly-rate \"USD 120\"`)")
    currency, amount = rate
    hours = hours_of(measured["down"], scheme["rounding"])
    if hours <= 0:
        return [], {}
    words = {"started": "started hours", "whole": "whole hours", "exact": "hours"}[scheme["rounding"]]
    base = _base(scheme, "money")
    base.update(currency=currency, hours=hours, rule=(
        f"uptime {_pct(measured['percent'])} is below the {_pct(entry['target_percent'])} target: "
        f"{_hours_text(Fraction(hours))} {words} of downtime x {currency} {_money_text(amount)} an hour"))
    return [(measured["bounds"][0], Fraction(hours) * amount)], base


def _money_text(amount: Fraction) -> str:
    return f"{float(amount):,.2f}" if amount.denominator != 1 else f"{amount.numerator:,}"


# ---- a flat credit per violation, by affected device --------------------------------------------

def device_units(evaluator: Any, scheme: Mapping[str, Any], entry: Mapping[str, Any],
                 measured: Mapping[str, Any], billing: str, av: ModuleType) -> Units:
    """One unit per violation: an outage record that starts in the window and has downtime that
    counts there; worth the amount per affected device, or the share x affected / all devices."""
    terms = _terms(measured)
    judged_scope = getattr(measured.get("data"), "scope", None)
    bounds = measured["bounds"]
    total = scheme["devices"] if scheme["devices"] is not None else terms.get("devices")
    if scheme["prorated"] is not None and total is None:
        raise ValueError("the contract's credit is prorated by affected devices but states no number of "
                         "devices: give it (`devices=200`, `uptime --devices 200`)")
    units: list[Unit] = []
    affected_sum = 0
    for row, a, b, scope, devices in terms.get("records", ()):
        if scope is not None and judged_scope is not None and scope != judged_scope:
            continue
        if _micro(a) < _micro(bounds[0]) or _micro(a) >= _micro(bounds[1]):
            continue
        counted = av.intersect_intervals([[(a, b)], measured["merged"]])
        if not counted or not av.downtime(bounds, counted, measured["cut"]):
            continue
        if devices is None:
            raise ValueError(f"outage {row}: no `devices` (the number of devices it affected): the "
                             "contract pays its credit per affected device")
        if total is not None and devices > total:
            raise ValueError(f"outage {row}: `devices` {devices} is more than the {total} devices the "
                             "credit is prorated over")
        affected_sum += devices
        if devices:
            units.append((a, _device_amount(scheme, devices, total)))
    if not units:
        return [], {}
    return units, _device_base(scheme, len(units), affected_sum, total)


def _device_amount(scheme: Mapping[str, Any], devices: int, total: int | None) -> Fraction:
    if scheme["per_device"] is not None:
        return Fraction(scheme["per_device"][1]) * devices
    assert total is not None  # checked by the caller
    return Fraction(scheme["prorated"][1]) * devices / total


def _device_base(scheme: Mapping[str, Any], violations: int, affected: int, total: int | None) -> Result:
    if scheme["per_device"] is not None:
        currency, amount = scheme["per_device"]
        base = _base(scheme, "money")
        base.update(currency=currency, rule=(
            f"{violations} violation(s) affecting {affected} device(s) in all x {currency} "
            f"{_money_text(amount)} per affected device"))
    else:
        kind, _value, basis, text = scheme["prorated"]
        base = _base(scheme, "percent" if kind == "percent" else "days")
        base.update(basis=basis, rule=(
            f"{violations} violation(s), each {text} x its affected devices / {total} devices "
            f"({affected} affected device(s) in all)"))
    base.update(periods=violations)
    return base


# ---- what the judged data brings beyond the outages --------------------------------------------

def _terms(measured: Mapping[str, Any]) -> Mapping[str, Any]:
    data = measured.get("data")
    terms = getattr(data, "terms", None)
    return terms if terms is not None else {}


def parse_money(value: Any, what: str) -> tuple[str, Fraction]:
    """("USD", Fraction(120)) from `("USD", 120)` or `"USD 120"`; a currency is required."""
    if isinstance(value, str):
        parts = value.split()
        if len(parts) != 2:
            raise ValueError(f"{what} {value!r}: write a currency code and an amount, e.g. \"USD 120\"")
        value = (parts[0], parts[1].replace(",", ""))
    try:
        currency, amount = value
        number = Fraction(repr(amount) if isinstance(amount, float) else amount)
    except (TypeError, ValueError, ZeroDivisionError):
        raise ValueError(f"{what} {value!r}: write a currency code and an amount, e.g. \"USD 120\"") from None
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha() and currency.isupper()):
        raise ValueError(f"{what} {value!r}: the currency must be a code such as `USD`")
    if number <= 0:
        raise ValueError(f"{what} {value!r}: the amount must be above zero")
    return currency, number


def parse_devices(value: Any, what: str) -> int | None:
    """A count of devices: a whole number, 0 or more (None: not given)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what} {value!r} is not a number of devices")
    try:
        number = int(value.strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} {value!r} is not a whole number of devices") from None
    if number != value and not isinstance(value, str):
        raise ValueError(f"{what} {value!r} is not a whole number of devices")
    if number < 0:
        raise ValueError(f"{what} {value!r} is below zero")
    return number


def read_terms(evaluator: Any, entry: Mapping[str, Any], outages: Iterable[Any], zone: tzinfo,
               hourly_rate: Any = None, devices: Any = None) -> dict[str, Any]:
    """The terms given when judging (`hourly_rate`, `devices`) and, for a credit per device, each
    outage record's interval, scope and affected devices (read only when such a credit exists)."""
    terms: dict[str, Any] = {}
    if hourly_rate is not None:
        terms["hourly_rate"] = parse_money(hourly_rate, "hourly rate")
    if devices is not None:
        count = parse_devices(devices, "devices")
        if not count:
            raise ValueError(f"devices {devices!r}: a credit is prorated over at least one device")
        terms["devices"] = count
    if any(c["kind"] == "per_device" for c in entry["credits"]):
        records = []
        for index, record in enumerate(outages):
            a, b = evaluator._outage(record, entry["downtime_start"], zone)
            given = record.get("devices") if hasattr(record, "get") else None
            scope = record.get("scope") if hasattr(record, "get") and entry["counting"]["scope"] else None
            count = parse_devices(given, f"outage {index + 1}: devices")
            if _micro(b) > _micro(a):
                records.append((index + 1, a, b, scope or None, count))
        terms["records"] = records
    return terms


CREDIT_UNITS = {"fee_multiple": fee_multiple_units, "hourly_rate": hourly_rate_units,
                "per_device": device_units}
