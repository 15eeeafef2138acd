"""The project's glossary TSV format (see DESIGN.md), read and written.

UTF-8, a header row, one entry per row; ``|`` separates several values in a
cell; blank lines are kept as they are, and so are comments: a line whose first
character is ``#`` and that is not a data row (before the header, or without a
tab after it), so that a term such as ``#MeToo`` in the first column stays an
entry.  Reading keeps
the raw text of every row so that :func:`dump_tsv` reproduces untouched rows
byte for byte, keeps unknown columns and comments in place, and only rewrites
the rows that were edited.
"""

from __future__ import annotations

import os
from typing import Any

from mlcorpus.errors import InputError
from mlcorpus.glossary.model import (
    KNOWN_COLUMNS,
    LIST_COLUMNS,
    MULTI_SEPARATOR,
    Comment,
    Entry,
    Glossary,
)
from mlcorpus.glossary.validate import (
    Issue,
    check_columns,
    check_entries,
    parse_bool,
    raise_for_errors,
)
from mlcorpus.textio import atomic_write, read_text

REQUIRED_COLUMNS = ("en", "ru")


def split_cell(value: str) -> list[str]:
    return [part.strip() for part in value.split(MULTI_SEPARATOR)] if value.strip() else []


def is_comment(line: str, header_seen: bool) -> bool:
    """``#`` in the first column starts a comment only on a line that is not a
    data row: before the header, or a line without a tab once columns are known."""
    return line.startswith("#") and (not header_seen or "\t" not in line)


def parse_tsv(text: str, name: str = "<glossary>") -> tuple[Glossary, list[Issue]]:
    """Parse glossary TSV *text*; structural problems come back as issues."""
    issues: list[Issue] = []
    glossary = Glossary(rows=[], columns=[], path=None)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or is_comment(line, header_seen):
            glossary.rows.append(Comment(line, number))
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            columns = [c.strip().lstrip("\ufeff") for c in cells]
            missing = [c for c in REQUIRED_COLUMNS if c not in columns]
            if missing:
                raise InputError(
                    f"{name}: line {number}: missing required "
                    f"{'column' if len(missing) == 1 else 'columns'}: "
                    f"{', '.join(missing)} (header must name en and ru)"
                )
            dupes = sorted({c for c in columns if columns.count(c) > 1})
            if dupes:
                raise InputError(
                    f"{name}: line {number}: "
                    f"{'column' if len(dupes) == 1 else 'columns'} named twice: {', '.join(dupes)}"
                )
            glossary.columns = columns
            issues.extend(check_columns(columns, number))
            glossary.header_raw = line
            glossary.header_index = len(glossary.rows)
            continue
        if len(cells) > len(glossary.columns):
            issues.append(
                Issue(
                    number,
                    "error",
                    f"{len(cells)} cells but the header has {len(glossary.columns)} columns",
                )
            )
            continue
        row = dict(zip(glossary.columns, cells, strict=False))
        entry = _entry_from_row(row, number, issues)
        entry.raw = line
        entry.raw_snapshot = entry.snapshot()
        glossary.rows.append(entry)
    if not header_seen:
        raise InputError(f"{name}: no header row (expected columns: en, ru, ...)")
    glossary.loaded_columns = list(glossary.columns)
    issues.extend(check_entries(glossary.entries))
    issues.sort(key=lambda issue: issue.line or 0)
    return glossary, issues


def _entry_from_row(row: dict[str, str], number: int, issues: list[Issue]) -> Entry:
    flag = parse_bool(row.get("case_sensitive", ""))
    if flag is None:
        issues.append(
            Issue(
                number,
                "error",
                f"case_sensitive must be true or false, not {row['case_sensitive'].strip()!r}",
            )
        )
        flag = False
    lists: dict[str, Any] = {column: split_cell(row.get(column, "")) for column in LIST_COLUMNS}
    return Entry(
        en=row.get("en", "").strip(),
        ru=row.get("ru", "").strip(),
        case_sensitive=flag,
        note=row.get("note", "").strip(),
        extra={k: v for k, v in row.items() if k not in KNOWN_COLUMNS and v},
        line=number,
        **lists,
    )


def entry_cells(entry: Entry, columns: list[str]) -> list[str]:
    for column in LIST_COLUMNS:
        if any(MULTI_SEPARATOR in value for value in getattr(entry, column)):
            raise InputError(
                f"glossary entry {entry.en!r}: a {column} value cannot "
                f"contain '{MULTI_SEPARATOR}' (it separates values)"
            )
    values = {
        "en": entry.en,
        "ru": entry.ru,
        "case_sensitive": "true" if entry.case_sensitive else "false",
        "note": entry.note,
    }
    for column in LIST_COLUMNS:
        values[column] = MULTI_SEPARATOR.join(getattr(entry, column))
    cells = [values[c] if c in values else entry.extra.get(c, "") for c in columns]
    for cell in cells:
        if "\t" in cell or "\n" in cell:
            raise InputError(
                f"glossary entry {entry.en!r}: values cannot contain tabs or line breaks"
            )
    return cells


def _needed_columns(glossary: Glossary) -> list[str]:
    columns = list(glossary.columns)
    for entry in glossary.entries:
        for column in LIST_COLUMNS:
            if getattr(entry, column) and column not in columns:
                columns.append(column)
        if entry.case_sensitive and "case_sensitive" not in columns:
            columns.append("case_sensitive")
        if entry.note and "note" not in columns:
            columns.append("note")
        for column in entry.extra:
            if column not in columns:
                columns.append(column)
    return columns


def dump_tsv(glossary: Glossary) -> str:
    """Serialise; unchanged rows come back exactly as they were read."""
    columns = _needed_columns(glossary)
    glossary.columns = columns
    same_layout = glossary.loaded_columns == columns
    header = glossary.header_raw if same_layout and glossary.header_raw else "\t".join(columns)
    out: list[str] = []
    header_at = min(glossary.header_index, len(glossary.rows))
    for index, row in enumerate(glossary.rows):
        if index == header_at:
            out.append(header)
        if isinstance(row, Comment):
            out.append(row.text)
        elif same_layout and row.raw is not None and row.raw_snapshot == row.snapshot():
            out.append(row.raw)
        else:
            out.append("\t".join(entry_cells(row, columns)))
    if header_at == len(glossary.rows):
        out.append(header)
    return "\n".join(out) + "\n"


def load_tsv(path: str | os.PathLike[str]) -> tuple[Glossary, list[Issue]]:
    """Read a glossary file and return it with all issues (nothing raised for
    content problems, so ``glossary validate`` can list them all)."""
    glossary, issues = parse_tsv(read_text(path), str(path))
    glossary.path = str(path)
    return glossary, issues


def load_glossary(path: str | os.PathLike[str]) -> Glossary:
    """Read and validate a glossary TSV; raise :class:`InputError` on errors."""
    glossary, issues = load_tsv(path)
    raise_for_errors(issues, str(path))
    return glossary


def save_glossary(glossary: Glossary, path: str | os.PathLike[str] | None = None) -> None:
    """Write atomically (the old file stays intact if anything fails)."""
    target = path or glossary.path
    if target is None:
        raise InputError("no path to write the glossary to")
    text = dump_tsv(glossary)
    with atomic_write(target) as fh:
        fh.write(text)
    glossary.path = str(target)
