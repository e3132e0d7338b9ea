"""to_python: safe, deterministic, importable evaluator modules from any contract text."""

from __future__ import annotations

import importlib.util
import keyword
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sladsl.pipeline import compile_path, compile_text
from sladsl.to_python import comment_text, py_name, to_python

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = sorted((ROOT / "contracts").glob("*.sla"))


def sla_string(text: str) -> str:
    """A `.sla` string literal for `text`: `"` and `\\` escaped, newline as `\\n`, controls as \\uXXXX."""
    out = ['"']
    for char in text:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029\ufeff":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def small_contract(name: str, plan: str, priority: str, note: str, file_note: str = "") -> str:
    return "\n".join([
        f"contract {sla_string(name)} {{",
        f"  provider {sla_string(note)}",
        "  calendar office = Mon-Fri 09:00-17:00 UTC",
        f"  priorities {sla_string(priority)}",
        f"  plan {sla_string(plan)} {{",
        "    hours office",
        f"    priority {sla_string(priority)} respond 1h",
        f"    note {sla_string(note)}",
        "  }",
        "}",
        "",
    ])


def load_module(source: str, tmp_path: Path, name: str = "gen_mod"):
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated_source(text: str, file: str = "contracts/x.sla") -> str:
    result = compile_text(text, file)
    assert result.ok, [d.message for d in result.diagnostics]
    return to_python(result.contract, text.encode("utf-8"))


CANARY = "__import__('os').system('touch CANARY_FILE')"
nasty = st.one_of(
    st.text(min_size=1, max_size=12),
    st.text(alphabet='"\'\\\n\t\r\x00\x7f\u2028#{}ué', min_size=1, max_size=10),
    st.sampled_from(['"""', "'''", "\\", "#", "\n# x\n", CANARY, "__import__", "\\x00", "é\u00e9",
                     *keyword.kwlist]),
)


# The checker rejects control characters in strings (E008), so many inputs are filtered out;
# they stay in the alphabet so that one slipping through would still be caught here.
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])
@given(name=nasty, plan=nasty, priority=nasty, note=nasty)
def test_any_contract_strings_compile_to_safe_python(tmp_path, name, plan, priority, note):
    text = small_contract(name, plan, priority, note)
    result = compile_text(text, "contracts/x.sla")
    assume(result.ok)  # the checker may reject a name (blank, duplicated); that is its business
    source = to_python(result.contract, text.encode("utf-8"))
    compile(source, "generated.py", "exec")
    assert "eval(" not in source and "exec(" not in source
    module = load_module(source, tmp_path)
    assert module.CONTRACT["name"] == result.contract.name
    assert module.CONTRACT["plans"] == [plan] == [p.name for p in result.contract.plans]
    assert module.CONTRACT["priorities"] == [priority]
    assert module.CONTRACT["provider"] == note
    opened = datetime(2026, 7, 6, 9, tzinfo=timezone.utc)  # a Monday
    assert module.due("response", priority, opened, plan=plan) == opened + timedelta(hours=1)
    assert not (tmp_path / "CANARY_FILE").exists() and not Path("CANARY_FILE").exists()


def test_contract_text_cannot_leave_a_comment(tmp_path):
    # A priority name with a newline followed by code would run if it reached a comment raw.
    evil = "P\nimport os; os.system('touch CANARY_FILE')  # "
    source = generated_source(small_contract("C", "Plan", evil, "n\u2029\u2028x"))  # \r is E008
    for line in source.splitlines():
        stripped = line.lstrip()
        assert not stripped.startswith("import os"), line
    comments = [line for line in source.splitlines() if line.lstrip().startswith("# contracts/x.sla:")]
    assert comments and all("\\n" in line for line in comments)
    module = load_module(source, tmp_path)
    assert module.CONTRACT["priorities"] == [evil]
    assert not (tmp_path / "CANARY_FILE").exists()


def test_comment_text_escapes_every_line_break():
    for char in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00":
        flat = comment_text(f"a{char}b")
        assert len(f"# {flat}".splitlines()) == 1 and char not in flat
    assert comment_text("plain é text") == "plain é text"


@pytest.mark.parametrize("stem, expected", [
    ("rocket-chat", "rocket_chat"),
    ("qiscus", "qiscus"),
    ("24x7", "sla_24x7"),
    ("class", "class_"),
    ("match", "match_"),
    ("é-sla", "__sla"),
    ("-", "contract_"),
    ("my.contract v2", "my_contract_v2"),
    # names of modules the generated code imports (issue 20.10)
    ("datetime", "datetime_sla"),
    ("fractions", "fractions_sla"),
    ("sladsl", "sladsl_sla"),
    ("__init__", "__init___sla"),
    ("__main__", "__main___sla"),
    ("zoneinfo", "zoneinfo_sla"),
    ("tzdata", "tzdata_sla"),
])
def test_py_name(stem, expected):
    assert py_name(stem) == expected
    assert expected.isidentifier() and not keyword.iskeyword(expected) and expected.isascii()


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_seed_contracts_generate_deterministic_literal_modules(path):
    display = f"contracts/{path.name}"
    first = to_python(compile_path(path, display).contract, path.read_bytes())
    second = to_python(compile_path(path, display).contract, path.read_bytes())
    assert first == second
    header = first.splitlines()[0]
    import hashlib

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert header == f"# Generated by sladsl 0.1.0 from {display} (sha256 {digest}). Do not edit."
    assert str(ROOT) not in first and "eval(" not in first and "exec(" not in first
    assert "from sladsl.runtime.evaluator import Evaluator" in first
    compile(first, display, "exec")


def test_targets_carry_their_contract_line_in_a_comment():
    path = ROOT / "contracts" / "qiscus.sla"
    source = to_python(compile_path(path, "contracts/qiscus.sla").contract, path.read_bytes())
    lines = path.read_text(encoding="utf-8").splitlines()
    critical = 1 + next(i for i, line in enumerate(lines) if "priority Critical respond 1h" in line)
    low = 1 + next(i for i, line in enumerate(lines) if "priority Low resolve 30 business days" in line)
    assert f"# contracts/qiscus.sla:{critical} priority Critical respond 1h (plan Premium)" in source
    assert f"# contracts/qiscus.sla:{low} priority Low resolve 30 business days (addon Resolution)" in source
    assert "Fraction(99, 1)" in source and "date(2026, 8, 17)" in source


def test_generated_modules_import_no_compiler_dependencies():
    code = (
        "import sys; sys.path.insert(0, 'generated')\n"
        "import haisoft, qiscus, rocketchat, rocksoft, vhostweb\n"
        "heavy = [m for m in ('lark', 'attrs', 'click', 'jinja2', 'holidays', 'numpy') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
