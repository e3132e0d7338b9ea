"""CSV at scale through Apache Arrow (pyarrow, the `fast` extra): a layer under `sladsl.data`
and the `eval` writer, used when pyarrow is installed, with the same bytes and the same errors
as the plain Python path it stands in for.

- Reading: `blocks` cuts a ticket file into blocks of whole lines and parses each with
  `pyarrow.csv` (every cell a string, nothing inferred) into columns. A block is returned only
  when the parse is provably what `csv.reader` (excel dialect) gives line by line: no NUL, no
  lone CR, valid UTF-8, every line one record of the header's width (so the record of block row
  `k` starts on line `first + k`). Any other block is handed back as bytes for the plain path,
  which reads it (and words its errors) exactly as before.
- Writing: `instant_texts` lays ISO 8601 texts out as Arrow strings straight from the NumPy
  digits; `join` builds CSV lines a column at a time; `write` puts an array of lines on a text
  stream without a Python string per line.

Nothing here judges a ticket: it only moves text in and out of columns.
"""

from __future__ import annotations

import os
import re
from typing import Iterator

from sladsl.data import NONE, format_instant, instant_formatter

__all__ = ["load", "Arrow", "write_utf8"]

# A line of cells each either quoted whole (quotes doubled inside) or holding no quote, and an
# optional CR before its LF. Possessive: no backtracking on a long line.
_PLAIN_LINE = re.compile(rb'(?:"(?:[^"]|"")*+"|[^",]*+)(?:,(?:"(?:[^"]|"")*+"|[^",]*+))*+\r?')
MAX_LINE = 1 << 20  # a longer line goes to the plain path (sladsl.data._MAX_CELL, in bytes)
READ_BLOCK = 1 << 22  # bytes parsed at a time: enough for Arrow's threads, little memory


def load() -> "Arrow | None":
    """The Arrow helpers, or None when pyarrow (or NumPy) is not installed."""
    try:
        import numpy
        import pyarrow
        import pyarrow.compute
        import pyarrow.csv
    except ImportError:
        return None
    return Arrow(pyarrow, pyarrow.compute, pyarrow.csv, numpy)


