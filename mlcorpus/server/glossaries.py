"""Glossaries the server knows: loaded at start, created through the API,
or given inline with one request.

Glossaries loaded from files at start keep their file name (without suffix)
as id and cannot be deleted through the API; glossaries created through the
DeepL-style endpoints live in memory only and get a random id.  Nothing is
ever written to disk, and a glossary id is only a key into this store,
never a path.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlcorpus.errors import MlcorpusError
from mlcorpus.server.errors import ApiError

if TYPE_CHECKING:
    from mlcorpus.glossary import Glossary

#: DeepL's entries_format values plus ours (tbx, and the project's TSV)
ENTRY_FORMATS = {"tsv": "simple", "csv": "csv", "tbx": "tbx", "mlcorpus": "tsv", "auto": "auto"}


def _glossary_of(entries: list) -> Glossary:
    from mlcorpus.glossary import Glossary

    return Glossary(rows=list(entries))


@dataclass
class StoredGlossary:
    """A glossary with its DeepL-style description."""

    glossary_id: str
    name: str
    source_lang: str
    target_lang: str
    glossary: Glossary
    from_file: bool = False
    creation_time: datetime = field(default_factory=lambda: datetime.now(UTC))
    path: Path | None = None  # the file a from_file glossary was read from

    def info(self) -> dict[str, Any]:
        """DeepL v2's glossary object."""
        return {
            "glossary_id": self.glossary_id,
            "name": self.name,
            "ready": True,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "creation_time": self.creation_time.isoformat().replace("+00:00", "Z"),
            "entry_count": len(self.glossary),
            "version": self.glossary.version,
            "from_file": self.from_file,
        }

    def entries_tsv(self) -> str:
        """DeepL's entries listing: ``source<TAB>target`` per line."""
        lines = []
        for entry in self.glossary.entries:
            src, tgt = entry.preferred(self.source_lang), entry.preferred(self.target_lang)
            lines.append(f"{_tsv_cell(src)}\t{_tsv_cell(tgt)}")
        return "".join(line + "\n" for line in lines)

    def entries_json(self) -> list[dict[str, Any]]:
        """Every field of every entry (variants, deprecated terms, notes)."""
        return [e.to_dict() for e in self.glossary.entries]


def _tsv_cell(text: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", text)


class GlossaryStore:
    """Glossaries by id; safe to use from the event loop and the batcher."""

    def __init__(self, created_limit: int = 100, entry_limit: int = 20_000) -> None:
        self.created_limit = created_limit
        self.entry_limit = entry_limit
        self._items: dict[str, StoredGlossary] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_files(cls, paths: tuple[Path, ...], **limits: int) -> GlossaryStore:
        """Load the project's glossary TSV files given at start."""
        from mlcorpus.glossary import load_glossary

        store = cls(**limits)
        for path in paths:
            gid = Path(path).name.split(".")[0] or "glossary"
            base, n = gid, 2
            while gid in store._items:
                gid, n = f"{base}-{n}", n + 1
            glossary = load_glossary(path)
            store._items[gid] = StoredGlossary(
                gid, Path(path).name, "en", "ru", glossary, True, path=Path(path)
            )
        return store

    def reload_file(self, path: Path) -> None:
        """Read a glossary file given at start again, after it was edited
        (the workbench saves it), so translations use the new terms."""
        from mlcorpus.glossary import load_glossary

        glossary = load_glossary(path)
        with self._lock:
            for item in self._items.values():
                if item.path is not None and item.path.resolve() == Path(path).resolve():
                    item.glossary = glossary

    def list(self) -> list[StoredGlossary]:
        with self._lock:
            return list(self._items.values())

    def get(self, glossary_id: str) -> StoredGlossary:
        with self._lock:
            found = self._items.get(glossary_id)
        if found is None:
            raise ApiError(404, f"Glossary {glossary_id!r} not found")
        return found

    def create(
        self,
        name: str,
        source_lang: str,
        target_lang: str,
        content: str | bytes,
        entries_format: str = "auto",
    ) -> StoredGlossary:
        """Parse *content* (TSV, CSV, TBX or the project's TSV) into a new glossary."""
        from mlcorpus.glossary.io_any import parse_entries

        fmt = ENTRY_FORMATS.get(entries_format.lower())
        if fmt is None:
            raise ApiError(
                400, f"Invalid request: entries_format must be one of {', '.join(ENTRY_FORMATS)}"
            )
        try:
            entries = parse_entries(content, name or "glossary", fmt)
        except MlcorpusError as exc:
            raise ApiError(400, f"Invalid glossary entries: {exc}") from None
        if len(entries) > self.entry_limit:
            raise ApiError(
                413, f"Glossary too large: {len(entries)} entries (limit {self.entry_limit})"
            )
        stored = StoredGlossary(
            uuid.uuid4().hex, name, source_lang, target_lang, _glossary_of(entries)
        )
        with self._lock:
            created = sum(1 for g in self._items.values() if not g.from_file)
            if created >= self.created_limit:
                raise ApiError(
                    403, f"Too many glossaries: delete one first (limit {self.created_limit})"
                )
            self._items[stored.glossary_id] = stored
        return stored

    def delete(self, glossary_id: str) -> None:
        stored = self.get(glossary_id)
        if stored.from_file:
            raise ApiError(
                403, f"Glossary {glossary_id!r} was loaded from a file at start; it is read-only"
            )
        with self._lock:
            self._items.pop(glossary_id, None)


def inline_glossary(pairs: dict[str, Any], source: str, target: str, limit: int) -> Glossary:
    """A one-request glossary from ``{"source term": "target term"}`` pairs."""
    from mlcorpus.glossary.model import Entry

    if not pairs:
        raise ApiError(400, "Invalid request: glossary has no terms")
    if len(pairs) > limit:
        raise ApiError(400, f"Invalid request: glossary has {len(pairs)} terms (limit {limit})")
    entries = []
    for src_term, tgt_term in pairs.items():
        if not isinstance(tgt_term, str) or not src_term.strip() or not tgt_term.strip():
            raise ApiError(
                400,
                "Invalid request: glossary terms must be non-empty strings, "
                'as in {"term": "термин"}',
            )
        en, ru = (src_term, tgt_term) if source == "en" else (tgt_term, src_term)
        entries.append(Entry(en=en.strip(), ru=ru.strip()))
    return _glossary_of(entries)
