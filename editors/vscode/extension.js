// The sladsl VS Code client: starts `sladsl lsp` (the server does all the work) for .sla files.
"use strict";
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const command = vscode.workspace.getConfiguration("sladsl").get("server.command", ["sladsl", "lsp"]);
  const [program, ...args] = command.length ? command : ["sladsl", "lsp"];
  return { command: program, args, transport: TransportKind.stdio };
}

async function activate(context) {
  client = new LanguageClient(
    "sladsl",
    "sladsl language server",
    serverOptions(),
    { documentSelector: [{ scheme: "file", language: "sladsl" }, { scheme: "untitled", language: "sladsl" }] },
  );
  context.subscriptions.push(client);
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
