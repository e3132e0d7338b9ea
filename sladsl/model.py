"""The checked contract model: what a contract means, as both back ends read it.

Built only by `sladsl.check`. Names are resolved to strings that key into the contract's tuples,
plan inheritance is flattened (each target remembers where it came from), and every quantity has
its unit: seconds of wall-clock or business time, business days, exact percentages (`Fraction`).
Every element keeps the span it came from (out of equality), for "source: line N".
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

# `@attrs.frozen` and `attrs.field` here are sladsl.nodes' (attrs' spelling, no code generated per
# class; attrs' own functions work on the classes): see sladsl/nodes.py, start-up time.
from sladsl import nodes as attrs
from sladsl.ast import NO_SPAN, Span

METRICS = ("response", "resolution", "update", "pickup")  # in display order
METRIC_OF_VERB = {"respond": "response", "resolve": "resolution", "update": "update", "pickup": "pickup"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _span():
    return attrs.field(default=NO_SPAN, eq=False, repr=False, kw_only=True)


@attrs.frozen
class Duration:
    """A target's size: `seconds` of time, or a count of `business_days` (exactly one is set)."""

    seconds: int | None = None
    business_days: int | None = None
    text: str = ""  # canonical display, e.g. "1h30m", "1 business day"

    @property
    def is_business_days(self) -> bool:
        return self.business_days is not None


@attrs.frozen
class Holiday:
    """One frozen holiday date with its label."""

    date: date
    label: str


@attrs.frozen
class Calendar:
    """A zone, weekly windows and frozen holidays."""

    name: str
    zone: str  # for the runtime: IANA name, "UTC", or a fixed offset "UTC+07:00"
    zone_label: str  # as the contract wrote it ("GMT+7", "BRT")
    week: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # ("mon", (("09:00", "17:00"),)), 7 days
    holidays: tuple[Holiday, ...] = ()
    holiday_years: tuple[int, int] | None = None  # years the dates are frozen for
    holiday_sources: tuple[str, ...] = ()  # plain-language sources ("Thailand public and bank holidays")
    always: bool = False
    inline: bool = False  # written in place (`business(...)`), named after its text
    # `on holidays ...`: the windows of a holiday date (empty: a holiday is closed all day)
    holiday_hours: tuple[tuple[str, str], ...] = ()
    span: Span = _span()
    # The weekly items as written, for the document, when a window crosses midnight or spans days
    # (`week` holds them cut into pieces per day): ((days, ((open, close, closes), ...)), ...),
    # `closes` "" (the same day), "next day", or the weekday it closes on ("mon"); else empty.
    written_week: tuple[tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]], ...] = \
        attrs.field(default=(), eq=False, repr=False, kw_only=True)

    @property
    def weekly_seconds(self) -> int:
        """Nominal business seconds in a week without holidays (wall-clock, ignoring DST)."""
        return sum(_minutes(c) * 60 - _minutes(o) * 60 for _, windows in self.week for o, c in windows)

    def week_groups(self) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
        """(first day, last day, windows) for each run of neighbouring days with equal windows
        and at least one window: Mon-Fri 09:00-17:00 is one group."""
        groups: list[list] = []
        for day, windows in self.week:
            if groups and groups[-1][2] == windows:
                groups[-1][1] = day
            else:
                groups.append([day, day, windows])
        return [(first, last, windows) for first, last, windows in groups if windows]

    @property
    def business_days_per_week(self) -> int:
        return sum(1 for _, windows in self.week if windows)

    @property
    def uniform_day_seconds(self) -> int | None:
        """Business seconds of every business day, when all business days are equally long."""
        lengths = {sum(_minutes(c) - _minutes(o) for o, c in windows) * 60
                   for _, windows in self.week if windows}
        return lengths.pop() if len(lengths) == 1 else None


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


@attrs.frozen
class Priority:
    """A priority level; `rank` 0 is the most severe."""

    name: str
    rank: int
    description: str | None = None
    examples: tuple[str, ...] = ()
    span: Span = _span()


