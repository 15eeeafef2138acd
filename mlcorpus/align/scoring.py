"""Bead scores for the DP and the confidence reported with each bead.

A bead's score is a sum of log-odds-like terms: the prior of its type (1-1 is
the norm, 2-2 rare), the Gale–Church length term, and for each similarity
channel (shared features; MT when used) the cosine rescaled so that 0 means
"like an unrelated pair in this document" and 1 "like a typical translation
in this document".  That rescaling is what makes scores comparable across
documents.  Unmatched sentences (1-0, 0-1) cost a fixed amount each.
Paragraph boundaries are soft anchors: a bead that starts at a paragraph
boundary on one side only, or that joins sentences of two paragraphs, pays
a penalty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from mlcorpus.align.lengths import LengthModel
from mlcorpus.align.similarity import FeatureSpace


def _default_priors() -> dict[tuple[int, int], float]:
    return {(1, 1): 0.0, (2, 1): -2.2, (1, 2): -2.2, (2, 2): -5.0, (3, 1): -5.0, (1, 3): -5.0}


@dataclass
class AlignParams:
    """Settings of the aligner: weights of the bead score and of the
    confidence, and how many passes to run.  The defaults were tuned on
    perturbed WMT newstest 2013 and 2014 documents (newstest2015 is kept for
    reporting, see ``scripts/bench_align.py``); log-odds units throughout."""

    null: float = -2.5
    priors: dict[tuple[int, int], float] = field(default_factory=_default_priors)
    w_len: float = 0.3
    w_lex: float = 5.0
    w_mt: float = 5.0
    para_mismatch: float = 1.5
    para_cross: float = 2.5
    #: logistic coefficients of the confidence: bias, cosine, multi-sentence bead
    confidence_coef: tuple[float, float, float] = (-0.43, 14.07, -1.71)
    #: extra cost of a pair whose similarity is below ``weak_z`` (scaled by the
    #: shortfall): an unrelated pair must not be cheaper than two unmatched
    #: sentences
    weak_penalty: float = 2.0
    weak_z: float = 0.25
    #: realignments with a relearned lexicon after the first pass (more did
    #: not help on the benchmark)
    lexicon_passes: int = 1
    #: half-width of the band around the previous pass's path
    band_width: int = 8


@dataclass
class Channel:
    """One similarity channel and the cosine levels of unrelated/typical pairs."""

    space: FeatureSpace
    weight: float
    low: float
    high: float

    def z(self, i: int, a: int, j: int, b: int) -> float:
        return (self.space.cos(i, a, j, b) - self.low) / (self.high - self.low)


class BeadScorer:
    """``scorer(i, j, a, b)``: score of the bead starting at lattice point
    ``(i, j)`` with *a* source and *b* target sentences."""

    def __init__(
        self,
        src_chars: Sequence[int],
        tgt_chars: Sequence[int],
        lengths: LengthModel,
        channels: Sequence[Channel],
        params: AlignParams,
        src_paragraphs: Sequence[int] | None = None,
        tgt_paragraphs: Sequence[int] | None = None,
    ) -> None:
        self.src_cum = _cumulative(src_chars)
        self.tgt_cum = _cumulative(tgt_chars)
        self.lengths = lengths
        self.channels = list(channels)
        self.p = params
        self.src_start = _starts(src_paragraphs, len(src_chars))
        self.tgt_start = _starts(tgt_paragraphs, len(tgt_chars))

    def boundary_penalty(self, i: int, j: int, a: int, b: int) -> float:
        p = self.p
        penalty = 0.0
        if self.src_start[i] != self.tgt_start[j]:
            penalty += p.para_mismatch
        for k in range(i + 1, i + a):
            if self.src_start[k]:
                penalty += p.para_cross
        for k in range(j + 1, j + b):
            if self.tgt_start[k]:
                penalty += p.para_cross
        return penalty

    def content(self, i: int, j: int, a: int, b: int) -> float:
        """Length and similarity evidence of a non-null bead, without priors."""
        ls = self.src_cum[i + a] - self.src_cum[i]
        lt = self.tgt_cum[j + b] - self.tgt_cum[j]
        value = self.p.w_len * self.lengths.log_tail(ls, lt)
        for ch in self.channels:
            z = ch.z(i, a, j, b)
            value += ch.weight * z
            if z < self.p.weak_z:
                value -= self.p.weak_penalty * (self.p.weak_z - z) / self.p.weak_z
        return value

    def __call__(self, i: int, j: int, a: int, b: int) -> float:
        penalty = self.boundary_penalty(i, j, a, b)
        if a == 0 or b == 0:
            return self.p.null * (a + b) - penalty
        return self.p.priors[(a, b)] + self.content(i, j, a, b) - penalty

    def pair_probability(self, i: int, j: int, a: int, b: int) -> float:
        """Probability that a non-null bead is right: a logistic model of the
        bead's cosine in the first channel (an absolute level, so a weak
        similarity is doubted even when it is the best a document offers).
        Coefficients fitted on perturbed WMT newstest 2013-2014 documents plus
        pairs of unrelated documents; the shift of the same bead by one
        sentence and the length term added nothing to that fit."""
        cos = self.channels[0].space.cos(i, a, j, b)
        bias, w_cos, w_multi = self.p.confidence_coef
        x = bias + w_cos * cos + (w_multi if a > 1 or b > 1 else 0.0)
        return 1.0 / (1.0 + math.exp(-max(min(x, 50.0), -50.0)))


def _cumulative(values: Sequence[int]) -> list[int]:
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


def _starts(paragraphs: Sequence[int] | None, n: int) -> list[bool]:
    """``starts[k]``: sentence *k* opens a paragraph; ``starts[n]`` (the end) is True."""
    if paragraphs is None:
        starts = [False] * (n + 1)
    else:
        starts = [k == 0 or paragraphs[k] != paragraphs[k - 1] for k in range(n)] + [True]
    if n:
        starts[0] = True
    starts[n] = True
    return starts
