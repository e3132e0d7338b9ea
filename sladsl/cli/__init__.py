"""The `sladsl` command line: one module per command group, registered on one click group.

Exit codes (docs/cli.md): 0 success; 1 the contract or data has errors (or `--check`/`--strict`
found something); 2 usage or I/O problems; 130 interrupted.
"""

from __future__ import annotations

import sys

import click

from sladsl import __version__


# Every command: the module of `sladsl.cli` that defines it (in its COMMANDS) and the one-line help
# `sladsl --help` lists. A module is imported only when one of its commands runs, so `--help`,
# `--version` and `check` do not pay for NumPy, Jinja2 or the data layer. tests/test_cli_lazy.py
# checks this table against the modules (every command listed, the same help text).
LAZY_COMMANDS = {
    "build": ("build", "Compile contracts (files or directories; default `contracts/`) into evaluators."),
    "check": ("check", "Check contracts (files or directories; default `contracts/`) and report diagnostics."),
    "diff": ("diff", "The difference in meaning between contract versions OLD and NEW (files, or `path@REV`)."),
    "eval": ("data", "Judge every ticket against the contract: due instants, met / breached / pending."),
    "explain": ("data", "The timeline behind one verdict: windows crossed, holidays and pauses skipped, due."),
    "lsp": ("lsp", "Run the language server for editors (diagnostics, hover, completion, formatting...)."),
    "fmt": ("fmt", "Format contracts (files or directories; default `contracts/`) in the canonical layout."),
    "render": ("render", "Render CONTRACT as its published SLA document in Markdown."),
    "sql": ("sql", "Compile a contract to SQL: calendar tables, verdict, summary and proportion views."),
    "uptime": ("data", "Uptime of a period from an incident log: downtime, exact uptime, target and credits."),
}


class LazyGroup(click.Group):
    """A click group whose commands are imported on first use (click's "lazily loading
    subcommands" pattern), listing them in `--help` from LAZY_COMMANDS."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            import importlib

            module = importlib.import_module(f"sladsl.cli.{LAZY_COMMANDS[cmd_name][0]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            # A stand-in command with the listed help, so click shortens it as it would the real one.
            command = self.commands.get(name) or click.Command(name, help=LAZY_COMMANDS[name][1])
            rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sladsl")
def cli() -> None:
    """SLA contracts as code: check, build and run `.sla` contracts."""


def main() -> None:
    """Console entry point: one line and a meaningful exit code, never a traceback.

    click's standalone mode turns Ctrl-C into "Aborted!" and exit 1; here it is exit 130.
    """
    try:
        code = cli.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("sladsl: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
