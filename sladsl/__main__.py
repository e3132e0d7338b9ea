"""The `sladsl` console script (and `python -m sladsl`).

`sladsl --version` is answered here, without importing click or the compiler, so it costs little
more than starting Python; everything else goes to the click application in `sladsl.cli`, which
imports each command's module only when that command runs.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from sladsl import __version__

        print(f"sladsl, version {__version__}")  # exactly what click's version_option prints
        sys.exit(0)
    from sladsl.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
