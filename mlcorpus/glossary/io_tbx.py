"""TBX (ISO 30042) import and export.

Written as TBX-Basic, in one of two forms:

* ``version="2"`` (the default): the ISO 30042:2008 ``martif`` form
  (``termEntry``/``langSet``/``tig``), which OmegaT, translate-toolkit's
  ``tbxfile``/``tbx2po`` and most CAT tools read; valid against ``tbx.xsd``.
* ``version="3"``: TBX v3 (ISO 30042:2019) in the TBX-Basic DCA dialect
  (``conceptEntry``/``langSec``/``termSec``, namespace
  ``urn:iso:std:iso:30042:ed-2``); valid against the TBX-Basic RelaxNG and
  Schematron and the TBX core structure.

One entry per glossary entry, one language section per language, one term
with its ``administrativeStatus`` per term (preferred, admitted = accepted
variant, deprecated).  Only data categories TBX-Basic defines are used: the
entry note is a ``note``; ``definition`` and ``subjectField`` columns are
``descrip``s; case sensitivity and any other glossary column, which TBX-Basic
has no category for, are entry ``note``s of the form ``mlcorpus:KEY=VALUE``
(``mlcorpus:case_sensitive=true``, ``mlcorpus:column:NAME=VALUE``), which
tools show as comments and :func:`read_tbx` turns back into fields, so
TSV -> TBX -> TSV gives the same entries back.

Reading accepts TBX v2 (``termEntry``/``langSet``/``tig``/``ntig``) as well as
v3 (``conceptEntry``/``langSec``/``termSec``), any namespace, and the
``x-caseSensitive``/``x-column-`` descrips of older mlcorpus files; it parses
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
TBX_VERSIONS = ("2", "3")
FIELD_PREFIX = "mlcorpus:"  # entry notes that carry a glossary field
DESCRIP_COLUMNS = ("subjectField", "definition")  # columns TBX-Basic has a descrip for
CASE_TYPE = "x-caseSensitive"  # read from older mlcorpus files
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
        notes = []
        for note in _children(concept, "note"):
            text = _text(note)
            field = _field_note(text)
            if field is None:
                if text:
                    notes.append(text)
            elif field[0] == "case_sensitive":
                entry.case_sensitive = field[1].strip().lower() == "true"
            elif field[0].startswith("column:"):
                entry.extra[field[0][len("column:") :]] = field[1]
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


def _field_note(text: str) -> tuple[str, str] | None:
    """``mlcorpus:KEY=VALUE`` -> (KEY, VALUE); None for an ordinary note."""
    if not text.startswith(FIELD_PREFIX) or "=" not in text:
        return None
    key, value = text[len(FIELD_PREFIX) :].split("=", 1)
    return key, value


def _field_notes(entry: Entry) -> list[str]:
    notes = [f"{FIELD_PREFIX}case_sensitive=true"] if entry.case_sensitive else []
    notes += [
        f"{FIELD_PREFIX}column:{column}={value}"
        for column, value in entry.extra.items()
        if column not in DESCRIP_COLUMNS
    ]
    return notes


def dump_tbx(glossary: Glossary, version: str = "2") -> str:
    """The glossary as a TBX-Basic document, ``martif`` (``"2"``) or TBX v3 (``"3"``)."""
    if version not in TBX_VERSIONS:
        raise InputError(f"unknown TBX version {version!r}; choose 2 (martif) or 3")
    v3 = version == "3"
    names = ("conceptEntry", "langSec", "termSec") if v3 else ("termEntry", "langSet", "tig")
    source_text = f"mlcorpus glossary {glossary.version}"
    if v3:
        root = ET.Element(
            "tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: "en", "xmlns": TBX_NS}
        )
        header = ET.SubElement(root, "tbxHeader")
    else:
        root = ET.Element("martif", {"type": "TBX-Basic", XML_LANG: "en"})
        header = ET.SubElement(root, "martifHeader")
    file_desc = ET.SubElement(header, "fileDesc")
    ET.SubElement(ET.SubElement(file_desc, "sourceDesc"), "p").text = source_text
    if not v3:
        encoding = ET.SubElement(header, "encodingDesc")
        ET.SubElement(encoding, "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for number, entry in enumerate(glossary.entries, start=1):
        concept = ET.SubElement(body, names[0], id=f"c{number}")
        for column in DESCRIP_COLUMNS:
            if entry.extra.get(column):
                ET.SubElement(concept, "descrip", type=column).text = entry.extra[column]
        if entry.note:
            ET.SubElement(concept, "note").text = entry.note
        for text in _field_notes(entry):
            ET.SubElement(concept, "note").text = text
        for lang in ("en", "ru"):
            lang_sec = ET.SubElement(concept, names[1], {XML_LANG: lang})
            terms = [(entry.preferred(lang), "preferred")]
            terms += [(variant, "admitted") for variant in entry.terms(lang)[1:]]
            terms += [(bad, "deprecated") for bad in entry.deprecated(lang)]
            for term, status in terms:
                sec = ET.SubElement(lang_sec, names[2])
                ET.SubElement(sec, "term").text = term
                note = ET.SubElement(sec, "termNote", type="administrativeStatus")
                note.text = STATUS[status]
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_tbx(glossary: Glossary, path: str | os.PathLike[str], version: str = "2") -> None:
    text = dump_tbx(glossary, version)
    with atomic_write(path) as fh:
        fh.write(text)
