"""TBX (ISO 30042) import and export.

Written as TBX-Basic in the TBX v3 core structure: one ``conceptEntry`` per
glossary entry, a ``langSec`` per language, a ``termSec`` per term with its
``administrativeStatus`` (preferred, admitted = accepted variant,
deprecated).  The entry note is a ``note``; case sensitivity and any extra
glossary columns go into ``descrip`` elements with ``x-`` types, so
TSV -> TBX -> TSV gives the same entries back.

Reading accepts TBX v2 (``termEntry``/``langSet``/``tig``/``ntig``) as well as
v3 (``conceptEntry``/``langSec``/``termSec``) and any namespace, and parses
with defusedxml (no entity expansion, no network).
"""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET
from typing import IO

from mlcorpus.errors import InputError
from mlcorpus.glossary.model import Entry, Glossary
from mlcorpus.textio import atomic_write

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
CASE_TYPE = "x-caseSensitive"
COLUMN_PREFIX = "x-column-"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, *names: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) in names]


def _status(term_sec: ET.Element) -> str:
    for note in term_sec.iter():
        if (
            _local(note.tag) in ("termNote", "descrip")
            and note.get("type") == "administrativeStatus"
        ):
            value = (note.text or "").strip().lower()
            for status in ("deprecated", "superseded", "admitted", "preferred"):
                if value.startswith(status):
                    return "deprecated" if status == "superseded" else status
    return ""


def _text(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def _lang_terms(lang_sec: ET.Element) -> tuple[list[str], list[str], list[str]]:
    """(preferred, admitted, deprecated) terms of a language section."""
    preferred: list[str] = []
    admitted: list[str] = []
    deprecated: list[str] = []
    for term_sec in _children(lang_sec, "termSec", "tig", "ntig"):
        term = next((t for t in term_sec.iter() if _local(t.tag) == "term"), None)
        if term is None or not _text(term):
            continue
        status = _status(term_sec)
        {"preferred": preferred, "deprecated": deprecated}.get(status, admitted).append(_text(term))
    if not preferred and admitted:
        preferred.append(admitted.pop(0))
    return preferred, admitted, deprecated


def read_tbx(path: str | os.PathLike[str]) -> list[Entry]:
    """Entries with both an English and a Russian term; others are skipped."""
    return parse_tbx(os.fspath(path), str(path))


def parse_tbx(source: str | bytes | IO[bytes], name: str = "<glossary>") -> list[Entry]:
    """:func:`read_tbx` on a path, the bytes of a TBX file or a binary stream."""
    from defusedxml import ElementTree as SafeET
    from defusedxml.common import DefusedXmlException

    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        root = SafeET.parse(source).getroot()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except DefusedXmlException as exc:
        raise InputError(f"{name}: refused unsafe XML ({type(exc).__name__})") from None
    except ET.ParseError as exc:
        raise InputError(f"{name}: not well-formed XML ({exc})") from None
    if _local(root.tag) not in ("tbx", "martif"):
        raise InputError(f"{name}: not a TBX file (root element <{_local(root.tag)}>)")
    entries: list[Entry] = []
    for concept in root.iter():
        if _local(concept.tag) not in ("conceptEntry", "termEntry"):
            continue
        terms: dict[str, tuple[list[str], list[str], list[str]]] = {}
        for lang_sec in _children(concept, "langSec", "langSet"):
            lang = (lang_sec.get(XML_LANG) or lang_sec.get("lang") or "").lower()[:2]
            if lang in ("en", "ru"):
                found = _lang_terms(lang_sec)
                old = terms.get(lang, ([], [], []))
                terms[lang] = (old[0] + found[0], old[1] + found[1], old[2] + found[2])
        if not terms.get("en", ([],))[0] or not terms.get("ru", ([],))[0]:
            continue
        en_pref, en_adm, en_dep = terms["en"]
        ru_pref, ru_adm, ru_dep = terms["ru"]
        entry = Entry(
            en=en_pref[0],
            ru=ru_pref[0],
            en_variants=en_pref[1:] + en_adm,
            ru_variants=ru_pref[1:] + ru_adm,
            ru_deprecated=ru_dep,
            en_deprecated=en_dep,
        )
        notes = [_text(n) for n in _children(concept, "note") if _text(n)]
        entry.note = " ".join(notes)
        for descrip in _children(concept, "descrip", "descripGrp"):
            if _local(descrip.tag) == "descripGrp":
                inner = _children(descrip, "descrip")
                if not inner:
                    continue
                descrip = inner[0]
            kind = descrip.get("type", "")
            if kind == CASE_TYPE:
                entry.case_sensitive = _text(descrip).lower() == "true"
            elif kind.startswith(COLUMN_PREFIX):
                entry.extra[kind[len(COLUMN_PREFIX) :]] = descrip.text or ""
            elif kind in ("definition", "subjectField") and _text(descrip):
                entry.extra[kind] = _text(descrip)
        entries.append(entry)
    return entries


def _term_sec(parent: ET.Element, term: str, status: str) -> None:
    sec = ET.SubElement(parent, "termSec")
    ET.SubElement(sec, "term").text = term
    note = ET.SubElement(sec, "termNote", type="administrativeStatus")
    note.text = STATUS[status]


def dump_tbx(glossary: Glossary) -> str:
    root = ET.Element("tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: "en", "xmlns": TBX_NS})
    header = ET.SubElement(root, "tbxHeader")
    file_desc = ET.SubElement(header, "fileDesc")
    source = ET.SubElement(ET.SubElement(file_desc, "sourceDesc"), "p")
    source.text = f"mlcorpus glossary {glossary.version}"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for number, entry in enumerate(glossary.entries, start=1):
        concept = ET.SubElement(body, "conceptEntry", id=f"c{number}")
        if entry.case_sensitive:
            ET.SubElement(concept, "descrip", type=CASE_TYPE).text = "true"
        for column, value in entry.extra.items():
            ET.SubElement(concept, "descrip", type=COLUMN_PREFIX + column).text = value
        if entry.note:
            ET.SubElement(concept, "note").text = entry.note
        for lang in ("en", "ru"):
            lang_sec = ET.SubElement(concept, "langSec", {XML_LANG: lang})
            _term_sec(lang_sec, entry.preferred(lang), "preferred")
            for variant in entry.terms(lang)[1:]:
                _term_sec(lang_sec, variant, "admitted")
            for bad in entry.deprecated(lang):
                _term_sec(lang_sec, bad, "deprecated")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_tbx(glossary: Glossary, path: str | os.PathLike[str]) -> None:
    text = dump_tbx(glossary)
    with atomic_write(path) as fh:
        fh.write(text)