def _utf8_bytes_pass(handle) -> bool:
    """Whether UTF-8 bytes written to `handle.buffer` are what `handle.write` would write: a
    UTF-8 text stream that translates no line end (`\n` stays `\n` on POSIX, and the atomic
    output file is opened with `newline=""`)."""
    encoding = (getattr(handle, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding == "utf8" and hasattr(handle, "buffer") and os.linesep == "\n"


def write_utf8(handle, text: bytes | memoryview) -> None:
    """Write UTF-8 encoded text on the text stream `handle`: the bytes as they are, behind the
    text layer, when that is what writing the text would give; else one decode of them all."""
    if _utf8_bytes_pass(handle):
        handle.flush()
        handle.buffer.write(text)
    else:
        handle.write(bytes(text).decode("utf-8"))


class Arrow:
    """pyarrow and NumPy, and what sladsl does with them."""

    def __init__(self, pa, pc, pcsv, np) -> None:
        self.pa, self.pc, self.pcsv, self.np = pa, pc, pcsv, np
        self.string = pa.string()

    # -- writing ---------------------------------------------------------------------------------

    def strings(self, matrix):
        """An Arrow string array of the rows of an (n, width) uint8 array of ASCII text."""
        np = self.np
        n, width = matrix.shape
        offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
        return self.pa.StringArray.from_buffers(
            n, self.pa.py_buffer(offsets), self.pa.py_buffer(np.ascontiguousarray(matrix)))

    def instant_texts(self, micros, zone, *, seconds: bool = False):
        """`format_instant(m, zone)` of each of an int64 array of UTC microseconds (`NONE`:
        absent, an empty cell), or of epoch seconds with `seconds`, as an Arrow string array."""
        np = self.np
        if seconds:
            whole, missing, fraction = micros, None, ()
        else:
            missing = micros == NONE
            whole = micros // 1_000_000
            present = whole[~missing]
            # a stand-in inside the span of the others: the date table covers only that span
            whole[missing] = present[0] if len(present) else 0
            fraction = np.flatnonzero((micros % 1_000_000 != 0) & ~missing).tolist()
        formatter = instant_formatter(zone).__self__
        matrix, odd = formatter.matrix(np, whole)
        texts = self.strings(matrix)
        if odd or fraction:  # rare: a text the digit table does not lay out
            values = texts.to_pylist()
            for k in odd:
                values[k] = formatter.format(int(whole[k]))
            for k in fraction:
                values[k] = format_instant(int(micros[k]), zone)
            texts = self.pa.array(values, self.string)
        if missing is not None and missing.any():
            texts = self.pc.if_else(self.pa.array(missing), "", texts)
        return texts

    def cells(self, values):
        """CSV cells of a string array, quoted as `csv.writer` (excel dialect, `\\n` line ends)
        quotes: when the text holds a comma, a quote or a line feed, quotes doubled."""
        pc = self.pc
        needs = pc.match_substring_regex(values, '[,"\n]')
        if not pc.any(needs).as_py():
            return values
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(values, '"', '""'), '"', "")
        return pc.if_else(needs, quoted, values)

    def numbers(self, values):
        """Decimal texts of a list of ints (None: null, written as an empty cell)."""
        return self.pa.array(values, self.pa.int64()).cast(self.string)

    def join(self, parts, separator: str = ","):
        """Element-wise `separator.join` of string arrays and str constants; a null is empty."""
        return self.pc.binary_join_element_wise(*parts, separator, null_handling="replace",
                                                null_replacement="")

    def write(self, handle, lines, keys=None) -> None:
        """Write the concatenated strings of `lines` (a list of string arrays), in the order of
        `keys` (one int per line, stable) when given, on the text stream `handle`."""
        np = self.np
        lines = self.pa.concat_arrays(lines) if len(lines) != 1 else lines[0]
        if keys is not None:
            lines = lines.take(self.pa.array(np.argsort(keys, kind="stable")))
        if not len(lines):
            return
        offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset:]
        write_utf8(handle, memoryview(lines.buffers()[2])[offsets[0]:offsets[len(lines)]])

    # -- reading ---------------------------------------------------------------------------------

    def blocks(self, handle, width: int, first_line: int,
               block_size: int | None = None) -> Iterator[tuple[int, int, object, int]]:
        """(first line, line count, columns or bytes, byte offset of its end) of each block of whole lines of a binary
        stream positioned after the header: columns (a list of `width` Arrow string arrays in
        header order) when Arrow's parse equals the csv module's (see the module docstring), else the
        block's bytes. The last block may end without a line end."""
        block_size = block_size or READ_BLOCK
        line = first_line
        offset = handle.tell()
        carry = b""
        while True:
            piece = handle.read(block_size)
            text = carry + piece
            if not text:
                return
            cut = text.rfind(b"\n") if piece else len(text) - 1
            if cut < 0:
                carry = text
                continue
            block, carry = text[:cut + 1], text[cut + 1:]
            count = block.count(b"\n") + (not block.endswith(b"\n"))
            offset += len(block)
            yield line, count, self._parse(block, width, count), offset
            line += count

    def _longest_line(self, block: bytes) -> int:
        np = self.np
        ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10)
        return int(np.diff(np.concatenate(([-1], ends, [len(block)]))).max())

    def _quotes_paired(self, raw) -> bool:
        """A sufficient test for `_quotes_plain`, vectorised (a file that quotes every cell):
        the quotes pair up in order, each pair opening a cell (after a comma or a line end)
        and closing it (before a comma, a CR or a line end) with no line end inside. Then every
        quoted cell is `"..."` with no quote inside, and no other cell holds a quote."""
        np = self.np
        quotes = np.flatnonzero(raw == 34)
        if len(quotes) % 2:
            return False
        opens, closes = quotes[0::2], quotes[1::2]
        before = raw[np.maximum(opens - 1, 0)]
        after = raw[np.minimum(closes + 1, len(raw) - 1)]
        if not ((((before == 44) | (before == 10)) | (opens == 0)).all()
                and (((after == 44) | (after == 10) | (after == 13))
                     | (closes == len(raw) - 1)).all()):
            return False
        ends = np.flatnonzero(raw == 10)
        return bool((np.searchsorted(ends, opens) == np.searchsorted(ends, closes)).all())

    def _quotes_plain(self, block: bytes) -> bool:
        """Whether every line of the block holding a quote is a line of plainly quoted cells
        (`_PLAIN_LINE`): then each such line is one record, closed on its own line, and Arrow
        and the csv module unquote it alike. Only the lines with a quote are looked at."""
        np = self.np
        raw = np.frombuffer(block, dtype=np.uint8)
        if self._quotes_paired(raw):
            return True
        ends = np.flatnonzero(raw == 10)
        lines = np.unique(np.searchsorted(ends, np.flatnonzero(raw == 34)))
        starts = np.concatenate(([0], ends + 1))[lines].tolist()
        stops = np.concatenate((ends, [len(block)]))[lines].tolist()
        match = _PLAIN_LINE.fullmatch
        return all(match(block, a, b) for a, b in zip(starts, stops))

    def _parse(self, block: bytes, width: int, count: int):
        """Columns of a block of `count` lines, or the block when Arrow cannot vouch for it."""
        names = [f"c{k}" for k in range(width)]  # positions: a header may repeat a name
        if b"\0" in block or block.count(b"\r") != block.count(b"\r\n"):
            return block  # csv.reader rejects NUL; a lone CR ends a line for it
        if block.startswith(b"\xef\xbb\xbf"):
            return block  # Arrow drops a byte order mark at the start; csv keeps it in the cell
        if len(block) > MAX_LINE and self._longest_line(block) > MAX_LINE:
            return block  # the csv module's field size limit words this one
        if b'"' in block and not self._quotes_plain(block):
            return block
        pcsv = self.pcsv
        try:
            table = pcsv.read_csv(
                self.pa.py_buffer(block),
                # One parse block: one chunk per column, nothing to combine after
                read_options=pcsv.ReadOptions(column_names=names, use_threads=True),
                parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
                convert_options=pcsv.ConvertOptions(
                    column_types={n: self.string for n in names}, strings_can_be_null=False,
                    quoted_strings_can_be_null=False, null_values=[], true_values=[],
                    false_values=[]))
        except (self.pa.ArrowInvalid, self.pa.ArrowTypeError, UnicodeDecodeError):
            return block  # a row of another width, bad UTF-8: the plain path words it
        if table.num_rows != count:
            return block  # a blank line (skipped), or a quoted line end: rows are not lines
        return [table.column(k).combine_chunks() if table.column(k).num_chunks != 1
                else table.column(k).chunk(0) for k in range(width)]
