"""A contract with several versions: one `Evaluator` per version and the instants each is in effect.

Part of the runtime (standard library only). A generated module of a versioned contract builds
`Versions(SPECS)`; `sladsl.load()` does the same from a freshly checked contract. Rules
(docs/semantics.md "Versions"):
- a ticket is judged by the version in effect when it was opened (`version_by="opened"`), or by
  the version in effect at its due instant (`version_by="due"`): the latest due instant of its
  targets as the version in effect at the opening computes it, so the choice is not circular;
- a ticket no version covers is not judged, with a reason naming the instant and the versions;
- a service period is judged whole by the version in effect when it began, unless a later
  version says `splitting periods`: then the period is cut at that version's start and each part
  judged by its own version (`_split_period`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import math
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

from sladsl.runtime.bands import chosen_credits
from sladsl.runtime.clock import Calendar
from sladsl.runtime.evaluator import (_AMOUNT_FIELD, _CREDIT_UNITS, Evaluator, Interval, Result,
                                      _caps_for, _pay, _total, _with_claim,
                                      not_in_effect_reason, seconds_of)

__all__ = ["VERSION_BY", "Versions"]

VERSION_BY = ("opened", "due")


class Versions:
    """The versions of one contract, earliest first, with the evaluator API of one version."""

    def __init__(self, specs: Iterable[object]) -> None:
        self.evaluators = tuple(Evaluator(spec) for spec in specs)
        if not self.evaluators:
            raise ValueError("a versioned contract needs at least one version")
        for earlier, later in zip(self.evaluators, self.evaluators[1:]):
            if earlier.IN_EFFECT[1] is None or earlier.IN_EFFECT[1] != later.IN_EFFECT[0]:
                raise ValueError("the versions' dates leave a gap or overlap: rebuild the module "
                                 "with `sladsl build`")
        latest = self.evaluators[-1]
        self.CONTRACT: dict[str, Any] = dict(latest.CONTRACT)
        self.CONTRACT["effective"] = self.evaluators[0].CONTRACT["effective"]
        self.CONTRACT["versions"] = [
            {"effective": e.CONTRACT["effective"], "until": e.CONTRACT["until"]}
            for e in self.evaluators]

    def __repr__(self) -> str:
        return f"<Versions {self.CONTRACT['name']!r}: {len(self.evaluators)} versions>"

    def index_at(self, instant: int) -> int | None:
        """The index of the version in effect at an instant (epoch seconds), None if none is."""
        for index, evaluator in enumerate(self.evaluators):
            if evaluator.in_effect(instant):
                return index
        return None

    def at(self, when: datetime) -> Evaluator:
        """The evaluator of the version in effect at an aware instant (ValueError if none is)."""
        index = self.index_at(seconds_of(when))
        if index is None:
            raise ValueError(self.reason(seconds_of(when)))
        return self.evaluators[index]

    def reason(self, instant: int) -> str:
        return not_in_effect_reason(instant, [e.CONTRACT for e in self.evaluators])

    def ticket_version(self, ticket: Mapping[str, Any], version_by: str = "opened") -> int | None:
        """The index of the version that judges a ticket (None: no version covers it)."""
        if version_by not in VERSION_BY:
            raise ValueError(f"version_by must be one of {', '.join(VERSION_BY)}, not {version_by!r}")
        opened = seconds_of(ticket["opened_at"])
        index = self.index_at(opened)
        if index is None or version_by == "opened":
            return index
        results = self.evaluators[index].evaluate_ticket(ticket)["results"]
        dues = [seconds_of(r["due"]) for r in results if r.get("due") is not None]
        return self.index_at(max(dues)) if dues else index

    def evaluate_ticket(self, ticket: Mapping[str, Any], version_by: str = "opened") -> Result:
        """Verdicts by the version that judges the ticket, with `version` (its effective date)."""
        if "opened_at" not in ticket:
            raise ValueError("the ticket has no `opened_at`")
        index = self.ticket_version(ticket, version_by)
        if index is None:  # opened when no version was in effect
            answer = self.evaluators[0].evaluate_ticket(ticket)  # validates the ticket
            answer["reason"] = self.reason(seconds_of(ticket["opened_at"]))
            answer["results"], answer["version"] = [], None
            return answer
        answer = self.evaluators[index].evaluate_ticket(ticket)
        answer["version"] = self.evaluators[index].CONTRACT["effective"]
        return answer

    def penalties(self, tickets: Iterable[Mapping[str, Any]]) -> list[Result]:
        """Each version's penalties on ticket breaches over the tickets opened while it was in
        effect (judged by that version), each report with `version` (its effective date)."""
        by_version: list[list[Mapping[str, Any]]] = [[] for _ in self.evaluators]
        for ticket in tickets:
            if "opened_at" not in ticket:
                raise ValueError("the ticket has no `opened_at`")
            index = self.ticket_version(ticket)
            if index is not None:
                by_version[index].append(ticket)
        return [{**report, "version": evaluator.CONTRACT["effective"]}
                for evaluator, mine in zip(self.evaluators, by_version)
                for report in evaluator.penalties(mine)]

    def live(self, ticket: Mapping[str, Any]) -> Result:
        """Each clock at `now` (docs/semantics.md "Live view") by the version in effect when the
        ticket was opened, with `version`; no clocks and a `reason` when none was."""
        if not hasattr(ticket, "get") or "opened_at" not in ticket:
            raise ValueError("a ticket must be a mapping with at least `priority` and `opened_at`")
        index = self.index_at(seconds_of(ticket["opened_at"]))
        if index is None:
            answer = self.evaluators[0].live(ticket)  # validates the ticket; no clocks
            answer["reason"], answer["version"] = self.reason(seconds_of(ticket["opened_at"])), None
            return answer
        answer = self.evaluators[index].live(ticket)
        answer["version"] = self.evaluators[index].CONTRACT["effective"]
        return answer

    def due(self, metric: str, priority: str | None, opened_at: datetime, **options: Any) -> datetime:
        """The due instant by the version in effect at `opened_at`."""
        return self.at(opened_at).due(metric, priority, opened_at, **options)

    def target(self, metric: str, priority: str | None, *, at: datetime, **options: Any) -> Result | None:
        """The target of the version in effect at `at`."""
        return self.at(at).target(metric, priority, **options)

    def calendar(self, name: str, *, at: datetime) -> Calendar:
        return self.at(at).calendar(name)

    def escalation(self, plan: str | None, elapsed: timedelta | None = None, *, opened_at: datetime,
                   **options: Any) -> Result | None:
        return self.at(opened_at).escalation(plan, elapsed, opened_at=opened_at, **options)

    # -- availability: each service period is judged whole by the version in effect when it
    # began (docs/semantics.md "Versions"): a new version's availability terms apply from the
    # first period that begins on or after its effective date.

    def availability(self, service: str, period: str | Interval, outages: Iterable[Any],
                     excluded: Iterable[Any] = (), **options: Any) -> Result:
        """One period of a service, by the version in effect when the period began."""
        answer = self.availability_periods(service, period, outages, excluded, **options)
        if len(answer["periods"]) != 1:
            raise ValueError(f"`{period}` is more than one period of `{service}`: ask "
                             "availability_periods()")
        only: Result = answer["periods"][0]
        return only

    def availability_periods(self, service: str, period: str | Interval, outages: Iterable[Any],
                             excluded: Iterable[Any] = (), **options: Any) -> Result:
        """Each service period inside `period`, each by the version in effect when it began,
        with `version` (that version's effective date), and their total."""
        return self.periods_answered_by([e.availability_periods for e in self.evaluators], service,
                                        period, outages, excluded, **options)

    def periods_answered_by(self, answerers: list[Any], service: str, period: str | Interval,
                            outages: Iterable[Any], excluded: Iterable[Any] = (),
                            **options: Any) -> Result:
        """`availability_periods`, each version's periods answered by `answerers[index]` (its
        evaluator's `availability_periods`, or a SQL engine's answer in the same shape)."""
        outages, excluded = list(outages), list(excluded)
        if "maintenance" in options:
            options["maintenance"] = list(options["maintenance"])
        pieces: list[tuple[int, int, Result]] = []  # (start, version index, answer)
        every: set[int] = set()
        for index, (evaluator, answerer) in enumerate(zip(self.evaluators, answerers)):
            try:
                answer = answerer(service, period, outages, excluded, **options)
            except ValueError:
                if index == len(self.evaluators) - 1 and not pieces and not every:
                    raise
                continue
            for piece in answer["periods"]:
                start = seconds_of(piece["period_start"])
                every.add(start)
                if self.index_at(start) == index:
                    pieces.append((start, index, dict(piece, version=evaluator.CONTRACT["effective"])))
        periods: list[Result] = []
        end = None
        for start, index, piece in sorted(pieces, key=lambda p: p[0]):
            # A period of a later version that begins inside a longer period the earlier
            # version judges (a quarter, then months) waits until that period ends.
            if end is None or start >= end:
                periods.append(self._split_period(service, piece, index, outages, excluded, options))
                end = seconds_of(piece["period_end"])
        uncovered = sorted(s for s in every if self.index_at(s) is None)
        if uncovered or not periods:
            raise ValueError(f"a period of `{service}` cannot be judged: "
                             + (self.reason(uncovered[0]) if uncovered else
                                "no version in effect then has an availability target for it"))
        bounds = (periods[0]["period_start"], periods[-1]["period_end"])
        return {"service": service, "periods": periods, "total": _total(periods, bounds)}

    # -- a period split where a version that says `splitting periods` takes effect
    # (docs/semantics.md "Versions"): each part is measured alone against its own version's
    # target; a tiered credit is decided per part by its version's table and paid pro rata of the
    # part's share of the period; a per-outage credit follows the version in effect when the
    # outage started; the caps of the latest version that has the credit bound the period's sum
    # (the checker allows only caps and allowances per the service's own period, E705).

    def _cuts(self, start: int, end: int) -> list[int]:
        """The instants strictly inside [start, end) where a version that splits takes effect."""
        return [e.IN_EFFECT[0] for e in self.evaluators
                if e.spec["contract"].get("split_periods") and e.IN_EFFECT[0] is not None
                and start < e.IN_EFFECT[0] < end]

    def _split_period(self, service: str, piece: Result, index: int, outages: list[Any],
                      excluded: list[Any], options: dict[str, Any]) -> Result:
        start, end = seconds_of(piece["period_start"]), seconds_of(piece["period_end"])
        cuts = self._cuts(start, end)
        if not cuts:
            return piece
        zone = piece["period_start"].tzinfo
        edges = [piece["period_start"], *(_instant(c, zone) for c in cuts), piece["period_end"]]
        parts, units = [], []
        for lo, hi in zip(edges, edges[1:]):
            judge = self.index_at(seconds_of(lo))
            assert judge is not None  # the period began in effect and the versions leave no gap
            evaluator = self.evaluators[judge]
            now = options.get("now")
            begun = now is None or seconds_of(now) >= seconds_of(lo)
            # A part that has not begun at `now` has no burn rate yet: its budget is the whole.
            part = evaluator.availability(service, (lo, hi), outages, excluded,
                                          **dict(options, now=now if begun else None))
            share = Fraction(seconds_of(hi) - seconds_of(lo), end - start)
            part["credits"], found = _part_credits(evaluator, service, (lo, hi), share, outages,
                                                   excluded, options)
            units += [(judge, *f) for f in found]
            # Caps bound the whole period, not the part (`_period_credits`): no history to cover.
            parts.append(dict(part, version=evaluator.CONTRACT["effective"], share=share,
                              counted_from=None))
        answer = dict(_total(parts, (piece["period_start"], piece["period_end"])))
        answer.update(service=service, parts=parts, version=piece["version"], split=True,
                      target_percent=parts[-1]["target_percent"], counted_from=None,
                      error_budget=None, credits=self._period_credits(service, units, piece, options),
                      outages=[o for p in parts for o in p["outages"]])
        del answer["periods_missed"]
        return answer

    def _period_credits(self, service: str, units: list[tuple[Any, ...]], piece: Result,
                        options: dict[str, Any]) -> list[Result]:
        """The credits of a split period: the parts' amounts summed per kind and basis, bounded
        by the caps of the latest version that has that credit."""
        from sladsl.runtime import availability as av

        billing = options.get("billing", "monthly")
        out = []
        keys = sorted({(kind, basis) for _j, kind, basis, _u, _b, _s in units},
                      key=lambda k: (k[0], k[1] or ""))
        for kind, basis in keys:
            mine = [u for u in units if (u[1], u[2]) == (kind, basis)]
            judge, _k, _b, _u, base, scheme = mine[-1]
            evaluator = self.evaluators[judge]
            entry, zone = evaluator._service_entry(service, billing)
            caps = _caps_for(scheme, billing)
            amounts = sorted((u for m in mine for u in m[3]), key=lambda u: u[0].timestamp())
            credit = dict(base)
            unit = credit.pop("unit")
            if unit == "none":
                credit["periods"] = sum(m[4]["periods"] or 0 for m in mine)
                out.append(credit)
                continue
            paid, capped = _pay(caps, [], amounts, zone, av, entry["first_month"])
            if paid <= 0:
                continue
            field = _AMOUNT_FIELD[unit]
            credit[field] = math.ceil(paid) if field == "extension_seconds" else paid
            credit["capped"] = capped
            if any(m[4]["periods"] is not None for m in mine):
                credit["periods"] = sum(m[4]["periods"] or 0 for m in mine)
            credit["rule"] = "the sum of the parts' credits" + (
                ", at most " + " and ".join(f"{text} per {per}" for _v, per, text in caps)
                + " (the latest version's cap)" if caps else "")
            out.append(_with_claim(credit, scheme, entry, piece["period_end"], zone, av,
                                   options.get("now")))
        if len(out) > 1:  # which of several credits is paid, as the version judging the last part says
            entry, zone = self.evaluators[judge]._service_entry(service, billing)
            out = chosen_credits(out, entry.get("credit_choice"), billing,
                                 (piece["period_start"], piece["period_end"]), zone, av, entry["first_month"])
        return out


def _instant(epoch: int, zone: Any) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc).astimezone(zone)


