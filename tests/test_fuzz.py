"""Fuzzing the front end, the checker and `sladsl check` with hypothesis.

Inputs: random bytes, random text, soups of the language's own tokens, and mutations of the seed
contracts (lines and tokens deleted, duplicated or swapped; truncations; stray characters). For
every input: no exception escapes (the CLI only exits, with 0, 1 or 2), nothing hangs (each input
has a deadline, 5 s, or 20 s in CI), every diagnostic has a registered code, and every span and label lies inside
the file. The number of inputs tried is printed at the end of the session.

Bounded so the file takes about 10 s of CPU (1,955 inputs, counted below; in CI the same inputs
every run, the `ci` profile being derandomized); `SLADSL_FUZZ_SCALE=20` (a multiplier) is the
long run to do before a release or after a grammar change. Crashes found here go to
tests/test_fuzz_regressions.py as minimal reproducers.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sladsl.cli import cli
from sladsl.diagnostics import CODES, Diagnostic
from sladsl.parse import decode, parser
from sladsl.pipeline import Result, Source, compile_source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "contracts").glob("*.sla"))}
SCALE = max(1, int(os.environ.get("SLADSL_FUZZ_SCALE", "1")))
# Per input: a hang or a quadratic blow-up fails the test. Generous, so that a loaded 2-core
# machine does not flake it (tests/conftest.py), and more so in CI.
DEADLINE_MS = 20_000 if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no") else 5_000
TRIED: Counter = Counter()


def fuzz_settings(examples: int):
    return settings(
        max_examples=examples * SCALE,
        deadline=DEADLINE_MS,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.function_scoped_fixture],
    )


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request):
    parser()  # build the Lark parser once, outside any deadline
    yield
    total = sum(TRIED.values())
    detail = ", ".join(f"{kind} {count}" for kind, count in sorted(TRIED.items()))
    line = f"test_fuzz: {total} inputs tried ({detail})"
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():  # shown even without `-s`
        print(f"\n{line}")


# ---- the invariants ----------------------------------------------------------------------------


def _lines_of(data: bytes, text: str | None) -> list[str]:
    """The file's lines as the diagnostics count them: the normalised text (BOM dropped, CR and
    CRLF read as LF), or for a file that is not UTF-8 (E001) the raw bytes split at LF."""
    if text is not None:
        return text.split("\n")
    try:
        decoded = data.decode("utf-8-sig")  # decoded but refused (NUL): counted like text
    except UnicodeDecodeError:
        return data.decode("latin-1").split("\n")
    return decoded.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _span_inside(span, file: str, lines: list[str], what: str) -> None:
    assert span.file == file, f"{what}: span names file {span.file!r}"
    if span.line == 0:  # a whole-file diagnostic
        assert (span.column, span.end_line, span.end_column) == (0, 0, 0), what
        return
    assert 1 <= span.line <= len(lines), f"{what}: line {span.line} of {len(lines)}"
    assert 1 <= span.column <= len(lines[span.line - 1]) + 1, \
        f"{what}: column {span.column} on a line of {len(lines[span.line - 1])}"
    assert span.line <= span.end_line <= len(lines), f"{what}: end line {span.end_line}"
    if span.end_line == span.line:
        assert span.end_column >= span.column, f"{what}: span ends before it starts"
    assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 2, f"{what}: end column"


def check_diagnostics(diagnostics, file: str, data: bytes, text: str | None) -> None:
    lines = _lines_of(data, text)
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.code in CODES, f"unregistered code {diagnostic.code}"
        assert diagnostic.message and "\n" not in diagnostic.message
        what = f"{diagnostic.code} {diagnostic.message!r}"
        _span_inside(diagnostic.span, file, lines, what)
        for label in diagnostic.labels:
            _span_inside(label.span, file, lines, f"{what} label {label.message!r}")


def run_pipeline(data: bytes, kind: str) -> Result:
    """bytes -> decode -> front end -> checker, as `compile_path` does, with the invariants."""
    TRIED[kind] += 1
    file = "fuzz.sla"
    text, decoding = decode(data, file)
    result = compile_source(Source(file, text), decoding)
    check_diagnostics(result.diagnostics, file, data, text)
    if result.ok:
        assert result.contract is not None, "no errors but no model"
    else:
        assert result.contract is None, "a model despite errors"
    return result


# ---- strategies -------------------------------------------------------------------------------

_WORDS = sorted({w for text in SEEDS.values() for w in re.findall(r"[A-Za-z_][A-Za-z0-9_/+-]*", text)})
_PIECES = _WORDS + [
    "{", "}", "(", ")", ",", "..", "->", ":", "=", "-", "\n", "\n", "\n", " ", "#", '"', '"x"',
    "4h", "30m", "1'30\"", "0h", "99.9%", "100%", "0%", "1/24", "1/0", "216,000,000", "09:00",
    "24:00", "25:99", "2026-02-30", "2026-01-01", "2 business days", "24x7", "GMT+7", "UTC-14:00",
    "Etc/GMT+7", "BRT", "XYZ", "holidays(TH)", "holidays(ZZ)", "2030..2020", "between", "below",
    "\t", "\r\n", "\ufeff", "\x00", "é", "\u202e", "{" * 40,
]
SEED_NAMES = sorted(SEEDS)


def token_soup():
    return st.lists(st.sampled_from(_PIECES), max_size=80).map(" ".join)


@st.composite
def seed_mutation(draw) -> str:
    """A seed contract with a few line- or token-level edits."""
    text = SEEDS[draw(st.sampled_from(SEED_NAMES))]
    level = draw(st.sampled_from(["line", "token"]))
    if level == "line":
        units = text.split("\n")
        joiner = "\n"
    else:
        units = re.findall(r"\s+|[A-Za-z0-9_./:%'+-]+|\"(?:[^\"\\\\]|\\\\.)*\"|.", text)
        joiner = ""
    for _ in range(draw(st.integers(1, 4))):
        if not units:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "insert", "replace"]))
        i = draw(st.integers(0, len(units) - 1))
        if op == "delete":
            del units[i]
        elif op == "duplicate":
            units.insert(i, units[i])
        elif op == "swap":
            j = draw(st.integers(0, len(units) - 1))
            units[i], units[j] = units[j], units[i]
        elif op == "truncate":
            units = units[:i]
        elif op == "insert":
            units.insert(i, draw(st.sampled_from(_PIECES)))
        else:
            units[i] = draw(st.sampled_from(_PIECES))
    out = joiner.join(units)
    if draw(st.booleans()):  # sometimes cut mid-token too
        out = out[: draw(st.integers(0, len(out)))]
    return out


# Literal classes of the language and odd values of each: swapping like for like keeps the file
# parseable, so these mutations reach the checker (units, calendars, zones, credits, consistency).
_VALUES = {
    r"\d{4}-\d{2}-\d{2}": ["2026-02-30", "0000-01-01", "9999-12-31", "2024-02-29", "2020-13-01"],
    r"\d{1,2}:\d{2}": ["00:00", "24:00", "23:59", "24:01", "99:99", "09:00", "17:00", "12:60"],
    r"\d+(?:\.\d+)?%": ["0%", "100%", "100.0001%", "99.9%", "99.95%", "50%", "999%", "0.0001%"],
    r"\d+[dhms](?:\d+[hms])*": ["0h", "0s", "1s", "30m1h", "1h1h", "99999999d", "1d", "4h30m"],
    r"\b\d+ business days?\b": ["0 business days", "1 business day", "100000 business days"],
    r"\b(?:Asia|America|Europe)/[A-Za-z_]+": ["Etc/GMT+7", "Asia/Nowhere", "UTC", "GMT+14",
                                                "GMT-15", "BRT", "XYZ", "Europe/London"],
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b": ["Mon", "Sun", "Sat"],
    r"\bholidays\([A-Z]{2}[^)]*\)": ["holidays(ZZ)", "holidays(TH-XX)", "holidays(US, nope)",
                                       "holidays(BR)", "holidays(MY-01)"],
    r"\b\d+/\d+\b": ["1/0", "0/1", "25/24", "1/24"],
}
_VALUE_RES = [(re.compile(pattern), pool) for pattern, pool in _VALUES.items()]


@st.composite
def seed_value_mutation(draw) -> str:
    """A seed contract with some literals replaced by odd values of the same kind."""
    text = SEEDS[draw(st.sampled_from(SEED_NAMES))]
    for _ in range(draw(st.integers(1, 6))):
        pattern, pool = draw(st.sampled_from(_VALUE_RES))
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        match = draw(st.sampled_from(matches))
        text = text[: match.start()] + draw(st.sampled_from(pool)) + text[match.end():]
    return text


# ---- the tests --------------------------------------------------------------------------------


@fuzz_settings(400)
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    run_pipeline(data, "bytes")


@fuzz_settings(400)
@given(st.text(max_size=1000))
def test_random_text(text: str) -> None:
    run_pipeline(text.encode("utf-8"), "text")


@fuzz_settings(400)
@given(token_soup())
def test_token_soup(text: str) -> None:
    run_pipeline(text.encode("utf-8"), "soup")


@fuzz_settings(300)
@given(seed_mutation())
def test_seed_mutations(text: str) -> None:
    run_pipeline(text.encode("utf-8"), "mutation")


@fuzz_settings(300)
@given(seed_value_mutation())
def test_seed_value_mutations(text: str) -> None:
    run_pipeline(text.encode("utf-8"), "values")


@fuzz_settings(150)
@given(st.one_of(seed_mutation().map(str.encode), seed_value_mutation().map(str.encode), token_soup().map(str.encode), st.binary(max_size=500)),
       st.sampled_from([(), ("--format", "json"), ("--strict",)]))
def test_cli_check(tmp_path_factory, data: bytes, options: tuple[str, ...]) -> None:
    TRIED["cli"] += 1
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.sla"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["check", *options, str(path)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output


def test_seeds_are_clean_baseline() -> None:
    """The unmutated seeds check without errors, so a mutation's errors come from the mutation."""
    for name, text in SEEDS.items():
        result = run_pipeline(text.encode("utf-8"), "seed")
        assert result.ok, (name, [d.message for d in result.diagnostics if d.is_error])


def test_invariants_can_fail() -> None:
    """The span check rejects a span outside the file (it is not vacuous)."""
    from sladsl.ast import Span

    bad = Diagnostic("E004", "unexpected `x`", Span("fuzz.sla", 3, 1, 3, 2))
    with pytest.raises(AssertionError):
        check_diagnostics([bad], "fuzz.sla", b"one line\n", "one line\n")
    unregistered = Diagnostic("E999", "x", Span("fuzz.sla", 1, 1, 1, 2))
    with pytest.raises(AssertionError):
        check_diagnostics([unregistered], "fuzz.sla", b"x\n", "x\n")
