"""The `sladsl` command line: one module per command group, registered on one click group.

Exit codes (docs/cli.md): 0 success; 1 the contract or data has errors (or `--check`/`--strict`
found something); 2 usage or I/O problems; 130 interrupted.
"""

from __future__ import annotations

import sys

import click

from sladsl import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sladsl")
def cli() -> None:
    """SLA contracts as code: check, build and run `.sla` contracts."""


def _register() -> None:
    import importlib

    for module in ("check", "build", "render", "data", "fmt", "diff", "lsp", "sql"):
        try:
            mod = importlib.import_module(f"sladsl.cli.{module}")
        except ModuleNotFoundError as error:
            if error.name == f"sladsl.cli.{module}":
                continue  # command not built yet
            raise
        for command in getattr(mod, "COMMANDS", ()):
            cli.add_command(command)


_register()


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
