"""Putting a Russian multiword term into a given case and number.

A term is read as a noun phrase: its *head* is the first noun in the
nominative; adjectives and participles before the head agree with it (case,
number, gender, animacy in the accusative); a noun joined to the head by a
hyphen is an apposition and inflects too (both parts of "государства-члены");
so does a participle set off by a comma ("лица, ищущие убежища");
everything else after the head is governed and stays as written (only "торговля"
changes in "торговля людьми").  Acronyms never change.

:func:`span_form` reads the case and number of a rendering found in text, so
that a replacement can take the same form.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from mlcorpus.glossary.morph import (
    HYPHENS,
    PREPOSITION_CASES,
    Parse,
    Token,
    fold,
    grammar_tokens,
    is_acronym,
    main_case,
    parses,
)

ADJECTIVE_POS = {"ADJF", "PRTF"}
Form = tuple[str, str]  # (case, number), e.g. ("gent", "plur")


@dataclass(frozen=True)
class TermShape:
    """Which words of a term inflect, and their dictionary-form analyses."""

    tokens: tuple[Token, ...]
    head: int | None
    #: token index -> (role, parse); role is "head", "adj" or "apposition"
    inflecting: tuple[tuple[int, str, Parse], ...]

    @property
    def number(self) -> str | None:
        for _index, role, parse in self.inflecting:
            if role == "head":
                return parse.tag.number
        return None


def _nominative(word: str, pos: set[str]) -> Parse | None:
    for parse in parses(word):
        if parse.tag.POS in pos and parse.tag.case == "nomn":
            return parse
    return None


@lru_cache(maxsize=20_000)
def analyze_term(term: str) -> TermShape:
    """Find the head and the agreeing words of *term* (dictionary form)."""
    tokens = tuple(grammar_tokens(term))
    words = [i for i, t in enumerate(tokens) if t.text[:1].isalpha()]
    nouns = [
        (i, parse)
        for i in words
        if not is_acronym(tokens[i].text)
        and (parse := _nominative(tokens[i].text, {"NOUN"})) is not None
    ]
    # the first noun that cannot be read as an adjective, else the first noun
    found = next(
        ((i, p) for i, p in nouns if not _nominative(tokens[i].text, ADJECTIVE_POS)),
        nouns[0] if nouns else None,
    )
    if found is None:
        return TermShape(tokens, None, ())
    head, head_parse = found
    inflecting: list[tuple[int, str, Parse]] = [(head, "head", head_parse)]
    for i in words:
        if i >= head:
            break
        adjective = _nominative(tokens[i].text, ADJECTIVE_POS)
        if adjective is not None and adjective.tag.number == head_parse.tag.number:
            inflecting.append((i, "adj", adjective))
    i = head + 1
    while (
        i + 1 < len(tokens)
        and tokens[i].text in HYPHENS
        and tokens[i].end == tokens[i + 1].start
        and tokens[i].start == tokens[i - 1].end
    ):
        apposition = _nominative(tokens[i + 1].text, {"NOUN"})
        if apposition is None:
            break
        inflecting.append((i + 1, "apposition", apposition))
        i += 2
    # a participle set off by a comma agrees too: "лица, ищущие убежища"
    if i + 1 < len(tokens) and tokens[i].text == ",":
        participle = _nominative(tokens[i + 1].text, {"PRTF"})
        if participle is not None and participle.tag.number == head_parse.tag.number:
            inflecting.append((i + 1, "adj", participle))
    return TermShape(tokens, head, tuple(sorted(inflecting, key=lambda item: item[0])))


def _match_case(word: str, model: str, yo: bool) -> str:
    """Spell *word* with the capitalisation of *model*; ``ё`` only if *yo*
    or the model has it (most Russian text writes е)."""
    if not yo and "ё" not in model.lower():
        word = word.replace("ё", "е").replace("Ё", "Е")
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _inflect_word(parse: Parse, grammemes: set[str]) -> Parse | None:
    form = parse.inflect(grammemes)
    if form is None:
        form = parse.inflect(grammemes - {"sing", "plur"})
    return form


def inflect_term(term: str, case: str, number: str | None = None, *, yo: bool = False) -> str:
    """*term* (dictionary form) put into *case* (pymorphy3 grammeme: nomn,
    gent, datv, accs, ablt, loct) and *number* (sing, plur; default: the
    term's own).  Returns the term unchanged when it has no inflecting head.
    *yo*: spell ё where the dictionary has it (default: е, as in most text)."""
    shape = analyze_term(term)
    if shape.head is None:
        return term
    number = number or shape.number or "sing"
    head_parse = next(p for _i, role, p in shape.inflecting if role == "head")
    animacy = head_parse.tag.animacy or "inan"
    gender = head_parse.tag.gender
    if gender not in ("masc", "femn", "neut"):
        gender = next((p.tag.gender for _i, role, p in shape.inflecting if role == "adj"), "masc")
    words: dict[int, str] = {}
    for index, role, parse in shape.inflecting:
        grammemes = {case, number}
        if role == "adj":
            if number == "sing":
                grammemes.add(gender)
            if case == "accs" and (number == "plur" or gender == "masc"):
                grammemes.add(animacy)
        elif (
            role == "apposition"
            and case == "accs"
            and (number == "plur" or parse.tag.gender == "masc")
        ):
            # the apposition follows the head's animacy: "государства-члены"
            grammemes = {"nomn" if animacy == "inan" else "gent", number}
        form = _inflect_word(parse, grammemes)
        if form is None:
            return term
        words[index] = _match_case(form.word, shape.tokens[index].text, yo)
    out, last = [], 0
    for index, token in enumerate(shape.tokens):
        if index in words:
            out.append(term[last : token.start])
            out.append(words[index])
            last = token.end
    out.append(term[last:])
    return "".join(out)


def _forms_of(word: str, lemma: str, pos: set[str]) -> dict[Form, float]:
    forms: dict[Form, float] = {}
    for parse in parses(word):
        if parse.tag.POS in pos and fold(parse.normal_form) == lemma and parse.tag.case:
            form = (main_case(parse.tag.case), parse.tag.number or "sing")
            forms[form] = max(forms.get(form, 0.0), parse.score)
    return forms


def span_form(term: str, span: str, previous_word: str | None = None) -> list[Form]:
    """Possible (case, number) of *span*, a text occurrence of *term*, most
    likely first.  Agreeing words narrow the choice ("государства-участники"
    is nominative or accusative plural, not genitive singular); a preposition
    just before the span narrows it further, a transitive verb just before it
    makes the accusative likelier than the nominative, and the term's own
    number is preferred when the form allows both.  Empty when unknown."""
    shape = analyze_term(term)
    tokens = grammar_tokens(span)
    if shape.head is None or len(tokens) != len(shape.tokens):
        return []
    scores: dict[Form, float] | None = None
    for index, role, parse in shape.inflecting:
        pos = {"NOUN"} if role != "adj" else ADJECTIVE_POS
        forms = _forms_of(tokens[index].text, fold(parse.normal_form), pos)
        if role == "apposition":
            # an apposition in the accusative looks nominative or genitive
            for (case, number), score in list(forms.items()):
                if case in ("nomn", "gent"):
                    forms.setdefault(("accs", number), score / 2)
        if not forms:
            continue
        if scores is None:
            scores = forms
        else:
            narrowed = {f: scores[f] + s for f, s in forms.items() if f in scores}
            scores = narrowed or scores
    if not scores:
        return []
    scores = {f: s + (0.5 if f[1] == shape.number else 0.0) for f, s in scores.items()}
    word = (previous_word or "").strip(".,;:!?()[]«»\"'")
    if not word or not ("а" <= word[:1].lower() <= "я" or word[:1].lower() == "ё"):
        # after punctuation, a number, a label or nothing: most likely a
        # subject or a heading
        scores = {f: s + (0.3 if f[0] == "nomn" else 0.0) for f, s in scores.items()}
    elif word.lower() in PREPOSITION_CASES:
        governed = PREPOSITION_CASES[word.lower()]
        narrowed = {
            f: s + (0.6 if f[0] == governed[0] else 0.0)
            for f, s in scores.items()
            if f[0] in governed
        }
        scores = narrowed or scores
    elif _is_preposition(word):
        scores = {f: s for f, s in scores.items() if f[0] != "nomn"} or scores
    elif _is_transitive_verb(word):
        scores = {f: s + (1.0 if f[0] == "accs" else 0.0) for f, s in scores.items()}
    else:
        # an adjective right before the term agrees with it ("многими СМИ")
        agreeing = _adjective_forms(word)
        narrowed = {f: s for f, s in scores.items() if f in agreeing}
        scores = narrowed or scores
    return sorted(scores, key=lambda f: -scores[f])


def _adjective_forms(word: str) -> set[Form]:
    return {
        (main_case(p.tag.case), p.tag.number or "sing")
        for p in parses(word)
        if p.tag.POS in ADJECTIVE_POS and p.tag.case
    }


def _is_transitive_verb(word: str) -> bool:
    return any(p.tag.POS in ("VERB", "INFN") and "tran" in p.tag for p in parses(word))


def _is_preposition(word: str) -> bool:
    return any(p.tag.POS == "PREP" for p in parses(word))
