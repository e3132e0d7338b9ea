"""Hypothesis strategies for random, syntactically valid `sladsl.ast` trees.

Every literal is text its grammar terminal accepts (`grammar/sladsl.lark`), and every shape is one
the grammar can produce, so `front_end(unparse(m)) == m` is a fair property. Reuse `modules()`
for whole files, `statements()` for single statements, and the literal strategies for pieces.
"""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

from sladsl import ast

# ---- words the grammar spells out ------------------------------------------------------------
METRICS = ("respond", "resolve", "update", "pickup")
UNITS = ("minutes", "minute", "hours", "hour", "days", "day", "weeks", "week")
PERIODS = ("month", "quarter", "year", "week")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_GROUPS = ("daily", "weekdays", "weekends")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ORDINALS = ("first", "second", "third", "fourth", "last")
HEADER_KEYS = ("provider", "title", "version", "source")
DATE_KEYS = ("effective", "withdrawn")
PROSE_KINDS = ("note", "exclude", "obligation", "scope", "feature", "policy")
ESCALATION_KEYS = ("contact", "when", "remark")
COMMIT_KINDS = ("commit", "deadline")
COMMIT_WHENS = ("within", "every", "notice")
# A sample of the grammar's keywords: names spelled like them must still round-trip (quoted).
KEYWORD_SAMPLE = ("respond", "priority", "within", "business", "as", "plan", "Mon", "Dec",
                  "daily", "month", "day", "of", "fee", "zone", "best", "effort", "included")

# ---- literals, as their terminals spell them (ASCII digits only) ------------------------------
ints = st.integers(min_value=0, max_value=999)
idents = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,7}", fullmatch=True),
    st.sampled_from(KEYWORD_SAMPLE),
)
# Any text a string may hold: quotes, backslashes, newlines, tabs, separators, non-ASCII. Other
# control characters are an error (E008), so they are dropped here (tests/test_terminal_safety.py).
def _admissible(text: str) -> str:
    return "".join(c for c in text if c in "\t\n" or unicodedata.category(c) != "Cc")


texts = st.one_of(
    st.text(max_size=12).map(_admissible),
    st.text(alphabet='"\\\n\t\u2028\u202e#{}ué', max_size=8),
    st.from_regex(r"\\u[0-9a-fA-F]{4}", fullmatch=True),  # escape-looking text stays text
)
clock_texts = st.from_regex(
    r"[0-9]{1,3}[dhms]([0-9]{1,2}[hms]){0,2}|[0-9]{1,2}'([0-9]{1,2}\")?|[0-9]{1,2}\"", fullmatch=True)
percents = st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,2})?%", fullmatch=True)
fractions = st.from_regex(r"[0-9]{1,2}/[0-9]{1,2}", fullmatch=True)
amounts = st.from_regex(r"[0-9]{1,3}(,[0-9]{3}){1,3}(\.[0-9]{1,2})?|[0-9]{1,7}(\.[0-9]{1,2})?",
                        fullmatch=True)
currencies = st.from_regex(r"[A-Z]{3}", fullmatch=True)
dates = st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True)
times = st.from_regex(r"[0-9]{1,2}:[0-9]{2}", fullmatch=True)
regions = st.from_regex(r"[A-Z]{2}(-[A-Z0-9]{1,3})?", fullmatch=True)
# ZONE: `UTC`/`GMT` offsets or IANA-like paths. The ZONE regex tries `UTC|GMT` first, so an IANA
# path may not start with those letters (`UTC/X` would lex as `UTC` then `/X`).
zones = st.one_of(
    st.from_regex(r"(UTC|GMT)([+-][0-9]{1,2}(:[0-9]{2})?)?", fullmatch=True),
    st.from_regex(r"[A-Za-z_]{1,8}(/[A-Za-z0-9_+\-]{1,8}){1,2}", fullmatch=True).filter(
        lambda z: not z.startswith(("UTC", "GMT"))),
)
# ABBREV after `zone`: an abbreviation starting with UTC/GMT would lex as a ZONE prefix.
abbrevs = st.from_regex(r"[A-Z]{2,5}", fullmatch=True).filter(
    lambda a: not a.startswith(("UTC", "GMT")) or a in ("UTC", "GMT"))
zone_texts = st.one_of(zones, abbrevs)


names = st.builds(ast.Name, st.one_of(idents, texts))


