"""Language-independent evidence that two sentences translate each other.

Each sentence becomes a bag of *features* whose names are the same in both
languages when the things they stand for are the same: numbers (``n:2015``),
months (``m:3`` for *March*/*марта*), URLs and e-mails, punctuation classes
(question marks, quotes, brackets, percent), acronyms mapped through a small
built-in table and the user's glossary (``CSTO``↔``ОДКБ``), transliterated
names and international words (``c:sigik`` for *Zigic*/*Зигича*) and glossary
terms.  Nothing here needs a dictionary shipped from elsewhere; the learned
lexicon (:mod:`mlcorpus.align.lexicon`) adds ``l:`` features later.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from mlcorpus.align.translit import cognate_key
from mlcorpus.release import month_number

#: Acronyms of organisations the toolkit's releases name most, EN → RU.  A
#: glossary adds to this table; it is only a default so that alignment works
#: without one.
BUILTIN_ACRONYMS: dict[str, tuple[str, ...]] = {
    "CSTO": ("ОДКБ",),
    "IOM": ("МОМ",),
    "CIS": ("СНГ",),
    "UN": ("ООН",),
    "EU": ("ЕС",),
    "UNHCR": ("УВКБ",),
    "ILO": ("МОТ",),
    "WHO": ("ВОЗ",),
    "OSCE": ("ОБСЕ",),
    "NATO": ("НАТО",),
    "SCO": ("ШОС",),
    "EAEU": ("ЕАЭС",),
    "EEU": ("ЕАЭС",),
    "USA": ("США",),
    "US": ("США",),
    "UK": ("Великобритания",),
    "UNODC": ("УНП ООН",),
    "UNICEF": ("ЮНИСЕФ",),
    "UNESCO": ("ЮНЕСКО",),
    "UNDP": ("ПРООН",),
    "IMF": ("МВФ",),
    "WTO": ("ВТО",),
    "FSB": ("ФСБ",),
    "MFA": ("МИД",),
    "SDG": ("ЦУР",),
    "SDGS": ("ЦУР",),
    "GDP": ("ВВП",),
    "NGO": ("НКО", "НПО"),
    "TIP": ("ТЛ",),
    "CTO": ("КТО",),
    "RF": ("РФ",),
}

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f\u2009 ](?=\d{3}(?!\d))")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"»”)]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ]{2,7}s?$")
_PUNCT_CLASSES = (
    ("p:?", "?"),
    ("p:!", "!"),
    ("p::", ":"),
    ("p:;", ";"),
    ("p:(", "("),
    ("p:%", "%"),
    ("p:q", '"“”«»„'),
    ("p:$", "$€£₽"),
    ("p:-", "—–"),
)


@dataclass
class SentenceEvidence:
    """What the aligner knows about one sentence."""

    text: str
    chars: int
    words: list[str]
    features: Counter = field(default_factory=Counter)


@dataclass
class TermIndex:
    """Multi-word terms (glossary entries, acronyms) keyed by their normalised
    word sequence, per language, mapping to a concept id."""

    en: dict[tuple[str, ...], str] = field(default_factory=dict)
    ru: dict[tuple[str, ...], str] = field(default_factory=dict)
    max_len: int = 1

    def add(self, lang: str, words: tuple[str, ...], concept: str) -> None:
        if words:
            getattr(self, lang).setdefault(words, concept)
            self.max_len = max(self.max_len, len(words))


def normalise_numbers(text: str) -> str:
    """``1,000``/``1 000`` → ``1000`` and ``2,5`` → ``2.5`` so both languages agree."""
    return _DECIMAL_COMMA.sub(".", _THOUSANDS.sub("", text))


def numbers(text: str) -> list[str]:
    """Numbers in *text* in a canonical spelling (leading zeros dropped)."""
    out = []
    for raw in _NUMBER.findall(normalise_numbers(_URL.sub(" ", text))):
        whole, _, frac = raw.partition(".")
        value = whole.lstrip("0") or "0"
        out.append(f"{value}.{frac}" if frac else value)
    return out


def words_of(text: str) -> list[str]:
    """Words (letters only, hyphenated compounds kept together)."""
    return _WORD.findall(text)


def stem(word: str) -> str:
    """A crude language-neutral stem: lowercase, ``ё``→``е``, at most 6 letters.

    Truncation is what hunalign and most lexicon-free aligners do for
    inflected languages: it merges the case forms of a Russian noun and the
    tenses of an English verb well enough for co-occurrence statistics.
    """
    return word.lower().replace("ё", "е")[:6]


def build_term_index(
    glossary: object | None = None, lemmatize_ru: Callable[[str], str] | None = None
) -> TermIndex:
    """Concepts from the built-in acronym table plus a glossary's entries.

    The glossary is duck-typed: anything with ``.entries`` whose items have
    ``en``, ``ru`` and optionally ``en_variants``/``ru_variants`` works.
    """
    index = TermIndex()
    for en, rus in BUILTIN_ACRONYMS.items():
        concept = f"a:{en}"
        index.add("en", (en.lower(),), concept)
        for ru in rus:
            index.add("ru", tuple(_term_words(ru, "ru", lemmatize_ru)), concept)
    for k, entry in enumerate(getattr(glossary, "entries", None) or []):
        concept = f"g:{k}"
        en_terms = [getattr(entry, "en", "")] + list(getattr(entry, "en_variants", []) or [])
        ru_terms = [getattr(entry, "ru", "")] + list(getattr(entry, "ru_variants", []) or [])
        for term in en_terms:
            index.add("en", tuple(_term_words(term, "en", None)), concept)
        for term in ru_terms:
            index.add("ru", tuple(_term_words(term, "ru", lemmatize_ru)), concept)
    return index


def _term_words(text: str, lang: str, lemmatize: Callable[[str], str] | None) -> list[str]:
    out = []
    for w in words_of(text or ""):
        low = w.lower().replace("ё", "е")
        out.append(lemmatize(low) if lemmatize and lang == "ru" else _en_lemma(low))
    return out


def _en_lemma(word: str) -> str:
    """Plural and possessive endings off, enough to match glossary terms."""
    for suffix, repl in (("'s", ""), ("’s", ""), ("ies", "y"), ("sses", "ss"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + repl
    return word


@lru_cache(maxsize=1)
def russian_lemmatizer() -> Callable[[str], str]:
    """pymorphy3 normal forms, cached per word (loaded only for glossary terms)."""
    import pymorphy3  # heavy: only when a glossary is used

    morph = pymorphy3.MorphAnalyzer()

    @lru_cache(maxsize=200_000)
    def lemma(word: str) -> str:
        return morph.parse(word)[0].normal_form.replace("ё", "е")

    return lemma


def _term_features(
    words: list[str], lang: str, index: TermIndex, lemmatize: Callable[[str], str] | None
) -> Iterable[str]:
    table = index.en if lang == "en" else index.ru
    if not table:
        return
    norm = [w.lower().replace("ё", "е") for w in words]
    if lang == "ru" and lemmatize is not None:
        norm = [lemmatize(w) for w in norm]
    elif lang == "en":
        norm = [_en_lemma(w) for w in norm]
    i = 0
    while i < len(norm):
        for size in range(min(index.max_len, len(norm) - i), 0, -1):
            concept = table.get(tuple(norm[i : i + size]))
            if concept is not None:
                yield concept
                i += size
                break
        else:
            i += 1


def sentence_evidence(
    text: str, lang: str, index: TermIndex, lemmatize: Callable[[str], str] | None = None
) -> SentenceEvidence:
    """Extract the features of one sentence."""
    feats: Counter = Counter()
    for num in numbers(text):
        feats[f"n:{num}"] += 1
    for url in _URL.findall(text):
        feats[f"u:{url.lower().rstrip('.,;')}"] += 1
    for name, chars in _PUNCT_CLASSES:
        count = sum(text.count(ch) for ch in chars)
        if count:
            feats[name] += count if name != "p:q" else max(1, count // 2)
    words = words_of(_URL.sub(" ", text))
    acronym_table = index.en if lang == "en" else index.ru
    for word in words:
        month = month_number(word)
        if month:
            feats[f"m:{month}"] += 1
        if _ACRONYM.match(word) and not word.istitle():
            base = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
            if (base.lower(),) not in acronym_table:
                feats[f"a:{cognate_key(base, 8)}"] += 1
        elif len(word) >= 4:
            feats[f"c:{cognate_key(word)}"] += 1
    for concept in _term_features(words, lang, index, lemmatize):
        feats[concept] += 1
    return SentenceEvidence(
        text=text, chars=len(text), words=[stem(w) for w in words], features=feats
    )
