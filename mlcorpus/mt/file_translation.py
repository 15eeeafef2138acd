"""Translate a file: read it as units, translate them block by block through
the cache, and write each unit as soon as its translations arrive.

A unit is a paragraph of sentences (a document) or one line (a segmented
corpus).  The translations stream out of the block translator in input
order; :func:`regroup` puts them back into units, so the writers never hold
more than one unit.  The block translator is a parameter: the single-machine
:func:`~mlcorpus.mt.translate_segments.translate_blocks` or a Ray pool
(``mlcorpus.distributed``) give the same output.
"""

from __future__ import annotations

import itertools
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlcorpus.mt.translate_segments import (
    STREAM_BLOCK,
    TranslationRun,
    blocks,
    stream_results,
    translate_blocks,
)

if TYPE_CHECKING:
    from mlcorpus.mt.cache import TranslationCache
    from mlcorpus.mt.engine import Translator
    from mlcorpus.mt.translate_segments import SegmentTranslation

#: formats written as translation units for CAT tools (one per sentence)
EXCHANGE_FORMATS = ("xliff", "xliff-omegat", "tmx")
#: formats written line by line here
TEXT_FORMATS = ("text", "tsv", "jsonl")


def read_units(file: str, src: str, segmented: bool) -> Iterator[list[str]]:
    """*file* (``-`` for stdin) as a stream of units: a one-sentence-per-line
    file is streamed line by line, a document is read whole and segmented."""
    from mlcorpus.release import read_document
    from mlcorpus.textio import iter_lines

    if segmented:
        return ([line] for line in iter_lines(file))
    return paragraphs(read_document(file, src).sentences())


def paragraphs(sentences: Iterable[Any]) -> Iterator[list[str]]:
    """Sentences grouped into their paragraphs (a new one at sentence index 0)."""
    unit: list[str] = []
    for sent in sentences:
        if sent.index == 0 and unit:
            yield unit
            unit = []
        unit.append(sent.text)
    if unit:
        yield unit


def regroup(results: Iterator[Any], sizes: deque[int]) -> Iterator[list[Any]]:
    """Regroup the stream of results into units: *sizes* fills up as the
    stream reads its input, so each unit is complete when it is yielded."""
    for first in results:
        while (size := sizes.popleft()) == 0:
            yield []
        yield [first, *itertools.islice(results, size - 1)]
    while sizes:
        sizes.popleft()
        yield []


def where(unit: int, sentence: int, segmented: bool) -> str:
    """Where people find a segment: 1-based line, or paragraph and sentence."""
    return f"line {unit + 1}" if segmented else f"paragraph {unit + 1}, sentence {sentence + 1}"


def noting_misses(
    units: Iterable[list[Any]], segmented: bool, misses: list[str]
) -> Iterator[list[Any]]:
    """Pass *units* on, noting in *misses* each glossary term a translation
    still lacks (text and TSV have no room for the term report)."""
    for p_idx, done in enumerate(units):
        for s_idx, d in enumerate(done):
            for miss in (d.term_report or {}).get("misses", []):
                misses.append(
                    f"term missing: {where(p_idx, s_idx, segmented)}: "
                    f"{miss['source']} -> {miss['target']}"
                )
        yield done


def clean(text: str) -> str:
    """One line: runs of whitespace (newlines included) become one space."""
    return " ".join(text.split())


@dataclass
class OutputSpec:
    """How to write a file's translations."""

    fmt: str  # text | tsv | jsonl | xliff | xliff-omegat | tmx
    output: str | None  # path, or None/"-" for stdout
    src: str
    tgt: str
    segmented: bool
    model: str = ""  # "name version" of the package (XLIFF/TMX provenance)
    glossary: Any = None


def write_translations(units: Iterable[list[SegmentTranslation]], spec: OutputSpec) -> None:
    """Write translated units in *spec*'s format, each as soon as it arrives."""
    if spec.fmt in EXCHANGE_FORMATS:
        _write_exchange(units, spec)
    elif spec.fmt in TEXT_FORMATS:
        _write_text(units, spec)
    else:
        raise ValueError(f"unknown output format {spec.fmt!r}")