def name_lists(min_size: int = 1, max_size: int = 3):
    return st.lists(names, min_size=min_size, max_size=max_size).map(tuple)


def _durations():
    choices = [
        st.builds(ast.ClockDuration, clock_texts),
        st.builds(ast.UnitDuration, ints, st.sampled_from(UNITS)),
        st.builds(ast.BusinessDays, ints),
    ]
    if hasattr(ast, "MisplacedPercent"):  # a percentage where a duration belongs (E202)
        choices.append(st.builds(ast.MisplacedPercent, percents))
    return st.one_of(*choices)


durations = _durations()

# ---- calendars -------------------------------------------------------------------------------
day_ranges = st.builds(ast.DayRange, st.sampled_from(DAYS), st.none() | st.sampled_from(DAYS))
day_sets = st.one_of(
    st.builds(ast.DaySet, st.lists(day_ranges, min_size=1, max_size=3).map(tuple), st.none()),
    st.builds(ast.DaySet, st.just(()), st.sampled_from(DAY_GROUPS)),
)
windows = st.builds(ast.Window, times, times)
weeklies = st.builds(ast.Weekly, st.none() | day_sets,
                     st.lists(windows, min_size=1, max_size=3).map(tuple))
always = st.builds(ast.Always, st.sampled_from(("24x7", "24x7x365")))
zone_items = st.one_of(st.builds(ast.ZoneItem, zones, st.just(False)),
                       st.builds(ast.ZoneItem, zone_texts, st.just(True)))
year_ranges = st.builds(ast.YearRange, ints, ints)
holiday_sets = st.builds(ast.HolidaySet, regions, st.lists(idents, max_size=2).map(tuple),
                         st.none() | year_ranges)
holiday_dates = st.builds(ast.HolidayDate, dates, st.none() | texts)


@st.composite
def holiday_rules(draw):
    nth = draw(st.booleans())
    return ast.HolidayRule(
        draw(st.sampled_from(MONTHS)), draw(st.none() | ints),
        draw(st.sampled_from(ORDINALS)) if nth else None,
        draw(st.sampled_from(DAYS)) if nth else None,
        draw(st.none() | texts), draw(st.booleans()),
        word=draw(st.sampled_from(("of", "in"))) if nth else "of")


excepts = st.builds(ast.Except, st.lists(st.one_of(holiday_sets, holiday_dates, holiday_rules()),
                                         min_size=1, max_size=3).map(tuple))
calendar_items = st.one_of(weeklies, always, zone_items, excepts)


calendar_item_lists = st.lists(calendar_items, max_size=4).map(tuple)
calendar_specs = st.lists(calendar_items, min_size=1, max_size=4).map(tuple)
calrefs = st.one_of(st.builds(ast.CalendarRef, names),
                    st.builds(ast.InlineCalendar, calendar_specs), always)

# ---- targets ---------------------------------------------------------------------------------
quantities = st.one_of(
    st.builds(ast.Fixed, durations),
    st.builds(ast.Range, durations, durations),
    st.builds(ast.Proportion, durations, percents, st.none() | st.sampled_from(PERIODS)),
)
targets = st.builds(ast.Target, st.sampled_from(METRICS), quantities, st.none() | calrefs,
                    st.booleans(), st.none() | durations)


@st.composite
def target_stmts(draw):
    priorities = draw(name_lists(0, 3))
    count = draw(st.integers(1, 3)) if priorities else 1
    return ast.TargetStmt(priorities, tuple(draw(targets) for _ in range(count)))


levels = st.builds(ast.Level, names, texts, st.lists(texts, max_size=2).map(tuple))
priorities = st.one_of(
    st.builds(ast.Priorities, st.lists(st.builds(ast.Level, names), min_size=1, max_size=3)
              .map(tuple)),
    st.builds(ast.Priorities, st.lists(levels, max_size=3).map(tuple)),
)
escalation_rows = st.builds(
    ast.EscalationRow, durations, st.none() | durations, texts,
    st.lists(st.tuples(st.sampled_from(ESCALATION_KEYS), texts), max_size=2).map(tuple))
escalates = st.builds(ast.Escalate, st.none() | calrefs,
                      st.lists(escalation_rows, max_size=3).map(tuple))

