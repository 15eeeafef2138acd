"""The workspace: one SQLite file that holds the state of a corpus build.

Why SQLite: a run must be resumable and safe to kill at any moment.  Every
stage writes one release (or release pair) per transaction, so a killed run
leaves whole releases or nothing, and the next run picks up exactly what is
missing.  Content hashes decide what changed since the last run.

The schema is versioned with ``PRAGMA user_version``; opening a workspace
written by a newer mlcorpus fails with a clear message instead of corrupting it,
and opening an older one marks what its version computed differently as stale
(see :data:`_UPGRADES`), so the next ``run`` redoes exactly that.
pandas DataFrames (``to_pandas``) are the interchange for reports and exports,
not the store.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import sqlite3
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from mlcorpus.errors import MlcorpusError, OutputError
from mlcorpus.release import Release
from mlcorpus.workspace.edits import EDITS_SCHEMA
from mlcorpus.workspace.overview import SUMMARY_SCHEMA

if TYPE_CHECKING:
    import pandas as pd

    from mlcorpus.mt.cache import TranslationCache

SCHEMA_VERSION = 3

#: What to invalidate when opening a workspace written at an older version.
#: v2: one release -> sentences path (wrapped lines joined, blank titles not
#: counted as a paragraph), so every release is segmented and aligned again.
#: Old segments and beads stay readable (an ``export`` before the next ``run``
#: still works); only the markers that let ``run`` skip the work are cleared.
_UPGRADES = {
    2: """
        UPDATE releases SET segmented_hash = NULL;
        UPDATE alignments SET src_hash = '', tgt_hash = '';
    """,
    # v3: human alignment edits (mlcorpus.workspace.edits) and per-pair summaries
    # (mlcorpus.workspace.overview); their tables are created empty, nothing to redo
    3: "",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS releases (
    id TEXT NOT NULL,
    lang TEXT NOT NULL,
    pair_id TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,
    source TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    path TEXT,
    content_hash TEXT NOT NULL,
    segmented_hash TEXT,
    PRIMARY KEY (id, lang)
);
CREATE TABLE IF NOT EXISTS segments (
    release_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    idx INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (release_id, lang, idx)
);
CREATE TABLE IF NOT EXISTS alignments (
    pair_id TEXT NOT NULL,
    src_lang TEXT NOT NULL,
    tgt_lang TEXT NOT NULL,
    src_hash TEXT NOT NULL,
    tgt_hash TEXT NOT NULL,
    PRIMARY KEY (pair_id, src_lang)
);
CREATE TABLE IF NOT EXISTS beads (
    pair_id TEXT NOT NULL,
    src_lang TEXT NOT NULL,
    n INTEGER NOT NULL,
    src_ids TEXT NOT NULL,
    tgt_ids TEXT NOT NULL,
    src_text TEXT NOT NULL,
    tgt_text TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (pair_id, src_lang, n)
);
CREATE TABLE IF NOT EXISTS translations (
    release_id TEXT NOT NULL,
    src_lang TEXT NOT NULL,
    tgt_lang TEXT NOT NULL,
    idx INTEGER NOT NULL,
    model TEXT NOT NULL,
    glossary_version TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    raw_text TEXT NOT NULL,
    term_report TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (release_id, src_lang, tgt_lang, idx)
);
CREATE TABLE IF NOT EXISTS scores (
    scope TEXT NOT NULL,          -- 'corpus' or a pair id
    direction TEXT NOT NULL,      -- e.g. 'en-ru'
    metric TEXT NOT NULL,
    value REAL,
    signature TEXT,
    PRIMARY KEY (scope, direction, metric)
);
"""


#: what a run was given (the glossary file, ...), so later commands use the same;
#: outside the schema check like the edit tables: an older workspace simply has none
SETTINGS_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


