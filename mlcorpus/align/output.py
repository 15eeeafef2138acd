"""Reading the two sides for ``mlcorpus align`` and writing the beads.

Kept apart from the aligner so that the algorithm knows nothing about files
and formats.  jsonl is written here (it is alignment-specific: line numbers
and scores of every bead); TSV, TMX and Moses go through
:func:`mlcorpus.formats.write_units` like every other export.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlcorpus.align.beads import Bead
from mlcorpus.errors import InputError, MlcorpusError


@dataclass
class Side:
    """One input of the aligner: its sentences and their paragraph numbers."""

    path: str
    lang: str
    sentences: list[str]
    paragraphs: list[int]


def read_side(path: str, lang: str | None, segmented: bool) -> Side:
    """Sentences of a release file, or of a one-sentence-per-line file."""
    from mlcorpus.alphabet import detect_lang
    from mlcorpus.release import read_release
    from mlcorpus.textio import read_lines

    if segmented:
        lines = read_lines(path)
        sentences: list[str] = []
        paragraphs: list[int] = []
        para = 0
        for line in lines:
            if line.strip():
                sentences.append(line.strip())
                paragraphs.append(para)
            elif sentences and paragraphs[-1] == para:
                para += 1
        if not sentences:
            raise InputError(f"{path}: no sentences found")
        return Side(path, lang or detect_lang(" ".join(sentences[:200])), sentences, paragraphs)
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


def kept_beads(beads: Sequence[Bead], min_score: float | None) -> Iterator[Bead]:
    """Beads at or above *min_score* (all of them when it is None)."""
    for bead in beads:
        if min_score is None or bead.score >= min_score:
            yield bead


def write_alignment(
    beads: Sequence[Bead],
    src: Side,
    tgt: Side,
    output: str | None,
    fmt: str,
    *,
    min_score: float | None = None,
) -> None:
    """Write *beads* as jsonl (every bead) or as sentence pairs (tsv/tmx/moses)."""
    if fmt == "jsonl":
        from mlcorpus.textio import open_output

        with open_output(output) as out:
            for bead in kept_beads(beads, min_score):
                record = bead.to_dict()
                record["src_text"] = " ".join(src.sentences[i] for i in bead.src)
                record["tgt_text"] = " ".join(tgt.sentences[j] for j in bead.tgt)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from mlcorpus.formats import write_units
    from mlcorpus.formats.base import TranslationUnit

    def units() -> Iterator[TranslationUnit]:
        for bead in kept_beads(beads, min_score):
            if bead.is_null:
                continue
            yield TranslationUnit(
                src=" ".join(src.sentences[i] for i in bead.src),
                tgt=" ".join(tgt.sentences[j] for j in bead.tgt),
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
