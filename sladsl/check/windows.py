"""Checker rules for weekly windows that cross midnight or span days, and for holiday hours.

SEMANTICS.md: a window never crosses midnight; a 22:00-06:00 shift is two windows that touch at
midnight and count as one stretch. A contract says so explicitly (`22:00-06:00 next day`,
`Sun 14:00-Fri 17:00`) and the checker cuts it at each midnight into pieces on their own dates,
so the model, the runtime and every back end keep windows within a day; the runtime joins pieces
that touch. Each piece belongs to its date: a holiday removes the pieces on its date
(docs/semantics.md "Windows across midnight and holiday hours"). Called from `CalendarChecks`
(sladsl/check/calendars.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sladsl import ast, model
from sladsl.unparse import window as unparse_window

if TYPE_CHECKING:
    from sladsl.check.calendars import CalendarChecks as Checker

DAY_MINUTES = 24 * 60
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

Piece = tuple[str, int, int, ast.Span]  # (weekday "mon".."sun", open, close minutes, written window)


def weekly(ck: Checker, item: ast.Weekly) -> list[Piece] | None:
    """The pieces of a weekly item's windows on each of its days; None after an error."""
    days = ck.dayset(item.days)
    pieces: list[Piece] = []
    ok = True
    for window in item.windows:
        if window.close_day is None and not window.next_day:
            bounds = ck.window(window)  # within one day: the original rule and its E301
            if bounds is None:
                ok = False
                continue
            pieces += [(day, *bounds, window.span) for day in days]
            continue
        found = _spanning(ck, window, item, days)
        if found is None:
            ok = False
        else:
            pieces += found
    return pieces if ok else None


def holiday_hours(ck: Checker, item: ast.HolidayHours) -> tuple[tuple[int, int], ...] | None:
    """`on holidays 24x7` / `on holidays 10:00-14:00`: the windows of every holiday date."""
    if item.always is not None:
        return ((0, DAY_MINUTES),)
    out = []
    for window in item.windows:
        if window.close_day is not None or window.next_day:
            ck.error("E212", "holiday hours stay within the holiday's date", window.span,
                     help="a holiday's hours end by its midnight: write `on holidays 00:00-24:00` "
                     "and give the next date its own hours")
            return None
        bounds = ck.window(window)
        if bounds is None:
            return None
        out.append(bounds)
    return tuple(sorted(out))


def _spanning(ck: Checker, window: ast.Window, item: ast.Weekly, days: list[str]) -> list[Piece] | None:
    """A window that closes on a later date, cut at every midnight it crosses."""
    opened, closed = _minutes(window.open), _minutes(window.close)
    if opened is None or closed is None or opened >= DAY_MINUTES:
        return _bad_time(ck, window, opened)
    if window.close_day is not None and window.next_day:
        return _shape(ck, window, "a window closes on a named day or on the next day, not both",
                      f"write `{window.open}-{window.close_day} {window.close}`")
    if window.next_day:
        if closed > opened:
            return _shape(ck, window, f"window `{window.open}-{window.close} next day` is longer than a day",
                          f"a window that closes the next day closes at or before {window.open}; "
                          f"write `{window.open}-{window.close}` for a window within the day")
        length_days = 1
    else:
        first = DAYS[model.WEEKDAYS.index(days[0])] if days else "Mon"
        if item.days is None or len(days) != 1:
            return _shape(ck, window, f"a window that closes on `{window.close_day}` opens on one day",
                          f"name the day it opens: `{first} {window.open}-{window.close_day} {window.close}`")
        length_days = (DAYS.index(window.close_day or "") - model.WEEKDAYS.index(days[0])) % 7
        if length_days == 0:
            return _shape(ck, window, f"window `{first} {window.open}-{window.close_day} {window.close}` "
                          "closes on the day it opens",
                          f"write `{first} {window.open}-{window.close}` for a window within the day"
                          if closed > opened else "a whole week is `24x7`; or name another closing day")
    ck.crossing_windows[window.span] = unparse_window(window)
    pieces: list[Piece] = []
    for day in days:
        start = model.WEEKDAYS.index(day)
        pieces.append((day, opened, DAY_MINUTES, window.span))
        for offset in range(1, length_days):
            pieces.append((model.WEEKDAYS[(start + offset) % 7], 0, DAY_MINUTES, window.span))
        if closed > 0:
            pieces.append((model.WEEKDAYS[(start + length_days) % 7], 0, closed, window.span))
    return pieces


def _shape(ck: Checker, window: ast.Window, message: str, help: str) -> None:
    ck.error("E211", message, window.span, help=help)
    return None


def _bad_time(ck: Checker, window: ast.Window, opened: int | None) -> None:
    bad = window.open if opened is None or opened >= DAY_MINUTES else window.close
    ck.error("E301", f"`{bad}` is not a clock time of the day", window.span,
             help="use 00:00 to 23:59 (and 24:00 as a closing time)")
    return None


def _minutes(text: str) -> int | None:
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit()) or int(minutes) >= 60:
        return None
    value = int(hours) * 60 + int(minutes)
    return value if value <= DAY_MINUTES else None
