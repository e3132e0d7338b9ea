"""Stage 2: Lark tree -> `sladsl.ast` nodes, mechanically, one method per grammar rule.

No meaning is decided here (that is `sladsl.check`); this stage only unquotes strings and records spans.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from lark import Token, Transformer, Tree, v_args

from sladsl import ast
from sladsl.ast import Span
from sladsl.diagnostics import Diagnostic

_OPTION_WORDS = {"calendar": "within", "best_effort": "best-effort", "alternative": "( )",
                 "negotiable": "or as agreed", "after_response": "after response",
                 "until_restored": "until restored then", "start": "from"}


class _Billing(NamedTuple):
    """`billing month from activation`, on its way into ast.Availability."""

    period: str
    anchor: str  # "activation" or a date as written


def unquote(token: str) -> str:
    """A STRING token's value: the grammar admits `\\"`, `\\\\`, `\\n`, `\\t` and `\\uXXXX` escapes."""
    return _decode(token[1:-1])[0]


def _decode(body: str) -> tuple[str, list[int]]:
    """A string's value, and the offsets in `body` of `\\uXXXX` escapes that are lone surrogates.

    A high surrogate escape followed by a low one (`\\ud83d\\ude00`, as JSON writes characters
    beyond the BMP) is one character. A lone surrogate is no character at all: it cannot be
    encoded as UTF-8, so every writer would fail on it; it is reported (E007) and read as U+FFFD.
    """
    if "\\" not in body:
        return body, []
    out: list[str] = []
    lone: list[int] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in _SIMPLE_ESCAPES:
                out.append(_SIMPLE_ESCAPES[nxt])
                i += 2
                continue
            code = _hex_escape(body, i)
            if code is not None:
                low = _hex_escape(body, i + 6) if 0xD800 <= code < 0xDC00 else None
                if low is not None and 0xDC00 <= low < 0xE000:
                    out.append(chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)))
                    i += 12
                    continue
                if 0xD800 <= code < 0xE000:
                    lone.append(i)
                    code = 0xFFFD
                out.append(chr(code))
                i += 6
                continue
        out.append(char)
        i += 1
    return "".join(out), lone


_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_HEX = frozenset("0123456789abcdefABCDEF")


def _hex_escape(body: str, i: int) -> int | None:
    """The code point of a `\\uXXXX` escape starting at `body[i]`, else None."""
    if body[i : i + 2] != "\\u" or i + 6 > len(body):
        return None
    digits = body[i + 2 : i + 6]
    return int(digits, 16) if all(c in _HEX for c in digits) else None


def _text(token):
    return None if token is None else str(token)


def _string(token):
    return None if token is None else unquote(str(token))


