"""Targets: `respond`/`resolve`/`update` statements, `within` blocks, quantities (fixed, range,
proportion), cadences, the calendar each target counts in, and which target applies where."""

from __future__ import annotations

from sladsl import ast, model
from sladsl.check.base import CheckerBase, _evolve
from sladsl.diagnostics import Diagnostic, DiagnosticError, Label
from sladsl.unparse import calref, target as target_text

# The statements of a block that state targets (`collect_targets`).
_TARGET_STATEMENTS = {
    ast.Within: "within_targets",
    ast.TargetStmt: "target_stmt",
}

# A target's quantity -> (duration, low end of a range, proportion, proportion period).
_QUANTITIES = {
    ast.Fixed: "fixed_quantity",
    ast.Range: "range_quantity",
    ast.Proportion: "proportion_quantity",
    ast.WeeklyCadence: "weekly_quantity",
}


class TargetChecks(CheckerBase):
    def collect_targets(self, body: tuple, origin: str, calendar: str | None) -> list[model.Target]:
        """Targets of a block, with calendars where the text names one (None: bind later)."""
        out: list[model.Target] = []
        for stmt in body:
            out += self.dispatch(_TARGET_STATEMENTS, stmt, origin, calendar) or []
        seen: dict[tuple, model.Target] = {}
        for target in out:
            key = (target.metric, target.priority, target.proportion is not None)
            if key in seen:
                who = f"priority `{target.priority}`" if target.priority else "every priority"
                self.error("E105", f"two {target.metric} targets for {who} in {origin}", target.span,
                           labels=[Label(seen[key].span, "the other target")],
                           help="keep one target per metric and priority")
            else:
                seen[key] = target
        return out

    def within_targets(self, stmt: ast.Within, origin: str, calendar: str | None) -> list[model.Target]:
        inner = self.guarded(stmt.span, self.calendar_expr, stmt.calendar, stmt.span)
        if inner is None:
            return []
        return self.collect_targets(stmt.body, origin, inner)

    def target_stmt(self, stmt: ast.TargetStmt, origin: str, calendar: str | None) -> list[model.Target]:
        priorities: list[str | None] = []
        for name in stmt.priorities:
            resolved = self.priority_ref(name)
            if resolved is not None:
                priorities.append(resolved)
        if stmt.priorities and not priorities:
            return []
        if not stmt.priorities:
            priorities = [None]
        self.mixed_scope(stmt)
        out = []
        sticky = calendar
        for target in stmt.targets:
            if target.calendar is not None:
                sticky = self.guarded(target.span, self.calendar_expr, target.calendar, target.span)
                if sticky is None:
                    continue
            built = self.guarded(target.span, self.target, target, origin, sticky)
            if built is None:
                continue
            for priority in priorities:
                out.append(_evolve(built, priority=priority))
        return out

    def mixed_scope(self, stmt: ast.TargetStmt) -> None:
        """W501: a target with no `within` before one with `within` on the same line.

        `within` applies to its own target and the later ones (docs/language.md rule 3), so in
        `respond 1h resolve 8h within always` the response counts in the plan's hours, not in
        `always`; a reader takes the line the other way, so the checker says which it is."""
        scoped = [t for t in stmt.targets if t.calendar is not None]
        if not scoped:
            return
        first = scoped[0]
        for target in stmt.targets:
            if target is first:
                break
            written = calref(first.calendar)
            self.warn("W501", f"`{target_text(target)}` does not count in `{written}`: `within` "
                      "applies to its own target and the ones after it", target.span,
                      labels=(Label(getattr(first.calendar, "span", first.span),
                                    f"`within {written}` is written"),),
                      help=f"write `within {written}` right after `{target_text(target)}` to "
                           "apply it to the whole line, or give this target its own `within`")

    def target(self, node: ast.Target, origin: str, calendar: str | None) -> model.Target:
        metric = model.METRIC_OF_VERB[node.metric]
        duration, low, proportion, period = self.dispatch(_QUANTITIES, node.quantity,
                                                          default="fixed_quantity")
        alternative = None
        if node.alternative is not None:
            alternative = self.duration(node.alternative)
            self.positive(alternative, node.alternative.span, "a target")
        if node.every:
            self.cadence(node, metric)
        options = {"every": node.every, "calendar": calendar,
                   **self.target_clock_options(node, metric),
                   **self.coverage_change(node, duration, proportion, calendar),
                   **self.clock_start(node, metric, proportion)}
        return model.Target(
            metric=metric, priority=None, duration=duration, low=low,
            proportion=proportion, proportion_period=period, best_effort=node.best_effort,
            alternative=alternative, origin=origin, span=node.span, **options,
        )

    def fixed_quantity(self, quantity: ast.Fixed):
        duration = self.duration(quantity.duration)
        self.positive(duration, quantity.span, "a target")
        return duration, None, None, None

    def range_quantity(self, quantity: ast.Range):
        low = self.duration(quantity.low)
        high = self.duration(quantity.high)
        self.positive(low, quantity.low.span, "a range starting")
        self.positive(high, quantity.high.span, "a target")
        if (low.seconds is not None and high.seconds is not None and low.seconds >= high.seconds) or (
                low.business_days is not None and high.business_days is not None
                and low.business_days >= high.business_days):
            raise DiagnosticError(Diagnostic(
                "E205", f"range `between {low.text} and {high.text}` is reversed or empty",
                quantity.span, help="write the shorter duration first"))
        return high, low, None, None

    def proportion_quantity(self, quantity: ast.Proportion):
        duration = self.duration(quantity.duration)
        self.positive(duration, quantity.duration.span, "a target")
        proportion = self.percent(quantity.percent, quantity.span, allow_zero=False)
        return duration, None, proportion, quantity.period

    def cadence(self, node: ast.Target, metric: str) -> None:
        """E501: `every` is a cadence of updates, one interval long (docs/language.md)."""
        if metric != "update":
            raise DiagnosticError(Diagnostic(
                "E501", f"`{node.metric} every` is not a cadence: only `update` targets repeat",
                node.span, help="remove `every`, or make it an `update` target"))
        if not isinstance(node.quantity, (ast.Fixed, ast.WeeklyCadence)):
            raise DiagnosticError(Diagnostic(
                "E501", "an update cadence takes one interval, not a range or a proportion",
                node.quantity.span, help="write `update every 4h`"))

    def bind(self, target: model.Target, hours: str | None) -> model.Target | None:
        """Give a target its calendar: its own, else the plan's hours, else the only calendar."""
        if target.calendar is not None:
            return target
        if hours is not None:
            self.same_hours_after_restoration(target, hours)
            return _evolve(target, calendar=hours)
        named = [c for c in self.calendars.values() if not c.inline]
        if len(named) == 1:
            return _evolve(target, calendar=named[0].name)
        self.error("E106", f"no calendar for this {target.metric} target", target.span,
                   help="add `within CALENDAR` to the target, wrap it in `within CALENDAR { }`, or "
                   "give the plan `hours CALENDAR`")
        return None

    def effective_targets(self, levels: list[list[model.Target]]) -> list[model.Target]:
        """One target per (metric, priority, kind): the nearest level wins, and within a level a
        priority-specific target beats an every-priority one."""
        chosen: dict[tuple, model.Target] = {}
        priorities = self.priority_names or [None]
        for level in levels:  # nearest first
            found: dict[tuple, model.Target] = {}
            for target in level:
                kind = target.proportion is not None
                names = [target.priority] if target.priority else priorities
                for priority in names:
                    key = (target.metric, priority, kind)
                    if target.priority is None and key in found:
                        continue  # a specific target of this level wins
                    found[key] = _evolve(target, priority=priority)
            for key, target in found.items():
                chosen.setdefault(key, target)
        rank = {p: i for i, p in enumerate(priorities)}
        return sorted(chosen.values(), key=lambda t: (model.METRICS.index(t.metric),
                                                      rank.get(t.priority, -1), t.proportion is not None))
