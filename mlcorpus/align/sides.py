"""The two inputs of an alignment, and its beads as records or sentence pairs.

Reading a side turns a release (or a one-sentence-per-line file) into the
sentences the aligner takes; :func:`bead_records` and :func:`bead_units` turn
the beads back into data: JSON-ready records with line numbers and texts, or
:class:`~mlcorpus.formats.base.TranslationUnit` s for any exchange format.
Nothing here writes: the command (or a script) chooses where the data goes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlcorpus.errors import InputError

if TYPE_CHECKING:
    from mlcorpus.align.stream import AlignedBead
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

    @property
    def items(self) -> Iterator[tuple[str, int]]:
        """``(sentence, paragraph number)`` pairs, as :func:`align_stream` reads them."""
        return zip(self.sentences, self.paragraphs, strict=True)


@dataclass
class StreamedSide:
    """One input of the aligner read lazily: ``(sentence, paragraph)`` pairs."""

    path: str
    lang: str
    items: Iterator[tuple[str, int]]


def segmented_sentences(path: str) -> Iterator[tuple[str, int]]:
    """The non-blank lines of a one-sentence-per-line file with their paragraph
    numbers (blank lines separate paragraphs), read one line at a time."""
    from mlcorpus.textio import iter_lines

    para = 0
    in_paragraph = seen = False
    for line in iter_lines(path):
        if line.strip():
            yield line.strip(), para
            in_paragraph = seen = True
        elif in_paragraph:
            para += 1
            in_paragraph = False
    if not seen:
        raise InputError(f"{path}: no sentences found")


def stream_side(path: str, lang: str | None) -> StreamedSide:
    """A one-sentence-per-line input, streamed; the language (unless given) is
    detected from its first 200 sentences."""
    from mlcorpus.alphabet import detect_lang

    items = segmented_sentences(path)
    head = list(itertools.islice(items, 200))
    lang = lang or detect_lang(" ".join(s for s, _ in head))
    return StreamedSide(path, lang, itertools.chain(head, items))


def count_sentences(side: Side | StreamedSide) -> int | None:
    """How many sentences *side* has (a streamed file is counted in a quick
    first pass; None for standard input), for a progress bar."""
    if isinstance(side, Side):
        return len(side.sentences)
    if side.path == "-":
        return None
    return sum(1 for _ in segmented_sentences(side.path))


def read_side(path: str, lang: str | None, segmented: bool) -> Side:
    """Sentences of a release file, or of a one-sentence-per-line file
    (*segmented*: blank lines separate paragraphs)."""
    from mlcorpus.release import read_release

    if segmented:
        side = stream_side(path, lang)
        pairs = list(side.items)
        return Side(path, side.lang, [s for s, _ in pairs], [p for _, p in pairs])
    release = read_release(path, lang=lang)
    found = release.sentences()
    if not found:
        raise InputError(f"{path}: no sentences found")
    return Side(path, release.lang, [s.text for s in found], [s.paragraph for s in found])


def _kept(aligned: Iterable[AlignedBead], min_score: float | None) -> Iterator[AlignedBead]:
    """Beads at or above *min_score* (all of them when it is None)."""
    for item in aligned:
        if min_score is None or item[0].score >= min_score:
            yield item


def bead_records(
    aligned: Iterable[AlignedBead], *, min_score: float | None = None
) -> Iterator[dict[str, Any]]:
    """One JSON-ready record per bead (each with its sentences, as
    :func:`~mlcorpus.align.stream.align_stream` yields them): 0-based sentence
    numbers ``src`` and ``tgt``, ``score``, ``mt_similarity`` (with MT), and
    the two texts."""
    for bead, src_sents, tgt_sents in _kept(aligned, min_score):
        record = bead.to_dict()
        record["src_text"] = " ".join(src_sents)
        record["tgt_text"] = " ".join(tgt_sents)
        yield record


def bead_units(
    aligned: Iterable[AlignedBead],
    src: Side | StreamedSide,
    tgt: Side | StreamedSide,
    *,
    min_score: float | None = None,
) -> Iterator[TranslationUnit]:
    """The sentence pairs (beads with both sides) as translation units whose
    meta carries the score, the sentence numbers and the file names."""
    from mlcorpus.formats.base import TranslationUnit

    for bead, src_sents, tgt_sents in _kept(aligned, min_score):
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
            src=" ".join(src_sents),
            tgt=" ".join(tgt_sents),
            src_lang=src.lang,
            tgt_lang=tgt.lang,
            meta=meta,
        )
