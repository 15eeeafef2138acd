"""The two inputs of an alignment, and its beads as records or sentence pairs.

Reading a side turns a release (or a one-sentence-per-line file) into the
sentences the aligner takes; :func:`bead_records` and :func:`bead_units` turn
the beads back into data: JSON-ready records with line numbers and texts, or
:class:`~mlcorpus.formats.base.TranslationUnit` s for any exchange format.
Nothing here writes: the command (or a script) chooses where the data goes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlcorpus.align.beads import Bead
from mlcorpus.errors import InputError

if TYPE_CHECKING:
    from mlcorpus.formats.base import TranslationUnit


@dataclass
class Side:
    """One input of the aligner: its sentences and their paragraph numbers."""

    path: str
    lang: str
    sentences: list[str]
    paragraphs: list[int]

    def text(self, ids: Sequence[int]) -> str:
        """The sentences *ids* joined by spaces (one side of a bead)."""
        return " ".join(self.sentences[i] for i in ids)


def read_side(path: str, lang: str | None, segmented: bool) -> Side:
    """Sentences of a release file, or of a one-sentence-per-line file
    (*segmented*: blank lines separate paragraphs)."""
    from mlcorpus.alphabet import detect_lang
    from mlcorpus.release import read_release
    from mlcorpus.textio import read_lines

    if segmented:
        lines = read_lines(path)
        sentences: list[str] = []
        paragraphs: list[int] = []
        para = 0
        for line in lines:
            if line.strip():
                sentences.append(line.strip())
                paragraphs.append(para)
            elif sentences and paragraphs[-1] == para:
                para += 1
        if not sentences:
            raise InputError(f"{path}: no sentences found")
        return Side(path, lang or detect_lang(" ".join(sentences[:200])), sentences, paragraphs)
    release = read_release(path, lang=lang)
    found = release.sentences()
    if not found:
        raise InputError(f"{path}: no sentences found")
    return Side(path, release.lang, [s.text for s in found], [s.paragraph for s in found])


def kept_beads(beads: Sequence[Bead], min_score: float | None) -> Iterator[Bead]:
    """Beads at or above *min_score* (all of them when it is None)."""
    for bead in beads:
        if min_score is None or bead.score >= min_score:
            yield bead


def bead_records(
    beads: Sequence[Bead], src: Side, tgt: Side, *, min_score: float | None = None
) -> Iterator[dict[str, Any]]:
    """One JSON-ready record per bead: 0-based sentence numbers ``src`` and
    ``tgt``, ``score``, ``mt_similarity`` (with MT), and the two texts."""
    for bead in kept_beads(beads, min_score):
        record = bead.to_dict()
        record["src_text"] = src.text(bead.src)
        record["tgt_text"] = tgt.text(bead.tgt)
        yield record


def bead_units(
    beads: Sequence[Bead], src: Side, tgt: Side, *, min_score: float | None = None
) -> Iterator[TranslationUnit]:
    """The sentence pairs (beads with both sides) as translation units whose
    meta carries the score, the sentence numbers and the file names."""
    from mlcorpus.formats.base import TranslationUnit

    for bead in kept_beads(beads, min_score):
        if bead.is_null:
            continue
        meta: dict[str, Any] = {
            "score": round(bead.score, 4),
            "src_ids": ",".join(map(str, bead.src)),
            "tgt_ids": ",".join(map(str, bead.tgt)),
            "src_file": Path(src.path).name,
            "tgt_file": Path(tgt.path).name,
        }
        if bead.mt_similarity is not None:
            meta["mt_similarity"] = round(bead.mt_similarity, 4)
        yield TranslationUnit(
            src=src.text(bead.src),
            tgt=tgt.text(bead.tgt),
            src_lang=src.lang,
            tgt_lang=tgt.lang,
            meta=meta,
        )
