"""Rules across the checked targets: W101 (response after resolution), W102 (a more severe
priority slower), W203 (a more severe priority counted on fewer hours), W103 (a target's two
figures disagree) and W303 (holidays frozen for years the contract does not cover)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Iterable

from sladsl import ast, model
from sladsl.check.base import CheckerBase
from sladsl.diagnostics import Label

SETTLES_TWO_WAYS = "two_ways"  # the reading topic that settles W103 (docs/diagnostics.md)

# Blocks a `reading two_ways` may stand in, and the origin (model.Target.origin) of their targets;
# a `within` block keeps the origin of the block around it.
_TWO_WAYS_SCOPES: dict[type, Callable[[Any, str], str]] = {
    ast.Plan: lambda stmt, origin: f"plan {stmt.name.text}",
    ast.Addon: lambda stmt, origin: f"addon {stmt.name.text}",
    ast.Channel: lambda stmt, origin: f"channel {stmt.name.text}",
    ast.Within: lambda stmt, origin: origin,
}


class ConsistencyChecks(CheckerBase):
    def approx_seconds(self, duration: model.Duration, calendar: str | None) -> Fraction | None:
        """Business seconds a duration stands for under a calendar (business days at the
        calendar's average business-day length)."""
        if duration.seconds is not None:
            return Fraction(duration.seconds)
        if calendar is None or calendar not in self.calendars:
            return None
        cal = self.calendars[calendar]
        days = cal.business_days_per_week
        return Fraction(cal.weekly_seconds, days) * duration.business_days if days else None

    def consistency(self, targets: Iterable[model.Target], where: str) -> None:
        targets = [t for t in targets if t.proportion is None]
        by_key = {(t.metric, t.priority): t for t in targets}
        for (metric, priority), target in by_key.items():
            if metric == "response" and ("resolution", priority) in by_key:
                resolution = by_key[("resolution", priority)]
                a = self.approx_seconds(target.duration, target.calendar)
                b = self.approx_seconds(resolution.duration, resolution.calendar)
                if a is not None and b is not None and a > b and target.span != resolution.span:
                    self.warn("W101", f"response target `{target.duration.text}` is longer than the "
                              f"resolution target `{resolution.duration.text}` for "
                              f"{_who(priority)} in {where}", target.span,
                              labels=[Label(resolution.span, "the resolution target")],
                              help="a ticket cannot be resolved before it is answered; check the numbers")
        rank = {p: i for i, p in enumerate(self.priority_names)}
        for metric in model.METRICS:
            ranked = sorted((t for t in targets if t.metric == metric and t.priority in rank),
                            key=lambda t: rank[t.priority])
            for severe_index, severe in enumerate(ranked):
                for mild in ranked[severe_index + 1:]:
                    a = self.approx_seconds(severe.duration, severe.calendar)
                    b = self.approx_seconds(mild.duration, mild.calendar)
                    if a is not None and b is not None and a > b and severe.origin == mild.origin:
                        self.warn("W102", f"`{severe.priority}` is more severe than `{mild.priority}` "
                                  f"but its {metric} target `{severe.duration.text}` is slower than "
                                  f"`{mild.duration.text}` in {where}", severe.span,
                                  labels=[Label(mild.span, f"the `{mild.priority}` target")],
                                  help="priorities are listed most severe first; reorder them or "
                                  "fix the targets")
        self.coverage_order(targets, rank, where)
        for target in targets:
            if target.alternative is not None:
                self.two_ways(target, [target.calendar])

    def coverage_order(self, targets: list[model.Target], rank: dict[str, int], where: str) -> None:
        """W203: a more severe priority counted on fewer hours a week than a milder one, for one
        metric in one block (urgent 24x5 while the rest is 24x7 is most likely swapped); one
        warning per metric is enough to look again."""
        for metric in model.METRICS:
            hours = {t.span: self.calendars[t.calendar].weekly_seconds for t in targets
                     if t.metric == metric and t.priority in rank and t.calendar in self.calendars}
            ranked = sorted((t for t in targets if t.span in hours), key=lambda t: rank[t.priority or ""])
            pairs = ((severe, mild) for i, severe in enumerate(ranked) for mild in ranked[i + 1:]
                     if hours[severe.span] < hours[mild.span] and severe.origin == mild.origin)
            found = next(pairs, None)
            if found is None:
                continue
            severe, mild = found
            self.warn("W203", f"`{severe.priority}` is more severe than `{mild.priority}` but its "
                      f"{metric} counts {_week_hours(hours[severe.span])} a week, the milder one "
                      f"{_week_hours(hours[mild.span])} in {where}", severe.span,
                      labels=[Label(mild.span, f"the `{mild.priority}` target")],
                      help="give the severe priority the wider calendar (`within 24x7`), or check "
                      "the order of the priorities")

    def two_ways(self, target: model.Target, calendars: list[str | None]) -> None:
        """W103 once per written target: its two figures differ under some calendar it counts in.

        A `reading two_ways "..." as "..."` in the block that states the target (or in the
        contract's own body) says which figure governs, so it settles the warning there."""
        if target.span in self.two_way_reported:
            return
        if target.origin in self.two_ways_settled or "contract" in self.two_ways_settled:
            return
        first, second = target.duration, target.alternative
        notes = []
        worst = None
        options = (o for c in calendars if c is not None for o in self.calendar_options(c))
        for calendar in sorted(set(options)):
            a = self.approx_seconds(first, calendar)
            b = self.approx_seconds(second, calendar)
            if a is None or b is None or a == b:
                continue
            day = self.calendars[calendar].uniform_day_seconds
            per_day = f" (a business day is {_hours(day)})" if day else ""
            notes.append(f"in calendar `{calendar}`{per_day}: `{first.text}` = {_hours(a)} and "
                         f"`{second.text}` = {_hours(b)} of business time, {_hours(abs(a - b))} apart")
            if worst is None or abs(a - b) > worst[0]:
                worst = (abs(a - b), calendar)
        if not notes:
            return
        self.two_way_reported.add(target.span)
        self.warn("W103", f"`{first.text}` and `({second.text})` disagree by up to "
                  f"{_hours(worst[0])} of business time (calendar `{worst[1]}`)", target.span,
                  notes=notes + [f"the first figure, `{first.text}`, governs the due instant"],
                  help="state the target once, or add `reading two_ways \"...\" as \"...\"` to the "
                  "block, saying which figure governs")

    def check_holiday_years(self, header: dict) -> None:
        for calendar in self.calendars.values():
            if calendar.holiday_years is None:
                continue
            first, last = calendar.holiday_years
            for key in ("effective", "until", "withdrawn"):
                day = header.get(key)
                if day is not None and not first <= day.year <= last:
                    self.warn("W303", f"calendar `{calendar.name}` has holidays frozen for {first}-{last} "
                              f"but the contract is {key} {day.isoformat()}", calendar.span,
                              help=f"widen the holiday set's year range to cover it, e.g. "
                              f"`{min(first, day.year)}..{max(last, day.year)}`")


def two_ways_readings(body: tuple, origin: str = "contract") -> frozenset[str]:
    """Origins (`contract`, `plan Basic`, ...) whose block holds a `reading two_ways`, `within` included."""
    found: set[str] = set()
    for stmt in body:
        if type(stmt) is ast.Reading and stmt.topic == SETTLES_TWO_WAYS:
            found.add(origin)
        elif type(stmt) in _TWO_WAYS_SCOPES:
            found |= two_ways_readings(stmt.body, _TWO_WAYS_SCOPES[type(stmt)](stmt, origin))
    return frozenset(found)


def _hours(seconds) -> str:
    seconds = Fraction(seconds)
    hours = seconds / 3600
    if hours.denominator == 1:
        return f"{hours.numerator}h"
    return f"{float(hours):.2f}h"


def _who(priority: str | None) -> str:
    return f"priority `{priority}`" if priority else "every priority"


def _week_hours(seconds: int) -> str:
    hours = Fraction(seconds, 3600)
    return f"{hours.numerator} h" if hours.denominator == 1 else f"{float(hours):.1f} h"
