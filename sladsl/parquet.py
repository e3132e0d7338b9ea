"""Parquet data files for `sladsl.data` (`pip install 'sladsl[parquet]'`, pyarrow).

Records are yielded as the CSV and JSON Lines readers yield them, {field: value}, so the same
validation follows; rows are record numbers counted from 1. Typed columns become the text the
other formats carry: a timestamp column with a time zone its ISO 8601 instant, one without a
zone its wall time (read with `--assume-zone`, as a CSV cell without an offset is), a date
column is an error (a day is not an instant), integers their digits.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

from sladsl.data import DataError, _did_you_mean, _missing_columns, _names, _show

__all__ = ["parquet_records"]

_BATCH = 65536


def _pyarrow_parquet(name: str):
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DataError(name, 0, None, "reading Parquet needs pyarrow: pip install 'sladsl[parquet]'",
                        "format") from None
    return pq


def parquet_records(path: Path, mapping: dict[str, str], fields: tuple[str, ...],
                    required: tuple[str, ...], name: str, alternatives: dict) -> Iterator:
    """(record number, {field: value}) of each row of a Parquet file."""
    pq = _pyarrow_parquet(name)
    try:
        handle = pq.ParquetFile(path)
    except (OSError, ValueError) as error:  # pyarrow.lib.ArrowInvalid is a ValueError
        raise DataError(name, 0, None, f"not a readable Parquet file: {_show(error, 200)}",
                        "format") from None
    header = list(handle.schema_arrow.names)
    for field, column in mapping.items():
        if column not in header:
            raise DataError(name, 0, None, f"`--map {field}={column}` names no column"
                            f"{_did_you_mean(column, header)}; the file has {_names(header)}",
                            "missing column")
    column_of = {f: mapping.get(f, f) for f in fields}
    present = {f: c for f, c in column_of.items() if c in header}
    missing = [f for f in required if f not in present
               and not any(a in present for a in alternatives.get(f, ()))]
    if missing:
        raise _missing_columns([column_of[m] for m in missing], header, name, 0, "column(s)")
    columns = sorted(set(present.values()))
    row = 0
    try:
        batches = handle.iter_batches(batch_size=_BATCH, columns=columns)
        for batch in batches:
            for record in batch.to_pylist():
                row += 1
                try:
                    yield row, {f: _cell(record[c], f) for f, c in present.items()
                                if record[c] is not None}
                except _BadCell as error:
                    yield row, DataError(name, row, error.field, error.message, "unparseable timestamp")
    except (OSError, ValueError) as error:
        raise DataError(name, row + 1, None, f"unreadable Parquet data: {_show(error, 200)}",
                        "format") from None


class _BadCell(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _cell(value: Any, field: str) -> Any:
    """A typed Parquet value as the text a CSV cell would hold."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        raise _BadCell(field, f"a date ({value.isoformat()}) is not an instant: store a timestamp")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return [_cell(v, field) for v in value]
    return value
