"""Raw data values -> the contract's names and instants: `eval --map-values`, `--map-file`,
`--ignore-case`, `--default-priority`, `--time-format` (issue 14.8).

A layer between reading a record and validating it: each ticket record (a dict of raw cells,
whichever reader produced it: the CSV row reader, the columnar reader, JSON Lines, Parquet) goes
through `Normalizer.row` before `sladsl.data` checks its names, and timestamps go through
`parse_formatted` before the ISO 8601 reader. Every reader path therefore applies the same
transforms, and the validation after them is unchanged: a value no transform turns into a
contract name is still an error naming the row and field.

Order, per name field (`priority`, `plan`, `channel`, each add-on): the value map (`--map-values`
and `--map-file`; keys compared exactly, or case-insensitively with `--ignore-case`), then, with
`--ignore-case`, the contract's name spelled in another case. Then a blank priority takes the
channel's default priority, else `--default-priority`.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone, tzinfo
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from sladsl.data import _NoOffset

__all__ = ["MAPPED_FIELDS", "Normalizer", "parse_value_maps", "read_map_file", "parse_formatted",
           "check_time_formats"]

MAPPED_FIELDS = ("priority", "plan", "channel", "addons")
_WHAT = {"priority": "priority", "plan": "plan", "channel": "channel", "addons": "add-on"}


class OptionError(ValueError):
    """A bad option value; the CLI turns it into a usage error (exit 2)."""


def _choices(names, field: str) -> tuple[str, ...]:
    return {"priority": names.priorities, "plan": names.plans, "channel": names.channels,
            "addons": names.addons}[field]


def _listed(choices) -> str:
    return ", ".join(f"`{c}`" for c in choices) if choices else "none"


def _hint(value: str, choices) -> str:
    close = get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def parse_value_maps(items) -> dict[str, dict[str, str]]:
    """`["priority=high:High,urgent:Critical", "plan=std:Standard"]` -> {field: {raw: name}}.

    A `FIELD=` starts a field's pairs; the pairs after it, comma-separated, are `RAW:NAME`.
    """
    maps: dict[str, dict[str, str]] = {}
    for item in items:
        field = None
        for part in item.split(","):
            if not part.strip():
                continue
            head, eq, rest = part.partition("=")
            if eq and ":" not in head:
                field = head.strip()
                if field not in MAPPED_FIELDS:
                    raise OptionError(f"unknown field `{field}`{_hint(field, MAPPED_FIELDS)}; "
                                      "values can be mapped for " + _listed(MAPPED_FIELDS))
                part = rest
            if field is None:
                raise OptionError(f"`{part.strip()}`: start with the field, e.g. "
                                  "`priority=high:High,urgent:Critical`")
            raw, colon, name = part.partition(":")
            raw, name = raw.strip(), name.strip()
            if not colon or not raw or not name:
                raise OptionError(f"`{part.strip()}` in `{field}=...`: write RAW:NAME pairs, e.g. "
                                  "`high:High` (values holding `,` or `:` go in a --map-file)")
            _add(maps, field, raw, name, "--map-values")
    return maps


def read_map_file(path: Path) -> dict[str, dict[str, str]]:
    """A JSON mapping file: `{"priority": {"urgent": "Urgent"}, "plan": {"std": "Standard"}}`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OptionError(f"no such file: `{path}`") from None
    except (OSError, UnicodeDecodeError) as error:
        raise OptionError(f"cannot read `{path}`: {getattr(error, 'strerror', None) or error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise OptionError(f"`{path}` line {error.lineno} column {error.colno}: invalid JSON: "
                          f"{error.msg}") from None
    if not isinstance(data, dict):
        raise OptionError(f"`{path}`: expected a JSON object of fields, e.g. "
                          '{"priority": {"urgent": "Urgent"}}')
    maps: dict[str, dict[str, str]] = {}
    for field, pairs in data.items():
        if field not in MAPPED_FIELDS:
            raise OptionError(f"`{path}`: unknown field `{field}`{_hint(field, MAPPED_FIELDS)}; "
                              "values can be mapped for " + _listed(MAPPED_FIELDS))
        if not isinstance(pairs, dict):
            raise OptionError(f"`{path}`: `{field}` must map raw values to names, e.g. "
                              '{"urgent": "Urgent"}')
        for raw, name in pairs.items():
            if not isinstance(name, str) or not name.strip() or not raw.strip():
                raise OptionError(f"`{path}`: `{field}`: `{raw}` must map to a non-empty name")
            _add(maps, field, raw.strip(), name.strip(), f"`{path}`")
    return maps


def _add(maps: dict, field: str, raw: str, name: str, where: str) -> None:
    known = maps.setdefault(field, {})
    if known.get(raw, name) != name:
        raise OptionError(f"{where}: `{field}` value `{raw}` is mapped twice (`{known[raw]}` and "
                          f"`{name}`)")
    known[raw] = name


