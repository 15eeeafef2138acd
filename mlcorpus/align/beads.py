"""The unit of an alignment: a bead joins consecutive source and target sentences."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bead:
    """Source sentence ids ``src`` aligned with target ids ``tgt`` (0-based,
    consecutive, either side may be empty for an unmatched sentence) and a
    confidence ``score`` in [0, 1] that means the same in every document."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float
    #: with MT evidence: how close the MT of the source side is to the target
    #: side (character 3-gram F1, 0-1); None without MT or for 1-0/0-1 beads
    mt_similarity: float | None = None

    @property
    def kind(self) -> str:
        """``"1-1"``, ``"2-1"``, ``"1-0"``... (source count, target count)."""
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def is_null(self) -> bool:
        """True for 1-0 and 0-1 beads: a sentence without a counterpart."""
        return not self.src or not self.tgt

    def to_dict(self) -> dict:
        out = {"src": list(self.src), "tgt": list(self.tgt), "score": round(self.score, 4)}
        if self.mt_similarity is not None:
            out["mt_similarity"] = round(self.mt_similarity, 4)
        return out


def check_beads(beads: list[Bead], n_src: int, n_tgt: int) -> None:
    """Assert the alignment invariant: every sentence in exactly one bead, in order."""
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    if src != list(range(n_src)) or tgt != list(range(n_tgt)):
        raise AssertionError("beads do not cover every sentence exactly once, in order")
