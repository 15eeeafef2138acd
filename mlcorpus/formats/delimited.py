"""TSV and CSV: one pair per row, for spreadsheets, pandas and quick scripts.

Both start with a header row: the two language codes, then one column per
meta key.  Writers stream, so the meta columns are the keys of the first
unit (or ``header["columns"]``); keys that later units add are not written
and are counted in the report.  Empty meta cells are read back as absent.

TSV has no quoting: tabs and line breaks inside a segment become spaces
(counted).  CSV follows RFC 4180 (quoted fields, CRLF row ends), so any text
survives.  Readers accept files with or without a header row: a first row
whose first two cells are language codes (``en``, ``ru-RU``) or
``source``/``target`` is a header.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from itertools import chain

from mlcorpus.errors import InputError
from mlcorpus.formats.base import (
    ReadStats,
    TranslationUnit,
    WriteReport,
    meta_text,
    primary_subtag,
)
from mlcorpus.formats.lineio import (
    display_name,
    drop_unwritable,
    iter_lines,
    one_line,
    open_text,
)
from mlcorpus.textio import csv_text, csv_writer, open_output

_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_GENERIC_HEADERS = {("source", "target"), ("src", "tgt"), ("src", "trg")}
DEFAULT_LANGS = ("en", "ru")


def _cell(value: object, report: WriteReport, *, flatten: bool) -> tuple[str, bool]:
    text, removed = drop_unwritable(meta_text(value))
    report.illegal_chars_removed += removed
    return one_line(text) if flatten else (text, False)


def _rows(
    units: Iterable[TranslationUnit],
    *,
    src_lang: str,
    tgt_lang: str,
    header: dict | None,
    report: WriteReport,
    flatten: bool,
) -> Iterator[list[str]]:
    """The header row, then one row per unit, counting what had to change."""
    stream = iter(units)
    first = next(stream, None)
    if header and "columns" in header:
        columns = [str(c) for c in header["columns"]]
    else:
        columns = list(first.meta) if first is not None else []
    report.meta_columns = columns
    known = set(columns)
    yield [one_line(name)[0] for name in (src_lang, tgt_lang, *columns)]
    if first is None:
        return
    for unit in chain([first], stream):
        row, changed = [], False
        for value in (unit.src, unit.tgt, *(unit.meta.get(c, "") for c in columns)):
            text, flat = _cell(value, report, flatten=flatten)
            row.append(text)
            changed = changed or flat
        report.line_breaks_replaced += changed
        report.meta_not_written += any(k not in known for k in unit.meta)
        report.written += 1
        yield row


def write_tsv(
    units: Iterable[TranslationUnit],
    path: str | None,
    *,
    src_lang: str,
    tgt_lang: str,
    header: dict | None,
    report: WriteReport,
) -> None:
    """Stream *units* as tab-separated values with a header row."""
    with open_output(path) as out:
        batch: list[str] = []
        for row in _rows(
            units, src_lang=src_lang, tgt_lang=tgt_lang, header=header, report=report, flatten=True
        ):
            batch.append("\t".join(row) + "\n")
            if len(batch) >= 2000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))


def write_csv(
    units: Iterable[TranslationUnit],
    path: str | None,
    *,
    src_lang: str,
    tgt_lang: str,
    header: dict | None,
    report: WriteReport,
) -> None:
    """Stream *units* as RFC 4180 CSV with a header row."""
    with open_output(path) as out:
        writer = csv_writer(out, lineterminator="\r\n")
        writer.writerows(
            _rows(
                units,
                src_lang=src_lang,
                tgt_lang=tgt_lang,
                header=header,
                report=report,
                flatten=False,
            )
        )


def _is_header(cells: list[str]) -> bool:
    first_two = (cells[0].strip(), cells[1].strip())
    if tuple(c.lower() for c in first_two) in _GENERIC_HEADERS:
        return True
    return all(_LANG_TAG.match(c) for c in first_two)


def _units(
    rows: Iterator[tuple[int, list[str]]],
    name: str,
    src_lang: str | None,
    tgt_lang: str | None,
    stats: ReadStats,
) -> Iterator[TranslationUnit]:
    """Turn numbered rows into units; shared by the TSV and CSV readers."""
    columns: list[str] | None = None
    langs = (src_lang or DEFAULT_LANGS[0], tgt_lang or DEFAULT_LANGS[1])
    swap = False
    for number, cells in rows:
        if len(cells) < 2:
            raise InputError(
                f"{name}, line {number}: expected at least 2 columns "
                f"(source and target), found {len(cells)}"
            )
        if columns is None:
            if _is_header(cells):
                columns = [c.strip() for c in cells]
                langs, swap = _header_langs(columns[0], columns[1], src_lang, tgt_lang, name)
                continue
            columns = ["", ""]
        extra_names = columns[2:]
        meta: dict[str, str | int | float] = {}
        for i, value in enumerate(cells[2:]):
            if value != "":
                meta[extra_names[i] if i < len(extra_names) else f"column{i + 3}"] = value
        src, tgt = (cells[1], cells[0]) if swap else (cells[0], cells[1])
        stats.read += 1
        yield TranslationUnit(src=src, tgt=tgt, src_lang=langs[0], tgt_lang=langs[1], meta=meta)


def _header_langs(
    first: str, second: str, src_lang: str | None, tgt_lang: str | None, name: str
) -> tuple[tuple[str, str], bool]:
    """Languages from the header row, and whether the columns must be swapped
    to give the requested direction."""
    if not (_LANG_TAG.match(first) and _LANG_TAG.match(second)):  # source/target
        return (src_lang or DEFAULT_LANGS[0], tgt_lang or DEFAULT_LANGS[1]), False
    have = (primary_subtag(first), primary_subtag(second))
    want = (
        primary_subtag(src_lang) if src_lang else None,
        primary_subtag(tgt_lang) if tgt_lang else None,
    )
    if want[0] in (None, have[0]) and want[1] in (None, have[1]):
        return (first, second), False
    if want[0] in (None, have[1]) and want[1] in (None, have[0]):
        return (second, first), True
    raise InputError(
        f"{name}: the columns are {first} and {second}, not {src_lang or '?'} and {tgt_lang or '?'}"
    )


def read_tsv(
    source: str, *, src_lang: str | None, tgt_lang: str | None, stats: ReadStats
) -> Iterator[TranslationUnit]:
    """Stream pairs from a TSV file (blank lines are skipped)."""
    rows = ((n, line.split("\t")) for n, line in enumerate(iter_lines(source), 1) if line)
    return _units(rows, display_name(source), src_lang, tgt_lang, stats)


def read_csv(
    source: str, *, src_lang: str | None, tgt_lang: str | None, stats: ReadStats
) -> Iterator[TranslationUnit]:
    """Stream pairs from a CSV file (empty rows are skipped)."""
    name = display_name(source)
    return _units(_csv_rows(source, name), name, src_lang, tgt_lang, stats)


def _csv_rows(source: str, name: str) -> Iterator[tuple[int, list[str]]]:
    stream = open_text(source)
    # segments may be megabytes long; the default limit is 128 KiB (process-wide setting)
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    reader = csv.reader(stream, strict=True)
    try:
        start = 1
        for cells in reader:
            if cells:
                yield start, [csv_text(cell) for cell in cells]
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{name}, line {reader.line_num}: invalid CSV ({exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{name}, line {reader.line_num + 1}: not valid UTF-8") from None
    finally:
        stream.close()
