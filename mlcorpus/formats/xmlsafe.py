"""XML the safe way, both directions.

Writing: characters that XML 1.0 forbids (most C0 controls, lone surrogates,
U+FFFE/U+FFFF) would make the whole file unreadable by every other tool, so
they are removed and counted; text and attribute values are escaped by hand,
which is several times faster than building a tree and lets writers stream.

Reading: files come from other tools and from the internet, so they are
parsed with ``defusedxml`` (entity declarations, external entities and
network access refused, so no billion-laughs expansion and no file or URL
fetching).  Rather than building elements (``iterparse``), the parser feeds a
small handler that collects units as it goes: memory stays flat on any file
size, and every error, syntax or structure, can name its line and column.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from mlcorpus.errors import InputError
from mlcorpus.formats.base import ReadStats, TranslationUnit, WriteReport, primary_subtag
from mlcorpus.formats.inline import drops_content
from mlcorpus.formats.lineio import display_name, open_binary
from mlcorpus.textio import open_output

# units rendered per write(): big enough to amortise the call, small enough for flat memory
WRITE_BATCH = 2000

XML_NS = "{http://www.w3.org/XML/1998/namespace}"

# everything outside XML 1.0's Char production (the C0 controls but tab, LF and
# CR; surrogates; U+FFFE and U+FFFF)
_ILLEGAL = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_ILLEGAL_XML = re.compile(f"[{_ILLEGAL}]")
_TEXT_WORK = re.compile(f"[{_ILLEGAL}&<>\r]")  # anything escape_text or strip would change
_ATTR_WORK = re.compile(f'[{_ILLEGAL}&<>\r\n\t"]')
_CHUNK = 1 << 16


def strip_illegal(text: str) -> tuple[str, int]:
    """Remove characters not allowed in XML 1.0; return the text and how many went."""
    return _ILLEGAL_XML.subn("", text)


def escape_text(text: str) -> str:
    """Escape element content.  ``\\r`` becomes ``&#13;`` because parsers turn a
    literal carriage return into a line feed; ``>`` is escaped so ``]]>`` is safe."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def escape_attr(text: str) -> str:
    """Escape a double-quoted attribute value, keeping tabs and line breaks
    (a parser would otherwise normalise them to spaces)."""
    text = escape_text(text).replace('"', "&quot;")
    return text.replace("\n", "&#10;").replace("\t", "&#9;")


class XmlEscaper:
    """Escapes text for a streaming XML writer, dropping characters XML 1.0
    forbids and counting them in ``removed``.  Most segments need no change,
    so one regex search decides before any copying."""

    __slots__ = ("removed",)

    def __init__(self) -> None:
        self.removed = 0

    def text(self, value: str) -> str:
        if _TEXT_WORK.search(value) is None:
            return value
        cleaned, removed = strip_illegal(value)
        self.removed += removed
        return escape_text(cleaned)

    def attr(self, value: str) -> str:
        if _ATTR_WORK.search(value) is None:
            return value
        cleaned, removed = strip_illegal(value)
        self.removed += removed
        return escape_attr(cleaned)


def local_name(tag: str) -> str:
    """``{urn:...}trans-unit`` -> ``trans-unit``."""
    return tag.rsplit("}", 1)[-1]


class XmlStructureError(Exception):
    """Raised by a handler for well-formed XML that is not the expected format;
    the reader adds the position and turns it into :class:`InputError`."""

    position: tuple[int, int] | None = None


class UnitHandler(Protocol):
    """The target a format's reader gives the parser: ElementTree's target
    interface plus a list of finished units that the reader drains."""

    pending: list[TranslationUnit]

    def start(self, tag: str, attrs: dict[str, str]) -> None: ...
    def end(self, tag: str) -> None: ...
    def data(self, text: str) -> None: ...
    def close(self) -> None: ...


