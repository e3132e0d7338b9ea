"""Checking billing periods anchored at activation (docs/semantics.md "Billing periods").

A mixin of `base.CheckerBase`: `ServiceChecks.availability` calls `billing_period` for
`per billing month from ...`, and `ServiceChecks.service` calls `billing_combinations` once the
service's credits and maintenance are known.
"""

from __future__ import annotations

from datetime import date

from sladsl import ast, model
from sladsl.check.base import CheckerBase
from sladsl.diagnostics import Diagnostic, DiagnosticError

BILLING_KINDS = ("month", "quarter", "year")
PERIOD_STATEMENTS: tuple[type, ...] = (ast.PartialPeriods,)
PERIOD_WORDS = {ast.PartialPeriods: "`partial periods`"}


class PeriodChecks(CheckerBase):
    def billing_period(self, stmt: ast.Availability) -> date | None:
        """`per billing month from activation|DATE`: months, quarters or years, not fiscal; the
        activation day when the contract states it."""
        if stmt.period not in BILLING_KINDS:
            raise DiagnosticError(Diagnostic(
                "E420", f"billing periods of a {stmt.period}", stmt.span,
                help="billing periods are months, quarters or years: `per billing month from activation`"))
        if stmt.fiscal_from is not None:
            raise DiagnosticError(Diagnostic(
                "E422", f"`fiscal from {stmt.fiscal_from}` on billing periods", stmt.span,
                help="billing periods start on the activation day, not in a fiscal month: keep one"))
        if stmt.billing_from == "activation":
            return None
        day = self.parse_date(stmt.billing_from or "", stmt.span)  # E306 when invalid
        if day is not None and not 2 <= day.year <= 9998:
            raise DiagnosticError(Diagnostic(
                "E306", f"activation day `{stmt.billing_from}` is out of range", stmt.span,
                help="sladsl answers for the years 2 to 9998"))
        return day

    def partial_periods(self, body: tuple, availability: model.AvailabilityTarget | None,
                        credits: list = ()) -> str | None:
        """`partial periods credit prorated|full fee`: once, and not on a rolling window (whose
        activation day makes the days before it count as available instead)."""
        stmt = self.first_stated([s for s in body if isinstance(s, ast.PartialPeriods)],
                                 "`partial periods` is stated twice")
        if stmt is None:
            return None
        if availability is not None and availability.rolling_days is not None:
            self.error("E423", "`partial periods` on a rolling window", stmt.span,
                       help="a rolling window counts the days before activation as available: drop "
                            "`partial periods`, or measure per month, quarter or year")
            return None
        if not any(_in_fee_shares(credit) for credit in credits):
            self.warn("W404", "`partial periods` on a service with no credit in a share of the fee", stmt.span,
                      notes=["partial periods are still judged over the part the service existed in"],
                      help="the statement says which fee a credit in a share of the fee is a share of: drop it, "
                           "or state such a credit (`credit tiers of monthly fee { ... }`)")
        return stmt.fee

    def billing_combinations(self, availability: model.AvailabilityTarget | None, credits: list,
                             maintenance: model.Maintenance | None) -> None:
        """E421: caps and maintenance allowances count over the billing period itself, so one over
        another period (a calendar quarter of a billing month) has no agreed start."""
        if availability is None or not availability.billing:
            return
        per = availability.period
        for credit in credits:
            for share, cap_per in getattr(credit, "caps", ()):
                if cap_per != per:
                    self.error("E421", f"a cap per {cap_per} on a credit decided per billing {per}",
                               share.span, help=f"on billing periods a cap counts over the billing {per}: "
                               f"write `cap {share.text} per {per}`")
        if maintenance is not None and maintenance.period != per:
            self.error("E421", f"a maintenance allowance per {maintenance.period} on billing {per}s",
                       maintenance.span, help=f"on billing periods the allowance counts over the billing "
                       f"{per}: write `maintenance up to ... per {per} ...`")


def _in_fee_shares(credit: object) -> bool:
    """Whether a credit is paid in a share of a fee (tier rows, or a per-outage percentage)."""
    if isinstance(credit, model.TieredCredit):
        return True
    return any(share.kind == "percent" for share in getattr(credit, "amounts", ()))
