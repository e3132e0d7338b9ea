"""`sladsl lsp` driven through the protocol: one server process for the module, spoken to over
pipes by `tests/lsp_client.py` exactly as an editor would.

Expected values come from the contracts written here and SEMANTICS.md (due instants worked by
hand), not from the server's own output. The server is started with a fixed "now" (Friday
2026-07-10 16:30 at UTC+07:00) so lenses and calendar hovers do not depend on the day.
"""

from __future__ import annotations

import time

import pytest

from lsp_client import LspClient, LspError

NOW = "2026-07-10T16:30:00+07:00"  # a Friday
DEBOUNCE = 0.3

CONTRACT = '''\
# Example support contract
contract "Example" {
  zone GMT+7
  calendar office = Mon-Fri 09:00-17:00 GMT+7 except 2026-07-13 "Founders' Day"
  calendar nights = daily 20:00-24:00 UTC
  priorities {
    Urgent: "Down"
    Normal: "Not down"
  }
  channel Phone {
    only priority Urgent
  }
  plan Basic {
    hours office
    channels Phone
    priority Urgent respond 1h resolve 2 business days
    priority Normal respond 4h
  }
  plan Gold includes Basic {
    priority Urgent respond 30m within nights
  }
  service Chat {
    availability 99.9% per month
  }
}
'''


