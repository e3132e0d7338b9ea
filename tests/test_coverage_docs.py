"""The coverage docs (docs/coverage/<provider>.md) stay true to the contracts and the seeds.

Each coverage doc maps every commitment of a seed document to the contract line that carries it
(`L42`). Contracts change, and line numbers drift; these tests catch a doc that no longer matches:

1. Every `Lnn` cited in the table exists and starts a statement: the line is not blank, a comment
   or a lone brace, and the parsed AST has a node (statement, priority level, escalation row,
   credit line, calendar line) that starts on it.
2. Every row marks its key terms in **bold** (a number such as `**99.95%**`, a name such as
   `**WhatsApp**`). Each key term must appear, case-insensitively and with whitespace collapsed,
   in at least one of the cited statements, where a statement that opens a block (`channel X {`)
   includes its whole block up to the matching brace. Checking author-chosen key terms, instead of
   guessing "distinctive" words from the paraphrase, is deterministic and explains itself when it
   fails: if a line moves, the key term is no longer on the cited line and the test names the row.
3. Text quoted in the `Seed location` column ("...") occurs in the seed file (case, whitespace
   and typographic quotes normalised), so locations cannot silently point at nothing. The seeds
   are not in the repository: tools/pin_seed_facts.py records the hash of each quotation it found
   in its seed (tests/data/seed_facts.json), and the test compares hashes.
4. Every `reading` statement of the contract is cited in the doc's "Readings taken" section, and
   every line cited there is a `reading` statement.
5. The `Kind` column says `computable` or `prose`, and the doc has the required sections.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from sladsl import ast
from sladsl.pipeline import Source, front_end

ROOT = Path(__file__).resolve().parent.parent
# The seeds are not in the repository: tools/pin_seed_facts.py pins the SHA-256 of every quotation
# it found in its seed (normalised), so a quotation is checked without a copy of the seed.
SEED_FACTS = json.loads((ROOT / "tests" / "data" / "seed_facts.json").read_text(encoding="utf-8"))
PROVIDERS = {
    "rocksoft": "000_98305f12aa2cf2c9.txt",
    "haisoft": "001_7890e161284cd884.txt",
    "rocketchat": "002_b9ec78d8686c6e4d.txt",
    "qiscus": "003_ed4b4ef905881936.txt",
    "vhostweb": "004_494b540e8242e4a5.txt",
}
LINE_REF = re.compile(r"\bL(\d+)\b")
KEY = re.compile(r"\*\*(.+?)\*\*")
QUOTE = re.compile(r'"([^"]+)"')


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u00d7", "x")
    return re.sub(r"\s+", " ", text).strip().lower()


def contract_path(provider: str) -> Path:
    return ROOT / "contracts" / f"{provider}.sla"


def doc_path(provider: str) -> Path:
    return ROOT / "docs" / "coverage" / f"{provider}.md"


def parse(provider: str) -> ast.Module:
    path = contract_path(provider)
    module, diagnostics = front_end(Source(str(path), path.read_text(encoding="utf-8")))
    assert module is not None and not diagnostics, [str(d) for d in diagnostics]
    return module


nodes = ast.walk


def node_start_lines(module: ast.Module) -> set[int]:
    return {n.span.line for n in nodes(module) if not isinstance(n, ast.Module) and n.span.line > 0}


def reading_lines(module: ast.Module) -> set[int]:
    return {n.span.line for n in nodes(module) if isinstance(n, ast.Reading)}


def statement_text(lines: list[str], number: int) -> str:
    """The cited line, plus its block when the line opens one (up to the matching brace)."""
    text = lines[number - 1]
    depth = text.count("{") - text.count("}")
    out = [text]
    index = number
    while depth > 0 and index < len(lines):
        line = lines[index]
        out.append(line)
        depth += line.count("{") - line.count("}")
        index += 1
    return "\n".join(out)


def table_rows(doc: str) -> list[list[str]]:
    """The cells of the first Markdown table (header and separator dropped)."""
    rows = []
    started = False
    for line in doc.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if not started:
                started = True
                assert cells[:5] == ["#", "Commitment (paraphrase)", "Seed location", "Contract line", "Kind"], cells
                continue
            if set("".join(cells)) <= set("-: "):
                continue
            rows.append(cells)
        elif started:
            break
    return rows


def section(doc: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", doc, re.M | re.S)
    assert match, f"missing section '## {title}'"
    return match.group(1)


@pytest.fixture(params=sorted(PROVIDERS), ids=sorted(PROVIDERS))
def provider(request):
    return request.param


def test_doc_has_required_sections(provider):
    doc = doc_path(provider).read_text(encoding="utf-8")
    for title in ("Readings taken", "Intentional warnings", "Not commitments"):
        assert section(doc, title).strip(), f"{provider}: empty section {title}"
    assert len(table_rows(doc)) >= 10, f"{provider}: suspiciously few commitments"


def test_cited_lines_are_statements(provider):
    doc = doc_path(provider).read_text(encoding="utf-8")
    lines = contract_path(provider).read_text(encoding="utf-8").splitlines()
    starts = node_start_lines(parse(provider))
    problems = []
    for cells in table_rows(doc):
        refs = [int(n) for n in LINE_REF.findall(cells[3])]
        if not refs:
            problems.append(f"row {cells[0]}: no contract line")
        for number in refs:
            if not 1 <= number <= len(lines):
                problems.append(f"row {cells[0]}: L{number} beyond the end of the file")
                continue
            text = lines[number - 1].strip()
            if not text or text.startswith("#") or text in ("{", "}"):
                problems.append(f"row {cells[0]}: L{number} is not a statement: {text!r}")
            elif number not in starts:
                problems.append(f"row {cells[0]}: no statement starts on L{number}: {text!r}")
    assert not problems, "\n".join(problems)


def test_key_terms_on_cited_statements(provider):
    doc = doc_path(provider).read_text(encoding="utf-8")
    lines = contract_path(provider).read_text(encoding="utf-8").splitlines()
    problems = []
    for cells in table_rows(doc):
        keys = KEY.findall(cells[1])
        if not keys:
            problems.append(f"row {cells[0]}: no **key term** in the paraphrase")
            continue
        cited = "\n".join(
            statement_text(lines, int(n)) for n in LINE_REF.findall(cells[3]) if 1 <= int(n) <= len(lines)
        )
        for key in keys:
            if normalise(key) not in normalise(cited):
                problems.append(f"row {cells[0]}: key term {key!r} not in cited {cells[3]}")
    assert not problems, "\n".join(problems)


def test_kind_column(provider):
    doc = doc_path(provider).read_text(encoding="utf-8")
    bad = [cells for cells in table_rows(doc) if cells[4] not in ("computable", "prose")]
    assert not bad, bad


def test_seed_quotes_exist(provider):
    doc = doc_path(provider).read_text(encoding="utf-8")
    pinned = set(SEED_FACTS[provider]["quote_sha256"])
    missing = [
        (cells[0], quote)
        for cells in table_rows(doc)
        for quote in QUOTE.findall(cells[2])
        if hashlib.sha256(normalise(quote).encode("utf-8")).hexdigest() not in pinned
    ]
    assert not missing, (f"quotations not pinned as found in {PROVIDERS[provider]} "
                         f"(run tools/pin_seed_facts.py with the seeds): {missing}")


def test_pinned_seed_files_match():
    assert {p: f["seed"] for p, f in SEED_FACTS.items()} == PROVIDERS


def test_every_reading_is_cited(provider):
    doc = doc_path(provider).read_text(encoding="utf-8")
    cited = {int(n) for n in LINE_REF.findall(section(doc, "Readings taken"))}
    readings = reading_lines(parse(provider))
    assert readings, f"{provider}: a contract with no reading"
    assert readings - cited == set(), f"uncited readings at lines {sorted(readings - cited)}"
    assert cited - readings == set(), f"'Readings taken' cites non-reading lines {sorted(cited - readings)}"


def test_readme_indexes_every_doc():
    readme = (ROOT / "docs" / "coverage" / "README.md").read_text(encoding="utf-8")
    for provider in PROVIDERS:
        assert f"{provider}.md" in readme, provider


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_coverage_doc_is_what_the_generator_writes(provider):
    # Line numbers in the free text (warnings, gaps) come from anchors too (`{L:anchor}`): a doc
    # regenerated from tools/coverage/<provider>.py must equal the committed one, so no `Lnn`
    # anywhere in it can go stale when the contract changes. Loaded by path under private names:
    # `import rocksoft` elsewhere must keep finding generated/rocksoft.py.
    gen = _load_tool("gen")
    spec = _load_tool(provider).SPEC
    committed = (ROOT / "docs" / "coverage" / f"{provider}.md").read_text(encoding="utf-8")
    assert gen.render(spec) == committed, (
        f"docs/coverage/{provider}.md is stale: run python tools/coverage/gen.py {provider}")


def _load_tool(name: str):
    import importlib.util

    path = ROOT / "tools" / "coverage" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_coverage_tool_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