@attrs.frozen
class Target:
    """One commitment for one metric and priority (`priority` None: every priority)."""

    metric: str  # one of METRICS
    priority: str | None
    duration: Duration  # governs the due instant (the upper end of a range)
    calendar: str | None  # a key of Contract.calendars; None: the hours of the plan it is used with
    low: Duration | None = None  # the lower end of a `between` range (informative)
    proportion: Fraction | None = None  # percent of tickets, for "85% within 2h"
    proportion_period: str | None = None
    best_effort: bool = False
    alternative: Duration | None = None  # the same target as the seed also stated it
    every: bool = False  # an update cadence: the interval restarts at each update
    negotiable: bool = False  # `or as agreed`: judged against the stated time, marked negotiable
    after_response: bool = False  # an update cadence that starts at the first response
    # `until restored then CAL`: the calendar the clock counts in from the service's restoration
    # (a key of Contract.calendars); before it, `calendar`
    until_restored: str | None = None
    # `from first contact` ("contact") / `from priority set` ("priority"): the event the clock
    # starts at instead of the opening (docs/semantics.md "Clocks that start at an event")
    start: str | None = None
    origin: str = ""  # "contract", "plan Premium", "addon Resolution", "channel Phone"
    span: Span = _span()


@attrs.frozen
class EscalationStep:
    """Who to contact from `start` to `end` seconds of elapsed time."""

    start: int
    end: int | None
    role: str
    contact: str | None = None
    remark: str | None = None
    when: str | None = None
    span: Span = _span()


@attrs.frozen
class Escalation:
    """A ladder; `calendar` None means elapsed wall-clock time since the ticket opened."""

    steps: tuple[EscalationStep, ...]
    calendar: str | None = None
    origin: str = ""
    span: Span = _span()


@attrs.frozen
class Prose:
    """A typed prose clause; `term` is set for definitions."""

    kind: str  # note, exclude, obligation, scope, feature, policy, definition
    text: str
    term: str | None = None
    origin: str = ""
    span: Span = _span()


@attrs.frozen
class Reading:
    """How the contract reads an ambiguous sentence of its source document."""

    topic: str | None
    quote: str
    meaning: str
    scope: str = "contract"
    span: Span = _span()


@attrs.frozen
class Commitment:
    """An operational commitment (`commit`) or a customer deadline (`deadline`)."""

    kind: str  # "commit" | "deadline"
    text: str
    when: str  # "within" | "every" | "notice"
    duration: Duration
    after: str | None = None
    best_effort: bool = False
    span: Span = _span()


@attrs.frozen
class Money:
    currency: str
    amount: Fraction
    text: str  # as written, "216,000,000"


@attrs.frozen
class Price:
    money: Money | None = None
    period: str | None = None
    included: str | None = None  # "SMB package" for `price included "SMB package"`
    span: Span = _span()
    addon: bool = False  # `price addon ...`: sold as an add-on to another package


@attrs.frozen
class Channel:
    name: str
    hours: str | None = None
    contact: str | None = None
    audience: str | None = None
    default_priority: str | None = None
    only_priorities: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    prose: tuple[Prose, ...] = ()
    span: Span = _span()


@attrs.frozen
class Plan:
    """A plan with inheritance flattened: `targets` are the effective ones, one per metric/priority."""

    name: str
    includes: tuple[str, ...] = ()  # direct parents, as written
    ancestors: tuple[str, ...] = ()  # every plan it inherits from, nearest first
    hours: str | None = None
    price: Price | None = None
    channels: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    escalation: Escalation | None = None
    prose: tuple[Prose, ...] = ()  # its own and inherited, each with `origin`
    span: Span = _span()


@attrs.frozen
class Condition:
    """A test on a ticket attribute: `organisation is "Acme"` (one of the values); `tags has
    "vip"` (a multi-valued attribute holding one of them). Values compare ignoring case."""

    attribute: str
    op: str  # "is" | "has"
    values: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class ChoiceBranch:
    """One branch of a choice by ticket attributes: when every condition holds, `choice` (a
    calendar or plan name) applies; no conditions: `otherwise`."""

    when: tuple[Condition, ...]
    choice: str
    span: Span = _span()


@attrs.frozen
class CalendarChoice:
    """`calendar NAME by ATTRIBUTE { ... }`: the calendar a ticket's attribute chooses; the first
    branch that matches, else the `otherwise` branch (the last one), else a data error."""

    name: str
    attribute: str
    branches: tuple[ChoiceBranch, ...]
    span: Span = _span()

    @property
    def options(self) -> tuple[str, ...]:
        """The calendars it can choose, in written order, each once."""
        return tuple(dict.fromkeys(b.choice for b in self.branches))


