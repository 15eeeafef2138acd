"""TMX 1.4b, the translation-memory exchange format every CAT tool imports.

Writing: a header with the attributes TMX 1.4b requires (creationtool,
creationtoolversion, segtype, o-tmf, adminlang, srclang, datatype) and one
``<tu>`` per unit.  ``meta`` becomes ``<prop type="x-KEY">`` (TMX asks for an
``x-`` prefix on user-defined types), except ``tuid`` (the ``tuid``
attribute) and ``note`` (a ``<note>``).  No creation date is written unless
the header asks for one, so the same units always give the same bytes.

Reading: any TMX 1.1-1.4b file; ``xml:lang`` (or the older ``lang``) is
matched on its primary subtag, so ``en-US``/``ru-RU`` files work with
``en``/``ru`` (TMX 1.1's ``lang="EN-US"`` too).  Inline codes (``<bpt>``,
``<ph>``, ``<hi>``...) follow the plain-text policy of
:mod:`mlcorpus.formats.inline`: removed and counted.
"""

from __future__ import annotations

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
from mlcorpus.formats.inline import EXTRA_SEG
from mlcorpus.formats.xmlsafe import (
    XML_NS,
    CollectingHandler,
    XmlEscaper,
    XmlStructureError,
    iter_xml_units,
    write_xml_document,
)

SUPPORTED_VERSIONS = ("1.1", "1.2", "1.3", "1.4", "1.4a", "1.4b")
# header attributes a caller may set through ``header``; other keys become <prop>s
HEADER_ATTRIBUTES = (
    "creationdate",
    "creationid",
    "changedate",
    "changeid",
    "o-encoding",
    "adminlang",
    "o-tmf",
    "segtype",
    "datatype",
)


def _header_xml(src_lang: str, header: dict | None, esc: XmlEscaper) -> str:
    attrs = {
        "creationtool": "mlcorpus",
        "creationtoolversion": __version__,
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": src_lang,
        "o-tmf": "mlcorpus",
    }
    props = []
    for key, value in (header or {}).items():
        if key == "columns":  # the TSV/CSV column choice means nothing here
            continue
        if key in HEADER_ATTRIBUTES:
            attrs[key] = meta_text(value)
        else:
            props.append((key, meta_text(value)))
    attr_xml = " ".join(f'{k}="{esc.attr(v)}"' for k, v in attrs.items())
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<tmx version="1.4">']
    if props:
        lines.append(f"  <header {attr_xml}>")
        for key, value in props:
            lines.append(f'    <prop type="{esc.attr(private_type(key))}">{esc.text(value)}</prop>')
        lines.append("  </header>")
    else:
        lines.append(f"  <header {attr_xml}/>")
    lines.append("  <body>")
    return "\n".join(lines) + "\n"


class _TuWriter:
    """Formats one ``<tu>``; remembers the opening tag of each meta key."""

    def __init__(self, src_lang: str, tgt_lang: str, esc: XmlEscaper) -> None:
        self.esc = esc
        self.src_open = f'      <tuv xml:lang="{esc.attr(src_lang)}">\n        <seg>'
        self.tgt_open = f'      <tuv xml:lang="{esc.attr(tgt_lang)}">\n        <seg>'
        self.openers: dict[str, str] = {"note": "      <note>"}
        self.closers: dict[str, str] = {"note": "</note>\n"}

    def __call__(self, unit: TranslationUnit) -> str:
        esc = self.esc
        text = esc.text
        meta = unit.meta
        parts = []
        if "tuid" in meta:
            parts.append(f'    <tu tuid="{esc.attr(meta_text(meta["tuid"]))}">\n')
        else:
            parts.append("    <tu>\n")
        for key, value in meta.items():
            if key == "tuid":
                continue
            if key == "note" and isinstance(value, (list, tuple)):  # several notes
                for note in value:
                    parts.append(f"      <note>{text(meta_text(note))}</note>\n")
                continue
            opener = self.openers.get(key)
            if opener is None:
                opener = self.openers[key] = f'      <prop type="{esc.attr(private_type(key))}">'
                self.closers[key] = "</prop>\n"
            parts.append(opener)
            parts.append(text(value if isinstance(value, str) else meta_text(value)))
            parts.append(self.closers[key])
        parts.append(self.src_open)
        parts.append(text(unit.src))
        parts.append("</seg>\n      </tuv>\n")
        parts.append(self.tgt_open)
        parts.append(text(unit.tgt))
        parts.append("</seg>\n      </tuv>\n    </tu>\n")
        return "".join(parts)


def write(
    units: Iterable[TranslationUnit],
    path: str | None,
    *,
    src_lang: str,
    tgt_lang: str,
    header: dict | None,
    report: WriteReport,
) -> None:
    """Stream *units* to *path* (``None``/``-``: stdout) as TMX 1.4b."""
    esc = XmlEscaper()
    tu_xml = _TuWriter(src_lang, tgt_lang, esc)
    head = _header_xml(src_lang, header, esc)
    write_xml_document(
        path, head, (tu_xml(unit) for unit in units), "  </body>\n</tmx>\n", report, esc
    )


