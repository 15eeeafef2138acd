"""Input and output shared by the plain-text formats (Moses, TSV, CSV, JSONL).

Inputs are streamed as UTF-8 (BOM allowed).  Files in a legacy Russian
encoding (cp1251, koi8-r) are still accepted: when the first block is not
UTF-8 the whole file goes through :func:`mlcorpus.textio.decode_bytes`, which
detects them; such files are small in practice.
"""

from __future__ import annotations

import codecs
import io
import re
import sys
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from mlcorpus.errors import InputError
from mlcorpus.textio import decode_bytes, existing_file

_SNIFF = 1 << 16
# characters that end a line for some common tool (str.splitlines, editors)
_LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_SURROGATES = re.compile("[\ud800-\udfff]")


def display_name(source: str) -> str:
    return "<stdin>" if source == "-" else source


def open_binary(source: str) -> BinaryIO:
    """Open a path (or ``-`` for stdin) for reading bytes, with one-line errors."""
    if source == "-":
        return sys.stdin.buffer
    try:
        return existing_file(source).open("rb")
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None


def _close(fh: BinaryIO) -> None:
    if fh is not sys.stdin.buffer:
        fh.close()


def open_text(source: str) -> TextIO:
    """A text stream over *source* with ``newline=""`` semantics (line endings
    kept, as the csv module needs).  Raises :class:`InputError` for an empty file."""
    name = display_name(source)
    fh = open_binary(source)
    head = fh.read(_SNIFF)
    if not head:
        _close(fh)
        raise InputError(f"{name}: file is empty")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        data = head + fh.read()
        _close(fh)
        return io.StringIO(decode_bytes(data, name), newline="")
    if fh is sys.stdin.buffer or not fh.seekable():
        data = head + fh.read()
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    fh.seek(0)
    return io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")


def iter_lines(source: str) -> Iterator[str]:
    """Yield the lines of *source* without their line endings."""
    name = display_name(source)
    stream = open_text(source)
    number = 0
    try:
        for number, line in enumerate(stream, 1):  # noqa: B007 - used in the error
            yield line.rstrip("\r\n")
    except UnicodeDecodeError:
        raise InputError(f"{name}, line {number + 1}: not valid UTF-8") from None
    finally:
        stream.close()


def one_line(text: str) -> tuple[str, bool]:
    """*text* with tabs and line breaks replaced by one space each run, so a
    segment always stays one line and one field; and whether it changed."""
    if _LINE_BREAKS.search(text) is None:
        return text, False
    return _LINE_BREAKS.sub(" ", text), True


def drop_surrogates(text: str) -> tuple[str, int]:
    """Remove lone surrogates, which cannot be written as UTF-8."""
    if _SURROGATES.search(text) is None:
        return text, 0
    return _SURROGATES.subn("", text)
