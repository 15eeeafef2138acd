"""One row per release pair: what the corpus page lists, sorts and filters.

Computed with a handful of aggregate queries (never one query per release),
so a corpus of thousands of releases is summarised in a fraction of a
second; human corrections are applied to the bead counts of the pairs that
have them.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from mlcorpus.workspace.edits import current_edit_snapshots, edit_counts
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


def corpus_overview(ws: Workspace, src_lang: str = "en") -> list[ReleaseSummary]:
    """Every release pair with its counts, confidence and scores."""
    conn = ws.conn
    rows: dict[str, ReleaseSummary] = {}
    for pair_id, _lang, title, date in conn.execute(
        "SELECT pair_id, lang, title, date FROM releases ORDER BY pair_id, lang != ?", (src_lang,)
    ):
        row = rows.get(pair_id)
        if row is None:
            rows[pair_id] = ReleaseSummary(pair_id, title or "", date or "")
        elif not row.date and date:
            row.date = date
    for pair_id, lang, count in conn.execute(
        "SELECT r.pair_id, s.lang, count(*) FROM segments s JOIN releases r"
        " ON r.id=s.release_id AND r.lang=s.lang GROUP BY r.pair_id, s.lang"
    ):
        if pair_id in rows:
            rows[pair_id].sentences[lang] = count
    sums: dict[str, list[float]] = {}
    for pair_id, n_src, n_tgt, count, total in conn.execute(
        "SELECT pair_id, json_array_length(src_ids), json_array_length(tgt_ids), count(*),"
        " sum(score) FROM beads WHERE src_lang=? GROUP BY 1, 2, 3",
        (src_lang,),
    ):
        if pair_id in rows:
            rows[pair_id].beads[f"{n_src}-{n_tgt}"] += count
            acc = sums.setdefault(pair_id, [0.0, 0])
            acc[0] += total
            acc[1] += count
    for pair_id, beads in current_edit_snapshots(ws, src_lang).items():
        if pair_id not in rows:
            continue
        kept = [b for b in beads if not b.excluded]
        rows[pair_id].beads = Counter(b.kind for b in kept)
        rows[pair_id].excluded = len(beads) - len(kept)
        sums[pair_id] = [sum(b.score for b in kept), len(kept)]
    for pair_id, (total, count) in sums.items():
        rows[pair_id].mean_score = total / count if count else None
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
