"""The banded dynamic programme and the bands it searches.

Searching every cell of an ``n × m`` lattice is quadratic; a release and its
translation stay close to the diagonal, so we search a band around a guessed
path instead (two passes, as hunalign and Bleualign do):

1. :func:`anchor_band` guesses the path from *anchors* — sentence pairs that
   share rare features such as a number or a name — chained monotonically by a
   weighted longest-increasing-subsequence, and widens the band where anchors
   are far apart;
2. :func:`path_band` narrows the band around the path of a previous pass.

Cost is proportional to ``n × band width``: close to linear.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

Move = tuple[int, int]
#: A bead as the DP sees it: start lattice point, sizes, score.
Step = tuple[int, int, int, int, float]

NEG_INF = -math.inf


#: rows of the lattice between two progress reports
ROW_BLOCK = 100


def best_path(
    n: int,
    m: int,
    lo: Sequence[int],
    hi: Sequence[int],
    moves: Sequence[Move],
    score: Callable[[int, int, int, int], float],
    advance: Callable[[int], None] | None = None,
) -> list[Step]:
    """Highest-scoring sequence of beads from ``(0, 0)`` to ``(n, m)``.

    Row *i* of the lattice (``i`` source sentences consumed) may only visit
    columns ``lo[i]..hi[i]``.  ``score(i, j, a, b)`` scores the bead that
    starts at lattice point ``(i, j)`` and takes ``a`` source and ``b``
    target sentences.  *advance*, when given, is called with the number of
    rows done as the work goes (a progress bar counts source sentences).
    """
    rows: list[list[float]] = []
    backs: list[list[int]] = []
    for i in range(n + 1):
        first, last = lo[i], hi[i]
        row = [NEG_INF] * (last - first + 1)
        back = [-1] * (last - first + 1)
        for j in range(first, last + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            best = NEG_INF
            best_k = -1
            for k, (a, b) in enumerate(moves):
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0:
                    continue
                if a == 0:
                    if pj < first:
                        continue
                    prev = row[pj - first]
                else:
                    plo = lo[pi]
                    if pj < plo or pj > hi[pi]:
                        continue
                    prev = rows[pi][pj - plo]
                if prev == NEG_INF:
                    continue
                value = prev + score(pi, pj, a, b)
                if value > best:
                    best, best_k = value, k
            row[j - first] = best
            back[j - first] = best_k
        rows.append(row)
        backs.append(back)
        if advance is not None and i and (i % ROW_BLOCK == 0 or i == n):
            advance(i % ROW_BLOCK or ROW_BLOCK)
    if not (lo[n] <= m <= hi[n]) or rows[n][m - lo[n]] == NEG_INF:
        raise ValueError("no alignment path inside the band")
    steps: list[Step] = []
    i, j = n, m
    while i or j:
        k = backs[i][j - lo[i]]
        a, b = moves[k]
        pi, pj = i - a, j - b
        gain = rows[i][j - lo[i]] - rows[pi][pj - lo[pi]]
        steps.append((pi, pj, a, b, gain))
        i, j = pi, pj
    steps.reverse()
    return steps


def finish_band(n: int, m: int, lo: list[int], hi: list[int]) -> tuple[list[int], list[int]]:
    """Clip to the lattice and make the band connected and monotone."""
    lo = [min(max(x, 0), m) for x in lo]
    hi = [min(max(x, 0), m) for x in hi]
    lo[0], hi[n] = 0, m
    for i in range(n - 1, -1, -1):
        lo[i] = min(lo[i], lo[i + 1])
    for i in range(1, n + 1):
        hi[i] = max(hi[i], hi[i - 1])
    for i in range(1, n + 1):
        # consecutive rows must overlap so that a 1-0 move can join them
        lo[i] = min(lo[i], hi[i - 1])
        hi[i - 1] = max(hi[i - 1], lo[i])
    return lo, hi


def _interpolate(points: list[tuple[float, float]], n: int) -> list[float]:
    """Piecewise-linear ``j`` for every lattice row from sorted ``(i, j)`` points."""
    centre = [0.0] * (n + 1)
    k = 0
    for i in range(n + 1):
        while k + 1 < len(points) - 1 and points[k + 1][0] <= i:
            k += 1
        (i0, j0), (i1, j1) = points[k], points[min(k + 1, len(points) - 1)]
        centre[i] = j0 if i1 == i0 else j0 + (j1 - j0) * (i - i0) / (i1 - i0)
    return centre


def monotone_chain(pairs: Sequence[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The heaviest chain of ``(i, j, weight)`` increasing strictly in both ``i``
    and ``j`` (weighted LIS with a Fenwick tree of prefix maxima)."""
    if not pairs:
        return []
    cols = sorted({j for _, j, _ in pairs})
    rank = {j: r + 1 for r, j in enumerate(cols)}
    size = len(cols)
    tree_val = [0.0] * (size + 1)
    tree_idx = [-1] * (size + 1)
    ordered = sorted(range(len(pairs)), key=lambda k: (pairs[k][0], -pairs[k][1]))
    total = [0.0] * len(pairs)
    prev = [-1] * len(pairs)
    pos = 0
    while pos < len(ordered):
        group_end = pos
        while group_end < len(ordered) and pairs[ordered[group_end]][0] == pairs[ordered[pos]][0]:
            group_end += 1
        group = ordered[pos:group_end]
        for k in group:  # queries first: pairs in one row never chain
            r = rank[pairs[k][1]] - 1
            best, best_k = 0.0, -1
            while r > 0:
                if tree_val[r] > best:
                    best, best_k = tree_val[r], tree_idx[r]
                r -= r & -r
            total[k] = best + pairs[k][2]
            prev[k] = best_k
        for k in group:
            r = rank[pairs[k][1]]
            while r <= size:
                if total[k] > tree_val[r]:
                    tree_val[r], tree_idx[r] = total[k], k
                r += r & -r
        pos = group_end
    k = max(range(len(pairs)), key=total.__getitem__)
    chain = []
    while k >= 0:
        chain.append((pairs[k][0], pairs[k][1]))
        k = prev[k]
    chain.reverse()
    return chain


