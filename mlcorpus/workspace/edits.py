"""Human corrections of sentence alignments, stored in the workspace.

An aligner gets some beads wrong; a person fixes them (merge two beads, split
one, move a sentence across a bead boundary, mark a bead as not a
translation) and may undo.  Each correction is stored as one row holding the
*whole* corrected alignment of the release pair after it, in sentence
numbers, plus the hashes of the two texts it was made on:

* the alignment in effect is the aligner's, replaced by the newest edit that
  is not undone and was made on the current texts;
* ``mlcorpus run`` re-aligns a pair only when its text changed, and then the
  text hashes no longer match: those edits are *set aside* (kept, listed with
  the bead texts they produced, never applied to a text they were not made
  on);
* undo marks the newest edit undone (rows are never deleted);
* every change bumps the pair's *revision*, so a save from a stale browser
  tab (which sends the revision it saw) is refused instead of silently
  applying to an alignment the person has not seen.

Snapshots rather than an operation log: a release has tens of beads, so a
snapshot costs little, and applying one needs no replay that could fail.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mlcorpus.errors import InputError, MlcorpusError

if TYPE_CHECKING:
    from mlcorpus.workspace.store import Workspace

#: Tables of this module; created by the workspace schema (version 2).
EDITS_SCHEMA = """
CREATE TABLE IF NOT EXISTS alignment_edits (
    pair_id TEXT NOT NULL,
    src_lang TEXT NOT NULL,
    seq INTEGER NOT NULL,        -- order of the pair's edits, never reused
    action TEXT NOT NULL,        -- what the person did, in words
    beads TEXT NOT NULL,         -- JSON: the corrected alignment after this edit
    produced TEXT NOT NULL,      -- JSON: texts of the beads this edit made
    src_hash TEXT NOT NULL,      -- the texts the edit was made on
    tgt_hash TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    PRIMARY KEY (pair_id, src_lang, seq)
);
"""

#: ``origin`` of a bead the aligner produced and of one a person corrected
ORIGIN_ALIGNED = "human"
ORIGIN_CORRECTED = "corrected"
#: score given to a bead made by a person: it is certain, and sorts last in
#: "least confident first"
CORRECTED_SCORE = 1.0


class EditError(InputError):
    """A correction that cannot be made (no such bead, nothing to split...)."""


class StaleRevisionError(MlcorpusError):
    """The alignment changed since the page that sent the edit was loaded."""

    exit_code = 3


@dataclass
class Bead:
    """One bead of an alignment, in sentence numbers of the two releases."""

    src: list[int]
    tgt: list[int]
    score: float
    origin: str = ORIGIN_ALIGNED
    excluded: bool = False  # "not a translation": left out of every export

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def to_json(self) -> list:
        return [self.src, self.tgt, self.score, self.origin, int(self.excluded)]

    @classmethod
    def from_json(cls, data: list) -> Bead:
        src, tgt, score, origin, excluded = data
        return cls(list(src), list(tgt), float(score), origin, bool(excluded))


@dataclass
class EditRecord:
    seq: int
    action: str
    produced: list[dict]
    undone: bool
    created: str
    current: bool  # made on the texts now in the workspace


@dataclass
class AlignmentState:
    """Everything the release view shows and every edit checks against."""

    pair_id: str
    src_lang: str
    tgt_lang: str
    src_release: str
    tgt_release: str
    beads: list[Bead]
    src_sentences: list[str]
    tgt_sentences: list[str]
    revision: str
    edits: list[EditRecord] = field(default_factory=list)

    @property
    def active_edits(self) -> list[EditRecord]:
        return [e for e in self.edits if e.current and not e.undone]

    @property
    def set_aside(self) -> list[EditRecord]:
        """Edits made on an earlier text of the release, no longer applied."""
        return [e for e in self.edits if not e.current and not e.undone]

    def text(self, bead: Bead) -> tuple[str, str]:
        return (
            " ".join(self.src_sentences[i] for i in bead.src),
            " ".join(self.tgt_sentences[j] for j in bead.tgt),
        )


# ---------------------------------------------------------------- operations
# Pure functions on a bead list: each returns the new list and a description.


def _bead(beads: list[Bead], n: int) -> Bead:
    if not 0 <= n < len(beads):
        raise EditError(f"no bead {n + 1} (the release has {len(beads)})")
    return beads[n]


def _corrected(src: list[int], tgt: list[int], excluded: bool = False) -> Bead:
    return Bead(list(src), list(tgt), CORRECTED_SCORE, ORIGIN_CORRECTED, excluded)


def merge_beads(beads: list[Bead], n: int) -> tuple[list[Bead], str]:
    """Merge bead *n* with bead *n* + 1."""
    first, second = _bead(beads, n), _bead(beads, n + 1) if n + 1 < len(beads) else None
    if second is None:
        raise EditError(f"bead {n + 1} is the last one; there is no next bead to merge with")
    merged = _corrected(
        first.src + second.src, first.tgt + second.tgt, first.excluded and second.excluded
    )
    return beads[:n] + [merged] + beads[n + 2 :], f"merged beads {n + 1} and {n + 2}"


def split_bead(beads: list[Bead], n: int, src_at: int, tgt_at: int) -> tuple[list[Bead], str]:
    """Split bead *n* after its first *src_at* source and *tgt_at* target sentences."""
    bead = _bead(beads, n)
    if not (0 <= src_at <= len(bead.src) and 0 <= tgt_at <= len(bead.tgt)):
        raise EditError(
            f"bead {n + 1} has {len(bead.src)} source and {len(bead.tgt)} target sentence(s); "
            f"cannot split after {src_at} and {tgt_at}"
        )
    head = _corrected(bead.src[:src_at], bead.tgt[:tgt_at], bead.excluded)
    tail = _corrected(bead.src[src_at:], bead.tgt[tgt_at:], bead.excluded)
    if not (head.src or head.tgt) or not (tail.src or tail.tgt):
        raise EditError(f"splitting bead {n + 1} there leaves an empty bead")
    return (
        beads[:n] + [head, tail] + beads[n + 1 :],
        f"split bead {n + 1} after {src_at} source and {tgt_at} target sentence(s)",
    )


def move_sentence(beads: list[Bead], n: int, side: str, direction: str) -> tuple[list[Bead], str]:
    """Move one sentence of *side* (``src``/``tgt``) across a bead boundary:
    ``next`` sends bead *n*'s last sentence to the start of bead *n* + 1,
    ``previous`` sends its first sentence to the end of bead *n* - 1.  A bead
    left with no sentence on either side disappears."""
    if side not in ("src", "tgt") or direction not in ("next", "previous"):
        raise EditError(f"cannot move a sentence {side!r} {direction!r}")
    bead = _bead(beads, n)
    other_n = n + 1 if direction == "next" else n - 1
    if not 0 <= other_n < len(beads):
        raise EditError(f"bead {n + 1} has no {direction} bead")
    sentences = getattr(bead, side)
    if not sentences:
        raise EditError(f"bead {n + 1} has no {'source' if side == 'src' else 'target'} sentence")
    other = beads[other_n]
    moving = sentences[-1] if direction == "next" else sentences[0]
    rest = sentences[:-1] if direction == "next" else sentences[1:]
    grown = (
        [moving, *getattr(other, side)] if direction == "next" else [*getattr(other, side), moving]
    )
    new_bead = _corrected(
        rest if side == "src" else bead.src, rest if side == "tgt" else bead.tgt, bead.excluded
    )
    new_other = _corrected(
        grown if side == "src" else other.src, grown if side == "tgt" else other.tgt, other.excluded
    )
    out = list(beads)
    out[n], out[other_n] = new_bead, new_other
    out = [b for b in out if b.src or b.tgt]
    what = "source" if side == "src" else "target"
    return out, f"moved a {what} sentence from bead {n + 1} to bead {other_n + 1}"


def set_excluded(beads: list[Bead], n: int, excluded: bool) -> tuple[list[Bead], str]:
    """Mark bead *n* as not a translation (left out of exports), or undo that."""
    bead = _bead(beads, n)
    if bead.excluded == excluded:
        raise EditError(f"bead {n + 1} is already {'excluded' if excluded else 'included'}")
    out = list(beads)
    out[n] = replace(bead, excluded=excluded, origin=ORIGIN_CORRECTED)
    verb = "marked bead {} as not a translation" if excluded else "restored bead {}"
    return out, verb.format(n + 1)


def apply_operation(beads: list[Bead], op: str, n: int, **params: object) -> tuple[list[Bead], str]:
    """Dispatch a named correction (``merge``, ``split``, ``move``, ``exclude``,
    ``include``); *n* is the 0-based bead number."""
    try:
        if op == "merge":
            return merge_beads(beads, n)
        if op == "merge-previous":
            if n == 0:
                raise EditError("bead 1 is the first one; there is no previous bead")
            return merge_beads(beads, n - 1)
        if op == "split":
            return split_bead(beads, n, int(params["src_at"]), int(params["tgt_at"]))  # type: ignore[call-overload]
        if op == "move":
            return move_sentence(beads, n, str(params["side"]), str(params["direction"]))
        if op in ("exclude", "include"):
            return set_excluded(beads, n, op == "exclude")
    except (KeyError, ValueError, TypeError) as exc:
        raise EditError(f"incomplete {op} request ({exc})") from None
    raise EditError(f"unknown correction {op!r}")


# ---------------------------------------------------------------- storage


def has_edits_table(conn: sqlite3.Connection) -> bool:
    """False in a workspace written before edits existed and opened read-only."""
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alignment_edits'"
        ).fetchone()
        is not None
    )


def _pair_releases(ws: Workspace, pair_id: str, src_lang: str, tgt_lang: str) -> tuple[str, str]:
    ids = dict(
        ws.conn.execute("SELECT lang, id FROM releases WHERE pair_id=?", (pair_id,)).fetchall()
    )
    if src_lang not in ids or tgt_lang not in ids:
        raise InputError(f"release {pair_id!r} has no aligned {src_lang}-{tgt_lang} pair")
    return ids[src_lang], ids[tgt_lang]


def _alignment(ws: Workspace, pair_id: str, src_lang: str) -> tuple[str, str, str] | None:
    row = ws.conn.execute(
        "SELECT tgt_lang, src_hash, tgt_hash FROM alignments WHERE pair_id=? AND src_lang=?",
        (pair_id, src_lang),
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def _aligner_beads(ws: Workspace, pair_id: str, src_lang: str) -> list[Bead]:
    rows = ws.conn.execute(
        "SELECT src_ids, tgt_ids, score FROM beads WHERE pair_id=? AND src_lang=? ORDER BY n",
        (pair_id, src_lang),
    ).fetchall()
    return [Bead(json.loads(s), json.loads(t), float(score)) for s, t, score in rows]


def _edit_rows(ws: Workspace, pair_id: str, src_lang: str) -> list[tuple]:
    if not has_edits_table(ws.conn):
        return []
    return ws.conn.execute(
        "SELECT seq, action, beads, produced, src_hash, tgt_hash, undone, created"
        " FROM alignment_edits WHERE pair_id=? AND src_lang=? ORDER BY seq",
        (pair_id, src_lang),
    ).fetchall()


def alignment_state(ws: Workspace, pair_id: str, src_lang: str = "en") -> AlignmentState:
    """The alignment of *pair_id* in effect (aligner + current edits)."""
    found = _alignment(ws, pair_id, src_lang)
    if found is None:
        raise InputError(f"release {pair_id!r} has not been aligned (run 'mlcorpus run' first)")
    tgt_lang, src_hash, tgt_hash = found
    src_id, tgt_id = _pair_releases(ws, pair_id, src_lang, tgt_lang)
    beads = _aligner_beads(ws, pair_id, src_lang)
    edits: list[EditRecord] = []
    undone_count = max_seq = 0
    for seq, action, snap, produced, e_src, e_tgt, undone, created in _edit_rows(
        ws, pair_id, src_lang
    ):
        current = (e_src, e_tgt) == (src_hash, tgt_hash)
        edits.append(EditRecord(seq, action, json.loads(produced), bool(undone), created, current))
        max_seq = max(max_seq, seq)
        undone_count += bool(undone)
        if current and not undone:
            beads = [Bead.from_json(b) for b in json.loads(snap)]
    return AlignmentState(
        pair_id=pair_id,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        src_release=src_id,
        tgt_release=tgt_id,
        beads=beads,
        src_sentences=[s.text for s in ws.segments(src_id, src_lang)],
        tgt_sentences=[s.text for s in ws.segments(tgt_id, tgt_lang)],
        # rows are never deleted and undo never comes back, so this only grows:
        # an edit and an undo both change it, and a re-alignment changes the hashes
        revision=f"{src_hash[:8]}{tgt_hash[:8]}-{max_seq + undone_count}",
        edits=edits,
    )


@contextlib.contextmanager
def _write_transaction(ws: Workspace) -> Iterator[sqlite3.Connection]:
    """Check-then-write under SQLite's write lock, so two editors saving at
    the same moment cannot both pass the revision check."""
    with ws.transaction() as conn:
        if not conn.in_transaction:
            conn.execute("BEGIN IMMEDIATE")
        yield conn


def _check_revision(state: AlignmentState, revision: str | None) -> None:
    if revision is not None and revision != state.revision:
        raise StaleRevisionError(
            f"the alignment of {state.pair_id} was changed (in another tab or by a run) "
            "since this page was loaded; your change was not applied. Reload the page to "
            "see the current alignment."
        )


def edit_alignment(
    ws: Workspace,
    pair_id: str,
    op: str,
    n: int,
    *,
    revision: str | None,
    src_lang: str = "en",
    **params: object,
) -> AlignmentState:
    """Apply one correction and store it as a human edit; returns the new state.

    *revision* is the one the editor saw (``None`` skips the check, for
    scripts); a different current revision raises :class:`StaleRevisionError`.
    """
    with _write_transaction(ws) as conn:
        state = alignment_state(ws, pair_id, src_lang)
        _check_revision(state, revision)
        before = {(tuple(b.src), tuple(b.tgt), b.excluded) for b in state.beads}
        beads, action = apply_operation(state.beads, op, n, **params)
        produced = []
        for bead in beads:
            if (tuple(bead.src), tuple(bead.tgt), bead.excluded) not in before:
                src_text, tgt_text = state.text(bead)
                produced.append({"src": src_text, "tgt": tgt_text, "excluded": bead.excluded})
        found = _alignment(ws, pair_id, src_lang)
        assert found is not None
        seq = 1 + max([e.seq for e in state.edits], default=0)
        conn.execute(
            "INSERT INTO alignment_edits (pair_id, src_lang, seq, action, beads, produced,"
            " src_hash, tgt_hash, undone, created) VALUES (?,?,?,?,?,?,?,?,0,?)",
            (
                pair_id,
                src_lang,
                seq,
                action,
                json.dumps([b.to_json() for b in beads]),
                json.dumps(produced, ensure_ascii=False),
                found[1],
                found[2],
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
    return alignment_state(ws, pair_id, src_lang)


def undo_edit(
    ws: Workspace, pair_id: str, *, revision: str | None, src_lang: str = "en"
) -> tuple[AlignmentState, str]:
    """Undo the newest current edit of *pair_id*; returns the new state and
    the action undone."""
    with _write_transaction(ws) as conn:
        state = alignment_state(ws, pair_id, src_lang)
        _check_revision(state, revision)
        active = state.active_edits
        if not active:
            raise EditError(f"{pair_id}: nothing to undo")
        last = active[-1]
        conn.execute(
            "UPDATE alignment_edits SET undone=1 WHERE pair_id=? AND src_lang=? AND seq=?",
            (pair_id, src_lang, last.seq),
        )
    return alignment_state(ws, pair_id, src_lang), last.action


# ---------------------------------------------------------------- corpus views


def current_edit_snapshots(ws: Workspace, src_lang: str = "en") -> dict[str, list[Bead]]:
    """pair id -> corrected beads, for the pairs whose current edits apply."""
    if not has_edits_table(ws.conn):
        return {}
    rows = ws.conn.execute(
        "SELECT e.pair_id, e.beads FROM alignment_edits e JOIN alignments a"
        " ON a.pair_id=e.pair_id AND a.src_lang=e.src_lang"
        " AND a.src_hash=e.src_hash AND a.tgt_hash=e.tgt_hash"
        " WHERE e.src_lang=? AND e.undone=0 ORDER BY e.pair_id, e.seq",
        (src_lang,),
    ).fetchall()
    return {pair_id: [Bead.from_json(b) for b in json.loads(snap)] for pair_id, snap in rows}


def edit_counts(ws: Workspace, src_lang: str = "en") -> tuple[Counter[str], Counter[str]]:
    """(edits in effect, edits set aside because the text changed), per pair id."""
    current: Counter[str] = Counter()
    aside: Counter[str] = Counter()
    if not has_edits_table(ws.conn):
        return current, aside
    for pair_id, is_current, count in ws.conn.execute(
        "SELECT e.pair_id, a.src_hash=e.src_hash AND a.tgt_hash=e.tgt_hash, count(*)"
        " FROM alignment_edits e JOIN alignments a"
        " ON a.pair_id=e.pair_id AND a.src_lang=e.src_lang"
        " WHERE e.src_lang=? AND e.undone=0 GROUP BY 1, 2",
        (src_lang,),
    ):
        (current if is_current else aside)[pair_id] += count
    return current, aside


def corrected_beads(ws: Workspace, src_lang: str = "en", tgt_lang: str = "ru") -> list[dict]:
    """The corpus's beads read in the *src_lang* -> *tgt_lang* direction with
    the human corrections applied, in the shape of :meth:`Workspace.beads`
    plus ``origin`` and ``excluded``.  What exports, scoring and reports read,
    so corrections flow into all of them."""
    return list(iter_corrected_beads(ws, src_lang, tgt_lang))


def iter_corrected_beads(
    ws: Workspace, src_lang: str = "en", tgt_lang: str = "ru"
) -> Iterator[dict]:
    """:func:`corrected_beads` one bead at a time (an export of any size)."""
    # edits are stored in the direction the pair was aligned in, as the beads
    snapshots = {
        **{p: (True, b) for p, b in current_edit_snapshots(ws, tgt_lang).items()},
        **{p: (False, b) for p, b in current_edit_snapshots(ws, src_lang).items()},
    }
    current_pair: str | None = None
    for bead in ws.iter_beads(src_lang, tgt_lang):
        pair_id = bead["pair_id"]
        if pair_id in snapshots:
            if pair_id != current_pair:
                current_pair = pair_id
                swapped, beads = snapshots[pair_id]
                yield from _snapshot_dicts(ws, bead, beads, swapped=swapped)
            continue
        yield {**bead, "origin": ORIGIN_ALIGNED, "excluded": False}


def _snapshot_dicts(ws: Workspace, first: dict, beads: list[Bead], *, swapped: bool) -> list[dict]:
    """Corrected beads as :meth:`Workspace.beads` rows; *swapped*: they are
    stored in the other direction than *first* is read in."""
    pair_id, src_lang, tgt_lang = first["pair_id"], first["src_lang"], first["tgt_lang"]
    src_id, tgt_id = _pair_releases(ws, pair_id, src_lang, tgt_lang)
    src = [s.text for s in ws.segments(src_id, src_lang)]
    tgt = [s.text for s in ws.segments(tgt_id, tgt_lang)]
    rows = []
    for n, b in enumerate(beads):
        src_ids, tgt_ids = (b.tgt, b.src) if swapped else (b.src, b.tgt)
        rows.append(
            {
                "pair_id": pair_id,
                "n": n,
                "src_ids": list(src_ids),
                "tgt_ids": list(tgt_ids),
                "src_text": " ".join(src[i] for i in src_ids),
                "tgt_text": " ".join(tgt[j] for j in tgt_ids),
                "score": b.score,
                "src_lang": src_lang,
                "tgt_lang": tgt_lang,
                "date": first["date"],
                "origin": b.origin,
                "excluded": b.excluded,
            }
        )
    return rows
