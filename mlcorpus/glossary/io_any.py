"""Read term entries from any glossary format mlcorpus understands, and
write a glossary in any of them.

One place decides the format of an incoming glossary -- the project's TSV
(header with ``en``, ``ru`` and more columns), a two-column TSV/CSV term
list (DeepL, Google, TICO-19) or TBX -- so ``glossary import`` and the
server's glossary upload accept exactly the same files; and one place
picks the format of an outgoing one from its file name.

Term lists from outside (DeepL/Google CSVs, TICO-19, TBX) have no column
saying whether a term is case sensitive.  An all-capital English term there
is an acronym (WHO, IOM, TIP): matching it without case would count the
pronoun "who" as a missed WHO, so such terms are read case sensitive.
"""

from __future__ import annotations

import os
from pathlib import Path

from mlcorpus.errors import InputError
from mlcorpus.glossary.model import Entry, Glossary

#: format names accepted by :func:`parse_entries` (``simple`` = two columns)
FORMATS = ("auto", "tsv", "simple", "csv", "tbx")


def guess_format(text: str, name: str) -> str:
    """``tbx``, ``tsv`` (the project's glossary) or ``simple`` (a term list)."""
    if name.lower().endswith((".tbx", ".xml")) or text.lstrip("\ufeff \t\r\n").startswith("<"):
        return "tbx"
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    columns = [c.strip() for c in first.split("\t")]
    return "tsv" if "en" in columns and "ru" in columns and len(columns) > 2 else "simple"


def is_acronym(term: str) -> bool:
    """All capitals with at least two letters: ``WHO``, ``COVID-19``, ``UN``.

    >>> is_acronym("WHO"), is_acronym("COVID-19"), is_acronym("Who"), is_acronym("A")
    (True, True, False, False)
    """
    letters = [c for c in term if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def parse_entries(data: str | bytes, name: str = "<glossary>", fmt: str = "auto") -> list[Entry]:
    """Entries from the content of a glossary file (see the module docstring).

    ``csv`` is a two-column list with commas; *name*'s suffix also decides
    the delimiter of ``simple`` lists.  Raises :class:`InputError` when the
    content is malformed or holds no English-Russian term.
    """
    from mlcorpus.textio import decode_bytes

    if fmt not in FORMATS:
        raise InputError(f"{name}: unknown glossary format {fmt!r} ({', '.join(FORMATS)})")
    text = decode_bytes(data, name) if isinstance(data, bytes) else data
    if fmt == "auto":
        fmt = guess_format(text, name)
    if fmt == "tbx":
        from mlcorpus.glossary.io_tbx import parse_tbx

        entries = parse_tbx(data if isinstance(data, bytes) else text.encode("utf-8"), name)
    elif fmt == "tsv":
        from mlcorpus.glossary.io_tsv import parse_tsv
        from mlcorpus.glossary.validate import raise_for_errors

        incoming, issues = parse_tsv(text, name)
        raise_for_errors(
            [i for i in issues if "duplicate" not in i.message and "conflicting" not in i.message],
            name,
        )
        entries = incoming.entries
    else:
        from mlcorpus.glossary.io_simple import parse_simple

        suffix = {"csv": ".csv", "simple": ""}[fmt]
        entries = parse_simple(text, name if not suffix else f"{name}{suffix}")
    if fmt != "tsv":  # our TSV says it itself
        for entry in entries:
            if not entry.case_sensitive and is_acronym(entry.en):
                entry.case_sensitive = True
    if not entries:
        raise InputError(f"{name}: no English-Russian terms found")
    return entries


def read_entries(path: str | os.PathLike[str], fmt: str = "auto") -> list[Entry]:
    """:func:`parse_entries` on a file (TBX is parsed from its bytes)."""
    from mlcorpus.textio import existing_file

    data = existing_file(path).read_bytes()
    return parse_entries(data, str(path), fmt)


#: formats :func:`dump_glossary` writes
EXPORT_FORMATS = ("tsv", "csv", "omegat", "tbx", "tbx-v3")
_TBX_SUFFIXES = (".tbx", ".xml")


def export_format(path: str | None, fmt: str | None = None) -> str:
    """*fmt*, else the format *path*'s extension names (.tbx/.xml, .csv), else tsv."""
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower() if path and path != "-" else ""
    return "tbx" if suffix in _TBX_SUFFIXES else "csv" if suffix == ".csv" else "tsv"


def dump_glossary(glossary: Glossary, fmt: str) -> str:
    """*glossary* as text in one of :data:`EXPORT_FORMATS`."""
    if fmt in ("tbx", "tbx-v3"):
        from mlcorpus.glossary.io_tbx import dump_tbx

        return dump_tbx(glossary, "3" if fmt == "tbx-v3" else "2")
    if fmt == "omegat":
        from mlcorpus.glossary.io_simple import dump_omegat

        return dump_omegat(glossary)
    if fmt == "csv":
        from mlcorpus.glossary.io_simple import dump_simple

        return dump_simple(glossary)
    if fmt == "tsv":
        from mlcorpus.glossary.io_tsv import dump_tsv

        return dump_tsv(glossary)
    raise InputError(f"unknown glossary format {fmt!r}; use {', '.join(EXPORT_FORMATS)}")
