"""model.Contract -> the published SLA as a standalone web page (HTML), with charts.

The page is the Markdown document (`to_markdown.render`, already escaped for Markdown) turned
into HTML by markdown-it-py with raw HTML disabled, framed by `templates/page.html.j2`, plus two
kinds of inline SVG charts drawn here from the checked model:

- a weekly support-hours chart per set of hours (days x hours of the day, one band per opening
  window), titled with the channels and plans that use those hours, with their holidays listed;
- each credit table as a step chart of the credit against the month's uptime.

The page loads nothing (no scripts, fonts or images; a Content-Security-Policy says so), prints
cleanly, and every contract string reaches it escaped: through `md` and markdown-it for the
document, through Jinja2's autoescape or `markupsafe.escape` for the charts.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup, escape

from sladsl import model
from sladsl.to_markdown import fmt_date, fmt_hours, holiday_rows, percent, period_noun, render, tier_range

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Colour-blind-safe (Okabe-Ito) fills, one per set of hours, in the order the contract declares them.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


# ---- support hours -----------------------------------------------------------------------------

def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def hours_users(contract: model.Contract) -> list[tuple[model.Calendar, list[str]]]:
    """Each set of hours a customer meets, with who uses it ("Channel Phone", "Plan Basic").

    Channels and plans with hours come first; a contract whose channels and plans name no hours
    (Rocket.Chat's coverages) shows its declared calendars under their own names.
    """
    users: dict[str, list[str]] = {}
    for channel in contract.channels:
        if channel.hours:
            users.setdefault(channel.hours, []).append(f"Channel {channel.name}")
    for plan in contract.plans:
        if plan.hours:
            users.setdefault(plan.hours, []).append(f"Plan {plan.name}")
    if not users:
        users = {cal.name: [cal.name] for cal in contract.calendars if not cal.inline}
    # A calendar chosen by a ticket attribute is drawn as each calendar it chooses from.
    shown: dict[str, list[str]] = {}
    for name, names in users.items():
        for option in contract.hours_options(name):
            shown.setdefault(option, []).extend(n for n in names if n not in shown.get(option, []))
    return [(contract.calendar(name), names) for name, names in shown.items()]


def hours_chart(calendar: model.Calendar, users: list[str], colour: str, index: int) -> Markup:
    """Days (rows) x hours of the day (columns), one band per opening window."""
    left, top, hour_width, row_height = 48, 26, 26, 22
    width, height = left + 24 * hour_width + 24, top + 7 * row_height + 10
    title_id = f"hours-title-{index}"
    parts = [f'<svg class="chart hours" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{title_id}">Weekly hours of {escape(", ".join(users))}: '
             f"{escape(fmt_hours(calendar))}</title>"]
    for hour in range(0, 25, 3):
        x = left + hour * hour_width
        parts.append(f'<line class="grid" x1="{x}" y1="{top - 4}" x2="{x}" y2="{height - 10}"/>')
        parts.append(f'<text class="tick" x="{x}" y="{top - 10}" text-anchor="middle">{hour:02d}:00</text>')
    week = dict(calendar.week)
    for row, (day, label) in enumerate(zip(DAYS, DAY_LABELS)):
        y = top + row * row_height
        parts.append(f'<text class="day" x="{left - 8}" y="{y + row_height * 0.68:.1f}" '
                     f'text-anchor="end">{label}</text>')
        parts.append(f'<rect class="lane" x="{left}" y="{y + 3}" width="{24 * hour_width}" '
                     f'height="{row_height - 6}"/>')
        windows = ((("00:00", "24:00"),) if calendar.always else week.get(day, ()))
        for opening, closing in windows:
            start, end = _minutes(opening), _minutes(closing)
            band_x = left + start * hour_width / 60
            parts.append(f'<rect class="band" fill="{colour}" x="{band_x:.1f}" y="{y + 3}" '
                         f'width="{(end - start) * hour_width / 60:.1f}" height="{row_height - 6}">'
                         f"<title>{label} {opening}-{closing}</title></rect>")
    parts.append("</svg>")
    return Markup("".join(parts))


def hours_figures(contract: model.Contract) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = []
    for index, (calendar, users) in enumerate(hours_users(contract)):
        figures.append({
            "users": users, "hours": fmt_hours(calendar),
            "svg": hours_chart(calendar, users, PALETTE[index % len(PALETTE)], index),
            "colour": PALETTE[index % len(PALETTE)],
            "holiday_years": calendar.holiday_years if calendar.holidays else None,
            "holiday_hours": ", ".join(f"{o}-{c}" for o, c in calendar.holiday_hours),
            "holidays": holiday_rows(calendar),
        })
    return figures


# ---- credit tables as step charts ------------------------------------------------------------

def _row_contains(row: model.TierRow, uptime: Fraction) -> bool:
    if row.low is not None and uptime < row.low:
        return False
    return uptime < row.high if row.below else uptime <= row.high


def tier_credit(credit: model.TieredCredit, target: Fraction, uptime: Fraction) -> Fraction:
    """The credit the table gives an uptime: the row containing it; between rows, the larger
    credit (gaps favour the customer) or the smaller; nothing at or above the target."""
    if uptime >= target:
        return Fraction(0)
    for row in credit.rows:
        if _row_contains(row, uptime):
            return row.credit
    above = [r for r in credit.rows if r.low is not None and r.low > uptime]
    below = [r for r in credit.rows if r.high < uptime]
    neighbours = []
    if above:
        neighbours.append(min(above, key=lambda r: r.low or Fraction(0)).credit)
    if below:
        neighbours.append(max(below, key=lambda r: r.high).credit)
    if not neighbours:
        return Fraction(0)
    return max(neighbours) if credit.gaps == "customer" else min(neighbours)


def credit_steps(credit: model.TieredCredit,
                 target: Fraction) -> tuple[Fraction, list[tuple[Fraction, Fraction, Fraction]]]:
    """(lowest uptime shown, [(from, to, credit)]) over the table's range up to 100%."""
    bounds = {Fraction(100), Fraction(target)}
    for row in credit.rows:
        bounds.add(row.high)
        if row.low is not None:
            bounds.add(row.low)
    lowest = min(bounds)
    start = max(Fraction(0), lowest - max(Fraction(1), (100 - lowest) / 6))
    points = sorted(bounds | {start})
    steps: list[tuple[Fraction, Fraction, Fraction]] = []
    for a, b in zip(points, points[1:]):
        value = tier_credit(credit, target, (a + b) / 2)
        if steps and steps[-1][2] == value:
            steps[-1] = (steps[-1][0], b, value)
        else:
            steps.append((a, b, value))
    return start, steps


def credit_chart(service: model.Service, credit: model.TieredCredit, index: int) -> Markup:
    target = service.availability.target if service.availability else Fraction(100)
    start, steps = credit_steps(credit, target)
    top_credit = max((c for _, _, c in steps), default=Fraction(1)) or Fraction(1)
    left, right, top, bottom = 56, 24, 20, 46
    plot_w, plot_h = 640, 220
    width, height = left + plot_w + right, top + plot_h + bottom
    span = Fraction(100) - start

    def x(u: Fraction) -> float:
        return left + float((u - start) / span) * plot_w

    def y(c: Fraction) -> float:
        return top + plot_h - float(c / (top_credit * Fraction(11, 10))) * plot_h

    title_id = f"credit-title-{index}"
    parts = [f'<svg class="chart credit" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{title_id}">{escape(service.name)}: service credit (% of the '
             f'{"monthly" if credit.basis == "monthly" else "annual"} fee) against uptime</title>']
    step_y = 5 if top_credit <= 30 else 10
    for level in range(0, int(top_credit * Fraction(11, 10)) + 1, step_y):
        yy = y(Fraction(level))
        parts.append(f'<line class="grid" x1="{left}" y1="{yy:.1f}" x2="{left + plot_w}" y2="{yy:.1f}"/>')
        parts.append(f'<text class="tick" x="{left - 8}" y="{yy + 4:.1f}" text-anchor="end">{level}%</text>')
    tick = 1 if span <= 12 else 2 if span <= 24 else 5
    first = int(start) + (1 if start != int(start) else 0)
    for whole in range(first, 101):
        if whole % tick:
            continue
        xx = x(Fraction(whole))
        parts.append(f'<line class="axis" x1="{xx:.1f}" y1="{top + plot_h}" x2="{xx:.1f}" y2="{top + plot_h + 5}"/>')
        parts.append(f'<text class="tick" x="{xx:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{whole}%</text>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>')
    parts.append(f'<text class="label" x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle">'
                 f"Uptime in the {escape(period_noun(service.availability))}"
                 "</text>")
    path: list[str] = []
    for a, b, value in steps:
        command = "M" if not path else "L"
        path.append(f"{command}{x(a):.1f},{y(value):.1f} L{x(b):.1f},{y(value):.1f}")
    parts.append(f'<path class="step" d="{" ".join(path)}"/>')
    for a, b, value in steps:
        if value and x(b) - x(a) > 18:
            parts.append(f'<text class="value" x="{(x(a) + x(b)) / 2:.1f}" y="{y(value) - 6:.1f}" '
                         f'text-anchor="middle">{escape(percent(value))}</text>')
    target_x = x(target)
    parts.append(f'<line class="target" x1="{target_x:.1f}" y1="{top}" x2="{target_x:.1f}" y2="{top + plot_h}"/>')
    parts.append(f'<text class="target-label" x="{target_x - 4:.1f}" y="{top + 12}" text-anchor="end">'
                 f"target {escape(percent(target))}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def credit_figures(contract: model.Contract) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = []
    for service in contract.services:
        for credit in service.credits:
            if isinstance(credit, model.TieredCredit):
                rows = [(tier_range(r), percent(r.credit)) for r in credit.rows]
                figures.append({"service": service.name, "rows": rows,
                                "svg": credit_chart(service, credit, len(figures))})
    return figures


# ---- the page ----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """HTML templates: autoescape on, so only `Markup` built here passes unescaped."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("sladsl", "templates"),
                             undefined=jinja2.StrictUndefined, autoescape=True,
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    return env


def document_html(contract: model.Contract, cite: bool = False) -> tuple[Markup, Markup]:
    """(the title block, the rest) of the document as HTML, holidays left to the charts."""
    from markdown_it import MarkdownIt

    text = render(contract, cite=cite, holidays=False)
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    cut = body.find("<h2>")
    if cut < 0:
        return Markup(body), Markup("")
    return Markup(body[:cut]), Markup(body[cut:])


def render_html(contract: model.Contract | model.Versions, cite: bool = False) -> str:
    """The contract's published web page: deterministic, standalone HTML. A contract with
    several versions is one page: each version's document, then the charts of every version,
    each captioned with the date its version takes effect."""
    head, rest = document_html(contract, cite)
    if isinstance(contract, model.Versions):
        hours, credits = _version_figures(contract.versions)
        title = contract.versions[-1]
    else:
        hours, credits, title = hours_figures(contract), credit_figures(contract), contract
    return environment().get_template("page.html.j2").render(
        c=title, head=head, rest=rest, hours=hours, credits=credits)


def _version_figures(versions: tuple[model.Contract, ...]) -> tuple[list, list]:
    """Hours and credit figures of every version, captioned by version, with page-unique ids."""
    hours: list[dict[str, Any]] = []
    credits: list[dict[str, Any]] = []
    for version in versions:
        since = f"from {fmt_date(version.effective)}: " if version.effective else ""
        for calendar, users in hours_users(version):
            index = len(hours)
            colour = PALETTE[index % len(PALETTE)]
            labelled = [since + ", ".join(users)]
            hours.append({
                "users": labelled, "hours": fmt_hours(calendar),
                "svg": hours_chart(calendar, labelled, colour, index), "colour": colour,
                "holiday_years": calendar.holiday_years if calendar.holidays else None,
                "holidays": holiday_rows(calendar),
            })
        for service in version.services:
            for credit in service.credits:
                if isinstance(credit, model.TieredCredit):
                    rows = [(tier_range(r), percent(r.credit)) for r in credit.rows]
                    credits.append({"service": since + service.name, "rows": rows,
                                    "svg": credit_chart(service, credit, len(credits))})
    return hours, credits
