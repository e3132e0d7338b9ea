"""The published words of credit formulas (docs/semantics.md "Credit formulas"): a multiple of
the fees paid during the downtime, lost time x an hourly rate, a flat credit per violation by
affected device. `to_markdown` registers `formula_heading` and `formula_lines` for the template."""

from __future__ import annotations

from fractions import Fraction

from sladsl import model
from sladsl.to_markdown import fmt_money, fmt_share, md, percent, period_noun

__all__ = ["FORMULA_CREDITS", "formula_heading", "formula_lines", "penalty_lines"]

FORMULA_CREDITS = (model.FeeMultipleCredit, model.HourlyRateCredit, model.DeviceCredit)
_FEE = {"monthly": ("monthly fee", "calendar month", 30 * 86400, "a 30-day month"),
        "annual": ("annual fee", "calendar year", 365 * 86400, "a 365-day year")}
_HOURS = {"started": "each started hour of downtime (an hour begun counts in full)",
          "whole": "each whole hour of downtime (a part of an hour earns nothing)",
          "exact": "each hour of downtime, parts of an hour pro rata"}


def formula_heading(credit) -> str:
    if isinstance(credit, model.FeeMultipleCredit):
        return "Service credits: a multiple of the fees for the downtime"
    if isinstance(credit, model.HourlyRateCredit):
        return "Service credits: lost time at an hourly rate"
    return "Service credits per violation"


def formula_lines(credit, availability: model.AvailabilityTarget | None) -> list[str]:
    """The bullets that state how the credit is computed, with an example."""
    noun = period_noun(availability)
    if isinstance(credit, model.FeeMultipleCredit):
        fee, period, seconds, example = _FEE[credit.basis]
        multiplier = md(credit.text)
        one_hour = credit.multiplier * 100 * Fraction(3600, seconds)
        return [f"When a {noun} misses the target, the credit is {multiplier} times the {fee} paid "
                f"during the downtime: {multiplier} x the {fee} x the downtime / the length of the "
                f"{period} in which it falls.",
                f"For example, one hour of downtime in {example} is credited as {percent(one_hour)} of "
                f"the {fee}."]
    if isinstance(credit, model.HourlyRateCredit):
        rate = fmt_money(credit.rate) if credit.rate is not None else "the hourly rate agreed in your order"
        return [f"When a {noun} misses the target, the credit is {rate} for {_HOURS[credit.rounding]} "
                f"in that {noun}."]
    return _device_lines(credit)


_METRIC_NOUNS = {"response": "first responses", "resolution": "resolutions", "update": "updates",
                 "pickup": "pickups"}
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


def penalty_lines(contract: model.Contract) -> list[str]:
    """One sentence per penalty on ticket breaches, and how tickets are counted."""
    lines = []
    for penalty in contract.penalties:
        noun = _METRIC_NOUNS.get(penalty.metric, md(penalty.metric))
        which = (" to " + ", ".join(md(p) for p in penalty.priorities[:-1])
                 + (" or " if len(penalty.priorities) > 1 else "") + md(penalty.priorities[-1])
                 + " tickets") if penalty.priorities else ""
        fiscal = (f" (fiscal {penalty.period}s starting in {_MONTH_NAMES[penalty.first_month - 1]})"
                  if penalty.first_month != 1 else "")
        lines.append(f"If more than {penalty.more_than:,} {noun}{which} miss their target in a "
                     f"{penalty.period}{fiscal}, we credit {fmt_share(penalty.amount)} for that "
                     f"{penalty.period}.")
    if lines:
        lines.append(f"A ticket counts in the period in which it was opened ({md(contract.dates_zone)} "
                     "time). A ticket still within its target, or one whose target cannot be judged, "
                     "is not counted as missed.")
    return lines


def _device_lines(credit: model.DeviceCredit) -> list[str]:
    head = ("Each outage that counts as downtime is a violation, credited in the period in which it "
            "starts.")
    if credit.per_device is not None:
        return [head, f"A violation earns {fmt_money(credit.per_device)} for each device it affected."]
    assert credit.prorated is not None
    devices = (f"{credit.devices:,} devices" if credit.devices is not None
               else "the number of devices covered by your order")
    return [head, f"A violation earns {fmt_share(credit.prorated)} x the number of devices it affected / "
                  f"{devices}."]
