"""A bilingual word lexicon learned from the documents being aligned.

As in hunalign's second pass: align with the dictionary-free evidence, keep
the confident 1-1 beads, count how often an English stem and a Russian stem
occur in the same bead, and link the pairs that co-occur far more than chance
(Dice coefficient, competitive linking so each stem gets its best partner
only).  The links become shared features (``l:<n>``) for the realignment.
No word list ships with the project: everything comes from the input.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence


def dunning_g2(joint: int, src: int, tgt: int, total: int) -> float:
    """Dunning's G² for a 2×2 table of co-occurrence counts (higher: less chance)."""
    cells = (joint, src - joint, tgt - joint, total - src - tgt + joint)
    rows = (src, total - src)
    cols = (tgt, total - tgt)
    expected = (rows[0] * cols[0], rows[0] * cols[1], rows[1] * cols[0], rows[1] * cols[1])
    g2 = 0.0
    for observed, exp in zip(cells, expected, strict=True):
        if observed > 0 and exp > 0:
            g2 += observed * math.log(observed * total / exp)
    return 2.0 * g2


def learn_lexicon(
    pairs: Iterable[tuple[Sequence[str], Sequence[str]]],
    *,
    min_count: int = 2,
    min_dice: float = 0.3,
    max_doc_share: float = 0.3,
    min_g2: float = 10.0,
) -> list[tuple[str, str, float]]:
    """Word pairs ``(src_stem, tgt_stem, dice)`` from aligned sentence pairs.

    *max_doc_share* drops stems found in more than that share of the beads
    (articles, prepositions): they co-occur with everything and link nothing.
    *min_g2* is Dunning's log-likelihood ratio a pair must reach, so that in a
    short document two chance co-occurrences do not make a link.
    """
    src_df: Counter = Counter()
    tgt_df: Counter = Counter()
    joint: Counter = Counter()
    n = 0
    for src_words, tgt_words in pairs:
        s_set, t_set = set(src_words), set(tgt_words)
        n += 1
        src_df.update(s_set)
        tgt_df.update(t_set)
        for s in s_set:
            for t in t_set:
                joint[(s, t)] += 1
    if not n:
        return []
    limit = max(min_count, max_doc_share * n)
    candidates = []
    for (s, t), c in joint.items():
        if c < min_count or src_df[s] > limit or tgt_df[t] > limit:
            continue
        dice = 2.0 * c / (src_df[s] + tgt_df[t])
        if dice >= min_dice and dunning_g2(c, src_df[s], tgt_df[t], n) >= min_g2:
            candidates.append((dice, c, s, t))
    candidates.sort(reverse=True)
    used_src: set[str] = set()
    used_tgt: set[str] = set()
    links = []
    for dice, _c, s, t in candidates:
        if s in used_src or t in used_tgt:
            continue
        used_src.add(s)
        used_tgt.add(t)
        links.append((s, t, dice))
    return links
