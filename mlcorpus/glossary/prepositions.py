"""Russian prepositions whose form depends on the next word: о/об/обо, с/со,
в/во, к/ко.

When ``glossary fix`` replaces a term, the preposition before it was chosen
for the old first word: "о операциях" must become "об операциях" and "со
государствами-членами" "с государствами-членами".  The rules are the ones of
Russian orthography for the cases that occur in running text:

* **об** before a vowel sound (а, и, о, у, ы, э); **обо** in "обо мне", "обо
  всём", "обо всех", "обо что"; otherwise **о** (е, ё, ю, я start with a
  consonant sound: "о его", "о ЮНИСЕФ");
* **со**, **во**, **ко** before a cluster that would be hard to say after the
  bare preposition: the same or a similar consonant plus another consonant
  ("со странами", "со шведами", "во время", "во Франции", "ко глаголу"), and
  "мн-"/"вс-" ("со мной", "во всех", "ко многим"); otherwise с, в, к.

An acronym is read by its letters, so only a vowel letter is sure to decide
("об ИГИЛ"); before other acronyms the preposition is left as written.
"""

from __future__ import annotations

import re

_VOWEL_SOUNDS = set("аиоуыэ")
_VOWELS = set("аеёиоуыэюя")
_FORMS = {"о": "о", "об": "о", "обо": "о", "с": "с", "со": "с", "в": "в", "во": "в"}
_FORMS |= {"к": "к", "ко": "к"}
#: which first letters make the cluster that asks for the long form
_CLUSTER_FIRST = {"с": set("сзшжщ"), "в": set("вф"), "к": set("кг")}
_OBO_WORDS = {"мне", "всём", "всем", "всех", "всё", "что"}
# a preposition ending *before* (only spaces after it), as a whole word
_TRAILING = re.compile(r"(?<![\w-])(обо|об|о|со|с|во|в|ко|к)(\s+)$", re.IGNORECASE)


def preposition_for(base: str, word: str) -> str | None:
    """The form of the preposition *base* (``о``, ``с``, ``в`` or ``к``) that goes
    before *word*, or None when it cannot be decided (an acronym starting with
    a consonant letter)."""
    if not word:
        return None
    low = word.lower()
    first = low[0]
    if word.isupper() and len(word) > 1:
        if base == "о":
            return "об" if first in _VOWEL_SOUNDS else None
        return None
    if base == "о":
        if low in _OBO_WORDS:
            return "обо"
        return "об" if first in _VOWEL_SOUNDS else "о"
    if low.startswith(("мн", "вс")):
        return base + "о"
    second = low[1:2]
    if first in _CLUSTER_FIRST[base] and second.isalpha() and second not in _VOWELS:
        return base + "о"
    return base


def agree_preposition(before: str, following: str) -> str:
    """*before* with a preposition at its very end put in the form that goes
    with the first word of *following*; unchanged when there is none."""
    found = _TRAILING.search(before)
    if not found:
        return before
    written, space = found.group(1), found.group(2)
    word = re.match(r"[\w]+", following)
    wanted = preposition_for(_FORMS[written.lower()], word.group(0) if word else "")
    if wanted is None or wanted == written.lower():
        return before
    if written.isupper() and len(written) > 1:
        wanted = wanted.upper()
    elif written[0].isupper():
        wanted = wanted.capitalize()
    return before[: found.start()] + wanted + space