class CollectingHandler:
    """What the TMX and XLIFF handlers share: finished units, the wanted
    languages, the element depth, and gathering the text of one element at a
    time (inline markup inside it follows :mod:`mlcorpus.formats.inline`).

    Subclasses implement ``start``, ``text_done(tag, text)`` (an element whose
    text was collected has closed) and ``element_done(tag, depth)`` (any other
    element has closed), and call :meth:`collect` in ``start``.
    """

    def __init__(self, src_lang: str | None, tgt_lang: str | None, stats: ReadStats) -> None:
        self.pending: list[TranslationUnit] = []
        self.want_src = primary_subtag(src_lang) if src_lang else None
        self.want_tgt = primary_subtag(tgt_lang) if tgt_lang else None
        self.stats = stats
        self.depth = 0
        self.text: list[str] | None = None  # character data being collected
        self.text_depth = 0  # depth of the element whose text is collected
        self.drop_depth = 0  # depth of the inline code element being dropped, or 0

    def collect(self) -> None:
        """Start gathering the text of the element just opened."""
        self.text = []
        self.text_depth = self.depth

    def inline(self, tag: str) -> None:
        """An element opened inside collected text: apply :mod:`inline`'s policy
        (count it; drop its content if it holds native code)."""
        name = local_name(tag)
        counts = self.stats.inline
        counts[name] = counts.get(name, 0) + 1
        if not self.drop_depth and drops_content(name):
            self.drop_depth = self.depth

    def data(self, text: str) -> None:
        if self.text is not None and not self.drop_depth:
            self.text.append(text)

    def end(self, tag: str) -> None:
        depth = self.depth
        self.depth -= 1
        if self.text is not None:
            if depth == self.drop_depth:
                self.drop_depth = 0
            elif depth == self.text_depth:
                text, self.text = "".join(self.text), None
                self.text_done(tag, text)
            return
        self.element_done(tag, depth)

    def text_done(self, tag: str, text: str) -> None:
        raise NotImplementedError

    def element_done(self, tag: str, depth: int) -> None:
        raise NotImplementedError


class _Located:
    """Wraps a handler to note where a structure error happened: expat only
    knows the start of the offending element while the callback runs."""

    def __init__(self, handler: UnitHandler) -> None:
        self.handler = handler
        self.data = handler.data  # the hot path: no wrapper
        self.expat: Any = None  # the pyexpat parser, set once parsing starts

    def _fail(self, exc: XmlStructureError) -> None:
        if self.expat is not None:
            exc.position = (self.expat.CurrentLineNumber, self.expat.CurrentColumnNumber)
        raise exc

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        try:
            self.handler.start(tag, attrs)
        except XmlStructureError as exc:
            self._fail(exc)

    def end(self, tag: str) -> None:
        try:
            self.handler.end(tag)
        except XmlStructureError as exc:
            self._fail(exc)

    def close(self) -> None:
        self.handler.close()


def iter_xml_units(source: str, handler: UnitHandler) -> Iterator[TranslationUnit]:
    """Parse *source* (a path or ``-``) safely, yielding units as *handler*
    completes them.  Any problem raises a one-line :class:`InputError` with
    the file name, line and column."""
    name = display_name(source)
    target = _Located(handler)
    parser = DefusedXMLParser(
        target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    expat = target.expat = parser.parser

    def where() -> str:
        return f"{name}, line {expat.CurrentLineNumber}, column {expat.CurrentColumnNumber + 1}"

    fh = open_binary(source)
    try:
        seen_data = False
        while True:
            chunk = fh.read(_CHUNK)
            try:
                if chunk:
                    seen_data = True
                    parser.feed(chunk)
                else:
                    if not seen_data:
                        raise InputError(f"{name}: file is empty")
                    parser.close()
            except ParseError as exc:
                line, column = exc.position
                reason = str(exc).split(":", 1)[0]
                raise InputError(
                    f"{name}, line {line}, column {column + 1}: invalid XML: {reason}"
                ) from None
            except EntitiesForbidden as exc:
                raise InputError(
                    f"{where()}: entity declaration '{exc.name}' refused "
                    "(entity expansion is disabled for safety)"
                ) from None
            except ExternalReferenceForbidden as exc:
                raise InputError(
                    f"{where()}: external entity '{exc.sysid or exc.pubid}' refused "
                    "(files and URLs are never fetched)"
                ) from None
            except DTDForbidden:  # pragma: no cover - DTDs are allowed, entities are not
                raise InputError(f"{where()}: DTD refused") from None
            except XmlStructureError as exc:
                if exc.position is None:  # found at the end of the document
                    raise InputError(f"{where()}: {exc}") from None
                line, column = exc.position
                raise InputError(f"{name}, line {line}, column {column + 1}: {exc}") from None
            if handler.pending:
                yield from handler.pending
                handler.pending.clear()
            if not chunk:
                break
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def write_xml_document(
    path: str | None,
    head: str,
    units_xml: Iterable[str],
    tail: str,
    report: WriteReport,
    esc: XmlEscaper,
) -> None:
    """Stream an XML document: *head*, each rendered unit, *tail*.

    Units are joined in batches (one ``write`` per :data:`WRITE_BATCH` units), so
    memory stays flat however large the corpus; the file appears atomically.
    """
    try:
        with open_output(path) as out:
            out.write(head)
            batch: list[str] = []
            for xml in units_xml:
                batch.append(xml)
                report.written += 1
                if len(batch) >= WRITE_BATCH:
                    out.write("".join(batch))
                    batch.clear()
            out.write("".join(batch))
            out.write(tail)
    finally:
        report.illegal_chars_removed += esc.removed
