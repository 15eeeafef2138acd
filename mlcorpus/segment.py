"""Sentence segmentation for English and Russian press-release text.

A rule-based splitter tuned for the genre (UN / IOM / CSTO releases, news):
candidate boundaries are terminal punctuation (``. ! ? … ...``) optionally
followed by closing quotes or brackets, then whitespace.  Each candidate is
accepted or rejected from the word to its left (abbreviations, initials,
numbered references such as ``No. 5``) and the text to its right (lowercase
continuation, sentence-initial words).

Why not a trained model: the tools users already have (pysbd, razdel) are
rule-based too, rules are explainable and fast (well over 5,000 sentences/s),
and the press-release genre is regular enough that a careful rule set with a
gold test set beats them (see ``scripts/bench_segment.py``).

The splitter never changes a character: sentences are spans of the input, so
joining them with the whitespace between them gives the paragraph back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlcorpus.errors import MlcorpusError

SUPPORTED_LANGS = ("en", "ru")

# Abbreviations that are never the end of a sentence when followed by a word:
# titles before names, references before numbers.
_EN_NEVER_FINAL = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "col", "lt", "sgt", "capt",
    "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "amb", "messrs", "mt", "ft", "pres",
    "e.g", "i.e", "cf", "vs", "viz", "approx", "ca", "al", "fig", "figs", "eq", "vol",
    "vols", "ch", "sec", "para", "paras", "pp", "ed", "eds", "dept", "univ", "est",
}
# Abbreviations that take a number after them ("No. 5", "Art. 12", "p. 3").
_EN_BEFORE_NUMBER = {"no", "nos", "art", "arts", "p", "para", "pp", "op", "vol", "ch", "sec"}
# Abbreviations that may well end a sentence; we split after them only when the
# next word looks like a sentence start.
_EN_MAYBE_FINAL = {
    "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "d.c",
    "bros", "plc", "llc", "ave", "blvd", "rd",
}

_RU_NEVER_FINAL = {
    "т.е", "т.к", "т.н", "напр", "им", "ул", "пр-т", "пер", "просп", "проф", "акад", "доц",
    "г-н", "г-жа", "см", "ср", "стр", "гл", "рис", "табл", "обл", "р-н", "пос", "с.-пб",
    "тел", "англ", "рус", "лат", "греч", "нем", "франц", "кв", "д", "корп", "тов",
    "ген", "полк", "подп", "ген.-майор", "т", "св",
}
_RU_BEFORE_NUMBER = {"ст", "п", "ч", "№", "пп", "стр", "с", "гл", "рис", "табл", "д", "кв"}
_RU_MAYBE_FINAL = {
    "т.д", "т.п", "и.т.д", "др", "пр", "г", "гг", "вв", "в", "руб", "коп", "тыс", "млн",
    "млрд", "трлн", "долл", "чел", "мин", "сек", "км", "кг", "л", "м", "см", "мм", "га",
    "н.э", "до н.э", "ок", "англ",
}

# Words that typically open a sentence; after an ambiguous abbreviation such as
# "U.S." or "г." we split only before one of these (or a quote, digit...).
_EN_STARTERS = {
    "the", "a", "an", "in", "on", "at", "it", "its", "he", "she", "they", "we", "i", "you",
    "this", "that", "these", "those", "there", "but", "and", "or", "so", "yet", "however",
    "meanwhile", "also", "after", "before", "as", "for", "from", "his", "her", "their",
    "our", "my", "if", "when", "while", "since", "although", "though", "other", "some",
    "many", "most", "all", "one", "two", "three", "according", "during", "since", "then",
    "thus", "still", "now", "today", "yesterday", "last", "next", "both", "each", "every",
    "no", "not", "what", "who", "why", "how", "where", "with", "by", "to", "of", "mr", "ms",
    "mrs", "dr", "officials", "police", "president", "prime", "under", "despite", "instead",
}
_RU_STARTERS = {
    "в", "во", "на", "по", "с", "со", "к", "ко", "о", "об", "от", "до", "из", "за", "для",
    "при", "через", "после", "перед", "он", "она", "оно", "они", "мы", "я", "вы", "это",
    "этот", "эта", "эти", "то", "тот", "та", "те", "но", "а", "и", "однако", "также",
    "кроме", "как", "когда", "если", "хотя", "так", "там", "тогда", "сейчас", "сегодня",
    "вчера", "теперь", "все", "всё", "его", "ее", "её", "их", "наш", "их", "по", "среди",
    "именно", "кроме", "затем", "впрочем", "между", "более", "около", "согласно", "ранее",
    "позже", "при", "уже", "еще", "ещё", "не", "ни", "что", "кто", "где", "почему", "зачем",
    "глава", "генеральный", "президент", "премьер", "министр",
}

_LANG_RULES = {
    "en": (_EN_NEVER_FINAL, _EN_BEFORE_NUMBER, _EN_MAYBE_FINAL, _EN_STARTERS),
    "ru": (_RU_NEVER_FINAL, _RU_BEFORE_NUMBER, _RU_MAYBE_FINAL, _RU_STARTERS),
}

_CLOSERS = "\"'”’»)]}›"
_OPENERS = "\"'“‘«([{‹„"
_DASHES = "—–-"

# Terminal punctuation, optional closing quotes/brackets, then whitespace.
_CANDIDATE = re.compile(r"(?:\.{2,}|…|[.!?]+)[" + re.escape(_CLOSERS) + r"]*(?=\s)")
# A list item starting a new line: bullet or "1." / "a)" marker.
_LIST_ITEM_LINE = re.compile(r"\n[ \t]*(?:[-*•–—▪●]|\d{1,3}[.)]|[a-zа-я][.)])\s")
_LEFT_WORD = re.compile(r"(\S+)$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_ROMAN_OR_INITIAL = re.compile(r"^[A-ZА-ЯЁ]$")
_DOTTED_INITIALS = re.compile(r"^(?:[A-ZА-ЯЁ]\.)+[A-ZА-ЯЁ]$")
_NUMBERED_MARKER = re.compile(r"^\(?(?:\d{1,3}|[ivxlc]{1,5}|[a-zа-я])$", re.IGNORECASE)


def check_lang(lang: str) -> str:
    """Normalise and validate a language code (``en``/``ru``)."""
    code = (lang or "").strip().lower()
    if code not in SUPPORTED_LANGS:
        raise MlcorpusError(
            f"unsupported language {lang!r}: choose one of {', '.join(SUPPORTED_LANGS)}"
        )
    return code


def _next_word(text: str, pos: int) -> str:
    """The word starting at *pos*, with leading openers and dashes stripped."""
    end = pos
    n = len(text)
    while end < n and not text[end].isspace():
        end += 1
    return text[pos:end]


def _is_boundary(text: str, start: int, end: int, lang: str, rules: tuple) -> bool:
    """Decide whether the candidate ``text[start:end]`` ends a sentence."""
    never_final, before_number, maybe_final, starters = rules
    punct = text[start:end]
    # Right context: first non-space character after the candidate.
    pos = end
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    if pos >= n:
        return False  # end of paragraph: no internal boundary
    right = _next_word(text, pos)
    core = right.lstrip(_OPENERS)
    if len(core) == 1 and core in _DASHES:
        # Russian direct-speech dash: decide by the word after the dash.
        nxt = pos + len(right)
        while nxt < n and text[nxt].isspace():
            nxt += 1
        core = _next_word(text, nxt).lstrip(_OPENERS) if nxt < n else ""
        if not core:
            return False
    first = core[:1]
    if not first:
        first = right[:1]
    if first.islower():
        return False
    if first in ",;:)" or first in _CLOSERS and first not in "\"'":
        return False

    dot_final = punct[0] == "." and not punct.startswith("..")
    if not dot_final:
        return True  # ! ? … ...  followed by a non-lowercase word

    m = _LEFT_WORD.search(text, max(0, start - 40), start)
    left = m.group(1) if m else ""
    left = left.lstrip(_OPENERS)
    if not left:
        return True
    low = left.lower()
    next_is_number = first.isdigit()
    if _ROMAN_OR_INITIAL.match(left) or _DOTTED_INITIALS.match(left):
        # "Z. Zigic", "А.С. Есоев": an initial before a name.  A single letter
        # followed by a sentence-starter word is a real end ("Plan B. The ...").
        return core.lower().rstrip(".,;:") in starters and len(core) > 1
    if low in never_final:
        return False
    if low in before_number and next_is_number:
        return False
    if low in maybe_final or "." in low.rstrip("."):
        if low not in maybe_final and not re.search(r"[A-Za-zА-Яа-яЁё]", low):
            return True  # a number such as "2.5." ends the sentence
        word = core.lower().strip(".,;:!?\"'«»“”")
        return next_is_number is False and (word in starters or first in _OPENERS)
    if _NUMBERED_MARKER.match(left) and (m is None or m.start() == 0):
        # "1. Text" at the start of a paragraph or "(a). Text": a list marker.
        return False
    return True


def sentence_spans(paragraph: str, lang: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of *paragraph*.

    Spans cover every non-whitespace character exactly once and never include
    leading or trailing whitespace.
    """
    rules = _LANG_RULES[check_lang(lang)]
    cuts: set[int] = set()
    for m in _CANDIDATE.finditer(paragraph):
        if _is_boundary(paragraph, m.start(), m.end(), lang, rules):
            cuts.add(m.end())
    for m in _LIST_ITEM_LINE.finditer(paragraph):
        cuts.add(m.start())
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts) + [len(paragraph)]:
        piece_start, piece_end = start, cut
        while piece_start < piece_end and paragraph[piece_start].isspace():
            piece_start += 1
        while piece_end > piece_start and paragraph[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > piece_start:
            spans.append((piece_start, piece_end))
        start = cut
    return spans


def segment_paragraph(paragraph: str, lang: str) -> list[str]:
    """Split one paragraph into sentences (the text of each span)."""
    return [paragraph[s:e] for s, e in sentence_spans(paragraph, lang)]


def split_paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at blank lines; whitespace-only paragraphs vanish."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def segment_text(text: str, lang: str) -> list[list[str]]:
    """Segment a whole text: a list of paragraphs, each a list of sentences."""
    check_lang(lang)
    return [segment_paragraph(p, lang) for p in split_paragraphs(text)]


def iter_sentences(paragraphs: list[str], lang: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(paragraph_index, sentence_index, text)`` for a list of paragraphs."""
    for p_idx, para in enumerate(paragraphs):
        for s_idx, sent in enumerate(segment_paragraph(para, lang)):
            yield p_idx, s_idx, sent
