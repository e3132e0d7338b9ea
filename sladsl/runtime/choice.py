"""Choices by ticket attributes: the calendar a ticket's location chooses, the plan its
organisation, tags or channel choose (docs/semantics.md "Calendars and plans chosen by ticket
attributes").

A choice is an ordered tuple of branches `{"when": ((attribute, op, values), ...), "choice":
name}`; the first branch whose conditions all hold applies (Zendesk's ordered SLA policies), a
branch without conditions (`otherwise`) holds for every ticket. `is`: the attribute equals one of
the values; `has`: a multi-valued attribute (`tags`) holds one of them. Values compare ignoring
case and surrounding blanks. Part of the runtime: standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["MULTI_VALUED", "attribute_values", "choose", "describe"]

# Attributes holding several values: Zendesk exports tags space-separated, others comma-separated.
MULTI_VALUED = frozenset({"tags"})
_SEPARATORS = re.compile(r"[\s,]+")

Values = tuple[str, ...]
Branch = Mapping[str, Any]


def attribute_values(attribute: str, raw: object) -> Values:
    """A ticket's value(s) of an attribute, blanks stripped; () when blank or absent.

    `tags` (multi-valued) is a list or a string split at spaces and commas; any other attribute
    is one text. Raises ValueError on a value of another type."""
    if raw is None:
        return ()
    if attribute in MULTI_VALUED:
        items: Iterable[object] = _SEPARATORS.split(raw) if isinstance(raw, str) else raw \
            if isinstance(raw, (list, tuple)) else [raw]
        out = []
        for item in items:
            if not isinstance(item, str):
                raise ValueError(f"`{attribute}` must hold text values, got {type(item).__name__}")
            if item.strip():
                out.append(item.strip())
        return tuple(out)
    if isinstance(raw, (list, tuple)) and len(raw) <= 1:  # as `Ticket.attributes` holds them
        raw = raw[0] if raw else ""
    if not isinstance(raw, str):
        raise ValueError(f"`{attribute}` must be one text value, got {type(raw).__name__}")
    return (raw.strip(),) if raw.strip() else ()


def _holds(condition: Any, values_of: Mapping[str, Values]) -> bool:
    attribute, _op, wanted = condition
    have = {v.casefold() for v in values_of.get(attribute, ())}
    return any(w.casefold() in have for w in wanted)


def choose(branches: Iterable[Branch], values_of: Mapping[str, Values]) -> str | None:
    """The choice of the first branch whose conditions all hold, or None when none does."""
    for branch in branches:
        if all(_holds(c, values_of) for c in branch["when"]):
            return str(branch["choice"])
    return None


def describe(attributes: Iterable[str], values_of: Mapping[str, Values]) -> str:
    """"location `Mars`, tags (none)": the values a choice read, for an error message."""
    parts = []
    for attribute in attributes:
        values = values_of.get(attribute, ())
        shown = " ".join(values) if values else ""
        parts.append(f"{attribute} `{shown}`" if shown else f"{attribute} (blank)")
    return ", ".join(parts)
