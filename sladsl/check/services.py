"""Services: availability targets, downtime, maintenance, monitors, and credits (per outage,
tiered, extension) with their amounts, caps and tiers."""

from __future__ import annotations

from fractions import Fraction


from sladsl import ast, model, nodes
from sladsl.check.base import CheckerBase, by_type, parse_percent
from sladsl.check.formulas import CREDIT_KINDS as FORMULA_CREDIT_KINDS
from sladsl.diagnostics import Diagnostic, DiagnosticError, Label

DAYS_PER_MONTH_FOR_CREDITS = 30  # "1 day of service" compared with a percentage of a month

_MONTH_NUMBERS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}

# Cap periods made of whole measurement periods (a week does not fit in a month).
_CAP_PERIODS_OVER = {"week": ("week",), "month": ("month", "quarter", "year"),
                     "quarter": ("quarter", "year"), "year": ("year",)}

# The statements of a service's body, each adding to a `ServiceDraft`.
_SERVICE_ITEMS = {
    ast.Availability: "service_availability",
    ast.DowntimeDef: "service_downtime_means",
    ast.DowntimeStart: "service_downtime_start",
    ast.Maintenance: "service_maintenance",
    ast.Monitor: "service_monitor",
    ast.Credit: "service_credit",
    ast.CreditChoice: "service_credit_choice",  # sladsl/check/bands.py
}

# A credit amount or cap -> model.Share.
_SHARES = {
    ast.ServiceDays: "days_share",
    ast.ServiceHours: "hours_share",
    ast.FeeFraction: "fraction_share",
    ast.FeeShare: "fee_share",
}

# The kinds of credit, each checked from the credit's lines grouped by type.
_CREDIT_KINDS = {
    ast.Tiers: "tiered_credit",
    ast.PerOutage: "per_outage_credit",
    ast.Extension: "extension_credit",
    ast.Bands: "band_credit",  # sladsl/check/bands.py
    **FORMULA_CREDIT_KINDS,  # multiples of fees, hourly rates, per violation (check/formulas.py)
}


class ServiceDraft:
    """What a service's statements have said so far (`service` builds model.Service from it)."""

    def __init__(self, settled: frozenset[str]) -> None:
        self.fields: dict = {}
        self.means: list[str] = []
        self.monitors: list[model.Monitor] = []
        self.credits: list = []
        self.settled = settled  # reading topics (`amounts`, `caps`) that settle a warning here
        self.fee_scopes: list = []  # `fee of the affected KIND` lines, checked against the scopes
        self.firsts: dict = {}  # clauses stated once -> where (`stated_again`)


