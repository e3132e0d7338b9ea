"""The `sladsl` command line: one module per command group, registered on one click group.

Exit codes (docs/cli.md): 0 success; 1 the contract or data has errors (or `--check`/`--strict`
found something, or `eval` judged nothing); 2 usage or I/O problems; 3 `--fail-on-breach` and a
missed target; 130 interrupted; 128 + N terminated by signal N while writing an output.

The click application (`cli`, `main`, `help_text`, `LazyGroup`) lives in `sladsl.cli.app` and is
imported on first use of one of those names: this package and `sladsl.cli.common` import no click,
so `sladsl check FILE` (`sladsl.cli.quick`) starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sladsl.cli.app import HelpInstead, LazyGroup, UsageLine, cli, help_text, main

__all__ = ["LAZY_COMMANDS", "HelpInstead", "LazyGroup", "UsageLine", "cli", "help_text", "main"]

# Every command: the module of `sladsl.cli` that defines it (in its COMMANDS) and the one-line help
# `sladsl --help` lists. A module is imported only when one of its commands runs, so `--help`,
# `--version` and `check` do not pay for NumPy, Jinja2 or the data layer. tests/test_cli_lazy.py
# checks this table against the modules (every command listed, the same help text).
LAZY_COMMANDS = {
    "build": ("build", "Compile contracts (files or directories; default `contracts/`) into evaluators."),
    "check": ("check", "Check contracts (files or directories; default `contracts/`) and report diagnostics."),
    "diff": ("diff", "The difference in meaning between contract versions OLD and NEW (files, or `path@REV`)."),
    "eval": ("data", "Judge every ticket against the contract: due instants, met / breached / pending."),
    "export": ("export", "Export a contract's objectives for other tools (OpenSLO)."),
    "explain": ("data", "The timeline behind one verdict: windows crossed, holidays and pauses skipped, due."),
    "import": ("imports", "Turn a helpdesk export into a tickets file and an event log for `sladsl eval --events`."),
    "lsp": ("lsp", "Run the language server for editors (diagnostics, hover, completion, formatting...)."),
    "fmt": ("fmt", "Format contracts (files or directories; default `contracts/`) in the canonical layout."),
    "render": ("render", "Render CONTRACT as its published SLA document (Markdown, or HTML with --format html)."),
    "sql": ("sql", "Compile a contract to SQL: calendar tables, verdict, summary and proportion views."),
    "uptime": ("data", "Uptime of a period from an incident log: downtime, exact uptime, target and credits."),
}


_APPLICATION = frozenset(__all__) - {"LAZY_COMMANDS"}


def __getattr__(name: str) -> Any:
    """`from sladsl.cli import cli` and the other names of the click application, loaded on use."""
    if name in _APPLICATION:
        from sladsl.cli import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
