"""Which alphabet a text is written in: Cyrillic for Russian, Latin for English.

Deciding a language by its script is all mlcorpus needs for EN/RU: it is
exact for these two, instant, and works on a single term.  Release reading,
glossary import, the CLI's language defaults and the export filter for
wrong-script pairs all ask here.
"""

from __future__ import annotations


def script_shares(text: str) -> tuple[int, int, int]:
    """Counts of (Cyrillic, Latin, all) letters in *text*."""
    cyrillic = latin = letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        code = ord(ch)
        if 0x0400 <= code <= 0x052F:
            cyrillic += 1
        elif code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
            latin += 1
    return cyrillic, latin, letters


def detect_lang(text: str) -> str:
    """``ru`` when Cyrillic letters outnumber Latin ones, else ``en``."""
    cyrillic, latin, _ = script_shares(text)
    return "ru" if cyrillic > latin else "en"