@attrs.frozen
class Addon:
    """Targets and features bought on top of a plan; targets without a calendar use the plan's hours."""

    name: str
    for_plans: tuple[str, ...] = ()  # empty: any plan
    price: Price | None = None
    targets: tuple[Target, ...] = ()
    prose: tuple[Prose, ...] = ()
    span: Span = _span()


@attrs.frozen
class TierRow:
    """A credit-table row as printed, in percent: [low, high] (low None: open bottom)."""

    low: Fraction | None
    high: Fraction
    below: bool  # `below HIGH`: strictly below
    credit: Fraction
    span: Span = _span()


@attrs.frozen
class Share:
    """A credit or cap amount: `value` percent of a fee, a fraction of a fee, or days of service."""

    kind: str  # "percent" | "days"
    # percent for kind "percent" (a fraction is stored as its percent); days for "days"
    # (`4 hours of service` is 1/6 day)
    value: Fraction
    basis: str | None  # "monthly" | "quarterly" | "annual" | "support" for percent; None for days
    text: str
    span: Span = _span()


@attrs.frozen
class ClaimWindow:
    """How long after the end of a measured period a credit for it can be claimed.

    `unit` "day": `count` calendar days in the service's zone; "cycle": `count` billing cycles,
    a billing cycle being the service's measurement period."""

    count: int
    unit: str  # "day" | "cycle"
    span: Span = _span()


@attrs.frozen
class CreditLife:
    """Where and how a credit is claimed, when it is posted, and when an unused credit expires
    (docs/semantics.md "Credit posting and expiry")."""

    claim_at: str | None = None  # an email address or an http(s) URL, as written
    claim_includes: tuple[str, ...] = ()  # what a claim must contain
    post: str | None = None  # "within": at most `post_days` after the claim; "next_invoice"
    post_days: int | None = None
    expire: str | None = None  # "after_issue": `expire_count` `expire_unit`s after posting; "contract_end"
    expire_count: int | None = None
    expire_unit: str | None = None  # "day" | "month" | "year"
    contract_end: date | None = None  # "contract_end": the contract's last day (`until`), if stated
    span: Span = _span()


@attrs.frozen
class TieredCredit:
    basis: str  # "monthly" | "annual"
    rows: tuple[TierRow, ...]  # best uptime first
    gaps: str = "customer"
    claim: str | None = None
    span: Span = _span()
    caps: tuple[tuple[Share, str], ...] = ()  # (share of the table's fee, per period)
    claim_window: ClaimWindow | None = None
    life: CreditLife | None = None
    fee_scope: str | None = None  # `fee of the affected region`: shares of that scope's fee


@attrs.frozen
class PerOutageCredit:
    grace: int  # seconds of each outage that earn nothing
    rounding: str  # "started" | "whole"
    period: int  # seconds per credit period
    amounts: tuple[Share, ...]
    caps: tuple[tuple[Share, str], ...] = ()  # (share, per period)
    claim: str | None = None
    span: Span = _span()
    claim_window: ClaimWindow | None = None
    life: CreditLife | None = None
    fee_scope: str | None = None  # `fee of the affected region`: shares of that scope's fee


@attrs.frozen
class ExtensionCredit:
    scope: str  # "excess": downtime beyond the allowance; "all": all downtime
    claim: str | None = None
    span: Span = _span()
    caps: tuple[tuple[Share, str], ...] = ()  # (days of service, per period)
    claim_window: ClaimWindow | None = None
    life: CreditLife | None = None


@attrs.frozen
class DurationBand:
    """Outages from `low` seconds (inclusive; `over`: exclusive) to `high` (inclusive; `below`:
    exclusive; None: no upper bound) earn `amount` each."""

    low: int
    over: bool
    high: int | None
    below: bool
    amount: Share
    span: Span = _span()


@attrs.frozen
class BandCredit:
    """`credit per outage by duration { ... }` (docs/semantics.md "Credits by outage duration")."""

    bands: tuple[DurationBand, ...]  # shortest outages first
    gaps: str | None = None  # who gets an outage between bands, when the contract says
    claim: str | None = None
    span: Span = _span()
    caps: tuple[tuple[Share, str], ...] = ()  # (share in the bands' unit, per period)
    claim_window: ClaimWindow | None = None
    life: CreditLife | None = None
    fee_scope: str | None = None  # `fee of the affected region`: shares of that scope's fee



