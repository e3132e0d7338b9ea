"""Penalties on ticket breaches (docs/semantics.md "Penalties on ticket breaches").

`penalty more than 4 breaches of respond priority Critical per quarter fiscal from Feb -> 20% of
monthly fee`: the tickets of each period (the one they were opened in, in the contract's zone)
whose first-response verdict is `breached` are counted; a period with more than 4 owes the
amount. Pending and not-judged verdicts are not breaches: they are reported beside the count,
never in it. `PenaltyTally` is the one count, fed by `Evaluator.penalties` (ticket by ticket) and
by `sladsl eval --penalties` (the batch path's verdicts) alike. Part of the runtime: standard
library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from sladsl.runtime.availability import period_label
from sladsl.runtime.zones import parse_zone

__all__ = ["PenaltyTally", "period_label"]

Result = dict[str, Any]
_COUNTED = ("met", "breached", "pending", "not judged")


class PenaltyTally:
    """Verdicts counted per penalty and period; `report()` says which periods owe the penalty."""

    def __init__(self, penalties: Iterable[Mapping[str, Any]]) -> None:
        self.penalties = tuple(penalties)
        self.zones = {p["zone"]: parse_zone(p["zone"]) for p in self.penalties}
        # (penalty index, period label) -> [met, breached, pending, not judged]
        self.counts: dict[tuple[int, str], list[int]] = {}

    def add(self, opened_us: int, priority: str | None, metric: str, status: str) -> None:
        """One verdict: a ticket opened at `opened_us` (UTC microseconds), its priority, the
        metric judged and its status (`met`, `breached`, `pending`, `not judged`)."""
        for index, penalty in enumerate(self.penalties):
            if penalty["metric"] != metric:
                continue
            if penalty["priorities"] and priority not in penalty["priorities"]:
                continue
            zone = self.zones[penalty["zone"]]
            local = datetime.fromtimestamp(opened_us // 1_000_000, timezone.utc).astimezone(zone)
            label = period_label(penalty["period"], local, penalty["first_month"])
            counts = self.counts.setdefault((index, label), [0, 0, 0, 0])
            counts[_COUNTED.index(status)] += 1

    def report(self) -> list[Result]:
        """Per penalty (contract order), per period with a verdict (in order): the counts, whether
        the breaches exceed the threshold, and the amount owed (None when not)."""
        out = []
        for index, penalty in enumerate(self.penalties):
            periods = []
            for (which, label), (met, breached, pending, not_judged) in sorted(self.counts.items()):
                if which != index:
                    continue
                owed = breached > penalty["more_than"]
                periods.append({"period": label, "breached": breached, "met": met, "pending": pending,
                                "not_judged": not_judged, "owed": owed,
                                "amount": penalty["amount"] if owed else None})
            out.append({"text": penalty["text"], "metric": penalty["metric"],
                        "priorities": penalty["priorities"], "per": penalty["period"],
                        "more_than": penalty["more_than"], "source_line": penalty["source_line"],
                        "periods": periods})
        return out
