"""The `sladsl` console script (and `python -m sladsl`).

`sladsl --version` is answered here, without importing click or the compiler, so it costs little
more than starting Python, and so is `sladsl --help` once click has rendered it at this width
(`sladsl/cache.py` keeps the text); `sladsl check FILE...` goes to the click-free front door
`sladsl.cli.quick` (which leaves any form it does not know to click); everything else goes to
the click application in `sladsl.cli.app`, which imports each command's module only when that
command runs.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from sladsl import __version__

        print(f"sladsl, version {__version__}")  # exactly what click's version_option prints
        sys.exit(0)
    if sys.argv[1:] in (["--help"], ["-h"]) and os.path.basename(sys.argv[0]) == "sladsl":
        _help()
    if sys.argv[1:2] == ["check"]:
        from sladsl.cli import quick

        quick.main(sys.argv[2:])  # exits, unless the arguments are for click to read
    from sladsl.cli.app import main as cli_main

    cli_main()


def _help() -> None:
    """`sladsl --help`: click's own text, from the user cache when it was rendered before at this
    width with this click and command table (`sladsl/cache.py`), so click is not imported."""
    from sladsl import cache

    key = cache.help_key(_help_width())
    text = cache.load_help(key)
    if text is None:
        from sladsl.cli.app import help_text

        text = help_text()
        cache.store_help(key, text)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.exit(1)
    sys.exit(0)


def _help_width() -> int:
    """The width click's HelpFormatter uses: the terminal's columns (as `shutil.get_terminal_size`
    finds them: $COLUMNS, else the terminal, else 80), at most 80, minus 2, at least 50."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return max(min(columns, 80) - 2, 50)


if __name__ == "__main__":
    main()
