"""Term accuracy of translations, as in the WMT terminology shared tasks.

For every glossary term found in a source segment, the hypothesis counts as
a hit when it contains the target term (the preferred one or an accepted
variant) as a lemma sequence, so any inflected form counts.  Each distinct
term counts once per segment, however often it occurs.  ``accuracy`` is
``hits / total``, and ``None`` when no source segment contains a glossary
term (there is nothing to measure, which is not the same as 0 or 100%).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from mlcorpus.errors import InputError
from mlcorpus.glossary.model import Glossary
from mlcorpus.glossary.terms import TermFinder


class TermRef(NamedTuple):
    """A glossary term as expected in one segment: source and target form."""

    source: str
    target: str

    @property
    def label(self) -> str:
        return f"{self.source} → {self.target}"


@dataclass
class SegmentTerms:
    """Glossary terms of one segment: those expected, and which were hit or missed."""

    expected: list[TermRef] = field(default_factory=list)
    hit: list[TermRef] = field(default_factory=list)
    missed: list[TermRef] = field(default_factory=list)


@dataclass
class TermAccuracy:
    hits: int
    total: int
    segments: list[SegmentTerms]
    src_lang: str = "en"
    tgt_lang: str = "ru"

    @property
    def accuracy(self) -> float | None:
        """hits / total; None when the sources contain no glossary term."""
        return self.hits / self.total if self.total else None

    def signature(self) -> str:
        return f"term_acc|{self.src_lang}-{self.tgt_lang}|lemma|per-segment-distinct"

    def to_dict(self) -> dict:
        return {
            "term_accuracy": self.accuracy,
            "term_hits": self.hits,
            "term_total": self.total,
            "signature": self.signature(),
            "segments": [
                {
                    "line": i + 1,
                    "expected": [t._asdict() for t in seg.expected],
                    "hit": [t._asdict() for t in seg.hit],
                    "missed": [t._asdict() for t in seg.missed],
                }
                for i, seg in enumerate(self.segments)
            ],
        }


def term_accuracy(
    glossary: Glossary, src_lang: str, tgt_lang: str, sources: Sequence[str], hyps: Sequence[str]
) -> TermAccuracy:
    """Per-segment and overall term accuracy of *hyps* against *sources*."""
    if len(sources) != len(hyps):
        raise InputError(f"{len(sources)} source lines but {len(hyps)} translation lines")
    segments = list(segment_terms(glossary, src_lang, tgt_lang, zip(sources, hyps, strict=True)))
    hits = sum(len(s.hit) for s in segments)
    total = sum(len(s.expected) for s in segments)
    return TermAccuracy(hits, total, segments, src_lang, tgt_lang)


def segment_terms(
    glossary: Glossary, src_lang: str, tgt_lang: str, pairs: Iterable[tuple[str, str]]
) -> Iterator[SegmentTerms]:
    """The terms of each ``(source, hypothesis)`` pair, one segment at a time
    (a test set of any size is checked in flat memory)."""
    finder = TermFinder(glossary, src_lang, tgt_lang)
    for source, hyp in pairs:
        wanted = finder.source_entries(source)
        found = finder.target_hits(hyp, wanted)
        segment = SegmentTerms()
        for entry in wanted:
            ref = TermRef(entry.preferred(src_lang), entry.preferred(tgt_lang))
            segment.expected.append(ref)
            (segment.hit if id(entry) in found else segment.missed).append(ref)
        yield segment