def _part_credits(evaluator: Evaluator, service: str, bounds: Interval, share: Fraction,
                  outages: list[Any], excluded: list[Any],
                  options: dict[str, Any]) -> tuple[list[Result], list[tuple[Any, ...]]]:
    """(the part's credits before any cap, shown in the part; (kind, basis, units, base, scheme)
    of each, for the period's sum): a tiered credit times the part's share of the period; a
    per-outage credit for each outage that started in the part, measured whole (also after the
    part and the period end)."""
    from sladsl.runtime import availability as av

    billing = options.get("billing", "monthly")
    entry, zone = evaluator._service_entry(service, billing)
    terms = {key: options.get(key) for key in ("hourly_rate", "devices")}  # credit formulas
    data = evaluator._availability_data(entry, outages, excluded, options.get("maintenance", ()), zone,
                                        terms=terms)
    measured = evaluator._measured(entry, bounds, data, zone, av)
    shown, found = [], []
    for scheme in entry["credits"]:
        units, base = _CREDIT_UNITS[scheme["kind"]](evaluator, scheme, entry, {**measured, "data": data}, billing,
                                                    av)
        if not base:
            continue
        if scheme["kind"] == "tiered":
            units = [(when, amount * share) for when, amount in units]
            base["rule"] += (f", pro rata {share.numerator}/{share.denominator} of the period "
                             "(this part's share)")
        credit = dict(base)
        unit = credit.pop("unit")
        if unit != "none":
            credit[_AMOUNT_FIELD[unit]] = sum((a for _w, a in units), Fraction(0))
        shown.append(credit)
        found.append((scheme["kind"], base["basis"], units, base, scheme))
    return shown, found
