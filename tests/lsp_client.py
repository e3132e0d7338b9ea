"""A small JSON-RPC client for driving `sladsl lsp` over pipes, as an editor does.

Messages are framed with `Content-Length` headers (the LSP base protocol). A reader thread files
responses by id and keeps notifications (e.g. `textDocument/publishDiagnostics`) in order;
requests the server makes of the client (capability registration, progress) are answered `null`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path


class LspError(Exception):
    """The server answered a request with a JSON-RPC error."""


def server_command() -> list[str]:
    """`sladsl lsp` from the environment the tests run in (the console script when installed)."""
    script = Path(sys.executable).with_name("sladsl")
    if script.is_file():
        return [str(script), "lsp"]
    return [sys.executable, "-c", "from sladsl.cli import main; main()", "lsp"]


class LspClient:
    def __init__(self, initialization_options: dict | None = None, capabilities: dict | None = None):
        self.process = subprocess.Popen(server_command(), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._next_id = 0
        self._responses: dict[int, dict] = {}
        self.notifications: list[dict] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._stderr: list[bytes] = []
        threading.Thread(target=lambda: self._stderr.extend(self.process.stderr), daemon=True).start()
        self.initialize_result = self.request("initialize", {
            "processId": None, "rootUri": None,
            "capabilities": capabilities or {"textDocument": {"hover": {"contentFormat": ["markdown"]}}},
            "initializationOptions": initialization_options or {},
        })
        self.notify("initialized", {})

    # -- framing -----------------------------------------------------------------------------
    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # a request of the client
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                continue
            with self._changed:
                if "id" in message:
                    self._responses[message["id"]] = message
                else:
                    self.notifications.append(message)
                self._changed.notify_all()

    # -- calls -------------------------------------------------------------------------------
    def request(self, method: str, params, timeout: float = 30.0):
        self._next_id += 1
        ident = self._next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self._changed:
            while ident not in self._responses:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise TimeoutError(f"no answer to {method}; server stderr:\n{self.stderr()}")
                self._changed.wait(left)
            message = self._responses.pop(ident)
        if "error" in message:
            raise LspError(f"{method}: {message['error']}")
        return message.get("result")

    def notify(self, method: str, params) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(self, predicate, timeout: float = 30.0) -> dict:
        """The first notification (old or new) for which `predicate` holds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for message in self.notifications:
                    if predicate(message):
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"notification not received; server stderr:\n{self.stderr()}")
                self._changed.wait(left)

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = 30.0) -> list[dict]:
        """The diagnostics published for `uri` (for `version`, when given): the latest such."""
        def matches(message):
            params = message.get("params", {})
            return (message.get("method") == "textDocument/publishDiagnostics"
                    and params.get("uri") == uri
                    and (version is None or params.get("version") == version))
        self.wait_for(matches, timeout)
        with self._changed:
            return [m for m in self.notifications if matches(m)][-1]["params"]["diagnostics"]

    # -- documents ---------------------------------------------------------------------------
    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "sladsl", "version": version, "text": text}})

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def close_document(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def at(self, method: str, uri: str, line: int, character: int, **extra):
        params = {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}
        params.update(extra)
        return self.request(method, params)

    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except (OSError, TimeoutError, LspError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
