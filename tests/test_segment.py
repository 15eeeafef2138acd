"""Sentence segmentation: the lossless-span property, the rules, the helpers, and
accuracy on real WMT news documents (when the development data is present)."""

from __future__ import annotations

import importlib.util
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcorpus.errors import MlcorpusError
from mlcorpus.segment import (
    SUPPORTED_LANGS,
    check_lang,
    segment_paragraph,
    segment_paragraphs,
    segment_text,
    sentence_spans,
    split_paragraphs,
)

# --- the lossless property -------------------------------------------------

# Single characters: Latin and Cyrillic letters of both cases, digits, every
# kind of punctuation the rules look at, and whitespace including newlines.
_CHARS = st.sampled_from(
    list("abcxyzABCXYZ абвгдеёжАБВГЕЁЖ 0123456789 .....!!??…,,;:-—–«»“”‘’\"'()[]|%$№@/")
    + [" ", " ", " ", "\n", "\t", "\u00a0"]
)
# Tokens that trigger the rules: abbreviations, initials, numbers, addresses.
_TOKENS = st.sampled_from(
    [
        "Mr.",
        "Dr.",
        "Z.",
        "А.С.",
        "С.",
        "etc.",
        "e.g.",
        "i.e.",
        "No.",
        "Art.",
        "vs.",
        "U.S.",
        "a.m.",
        "Inc.",
        "т.е.",
        "т.",
        "д.",
        "и т.д.",
        "т.п.",
        "г.",
        "гг.",
        "в.",
        "ул.",
        "им.",
        "тыс.",
        "млн.",
        "2015",
        "2.5",
        "10-11",
        "XIX",
        "$4,4",
        "www.iom.int.",
        "1.",
        "a)",
        "-",
        "—",
        "…",
        "...",
        "?",
        "!",
        "«Да».",
        "“Yes.”",
        "(Moscow, July 2006).",
        "IOM's",
        "MSs",
        "The",
        "the",
        "В",
        "в",
        "Он",
        "он",
        "migrants",
        "мигранты",
        "\n- ",
        "\n1. ",
    ]
)
_TEXT = st.one_of(
    st.text(_CHARS, max_size=200),
    st.lists(st.one_of(_TOKENS, st.text(_CHARS, min_size=1, max_size=6)), max_size=40).map(
        lambda toks: " ".join(toks)
    ),
)


@settings(max_examples=400, deadline=None)
@given(text=_TEXT, lang=st.sampled_from(SUPPORTED_LANGS))
def test_spans_reassemble_the_paragraph(text: str, lang: str) -> None:
    spans = sentence_spans(text, lang)
    # Ordered, non-empty, non-overlapping spans without surrounding whitespace.
    previous_end = 0
    rebuilt = []
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        gap = text[previous_end:start]
        assert gap.strip() == "", f"non-space text {gap!r} fell between sentences"
        sentence = text[start:end]
        assert sentence == sentence.strip()
        rebuilt += [gap, sentence]
        previous_end = end
    assert text[previous_end:].strip() == ""
    rebuilt.append(text[previous_end:])
    # Joining the sentences with the whitespace between them gives the text back.
    assert "".join(rebuilt) == text
    # Every non-space character is in exactly one sentence.
    joined = "".join(text[s:e] for s, e in spans)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)
    assert segment_paragraph(text, lang) == [text[s:e] for s, e in spans]