@attrs.frozen
class FeeMultipleCredit:
    """`credit 10 times fees for downtime of monthly fee`: in a period that misses its target,
    `multiplier` x the fee paid during the downtime (docs/semantics.md "Credit formulas")."""

    multiplier: Fraction
    basis: str  # "monthly" | "annual": the fee, paid over its calendar month or year
    text: str  # the multiplier as written
    claim: str | None = None
    span: Span = _span()
    caps: tuple[tuple[Share, str], ...] = ()  # (share of the same fee, per period)
    claim_window: ClaimWindow | None = None
    life: CreditLife | None = None


@attrs.frozen
class HourlyRateCredit:
    """`credit USD 120 per started hour of downtime`: in a period that misses its target, the
    period's downtime in hours (rounded as stated) x the rate."""

    rate: Money | None  # None: `hourly rate`, given when judging
    rounding: str  # "started" | "whole" | "exact"
    claim: str | None = None
    span: Span = _span()
    caps: tuple[tuple[Share, str], ...] = ()  # always empty: money takes no cap (E406)
    claim_window: ClaimWindow | None = None
    life: CreditLife | None = None


@attrs.frozen
class DeviceCredit:
    """`credit per violation { USD 25 per affected device }` or `{ 10% of monthly fee prorated by
    affected devices; devices 200 }`: a flat credit per outage by the devices it affected."""

    per_device: Money | None  # paid per violation for each affected device
    prorated: Share | None  # x affected devices / `devices`
    devices: int | None  # None: the number of devices is given when judging
    claim: str | None = None
    span: Span = _span()
    caps: tuple[tuple[Share, str], ...] = ()  # prorated shares only: (share of the same fee, per)
    claim_window: ClaimWindow | None = None
    life: CreditLife | None = None


FormulaCredit = FeeMultipleCredit | HourlyRateCredit | DeviceCredit
CreditScheme = TieredCredit | PerOutageCredit | ExtensionCredit | BandCredit | FormulaCredit


@attrs.frozen
class AvailabilityTarget:
    target: Fraction  # percent, e.g. Fraction(9995, 100)
    period: str  # "month" | "quarter" | "year" | "week" | "rolling"
    zone: str  # zone the period is bounded in (runtime form)
    best_effort: bool = False
    measured_at: str | None = None
    span: Span = _span()
    first_month: int = 1  # quarters and years start in this month (2: a fiscal year from February)
    not_rolling: bool = False  # stated "not rolling": calendar periods, said in the document
    rolling_days: int | None = None  # period "rolling": the N local days ending with a date
    before_claim: bool = False  # the N days before a claim date (the claim date excluded)
    # `per billing month from activation`: periods of `period` anchored at the activation day
    # (docs/semantics.md "Billing periods"); `activated` is the day when the contract states it.
    billing: bool = False
    activated: date | None = None


@attrs.frozen
class Maintenance:
    allowance: int  # seconds per period
    period: str
    outside: str | None  # calendar: maintenance inside its hours is not excluded
    overrun: str  # "excess": only the part beyond the allowance counts; "all": all of it counts
    span: Span = _span()


@attrs.frozen
class MaintenanceWindow:
    """A dated maintenance window (docs/semantics.md "Dated maintenance windows"): downtime inside
    it is excluded once the window is used, for `scopes` only when it names them."""

    start: int  # UTC epoch seconds of the local start in the service's zone
    end: int
    text: str  # the window as written: `2027-01-10 02:00-06:00`
    backup: tuple[int, int] | None = None  # a window only when the primary was not used
    backup_text: str | None = None
    scopes: tuple[str, ...] = ()  # a partial-outage window: the scopes it may take down; empty: all
    span: Span = _span()


@attrs.frozen
class Monitor:
    interval: Duration
    description: str | None = None
    span: Span = _span()


@attrs.frozen
class MinimumOutage:
    """Which continuous failures count (docs/semantics.md "What counts as downtime")."""

    rule: str  # "longer": whole, if strictly longer; "at_least": whole, if at least; "beyond": the excess
    seconds: int
    span: Span = _span()


@attrs.frozen
class Sampling:
    """Downtime counted in whole intervals aligned to the start of each measurement period."""

    seconds: int
    threshold: Fraction | None = None  # percent of the interval that must be down; None: any downtime
    span: Span = _span()


