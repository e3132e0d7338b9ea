"""The syntax tree: what a `.sla` file says, as written.

Every node is a small frozen class, declared in attrs' spelling and built by `sladsl.nodes`
(same behaviour, a fraction of attrs' cost to create: start-up time). Literals are kept as the text that was written
(`"1h30m"`, `"99.95%"`); the checker (`sladsl.check`) gives them units and meaning. Each node carries
a `span` that is left out of equality, so round-trip tests compare structure only.
"""

from __future__ import annotations

from typing import Union

# `@attrs.frozen` and `attrs.field` here are sladsl.nodes' (attrs' spelling, no generated code per
# class): importing this module was the largest part of a short `sladsl check` with attrs itself.
from sladsl import nodes as attrs


@attrs.frozen(order=True)
class Span:
    """Where a node was written: file and 1-based start/end line and column (end exclusive)."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int


NO_SPAN = Span("<none>", 0, 0, 0, 0)


def _span():
    return attrs.field(default=NO_SPAN, eq=False, repr=False, kw_only=True)


# ---- names and literals --------------------------------------------------------------------


@attrs.frozen
class Name:
    """A user-chosen name: an identifier or a quoted string (`Premium`, `"8x7 Dedicated"`)."""

    text: str
    span: Span = _span()


@attrs.frozen
class ClockDuration:
    """A wall-clock or business duration literal: `90s`, `45m`, `1h30m`, `2d`, `1'30\"`."""

    text: str
    span: Span = _span()


@attrs.frozen
class UnitDuration:
    """A count with a spelled-out unit: `2 days`, `1 week`, `30 minutes`."""

    count: int
    unit: str
    span: Span = _span()


@attrs.frozen
class BusinessDays:
    """`N business day(s)`: counted on a calendar's business dates (SEMANTICS.md)."""

    count: int
    span: Span = _span()


@attrs.frozen
class MisplacedPercent:
    """A percentage written where a duration belongs; the checker reports it (E202)."""

    text: str
    span: Span = _span()


Duration = Union[ClockDuration, UnitDuration, BusinessDays, MisplacedPercent]


@attrs.frozen
class Money:
    """A currency code and an amount as written: `IDR 216,000,000`."""

    currency: str
    amount: str
    span: Span = _span()


# ---- calendars -------------------------------------------------------------------------------


@attrs.frozen
class DayRange:
    """`Mon` or `Mon-Fri`."""

    first: str
    last: str | None = None
    span: Span = _span()


@attrs.frozen
class DaySet:
    """Days a window list applies to: ranges (`Mon-Fri, Sun`) or a group (`daily`)."""

    ranges: tuple[DayRange, ...] = ()
    group: str | None = None
    span: Span = _span()


@attrs.frozen
class Window:
    """A half-open local window `open-close`, e.g. `09:00-17:00`; it may close on a named day
    (`Sun 14:00-Fri 17:00`) or on the next day (`17:30-09:30 next day`)."""

    open: str
    close: str
    close_day: str | None = None
    next_day: bool = False
    span: Span = _span()


@attrs.frozen
class Weekly:
    """Windows on a set of weekdays; no day set means Monday to Friday."""

    days: DaySet | None
    windows: tuple[Window, ...]
    span: Span = _span()


@attrs.frozen
class Always:
    """`24x7` (or `24x7x365`): every moment is business time."""

    text: str = "24x7"
    span: Span = _span()


@attrs.frozen
class ZoneItem:
    """A calendar's zone: `GMT+7`, `Asia/Jakarta`, or `zone BRT`."""

    zone: str
    keyword: bool = False
    span: Span = _span()


@attrs.frozen
class YearRange:
    """`2024..2030`: the years a holiday set is frozen for."""

    first: int
    last: int
    span: Span = _span()


@attrs.frozen
class HolidaySet:
    """`holidays(TH, public, bank) 2024..2030`: a country (or subdivision) set."""

    region: str
    categories: tuple[str, ...] = ()
    years: YearRange | None = None
    without: tuple[str, ...] = ()  # names of the set's holidays that the contract does not keep
    span: Span = _span()


@attrs.frozen
class HolidayDate:
    """An explicit holiday date, optionally labelled."""

    date: str
    label: str | None = None
    span: Span = _span()


@attrs.frozen
class HolidayRule:
    """A yearly holiday: `Dec 25`, `third Mon of Jan`, optionally `observed`."""

    month: str
    day: int | None = None
    ordinal: str | None = None
    weekday: str | None = None
    label: str | None = None
    observed: bool = False
    span: Span = _span()
    word: str = attrs.field(default="of", kw_only=True)  # `of` or `in`, as written (same meaning)


