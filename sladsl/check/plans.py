"""Plans (inheritance, hours, prices, channels), add-ons, channels and escalation ladders."""

from __future__ import annotations

from fractions import Fraction

from sladsl import ast, model
from sladsl.check.base import CheckerBase, by_type
from sladsl.diagnostics import Label

BROKEN = type("Broken", (), {"__repr__": lambda self: "BROKEN"})()  # a calendar that failed to check

# The statements of a plan's own body, each adding to the plan's parts (`plan_parts`).
_PLAN_ITEMS = {
    ast.Hours: "plan_hours",
    ast.Price: "plan_price",
    ast.Channels: "plan_channels",
}

# The statements of a channel's body, each setting model.Channel fields (`channel`).
_CHANNEL_ITEMS = {
    ast.Hours: "channel_hours",
    ast.Contact: "channel_contact",
    ast.Audience: "channel_audience",
    ast.DefaultPriority: "channel_default_priority",
    ast.OnlyPriority: "channel_only_priority",
}
# Each is stated once in a channel (a second would replace the first): its words in E105.
_CHANNEL_ITEM_WORDS = {
    ast.Hours: "`hours`", ast.Contact: "`contact`", ast.Audience: "`audience`",
    ast.DefaultPriority: "`default priority`", ast.OnlyPriority: "`only priority`",
}


