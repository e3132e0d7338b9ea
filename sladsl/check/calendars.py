"""Calendars: time zones, weekly windows, holidays (dated, yearly rules, frozen sets)."""

from __future__ import annotations

import re
from datetime import date

from sladsl import ast, model, nodes
from sladsl.ast import Span
from sladsl.cache import holidays_key, load_holidays, store_holidays
from sladsl.check import holiday_items, windows as window_items
from sladsl.check.base import CheckerBase, by_type
from sladsl.diagnostics import Label
from sladsl.runtime.zones import fixed_zone, parse_zone
from sladsl.unparse import calref

DEFAULT_HOLIDAY_YEARS = (2020, 2035)  # frozen range when a contract states none (docs/language.md)
HOLIDAY_YEAR_LIMITS = (1900, 2200)  # what a stated range may span (the holidays package's tables)

_DAY_INDEX = {name: i for i, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))}

# Abbreviations people write for zones: the fixed offset used, and the IANA zone to prefer.
ZONE_ABBREVIATIONS = {
    "BRT": (-180, "America/Sao_Paulo"), "BRST": (-120, "America/Sao_Paulo"),
    "ART": (-180, "America/Argentina/Buenos_Aires"),
    "EST": (-300, "America/New_York"), "EDT": (-240, "America/New_York"),
    "CST": (-360, "America/Chicago"), "CDT": (-300, "America/Chicago"),
    "MST": (-420, "America/Denver"), "MDT": (-360, "America/Denver"),
    "PST": (-480, "America/Los_Angeles"), "PDT": (-420, "America/Los_Angeles"),
    "BST": (60, "Europe/London"), "CET": (60, "Europe/Paris"), "CEST": (120, "Europe/Paris"),
    "EET": (120, "Europe/Athens"), "IST": (330, "Asia/Kolkata"), "ICT": (420, "Asia/Bangkok"),
    "WIB": (420, "Asia/Jakarta"), "MYT": (480, "Asia/Kuala_Lumpur"), "SGT": (480, "Asia/Singapore"),
    "HKT": (480, "Asia/Hong_Kong"), "JST": (540, "Asia/Tokyo"), "KST": (540, "Asia/Seoul"),
    "AEST": (600, "Australia/Sydney"), "AEDT": (660, "Australia/Sydney"),
    "NZST": (720, "Pacific/Auckland"),
}

# A calendar expression (`within X`, `hours X`) -> the name of a model calendar.
_CALENDAR_EXPRS = {
    ast.CalendarRef: "calendar_ref",
    ast.Always: "calendar_always",
    ast.InlineCalendar: "calendar_inline",
}

# The items of a calendar body, each added to a `CalendarDraft`.
_CALENDAR_ITEMS = {
    ast.Always: "always_item",
    ast.Weekly: "weekly_item",
    ast.ZoneItem: "zone_item",
    ast.Except: "except_item",
    ast.HolidayHours: "holiday_hours_item",
}

# The kinds of holiday, each expanded to (dates with labels, source text, frozen years or None).
_HOLIDAYS = {
    ast.HolidayDate: "holiday_date",
    ast.HolidayRule: "holiday_rule",
    ast.HolidaySet: "holiday_set_edited",
    ast.HolidayRange: "holiday_range",
    ast.DateRange: "date_range",
    ast.DayAfter: "day_after",
}


class CalendarDraft:
    """What a calendar's items have said so far (`build_calendar` reads it at the end)."""

    def __init__(self) -> None:
        self.week: dict[str, list[tuple[int, int, Span]]] = {d: [] for d in model.WEEKDAYS}
        self.always = False
        self.zone: str | None = None
        self.zone_label: str | None = None
        self.holidays: dict[date, str] = {}
        self.holiday_keys: list[tuple] = []
        self.sources: list[str] = []
        self.years: tuple[int, int] | None = None
        self.ok = True
        self.named_after: list[ast.DayAfter] = []  # `day after "Thanksgiving Day"`: resolved last
        self.holiday_hours: tuple[tuple[int, int], ...] | None = None  # `on holidays 24x7`
        self.firsts: dict = {}  # items stated once -> where (`stated_again`)
        # The weekly items as written ((days, ((open, close, closes), ...)), ...), kept for the
        # document when a window crosses midnight or spans days (`model.Calendar.written_week`).
        self.written: list[tuple] = []
        self.crossing = False

    @property
    def holiday_hours_span(self) -> Span | None:
        """Where the holiday hours are stated (`on holidays ...`), if they are."""
        return self.firsts.get("holiday_hours")


