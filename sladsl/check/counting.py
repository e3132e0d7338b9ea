"""Checking what counts as downtime in a service: minimum outage, sampling intervals, impact
weighting and measurement scopes (docs/semantics.md "What counts as downtime").

A mixin of `base.CheckerBase`, called once per service by `ServiceChecks.service`; each statement
kind is one small method, dispatched through `_COUNTING_ITEMS`.
"""

from __future__ import annotations

from typing import Any

from sladsl import ast, model
from sladsl.check.base import CheckerBase
from sladsl.diagnostics import Diagnostic, DiagnosticError, Label

_DAY = 86_400

# Each statement kind -> (the part of model.Counting it gives, the method that checks it).
_COUNTING_ITEMS: dict[type, tuple[str, str]] = {
    ast.DowntimeMinimum: ("minimum", "counting_minimum"),
    ast.DowntimeIntervals: ("sampling", "counting_sampling"),
    ast.DowntimeWeighting: ("impact", "counting_impact"),
    ast.Scopes: ("scopes", "counting_scopes"),
}
COUNTING_STATEMENTS = tuple(_COUNTING_ITEMS)
COUNTING_WORDS = {
    ast.DowntimeMinimum: "`downtime counts ...`", ast.DowntimeIntervals: "`downtime in ... intervals`",
    ast.DowntimeWeighting: "`downtime weighted by impact`", ast.Scopes: "`measured per ...`",
}


class CountingChecks(CheckerBase):
    def counting(self, body: tuple, credits: list, monitors: list, rolling: bool = False) -> model.Counting:
        """The service's counting rules; each misuse a diagnostic"""
        seen: dict[type, Any] = {}
        parts: dict[str, Any] = {}
        for stmt in body:
            entry = _COUNTING_ITEMS.get(type(stmt))
            if entry is None:
                continue
            if type(stmt) in seen:
                self.error("E105", f"{COUNTING_WORDS[type(stmt)]} is stated twice", stmt.span,
                           labels=[Label(seen[type(stmt)].span, "first stated here")], help="keep one")
                continue
            seen[type(stmt)] = stmt
            key, method = entry
            result = self.guarded(stmt.span, getattr(self, method), stmt)
            if result is not None:
                parts[key] = result
        found = model.Counting(
            minimum=parts.get("minimum"), sampling=parts.get("sampling"),
            impact="impact" in parts, scopes=parts.get("scopes"),
            impact_span=seen[ast.DowntimeWeighting].span if ast.DowntimeWeighting in seen else ast.NO_SPAN)
        self.counting_combinations(found, credits, monitors, rolling)
        return found

    def counting_minimum(self, stmt: ast.DowntimeMinimum) -> model.MinimumOutage:
        length = self.duration(stmt.duration, business_days_ok=False, what="a minimum outage")
        self.positive(length, stmt.span, "a minimum outage")
        return model.MinimumOutage(stmt.rule, length.seconds, span=stmt.span)

    def counting_sampling(self, stmt: ast.DowntimeIntervals) -> model.Sampling:
        length = self.duration(stmt.interval, business_days_ok=False, what="an interval")
        self.positive(length, stmt.span, "a sampling interval")
        # Intervals are aligned to the start of each measurement period (a local midnight); one that
        # divides a day keeps every interval of a day inside that day, whatever the period.
        if _DAY % length.seconds:
            raise DiagnosticError(Diagnostic(
                "E409", f"`{length.text}` intervals do not divide a day evenly", stmt.span,
                help="use an interval that divides 24h, such as 1m, 5m, 15m or 1h"))
        threshold = None
        if stmt.threshold is not None:
            threshold = self.percent(stmt.threshold, stmt.span)
            if threshold <= 0:
                raise DiagnosticError(Diagnostic(
                    "E410", f"an interval `at least {stmt.threshold} down` counts every interval as down",
                    stmt.span, help="give a share above 0%, or drop `at least ...` to count any downtime"))
        return model.Sampling(length.seconds, threshold, span=stmt.span)

    def counting_impact(self, stmt: ast.DowntimeWeighting) -> bool:
        return True

    def counting_scopes(self, stmt: ast.Scopes) -> model.Scopes:
        names: list[str] = []
        for name in stmt.names:
            if name.text in names:
                self.error("E415", f"scope `{name.text}` is listed twice", name.span, help="list each scope once")
                continue
            names.append(name.text)
        overall = stmt.overall or "each"
        if overall != "each" and not names:
            raise DiagnosticError(Diagnostic(
                "E413", f"`overall {overall}` needs the {stmt.kind}s listed", stmt.span,
                help=f"list them: `measured per {stmt.kind} in \"eu-west\", \"us-east\" overall {overall}` "
                     f"(a {stmt.kind} with no outage is up all the time, so the list decides the figure)"))
        return model.Scopes(stmt.kind, tuple(names), overall, span=stmt.span)

    def rolling_window(self, stmt: ast.Availability) -> None:
        """`per rolling N days`: a real length, and no `not rolling` beside it."""
        days = stmt.rolling_days or 0
        if not 1 <= days <= 3660:
            raise DiagnosticError(Diagnostic(
                "E416", f"a rolling window of {days} days", stmt.span,
                help="give a window from 1 to 3660 days, such as `per rolling 30 days`"))
        if stmt.not_rolling:
            raise DiagnosticError(Diagnostic(
                "E417", "`not rolling` on a rolling window", stmt.span,
                help="keep one: `per rolling 30 days`, or a calendar period with `not rolling`"))

    def counting_combinations(self, found: model.Counting, credits: list, monitors: list,
                              rolling: bool = False) -> None:
        """Rules that cannot be combined without an answer the contract does not give."""
        per_outage = [c for c in credits if isinstance(c, model.PerOutageCredit)]
        if rolling:
            for credit in credits:
                window = getattr(credit, "claim_window", None)
                if window is not None and window.unit == "cycle":
                    self.error("E419", "a claim window in billing cycles on a rolling window", window.span,
                               help="a rolling window has no billing cycle to count from: write the "
                                    "claim window in days (`claim within 30 days after period end`)")
        if found.impact and found.sampling is not None:
            self.error("E411", "downtime is both weighted by impact and counted in intervals",
                       found.impact_span, labels=[Label(found.sampling.span, "intervals stated here")],
                       help="keep one: an interval is either down or not, whatever share of customers it hit")
        if found.impact and per_outage:
            self.error("E412", "a per-outage credit on downtime weighted by impact", per_outage[0].span,
                       labels=[Label(found.impact_span, "weighted here")],
                       help="a per-outage credit counts an outage's duration, not its impact: use a "
                            "credit table, or drop `downtime weighted by impact`")
        if found.scopes is not None and found.scopes.overall == "average" and per_outage:
            self.error("E414", "a per-outage credit on an average over scopes", per_outage[0].span,
                       labels=[Label(found.scopes.span, "averaged here")],
                       help="an outage of one scope has no duration in the average: use `overall each` "
                            "or `overall all-down`, or a credit table")
        if found.sampling is not None:
            slower = [m for m in monitors if m.interval.seconds and m.interval.seconds > found.sampling.seconds]
            if slower:
                self.warn("W403", f"intervals of {_short(found.sampling.seconds)} are shorter than the "
                          f"monitoring interval of {slower[0].interval.text}", found.sampling.span,
                          labels=[Label(slower[0].span, "monitored here")],
                          help="a probe every few minutes cannot tell which of the shorter intervals were "
                               "down; measure in intervals at least as long as the monitoring interval")


def _short(seconds: int) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
