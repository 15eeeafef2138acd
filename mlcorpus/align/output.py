"""Reading the two sides for ``mlcorpus align`` and writing the beads.

Kept apart from the aligner so that the algorithm knows nothing about files
and formats.  jsonl is written here (it is alignment-specific: line numbers
and scores of every bead); TSV, TMX and Moses go through
:func:`mlcorpus.formats.write_units` like every other export.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlcorpus.align.stream import AlignedBead
from mlcorpus.errors import InputError, MlcorpusError


@dataclass
class Side:
    """One input of the aligner: its sentences and their paragraph numbers."""

    path: str
    lang: str
    sentences: list[str]
    paragraphs: list[int]

    @property
    def items(self) -> Iterator[tuple[str, int]]:
        """``(sentence, paragraph number)`` pairs, as :func:`align_stream` reads them."""
        return zip(self.sentences, self.paragraphs, strict=True)


@dataclass
class StreamedSide:
    """One input of the aligner read lazily: ``(sentence, paragraph)`` pairs."""

    path: str
    lang: str
    items: Iterator[tuple[str, int]]


def segmented_sentences(path: str) -> Iterator[tuple[str, int]]:
    """The non-blank lines of a one-sentence-per-line file with their paragraph
    numbers (blank lines separate paragraphs), read one line at a time."""
    from mlcorpus.textio import iter_lines

    para = 0
    in_paragraph = seen = False
    for line in iter_lines(path):
        if line.strip():
            yield line.strip(), para
            in_paragraph = seen = True
        elif in_paragraph:
            para += 1
            in_paragraph = False
    if not seen:
        raise InputError(f"{path}: no sentences found")


def stream_side(path: str, lang: str | None) -> StreamedSide:
    """A one-sentence-per-line input, streamed; the language (unless given) is
    detected from its first 200 sentences."""
    from mlcorpus.alphabet import detect_lang

    items = segmented_sentences(path)
    head = list(itertools.islice(items, 200))
    lang = lang or detect_lang(" ".join(s for s, _ in head))
    return StreamedSide(path, lang, itertools.chain(head, items))


def read_side(path: str, lang: str | None, segmented: bool) -> Side:
    """Sentences of a release file, or of a one-sentence-per-line file."""
    from mlcorpus.release import read_release

    if segmented:
        side = stream_side(path, lang)
        pairs = list(side.items)
        return Side(path, side.lang, [s for s, _ in pairs], [p for _, p in pairs])
    release = read_release(path, lang=lang)
    found = release.sentences()
    if not found:
        raise InputError(f"{path}: no sentences found")
    return Side(path, release.lang, [s.text for s in found], [s.paragraph for s in found])


def load_translator(src_lang: str, tgt_lang: str, model: str | None) -> Any:
    """The installed MT model for the pair, or a clear error if there is none."""
    try:
        from mlcorpus.mt import Translator
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MlcorpusError(f"--mt needs the machine-translation module ({exc})") from None
    try:
        translator = Translator.from_installed(src_lang, tgt_lang, model)
    except MlcorpusError as exc:
        raise MlcorpusError(
            f"--mt needs an installed {src_lang}->{tgt_lang} model ({exc}); install one with "
            f"'mlcorpus models install' or align without --mt"
        ) from None
    return CachedTranslator(translator)


class CachedTranslator:
    """A Translator seen through the translation cache, so that aligning the
    same release again (or translating it later) does not redo the MT."""

    def __init__(self, translator: Any) -> None:
        self.translator = translator

    def translate(self, segments: Sequence[str]) -> list[str]:
        from mlcorpus.mt.cache import TranslationCache, default_cache_path
        from mlcorpus.mt.translate_segments import translate_segments

        with TranslationCache(default_cache_path()) as cache:
            return translate_segments(self.translator, segments, cache=cache).texts


def write_alignment(
    aligned: Iterable[AlignedBead],
    src: Side | StreamedSide,
    tgt: Side | StreamedSide,
    output: str | None,
    fmt: str,
    *,
    min_score: float | None = None,
) -> None:
    """Write beads (each with its sentences) as they come: jsonl (every bead)
    or sentence pairs (tsv/tmx/moses)."""
    kept = (a for a in aligned if min_score is None or a[0].score >= min_score)
    if fmt == "jsonl":
        from mlcorpus.textio import open_output

        with open_output(output) as out:
            for bead, src_sents, tgt_sents in kept:
                record = bead.to_dict()
                record["src_text"] = " ".join(src_sents)
                record["tgt_text"] = " ".join(tgt_sents)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from mlcorpus.formats import write_units
    from mlcorpus.formats.base import TranslationUnit

    def units() -> Iterator[TranslationUnit]:
        for bead, src_sents, tgt_sents in kept:
            if bead.is_null:
                continue
            yield TranslationUnit(
                src=" ".join(src_sents),
                tgt=" ".join(tgt_sents),
                src_lang=src.lang,
                tgt_lang=tgt.lang,
                meta={
                    "score": round(bead.score, 4),
                    "src_ids": ",".join(map(str, bead.src)),
                    "tgt_ids": ",".join(map(str, bead.tgt)),
                    "src_file": Path(src.path).name,
                    "tgt_file": Path(tgt.path).name,
                },
            )

    write_units(units(), output, fmt, src_lang=src.lang, tgt_lang=tgt.lang)
