"""Which glossary terms a source segment calls for, and which of them a
translation contains, in either direction (en->ru or ru->en).

Built once per glossary and language pair and reused for every segment, so
patterns are compiled and morphology is looked up only once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mlcorpus.errors import InputError
from mlcorpus.glossary.match_en import EnglishMatcher, Match, resolve_overlaps
from mlcorpus.glossary.match_ru import RussianMatcher
from mlcorpus.glossary.model import Entry, Glossary

LANGS = ("en", "ru")

# What may stand between a term and the original acronym that glosses it.
_PUNCT = r"[\s,;:()\[\]«»\"'/\u2013\u2014-]*"
_GLOSS_JOIN = re.compile(
    rf"{_PUNCT}(?:(?:или|то есть|т\.\s?е\.|англ\.|or|i\.e\.|aka){_PUNCT})?",
    re.IGNORECASE,
)


def _matcher(lang: str, entries: list[Entry], which: str) -> EnglishMatcher | RussianMatcher:
    return (
        EnglishMatcher(entries, which=which)
        if lang == "en"
        else RussianMatcher(entries, which=which)
    )


class TermFinder:
    """Source-term and target-term look-ups for one language pair."""

    def __init__(self, glossary: Glossary, src_lang: str, tgt_lang: str) -> None:
        src_lang, tgt_lang = src_lang.lower(), tgt_lang.lower()
        if src_lang not in LANGS or tgt_lang not in LANGS or src_lang == tgt_lang:
            raise InputError(
                f"glossary terms work for en->ru and ru->en, not {src_lang}->{tgt_lang}"
            )
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        entries = glossary.entries
        self._source = _matcher(src_lang, entries, "accepted")
        self._target = _matcher(tgt_lang, entries, "accepted")
        self._wrong = _matcher(tgt_lang, entries, "deprecated")

    def source_entries(self, source: str) -> list[Entry]:
        """Distinct entries whose source term occurs in *source*, in order."""
        seen: dict[int, Entry] = {}
        for match in self._source.find(source):
            seen.setdefault(id(match.entry), match.entry)
        return list(seen.values())

    def source_matches(self, text: str) -> list[Match]:
        """Non-overlapping source-term occurrences, for marking them in text."""
        return list(self._source.find(text))

    def target_matches(self, text: str) -> list[Match]:
        return list(self._target.find(text))

    def target_hits(self, text: str, wanted: list[Entry]) -> set[int]:
        """ids of the *wanted* entries whose accepted target term is in *text*.

        Every occurrence is considered (not only the longest), so a short
        term is still found inside a longer one ("МОМ" inside "Миссия МОМ")."""
        if not wanted:
            return set()
        ids = {id(e) for e in wanted}
        return {id(m.entry) for m in self._target.find_all(text) if id(m.entry) in ids}

    def wrong_renderings(self, text: str, wanted: list[Entry]) -> list[Match]:
        """Deprecated (known wrong) renderings of the *wanted* entries in
        *text*, except inside an accepted term ("Объединенных Наций" within
        "Организации Объединенных Наций" is not a wrong rendering) and except a
        source-language acronym that glosses an accepted rendering right next
        to it ("известного как ИГИЛ или ISIL", "МОМ (IOM)"): that is the
        translator quoting the original, not a term left untranslated."""
        if not wanted:
            return []
        ids = {id(e) for e in wanted}
        wrong = resolve_overlaps([m for m in self._wrong.find_all(text) if id(m.entry) in ids])
        if not wrong:
            return []
        accepted = self._target.find_all(text)
        return [
            m
            for m in wrong
            if not any(
                a.start <= m.start and m.end <= a.end and a.length > m.length for a in accepted
            )
            and not self._glosses(text, m, accepted)
        ]

    def _glosses(self, text: str, wrong: Match, accepted: Sequence[Match]) -> bool:
        """Whether *wrong* is the entry's source-language acronym standing next to
        an accepted rendering of the same entry, joined only by punctuation or
        "или"/"or", "то есть"/"i.e.", "англ."."""
        if not (wrong.term.isupper() and wrong.term in wrong.entry.terms(self.src_lang)):
            return False
        for a in accepted:
            if a.entry is not wrong.entry:
                continue
            gap = text[a.end : wrong.start] if a.end <= wrong.start else text[wrong.end : a.start]
            if len(gap) <= 24 and _GLOSS_JOIN.fullmatch(gap):
                return True
        return False