class ServiceChecks(CheckerBase):
    # ---- services -----------------------------------------------------------------------------
    def service(self, stmt: ast.Service) -> model.Service:
        self.placement(stmt.body, "service")
        origin = f"service {stmt.name.text}"
        # A reading whose topic a warning names (`amounts`, `caps`) settles that warning here.
        draft = ServiceDraft(frozenset(r.topic for r in by_type(stmt.body)[ast.Reading] if r.topic))
        for inner in stmt.body:
            self.dispatch(_SERVICE_ITEMS, inner, draft)
        fields = draft.fields
        availability = fields.get("availability")
        fields["counting"] = self.counting(stmt.body, draft.credits, draft.monitors,
                                           availability is not None and availability.period == "rolling")
        self.billing_combinations(availability, draft.credits, fields.get("maintenance"))
        fields["partial_fee"] = self.partial_periods(stmt.body, availability, draft.credits)
        fields["counts"] = self.counts_sli(stmt.body, draft.credits, fields.get("counting"))
        fields["maintenance_windows"] = self.maintenance_windows(stmt.body, availability, fields["counting"])
        self.credit_choice_rules(stmt, draft)  # type: ignore[attr-defined]
        if draft.credits and fields.get("availability") is None and "availability" not in fields:
            self.error("E404", f"{origin} has credits but no `availability` target", stmt.span,
                       help="add `availability 99.9% per month`")
        return model.Service(
            name=stmt.name.text, downtime_means=tuple(draft.means), monitors=tuple(draft.monitors),
            credits=tuple(draft.credits), commitments=self.commitments(stmt.body),
            prose=self.prose(stmt.body, origin), span=stmt.span,
            **{k: v for k, v in fields.items() if v is not None},
        )

    def service_availability(self, inner: ast.Availability, draft: ServiceDraft) -> None:
        if self.stated_again(draft.firsts, "availability", inner.span, "`availability` is stated twice"):
            return
        draft.fields["availability"] = self.guarded(inner.span, self.availability, inner)

    @staticmethod
    def service_downtime_means(inner: ast.DowntimeDef, draft: ServiceDraft) -> None:
        draft.means.append(inner.text)

    def service_downtime_start(self, inner: ast.DowntimeStart, draft: ServiceDraft) -> None:
        if self.stated_again(draft.firsts, "downtime_start", inner.span,
                             "`downtime starts at` is stated twice"):
            return
        start = self.guarded(inner.span, self.downtime_start, inner)
        if start:
            draft.fields["downtime_start"] = start

    def service_maintenance(self, inner: ast.Maintenance, draft: ServiceDraft) -> None:
        if self.stated_again(draft.firsts, "maintenance", inner.span,
                             "the maintenance allowance is stated twice",
                             help="keep one `maintenance up to ...`"):
            return
        draft.fields["maintenance"] = self.guarded(inner.span, self.maintenance, inner)

    def service_monitor(self, inner: ast.Monitor, draft: ServiceDraft) -> None:
        monitor = self.guarded(inner.span, self.monitor, inner)
        if monitor:
            draft.monitors.append(monitor)

    def service_credit(self, inner: ast.Credit, draft: ServiceDraft) -> None:
        credit = self.guarded(inner.span, self.credit, inner, draft.fields.get("availability"),
                              draft.settled)
        if credit:
            draft.credits.append(credit)
            draft.fee_scopes += [line for line in inner.lines if isinstance(line, ast.FeeScope)][:1]

    def availability(self, stmt: ast.Availability) -> model.AvailabilityTarget:
        target = self.percent(stmt.percent, stmt.span, allow_zero=False)
        zone = self.zone(stmt.zone, stmt.span) if stmt.zone else (self.default_zone or "UTC")
        if zone is None:
            raise DiagnosticError(Diagnostic("E304", "availability zone is invalid", stmt.span))
        first_month = 1
        activated = self.billing_period(stmt) if stmt.billing_from is not None else None
        if stmt.fiscal_from is not None:
            if stmt.period not in ("quarter", "year"):
                raise DiagnosticError(Diagnostic(
                    "E408", f"`fiscal from {stmt.fiscal_from}` on a {stmt.period}", stmt.span,
                    help="only quarters and years are fiscal: `availability 99.9% per quarter fiscal from Feb`"))
            first_month = _MONTH_NUMBERS[stmt.fiscal_from]
        if stmt.rolling_days is not None:
            self.rolling_window(stmt)
        return model.AvailabilityTarget(target, stmt.period, zone, stmt.best_effort,
                                        stmt.measured_at, span=stmt.span, first_month=first_month,
                                        not_rolling=stmt.not_rolling, rolling_days=stmt.rolling_days,
                                        before_claim=stmt.before_claim,
                                        billing=stmt.billing_from is not None, activated=activated)

    def downtime_start(self, stmt: ast.DowntimeStart):
        events = ("report", "detection", "start")
        for event in stmt.events:
            if event not in events:
                raise DiagnosticError(Diagnostic(
                    "E405", f"unknown downtime start event `{event}`", stmt.span,
                    help="events: `report`, `detection`, `start` (the outage record's start)"))
        if stmt.function is None:
            return (stmt.events[0], ())
        if stmt.function not in ("earliest", "latest"):
            raise DiagnosticError(Diagnostic(
                "E405", f"unknown choice `{stmt.function}`", stmt.span,
                help="write `earliest(report, detection)` or `latest(...)`"))
        return (stmt.function, stmt.events)

    def maintenance(self, stmt: ast.Maintenance) -> model.Maintenance:
        allowance = self.duration(stmt.allowance, business_days_ok=False, what="an allowance")
        outside = None
        if stmt.outside is not None:
            outside = self.fixed_calendar(stmt.outside, stmt.span, "for maintenance")
        return model.Maintenance(allowance.seconds, stmt.period, outside, stmt.overrun, span=stmt.span)

    def monitor(self, stmt: ast.Monitor) -> model.Monitor:
        interval = self.duration(stmt.interval, business_days_ok=False, what="an interval")
        self.positive(interval, stmt.span, "a monitoring interval")
        return model.Monitor(interval, stmt.description, span=stmt.span)

    # ---- credits ------------------------------------------------------------------------------
    def share(self, node, *, cap: bool = False) -> model.Share:
        return self.dispatch(_SHARES, node, cap, default="fee_share")

    @staticmethod
    def days_share(node: ast.ServiceDays, cap: bool) -> model.Share:
        return _service_time(node, "day", 1)

    @staticmethod
    def hours_share(node: ast.ServiceHours, cap: bool) -> model.Share:
        return _service_time(node, "hour", 24)

    @staticmethod
    def fraction_share(node: ast.FeeFraction, cap: bool) -> model.Share:
        numerator, denominator = node.fraction.split("/")
        if int(denominator) == 0:
            raise DiagnosticError(Diagnostic("E201", f"`{node.fraction}` divides by zero", node.span,
                                             help="write a fraction such as `1/24`"))
        value = Fraction(int(numerator), int(denominator)) * 100
        if value > 100:
            raise DiagnosticError(Diagnostic("E203", f"`{node.fraction}` is more than the whole fee",
                                             node.span, help="a share of a fee is at most 1"))
        return model.Share("percent", value, node.basis, f"{node.fraction} of {node.basis} fee",
                           span=node.span)

    def fee_share(self, node: ast.FeeShare, cap: bool) -> model.Share:
        if cap and parse_percent(node.percent) > 100:
            raise DiagnosticError(Diagnostic(
                "E403", f"cap `{node.percent} of {node.basis} fee` is above 100%", node.span,
                help="a cap is at most the whole fee"))
        return model.Share("percent", self.percent(node.percent, node.span), node.basis,
                           f"{node.percent} of {node.basis} fee", span=node.span)

    def credit(self, stmt: ast.Credit, availability: model.AvailabilityTarget | None,
               settled: frozenset = frozenset()):
        lines = by_type(stmt.lines)
        self.device_lines_outside(stmt.kind, lines)  # type: ignore[attr-defined]  # check/formulas.py
        claim = next((line.text for line in lines[ast.Claim]), None)
        caps = []
        for line in lines[ast.Cap]:
            share = self.guarded(line.span, lambda node: self.share(node, cap=True), line.share)
            if share is not None:
                caps.append((share, line.period))
        if lines[ast.BandRow] and not isinstance(stmt.kind, ast.Bands):
            self.error("E431", "band rows belong in `credit per outage by duration`",
                       lines[ast.BandRow][0].span, help="use `credit per outage by duration { ... }`")
        scheme = self.dispatch(_CREDIT_KINDS, stmt.kind, stmt, lines, caps, claim, availability,
                               settled, default="extension_credit")
        windows = lines[ast.ClaimWindow]
        self.first_stated(windows, "a second claim window for the same credit",
                          help="state one `claim within ... after period end` per credit")
        window = self.guarded(windows[0].span, self.claim_window, windows[0]) if windows else None
        scheme = scheme if window is None or scheme is None else nodes.evolve(scheme, claim_window=window)
        scheme = self.credit_life(scheme, stmt.lines, availability)
        return self.fee_scope(scheme, lines[ast.FeeScope])  # type: ignore[attr-defined]

    def claim_window(self, node: ast.ClaimWindow) -> model.ClaimWindow:
        """`claim within 30 days after period end`: whole calendar days, or billing cycles."""
        if isinstance(node.length, ast.BillingCycles):
            count = int(node.length.count)
            if count < 1:
                raise DiagnosticError(Diagnostic(
                    "E204", "a claim window of zero billing cycles", node.length.span,
                    help="write `1 billing cycle` or more"))
            if count > 1200:
                raise DiagnosticError(Diagnostic(
                    "E206", f"a claim window of {count} billing cycles is out of range",
                    node.length.span, help="at most 1200 billing cycles"))
            return model.ClaimWindow(count, "cycle", span=node.span)
        days = self.whole_days(node.length, node.span, "a claim window", Diagnostic(
            "E430", "a claim window counts whole days or billing cycles", node.span,
            help="claims close at the end of a local day: write `30 days`, `2 weeks` or "
                 "`2 billing cycles`"))
        return model.ClaimWindow(days, "day", span=node.span)

    def tiered_credit(self, kind: ast.Tiers, stmt: ast.Credit, lines, caps, claim,
                      availability: model.AvailabilityTarget | None, settled: frozenset):
        amounts = lines[ast.Amount]
        if amounts:
            self.error("E103", "a tiered credit takes rows, not amounts", amounts[0].span,
                       help="write rows such as `99.0%..99.9% -> 5%`")
        caps = self.caps_fit(caps, availability, f"a share of the {kind.basis} fee",
                             lambda share: share.kind == "percent" and share.basis == kind.basis,
                             f"a share of the {kind.basis} fee, e.g. `cap 30% of {kind.basis} fee per month`")
        tiers = self.tiers(stmt, kind, lines[ast.TierRow], lines[ast.Gaps], claim, availability, settled)
        return nodes.evolve(tiers, caps=caps)

    def no_tier_rows(self, lines) -> None:
        """E103: tier rows and `gaps` belong to a tiered credit only."""
        rows, gaps = lines[ast.TierRow], lines[ast.Gaps]
        if rows or gaps:
            self.error("E103", "tier rows belong in `credit tiers of ... fee`", (rows or gaps)[0].span,
                       help="use `credit tiers of monthly fee { ... }`")

    def per_outage_credit(self, kind: ast.PerOutage, stmt: ast.Credit, lines, caps, claim,
                          availability: model.AvailabilityTarget | None, settled: frozenset):
        self.no_tier_rows(lines)
        amounts = lines[ast.Amount]
        grace = self.duration(kind.grace, business_days_ok=False, what="a grace time")
        period = self.duration(kind.period, business_days_ok=False, what="a credit period")
        self.positive(period, kind.span, "a credit period")
        shares = [s for s in (self.guarded(a.span, self.share, a.share) for a in amounts) if s]
        self.billed_amounts(shares)  # type: ignore[attr-defined]  # E439, sladsl/check/bands.py
        if not amounts:
            raise DiagnosticError(Diagnostic(
                "E404", "a per-outage credit needs an amount", stmt.span,
                help="add a line such as `3.3% of monthly fee` or `1 day of service`"))
        self.credit_agreement(shares, [a.span for a in amounts], period.seconds, "amounts", settled)
        caps = list(self.caps_fit(
            caps, None, None,
            lambda cap: any(a.kind == cap.kind and a.basis == cap.basis for a in shares),
            "the unit of one of the amounts: a share of the same fee, or days of service"))
        if len(caps) > 1:
            self.credit_agreement([c for c, _ in caps], [c.span for c, _ in caps], None, "caps", settled)
        return model.PerOutageCredit(grace.seconds, kind.rounding, period.seconds, tuple(shares),
                                     tuple(caps), claim, span=stmt.span)

    def extension_credit(self, kind: ast.Extension, stmt: ast.Credit, lines, caps, claim,
                         availability: model.AvailabilityTarget | None, settled: frozenset):
        self.no_tier_rows(lines)
        amounts = lines[ast.Amount]
        if amounts:
            self.error("E103", "an extension credit takes no amounts", amounts[0].span,
                       help="the extension is the downtime itself")
        caps = self.caps_fit(caps, availability, "days of service", lambda share: share.kind == "days",
                             "days of service, e.g. `cap 30 days of service per year`")
        return model.ExtensionCredit(kind.scope, claim, span=stmt.span, caps=caps)

    def caps_fit(self, caps, availability, unit: str, fits, example: str) -> tuple:
        """Caps of a tiered or extension credit: in the credit's own unit (E406), over a period
        made of whole measurement periods (E407), since the credit is decided once per period."""
        kept = []
        for share, per in caps:
            if not fits(share):
                what = (f"is not {unit}, the unit this credit is paid in" if unit
                        else "limits none of this credit's amounts")
                self.error("E406", f"`cap {share.text}` {what}", share.span, help=f"state the cap in {example}")
                continue
            period = availability.period if availability is not None else None
            if period == "rolling":
                self.error("E418", f"a cap per {per} on a credit over a rolling window", share.span,
                           help="a rolling window is judged at a date, not once per calendar period: "
                                "drop the cap, or measure per month, quarter or year")
                continue
            if period is not None and per not in _CAP_PERIODS_OVER.get(period, (period,)):
                self.error("E407", f"a cap per {per} on a credit decided per {period}", share.span,
                           help=f"the credit is decided once per {period}: cap it per "
                           + " or per ".join(_CAP_PERIODS_OVER.get(period, (period,))))
                continue
            kept.append((share, per))
        return tuple(kept)

    def tiers(self, stmt, kind, rows, gaps, claim, availability, settled=frozenset()):
        if not rows:
            raise DiagnosticError(Diagnostic("E404", "a credit table with no rows", stmt.span,
                                             help="add rows such as `99.0%..99.9% -> 5%`"))
        built = []
        for row in rows:
            high = self.percent(row.high, row.span)
            low = None if row.low is None else self.percent(row.low, row.span)
            credit = self.percent(row.credit, row.span)
            if low is not None and low > high:
                self.error("E205", f"tier `{row.low}..{row.high}` is reversed", row.span,
                           help="write the lower uptime first")
                continue
            built.append(model.TierRow(low, high, row.below, credit, span=row.span))
        built.sort(key=lambda r: r.high, reverse=True)
        opens = [r for r in built if r.low is None]
        if len(opens) > 1 or (opens and opens[0] is not built[-1]):
            self.error("E401", "only the lowest tier may be open-ended", (opens[0] if opens else built[0]).span,
                       help="give the other rows a lower bound")
        explicit_gaps = gaps[0].party if gaps else None
        for upper, lower in zip(built, built[1:]):
            if upper.low is None:
                continue
            if lower.high > upper.low or (lower.high == upper.low and not lower.below):
                self.error("E401", f"tiers `{_pct(upper.low)}..{_pct(upper.high)}` and "
                           f"`..{_pct(lower.high)}` overlap", lower.span,
                           labels=[Label(upper.span, "the other tier")],
                           help="make each uptime fall in one row")
                continue
            gap = upper.low - lower.high
            precision = Fraction(1, 10 ** max(_decimals(upper.low), _decimals(lower.high)))
            if gap > precision and explicit_gaps is None:
                self.error("E402", f"no tier covers uptimes between {_pct(lower.high)}% and "
                           f"{_pct(upper.low)}%", lower.span,
                           help="add a row for the gap, or say who gets it: `gaps favour customer`")
        if availability is not None and built and built[0].high != availability.target:
            self.warn("W401", f"the credit table starts at {_pct(built[0].high)}% but the target is "
                      f"{_pct(availability.target)}%", built[0].span,
                      help="the target governs the top edge: uptimes at or above it earn nothing; "
                      "make the first row end at the target")
        top = built[0] if built else None
        if (availability is not None and top is not None and top.high == availability.target
                and not top.below and "tier_edges" not in settled):
            target = _pct(availability.target)
            low = "" if top.low is None else _printed(top.low)
            self.warn("W402", f"the credit row `{low}..{_printed(top.high)}` includes {target}%, which "
                      f"meets the {target}% target", top.span,
                      notes=[f"the target governs: exactly {target}% meets it and earns nothing"],
                      help=f"write the row `{low}..below {_printed(top.high)}` to say so, or add "
                      '`reading tier_edges "<the words>" as "<which governs>"` to the service')
        return model.TieredCredit(kind.basis, tuple(built), explicit_gaps or "customer", claim,
                                  span=stmt.span)

    def credit_agreement(self, shares, spans, period_seconds, what: str, settled=frozenset()) -> None:
        """W104: the same credit stated as days, % of monthly and % of annual fee must agree.

        A `reading <what> "..." as "..."` in the same service (topic `amounts` or `caps`) says
        which figure governs, so it settles the warning."""
        if what in settled:
            return
        monthly = []
        for share in shares:
            if share.kind == "days":
                value = share.value * 100 / DAYS_PER_MONTH_FOR_CREDITS
            elif share.basis == "annual":
                value = share.value * 12
            elif share.basis == "quarterly":
                value = share.value * 3
            elif share.basis == "support":
                continue  # a share of another fee: nothing to compare it with
            else:
                value = share.value
            monthly.append((value, share))
        values = {v for v, _ in monthly}
        if len(values) > 1:
            low, high = min(values), max(values)
            places = _distinguishing_places([v for v, _ in monthly] + [high - low])
            described = "; ".join(f"`{s.text}` = {float(v):.{places}f}% of a month's fee" for v, s in monthly)
            self.warn("W104", f"the credit {what} disagree: {described}", spans[0],
                      notes=[f"they differ by up to {float(high - low):.{places}f} percentage points "
                             f"({float((high - low) / high * 100):.1f}%); a month is taken as "
                             f"{DAYS_PER_MONTH_FOR_CREDITS} days and a year as 12 months"],
                      help=f"the evaluator uses each amount for its own fee basis; add "
                      f"`reading {what} \"<the words>\" as \"<which governs>\"` to the service")


