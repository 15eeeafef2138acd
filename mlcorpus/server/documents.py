"""Texts cut into translatable segments and put back together.

A :class:`Template` is the text with its segments taken out: literal parts
(line breaks, the spaces between sentences, HTML markup) are kept byte for
byte and each segment is a slot for its translation.  Every request shape --
``q`` as plain text or HTML, a .txt/.html file, an XLIFF unit -- becomes
templates, their segments go to the batcher together, and the templates are
filled with the results.

HTML is read with the standard library's tokenizer (no network, no entity
expansion beyond HTML's named characters); only text nodes are translated,
never tags, attributes, comments, ``<script>``/``<style>``/``<code>``/
``<pre>`` content, or elements marked ``translate="no"`` or
``class="notranslate"``.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from mlcorpus.segment import SUPPORTED_LANGS, sentence_spans

_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
#: elements whose text is never translated
SKIP_ELEMENTS = frozenset({"script", "style", "code", "pre", "kbd", "samp", "var", "textarea"})
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


@dataclass
class Template:
    """Literal parts (``str``) and segment slots (``int``), in order."""

    parts: list[str | int] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    #: applied to each translation when filling (HTML escaping)
    escape: Callable[[str], str] | None = None

    def literal(self, text: str) -> None:
        if text:
            self.parts.append(text)

    def slot(self, segment: str) -> None:
        self.parts.append(len(self.segments))
        self.segments.append(segment)

    def extend(self, other: Template, literal: Callable[[str], str] = str) -> None:
        """Append *other*'s parts, passing its literals through *literal*."""
        for part in other.parts:
            if isinstance(part, int):
                self.slot(other.segments[part])
            else:
                self.literal(literal(part))

    def fill(self, translations: Sequence[str]) -> str:
        """The text with every segment replaced by its translation."""
        if len(translations) != len(self.segments):
            raise ValueError(f"{len(self.segments)} segments but {len(translations)} translations")
        escape = self.escape or str
        return "".join(
            escape(translations[part]) if isinstance(part, int) else part for part in self.parts
        )


def plain_template(text: str, lang: str) -> Template:
    """Plain text: line breaks kept, each line cut into sentences."""
    template = Template()
    for piece in _LINE_BREAK.split(text):
        if not piece or _LINE_BREAK.fullmatch(piece) or not _has_letters(piece):
            template.literal(piece)
            continue
        spans = sentence_spans(piece, lang) if lang in SUPPORTED_LANGS else [(0, len(piece))]
        cursor = 0
        for start, end in spans:
            template.literal(piece[cursor:start])
            sentence = piece[start:end]
            if _has_letters(sentence):
                template.slot(sentence)
            else:
                template.literal(sentence)
            cursor = end
        template.literal(piece[cursor:])
    return template


class _TextNodes(HTMLParser):
    """Offsets of text runs and markup in an HTML source."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        #: (start offset, translatable?) of each token, in order
        self.tokens: list[tuple[int, bool]] = []
        self._open: list[tuple[str, bool]] = []  # (tag, skipped) of open elements

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _skipped(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    def _mark(self, text: bool) -> None:
        self.tokens.append((self._offset(), text and not self._skipped()))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark(False)
        if tag in VOID_ELEMENTS:
            return
        values = dict(attrs)
        skip = (
            self._skipped()
            or tag in SKIP_ELEMENTS
            or (values.get("translate") or "").lower() == "no"
            or "notranslate" in (values.get("class") or "").split()
        )
        self._open.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark(False)

    def handle_endtag(self, tag: str) -> None:
        self._mark(False)
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                break

    def handle_data(self, data: str) -> None:
        self._mark(True)

    def handle_entityref(self, name: str) -> None:
        self._mark(True)

    def handle_charref(self, name: str) -> None:
        self._mark(True)

    def handle_comment(self, data: str) -> None:
        self._mark(False)

    def handle_decl(self, decl: str) -> None:
        self._mark(False)

    def handle_pi(self, data: str) -> None:
        self._mark(False)

    def unknown_decl(self, data: str) -> None:
        self._mark(False)


def _escape_text(text: str) -> str:
    return html.escape(text, quote=False)


def html_template(source: str, lang: str) -> Template:
    """HTML: markup kept byte for byte, text nodes cut into sentences."""
    scanner = _TextNodes(source)
    scanner.feed(source)
    scanner.close()
    # merge neighbouring text tokens into runs: "Tom &amp; Jerry" is one run
    runs: list[tuple[int, int, bool]] = []
    tokens = scanner.tokens + [(len(source), False)]
    for (start, text), (end, _) in itertools.pairwise(tokens):
        if runs and runs[-1][2] and text and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end, True)
        else:
            runs.append((start, end, text))
    covered = runs[-1][1] if runs else 0
    template = Template(escape=_escape_text)
    template.literal(source[: runs[0][0]] if runs else source)
    for start, end, text in runs:
        raw = source[start:end]
        if not text or not _has_letters(raw):
            template.literal(raw)
            continue
        template.extend(plain_template(html.unescape(raw), lang), literal=_escape_text)
    template.literal(source[covered:])
    return template


def make_template(text: str, fmt: str, lang: str) -> Template:
    """The template for *text* in LibreTranslate's ``format`` (text|html)."""
    return html_template(text, lang) if fmt == "html" else plain_template(text, lang)
