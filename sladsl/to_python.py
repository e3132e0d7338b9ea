"""model.Contract -> the Python source of one embeddable evaluator module (`generated/<name>.py`).

The module is the contract's spec (`sladsl.to_spec`) written as literals, an `Evaluator` built
from it, and thin functions that delegate to it. Code is emitted by `CodeGenerator` (after
Jinja2's compiler: `write` / `writeline` / `indent`, one `visit_<type>` per kind of value), never
by string templates:
- every literal leaves through `repr()` (dates as `date(2026, 1, 1)`, fractions as
  `Fraction(9995, 100)`), so no contract string can break out of a literal;
- comments go through `comment_text()`, which escapes control and line-break characters, so no
  contract string can break out of a comment;
- the output depends only on the spec: stable ordering, no timestamp, no absolute path.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata
from datetime import date
from fractions import Fraction

from sladsl import __version__, model
from sladsl.runtime.spec import Spec
from sladsl.to_spec import to_spec, to_specs

VERBS = {metric: verb for verb, metric in model.METRIC_OF_VERB.items()}
# What every generated module exposes (docs/embedding.md): bound methods of its evaluator, so a call
# costs exactly what the evaluator's own does, and `help()` shows the evaluator's signature and doc.
API = ("due", "target", "calendar", "evaluate_ticket", "live", "escalation", "availability",
       "availability_periods", "penalties")


# Top-level modules a generated module imports, directly or through sladsl.runtime, besides the
# standard library's (`sys.stdlib_module_names`). A generated module named like one of these, put
# in a folder on `sys.path`, would be imported in its place and break every sibling (issue 20.10).
RUNTIME_IMPORTS = frozenset({"sladsl", "tzdata", "numpy"})
SHADOW_SUFFIX = "_sla"


def py_name(stem: str) -> str:
    """A valid, ASCII module name for a contract file stem (`rocket-chat` -> `rocket_chat`).

    A name that would shadow a module the generated code imports (`datetime`, `fractions`,
    `sladsl`, ...) or a dunder module name (`__init__`, `__main__`) gets the suffix `_sla`
    (`datetime.sla` -> `datetime_sla.py`), so modules in one folder never break each other.
    """
    name = re.sub(r"[^0-9A-Za-z_]", "_", stem)
    if not name or name.strip("_") == "":
        name = "contract" + name
    if name[0].isdigit():
        name = "sla_" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    if _shadows(name):
        name += SHADOW_SUFFIX
    return name


def _shadows(name: str) -> bool:
    dunder = name.startswith("__") and name.endswith("__")
    return dunder or name in sys.stdlib_module_names or name in RUNTIME_IMPORTS


def comment_text(text: str) -> str:
    """Text safe inside a `#` comment: control, format and line-break characters are escaped."""
    out = []
    for char in str(text):
        if unicodedata.category(char)[0] in "CZ" and char != " ":
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


def to_python(contract: model.Contract | model.Versions, source: bytes | None = None) -> str:
    """The generated module for a checked contract; `source` is the contract file's bytes."""
    if isinstance(contract, model.Versions):
        return render_versions(to_specs(contract, source))
    return render_spec(to_spec(contract, source))


def render_versions(specs: tuple[Spec, ...]) -> str:
    """The generated module of a contract with several versions: a spec per version, and
    `sladsl.runtime.versions.Versions`, which picks the version in effect (docs/semantics.md)."""
    generator = CodeGenerator(specs[0]["contract"]["source_file"] or "<contract>")
    generator.visit_versions_module(specs)
    return generator.getvalue()


def render_spec(spec: Spec) -> str:
    """The generated module for a spec."""
    generator = CodeGenerator(spec["contract"]["source_file"] or "<contract>")
    generator.visit_module(spec)
    return generator.getvalue()


