"""The unit every exchange format reads and writes: one aligned segment pair."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field


@dataclass
class TranslationUnit:
    """A source/target pair plus metadata (release id, date, alignment score,
    origin human/MT, model, glossary version, sentence ids...).

    Conventional ``meta`` keys, understood by the writers: ``release_id``,
    ``date``, ``score`` (alignment score, a number), ``origin`` (``human`` or
    ``mt``), ``model``, ``glossary_version``, ``tuid`` (unit id kept by TMX
    and XLIFF), ``note`` (a note for translators).  Any other key is carried
    as a property.  Readers of text-based formats return values as strings.
    """

    src: str
    tgt: str
    src_lang: str = "en"
    tgt_lang: str = "ru"
    meta: dict[str, str | int | float] = field(default_factory=dict)


@dataclass
class WriteReport:
    """What a writer did, so that the CLI can tell the user about silent changes."""

    fmt: str
    paths: list[str] = field(default_factory=list)  # files written; empty for stdout
    written: int = 0  # units written
    illegal_chars_removed: int = 0  # characters not allowed in XML 1.0, dropped
    line_breaks_replaced: int = 0  # units whose tabs/line breaks became spaces
    meta_columns: list[str] = field(default_factory=list)  # TSV/CSV columns after the text
    meta_not_written: int = 0  # TSV/CSV: units with meta keys outside meta_columns

    def as_dict(self) -> dict:
        return {
            "format": self.fmt,
            "paths": list(self.paths),
            "written": self.written,
            "illegal_chars_removed": self.illegal_chars_removed,
            "line_breaks_replaced": self.line_breaks_replaced,
            "meta_columns": list(self.meta_columns),
            "meta_not_written": self.meta_not_written,
        }


@dataclass
class ReadStats:
    """Counts a reader keeps while streaming (filled in as units are read)."""

    read: int = 0  # units yielded
    skipped: int = 0  # units without text in the wanted source or target language
    # TMX/XLIFF inline elements removed, by element name (see formats.inline)
    inline: dict[str, int] = field(default_factory=dict)


def meta_text(value: object) -> str:
    """A meta value as text for formats that only hold strings (XML, TSV, CSV).

    Strings pass through; numbers use ``str``; booleans, lists and ``None``
    become JSON so that nothing is lost or ambiguous.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


@functools.lru_cache(maxsize=256)
def primary_subtag(lang: str) -> str:
    """``en-US`` / ``EN_us`` / ``en`` -> ``en``: how files from other tools are matched."""
    return lang.replace("_", "-").split("-", 1)[0].strip().lower()