@attrs.frozen
class HolidayRange:
    """`Dec 28 - Jan 3`: the same run of days every year (it may cross New Year)."""

    first_month: str
    first_day: int
    last_month: str
    last_day: int
    label: str | None = None
    span: Span = _span()


@attrs.frozen
class DateRange:
    """`2026-12-24 - 2027-01-02`: a run of dates in one year (or across one New Year)."""

    first: str
    last: str
    label: str | None = None
    span: Span = _span()


@attrs.frozen
class DayAfter:
    """`day after fourth Thu of Nov` or `day after "Thanksgiving Day"` (a holiday of the calendar)."""

    base: HolidayRule | str
    span: Span = _span()


Holiday = Union[HolidaySet, HolidayDate, HolidayRule, HolidayRange, DateRange, DayAfter]


@attrs.frozen
class Except:
    """`except ...`: holidays removed from a calendar."""

    holidays: tuple[Holiday, ...]
    span: Span = _span()


@attrs.frozen
class HolidayHours:
    """`on holidays 24x7` or `on holidays 10:00-14:00`: the windows of a holiday date."""

    windows: tuple[Window, ...] = ()
    always: Always | None = None
    span: Span = _span()


CalendarItem = Union[Weekly, Always, ZoneItem, Except, HolidayHours]


@attrs.frozen
class Calendar:
    """`calendar NAME = ...` or `calendar NAME { ... }`."""

    name: Name
    items: tuple[CalendarItem, ...]
    span: Span = _span()


@attrs.frozen
class CalendarRef:
    """A calendar named where a calendar is expected."""

    name: Name
    span: Span = _span()


@attrs.frozen
class InlineCalendar:
    """`business(09:00-17:00 GMT+7)`: a calendar written in place."""

    items: tuple[CalendarItem, ...]
    span: Span = _span()


CalendarExpr = Union[CalendarRef, InlineCalendar, Always]


@attrs.frozen
class ChoiceBranch:
    """`"Germany", "Austria": de_hours` in a calendar choice; no values: `otherwise: eu_hours`."""

    values: tuple[Name, ...]
    calendar: CalendarExpr
    span: Span = _span()


@attrs.frozen
class CalendarChoice:
    """`calendar NAME by ATTRIBUTE { VALUES: CALENDAR ... otherwise: CALENDAR }`."""

    name: Name
    attribute: Name
    branches: tuple[ChoiceBranch, ...]
    span: Span = _span()


# ---- header and prose ------------------------------------------------------------------------


@attrs.frozen
class Header:
    """`provider "..."`, `title`, `version`, `source`."""

    key: str
    value: str
    span: Span = _span()


@attrs.frozen
class HeaderDate:
    """`effective 2024-01-01`, `until 2026-12-31`, `withdrawn 2022-07-01`; `splitting periods`
    after an `effective` date splits a service period that straddles it (docs/semantics.md
    "Versions")."""

    key: str
    value: str
    span: Span = _span()
    splitting: bool = False


@attrs.frozen
class Currency:
    """`currency IDR`: the contract's currency."""

    code: str
    span: Span = _span()


@attrs.frozen
class DefaultZone:
    """`zone Asia/Jakarta`: the zone used where a calendar or service names none."""

    zone: str
    span: Span = _span()


@attrs.frozen
class Prose:
    """A typed prose clause: note, exclude, obligation, scope, feature, policy."""

    kind: str
    text: str
    span: Span = _span()


@attrs.frozen
class Definition:
    """`definition "Term" "meaning"`."""

    term: str
    text: str
    span: Span = _span()


@attrs.frozen
class Reading:
    """`reading [topic] "seed text" as "how it is read"`: an ambiguity decided in the open."""

    topic: str | None
    quote: str
    meaning: str
    span: Span = _span()


# ---- priorities and targets ------------------------------------------------------------------


@attrs.frozen
class Level:
    """One priority level with its description and examples."""

    name: Name
    description: str | None = None
    examples: tuple[str, ...] = ()
    span: Span = _span()


@attrs.frozen
class Priorities:
    """`priorities { ... }`: the levels, most severe first."""

    levels: tuple[Level, ...]
    span: Span = _span()


@attrs.frozen
class Fixed:
    """A single duration target."""

    duration: Duration
    span: Span = _span()