class CodeGenerator:
    """Writes Python source line by line; every value is emitted by a `visit_<type>` method."""

    def __init__(self, source_file: str) -> None:
        self.source_file = source_file
        self._lines: list[str] = []
        self._current: list[str] | None = None  # the line being written, None between lines
        self._depth = 0
        self._names: dict[int, str] = {}  # id of a shared value -> the module-level name it has

    # -- the emitter ---------------------------------------------------------------------------

    def write(self, text: str) -> None:
        """Append to the current line."""
        if self._current is None:
            self._current = ["    " * self._depth]
        self._current.append(text)

    def writeline(self, text: str = "") -> None:
        """Finish the current line, then start a new one holding `text` at the current indent."""
        self.newline()
        self._current = ["    " * self._depth, text]

    def newline(self) -> None:
        if self._current is not None:
            self._lines.append("".join(self._current).rstrip())
            self._current = None

    def blank(self) -> None:
        self.newline()
        self._lines.append("")

    def indent(self) -> None:
        self._depth += 1

    def outdent(self) -> None:
        self._depth -= 1

    def comment(self, text: str) -> None:
        self.writeline("# " + comment_text(text))

    def getvalue(self) -> str:
        self.newline()
        return "\n".join(self._lines) + "\n"

    # -- the module ------------------------------------------------------------------------------

    def visit_module(self, spec: Spec) -> None:
        meta = spec["contract"]
        self.comment(f"Generated by sladsl {__version__} from {meta['source_file']} "
                     f"(sha256 {meta['source_sha256']}). Do not edit.")
        self.writeline(repr(
            f"Evaluator for the SLA contract {meta['name']!r}: due instants, ticket verdicts, "
            "escalation and credits (docs/embedding.md)."
        ))
        self.blank()
        self.writeline("from datetime import date  # noqa: F401")
        self.writeline("from fractions import Fraction  # noqa: F401")
        self.blank()
        self.writeline("from sladsl.runtime.evaluator import Evaluator")
        self.blank()
        self.writeline("__all__ = " + repr(["CONTRACT", "SPEC", *API]))
        self.blank()
        self.shared_holidays(spec)
        self.writeline("SPEC = ")
        self.visit(spec)
        self.blank()
        self.writeline("_EVALUATOR = Evaluator(SPEC)")
        self.writeline("CONTRACT = _EVALUATOR.CONTRACT")
        self.blank()
        for name in API:
            self.writeline(f"{name} = _EVALUATOR.{name}")

    def visit_versions_module(self, specs: tuple[Spec, ...]) -> None:
        meta = specs[-1]["contract"]
        self.comment(f"Generated by sladsl {__version__} from {meta['source_file']} "
                     f"(sha256 {meta['source_sha256']}). Do not edit.")
        self.writeline(repr(
            f"Evaluator for the SLA contract {meta['name']!r} in {len(specs)} versions: due "
            "instants, ticket verdicts, escalation and credits (docs/embedding.md)."
        ))
        self.blank()
        self.writeline("from datetime import date  # noqa: F401")
        self.writeline("from fractions import Fraction  # noqa: F401")
        self.blank()
        self.writeline("from sladsl.runtime.versions import Versions")
        self.blank()
        self.writeline("__all__ = " + repr(["CONTRACT", "SPECS", *API]))
        self.blank()
        for number, spec in enumerate(specs):
            self.comment(f"version {number + 1}: in effect from {spec['contract']['effective']}"
                         + (f" until {spec['contract']['until']}" if spec["contract"]["until"] else ""))
            self.writeline(f"_SPEC_{number} = ")
            self.visit(spec)
            self.blank()
        self.writeline("SPECS = (" + ", ".join(f"_SPEC_{n}" for n in range(len(specs))) + ",)")
        self.blank()
        self.writeline("_EVALUATOR = Versions(SPECS)")
        self.writeline("CONTRACT = _EVALUATOR.CONTRACT")
        self.blank()
        for name in API:
            self.writeline(f"{name} = _EVALUATOR.{name}")

    def shared_holidays(self, spec: Spec) -> None:
        """Holiday tables used by several calendars, written once as `_HOLIDAYS_<n>` (issue 22.4).

        400 calendars that each `except holidays(US) 1900..2200` then cost one table in the module
        (and one tuple in memory at import), not 400 copies.
        """
        users: dict[int, list[object]] = {}
        for table in spec["calendars"].values():
            holidays = table["holidays"]
            if holidays:  # `()` is one shared object in Python: never a table of its own
                users.setdefault(id(holidays), []).append(holidays)
        for number, tables in enumerate(t for t in users.values() if len(t) > 1):
            name = f"_HOLIDAYS_{number}"
            self.comment(f"holidays shared by {len(tables)} calendars")
            self.writeline(f"{name} = ")
            self.visit(tables[0])
            self._names[id(tables[0])] = name
            self.blank()

    # -- values ----------------------------------------------------------------------------------

    def visit(self, value: object) -> None:
        """Write one value as a Python literal (appending to the current line)."""
        shared = self._names.get(id(value))
        if shared is not None:
            self.write(shared)
            return
        method = getattr(self, f"visit_{type(value).__name__}", None)
        if method is None:
            raise TypeError(f"a spec holds no {type(value).__name__} values: {value!r}")
        method(value)

    def visit_str(self, value: str) -> None:
        self.write(repr(value))

    visit_int = visit_bool = visit_NoneType = visit_str

    def visit_Fraction(self, value: Fraction) -> None:
        self.write(f"Fraction({value.numerator!r}, {value.denominator!r})")

    def visit_date(self, value: date) -> None:
        self.write(f"date({value.year!r}, {value.month!r}, {value.day!r})")

    def visit_tuple(self, value: tuple[object, ...]) -> None:
        if not value:
            self.write("()")
            return
        if _flat(value):
            self.write("(")
            for i, item in enumerate(value):
                self.write(", " if i else "")
                self.visit(item)
            self.write(",)" if len(value) == 1 else ")")
            return
        if all(_is_scalar(v) for v in value):
            self._flow(value)
            return
        self.write("(")
        self.indent()
        for item in value:
            self._target_comment(item)
            self.writeline()
            self.visit(item)
            self.write(",")
        self.outdent()
        self.writeline(")")

    def visit_dict(self, value: dict[object, object]) -> None:
        if not value:
            self.write("{}")
            return
        if all(_flat(v) for v in value.values()):
            self.write("{")
            for i, (key, item) in enumerate(value.items()):
                self.write(", " if i else "")
                self.visit(key)
                self.write(": ")
                self.visit(item)
            self.write("}")
            return
        self.write("{")
        self.indent()
        for key, item in value.items():
            self._target_comment(item)
            self.writeline()
            self.visit(key)
            self.write(": ")
            self.visit(item)
            self.write(",")
        self.outdent()
        self.writeline("}")

    def _flow(self, items: tuple[object, ...], per_line: int = 5) -> None:
        """A long tuple of scalars, several to a line (holiday dates)."""
        self.write("(")
        self.indent()
        for start in range(0, len(items), per_line):
            self.writeline()
            for i, item in enumerate(items[start:start + per_line]):
                self.write(" " if i else "")
                self.visit(item)
                self.write(",")
        self.outdent()
        self.writeline(")")

    def _target_comment(self, item: object) -> None:
        """`# contracts/qiscus.sla:64 priority Critical respond 1h` above each target."""
        if not (isinstance(item, dict) and "metric" in item and "business_days" in item):
            return
        words = []
        if item["priority"] is not None:
            words += ["priority", item["priority"]]
        words += [VERBS.get(item["metric"], item["metric"]), item["text"]]
        if item["proportion"] is not None:
            words += ["for", f"{item['proportion']}%", "per", item["proportion_period"] or "period"]
        if item["best_effort"]:
            words.append("best-effort")
        words.append(f"({item['origin']})")
        line = item["source_line"]
        where = f"{self.source_file}:{line}" if line else self.source_file
        self.comment(f"{where} " + " ".join(str(w) for w in words))


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, (str, int, bool, Fraction, date))


def _flat(value: object) -> bool:
    """Short enough to write on one line: a scalar, or a small tuple of flat values."""
    if isinstance(value, tuple):
        return len(value) <= 6 and all(_flat(v) for v in value)
    return _is_scalar(value)
