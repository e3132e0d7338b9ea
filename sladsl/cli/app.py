"""The click application of `sladsl`: the group, its lazy command loading, usage-error lines and
the console entry point. `sladsl.cli` (the package) exposes these names but imports this module
only when they are used, so `sladsl check FILE` (`sladsl.cli.quick`) runs without click.
"""

from __future__ import annotations

import sys

import click

from sladsl import __version__
from sladsl.cli import LAZY_COMMANDS
from sladsl.cli.output import UsageProblem


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


class CommandProblem(click.ClickException):
    """A `sladsl.cli.common.UsageProblem` (click-free, so `sladsl check` can raise it without
    click) as click's exception, so click, and tests through click's CliRunner, treat it as before."""

    def __init__(self, problem: UsageProblem) -> None:
        super().__init__(problem.message)
        self.exit_code = problem.exit_code
        self.problem = problem

    def show(self, file=None) -> None:
        self.problem.show()


def _usage_problem(error: click.UsageError) -> click.ClickException:
    no_command = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click 8.2 and later
    if no_command and isinstance(error, no_command) and error.ctx is not None:
        return HelpInstead(error.ctx)
    return UsageLine(error)


class _Group(LazyGroup):
    """The `sladsl` group: usage errors of the group and of every command become `UsageLine`,
    the commands' own `UsageProblem`s a `CommandProblem`."""

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
        except UsageProblem as problem:
            raise CommandProblem(problem) from problem


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