@attrs.frozen
class Range:
    """`between LOW and HIGH`: the high end is the due instant, the low end informs."""

    low: Duration
    high: Duration
    span: Span = _span()


@attrs.frozen
class Proportion:
    """`2h for 85% per month`: a share of tickets that must meet the duration."""

    duration: Duration
    percent: str
    period: str | None = None
    span: Span = _span()


@attrs.frozen
class WeeklyCadence:
    """`update weekly`: an update cadence of 7 days of elapsed time."""

    span: Span = _span()


Quantity = Union[Fixed, Range, Proportion, WeeklyCadence]


@attrs.frozen
class Target:
    """`respond 1h within office best-effort (1 business day)`."""

    metric: str
    quantity: Quantity
    calendar: CalendarExpr | None = None
    best_effort: bool = False
    alternative: Duration | None = None
    every: bool = False  # `update every 4h`: a cadence, restarting at each update
    negotiable: bool = False  # `or as agreed`
    after_response: bool = False  # `after response`: the cadence starts at the first response
    until_restored: CalendarExpr | None = None  # `until restored then CAL`: the hours after it
    start: str | None = None  # `from first contact` ("contact"), `from priority set` ("priority")
    span: Span = _span()


@attrs.frozen
class TargetStmt:
    """`priority A, B target...`; no priorities means every priority."""

    priorities: tuple[Name, ...]
    targets: tuple[Target, ...]
    span: Span = _span()


@attrs.frozen
class Within:
    """`within CAL { ... }`: the calendar for the targets inside."""

    calendar: CalendarExpr
    body: tuple["Stmt", ...]
    span: Span = _span()


@attrs.frozen
class EscalationRow:
    """`0h..6h "Role" contact "..." remark "..."`."""

    start: Duration
    end: Duration | None
    role: str
    fields: tuple[tuple[str, str], ...] = ()
    span: Span = _span()


@attrs.frozen
class Escalate:
    """An escalation ladder by elapsed time."""

    calendar: CalendarExpr | None
    rows: tuple[EscalationRow, ...]
    span: Span = _span()


# ---- plans and channels ----------------------------------------------------------------------


@attrs.frozen
class Hours:
    """`hours CAL`: a plan's or channel's hours."""

    calendar: CalendarExpr
    span: Span = _span()


@attrs.frozen
class Contact:
    """`contact "..."`."""

    text: str
    span: Span = _span()


@attrs.frozen
class Audience:
    """`audience "..."`: who may use a channel."""

    text: str
    span: Span = _span()


@attrs.frozen
class Channels:
    """`channels A, B`: the channels a plan offers."""

    names: tuple[Name, ...]
    span: Span = _span()


@attrs.frozen
class Price:
    """`price IDR 216,000,000 per year`, `price addon IDR 216,000,000` or `price included "SMB"`."""

    money: Money | None = None
    period: str | None = None
    included: bool = False
    label: str | None = None
    span: Span = _span()
    addon: bool = False  # `price addon ...`: bought on top of another package, not a plan price


@attrs.frozen
class DefaultPriority:
    """`default priority Medium`: the priority a channel gives new tickets."""

    name: Name
    span: Span = _span()


@attrs.frozen
class OnlyPriority:
    """`only priority High`: a channel open to some priorities only."""

    names: tuple[Name, ...]
    span: Span = _span()


# ---- services, availability and credits ------------------------------------------------------


@attrs.frozen
class Availability:
    """`availability 99.95% per quarter|rolling 30 days [before claim]|billing month from activation
    [fiscal from Feb] [not rolling]
    [best-effort] [in ZONE] [measured at "..."]`."""

    percent: str
    period: str
    best_effort: bool = False
    zone: str | None = None
    measured_at: str | None = None
    span: Span = _span()
    fiscal_from: str | None = None  # the month a fiscal quarter or year starts in: "Feb"
    not_rolling: bool = False  # the contract says the period is not a rolling window
    rolling_days: int | None = None  # `per rolling 30 days` (period "rolling")
    before_claim: bool = False  # `per rolling 365 days before claim`
    billing_from: str | None = None  # `per billing month from activation`: "activation" or "2026-01-17"


@attrs.frozen
class Monitor:
    """`monitor every 5m "..."`."""

    interval: Duration
    description: str | None = None
    span: Span = _span()


@attrs.frozen
class DowntimeDef:
    """`downtime means "..."`: a condition that counts as downtime."""

    text: str
    span: Span = _span()


