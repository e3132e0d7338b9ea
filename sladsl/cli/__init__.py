"""The `sladsl` command line: one module per command group, registered on one click group.

Exit codes (docs/cli.md): 0 success; 1 the contract or data has errors (or `--check`/`--strict`
found something, or `eval` judged nothing); 2 usage or I/O problems; 3 `--fail-on-breach` and a
missed target; 130 interrupted; 128 + N terminated by signal N while writing an output.
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
    "export": ("export", "Export a contract's objectives for other tools (OpenSLO)."),
    "explain": ("data", "The timeline behind one verdict: windows crossed, holidays and pauses skipped, due."),
    "import": ("imports", "Turn a helpdesk export into a tickets file and an event log for `sladsl eval --events`."),
    "lsp": ("lsp", "Run the language server for editors (diagnostics, hover, completion, formatting...)."),
    "fmt": ("fmt", "Format contracts (files or directories; default `contracts/`) in the canonical layout."),
    "render": ("render", "Render CONTRACT as its published SLA document (Markdown, or HTML with --format html)."),
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


class UsageLine(click.ClickException):
    """A click usage error in the one-line `sladsl: ...` form of every other error, exit 2
    (click's own form is a four-line usage block)."""

    exit_code = 2

    def __init__(self, error: click.UsageError) -> None:
        message = error.format_message().rstrip(".")
        names, ctx = [], error.ctx
        while ctx is not None and ctx.parent is not None:  # the root's name is the program's
            names.insert(0, ctx.info_name)
            ctx = ctx.parent
        path = " ".join(["sladsl", *names])
        super().__init__(f"{message[:1].lower()}{message[1:]} (see `{path} --help`)")

    def show(self, file=None) -> None:
        from sladsl.diagnostics import printable

        click.echo(f"sladsl: {printable(self.format_message())}", err=True)  # argv is untrusted


class HelpInstead(click.ClickException):
    """A group run without a command (`sladsl`, `sladsl export`): its help, as `--help` prints it,
    on stderr, and exit 2 as for any other usage error (click would fold it into one line)."""

    exit_code = 2

    def __init__(self, ctx: click.Context) -> None:
        super().__init__("a command is needed")
        self.help = ctx.get_help()

    def show(self, file=None) -> None:
        click.echo(self.help, err=True)


def _usage_problem(error: click.UsageError) -> click.ClickException:
    no_command = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click 8.2 and later
    if no_command and isinstance(error, no_command) and error.ctx is not None:
        return HelpInstead(error.ctx)
    return UsageLine(error)


class _Group(LazyGroup):
    """The `sladsl` group: usage errors of the group and of every command become `UsageLine`."""

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as error:
            raise _usage_problem(error) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise _usage_problem(error) from None


@click.group(name="sladsl", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sladsl")
def cli() -> None:
    """SLA contracts as code: check, build and run `.sla` contracts."""


def help_text() -> str:
    """Exactly what `sladsl --help` prints (click's rendering at this terminal's width)."""
    with cli.make_context("sladsl", [], resilient_parsing=True) as ctx:
        return ctx.get_help() + "\n"


def main() -> None:
    """Console entry point: one line and a meaningful exit code, never a traceback.

    click's standalone mode turns Ctrl-C into "Aborted!" and exit 1; here it is exit 130.
    """
    try:
        code = cli.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("sladsl: interrupted", err=True)
        sys.exit(130)
    except SystemExit as stop:  # `common.Terminated`: SIGTERM/SIGHUP while writing an output
        common = sys.modules.get("sladsl.cli.common")  # not imported here: start-up time
        if common is not None and isinstance(stop, common.Terminated):
            click.echo("sladsl: terminated; the output was not written", err=True)
        raise
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
