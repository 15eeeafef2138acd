"""Term accuracy: how many glossary terms found in the source were rendered
with an accepted target term in the hypothesis.

The matching itself (variants, case rules, Russian inflection) belongs to
:mod:`mlcorpus.glossary`; this module adapts its result to the shape the
scoring code and the reports use, so that they do not depend on its internals.
``accuracy`` is a fraction (0..1) as in ``mlcorpus glossary check``, and None
when the sources contain no glossary term at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

# The glossary's own result types: one definition of what a term hit is.
from mlcorpus.glossary.check import SegmentTerms, TermAccuracy, TermRef

__all__ = ["TERM_ACCURACY", "SegmentTerms", "TermAccuracy", "TermChecker", "TermRef", "TermSpan"]

#: the key of term accuracy in score tables, JSON output and the workspace
TERM_ACCURACY = "term_accuracy"


class TermSpan(NamedTuple):
    """Where a term occurs in a text: ``text[start:end]``."""

    start: int
    end: int
    term: TermRef


class TermChecker:
    """A glossary loaded once, then used to check any number of systems."""

    key = TERM_ACCURACY
    title = "Terms"  #: column title in score tables

    def __init__(self, glossary_path: str, src_lang: str, tgt_lang: str) -> None:
        from mlcorpus.glossary import load_glossary

        self.glossary = load_glossary(glossary_path)
        self.src_lang = src_lang
        self.tgt_lang = tgt_lang
        self._finders: dict[tuple[str, str], Any] = {}

    @classmethod
    def for_texts(
        cls,
        glossary_path: str,
        sources: Sequence[str],
        references: Sequence[str],
        *,
        src_lang: str | None = None,
        tgt_lang: str | None = None,
    ) -> TermChecker:
        """A checker for the languages given, else those the texts are written in."""
        from mlcorpus.alphabet import detect_lang

        return cls(
            glossary_path,
            src_lang or detect_lang("\n".join(sources[:200])),
            tgt_lang or detect_lang("\n".join(references[:200])),
        )

    def score(self, sources: Sequence[str], hypotheses: Sequence[str]) -> TermAccuracy:
        """Term accuracy of *hypotheses* translating *sources*."""
        from mlcorpus.glossary.check import term_accuracy

        return term_accuracy(
            self.glossary, self.src_lang, self.tgt_lang, list(sources), list(hypotheses)
        )

    def _spans(self, text: str, lang: str, other: str) -> list[TermSpan]:
        from mlcorpus.glossary.terms import TermFinder

        finder = self._finders.get((other, lang))
        if finder is None:
            # a finder "translating" into *lang* locates *lang* terms in a text
            finder = self._finders[(other, lang)] = TermFinder(self.glossary, other, lang)
        return [
            TermSpan(
                m.start,
                m.end,
                TermRef(m.entry.preferred(self.src_lang), m.entry.preferred(self.tgt_lang)),
            )
            for m in finder.target_matches(text)
        ]

    def source_spans(self, text: str) -> list[TermSpan]:
        """Glossary terms in a source segment (any inflected form), with positions."""
        return self._spans(text, self.src_lang, self.tgt_lang)

    def target_spans(self, text: str) -> list[TermSpan]:
        """Glossary terms in a translation (any inflected form), with positions."""
        return self._spans(text, self.tgt_lang, self.src_lang)
