"""`sladsl lsp`: the Language Server Protocol adapter (pygls) over `sladsl.editor`.

Every request reads one `editor.Document` per document version: the first request (or the
diagnostics run) for a version compiles it, later ones reuse it, so a version is compiled at most
once whatever the editor asks. Diagnostics are published at once on open and save, and after a
quiet spell (`debounce`, 0.25 s) on change, for the version current by then.

Positions: the compiler counts 1-based lines and code points; the protocol counts 0-based lines
and, by default, UTF-16 units (or UTF-8/UTF-32 when the client offers them). Lines end at LF,
CRLF or CR, as the protocol says (not at the other characters `str.splitlines` breaks at).

Initialization options (all optional): `now` (an ISO instant: the "opened now" of the due
lenses and the year of calendar hovers, for reproducible output) and `debounce` (seconds).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timezone
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from sladsl import __version__, editor
from sladsl.ast import Span
from sladsl.diagnostics import Diagnostic, Severity

DEBOUNCE = 0.25  # seconds of quiet after a change before diagnostics are recomputed
STATS = "sladsl/stats"  # a custom request: compiles per document (for tests and benchmarks)


class SladslServer(LanguageServer):
    """pygls' server plus the per-version document cache and the options."""

    def __init__(self) -> None:
        # Full sync: the client sends the whole text on each change. pygls applies incremental
        # edits on `str.splitlines` lines, which also break at form feeds and U+2028 where the
        # protocol does not, so an incremental edit could land in the wrong place; a contract is
        # a few KB, so the whole text costs nothing.
        super().__init__("sladsl", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.documents: dict[str, tuple[int | None, editor.Document]] = {}
        self.compiles: Counter[str] = Counter()
        self.pending: dict[str, asyncio.Task] = {}
        self.fixed_now: datetime | None = None
        self.debounce = DEBOUNCE

    def document(self, uri: str) -> editor.Document:
        """The analysed document for the current version of `uri` (compiled once per version)."""
        text_document = self.workspace.get_text_document(uri)
        version = text_document.version
        cached = self.documents.get(uri)
        if cached is not None and cached[0] == version and version is not None:
            return cached[1]
        document = editor.Document(text_document.source, _display(uri))
        self.compiles[uri] += 1
        self.documents[uri] = (version, document)
        return document

    def now(self) -> datetime:
        return self.fixed_now or datetime.now(timezone.utc)

    @property
    def encoding(self) -> str:
        return str(self.server_capabilities.position_encoding or types.PositionEncodingKind.Utf16)


server = SladslServer()


def _display(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


# ---- positions ---------------------------------------------------------------------------------


def _units(text: str, encoding: str) -> int:
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_position(doc: editor.Document, line: int, column: int, encoding: str) -> types.Position:
    """A compiler position (1-based, code points) -> a protocol position."""
    if line <= 0:
        return types.Position(0, 0)
    if line > len(doc.lines):
        return types.Position(len(doc.lines) - 1, _units(doc.lines[-1], encoding))
    text = doc.lines[line - 1]
    return types.Position(line - 1, _units(text[: max(0, column - 1)], encoding))


def to_range(doc: editor.Document, span: Span, encoding: str) -> types.Range:
    start = to_position(doc, span.line, span.column, encoding)
    if span.end_line <= 0:
        return types.Range(start, start)
    return types.Range(start, to_position(doc, span.end_line, span.end_column, encoding))


def from_position(doc: editor.Document, position: types.Position, encoding: str) -> tuple[int, int]:
    """A protocol position -> (line, column) as the compiler counts them, clamped to the text."""
    line = min(max(position.line, 0), len(doc.lines) - 1)
    text = doc.lines[line]
    units = 0
    for index, char in enumerate(text):
        if units >= position.character:
            return line + 1, index + 1
        units += _units(char, encoding)
    return line + 1, len(text) + 1


def _span_at(ls: SladslServer, uri: str, position: types.Position):
    doc = ls.document(uri)
    line, column = from_position(doc, position, ls.encoding)
    return doc, line, column


# ---- diagnostics ------------------------------------------------------------------------------

_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error,
             Severity.WARNING: types.DiagnosticSeverity.Warning}


def to_diagnostic(doc: editor.Document, uri: str, found: Diagnostic, encoding: str) -> types.Diagnostic:
    lines = [found.message, *found.notes]
    if found.help:
        lines.append(f"help: {found.help}")
    related = [types.DiagnosticRelatedInformation(
        types.Location(uri, to_range(doc, label.span, encoding)), label.message)
        for label in found.labels if label.span.file == found.span.file]
    return types.Diagnostic(
        range=to_range(doc, found.span, encoding), message="\n".join(lines),
        severity=_SEVERITY[found.severity], code=found.code, source="sladsl",
        related_information=related or None)


def publish(ls: SladslServer, uri: str) -> None:
    if uri not in ls.workspace.text_documents:
        return
    doc = ls.document(uri)
    version = ls.workspace.get_text_document(uri).version
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
        uri=uri, version=version,
        diagnostics=[to_diagnostic(doc, uri, d, ls.encoding) for d in doc.diagnostics]))


