"""The Gale–Church length model (Gale & Church 1993), with its parameters
estimated from the documents being aligned.

The length of a translation in characters is roughly proportional to the
length of its source: ``len(tgt) ≈ c · len(src)`` with a variance that grows
with the length.  Gale and Church fixed ``c = 1`` and ``s² = 6.8`` for
English–French–German; English→Russian runs longer and varies more, so both
are estimated from the input: the ratio of the total lengths, and the variance
of the normalised differences over confident beads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class LengthModel:
    """``delta = (lt - c·ls) / sqrt(s2 · (ls + lt/c) / 2)`` is about N(0, 1) for
    true beads.  The symmetric mean length keeps 0-length sides well defined."""

    ratio: float = 1.0
    s2: float = 6.8

    @classmethod
    def from_totals(cls, src_chars: int, tgt_chars: int, s2_per_char: float = 6.8) -> LengthModel:
        ratio = tgt_chars / src_chars if src_chars and tgt_chars else 1.0
        return cls(ratio=min(max(ratio, 0.25), 4.0), s2=s2_per_char * ratio)

    def delta(self, ls: float, lt: float) -> float:
        mean = (ls + lt / self.ratio) / 2.0
        return (lt - self.ratio * ls) / math.sqrt(self.s2 * max(mean, 1.0))

    def log_tail(self, ls: float, lt: float) -> float:
        """Gale and Church's ``log 2(1 - Φ(|delta|))``: 0 for a perfect match."""
        d = abs(self.delta(ls, lt))
        p = math.erfc(d / math.sqrt(2.0))
        return math.log(max(p, 1e-300))

    def refit(self, pairs: Iterable[tuple[int, int]]) -> LengthModel:
        """Re-estimate ratio and variance from ``(src_chars, tgt_chars)`` of good beads."""
        pairs = [(ls, lt) for ls, lt in pairs if ls > 0 and lt > 0]
        if len(pairs) < 10:
            return self
        ratio = sum(lt for _, lt in pairs) / sum(ls for ls, _ in pairs)
        resid = [((lt - ratio * ls) ** 2) / ((ls + lt / ratio) / 2.0) for ls, lt in pairs]
        resid.sort()
        # Trim the worst tenth: a few wrong beads must not inflate the variance.
        kept = resid[: max(1, int(len(resid) * 0.9))]
        s2 = sum(kept) / len(kept) * 1.15
        return LengthModel(ratio=min(max(ratio, 0.25), 4.0), s2=max(s2, 0.5))


#: Gale and Church's bead-type probabilities, used by the length-only baseline.
GALE_CHURCH_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099,
    (0, 1): 0.0099,
    (2, 1): 0.089,
    (1, 2): 0.089,
    (2, 2): 0.011,
}
