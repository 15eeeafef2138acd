"""Public API: align two lists of sentences, or two releases, into beads.

The passes (hunalign-style, with a band as in Bleualign):

1. evidence that needs no dictionary (lengths, numbers, dates, URLs,
   punctuation, acronyms, cognates, glossary terms) scored inside a band
   guessed from rare shared features;
2. a lexicon learned from the confident 1-1 beads of pass 1, added as shared
   features; the length model is re-estimated on the same beads; the DP runs
   again in a narrow band around the first path;
3. optionally, MT of the source compared with the target by character
   n-grams as one more similarity channel (``mt=Translator``).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from mlcorpus.align.beads import Bead
from mlcorpus.align.dp import (
    Step,
    anchor_band,
    band_columns,
    best_path,
    finish_band,
    path_band,
)
from mlcorpus.align.evidence import (
    SentenceEvidence,
    build_term_index,
    russian_lemmatizer,
    sentence_evidence,
)
from mlcorpus.align.lengths import GALE_CHURCH_PRIORS, LengthModel
from mlcorpus.align.lexicon import learn_lexicon
from mlcorpus.align.scoring import AlignParams, BeadScorer, Channel
from mlcorpus.align.similarity import FeatureSpace
from mlcorpus.segment import Sentence, check_lang

if TYPE_CHECKING:
    from mlcorpus.release import Release

MOVES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3))
_ANCHOR_MAX_DF = 2


@dataclass
class ReleaseAlignment:
    """Two segmented releases and the beads that join their sentences."""

    src_sentences: list[str]
    tgt_sentences: list[str]
    beads: list[Bead]
    src_paragraphs: list[int] = field(default_factory=list)
    tgt_paragraphs: list[int] = field(default_factory=list)


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    *,
    src_paragraphs: Sequence[int] | None = None,
    tgt_paragraphs: Sequence[int] | None = None,
    glossary: Any = None,
    mt: Any = None,
    params: AlignParams | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Bead]:
    """Align *src* with *tgt* (lists of sentences) into beads, in order.

    *src_paragraphs*/*tgt_paragraphs* give the paragraph number of each
    sentence (soft anchors).  *glossary* is anything with ``.entries`` of
    objects with ``en``/``ru`` (and ``*_variants``) — its terms become shared
    evidence.  *mt* is an object with ``translate(list[str]) -> list[str]``
    from *src_lang* to *tgt_lang*; its output is compared with the target,
    and each bead with both sides gets an ``mt_similarity``.  *progress* is
    called with the number of source sentences done in each pass; the passes
    together make :func:`alignment_work` units.
    """
    src_lang, tgt_lang = check_lang(src_lang), check_lang(tgt_lang)
    params = params or AlignParams()
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    for name, paras, count in (("src", src_paragraphs, n), ("tgt", tgt_paragraphs, m)):
        if paras is not None and len(paras) != count:
            raise ValueError(f"{name}_paragraphs has {len(paras)} items for {count} sentences")

    lemmatize = (
        russian_lemmatizer() if glossary is not None and "ru" in (src_lang, tgt_lang) else None
    )
    index = build_term_index(glossary, lemmatize)
    src_ev = [sentence_evidence(s, src_lang, index, lemmatize) for s in src]
    tgt_ev = [sentence_evidence(t, tgt_lang, index, lemmatize) for t in tgt]
    lengths = LengthModel.from_totals(sum(e.chars for e in src_ev), sum(e.chars for e in tgt_ev))
    mt_feats = _mt_features(mt, src, tgt) if mt is not None else None

    def run(
        feats_src: list[Counter],
        feats_tgt: list[Counter],
        lo: list[int],
        hi: list[int],
        model: LengthModel,
    ) -> tuple[list[Step], BeadScorer]:
        cols = band_columns(lo, hi, n, m)
        space = FeatureSpace(
            feats_src,
            feats_tgt,
            [len(e.words) for e in src_ev],
            [len(e.words) for e in tgt_ev],
            cols,
        )
        channels = [Channel(space, params.w_lex, *space.background())]
        if mt_feats is not None:
            mt_space = FeatureSpace(mt_feats[0], mt_feats[1], [0] * n, [0] * m, cols)
            channels.append(Channel(mt_space, params.w_mt, *mt_space.background()))
        scorer = BeadScorer(
            [e.chars for e in src_ev],
            [e.chars for e in tgt_ev],
            model,
            channels,
            params,
            src_paragraphs,
            tgt_paragraphs,
        )
        return best_path(n, m, lo, hi, MOVES, scorer, progress), scorer

    base_src = [e.features for e in src_ev]
    base_tgt = [e.features for e in tgt_ev]
    lo, hi = anchor_band(n, m, _anchor_pairs(base_src, base_tgt, src_ev, tgt_ev))
    steps, scorer = run(base_src, base_tgt, lo, hi, lengths)

    for _ in range(max(params.lexicon_passes, 1)):
        confident = _confident_pairs(steps, scorer, params)
        links = learn_lexicon((src_ev[i].words, tgt_ev[j].words) for i, j in confident)
        lex_src, lex_tgt = _with_lexicon(src_ev, tgt_ev, links)
        lengths = lengths.refit((src_ev[i].chars, tgt_ev[j].chars) for i, j in confident)
        lo, hi = path_band(n, m, steps, width=params.band_width)
        steps, scorer = run(lex_src, lex_tgt, lo, hi, lengths)
    beads = _beads_with_confidence(steps, scorer, n, m, lo, hi)
    if mt_feats is not None:
        beads = _with_mt_similarity(beads, *mt_feats)
    return beads


def alignment_work(n_src: int, params: AlignParams | None = None) -> int:
    """The units of work :func:`align_sentences` reports through *progress*:
    every source sentence once per pass."""
    return n_src * (1 + max((params or AlignParams()).lexicon_passes, 1))


def _with_mt_similarity(
    beads: list[Bead], mt_grams: list[Counter], tgt_grams: list[Counter]
) -> list[Bead]:
    """Each pair bead with the character 3-gram F1 of its source's MT and its target."""
    out = []
    for bead in beads:
        if bead.is_null:
            out.append(bead)
            continue
        hyp = sum((mt_grams[i] for i in bead.src), Counter())
        ref = sum((tgt_grams[j] for j in bead.tgt), Counter())
        common = sum((hyp & ref).values())
        total = sum(hyp.values()) + sum(ref.values())
        similarity = 2 * common / total if total else 0.0
        out.append(replace(bead, mt_similarity=similarity))
    return out


def align_length_only(
    src: Sequence[str], tgt: Sequence[str], *, width: int | None = None
) -> list[Bead]:
    """The Gale–Church (1993) aligner: character lengths and bead priors only.

    Kept as the baseline the benchmark compares against; the length ratio is
    estimated from the documents, the rest is the published model.
    """
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    src_chars = [len(s) for s in src]
    tgt_chars = [len(t) for t in tgt]
    model = LengthModel.from_totals(sum(src_chars), sum(tgt_chars))
    scum = [0]
    for c in src_chars:
        scum.append(scum[-1] + c)
    tcum = [0]
    for c in tgt_chars:
        tcum.append(tcum[-1] + c)
    log_prior = {k: math.log(v) for k, v in GALE_CHURCH_PRIORS.items()}

    def score(i: int, j: int, a: int, b: int) -> float:
        return log_prior[(a, b)] + model.log_tail(scum[i + a] - scum[i], tcum[j + b] - tcum[j])

    width = width or max(30, max(n, m) // 10)
    lo = [int(i * m / n) - width for i in range(n + 1)]
    hi = [int(i * m / n) + width for i in range(n + 1)]
    lo, hi = finish_band(n, m, lo, hi)
    steps = best_path(n, m, lo, hi, tuple(GALE_CHURCH_PRIORS), score)
    return [Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), 1.0) for i, j, a, b, _ in steps]


def align_releases(
    src_release: Release,
    tgt_release: Release,
    *,
    glossary: Any = None,
    mt: Any = None,
    params: AlignParams | None = None,
) -> ReleaseAlignment:
    """Segment two :class:`~mlcorpus.release.Release` objects (title first, then
    the body paragraphs) and align their sentences."""
    src_sents, src_paras = _texts_and_paragraphs(src_release.sentences())
    tgt_sents, tgt_paras = _texts_and_paragraphs(tgt_release.sentences())
    beads = align_sentences(
        src_sents,
        tgt_sents,
        src_release.lang,
        tgt_release.lang,
        src_paragraphs=src_paras,
        tgt_paragraphs=tgt_paras,
        glossary=glossary,
        mt=mt,
        params=params,
    )
    return ReleaseAlignment(src_sents, tgt_sents, beads, src_paras, tgt_paras)


def _texts_and_paragraphs(sentences: list[Sentence]) -> tuple[list[str], list[int]]:
    return [s.text for s in sentences], [s.paragraph for s in sentences]


def _anchor_pairs(
    src: list[Counter],
    tgt: list[Counter],
    src_ev: list[SentenceEvidence],
    tgt_ev: list[SentenceEvidence],
) -> list[tuple[int, int, float]]:
    """Sentence pairs sharing features that are rare on both sides, weighted,
    kept only near the diagonal of the character-length positions."""
    n, m = len(src), len(tgt)
    src_post: dict[str, list[int]] = defaultdict(list)
    tgt_post: dict[str, list[int]] = defaultdict(list)
    for i, feats in enumerate(src):
        for f in feats:
            if not f.startswith("p:"):
                src_post[f].append(i)
    for j, feats in enumerate(tgt):
        for f in feats:
            if not f.startswith("p:"):
                tgt_post[f].append(j)
    spos = _relative_positions([e.chars for e in src_ev])
    tpos = _relative_positions([e.chars for e in tgt_ev])
    window = max(0.12, 25.0 / max(n, m))
    weight: dict[tuple[int, int], float] = defaultdict(float)
    for f, ss in src_post.items():
        ts = tgt_post.get(f)
        if not ts or len(ss) > _ANCHOR_MAX_DF or len(ts) > _ANCHOR_MAX_DF:
            continue
        w = math.log((n + m) / (len(ss) + len(ts)))
        for i in ss:
            for j in ts:
                if abs(spos[i] - tpos[j]) <= window:
                    weight[(i, j)] += w
    return [(i, j, w) for (i, j), w in weight.items() if w >= 2.0]


def _relative_positions(chars: list[int]) -> list[float]:
    total = float(sum(chars)) or 1.0
    out, acc = [], 0
    for c in chars:
        out.append((acc + c / 2.0) / total)
        acc += c
    return out


def _confident_pairs(
    steps: list[Step], scorer: BeadScorer, params: AlignParams
) -> list[tuple[int, int]]:
    """1-1 beads whose score beats leaving both sentences unmatched."""
    return [
        (i, j)
        for i, j, a, b, s in steps
        if a == 1 and b == 1 and scorer(i, j, 1, 1) > 2 * params.null + 1.0
    ]


def _with_lexicon(
    src_ev: list[SentenceEvidence],
    tgt_ev: list[SentenceEvidence],
    links: list[tuple[str, str, float]],
) -> tuple[list[Counter], list[Counter]]:
    src_map = {s: f"l:{k}" for k, (s, _, _) in enumerate(links)}
    tgt_map = {t: f"l:{k}" for k, (_, t, _) in enumerate(links)}

    def extend(evs: list[SentenceEvidence], table: dict[str, str]) -> list[Counter]:
        out = []
        for e in evs:
            feats = Counter(e.features)
            for w in e.words:
                f = table.get(w)
                if f is not None:
                    feats[f] += 1
            out.append(feats)
        return out

    return extend(src_ev, src_map), extend(tgt_ev, tgt_map)


def _mt_features(
    mt: Any, src: Sequence[str], tgt: Sequence[str]
) -> tuple[list[Counter], list[Counter]]:
    """Character 3-gram bags of the MT of each source sentence and of each
    target sentence (a chrF-style comparison that stays additive over beads)."""
    translations = list(mt.translate(list(src)))
    if len(translations) != len(src):
        raise ValueError("the translator returned a different number of sentences")
    return [_char_ngrams(t) for t in translations], [_char_ngrams(t) for t in tgt]


def _char_ngrams(text: str, n: int = 3) -> Counter:
    norm = "_" + "_".join(text.lower().split()) + "_"
    return Counter(norm[k : k + n] for k in range(len(norm) - n + 1))


def _beads_with_confidence(
    steps: list[Step], scorer: BeadScorer, n: int, m: int, lo: list[int], hi: list[int]
) -> list[Bead]:
    """Beads with their confidence: for a pair, the probability that it is
    right; for an unmatched sentence, that no sentence near it is its match."""
    beads = []
    for i, j, a, b, _ in steps:
        if a and b:
            conf = scorer.pair_probability(i, j, a, b)
        else:
            best = 0.0
            if a:
                cands = [(i, jj) for jj in range(max(lo[i] - 1, 0), min(hi[i + 1] + 1, m))]
            else:
                first = bisect.bisect_left(hi, j - 1)
                last = bisect.bisect_right(lo, j + 1)
                cands = [(ii, j) for ii in range(max(first - 1, 0), min(last, n))]
            for ii, jj in cands:
                best = max(best, scorer.pair_probability(ii, jj, 1, 1))
            conf = 1.0 - best
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), conf))
    return beads
