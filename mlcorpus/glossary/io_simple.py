"""Two-column term lists, as DeepL and Google glossaries and most term
extractions are: ``source<TAB>target`` or ``source,target`` rows.

Understood layouts:

* no header, two (or more) columns: first = one language, second = the other;
  which is which is decided by the script (Cyrillic = Russian);
* a header naming language codes (Google's "equivalent terms" glossary:
  ``en,ru,pos,description``; also ``en-US``/``ru-RU``);
* a header with ``sourceString``/``targetString`` and ``sourceLang``/
  ``targetLang`` columns (the TICO-19 term lists); other columns become
  extra glossary columns, so nothing is lost on import.
"""

from __future__ import annotations

import csv
import io
import os

from mlcorpus.alphabet import detect_lang
from mlcorpus.errors import InputError
from mlcorpus.glossary.model import Entry, Glossary
from mlcorpus.textio import csv_text, csv_writer, read_text


def _is_russian(text: str) -> bool:
    return detect_lang(text) == "ru"


def _dialect(text: str, name: str) -> str:
    if name.lower().endswith(".csv"):
        return ","
    if name.lower().endswith((".tsv", ".tab", ".txt")):
        return "\t"
    first = text.split("\n", 1)[0]
    return "\t" if first.count("\t") >= first.count(",") else ","


def _lang(code: str) -> str | None:
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in ("en", "ru") else None


def read_simple(path: str | os.PathLike[str]) -> list[Entry]:
    """Entries from a two-column TSV/CSV term list (see the module docstring)."""
    return parse_simple(read_text(path), str(path))


def parse_simple(text: str, name: str = "<glossary>") -> list[Entry]:
    """Entries from the text of a term list; *name* decides the delimiter
    by its suffix (``.csv``, ``.tsv``) and names the source in errors."""
    delimiter = _dialect(text, name)
    rows = [
        [csv_text(cell) for cell in row] if delimiter == "," else row
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        raise InputError(f"{name}: no terms found")
    header = [cell.strip().lstrip("\ufeff") for cell in rows[0]]
    lowered = [h.lower() for h in header]
    entries: list[Entry] = []
    if "sourcestring" in lowered and "targetstring" in lowered:
        src_col, tgt_col = lowered.index("sourcestring"), lowered.index("targetstring")
        lang_cols = {lowered.index(c) for c in ("sourcelang", "targetlang") if c in lowered}
        for number, row in enumerate(rows[1:], start=2):
            cells = row + [""] * (len(header) - len(row))
            src_lang = (
                _lang(cells[lowered.index("sourcelang")]) if "sourcelang" in lowered else None
            )
            if src_lang is None:
                src_lang = "ru" if _is_russian(cells[src_col]) else "en"
            en, ru = (
                (cells[src_col], cells[tgt_col])
                if src_lang == "en"
                else (cells[tgt_col], cells[src_col])
            )
            extra = {
                header[i]: cells[i].strip()
                for i in range(len(header))
                if i not in (src_col, tgt_col) and i not in lang_cols and cells[i].strip()
            }
            entries.append(Entry(en=en.strip(), ru=ru.strip(), extra=extra, line=number))
        return entries
    langs = [_lang(h) for h in header]
    if "en" in langs and "ru" in langs:
        en_col, ru_col = langs.index("en"), langs.index("ru")
        for number, row in enumerate(rows[1:], start=2):
            cells = row + [""] * (len(header) - len(row))
            extra = {
                header[i]: cells[i].strip()
                for i in range(len(header))
                if i not in (en_col, ru_col) and cells[i].strip()
            }
            entries.append(
                Entry(en=cells[en_col].strip(), ru=cells[ru_col].strip(), extra=extra, line=number)
            )
        return entries
    for number, row in enumerate(rows, start=1):
        if len(row) < 2:
            raise InputError(
                f"{name}: line {number}: expected two columns "
                f"(source and target term), found {len(row)}"
            )
        first, second = row[0].strip(), row[1].strip()
        en, ru = (
            (second, first) if _is_russian(first) and not _is_russian(second) else (first, second)
        )
        entries.append(Entry(en=en, ru=ru, line=number))
    return entries


def dump_simple(glossary: Glossary, *, delimiter: str = ",") -> str:
    """``en``/``ru`` preferred terms as a headerless two-column list (the
    layout DeepL and Google accept for glossary upload)."""
    buffer = io.StringIO()
    writer = (
        csv_writer(buffer, delimiter=delimiter, lineterminator="\n")
        if delimiter == ","
        else csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    )
    for entry in glossary.entries:
        writer.writerow([entry.en, entry.ru])
    return buffer.getvalue()


def _cell(text: str) -> str:
    """One line, no tabs: OmegaT splits its glossary rows on both."""
    return " ".join(text.split())


def omegat_comment(entry: Entry) -> str:
    """What a translator needs beside the term: the note, the accepted
    Russian variants, the renderings to avoid, case sensitivity."""
    parts = [entry.note] if entry.note else []
    if entry.ru_variants:
        parts.append("also: " + ", ".join(entry.ru_variants))
    if entry.ru_deprecated:
        parts.append("avoid: " + ", ".join(entry.ru_deprecated))
    if entry.case_sensitive:
        parts.append("case-sensitive")
    return _cell("; ".join(parts))


def dump_omegat(glossary: Glossary) -> str:
    """The glossary as OmegaT reads a ``glossary/*.txt``/``.tab`` file:
    ``source<TAB>target<TAB>comment``, no header.  Every English form (the
    preferred term and its variants) gets a row, so OmegaT finds the term
    whichever form the source text uses; the target is always the preferred
    Russian term."""
    lines = []
    for entry in glossary.entries:
        comment = omegat_comment(entry)
        target = _cell(entry.ru)
        for term in entry.terms("en"):
            lines.append(f"{_cell(term)}\t{target}\t{comment}".rstrip("\t") + "\n")
    return "".join(lines)
