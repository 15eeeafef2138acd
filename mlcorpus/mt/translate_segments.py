"""Translate segments through the cache, with optional glossary enforcement.

This is the one place that decides what a translation run does: look every
unique segment up in the translation cache, translate only the misses (n-best
lists when a glossary must be enforced, so the glossary can pick the
candidate that already uses its terms), enforce the glossary, store the new
results, and hand back one result per input segment in input order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from mlcorpus.mt.cache import CachedTranslation, TranslationCache

if TYPE_CHECKING:
    from mlcorpus.mt.engine import ProgressWrapper, Translator

#: n-best candidates requested per segment when a glossary is enforced
GLOSSARY_NBEST = 4

T = TypeVar("T")


@dataclass(frozen=True)
class SegmentTranslation:
    """The translation of one input segment."""

    source: str
    text: str
    raw_text: str
    term_report: dict[str, Any] | None = None
    cached: bool = False


@dataclass
class TranslationRun:
    """Results in input order, what the cache saved, and what produced them
    (``model`` and ``glossary_version``: what a store records with each row)."""

    results: list[SegmentTranslation] = field(default_factory=list)
    unique: int = 0  # distinct non-blank segments
    cache_hits: int = 0  # of those, served from the cache
    translated: int = 0  # of those, sent to the model
    model: str = ""  # Translator.model_id
    glossary_version: str = ""  # "" without a glossary

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.results]

    def add(self, other: TranslationRun) -> None:
        """Add *other*'s counts (not its results) to these: totals of a stream."""
        self.unique += other.unique
        self.cache_hits += other.cache_hits
        self.translated += other.translated
        self.model, self.glossary_version = other.model, other.glossary_version


def _glossary_version(glossary: Any) -> str:
    return str(glossary.version) if glossary is not None else ""


def translate_misses(
    translator: Translator,
    todo: Sequence[str],
    *,
    glossary: Any = None,
    nbest: int = GLOSSARY_NBEST,
    progress: ProgressWrapper | None = None,
    **overrides: Any,
) -> list[CachedTranslation]:
    """Translate unique segments that the cache did not have, one result each.

    This is the unit of work wherever translation happens (this process or a
    worker of a cluster): the same *todo* list gives the same batches, hence
    byte-identical results.  With a *glossary*, *nbest* candidates are
    decoded and ``enforce_translations`` chooses and fixes them.
    """
    if not todo:
        return []
    if glossary is not None:
        from mlcorpus.glossary.enforce import enforce_translations

        candidates = translator.translate_nbest(todo, max(1, nbest), progress=progress, **overrides)
        enforced = enforce_translations(
            glossary, translator.package.from_code, translator.package.to_code, todo, candidates
        )
        return [CachedTranslation(e.text, e.raw_text, e.term_report) for e in enforced]
    texts = translator.translate(todo, progress=progress, **overrides)
    return [CachedTranslation(t, t) for t in texts]


@dataclass(frozen=True)
class CacheKey:
    """What, besides the source text, decides a translation (the cache key)."""

    model: str
    options: str
    glossary_version: str

    @classmethod
    def of(
        cls, translator: Translator, glossary: Any, nbest: int, overrides: dict[str, Any]
    ) -> CacheKey:
        n = max(1, nbest) if glossary is not None else 1
        return cls(
            translator.model_id, translator.options_key(n, overrides), _glossary_version(glossary)
        )


@dataclass
class PendingBlock:
    """One block of input: its segments, what the cache knew, what is left to do."""

    segments: list[str]
    unique: list[str]
    known: dict[str, CachedTranslation]
    todo: list[str]

    def finish(
        self, fresh: Sequence[CachedTranslation], cache: TranslationCache | None, key: CacheKey
    ) -> TranslationRun:
        """Store *fresh* (one per ``todo``) and give the block's results in order."""
        done = dict(zip(self.todo, fresh, strict=True))
        if cache is not None and done:
            cache.put_many(key.model, key.options, key.glossary_version, done.items())
        run = TranslationRun(
            unique=len(self.unique),
            cache_hits=len(self.known),
            translated=len(self.todo),
            model=key.model,
            glossary_version=key.glossary_version,
        )
        for source in self.segments:
            if not source.strip():
                run.results.append(SegmentTranslation(source, source, source))
                continue
            hit = source in self.known
            got = self.known[source] if hit else done[source]
            run.results.append(
                SegmentTranslation(source, got.text, got.raw_text, got.term_report, cached=hit)
            )
        return run