@attrs.frozen
class DowntimeStart:
    """`downtime starts at report` or `earliest(report, detection)`."""

    function: str | None
    events: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class DowntimeMinimum:
    """`downtime counts outages longer than 5m` (rule "longer"), `... of at least 60s`
    ("at_least") or `downtime counts only beyond 5m of each outage` ("beyond")."""

    rule: str
    duration: Duration
    span: Span = _span()


@attrs.frozen
class DowntimeIntervals:
    """`downtime in 5m intervals [at least 50% down]`: downtime counted in whole intervals."""

    interval: Duration
    threshold: str | None = None  # "50%"; None: any downtime in an interval makes it down
    span: Span = _span()


@attrs.frozen
class DowntimeWeighting:
    """`downtime weighted by impact`: each outage counts by the share of customers it affected."""

    span: Span = _span()


@attrs.frozen
class PartialPeriods:
    """`partial periods credit prorated|full fee`: what a partial period's credit is a share of."""

    fee: str  # "prorated" | "full"
    span: Span = _span()


@attrs.frozen
class CountsSli:
    """`measured by requests in 1m intervals good / total | down when error rate above 5% |
    average of 1h error rates`: availability from counts of good and total executions."""

    name: str
    interval: Duration
    rule: str  # "ratio" | "threshold" | "average"
    threshold: str | None = None  # "5%" (rule "threshold")
    over: str | None = None  # "above" (strictly) | "reaches" (at least)
    window: Duration | None = None  # the averaged window (rule "average")
    span: Span = _span()


@attrs.frozen
class Scopes:
    """`measured per region [in "eu", "us"] [overall each|average|all-down]`."""

    kind: str
    names: tuple[Name, ...] = ()
    overall: str | None = None
    span: Span = _span()


@attrs.frozen
class Maintenance:
    """`maintenance up to 8h per month outside office overrun counts excess`."""

    allowance: Duration
    period: str
    outside: CalendarExpr | None
    overrun: str
    span: Span = _span()


@attrs.frozen
class DatedWindow:
    """`2027-01-10 02:00-06:00` or `2027-01-09 22:00-2027-01-10 04:00`: local date and times."""

    date: str
    start: str
    end_date: str | None
    end: str
    span: Span = _span()


@attrs.frozen
class MaintenanceWindow:
    """`maintenance on 2027-01-10 02:00-06:00 [backup ...] [affecting reporting, exports]`."""

    window: DatedWindow
    backup: DatedWindow | None
    affecting: tuple[Name, ...] = ()
    span: Span = _span()


@attrs.frozen
class FeeShare:
    """`3.3% of monthly fee`."""

    percent: str
    basis: str
    span: Span = _span()


@attrs.frozen
class FeeFraction:
    """`1/24 of annual fee`."""

    fraction: str
    basis: str
    span: Span = _span()


@attrs.frozen
class ServiceDays:
    """`1 day of service`."""

    count: int
    span: Span = _span()


@attrs.frozen
class ServiceHours:
    """`4 hours of service`."""

    count: int
    span: Span = _span()


Share = Union[FeeShare, FeeFraction, ServiceDays, ServiceHours]


@attrs.frozen
class Tiers:
    """`credit tiers of monthly fee { ... }`."""

    basis: str
    span: Span = _span()


@attrs.frozen
class PerOutage:
    """`credit per outage beyond 1h per started 60m { ... }`."""

    grace: Duration
    rounding: str
    period: Duration
    span: Span = _span()


@attrs.frozen
class Extension:
    """`credit extension for excess downtime`: a pro-rated subscription extension."""

    scope: str
    span: Span = _span()


@attrs.frozen
class Bands:
    """`credit per outage by duration { ... }`: each outage earns the amount of its band."""

    span: Span = _span()


@attrs.frozen
class MoneyAmount:
    """An amount of money as written, its currency possibly left out: `USD 120`, `120`."""

    currency: str | None
    amount: str
    span: Span = _span()


@attrs.frozen
class FeeMultiple:
    """`credit 10 times fees for downtime of monthly fee`: a multiple of the fee paid during it."""

    multiplier: str
    basis: str
    span: Span = _span()


@attrs.frozen
class HourlyRate:
    """`credit USD 120 per started hour of downtime`; `hourly rate`: given when judging (None)."""

    rate: MoneyAmount | None
    rounding: str | None  # "started" | "whole"; None: exact hours, pro rata
    span: Span = _span()


