"""Credits by outage-duration band for the evaluator (docs/semantics.md "Credits by outage duration").

Each outage that starts in the judged period earns the amount of the band its whole length falls
in (`availability.band_credit`); the caps then limit the sum over their own periods, as for every
credit. An amount in days or hours of service is also given as money: a day of service is worth
the fee of the billing period it falls in divided by that period's calendar days (1/31 of
March's monthly fee), so the answer carries `worth_percent` of the `worth_basis` fee.
Part of the runtime: standard library only.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from fractions import Fraction
from types import ModuleType
from typing import Any

__all__ = ["band_units", "band_worth", "chosen_credits", "money_worth"]

# The billing basis -> the period a fee is paid for.
_BILLING_PERIOD = {"monthly": "month", "quarterly": "quarter", "annual": "year"}
_SHOWN = 5  # outages named in the rule text; the rest are counted


def band_units(evaluator: Any, scheme: Any, entry: Any, measured: Any, billing: str,
               av: ModuleType) -> tuple[list[tuple[datetime, Any]], dict[str, Any]]:
    """(one unit per outage starting in the window that falls in a band, the answer's base)."""
    from sladsl.runtime.evaluator import _after, _clock, _credit_base

    lo, hi = measured["bounds"]
    bands = [(low, over, high, below, amount[1]) for low, over, high, below, amount, _line in scheme["bands"]]
    units, said = [], []
    for a, b in measured["merged"]:
        if _after(lo, a) or not _after(hi, a):
            continue  # an outage belongs to the period it starts in, with its whole length
        length = av.downtime((a, b), [(a, b)], measured["cut"])
        index, amount = av.band_credit(length, bands, scheme["gaps"])
        if index is None or amount <= 0:
            continue
        units.append((a, amount))
        said.append(f"{_clock(length)} -> {scheme['bands'][index][4][3]} ({_band_words(scheme['bands'][index])})")
    if not units:
        return [], {}
    kind, _value, basis, _text = scheme["bands"][0][4]
    base = _credit_base(scheme, "days" if kind == "days" else "percent")
    shown = "; ".join(said[:_SHOWN]) + (f"; and {len(said) - _SHOWN} more" if len(said) > _SHOWN else "")
    base.update(basis=basis, periods=len(units),
                rule=f"each outage earns the credit of its duration band: {shown}")
    if scheme["gaps"] is not None:
        base["rule"] += f" (gaps favour the {scheme['gaps']})"
    return units, base


def band_worth(paid_each: list[tuple[datetime, Any]], billing: str, zone: tzinfo, av: ModuleType,
               first_month: int) -> dict[str, Any]:
    """What days of service paid (per outage, after caps) are worth as a share of the `billing`
    fee: each day is 1/N of the fee of the billing period it falls in, N its calendar days."""
    per = _BILLING_PERIOD[billing]
    worth = Fraction(0)
    for instant, days in paid_each:
        period = av.period_containing(per, instant, zone, first_month)
        worth += Fraction(days) * 100 / av.days_in_period(period, zone)
    return {"worth_percent": worth, "worth_basis": billing}


def _band_words(band: Any) -> str:
    from sladsl.runtime.evaluator import _clock

    low, over, high, below = band[:4]
    start = f"over {_clock(low)}" if over else f"{_clock(low)}"
    if high is None:
        return start if over else f"{start} or longer"
    return f"{start} to {'below ' if below else ''}{_clock(high)}"


# ---- one formula or the other (docs/semantics.md "One formula or the other") -----------------

def chosen_credits(credits: list[dict[str, Any]], how: str | None, billing: str, bounds: Any,
                   zone: tzinfo, av: ModuleType, first_month: int) -> list[dict[str, Any]]:
    """The credits of one period the service pays. "greater": only the one worth the most as a
    share of the `billing` fee (the first stated on a tie); "customer": every one, each marked as
    an alternative the customer chooses from; None or "every": each one."""
    if how not in ("greater", "customer") or len(credits) < 2:
        return credits
    if how == "customer":
        for credit in credits:
            credit["choice"] = "customer"
            credit["rule"] += (f"; one of {len(credits)} credits owed for this period: the customer "
                               "chooses one, not both")
        return credits
    worth = [money_worth(credit, billing, bounds, zone, av, first_month) for credit in credits]
    best = max(range(len(credits)), key=lambda i: (worth[i], -i))
    kept = credits[best]
    others = ", ".join(f"{credit['kind']} {_percent(value)}" for i, (credit, value)
                       in enumerate(zip(credits, worth)) if i != best)
    kept["choice"] = "greater"
    kept["rule"] += (f"; the greater of the credits owed for this period, worth {_percent(worth[best])} of "
                     f"the {billing} fee (not paid: {others})")
    return [kept]


def money_worth(credit: dict[str, Any], billing: str, bounds: Any, zone: tzinfo, av: ModuleType,
                first_month: int) -> Fraction:
    """A credit owed as a share of the `billing` fee (percent), to compare two remedies: shares of
    that fee as they are; days of service (or an extension) at the fee / the days of the billing
    period in which the judged period starts, unless the credit says its own worth."""
    if credit.get("amount") is not None:  # money (credit formulas): no share of a fee to compare
        raise ValueError(f"a {credit['kind']} credit is an amount of money and cannot be compared with "
                         "a share of a fee: `pay the greater credit` needs credits paid in fees or days")
    if credit.get("worth_basis") == billing and credit.get("worth_percent") is not None:
        return Fraction(credit["worth_percent"])
    if credit.get("percent") is not None:
        if credit.get("basis") not in (None, billing):
            raise ValueError(f"a {credit['kind']} credit is a share of the {credit['basis']} fee and "
                             f"cannot be compared with a share of the {billing} fee: ask with "
                             f"billing `{credit['basis']}` (uptime --billing {credit['basis']})")
        return Fraction(credit["percent"])
    days = credit.get("days")
    if days is None and credit.get("extension_seconds") is not None:
        days = Fraction(credit["extension_seconds"], 86400)
    if days is None:
        return Fraction(0)
    period = av.period_containing(_BILLING_PERIOD[billing], bounds[0], zone, first_month)
    return Fraction(days) * 100 / int(av.days_in_period(period, zone))


def _percent(value: Fraction) -> str:
    return f"{float(value):.4f}".rstrip("0").rstrip(".") + "%"
