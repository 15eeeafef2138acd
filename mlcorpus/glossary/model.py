"""Glossary entries and the in-memory glossary.

An :class:`Entry` is one concept: a preferred English and Russian term, their
accepted variants and the renderings to replace.  A :class:`Glossary` keeps
the entries *and* the layout of the file they came from (column order,
unknown columns, comment and blank lines, the raw text of untouched rows), so
that writing it back changes only the rows that were edited and git diffs
stay minimal.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: Columns with a meaning; any other column is carried along untouched.
KNOWN_COLUMNS = (
    "en",
    "ru",
    "en_variants",
    "ru_variants",
    "ru_deprecated",
    "en_deprecated",
    "case_sensitive",
    "note",
)
#: Columns written for a new glossary file (``en_deprecated`` only when used).
DEFAULT_COLUMNS = (
    "en",
    "ru",
    "en_variants",
    "ru_variants",
    "ru_deprecated",
    "case_sensitive",
    "note",
)
LIST_COLUMNS = ("en_variants", "ru_variants", "ru_deprecated", "en_deprecated")
MULTI_SEPARATOR = "|"


@dataclass
class Entry:
    """One glossary concept (a row of the TSV file)."""

    en: str
    ru: str
    en_variants: list[str] = field(default_factory=list)
    ru_variants: list[str] = field(default_factory=list)
    ru_deprecated: list[str] = field(default_factory=list)
    en_deprecated: list[str] = field(default_factory=list)
    case_sensitive: bool = False
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False)
    #: the row text as read, re-emitted verbatim while the entry is unchanged
    raw: str | None = field(default=None, compare=False, repr=False)
    raw_snapshot: tuple | None = field(default=None, compare=False, repr=False)

    def terms(self, lang: str) -> list[str]:
        """Preferred term then accepted variants in *lang* (``en`` or ``ru``)."""
        if lang == "en":
            return [self.en, *self.en_variants]
        return [self.ru, *self.ru_variants]

    def preferred(self, lang: str) -> str:
        return self.en if lang == "en" else self.ru

    def deprecated(self, lang: str) -> list[str]:
        return list(self.en_deprecated if lang == "en" else self.ru_deprecated)

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready fields, extra columns last."""
        return {
            "en": self.en,
            "ru": self.ru,
            "en_variants": self.en_variants,
            "ru_variants": self.ru_variants,
            "ru_deprecated": self.ru_deprecated,
            "en_deprecated": self.en_deprecated,
            "case_sensitive": self.case_sensitive,
            "note": self.note,
            **self.extra,
        }

    def snapshot(self) -> tuple:
        """Everything that is written to the file, to tell edited rows apart."""
        return (
            self.en,
            self.ru,
            tuple(self.en_variants),
            tuple(self.ru_variants),
            tuple(self.ru_deprecated),
            tuple(self.en_deprecated),
            self.case_sensitive,
            self.note,
            tuple(sorted(self.extra.items())),
        )

    def key(self) -> str:
        """Identity of the concept: the English term, case-folded unless the
        entry is case sensitive and the term has capitals (``TIP`` and
        ``tip`` may be two entries)."""
        return self.en if self.exact_case(self.en) else self.en.casefold()

    def exact_case(self, term: str) -> bool:
        """Whether *term* must match with exactly its case (see match_en)."""
        return self.case_sensitive and any(c.isupper() for c in term)


def nfc(text: str) -> str:
    """*text* in Unicode NFC.  Glossary terms and the text they are looked for
    in are compared in one normal form, so a decomposed "й" (и + U+0306), as
    some editors and PDF extractors write it, still matches."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


@dataclass
class Comment:
    """A comment (``# ...``) or blank line, kept in place when rewriting."""

    text: str
    line: int | None = None


@dataclass
class Glossary:
    """Entries plus the file layout they were read from."""

    rows: list[Entry | Comment] = field(default_factory=list)
    columns: list[str] = field(default_factory=lambda: list(DEFAULT_COLUMNS))
    path: str | None = None
    #: layout as read: header text, its position among comment rows, columns
    header_raw: str | None = field(default=None, repr=False)
    header_index: int = field(default=0, repr=False)
    loaded_columns: list[str] | None = field(default=None, repr=False)

    @property
    def entries(self) -> list[Entry]:
        return [row for row in self.rows if isinstance(row, Entry)]

    def __len__(self) -> int:
        return len(self.entries)

    def comment_lines(self) -> int:
        """How many ``#`` comment lines the reader skipped (blank lines aside),
        so ``validate`` can say what it did not read as entries."""
        return sum(1 for r in self.rows if isinstance(r, Comment) and r.text.strip())

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    @property
    def version(self) -> str:
        """Short, stable hash of the glossary content.

        Computed from the entries (not from comments or formatting), so
        translation caches keyed on it are invalidated exactly when a term
        changes, and two files with the same terms share cached output.
        """
        digest = hashlib.sha256()
        for entry in self.entries:
            digest.update(repr(entry.snapshot()).encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()[:12]

    def find(self, en: str) -> Entry | None:
        """The entry whose English term is *en* (case rules of the entry)."""
        for entry in self.entries:
            if entry.key() == (en if entry.exact_case(entry.en) else en.casefold()):
                return entry
        return None

    def add(self, entry: Entry) -> None:
        for name in entry.extra:
            if name not in self.columns:
                self.columns.append(name)
        if entry.en_deprecated and "en_deprecated" not in self.columns:
            self.columns.insert(self._after("ru_deprecated"), "en_deprecated")
        self.rows.append(entry)

    def remove(self, entry: Entry) -> None:
        self.rows = [row for row in self.rows if row is not entry]

    def replace(self, old: Entry, new: Entry) -> None:
        """Put *new* where *old* was, so the file keeps its order and comments."""
        self.rows = [new if row is old else row for row in self.rows]
        for name in new.extra:
            if name not in self.columns:
                self.columns.append(name)

    def _after(self, column: str) -> int:
        return self.columns.index(column) + 1 if column in self.columns else len(self.columns)