@attrs.frozen
class PerViolation:
    """`credit per violation { ... }`: a flat credit per outage, per affected device."""

    span: Span = _span()


CreditKind = Union[Tiers, PerOutage, Extension, Bands, FeeMultiple, HourlyRate, PerViolation]


@attrs.frozen
class TierRow:
    """`99.0%..99.9% -> 5%`, `99.0%..below 99.9% -> 5%`, `..89.9% -> 30%` or `below 90% -> 30%`."""

    low: str | None
    high: str
    below: bool
    credit: str
    span: Span = _span()


@attrs.frozen
class BandRow:
    """`15m..1h -> 1 day of service`, `15m..below 1h -> ...`, `4h.. -> ...` or `over 4h -> ...`:
    outages from LOW (inclusive; `over`: exclusive) up to HIGH (inclusive; `below`: exclusive;
    None: no upper bound) earn the share."""

    low: Duration
    over: bool
    high: Duration | None
    below: bool
    share: Share
    span: Span = _span()


@attrs.frozen
class Amount:
    """One way a per-period credit is stated."""

    share: Share
    span: Span = _span()


@attrs.frozen
class Cap:
    """`cap 50% of monthly fee per month`."""

    share: Share
    period: str
    span: Span = _span()


@attrs.frozen
class Gaps:
    """`gaps favour customer`: who gets an uptime between printed rows."""

    party: str
    span: Span = _span()


@attrs.frozen
class Claim:
    """`claim "..."`: how a credit is claimed or paid."""

    text: str
    span: Span = _span()


@attrs.frozen
class BillingCycles:
    """`2 billing cycles` in a claim window."""

    count: str
    span: Span = _span()


@attrs.frozen
class ClaimWindow:
    """`claim within 30 days after period end` / `claim within 2 billing cycles after period end`."""

    length: Union[Duration, BillingCycles]
    span: Span = _span()


@attrs.frozen
class PerDevice:
    """`USD 25 per affected device`: paid once per violation for each device it affected."""

    money: Money
    span: Span = _span()


@attrs.frozen
class ClaimAt:
    """`claim at "credits@example.com"`: where a claim is sent (an email address or a URL)."""

    address: str
    span: Span = _span()


@attrs.frozen
class ProratedDevices:
    """`10% of monthly fee prorated by affected devices`: x affected devices / all devices."""

    share: Share
    span: Span = _span()


@attrs.frozen
class ClaimIncludes:
    """`claim includes "the account ID", "the dates of each outage"`: what a claim must contain."""

    items: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class DeviceCount:
    """`devices 200`: the devices a prorated credit divides by."""

    count: int
    span: Span = _span()


@attrs.frozen
class PostWithin:
    """`post within 30 days after claim`: the credit is posted at most that long after the claim."""

    length: Duration
    span: Span = _span()


@attrs.frozen
class PostNextInvoice:
    """`post on next invoice`: the credit is applied to the first invoice after the claim."""

    span: Span = _span()


@attrs.frozen
class ExpireAfter:
    """`expire 12 months after issue`: an unused credit lapses that long after it is posted."""

    count: str
    unit: str
    span: Span = _span()


@attrs.frozen
class ExpireAtEnd:
    """`expire at contract end`: an unused credit lapses when the contract ends."""

    span: Span = _span()


CreditLife = Union[ClaimAt, ClaimIncludes, PostWithin, PostNextInvoice, ExpireAfter, ExpireAtEnd]


@attrs.frozen
class FeeScope:
    """`fee of the affected region`: shares of the fee of the scope judged, not the service's."""

    kind: str
    span: Span = _span()


CreditLine = Union[TierRow, BandRow, Amount, Cap, Gaps, Claim, ClaimWindow, CreditLife, PerDevice,
                   ProratedDevices, DeviceCount, FeeScope]


@attrs.frozen
class Credit:
    """A service-credit scheme."""

    kind: CreditKind
    lines: tuple[CreditLine, ...]
    span: Span = _span()


@attrs.frozen
class CreditChoice:
    """`pay every credit`, `pay the greater credit` or `pay one credit chosen by customer`."""

    how: str  # "every" | "greater" | "customer"
    span: Span = _span()


@attrs.frozen
class Commitment:
    """`commit "..." within 4h [after "..."] [best-effort]`; `deadline` for the customer's."""

    kind: str
    text: str
    when: str
    duration: Duration
    after: str | None = None
    best_effort: bool = False
    span: Span = _span()


# ---- ticket clock rules ----------------------------------------------------------------------


