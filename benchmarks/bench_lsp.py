"""Benchmark of `sladsl lsp`: response times per request kind on the contracts in contracts/.

    python benchmarks/bench_lsp.py [--samples 25]

Starts one `sladsl lsp` process and talks to it over pipes with tests/lsp_client.py, as an editor
would, so every time is a full round trip (JSON encoding, pipes, the handler). For each contract:
`warm` requests are made on a version already compiled (positions: every declared or referenced
name for hover/definition/references, line starts and line ends for completion); `cold` ones are
the first request after a change, so they include the compile of the new version; `diagnostics`
is from a `didChange` to its `publishDiagnostics` (debounce set to 0). Prints median and max in
milliseconds per kind over all contracts, then the same work timed in CPU time inside this
process (what it costs on an unshared machine); asserts nothing. Target: every kind under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from lsp_client import LspClient  # noqa: E402
from sladsl.editor import Document  # noqa: E402


def timed(times: dict, kind: str, call):
    start = time.perf_counter()
    result = call()
    times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
    return result


def name_positions(text: str, samples: int) -> list[dict]:
    names = Document(text, "bench.sla").names
    step = max(1, len(names) // samples)
    return [{"line": o.span.line - 1, "character": o.span.column} for o in names[::step]][:samples]


def completion_positions(text: str, samples: int) -> list[dict]:
    lines = text.split("\n")
    step = max(1, len(lines) // samples)
    out = []
    for number in range(0, len(lines), step):
        row = lines[number]
        out.append({"line": number, "character": len(row) - len(row.lstrip())})
        out.append({"line": number, "character": len(row)})
    return out[: 2 * samples]


def bench_contract(client: LspClient, path: Path, samples: int, times: dict) -> None:
    uri = path.resolve().as_uri()
    text = path.read_text(encoding="utf-8")
    document = {"textDocument": {"uri": uri}}
    client.open(uri, text)
    client.diagnostics(uri, version=1)
    for where in name_positions(text, samples):
        timed(times, "hover", lambda where=where: client.at("textDocument/hover", uri, **where))
        timed(times, "definition", lambda where=where: client.at("textDocument/definition", uri, **where))
        timed(times, "references", lambda where=where: client.at(
            "textDocument/references", uri, **where, context={"includeDeclaration": True}))
    for where in completion_positions(text, samples):
        timed(times, "completion", lambda where=where: client.at("textDocument/completion", uri, **where))
    for _ in range(5):
        timed(times, "documentSymbol", lambda: client.request("textDocument/documentSymbol", document))
        timed(times, "semanticTokens", lambda: client.request("textDocument/semanticTokens/full", document))
        timed(times, "codeLens", lambda: client.request("textDocument/codeLens", document))
        timed(times, "codeAction", lambda: client.request("textDocument/codeAction", {
            **document, "range": {"start": {"line": 0, "character": 0},
                                  "end": {"line": len(text.split("\n")), "character": 0}},
            "context": {"diagnostics": []}}))
    options = {"tabSize": 2, "insertSpaces": True}
    timed(times, "formatting", lambda: client.request("textDocument/formatting",
                                                      {**document, "options": options}))
    version = 1
    first_name = name_positions(text, 1)[0]
    for round_ in range(samples // 5 + 1):
        version += 1
        start = time.perf_counter()
        client.change(uri, text + f"# edit {round_}\n", version)
        client.diagnostics(uri, version=version)
        times.setdefault("diagnostics after change", []).append((time.perf_counter() - start) * 1000)
        version += 1
        client.change(uri, text + f"# edit {round_} again\n", version)
        timed(times, "hover (cold: compiles first)",
              lambda: client.at("textDocument/hover", uri, **first_name))
        client.diagnostics(uri, version=version)
        version += 1
        client.change(uri, text + f"# edit {round_} once more\n", version)
        timed(times, "codeLens (cold: compiles first)",
              lambda: client.request("textDocument/codeLens", document))
        client.diagnostics(uri, version=version)
    client.close_document(uri)


def cpu_times(samples: int) -> dict[str, list[float]]:
    """The same work in this process, timed in CPU seconds (`time.process_time`): what a request
    costs when the machine is not shared, whatever the load average while the benchmark runs."""
    from datetime import datetime, timezone

    from sladsl.editor import completions, hover

    times: dict[str, list[float]] = {}

    def cpu(kind: str, call):
        start = time.process_time()
        call()
        times.setdefault(kind, []).append((time.process_time() - start) * 1000)

    now = datetime(2026, 7, 10, 9, 30, tzinfo=timezone.utc)
    for path in sorted((ROOT / "contracts").glob("*.sla")):
        text = path.read_text(encoding="utf-8")
        for _ in range(3):
            holder: list[Document] = []
            cpu("compile (one per version)",
                lambda holder=holder, text=text, name=path.name: holder.append(Document(text, name)))
            doc = holder[0]
            cpu("codeLens (first on a version)", lambda doc=doc: doc.lenses(now))
            cpu("semanticTokens (first on a version)", lambda doc=doc: doc.semantic_tokens)
            cpu("formatting (first on a version)", lambda doc=doc: doc.formatted)
        for where in completion_positions(text, samples):
            cpu("completion", lambda where=where, doc=doc: completions(doc, where["line"] + 1,
                                                                       where["character"] + 1))
        for where in name_positions(text, samples):
            cpu("hover", lambda where=where, doc=doc: hover(doc, where["line"] + 1, where["character"] + 1,
                                                             now.date()))
    return times


def report(title: str, times: dict[str, list[float]]) -> None:
    print(f"{title:36} {'n':>5} {'median ms':>10} {'max ms':>8}")
    for kind, values in times.items():
        print(f"{kind:36} {len(values):5d} {statistics.median(values):10.1f} {max(values):8.1f}")


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--samples", type=int, default=25)
    options = arguments.parse_args()
    client = LspClient({"debounce": 0})
    times: dict[str, list[float]] = {}
    try:
        for path in sorted((ROOT / "contracts").glob("*.sla")):
            bench_contract(client, path, options.samples, times)
    finally:
        client.close()
    report("round trip over the pipes", times)
    print()
    report("CPU time in process", cpu_times(options.samples))


if __name__ == "__main__":
    main()