def anchor_band(
    n: int,
    m: int,
    anchors: Sequence[tuple[int, int, float]],
    *,
    base: int = 8,
    growth: float = 0.35,
    cap: int = 80,
) -> tuple[list[int], list[int]]:
    """A band around the chain of anchor pairs; wider far from any anchor."""
    chain = monotone_chain(anchors)
    points: list[tuple[float, float]] = [(0.0, 0.0)]
    for i, j in chain:
        points.append((i + 0.5, j + 0.5))
    points.append((float(n), float(m)))
    centre = _interpolate(points, n)
    rows_of_anchors = [0] + [i for i, _ in chain] + [n]
    lo, hi = [], []
    k = 0
    for i in range(n + 1):
        while k + 1 < len(rows_of_anchors) and rows_of_anchors[k + 1] <= i:
            k += 1
        left = i - rows_of_anchors[k]
        right = rows_of_anchors[min(k + 1, len(rows_of_anchors) - 1)] - i
        width = base + min(cap, int(growth * min(abs(left), abs(right))))
        lo.append(math.floor(centre[i]) - width)
        hi.append(math.ceil(centre[i]) + width)
    return finish_band(n, m, lo, hi)


def path_band(n: int, m: int, steps: Sequence[Step], width: int) -> tuple[list[int], list[int]]:
    """A band of ± *width* columns around a previous path."""
    lo = [m] * (n + 1)
    hi = [0] * (n + 1)
    for i0, j0, a, b, _ in steps:
        for da in range(a + 1):
            for db in range(b + 1):
                i, j = i0 + da, j0 + db
                lo[i] = min(lo[i], j - width)
                hi[i] = max(hi[i], j + width)
    return finish_band(n, m, lo, hi)


def band_columns(
    lo: Sequence[int], hi: Sequence[int], n: int, m: int, span: int = 3
) -> list[tuple[int, int]]:
    """For each source sentence, the ``[lo, hi)`` target sentences a bead in the
    band can pair it with (beads reach *span* sentences back)."""
    cols = []
    for i in range(n):
        first = lo[max(i - span + 1, 0)] - span
        last = hi[min(i + span, n)] + span
        cols.append((max(first, 0), min(last, m)))
    return cols