async def _publish_later(ls: SladslServer, uri: str) -> None:
    await asyncio.sleep(ls.debounce)
    ls.pending.pop(uri, None)
    try:
        publish(ls, uri)
    except Exception as error:  # noqa: BLE001 - a task's exception would vanish unreported
        ls.window_log_message(types.LogMessageParams(
            types.MessageType.Error, f"sladsl: diagnostics for {uri} failed: {error!r}"))


def _cancel_pending(ls: SladslServer, uri: str) -> None:
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()


@server.feature(types.INITIALIZE)
def initialize(ls: SladslServer, params: types.InitializeParams) -> None:
    options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
    if isinstance(options.get("now"), str):
        try:
            now = datetime.fromisoformat(options["now"])
            ls.fixed_now = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
        except ValueError:
            ls.window_log_message(types.LogMessageParams(
                types.MessageType.Warning, f"sladsl: ignoring initialization option now={options['now']!r}"))
    if isinstance(options.get("debounce"), (int, float)) and 0 <= options["debounce"] <= 10:
        ls.debounce = float(options["debounce"])


@server.feature(types.INITIALIZED)
def initialized(ls: SladslServer, params: types.InitializedParams) -> None:
    editor.warm_up()  # while the editor is still opening files, not during the first keystroke


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: SladslServer, params: types.DidOpenTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: SladslServer, params: types.DidSaveTextDocumentParams) -> None:
    _cancel_pending(ls, params.text_document.uri)
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: SladslServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    _cancel_pending(ls, uri)
    ls.pending[uri] = asyncio.ensure_future(_publish_later(ls, uri))


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: SladslServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    _cancel_pending(ls, uri)
    ls.documents.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def code_action(ls: SladslServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """Quick fixes from the "did you mean" help of the diagnostics in the range."""
    uri = params.text_document.uri
    doc = ls.document(uri)
    start = from_position(doc, params.range.start, ls.encoding)
    end = from_position(doc, params.range.end, ls.encoding)
    actions = []
    for found in doc.diagnostics:
        span = found.span
        if span.line <= 0 or (span.end_line, span.end_column) < start or (span.line, span.column) > end:
            continue
        written = doc.text[doc.offset(span.line, span.column):doc.offset(span.end_line, span.end_column)]
        replacement = editor.quick_fix(found, written)
        if replacement is None or replacement == written:
            continue
        diagnostic = to_diagnostic(doc, uri, found, ls.encoding)
        actions.append(types.CodeAction(
            title=f"replace `{written}` with `{replacement}`", kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic], is_preferred=True,
            edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(diagnostic.range, replacement)]})))
    return actions


# ---- hover, navigation --------------------------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: SladslServer, params: types.HoverParams) -> types.Hover | None:
    doc, line, column = _span_at(ls, params.text_document.uri, params.position)
    found = editor.hover(doc, line, column, ls.now().date())
    if found is None:
        return None
    text, span = found
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text),
                       to_range(doc, span, ls.encoding))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: SladslServer, params: types.DefinitionParams) -> list[types.Location] | None:
    uri = params.text_document.uri
    doc, line, column = _span_at(ls, uri, params.position)
    occurrence = doc.name_at(line, column)
    if occurrence is None:
        return None
    return [types.Location(uri, to_range(doc, o.span, ls.encoding)) for o in doc.definition(occurrence)]


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: SladslServer, params: types.ReferenceParams) -> list[types.Location] | None:
    uri = params.text_document.uri
    doc, line, column = _span_at(ls, uri, params.position)
    occurrence = doc.name_at(line, column)
    if occurrence is None:
        return None
    keep_declarations = params.context.include_declaration
    return [types.Location(uri, to_range(doc, o.span, ls.encoding)) for o in doc.occurrences(occurrence)
            if keep_declarations or not o.declares]


