"""Finding glossary terms in Russian text by lemma.

A term is a sequence of words; it occurs wherever consecutive text words
have the same lemmas (pymorphy3), so every case and number form matches:
"государств-членов", "торговли людьми", "реадмиссии".  Acronyms (ОДКБ, МОМ,
СНГ) are indeclinable and match literally.  Punctuation inside a term must be
there too; any hyphen-like character counts as a hyphen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from mlcorpus.glossary.match_en import Match, resolve_overlaps
from mlcorpus.glossary.model import Entry, nfc
from mlcorpus.glossary.morph import Token, lemma_keys, term_keys, tokenize


@dataclass(frozen=True)
class RuMatch(Match):
    """A :class:`Match` that also knows its text tokens (for inflection)."""

    tokens: tuple[Token, ...] = ()


def term_key_sequence(term: str) -> tuple[frozenset[str], ...]:
    return tuple(term_keys(token.text) for token in tokenize(term))


def known_wrong_ru(entry: Entry) -> list[str]:
    """Renderings to replace in Russian output: the deprecated ones, and an
    English acronym left untranslated when the Russian term is an acronym
    too (``IOM`` for ``МОМ``)."""
    wrong = list(entry.ru_deprecated)
    if entry.ru.isupper():
        wrong += [t for t in entry.terms("en") if t.isupper() and t not in wrong]
    return wrong


class RussianMatcher:
    """Finds the terms of many entries in Russian text."""

    def __init__(self, entries: Iterable[Entry], *, which: str = "accepted") -> None:
        """*which*: ``accepted`` (preferred + variants) or ``deprecated``."""
        self._index: dict[str, list[tuple[tuple[frozenset[str], ...], Entry, str]]] = defaultdict(
            list
        )
        for entry in entries:
            terms = entry.terms("ru") if which == "accepted" else known_wrong_ru(entry)
            for term in dict.fromkeys(nfc(t) for t in terms if t.strip()):
                sequence = term_key_sequence(term)
                if not sequence:
                    continue
                for key in sequence[0]:
                    self._index[key].append((sequence, entry, term))

    def find_all(self, text: str, tokens: list[Token] | None = None) -> list[RuMatch]:
        """Every occurrence (offsets into the NFC form of *text*)."""
        tokens = tokenize(nfc(text)) if tokens is None else tokens
        keys = [lemma_keys(token.text) for token in tokens]
        found: list[RuMatch] = []
        for i, token_keys in enumerate(keys):
            seen: set[tuple[int, str]] = set()
            for key in token_keys:
                for sequence, entry, term in self._index.get(key, ()):
                    marker = (id(entry), term)
                    if marker in seen or i + len(sequence) > len(keys):
                        continue
                    if all(sequence[j] & keys[i + j] for j in range(1, len(sequence))):
                        seen.add(marker)
                        span = tuple(tokens[i : i + len(sequence)])
                        found.append(RuMatch(span[0].start, span[-1].end, entry, term, span))
        return found

    def find(self, text: str, tokens: list[Token] | None = None) -> list[RuMatch]:
        """Non-overlapping occurrences in text order; the longest match wins."""
        return resolve_overlaps(self.find_all(text, tokens))