class _TmxHandler(CollectingHandler):
    """Collects ``<tu>``s as the parser reports them; see :mod:`xmlsafe`."""

    def __init__(self, src_lang: str | None, tgt_lang: str | None, stats: ReadStats) -> None:
        super().__init__(src_lang, tgt_lang, stats)
        self.seen_body = False
        self.tu: dict | None = None
        self.tuv_lang: str | None = None
        self.tuv_text: str | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.text is not None:  # inline code inside <seg>/<prop>/<note>
            self.inline(tag)
            return
        if self.depth == 1:
            self._check_root(tag, attrs)
            return
        if tag == "header" and self.depth == 2:
            srclang = attrs.get("srclang", "")
            if self.want_src is None and srclang and srclang != "*all*":
                self.want_src = primary_subtag(srclang)
        elif tag == "body" and self.depth == 2:
            self.seen_body = True
        elif tag == "tu" and self.depth == 3:
            self.tu = {"meta": {}, "tuvs": []}
            if "tuid" in attrs:
                self.tu["meta"]["tuid"] = attrs["tuid"]
        elif self.tu is not None and self.depth == 4 and tag in ("prop", "note"):
            self.tu["key"] = "note" if tag == "note" else meta_key(attrs.get("type", "x-prop"))
            self.collect()
        elif self.tu is not None and self.depth == 4 and tag == "tuv":
            lang = attrs.get(XML_NS + "lang") or attrs.get("lang")
            if not lang:
                raise XmlStructureError("<tuv> has no xml:lang attribute")
            self.tuv_lang, self.tuv_text = lang, None
        elif self.tuv_lang is not None and self.depth == 5 and tag == "seg":
            self.collect()

    def _check_root(self, tag: str, attrs: dict[str, str]) -> None:
        if tag != "tmx":
            raise XmlStructureError(f"not a TMX file: the root element is <{tag}>, not <tmx>")
        version = attrs.get("version")
        if version is None:
            raise XmlStructureError("<tmx> has no version attribute")
        if version.strip() not in SUPPORTED_VERSIONS:
            raise XmlStructureError(
                f"unsupported TMX version {version!r} (this reader handles 1.1 to 1.4b)"
            )

    def text_done(self, tag: str, text: str) -> None:
        if tag == "seg":
            if self.tuv_text is None:
                self.tuv_text = text
            else:  # TMX allows one <seg> per <tuv>; keep every one's text
                self.tuv_text = f"{self.tuv_text} {text}"
                inline = self.stats.inline
                inline[EXTRA_SEG] = inline.get(EXTRA_SEG, 0) + 1
        elif self.tu is not None:
            key = self.tu.pop("key")
            meta = self.tu["meta"]
            meta[key] = f"{meta[key]}\n{text}" if key == "note" and key in meta else text

    def element_done(self, tag: str, depth: int) -> None:
        if tag == "tuv" and depth == 4 and self.tu is not None:
            self.tu["tuvs"].append((self.tuv_lang, self.tuv_text or ""))
            self.tuv_lang = None
        elif tag == "tu" and depth == 3 and self.tu is not None:
            self._finish_tu()

    def _finish_tu(self) -> None:
        tu, self.tu = self.tu, None
        if tu is None:
            return
        tuvs = tu["tuvs"]
        if not tuvs:
            self.stats.skipped += 1
            return
        if self.want_src is None:
            self.want_src = primary_subtag(tuvs[0][0])
        src = next((t for t in tuvs if primary_subtag(t[0]) == self.want_src), None)
        if self.want_tgt is None:
            others = {primary_subtag(t[0]) for t in tuvs} - {self.want_src}
            if len(others) > 1:
                raise XmlStructureError(
                    f"this unit has several target languages ({', '.join(sorted(others))}); "
                    "choose one with --tgt-lang"
                )
            if others:
                self.want_tgt = others.pop()
        tgt = next((t for t in tuvs if primary_subtag(t[0]) == self.want_tgt), None)
        if src is None or tgt is None:
            self.stats.skipped += 1
            return
        self.stats.read += 1
        self.pending.append(
            TranslationUnit(
                src=src[1], tgt=tgt[1], src_lang=src[0], tgt_lang=tgt[0], meta=tu["meta"]
            )
        )

    def close(self) -> None:
        if not self.seen_body:
            raise XmlStructureError("not a TMX file: no <body> element")


def read(
    source: str, *, src_lang: str | None, tgt_lang: str | None, stats: ReadStats
) -> Iterator[TranslationUnit]:
    """Stream the units of a TMX file; units lacking either language are
    skipped and counted in *stats*."""
    return iter_xml_units(source, _TmxHandler(src_lang, tgt_lang, stats))
