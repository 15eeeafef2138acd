"""Cyrillic→Latin transliteration and a spelling key for cognates.

Proper names and international words are the strongest evidence that two
sentences translate each other (``Zigic``↔``Зигич``, ``Bordyuzha``↔``Бордюжа``,
``protocol``↔``протокол``).  We transliterate Russian with a fixed scheme close
to the common passport/BGN practice and then reduce both spellings to a coarse
key in which the usual variations coincide (``c``/``k``, ``z``/``s``, ``y``/``i``,
``h`` dropped, doubled letters collapsed).  A scheme of our own, rather than a
library, keeps the key stable across library versions and reversible by eye.
"""

from __future__ import annotations

import re

_CYR_TO_LAT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "i",
    "є": "e",
    "ў": "u",
}

# Applied in order to a lowercase Latin spelling.
_KEY_RULES = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"[cq]"), "k"),
    (re.compile(r"z"), "s"),
    (re.compile(r"h"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
]
_ACCENTS = str.maketrans(
    "áàâäãåćčçđéèêëíìîïñńóòôöõøśšúùûüýÿžźżł", "aaaaaacccdeeeeiiiinnoooooossuuuuyyzzzl"
)


def transliterate(word: str) -> str:
    """Latin spelling of a (lowercase or not) Cyrillic word; other letters pass."""
    return "".join(_CYR_TO_LAT.get(ch, ch) for ch in word.lower())


def cognate_key(word: str, prefix: int = 5) -> str:
    """A coarse spelling key shared by a word and its transliteration.

    >>> cognate_key("Zigic") == cognate_key("Зигича")
    True
    """
    text = transliterate(word).translate(_ACCENTS)
    text = re.sub(r"[^a-z]", "", text)
    for pattern, repl in _KEY_RULES:
        text = pattern.sub(repl, text)
    return text[:prefix]