@attrs.frozen
class PauseRule:
    """`pause [respond, resolve] while status "waiting on customer", "on hold"`."""

    metrics: tuple[str, ...]  # verbs as written; empty: every metric
    statuses: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class ReopenRule:
    """`reopen continues` | `reopen restarts`: what a reopened ticket's resolution clock does."""

    mode: str
    span: Span = _span()


@attrs.frozen
class ReclassifyRule:
    """`reclassification counts from opening` | `... from change`: a priority changed mid-ticket."""

    start: str
    span: Span = _span()


@attrs.frozen
class InactivityStep:
    """`remind after 3 business days`: a state the helpdesk moves the ticket to."""

    name: str
    duration: "Duration"
    span: Span = _span()


@attrs.frozen
class InactivityRule:
    """`inactivity while status "pending" within office { remind after 3 business days ... }`."""

    statuses: tuple[str, ...]
    calendar: object | None  # a calref; None: 24x7
    steps: tuple[InactivityStep, ...]
    span: Span = _span()


# ---- declarations ----------------------------------------------------------------------------


@attrs.frozen
class Condition:
    """`organisation is "Acme", "Globex"`, `tags has "vip"`: a test on a ticket attribute."""

    attribute: Name
    op: str  # "is" | "has"
    values: tuple[Name, ...]
    span: Span = _span()


@attrs.frozen
class Plan:
    """`plan NAME [includes A, B] [when CONDITION and ... | otherwise] { ... }`."""

    name: Name
    includes: tuple[Name, ...]
    body: tuple["Stmt", ...]
    span: Span = _span()
    # Chosen by ticket attributes (first plan that matches, in written order): the conditions of
    # `when ...`, all of which must hold; `otherwise` chooses it when no earlier plan matched.
    when: tuple[Condition, ...] = attrs.field(default=(), kw_only=True)
    otherwise: bool = attrs.field(default=False, kw_only=True)


@attrs.frozen
class Addon:
    """`addon NAME [for A, B] { ... }`."""

    name: Name
    for_plans: tuple[Name, ...]
    body: tuple["Stmt", ...]
    span: Span = _span()


@attrs.frozen
class Channel:
    """`channel NAME { ... }`."""

    name: Name
    body: tuple["Stmt", ...]
    span: Span = _span()


@attrs.frozen
class Service:
    """`service NAME { ... }`."""

    name: Name
    body: tuple["Stmt", ...]
    span: Span = _span()


@attrs.frozen
class Section:
    """`section NAME { ... }`: commitments and prose under a heading."""

    name: Name
    body: tuple["Stmt", ...]
    span: Span = _span()


@attrs.frozen
class Contract:
    """`contract "Title" { ... }`."""

    name: Name
    body: tuple["Stmt", ...]
    span: Span = _span()


@attrs.frozen
class Penalty:
    """`penalty more than 4 breaches of respond [priority A, B] per quarter [fiscal from Feb] -> SHARE`."""

    more_than: int
    metric: str  # the verb as written: `respond`
    priorities: tuple[Name, ...]
    period: str
    fiscal_from: str | None
    amount: "Share"
    span: Span = _span()


Stmt = Union[
    Contract, Header, HeaderDate, Currency, DefaultZone, Prose, Definition, Reading, Calendar,
    CalendarChoice,
    Priorities, Channel, Plan, Addon, Service, Section, TargetStmt, Within, Escalate, Hours,
    Contact, Audience, Channels, Price, DefaultPriority, OnlyPriority, Availability, Monitor,
    DowntimeDef, DowntimeStart, Maintenance, MaintenanceWindow, Credit, CreditChoice, Commitment, DowntimeMinimum,
    DowntimeIntervals, DowntimeWeighting, Scopes, PartialPeriods, CountsSli,
    PauseRule, ReopenRule, ReclassifyRule, InactivityRule, Penalty,
]


@attrs.frozen
class Module:
    """A whole `.sla` file: one or more contracts, or bare statements (an anonymous contract)."""

    body: tuple[Stmt, ...]
    span: Span = _span()


def walk(node):
    """Every node under `node` (itself included), depth first, in field order."""
    yield node
    for field in attrs.fields(type(node)) if attrs.has(type(node)) else ():
        if field.name == "span":
            continue
        value = getattr(node, field.name)
        for item in value if isinstance(value, tuple) else (value,):
            if attrs.has(type(item)) and not isinstance(item, Span):
                yield from walk(item)
