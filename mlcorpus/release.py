"""Press releases: the model and the readers for plain text, Markdown and HTML.

A release file is what organisations publish: a title line, body paragraphs
separated by blank lines, and trailer lines such as ``Source: CSTO web-site``
or ``SDG 17 - Partnerships for the Goals``.  Trailers are metadata, not body
text, so they must not reach segmentation, alignment or MT.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from mlcorpus.alphabet import detect_lang
from mlcorpus.errors import InputError
from mlcorpus.segment import (
    SUPPORTED_LANGS,
    Sentence,
    check_lang,
    segment_paragraphs,
    split_paragraphs,
)
from mlcorpus.textio import read_text

#: files read for their structure (headings, paragraphs) rather than as plain text
MARKUP_SUFFIXES = (".md", ".markdown", ".html", ".htm")
RELEASE_SUFFIXES = (".txt", *MARKUP_SUFFIXES)


@dataclass
class Release:
    """One press release in one language."""

    id: str
    lang: str
    title: str
    paragraphs: list[str]
    date: str | None = None  # ISO 8601 (YYYY-MM-DD)
    source: str | None = None
    tags: list[str] = field(default_factory=list)
    path: str | None = None

    @property
    def text(self) -> str:
        """Body text, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    @property
    def blocks(self) -> list[str]:
        """What gets segmented: the title (when there is one), then the body."""
        return ([self.title] if self.title.strip() else []) + self.paragraphs

    def sentences(self) -> list[Sentence]:
        """The release's sentences: THE release -> sentences path, shared by
        ``segment``, ``translate``, ``align`` and the ``run`` pipeline, so that
        sentence texts and paragraph numbers agree everywhere."""
        return segment_paragraphs(self.blocks, self.lang)

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- metadata

MONTHS_EN = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Russian month stems: every case form ("марта", "сентябре") starts with one
MONTH_STEMS_RU = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
)


def month_number(word: str) -> int:
    """1..12 when *word* names a month in English or Russian (any case form), else 0."""
    w = word.lower()
    if w in MONTHS_EN:
        return MONTHS_EN.index(w) + 1
    if w in ("мая", "май"):
        return 5
    if len(w) >= 4 and w[0] in "яфмаиосынд":
        for num, stem in enumerate(MONTH_STEMS_RU, 1):
            if stem != "ма" and w.startswith(stem) and len(w) <= len(stem) + 2:
                return num
    return 0


_EN_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS_EN) + r")\s*,?\s+(\d{4})\b",
    re.IGNORECASE,
)
_EN_MONTH_DAY = re.compile(
    r"\b(" + "|".join(MONTHS_EN) + r")\s+(\d{1,2})(?:st|nd|rd|th)?\s*,\s*(\d{4})\b",
    re.IGNORECASE,
)
_RU_DATE = re.compile(
    r"\b(\d{1,2})\s+(январ[яь]|феврал[яь]|марта?|апрел[яь]|мая|май|июн[яь]|июл[яь]|"
    r"августа?|сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь])\s+(\d{4})",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def _iso(year: int, month: int, day: int) -> str | None:
    if 1 <= month <= 12 and 1 <= day <= 31 and 1000 <= year <= 2999:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def find_date(text: str) -> str | None:
    """The first date mentioned in *text*, as ISO ``YYYY-MM-DD``.

    Understands "On 2 March 2015", "March 2, 2015", "17 марта 2021 года",
    "2015-03-02" and "02.03.2015".
    """
    found: list[tuple[int, str]] = []
    for m in _EN_DAY_MONTH.finditer(text):
        iso = _iso(int(m[3]), month_number(m[2]), int(m[1]))
        if iso:
            found.append((m.start(), iso))
            break
    for m in _EN_MONTH_DAY.finditer(text):
        iso = _iso(int(m[3]), month_number(m[1]), int(m[2]))
        if iso:
            found.append((m.start(), iso))
            break
    for m in _RU_DATE.finditer(text):
        iso = _iso(int(m[3]), month_number(m[2]), int(m[1]))
        if iso:
            found.append((m.start(), iso))
            break
    for m in _ISO_DATE.finditer(text):
        iso = _iso(int(m[1]), int(m[2]), int(m[3]))
        if iso:
            found.append((m.start(), iso))
            break
    for m in _NUMERIC_DATE.finditer(text):
        iso = _iso(int(m[3]), int(m[2]), int(m[1]))
        if iso:
            found.append((m.start(), iso))
            break
    return min(found)[1] if found else None


def slugify(name: str) -> str:
    """A stable release id from a file name: lowercase ASCII, digits and dashes."""
    norm = unicodedata.normalize("NFKD", name)
    slug = re.sub(r"[^A-Za-z0-9А-Яа-яЁё]+", "-", norm).strip("-").lower()
    return slug or "release"


_SOURCE_LINE = re.compile(r"^\s*(?:source|источник)\s*:\s*(.+?)\s*$", re.IGNORECASE)
_TAG_LINE = re.compile(r"^\s*((?:SDG|ЦУР)\s*\d{1,2})\s*(?:[-–—:]\s*(.+?))?\s*$", re.IGNORECASE)


def _split_trailers(paragraphs: list[str]) -> tuple[list[str], str | None, list[str]]:
    """Peel ``Source:`` and ``SDG n`` lines off the end of the body."""
    source: str | None = None
    tags: list[str] = []
    body = list(paragraphs)
    while body:
        lines = body[-1].split("\n")
        kept: list[str] = []
        changed = False
        for line in lines:
            if m := _SOURCE_LINE.match(line):
                source = source or m[1]
                changed = True
            elif m := _TAG_LINE.match(line):
                tags.insert(0, " - ".join(x for x in (re.sub(r"\s+", " ", m[1]), m[2]) if x))
                changed = True
            else:
                kept.append(line)
        if not changed:
            break
        body.pop()
        rest = "\n".join(kept).strip()
        if rest:
            body.append(rest)
            break
    return body, source, tags


# ---------------------------------------------------------------- readers


def _blocks_from_markdown(text: str) -> tuple[str | None, list[str]]:
    title: str | None = None
    blocks: list[str] = []
    for block in split_paragraphs(text):
        items = re.split(r"\n(?=\s*(?:[-*+]|\d+[.)])\s)", block)
        for item in items:
            line = item.strip()
            heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if heading:
                line = heading[1]
            line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)
            line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)
            line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
            line = re.sub(r"(\*\*|__|`)(.+?)\1", r"\2", line)
            line = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", line)
            line = line.strip()
            if not line:
                continue
            if heading and title is None:
                title = line
            else:
                blocks.append(line)
    return title, blocks