class PlanChecks(CheckerBase):
    # ---- plans --------------------------------------------------------------------------------
    def plans(self, body: tuple, base: list[model.Target]) -> tuple[model.Plan, ...]:
        nodes = {}
        for stmt in by_type(body)[ast.Plan]:
            if stmt.name.text in nodes:
                self.error("E102", f"duplicate plan `{stmt.name.text}`", stmt.name.span,
                           labels=[Label(nodes[stmt.name.text].name.span, "first declared here")],
                           help="rename one of the plans")
                continue
            nodes[stmt.name.text] = stmt
        for node in nodes.values():
            self.placement(node.body, "plan")
            for parent in node.includes:
                if parent.text not in nodes:
                    self.unknown("plan", parent.text, parent.span, nodes)
        self.plan_branches = self.plan_choice(nodes)
        order = self.inheritance_order(nodes)
        raw: dict[str, dict] = {}
        for name in order:
            node = nodes[name]
            own = self.guarded(node.span, self.plan_parts, node)
            if own is None:
                continue
            raw[name] = own
        built = []
        for name in nodes:
            if name in raw:
                plan = self.guarded(nodes[name].span, self.flatten_plan, name, nodes, raw, base)
                if plan is not None:
                    built.append(plan)
        return tuple(built)

    def inheritance_order(self, nodes: dict[str, ast.Plan]) -> list[str]:
        """Plans with their parents first; a cycle is E104 and its plans are left out."""
        order: list[str] = []
        state: dict[str, str] = {}

        def visit(name: str, path: list[str]) -> bool:
            if state.get(name) == "done":
                return True
            if state.get(name) == "active":
                cycle = path[path.index(name):] + [name]
                self.error("E104", f"plan inheritance cycle: {' -> '.join(f'`{c}`' for c in cycle)}",
                           nodes[name].span, help="remove one `includes` from the cycle")
                return False
            state[name] = "active"
            ok = True
            for parent in nodes[name].includes:
                if parent.text in nodes:
                    ok = visit(parent.text, path + [name]) and ok
            state[name] = "done" if ok else "broken"
            if ok:
                order.append(name)
            return ok

        for name in nodes:
            if state.get(name) is None:
                visit(name, [])
        return order

    def plan_parts(self, node: ast.Plan) -> dict:
        origin = f"plan {node.name.text}"
        parts: dict = {"hours": None, "price": None, "channels": [], "channel_names": []}
        firsts: dict = {}  # `stated_again`
        for stmt in node.body:
            self.dispatch(_PLAN_ITEMS, stmt, parts, firsts)
        return {
            **parts,
            "targets": self.collect_targets(node.body, origin, None),
            "escalation": self.single_escalation(node.body, origin),
            "prose": list(self.prose(node.body, origin)),
        }

    def plan_hours(self, stmt: ast.Hours, parts: dict, firsts: dict) -> None:
        if self.stated_again(firsts, "hours", stmt.span, "`hours` is stated twice"):
            return
        parts["hours"] = self.guarded(stmt.span, self.calendar_expr, stmt.calendar, stmt.span) or BROKEN

    def plan_price(self, stmt: ast.Price, parts: dict, firsts: dict) -> None:
        if self.stated_again(firsts, "price", stmt.span, "`price` is stated twice"):
            return  # a plan has one price: the second would silently replace the first
        parts["price"] = self.guarded(stmt.span, self.price, stmt)

    @staticmethod
    def plan_channels(stmt: ast.Channels, parts: dict, _firsts: dict) -> None:
        for name in stmt.names:
            parts["channels"].append(name.text)
            parts["channel_names"].append(name)

    def flatten_plan(self, name: str, nodes: dict, raw: dict, base: list[model.Target]) -> model.Plan:
        ancestors: list[str] = []

        def collect(current: str):
            for parent in nodes[current].includes:
                if parent.text in raw and parent.text not in ancestors:
                    ancestors.append(parent.text)
                    collect(parent.text)

        collect(name)
        chain = [name] + ancestors  # nearest first
        hours = next((raw[p]["hours"] for p in chain if raw[p]["hours"]), None)
        if hours is BROKEN:  # already reported where the calendar is declared or named
            hours = None
            base = [t for t in base if t.calendar is not None]
            raw = {**raw, **{p: {**raw[p], "targets": [t for t in raw[p]["targets"] if t.calendar]}
                             for p in chain}}
        escalation = next((raw[p]["escalation"] for p in chain if raw[p]["escalation"]), None)
        channels = []
        for plan in reversed(chain):
            channels += [c for c in raw[plan]["channels"] if c not in channels]
        prose = []
        for plan in reversed(chain):
            prose += raw[plan]["prose"]
        levels = [raw[p]["targets"] for p in chain] + [base]
        targets = []
        for target in self.effective_targets(levels):
            bound = self.bind(target, hours)
            if bound is not None:
                targets.append(bound)
        for channel in raw[name]["channel_names"]:
            if channel.text not in self.channel_names:
                self.unknown("channel", channel.text, channel.span, self.channel_names)
        return model.Plan(
            name=name, includes=tuple(p.text for p in nodes[name].includes), ancestors=tuple(ancestors),
            hours=hours, price=raw[name]["price"], channels=tuple(channels), targets=tuple(targets),
            escalation=escalation, prose=tuple(prose), span=nodes[name].span,
        )

    def price(self, stmt: ast.Price) -> model.Price:
        if stmt.included:
            return model.Price(included=stmt.label or "", span=stmt.span)
        amount = Fraction(stmt.money.amount.replace(",", ""))
        return model.Price(model.Money(stmt.money.currency, amount, stmt.money.amount),
                           stmt.period, span=stmt.span, addon=stmt.addon)

    def plan_names(self, plans: tuple[model.Plan, ...]) -> frozenset[str]:
        """The names of `plans`, built once for all add-ons (not once per add-on)."""
        cached = self._plan_name_sets.get(id(plans))
        if cached is None or cached[0] is not plans:
            cached = self._plan_name_sets[id(plans)] = (plans, frozenset(p.name for p in plans))
        return cached[1]

    # ---- add-ons ------------------------------------------------------------------------------
    def addon(self, stmt: ast.Addon, plans: tuple[model.Plan, ...]) -> model.Addon:
        self.placement(stmt.body, "addon")
        origin = f"addon {stmt.name.text}"
        names = self.plan_names(plans)
        for plan in stmt.for_plans:
            if plan.text not in names:
                self.unknown("plan", plan.text, plan.span, names)
        stated = self.first_stated(by_type(stmt.body)[ast.Price], "`price` is stated twice")
        price = self.guarded(stated.span, self.price, stated) if stated is not None else None
        targets = self.effective_targets([self.collect_targets(stmt.body, origin, None)])
        usable = [p for p in plans if not stmt.for_plans or p.name in {n.text for n in stmt.for_plans}]
        for target in targets:
            if target.alternative is not None:
                # A target with its own calendar (`within`, a `within` block) counts there under
                # every plan, even in a contract without plans; the others in each plan's hours.
                self.two_ways(target, [target.calendar] if target.calendar is not None
                              else [p.hours for p in usable])
        for target in targets:
            if target.calendar is None:
                for plan in usable:
                    if plan.hours is None:
                        self.error("E106", f"add-on target has no calendar under plan `{plan.name}`",
                                   target.span, help=f"give plan `{plan.name}` `hours`, or the target "
                                   "a `within`")
                        break
        return model.Addon(stmt.name.text, tuple(p.text for p in stmt.for_plans), price,
                           tuple(targets), self.prose(stmt.body, origin), span=stmt.span)

    # ---- channels -----------------------------------------------------------------------------
    def channel(self, stmt: ast.Channel) -> model.Channel:
        self.placement(stmt.body, "channel")
        fields: dict = {"only_priorities": ()}
        firsts: dict = {}
        for inner in stmt.body:
            words = _CHANNEL_ITEM_WORDS.get(type(inner))
            if words and self.stated_again(firsts, type(inner), inner.span, f"{words} is stated twice"):
                continue
            self.dispatch(_CHANNEL_ITEMS, inner, fields)
        origin = f"channel {stmt.name.text}"
        targets = []
        for target in self.collect_targets(stmt.body, origin, None):
            bound = self.bind(target, fields.get("hours"))
            if bound is not None:
                targets.append(bound)
        return model.Channel(name=stmt.name.text, targets=tuple(targets),
                             prose=self.prose(stmt.body, origin), span=stmt.span, **fields)

    def channel_hours(self, inner: ast.Hours, fields: dict) -> None:
        fields["hours"] = self.guarded(inner.span, self.calendar_expr, inner.calendar, inner.span)

    @staticmethod
    def channel_contact(inner: ast.Contact, fields: dict) -> None:
        fields["contact"] = inner.text

    @staticmethod
    def channel_audience(inner: ast.Audience, fields: dict) -> None:
        fields["audience"] = inner.text

    def channel_default_priority(self, inner: ast.DefaultPriority, fields: dict) -> None:
        if inner.name.text in self.priority_names:
            fields["default_priority"] = inner.name.text
            return
        close = self.suggest("priority", inner.name.text, self.priority_names)
        self.error("E107", f"default priority `{inner.name.text}` does not exist",
                   inner.name.span,
                   help=f"did you mean `{close}`?" if close else
                   f"priorities: {', '.join(f'`{p}`' for p in self.priority_names)}")

    def channel_only_priority(self, inner: ast.OnlyPriority, fields: dict) -> None:
        fields["only_priorities"] = tuple(
            p for p in (self.priority_ref(n) for n in inner.names) if p)

    # ---- escalation ---------------------------------------------------------------------------
    def single_escalation(self, body: tuple, origin: str) -> model.Escalation | None:
        ladders = by_type(body)[ast.Escalate]
        for extra in ladders[1:]:
            self.error("E105", f"two escalation ladders in {origin}", extra.span,
                       labels=[Label(ladders[0].span, "the first ladder")], help="merge them into one")
        if not ladders:
            return None
        return self.guarded(ladders[0].span, self.escalation, ladders[0], origin)

    def escalation(self, stmt: ast.Escalate, origin: str) -> model.Escalation | None:
        calendar = None
        if stmt.calendar is not None:
            calendar = self.fixed_calendar(stmt.calendar, stmt.span, "for an escalation ladder")
        steps = []
        for row in stmt.rows:
            start = self.duration(row.start, business_days_ok=False, what="an escalation step")
            end = None if row.end is None else self.duration(row.end, business_days_ok=False,
                                                             what="an escalation step")
            if end is not None and end.seconds <= start.seconds:
                self.error("E205", f"escalation step `{start.text}..{end.text}` is reversed or empty",
                           row.span, help="write the earlier time first")
                continue
            fields = dict(row.fields)
            steps.append(model.EscalationStep(start.seconds, None if end is None else end.seconds,
                                              row.role, fields.get("contact"), fields.get("remark"),
                                              fields.get("when"), span=row.span))
        steps.sort(key=lambda s: s.start)
        for first, second in zip(steps, steps[1:]):
            if first.end is None or first.end > second.start:
                self.error("E205", "escalation steps overlap", second.span,
                           labels=[Label(first.span, "the earlier step")],
                           help="each step must end where or before the next starts")
        return model.Escalation(tuple(steps), calendar, origin, span=stmt.span)
