"""Ticket clock rules: `pause ... while status ...`, `reopen ...`, `reclassification counts from
...` (docs/semantics.md "Clock rules"). Codes E502-E507 and W502-W503 (docs/diagnostics.md)."""

from __future__ import annotations

from sladsl import ast, model
from sladsl.check.base import CheckerBase
from sladsl.diagnostics import Label
from sladsl.unparse import START_WORDS

# The statements this module checks; they belong at the contract level only.
CLOCK_STATEMENTS = (ast.PauseRule, ast.ReopenRule, ast.ReclassifyRule, ast.InactivityRule)
CLOCK_WORDS = {ast.PauseRule: "`pause`", ast.ReopenRule: "`reopen`",
               ast.ReclassifyRule: "`reclassification`", ast.InactivityRule: "`inactivity`"}


class ClockChecks(CheckerBase):
    def clock_rules(self, body: tuple, levels: tuple) -> model.ClockRules:
        """The contract's clock rules, with a diagnostic for every rule that cannot mean
        anything. `levels`: (contract targets, plans, add-ons, channels), for the metrics used."""
        used = _used_metrics(*levels)
        pauses = tuple(rule for rule in (self.pause_rule(s, used) for s in body
                                         if isinstance(s, ast.PauseRule)) if rule is not None)
        self.repeated_statuses(pauses)
        fields: dict = {"pauses": pauses}
        reopen = self.first_stated([s for s in body if isinstance(s, ast.ReopenRule)],
                                   "the contract states `reopen` twice", code="E504",
                                   help="keep one: `reopen continues` or `reopen restarts`")
        if reopen is not None:
            fields.update(reopen=reopen.mode, reopen_stated=True, span=reopen.span)
        fields.update(self.reclassify_rule(body))
        fields["inactivity"] = self.inactivity_rule(body)
        return model.ClockRules(**fields)

    def inactivity_rule(self, body: tuple) -> model.Inactivity | None:
        """`inactivity while status ... { STEP after DURATION ... }` (docs/semantics.md
        "Inactivity timers"): E513 stated twice, E514 an empty status or no step, E515 a step of
        zero time, E516 a step named twice."""
        rule = self.first_stated([s for s in body if isinstance(s, ast.InactivityRule)],
                                 "the contract states `inactivity` twice", code="E513",
                                 help="keep one `inactivity` clause, with every step in its block")
        if rule is None:
            return None
        if not rule.steps or any(not status.strip() for status in rule.statuses):
            self.error("E514", "`inactivity` needs a status name and at least one step", rule.span,
                       help='write `inactivity while status "pending" { remind after 3 business '
                       'days }`')
            return None
        # no `within`: elapsed time, on the 24x7 calendar
        calendar = self.inline_calendar((ast.Always(),), rule.span) if rule.calendar is None \
            else self.fixed_calendar(rule.calendar, rule.span, "for `inactivity`")
        if calendar is None:
            return None
        steps = tuple(step for step in map(self.inactivity_step, rule.steps) if step is not None)
        if len(steps) < len(rule.steps):
            return None
        seen: dict[str, model.InactivityStep] = {}
        for step in steps:
            if step.name.casefold() in seen:
                self.error("E516", f"the inactivity step `{step.name}` is named twice", step.span,
                           labels=[Label(seen[step.name.casefold()].span, "first named here")],
                           help="name each state the helpdesk moves the ticket to once")
                return None
            seen[step.name.casefold()] = step
        return model.Inactivity(rule.statuses, calendar, steps, rule.calendar is not None,
                                span=rule.span)

    def inactivity_step(self, step: ast.InactivityStep) -> model.InactivityStep | None:
        # zero business days first: the general duration check words it as a target (E204)
        zero = isinstance(step.duration, ast.BusinessDays) and step.duration.count == 0
        duration = None if zero else self.guarded(
            step.span, lambda: self.duration(step.duration, what="an inactivity step"))
        if duration is None and not zero:
            return None
        if zero or not (duration.seconds or duration.business_days):
            self.error("E515", f"the inactivity step `{step.name}` comes after no time", step.span,
                       help="each step is counted from the one before it: give it a positive "
                       "duration, or drop it")
            return None
        return model.InactivityStep(step.name, duration, span=step.span)

    def pause_rule(self, stmt: ast.PauseRule, used: set[str]) -> model.PauseRule | None:
        metrics: list[str] = []
        for verb in stmt.metrics:
            metric = model.METRIC_OF_VERB[verb]
            if metric in metrics:
                self.error("E505", f"`{verb}` is listed twice in this pause", stmt.span,
                           help="name each clock once")
                return None
            metrics.append(metric)
            if metric not in used:
                self.warn("W502", f"no `{verb}` target: pausing its clock changes nothing",
                          stmt.span, help=f"add a target that uses `{verb}`, or drop `{verb}` "
                          "from the pause")
        for status in stmt.statuses:
            if not status.strip():
                self.error("E503", "an empty status name in `pause while status`", stmt.span,
                           help='name the status as the helpdesk writes it: "waiting on customer"')
                return None
        return model.PauseRule(stmt.statuses, tuple(metrics), span=stmt.span)

    def repeated_statuses(self, pauses: tuple[model.PauseRule, ...]) -> None:
        """E502: a status that already pauses the same clock (statuses compare
        case-insensitively, as the event log's are read); a status of every clock repeated for
        one clock is the same."""
        seen: dict[str, tuple[set[str], model.PauseRule]] = {}
        for rule in pauses:
            clocks = set(rule.metrics or model.METRICS)
            for status in rule.statuses:
                key = status.casefold()
                if key in seen and seen[key][0] & clocks:
                    first = seen[key][1]
                    which = "every clock" if not first.metrics else \
                        "the " + ", ".join(sorted(seen[key][0] & clocks)) + " clock"
                    self.error("E502", f"status `{status}` already pauses {which}", rule.span,
                               labels=[Label(first.span, "first paused here")],
                               help="name each status once per clock")
                    return
                seen.setdefault(key, (set(), rule))[0].update(clocks)

    def target_clock_options(self, node: ast.Target, metric: str) -> dict:
        """`or as agreed` and `after response` of a target (E507: `after response` starts an
        update cadence, so it needs `update every`)."""
        if node.after_response and not (metric == "update" and node.every):
            self.error("E507", "`after response` applies to an update cadence", node.span,
                       help="write `update every 4h after response`, or drop `after response`")
        options = {"negotiable": node.negotiable, "after_response": node.after_response}
        if isinstance(node.quantity, ast.WeeklyCadence):
            options.update(self.weekly_options(node, metric))
        return options

    def weekly_options(self, node: ast.Target, metric: str) -> dict:
        """`update weekly`: a cadence (E508 elsewhere) of 7 days of elapsed time, so it counts on
        a 24x7 calendar whatever the block or plan hours (E508 with its own `within`)."""
        if metric != "update" or node.every:
            self.error("E508", f"`{node.metric} {'every ' if node.every else ''}weekly`: `weekly` "
                       "is an update cadence on its own", node.span,
                       help="write `update weekly` (or `update every 5 business days`)")
        if node.calendar is not None:
            self.error("E508", "`weekly` counts 7 days of elapsed time: it takes no `within`",
                       node.span, help="drop `within`, or write `update every 5 business days "
                       "within CALENDAR` for a week of business days")
        return {"every": True, "calendar": self.inline_calendar((ast.Always(),), node.span)}

    def coverage_change(self, node: ast.Target, duration: model.Duration,
                        proportion: object, calendar: str | None) -> dict:
        """`until restored then CAL` (docs/semantics.md "Coverage that changes at the
        restoration"): E509 on a business-days target (business days count the dates of one
        calendar), E510 on a proportion target, W504 when it names the calendar the clock
        already counts in."""
        if node.until_restored is None:
            return {}
        after = self.fixed_calendar(node.until_restored, node.span, "after `until restored`")
        if duration.business_days is not None:
            self.error("E509", "`until restored` needs a target in hours or minutes, not business "
                       "days", node.span, help="business days count the dates of one calendar: "
                       "write the target in hours (`resolve 40h ... until restored then "
                       "office`), or drop `until restored`")
            return {}
        if proportion is not None:
            self.error("E510", "`until restored` on a proportion target", node.span,
                       help="a proportion target is judged on one calendar: give the coverage "
                       "change to the per-ticket target, or drop it")
            return {}
        if calendar is not None:
            self.same_hours_after_restoration(model.Target(
                metric="", priority=None, duration=duration, calendar=None, until_restored=after,
                span=node.span), calendar)
        return {"until_restored": after}

    def clock_start(self, node: ast.Target, metric: str, proportion: object) -> dict:
        """`from first contact` / `from priority set` (docs/semantics.md "Clocks that start at
        an event"): E511 on another metric than response and resolution, E512 on a proportion
        target."""
        if node.start is None:
            return {}
        words = START_WORDS[node.start]
        if metric not in ("response", "resolution"):
            self.error("E511", f"`{words}` applies to `respond` and `resolve` targets", node.span,
                       help=f"drop `{words}`; an update cadence can start at the first response "
                       "(`update every 4h after response`)")
            return {}
        if proportion is not None:
            self.error("E512", f"`{words}` on a proportion target", node.span,
                       help="a proportion target is measured from the opening: give the start to "
                       "the per-ticket target, or drop it")
            return {}
        return {"start": node.start}

    def same_hours_after_restoration(self, target: model.Target, calendar: str) -> None:
        """W504 (once per target): `until restored then CAL` where the clock counts in CAL."""
        after = target.until_restored
        if after is None or after != calendar or target.span in self.restoration_warned:
            return
        self.restoration_warned.add(target.span)
        self.warn("W504", f"`until restored then {after}`: the clock already counts in `{after}`",
                  target.span, help="name the hours that apply after the restoration, or drop "
                  "`until restored`")

    def weekly_quantity(self, quantity: ast.WeeklyCadence):
        return model.Duration(seconds=7 * 86400, text="1 week"), None, None, None

    def reclassify_rule(self, body: tuple) -> dict:
        """The `reclassification counts from ...` fields of ClockRules (E506, W503)."""
        rule = self.first_stated([s for s in body if isinstance(s, ast.ReclassifyRule)],
                                 "the contract states `reclassification` twice", code="E506",
                                 help="keep one: `reclassification counts from opening` or `... from change`")
        if rule is None:
            return {}
        if len(self.priority_names) < 2:
            self.warn("W503", "a priority cannot change in a contract with fewer than two "
                      "priorities", rule.span, help="declare the priorities (`priorities "
                      "High, Low`), or drop the clause")
        return {"reclassify": rule.start, "reclassify_stated": True, "reclassify_span": rule.span}


def _used_metrics(targets, *groups) -> set[str]:
    """The metrics some target of the contract, a plan, an add-on or a channel uses."""
    found = {t.metric for t in targets}
    for level in groups:
        found.update(t.metric for group in level for t in group.targets)
    return found
