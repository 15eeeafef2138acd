"""Which glossary file format a path holds, and reading or writing any of them.

The commands (``glossary import``, ``glossary export``) name a file and
maybe a format; everything about telling the formats apart lives here, so a
script using the Python API gets the same answers as the command line.

Term lists from outside (DeepL/Google CSVs, TICO-19, TBX) have no column
saying whether a term is case sensitive.  An all-capital English term there
is an acronym (WHO, IOM, TIP): matching it without case would count the
pronoun "who" as a missed WHO, so such terms are imported case sensitive.
"""

from __future__ import annotations

import os
from pathlib import Path

from mlcorpus.errors import InputError
from mlcorpus.glossary.model import Entry, Glossary

#: formats ``read_terms`` understands; ``auto`` sniffs
IMPORT_FORMATS = ("auto", "tsv", "simple", "tbx")
#: formats ``dump_glossary`` writes
EXPORT_FORMATS = ("tsv", "csv", "tbx")
_TBX_SUFFIXES = (".tbx", ".xml")


def sniff_format(path: str | os.PathLike[str]) -> str:
    """``tbx`` for .tbx/.xml, ``tsv`` for our format (a header naming en, ru
    and more columns), else ``simple`` (a two-column term list)."""
    from mlcorpus.textio import read_text

    if str(path).lower().endswith(_TBX_SUFFIXES):
        return "tbx"
    first = read_text(path).lstrip("\ufeff").split("\n", 1)[0]
    columns = [c.strip() for c in first.split("\t")]
    return "tsv" if "en" in columns and "ru" in columns and len(columns) > 2 else "simple"


def is_acronym(term: str) -> bool:
    """All capitals with at least two letters: ``WHO``, ``COVID-19``, ``UN``.

    >>> is_acronym("WHO"), is_acronym("COVID-19"), is_acronym("Who"), is_acronym("A")
    (True, True, False, False)
    """
    letters = [c for c in term if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def read_terms(path: str | os.PathLike[str], fmt: str = "auto") -> list[Entry]:
    """The entries of a glossary file in any :data:`IMPORT_FORMATS`.

    Formats without a case column (simple, tbx) get ``case_sensitive`` for
    acronyms; our TSV says it itself.  Raises :class:`InputError` when the
    file holds no English-Russian term.
    """
    if fmt not in IMPORT_FORMATS:
        raise InputError(f"unknown glossary format {fmt!r}; use {', '.join(IMPORT_FORMATS)}")
    if fmt == "auto":
        fmt = sniff_format(path)
    if fmt == "tsv":
        from mlcorpus.glossary.io_tsv import load_tsv
        from mlcorpus.glossary.validate import raise_for_errors

        incoming, issues = load_tsv(path)
        # duplicates inside the incoming file are the merge's business
        raise_for_errors(
            [i for i in issues if "duplicate" not in i.message and "conflicting" not in i.message],
            str(path),
        )
        entries = incoming.entries
    else:
        if fmt == "tbx":
            from mlcorpus.glossary.io_tbx import read_tbx

            entries = read_tbx(path)
        else:
            from mlcorpus.glossary.io_simple import read_simple

            entries = read_simple(path)
        for entry in entries:
            if not entry.case_sensitive and is_acronym(entry.en):
                entry.case_sensitive = True
    if not entries:
        raise InputError(f"{path}: no English-Russian terms found")
    return entries


def export_format(path: str | None, fmt: str | None = None) -> str:
    """*fmt*, else the format *path*'s extension names (.tbx/.xml, .csv), else tsv."""
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower() if path and path != "-" else ""
    return "tbx" if suffix in _TBX_SUFFIXES else "csv" if suffix == ".csv" else "tsv"


def dump_glossary(glossary: Glossary, fmt: str) -> str:
    """*glossary* as text in one of :data:`EXPORT_FORMATS`."""
    if fmt == "tbx":
        from mlcorpus.glossary.io_tbx import dump_tbx

        return dump_tbx(glossary)
    if fmt == "csv":
        from mlcorpus.glossary.io_simple import dump_simple

        return dump_simple(glossary)
    if fmt == "tsv":
        from mlcorpus.glossary.io_tsv import dump_tsv

        return dump_tsv(glossary)
    raise InputError(f"unknown glossary format {fmt!r}; use {', '.join(EXPORT_FORMATS)}")
