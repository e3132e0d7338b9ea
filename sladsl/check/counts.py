"""Checking availability measured from execution counts (docs/semantics.md "Availability from
counts"): `measured by requests in 1m intervals good / total | down when error rate above 5% |
average of 1h error rates`.

A mixin of `base.CheckerBase`: `ServiceChecks.service` calls `counts_sli` once per service, after
its other statements are checked (the combinations need the credits and counting rules).
"""

from __future__ import annotations

from fractions import Fraction

from sladsl import ast, model
from sladsl.check.base import CheckerBase
from sladsl.diagnostics import Diagnostic, DiagnosticError, Label

_DAY = 86_400
COUNTS_STATEMENTS: tuple[type, ...] = (ast.CountsSli,)
COUNTS_WORDS = {ast.CountsSli: "`measured by ...`"}
# Statements that read outage records, which a service measured by counts does not have.
_OUTAGE_RULES = {ast.DowntimeMinimum: "`downtime counts ...`", ast.DowntimeIntervals: "`downtime in ... intervals`",
                 ast.DowntimeWeighting: "`downtime weighted by impact`", ast.DowntimeStart: "`downtime starts at`",
                 ast.Maintenance: "`maintenance`"}


class CountsChecks(CheckerBase):
    def counts_sli(self, body: tuple, credits: list, counting: model.Counting | None) -> model.CountsSli | None:
        """The service's counts-based SLI (None: measured from outage records)."""
        stmt = self.first_stated([s for s in body if isinstance(s, ast.CountsSli)],
                                 "`measured by ...` is stated twice")
        if stmt is None:
            return None
        sli = self.guarded(stmt.span, self.counts_rule, stmt)
        rule = stmt.rule
        for other in body:
            word = _OUTAGE_RULES.get(type(other))
            if word is not None:
                self.error("E426", f"{word} on a service measured by {stmt.name}", other.span,
                           labels=[Label(stmt.span, "measured by counts here")],
                           help=f"{word} reads outage records; availability measured by counts has none: "
                                "drop one of the two")
        per_outage = [c for c in credits if isinstance(c, model.PerOutageCredit)]
        if per_outage and rule != "threshold":
            self.error("E427", f"a per-outage credit on availability measured by {'good / total' if rule == 'ratio' else 'average error rates'}",
                       per_outage[0].span, labels=[Label(stmt.span, "measured here")],
                       help="only `down when error rate ...` has outages (runs of down intervals): use a credit "
                            "table, or measure down intervals")
        scopes = counting.scopes if counting is not None else None
        if scopes is not None and scopes.overall == "all-down" and rule != "threshold":
            self.error("E428", f"`overall all-down` on availability measured by {stmt.name} without down intervals",
                       scopes.span, labels=[Label(stmt.span, "measured here")],
                       help="`all-down` needs instants that are down: measure `down when error rate ...`, "
                            "or judge `overall each` or `overall average`")
        return sli

    def counts_rule(self, stmt: ast.CountsSli) -> model.CountsSli:
        interval = self.duration(stmt.interval, business_days_ok=False, what="a counts interval")
        self.positive(interval, stmt.span, "a counts interval")
        seconds = interval.seconds or 0
        if _DAY % seconds:
            raise DiagnosticError(Diagnostic(
                "E424", f"`{interval.text}` counts intervals do not divide a day evenly", stmt.span,
                help="use an interval that divides 24h, such as 1m, 5m or 1h"))
        threshold: Fraction | None = None
        window: int | None = None
        if stmt.rule == "threshold":
            threshold = self.percent(stmt.threshold or "0%", stmt.span)
            if (stmt.over == "above" and threshold == 100) or (stmt.over == "reaches" and threshold == 0):
                what = "no interval is ever down" if threshold == 100 else "every interval is down"
                raise DiagnosticError(Diagnostic(
                    "E425", f"`error rate {stmt.over} {stmt.threshold}`: {what}", stmt.span,
                    help="give a threshold an interval can cross, such as `above 5%`"))
        if stmt.rule == "average" and stmt.window is not None:
            averaged = self.duration(stmt.window, business_days_ok=False, what="an averaged window")
            self.positive(averaged, stmt.span, "an averaged window")
            window = averaged.seconds or 0
            if window % seconds or _DAY % window:
                raise DiagnosticError(Diagnostic(
                    "E424", f"`{averaged.text}` error rates are not made of whole `{interval.text}` intervals "
                    "or do not divide a day evenly", stmt.span,
                    help="average over a window that is a multiple of the counts interval and divides 24h, "
                         "such as `average of 1h error rates` over 1m intervals"))
        return model.CountsSli(stmt.name, seconds, stmt.rule, threshold, stmt.over == "reaches", window,
                               span=stmt.span)