def _pct(value: Fraction | None) -> str:
    """A percentage for messages: 99.9 -> `99.9`, 99 -> `99`."""
    if value is None:
        return ""
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return text


def _printed(value: Fraction) -> str:
    """A credit-table bound as tables print it: at least one decimal (99.0%)."""
    text = _pct(value)
    return f"{text if '.' in text else text + '.0'}%"


def _distinguishing_places(values, least: int = 2, most: int = 12) -> int:
    """Decimal places that print distinct values distinctly and no nonzero value as zero."""
    for places in range(least, most + 1):
        shown = [round(v, places) for v in values]
        if len(set(shown)) == len(set(values)) and all(r or not v for r, v in zip(shown, values)):
            return places
    return most


def _decimals(value: Fraction) -> int:
    digits = 0
    while value.denominator != 1 and digits < 6:
        value *= 10
        digits += 1
    return max(digits, 1)


def _service_time(node: ast.ServiceDays | ast.ServiceHours, unit: str, per_day: int) -> model.Share:
    """`3 days of service`, `12 hours of service`: a share counted in days of service."""
    if node.count <= 0:
        raise DiagnosticError(Diagnostic("E204", f"a credit of zero {unit}s", node.span,
                                         help="give a positive count"))
    written = f"{node.count} {unit}{'' if node.count == 1 else 's'} of service"
    return model.Share("days", Fraction(node.count, per_day), None, written, span=node.span)
