"""Hypothesis: the fast calendar agrees with the minute-stepping reference (tests/runtime/reference.py).

Calendars are random (split windows, windows touching at midnight, 24x7, holidays) in zones with
and without DST (America/Sao_Paulo before 2019 when Brazil still had DST, Europe/London,
America/New_York, Australia/Lord_Howe's 30-minute shift) and in fixed offsets; instants are
whole minutes, often within days of a DST transition.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sladsl.runtime import Calendar, parse_zone
from sladsl.runtime.batch import add_business_days_many
from reference import DAY_NAMES, Reference  # tests/runtime is on sys.path under pytest

ZONES = {
    "America/Sao_Paulo": (2012, 2018),
    "Europe/London": (2016, 2030),
    "America/New_York": (2016, 2030),
    "Australia/Lord_Howe": (2018, 2026),
    "Asia/Jakarta": (2016, 2030),
    "UTC+05:30": (2016, 2030),
    "GMT-3": (2016, 2030),
    "UTC": (2016, 2030),
}
SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("SLADSL_EXAMPLES", 60)), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def hhmm(half_hours: int) -> str:
    return f"{half_hours // 2:02d}:{30 * (half_hours % 2):02d}"


@lru_cache(maxsize=None)
def transition_days(name: str) -> tuple[date, ...]:
    """Local dates on which the zone's UTC offset changes, within the zone's test years."""
    zone = parse_zone(name)
    first, last = ZONES[name]
    day, out = date(first, 1, 1), []
    prev = zone.utcoffset(datetime(first, 1, 1))
    while day.year <= last:
        day += timedelta(days=1)
        off = zone.utcoffset(datetime.combine(day, datetime.min.time()))
        if off != prev:
            out.append(day - timedelta(days=1))
        prev = off
    return tuple(out)


@st.composite
def weeks(draw):
    """A week of windows in half-hour steps; never empty."""
    pattern = draw(st.sampled_from(["office", "split", "night", "always", "unequal", "random",
                                    "random"]))
    week: dict[str, list[tuple[str, str]]] = {}
    for index, name in enumerate(DAY_NAMES):
        if pattern == "office" and index < 5:
            week[name] = [("09:00", "17:00")]
        elif pattern == "split" and index < 5:
            week[name] = [("08:00", "12:00"), ("13:00", "17:30")]
        elif pattern == "night" and index < 5:
            # 22:00-06:00 shifts: windows that touch at midnight are one stretch.
            week[name] = [("00:00", "06:00"), ("22:00", "24:00")]
        elif pattern == "unequal" and index < 2:
            # Issue 20.7: Mon 09-12, Tue 09-17.
            week[name] = [("09:00", "12:00")] if index == 0 else [("09:00", "17:00")]
        elif pattern == "always":
            week[name] = [("00:00", "24:00")]
        elif pattern == "random":
            bounds = draw(st.lists(st.integers(0, 48), max_size=6, unique=True))
            bounds = sorted(bounds)[: len(bounds) // 2 * 2]
            week[name] = [(hhmm(a), hhmm(b)) for a, b in zip(bounds[::2], bounds[1::2])]
    if not any(week.values()):
        week["wed"] = [("01:00", "03:30")]
    return week


def weekly_seconds(week) -> int:
    total = 0
    for spans in week.values():
        for o, c in spans:
            total += (int(c[:2]) - int(o[:2])) * 3600 + (int(c[3:]) - int(o[3:])) * 60
    return total


@st.composite
def scenarios(draw):
    """(zone name, week, holidays, start epoch) with the start on a whole minute."""
    name = draw(st.sampled_from(sorted(ZONES)))
    first, last = ZONES[name]
    near = transition_days(name)
    if near and draw(st.booleans()):
        day = draw(st.sampled_from(near)) + timedelta(days=draw(st.integers(-3, 1)))
    else:
        day = draw(st.dates(date(first, 1, 1), date(last, 12, 31)))
    minute = draw(st.integers(0, 24 * 60 - 1))
    zone = parse_zone(name)
    wall = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
    start = int(wall.replace(tzinfo=zone).timestamp()) // 60 * 60
    week = draw(weeks())
    offsets = draw(st.lists(st.integers(-3, 14), max_size=4, unique=True))
    holidays = [day + timedelta(days=k) for k in offsets]
    return name, week, holidays, start


def build(name, week, holidays):
    zone = parse_zone(name)
    return Calendar(zone, week, holidays), Reference(zone, week, holidays)


def durations(week):
    cap = min(3 * 86400, 2 * weekly_seconds(week))
    return st.one_of(
        st.just(0), st.integers(1, cap), st.integers(0, cap // 60).map(lambda m: 60 * m)
    )


def aware(t: int, zone) -> datetime:
    return datetime.fromtimestamp(t, zone)


@SETTINGS
@given(scenarios(), st.data())
def test_add_matches_reference(scenario, data):
    name, week, holidays, start = scenario
    cal, ref = build(name, week, holidays)
    seconds = data.draw(durations(week))
    due = cal.add(aware(start, cal.zone), timedelta(seconds=seconds))
    assert int(due.timestamp()) == ref.add(start, seconds)
    assert due.tzinfo is cal.zone


@SETTINGS
@given(scenarios(), st.integers(0, 10 * 24 * 60))
def test_elapsed_matches_reference(scenario, minutes):
    name, week, holidays, start = scenario
    cal, ref = build(name, week, holidays)
    end = start + 60 * minutes
    got = cal.elapsed(aware(start, cal.zone), aware(end, timezone.utc))
    assert got == timedelta(seconds=ref.elapsed(start, end))


@SETTINGS
@given(scenarios(), st.integers(0, 3 * 24 * 60))
def test_open_next_open_and_windows_match_reference(scenario, minutes):
    name, week, holidays, start = scenario
    cal, ref = build(name, week, holidays)
    assert cal.is_open(aware(start, cal.zone)) == ref.is_open(start)
    assert int(cal.next_open(aware(start, cal.zone)).timestamp()) == ref.next_open(start)
    end = start + 60 * minutes
    got = [
        (int(a.timestamp()), int(b.timestamp()))
        for a, b in cal.windows(aware(start, cal.zone), aware(end, cal.zone))
    ]
    assert got == ref.windows(start, end)


@SETTINGS
@given(scenarios(), st.integers(0, 3))
def test_business_days_match_reference(scenario, n):
    name, week, holidays, start = scenario
    cal, ref = build(name, week, holidays)
    got = cal.add_business_days(aware(start, cal.zone), n)
    assert int(got.timestamp()) == ref.add_business_days(start, n)


@st.composite
def bound_starts(draw):
    """A scenario whose start is a window bound (an opening or a close, 24:00 included) or a
    minute either side of one: where the business-day anchor changes (issue 20.7)."""
    name, week, holidays, start = draw(scenarios())
    ref = Reference(parse_zone(name), week, holidays)
    day = ref.wall(start).date()
    bounds = [b for k in range(-2, 5) for w in ref.day_windows(day + timedelta(days=k)) for b in w]
    if bounds:
        start = draw(st.sampled_from(bounds)) + 60 * draw(st.sampled_from([0, 0, 0, -1, 1]))
    return name, week, holidays, start


@SETTINGS
@given(bound_starts(), st.integers(0, 5))
def test_business_days_from_window_bounds_match_reference(scenario, n):
    """Differential: the scalar rule and the vectorised one against the minute-stepping
    reference, starts on openings and closes, in DST zones, split and unequal days, holidays."""
    name, week, holidays, start = scenario
    cal, ref = build(name, week, holidays)
    want = ref.add_business_days(start, n)
    assert cal.add_business_days_epoch(start, n) == want
    assert [int(x) for x in add_business_days_many(cal, [start, start], n, use_numpy=True)] == \
        [want, want]


@st.composite
def pause_lists(draw, start):
    out = []
    for _ in range(draw(st.integers(0, 3))):
        a = start + 60 * draw(st.integers(-600, 3 * 24 * 60))
        out.append((a, a + 60 * draw(st.integers(0, 2 * 24 * 60))))
    return out


@SETTINGS
@given(scenarios(), st.data())
def test_pauses_match_reference(scenario, data):
    name, week, holidays, start = scenario
    cal, ref = build(name, week, holidays)
    pauses = data.draw(pause_lists(start))
    seconds = data.draw(durations(week))
    zone = cal.zone
    as_dt = [(aware(a, zone), aware(b, timezone.utc)) for a, b in pauses]
    due = cal.add(aware(start, zone), timedelta(seconds=seconds), pauses=as_dt)
    assert int(due.timestamp()) == ref.add(start, seconds, pauses)
    end = start + 60 * data.draw(st.integers(0, 5 * 24 * 60))
    got = cal.elapsed(aware(start, zone), aware(end, zone), pauses=as_dt)
    assert got == timedelta(seconds=ref.elapsed(start, end, pauses))


# -- invariants (no reference, so more examples) ------------------------------------------------

@settings(max_examples=80, deadline=None)
@given(scenarios(), st.data())
def test_invariants(scenario, data):
    name, week, holidays, start = scenario
    cal = Calendar(parse_zone(name), week, holidays)
    zone = cal.zone
    cap = 40 * 86400
    a = data.draw(st.integers(0, cap))
    b = data.draw(st.integers(1, cap))
    s = aware(start + data.draw(st.integers(0, 59)), zone)  # any second, not only minutes
    x = cal.add(s, timedelta(seconds=a))
    # elapsed(s, add(s, d)) == d
    assert cal.elapsed(s, x) == timedelta(seconds=a)
    # add(add(s, a), b) == add(s, a + b) for b > 0 (b == 0 means "next opening", see docs)
    assert cal.add(x, timedelta(seconds=b)) == cal.add(s, timedelta(seconds=a + b))
    # monotone in the duration and in the start
    assert cal.add(s, timedelta(seconds=a + b)) >= x
    later = s + timedelta(seconds=data.draw(st.integers(0, cap)))
    assert cal.add(later, timedelta(seconds=a)) >= x
    # scalar == batch (numpy) == batch (pure Python)
    t = int(s.timestamp())
    starts = [t, t + 3600, t - 86400 * 3]
    secs = [a, b, 0]
    scalar = [int(cal.add(aware(u, zone), timedelta(seconds=d)).timestamp()) for u, d in zip(starts, secs)]
    assert [int(v) for v in cal.add_many(starts, secs, use_numpy=True)] == scalar
    assert list(cal.add_many(starts, secs, use_numpy=False)) == scalar
    ends = [int(x.timestamp()), t + b, t - 86400 * 5]
    spans = [int(cal.elapsed(aware(u, zone), aware(v, zone)).total_seconds()) for u, v in zip(starts, ends)]
    assert [int(v) for v in cal.elapsed_many(starts, ends, use_numpy=True)] == spans
    assert list(cal.elapsed_many(starts, ends, use_numpy=False)) == spans
