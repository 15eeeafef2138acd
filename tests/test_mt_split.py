"""Splitting over-long segments at natural points."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mlcorpus.mt.split import join_pieces, split_long


def words(text: str) -> int:
    return len(text.split())


def test_short_text_is_one_piece():
    pieces = split_long("The meeting was held in Moscow.", words, 10, "en")
    assert [p.text for p in pieces] == ["The meeting was held in Moscow."]


def test_sentence_boundary_beats_comma_and_space():
    text = (
        "The delegation of IOM, led by the Director General, arrived on Monday. "
        "The seminar, which lasted five days, ended on Friday."
    )
    pieces = split_long(text, words, 12, "en")
    assert [p.text for p in pieces] == [
        "The delegation of IOM, led by the Director General, arrived on Monday.",
        "The seminar, which lasted five days, ended on Friday.",
    ]
    assert join_pieces(pieces, [p.text for p in pieces]) == text


def test_russian_clause_then_comma_points():
    text = (
        "Стороны обсудили сотрудничество; эксперты подготовили рекомендации, "
        "которые будут представлены Совету"
    )
    pieces = split_long(text, words, 5, "ru")
    assert pieces[0].text == "Стороны обсудили сотрудничество;"
    assert all(words(p.text) <= 5 for p in pieces)
    assert join_pieces(pieces, [p.text for p in pieces]) == text


def test_run_without_spaces_is_cut_inside_and_rejoined_without_space():
    text = "x" * 50
    pieces = split_long(text, len, 16, "en")
    assert all(len(p.text) <= 16 for p in pieces)
    assert join_pieces(pieces, [p.text for p in pieces]) == text


def test_other_languages_use_plain_punctuation():
    text = "Uno dos tres. Cuatro cinco seis."
    assert [p.text for p in split_long(text, words, 3, "es")] == [
        "Uno dos tres.",
        "Cuatro cinco seis.",
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "IOM",
                "CSTO,",
                "met",
                "in",
                "Moscow.",
                "the",
                "states;",
                "Geneva",
                "aaaaaaaaaaaa",
                "и",
                "МОМ.",
            ]
        ),
        min_size=1,
        max_size=60,
    ),
    st.integers(min_value=1, max_value=8),
)
def test_every_piece_fits_and_nothing_is_lost(tokens, limit):
    text = " ".join(tokens)
    pieces = split_long(text, words, limit, "en")
    assert all(words(p.text) <= limit for p in pieces)
    assert join_pieces(pieces, [p.text for p in pieces]) == text
