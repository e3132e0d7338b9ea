// The TextMate grammar has one home, editors/sladsl.tmLanguage.json (tests/test_highlight.py
// checks it against the Lark grammar); the extension packages a copy made here, never edited.
"use strict";
const fs = require("fs");
const path = require("path");

const source = path.join(__dirname, "..", "..", "sladsl.tmLanguage.json");
const target = path.join(__dirname, "..", "syntaxes", "sladsl.tmLanguage.json");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(source, target);
console.log(`copied ${path.relative(process.cwd(), source)} -> ${path.relative(process.cwd(), target)}`);
