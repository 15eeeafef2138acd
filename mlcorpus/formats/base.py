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

    def to_dict(self) -> dict:
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


PRIVATE_PREFIX = "x-"  # TMX and XLIFF ask user-defined types to start with it


def private_type(key: str) -> str:
    """The TMX ``prop type`` / XLIFF ``context-type`` for a meta key.

    The prefix is always added and readers remove exactly one
    (:func:`meta_key`), so a key that already starts with ``x-`` still comes
    back unchanged and export -> import -> export gives the same bytes.
    """
    return PRIVATE_PREFIX + key


def meta_key(private: str) -> str:
    """The meta key of a TMX/XLIFF user-defined type (inverse of :func:`private_type`)."""
    return private.removeprefix(PRIVATE_PREFIX)


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


def canonical_tag(tag: str) -> str:
    """A BCP 47 tag in its conventional case: ``EN_us`` -> ``en-US``,
    ``zh-hant-tw`` -> ``zh-Hant-TW`` (TMX 1.1 files write ``EN-US``)."""
    parts = [p for p in tag.strip().replace("_", "-").split("-") if p]
    if not parts:
        return tag
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            out.append(part.upper())  # region
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())  # script
        else:
            out.append(part.lower())
    return "-".join(out)


#: formats whose files name languages by code alone (JSONL keys, Moses file
#: suffixes, TSV/CSV header cells): a tag read from a file becomes its primary
#: subtag there; TMX and XLIFF keep the whole tag
_CODE_ONLY = frozenset({"jsonl", "moses", "tsv", "csv"})


def output_lang(tag: str, fmt: str) -> str:
    """The language as format *fmt* should write a tag that was read from an
    input file: ``EN-US`` -> ``en`` for JSONL/Moses/TSV/CSV, ``en-US`` for
    TMX/XLIFF."""
    return primary_subtag(tag) if fmt in _CODE_ONLY else canonical_tag(tag)


def _term_list(refs: object) -> str:
    if not isinstance(refs, list):
        return ""
    return ", ".join(
        f"{r.get('source', '')} → {r.get('target', '')}" if isinstance(r, dict) else str(r)
        for r in refs
    )


def term_notes(term_report: dict | None) -> list[str]:
    """Notes for a post-editor from a glossary term report (``hits``,
    ``fixed``, ``misses``): which required terms the translation uses, which
    were fixed to the glossary, which are still missing."""
    if not term_report:
        return []
    notes = []
    for key, label in (
        ("hits", "glossary terms used"),
        ("fixed", "glossary terms fixed"),
        ("misses", "glossary terms MISSING"),
    ):
        listed = _term_list(term_report.get(key))
        if listed:
            notes.append(f"{label}: {listed}")
    return notes


def machine_translation_unit(
    source: str,
    text: str,
    src_lang: str,
    tgt_lang: str,
    *,
    model: str,
    glossary_version: str = "",
    term_report: dict | None = None,
    tuid: str | None = None,
) -> TranslationUnit:
    """A unit holding a machine translation for post-editing: ``origin`` mt
    (XLIFF: ``needs-review-translation``), the model, the glossary version and
    the term hits and misses as notes."""
    meta: dict = {"origin": "mt", "model": model}
    if tuid is not None:
        meta = {"tuid": tuid, **meta}
    if glossary_version:
        meta["glossary_version"] = glossary_version
    notes = term_notes(term_report)
    if notes:
        meta["note"] = notes
    return TranslationUnit(source, text, src_lang, tgt_lang, meta)
