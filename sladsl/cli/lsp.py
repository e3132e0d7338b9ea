"""`sladsl lsp`: the language server, over stdin/stdout (docs/editors.md)."""

from __future__ import annotations

import click

from sladsl.cli.common import UsageProblem


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default and only transport).")
def lsp_command(stdio: bool) -> None:
    """Run the language server for editors (diagnostics, hover, completion, formatting...)."""
    try:
        from sladsl.lsp import main
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] in ("pygls", "lsprotocol"):
            raise UsageProblem("the language server needs pygls: install the `lsp` extra "
                               "(pip install -e '.[lsp]' in the clone)") from error
        raise
    main()


COMMANDS = (lsp_command,)