def open_block(segments: list[str], cache: TranslationCache | None, key: CacheKey) -> PendingBlock:
    """Look a block of segments up in the cache; what is missing is ``todo``."""
    unique = list(dict.fromkeys(s for s in segments if s.strip()))
    known = (
        cache.get_many(key.model, key.options, key.glossary_version, unique)
        if cache is not None
        else {}
    )
    return PendingBlock(segments, unique, known, [s for s in unique if s not in known])


def translate_segments(
    translator: Translator,
    segments: Sequence[str],
    *,
    cache: TranslationCache | None = None,
    glossary: Any = None,
    nbest: int = GLOSSARY_NBEST,
    progress: ProgressWrapper | None = None,
    **overrides: Any,
) -> TranslationRun:
    """Translate *segments* with *translator*, reusing and filling *cache*.

    With a *glossary* (``mlcorpus.glossary.Glossary``), *nbest* candidates are
    decoded per segment and ``enforce_translations`` chooses and fixes them;
    the glossary version is part of the cache key.  Keyword arguments
    override decoding options (e.g. ``beam_size``).
    """
    runs = translate_blocks(
        translator,
        [list(segments)],
        cache=cache,
        glossary=glossary,
        nbest=nbest,
        progress=progress,
        **overrides,
    )
    return next(runs)


#: segments read, looked up and translated together when streaming: large
#: enough for length-sorted batches to fill well, small enough that memory is flat
STREAM_BLOCK = 2000


def blocks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """*items* in lists of *size* (the last one shorter)."""
    if size < 1:
        raise ValueError("block size must be positive")
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def translate_blocks(
    translator: Translator,
    segment_blocks: Iterable[list[str]],
    *,
    cache: TranslationCache | None = None,
    glossary: Any = None,
    nbest: int = GLOSSARY_NBEST,
    progress: ProgressWrapper | None = None,
    **overrides: Any,
) -> Iterator[TranslationRun]:
    """Translate blocks of segments one after the other: one
    :class:`TranslationRun` per block, in order, each committed to *cache*
    before it is yielded.  A block is the unit of batching, so the same blocks
    give the same output wherever they are translated (see
    :mod:`mlcorpus.distributed`)."""
    key = CacheKey.of(translator, glossary, nbest, overrides)
    for chunk in segment_blocks:
        block = open_block(chunk, cache, key)
        fresh = translate_misses(
            translator, block.todo, glossary=glossary, nbest=nbest, progress=progress, **overrides
        )
        yield block.finish(fresh, cache, key)


def stream_results(
    runs: Iterable[TranslationRun],
    stats: TranslationRun | None = None,
    on_block: Callable[[int], None] | None = None,
) -> Iterator[SegmentTranslation]:
    """The results of block runs one by one; counts go to *stats*, and
    *on_block* hears each block's length (a progress bar)."""
    for run in runs:
        if stats is not None:
            stats.add(run)
        if on_block is not None:
            on_block(len(run.results))
        yield from run.results


def translate_stream(
    translator: Translator,
    segments: Iterable[str],
    *,
    cache: TranslationCache | None = None,
    glossary: Any = None,
    nbest: int = GLOSSARY_NBEST,
    block_size: int = STREAM_BLOCK,
    stats: TranslationRun | None = None,
    on_block: Callable[[int], None] | None = None,
    **overrides: Any,
) -> Iterator[SegmentTranslation]:
    """Translate an iterable of segments block by block, yielding results in
    input order as each block is done.

    Memory holds one block, however long the input.  Every block is committed
    to *cache* before its results are yielded, so a run that is killed and
    started again translates only the blocks it had not finished.  Counts are
    added to *stats*; *on_block* is called with each block's length.
    """
    runs = translate_blocks(
        translator,
        blocks(segments, block_size),
        cache=cache,
        glossary=glossary,
        nbest=nbest,
        **overrides,
    )
    return stream_results(runs, stats, on_block)


class CachedTranslator:
    """A Translator seen through the translation cache, so that aligning the
    same release again (or translating it later) does not redo the MT; it
    has the ``translate(list[str]) -> list[str]`` the aligner's MT evidence takes."""

    def __init__(self, translator: Translator, cache_path: str | None = None) -> None:
        self.translator = translator
        self.cache_path = cache_path

    def translate(self, segments: Sequence[str]) -> list[str]:
        from mlcorpus.mt.cache import default_cache_path

        with TranslationCache(self.cache_path or default_cache_path()) as cache:
            return translate_segments(self.translator, segments, cache=cache).texts
