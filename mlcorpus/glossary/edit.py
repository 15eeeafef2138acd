"""Adding, changing and removing glossary entries, with one set of checks.

The command line (``glossary add/remove``) and the browser workbench edit the
same file, so they share these functions: the same validation, the same
refusal of duplicates, the same treatment of row order (an edited entry keeps
its place; comments and unknown columns stay where they are, see
:mod:`mlcorpus.glossary.io_tsv`).

Edits from a browser come with the *version* of the entry the person saw
(:func:`entry_version`).  When the entry changed on disk in the meantime (a
second tab, a colleague, the CLI), the save is refused with
:class:`StaleEntryError` instead of silently overwriting the other change.
"""

from __future__ import annotations

import hashlib

from mlcorpus.errors import InputError, MlcorpusError
from mlcorpus.glossary.io_tsv import entry_cells
from mlcorpus.glossary.model import DEFAULT_COLUMNS, Entry, Glossary
from mlcorpus.glossary.validate import check_entries


class StaleEntryError(MlcorpusError):
    """The entry was changed or removed since the editor loaded it."""

    exit_code = 3


def entry_version(entry: Entry) -> str:
    """A short hash of what the file holds for *entry*."""
    return hashlib.sha256(repr(entry.snapshot()).encode("utf-8")).hexdigest()[:12]


def validate_entry(entry: Entry, columns: list[str] | None = None) -> None:
    """Raise :class:`InputError` when *entry* cannot be written: an empty
    term, a term starting with ``#``, a ``|`` inside a list value, tabs or
    line breaks (the checks of ``glossary add`` and of the TSV writer)."""
    problems = [i for i in check_entries([entry]) if i.level == "error"]
    if problems:
        raise InputError(problems[0].message)
    entry_cells(entry, list(columns or DEFAULT_COLUMNS))


def _lookup(glossary: Glossary, en: str) -> Entry:
    entry = glossary.find(en)
    if entry is None:
        raise StaleEntryError(
            f"the entry {en!r} is no longer in the glossary (removed elsewhere); "
            "nothing was saved. Reload the glossary."
        )
    return entry


def _check_version(entry: Entry, version: str | None) -> None:
    if version is not None and entry_version(entry) != version:
        raise StaleEntryError(
            f"the entry {entry.en!r} was changed elsewhere since you opened it "
            f"(it now reads {entry.en!r} -> {entry.ru!r}); your change was not saved. "
            "Reload to edit the current entry."
        )


def add_entry(glossary: Glossary, entry: Entry, *, replace: bool = False) -> Entry | None:
    """Add *entry*; with *replace*, an existing entry for the same English
    term is replaced in place.  Returns the replaced entry, if any."""
    validate_entry(entry, glossary.columns)
    existing = glossary.find(entry.en)
    if existing is not None and not replace:
        where = f" ({glossary.path})" if glossary.path else ""
        raise InputError(
            f"{entry.en!r} is already in the glossary{where} (-> {existing.ru!r}); "
            "edit that entry instead"
        )
    if existing is not None:
        glossary.rows[glossary.rows.index(existing)] = entry
    else:
        glossary.add(entry)
    return existing


def update_entry(glossary: Glossary, en: str, version: str | None, entry: Entry) -> Entry:
    """Replace the entry whose English term is *en* by *entry*, in its row.

    *version* is :func:`entry_version` of the entry as the editor saw it."""
    old = _lookup(glossary, en)
    _check_version(old, version)
    validate_entry(entry, glossary.columns)
    clash = glossary.find(entry.en)
    if clash is not None and clash is not old:
        raise InputError(
            f"{entry.en!r} is already in the glossary (-> {clash.ru!r}); "
            "two entries cannot share an English term"
        )
    entry.extra = {**old.extra, **entry.extra}  # columns the editor does not show
    entry.line = old.line
    glossary.rows[glossary.rows.index(old)] = entry
    return entry


def remove_entry(glossary: Glossary, en: str, version: str | None = None) -> Entry:
    """Remove the entry whose English term is *en*; returns it."""
    old = _lookup(glossary, en) if version is not None else glossary.find(en)
    if old is None:
        raise InputError(f"no entry for {en!r}")
    _check_version(old, version)
    glossary.remove(old)
    return old
