"""The `sladsl` command line: one module per command group, registered on one click group.

Exit codes (docs/cli.md): 0 success; 1 the contract or data has errors (or `--check`/`--strict`
found something, or `eval` judged nothing); 2 usage or I/O problems; 3 `--fail-on-breach` and a
missed target; 130 interrupted; 128 + N terminated by signal N while writing an output.
"""

from __future__ import annotations

import sys

import click

from sladsl import __version__


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


class _Group(click.Group):
    """The `sladsl` group: usage errors of the group and of every command become `UsageLine`."""

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as error:
            raise UsageLine(error) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise UsageLine(error) from None


@click.group(name="sladsl", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sladsl")
def cli() -> None:
    """SLA contracts as code: check, build and run `.sla` contracts."""


def _register() -> None:
    import importlib

    for module in ("check", "build", "render", "data", "fmt", "diff", "lsp"):
        try:
            mod = importlib.import_module(f"sladsl.cli.{module}")
        except ModuleNotFoundError as error:
            if error.name == f"sladsl.cli.{module}":
                continue  # command not built yet
            raise
        for command in getattr(mod, "COMMANDS", ()):
            cli.add_command(command)


_register()


from sladsl.cli.common import Terminated  # noqa: E402  (after the commands, which import it)


def main() -> None:
    """Console entry point: one line and a meaningful exit code, never a traceback.

    click's standalone mode turns Ctrl-C into "Aborted!" and exit 1; here it is exit 130.
    """
    try:
        code = cli.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("sladsl: interrupted", err=True)
        sys.exit(130)
    except Terminated:  # SIGTERM/SIGHUP while writing an output: the temporary file is gone
        click.echo("sladsl: terminated; the output was not written", err=True)
        raise
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