@attrs.frozen
class Scopes:
    """`measured per region in ... overall ...`: outages carry a scope; one verdict per scope."""

    kind: str  # "region", "instance", ...: a word for the document
    names: tuple[str, ...] = ()  # the scopes listed; empty: those the data names
    overall: str = "each"  # "each" | "average" | "all-down"
    span: Span = _span()


@attrs.frozen
class CountsSli:
    """Availability from counts of good and total executions per interval (docs/semantics.md
    "Availability from counts")."""

    name: str  # what is counted, as the contract calls it: "requests"
    interval: int  # seconds each counts row covers, intervals laid from the window's local midnight
    rule: str  # "ratio": good / total; "threshold": intervals over an error rate are down; "average"
    threshold: Fraction | None = None  # percent (rule "threshold")
    inclusive: bool = False  # `reaches` (at least the threshold) rather than `above` it
    window: int | None = None  # seconds of each averaged window (rule "average")
    span: Span = _span()


@attrs.frozen
class Counting:
    """What counts as downtime beyond the outage records themselves."""

    minimum: MinimumOutage | None = None
    sampling: Sampling | None = None
    impact: bool = False  # `downtime weighted by impact`
    scopes: Scopes | None = None
    impact_span: Span = _span()


@attrs.frozen
class Service:
    name: str
    availability: AvailabilityTarget | None = None
    downtime_means: tuple[str, ...] = ()
    # ("earliest", ("report", "detection")); None: the contract is silent, downtime counts from
    # the outage record's start, and the document says nothing about it.
    downtime_start: tuple[str, tuple[str, ...]] | None = None
    maintenance: Maintenance | None = None
    monitors: tuple[Monitor, ...] = ()
    credits: tuple[CreditScheme, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    prose: tuple[Prose, ...] = ()
    span: Span = _span()
    counting: Counting = Counting()
    # `partial periods credit prorated|full fee` (docs/semantics.md "Partial periods"); None: unstated
    partial_fee: str | None = None
    counts: CountsSli | None = None  # `measured by requests ...`: availability from counts
    maintenance_windows: tuple[MaintenanceWindow, ...] = ()
    # Which credits are paid when there are several (docs/semantics.md "One formula or the
    # other"): "every" (each one), "greater" (the one worth more), "customer" (one, the customer's
    # choice: every one is reported); None: not stated (every one, warned about: W431).
    credit_choice: str | None = None


@attrs.frozen
class Section:
    name: str
    commitments: tuple[Commitment, ...] = ()
    prose: tuple[Prose, ...] = ()
    span: Span = _span()


@attrs.frozen
class PauseRule:
    """`pause [respond, resolve] while status ...`: the clocks stop while the ticket is in one of
    the statuses (compared case-insensitively)."""

    statuses: tuple[str, ...]  # as written, in order
    metrics: tuple[str, ...] = ()  # METRICS; empty: every metric
    span: Span = _span()


@attrs.frozen
class InactivityStep:
    """`remind after 3 business days`: the state `name` is due `duration` after the step before
    it (the first: after the ticket entered the status)."""

    name: str
    duration: Duration
    span: Span = _span()


@attrs.frozen
class Inactivity:
    """`inactivity while status ...` (docs/semantics.md "Inactivity timers"): states the helpdesk
    drives while the ticket waits in one of `statuses`, counted on `calendar` (24x7 unless
    `within` names one: `calendar_stated`)."""

    statuses: tuple[str, ...]
    calendar: str
    steps: tuple[InactivityStep, ...]
    calendar_stated: bool = False
    span: Span = _span()


@attrs.frozen
class ClockRules:
    """When the ticket clocks pause and what a reopened ticket does (docs/semantics.md "Clock
    rules"). The defaults are what a contract without clock clauses means."""

    pauses: tuple[PauseRule, ...] = ()
    reopen: str = "continues"  # "continues": the time spent solved is paused; "restarts": new cycle
    reopen_stated: bool = False  # written in the contract (the document says so either way)
    # A priority changed mid-ticket: a clock still running takes the new priority's target,
    # counted from the "opening" (as Jira Service Management) or from the "change".
    reclassify: str = "opening"
    reclassify_stated: bool = False
    span: Span = _span()  # of the `reopen` clause
    reclassify_span: Span = _span()
    inactivity: Inactivity | None = None

    def statuses(self, metric: str | None = None) -> tuple[str, ...]:
        """The pause statuses of every metric (`metric` None), or those of `metric` alone."""
        return tuple(s for rule in self.pauses
                     if (not rule.metrics if metric is None else metric in rule.metrics)
                     for s in rule.statuses)


@attrs.frozen
class Penalty:
    """A money remedy for ticket breaches: more than `more_than` breached verdicts of `metric`
    (of `priorities`; empty: every priority) among the tickets opened in one period owe `amount`
    (docs/semantics.md "Penalties on ticket breaches")."""

    more_than: int
    metric: str  # "response", "resolution", ...
    priorities: tuple[str, ...]
    period: str  # "week" | "month" | "quarter" | "year"
    first_month: int  # quarters and years start in this month (fiscal)
    amount: Share
    text: str  # the clause as written, for reports
    span: Span = _span()


@attrs.frozen
class Contract:
    """A checked contract."""

    name: str
    file: str
    provider: str | None = None
    title: str | None = None
    version: str | None = None
    source: str | None = None
    effective: date | None = None
    until: date | None = None  # the last day in effect (inclusive); set by the next version's start
    withdrawn: date | None = None
    currency: str | None = None
    zone: str | None = None  # default zone, runtime form
    calendars: tuple[Calendar, ...] = ()
    # Calendars chosen by a ticket attribute; a target's `calendar` or a plan's `hours` may name one.
    calendar_choices: tuple[CalendarChoice, ...] = ()
    # Plans chosen by ticket attributes (`plan X when ...`, `plan Y otherwise`), in written order:
    # a ticket that names no plan gets the first that matches (Zendesk's ordered SLA policies).
    plan_choice: tuple[ChoiceBranch, ...] = ()
    priorities: tuple[Priority, ...] = ()  # most severe first
    channels: tuple[Channel, ...] = ()
    plans: tuple[Plan, ...] = ()
    addons: tuple[Addon, ...] = ()
    services: tuple[Service, ...] = ()
    sections: tuple[Section, ...] = ()
    targets: tuple[Target, ...] = ()  # contract-level targets (they apply under every plan)
    escalation: Escalation | None = None
    commitments: tuple[Commitment, ...] = ()
    prose: tuple[Prose, ...] = ()
    readings: tuple[Reading, ...] = ()
    clock: ClockRules = ClockRules()
    span: Span = _span()
    # The zone whose midnights bound `effective` and `until` (docs/semantics.md "Versions"): the
    # contract's `zone`, else the one zone all its calendars share, else UTC.
    dates_zone: str = "UTC"
    until_implied: bool = False  # `until` is the day before the next version's `effective`
    # `effective ... splitting periods`: a service period straddling this version's start is
    # split at it, each part judged by its own version (docs/semantics.md "Versions").
    split_periods: bool = False
    penalties: tuple[Penalty, ...] = ()  # ticket breaches -> money (check/formulas.py)

    def calendar(self, name: str) -> Calendar:
        for calendar in self.calendars:
            if calendar.name == name:
                return calendar
        raise KeyError(name)

    def calendar_choice(self, name: str) -> CalendarChoice | None:
        """The calendar choice of that name, or None when `name` is a calendar."""
        return next((c for c in self.calendar_choices if c.name == name), None)

    def hours_options(self, name: str) -> tuple[str, ...]:
        """The calendars `name` can stand for: itself, or the options of a calendar choice."""
        choice = self.calendar_choice(name)
        return (name,) if choice is None else choice.options

    def plan(self, name: str) -> Plan:
        for plan in self.plans:
            if plan.name == name:
                return plan
        raise KeyError(name)


@attrs.frozen
class Versions:
    """Several versions of one contract, earliest first, each in effect from its `effective`
    date until the next one's (docs/semantics.md "Versions"); checked to have no overlap or gap."""

    name: str
    file: str
    versions: tuple[Contract, ...]
    span: Span = _span()


def with_file(checked: Contract | Versions, file: str) -> Contract | Versions:
    """The checked contract named after another file (each version too)."""
    if isinstance(checked, Versions):
        return attrs.evolve(checked, file=file,
                            versions=tuple(attrs.evolve(v, file=file) for v in checked.versions))
    return attrs.evolve(checked, file=file)


def versions_of(checked: Contract | Versions) -> tuple[Contract, ...]:
    """The versions of a checked file: a single contract is a set of one."""
    return checked.versions if isinstance(checked, Versions) else (checked,)