@functools.lru_cache(maxsize=1)
def _expected() -> dict[str, tuple[str, ...]]:
    """table -> columns, read from :data:`_SCHEMA` itself (one source of truth)."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(_SCHEMA)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    found = {t: tuple(r[1] for r in conn.execute(f"PRAGMA table_info({t})")) for t in tables}
    conn.close()
    return found


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """What is missing from an existing workspace's schema (empty when sound)."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    problems = []
    for table, columns in _expected().items():
        if table not in have:
            problems.append(f"table {table} is missing")
            continue
        present = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        missing = [c for c in columns if c not in present]
        if missing:
            problems.append(f"table {table} lacks column(s) {', '.join(missing)}")
    return problems


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """SQLite's read-only URI mode; ``immutable`` when even that cannot open
    (a WAL workspace on a read-only filesystem cannot create its index file)."""
    uri = "file:" + urllib.parse.quote(str(path.resolve()))
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    conn = sqlite3.connect(f"{uri}?immutable=1", uri=True)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def remove_workspace(path: Path) -> None:
    """Delete a workspace and its WAL files (``run --rebuild``)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def text_hash(*parts: str) -> str:
    """A short content hash; what decides whether a stage must run again."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:16]


def release_hash(release: Release) -> str:
    return text_hash(release.title, *release.paragraphs)


@dataclass
class SegmentRow:
    release_id: str
    lang: str
    idx: int
    paragraph: int
    text: str