def position(text: str, needle: str, nth: int = 0, offset: int = 0) -> dict:
    """The protocol position (0-based line, UTF-16 column) of the `nth` `needle`, plus `offset`."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return {"line": line, "character": len(text[start:index].encode("utf-16-le")) // 2}


def span_text(text: str, found: dict) -> str:
    lines = text.split("\n")
    start, end = found["start"], found["end"]
    assert start["line"] == end["line"]
    row = lines[start["line"]].encode("utf-16-le")
    return row[start["character"] * 2 : end["character"] * 2].decode("utf-16-le")


@pytest.fixture(scope="module")
def client():
    server = LspClient({"now": NOW, "debounce": DEBOUNCE})
    yield server
    server.close()
    assert server.process.returncode == 0, server.stderr()


_COUNTER = iter(range(10**6))


@pytest.fixture
def opened(client):
    """Open CONTRACT under a fresh URI; yields (uri, text)."""
    def open_(text: str = CONTRACT) -> str:
        uri = f"file:///tmp/sladsl-test/contract{next(_COUNTER)}.sla"
        client.open(uri, text)
        return uri
    return open_


def test_capabilities(client):
    capabilities = client.initialize_result["capabilities"]
    for key in ("hoverProvider", "definitionProvider", "referencesProvider", "completionProvider",
                "documentFormattingProvider", "documentSymbolProvider", "semanticTokensProvider",
                "codeLensProvider", "codeActionProvider"):
        assert capabilities.get(key), key
    assert client.initialize_result["serverInfo"]["name"] == "sladsl"


# ---- diagnostics -------------------------------------------------------------------------------

BROKEN = CONTRACT.replace("hours office", "hours offce").replace(
    "calendar nights", "calendar office = 24x7 UTC\n  calendar nights")


def test_diagnostics_on_open_with_code_help_and_related_spans(client, opened):
    uri = opened(BROKEN)
    found = {d["code"]: d for d in client.diagnostics(uri, version=1)}
    unknown = found["E101"]
    assert unknown["severity"] == 1 and unknown["source"] == "sladsl"
    assert span_text(BROKEN, unknown["range"]) == "offce"
    assert unknown["message"].splitlines() == ["unknown calendar `offce`", "help: did you mean `office`?"]
    duplicate = found["E102"]
    assert span_text(BROKEN, duplicate["range"]) == "office"
    assert duplicate["range"]["start"]["line"] == position(BROKEN, "calendar office", 1)["line"]
    (related,) = duplicate["relatedInformation"]
    assert related["message"] == "first declared here"
    assert related["location"]["uri"] == uri
    assert related["location"]["range"]["start"] == position(BROKEN, "office")


def test_quick_fix_from_did_you_mean(client, opened):
    uri = opened(BROKEN)
    unknown = next(d for d in client.diagnostics(uri, version=1) if d["code"] == "E101")
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": unknown["range"],
        "context": {"diagnostics": [unknown]}})
    (action,) = actions
    assert action["kind"] == "quickfix" and action["isPreferred"]
    (edit,) = action["edit"]["changes"][uri]
    assert edit == {"range": unknown["range"], "newText": "office"}


def test_quick_fix_for_a_misspelt_keyword(client, opened):
    text = CONTRACT.replace("priority Normal respond 4h", "priority Normal respnd 4h")
    uri = opened(text)
    (syntax,) = client.diagnostics(uri, version=1)
    assert syntax["code"] == "E004" and span_text(text, syntax["range"]) == "respnd"
    (action,) = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": syntax["range"], "context": {"diagnostics": []}})
    assert action["edit"]["changes"][uri][0]["newText"] == "respond"


def test_changes_are_debounced_and_compiled_once_per_version(client, opened):
    uri = opened()
    assert client.diagnostics(uri, version=1) == []
    client.change(uri, BROKEN, 2)
    client.change(uri, CONTRACT.replace("respond 4h", "respond 4"), 3)
    client.change(uri, BROKEN, 4)
    codes = {d["code"] for d in client.diagnostics(uri, version=4)}
    assert codes == {"E101", "E102"}
    published = [m["params"]["version"] for m in client.notifications
                 if m.get("params", {}).get("uri") == uri]
    assert published == [1, 4]  # versions 2 and 3 were superseded within the quiet spell
    for _ in range(3):  # many requests on one version: still one compile
        client.at("textDocument/hover", uri, **position(BROKEN, "Basic"))
        client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    compiles = client.request("sladsl/stats", {})["compiles"][uri]
    assert compiles == 2  # versions 1 and 4; 2 and 3 were never asked about


def test_save_publishes_at_once(client, opened):
    uri = opened()
    client.diagnostics(uri, version=1)
    client.change(uri, BROKEN, 2)
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert {d["code"] for d in client.diagnostics(uri, version=2)} == {"E101", "E102"}
    time.sleep(DEBOUNCE + 0.3)
    published = [m["params"]["version"] for m in client.notifications
                 if m.get("params", {}).get("uri") == uri]
    assert published == [1, 2]  # the save published; the pending debounced run was cancelled


def test_a_change_to_the_whole_text_is_what_the_server_sees(client, opened):
    # The server asks for full document sync: pygls would apply incremental edits on
    # `str.splitlines` lines, which break at a form feed or U+2028 where the protocol does not.
    # With such characters in the text, positions still agree with the editor's.
    text = CONTRACT.replace("# Example support contract", "# Example\x0c support \u2028contract")
    uri = opened(text)
    assert client.initialize_result["capabilities"]["textDocumentSync"]["change"] == 1
    where = position(text, "hours office", offset=7)
    (found,) = client.at("textDocument/definition", uri, **where)
    assert found["range"]["start"] == position(text, "calendar office", offset=9)


def test_close_clears_diagnostics(client, opened):
    uri = opened(BROKEN)
    client.diagnostics(uri, version=1)
    client.close_document(uri)
    client.wait_for(lambda m: m.get("params", {}).get("uri") == uri
                    and "version" not in m["params"] and m["params"]["diagnostics"] == [])


# ---- hover -------------------------------------------------------------------------------------


def hover_text(client, uri, where) -> str:
    return client.at("textDocument/hover", uri, **where)["contents"]["value"]


def test_hover_calendar_shows_hours_zone_and_this_years_holidays(client, opened):
    uri = opened()
    text = hover_text(client, uri, position(CONTRACT, "hours office", offset=8))
    assert "Mon-Fri 09:00-17:00" in text
    assert "GMT+7 (UTC+07:00)" in text
    assert "holidays in 2026" in text and "13 Jul: Founders' Day" in text


def test_hover_inline_calendar(client, opened):
    text = CONTRACT.replace("respond 30m within nights", "respond 30m within business(Sat 10:00-14:00 UTC)")
    uri = opened(text)
    hovered = hover_text(client, uri, position(text, "business(Sat", offset=2))
    assert "Sat 10:00-14:00" in hovered and "UTC" in hovered


def test_hover_plan_lists_flattened_targets_with_their_origin(client, opened):
    uri = opened()
    text = hover_text(client, uri, position(CONTRACT, "plan Gold", offset=6))
    rows = [row for row in text.splitlines() if row.startswith("| Urgent") or row.startswith("| Normal")]
    assert rows == [
        "| Urgent | Response | within 30 minutes | plan Gold |",
        "| Normal | Response | within 4 hours | plan Basic |",
        "| Urgent | Resolution | within 2 business days | plan Basic |",
    ]
    assert text.startswith("**plan `Gold`** includes `Basic`\n")


def test_hover_target_says_what_it_means(client, opened):
    uri = opened()
    text = hover_text(client, uri, position(CONTRACT, "respond 30m", offset=9))
    assert text == ("Under plan Gold, a ticket of priority `Urgent` gets a response within 30 "
                    "minutes, counted in *nights* hours.")
    text = hover_text(client, uri, position(CONTRACT, "resolve 2 business days", offset=3))
    assert text == ("Under plan Basic, a ticket of priority `Urgent` is resolved within 2 business "
                    "days, counted in *office* hours.")


def test_hover_on_a_diagnostic_explains_its_code(client, opened):
    uri = opened(BROKEN)
    client.diagnostics(uri, version=1)
    text = hover_text(client, uri, position(BROKEN, "offce", offset=2))
    assert text.startswith("## E101: unknown name")


def test_hover_escapes_contract_text(client, opened):
    text = CONTRACT.replace("plan Gold", 'plan "[Gold](http://x.example)\n# Heading"').replace(
        "Urgent: \"Down\"", "Urgent: \"<b>Down</b> *now*\"")
    uri = opened(text)
    plan = hover_text(client, uri, position(text, "respond 30m", offset=9))
    assert "\\[Gold\\]" in plan and "](http" not in plan.replace("\\]", "")
    assert "\n#" not in plan
    listed = hover_text(client, uri, position(text, 'plan "[Gold]', offset=7))
    assert listed.startswith("**plan `[Gold](http://x.example) # Heading`**")
    assert "\n#" not in listed
    priority = hover_text(client, uri, position(text, "only priority Urgent", offset=15))
    assert "<b>" not in priority and "\\*now\\*" in priority


def test_hover_on_nothing_is_empty(client, opened):
    uri = opened()
    assert client.at("textDocument/hover", uri, **position(CONTRACT, "# Example", offset=3)) is None


# ---- navigation ----------------------------------------------------------------------------------

NAVIGATION = [  # (kind, a reference, the declaration, number of occurrences)
    ("calendar", ("hours office", 6), ("calendar office", 9), 2),
    ("plan", ("includes Basic", 9), ("plan Basic", 5), 2),
    ("priority", ("only priority Urgent", 14), ("Urgent:", 0), 4),
    ("channel", ("channels Phone", 9), ("channel Phone", 8), 2),
]


@pytest.mark.parametrize("kind, reference, declaration, count", NAVIGATION, ids=[n[0] for n in NAVIGATION])
def test_definition_and_references(client, opened, kind, reference, declaration, count):
    uri = opened()
    where = position(CONTRACT, reference[0], offset=reference[1] + 1)
    (found,) = client.at("textDocument/definition", uri, **where)
    assert found["uri"] == uri
    assert found["range"]["start"] == position(CONTRACT, declaration[0], offset=declaration[1])
    every = client.at("textDocument/references", uri, **where, context={"includeDeclaration": True})
    assert len(every) == count
    assert found in every
    uses = client.at("textDocument/references", uri, **where, context={"includeDeclaration": False})
    assert len(uses) == count - 1 and found not in uses


def test_navigation_works_while_the_checker_reports_errors(client, opened):
    uri = opened(BROKEN)  # E101 and E102: it parses, it does not check
    (found,) = client.at("textDocument/definition", uri, **position(BROKEN, "includes Basic", offset=10))
    assert found["range"]["start"] == position(BROKEN, "plan Basic", offset=5)


def test_service_definition_is_its_declaration(client, opened):
    uri = opened()
    where = position(CONTRACT, "service Chat", offset=9)
    (found,) = client.at("textDocument/definition", uri, **where)
    assert span_text(CONTRACT, found["range"]) == "Chat"


def test_positions_count_utf16_units(client, opened):
    text = CONTRACT.replace("plan Gold includes Basic", 'plan "G\U0001F600ld" includes Basic')
    uri = opened(text)
    where = position(text, "includes Basic", offset=10)  # the column counts the emoji as 2 units
    (found,) = client.at("textDocument/definition", uri, **where)
    assert found["range"]["start"] == position(text, "plan Basic", offset=5)
    refs = client.at("textDocument/references", uri, **where, context={"includeDeclaration": False})
    assert [span_text(text, r["range"]) for r in refs] == ["Basic"]


# ---- completion ----------------------------------------------------------------------------------


def labels(client, uri, where) -> set[str]:
    return {item["label"] for item in client.at("textDocument/completion", uri, **where)["items"]}


def test_completion_offers_keywords_valid_at_the_cursor(client, opened):
    text = CONTRACT.replace("    priority Normal respond 4h\n", "    priority Normal respond 4h \n    \n")
    uri = opened(text)
    after_target = labels(client, uri, position(text, "respond 4h ", offset=11))
    assert {"within", "best-effort", "for", "respond", "resolve"} <= after_target
    assert "plan" not in after_target
    statement = labels(client, uri, position(text, "4h \n    \n", offset=8))
    assert {"hours", "channels", "priority", "respond", "escalate", "price"} <= statement
    assert "within" in statement and "calendar" in statement
    assert "Mon" not in statement


def test_completion_of_a_quoted_name(client, opened):
    text = CONTRACT.replace("  channel Phone {", '  channel "Help desk" {\n  }\n  channel Phone {').replace(
        "channels Phone", 'channels Phone, "Help')
    uri = opened(text)
    found = client.at("textDocument/completion", uri, **position(text, 'Phone, "Help', offset=12))
    items = {item["label"]: item for item in found["items"]}
    assert set(items) == {"Phone", '"Help desk"'}
    edit = items['"Help desk"']["textEdit"]
    assert edit["newText"] == '"Help desk"'
    assert edit["range"]["start"] == position(text, 'Phone, "Help', offset=7)


def test_no_completion_inside_a_comment(client, opened):
    text = CONTRACT.replace("    hours office\n", "    hours office  # see ho\n    reading r \"#1\" \n")
    uri = opened(text)
    assert labels(client, uri, position(text, "# see ho", offset=8)) == set()
    after_string = labels(client, uri, position(text, '"#1" ', offset=5))
    assert after_string == {"as"}  # a `#` inside a string starts no comment


def test_completion_offers_declared_names_zones_and_countries(client, opened):
    text = CONTRACT.replace("hours office", "hours of").replace(
        "daily 20:00-24:00 UTC", "daily 20:00-24:00 Asia/Ja").replace(
        'except 2026-07-13 "Founders\' Day"', "except holidays(T")
    uri = opened(text)
    calendars = client.at("textDocument/completion", uri, **position(text, "hours of", offset=8))
    names = {item["label"]: item for item in calendars["items"]}
    assert {"office", "nights"} <= set(names) and "Basic" not in names
    assert names["office"]["textEdit"]["range"]["start"] == position(text, "hours of", offset=6)
    zones = client.at("textDocument/completion", uri, **position(text, "Asia/Ja", offset=7))
    assert zones["isIncomplete"]  # zones come area by area: ask again as the user types
    assert "Asia/Jakarta" in {item["label"] for item in zones["items"]}
    assert "Europe/Paris" not in {item["label"] for item in zones["items"]}
    areas = labels(client, uri, position(text, "Asia/Ja", offset=0))
    assert {"UTC", "Asia/", "America/", "Europe/"} <= areas and "Asia/Jakarta" not in areas
    regions = labels(client, uri, position(text, "holidays(T", offset=10))
    assert {"TH", "TR", "ID", "US"} <= regions
    plans = labels(client, uri, position(text, "includes Basic", offset=9))
    assert plans == {"Basic", "Gold"}
    priorities = labels(client, uri, position(text, "only priority Urgent", offset=14))
    assert {"Urgent", "Normal"} <= priorities


# ---- formatting, outline, tokens, lenses -------------------------------------------------------


def test_formatting_returns_the_canonical_layout(client, opened):
    messy = 'calendar  office=Mon-Fri   09:00-17:00 UTC   # hours\n\n\n\npriority A respond   1h\n'
    uri = opened(messy)
    (edit,) = client.request("textDocument/formatting", {
        "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}})
    assert edit["newText"] == ("calendar office = Mon-Fri 09:00-17:00 UTC  # hours\n\n"
                               "priority A respond 1h\n")
    assert edit["range"]["start"] == {"line": 0, "character": 0}
    assert edit["range"]["end"] == {"line": 5, "character": 0}


def test_formatting_a_broken_document_changes_nothing(client, opened):
    uri = opened("plan {\n")
    assert client.request("textDocument/formatting", {
        "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}}) is None


def test_document_symbols_outline(client, opened):
    uri = opened()
    (contract,) = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert contract["name"] == "Example"
    children = [(c["name"], c["detail"]) for c in contract["children"]]
    assert children == [("office", "calendar"), ("nights", "calendar"), ("priorities", "priorities"),
                        ("Phone", "channel"), ("Basic", "plan"), ("Gold", "plan"), ("Chat", "service")]
    basic = contract["children"][4]
    assert [c["name"] for c in basic["children"]] == [
        "respond (Urgent)", "resolve (Urgent)", "respond (Normal)"]
    assert basic["selectionRange"]["start"] == position(CONTRACT, "plan Basic", offset=5)


def decode_tokens(data: list[int], legend: dict, text: str) -> list[tuple[str, str, list[str]]]:
    lines, out = text.split("\n"), []
    line = start = 0
    for index in range(0, len(data), 5):
        delta_line, delta_start, length, kind, modifiers = data[index : index + 5]
        line += delta_line
        start = start + delta_start if delta_line == 0 else delta_start
        row = lines[line].encode("utf-16-le")
        word = row[start * 2 : (start + length) * 2].decode("utf-16-le")
        mods = [m for bit, m in enumerate(legend["tokenModifiers"]) if modifiers & (1 << bit)]
        out.append((word, legend["tokenTypes"][kind], mods))
    return out


def test_semantic_tokens_classify_names_by_what_they_name(client, opened):
    uri = opened()
    legend = client.initialize_result["capabilities"]["semanticTokensProvider"]["legend"]
    data = client.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})["data"]
    tokens = decode_tokens(data, legend, CONTRACT)
    assert tokens[0] == ("# Example support contract", "comment", [])
    assert ("office", "type", ["declaration"]) in tokens
    assert ("office", "type", []) in tokens  # the use in `hours office`
    assert ("Basic", "class", []) in tokens and ("Urgent", "enumMember", ["declaration"]) in tokens
    assert ("Mon", "keyword", []) in tokens and ("09:00", "number", []) in tokens
    assert ('"Down"', "string", []) in tokens


def test_code_lens_shows_when_a_ticket_opened_now_falls_due(client, opened):
    uri = opened()
    lenses = client.request("textDocument/codeLens", {"textDocument": {"uri": uri}})
    titles = {span_text(CONTRACT, lens["range"]): lens["command"]["title"] for lens in lenses}
    # Friday 16:30 +07:00. Basic: 30 min on Friday, then Monday 13 July is Founders' Day, so the
    # remaining 30 min fall on Tuesday: 09:30. Gold counts Urgent responses in `nights` (UTC
    # 20:00-24:00 daily): 16:30 +07:00 is 09:30 UTC, the window opens at 20:00 UTC, due 20:30 UTC,
    # shown in the calendar's zone.
    assert titles["respond 1h"] == "due for a ticket opened now: Tue 09:30 (+07:00)"
    assert titles["respond 30m within nights"] == "due for a ticket opened now: Fri 20:30 (+00:00)"
    # 2 business days from Friday 16:30 (SEMANTICS.md: N x the day on equal days): 16h of business
    # time: 30 min Friday, Tuesday 8h, Wednesday 7.5h -> Wednesday 16:30 (Monday is a holiday).
    assert titles["resolve 2 business days"] == "due for a ticket opened now: Wed 16:30 (+07:00)"
    assert titles["respond 4h"] == "due for a ticket opened now: Tue 12:30 (+07:00)"


def test_code_lens_says_when_the_due_instant_cannot_be_computed(client, opened):
    # Regression (found by test_lsp_fuzz): a target running past the frozen holiday years made
    # the codeLens request fail; now the lens says why there is no due instant.
    # (A due instant past the year 9999 can no longer be written: durations over 100 years are E206.)
    text = ('calendar office = Mon-Fri 09:00-17:00 GMT+7 except holidays(TH) 2026..2026\n'
            'priority A respond 400 business days\n')
    uri = opened(text)
    lenses = client.request("textDocument/codeLens", {"textDocument": {"uri": uri}})
    titles = {span_text(text, lens["range"]): lens["command"]["title"] for lens in lenses}
    assert titles["respond 400 business days"].startswith("due for a ticket opened now: not computable (")
    assert "2026-2026" in titles["respond 400 business days"]


def test_a_file_over_the_size_limit_is_one_diagnostic_and_no_work(client, opened):
    text = "# padding\n" * 450_000  # 4.5 MB, over parse.MAX_BYTES
    uri = opened(text)
    (too_large,) = client.diagnostics(uri, version=1)
    assert too_large["code"] == "E002"
    started = time.monotonic()
    assert client.at("textDocument/completion", uri, line=449_999, character=3)["items"] == []
    tokens = client.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
    assert tokens["data"] == []
    assert time.monotonic() - started < 5


def test_a_request_on_an_unknown_document_is_an_error_not_a_crash(client):
    with pytest.raises(LspError):
        client.request("textDocument/hover", {"textDocument": {"uri": "file:///nowhere.sla"},
                                              "position": {"line": 0, "character": 0}})
    assert client.request("sladsl/stats", {}) is not None  # still serving


def test_without_pygls_the_command_says_which_extra_to_install(monkeypatch):
    import sys

    from click.testing import CliRunner

    from sladsl.cli import cli

    monkeypatch.setitem(sys.modules, "pygls.lsp.server", None)  # as if pygls were not installed
    monkeypatch.delitem(sys.modules, "sladsl.lsp", raising=False)
    result = CliRunner().invoke(cli, ["lsp"])
    assert result.exit_code == 2
    assert "pip install -e '.[lsp]'" in result.output
