"""Making translations follow the glossary.

For every source term, the translation must contain the preferred (or an
accepted) target term.  In order of preference:

1. **rerank**: among the model's n-best candidates, take the best-ranked one
   that contains the required terms (the model's own wording beats surgery);
2. **fix**: replace deprecated or known-wrong renderings by the preferred
   term in the same case and number (Russian inflection; English plural),
   keeping sentence-start capitalisation and leaving the rest of the text
   exactly as it was;
3. **report**: terms still absent are listed as misses; nothing is inserted
   where the translation has no rendering to replace.

Only renderings of terms that occur in the source are touched, so a
translation with nothing to fix comes back byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from mlcorpus.errors import InputError
from mlcorpus.glossary.match_en import Match, pluralize, singular
from mlcorpus.glossary.model import Entry, Glossary, nfc
from mlcorpus.glossary.prepositions import agree_preposition
from mlcorpus.glossary.terms import TermFinder


@dataclass
class EnforcedTranslation:
    """One translated segment after glossary enforcement.

    ``term_report`` holds JSON-ready lists of ``{"source", "target"}`` dicts:
    ``hits`` (terms present in ``text``, fixed ones included), ``fixed``
    (each replacement, with ``from`` and ``to`` text) and ``misses`` (source
    terms whose target term is absent); ``candidate`` is the rank of the
    chosen n-best candidate (0 = the model's best).
    """

    text: str
    raw_text: str
    term_report: dict = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.text != self.raw_text


def _ref(entry: Entry, src_lang: str, tgt_lang: str) -> dict[str, str]:
    return {"source": entry.preferred(src_lang), "target": entry.preferred(tgt_lang)}


def capitalise_like(out: str, span: str, rendering: str) -> str:
    """Carry the capitalisation of *span* over to *out*.

    What matters is how *span* differs from the dictionary form *rendering*
    it was matched with: a capital where the dictionary has none (sentence
    start) capitalises the replacement, a lower-case letter where the
    dictionary has a capital (a deliberately lower-cased "генеральный
    секретарь") lower-cases it; otherwise the glossary's own spelling stands.
    An all-capitals headline stays in capitals.
    """
    first, model = span[:1], rendering[:1]
    if first.isupper() and not model.isupper():
        out = out[:1].upper() + out[1:]
    elif first.islower() and model.isupper() and not out[:2].isupper():
        out = out[:1].lower() + out[1:]
    letters = [c for c in span if c.isalpha()]
    if len(letters) > 3 and span.isupper() and not rendering.isupper():
        out = out.upper()
    return out


def keep_hyphen_spacing(out: str, span: str) -> str:
    """UN texts often write "государств - членов"; keep that spacing when
    the span and the replacement each have exactly one hyphen."""
    spaced = re.search(r"\s+[-\u2010\u2011]\s+", span)
    if spaced and span.count("-") == 1 and out.count("-") == 1:
        return out.replace("-", spaced.group(0))
    return out


def _last_word(text: str) -> str:
    words = text.replace("-", " ").split()
    return words[-1] if words else text


def _is_plural_en(term: str) -> bool:
    word = _last_word(term)
    return singular(word) != word or (word.isupper() and word.endswith("s"))


def _english_replacement(match: Match, span: str) -> str:
    """The preferred English term, in the number of *span*."""
    preferred = match.entry.en
    if _is_plural_en(span) != _is_plural_en(match.term) or _is_plural_en(span) != _is_plural_en(
        preferred
    ):
        if _is_plural_en(span) and not _is_plural_en(preferred):
            preferred = pluralize(preferred)
        elif not _is_plural_en(span) and _is_plural_en(preferred):
            head, _sep, last = preferred.rpartition(" ")
            preferred = f"{head} {singular(last)}" if head else singular(last)
    return preferred


def _russian_replacement(match: Match, text: str, span: str) -> str:
    """The preferred Russian term in the case and number of *span*."""
    from mlcorpus.glossary.inflect import analyze_term, inflect_term, span_form

    preferred = match.entry.ru
    before = text[: match.start].rstrip().rsplit(None, 1)
    previous = before[-1].strip("«\"'(") if before else None
    forms = span_form(match.term, span, previous)
    if not forms:
        return preferred
    case, number = forms[0]
    rendering_number = analyze_term(match.term).number
    preferred_number = analyze_term(preferred).number
    if rendering_number and preferred_number and number == rendering_number:
        number = preferred_number  # same number as the dictionary form
    # writers who spell ё do so throughout; follow the text's habit
    return inflect_term(preferred, case, number, yo="ё" in text.lower())


def _fix_text(finder: TermFinder, text: str, wanted: list[Entry]) -> tuple[str, list[dict]]:
    original, text = text, nfc(text)  # match offsets refer to the NFC form
    wrong = finder.wrong_renderings(text, wanted)
    if not wrong:
        return original, []
    pieces: list[str] = []
    fixed: list[dict] = []
    last = 0
    for match in wrong:
        span = text[match.start : match.end]
        if finder.tgt_lang == "ru":
            replacement = _russian_replacement(match, text, span)
        else:
            replacement = _english_replacement(match, span)
        replacement = keep_hyphen_spacing(capitalise_like(replacement, span, match.term), span)
        if replacement == span:
            continue
        before = text[last : match.start]
        if finder.tgt_lang == "ru":  # "о операциях" -> "об операциях", "со" -> "с" ...
            before = agree_preposition(before, replacement)
        pieces.append(before)
        pieces.append(replacement)
        last = match.end
        fixed.append(
            {**_ref(match.entry, finder.src_lang, finder.tgt_lang), "from": span, "to": replacement}
        )
    pieces.append(text[last:])
    return "".join(pieces), fixed


def enforce_translations(
    glossary: Glossary,
    src_lang: str,
    tgt_lang: str,
    sources: Sequence[str],
    candidates: Sequence[Sequence[str]],
) -> list[EnforcedTranslation]:
    """Choose, fix and report, segment by segment (see the module docstring).

    ``candidates[i]`` is the n-best list for ``sources[i]``, best first (a
    one-item list when there is no n-best).
    """
    if len(sources) != len(candidates):
        raise InputError(f"{len(sources)} source segments but {len(candidates)} candidate lists")
    return list(enforce_stream(glossary, src_lang, tgt_lang, zip(sources, candidates, strict=True)))


def enforce_stream(
    glossary: Glossary,
    src_lang: str,
    tgt_lang: str,
    items: Iterable[tuple[str, Sequence[str]]],
) -> Iterator[EnforcedTranslation]:
    """:func:`enforce_translations` over a stream of ``(source, candidates)``
    pairs, one result at a time: each segment is decided on its own, so a
    corpus of any size is post-edited in flat memory."""
    finder = TermFinder(glossary, src_lang, tgt_lang)
    for source, options in items:
        options = list(options) or [""]
        wanted = finder.source_entries(source)
        if not wanted:
            yield EnforcedTranslation(
                options[0], options[0], {"hits": [], "fixed": [], "misses": [], "candidate": 0}
            )
            continue
        best: tuple | None = None
        for rank, option in enumerate(options):
            fixed_text, fixed = _fix_text(finder, option, wanted)
            hits = finder.target_hits(fixed_text, wanted)
            raw_hits = finder.target_hits(option, wanted) if fixed else hits
            key = (len(hits), len(raw_hits), -rank)
            if best is None or key > best[0]:
                best = (key, rank, fixed_text, fixed, hits)
            if len(raw_hits) == len(wanted):
                break  # nothing better than a candidate that has every term
        assert best is not None
        _key, rank, text, fixed, hits = best
        report = {
            "hits": [_ref(e, src_lang, tgt_lang) for e in wanted if id(e) in hits],
            "fixed": fixed,
            "misses": [_ref(e, src_lang, tgt_lang) for e in wanted if id(e) not in hits],
            "candidate": rank,
        }
        yield EnforcedTranslation(text, options[0], report)


def fix_translations(
    glossary: Glossary, src_lang: str, tgt_lang: str, sources: Sequence[str], hyps: Sequence[str]
) -> list[EnforcedTranslation]:
    """Post-edit existing translations (from any MT system) to the glossary."""
    if len(sources) != len(hyps):
        raise InputError(f"{len(sources)} source lines but {len(hyps)} translation lines")
    return enforce_translations(glossary, src_lang, tgt_lang, sources, [[h] for h in hyps])


def fix_stream(
    glossary: Glossary, src_lang: str, tgt_lang: str, pairs: Iterable[tuple[str, str]]
) -> Iterator[EnforcedTranslation]:
    """:func:`fix_translations` over a stream of ``(source, translation)`` pairs."""
    return enforce_stream(glossary, src_lang, tgt_lang, ((s, [h]) for s, h in pairs))
