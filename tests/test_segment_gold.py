"""The segmenter must reproduce the hand-written gold sets exactly.

``tests/data/segment_gold.<lang>.txt`` hold press-release paragraphs written for
the project, one gold sentence per line, paragraphs separated by blank lines.
They concentrate the hard cases of the genre: titles and initials,
abbreviations, acronyms, numbers and date ranges, quotes, brackets, ellipses
and list items.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlcorpus.segment import segment_paragraph, sentence_spans

DATA = Path(__file__).resolve().parent / "data"
# A sentence that is a list item is put on its own line in the paragraph text.
_LIST_ITEM = re.compile(r"^(?:[-•–—*]|\d{1,3}[.)]|[a-zа-я]\))\s")


def load_gold(lang: str) -> list[list[str]]:
    """Read a gold file into a list of paragraphs, each a list of sentences."""
    paragraphs: list[list[str]] = [[]]
    for line in (DATA / f"segment_gold.{lang}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def join_sentences(sentences: list[str]) -> str:
    """Rebuild the paragraph text: sentences joined by a space, list items by a newline."""
    text = sentences[0]
    for sent in sentences[1:]:
        text += ("\n" if _LIST_ITEM.match(sent) else " ") + sent
    return text


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_gold_set_is_large_enough(lang: str) -> None:
    paragraphs = load_gold(lang)
    assert len(paragraphs) >= 40
    # Most paragraphs have an internal boundary to find; a few are single sentences.
    assert sum(len(p) > 1 for p in paragraphs) >= 40


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_gold_set_is_segmented_exactly(lang: str) -> None:
    wrong = []
    for gold in load_gold(lang):
        got = segment_paragraph(join_sentences(gold), lang)
        if got != gold:
            wrong.append((gold, got))
    assert not wrong, "\n\n".join(f"gold: {g}\ngot:  {s}" for g, s in wrong)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_gold_spans_point_into_the_paragraph(lang: str) -> None:
    for gold in load_gold(lang):
        text = join_sentences(gold)
        spans = sentence_spans(text, lang)
        assert [text[s:e] for s, e in spans] == gold
