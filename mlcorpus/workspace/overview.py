"""One row per release pair: what the corpus page lists, sorts and filters.

Computed with a handful of aggregate queries (never one query per release),
so a corpus of thousands of releases is summarised in a fraction of a
second; human corrections are applied to the bead counts of the pairs that
have them.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mlcorpus.workspace.edits import current_edit_snapshots, edit_counts, has_edits_table

if TYPE_CHECKING:
    from mlcorpus.workspace.store import Workspace

#: bead types shown as their own column; the rest are counted as "other"
BEAD_TYPES = ("1-1", "1-2", "2-1", "2-2", "1-0", "0-1")
SCORE_METRICS = ("bleu", "chrf")


@dataclass
class ReleaseSummary:
    pair_id: str
    title: str
    date: str
    sentences: dict[str, int] = field(default_factory=dict)  # lang -> sentences
    beads: Counter[str] = field(default_factory=Counter)  # "1-2" -> count
    excluded: int = 0  # beads marked as not a translation
    mean_score: float | None = None
    scores: dict[str, float | None] = field(default_factory=dict)  # "en-ru bleu" -> value
    edits: int = 0  # corrections in effect
    set_aside: int = 0  # corrections made on an earlier text

    @property
    def bead_total(self) -> int:
        return sum(self.beads.values())

    def other_beads(self) -> int:
        return sum(v for k, v in self.beads.items() if k not in BEAD_TYPES)


#: A per-pair summary kept next to the beads, so listing thousands of releases
#: reads one small row per pair instead of every bead.  Each row carries the
#: *stamp* (alignment hashes and edit state) it was computed for; a row whose
#: stamp is out of date is recomputed, so the table is a cache, never a truth.
SUMMARY_SCHEMA = """
CREATE TABLE IF NOT EXISTS pair_summaries (
    pair_id TEXT NOT NULL,
    src_lang TEXT NOT NULL,
    stamp TEXT NOT NULL,
    src_sentences INTEGER NOT NULL,
    tgt_sentences INTEGER NOT NULL,
    kinds TEXT NOT NULL,         -- JSON {"1-1": count, ...} of the beads kept
    excluded INTEGER NOT NULL,   -- beads marked as not a translation
    score_sum REAL NOT NULL,
    PRIMARY KEY (pair_id, src_lang)
);
"""
#: above this many out-of-date pairs, one aggregate scan beats one query per pair
_SCAN_THRESHOLD = 50


@dataclass
class _PairStats:
    stamp: str
    src_sentences: int
    tgt_sentences: int
    kinds: Counter[str]
    excluded: int
    score_sum: float


def _stamps(ws: Workspace, src_lang: str) -> dict[str, str]:
    """pair id -> what its summary depends on: texts and edit state."""
    edits = (
        "(SELECT max(e.seq) || '/' || sum(e.undone) FROM alignment_edits e"
        " WHERE e.pair_id=a.pair_id AND e.src_lang=a.src_lang)"
        if has_edits_table(ws.conn)
        else "''"
    )
    return dict(
        ws.conn.execute(
            f"SELECT a.pair_id, a.src_hash || a.tgt_hash || ':' || coalesce({edits}, '')"
            " FROM alignments a WHERE a.src_lang=?",
            (src_lang,),
        ).fetchall()
    )


def _aligner_stats(
    ws: Workspace, src_lang: str, pairs: set[str], stamps: dict[str, str]
) -> dict[str, _PairStats]:
    sql = (
        "SELECT pair_id, json_array_length(src_ids), json_array_length(tgt_ids), count(*),"
        " sum(score) FROM beads WHERE src_lang=?"
    )
    if len(pairs) > _SCAN_THRESHOLD:
        cursors = [ws.conn.execute(sql + " GROUP BY 1, 2, 3", (src_lang,))]
    else:
        cursors = [
            ws.conn.execute(sql + " AND pair_id=? GROUP BY 1, 2, 3", (src_lang, pair))
            for pair in sorted(pairs)
        ]
    out: dict[str, _PairStats] = {}
    for cursor in cursors:
        for pair_id, n_src, n_tgt, count, total in cursor:
            if pair_id not in pairs:
                continue
            stats = out.setdefault(pair_id, _PairStats(stamps[pair_id], 0, 0, Counter(), 0, 0.0))
            stats.kinds[f"{n_src}-{n_tgt}"] += count
            stats.src_sentences += n_src * count
            stats.tgt_sentences += n_tgt * count
            stats.score_sum += total
    return out


def refresh_summaries(ws: Workspace, src_lang: str = "en") -> dict[str, _PairStats]:
    """Bring the per-pair summaries up to date and return them all.

    In a workspace opened read-only the new summaries are computed but not
    stored."""
    stamps = _stamps(ws, src_lang)
    stored: dict[str, _PairStats] = {}
    if ws.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='pair_summaries'"
    ).fetchone():
        for pair_id, stamp, n_src, n_tgt, kinds, excluded, score_sum in ws.conn.execute(
            "SELECT pair_id, stamp, src_sentences, tgt_sentences, kinds, excluded, score_sum"
            " FROM pair_summaries WHERE src_lang=?",
            (src_lang,),
        ):
            if stamps.get(pair_id) == stamp:
                stored[pair_id] = _PairStats(
                    stamp, n_src, n_tgt, Counter(json.loads(kinds)), excluded, score_sum
                )
    stale = set(stamps) - set(stored)
    if not stale:
        return stored
    fresh = _aligner_stats(ws, src_lang, stale, stamps)
    snapshots = current_edit_snapshots(ws, src_lang)
    for pair_id in stale & set(snapshots):
        beads = snapshots[pair_id]
        kept = [b for b in beads if not b.excluded]
        fresh[pair_id] = _PairStats(
            stamps[pair_id],
            sum(len(b.src) for b in beads),
            sum(len(b.tgt) for b in beads),
            Counter(b.kind for b in kept),
            len(beads) - len(kept),
            sum(b.score for b in kept),
        )
    for pair_id in stale - set(fresh):  # aligned, but no bead (both texts empty)
        fresh[pair_id] = _PairStats(stamps[pair_id], 0, 0, Counter(), 0, 0.0)
    try:
        with ws.transaction() as conn:
            conn.execute(
                "DELETE FROM pair_summaries WHERE src_lang=? AND pair_id NOT IN"
                " (SELECT pair_id FROM alignments WHERE src_lang=?)",
                (src_lang, src_lang),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO pair_summaries (pair_id, src_lang, stamp, src_sentences,"
                " tgt_sentences, kinds, excluded, score_sum) VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        pair_id,
                        src_lang,
                        st.stamp,
                        st.src_sentences,
                        st.tgt_sentences,
                        json.dumps(dict(st.kinds)),
                        st.excluded,
                        st.score_sum,
                    )
                    for pair_id, st in fresh.items()
                ],
            )
    except sqlite3.OperationalError:
        pass  # read-only workspace or an old one without the table: a cache only
    return {**stored, **fresh}


def overview_fingerprint(ws: Workspace, src_lang: str = "en") -> str:
    """A cheap value that changes whenever :func:`corpus_overview` would:
    release texts, alignments, edits (each edit adds a row, each undo sets a
    flag) and scores.  Lets a server reuse the overview between requests."""
    edits = (
        "(SELECT count(*) || '/' || total(undone) FROM alignment_edits)"
        if has_edits_table(ws.conn)
        else "''"
    )
    row = ws.conn.execute(
        "SELECT (SELECT count(*) || '/' || group_concat(content_hash) FROM releases),"
        " (SELECT group_concat(src_hash || tgt_hash) FROM alignments WHERE src_lang=?),"
        f" {edits}, (SELECT count(*) || '/' || total(value) FROM scores)",
        (src_lang,),
    ).fetchone()
    return hashlib.sha256(repr(row).encode("utf-8")).hexdigest()


def corpus_overview(ws: Workspace, src_lang: str = "en") -> list[ReleaseSummary]:
    """Every release pair with its counts, confidence and scores."""
    conn = ws.conn
    rows: dict[str, ReleaseSummary] = {}
    sides: dict[str, dict[str, str]] = {}
    for pair_id, lang, rid, title, date in conn.execute(
        "SELECT pair_id, lang, id, title, date FROM releases ORDER BY pair_id, lang != ?",
        (src_lang,),
    ):
        sides.setdefault(pair_id, {})[lang] = rid
        row = rows.get(pair_id)
        if row is None:
            rows[pair_id] = ReleaseSummary(pair_id, title or "", date or "")
        elif not row.date and date:
            row.date = date
    for pair_id, stats in refresh_summaries(ws, src_lang).items():
        row = rows.get(pair_id)
        if row is None:
            continue
        tgt_lang = next((lang for lang in sides[pair_id] if lang != src_lang), "ru")
        row.sentences = {src_lang: stats.src_sentences, tgt_lang: stats.tgt_sentences}
        row.beads = stats.kinds
        row.excluded = stats.excluded
        kept = sum(stats.kinds.values())
        row.mean_score = stats.score_sum / kept if kept else None
    for pair_id, row in rows.items():
        if not row.sentences:  # not aligned (no translation): count its sentences
            for lang, rid in sides[pair_id].items():
                row.sentences[lang] = conn.execute(
                    "SELECT count(*) FROM segments WHERE release_id=? AND lang=?", (rid, lang)
                ).fetchone()[0]
    for scope, direction, metric, value in conn.execute(
        "SELECT scope, direction, metric, value FROM scores WHERE scope != 'corpus'"
        f" AND metric IN ({','.join('?' * len(SCORE_METRICS))})",
        SCORE_METRICS,
    ):
        if scope in rows:
            rows[scope].scores[f"{direction} {metric}"] = value
    _count_edits(ws, rows, src_lang)
    return list(rows.values())


def _count_edits(ws: Workspace, rows: dict[str, ReleaseSummary], src_lang: str) -> None:
    current, aside = edit_counts(ws, src_lang)
    for pair_id in current.keys() | aside.keys():
        if pair_id in rows:
            rows[pair_id].edits = current[pair_id]
            rows[pair_id].set_aside = aside[pair_id]


# ------------------------------------------------------------------ sorting


def _sort_value(row: ReleaseSummary, key: str) -> tuple:
    """Sort key; missing values go last whatever the direction."""
    if key in ("id", "pair_id"):
        value: object = row.pair_id
    elif key in ("title", "date"):
        value = getattr(row, key) or None
    elif key in ("en", "ru"):
        value = row.sentences.get(key)
    elif key == "beads":
        value = row.bead_total
    elif key in BEAD_TYPES:
        value = row.beads.get(key, 0)
    elif key == "confidence":
        value = row.mean_score
    elif key == "edits":
        value = row.edits + row.set_aside
    else:
        value = row.scores.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return (1, 0)
    return (0, value)


SORT_KEYS = ("id", "title", "date", "en", "ru", "beads", *BEAD_TYPES, "confidence", "edits")


@dataclass
class ReleasePage:
    rows: list[ReleaseSummary]
    matched: int  # rows after the filter
    total: int  # rows in the corpus
    page: int
    pages: int
    score_columns: list[str]


def query_overview(
    rows: list[ReleaseSummary],
    *,
    search: str = "",
    sort: str = "date",
    descending: bool = False,
    page: int = 1,
    per_page: int = 50,
    edited_only: bool = False,
    max_confidence: float | None = None,
) -> ReleasePage:
    """Filter (text in id or title, edited releases, low confidence), sort and
    cut one page out of :func:`corpus_overview`'s rows."""
    score_columns = sorted({k for r in rows for k in r.scores})
    needle = search.strip().casefold()
    chosen = [
        r
        for r in rows
        if (not needle or needle in r.pair_id.casefold() or needle in r.title.casefold())
        and (not edited_only or r.edits or r.set_aside)
        and (
            max_confidence is None or (r.mean_score is not None and r.mean_score <= max_confidence)
        )
    ]
    if sort not in SORT_KEYS and sort not in score_columns:
        sort = "date"
    present = [r for r in chosen if _sort_value(r, sort)[0] == 0]
    missing = [r for r in chosen if _sort_value(r, sort)[0] == 1]
    present.sort(key=lambda r: (_sort_value(r, sort)[1], r.pair_id), reverse=descending)
    ordered = present + missing
    per_page = max(1, per_page)
    pages = max(1, math.ceil(len(ordered) / per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    return ReleasePage(
        ordered[start : start + per_page], len(chosen), len(rows), page, pages, score_columns
    )