class Workspace:
    """A build's SQLite workspace (WAL mode, versioned schema)."""

    @classmethod
    def existing(cls, path: str | os.PathLike[str]) -> Workspace:
        """The workspace at *path*: a ``workspace.sqlite`` or the build folder
        holding one, opened read-only; an error naming *path* when there is none."""
        where = Path(path)
        file = where / "workspace.sqlite" if where.is_dir() else where
        if not file.is_file():
            raise MlcorpusError(
                f"{path}: no such workspace (a build folder written by 'mlcorpus run', "
                "or its workspace.sqlite)"
            )
        return cls(file, readonly=True)

    def __init__(
        self, path: str | os.PathLike[str], *, create: bool = True, readonly: bool = False
    ) -> None:
        """Open (with *create*, make) the workspace at *path*.

        *readonly* opens it with SQLite's read-only URI mode (``export`` and
        ``report`` only read): nothing is created or changed, a database that is
        not an mlcorpus workspace is refused untouched, and a workspace on a
        read-only filesystem still opens.  Every open checks the schema, so a
        dropped table or column is one line saying how to rebuild, not an
        empty export."""
        self.path = Path(path)
        self.readonly = readonly
        if (readonly or not create) and not self.path.is_file():
            raise MlcorpusError(f"{self.path}: no such workspace (run 'mlcorpus run' first)")
        try:
            if readonly:
                self.conn = _connect_readonly(self.path)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, timeout=30)
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            if "not a database" not in str(exc):
                raise self._broken(exc) from None
            advice = "" if readonly else f"; {self._rebuild_advice()} to replace it"
            raise MlcorpusError(f"{self.path}: not an mlcorpus workspace ({exc}){advice}") from None
        if version > SCHEMA_VERSION:
            raise MlcorpusError(
                f"{self.path}: workspace schema v{version} is newer than this mlcorpus "
                f"(v{SCHEMA_VERSION}); upgrade mlcorpus"
            )
        fresh = not tables and version == 0
        if (fresh and (readonly or not create)) or (tables and not tables & set(_expected())):
            self.conn.close()
            what = f"it holds {', '.join(sorted(tables))}" if tables else "it is empty"
            raise MlcorpusError(f"{self.path}: not an mlcorpus workspace ({what}); left untouched")
        if not fresh:
            try:
                problems = schema_problems(self.conn)
                if not problems and not readonly:
                    check = self.conn.execute("PRAGMA quick_check").fetchone()[0]
                    if check != "ok":
                        problems = [f"SQLite integrity check: {check}"]
            except sqlite3.DatabaseError as exc:
                self.conn.close()
                raise self._broken(exc) from None
            if problems:
                self.conn.close()
                raise self._inconsistent("; ".join(problems[:3]))
        if readonly:
            return
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            upgrades = "".join(
                _UPGRADES.get(v, "") for v in range(version + 1, SCHEMA_VERSION + 1) if version
            )
            # one transaction: a killed upgrade leaves the old version, to be upgraded again.
            # The edit and summary tables are not in the schema check: a workspace
            # opened read-only from before they existed simply has no edits.
            self.conn.executescript(
                f"BEGIN; {_SCHEMA} {EDITS_SCHEMA} {SUMMARY_SCHEMA} {SETTINGS_SCHEMA} {upgrades}"
                f" PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
            )
        except sqlite3.DatabaseError as exc:
            raise self._broken(exc) from None

    def setting(self, key: str) -> str | None:
        """A value recorded by :meth:`set_setting`, or None."""
        try:
            row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:  # opened read-only from before settings existed
            return None
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str | None) -> None:
        """Record *value* under *key* (None forgets it)."""
        with self.conn:
            if value is None:
                self.conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                self.conn.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value)
                )

    def _rebuild_advice(self) -> str:
        return f"rebuild it with 'mlcorpus run CORPUS_DIR -o {self.path.parent} --rebuild'"

    def _inconsistent(self, what: str) -> MlcorpusError:
        return MlcorpusError(
            f"{self.path}: the workspace is inconsistent or corrupt ({what}); "
            + self._rebuild_advice()
        )

    def _broken(self, exc: Exception) -> MlcorpusError:
        """The one-line error for a SQLite failure or a stored value that does
        not parse, naming the workspace file."""
        text = str(exc)
        if "disk is full" in text or "disk I/O error" in text:
            return OutputError(f"{self.path}: cannot write: {text}")
        if "locked" in text or "busy" in text:
            return MlcorpusError(f"{self.path}: the workspace is in use by another process")
        if "readonly" in text or "read-only" in text:
            return OutputError(f"{self.path}: cannot write ({text})")
        if isinstance(exc, json.JSONDecodeError):
            text = f"a stored JSON value is not JSON: {exc}"
        return self._inconsistent(text)

    def close(self) -> None:
        self.conn.close()

    def translation_cache(self) -> TranslationCache:
        """The translation memory kept inside this workspace file (its own
        table), so that translations survive with the build they belong to."""
        from mlcorpus.mt.cache import TranslationCache

        return TranslationCache(self.conn)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        self.close()
        # a corrupt page, a dropped column or a bad JSON value met mid-run:
        # one line naming the workspace, and the atomic outputs stay as they were
        if isinstance(exc, (sqlite3.DatabaseError, json.JSONDecodeError)):
            raise self._broken(exc) from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: a killed run never leaves half a release behind."""
        with self.conn:
            yield self.conn

    # ------------------------------------------------------------ releases
    def release_state(self, release_id: str, lang: str) -> tuple[str, str | None] | None:
        row = self.conn.execute(
            "SELECT content_hash, segmented_hash FROM releases WHERE id=? AND lang=?",
            (release_id, lang),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def store_segmented_release(
        self, release: Release, pair_id: str, segments: list[tuple[int, str]]
    ) -> None:
        """Replace a release and its segments in one transaction."""
        digest = release_hash(release)
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM segments WHERE release_id=? AND lang=?", (release.id, release.lang)
            )
            conn.execute(
                "INSERT OR REPLACE INTO releases (id, lang, pair_id, title, date, source, tags,"
                " path, content_hash, segmented_hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    release.id,
                    release.lang,
                    pair_id,
                    release.title,
                    release.date,
                    release.source,
                    json.dumps(release.tags, ensure_ascii=False),
                    release.path,
                    digest,
                    digest,
                ),
            )
            conn.executemany(
                "INSERT INTO segments (release_id, lang, idx, paragraph, text) VALUES (?,?,?,?,?)",
                [
                    (release.id, release.lang, i, para, text)
                    for i, (para, text) in enumerate(segments)
                ],
            )

    def prune_releases(self, keep: set[tuple[str, str]]) -> int:
        """Forget releases (and everything derived from them) not in *keep*
        (``(id, lang)`` pairs): a release deleted from the corpus folder must not
        live on in exports and scores.  Returns how many were removed."""
        stored = {
            (r[0], r[1]): r[2] for r in self.conn.execute("SELECT id, lang, pair_id FROM releases")
        }
        gone = [key for key in stored if key not in keep]
        if not gone:
            return 0
        with self.transaction() as conn:
            for rid, lang in gone:
                pair_id = stored[(rid, lang)]
                conn.execute("DELETE FROM segments WHERE release_id=? AND lang=?", (rid, lang))
                conn.execute(
                    "DELETE FROM translations WHERE release_id=? AND src_lang=?", (rid, lang)
                )
                conn.execute("DELETE FROM releases WHERE id=? AND lang=?", (rid, lang))
                for table in ("beads", "alignments"):
                    conn.execute(f"DELETE FROM {table} WHERE pair_id=?", (pair_id,))
                conn.execute("DELETE FROM scores WHERE scope=?", (pair_id,))
        return len(gone)

    def segments(self, release_id: str, lang: str) -> list[SegmentRow]:
        rows = self.conn.execute(
            "SELECT release_id, lang, idx, paragraph, text FROM segments"
            " WHERE release_id=? AND lang=? ORDER BY idx",
            (release_id, lang),
        ).fetchall()
        return [SegmentRow(*row) for row in rows]

    def releases(self) -> list[dict]:
        cur = self.conn.execute(
            "SELECT id, lang, pair_id, title, date, source, tags, path FROM releases"
            " ORDER BY pair_id, lang"
        )
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def alignment_is_current(
        self, pair_id: str, src_lang: str, src_hash: str, tgt_hash: str
    ) -> bool:
        row = self.conn.execute(
            "SELECT src_hash, tgt_hash FROM alignments WHERE pair_id=? AND src_lang=?",
            (pair_id, src_lang),
        ).fetchone()
        return row == (src_hash, tgt_hash)

    def store_beads(
        self,
        pair_id: str,
        src_lang: str,
        tgt_lang: str,
        src_hash: str,
        tgt_hash: str,
        beads: list[tuple[list[int], list[int], str, str, float]],
    ) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM beads WHERE pair_id=? AND src_lang=?", (pair_id, src_lang))
            conn.executemany(
                "INSERT INTO beads (pair_id, src_lang, n, src_ids, tgt_ids, src_text, tgt_text,"
                " score) VALUES (?,?,?,?,?,?,?,?)",
                [
                    (pair_id, src_lang, n, json.dumps(s), json.dumps(t), st, tt, float(score))
                    for n, (s, t, st, tt, score) in enumerate(beads)
                ],
            )
            conn.execute(
                "INSERT OR REPLACE INTO alignments (pair_id, src_lang, tgt_lang, src_hash,"
                " tgt_hash) VALUES (?,?,?,?,?)",
                (pair_id, src_lang, tgt_lang, src_hash, tgt_hash),
            )

    def beads(self, src_lang: str, tgt_lang: str, pair_id: str | None = None) -> list[dict]:
        """The aligned beads read in the *src_lang* -> *tgt_lang* direction
        (:meth:`iter_beads` as a list)."""
        return list(self.iter_beads(src_lang, tgt_lang, pair_id))

    def iter_beads(
        self, src_lang: str, tgt_lang: str, pair_id: str | None = None
    ) -> Iterator[dict]:
        """The aligned beads read in the *src_lang* -> *tgt_lang* direction,
        one row at a time (an export of any size holds one bead in memory).

        A pair is aligned once, in one direction; asking for the other one
        swaps the sides (``src_ids``/``src_text`` are then the *src_lang* side),
        so scoring ru->en reads the same beads as en->ru.  In pair, then
        bead order.
        """
        sql = (
            "SELECT b.pair_id, b.n, b.src_ids, b.tgt_ids, b.src_text, b.tgt_text, b.score,"
            " b.src_lang, r.date FROM beads b JOIN alignments a"
            " ON a.pair_id=b.pair_id AND a.src_lang=b.src_lang"
            " LEFT JOIN releases r ON r.id=b.pair_id AND r.lang=b.src_lang"
            " WHERE ((b.src_lang=? AND a.tgt_lang=?) OR (b.src_lang=? AND a.tgt_lang=?))"
        )
        args: list = [src_lang, tgt_lang, tgt_lang, src_lang]
        if pair_id is not None:
            sql += " AND b.pair_id=?"
            args.append(pair_id)
        sql += " ORDER BY b.pair_id, b.src_lang != ?, b.n"
        args.append(src_lang)
        direction: dict[str, str] = {}  # pair -> stored source language (the first found)
        for pid, n, s_ids, t_ids, s_text, t_text, score, stored, date in self.conn.execute(
            sql, args
        ):
            if direction.setdefault(pid, stored) != stored:
                continue  # aligned both ways: the requested direction wins
            if stored != src_lang:
                s_ids, t_ids, s_text, t_text = t_ids, s_ids, t_text, s_text
            yield (
                {
                    "pair_id": pid,
                    "n": n,
                    "src_ids": json.loads(s_ids),
                    "tgt_ids": json.loads(t_ids),
                    "src_text": s_text,
                    "tgt_text": t_text,
                    "score": score,
                    "src_lang": src_lang,
                    "tgt_lang": tgt_lang,
                    "date": date,
                }
            )

    # ------------------------------------------------------------ translations
    def store_translations(
        self,
        release_id: str,
        src_lang: str,
        tgt_lang: str,
        model: str,
        glossary_version: str,
        rows: list[tuple[int, str, str, str, dict]],
    ) -> None:
        """rows: (idx, source_text, text, raw_text, term_report)."""
        with self.transaction() as conn:
            # Replace the release's translations whole: an edited release may have
            # fewer segments than before, and no stale row may outlive it.
            conn.execute(
                "DELETE FROM translations WHERE release_id=? AND src_lang=? AND tgt_lang=?",
                (release_id, src_lang, tgt_lang),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO translations (release_id, src_lang, tgt_lang, idx, model,"
                " glossary_version, source_hash, text, raw_text, term_report)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        release_id,
                        src_lang,
                        tgt_lang,
                        idx,
                        model,
                        glossary_version,
                        text_hash(src),
                        text,
                        raw,
                        json.dumps(report, ensure_ascii=False),
                    )
                    for idx, src, text, raw, report in rows
                ],
            )

    def translations(self, release_id: str, src_lang: str, tgt_lang: str) -> dict[int, dict]:
        rows = self.conn.execute(
            "SELECT idx, text, raw_text, model, glossary_version, term_report FROM translations"
            " WHERE release_id=? AND src_lang=? AND tgt_lang=?",
            (release_id, src_lang, tgt_lang),
        ).fetchall()
        return {
            r[0]: {
                "text": r[1],
                "raw_text": r[2],
                "model": r[3],
                "glossary_version": r[4],
                "term_report": json.loads(r[5]),
            }
            for r in rows
        }

    # ------------------------------------------------------------ scores
    def store_scores(
        self, direction: str, scores: dict[str, dict[str, tuple[float | None, str | None]]]
    ) -> None:
        """scores: scope -> metric -> (value, signature); replaces the direction."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM scores WHERE direction=?", (direction,))
            conn.executemany(
                "INSERT INTO scores (scope, direction, metric, value, signature)"
                " VALUES (?,?,?,?,?)",
                [
                    (scope, direction, metric, value, sig)
                    for scope, metrics in scores.items()
                    for metric, (value, sig) in metrics.items()
                ],
            )

    def scores(self) -> list[dict]:
        cur = self.conn.execute(
            "SELECT scope, direction, metric, value, signature FROM scores"
            " ORDER BY direction, scope = 'corpus' DESC, scope, metric"
        )
        return [
            dict(zip(("scope", "direction", "metric", "value", "signature"), r, strict=True))
            for r in cur.fetchall()
        ]

    def to_pandas(self, table: str) -> pd.DataFrame:
        """A table as a DataFrame, for reports and ad-hoc analysis."""
        import pandas as pd

        if table not in {"releases", "segments", "beads", "translations", "scores", "alignments"}:
            raise MlcorpusError(f"unknown workspace table {table!r}")
        return pd.read_sql_query(f"SELECT * FROM {table}", self.conn)


class BuildLock:
    """An exclusive lock on a build folder, so two runs never write one workspace.

    ``flock`` is released by the kernel when the process dies, so a killed run
    never leaves a stale lock behind.
    """

    def __init__(self, build_dir: Path) -> None:
        self.path = build_dir / ".mlcorpus.lock"
        self._fh: TextIO | None = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fh = open(self.path, "a+")
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read().strip() or "another process"
                fh.close()
                raise MlcorpusError(
                    f"{self.path.parent} is in use by another mlcorpus run ({holder}); "
                    "wait for it to finish or use another -o folder"
                ) from None
            # the holder before us removes the file on exit: a lock on that
            # removed file would guard nothing, so lock the current one
            try:
                same = os.fstat(fh.fileno()).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            fh.close()
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            # removed while still held, so the build folder holds only results
            self.path.unlink(missing_ok=True)
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