# ---- completion ------------------------------------------------------------------------------

_COMPLETION_KIND = {
    "keyword": types.CompletionItemKind.Keyword, "calendar": types.CompletionItemKind.Struct,
    "plan": types.CompletionItemKind.Class, "priority": types.CompletionItemKind.EnumMember,
    "channel": types.CompletionItemKind.Interface, "zone": types.CompletionItemKind.Value,
    "region": types.CompletionItemKind.Value,
}


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["(", "/"]))
def completion(ls: SladslServer, params: types.CompletionParams) -> types.CompletionList:
    doc, line, column = _span_at(ls, params.text_document.uri, params.position)
    found = editor.completions(doc, line, column)
    edit_range = types.Range(to_position(doc, line, found.start, ls.encoding),
                             to_position(doc, line, column, ls.encoding))
    return types.CompletionList(is_incomplete=found.incomplete, items=[
        types.CompletionItem(label=item.label, kind=_COMPLETION_KIND.get(item.kind),
                             detail=item.detail or item.kind,
                             text_edit=types.TextEdit(edit_range, item.label))
        for item in found.items])


# ---- formatting, outline, tokens, lenses ------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: SladslServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
    """The whole document in `sladsl fmt` layout; nothing while it has syntax errors."""
    doc = ls.document(params.text_document.uri)
    formatted = doc.formatted
    if formatted is None:
        return None
    source = ls.workspace.get_text_document(params.text_document.uri).source
    if formatted == source:
        return []
    end = to_position(doc, len(doc.lines), len(doc.lines[-1]) + 1, ls.encoding)
    return [types.TextEdit(types.Range(types.Position(0, 0), end), formatted)]


_SYMBOL_KIND = {
    "contract": types.SymbolKind.Package, "calendar": types.SymbolKind.Struct,
    "plan": types.SymbolKind.Class, "addon": types.SymbolKind.Class,
    "priorities": types.SymbolKind.Enum, "priority": types.SymbolKind.EnumMember,
    "channel": types.SymbolKind.Interface, "service": types.SymbolKind.Module,
    "section": types.SymbolKind.Namespace, "target": types.SymbolKind.Field,
}


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(ls: SladslServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    doc = ls.document(params.text_document.uri)

    def convert(symbol: editor.Symbol) -> types.DocumentSymbol:
        whole = to_range(doc, symbol.span, ls.encoding)
        selection = to_range(doc, symbol.selection, ls.encoding)
        return types.DocumentSymbol(
            name=symbol.name or symbol.kind, kind=_SYMBOL_KIND[symbol.kind], range=whole,
            selection_range=selection, detail=symbol.kind,
            children=[convert(child) for child in symbol.children])

    return [convert(symbol) for symbol in editor.symbols(doc)]


LEGEND = types.SemanticTokensLegend(token_types=list(editor.TOKEN_TYPES),
                                    token_modifiers=list(editor.TOKEN_MODIFIERS))


@server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
def semantic_tokens(ls: SladslServer, params: types.SemanticTokensParams) -> types.SemanticTokens:
    doc = ls.document(params.text_document.uri)
    data: list[int] = []
    previous_line = previous_start = 0
    for line, column, length, kind, declares in doc.semantic_tokens:
        text = doc.lines[line - 1]
        start = _units(text[: column - 1], ls.encoding)
        width = _units(text[column - 1 : column - 1 + length], ls.encoding)
        delta_line = line - 1 - previous_line
        data += [delta_line, start - previous_start if delta_line == 0 else start, width,
                 editor.TOKEN_TYPES.index(kind), 1 if declares else 0]
        previous_line, previous_start = line - 1, start
    return types.SemanticTokens(data=data)


@server.feature(types.TEXT_DOCUMENT_CODE_LENS)
def code_lens(ls: SladslServer, params: types.CodeLensParams) -> list[types.CodeLens]:
    doc = ls.document(params.text_document.uri)
    return [types.CodeLens(range=to_range(doc, span, ls.encoding), command=types.Command(title, ""))
            for span, title in doc.lenses(ls.now())]


@server.feature(STATS)
def stats(ls: SladslServer, params) -> dict:
    return {"compiles": dict(ls.compiles)}


def main() -> None:
    """Serve over stdin/stdout until the client exits."""
    server.start_io()
