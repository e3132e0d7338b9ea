"""Time-zone parsing for calendars: IANA names and fixed `UTC+7` / `GMT-03:30` offsets.

SEMANTICS.md "Calendars": `GMT+7` and `UTC+7` mean UTC+07:00 (the contract reading), while the
IANA name `Etc/GMT+7` keeps its POSIX meaning UTC-07:00 (the compiler warns about it).
Abbreviations such as `BRT` or `EST` are ambiguous and are resolved by the compiler, never here.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo

__all__ = ["parse_zone", "fixed_zone", "wall_to_epoch"]

_OFFSET = re.compile(r"(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?")
_ABBREVIATION = re.compile(r"[A-Z]{2,5}[0-9]*(?:[A-Z]{3,4})?")

# Largest offset in use anywhere is +14:00; anything beyond is a typo, not a zone.
_MAX_OFFSET_MINUTES = 14 * 60


def fixed_zone(minutes: int) -> timezone:
    """Return the fixed-offset zone `minutes` east of UTC, named like `UTC+07:00`."""
    if abs(minutes) > _MAX_OFFSET_MINUTES:
        raise ValueError(f"offset of {minutes} minutes is beyond UTC-14:00..UTC+14:00")
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return timezone(timedelta(minutes=minutes), f"UTC{sign}{hours:02d}:{mins:02d}")


def parse_zone(text: str) -> tzinfo:
    """Return the tzinfo for an IANA name, `UTC`, or a fixed offset `UTC+7` / `GMT+05:30`."""
    if not isinstance(text, str):
        raise TypeError(f"zone must be a string, not {type(text).__name__}")
    name = text.strip()
    if name in ("UTC", "GMT"):
        return timezone.utc
    match = _OFFSET.fullmatch(name)
    if match is not None:
        sign, hours, mins = match.groups()
        minutes = int(hours) * 60 + int(mins or 0)
        if mins is not None and int(mins) >= 60:
            raise ValueError(f"invalid offset `{text}`: minutes must be below 60")
        return fixed_zone(-minutes if sign == "-" else minutes)
    if name.upper().startswith(("UTC", "GMT")) and "/" not in name:
        raise ValueError(f"invalid offset `{text}`: write it like `UTC+7`, `GMT-3` or `UTC+05:30`")
    if _ABBREVIATION.fullmatch(name):
        # Legacy IANA keys such as `EST` or `CET` exist, but contracts mean the abbreviation,
        # which is ambiguous (BRT: Brazil had DST until 2019); the compiler resolves those.
        raise ValueError(
            f"time-zone abbreviation `{text}` is not accepted: "
            "use an IANA name such as `America/Sao_Paulo` or a fixed offset such as `UTC-3`"
        )
    return _iana(name, text)


def _iana(name: str, text: str) -> tzinfo:
    """Load an IANA zone; importing zoneinfo lazily keeps `import sladsl.runtime` cheap."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    raise ValueError(
        f"unknown time zone `{text}`: use an IANA name such as `Asia/Jakarta` "
        "or a fixed offset such as `UTC+7` (is the `tzdata` package installed?)"
    )


def wall_to_epoch(zone: tzinfo, wall: datetime) -> int:
    """The first instant (epoch seconds) at which the local clock in `zone` reads `wall` or later.

    So a wall time inside a spring-forward gap maps to the end of the gap, and one inside a
    repeated (fall-back) hour to its first occurrence (fold=0). `wall` is naive, whole seconds.
    """
    u0 = int(wall.replace(tzinfo=zone, fold=0).timestamp())
    u1 = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    if u0 <= u1:
        return u0  # unambiguous, or a repeated hour: its first occurrence
    # Inside a gap: the clock reads `wall` or later from the transition on, which lies in
    # (u1, u0]; bisect for it on whole seconds.
    lo, hi = u1, u0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).replace(tzinfo=None) >= wall:
            hi = mid
        else:
            lo = mid
    return hi
