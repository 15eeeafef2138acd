"""Helpers to drive Argos Translate's own translation path offline."""

from __future__ import annotations


class WholeTextSentencizer:
    """A sentence splitter that returns its input as one sentence.

    Argos's splitters (MiniSBD, stanza, spaCy) download their models on first
    use, which fails offline; the texts given here are single sentences
    already, so nothing is lost by not splitting them.
    """

    def split_sentences(self, text: str) -> list[str]:
        return [text]
