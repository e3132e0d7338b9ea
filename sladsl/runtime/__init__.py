"""The sladsl runtime: what generated evaluators import (stdlib only, fast to import).

Business-time calendars (`Calendar`), zone parsing, yearly holiday rules and exact availability
arithmetic. The calendar and zone code load eagerly; the holiday rules and availability
arithmetic load on first attribute access (PEP 562) so `import sladsl.runtime` stays cheap.
NumPy is used only by `Calendar.add_many` / `elapsed_many`, imported on first use.
"""

from typing import Any

from sladsl.runtime.clock import DAYS, Calendar, HolidaysNotFrozen, NoBusinessTime
from sladsl.runtime.zones import fixed_zone, parse_zone

# Public name -> submodule that defines it, loaded lazily.
_LAZY = {
    "Evaluator": "evaluator",
    "FixedDate": "rules",
    "NthWeekday": "rules",
    "OBSERVED_MONDAY": "rules",
    "OBSERVED_NEAREST": "rules",
    "expand": "rules",
    "downtime": "availability",
    "excess_downtime": "availability",
    "merge_intervals": "availability",
    "month_period": "availability",
    "parse_period": "availability",
    "per_period_credit": "availability",
    "period_seconds": "availability",
    "quarter_period": "availability",
    "tiered_credit": "availability",
    "uptime": "availability",
    "uptime_percent": "availability",
    "year_period": "availability",
}

__all__ = [
    "DAYS", "Calendar", "HolidaysNotFrozen", "NoBusinessTime", "fixed_zone", "parse_zone",
    "FixedDate", "NthWeekday", "OBSERVED_MONDAY", "OBSERVED_NEAREST", "expand",
    "downtime", "excess_downtime", "merge_intervals", "month_period", "parse_period",
    "per_period_credit", "period_seconds", "quarter_period", "tiered_credit", "uptime",
    "uptime_percent", "year_period",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sladsl.runtime' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"sladsl.runtime.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
