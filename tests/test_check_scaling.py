"""Checking stays linear in the contract's size (issue 20.20).

Did-you-mean compared every misspelt reference with every declared name: 1,000 plans each
including a misspelt plan took 43 s, 4,000 never finished. The work is now counted, not timed
(timings are noise on a shared machine): the comparisons difflib makes are bounded per file.
"""

from __future__ import annotations

import difflib

from sladsl import check
from sladsl.pipeline import compile_text


def many_plans(count: int) -> str:
    lines = ['contract "Many" {', "  calendar office = Mon-Fri 09:00-17:00 UTC"]
    for i in range(count):
        lines.append(f"  plan Plan{i:04d} includes Plnx{i:04d} {{\n    hours office\n    respond 1h\n  }}")
    return "\n".join([*lines, "}"]) + "\n"


def test_suggestion_work_is_bounded(monkeypatch):
    compared = []
    real = difflib.get_close_matches

    def counting(word, possibilities, *args, **kwargs):
        compared.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    result = compile_text(many_plans(1000), "many.sla")
    diagnostics = [d for d in result.diagnostics if d.code == "E101"]
    assert len(diagnostics) == 1000
    assert sum(compared) <= check.SUGGESTION_BUDGET  # was 1,000 x 1,000
    # the first ones still get a suggestion; the rest list a few names, not all 1,000
    assert diagnostics[0].help == "did you mean `Plan0000`?"
    assert diagnostics[-1].help.endswith("and 990 more") and diagnostics[-1].help.count("`") == 20


def test_a_repeated_misspelling_costs_one_search(monkeypatch):
    calls = []
    real = difflib.get_close_matches
    monkeypatch.setattr(difflib, "get_close_matches", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    text = "priorities High, Low\n" + "".join(f"priority Hgh respond {i + 1}h within 24x7\n" for i in range(50))
    result = compile_text(text, "t.sla")
    assert [d.help for d in result.diagnostics if d.code == "E101"] == ["did you mean `High`?"] * 50
    assert calls == ["Hgh"]


def test_small_contracts_keep_every_suggestion():
    text = ("calendar office = Mon-Fri 09:00-17:00 UTC\npriorities Critical, High, Normal\n"
            + "".join(f"priority {name} respond 1h within office\n" for name in ("Criticl", "Hihg", "Normla"))
            + "priority Critical resolve 4h within ofice\n")
    helps = sorted(d.help for d in compile_text(text, "t.sla").diagnostics)
    assert helps == ["did you mean `Critical`?", "did you mean `High`?", "did you mean `Normal`?",
                     "did you mean `office`?"]