# --- rules not covered by the gold sets ---------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # A pronoun "им" ends a sentence; the abbreviation "им." (имени) does not.
        ("ru", "Мы благодарны им. Они помогли нам.", ["Мы благодарны им.", "Они помогли нам."]),
        (
            "ru",
            "Он учился в университете им. Ломоносова.",
            ["Он учился в университете им. Ломоносова."],
        ),
        # A sentence that so far is only a date adverbial goes on after "г.".
        (
            "ru",
            "В 1991 г. Рид Ларсон провел исследование. Оно заняло год.",
            ["В 1991 г. Рид Ларсон провел исследование.", "Оно заняло год."],
        ),
        (
            "ru",
            "Его избрали в 2001 г. Председателем стал И.И. Иванов.",
            ["Его избрали в 2001 г.", "Председателем стал И.И. Иванов."],
        ),
        # A title shows that a capital letter is an initial, even before an opener.
        (
            "ru",
            "Всего месяц назад господин Л. Еще жил один.",
            ["Всего месяц назад господин Л. Еще жил один."],
        ),
        (
            "ru",
            "Об этом сказал Марк Дж. Фенске. Он профессор.",
            ["Об этом сказал Марк Дж. Фенске.", "Он профессор."],
        ),
        # Amounts with a currency sign, then a unit abbreviation, then a new sentence.
        (
            "ru",
            "Сделка стоила $4,4 млрд. Проиграв дело, компания ушла.",
            ["Сделка стоила $4,4 млрд.", "Проиграв дело, компания ушла."],
        ),
        (
            "ru",
            "Пенсия составит Br2 млн. 295 тыс. рублей.",
            ["Пенсия составит Br2 млн. 295 тыс. рублей."],
        ),
        # E-mail addresses and domains at the end of a sentence.
        (
            "en",
            "Contact info@iom.int. Office hours are 9 to 5.",
            ["Contact info@iom.int.", "Office hours are 9 to 5."],
        ),
        (
            "ru",
            "Курсы указаны на сайте bitcoincharts.com). Ничего особенного.",
            ["Курсы указаны на сайте bitcoincharts.com).", "Ничего особенного."],
        ),
        # Decimals and percentages end sentences; dotted acronyms end them before openers.
        ("en", "Sales grew 4.5%. Profits fell.", ["Sales grew 4.5%.", "Profits fell."]),
        (
            "en",
            "He was born in the U.S.S.R. The family moved.",
            ["He was born in the U.S.S.R.", "The family moved."],
        ),
        ("en", "The U.S.S.R. Supreme Soviet met.", ["The U.S.S.R. Supreme Soviet met."]),
        # Ellipses: before a number or lowercase the sentence goes on.
        (
            "en",
            "It was bought for 5 million and resold for... 1.6 million.",
            ["It was bought for 5 million and resold for... 1.6 million."],
        ),
        ("en", "Palliative care... | Le Devoir", ["Palliative care... | Le Devoir"]),
        # Military titles, and "Jr." before a sentence opener.
        ("en", "Prosecutor Maj. Ashden Fein spoke.", ["Prosecutor Maj. Ashden Fein spoke."]),
        (
            "en",
            "Guests included John Kennedy Jr. You could feel it.",
            ["Guests included John Kennedy Jr.", "You could feel it."],
        ),
        # A line break inside a paragraph is not a boundary by itself.
        (
            "en",
            "The meeting\ncontinued after lunch. It ended at 5.",
            ["The meeting\ncontinued after lunch.", "It ended at 5."],
        ),
        ("en", "What now?! Nobody knows.", ["What now?!", "Nobody knows."]),
        # A paragraph number opens a sentence; it is never a sentence by itself.
        (
            "en",
            "The panel will be appointed later. 6. Other matters were not raised.",
            ["The panel will be appointed later.", "6. Other matters were not raised."],
        ),
        (
            "ru",
            "Список партнеров расширен. 7. В своей резолюции Совет отметил это.",
            ["Список партнеров расширен.", "7. В своей резолюции Совет отметил это."],
        ),
        # "долл. США": the currency's country follows the unit.
        (
            "ru",
            "Смета составляет 4000 долл. США. Она утверждена.",
            ["Смета составляет 4000 долл. США.", "Она утверждена."],
        ),
        (
            "en",
            "For example, in Prosecutor v. Kunarac, the Chamber agreed.",
            ["For example, in Prosecutor v. Kunarac, the Chamber agreed."],
        ),
        (
            "ru",
            "«Что дальше?» — спросил он. «Никто не знает», — ответили ему.",
            ["«Что дальше?» — спросил он.", "«Никто не знает», — ответили ему."],
        ),
        # After "г." (год), a name's initials go on with the sentence ...
        (
            "ru",
            "14 мая 2019 г. А. Б. Петров встретился с делегацией. Она прибыла утром.",
            ["14 мая 2019 г. А. Б. Петров встретился с делегацией.", "Она прибыла утром."],
        ),
        (
            "ru",
            "Соглашение подписано 3 мая 2019 г. А.Б. Петровым и Дж. Смитом.",
            ["Соглашение подписано 3 мая 2019 г. А.Б. Петровым и Дж. Смитом."],
        ),
        # ... while an ordinary word after a dated clause starts a new one.
        (
            "ru",
            "Встреча состоялась 14 мая 2019 г. Петров выступил первым.",
            ["Встреча состоялась 14 мая 2019 г.", "Петров выступил первым."],
        ),
    ],
)
def test_rule(lang: str, text: str, expected: list[str]) -> None:
    assert segment_paragraph(text, lang) == expected


