"""Coverage that changes at the restoration: `resolve 8h within 24x7 until restored then office`
(docs/semantics.md "Coverage that changes at the restoration").

Part of the runtime (standard library only). A `Restored` is the business clock of one ticket
whose target counts in one calendar until the service was restored and in another from then on:
business time before the restoration instant is read on `before`, from it on `after`. It answers
the epoch-second calendar calls the verdict rules make (`add_epoch`, `elapsed_epoch`), so the
same rules (`due_epoch`, `cycles_verdict`, `cadence_verdict`, the live view) judge such a ticket
with it in place of the target's calendar. Business-day targets never reach it (the checker
refuses them, E509: business days count the dates of one calendar).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sladsl.runtime.clock import Calendar

__all__ = ["Restored"]


class Restored:
    """Business time on `before` until `at` (epoch seconds), on `after` from `at` on."""

    __slots__ = ("before", "after", "at", "zone")

    def __init__(self, before: Calendar, after: Calendar, at: int) -> None:
        self.before, self.after, self.at = before, after, at
        self.zone = before.zone  # instants are shown in the target's own calendar zone

    def elapsed_epoch(self, s: int, e: int, pauses: Iterable[Sequence[Any]] = ()) -> int:
        """Business time in [s, e), pauses excluded: the part before `at` on `before`, the
        rest on `after`."""
        pauses = list(pauses)
        total = 0
        if s < self.at:
            total += self.before.elapsed_epoch(s, min(e, self.at), pauses)
        if e > self.at:
            total += self.after.elapsed_epoch(max(s, self.at), e, pauses)
        return total

    def add_epoch(self, t: int, seconds: int, pauses: Iterable[Sequence[Any]] = ()) -> int:
        """The earliest instant at which `seconds` of business time have elapsed since `t`.

        Counted on `before` when that is reached by the restoration (at `at` at the latest);
        otherwise what `before` counted up to `at` is used, and the rest counts on `after` from
        `at` (SEMANTICS.md "Due instants": a due instant on a close stays on the close)."""
        pauses = list(pauses)
        if t >= self.at:
            return self.after.add_epoch(t, seconds, pauses)
        due = self.before.add_epoch(t, seconds, pauses)
        if due <= self.at:
            return due
        used = self.before.elapsed_epoch(t, self.at, pauses)
        return self.after.add_epoch(self.at, seconds - used, pauses)

    def add_business_days_epoch(self, t: int, n: int) -> int:
        raise ValueError("a target counted in business days cannot change its hours at the "
                         "restoration (business days count the dates of one calendar)")
