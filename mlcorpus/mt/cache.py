"""A translation memory in SQLite, so a re-run translates only new segments.

Each row is one source segment's translation, keyed by a hash of everything
that decides the output: the model identity (name, version, content
fingerprint), the decoding options, the glossary version and the source text.
The class takes a file path or an open ``sqlite3.Connection``, so the same
table can live in its own file (the user cache) or inside a workspace
database.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlcorpus.errors import MlcorpusError

TABLE = "mt_cache"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    key TEXT PRIMARY KEY,            -- sha256 of model, options, glossary, source
    model TEXT NOT NULL,
    options TEXT NOT NULL,
    glossary_version TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    raw_text TEXT NOT NULL,
    term_report TEXT,                -- JSON, or NULL without a glossary
    created REAL NOT NULL
)
"""
_LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...), below SQLite's variable limit


def default_cache_path() -> Path:
    """``$MLCORPUS_CACHE``, else ``$XDG_CACHE_HOME/mlcorpus/translations.sqlite``."""
    override = os.environ.get("MLCORPUS_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mlcorpus" / "translations.sqlite"


@dataclass(frozen=True)
class CachedTranslation:
    """A stored translation: final text, the model's own output, glossary report."""

    text: str
    raw_text: str
    term_report: dict[str, Any] | None = field(default=None, compare=False)


def cache_key(model: str, options: str, glossary_version: str, source: str) -> str:
    payload = json.dumps([model, options, glossary_version, source], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class TranslationCache:
    """Get and put translations by (model, options, glossary version, source)."""

    def __init__(
        self,
        target: str | os.PathLike[str] | sqlite3.Connection,
        *,
        any_thread: bool = False,
    ) -> None:
        """*any_thread*: the opened file may be used from any thread (one at
        a time), as a server's batcher does; by default SQLite ties a
        connection to the thread that opened it."""
        if isinstance(target, sqlite3.Connection):
            self.path, self._conn, self._owned = None, target, False
        else:
            self.path = Path(target)
            self._owned = True
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(
                    self.path, timeout=30, check_same_thread=not any_thread
                )
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.DatabaseError as exc:
                raise MlcorpusError(
                    f"{self.path}: not a usable translation cache ({exc})"
                ) from None
            except OSError as exc:
                raise MlcorpusError(
                    f"{self.path}: cannot open the translation cache ({exc.strerror or exc})"
                ) from None
        try:
            with self._conn:
                self._conn.execute(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            where = self.path or "database"
            raise MlcorpusError(f"{where}: not a usable translation cache ({exc})") from None
        self.hits = 0
        self.misses = 0

    def get_many(
        self, model: str, options: str, glossary_version: str, sources: Sequence[str]
    ) -> dict[str, CachedTranslation]:
        """Cached translations of *sources* (unique texts), by source text;
        counts hits and misses."""
        keys = {cache_key(model, options, glossary_version, s): s for s in sources}
        found: dict[str, CachedTranslation] = {}
        key_list = list(keys)
        for start in range(0, len(key_list), _LOOKUP_CHUNK):
            chunk = key_list[start : start + _LOOKUP_CHUNK]
            rows = self._conn.execute(
                f"SELECT key, text, raw_text, term_report FROM {TABLE} "
                f"WHERE key IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            for key, text, raw, report in rows:
                found[keys[key]] = CachedTranslation(
                    text, raw, json.loads(report) if report is not None else None
                )
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(
        self,
        model: str,
        options: str,
        glossary_version: str,
        items: Iterable[tuple[str, CachedTranslation]],
    ) -> None:
        """Store (source, translation) pairs in one transaction."""
        now = time.time()
        rows = [
            (
                cache_key(model, options, glossary_version, source),
                model,
                options,
                glossary_version,
                source,
                t.text,
                t.raw_text,
                None if t.term_report is None else json.dumps(t.term_report, ensure_ascii=False),
                now,
            )
            for source, t in items
        ]
        with self._conn:
            self._conn.executemany(
                f"INSERT OR REPLACE INTO {TABLE} (key, model, options, glossary_version,"
                " source, text, raw_text, term_report, created) VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )

    def __len__(self) -> int:
        return self._conn.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchone()[0]

    def close(self) -> None:
        if self._owned:
            self._conn.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
