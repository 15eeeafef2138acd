"""Weighted feature vectors and the cosine similarity of any bead.

A sentence is a sparse vector over the features both documents share
(``n:2015``, ``c:sigik``, ``l:17``...), weighted by inverse document
frequency; features found on one side only say nothing about *which*
sentences match and are left out, but every word still adds a little mass to
the norm so that one shared number does not make two long sentences "equal".

Dots are additive, so the similarity of a 2-1 bead needs no new vector:
``dot(s1 + s2, t) = dot(s1, t) + dot(s2, t)`` and
``|s1 + s2|² = |s1|² + |s2|² + 2·dot(s1, s2)``.  We therefore compute the
sentence-pair dots once, only for pairs inside the search band, and build
every bead's cosine from them (as vecalign does with embeddings).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Sequence


class FeatureSpace:
    """Sentence-pair dots inside a band, plus the self-dots of neighbours."""

    def __init__(
        self,
        src: Sequence[Counter],
        tgt: Sequence[Counter],
        src_sizes: Sequence[int],
        tgt_sizes: Sequence[int],
        cols: Sequence[tuple[int, int]],
        *,
        word_mass: float = 0.3,
        max_span: int = 3,
    ) -> None:
        """*cols[i]* is the ``[lo, hi)`` range of target sentences that source
        sentence *i* may be paired with; *src_sizes* are word counts."""
        df: Counter = Counter()
        src_has: Counter = Counter()
        tgt_has: Counter = Counter()
        for feats in src:
            src_has.update(feats.keys())
        for feats in tgt:
            tgt_has.update(feats.keys())
        shared = {f for f in src_has if f in tgt_has}
        for f in shared:
            df[f] = src_has[f] + tgt_has[f]
        total = len(src) + len(tgt)
        weight = {f: math.log((total + 1.0) / df[f]) for f in shared}
        mean_w2 = (sum(w * w for w in weight.values()) / len(weight)) if weight else 1.0
        unit = word_mass * mean_w2

        def vectorise(feats: Counter, size: int) -> tuple[dict[str, float], float]:
            vec = {f: weight[f] * c for f, c in feats.items() if f in weight}
            return vec, sum(v * v for v in vec.values()) + unit * size

        src_pairs = [vectorise(f, s) for f, s in zip(src, src_sizes, strict=True)]
        tgt_pairs = [vectorise(f, s) for f, s in zip(tgt, tgt_sizes, strict=True)]
        self.src_vec = [v for v, _ in src_pairs]
        self.src_norm2 = [nn for _, nn in src_pairs]
        self.tgt_vec = [v for v, _ in tgt_pairs]
        self.tgt_norm2 = [nn for _, nn in tgt_pairs]
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for j, vec in enumerate(self.tgt_vec):
            for f, v in vec.items():
                postings[f].append((j, v))
        keys = {f: [j for j, _ in plist] for f, plist in postings.items()}
        self.dots: list[dict[int, float]] = []
        self.band_pairs = sum(max(hi - lo, 0) for lo, hi in cols)
        for i, vec in enumerate(self.src_vec):
            lo, hi = cols[i]
            row: dict[int, float] = {}
            for f, v in vec.items():
                plist = postings.get(f)
                if not plist:
                    continue
                ks = keys[f]
                start = bisect.bisect_left(ks, lo)
                stop = bisect.bisect_left(ks, hi, start)
                for j, tv in plist[start:stop]:
                    row[j] = row.get(j, 0.0) + v * tv
            self.dots.append(row)
        self.src_adj = [self._self_dots(self.src_vec, d) for d in range(1, max_span)]
        self.tgt_adj = [self._self_dots(self.tgt_vec, d) for d in range(1, max_span)]

    @staticmethod
    def _self_dots(vecs: Sequence[dict[str, float]], dist: int) -> list[float]:
        out = []
        for k in range(len(vecs) - dist):
            a, b = vecs[k], vecs[k + dist]
            if len(a) > len(b):
                a, b = b, a
            out.append(sum(v * b.get(f, 0.0) for f, v in a.items()))
        return out

    def _span_norm2(
        self, norms: Sequence[float], adj: list[list[float]], start: int, count: int
    ) -> float:
        total = 0.0
        for k in range(start, start + count):
            total += norms[k]
        for dist in range(1, count):
            dots = adj[dist - 1]
            for k in range(start, start + count - dist):
                total += 2.0 * dots[k]
        return total

    def pair_cos(self, i: int, j: int) -> float:
        """Cosine of source sentence *i* and target sentence *j*."""
        denom = self.src_norm2[i] * self.tgt_norm2[j]
        return self.dots[i].get(j, 0.0) / math.sqrt(denom) if denom > 0 else 0.0

    def cos(self, i: int, a: int, j: int, b: int) -> float:
        """Cosine of source sentences ``i..i+a-1`` and target ``j..j+b-1``."""
        if a == 1 and b == 1:
            return self.pair_cos(i, j)
        dot = 0.0
        for ii in range(i, i + a):
            row = self.dots[ii]
            for jj in range(j, j + b):
                dot += row.get(jj, 0.0)
        ns = self.src_norm2[i] if a == 1 else self._span_norm2(self.src_norm2, self.src_adj, i, a)
        nt = self.tgt_norm2[j] if b == 1 else self._span_norm2(self.tgt_norm2, self.tgt_adj, j, b)
        denom = ns * nt
        return dot / math.sqrt(denom) if denom > 0 else 0.0

    def background(self) -> tuple[float, float]:
        """Typical cosine of an unrelated pair and of the best pair in a row.

        The median over all band pairs stands for "unrelated" (most pairs in
        a band are wrong); the median of the per-row maxima for "translation".
        Dividing by their gap makes scores comparable across documents.
        """
        nonzero: list[float] = []
        best: list[float] = []
        for i, row in enumerate(self.dots):
            values = [self.pair_cos(i, j) for j in row]
            nonzero.extend(v for v in values if v > 0)
            if values:
                best.append(max(values))
        if not best:
            return 0.0, 1.0
        nonzero.sort()
        best.sort()
        # Pairs without a shared feature have cosine 0 and are not stored.
        zeros = max(self.band_pairs - len(nonzero), 0)
        mid = (zeros + len(nonzero)) // 2
        low = 0.0 if mid < zeros else nonzero[mid - zeros]
        high = best[len(best) // 2]
        return low, max(high, low + 0.05)