class _HTMLText(HTMLParser):
    """Collects the text of headings, paragraphs and list items."""

    BLOCKS = frozenset(
        {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "dd", "dt"}
    )
    SKIP = frozenset({"script", "style", "noscript", "template", "head", "nav"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.blocks: list[tuple[str, str]] = []
        self._stack: list[str] = []
        self._buf: list[str] = []
        self._skip = 0
        self._in_title = False
        self._title_buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self.BLOCKS:
            self._flush()
            self._stack.append(tag)
        elif tag == "br":
            self._buf.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
            self.title = " ".join("".join(self._title_buf).split()) or None
        elif tag in self.BLOCKS:
            self._flush()
            if self._stack:
                self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self._title_buf.append(data)
        elif self._stack:
            self._buf.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text and self._stack:
            self.blocks.append((self._stack[-1], text))
        self._buf = []


def _blocks_from_html(text: str) -> tuple[str | None, list[str]]:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    title = None
    blocks: list[str] = []
    for tag, block in parser.blocks:
        if tag == "h1" and title is None:
            title = block
        else:
            blocks.append(block)
    return title or parser.title, blocks


def _blocks_from_plain(text: str) -> tuple[str | None, list[str]]:
    lines = text.strip().split("\n")
    title = lines[0].strip() if lines else None
    return title, split_paragraphs("\n".join(lines[1:]))


def parse_release(
    text: str,
    *,
    release_id: str,
    lang: str | None = None,
    fmt: str = "txt",
    path: str | None = None,
) -> Release:
    """Build a :class:`Release` from already decoded text."""
    if fmt in ("md", "markdown"):
        title, blocks = _blocks_from_markdown(text)
    elif fmt in ("html", "htm"):
        title, blocks = _blocks_from_html(text)
    else:
        title, blocks = _blocks_from_plain(text)
    body, source, tags = _split_trailers(blocks)
    if not body and not title:
        raise InputError(f"{path or release_id}: no text found")
    language = check_lang(lang) if lang else detect_lang(" ".join([title or ""] + body))
    date = find_date("\n".join(body)) or find_date(title or "")
    return Release(
        id=release_id,
        lang=language,
        title=title or "",
        paragraphs=body,
        date=date,
        source=source,
        tags=tags,
        path=path,
    )


def read_release(
    path: str | Path, lang: str | None = None, release_id: str | None = None
) -> Release:
    """Read a release file (``.txt``, ``.md`` or ``.html``; ``-`` for stdin)."""
    name = str(path)
    text = read_text(name)
    if name == "-":
        fmt, rid = "txt", release_id or "stdin"
        if text.lstrip().startswith("<"):
            fmt = "html"
    else:
        p = Path(name)
        fmt = p.suffix.lower().lstrip(".") or "txt"
        rid = release_id or slugify(p.stem)
    if lang is not None and lang not in SUPPORTED_LANGS:
        check_lang(lang)
    return parse_release(
        text, release_id=rid, lang=lang, fmt=fmt, path=None if name == "-" else name
    )


def read_document(
    path: str | Path, lang: str | None = None, *, paragraphs: str = "blank"
) -> Release:
    """An input of ``segment`` or ``translate`` as a :class:`Release`.

    Markdown and HTML files are read as releases (headings, paragraphs and list
    items; trailers dropped).  Anything else, stdin included, is plain text taken
    as it is: paragraphs at blank lines, no title line, nothing dropped, because
    a text handed to these commands need not be a press release.
    *paragraphs* ``line`` takes every line of plain text as a paragraph
    (see :func:`mlcorpus.segment.split_paragraphs`).
    """
    name = str(path)
    if name != "-" and Path(name).suffix.lower() in MARKUP_SUFFIXES:
        return read_release(name, lang=lang)
    text = read_text(name)
    return Release(
        id="stdin" if name == "-" else slugify(Path(name).stem),
        lang=check_lang(lang) if lang else detect_lang(text),
        title="",
        paragraphs=split_paragraphs(text, paragraphs),
        path=None if name == "-" else name,
    )
