"""A term's concordance: the evidence for choosing its preferred rendering.

For one glossary entry, every aligned segment pair whose English side
contains the term (any accepted English form, singular or plural), with the
renderings found on the Russian side: the preferred term, accepted variants
and deprecated renderings, each found by lemma so every inflected form counts
(:mod:`mlcorpus.glossary.match_ru`).  Counts per rendering say how the
corpus's translators actually render the term.

The input is any iterable of ``(ref, english, russian)`` triples, so the same
code serves a workspace (see :mod:`mlcorpus.workspace.concordance`) or a pair
of files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from mlcorpus.glossary.match_en import EnglishMatcher, compile_term, resolve_overlaps
from mlcorpus.glossary.match_ru import RussianMatcher
from mlcorpus.glossary.model import Entry

PREFERRED, VARIANT, DEPRECATED = "preferred", "variant", "deprecated"
KINDS = (PREFERRED, VARIANT, DEPRECATED)


@dataclass(frozen=True)
class Span:
    """``text[start:end]`` is a rendering; ``term`` is its glossary form."""

    start: int
    end: int
    kind: str  # preferred | variant | deprecated | source
    term: str


@dataclass
class ConcordanceLine:
    ref: Hashable
    source: str
    target: str
    source_spans: list[Span]
    target_spans: list[Span]

    @property
    def kinds(self) -> set[str]:
        return {s.kind for s in self.target_spans}


@dataclass
class Concordance:
    """The lines of one entry plus counts over *all* matching lines (the
    list of lines may be cut at a limit; the counts never are)."""

    entry: Entry
    lines: list[ConcordanceLine] = field(default_factory=list)
    total: int = 0  # segment pairs whose English side has the term
    #: (kind, glossary rendering) -> number of segment pairs where it occurs
    renderings: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: (kind, glossary rendering) -> surface forms seen -> count
    forms: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    without_rendering: int = 0  # pairs with none of the glossary renderings

    def rendering_rows(self) -> list[tuple[str, str, int, list[tuple[str, int]]]]:
        """(kind, rendering, pairs, surface forms by frequency): every glossary
        rendering of the entry, found or not, preferred first."""
        terms: list[tuple[str, str]] = [(PREFERRED, self.entry.ru)]
        terms += [(VARIANT, t) for t in self.entry.ru_variants]
        terms += [(DEPRECATED, t) for t in self.entry.ru_deprecated]
        terms += [k for k in self.renderings if k not in terms]  # e.g. an untranslated acronym
        return [
            (
                kind,
                term,
                self.renderings[(kind, term)],
                self.forms.get((kind, term), Counter()).most_common(),
            )
            for kind, term in terms
        ]


class ConcordanceFinder:
    """Matchers for one entry, built once and applied to many segment pairs."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self._en = EnglishMatcher([entry])
        # one regex search per term rejects most segments before the matcher runs
        self._quick = [
            compile_term(t, entry.case_sensitive) for t in entry.terms("en") if t.strip()
        ]
        self._ru = RussianMatcher([entry])
        self._ru_wrong = RussianMatcher([entry], which="deprecated")

    def source_spans(self, text: str) -> list[Span]:
        if not any(p.search(text) for p in self._quick):
            return []
        return [Span(m.start, m.end, "source", m.term) for m in self._en.find(text)]

    def target_spans(self, text: str) -> list[Span]:
        """Accepted and deprecated renderings in Russian *text*; a deprecated
        one inside a longer accepted term does not count."""
        accepted = self._ru.find_all(text)
        wrong = [
            m
            for m in resolve_overlaps(self._ru_wrong.find_all(text))
            if not any(a.start <= m.start and m.end <= a.end for a in accepted)
        ]
        spans = [
            Span(m.start, m.end, PREFERRED if m.term == self.entry.ru else VARIANT, m.term)
            for m in resolve_overlaps(accepted)
        ]
        spans += [Span(m.start, m.end, DEPRECATED, m.term) for m in wrong]
        return sorted(spans, key=lambda s: s.start)


def concordance(
    entry: Entry, pairs: Iterable[tuple[Hashable, str, str]], *, limit: int | None = None
) -> Concordance:
    """The concordance of *entry* over *pairs* of ``(ref, english, russian)``.

    *limit* caps the lines kept (for a page), not the counts."""
    finder = ConcordanceFinder(entry)
    result = Concordance(entry)
    for ref, source, target in pairs:
        source_spans = finder.source_spans(source)
        if not source_spans:
            continue
        result.total += 1
        target_spans = finder.target_spans(target)
        seen: set[tuple[str, str]] = set()
        for span in target_spans:
            key = (span.kind, span.term)
            result.forms.setdefault(key, Counter())[target[span.start : span.end]] += 1
            seen.add(key)
        result.renderings.update(seen)
        if not target_spans:
            result.without_rendering += 1
        if limit is None or len(result.lines) < limit:
            result.lines.append(ConcordanceLine(ref, source, target, source_spans, target_spans))
    return result


def marked_pieces(text: str, spans: list[Span]) -> list[tuple[str, str | None]]:
    """*text* cut into ``(piece, kind or None)`` runs, for display."""
    out: list[tuple[str, str | None]] = []
    at = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < at:
            continue
        if span.start > at:
            out.append((text[at : span.start], None))
        out.append((text[span.start : span.end], span.kind))
        at = span.end
    if at < len(text):
        out.append((text[at:], None))
    return out