# ---- credits ---------------------------------------------------------------------------------
fee_bases = st.sampled_from(("monthly", "annual"))
shares = st.one_of(st.builds(ast.FeeShare, percents, fee_bases),
                   st.builds(ast.FeeFraction, fractions, fee_bases),
                   st.builds(ast.ServiceDays, ints))
tier_rows = st.one_of(
    st.builds(ast.TierRow, percents, percents, st.just(False), percents),
    st.builds(ast.TierRow, st.none(), percents, st.just(False), percents),
    st.builds(ast.TierRow, st.none(), percents, st.just(True), percents),
)
credit_lines = st.one_of(
    tier_rows, st.builds(ast.Amount, shares),
    st.builds(ast.Cap, shares, st.sampled_from(PERIODS)),
    st.builds(ast.Gaps, st.sampled_from(("customer", "provider"))),
    st.builds(ast.Claim, texts),
)
credit_kinds = st.one_of(
    st.builds(ast.Tiers, fee_bases),
    st.builds(ast.PerOutage, durations, st.sampled_from(("started", "whole")), durations),
    st.builds(ast.Extension, st.sampled_from(("excess", "all"))),
)
credits = st.builds(ast.Credit, credit_kinds, st.lists(credit_lines, max_size=4).map(tuple))


@st.composite
def downtime_starts(draw):
    if draw(st.booleans()):
        return ast.DowntimeStart(None, (draw(idents),))
    return ast.DowntimeStart(draw(idents), tuple(draw(st.lists(idents, min_size=1, max_size=3))))


prices = st.one_of(
    st.builds(ast.Price, st.builds(ast.Money, currencies, amounts),
              st.none() | st.sampled_from(PERIODS), addon=st.booleans()),
    st.builds(ast.Price, st.none(), st.none(), st.just(True), st.none() | texts),
)

# ---- statements ------------------------------------------------------------------------------
simple_statements = st.one_of(
    st.builds(ast.Header, st.sampled_from(HEADER_KEYS), texts),
    st.builds(ast.HeaderDate, st.sampled_from(DATE_KEYS), dates),
    st.builds(ast.Currency, currencies),
    st.builds(ast.DefaultZone, zone_texts),
    st.builds(ast.Prose, st.sampled_from(PROSE_KINDS), texts),
    st.builds(ast.Definition, texts, texts),
    st.builds(ast.Reading, st.none() | idents, texts, texts),
    st.builds(ast.Calendar, names, calendar_item_lists),
    priorities,
    target_stmts(),
    escalates,
    st.builds(ast.Hours, calrefs),
    st.builds(ast.Contact, texts),
    st.builds(ast.Audience, texts),
    st.builds(ast.Channels, name_lists()),
    prices,
    st.builds(ast.DefaultPriority, names),
    st.builds(ast.OnlyPriority, name_lists()),
    st.builds(ast.Availability, percents, st.sampled_from(PERIODS), st.booleans(),
              st.none() | zone_texts, st.none() | texts),
    st.builds(ast.Monitor, durations, st.none() | texts),
    st.builds(ast.DowntimeDef, texts),
    downtime_starts(),
    st.builds(ast.Maintenance, durations, st.sampled_from(PERIODS), st.none() | calrefs,
              st.sampled_from(("excess", "all"))),
    credits,
    st.builds(ast.Commitment, st.sampled_from(COMMIT_KINDS), texts, st.sampled_from(COMMIT_WHENS),
              durations, st.none() | texts, st.booleans()),
)


def statements(depth: int = 2):
    """Any statement; blocks nest at most `depth` deep."""
    if depth <= 0:
        return simple_statements
    body = st.lists(statements(depth - 1), max_size=3).map(tuple)
    blocks = st.one_of(
        st.builds(ast.Contract, names, body),
        st.builds(ast.Plan, names, name_lists(0, 2), body),
        st.builds(ast.Addon, names, name_lists(0, 2), body),
        st.builds(ast.Channel, names, body),
        st.builds(ast.Service, names, body),
        st.builds(ast.Section, names, body),
        st.builds(ast.Within, calrefs, body),
    )
    return st.one_of(simple_statements, blocks)


def modules(max_statements: int = 4, depth: int = 2):
    """Whole files: a few statements, blocks nested at most `depth` deep."""
    return st.builds(ast.Module, st.lists(statements(depth), max_size=max_statements).map(tuple))