def _write_exchange(units: Iterable[list[SegmentTranslation]], spec: OutputSpec) -> None:
    """XLIFF or TMX units, one per sentence, for post-editing."""
    from mlcorpus.formats import write_units
    from mlcorpus.formats.base import machine_translation_unit

    version = "" if spec.glossary is None else str(spec.glossary.version)

    def mt_units() -> Iterator[Any]:
        for p_idx, done in enumerate(units):
            for s_idx, d in enumerate(done):
                if not d.source.strip():
                    continue
                yield machine_translation_unit(
                    d.source,
                    clean(d.text),
                    spec.src,
                    spec.tgt,
                    model=spec.model,
                    glossary_version=version,
                    term_report=d.term_report,
                    tuid=f"{p_idx + 1}.{s_idx + 1}",
                )

    write_units(mt_units(), spec.output, spec.fmt, src_lang=spec.src, tgt_lang=spec.tgt)


def _write_text(units: Iterable[list[SegmentTranslation]], spec: OutputSpec) -> None:
    """Text (a line per line, or a paragraph per paragraph), TSV or JSON Lines."""
    from mlcorpus.textio import open_output

    with open_output(spec.output) as out:
        for p_idx, done in enumerate(units):
            if spec.fmt == "text":
                if spec.segmented:
                    out.write(clean(done[0].text) if done[0].source.strip() else "")
                    out.write("\n")
                else:
                    out.write(
                        ("\n" if p_idx else "") + " ".join(clean(d.text) for d in done) + "\n"
                    )
            elif spec.fmt == "tsv":
                for d in done:
                    out.write(f"{clean(d.source)}\t{clean(d.text)}\n")
            else:
                for s_idx, d in enumerate(done):
                    record: dict[str, Any] = (
                        {"line": p_idx + 1}
                        if spec.segmented
                        else {"paragraph": p_idx, "index": s_idx}
                    )
                    record.update(
                        src=d.source,
                        tgt=d.text,
                        src_lang=spec.src,
                        tgt_lang=spec.tgt,
                        cached=d.cached,
                    )
                    if spec.glossary is not None:
                        record.update(raw=d.raw_text, term_report=d.term_report)
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")


@dataclass
class FileTranslation:
    """What a file translation did: segments read, what the cache saved,
    and the glossary terms still missing (for formats without a term report)."""

    segments: int = 0
    stats: TranslationRun = field(default_factory=TranslationRun)
    misses: list[str] = field(default_factory=list)

    def report_lines(self, model: str) -> list[str]:
        """The missing terms, then one summary line (what ``translate`` prints to stderr)."""
        from mlcorpus.wording import plural

        lines = list(self.misses)
        if self.misses:
            lines.append(
                f"{plural(len(self.misses), 'glossary term')} missing from the translation"
            )
        stats = self.stats
        lines.append(
            f"{plural(self.segments, 'segment')} ({stats.unique} distinct): "
            f"{stats.cache_hits} from the cache, {stats.translated} translated by {model}"
        )
        return lines


#: a block translator: translator and blocks of segments in, one run per block out
BlockTranslator = Callable[..., Iterator[TranslationRun]]


def translate_units(
    translator: Translator,
    units: Iterable[list[str]],
    spec: OutputSpec,
    *,
    cache: TranslationCache | None = None,
    block_size: int = STREAM_BLOCK,
    run_blocks: BlockTranslator = translate_blocks,
    on_block: Callable[[int], None] | None = None,
) -> FileTranslation:
    """Translate *units* with *translator* in blocks of *block_size*
    segments (cached in *cache*) and write them as *spec* says, in input
    order, as they arrive.  *on_block* hears each block's length (a progress
    bar)."""
    done = FileTranslation()
    sizes: deque[int] = deque()

    def segments() -> Iterator[str]:
        for unit in units:
            sizes.append(len(unit))
            done.segments += len(unit)
            yield from unit

    runs = run_blocks(
        translator, blocks(segments(), block_size), cache=cache, glossary=spec.glossary
    )
    translated = regroup(stream_results(runs, done.stats, on_block), sizes)
    if spec.glossary is not None and spec.fmt in ("text", "tsv"):
        translated = noting_misses(translated, spec.segmented, done.misses)
    write_translations(translated, spec)
    return done
