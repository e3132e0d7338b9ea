"""Hypothesis: randomly generated valid contracts check clean, and the model says what the text says.

The generator writes contract text from simple choices (calendars, priorities, a plan chain,
targets); the expected model facts are computed from those choices, not by the checker.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sladsl.pipeline import compile_text

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
ZONES = ["GMT+7", "UTC", "UTC+05:30", "Asia/Jakarta", "Europe/London", "America/New_York"]


@st.composite
def windows(draw):
    """1-3 disjoint windows, as (open, close) minute pairs within a day."""
    points = sorted(draw(st.sets(st.integers(0, 48), min_size=2, max_size=6)))
    if len(points) % 2:
        points = points[:-1]
    pairs = [(points[i] * 30, points[i + 1] * 30) for i in range(0, len(points), 2)]
    return pairs


def clock(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def contracts(draw):
    n_calendars = draw(st.integers(1, 3))
    calendars = []
    lines = []
    for i in range(n_calendars):
        if draw(st.booleans()):
            first = draw(st.integers(0, 6))
            last = draw(st.integers(first, 6))
            pairs = draw(windows())
            text = f"{DAYS[first]}-{DAYS[last]} " + ", ".join(f"{clock(o)}-{clock(c)}" for o, c in pairs)
        else:
            text = "24x7"
        zone = draw(st.sampled_from(ZONES))
        lines.append(f"calendar cal{i} = {text} {zone}")
        calendars.append(f"cal{i}")
    priorities = [f"P{i}" for i in range(draw(st.integers(1, 4)))]
    lines.append("priorities " + ", ".join(priorities))
    plans = []
    expected = {}
    for p in range(draw(st.integers(1, 4))):
        parent = f"plan{p - 1}" if p else None
        hours = draw(st.sampled_from(calendars))
        lines.append(f"plan plan{p}" + (f" includes {parent}" if parent else "") + " {")
        lines.append(f"  hours {hours}")
        own = {}
        for priority in draw(st.lists(st.sampled_from(priorities), unique=True, max_size=len(priorities))):
            # Severe priorities get faster targets so no W102 fires; response < resolution (no W101).
            rank = priorities.index(priority)
            response = (rank + 1) * draw(st.integers(1, 30)) * 60
            lines.append(f"  priority {priority} respond {response}s resolve {response * 4}s")
            own[priority] = response
        lines.append("}")
        inherited = dict(expected.get(parent, {})) if parent else {}
        inherited.update(own)
        expected[f"plan{p}"] = inherited
        plans.append((f"plan{p}", hours))
    body = "\n".join("  " + line for line in lines)
    return f'contract "Generated" {{\n{body}\n}}\n', expected, dict(plans)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contracts())
def test_generated_valid_contracts_check_clean(case):
    text, expected, hours = case
    result = compile_text(text, "gen.sla")
    errors = [d for d in result.diagnostics if d.is_error]
    assert not errors, (text, [d.message for d in errors])
    for plan in result.contract.plans:
        responses = {t.priority: t.duration.seconds for t in plan.targets if t.metric == "response"}
        assert responses == expected[plan.name]
        # Inherited targets count in the inheriting plan's hours (late binding).
        assert {t.calendar for t in plan.targets} <= {hours[plan.name]}
