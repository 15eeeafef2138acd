"""Russian morphology shared by term matching and inflection.

pymorphy3's analyser takes a moment to build and its parses are pure
functions of the word, so there is one analyser per process (created on
first use) and parses are cached; a glossary fix over thousands of MT lines
then costs one dictionary look-up per distinct word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Official usage writes "государства — члены ОДКБ" with a spaced em dash when the
# second part is itself a phrase, so the em dash joins term parts too.
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014"
_TOKEN = re.compile(r"\w+|[^\w\s]")
_analyzer: Any = None

#: A pymorphy3 ``Parse`` (pymorphy3 ships no type information).
Parse = Any


def analyzer() -> Any:
    """The process-wide pymorphy3 analyser (lazy: importing this is cheap)."""
    global _analyzer
    if _analyzer is None:
        import pymorphy3

        _analyzer = pymorphy3.MorphAnalyzer(lang="ru")
    return _analyzer


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple[Parse, ...]:
    """All pymorphy3 analyses of *word* (lower-cased), best first."""
    return tuple(analyzer().parse(word.lower()))


def is_acronym(word: str) -> bool:
    """``ОДКБ``, ``МОМ``, ``CSTO``: upper-case words, matched literally and
    never inflected (Russian acronyms of this kind are indeclinable)."""
    return len(word) >= 2 and word.isupper()


def fold(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=200_000)
def lemma_keys(word: str) -> frozenset[str]:
    """Keys under which a text word matches a term word: every possible
    lemma (pymorphy3 normal form, ё folded to е), plus the word itself in
    upper case for acronyms."""
    if word in HYPHENS:
        return frozenset({"-"})
    if not word[:1].isalnum() and word[:1] != "_":
        return frozenset({word})
    keys = {fold(p.normal_form) for p in parses(word)} | {fold(word)}
    if is_acronym(word):
        keys.add(word)
    return frozenset(keys)


@lru_cache(maxsize=50_000)
def term_keys(word: str) -> frozenset[str]:
    """Keys a term word requires: acronyms only match themselves."""
    if is_acronym(word):
        return frozenset({word})
    return lemma_keys(word)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Words and single punctuation marks, with character offsets."""
    return [Token(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def grammar_tokens(text: str) -> list[Token]:
    """:func:`tokenize`, but a hyphenated word that the dictionary knows as
    one word ("премьер-министр", "пресс-конференция") stays one token, since
    only its last part inflects ("премьер-министра")."""
    tokens = tokenize(text)
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (
            i + 2 < len(tokens)
            and tokens[i + 1].text in HYPHENS
            and token.end == tokens[i + 1].start
            and tokens[i + 1].end == tokens[i + 2].start
            and token.text[:1].isalpha()
            and tokens[i + 2].text[:1].isalpha()
        ):
            joined = text[token.start : tokens[i + 2].end]
            if _known(joined.lower().replace("\u2011", "-").replace("\u2010", "-")):
                out.append(Token(token.start, tokens[i + 2].end, joined))
                i += 3
                continue
        out.append(token)
        i += 1
    return out


@lru_cache(maxsize=50_000)
def _known(word: str) -> bool:
    return analyzer().word_is_known(word)


#: cases a preposition can govern, the usual one first; used to pick among
#: ambiguous word forms ("в цепи" is far more often locative than accusative)
PREPOSITION_CASES: dict[str, tuple[str, ...]] = {}
for _words, _cases in (
    ("о об обо", "loct accs"),
    ("в во на", "loct accs"),
    ("по", "datv loct accs"),
    ("к ко благодаря согласно вопреки навстречу", "datv"),
    ("с со", "ablt gent accs"),
    (
        "для из изо от ото до без у после против среди около вокруг ради кроме вне возле "
        "вместо вследствие помимо посредством относительно насчет насчёт",
        "gent",
    ),
    ("над надо перед передо между меж", "ablt"),
    ("за под подо", "ablt accs"),
    ("при", "loct"),
    ("через про сквозь", "accs"),
):
    for _word in _words.split():
        PREPOSITION_CASES[_word] = tuple(_cases.split())

#: pymorphy3's secondary cases folded into the six main ones
MAIN_CASE = {
    "gen2": "gent",
    "acc2": "accs",
    "loc2": "loct",
    "voct": "nomn",
    "gen1": "gent",
    "loc1": "loct",
}


def main_case(case: str) -> str:
    return MAIN_CASE.get(case, case)