def test_empty_and_blank_paragraphs_have_no_sentences() -> None:
    assert sentence_spans("", "en") == []
    assert sentence_spans(" \n\t ", "ru") == []


# --- helpers -----------------------------------------------------------------


def test_check_lang_normalises_and_rejects() -> None:
    assert check_lang(" EN ") == "en"
    assert check_lang("ru") == "ru"
    with pytest.raises(MlcorpusError, match="unsupported language 'de'"):
        check_lang("de")
    with pytest.raises(MlcorpusError):
        sentence_spans("Text.", "fr")


def test_split_paragraphs_at_blank_lines_including_crlf() -> None:
    text = "\n\nFirst line\nsame paragraph.\n \t\nSecond.\r\n\r\nThird.\n\n\n"
    assert split_paragraphs(text) == ["First line\nsame paragraph.", "Second.", "Third."]
    assert split_paragraphs(" \n\n ") == []


def test_segment_text_and_segment_paragraphs() -> None:
    text = "Mr. Z. Zigic met N. Bordyuzha. They spoke.\n\nIOM's office is in Moscow."
    assert segment_text(text, "en") == [
        ["Mr. Z. Zigic met N. Bordyuzha.", "They spoke."],
        ["IOM's office is in Moscow."],
    ]
    paragraphs = split_paragraphs(text)
    assert [(s.paragraph, s.index, s.text) for s in segment_paragraphs(paragraphs, "en")] == [
        (0, 0, "Mr. Z. Zigic met N. Bordyuzha."),
        (0, 1, "They spoke."),
        (1, 0, "IOM's office is in Moscow."),
    ]
    # wrapped lines are joined, blank paragraphs are not counted, no-break spaces stay
    wrapped = segment_paragraphs(
        ["", "The meeting took place\n  in Moscow.\tIt ended.", " ", "14\u00a0May."], "en"
    )
    assert [s.text for s in wrapped] == [
        "The meeting took place in Moscow.",
        "It ended.",
        "14\u00a0May.",
    ]
    assert [(s.paragraph, s.index) for s in wrapped] == [(0, 0), (0, 1), (1, 0)]
    with pytest.raises(MlcorpusError):
        segment_text(text, "xx")


# --- real news documents ------------------------------------------------------


def _load_bench():
    path = Path(__file__).resolve().parent.parent / "scripts" / "bench_segment.py"
    spec = importlib.util.spec_from_file_location("bench_segment", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("lang", "column", "floor"), [("en", 0, 0.99), ("ru", 1, 0.995)])
def test_boundary_f1_on_wmt_news(dev_data: Path, lang: str, column: int, floor: float) -> None:
    bench = _load_bench()
    docs = bench.read_documents(dev_data / "wmt-docs" / "newstest2015.en-ru.docs.tsv")
    rng = random.Random(7)
    paragraphs = [
        p
        for doc in docs.values()
        for p in bench.build_paragraphs([pair[column] for pair in doc], rng)
    ]
    assert sum(len(b) for _, b, _ in paragraphs) > 1000
    found, _ = bench.run(lambda t: segment_paragraph(t, lang), paragraphs)
    assert bench.score(found, paragraphs)["f1"] >= floor
