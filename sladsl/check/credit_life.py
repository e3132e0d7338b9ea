"""Checking where and how a credit is claimed, when it is posted and when it expires
(docs/semantics.md "Credit posting and expiry").

A mixin of `base.CheckerBase`: `ServiceChecks.credit` hands it each checked credit and the credit
block's lines; the life lines (`claim at`, `claim includes`, `post ...`, `expire ...`) become the
credit's `life`.
"""

from __future__ import annotations

import re
from typing import Any

from sladsl import ast, model, nodes
from sladsl.check.base import CheckerBase
from sladsl.diagnostics import Diagnostic, DiagnosticError, Label

# An email address or an http(s) URL, printable, without spaces: the document links neither, but
# prints it as the place to send a claim.
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f.]+")
_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+")
_UNITS = {"day": "day", "days": "day", "month": "month", "months": "month", "year": "year", "years": "year"}
_MAX_COUNT = {"day": 36_600, "month": 1_200, "year": 100}

# Each life line -> (the part of model.CreditLife it states, the method that checks it).
_LIFE_ITEMS: dict[type, tuple[str, str]] = {
    ast.ClaimAt: ("where to claim", "life_claim_at"),
    ast.ClaimIncludes: ("what a claim includes", "life_claim_includes"),
    ast.PostWithin: ("when the credit is posted", "life_post_within"),
    ast.PostNextInvoice: ("when the credit is posted", "life_post_next_invoice"),
    ast.ExpireAfter: ("when the credit expires", "life_expire_after"),
    ast.ExpireAtEnd: ("when the credit expires", "life_expire_at_end"),
}


class CreditLifeChecks(CheckerBase):
    def credit_life(self, scheme: Any, lines: tuple, availability: model.AvailabilityTarget | None) -> Any:
        """The checked credit with its `life`, when its block states any (E105, E476-E480, W450)."""
        found = [line for line in lines if type(line) in _LIFE_ITEMS]
        if scheme is None or not found:
            return scheme
        parts: dict[str, Any] = {}
        seen: dict[str, Any] = {}
        for line in found:
            what, method = _LIFE_ITEMS[type(line)]
            if what in seen:
                self.error("E105", f"{what} is stated twice", line.span,
                           labels=[Label(seen[what].span, "first stated here")], help="keep one")
                continue
            seen[what] = line
            part = self.guarded(line.span, getattr(self, method), line, availability)
            if part is not None:
                parts.update(part)
        expiry = seen.get("when the credit expires")
        if isinstance(expiry, ast.ExpireAfter) and "when the credit is posted" not in seen:
            self.error("E477", "the credit expires after its issue, but the contract does not say when it "
                       "is issued", expiry.span,
                       help="add when it is posted: `post within 30 days after claim` or "
                            "`post on next invoice`")
        return nodes.evolve(scheme, life=model.CreditLife(**parts, span=found[0].span))

    @staticmethod
    def life_claim_at(line: ast.ClaimAt, _availability: Any) -> dict:
        address = line.address.strip()
        if not (_EMAIL.fullmatch(address) or _URL.fullmatch(address)):
            raise DiagnosticError(Diagnostic(
                "E476", "`claim at` is neither an email address nor a web address", line.span,
                help='write `claim at "credits@example.com"` or `claim at "https://example.com/claims"`'))
        return {"claim_at": address}

    @staticmethod
    def life_claim_includes(line: ast.ClaimIncludes, _availability: Any) -> dict:
        items = tuple(item.strip() for item in line.items)
        if not all(items):
            raise DiagnosticError(Diagnostic(
                "E480", "an empty item in what a claim includes", line.span,
                help='name each item: `claim includes "the account ID", "the dates of each outage"`'))
        return {"claim_includes": items}

    def life_post_within(self, line: ast.PostWithin, _availability: Any) -> dict:
        days = self.whole_days(line.length, line.span, "a posting time", Diagnostic(
            "E479", "a posting time counts whole days", line.span,
            help="credits are posted on a local day: write `30 days` or `2 weeks`"))
        return {"post": "within", "post_days": days}

    @staticmethod
    def life_post_next_invoice(line: ast.PostNextInvoice, availability: model.AvailabilityTarget | None) -> dict:
        if availability is not None and availability.period == "rolling":
            raise DiagnosticError(Diagnostic(
                "E478", "`post on next invoice` on a credit over a rolling window", line.span,
                help="invoices follow billing cycles, the service's calendar periods, and a rolling "
                     "window has none: write `post within 30 days after claim`"))
        return {"post": "next_invoice"}

    @staticmethod
    def life_expire_after(line: ast.ExpireAfter, _availability: Any) -> dict:
        count, unit = int(line.count), _UNITS[line.unit]
        if count < 1:
            raise DiagnosticError(Diagnostic("E204", "a credit that expires on issue", line.span,
                                             help="give a positive count, e.g. `expire 12 months after issue`"))
        if count > _MAX_COUNT[unit]:
            raise DiagnosticError(Diagnostic(
                "E206", f"an expiry of {count} {line.unit} is out of range", line.span,
                help=f"at most {_MAX_COUNT[unit]} {unit}s"))
        return {"expire": "after_issue", "expire_count": count, "expire_unit": unit}

    def life_expire_at_end(self, line: ast.ExpireAtEnd, _availability: Any) -> dict:
        until = self.in_effect[1]
        if until is None:
            self.warn("W450", "credits expire at the contract's end, but the contract states no end date",
                      line.span, help="add `until YYYY-MM-DD` to the contract so the expiry is a date; "
                      "without it the document and `uptime` give no date")
        return {"expire": "contract_end", "contract_end": until}
