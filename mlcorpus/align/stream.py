"""Aligning corpora of any length in bounded memory: the banded DP in windows.

:func:`~mlcorpus.align.aligner.align_sentences` holds every sentence's
evidence and the whole band in memory, which is right for a release and
wrong for a million-line corpus.  :func:`align_stream` reads both sides
lazily and aligns a window of a few thousand sentences at a time.  Of each
window only the first part is kept, up to the last confident 1-1 bead there
(a point where both sides are known to be in step); the next window starts
right after it, so the tail of a window, where one side may have run ahead
of the other, is always aligned again with what follows.  Memory holds one
window, time grows linearly with the input, and a text no longer than one
window is aligned exactly as :func:`align_sentences` aligns it.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from mlcorpus.align.aligner import align_sentences
from mlcorpus.align.beads import Bead

#: sentences per side in one window
WINDOW = 3000
#: share of a window (on each side) within which its cut point is chosen
KEEP = 0.6
#: confidence a 1-1 bead needs to serve as a cut point
CUT_CONFIDENCE = 0.5

#: a bead with global sentence ids and the sentences it joins
AlignedBead = tuple[Bead, list[str], list[str]]


def align_stream(
    src: Iterable[tuple[str, int]],
    tgt: Iterable[tuple[str, int]],
    src_lang: str,
    tgt_lang: str,
    *,
    window: int = WINDOW,
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> Iterator[AlignedBead]:
    """Align two streams of ``(sentence, paragraph number)`` window by window;
    beads come in order with global 0-based ids, each with its source and
    target sentences.  *progress* hears how many source sentences each
    window settled.

    *options* go to :func:`align_sentences` (``glossary``, ``mt``, ``params``).
    """
    if window < 10:
        raise ValueError("the window must hold at least 10 sentences")
    src_it, tgt_it = iter(src), iter(tgt)
    sbuf: list[tuple[str, int]] = []
    tbuf: list[tuple[str, int]] = []
    s_off = t_off = 0
    ratio = 1.0  # target sentences per source sentence, learnt from kept beads
    while True:
        sbuf += itertools.islice(src_it, max(0, window - len(sbuf)))
        t_window = max(10, int(window * min(2.0, max(0.5, ratio))))
        tbuf += itertools.islice(tgt_it, max(0, t_window - len(tbuf)))
        last = len(sbuf) < window and len(tbuf) < t_window
        if not sbuf and not tbuf:
            return
        beads = align_sentences(
            [s for s, _ in sbuf],
            [t for t, _ in tbuf],
            src_lang,
            tgt_lang,
            src_paragraphs=[p for _, p in sbuf],
            tgt_paragraphs=[p for _, p in tbuf],
            **options,
        )
        keep = len(beads) if last else _cut(beads, len(sbuf), len(tbuf))
        used_src = used_tgt = 0
        for bead in beads[:keep]:
            yield (
                dataclasses.replace(
                    bead,
                    src=tuple(s_off + i for i in bead.src),
                    tgt=tuple(t_off + j for j in bead.tgt),
                ),
                [sbuf[i][0] for i in bead.src],
                [tbuf[j][0] for j in bead.tgt],
            )
            used_src += len(bead.src)
            used_tgt += len(bead.tgt)
        if progress is not None:
            progress(used_src)
        if last:
            return
        del sbuf[:used_src]
        del tbuf[:used_tgt]
        s_off += used_src
        t_off += used_tgt
        if s_off:
            ratio = t_off / s_off


def _cut(beads: list[Bead], n: int, m: int) -> int:
    """How many leading beads of a window to keep: up to the last confident
    1-1 bead within the first :data:`KEEP` of both sides (at least one bead)."""
    i = j = 0
    best = 0
    for k, bead in enumerate(beads):
        i += len(bead.src)
        j += len(bead.tgt)
        if i > KEEP * n or j > KEEP * m:
            break
        if len(bead.src) == len(bead.tgt) == 1 and bead.score >= CUT_CONFIDENCE:
            best = k + 1
    return best or max(1, min(len(beads), len(beads) // 2))


@dataclass(frozen=True)
class AlignJob:
    """One document pair to align: what :func:`align_sentences` needs, in a
    form that can be sent to another process (many pairs align in parallel)."""

    src: list[str]
    tgt: list[str]
    src_lang: str
    tgt_lang: str
    src_paragraphs: list[int]
    tgt_paragraphs: list[int]

    def run(self, glossary: Any = None) -> list[Bead]:
        return align_sentences(
            self.src,
            self.tgt,
            self.src_lang,
            self.tgt_lang,
            src_paragraphs=self.src_paragraphs,
            tgt_paragraphs=self.tgt_paragraphs,
            glossary=glossary,
        )


def align_many(jobs: Iterable[AlignJob], glossary: Any = None) -> Iterator[tuple[int, list[Bead]]]:
    """``(job number, beads)`` for each job, here, one after the other (the
    cluster version yields them as they finish, in any order)."""
    for k, job in enumerate(jobs):
        yield k, job.run(glossary)
