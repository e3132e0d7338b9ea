"""What the SQL back end refuses (E801), before it writes or runs a query.

The SQL back end implements the runtime's rules in closed form, clause by clause. A clause it
does not implement must never be ignored (the warehouse would answer as if it were not written),
so every part of the contract the queries read is checked against a table of what they
implement, and anything else is refused with E801:

- availability and credits: `sladsl.to_sql_availability.SUPPORTED`, a table of the model's
  fields (a new field with a value other than its default is unknown, hence refused);
- tickets: the spec sections the verdict query reads (`TICKET_SPEC`): a key the table does not
  list, carrying a value, is a construct added after the SQL was written, hence refused.
  Calendars need no entry: they are laid out by the runtime itself, whatever their rules.

`sladsl check --sql` prints the same refusals, so a contract can be checked for the warehouse.
"""

from __future__ import annotations

import attrs

from sladsl.ast import Span
from sladsl.diagnostics import Diagnostic

__all__ = ["TICKET_SPEC", "sql_refusals", "with_sql_refusals"]

# `negotiable` only marks the target (its text, which the query copies, ends in "or as agreed");
# `after_response` moves an update cadence, which only an event log can judge (the SQL engines
# read flat columns, where update targets are not judged).
_TARGET = {"alternative_text", "best_effort", "business_days", "calendar", "every", "low_text",
           "metric", "origin", "priority", "proportion", "proportion_period", "seconds",
           "source_line", "text", "negotiable", "after_response"}
# spec section -> the keys of its entries the verdict query (or the layout) implements
TICKET_SPEC = {
    # `clock`: the contract's pause, reopen and reclassification rules read an event log's
    # statuses and priority changes; the SQL engines read flat ticket columns (`--events` is
    # refused), where these rules have nothing to act on, as in the python engine.
    "": {"addons", "calendars", "channels", "clock", "contract", "escalation", "format", "metrics",
         "plans", "priorities", "services", "targets"},
    "calendars": {"holiday_hours", "holiday_years", "holidays", "source_line", "week", "zone"},
    "targets": _TARGET,
    "plans": {"escalation", "hours", "source_line", "targets"},
    "addons": {"for_plans", "source_line", "targets"},
    "channels": {"default_priority", "hours", "only_priorities", "source_line", "targets"},
}
METRICS = {"response", "resolution", "update", "pickup"}
# Spec keys the verdict query does not implement, refused in words the author wrote: choices by
# ticket attributes need the attribute columns, which the SQL ticket tables do not carry.
REFUSED_SPEC = {
    "calendar_choices": "calendars chosen by a ticket attribute (`calendar ... by`)",
    "plan_choice": "plans chosen by ticket attributes (`plan ... when`)",
    # states the helpdesk drives from an event log's statuses; the SQL engines read flat columns
    "inactivity": "inactivity timers (`inactivity while status`)",
}


def _entries(spec: dict, section: str):
    value = spec.get(section)
    if isinstance(value, dict):
        return [(name, entry) for name, entry in value.items() if isinstance(entry, dict)]
    if isinstance(value, (list, tuple)):
        return [(None, entry) for entry in value if isinstance(entry, dict)]
    return []


def _ticket_refusals(spec: dict, file: str) -> list[Diagnostic]:
    out = []

    def refuse(line, what):
        span = Span(file, line or 1, 1, line or 1, 2)
        out.append(Diagnostic(
            "E801", f"the SQL back end cannot compute {what}", span,
            notes=("`sladsl sql` and `--engine duckdb|spark` refuse rather than approximate a "
                   "verdict",),
            help="use `--engine python` for this contract"))

    for key in sorted(set(spec) - TICKET_SPEC[""]):
        if spec[key]:
            line = spec[key].get("source_line") if isinstance(spec[key], dict) else None
            refuse(line if isinstance(line, int) else None,
                   REFUSED_SPEC.get(key, f"the contract's `{key}`"))
    for section, known in TICKET_SPEC.items():
        if not section:
            continue
        for _name, entry in _entries(spec, section):
            targets = entry.get("targets") if section != "targets" else [entry]
            for target in targets or ():
                for key in sorted(set(target) - _TARGET):
                    if target[key]:
                        refuse(target.get("source_line"), f"`{key}` of a target")
            for key in sorted(set(entry) - known):
                if entry[key]:
                    refuse(entry.get("source_line"), f"`{key}` of a {section[:-1]}")
    # The clock rules turn an event log into clocks, and the SQL engines read flat columns only;
    # on flat columns the one rule that changes a verdict is a clock paused on its own statuses
    # (not judged, runtime REASONS["no_statuses"]), which the query does not implement.
    for metric in sorted((spec.get("clock") or {}).get("metric_pause_statuses") or {}):
        verb = {"response": "respond", "resolution": "resolve"}.get(metric, metric)
        refuse(None, f"`pause {verb} while status` (a clock paused on its own statuses)")
    for metric in spec.get("metrics", ()):
        if metric not in METRICS:
            refuse(None, f"the metric `{metric}`")
    return sorted(set(out), key=lambda d: (d.span.line, d.message))


def sql_refusals(contract, spec: dict, file: str, services: tuple[str, ...] | None = None,
                 tickets: bool = True) -> list[Diagnostic]:
    """E801 diagnostics for everything the SQL back end would have to ignore (empty: it can
    compute the whole contract); `services`: only those services' availability."""
    from sladsl.to_sql_availability import refusals

    out = _ticket_refusals(spec, file) if tickets else []
    return out + refusals(contract, spec, services)


def with_sql_refusals(result):
    """A checked `pipeline.Result` with the SQL refusals added (`sladsl check --sql`)."""
    if result.contract is None or not result.ok:
        return result
    from sladsl.runtime.evaluator import Evaluator
    from sladsl.to_spec import to_spec

    spec = Evaluator(to_spec(result.contract, (result.source.text or "").encode("utf-8"))).spec
    found = sql_refusals(result.contract, spec, result.source.file)
    return attrs.evolve(result, diagnostics=tuple(result.diagnostics) + tuple(found))
