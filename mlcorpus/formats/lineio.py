"""Input and output shared by the plain-text formats (Moses, TSV, CSV, JSONL).

Inputs are decoded by :mod:`mlcorpus.textio` (the one decoder of every
reader): UTF-8 streams with flat memory, a bad byte is an error with its line
and byte offset, legacy Russian encodings are detected only when a file is not
UTF-8 at all, and ``--encoding`` overrides detection.
"""

from __future__ import annotations

import re
from collections.abc import Generator

from mlcorpus.textio import display_name, iter_lines, iter_text, open_binary

__all__ = [
    "display_name",
    "drop_surrogates",
    "drop_unwritable",
    "iter_lines",
    "one_line",
    "open_binary",
    "open_text",
]

# characters that end a line for some common tool (str.splitlines, editors)
_LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_SURROGATES = re.compile("[\ud800-\udfff]")
# what a line-based text file cannot hold: lone surrogates (not UTF-8) and NUL
# (every reader refuses NUL as the mark of a binary file)
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


def open_text(source: str) -> Generator[str, None, None]:
    """The lines of *source* with their endings (``newline=""`` semantics, as
    the csv module needs); ``close()`` releases the file early.  Raises
    :class:`InputError` for an empty file."""
    return iter_text(source)


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


def drop_unwritable(text: str) -> tuple[str, int]:
    """Remove what a TSV/CSV/Moses file cannot hold (lone surrogates, NUL);
    the writers count the removals in their report, which the CLI prints."""
    if _UNWRITABLE.search(text) is None:
        return text, 0
    return _UNWRITABLE.subn("", text)