@v_args(meta=True)
class ToAst(Transformer):
    """Builds AST nodes; `meta` gives each node its span."""

    def __init__(self, file: str):
        super().__init__()
        self.file = file
        self.diagnostics: list[Diagnostic] = []

    def _span(self, meta) -> Span:
        if getattr(meta, "empty", True):
            return Span(self.file, 0, 0, 0, 0)
        return Span(self.file, meta.line, meta.column, meta.end_line, meta.end_column)

    def _token_span(self, token: Token) -> Span:
        return Span(self.file, token.line, token.column, token.end_line, token.end_column)

    # ---- structure ----------------------------------------------------------------------------
    def start(self, meta, children):
        return ast.Module(tuple(children), span=self._span(meta))

    def block(self, meta, children):
        return tuple(children)

    def name_list(self, meta, children):
        return tuple(children)

    def ident_name(self, meta, children):
        return ast.Name(str(children[0]), span=self._token_span(children[0]))

    def string_name(self, meta, children):
        return ast.Name(unquote(children[0]), span=self._token_span(children[0]))

    def contract(self, meta, children):
        name, body = children
        return ast.Contract(name, body, span=self._span(meta))

    def plan(self, meta, children):
        name, includes, condition, body = children
        when = condition if isinstance(condition, tuple) else ()
        return ast.Plan(name, includes or (), body, span=self._span(meta), when=when,
                        otherwise=condition == "otherwise")

    def when_all(self, meta, children):
        return tuple(children)

    def plan_otherwise(self, meta, children):
        return "otherwise"

    def condition(self, meta, children):
        attribute, op, *values = children
        return ast.Condition(ast.Name(str(attribute), span=self._token_span(attribute)), str(op),
                             tuple(values), span=self._span(meta))

    def calendar_choice(self, meta, children):
        name, attribute, *branches = children
        return ast.CalendarChoice(name, ast.Name(str(attribute), span=self._token_span(attribute)),
                                  tuple(branches), span=self._span(meta))

    def choice_branch(self, meta, children):
        *values, calendar = children
        names = tuple(ast.Name(unquote(v), span=self._token_span(v)) for v in values)
        return ast.ChoiceBranch(names, calendar, span=self._span(meta))

    def choice_otherwise(self, meta, children):
        return ast.ChoiceBranch((), children[0], span=self._span(meta))

    def addon(self, meta, children):
        name, for_plans, body = children
        return ast.Addon(name, for_plans or (), body, span=self._span(meta))

    def channel(self, meta, children):
        return ast.Channel(children[0], children[1], span=self._span(meta))

    def service(self, meta, children):
        return ast.Service(children[0], children[1], span=self._span(meta))

    def section(self, meta, children):
        return ast.Section(children[0], children[1], span=self._span(meta))

    # ---- header and prose ---------------------------------------------------------------------
    def header(self, meta, children):
        return ast.Header(str(children[0]), unquote(children[1]), span=self._span(meta))

    def header_date(self, meta, children):
        return ast.HeaderDate(str(children[0]), str(children[1]), span=self._span(meta),
                              splitting=len(children) > 2 and children[2] is not None)

    def split_periods(self, meta, children):
        return True

    def currency(self, meta, children):
        return ast.Currency(str(children[0]), span=self._span(meta))

    def default_zone(self, meta, children):
        return ast.DefaultZone(children[0], span=self._span(meta))

    def zone(self, meta, children):
        return str(children[0])

    def prose(self, meta, children):
        return ast.Prose(str(children[0]), unquote(children[1]), span=self._span(meta))

    def definition(self, meta, children):
        return ast.Definition(unquote(children[0]), unquote(children[1]), span=self._span(meta))

    def reading(self, meta, children):
        topic, quote, meaning = children
        return ast.Reading(_text(topic), unquote(quote), unquote(meaning), span=self._span(meta))

    # ---- calendars ----------------------------------------------------------------------------
    def calendar(self, meta, children):
        name, *specs = children
        items = tuple(item for spec in specs for item in spec)
        return ast.Calendar(name, items, span=self._span(meta))

    def calspec(self, meta, children):
        return tuple(children)

    def weekly(self, meta, children):
        days, *windows = children
        return ast.Weekly(days, tuple(windows), span=self._span(meta))

    def dayset(self, meta, children):
        if len(children) == 1 and isinstance(children[0], Token) and children[0].type == "DAY_GROUP":
            return ast.DaySet((), str(children[0]), span=self._span(meta))
        return ast.DaySet(tuple(children), None, span=self._span(meta))

    def dayrange(self, meta, children):
        return ast.DayRange(str(children[0]), _text(children[1]), span=self._span(meta))

    def window(self, meta, children):
        opens, close_day, closes, next_day = children
        return ast.Window(str(opens), str(closes), _text(close_day), next_day is not None,
                          span=self._span(meta))

    def next_day(self, meta, children):
        return True

    def holiday_hours(self, meta, children):
        if len(children) == 1 and isinstance(children[0], ast.Always):
            return ast.HolidayHours((), children[0], span=self._span(meta))
        return ast.HolidayHours(tuple(children), None, span=self._span(meta))

    def always(self, meta, children):
        return ast.Always(str(children[0]), span=self._span(meta))

    def zone_item(self, meta, children):
        return ast.ZoneItem(str(children[0]), False, span=self._span(meta))

    def zone_keyword(self, meta, children):
        return ast.ZoneItem(str(children[0]), True, span=self._span(meta))

    def except_(self, meta, children):
        return ast.Except(tuple(children), span=self._span(meta))

    def year_range(self, meta, children):
        return ast.YearRange(int(children[0]), int(children[1]), span=self._span(meta))

    def holiday_set(self, meta, children):
        region, *rest = children
        without = rest.pop()  # the optional `without` clause is always the last child
        years = rest.pop() if rest and (rest[-1] is None or isinstance(rest[-1], ast.YearRange)) else None
        return ast.HolidaySet(str(region), tuple(str(c) for c in rest), years, without or (),
                              span=self._span(meta))

    def without(self, meta, children):
        return tuple(unquote(c) for c in children)

    def holiday_range(self, meta, children):
        first_month, first_day, last_month, last_day, label = children
        return ast.HolidayRange(str(first_month), int(first_day), str(last_month), int(last_day),
                                _string(label), span=self._span(meta))

    def date_range(self, meta, children):
        first, last, label = children
        return ast.DateRange(str(first), str(last), _string(label), span=self._span(meta))

    def day_after(self, meta, children):
        (base,) = children
        return ast.DayAfter(base if isinstance(base, ast.HolidayRule) else unquote(base),
                            span=self._span(meta))

    def holiday_date(self, meta, children):
        return ast.HolidayDate(str(children[0]), _string(children[1]), span=self._span(meta))

    def holiday_rule(self, meta, children):
        ordinal, weekday, word, month, day, label, observed = children
        return ast.HolidayRule(
            str(month), None if day is None else int(day), _text(ordinal), _text(weekday),
            _string(label), observed is not None, span=self._span(meta),
            word=str(word) if word is not None else "of",
        )

    def calendar_ref(self, meta, children):
        return ast.CalendarRef(children[0], span=self._span(meta))

    def business_ref(self, meta, children):
        # `business` is a keyword (`business(...)`, `2 business days`) and also a valid calendar
        # name: alone after `within`/`hours` it names the calendar.
        token = children[0]
        return ast.CalendarRef(ast.Name(str(token), span=self._token_span(token)), span=self._span(meta))

    def inline_calendar(self, meta, children):
        return ast.InlineCalendar(children[-1], span=self._span(meta))

    # ---- priorities and targets ---------------------------------------------------------------
    def priorities(self, meta, children):
        if len(children) == 1 and isinstance(children[0], tuple):
            levels = tuple(ast.Level(name, span=name.span) for name in children[0])
        else:
            levels = tuple(children)
        return ast.Priorities(levels, span=self._span(meta))

    def level(self, meta, children):
        name, description, *examples = children
        return ast.Level(name, unquote(description), tuple(unquote(e) for e in examples),
                         span=self._span(meta))

    def target_stmt(self, meta, children):
        if isinstance(children[0], tuple):
            names, *targets = children
        else:
            names, targets = (), children
        return ast.TargetStmt(names, tuple(targets), span=self._span(meta))

    def target(self, meta, children):
        metric, cadence, quantity, *options = children
        fields = {"calendar": None, "best_effort": False, "alternative": None,
                  "every": cadence is not None, "negotiable": False, "after_response": False,
                  "until_restored": None, "start": None}
        for kind, value, span in options:
            if fields[kind] not in (None, False):
                self.diagnostics.append(Diagnostic(
                    "E105", f"a target may say `{_OPTION_WORDS[kind]}` only once", span,
                    help="remove the repeated part"))
            fields[kind] = value
        return ast.Target(str(metric), quantity, **fields, span=self._span(meta))

    def cadence(self, meta, children):
        return True

    def target_calendar(self, meta, children):
        return ("calendar", children[0], self._span(meta))

    def best_effort(self, meta, children):
        return ("best_effort", True, self._span(meta))

    def alternative(self, meta, children):
        return ("alternative", children[0], self._span(meta))

    def weekly_cadence(self, meta, children):
        return ast.WeeklyCadence(span=self._span(meta))

    def negotiable(self, meta, children):
        return ("negotiable", True, self._span(meta))

    def after_response(self, meta, children):
        return ("after_response", True, self._span(meta))

    def until_restored(self, meta, children):
        return ("until_restored", children[0], self._span(meta))

    def start_at_contact(self, meta, children):
        return ("start", "contact", self._span(meta))

    def start_at_priority(self, meta, children):
        return ("start", "priority", self._span(meta))

    def fixed(self, meta, children):
        return ast.Fixed(children[0], span=self._span(meta))

    def range(self, meta, children):
        return ast.Range(children[0], children[1], span=self._span(meta))

    def proportion(self, meta, children):
        duration, percent, period = children
        return ast.Proportion(duration, str(percent), _text(period), span=self._span(meta))

    def clock_duration(self, meta, children):
        return ast.ClockDuration(str(children[0]), span=self._span(meta))

    def business_days(self, meta, children):
        return ast.BusinessDays(int(children[0]), span=self._span(meta))

    def unit_duration(self, meta, children):
        return ast.UnitDuration(int(children[0]), str(children[1]), span=self._span(meta))

    def misplaced_percent(self, meta, children):
        return ast.MisplacedPercent(str(children[0]), span=self._span(meta))

    def within(self, meta, children):
        return ast.Within(children[0], children[1], span=self._span(meta))

    def escalate(self, meta, children):
        calendar, *rows = children
        return ast.Escalate(calendar, tuple(rows), span=self._span(meta))

    def escalation_row(self, meta, children):
        start, end, role, *fields = children
        return ast.EscalationRow(start, end, unquote(role), tuple(fields), span=self._span(meta))

    def escalation_field(self, meta, children):
        return (str(children[0]), unquote(children[1]))

    # ---- plans and channels -------------------------------------------------------------------
    def hours(self, meta, children):
        return ast.Hours(children[0], span=self._span(meta))

    def contact(self, meta, children):
        return ast.Contact(unquote(children[0]), span=self._span(meta))

    def audience(self, meta, children):
        return ast.Audience(unquote(children[0]), span=self._span(meta))

    def channels(self, meta, children):
        return ast.Channels(children[0], span=self._span(meta))

    def price(self, meta, children):
        if isinstance(children[0], ast.Money):
            return ast.Price(children[0], _text(children[1]), span=self._span(meta))
        return ast.Price(None, None, True, _string(children[-1]), span=self._span(meta))

    def addon_price(self, meta, children):
        return ast.Price(children[0], _text(children[1]), span=self._span(meta), addon=True)

    def money(self, meta, children):
        return ast.Money(str(children[0]), str(children[1]), span=self._span(meta))

    def default_priority(self, meta, children):
        return ast.DefaultPriority(children[0], span=self._span(meta))

    def only_priority(self, meta, children):
        return ast.OnlyPriority(children[0], span=self._span(meta))

    # ---- services and credits -----------------------------------------------------------------
    def availability(self, meta, children):
        percent, period, fiscal, not_rolling, best, zone, measured = children
        billing = period if isinstance(period, _Billing) else None
        if billing is not None:
            period = billing.period
        rolling = period if isinstance(period, tuple) else None
        return ast.Availability(str(percent), "rolling" if rolling else str(period), best is not None, zone,
                                _string(measured), span=self._span(meta),
                                fiscal_from=fiscal, not_rolling=not_rolling is not None,
                                rolling_days=rolling[0] if rolling else None,
                                before_claim=bool(rolling and rolling[1]),
                                billing_from=billing.anchor if billing else None)

    def counts_sli(self, meta, children):
        name, interval, rule = children
        return ast.CountsSli(str(name), interval, rule[0], rule[1], rule[2], rule[3], span=self._span(meta))

    def counts_ratio(self, meta, children):
        return ("ratio", None, None, None)

    def counts_threshold(self, meta, children):
        over, percent = children
        return ("threshold", str(percent), str(over), None)

    def counts_average(self, meta, children):
        return ("average", None, None, children[0])

    def partial_periods(self, meta, children):
        return ast.PartialPeriods(str(children[0]), span=self._span(meta))

    def billing_period(self, meta, children):
        period, anchor = children
        return _Billing(str(period), str(anchor))

    def rolling(self, meta, children):
        days, before = children
        return (int(days), before is not None)

    def before_claim(self, meta, children):
        return True

    def fiscal(self, meta, children):
        return str(children[0])

    def not_rolling(self, meta, children):
        return True

    def monitor(self, meta, children):
        return ast.Monitor(children[0], _string(children[1]), span=self._span(meta))

    def downtime_def(self, meta, children):
        return ast.DowntimeDef(unquote(children[0]), span=self._span(meta))

    def downtime_start(self, meta, children):
        return children[0]

    def clock_start(self, meta, children):
        first, *rest = [c for c in children if c is not None]
        if rest:
            return ast.DowntimeStart(str(first), tuple(str(r) for r in rest), span=self._span(meta))
        return ast.DowntimeStart(None, (str(first),), span=self._span(meta))

    def outage_longer(self, meta, children):
        return ast.DowntimeMinimum("longer", children[0], span=self._span(meta))

    def outage_at_least(self, meta, children):
        return ast.DowntimeMinimum("at_least", children[0], span=self._span(meta))

    def outage_beyond(self, meta, children):
        return ast.DowntimeMinimum("beyond", children[0], span=self._span(meta))

    def downtime_intervals(self, meta, children):
        interval, threshold = children
        return ast.DowntimeIntervals(interval, None if threshold is None else str(threshold),
                                     span=self._span(meta))

    def downtime_weighting(self, meta, children):
        return ast.DowntimeWeighting(span=self._span(meta))

    def scopes(self, meta, children):
        kind, names, overall = children
        return ast.Scopes(str(kind), tuple(names or ()), None if overall is None else str(overall),
                          span=self._span(meta))

    def maintenance(self, meta, children):
        allowance, period, outside, overrun = children
        return ast.Maintenance(allowance, str(period), outside, str(overrun), span=self._span(meta))

    def maintenance_window(self, meta, children):
        window, backup, affecting = children
        return ast.MaintenanceWindow(window, backup, tuple(affecting or ()), span=self._span(meta))

    def dated_window(self, meta, children):
        day, start, end_day, end = children
        return ast.DatedWindow(str(day), str(start), None if end_day is None else str(end_day), str(end),
                               span=self._span(meta))

    def pause_rule(self, meta, children):
        metrics, *statuses = children
        return ast.PauseRule(tuple(str(m) for m in metrics or ()),
                             tuple(unquote(str(s)) for s in statuses), span=self._span(meta))

    def metric_list(self, meta, children):
        return tuple(children)

    def reopen_rule(self, meta, children):
        return ast.ReopenRule(str(children[0]), span=self._span(meta))

    def reclassify_rule(self, meta, children):
        return ast.ReclassifyRule(str(children[0]), span=self._span(meta))

    def inactivity_rule(self, meta, children):
        steps = tuple(c for c in children if isinstance(c, ast.InactivityStep))
        statuses = [c for c in children if isinstance(c, Token) and c.type == "STRING"]
        rest = [c for c in children if not isinstance(c, (ast.InactivityStep, Token))]
        return ast.InactivityRule(tuple(unquote(str(s)) for s in statuses), rest[0] if rest else None,
                                  steps, span=self._span(meta))

    def inactivity_step(self, meta, children):
        return ast.InactivityStep(str(children[0]), children[1], span=self._span(meta))

    def credit(self, meta, children):
        kind, *lines = children
        return ast.Credit(kind, tuple(lines), span=self._span(meta))

    def tiers(self, meta, children):
        return ast.Tiers(children[0], span=self._span(meta))

    def per_outage(self, meta, children):
        grace, rounding, period = children
        return ast.PerOutage(grace, str(rounding), period, span=self._span(meta))

    def extension(self, meta, children):
        return ast.Extension(str(children[0]), span=self._span(meta))

    def pay_every(self, meta, children):
        return ast.CreditChoice("every", span=self._span(meta))

    def pay_greater(self, meta, children):
        return ast.CreditChoice("greater", span=self._span(meta))

    def pay_chosen(self, meta, children):
        return ast.CreditChoice("customer", span=self._span(meta))

    def fee_scope(self, meta, children):
        return ast.FeeScope(str(children[0]), span=self._span(meta))

    def bands(self, meta, children):
        return ast.Bands(span=self._span(meta))

    def band_range(self, meta, children):
        low, high, share = children
        return ast.BandRow(low, False, high, False, share, span=self._span(meta))

    def band_range_below(self, meta, children):
        low, high, share = children
        return ast.BandRow(low, False, high, True, share, span=self._span(meta))

    def band_from(self, meta, children):
        low, share = children
        return ast.BandRow(low, False, None, False, share, span=self._span(meta))

    def band_over(self, meta, children):
        low, share = children
        return ast.BandRow(low, True, None, False, share, span=self._span(meta))

    def penalty(self, meta, children):
        more_than, metric, priorities, period, fiscal, share = children
        return ast.Penalty(int(more_than), str(metric), tuple(priorities or ()), str(period), fiscal, share,
                           span=self._span(meta))

    def fee_multiple(self, meta, children):
        return ast.FeeMultiple(str(children[0]), children[1], span=self._span(meta))

    def hourly_rate(self, meta, children):
        rate, rounding = children
        return ast.HourlyRate(rate, None if rounding is None else str(rounding), span=self._span(meta))

    def money_amount(self, meta, children):
        currency, amount = children
        return ast.MoneyAmount(None if currency is None else str(currency), str(amount),
                               span=self._span(meta))

    def given_rate(self, meta, children):
        return None

    def per_violation(self, meta, children):
        return ast.PerViolation(span=self._span(meta))

    def per_device(self, meta, children):
        return ast.PerDevice(children[0], span=self._span(meta))

    def prorated_devices(self, meta, children):
        return ast.ProratedDevices(children[0], span=self._span(meta))

    def device_count(self, meta, children):
        return ast.DeviceCount(int(children[0]), span=self._span(meta))

    def fee(self, meta, children):
        return str(children[0])

    def tier_range(self, meta, children):
        low, high, credit = map(str, children)
        return ast.TierRow(low, high, False, credit, span=self._span(meta))

    def tier_range_below(self, meta, children):
        low, high, credit = map(str, children)
        return ast.TierRow(low, high, True, credit, span=self._span(meta))

    def tier_at_most(self, meta, children):
        return ast.TierRow(None, str(children[0]), False, str(children[1]), span=self._span(meta))

    def tier_below(self, meta, children):
        return ast.TierRow(None, str(children[0]), True, str(children[1]), span=self._span(meta))

    def amount(self, meta, children):
        return ast.Amount(children[0], span=self._span(meta))

    def cap(self, meta, children):
        return ast.Cap(children[0], str(children[1]), span=self._span(meta))

    def fee_share(self, meta, children):
        return ast.FeeShare(str(children[0]), children[1], span=self._span(meta))

    def fee_fraction(self, meta, children):
        return ast.FeeFraction(str(children[0]), children[1], span=self._span(meta))

    def service_days(self, meta, children):
        return ast.ServiceDays(int(children[0]), span=self._span(meta))

    def service_hours(self, meta, children):
        return ast.ServiceHours(int(children[0]), span=self._span(meta))

    def gaps(self, meta, children):
        return ast.Gaps(str(children[0]), span=self._span(meta))

    def claim(self, meta, children):
        return ast.Claim(unquote(children[0]), span=self._span(meta))

    def claim_window(self, meta, children):
        return ast.ClaimWindow(children[0], span=self._span(meta))

    def claim_at(self, meta, children):
        return ast.ClaimAt(unquote(children[0]), span=self._span(meta))

    def claim_includes(self, meta, children):
        return ast.ClaimIncludes(tuple(unquote(c) for c in children), span=self._span(meta))

    def post_within(self, meta, children):
        return ast.PostWithin(children[0], span=self._span(meta))

    def post_next_invoice(self, meta, children):
        return ast.PostNextInvoice(span=self._span(meta))

    def expire_after(self, meta, children):
        return ast.ExpireAfter(str(children[0]), str(children[1]), span=self._span(meta))

    def expire_at_end(self, meta, children):
        return ast.ExpireAtEnd(span=self._span(meta))

    def billing_cycles(self, meta, children):
        return ast.BillingCycles(str(children[0]), span=self._span(meta))

    def commitment(self, meta, children):
        kind, text, when, duration, after, best = children
        return ast.Commitment(str(kind), unquote(text), str(when), duration, _string(after),
                              best is not None, span=self._span(meta))


