"""Generate docs/coverage/*.md from row specs whose contract lines are given by anchors."""
import importlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if __name__ == "__main__":  # run as a script: find sladsl and the row specs beside this file
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from sladsl import ast  # noqa: E402  (after the path set-up above)
from sladsl.pipeline import Source, front_end  # noqa: E402


def lines_of(contract):
    return (ROOT / "contracts" / f"{contract}.sla").read_text().splitlines()

def resolve(contract, anchor):
    nth, explicit = 1, False
    if "@@" in anchor:
        anchor, n = anchor.rsplit("@@", 1)
        nth, explicit = int(n), True
    hits = [i + 1 for i, l in enumerate(lines_of(contract)) if anchor in l]
    if len(hits) < nth:
        raise SystemExit(f"{contract}: anchor {anchor!r} not found")
    if not explicit and len(hits) > 1:
        raise SystemExit(f"{contract}: anchor {anchor!r} ambiguous {hits}")
    return hits[nth - 1]

def readings(contract):
    path = ROOT / "contracts" / f"{contract}.sla"
    module, _diagnostics = front_end(Source(str(path), path.read_text()))
    out = [node for node in ast.walk(module) if isinstance(node, ast.Reading)]
    return sorted(out, key=lambda r: r.span.line)

def esc(s):
    return s.replace("|", "\\|")

def cite_lines(contract, text):
    """`{L:anchor}` in free text -> the contract line of that anchor, so prose never goes stale."""
    return re.sub(r"\{L:([^}]*)\}", lambda m: f"L{resolve(contract, m.group(1))}", text)


def render(spec):
    c = spec["contract"]
    out = [f"# Coverage: {spec['provider']} (seed {spec['seed']})", "",
           f"Seed: `{spec['seedfile']}` (kept outside the repository). Contract: `contracts/{c}.sla`.", "",
           spec.get("intro", "").strip(), "",
           "Each row is one commitment of the seed. **Bold** words are the row's key terms: "
           "`tests/test_coverage_docs.py` checks that each appears in the cited contract statement "
           "(or in the block it opens), and that quoted seed text appears in the seed.", "",
           "| # | Commitment (paraphrase) | Seed location | Contract line | Kind |",
           "|---|---|---|---|---|"]
    for i, (para, loc, anchors, kind) in enumerate(spec["rows"], 1):
        if isinstance(anchors, str):
            anchors = [anchors]
        cited = ", ".join(f"L{resolve(c, a)}" for a in anchors)
        out.append(f"| {i} | {esc(para)} | {esc(loc)} | {cited} | {kind} |")
    out += ["", "## Readings taken", "",
            "Every `reading` statement of the contract, with the seed text it decides and the choice made.", ""]
    for r in readings(c):
        topic = r.topic or "(untitled)"
        note = spec.get("reading_notes", {}).get(topic, "")
        out.append(f"- **{topic}** (L{r.span.line}). Seed: \"{r.quote}\". Choice: {r.meaning}{(' ' + note) if note else ''}")
    out += ["", "## Intentional warnings", "", cite_lines(c, spec["warnings"].strip()), "",
            "## Not commitments", "", cite_lines(c, spec["not_commitments"].strip()), ""]
    if spec.get("gaps"):
        out += ["## Language gaps", "", cite_lines(c, spec["gaps"].strip()), ""]
    return "\n".join(out)

if __name__ == "__main__":
    for name in sys.argv[1:]:
        mod = importlib.import_module(name)
        spec = mod.SPEC
        (ROOT / "docs" / "coverage").mkdir(parents=True, exist_ok=True)
        (ROOT / "docs" / "coverage" / f"{spec['contract']}.md").write_text(render(spec))
        print("wrote", spec["contract"])
