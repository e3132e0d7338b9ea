"""Batch API edge cases, and the import contract of sladsl.runtime."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from sladsl.runtime import Calendar

OFFICE = {day: [("09:00", "17:00")] for day in ("mon", "tue", "wed", "thu", "fri")}


def random_tickets(cal, n, seed, years=(2024, 2027)):
    rng = random.Random(seed)
    lo = int(datetime(years[0], 1, 1, tzinfo=timezone.utc).timestamp())
    hi = int(datetime(years[1], 1, 1, tzinfo=timezone.utc).timestamp())
    starts = [rng.randrange(lo, hi) for _ in range(n)]
    durations = [rng.choice([0, 60, 3600, 8 * 3600, rng.randrange(0, 10 * 86400)]) for _ in range(n)]
    return starts, durations


@pytest.mark.parametrize(
    "zone, week",
    [
        ("America/New_York", OFFICE),
        ("Europe/London", {d: [("00:00", "06:00"), ("22:00", "24:00")] for d in ("mon", "tue", "sun")}),
        # Minute-long windows, and one inside the spring-forward gap: dense edges force the
        # flagged-bucket fallback of the NumPy path.
        ("America/New_York", {"mon": [("09:00", "09:01"), ("09:02", "09:03")],
                              "sun": [("01:59", "02:30"), ("02:31", "03:00")]}),
    ],
)
def test_numpy_and_pure_python_batches_agree_with_scalar(zone, week):
    cal = Calendar(zone, week)
    cal.cover(2000, 2060)
    starts, durations = random_tickets(cal, 3000, seed=7)
    expected = [cal.add_epoch(t, d) for t, d in zip(starts, durations)]
    assert cal.add_many(starts, durations, use_numpy=False) == expected
    assert cal.add_many(starts, durations, use_numpy=True).tolist() == expected
    ends = [t + d for t, d in zip(starts, durations)]
    spans = [cal.elapsed_epoch(s, e) for s, e in zip(starts, ends)]
    assert cal.elapsed_many(starts, ends, use_numpy=False) == spans
    assert cal.elapsed_many(starts, ends, use_numpy=True).tolist() == spans
    assert cal.elapsed_many(ends, starts, use_numpy=True).tolist() == [0] * len(starts)


def test_batch_grows_the_table_for_far_targets():
    cal = Calendar("Asia/Jakarta", OFFICE)
    t = int(datetime(2026, 5, 15, 9, tzinfo=timezone.utc).timestamp())
    far = [t, t]
    durations = [0, 8 * 3600 * 261 * 3]  # about three years of office hours
    assert cal.add_many(far, durations).tolist() == [cal.add_epoch(t, d) for t, d in zip(far, durations)]


def test_batch_input_errors():
    cal = Calendar("UTC", OFFICE)
    for use_numpy in (True, False):
        with pytest.raises(ValueError):
            cal.add_many([1, 2], [3], use_numpy=use_numpy)
        with pytest.raises(ValueError):
            cal.add_many([1_700_000_000], [-1], use_numpy=use_numpy)
        assert len(cal.add_many([], [], use_numpy=use_numpy)) == 0


def test_import_is_stdlib_only_and_lazy():
    code = (
        "import sys, time; t = time.perf_counter(); import sladsl.runtime; "
        "dt = time.perf_counter() - t; "
        "bad = [m for m in ('numpy', 'lark', 'attrs', 'click', 'jinja2', 'holidays') if m in sys.modules]; "
        "print(bad, dt)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    bad, seconds = out.stdout.rsplit("]", 1)
    assert bad + "]" == "[]", out.stdout
    print(f"import sladsl.runtime: {float(seconds) * 1e3:.1f} ms")  # reported, not asserted


def test_batch_falls_back_to_pure_python_without_numpy():
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "from sladsl.runtime import Calendar\n"
        "cal = Calendar('UTC', {'fri': [('09:00', '17:00')]})\n"
        "print(cal.add_many([1778835600], [3600]))\n"  # Friday 2026-05-15 09:00 UTC
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[1778839200]"


def test_twenty_thousand_business_days_lay_the_table_out_once():
    """Issue 20.16: N = 20,000 business days on a one-window-a-week calendar (about 384 years)
    extended the table a year at a time and rebuilt the batch day tables after each year (25 s
    and more). Now the table is extended once for the N asked, so its version moves a few
    times, not hundreds, and the answer is the 20,000th Wednesday's close."""
    from datetime import date, timedelta
    from zoneinfo import ZoneInfo

    from sladsl.runtime.batch import add_business_days_many

    paris = ZoneInfo("Europe/Paris")
    start = int(datetime(2026, 5, 28, 0, 0, tzinfo=paris).timestamp())  # a Thursday
    # Anchor: Wednesday 2026-05-27 10:00 (the last close); 20,000 Wednesdays later, 10:00.
    day = date(2026, 5, 27) + timedelta(weeks=20_000)
    want = int(datetime(day.year, day.month, day.day, 10, tzinfo=paris).timestamp())
    for use_numpy in (False, True):
        if use_numpy:
            pytest.importorskip("numpy")
        cal = Calendar(paris, {"wed": [("09:00", "10:00")]})
        got = add_business_days_many(cal, [start] * 50, 20_000, use_numpy=use_numpy)
        assert [int(x) for x in got] == [want] * 50
        assert cal.version <= 6, cal.version