class CalendarChecks(CheckerBase):
    # ---- zones --------------------------------------------------------------------------------
    def zone(self, text: str, span: Span) -> str | None:
        """A zone as written -> the runtime's form; warns on Etc/GMT and abbreviations."""
        if text in ZONE_ABBREVIATIONS:
            minutes, iana = ZONE_ABBREVIATIONS[text]
            offset = _offset_text(minutes)
            self.warn("W302", f"zone abbreviation `{text}` is read as the fixed offset {offset}",
                      span, help=f"write the IANA zone `{iana}` (it follows daylight saving time "
                      f"rules), or the fixed offset `{offset.replace('UTC', 'GMT')}`")
            return offset
        if re.fullmatch(r"[A-Z]{2,5}", text) and text not in ("UTC", "GMT"):
            self.error("E304", f"unknown zone abbreviation `{text}`", span,
                       help="write an IANA zone such as `Asia/Jakarta`, or an offset such as `GMT+7`")
            return None
        match = re.fullmatch(r"(UTC|GMT)(?:([+-])(\d{1,2})(?::(\d{2}))?)?", text)
        if match:
            _, sign, hours, minutes = match.groups()
            if sign is None:
                return "UTC"
            total = int(hours) * 60 + int(minutes or 0)
            if int(hours) > 14 or int(minutes or 0) >= 60 or total > 14 * 60:
                self.error("E304", f"`{text}` is not a valid UTC offset", span,
                           help="offsets run from -14:00 to +14:00")
                return None
            return _offset_text(total if sign == "+" else -total)
        try:
            parse_zone(text)
        except (ValueError, KeyError, OSError):
            close = self.suggest("zone", text, _iana_names(), cutoff=0.7)
            self.error("E304", f"unknown time zone `{text}`", span,
                       help=f"did you mean `{close}`?" if close else
                       "write an IANA zone such as `Asia/Jakarta`, or an offset such as `GMT+7`")
            return None
        etc = re.fullmatch(r"Etc/GMT([+-])(\d{1,2})", text)
        if etc:
            sign, hours = etc.groups()
            real = _offset_text((-1 if sign == "+" else 1) * int(hours) * 60)
            self.warn("W301", f"`{text}` means {real}: the sign of `Etc/GMT` zones is reversed",
                      span, help=f"write `{real.replace('UTC', 'GMT')}` if that is what you mean")
        return text

    # ---- calendars ----------------------------------------------------------------------------
    def declare_calendars(self, body: tuple) -> None:
        for stmt in by_type(body)[ast.Calendar]:
            if not self.declare_calendar_name(stmt.name):
                continue
            name = stmt.name.text
            calendar = self.guarded(stmt.span, self.build_calendar, name, stmt.items, stmt.span,
                                    False)
            if calendar is not None:
                self.calendars[name] = calendar

    def calendar_expr(self, expr, span: Span) -> str | None:
        """A calendar reference or inline calendar -> the name of a model calendar."""
        return self.dispatch(_CALENDAR_EXPRS, expr, default="calendar_inline")

    def calendar_ref(self, expr: ast.CalendarRef) -> str | None:
        name = expr.name.text
        if name in self.calendars:
            return name
        if name in self.choice_nodes:  # chosen by a ticket attribute (sladsl/check/choices.py)
            return name if name in self.calendar_choices else None
        if name in self.calendar_spans:
            return None  # declared but broken: already reported
        if name in ("24x7",):
            return self.inline_calendar((ast.Always(),), expr.span)
        self.unknown("calendar", name, expr.name.span, self.calendar_spans)
        return None

    def calendar_always(self, expr: ast.Always) -> str | None:
        return self.inline_calendar((expr,), expr.span)

    def calendar_inline(self, expr: ast.InlineCalendar) -> str | None:
        return self.inline_calendar(expr.items, expr.span)

    def inline_calendar(self, items: tuple, span: Span) -> str | None:
        # Named after its canonical text, so the same inline calendar written twice is built once.
        single = len(items) == 1 and isinstance(items[0], ast.Always)
        name = items[0].text if single else calref(ast.InlineCalendar(items))
        if name not in self.calendars:
            calendar = self.guarded(span, self.build_calendar, name, items, span, True)
            if calendar is None:
                return None
            self.calendars[name] = calendar
        return name

    def build_calendar(self, name: str, items: tuple, span: Span, inline: bool) -> model.Calendar | None:
        draft = CalendarDraft()
        for item in items:
            self.dispatch(_CALENDAR_ITEMS, item, draft)
        if draft.ok:  # after a failed item the holiday names are incomplete
            self.named_days_after(draft)
        week, ok = draft.week, draft.ok
        zone, zone_label, holidays = draft.zone, draft.zone_label, draft.holidays
        # Windows of one day must not overlap (they may touch).
        windows: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        overlaps: dict[tuple, list[str]] = {}  # one diagnostic per pair of windows, naming the days
        for day in model.WEEKDAYS:
            spans = sorted(week[day])
            for (o1, c1, s1), (o2, c2, s2) in zip(spans, spans[1:]):
                if o2 < c1:
                    overlaps.setdefault((o1, c1, s1, o2, c2, s2), []).append(day.capitalize())
            windows.append((day, tuple((_clock(o), _clock(c)) for o, c, _ in spans)))
        for (o1, c1, s1, o2, c2, s2), days in overlaps.items():
            crossing = self.crossing_windows.get(s1) or self.crossing_windows.get(s2)
            self.error("E302", f"windows {_clock(o1)}-{_clock(c1)} and {_clock(o2)}-{_clock(c2)} "
                       f"overlap on {', '.join(days)}", s2, labels=[Label(s1, "the other window")],
                       help=(f"`{crossing}` continues past midnight: " if crossing else "")
                       + "make the windows disjoint (they may touch)")
            ok = False
        if ok and not any(w for _, w in windows):
            self.error("E303", f"calendar `{name}` has no business time", span,
                       help="add windows such as `Mon-Fri 09:00-17:00`, or use `24x7`")
            return None
        if zone is None and ok:
            zone, zone_label = self.default_zone, self.default_zone_label
            if zone is None:
                if draft.always and not holidays:
                    zone, zone_label = "UTC", "UTC"
                else:
                    self.error("E304", f"calendar `{name}` has no time zone", span,
                               help="add a zone such as `Asia/Jakarta` or `GMT+7`, or a contract-wide "
                               "`zone` statement")
                    return None
        if ok and draft.holiday_hours is not None and not holidays:
            self.error("E212", f"calendar `{name}` has holiday hours but no holidays",
                       draft.holiday_hours_span or span,
                       help="add the holidays they apply to, such as `except holidays(GB-ENG)`")
            return None
        if not ok:
            return None
        # Only holiday sets and yearly rules are frozen for a range of years; a dated holiday is one
        # date, exact in every year, so a calendar of dated holidays alone has no frozen range
        # (it answers any year) and dates never narrow the range of the sets beside them.
        # Calendars with the same holidays share one table (a contract of 400 calendars each
        # `except holidays(US) 1900..2200` holds one table, not 400: issue 22.4).
        table = self._holiday_tables.get(tuple(draft.holiday_keys))
        if table is None:
            table = tuple(model.Holiday(d, holidays[d]) for d in sorted(holidays))
            self._holiday_tables[tuple(draft.holiday_keys)] = table
        return model.Calendar(
            name=name, zone=zone, zone_label=zone_label, week=tuple(windows),
            holidays=table,
            holiday_years=draft.years, holiday_sources=tuple(draft.sources), always=draft.always,
            inline=inline, span=span,
            holiday_hours=tuple((_clock(o), _clock(c)) for o, c in draft.holiday_hours or ()),
            written_week=tuple(draft.written) if draft.crossing else (),
        )

    @staticmethod
    def always_item(item: ast.Always, draft: CalendarDraft) -> None:
        draft.always = True
        for day in model.WEEKDAYS:
            draft.week[day].append((0, 24 * 60, item.span))

    def weekly_item(self, item: ast.Weekly, draft: CalendarDraft) -> None:
        # Windows may cross midnight or span days: cut into pieces per date (check/windows.py).
        pieces = window_items.weekly(self, item)
        if pieces is None:
            draft.ok = False
            return
        for day, opens, closes, window_span in pieces:
            draft.week[day].append((opens, closes, window_span))
        windows = []
        for window in item.windows:
            closes = "next day" if window.next_day else (window.close_day or "").lower()
            draft.crossing = draft.crossing or bool(closes)
            windows.append((_clock(_minutes_of(window.open) or 0),
                            _clock(_minutes_of(window.close) or 0), closes))
        draft.written.append((tuple(self.dayset(item.days)), tuple(windows)))

    def holiday_hours_item(self, item: ast.HolidayHours, draft: CalendarDraft) -> None:
        if self.stated_again(draft.firsts, "holiday_hours", item.span,
                             "a calendar may state its holiday hours once",
                             help="join the windows into one `on holidays` item"):
            return
        draft.holiday_hours = window_items.holiday_hours(self, item)
        if draft.holiday_hours is None:
            draft.ok = False

    def zone_item(self, item: ast.ZoneItem, draft: CalendarDraft) -> None:
        if self.stated_again(draft.firsts, "zone", item.span, "a calendar may name one zone",
                             help="remove one of the zones"):
            return
        draft.zone, draft.zone_label = self.zone(item.zone, item.span), item.zone
        if draft.zone is None:
            draft.ok = False

    def except_item(self, item: ast.Except, draft: CalendarDraft) -> None:
        for holiday in item.holidays:
            if isinstance(holiday, ast.DayAfter) and isinstance(holiday.base, str):
                draft.named_after.append(holiday)  # needs the calendar's other holidays first
                continue
            result = self.cached_holiday(holiday)
            if result is None:
                draft.ok = False
                continue
            dates, source, holiday_years = result
            draft.holiday_keys.append(_holiday_key(holiday))
            for day, label in dates:
                draft.holidays.setdefault(day, label)
            draft.sources.append(source)
            if holiday_years:
                years = draft.years
                draft.years = holiday_years if years is None else (
                    max(years[0], holiday_years[0]), min(years[1], holiday_years[1]))

    def named_days_after(self, draft: CalendarDraft) -> None:
        """`day after "Thanksgiving Day"`, once every other holiday of the calendar is known."""
        for holiday in draft.named_after:
            found = holiday_items.day_after_named(self, holiday, draft.holidays)
            if found is None:
                draft.ok = False
                continue
            draft.holiday_keys.append(_holiday_key(holiday))
            for day, label in found:
                draft.holidays.setdefault(day, label)
            draft.sources.append(f'day after "{holiday.base}"')

    def dayset(self, days: ast.DaySet | None) -> list[str]:
        if days is None:
            return list(model.WEEKDAYS[:5])
        if days.group:
            return {"daily": list(model.WEEKDAYS), "weekdays": list(model.WEEKDAYS[:5]),
                    "weekends": list(model.WEEKDAYS[5:])}[days.group]
        out: list[str] = []
        for rng in days.ranges:
            first = _DAY_INDEX[rng.first]
            last = _DAY_INDEX[rng.last] if rng.last else first
            index = first
            while True:  # ranges may wrap: Sat-Mon
                if model.WEEKDAYS[index] not in out:
                    out.append(model.WEEKDAYS[index])
                if index == last:
                    break
                index = (index + 1) % 7
        return out

    def window(self, window: ast.Window) -> tuple[int, int] | None:
        opened, closed = _minutes_of(window.open), _minutes_of(window.close)
        if opened is None or closed is None or opened >= 24 * 60:
            bad = window.open if opened is None or opened >= 24 * 60 else window.close
            self.error("E301", f"`{bad}` is not a clock time of the day", window.span,
                       help="use 00:00 to 23:59 (and 24:00 as a closing time)")
            return None
        if closed <= opened:
            self.error("E301", f"window `{window.open}-{window.close}` is "
                       f"{'empty' if closed == opened else 'reversed'}", window.span,
                       help=f"a window that crosses midnight says so: `{window.open}-{window.close} "
                       "next day`" if closed < opened else "give the window a length")
            return None
        return opened, closed

    # ---- holidays -----------------------------------------------------------------------------
    def cached_holiday(self, holiday):
        """`holiday`, expanded once per distinct holiday item (the holidays package is slow)."""
        key = _holiday_key(holiday)
        if key not in self._holiday_items:
            result = self.holiday(holiday)
            if result is None:
                return None  # not cached: each faulty item reports its own diagnostic
            self._holiday_items[key] = result
        return self._holiday_items[key]

    def holiday(self, holiday) -> tuple[list[tuple[date, str]], str, tuple[int, int] | None] | None:
        return self.dispatch(_HOLIDAYS, holiday, default="holiday_set")

    def holiday_date(self, holiday: ast.HolidayDate):
        day = self.parse_date(holiday.date, holiday.span)
        if day is None:
            return None
        named = f" ({holiday.label})" if holiday.label else ""  # the label is published, not dead
        return [(day, holiday.label or "Holiday")], f"{day.isoformat()}{named}", None

    # Rules, ranges and the day after are expanded in check/holiday_items.py.
    def holiday_rule(self, holiday: ast.HolidayRule):
        return holiday_items.yearly_rule(self, holiday, DEFAULT_HOLIDAY_YEARS)

    def holiday_range(self, holiday: ast.HolidayRange):
        return holiday_items.holiday_range(self, holiday, DEFAULT_HOLIDAY_YEARS)

    def date_range(self, holiday: ast.DateRange):
        return holiday_items.date_range(self, holiday)

    def day_after(self, holiday: ast.DayAfter):
        return holiday_items.day_after_rule(self, holiday, DEFAULT_HOLIDAY_YEARS)

    def holiday_set_edited(self, holiday: ast.HolidaySet):
        """A country set, minus the holidays its `without` clause names."""
        result = self.holiday_set(holiday)
        if result is not None and holiday.without:
            return holiday_items.without(self, holiday, result)
        return result

    def holiday_set(self, holiday: ast.HolidaySet):
        # A set computed before (this process, or an earlier run: sladsl/cache.py) is reused; only
        # requests that passed the checks below were ever stored, so a hit needs no checking.
        years = (holiday.years.first, holiday.years.last) if holiday.years else DEFAULT_HOLIDAY_YEARS
        key = holidays_key(holiday.region, tuple(holiday.categories or ("public",)), *years)
        cached = load_holidays(key)
        if cached is not None:
            return self.holiday_set_result(holiday, *cached, *years)
        import holidays as holidays_lib

        country, _, subdivision = holiday.region.partition("-")
        supported = holidays_lib.list_supported_countries()
        if country not in supported:
            codes = sorted(code for code in supported if len(code) == 2)
            close = self.suggest("country", country, codes, cutoff=0.5)
            self.error("E305", f"unknown holiday country `{country}`", holiday.span,
                       help=f"did you mean `{close}`?" if close else
                       "use an ISO 3166 country code such as `TH` or `MY`")
            return None
        if subdivision and subdivision not in supported[country]:
            self.error("E305", f"unknown subdivision `{subdivision}` of `{country}`", holiday.span,
                       help=f"known subdivisions: {', '.join(supported[country][:20]) or 'none'}")
            return None
        if holiday.years is not None:
            first, last = holiday.years.first, holiday.years.last
            low, high = HOLIDAY_YEAR_LIMITS
            if last < first or first < low or last > high:
                self.error("E306", f"year range {first}..{last} is reversed or out of range",
                           holiday.years.span,
                           help=f"write the first year, then the last, both within {low}..{high}")
                return None
        else:
            first, last = DEFAULT_HOLIDAY_YEARS
        categories = holiday.categories or ("public",)
        cls = holidays_lib.country_holidays(country).__class__
        known = getattr(cls, "supported_categories", ("public",))
        for category in categories:
            if category not in known:
                self.error("E305", f"`{country}` has no holiday category `{category}`", holiday.span,
                           help=f"categories: {', '.join(sorted(known))}")
                return None
        found = holidays_lib.country_holidays(
            country, subdiv=subdivision or None, years=range(first, last + 1),
            categories=tuple(categories), language="en_US")
        dates = sorted((day, str(label)) for day, label in found.items())
        store_holidays(key, dates, holidays_lib.__version__)
        return self.holiday_set_result(holiday, dates, holidays_lib.__version__, first, last)

    @staticmethod
    def holiday_set_result(holiday: ast.HolidaySet, dates, version: str, first: int, last: int):
        categories = holiday.categories or ("public",)
        name = holiday.region + ("" if categories == ("public",) else f" ({', '.join(categories)})")
        return dates, f"{name} holidays {first}-{last} (holidays {version})", (first, last)


def _holiday_key(holiday) -> tuple:
    """What a holiday item says, without where it says it (AST nodes compare with their spans)."""
    fields = nodes.asdict(holiday, recurse=False)
    years = fields.get("years")
    if years is not None:
        fields["years"] = (years.first, years.last)
    return (type(holiday).__name__, *(v for k, v in fields.items() if k != "span"))


def _offset_text(minutes: int) -> str:
    """`UTC+07:00`: the name the runtime gives a fixed-offset zone."""
    return fixed_zone(minutes).tzname(None)


def _minutes_of(text: str) -> int | None:
    hours, _, minutes = text.partition(":")
    h, m = int(hours), int(minutes)
    if m >= 60 or h > 24 or (h == 24 and m):
        return None
    return h * 60 + m


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _iana_names() -> list[str]:
    import zoneinfo

    return sorted(zoneinfo.available_timezones())
