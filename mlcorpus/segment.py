"""Sentence segmentation for English and Russian press-release text.

A rule-based splitter tuned for the genre (UN / IOM / CSTO releases, news).
Candidate boundaries are terminal punctuation (``. ! ? … ...``), optionally
followed by closing quotes or brackets, then whitespace.  Each candidate is
judged the way a copy editor would:

* the text to the right must be able to start a sentence (not lowercase, not
  a comma or closing bracket; a direct-speech dash is looked through);
* ``?``, ``!`` and ellipses end a sentence before a capital letter or quote;
* a full stop is judged by the word to its left: titles and references
  (``Mr.``, ``e.g.``, ``т.е.``, ``ул.``, ``No. 5``, ``ст. 7``) never end a
  sentence; initials (``Z. Zigic``, ``А.С. Есоев``) end one only before a
  typical sentence opener; list-closing abbreviations and units (``etc.``,
  ``и т.д.``, ``35 тыс.``) end one before any capital; year abbreviations
  (``2015 г.``, ``XIX в.``) end one only after a number, so ``г. Москва``
  stays whole; web addresses, numbers and closing brackets end one, but a
  list or paragraph number opening a sentence (``6. Other matters``) does not.

Why not a trained model: the tools users already have (pysbd, razdel) are
rule-based too, rules are explainable and fast (well over 5,000 sentences/s),
and the press-release genre is regular enough that a careful rule set with a
gold test set beats them (see ``scripts/bench_segment.py``).

The splitter never changes a character: sentences are spans of the input, so
joining them with the whitespace between them gives the paragraph back.

:func:`segment_paragraphs` is the one path from a document's paragraphs to the
sentences that ``segment``, ``translate``, ``align`` and ``run`` work on (via
:meth:`mlcorpus.release.Release.sentences`): every command numbers paragraphs and
joins wrapped lines the same way, so their outputs line up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from mlcorpus.errors import MlcorpusError

SUPPORTED_LANGS = ("en", "ru")


@dataclass(frozen=True)
class _Rules:
    """Abbreviation classes of one language (lowercase, without the final dot)."""

    never_final: frozenset[str]  # titles and references: always followed by more
    before_number: frozenset[str]  # "No. 5", "ст. 7": not final before a digit
    weak_final: frozenset[str]  # "etc.", "и т.д.": final before any capital
    after_number: frozenset[str]  # units after a number: "35 тыс.", "5 км."
    year_marks: frozenset[str]  # "2015 г.", "XIX в.": final after a number only
    maybe_final: frozenset[str]  # "U.S.", "Jan.": final before a sentence opener only
    titles: frozenset[str]  # "Mr. L. Smith", "господин Л.": the initial goes on
    starters: frozenset[str]  # words that typically open a sentence


_EN = _Rules(
    never_final=frozenset(
        {
            "mr",
            "mrs",
            "ms",
            "dr",
            "prof",
            "st",
            "gen",
            "col",
            "lt",
            "sgt",
            "capt",
            "maj",
            "brig",
            "cpl",
            "pvt",
            "cmdr",
            "adm",
            "gov",
            "sen",
            "rep",
            "rev",
            "hon",
            "amb",
            "messrs",
            "mmes",
            "mt",
            "ft",
            "pres",
            "supt",
            "insp",
            "e.g",
            "i.e",
            "cf",
            "vs",
            "viz",
            "approx",
            "ca",
            "al",
            "fig",
            "figs",
            "eq",
            "vol",
            "vols",
            "ch",
            "sec",
            "para",
            "paras",
            "pp",
            "ed",
            "eds",
            "dept",
            "univ",
            "est",
            "incl",
            "resp",
            "ref",
            "h.e",
            "v",
        }
    ),
    before_number=frozenset(
        {
            "no",
            "nos",
            "art",
            "arts",
            "p",
            "op",
            "sect",
            "tel",
            "nr",
        }
    ),
    weak_final=frozenset({"etc", "inc", "ltd", "co", "corp", "plc", "llc", "bros"}),
    after_number=frozenset(),
    year_marks=frozenset(),
    maybe_final=frozenset(
        {
            "jan",
            "feb",
            "mar",
            "apr",
            "jun",
            "jul",
            "aug",
            "sep",
            "sept",
            "oct",
            "nov",
            "dec",
            "a.m",
            "p.m",
            "u.s",
            "u.k",
            "u.n",
            "e.u",
            "d.c",
            "u.s.a",
            "jr",
            "sr",
            "ave",
            "blvd",
            "rd",
            "ph.d",
        }
    ),
    titles=frozenset(
        {
            "mr",
            "mrs",
            "ms",
            "dr",
            "prof",
            "messrs",
            "mmes",
            "mister",
            "madam",
            "h.e",
        }
    ),
    starters=frozenset(
        {
            "the",
            "a",
            "an",
            "in",
            "on",
            "at",
            "it",
            "its",
            "he",
            "she",
            "they",
            "we",
            "i",
            "you",
            "this",
            "that",
            "these",
            "those",
            "there",
            "but",
            "and",
            "or",
            "so",
            "yet",
            "however",
            "meanwhile",
            "also",
            "after",
            "before",
            "as",
            "for",
            "from",
            "his",
            "her",
            "their",
            "our",
            "my",
            "if",
            "when",
            "while",
            "since",
            "although",
            "though",
            "other",
            "some",
            "many",
            "most",
            "all",
            "one",
            "two",
            "three",
            "according",
            "during",
            "then",
            "thus",
            "still",
            "now",
            "today",
            "yesterday",
            "last",
            "next",
            "both",
            "each",
            "every",
            "no",
            "not",
            "what",
            "who",
            "why",
            "how",
            "where",
            "with",
            "by",
            "to",
            "of",
            "mr",
            "ms",
            "mrs",
            "dr",
            "officials",
            "police",
            "under",
            "despite",
            "instead",
            "further",
            "moreover",
            "such",
            "among",
            "registration",
        }
    ),
)

#: Russian month abbreviations: before a number ("янв. 2019") and possibly sentence-final
_RU_MONTHS = frozenset(
    {"янв", "фев", "февр", "мар", "апр", "авг", "сен", "сент", "окт", "ноя", "нояб", "дек"}
)

_RU = _Rules(
    never_final=frozenset(
        {
            "т.е",
            "т.к",
            "т.н",
            "т.о",
            "напр",
            "ул",
            "пр-т",
            "пер",
            "просп",
            "пл",
            "наб",
            "проф",
            "акад",
            "доц",
            "г-н",
            "г-на",
            "г-ну",
            "г-ном",
            "г-жа",
            "г-же",
            "г-жи",
            "см",
            "ср",
            "гл",
            "рис",
            "табл",
            "обл",
            "р-н",
            "пос",
            "дер",
            "с.-пб",
            "англ",
            "рус",
            "лат",
            "греч",
            "нем",
            "франц",
            "кв",
            "д",
            "корп",
            "стр",
            "тов",
            "ген",
            "полк",
            "подп",
            "ген.-майор",
            "ген.-лейт",
            "т",
            "св",
            "дж",
            "зам",
            "пред",
            "зав",
            "тел",
            "факс",
            "каб",
            "эл",
            "нач",
            "ред",
            "сост",
            "вкл",
            "искл",
            "и.о",
            "вр.и.о",
            "о",
        }
    ),
    before_number=_RU_MONTHS
    | frozenset(
        {
            "ст",
            "п",
            "ч",
            "№",
            "пп",
            "с",
            "гл",
            "рис",
            "табл",
            "д",
            "кв",
            "вып",
            "т",
            "разд",
        }
    ),
    weak_final=frozenset({"т.д", "т.п", "и.т.д", "и.т.п", "др", "пр", "проч", "т.ч"}),
    after_number=frozenset(
        {
            "тыс",
            "млн",
            "млрд",
            "трлн",
            "руб",
            "коп",
            "долл",
            "чел",
            "мин",
            "сек",
            "ч",
            "час",
            "км",
            "кг",
            "г",
            "т",
            "л",
            "м",
            "см",
            "мм",
            "га",
            "шт",
            "экз",
            "ед",
            "кв.м",
            "куб.м",
        }
    ),
    year_marks=frozenset({"г", "гг", "в", "вв"}),
    maybe_final=frozenset(
        {
            "г",
            "гг",
            "в",
            "вв",
            "руб",
            "коп",
            "тыс",
            "млн",
            "млрд",
            "трлн",
            "долл",
            "н.э",
            "ок",
            "им",
        }
    )
    | _RU_MONTHS,
    titles=frozenset(
        {
            "г-н",
            "г-на",
            "г-ну",
            "г-ном",
            "г-жа",
            "г-же",
            "г-жи",
            "господин",
            "господина",
            "господину",
            "госпожа",
            "госпожи",
            "госпоже",
            "мистер",
            "миссис",
            "мисс",
            "доктор",
            "проф",
            "акад",
            "mr",
            "mrs",
            "ms",
            "dr",
        }
    ),
    starters=frozenset(
        {
            "в",
            "во",
            "на",
            "по",
            "с",
            "со",
            "к",
            "ко",
            "о",
            "об",
            "от",
            "до",
            "из",
            "за",
            "для",
            "при",
            "через",
            "после",
            "перед",
            "он",
            "она",
            "оно",
            "они",
            "мы",
            "я",
            "вы",
            "это",
            "этот",
            "эта",
            "эти",
            "то",
            "тот",
            "та",
            "те",
            "но",
            "а",
            "и",
            "однако",
            "также",
            "кроме",
            "как",
            "когда",
            "если",
            "хотя",
            "так",
            "там",
            "тогда",
            "сейчас",
            "сегодня",
            "вчера",
            "теперь",
            "все",
            "всё",
            "его",
            "ее",
            "её",
            "их",
            "наш",
            "среди",
            "именно",
            "затем",
            "впрочем",
            "между",
            "более",
            "около",
            "согласно",
            "ранее",
            "позже",
            "уже",
            "еще",
            "ещё",
            "не",
            "ни",
            "что",
            "кто",
            "где",
            "почему",
            "зачем",
            "глава",
            "генеральный",
            "президент",
            "премьер",
            "министр",
            "итак",
            "поэтому",
            "напомним",
            "отметим",
            "вместе",
            "всего",
            "каждый",
            "многие",
            "здесь",
        }
    ),
)

_LANG_RULES = {"en": _EN, "ru": _RU}

_CLOSERS = "\"'”’»)]}›"
_OPENERS = "\"'“‘«([{‹„"
_DASHES = "—–-"
# Characters that continue a sentence rather than start one.
_NOT_A_START = frozenset(",;:.)]}|/%»”’›…!?&*+=")

# Terminal punctuation, optional closing quotes/brackets, then whitespace.
_CANDIDATE = re.compile(r"(?:\.{2,}|…|[.!?]+)[" + re.escape(_CLOSERS) + r"]*(?=\s)")
# A list item starting a new line: bullet or "1." / "a)" marker.
_LIST_ITEM_LINE = re.compile(r"\n[ \t]*(?:[-*•–—▪●]|\d{1,3}[.)]|[a-zа-я][.)])\s")
_LEFT_WORD = re.compile(r"(\S+)$")
_PREV_WORD = re.compile(r"(\S+)\s+$")
# A blank line (CRLF input read without newline translation included).
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
# "Z", "А", "Дж": a first-name initial (Дж renders the English J in Russian).
_INITIAL = re.compile(r"^(?:[A-ZА-ЯЁ]|Дж)$")
_DOTTED_INITIALS = re.compile(r"^(?:[A-ZА-ЯЁ]\.)+[A-ZА-ЯЁ]$")
_NEXT_INITIAL = re.compile(r"^(?:[A-ZА-ЯЁ]|Дж)\.")
_NUMBERED_MARKER = re.compile(r"^\(?(?:\d{1,3}|[ivxlc]{1,5}|[a-zа-я])$", re.IGNORECASE)
# A number or a Roman numeral, alone or as a range: "2015", "2011-2015", "XIX",
# "$4,4" (amounts carry a currency sign: "$4,4 млрд.").
_NUMBER = re.compile(r"^[$£€¥₽]?(?:\d[\d.,]*|[IVXLC]+)(?:[-–—](?:\d[\d.,]*|[IVXLC]+))?$")
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ]{2,}\b")
_DOTTED_ABBREVIATION = re.compile(r"^(?:[^\W\d_]+\.)+[^\W\d_]+$")
# The end of a web or e-mail address: "www.iom.int", "newsmsk.com", "a@b.org".
_ADDRESS = re.compile(r"\w\.[^\W\d_]{2,}$")


def check_lang(lang: str) -> str:
    """Normalise and validate a language code (``en``/``ru``)."""
    code = (lang or "").strip().lower()
    if code not in SUPPORTED_LANGS:
        raise MlcorpusError(
            f"unsupported language {lang!r}: choose one of {', '.join(SUPPORTED_LANGS)}"
        )
    return code


def _word_at(text: str, pos: int) -> str:
    """The whitespace-delimited token starting at *pos*."""
    end = pos
    n = len(text)
    while end < n and not text[end].isspace():
        end += 1
    return text[pos:end]


def _skip_space(text: str, pos: int) -> int:
    """The first non-space offset at or after *pos* (``len(text)`` if none)."""
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    return pos


def _right_context(text: str, end: int) -> tuple[str, str] | None:
    """The next token and its core (openers stripped, a speech dash looked through).

    ``None`` when the candidate is at the end of the paragraph.
    """
    pos = _skip_space(text, end)
    if pos >= len(text):
        return None
    token = _word_at(text, pos)
    core = token.lstrip(_OPENERS)
    if core and core in _DASHES:
        # Russian direct speech ("— Вопросы ..."): judge by the word after the dash.
        nxt = _skip_space(text, pos + len(token))
        core = _word_at(text, nxt).lstrip(_OPENERS) if nxt < len(text) else ""
    return token, core


def _left_words(text: str, start: int) -> tuple[str, str, int]:
    """The token before the candidate and the token before that (both with
    openers stripped, the second also without its final dot), and the offset
    where the first one starts."""
    m = _LEFT_WORD.search(text, max(0, start - 60), start)
    if not m:
        return "", "", start
    prev = _PREV_WORD.search(text, max(0, m.start() - 60), m.start())
    before = prev.group(1).rstrip(".").lstrip(_OPENERS) if prev else ""
    return m.group(1).lstrip(_OPENERS), before, m.start()


def _bare(word: str) -> str:
    """A word stripped of surrounding punctuation and lowercased, for set lookups."""
    return word.strip(".,;:!?\"'«»“”‘’()[]").lower()


def _full_stop_ends(text: str, start: int, core: str, rules: _Rules, sent_start: int) -> bool:
    """Decide a candidate that is a single full stop, from the word to its left.

    *sent_start* is where the current sentence began (the previous boundary).
    """
    left, before, left_start = _left_words(text, start)
    if not left or left[-1] in _CLOSERS:
        return True  # "(about 11 million)." / "“Illegal-2014”."
    first = core[:1]
    next_is_number = first.isdigit()
    next_is_upper = first.isupper() or (not first.isalnum())  # capital, quote, "(" ...
    next_word = _bare(core)
    low = left.lower()
    # "т. д." / "e. g.": an abbreviation written with a space is looked up whole.
    if before and len(before) == 1 and len(low) <= 2 and before.isalpha():
        joined = f"{before.lower()}.{low}"
        if joined in rules.never_final or joined in rules.weak_final:
            low = joined
    before_low = before.lower()

    if _INITIAL.match(left) or _DOTTED_INITIALS.match(left):
        # "Z. Zigic", "А.С. Есоев", "Н. В. Петров": an initial before a name.  A
        # capital letter followed by a typical opener ends the sentence ("Hall B.
        # The ..."), unless a title shows it is a name ("господин Л. Еще ...") or
        # the letters are a title themselves ("H.E. Mr. A. Kazhkenov").
        if _NEXT_INITIAL.match(core) or before_low in rules.titles or low in rules.titles:
            return False
        return next_word in rules.starters and len(core) > 1
    if low in rules.year_marks:
        # "2015 г. Их" ends; "г. Душанбе" (город) does not, nor does a sentence
        # that so far is only a date adverbial ("В 1991 г. Рид Ларсон провел ..."),
        # nor one going on with a name's initials ("14 мая 2019 г. А. Б. Петров").
        if _NEXT_INITIAL.match(core):
            return False
        if _NUMBER.match(before):
            opening = text[sent_start:left_start].split()
            return next_is_upper and not next_is_number and len(opening) > 2
        return False
    if low in rules.after_number and _NUMBER.match(before):
        # "35 тыс. Большинство" ends; "2 ч. 30 мин.", "3 тыс. военнослужащих" and
        # "4000 долл. США" (a currency's country) go on.
        return next_is_upper and not next_is_number and not _ACRONYM.match(core)
    if low in rules.never_final:
        return False
    if low in rules.before_number and next_is_number:
        return False
    if low in rules.weak_final:
        return next_is_upper and not next_is_number
    if low in rules.maybe_final:
        return not next_is_number and (next_word in rules.starters or first in _OPENERS)
    if _ADDRESS.search(low):
        return True  # "www.iom.int." / "newsmsk.com."
    if _DOTTED_ABBREVIATION.match(low):
        # An unknown dotted abbreviation ("U.S.S.R.", "т.н.") ends a sentence only
        # before a typical opener.
        return not next_is_number and (next_word in rules.starters or first in _OPENERS)
    if _NUMBERED_MARKER.match(left) and (
        not text[sent_start:left_start].strip() or text[left_start - 1 : left_start] == "\n"
    ):
        return False  # "1. Text", "6. Other matters": a list or paragraph number
    return True


def _is_boundary(text: str, start: int, end: int, rules: _Rules, sent_start: int) -> bool:
    """Decide whether the candidate ``text[start:end]`` ends a sentence begun at
    *sent_start*."""
    right = _right_context(text, end)
    if right is None:
        return False  # end of paragraph: no internal boundary
    token, core = right
    first = core[:1] or token[:1]
    if not first or first.islower() or first in _NOT_A_START:
        return False
    punct = text[start:end].rstrip(_CLOSERS)
    if punct.startswith(("..", "…")):
        return not first.isdigit()  # "long... Trafficking" ends; "for... 1.6 million" not
    if punct != ".":
        return True  # "?" or "!" before a capital
    return _full_stop_ends(text, start, core, rules, sent_start)


def sentence_spans(paragraph: str, lang: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of *paragraph*.

    Spans cover every non-whitespace character exactly once, in order, and never
    include leading or trailing whitespace.
    """
    rules = _LANG_RULES[check_lang(lang)]
    cuts: set[int] = set()
    sent_start = 0
    for m in _CANDIDATE.finditer(paragraph):
        if _is_boundary(paragraph, m.start(), m.end(), rules, sent_start):
            cuts.add(m.end())
            sent_start = m.end()
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


