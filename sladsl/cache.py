"""A per-user cache of derived data, so a short command does not redo slow, fixed work.

Three things are kept, each under a name that hashes everything it was derived from:
- the parser Lark builds from `grammar/sladsl.lark` (`load_parser` / `store_parser`), pickled whole
  as Lark built it, keyed by the grammar, the build options, the Lark installation and the Python
  version; loading it skips Lark's own rebuilding of the parser from its serialized tables (most of
  a short command's parser cost). tests/test_parser_cache.py compares it with a fresh Lark build;
- frozen holiday sets from the `holidays` library (`load_holidays` / `store_holidays`), as JSON
  data keyed by the request and by the installed `holidays` distribution, so a warm `sladsl
  check` does not import `holidays` (its country table alone takes ~0.4 s);
- the text of `sladsl --help` as click renders it (`load_help` / `store_help`), keyed by the
  formatter width and the files it comes from (`sladsl/cli/__init__.py` and `app.py`, click's), so a
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

__all__ = ["cache_dir", "help_key", "holidays_key", "load_help", "load_holidays", "load_parser",
           "parser_cache_path", "store_help", "store_holidays", "store_parser"]

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


def parser_cache_path(grammar: str, options: str = "") -> str | None:
    """Where the parser built from `grammar` with `options` is kept (one file per grammar text and
    Lark installation), or None without a usable cache directory."""
    directory = cache_dir()
    if directory is None or not os.access(directory, os.W_OK | os.R_OK):
        return None
    return str(directory / f"parser-{_parser_key(grammar, options)}.pickle")


def _parser_key(grammar: str, options: str) -> str:
    """The grammar, the options, the pickle layout, and the Lark and Python that built the parser
    (a pickle holds Lark's objects as they are: another Lark must not read them)."""
    import sys

    import lark

    installed = Path(lark.__file__).parent
    files = [_file_identity(str(installed / name)) or name for name in ("__init__.py", "lark.py", "lexer.py")]
    return _digest(str(_FORMAT), grammar, options, lark.__version__, *files, sys.version)


# The objects of these packages' modules (other than classes and functions, which pickle by
# name anyway) are stored by name and not copied: Lark tells parser actions apart by identity
# (`action is Shift`), and the lexer refers to the `re` module.
_BY_NAME = ("lark", "re", "regex")


def _by_name(package: str) -> bool:
    return any(package == root or package.startswith(root + ".") for root in _BY_NAME)


def store_parser(grammar: str, options: str, parser: object) -> None:
    """Keep a freshly built parser (before anything patches it); errors ignored.

    Its `grammar` (the grammar's rule definitions, which the parser does not use once built) is
    left out, as when Lark loads a parser from its own serialized form."""
    import copy
    import importlib
    import io
    import pickle
    import sys
    import types

    path = parser_cache_path(grammar, options)
    if path is None:
        return
    named: dict[int, tuple[types.ModuleType, str]] = {}
    for module_name, module in list(sys.modules.items()):
        if module is None or not _by_name(module_name):
            continue
        for attribute, value in vars(module).items():
            if not isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType, types.ModuleType,
                                      str, bytes, int, float, tuple, frozenset, type(None))):
                named.setdefault(id(value), (module, attribute))

    class Pickler(pickle.Pickler):
        # Written once each, then referred to through the pickle's memo (fast to load).
        def reducer_override(self, obj: object) -> object:
            if isinstance(obj, types.ModuleType) and _by_name(obj.__name__):
                return importlib.import_module, (obj.__name__,)
            found = named.get(id(obj))
            if found is not None:
                return getattr, found
            return NotImplemented

    kept = copy.copy(parser)
    vars(kept).pop("grammar", None)
    buffer = io.BytesIO()
    buffer.write(f"{_parser_key(grammar, options)}\n".encode("ascii"))
    try:
        Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(kept)
    except Exception:  # noqa: BLE001 - a parser that does not pickle is simply not kept
        return
    _write_quietly(Path(path), buffer.getvalue())


def load_parser(grammar: str, options: str, expected: type) -> object | None:
    """The parser kept for `grammar` and `options` (an `expected` instance), or None when it is
    missing, stale or damaged."""
    import pickle

    path = parser_cache_path(grammar, options)
    if path is None or not _only_mine(path):
        return None
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    key, _, body = data.partition(b"\n")
    if key != _parser_key(grammar, options).encode("ascii"):
        return None
    try:
        found = pickle.loads(body)
    except Exception:  # noqa: BLE001 - a damaged file (any way pickle may fail) is rebuilt
        return None
    return found if isinstance(found, expected) else None


def _only_mine(path: str) -> bool:
    """Whether only this user could have written `path` (a regular file, not a link) and its
    directory. Loading a pickle runs code: a `SLADSL_CACHE_DIR` that others can write to must not
    become a way to run theirs, so such a file is ignored and the parser built afresh."""
    if not hasattr(os, "getuid"):  # Windows: the user's profile directory is private already
        return True
    import stat

    try:
        found, directory = os.lstat(path), os.stat(os.path.dirname(path))
    except OSError:
        return False
    uid = os.getuid()
    return (stat.S_ISREG(found.st_mode)
            and all(s.st_uid == uid and not s.st_mode & 0o022 for s in (found, directory)))


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
    table (`sladsl/cli/__init__.py`), the group and its help (`sladsl/cli/app.py`) and the
    installed click it is rendered with."""
    from importlib.util import find_spec

    try:
        spec = find_spec("click")
    except (ImportError, ValueError):
        return None
    package = Path(__file__).resolve().parent / "cli"
    table, group = (_file_identity(str(package / name)) for name in ("__init__.py", "app.py"))
    renderer = _file_identity(spec.origin if spec is not None else None)
    if table is None or group is None or renderer is None:
        return None
    return _digest(str(_FORMAT), str(width), table, group, renderer)


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


def _write_quietly(path, content: str | bytes) -> None:
    """Replace `path` with `content` atomically; a cache that cannot be written is simply not kept."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        if isinstance(content, str):
            temporary.write_text(content, encoding="utf-8")
        else:
            temporary.write_bytes(content)
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass
