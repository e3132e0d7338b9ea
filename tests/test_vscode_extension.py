"""The VS Code extension package in editors/vscode/: consistent with the grammar and the server.

Packaging itself (`npm ci && npm run package`) takes about 20 s, most of it downloading
dependencies, so it is not part of the default run; set SLADSL_PACKAGE_VSIX=1 (with npm on the
PATH and the npm registry reachable) to build the .vsix here and check what it contains.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "editors" / "vscode"
MANIFEST = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))


def test_the_language_and_grammar_contributions_match_the_grammar_file():
    (language,) = MANIFEST["contributes"]["languages"]
    assert language["id"] == "sladsl" and language["extensions"] == [".sla"]
    (grammar,) = MANIFEST["contributes"]["grammars"]
    textmate = json.loads((ROOT / "editors" / "sladsl.tmLanguage.json").read_text(encoding="utf-8"))
    assert grammar["language"] == "sladsl"
    assert grammar["scopeName"] == textmate["scopeName"]
    # The packaged grammar is a copy made by scripts/copy-grammar.js from the one grammar file.
    assert grammar["path"] == "./syntaxes/sladsl.tmLanguage.json"
    script = (PACKAGE / "scripts" / "copy-grammar.js").read_text(encoding="utf-8")
    assert '"..", "..", "sladsl.tmLanguage.json"' in script
    assert "copy-grammar.js" in MANIFEST["scripts"]["vscode:prepublish"]


def test_the_language_configuration_knows_comments_and_brackets():
    configuration = json.loads((PACKAGE / language_configuration()).read_text(encoding="utf-8"))
    assert configuration["comments"]["lineComment"] == "#"
    assert ["{", "}"] in configuration["brackets"]


def language_configuration() -> str:
    return MANIFEST["contributes"]["languages"][0]["configuration"]


def test_the_client_starts_sladsl_lsp():
    assert (PACKAGE / MANIFEST["main"]).is_file()
    setting = MANIFEST["contributes"]["configuration"]["properties"]["sladsl.server.command"]
    assert setting["default"] == ["sladsl", "lsp"]
    client = (PACKAGE / MANIFEST["main"]).read_text(encoding="utf-8")
    assert 'require("vscode-languageclient/node")' in client
    assert '"sladsl.server.command"' not in client and 'get("server.command"' in client


def test_the_lock_file_pins_what_package_json_asks_for():
    lock = json.loads((PACKAGE / "package-lock.json").read_text(encoding="utf-8"))
    root = lock["packages"][""]
    assert root["dependencies"] == MANIFEST["dependencies"]
    assert root["devDependencies"] == MANIFEST["devDependencies"]
    assert MANIFEST["scripts"]["package"].startswith("vsce package")


def test_build_outputs_are_not_committed():
    ignored = (PACKAGE / ".gitignore").read_text(encoding="utf-8").split()
    assert {"node_modules/", "*.vsix", "syntaxes/"} <= set(ignored)


# Loads extension.js in Node with `vscode` and the language client replaced by stubs that
# record what the client is asked to start.
_SMOKE = """
const Module = require("module");
const calls = [];
const stubs = {
  vscode: { workspace: { getConfiguration: () => ({ get: (key, fallback) => fallback }) } },
  "vscode-languageclient/node": {
    TransportKind: { stdio: "stdio" },
    LanguageClient: class { constructor(...args) { calls.push(args); } start() { return Promise.resolve(); } },
  },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request in stubs ? stubs[request] : load.call(this, request, ...rest);
};
require(process.argv[2]).activate({ subscriptions: [] }).then(() => console.log(JSON.stringify(calls)));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_activating_the_extension_starts_sladsl_lsp_over_stdio(tmp_path):
    script = tmp_path / "smoke.js"
    script.write_text(_SMOKE, encoding="utf-8")
    done = subprocess.run(["node", str(script), str(PACKAGE / "extension.js")], capture_output=True,
                          text=True, check=True, timeout=60)
    ((client_id, _name, server, options),) = json.loads(done.stdout)
    assert client_id == "sladsl"
    assert server == {"command": "sladsl", "args": ["lsp"], "transport": "stdio"}
    assert {"scheme": "file", "language": "sladsl"} in options["documentSelector"]


@pytest.mark.skipif(os.environ.get("SLADSL_PACKAGE_VSIX") != "1" or shutil.which("npm") is None,
                    reason="packaging takes ~20 s and the npm registry: set SLADSL_PACKAGE_VSIX=1")
def test_npm_ci_and_package_build_a_vsix(tmp_path):
    work = tmp_path / "editors" / "vscode"
    shutil.copytree(PACKAGE, work, ignore=shutil.ignore_patterns("node_modules", "syntaxes", "*.vsix"))
    shutil.copy(ROOT / "editors" / "sladsl.tmLanguage.json", tmp_path / "editors")
    for command in (["npm", "ci", "--no-audit", "--no-fund"], ["npm", "run", "package"]):
        subprocess.run(command, cwd=work, check=True, capture_output=True, timeout=600)
    with zipfile.ZipFile(work / "sladsl.vsix") as vsix:
        names = set(vsix.namelist())
    assert {"extension/package.json", "extension/extension.js",
            "extension/syntaxes/sladsl.tmLanguage.json",
            "extension/language-configuration.json"} <= names
    assert any(n.startswith("extension/node_modules/vscode-languageclient/") for n in names)