def to_ast(tree: Tree, file: str) -> tuple[ast.Module | None, list[Diagnostic]]:
    """Build the AST of one parsed file, with the few diagnostics only this stage can see.

    A number too long to be a contract term is reported before anything converts it (Python's
    `int()` refuses more than 4,300 digits, and no term needs more than a few), and no AST is built.
    """
    too_long = _long_numbers(tree, file)
    if too_long:
        return None, too_long
    transformer = ToAst(file)
    module = transformer.transform(tree)
    return module, _string_diagnostics(tree, file) + transformer.diagnostics


def _string_diagnostics(tree: Tree, file: str) -> list[Diagnostic]:
    """E007 for every `\\uXXXX` escape naming a lone surrogate; E008 for a control character."""
    found = []
    strings = tree.scan_values(lambda v: isinstance(v, Token) and v.type == "STRING")
    for token in strings:
        raw = str(token)
        value, lone = _decode(raw[1:-1])
        for offset in lone:
            line, column = _position(token, offset + 1)
            found.append(Diagnostic(
                "E007", f"`{raw[offset + 1 : offset + 7]}` is a lone surrogate, not a character",
                Span(file, line, column, line, column + 6),
                help="write the character itself, or a surrogate pair such as `\\ud83d\\ude00`"))
        controls = sorted({c for c in value if unicodedata.category(c) == "Cc" and c not in "\t\n"})
        if controls:
            shown = ", ".join(f"`{c.encode('unicode_escape').decode('ascii')}`" for c in controls)
            found.append(Diagnostic(
                "E008", f"string holds the control character(s) {shown}",
                Span(file, token.line, token.column, token.end_line, token.end_column),
                help="remove it: a terminal or document reader would act on it (only `\\n` and `\\t` are allowed)"))
    return found


MAX_DIGITS = 15  # a number in a contract: an amount of 999 trillion, a count, a duration
_DIGIT_RUN = re.compile(r"[0-9]+")


def _long_numbers(tree: Tree, file: str) -> list[Diagnostic]:
    """E206 for every literal (outside strings and names) with a run of more than MAX_DIGITS digits."""
    found = []
    literals = tree.scan_values(lambda v: isinstance(v, Token) and v.type not in ("STRING", "IDENT"))
    for token in literals:
        longest = max((len(run) for run in _DIGIT_RUN.findall(str(token))), default=0)
        if longest > MAX_DIGITS:
            shown = str(token) if len(str(token)) <= 24 else str(token)[:20] + "…"
            found.append(Diagnostic(
                "E206", f"`{shown}` has a number of {longest:,} digits; the limit is {MAX_DIGITS}",
                Span(file, token.line, token.column, token.end_line, token.end_column),
                help="no contract term needs a longer number; check for a typing slip"))
    return found


def _position(token: Token, index: int) -> tuple[int, int]:
    """The line and column of `str(token)[index]` (a STRING may span lines)."""
    before = str(token)[:index]
    line = token.line + before.count("\n")
    if line == token.line:
        return line, token.column + index
    return line, index - before.rfind("\n")
