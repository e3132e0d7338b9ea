"""Choices by ticket attributes: calendars chosen by an attribute (`calendar support by location
{ ... }`) and plans chosen by conditions (`plan Enterprise when organisation is "Acme" { ... }`),
E213-E217 and W105 (docs/language.md "Calendars and plans chosen by ticket attributes")."""

from __future__ import annotations

from sladsl import ast, model
from sladsl.ast import Span
from sladsl.check.base import CheckerBase, by_type
from sladsl.diagnostics import Label
from sladsl.runtime.choice import MULTI_VALUED

# Ticket fields with a meaning of their own: a choice by them is refused (E213). `channel` is
# allowed: its values are the contract's channels.
RESERVED_ATTRIBUTES = frozenset({
    "id", "priority", "plan", "addons", "opened_at", "first_response_at", "resolved_at",
    "pauses", "updates", "events", "now",
})


class ChoiceChecks(CheckerBase):
    # ---- calendars chosen by an attribute -----------------------------------------------------
    def declare_calendar_choices(self, body: tuple) -> None:
        """Register every `calendar NAME by ...` (after the calendars, which its branches name)."""
        nodes = by_type(body)[ast.CalendarChoice]
        for stmt in nodes:
            if self.declare_calendar_name(stmt.name):
                self.choice_nodes[stmt.name.text] = stmt
        for name, stmt in self.choice_nodes.items():
            choice = self.guarded(stmt.span, self.calendar_choice, stmt)
            if choice is not None:
                self.calendar_choices[name] = choice

    def calendar_choice(self, stmt: ast.CalendarChoice) -> model.CalendarChoice | None:
        attribute = stmt.attribute.text
        ok = self.attribute_ok(stmt.attribute)
        seen: dict[str, Span] = {}
        branches = []
        closed: ast.ChoiceBranch | None = None  # the `otherwise` branch, once met
        for branch in stmt.branches:
            if closed is not None:
                self.error("E215", "this branch can never apply: it comes after `otherwise`",
                           branch.span, labels=[Label(closed.span, "`otherwise` chooses every other ticket")],
                           help="move `otherwise` to the end, or remove this branch")
                ok = False
                continue
            values = self.choice_values(attribute, branch.values, seen)
            calendar = self.fixed_calendar(branch.calendar, branch.span, "in a calendar choice")
            if values is None or calendar is None:
                ok = False
                continue
            when = (model.Condition(attribute, _op(attribute), values, span=branch.span),) if values else ()
            branches.append(model.ChoiceBranch(when, calendar, span=branch.span))
            if not branch.values:
                closed = branch
        if not branches and ok:
            self.error("E215", f"calendar `{stmt.name.text}` chooses no calendar", stmt.span,
                       help='add branches such as `"Germany": de_hours` and `otherwise: eu_hours`')
            return None
        if not ok:
            return None
        return model.CalendarChoice(stmt.name.text, attribute, tuple(branches), span=stmt.span)

    def choice_values(self, attribute: str, names: tuple[ast.Name, ...],
                      seen: dict[str, Span]) -> tuple[str, ...] | None:
        """The values of a branch or condition: known channels for `channel`, none twice (values
        compare ignoring case, as the runtime matches them)."""
        ok = True
        for value in names:
            key = value.text.strip().casefold()
            if not key:
                self.error("E214", "an empty value can never match", value.span,
                           help="a blank attribute matches only `otherwise`")
                ok = False
            elif key in seen:
                self.error("E214", f"`{value.text}` is chosen twice", value.span,
                           labels=[Label(seen[key], "first chosen here")],
                           help="the first branch that lists it applies; remove it from this one")
                ok = False
            else:
                seen[key] = value.span
            if attribute == "channel" and value.text not in self.channel_names:
                self.unknown("channel", value.text, value.span, self.channel_names)
                ok = False
        return tuple(v.text.strip() for v in names) if ok else None

    def attribute_ok(self, attribute: ast.Name) -> bool:
        if attribute.text in RESERVED_ATTRIBUTES:
            self.error("E213", f"a ticket's `{attribute.text}` cannot choose a calendar or plan",
                       attribute.span, help="choose by an attribute of the customer or ticket, such "
                       "as `location`, `language`, `organisation`, `tags` or `channel`; targets "
                       "already differ by priority, plan and add-on")
            return False
        return True

    def calendar_options(self, name: str) -> tuple[str, ...]:
        """The calendars a name stands for: itself, or the options of a calendar choice."""
        choice = self.calendar_choices.get(name)
        return (name,) if choice is None else choice.options

    def fixed_calendar(self, expr, span: Span, where: str) -> str | None:
        """A calendar expression that must name one calendar (not a choice): E217 otherwise."""
        name = self.calendar_expr(expr, span)
        if name is not None and name in self.choice_nodes:
            self.error("E217", f"calendar `{name}` is chosen by a ticket attribute and cannot be "
                       f"used {where}", getattr(expr, "span", span),
                       help="name one of the calendars it chooses from")
            return None
        return name

    # ---- plans chosen by conditions -----------------------------------------------------------
    def plan_choice(self, nodes: dict[str, ast.Plan]) -> tuple[model.ChoiceBranch, ...]:
        """The plans with `when` or `otherwise`, in written order, as one ordered choice."""
        branches: list[model.ChoiceBranch] = []
        written: list[tuple[ast.Plan, tuple[model.Condition, ...]]] = []
        closed: ast.Plan | None = None
        for node in nodes.values():
            if not node.when and not node.otherwise:
                continue
            if closed is not None:
                self.error("E215", f"plan `{node.name.text}` can never be chosen by its conditions: "
                           f"it comes after the `otherwise` plan `{closed.name.text}`", node.name.span,
                           labels=[Label(closed.name.span, "chosen for every other ticket")],
                           help="write the `otherwise` plan last")
                continue
            when = self.conditions(node.when)
            if when is None:
                continue
            shadow = next((earlier for earlier, conds in written if _implies(when, conds)), None)
            if shadow is not None:
                self.warn("W105", f"plan `{node.name.text}` is never chosen by its conditions: plan "
                          f"`{shadow.name.text}` comes first and matches every ticket they match",
                          node.name.span, labels=[Label(shadow.name.span, "matches first")],
                          help="write the narrower plan first, or tighten its conditions")
            written.append((node, when))
            branches.append(model.ChoiceBranch(when, node.name.text, span=node.span))
            if node.otherwise:
                closed = node
        return tuple(branches)

    def conditions(self, nodes: tuple[ast.Condition, ...]) -> tuple[model.Condition, ...] | None:
        out = []
        ok = True
        attributes: dict[str, Span] = {}
        for node in nodes:
            attribute = node.attribute.text
            if not self.attribute_ok(node.attribute):
                ok = False
                continue
            if attribute in attributes:
                self.error("E105", f"`{attribute}` is tested twice", node.span,
                           labels=[Label(attributes[attribute], "first tested here")],
                           help="list every value in one test: `is \"A\", \"B\"` matches either")
                ok = False
                continue
            attributes[attribute] = node.span
            wanted = _op(attribute)
            if node.op != wanted:
                self.error("E216", f"`{attribute} {node.op}`: write `{attribute} {wanted}`",
                           node.span, help="`has` tests a multi-valued attribute (`tags has \"vip\"`: "
                           "the ticket has one of the tags); `is` tests any other (`location is "
                           "\"Germany\"`: equal to one of the values)")
                ok = False
                continue
            values = self.choice_values(attribute, node.values, {})
            if values is None:
                ok = False
                continue
            out.append(model.Condition(attribute, node.op, values, span=node.span))
        return tuple(out) if ok else None


def _op(attribute: str) -> str:
    """The test an attribute takes: `has` for a multi-valued one, `is` for the others."""
    return "has" if attribute in MULTI_VALUED else "is"


def _implies(later: tuple[model.Condition, ...], earlier: tuple[model.Condition, ...]) -> bool:
    """Whether every ticket `later` matches, `earlier` matches too: each earlier condition is on
    an attribute `later` tests with fewer (or the same) values (conditions are "any of")."""
    tests = {c.attribute: {v.casefold() for v in c.values} for c in later}
    return all(c.attribute in tests and tests[c.attribute] <= {v.casefold() for v in c.values}
               for c in earlier)
