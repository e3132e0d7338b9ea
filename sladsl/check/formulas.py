"""Credit formulas: a multiple of the fees paid during the downtime, lost time x an hourly rate,
and a flat credit per violation by affected device (E450-E459, W440; docs/semantics.md "Credit
formulas"). `services.credit` dispatches the three kinds here through `CREDIT_KINDS`."""

from __future__ import annotations

from fractions import Fraction

from sladsl import ast, model
from sladsl.check.base import CheckerBase
from sladsl.diagnostics import Diagnostic, DiagnosticError

# The credit kinds of this module -> the method that checks each (merged into services' table).
CREDIT_KINDS = {
    ast.FeeMultiple: "fee_multiple_credit",
    ast.HourlyRate: "hourly_rate_credit",
    ast.PerViolation: "device_credit",
}
# Statement words for placement messages (check/contract.py).
PENALTY_WORDS = {ast.Penalty: "`penalty`"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The lines only a `credit per violation` takes.
DEVICE_LINES = (ast.PerDevice, ast.ProratedDevices, ast.DeviceCount)


def _amount(text: str) -> Fraction:
    return Fraction(text.replace(",", ""))


class FormulaChecks(CheckerBase):
    # ---- penalties on ticket breaches -----------------------------------------------------------
    def penalties(self, body, targets) -> tuple[model.Penalty, ...]:
        """The contract's `penalty` statements; `targets` (contract targets, plans, add-ons,
        channels) tell which metrics some target judges (W441)."""
        judged = {t.metric for group in targets for item in group
                  for t in (item.targets if hasattr(item, "targets") else (item,))}
        found = [self.guarded(stmt.span, self.penalty, stmt, judged)
                 for stmt in body if isinstance(stmt, ast.Penalty)]
        return tuple(p for p in found if p is not None)

    def penalty(self, stmt: ast.Penalty, judged: set) -> model.Penalty:
        metric = model.METRIC_OF_VERB[stmt.metric]
        for name in stmt.priorities:
            if name.text not in self.priority_names:
                self.unknown("priority", name.text, name.span, self.priority_names)
        first_month = 1
        if stmt.fiscal_from is not None:
            if stmt.period not in ("quarter", "year"):
                raise DiagnosticError(Diagnostic(
                    "E408", f"`fiscal from {stmt.fiscal_from}` on a {stmt.period}", stmt.span,
                    help="only quarters and years are fiscal: `per quarter fiscal from Feb`"))
            first_month = _MONTHS.index(stmt.fiscal_from) + 1
        amount = self.share(stmt.amount)  # type: ignore[attr-defined]
        if amount.value <= 0:
            raise DiagnosticError(Diagnostic(
                "E458", f"a penalty of `{amount.text}` pays nothing", stmt.amount.span,
                help="give the amount the contract states, e.g. `20% of monthly fee`"))
        if metric not in judged:
            self.warn("W441", f"no target judges `{stmt.metric}`, so this penalty is never owed", stmt.span,
                      help=f"add a `{stmt.metric}` target, or penalise a metric the contract judges")
        priorities = tuple(n.text for n in stmt.priorities)
        text = (f"more than {stmt.more_than} breaches of {stmt.metric}"
                + (f" (priority {', '.join(priorities)})" if priorities else "")
                + f" per {stmt.period}" + (f" (fiscal from {stmt.fiscal_from})" if stmt.fiscal_from else "")
                + f": {amount.text}")
        return model.Penalty(stmt.more_than, metric, priorities, stmt.period, first_month, amount, text,
                             span=stmt.span)

    def device_lines_outside(self, kind, lines) -> None:
        """E455: the device lines belong to `credit per violation` only (elsewhere they would
        change nothing)."""
        if isinstance(kind, ast.PerViolation):
            return
        found = [line for cls in DEVICE_LINES for line in lines[cls]]
        if found:
            first = min(found, key=lambda line: (line.span.line, line.span.column))
            self.error("E455", "device lines belong in `credit per violation`", first.span,
                       help="write `credit per violation { USD 25 per affected device }`")

    def money(self, node: ast.Money | ast.MoneyAmount, what: str) -> model.Money:
        """A stated amount of money: with a currency (E451), above zero (E452)."""
        if node.currency is None:
            raise DiagnosticError(Diagnostic(
                "E451", f"{what} `{node.amount}` names no currency", node.span,
                help=f"write the currency code first, e.g. `USD {node.amount}`"))
        value = _amount(node.amount)
        if value <= 0:
            raise DiagnosticError(Diagnostic(
                "E452", f"{what} of `{node.currency} {node.amount}` pays nothing", node.span,
                help="give an amount above zero"))
        return model.Money(node.currency, value, node.amount)

    def no_amount_lines(self, lines, why: str) -> None:
        """E103: tier rows, `gaps` and amount lines belong to other kinds of credit."""
        self.no_tier_rows(lines)  # type: ignore[attr-defined]
        amounts = lines[ast.Amount]
        if amounts:
            self.error("E103", f"this credit takes no amount lines: {why}", amounts[0].span,
                       help="remove the line; the credit's first line states the amount")

    def fee_multiple_credit(self, kind: ast.FeeMultiple, stmt: ast.Credit, lines, caps, claim,
                            availability: model.AvailabilityTarget | None, settled: frozenset):
        self.no_amount_lines(lines, "the fee paid during the downtime, times the multiplier")
        multiplier = _amount(kind.multiplier)
        if multiplier <= 0:
            raise DiagnosticError(Diagnostic(
                "E450", f"a credit of {kind.multiplier} times the fees pays nothing", kind.span,
                help="give a multiplier above zero, e.g. `10 times fees for downtime of monthly fee`"))
        caps = self.caps_fit(  # type: ignore[attr-defined]
            caps, availability, f"a share of the {kind.basis} fee",
            lambda share: share.kind == "percent" and share.basis == kind.basis,
            f"a share of the {kind.basis} fee, e.g. `cap 50% of {kind.basis} fee per month`")
        return model.FeeMultipleCredit(multiplier, kind.basis, kind.multiplier, claim, span=stmt.span,
                                       caps=caps)

    def hourly_rate_credit(self, kind: ast.HourlyRate, stmt: ast.Credit, lines, caps, claim,
                           availability: model.AvailabilityTarget | None, settled: frozenset):
        self.no_amount_lines(lines, "the hours of downtime, times the rate")
        rate = None if kind.rate is None else self.money(kind.rate, "an hourly rate")
        for share, _per in caps:
            self.error("E406", f"`cap {share.text}` is not money, the unit this credit is paid in",
                       share.span, help="an hourly-rate credit takes no cap: remove the line")
        return model.HourlyRateCredit(rate, kind.rounding or "exact", claim, span=stmt.span)

    def device_credit(self, kind: ast.PerViolation, stmt: ast.Credit, lines, caps, claim,
                      availability: model.AvailabilityTarget | None, settled: frozenset):
        self.no_amount_lines(lines, "state it per affected device")
        stated = lines[ast.PerDevice] + lines[ast.ProratedDevices]
        if not stated:
            raise DiagnosticError(Diagnostic(
                "E453", "a per-violation credit needs an amount", stmt.span,
                help="add `USD 25 per affected device` or `10% of monthly fee prorated by affected "
                     "devices`"))
        for extra in stated[1:]:
            self.error("E454", "a per-violation credit states one amount", extra.span,
                       help="keep one line: a credit per violation is paid one way")
        first = stated[0]
        per_device = self.money(first.money, "a credit per device") if isinstance(first, ast.PerDevice) else None
        prorated = None if per_device is not None else self.share(first.share)  # type: ignore[attr-defined]
        devices = self.device_count(lines[ast.DeviceCount], prorated, stmt, settled)
        if per_device is not None:
            for share, _per in caps:
                self.error("E406", f"`cap {share.text}` is not money, the unit this credit is paid in",
                           share.span, help="a credit per affected device takes no cap: remove the line")
            caps = ()
        else:
            assert prorated is not None
            caps = self.caps_fit(  # type: ignore[attr-defined]
                caps, availability, "the unit of the prorated amount",
                lambda share: share.kind == prorated.kind and share.basis == prorated.basis,
                f"the unit of `{prorated.text}`")
        return model.DeviceCredit(per_device, prorated, devices, claim, span=stmt.span, caps=caps)

    def device_count(self, counts, prorated: model.Share | None, stmt: ast.Credit,
                     settled: frozenset) -> int | None:
        """`devices N`: the number a prorated credit divides by (E456 where it divides nothing,
        E457 zero; W440 when a prorated credit leaves it to `--devices`)."""
        self.first_stated(counts, "`devices` is stated twice")
        if counts and prorated is None:
            self.error("E456", "`devices` divides nothing in a credit per affected device",
                       counts[0].span,
                       help="the credit is paid for each affected device; remove the line, or write "
                            "`10% of monthly fee prorated by affected devices`")
            return None
        if counts and counts[0].count <= 0:
            raise DiagnosticError(Diagnostic(
                "E457", "a credit prorated over zero devices", counts[0].span,
                help="give the number of devices covered, e.g. `devices 200`"))
        if not counts and prorated is not None and "devices" not in settled:
            self.warn("W440", "the credit is prorated by affected devices, but the number of devices "
                      "is not stated", stmt.span,
                      notes=["`sladsl uptime` then needs `--devices N`, and the document cannot state it"],
                      help="add `devices 200` to the credit")
        return counts[0].count if counts else None
