"""Credits by outage-duration band (`credit per outage by duration { ... }`), E431-E435, W430.

Each outage earns the amount of the band its length falls in ("15 min to 1 h: 1 day of service;
1 h to 4 h: 3 days; over 4 h: 7 days"). Bands are checked like tier rows: every outage length
falls in at most one band (E434), a length between two bands is an error unless the contract
says who gets it (E435, `gaps favour customer|provider`), and all bands pay in one unit (E433),
which is also the unit of the caps (E406). Lengths are whole seconds (instants are read to the
second), so `..below 1h` meets `1h..` and `..59m59s` meets `1h..` too.
"""

from __future__ import annotations


from sladsl import ast, model, nodes
from sladsl.check.base import CheckerBase
from sladsl.diagnostics import Diagnostic, DiagnosticError, Label


_CHOICE_WORDS = {"every": "pay every credit", "greater": "pay the greater credit",
                 "customer": "pay one credit chosen by customer"}


class BandChecks(CheckerBase):
    # ---- which credits are paid (docs/semantics.md "One formula or the other") ---------------
    def service_credit_choice(self, inner: ast.CreditChoice, draft) -> None:
        if self.stated_again(draft.firsts, "credit_choice", inner.span,
                             "which credits are paid is stated twice"):
            return
        draft.fields["credit_choice"] = inner.how
        draft.fields["_credit_choice_span"] = inner.span

    # ---- the fee a credit is a share of -------------------------------------------------------
    def fee_scope(self, scheme, lines: list):
        """`fee of the affected region` (E105 twice; E438 on an extension, paid in time)."""
        if not lines or scheme is None:
            return scheme
        self.first_stated(lines, "the fee of the affected scope is stated twice")
        if isinstance(scheme, model.ExtensionCredit):
            self.error("E438", "an extension is paid in service time, not as a share of a fee",
                       lines[0].span, help="drop `fee of the affected ...` from the extension")
            return scheme
        return nodes.evolve(scheme, fee_scope=lines[0].kind)

    def billed_amounts(self, shares: list) -> None:
        """E439: a per-outage credit pays the amount of the customer's billing basis (monthly,
        quarterly or annual fee); a share of the support fee would never be chosen."""
        for share in shares:
            if share.kind == "percent" and share.basis == "support":
                self.error("E439", f"`{share.text}`: a per-outage credit pays the amount of the billing "
                           "basis (monthly, quarterly or annual fee)", share.span,
                           help="state it as a share of the monthly, quarterly or annual fee, or use "
                                "`credit tiers of support fee` / `credit per outage by duration`")

    def fee_scope_rules(self, draft) -> None:
        """E438: `fee of the affected KIND` needs the service measured per KIND, each scope
        judged and credited on its own (`overall each`)."""
        scopes = draft.fields["counting"].scopes if draft.fields.get("counting") else None
        for line in draft.fee_scopes:
            if scopes is None or scopes.kind != line.kind:
                measured = "not measured per scope" if scopes is None else f"measured per {scopes.kind}"
                self.error("E438", f"the fee of the affected {line.kind}, but the service is {measured}",
                           line.span, help=f"add `measured per {line.kind} overall each`, or drop the line")
            elif scopes.overall != "each":
                self.error("E438", f"the fee of the affected {line.kind}, but credits are decided on the "
                           f"overall figure (`overall {scopes.overall}`)", line.span,
                           help="credit each scope on its own (`overall each`), or drop the line")

    def credit_choice_rules(self, stmt: ast.Service, draft) -> None:
        """E436 a choice among fewer than two credits, E437 `greater` over credits that are not
        shares of one fee, W431 several credits and no word on whether all are paid."""
        self.fee_scope_rules(draft)
        how = draft.fields.get("credit_choice")
        span = draft.fields.pop("_credit_choice_span", None)
        credits = draft.credits
        if how is not None and len(credits) < 2:
            self.error("E436", f"`{_CHOICE_WORDS[how]}` in a service with "
                       f"{'one credit' if credits else 'no credit'}", span,
                       help="it chooses among two or more `credit` blocks of the service: drop it")
            draft.fields["credit_choice"] = None
            return
        if how == "greater" and not all(isinstance(c, _COMPARABLE) for c in credits):
            self.error("E437", "`pay the greater credit` compares credits paid as shares of a fee or in "
                       "days of service, not amounts of money (credit formulas)", span,
                       help="say `pay every credit` or `pay one credit chosen by customer`")
        elif how == "greater":
            found = {_fee_basis(c) for c in credits}
            bases = sorted(found - {None})
            # days of service are compared at a billing fee; the support fee is not one
            if len(bases) > 1 or ("support" in bases and None in found):
                self.error("E437", "`pay the greater credit` compares credits paid as shares of "
                           f"different fees ({' and '.join(b or 'days of service' for b in sorted(found, key=str))})",
                           span,
                           help="state the credits as shares of one fee (or in days of service), or "
                                "`pay every credit` / `pay one credit chosen by customer`")
        if how is None and len(credits) > 1:
            self.warn("W431", f"service `{stmt.name.text}` states {len(credits)} credits: each one is paid "
                      "for the same downtime", credits[1].span,
                      help="say so with `pay every credit`, or `pay the greater credit`, or "
                           "`pay one credit chosen by customer`")

    def band_credit(self, kind: ast.Bands, stmt: ast.Credit, lines, caps, claim,
                    availability: model.AvailabilityTarget | None, settled: frozenset):
        for line in lines[ast.TierRow] + lines[ast.Amount]:
            self.error("E431", "a credit by outage duration takes band rows only", line.span,
                       help="write rows such as `15m..below 1h -> 1 day of service`")
        rows = lines[ast.BandRow]
        if not rows:
            raise DiagnosticError(Diagnostic(
                "E431", "a credit by outage duration with no bands", stmt.span,
                help="add rows such as `15m..below 1h -> 1 day of service`"))
        bands = [band for band in (self.guarded(row.span, self.duration_band, row) for row in rows) if band]
        bands.sort(key=lambda band: (_first_second(band), band.span.line))
        self.band_units(bands)
        gaps = lines[ast.Gaps][0].party if lines[ast.Gaps] else None
        self.band_edges(bands, gaps)
        unit = bands[0].amount if bands else None
        caps = self.caps_fit(  # type: ignore[attr-defined]
            caps, None, None,
            lambda cap: unit is not None and (cap.kind, cap.basis) == (unit.kind, unit.basis),
            "the bands' unit: days or hours of service, or a share of the same fee")
        return model.BandCredit(tuple(bands), gaps, claim, span=stmt.span, caps=tuple(caps))

    def duration_band(self, row: ast.BandRow) -> model.DurationBand:
        low = self.duration(row.low, business_days_ok=False, what="an outage length").seconds
        high = None
        if row.high is not None:
            high = self.duration(row.high, business_days_ok=False, what="an outage length").seconds
        assert low is not None  # business days are refused above
        amount = self.share(row.share)  # type: ignore[attr-defined]
        band = model.DurationBand(low, row.over, high, row.below, amount, span=row.span)
        if high is not None and _last_second(band) < _first_second(band):
            raise DiagnosticError(Diagnostic(
                "E432", f"the band `{_band_text(band)}` holds no outage length", row.span,
                help="write the shorter length first, e.g. `15m..below 1h`"))
        return band

    def band_units(self, bands: list[model.DurationBand]) -> None:
        """E433: the bands pay in one unit (days or hours of service, or one fee's share)."""
        first = bands[0] if bands else None
        for band in bands[1:]:
            assert first is not None
            if (band.amount.kind, band.amount.basis) != (first.amount.kind, first.amount.basis):
                self.error("E433", f"the band pays `{band.amount.text}` but another pays "
                           f"`{first.amount.text}`", band.span, labels=[Label(first.span, "the other band")],
                           help="state every band in one unit: days or hours of service, or a share "
                                "of one fee")

    def band_edges(self, bands: list[model.DurationBand], gaps: str | None) -> None:
        """E434 overlapping bands, E435 a length between two bands (unless `gaps favour ...`),
        W430 outages longer than the last band."""
        for shorter, longer in zip(bands, bands[1:]):
            end = _last_second(shorter)
            if end is None or _first_second(longer) <= end:
                self.error("E434", f"the bands `{_band_text(shorter)}` and `{_band_text(longer)}` "
                           "overlap", longer.span, labels=[Label(shorter.span, "the other band")],
                           help="make each outage length fall in one band: end the shorter band with "
                                f"`..below {_length(longer.low)}`")
            elif _first_second(longer) > end + 1 and gaps is None:
                self.error("E435", f"no band covers outages {_gap_text(shorter, longer)}",
                           longer.span, labels=[Label(shorter.span, "the band before the gap")],
                           help="add a band for the gap, make the bands meet, or say who gets it: "
                                "`gaps favour customer`")
        last = bands[-1] if bands else None
        if last is not None and last.high is not None:
            bound = "longer than" if not last.below else "of at least"
            self.warn("W430", f"outages {bound} {_length(last.high)} earn no credit: no band covers them",
                      last.span, help=f"add a band `over {_length(last.high)} -> ...` if longer outages "
                                      "earn the most, or drop the upper bound of the last band")


