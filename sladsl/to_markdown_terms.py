"""Document sentences for dated maintenance windows and the life of credits (where and how to
claim, posting, expiry): part of the Markdown stage (`to_markdown.py` registers them as template
globals). Contract text (addresses, claim contents) is untrusted and leaves through `md`."""

from __future__ import annotations

from typing import Any

from sladsl import model


def md(value: object) -> str:
    from sladsl.to_markdown import md as escape  # the stage's one escape (imported late: no cycle)
    return escape(value)


def source_note(span: Any) -> str:
    from sladsl.to_markdown import source_note as note
    return note(span)

_UNIT_WORDS = {"day": ("day", "days"), "month": ("month", "months"), "year": ("year", "years")}


def _window(text: str, zone: str) -> str:
    day, _, times = text.partition(" ")
    return f"{day} {times} ({zone})"  # dates and times the grammar admits: nothing to escape


def maintenance_window_lines(service: model.Service) -> list[str]:
    """One bullet per dated window, and one saying what the windows do."""
    windows = service.maintenance_windows
    if not windows or service.availability is None:
        return []
    zone = md(service.availability.zone)
    kind = service.counting.scopes.kind if service.counting.scopes else "scope"
    lines = []
    for window in windows:
        text = f"Maintenance window: {_window(window.text, zone)}"
        if window.backup_text is not None:
            text += f"; if it is not used, the backup window {_window(window.backup_text, zone)}"
        if window.scopes:
            names = ", ".join(md(n) for n in window.scopes)
            text += (f". During the window only these {md(kind)}s may be unavailable: {names}; "
                     f"outages of any other {md(kind)} count as downtime")
        lines.append(text + "." + source_note(window.span))
    rest = ("is counted against the allowance above" if service.maintenance is not None
            else "counts as downtime")
    lines.append("Downtime inside a maintenance window that was used for maintenance does not count "
                 "(a backup window only when its primary window was not used); maintenance outside "
                 f"the windows {rest}.")
    return lines


def credit_life_lines(contract: model.Contract, credit: model.CreditScheme) -> list[str]:
    """Where and how to claim, when the credit is posted and when it expires."""
    life = getattr(credit, "life", None)
    if life is None:
        return []
    lines = []
    if life.claim_at:
        lines.append(f"Send claims to: {md(life.claim_at)}.")
    if life.claim_includes:
        lines.append("A claim must include: " + "; ".join(md(item) for item in life.claim_includes) + ".")
    if life.post == "within":
        lines.append(f"Posting: the credit is posted within {_count(life.post_days or 0, 'day')} of an approved claim.")
    elif life.post == "next_invoice":
        lines.append("Posting: the credit is applied to the first invoice issued after an approved claim.")
    if life.expire == "after_issue":
        lines.append(f"Expiry: an unused credit expires {_count(life.expire_count or 0, life.expire_unit or 'day')} "
                     "after it is posted.")
    elif life.expire == "contract_end":
        end = f" ({life.contract_end.isoformat()})" if life.contract_end else ""
        lines.append(f"Expiry: an unused credit expires at the end of this contract{end}.")
    return [line + source_note(life.span) for line in lines]


def _count(count: int, unit: str) -> str:
    one, many = _UNIT_WORDS[unit]
    return f"{count} {one if count == 1 else many}"
