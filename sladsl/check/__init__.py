"""Stage 3: AST -> checked model (`sladsl.model`), with every problem reported as a diagnostic.

The checker resolves names, gives literals their units, builds and validates calendars (zones,
windows, frozen holiday dates), flattens plan inheritance and runs the consistency rules. It
collects every diagnostic it can instead of stopping at the first; a construct with an error is
left out of the model and the model is returned only when there are no errors. An unexpected
exception becomes an internal-error diagnostic (E901) at the span being checked.

One module per concern, each a mixin of `base.CheckerBase` (the shared state and tools):
`contract` (file shape, placement, header, priorities, prose), `calendars` (with `windows` and
`holiday_items`), `targets`, `plans` (with add-ons, channels, escalation), `services`
(availability, maintenance, credits; `bands`: credits by outage duration; `formulas`: fee
multiples, hourly rates, per violation and device), `counting` (what counts
as downtime: minimum outage, intervals, impact, scopes, rolling windows), `periods` (billing periods
anchored at activation, partial periods), `counts` (availability from execution counts),
`maintenance_windows` (dated windows, E470-E475), `credit_life` (claiming, posting and expiry of
credits, E476-E480, W450) and `consistency` (W101-W103, W203, W303); `clock`
checks the ticket clock rules (E502-E508, W502-W503); `versions` checks a file of several
versions as a set (E701-E704, W701). Statements are dispatched on their node type through tables
(`_SERVICE_ITEMS`, `_CALENDAR_ITEMS`, ...), which name the method that handles each type.
"""

from __future__ import annotations

from sladsl import ast, model
from sladsl.check import versions
from sladsl.check.bands import BandChecks
from sladsl.check.base import SUGGESTION_BUDGET, CheckerBase, clock_seconds, parse_percent
from sladsl.check.calendars import CalendarChecks
from sladsl.check.choices import ChoiceChecks
from sladsl.check.clock import ClockChecks
from sladsl.check.consistency import ConsistencyChecks, two_ways_readings
from sladsl.check.contract import ContractChecks
from sladsl.check.counting import CountingChecks
from sladsl.check.credit_life import CreditLifeChecks
from sladsl.check.maintenance_windows import MaintenanceWindowChecks
from sladsl.check.counts import CountsChecks
from sladsl.check.formulas import FormulaChecks
from sladsl.check.periods import PeriodChecks
from sladsl.check.plans import PlanChecks
from sladsl.check.services import ServiceChecks
from sladsl.check.targets import TargetChecks
from sladsl.diagnostics import Diagnostic

__all__ = ["SUGGESTION_BUDGET", "Checker", "CheckerBase", "check", "clock_seconds", "parse_percent",
           "two_ways_readings"]


class Checker(ContractChecks, CalendarChecks, TargetChecks, PlanChecks, ServiceChecks, BandChecks,
              CountingChecks, CountsChecks, PeriodChecks, ConsistencyChecks, ClockChecks,
              ChoiceChecks, MaintenanceWindowChecks, CreditLifeChecks, FormulaChecks):
    """The whole checker: every concern's methods over one `CheckerBase` state."""


def check(module: ast.Module, file: str, *, alone: bool = True) -> tuple[
        model.Contract | model.Versions | None, list[Diagnostic]]:
    """Check one parsed file. Returns the model (None if there were errors) and the diagnostics:
    a `model.Versions` when the file holds several versions of one contract. `alone=False`: the
    file is one version among others (no rule about the set applies)."""
    blocks = versions.version_blocks(module)
    if blocks is not None:  # several versions of one contract (sladsl/check/versions.py)
        return versions.check_versions(blocks, file, check)
    checker = Checker(file)
    try:
        contract = checker.run(module)
    except Exception as error:  # noqa: BLE001 - never a traceback: report and point at the span
        checker.internal(error, checker.current_span)
        contract = None
    if any(d.is_error for d in checker.diagnostics):
        contract = None
    if alone and isinstance(contract, model.Contract) and contract.split_periods:
        checker.diagnostics += versions.split_alone(module.body)
    return contract, checker.diagnostics
