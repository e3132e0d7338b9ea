"""Pin the facts the test suite needs from the seed documents into tests/data/seed_facts.json.

The seeds (the providers' SLA texts the contracts were written from) are not part of the
repository, and the tests must pass in a clone that has nothing beside it. So the tests read
facts, not the seeds: for each provider, the seed's file name, the set of numbers it states (as
`tests/test_seed_numbers.numbers` reads them) and the SHA-256 of every quotation in
docs/coverage/<provider>.md that occurs in the seed (normalised as `tests/test_coverage_docs`
does). No seed prose is copied.

Run it when a seed, a coverage doc's quotations or the number reader changes:

    python tools/pin_seed_facts.py PATH/TO/seeds

A quotation that does not occur in its seed is reported and not pinned, so the test keeps failing
on it.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_coverage_docs import PROVIDERS, QUOTE, doc_path, normalise, table_rows  # noqa: E402
from test_seed_numbers import numbers  # noqa: E402

OUT = ROOT / "tests" / "data" / "seed_facts.json"


def quote_hash(quote: str) -> str:
    return hashlib.sha256(normalise(quote).encode("utf-8")).hexdigest()


def facts(seeds: Path) -> tuple[dict, list[str]]:
    out, problems = {}, []
    for provider, seed_file in sorted(PROVIDERS.items()):
        seed = (seeds / seed_file).read_text(encoding="utf-8")
        doc = doc_path(provider).read_text(encoding="utf-8")
        quotes = {q for cells in table_rows(doc) for q in QUOTE.findall(cells[2])}
        found = {q for q in quotes if normalise(q) in normalise(seed)}
        problems += [f"{provider}: not in {seed_file}: {q!r}" for q in sorted(quotes - found)]
        out[provider] = {
            "seed": seed_file,
            "numbers": sorted((str(n) for n in numbers(seed)), key=lambda s: (float(s), s)),
            "quote_sha256": sorted(quote_hash(q) for q in found),
        }
    return out, problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], "\nusage: python tools/pin_seed_facts.py SEEDS_DIR", file=sys.stderr)
        return 2
    pinned, problems = facts(Path(argv[1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(pinned, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
