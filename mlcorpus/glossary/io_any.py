"""Read term entries from any glossary format mlcorpus understands.

One place decides the format of an incoming glossary -- the project's TSV
(header with ``en``, ``ru`` and more columns), a two-column TSV/CSV term
list (DeepL, Google, TICO-19) or TBX -- so ``glossary import`` and the
server's glossary upload accept exactly the same files.
"""

from __future__ import annotations

import os

from mlcorpus.errors import InputError
from mlcorpus.glossary.model import Entry

#: format names accepted by :func:`parse_entries` (``simple`` = two columns)
FORMATS = ("auto", "tsv", "simple", "csv", "tbx")


def guess_format(text: str, name: str) -> str:
    """``tbx``, ``tsv`` (the project's glossary) or ``simple`` (a term list)."""
    if name.lower().endswith((".tbx", ".xml")) or text.lstrip("\ufeff \t\r\n").startswith("<"):
        return "tbx"
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    columns = [c.strip() for c in first.split("\t")]
    return "tsv" if "en" in columns and "ru" in columns and len(columns) > 2 else "simple"


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
    if not entries:
        raise InputError(f"{name}: no English-Russian terms found")
    return entries


def read_entries(path: str | os.PathLike[str], fmt: str = "auto") -> list[Entry]:
    """:func:`parse_entries` on a file (TBX is parsed from its bytes)."""
    from mlcorpus.textio import existing_file

    data = existing_file(path).read_bytes()
    return parse_entries(data, str(path), fmt)