# Credits `pay the greater credit` can compare as a share of the billing fee.
_COMPARABLE = (model.TieredCredit, model.PerOutageCredit, model.ExtensionCredit, model.BandCredit)


def _fee_basis(credit) -> str | None:
    """The fee a credit is a share of (None: days of service, or the billing basis)."""
    if isinstance(credit, model.TieredCredit):
        return credit.basis
    if isinstance(credit, model.BandCredit) and credit.bands and credit.bands[0].amount.kind == "percent":
        return credit.bands[0].amount.basis
    return None


def _first_second(band: model.DurationBand) -> int:
    """The shortest whole-second length in the band."""
    return band.low + 1 if band.over else band.low


def _last_second(band: model.DurationBand) -> int | None:
    """The longest whole-second length in the band (None: no upper bound)."""
    if band.high is None:
        return None
    return band.high - 1 if band.below else band.high


def _length(seconds: int) -> str:
    """A length as contracts write it: `1h`, `15m`, `1h30m`, `90s`."""
    if seconds == 0:
        return "0m"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def _band_text(band: model.DurationBand) -> str:
    low = f"over {_length(band.low)}" if band.over else _length(band.low)
    if band.high is None:
        return low if band.over else f"{low}.."
    return f"{low}..{'below ' if band.below else ''}{_length(band.high)}"


def _gap_text(shorter: model.DurationBand, longer: model.DurationBand) -> str:
    end, start = _last_second(shorter), _first_second(longer)
    assert end is not None
    if start - end == 2:
        return f"of exactly {_length(end + 1)}"
    return f"longer than {_length(end)} and shorter than {_length(start)}"

