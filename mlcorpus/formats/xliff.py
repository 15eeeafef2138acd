"""XLIFF 1.2, the format translators' CAT tools open for review.

Writing: one ``<file>`` (datatype plaintext) with one ``<trans-unit>`` per
unit, numbered from 1, ``xml:space="preserve"`` so tools keep spacing.  The
file is valid against the OASIS XLIFF 1.2 *strict* schema: metadata uses only
what the standard defines, so every tool reads it and none turns it into text
to translate.

* The target's ``state`` tells the reviewer what to do: machine translation
  (``meta["origin"]`` is ``mt``) is ``needs-review-translation`` with
  ``state-qualifier="leveraged-mt"``; anything else (human or aligned
  translations) is ``translated`` and the unit is ``approved="yes"``, so
  translate-toolkit, Okapi and the like count it as translated rather than
  fuzzy.  ``meta["state"]`` / ``meta["state-qualifier"]`` override this.
* ``tuid`` goes to ``resname``; ``note`` (text, or a list of texts) to
  ``<note>``s; ``mt`` (a machine translation kept beside a human target) to an
  ``<alt-trans origin="machine-translation">``; every other key to a
  ``<context context-type="x-KEY">`` inside one ``<context-group
  purpose="information">``.  Header metadata becomes
  ``<note from="KEY">`` in the file ``<header>``.

The ``xliff-omegat`` flavour (:func:`write_omegat`) is for OmegaT 3.x, whose
XLIFF filter offers the text of ``<target>`` for translation and never that of
``<source>``: its ``<target state="needs-translation">`` holds a copy of the
English source, and the translation moves to an ``<alt-trans>``.  Give OmegaT
the translations as a TMX in ``tm/auto/`` to have them filled in.

Reading: XLIFF 1.0-1.2, trans-units at any ``<group>`` depth, several
``<file>``s; ``<alt-trans>`` suggestions are ignored except the
``machine-translation`` one this writer adds (read back as ``meta["mt"]``);
inline elements follow the policy in :mod:`mlcorpus.formats.inline`.  The
``<mlc:prop>`` elements of older mlcorpus files are still read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from mlcorpus import __version__
from mlcorpus.formats.base import (
    ReadStats,
    TranslationUnit,
    WriteReport,
    meta_key,
    meta_text,
    primary_subtag,
    private_type,
)
from mlcorpus.formats.xmlsafe import (
    CollectingHandler,
    XmlEscaper,
    XmlStructureError,
    iter_xml_units,
    local_name,
    write_xml_document,
)

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
META_NS = "urn:mlcorpus:meta"  # older mlcorpus files kept metadata in this namespace
SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
# meta keys stored in XLIFF attributes or elements rather than as <context>s
_RESERVED = ("tuid", "note", "state", "state-qualifier", "mt")
MT_ORIGIN = "machine-translation"  # the alt-trans origin of a kept machine translation
_SPACE = re.compile(r"\s+")


def is_machine_translation(meta: dict) -> bool:
    """True when ``meta["origin"]`` says the target came from an MT system."""
    origin = str(meta.get("origin", "")).strip().lower()
    return origin in ("mt", "machine", "machine-translation", "machine_translation")


def context_type(key: str) -> str:
    """The ``context-type`` for a meta key: XLIFF asks ``x-`` plus no spaces."""
    return private_type(_SPACE.sub("_", key.strip()) or "prop")


def _target_state(meta: dict) -> tuple[str, str | None]:
    mt = is_machine_translation(meta)
    state = meta.get("state")
    qualifier = meta.get("state-qualifier")
    if state is None:
        state = "needs-review-translation" if mt else "translated"
    if qualifier is None and mt and "state" not in meta:
        qualifier = "leveraged-mt"
    return meta_text(state), None if qualifier is None else meta_text(qualifier)


def _header_xml(src_lang: str, tgt_lang: str, header: dict | None, esc: XmlEscaper) -> str:
    header = dict(header or {})
    header.pop("columns", None)  # the TSV/CSV column choice means nothing here
    original = meta_text(header.pop("original", "mlcorpus"))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<xliff version="1.2" xmlns="{XLIFF_NS}">',
        f'  <file original="{esc.attr(original)}" source-language="{esc.attr(src_lang)}" '
        f'target-language="{esc.attr(tgt_lang)}" datatype="plaintext">',
        "    <header>",
        f'      <tool tool-id="mlcorpus" tool-name="mlcorpus" tool-version="{__version__}"/>',
    ]
    for key, value in header.items():
        lines.append(f'      <note from="{esc.attr(key)}">{esc.text(meta_text(value))}</note>')
    lines += ["    </header>", "    <body>"]
    return "\n".join(lines) + "\n"


def _notes(meta: dict) -> list[str]:
    value = meta.get("note")
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [meta_text(v) for v in value]
    return [meta_text(value)]


def _unit_xml(
    number: int, unit: TranslationUnit, esc: XmlEscaper, tgt_lang: str, *, omegat: bool = False
) -> str:
    meta = unit.meta
    attrs = f' resname="{esc.attr(meta_text(meta["tuid"]))}"' if "tuid" in meta else ""
    if omegat:
        state_xml = 'state="needs-translation"'
        target = unit.src
    else:
        state, qualifier = _target_state(meta)
        state_xml = f'state="{esc.attr(state)}"'
        if qualifier is not None:
            state_xml += f' state-qualifier="{esc.attr(qualifier)}"'
        elif state in ("translated", "signed-off", "final"):
            attrs += ' approved="yes"'
        target = unit.tgt
    parts = [
        f'      <trans-unit id="{number}"{attrs} xml:space="preserve">\n'
        f"        <source>{esc.text(unit.src)}</source>\n"
        f"        <target {state_xml}>{esc.text(target)}</target>\n"
    ]
    alternatives = []
    if omegat and unit.tgt:
        origin = MT_ORIGIN if is_machine_translation(meta) else "mlcorpus"
        alternatives.append((origin, unit.tgt))
    if meta.get("mt") and not (omegat and meta_text(meta["mt"]) == unit.tgt):
        alternatives.append((MT_ORIGIN, meta_text(meta["mt"])))
    contexts = [
        f'          <context context-type="{esc.attr(context_type(key))}">'
        f"{esc.text(meta_text(value))}</context>\n"
        for key, value in meta.items()
        if key not in _RESERVED
    ]
    if contexts:
        parts.append('        <context-group purpose="information">\n')
        parts.extend(contexts)
        parts.append("        </context-group>\n")
    for note in _notes(meta):
        parts.append(f"        <note>{esc.text(note)}</note>\n")
    for origin, text in alternatives:
        parts.append(
            f'        <alt-trans origin="{esc.attr(origin)}">\n'
            f'          <target xml:lang="{esc.attr(tgt_lang)}">{esc.text(text)}</target>\n'
            "        </alt-trans>\n"
        )
    parts.append("      </trans-unit>\n")
    return "".join(parts)


def write(
    units: Iterable[TranslationUnit],
    path: str | None,
    *,
    src_lang: str,
    tgt_lang: str,
    header: dict | None,
    report: WriteReport,
    omegat: bool = False,
) -> None:
    """Stream *units* to *path* (``None``/``-``: stdout) as XLIFF 1.2."""
    esc = XmlEscaper()
    head = _header_xml(src_lang, tgt_lang, header, esc)
    units_xml = (
        _unit_xml(n, unit, esc, tgt_lang, omegat=omegat) for n, unit in enumerate(units, 1)
    )
    write_xml_document(path, head, units_xml, "    </body>\n  </file>\n</xliff>\n", report, esc)


#: XLIFF 1.2 laid out for OmegaT 3.x (see the module docstring); the writer of
#: the ``xliff-omegat`` format
write_omegat = functools.partial(write, omegat=True)


class _XliffHandler(CollectingHandler):
    """Collects ``<trans-unit>``s as the parser reports them; see :mod:`xmlsafe`."""

    def __init__(self, src_lang: str | None, tgt_lang: str | None, stats: ReadStats) -> None:
        super().__init__(src_lang, tgt_lang, stats)
        self.seen_file = False
        self.swap = False
        self.langs = ("", "")
        self.unit: dict | None = None
        self.unit_depth = 0
        self.key: str | None = None
        self.alt_origin: str | None = None  # origin of the <alt-trans> being read

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.text is not None:  # inline element inside <source>/<target>
            self.inline(tag)
            return
        name = local_name(tag)
        if self.depth == 1:
            self._check_root(tag, name, attrs)
        elif name == "file" and self.unit is None:
            self._start_file(attrs)
        elif name == "trans-unit" and self.unit is None:
            self.unit = {"src": "", "tgt": "", "meta": {}}
            if "resname" in attrs:
                self.unit["meta"]["tuid"] = attrs["resname"]
            self.unit_depth = self.depth
        elif self.unit is not None:
            self._start_in_unit(tag, name, attrs)

    def _check_root(self, tag: str, name: str, attrs: dict[str, str]) -> None:
        if name != "xliff":
            raise XmlStructureError(f"not an XLIFF file: the root element is <{name}>")
        version = attrs.get("version", "").strip()
        if version.startswith("2") or "xliff:document:2" in tag:
            raise XmlStructureError(
                f"XLIFF {version or '2'} is not supported (this reader handles 1.0 to 1.2)"
            )
        if not version and XLIFF_NS not in tag:
            raise XmlStructureError("<xliff> has no version attribute")
        if version and version not in SUPPORTED_VERSIONS:
            raise XmlStructureError(
                f"unsupported XLIFF version {version!r} (this reader handles 1.0 to 1.2)"
            )

    def _start_file(self, attrs: dict[str, str]) -> None:
        src = attrs.get("source-language", "")
        tgt = attrs.get("target-language", "")
        if not src:
            raise XmlStructureError("<file> has no source-language attribute")
        self.seen_file = True
        self.langs = (src, tgt)
        fsrc, ftgt = primary_subtag(src), primary_subtag(tgt) if tgt else None
        self.swap = False
        if self.want_src and fsrc != self.want_src:
            if ftgt == self.want_src and (self.want_tgt is None or self.want_tgt == fsrc):
                self.swap = True  # asked for the reverse direction of this file
            else:
                raise XmlStructureError(
                    f"this <file> is {src} -> {tgt or '?'}, not {self.want_src} -> "
                    f"{self.want_tgt or '?'}"
                )
        elif self.want_tgt and ftgt and ftgt != self.want_tgt:
            raise XmlStructureError(f"this <file> is {src} -> {tgt}, not {fsrc} -> {self.want_tgt}")

    def _start_in_unit(self, tag: str, name: str, attrs: dict[str, str]) -> None:
        if self.unit is None:  # only called inside a <trans-unit>
            return
        level = self.depth - self.unit_depth
        meta = self.unit["meta"]
        if level == 1 and name in ("source", "target", "note"):
            self.key = name
            if name == "target":
                for attr in ("state", "state-qualifier"):
                    if attr in attrs:
                        meta[attr] = attrs[attr]
        elif level == 1 and name == "alt-trans":
            self.alt_origin = attrs.get("origin", "")
            return
        elif level == 2 and name == "target" and self.alt_origin == MT_ORIGIN:
            self.key = "mt"
        elif level == 2 and name == "context" and "context-type" in attrs:
            self.key = "meta:" + meta_key(attrs["context-type"])
        elif tag.startswith("{" + META_NS + "}") and name == "prop" and level == 1:
            self.key = "meta:" + attrs.get("type", "prop")
        elif name == "prop" and level == 2:  # XLIFF 1.2 <prop-group><prop prop-type=...>
            self.key = "meta:" + attrs.get("prop-type", "prop")
        else:
            return
        self.collect()

    def text_done(self, tag: str, text: str) -> None:
        key, self.key = self.key, None
        unit = self.unit
        if unit is None or key is None:
            return
        if key in ("source", "target"):
            unit["src" if key == "source" else "tgt"] = text
        elif key == "mt":
            unit["meta"]["mt"] = text
        elif key == "note":
            meta = unit["meta"]
            meta["note"] = f"{meta['note']}\n{text}" if "note" in meta else text
        else:
            unit["meta"][key.removeprefix("meta:")] = text

    def element_done(self, tag: str, depth: int) -> None:
        if self.alt_origin is not None and depth == self.unit_depth + 1:
            self.alt_origin = None  # the <alt-trans> closed
        if self.unit is not None and depth == self.unit_depth:
            unit, self.unit = self.unit, None
            src, tgt = self.langs
            if self.swap:
                unit["src"], unit["tgt"], src, tgt = unit["tgt"], unit["src"], tgt, src
            self.stats.read += 1
            self.pending.append(
                TranslationUnit(
                    src=unit["src"],
                    tgt=unit["tgt"],
                    src_lang=src,
                    tgt_lang=tgt or (self.want_tgt or ""),
                    meta=unit["meta"],
                )
            )

    def close(self) -> None:
        if not self.seen_file:
            raise XmlStructureError("not an XLIFF file: no <file> element")


def read(
    source: str, *, src_lang: str | None, tgt_lang: str | None, stats: ReadStats
) -> Iterator[TranslationUnit]:
    """Stream the trans-units of an XLIFF 1.x file (untranslated ones get an
    empty target)."""
    return iter_xml_units(source, _XliffHandler(src_lang, tgt_lang, stats))
