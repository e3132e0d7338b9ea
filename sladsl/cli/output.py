"""What every command prints through, without importing click: `echo` and `UsageProblem`.

`sladsl check FILE` runs without click (`sladsl.cli.quick`), so what it shares with the click
commands is click-free: `echo` writes exactly what `click.echo` writes (it hands over to
`click.echo` whenever click would do more than write the line and flush: a stream click would
re-encode, ANSI codes to strip, Windows consoles), and `UsageProblem` is a plain exception that
the click application turns into a `click.ClickException` (`sladsl.cli.app.CommandProblem`).
"""

from __future__ import annotations

import codecs
import io
import sys


def echo(text: str, *, err: bool = False) -> None:
    """`click.echo(text, err=err)` for a str: the line, then a flush."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no stream attached (pythonw): click prints nothing either
        return
    if not _plain_text_stream(stream) or "\x1b" in text:
        import click

        click.echo(text, err=err)
        return
    stream.write(text + "\n")
    stream.flush()


def _plain_text_stream(stream: object) -> bool:
    """A text stream click writes to as it is: not a Windows console, with an encoding and an
    error handler, and not ASCII (click re-wraps an ASCII stream as UTF-8 with `replace`)."""
    if sys.platform == "win32" or not isinstance(stream, io.TextIOBase):
        return False
    encoding, errors = getattr(stream, "encoding", None), getattr(stream, "errors", None)
    if not encoding or not errors:
        return False
    try:
        return codecs.lookup(encoding).name != "ascii"
    except LookupError:
        return False


class UsageProblem(Exception):
    """A usage or I/O problem: exit code 2, one line on stderr."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def show(self) -> None:
        from sladsl.diagnostics import printable

        echo(f"sladsl: {printable(self.message)}", err=True)  # paths are untrusted
