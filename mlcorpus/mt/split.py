"""Split segments that are longer than a model accepts, so nothing is truncated.

A Transformer trained on sentences degrades (or stops) on inputs much longer
than it saw; CTranslate2 would also cut the decoding short.  Such a segment is
cut at the most natural point available -- a sentence end, then a clause
boundary (; :), then a comma, then any space, and only for a run without
spaces, inside a word -- as close to the middle as possible, recursively,
until every piece fits.  The pieces' translations are joined back with the
separator that stood between them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mlcorpus.segment import SUPPORTED_LANGS, sentence_spans

_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u00bb\u201d)]*\s+")
_CLAUSE = re.compile(r"[;:]\s+")
_COMMA = re.compile(r"[,\u060c]\s+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Piece:
    """A piece of an over-long segment and what joined it to the previous one."""

    text: str
    joiner: str  # "" for the first piece or a cut inside a word, else " "


def _cut_points(text: str, lang: str) -> list[list[int]]:
    """Candidate cut offsets by preference; a cut at i splits text[:i] | text[i:]."""
    if lang in SUPPORTED_LANGS:
        sentences = [start for start, _ in sentence_spans(text, lang)][1:]
    else:  # a package for another language: plain end-of-sentence punctuation
        sentences = [m.end() for m in _SENTENCE_END.finditer(text)]
    return [
        sentences,
        *([m.end() for m in rx.finditer(text)] for rx in (_CLAUSE, _COMMA)),
        [m.start() for m in _SPACE.finditer(text)],
    ]


def split_long(text: str, count_tokens: Callable[[str], int], limit: int, lang: str) -> list[Piece]:
    """Cut *text* into pieces of at most *limit* tokens (as counted by
    *count_tokens*); a text that fits comes back as one piece."""
    if limit < 1:
        raise ValueError("limit must be positive")
    return _split(text.strip(), count_tokens, limit, lang, "")


def _split(
    text: str, count_tokens: Callable[[str], int], limit: int, lang: str, joiner: str
) -> list[Piece]:
    if len(text) <= 1 or count_tokens(text) <= limit:
        return [Piece(text, joiner)]
    middle = len(text) / 2
    for points in _cut_points(text, lang):
        inner = [p for p in points if 0 < p < len(text) and text[:p].strip() and text[p:].strip()]
        if inner:
            cut = min(inner, key=lambda p: abs(p - middle))
            left, right = text[:cut].rstrip(), text[cut:].lstrip()
            return _split(left, count_tokens, limit, lang, joiner) + _split(
                right, count_tokens, limit, lang, " "
            )
    cut = int(middle)  # one long run without spaces: cut inside it
    return _split(text[:cut], count_tokens, limit, lang, joiner) + _split(
        text[cut:], count_tokens, limit, lang, ""
    )


def join_pieces(pieces: list[Piece], translations: list[str]) -> str:
    """Rejoin translated pieces with the separators of their sources."""
    out: list[str] = []
    for piece, translated in zip(pieces, translations, strict=True):
        out.append((piece.joiner if out else "") + translated.strip())
    return "".join(out)
