"""A per-user cache of derived data, so a short command does not redo slow, fixed work.

Three things are kept, each under a name that hashes everything it was derived from:
- the LALR parser tables Lark builds from `grammar/sladsl.lark` (`parser_cache_path`): Lark stores
  and verifies them itself (its `cache=` option hashes the grammar, the options, the Lark and the
  Python versions), and rebuilds when the file is missing, stale or damaged;
- frozen holiday sets from the `holidays` library (`load_holidays` / `store_holidays`), as JSON
  data keyed by the request and by the installed `holidays` distribution, so a warm `sladsl
  check` does not import `holidays` (its country table alone takes ~0.4 s);
- the text of `sladsl --help` as click renders it (`load_help` / `store_help`), keyed by the
  formatter width and the files it comes from (`sladsl/cli/__init__.py`, click's own), so a
  warm `--help` does not import click.

The directory is `$SLADSL_CACHE_DIR`, else `$XDG_CACHE_HOME/sladsl`, else `~/.cache/sladsl`;
`SLADSL_CACHE_DIR=off` turns caching off. The cache is an optimisation only: a directory that
cannot be created or written (a read-only home, a sandbox) and a damaged entry are ignored, the
work is done again, and the answers are the same.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from pathlib import Path

__all__ = ["cache_dir", "help_key", "holidays_key", "load_help", "load_holidays", "parser_cache_path",
           "store_help", "store_holidays"]

_FORMAT = 1  # bump when the layout of a cache entry changes
HolidayList = list[tuple[date, str]]
# Holiday sets already read or computed in this process (`sladsl build` of many contracts, the
# test suite): each is computed once, even with the directory cache off.
_HOLIDAYS: dict[str, tuple[HolidayList, str]] = {}


def cache_dir() -> Path | None:
    """The cache directory (created, private to the user), or None when caching is off or impossible."""
    configured = os.environ.get("SLADSL_CACHE_DIR")
    if configured is not None and configured.strip().lower() in ("", "off", "0", "none"):
        return None
    if configured:
        path = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(base) / "sladsl"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:24]


def parser_cache_path(grammar: str) -> str | None:
    """Where Lark keeps the parser built from `grammar` (one file per grammar text), or None."""
    directory = cache_dir()
    if directory is None or not os.access(directory, os.W_OK | os.R_OK):
        return None
    return str(directory / f"parser-{_digest(grammar)}.lark")


def _holidays_installation() -> str | None:
    """What identifies the installed `holidays` (version and files), found without importing it."""
    from importlib.util import find_spec

    try:
        spec = find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    origin = Path(spec.origin)
    try:
        stat = origin.stat()
        site = origin.parent.parent
        dists = sorted(name for name in os.listdir(site)
                       if name.startswith("holidays-") and name.endswith(".dist-info"))
    except OSError:
        return None
    return f"{origin}|{stat.st_mtime_ns}|{stat.st_size}|{','.join(dists)}"


def holidays_key(region: str, categories: tuple[str, ...], first: int, last: int) -> str | None:
    """The cache key of one holiday-set request, or None when there is no cache."""
    installation = _holidays_installation()
    if installation is None:
        return None
    return _digest(str(_FORMAT), installation, region, ",".join(categories), str(first), str(last))


def _holidays_path(key: str) -> Path | None:
    directory = cache_dir()
    return None if directory is None else directory / f"holidays-{key}.json"


def load_holidays(key: str | None) -> tuple[HolidayList, str] | None:
    """(dates with labels, `holidays` version) stored under `key`, or None (missing or damaged)."""
    if not key:
        return None
    if key in _HOLIDAYS:
        dates, version = _HOLIDAYS[key]
        return list(dates), version
    path = _holidays_path(key)
    if path is None:
        return None
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry["format"] != _FORMAT or entry["key"] != key:
            return None
        dates = [(date.fromisoformat(day), label) for day, label in entry["dates"]]
        version = entry["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(version, str) or not all(isinstance(label, str) for _, label in dates):
        return None
    _HOLIDAYS[key] = (list(dates), version)
    return dates, version


def store_holidays(key: str | None, dates: HolidayList, version: str) -> None:
    """Keep a computed holiday set (atomically: readers never see half a file); errors ignored."""
    if not key:
        return
    _HOLIDAYS[key] = (list(dates), version)
    path = _holidays_path(key)
    if path is None:
        return
    entry = {"format": _FORMAT, "key": key, "version": version,
             "dates": [(day.isoformat(), label) for day, label in dates]}
    _write_quietly(path, json.dumps(entry, ensure_ascii=False))


# -- `sladsl --help` ------------------------------------------------------------------------------

def _file_identity(path: str | None) -> str | None:
    if not path:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return f"{path}|{stat.st_mtime_ns}|{stat.st_size}"


def help_key(width: int) -> str | None:
    """The cache key of `sladsl --help` rendered `width` columns wide, or None: the command
    table and group help (`sladsl/cli/__init__.py`) and the installed click it is rendered with."""
    from importlib.util import find_spec

    try:
        spec = find_spec("click")
    except (ImportError, ValueError):
        return None
    table = _file_identity(str(Path(__file__).resolve().parent / "cli" / "__init__.py"))
    renderer = _file_identity(spec.origin if spec is not None else None)
    if table is None or renderer is None:
        return None
    return _digest(str(_FORMAT), str(width), table, renderer)


def _help_path(key: str) -> Path | None:
    directory = cache_dir()
    return None if directory is None else directory / f"help-{key}.txt"


def load_help(key: str | None) -> str | None:
    """The help text stored under `key` (its first line is the key), or None."""
    path = _help_path(key) if key else None
    if path is None:
        return None
    try:
        stored_key, _, text = path.read_text(encoding="utf-8").partition("\n")
    except (OSError, ValueError):
        return None
    return text if stored_key == key and text.startswith("Usage: ") else None


def store_help(key: str | None, text: str) -> None:
    """Keep the help text (atomically); errors ignored."""
    path = _help_path(key) if key else None
    if path is None:
        return
    _write_quietly(path, f"{key}\n{text}")


def _write_quietly(path, text: str) -> None:
    """Replace `path` with `text` atomically; a cache that cannot be written is simply not kept."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass
