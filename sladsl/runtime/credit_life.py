"""When a credit is posted and until when it can be used (docs/semantics.md "Credit posting and
expiry").

From the claim date of a period's credit (the earliest granted claim on or after the period's end,
or the claim date a `before claim` window is judged at):
- `post within N days after claim`: posted by the claim date + N days (`posted_by`);
- `post on next invoice`: posted on the first invoice after the claim day, an invoice being issued
  at the start of each billing cycle, the service's own period (`posted_on`);
- `expire N days|months|years after issue`: usable up to the day before the posting day + N units
  (a month later is the same day of the month, or the month's last day when it has none); from
  `posted_by` the date is the latest the credit can expire;
- `expire at contract end`: usable up to the contract's last day (`until`).
A claim after the credit's `claim_by` is late: nothing is posted. Part of the runtime: standard
library only.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sladsl.runtime.zones import wall_to_epoch

__all__ = ["add_units", "claim_days", "takes_claims", "with_life"]


def add_units(day: date, count: int, unit: str) -> date:
    """`day` + `count` days, months or years; a month or year later keeps the day of the month,
    or takes the month's last day when it has none (31 January + 1 month = 28 or 29 February)."""
    if unit == "day":
        return day + timedelta(days=count)
    months = count * (12 if unit == "year" else 1)
    if unit not in ("month", "year"):
        raise ValueError(f"unknown unit `{unit}`: use day, month or year")
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def claim_days(claims: Iterable[Any]) -> tuple[date, ...]:
    """Claim dates (`date` or `YYYY-MM-DD`), sorted and without repeats."""
    out = set()
    for value in claims:
        if isinstance(value, date) and not isinstance(value, datetime):
            out.add(value)
            continue
        try:
            out.add(date.fromisoformat(str(value).strip()))
        except ValueError:
            raise ValueError(f"invalid claim date {value!r}: give a date such as `2026-05-01`") from None
    return tuple(sorted(out))


def takes_claims(entry: Any) -> bool:
    """Whether some credit of a service posts from a claim date (so claim dates mean something
    for a service measured per calendar period)."""
    return any((scheme.get("life") or {}).get("post") for scheme in entry["credits"])


def _claimed_on(period_end: datetime, zone: tzinfo, claims: tuple[date, ...], before_claim: bool) -> date | None:
    first = period_end.astimezone(zone).date()  # the period ends at a local midnight: its first day after
    if before_claim:
        return first  # a window judged at a claim date ends at that date's midnight
    return next((day for day in claims if day >= first), None)


def _next_invoice(claimed: date, entry: Any, zone: tzinfo, av: Any) -> date:
    """The first day of the period after the one holding the claim date: calendar periods, or
    billing periods from the activation day."""
    if entry["billing"]:
        anchor, months = entry["activated"], av.BILLING_MONTHS[entry["period"]]
        first: date = av.billing_start(anchor, av.billing_index(anchor, claimed, months) + 1, months)
        return first
    start = datetime.fromtimestamp(wall_to_epoch(zone, datetime(claimed.year, claimed.month, claimed.day)), zone)
    invoice: datetime = av.period_containing(entry["period"], start, zone, entry["first_month"])[1]
    return invoice.astimezone(zone).date()


def with_life(credit: dict[str, Any], scheme: Any, entry: Any, period_end: datetime, zone: tzinfo,
              claims: tuple[date, ...], av: Any) -> dict[str, Any]:
    """The credit with where and how to claim it, and, given its claim date, when it is posted and
    until when it can be used. `av` is `sladsl.runtime.availability`."""
    life = scheme.get("life")
    if life is None:
        return credit
    credit["claim_at"], credit["claim_includes"] = life["claim_at"], life["claim_includes"]
    claimed = _claimed_on(period_end, zone, claims, entry["before_claim"])
    if claimed is None or not life["post"]:
        return credit
    credit["claimed_on"] = claimed
    if credit.get("claim_by") is not None and claimed > credit["claim_by"]:
        credit["claim_late"] = True  # claimed after the window closed: nothing is posted
        return credit
    if life["post"] == "within":
        credit["posted_by"] = issue = claimed + timedelta(days=life["post_days"])
    else:
        credit["posted_on"] = issue = _next_invoice(claimed, entry, zone, av)
    if life["expire"] == "after_issue":
        credit["usable_until"] = add_units(issue, life["expire_count"], life["expire_unit"]) - timedelta(days=1)
    elif life["expire"] == "contract_end" and life["contract_end"] is not None:
        credit["usable_until"] = life["contract_end"]
    return credit