def split_paragraphs(text: str, mode: str = "blank") -> list[str]:
    """Split text into paragraphs; whitespace-only paragraphs vanish.

    *mode* ``blank``: paragraphs are separated by blank lines, and a line
    break inside one is a wrapped line.  ``line``: every line is a paragraph,
    for texts with one paragraph per line and no blank lines (UDHR, subtitles,
    most corpus dumps), which ``blank`` would merge into one.
    """
    if mode == "line":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if mode != "blank":
        raise ValueError(f"unknown paragraph mode {mode!r}; use 'blank' or 'line'")
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def segment_text(text: str, lang: str) -> list[list[str]]:
    """Segment a whole text: a list of paragraphs, each a list of sentences."""
    check_lang(lang)
    return [segment_paragraph(p, lang) for p in split_paragraphs(text)]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document and where it sits."""

    paragraph: int  #: 0-based number of its paragraph (a title, when present, is 0)
    index: int  #: 0-based place in its paragraph
    text: str

    def to_dict(self) -> dict[str, int | str]:
        """``{"paragraph", "index", "text"}``, the ``segment --format jsonl`` record."""
        return asdict(self)


# Any run of ordinary whitespace; no-break spaces (U+00A0, U+2007, U+202F) are
# typography ("14\u00a0мая") and stay as written.
_WRAP = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def unwrap(sentence: str) -> str:
    """*sentence* on one line: a line break (a wrapped line) and any run of
    spaces or tabs become one space, so the same sentence compares, aligns and
    translates the same whether or not its source file was hard-wrapped."""
    return _WRAP.sub(" ", sentence).strip()


def segment_paragraphs(paragraphs: Iterable[str], lang: str) -> list[Sentence]:
    """The sentences of a document given as paragraphs, each on one line.

    Blank paragraphs (such as a release's missing title) are skipped and not
    counted, so paragraph numbers are those of the paragraphs that have text.
    """
    check_lang(lang)
    out: list[Sentence] = []
    number = 0
    for paragraph in paragraphs:
        texts = segment_paragraph(paragraph, lang)
        if not texts:
            continue
        out.extend(Sentence(number, i, unwrap(text)) for i, text in enumerate(texts))
        number += 1
    return out