def check_time_formats(formats) -> tuple[str, ...]:
    """The `--time-format` values, each a strptime format with at least a date."""
    out = []
    for fmt in formats:
        if "%" not in fmt:
            raise OptionError(f"`{fmt}` has no strptime directive: write e.g. `%d/%m/%Y %H:%M`")
        try:
            datetime.strptime(datetime(2026, 5, 4, 9, 30, tzinfo=timezone.utc).strftime(fmt), fmt)
        except ValueError as error:
            raise OptionError(f"`{fmt}` is not a usable strptime format: {error}") from None
        out.append(fmt)
    return tuple(out)


def parse_formatted(text: str, formats: tuple[str, ...], zone: tzinfo | None) -> int | None:
    """Epoch seconds of `text` read with the first of `formats` that matches (truncated to the
    whole second: brief decision 1), or None when none matches. A format without `%z` gives a
    wall time, read in `zone` by the runtime's rule for wall times; no zone is a ValueError."""
    for fmt in formats:
        try:
            value = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if value.tzinfo is not None:
            return int(value.timestamp() // 1)
        if zone is None:
            raise _NoOffset(f"timestamp `{text}` (read with --time-format `{fmt}`) has no "
                                  "offset: add `%z` to the format or pass `--assume-zone ZONE`")
        from sladsl.runtime.zones import wall_to_epoch

        return wall_to_epoch(zone, value.replace(microsecond=0))
    return None


class Normalizer:
    """The transforms of one run, checked against the contract's names (`sladsl.data.Names`)."""

    def __init__(self, names, value_maps: dict[str, dict[str, str]] | None = None, *,
                 ignore_case: bool = False, default_priority: str | None = None,
                 time_formats: tuple[str, ...] = ()) -> None:
        self.names = names
        self.ignore_case = ignore_case
        self.time_formats = tuple(time_formats)
        self.maps: dict[str, dict[str, str]] = {}
        self.folded: dict[str, dict[str, str]] = {}
        for field in MAPPED_FIELDS:
            choices = _choices(names, field)
            if ignore_case:
                self.folded[field] = _fold(choices, field)
            pairs = dict((value_maps or {}).get(field, {}))
            for raw, name in pairs.items():
                if name not in choices:
                    folded = self.folded.get(field, {}).get(name.casefold())
                    if folded is None:
                        raise OptionError(f"`{field}` value `{raw}` maps to `{name}`, which is not "
                                          f"a {_WHAT[field]} of the contract{_hint(name, choices)}; "
                                          f"it has {_listed(choices)}")
                    pairs[raw] = folded
            if ignore_case:
                pairs = {**{raw.casefold(): name for raw, name in pairs.items()}, **pairs}
            if pairs:
                self.maps[field] = pairs
        if default_priority is not None and default_priority not in names.priorities:
            raise OptionError(f"--default-priority: unknown priority `{default_priority}`"
                              f"{_hint(default_priority, names.priorities)}; the contract has "
                              f"{_listed(names.priorities)}")
        self.default_priority = default_priority

    @property
    def renames(self) -> bool:
        """Whether any name transform applies (else rows pass through untouched)."""
        return bool(self.maps or self.ignore_case or self.default_priority)

    def name(self, field: str, value: Any) -> Any:
        """One raw name cell -> the contract's name where a transform says so, else unchanged."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        if not text:
            return value
        pairs = self.maps.get(field)
        if pairs:
            found = pairs.get(text)
            if found is None and self.ignore_case:
                found = pairs.get(text.casefold())
            if found is not None:
                return found
        if self.ignore_case:
            return self.folded[field].get(text.casefold(), value)
        return value

    def row(self, values: dict) -> dict:
        """A record's raw values with the name transforms and the default priority applied."""
        if not self.renames:
            return values
        out = dict(values)
        for field in ("priority", "plan", "channel"):
            if field in out:
                out[field] = self.name(field, out[field])
        addons = out.get("addons")
        if isinstance(addons, str) and addons.strip():
            out["addons"] = ";".join(self.name("addons", a) for a in addons.split(";"))
        elif isinstance(addons, list):
            out["addons"] = [self.name("addons", a) for a in addons]
        if self.default_priority is not None and _blank(out.get("priority")):
            channel = out.get("channel")
            if not (isinstance(channel, str) and self.names.channel_defaults.get(channel.strip())):
                out["priority"] = self.default_priority
        return out

    def cells(self, cells: tuple) -> tuple:
        """The raw (priority, plan, addons, channel) cells of the columnar reader, transformed."""
        priority, plan, addons, channel = cells
        values = self.row({"priority": priority, "plan": plan, "addons": addons, "channel": channel})
        return values["priority"], values["plan"], values["addons"], values["channel"]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fold(choices, field: str) -> dict[str, str]:
    """casefold -> name; two names equal but for case make `--ignore-case` ambiguous."""
    out: dict[str, str] = {}
    for name in choices:
        other = out.setdefault(name.casefold(), name)
        if other != name:
            raise OptionError(f"--ignore-case: the contract has the {_WHAT[field]} names `{other}` "
                              f"and `{name}`, equal but for case")
    return out
