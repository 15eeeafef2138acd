"""``/translate_file``: .txt, .html and XLIFF files translated in memory.

An uploaded file becomes templates (:mod:`mlcorpus.server.documents`), is
translated through the batcher like any request, and the result is kept in
a small in-memory store until its client downloads it from the URL that
``/translate_file`` answers with (LibreTranslate's ``translatedFileUrl``).
Nothing touches the disk: the upload's name is only used, sanitised, as the
download's name.

XLIFF 1.x and 2.0 are parsed with lxml with entities, DTDs and network off;
every ``<source>`` without a filled ``<target>`` gets one, marked as machine
translation to be reviewed, and the rest of the file is kept as it was.
Inline elements inside a source are flattened to their text.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from mlcorpus.errors import InputError
from mlcorpus.server.documents import Template, html_template, plain_template
from mlcorpus.server.errors import ApiError

#: suffix -> kind; the kinds /frontend/settings lists as supported
FILE_KINDS = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".xliff": "xliff",
    ".xlf": "xliff",
}
MEDIA_TYPES = {
    "text": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "xliff": "application/xliff+xml",
}
#: XLIFF 1.x namespaces (1.0 and 1.1 share 1.2's structure)
XLIFF1 = (
    "urn:oasis:names:tc:xliff:document:1.2",
    "urn:oasis:names:tc:xliff:document:1.1",
    "urn:oasis:names:tc:xliff:document:1.0",
)
XLIFF20 = "urn:oasis:names:tc:xliff:document:2.0"

#: translate *templates*' segments and fill them (the batcher, for a request)
TranslateTemplates = Callable[[list[Template]], Awaitable[list[str]]]


def safe_filename(name: str) -> str:
    """The last component of an uploaded file's name, in safe characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = re.sub(r"[^\w.\-]+", "_", base, flags=re.UNICODE).strip("._") or "file"
    return base[:120]


def file_kind(filename: str) -> str:
    suffix = PurePosixPath(filename.lower()).suffix
    kind = FILE_KINDS.get(suffix)
    if kind is None:
        raise ApiError(400, "Invalid request: file format not supported")
    return kind


async def translate_file_bytes(
    data: bytes, filename: str, src: str, tgt: str, translate: TranslateTemplates
) -> bytes:
    """The translated file, in the upload's format, UTF-8 encoded."""
    from mlcorpus.textio import decode_bytes

    kind = file_kind(filename)
    if kind == "xliff":
        return await _translate_xliff(data, filename, src, tgt, translate)
    try:
        text = decode_bytes(data, filename)
    except InputError as exc:
        raise ApiError(400, f"Invalid request: {exc}") from None
    template = html_template(text, src) if kind == "html" else plain_template(text, src)
    [out] = await translate([template])
    return out.encode("utf-8")


def _xml_parser():  # noqa: ANN202 -- lxml type
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


async def _translate_xliff(
    data: bytes, filename: str, src: str, tgt: str, translate: TranslateTemplates
) -> bytes:
    from lxml import etree

    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise ApiError(400, f"Invalid request: {filename} is not well-formed XML ({exc})") from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None:
        raise ApiError(400, f"Invalid request: {filename} declares a DTD; refused")
    ns = etree.QName(root).namespace
    if etree.QName(root).localname != "xliff" or ns not in (*XLIFF1, XLIFF20):
        raise ApiError(400, f"Invalid request: {filename} is not an XLIFF 1.x or 2.0 file")
    pairs = _xliff1_pairs(root, ns, tgt) if ns in XLIFF1 else _xliff20_pairs(root, tgt)
    templates = [plain_template("".join(source.itertext()), src) for source, _ in pairs]
    texts = await translate(templates)
    for (_source, target), text in zip(pairs, texts, strict=True):
        for child in list(target):
            target.remove(child)
        target.text = text
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _empty_target(source, q: str):  # noqa: ANN001, ANN202 -- lxml elements
    """The ``<target>`` after *source* to fill (added when missing), or None
    when it already holds a translation, which is kept."""
    from lxml import etree

    target = source.getparent().find(f"{q}target")
    if target is not None:
        return None if "".join(target.itertext()).strip() else target
    target = etree.Element(f"{q}target")
    source.addnext(target)
    target.tail, source.tail = source.tail, target.tail
    return target


def _xliff1_pairs(root, ns: str, tgt: str) -> list:  # noqa: ANN001

    q = f"{{{ns}}}"
    pairs = []
    for file_el in root.iter(f"{q}file"):
        file_el.set("target-language", file_el.get("target-language") or tgt)
    for unit in root.iter(f"{q}trans-unit"):
        source = unit.find(f"{q}source")
        if source is None or unit.get("translate") == "no":
            continue
        target = _empty_target(source, q)
        if target is None:
            continue
        target.set("state", "needs-review-translation")
        target.set("state-qualifier", "mt-suggestion")
        pairs.append((source, target))
    return pairs


def _xliff20_pairs(root, tgt: str) -> list:  # noqa: ANN001

    q = f"{{{XLIFF20}}}"
    root.set("trgLang", root.get("trgLang") or tgt)
    pairs = []
    for segment in root.iter(f"{q}segment"):
        source = segment.find(f"{q}source")
        if source is None:
            continue
        target = _empty_target(source, q)
        if target is None:
            continue
        segment.set("state", segment.get("state") or "translated")
        pairs.append((source, target))
    return pairs


@dataclass(frozen=True)
class StoredFile:
    name: str
    data: bytes
    media_type: str
    created: float


class FileStore:
    """Translated files by an unguessable token, in memory, bounded in count
    and age (the oldest goes first)."""

    def __init__(self, limit: int = 64, ttl: float = 600.0) -> None:
        self.limit = limit
        self.ttl = ttl
        self._files: OrderedDict[str, StoredFile] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, name: str, data: bytes, kind: str) -> str:
        """Store a file; returns the download name ``TOKEN.NAME``."""
        key = f"{secrets.token_urlsafe(16)}.{safe_filename(name)}"
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            while len(self._files) >= self.limit:
                self._files.popitem(last=False)
            self._files[key] = StoredFile(safe_filename(name), data, MEDIA_TYPES[kind], now)
        return key

    def get(self, key: str) -> StoredFile | None:
        with self._lock:
            self._expire(time.monotonic())
            return self._files.get(key)

    def _expire(self, now: float) -> None:
        while self._files:
            first = next(iter(self._files.values()))
            if now - first.created < self.ttl:
                break
            self._files.popitem(last=False)
