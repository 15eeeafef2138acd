"""Term accuracy: how many glossary terms found in the source were rendered
with an accepted target term in the hypothesis.

The matching itself (variants, case rules, Russian inflection) belongs to the
glossary package; this module only adapts its result to the shape the scoring
code and the reports use, so that scoring does not depend on its internals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SegmentTerms:
    """Glossary terms of one segment: those expected, and which were hit or missed."""

    expected: list[str] = field(default_factory=list)
    hit: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


@dataclass
class TermScores:
    """Corpus term accuracy plus the per-segment detail."""

    hits: int
    total: int
    segments: list[SegmentTerms]

    @property
    def accuracy(self) -> float:
        """Share of expected terms that were hit, in percent (100 when none expected)."""
        return 100.0 * self.hits / self.total if self.total else 100.0


def _label(term: Any) -> str:
    """A readable name for one term, whatever object the matcher reports."""
    if isinstance(term, str):
        return term
    for attr in ("label", "term", "text", "source", "en", "target", "ru"):
        value = getattr(term, attr, None)
        if isinstance(value, str) and value:
            return value
    return str(term)


def _labels(seg: Any, *names: str) -> list[str]:
    for name in names:
        value = getattr(seg, name, None)
        if value is None and isinstance(seg, dict):
            value = seg.get(name)
        if value is not None and not isinstance(value, (int, float)):
            return [_label(t) for t in value]
    return []


def _adapt_segment(seg: Any) -> SegmentTerms:
    hit = _labels(seg, "hit", "hits", "found")
    missed = _labels(seg, "missed", "misses", "missing")
    expected = _labels(seg, "expected", "terms") or hit + missed
    return SegmentTerms(expected=expected, hit=hit, missed=missed)


class TermChecker:
    """A glossary loaded once, then used to check any number of systems."""

    def __init__(self, glossary_path: str, src_lang: str, tgt_lang: str) -> None:
        from mlcorpus.glossary import load_glossary

        self.glossary = load_glossary(glossary_path)
        self.src_lang = src_lang
        self.tgt_lang = tgt_lang

    def score(self, sources: Sequence[str], hypotheses: Sequence[str]) -> TermScores:
        """Term accuracy of *hypotheses* translating *sources*."""
        from mlcorpus.glossary.check import term_accuracy

        result = term_accuracy(self.glossary, self.src_lang, self.tgt_lang,
                               list(sources), list(hypotheses))
        segments = [_adapt_segment(s) for s in result.segments]
        return TermScores(hits=int(result.hits), total=int(result.total), segments=segments)
