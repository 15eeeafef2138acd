"""Scoring the MT stored in a workspace against the aligned human translation.

The aligned beads give the reference: for each non-null bead, the MT of its
source sentences (joined) is compared with its target sentences (joined), so
1-2 and 2-1 beads are scored fairly.  Corpus scores and per-release scores
come from the same sacrebleu statistics (:mod:`mlcorpus.metrics`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlcorpus.metrics.terms import TERM_ACCURACY
from mlcorpus.workspace.edits import corrected_beads
from mlcorpus.workspace.store import Workspace

if TYPE_CHECKING:
    from mlcorpus.metrics import Scorer, ScoreReport, SystemScores


@dataclass
class DirectionSegments:
    """Parallel lists for one translation direction, one item per scored bead."""

    direction: str
    doc_ids: list[str]
    sources: list[str]
    references: list[str]
    hypotheses: list[str]
    model: str = ""


def direction_segments(ws: Workspace, direction: str) -> DirectionSegments:
    """Collect (source, reference, MT) for every bead whose sentences were translated."""
    src_lang, tgt_lang = direction.split("-")
    out = DirectionSegments(direction, [], [], [], [])
    ids = {(r["pair_id"], r["lang"]): r["id"] for r in ws.releases()}
    by_pair: dict[str, list[dict]] = {}
    for bead in corrected_beads(ws, src_lang, tgt_lang):
        if bead["excluded"]:  # marked as not a translation: no reference
            continue
        by_pair.setdefault(bead["pair_id"], []).append(bead)
    for pair_id, beads in by_pair.items():
        release_id = ids.get((pair_id, src_lang))
        if release_id is None:
            continue
        mt = ws.translations(release_id, src_lang, tgt_lang)
        if not mt:
            continue
        for bead in beads:
            if not bead["src_ids"] or not bead["tgt_ids"]:
                continue
            src_ids, source, reference = bead["src_ids"], bead["src_text"], bead["tgt_text"]
            if any(i not in mt for i in src_ids):
                continue
            out.doc_ids.append(pair_id)
            out.sources.append(source)
            out.references.append(reference)
            out.hypotheses.append(" ".join(mt[i]["text"] for i in src_ids))
            out.model = out.model or mt[src_ids[0]]["model"]
    return out


def score_report(
    data: DirectionSegments, glossary_path: str | None, *, segments: bool
) -> tuple[Scorer, SystemScores, ScoreReport]:
    """The scorer, the MT system's scores and their
    :class:`~mlcorpus.metrics.ScoreReport` for one direction's MT."""
    from mlcorpus.metrics import DEFAULT_METRICS, Scorer, TermChecker

    src_lang, tgt_lang = data.direction.split("-")
    terms = TermChecker(glossary_path, src_lang, tgt_lang) if glossary_path else None
    scorer = Scorer(data.references, DEFAULT_METRICS, sources=data.sources, terms=terms)
    # "translate-en_ru@1.9#<content hash>": the hash is for cache keys, not for people
    name = data.model.split("#")[0] or "MT"
    system = scorer.score(name, data.hypotheses, segments=segments)
    scorer.document_scores(system, data.doc_ids)  # per release, for report.md and the HTML
    return scorer, system, scorer.report([system], doc_ids=data.doc_ids)


ScoreRows = dict[str, dict[str, tuple[float | None, str | None]]]


def score_direction(
    ws: Workspace, direction: str, glossary_path: str | None = None
) -> tuple[ScoreRows, ScoreReport | None]:
    """Scores to store — scope ('corpus' or a pair id) -> metric -> (value,
    signature) — and the full report (with segment scores) for the HTML report,
    so the build scores each direction once."""
    data = direction_segments(ws, direction)
    if not data.hypotheses:
        return {}, None
    _, system, report = score_report(data, glossary_path, segments=True)
    sigs = report.signatures
    out: ScoreRows = {"corpus": {k: (v, sigs.get(k)) for k, v in system.scores.items()}}
    if system.terms is not None:
        out["corpus"][TERM_ACCURACY] = (system.terms.accuracy, None)
        out["corpus"]["term_hits"] = (float(system.terms.hits), None)
        out["corpus"]["term_total"] = (float(system.terms.total), None)
    out["corpus"]["segments"] = (float(len(data.hypotheses)), None)
    for doc, row in (system.documents or {}).items():
        out[doc] = {k: (float(v) if v is not None else None, sigs.get(k)) for k, v in row.items()}
    return out, report
