"""Where the glossary terms are in a translated segment, for display.

Given a source segment, its translation and the term report of glossary
enforcement (:mod:`mlcorpus.glossary.enforce`), mark each source term
(``term``, or ``missed`` when its target term is absent) and each target
term (``hit``, or ``fixed`` when enforcement put it there).
"""

from __future__ import annotations

from mlcorpus.glossary.concordance import Span
from mlcorpus.glossary.terms import TermFinder


def translation_marks(
    finder: TermFinder, source: str, text: str, report: dict | None
) -> tuple[list[Span], list[Span]]:
    """(source spans, target spans) of the glossary terms of one segment."""
    report = report or {}
    missed = {m["target"] for m in report.get("misses", [])}
    fixed_to = {f["to"] for f in report.get("fixed", [])}
    source_spans = []
    wanted = []
    for match in finder.source_matches(source):
        target = match.entry.preferred(finder.tgt_lang)
        kind = "missed" if target in missed else "term"
        source_spans.append(Span(match.start, match.end, kind, target))
        wanted.append(id(match.entry))
    target_spans = [
        Span(m.start, m.end, "fixed" if text[m.start : m.end] in fixed_to else "hit", m.term)
        for m in finder.target_matches(text)
        if id(m.entry) in wanted
    ]
    return source_spans, target_spans
