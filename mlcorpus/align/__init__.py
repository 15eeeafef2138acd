"""Sentence alignment of a release with its translation.

``align_sentences`` turns two lists of sentences into beads (1-1, 1-2, 2-1,
2-2, 1-0, 0-1, and 1-3/3-1 where the text needs it) with a confidence each.
The modules, in the order data flows through them:

* :mod:`~mlcorpus.align.translit` — a fixed Cyrillic→Latin scheme for cognates;
* :mod:`~mlcorpus.align.evidence` — language-independent features of a
  sentence (numbers, dates, URLs, punctuation, acronyms, names, glossary terms);
* :mod:`~mlcorpus.align.lexicon` — a word lexicon learned from the documents;
* :mod:`~mlcorpus.align.lengths` — the Gale–Church length model;
* :mod:`~mlcorpus.align.similarity` — weighted feature vectors and their dots;
* :mod:`~mlcorpus.align.scoring` — bead scores and confidences;
* :mod:`~mlcorpus.align.dp` — the banded dynamic programme and its band;
* :mod:`~mlcorpus.align.aligner` — the passes put together (public API).
"""

from __future__ import annotations

from mlcorpus.align.aligner import (
    ReleaseAlignment,
    align_length_only,
    align_releases,
    align_sentences,
    alignment_work,
)
from mlcorpus.align.beads import Bead
from mlcorpus.align.scoring import AlignParams

__all__ = [
    "AlignParams",
    "Bead",
    "ReleaseAlignment",
    "align_length_only",
    "align_releases",
    "align_sentences",
    "alignment_work",
]
