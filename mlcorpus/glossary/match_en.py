"""Finding glossary terms in English text.

Whole words only; singular and plural both match (``member state(s)``,
``readmission(s)``, ``MS``/``MSs``, ``SDGs``); a hyphen in a term also matches
a space or nothing (``peace-keepers`` / ``peace keepers`` / ``peacekeepers``)
and a space also matches a hyphen; case is ignored unless the entry is case
sensitive (then ``TIP`` matches and ``tip`` does not; the entry's
lower-case variants such as "trafficking in persons" still match any case).  When matches overlap
the longest wins, so "trafficking in human beings" is one term, not
"trafficking" plus "human beings".

Each term variant is compiled to its own regular expression and indexed by
the first letters of its first word, so a line is tested only against terms
that could start in it; this keeps large imported glossaries fast.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from mlcorpus.glossary.model import Entry, nfc

HYPHENS = "-\u2010\u2011\u2012\u2013"
_HY = re.escape(HYPHENS)  # for use inside a character class
_WORD = re.compile(r"\w+")
_PIECES = re.compile(rf"\s+|[{_HY}]|[^\s{_HY}]+")
_PREFIX = 3


@dataclass(frozen=True)
class Match:
    """A term occurrence: ``text[start:end]`` is a rendering of ``entry``."""

    start: int
    end: int
    entry: Entry
    term: str

    @property
    def length(self) -> int:
        return self.end - self.start


def singular(word: str) -> str:
    """A guess at the singular of an English plural (enough for term heads)."""
    lower = word.lower()
    if word.isupper() and len(word) > 2 and word.endswith("S"):
        return word  # an acronym that happens to end in S (e.g. IOMS is not one)
    if len(word) <= 3 or lower.endswith(("ss", "us", "is", "ics")):
        return word
    if lower.endswith("ies"):
        return word[:-3] + ("Y" if word.isupper() else "y")
    if lower.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith("'s"):
        return word[:-1]
    return word


def _plural_pattern(word: str) -> str:
    """Regex for the last word of a term: its singular and plural forms."""
    if word.isupper() or not word.isalpha():
        return re.escape(word) + "s?" if word[-1:].isalnum() else re.escape(word)
    base = singular(word)
    lower = base.lower()
    if lower.endswith("y") and len(base) > 1 and lower[-2] not in "aeiou":
        return re.escape(base[:-1]) + "(?:y|ies)"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return re.escape(base) + "(?:es)?"
    return re.escape(base) + "(?:s|es)?"


def term_pattern(term: str) -> str:
    """The regular expression (without flags) matching *term* in text."""
    pieces = _PIECES.findall(term.strip())
    last_word = max((i for i, p in enumerate(pieces) if p.strip() and p not in HYPHENS), default=-1)
    parts: list[str] = []
    for index, piece in enumerate(pieces):
        if not piece.strip():
            parts.append(rf"(?:\s+|[{_HY}])")
        elif piece in HYPHENS:
            parts.append(rf"(?:[{_HY}]|\s+)?")
        elif index == last_word:
            parts.append(_plural_pattern(piece))
        else:
            parts.append(re.escape(piece))
    return r"(?<!\w)" + "".join(parts) + r"(?!\w)"


def known_wrong_en(entry: Entry) -> list[str]:
    """Renderings to replace in English output: ``en_deprecated``, and a
    Russian acronym left untranslated when the English term is an acronym
    too (``ОДКБ`` for ``CSTO``)."""
    wrong = list(entry.en_deprecated)
    if entry.en.isupper():
        wrong += [t for t in entry.terms("ru") if t.isupper() and t not in wrong]
    return wrong


def pluralize(term: str) -> str:
    """English plural of a term's last word ("member state" -> "member states")."""
    head, _sep, last = term.rpartition(" ")
    if last.isupper():
        plural = last + "s"
    elif last.lower().endswith("y") and last[-2:-1].lower() not in "aeiou":
        plural = last[:-1] + "ies"
    elif last.lower().endswith(("s", "x", "z", "ch", "sh")):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


def compile_term(term: str, case_sensitive: bool) -> re.Pattern[str]:
    """Compile *term*.  Case sensitivity protects what is written with
    capitals (``TIP``, ``MS``); a term written all in lower case matches in any
    case even in a case-sensitive entry ("Trafficking in persons")."""
    source = term_pattern(term)
    if not case_sensitive or not any(c.isupper() for c in term):
        return re.compile(source, re.IGNORECASE)
    first = term.strip()[:1]
    if first.islower():
        head = r"(?<!\w)" + re.escape(first)
        source = source.replace(head, rf"(?<!\w)[{first}{first.upper()}]", 1)
    return re.compile(source)


def _prefix(term: str) -> str:
    word = _WORD.search(term)
    return (word.group(0) if word else term)[:_PREFIX].casefold()


def _line_prefixes(text: str) -> set[str]:
    keys: set[str] = set()
    for word in _WORD.findall(text.casefold()):
        for size in range(1, min(_PREFIX, len(word)) + 1):
            keys.add(word[:size])
    return keys


class EnglishMatcher:
    """Finds the terms of many entries in English text."""

    def __init__(self, entries: Iterable[Entry], *, which: str = "accepted") -> None:
        """*which*: ``accepted`` (preferred + variants) or ``deprecated``."""
        self._index: dict[str, list[tuple[re.Pattern[str], Entry, str]]] = defaultdict(list)
        for entry in entries:
            terms = entry.terms("en") if which == "accepted" else known_wrong_en(entry)
            for term in dict.fromkeys(nfc(t) for t in terms if t.strip()):
                pattern = compile_term(term, entry.case_sensitive)
                self._index[_prefix(term)].append((pattern, entry, term))

    def find_all(self, text: str) -> list[Match]:
        """Every occurrence, overlapping ones included (offsets into the NFC
        form of *text*, which is *text* itself unless it was decomposed)."""
        text = nfc(text)
        found: list[Match] = []
        for key in _line_prefixes(text) & self._index.keys():
            for pattern, entry, term in self._index[key]:
                for m in pattern.finditer(text):
                    found.append(Match(m.start(), m.end(), entry, term))
        return found

    def find(self, text: str) -> list[Match]:
        """Non-overlapping occurrences in text order; the longest match wins."""
        return resolve_overlaps(self.find_all(text))


M = TypeVar("M", bound=Match)


def resolve_overlaps(found: Sequence[M]) -> list[M]:
    """Keep the longest of overlapping matches (then the leftmost)."""
    chosen: list[M] = []
    for match in sorted(found, key=lambda m: (-m.length, m.start)):
        if all(match.end <= c.start or match.start >= c.end for c in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)
