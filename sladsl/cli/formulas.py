"""`sladsl eval --penalties` (penalties on ticket breaches) and `sladsl uptime` for credit formulas (docs/semantics.md "Credit formulas"): the `--hourly-rate`
and `--devices` options, the `devices` column a credit per device needs (named by row and field),
and credits paid in money in text and JSON (exact, rounded to cents only to display)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import click

from sladsl import model
from sladsl.cli.common import UsageProblem
from sladsl.data import DataError
from sladsl.diagnostics import printable
from sladsl.runtime.formulas import parse_devices, parse_money

__all__ = ["formula_options", "formula_terms", "check_device_rows", "money_text", "money_json",
           "penalties_option", "eval_penalties"]


def formula_options(command):
    """`--hourly-rate "USD 120"` and `--devices N`: what a contract's credit formula leaves to be
    given when judging (`hourly rate`, a prorated credit without `devices N`)."""
    command = click.option("--devices", "devices", metavar="N",
                           help="The number of devices a credit prorated by affected devices divides "
                                "by, when the contract does not state it.")(command)
    return click.option("--hourly-rate", "hourly_rate", metavar="AMOUNT",
                        help="The hourly rate (`\"USD 120\"`) of a credit `hourly rate per ... hour of "
                             "downtime`, when the contract does not state it.")(command)


def formula_terms(hourly_rate: str | None, devices: str | None, services, engine: str) -> dict:
    """The options as `availability(...)` keywords; refused where nothing would use them (a
    given option that changes no answer would read as if it had)."""
    terms: dict = {}
    credits = [c for s in services for c in s.credits]
    if hourly_rate is not None:
        if not any(isinstance(c, model.HourlyRateCredit) and c.rate is None for c in credits):
            raise UsageProblem("--hourly-rate: no credit of the contract leaves its hourly rate to be "
                               "given (`credit hourly rate per ... hour of downtime`)")
        try:
            terms["hourly_rate"] = parse_money(hourly_rate, "--hourly-rate")
        except ValueError as error:
            raise UsageProblem(str(error)) from None
    if devices is not None:
        if not any(isinstance(c, model.DeviceCredit) and c.prorated is not None and c.devices is None
                   for c in credits):
            raise UsageProblem("--devices: no credit of the contract is prorated over a number of "
                               "devices it leaves to be given")
        try:
            count = parse_devices(devices, "--devices")
        except ValueError as error:
            raise UsageProblem(str(error)) from None
        if not count:
            raise UsageProblem("--devices: a credit is prorated over at least one device")
        terms["devices"] = count
    if terms and engine != "python":
        raise UsageProblem("--hourly-rate and --devices are answered by the python engine")
    return terms


def check_device_rows(svc, incidents, display: str) -> None:
    """Every outage of a service paid per affected device names how many it affected."""
    if not any(isinstance(c, model.DeviceCredit) for c in svc.credits):
        return
    for incident in incidents:
        if incident.kind == "outage" and incident.devices is None:
            raise DataError(display, incident.row, "devices", f"service `{svc.name}` pays a credit per "
                            "affected device: give the number of devices the outage affected",
                            "missing devices")


def _cents(value: Fraction) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{exact.quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN):,}"


def money_text(credit: dict) -> str | None:
    """`USD 240.00`, with the exact amount beside it when cents do not hold it; None: not money."""
    if "currency" not in credit:
        return None
    amount = Fraction(credit.get("amount") or 0)
    shown = f"{credit['currency']} {_cents(amount)}"
    if (amount * 100).denominator != 1:
        shown += f" (exact {amount.numerator}/{amount.denominator})"
    if credit.get("hours") is not None:
        hours = Fraction(credit["hours"])
        shown += f" for {hours.numerator if hours.denominator == 1 else float(hours)} hour(s)"
    if credit.get("periods") is not None:
        shown += f" for {credit['periods']} violation(s)"
    return shown + (" (capped)" if credit.get("capped") else "")


def money_json(credit: dict) -> dict:
    """The JSON keys of a credit paid in money (none for the others, whose shape is unchanged)."""
    if "currency" not in credit:
        return {}
    amount = Fraction(credit.get("amount") or 0)
    hours = credit.get("hours")
    return {"currency": credit["currency"],
            "amount": {"exact": f"{amount.numerator}/{amount.denominator}", "value": float(amount)},
            **({"hours": {"exact": str(Fraction(hours)), "value": float(hours)}} if hours is not None else {})}


# ---- `sladsl eval --penalties` ------------------------------------------------------------------

def penalties_option(command):
    return click.option("--penalties", is_flag=True,
                        help="Report the contract's penalties on ticket breaches per period instead of "
                             "each ticket's verdicts.")(command)


def tally_chunk(tally, result, evaluator) -> None:
    """The verdicts of one evaluated chunk into a `PenaltyTally` (as `Evaluator.penalties` adds
    them ticket by ticket: the ticket's priority, resolved through its channel)."""
    from sladsl.runtime.evaluator import STATUSES

    chunk = result.chunk
    opened = chunk.opened
    priorities: dict = {}
    for group in result.groups:
        for k, i in enumerate(group.idx):
            key = chunk.keys[i]
            if key not in priorities:
                priorities[key] = evaluator._priority(key[0], key[3])
            tally.add(opened[i], priorities[key], group.metric, STATUSES[int(group.status[k])])


def eval_penalties(evaluator, runner, first, chunks, fmt: str, handle) -> None:
    """Judge every chunk, tally the penalties, and write the report (table, csv or json)."""
    from sladsl.runtime.penalties import PenaltyTally

    if not evaluator.spec["penalties"]:
        raise UsageProblem("--penalties: the contract states no `penalty`")
    tally = PenaltyTally(evaluator.spec["penalties"])
    for chunk in ([first] if first is not None else []):
        tally_chunk(tally, chunk, evaluator)
    for chunk in chunks:
        tally_chunk(tally, runner.run_chunk(chunk), evaluator)
    report = tally.report()
    handle.write({"table": _penalty_text, "csv": _penalty_csv, "json": _penalty_json}[fmt](report))


def _amount_text(amount) -> str:
    return amount[3]


def _penalty_text(report) -> str:
    lines = []
    for penalty in report:
        line = f" (line {penalty['source_line']})" if penalty["source_line"] else ""
        lines.append(f"penalty{line}: {printable(penalty['text'])}")
        if not penalty["periods"]:
            lines.append("  no judged ticket falls under it")
        for period in penalty["periods"]:
            owed = (f"owed {_amount_text(period['amount'])}" if period["owed"]
                    else f"not owed (more than {penalty['more_than']} needed)")
            lines.append(f"  {period['period']}: {period['breached']} breached, {period['met']} met, "
                         f"{period['pending']} pending, {period['not_judged']} not judged: {owed}")
        lines.append("  (pending and not judged verdicts are not breaches)")
    return "\n".join(lines) + "\n"


def _penalty_csv(report) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["penalty", "source_line", "period", "breached", "met", "pending", "not_judged",
                     "owed", "amount"])
    for penalty in report:
        for period in penalty["periods"]:
            writer.writerow([penalty["text"], penalty["source_line"] or "", period["period"], period["breached"],
                             period["met"], period["pending"], period["not_judged"],
                             "yes" if period["owed"] else "no",
                             _amount_text(period["amount"]) if period["owed"] else ""])
    return out.getvalue()


def _penalty_json(report) -> str:
    import json

    def amount(value):
        if value is None:
            return None
        kind, number, basis, text = value
        number = Fraction(number)
        return {"kind": kind, "value": {"exact": f"{number.numerator}/{number.denominator}",
                                        "value": float(number)}, "basis": basis, "text": text}

    return json.dumps({"penalties": [
        {**{k: v for k, v in p.items() if k != "periods"}, "priorities": list(p["priorities"]),
         "periods": [{**period, "amount": amount(period["amount"])} for period in p["periods"]]}
        for p in report]}, indent=2, ensure_ascii=False) + "\n"
