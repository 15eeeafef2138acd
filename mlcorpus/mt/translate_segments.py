"""Translate segments through the cache, with optional glossary enforcement.

This is the one place that decides what a translation run does: look every
unique segment up in the translation cache, translate only the misses (n-best
lists when a glossary must be enforced, so the glossary can pick the
candidate that already uses its terms), enforce the glossary, store the new
results, and hand back one result per input segment in input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlcorpus.mt.cache import CachedTranslation, TranslationCache

if TYPE_CHECKING:
    from mlcorpus.mt.engine import ProgressWrapper, Translator

#: n-best candidates requested per segment when a glossary is enforced
GLOSSARY_NBEST = 4


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
    unique = list(dict.fromkeys(s for s in segments if s.strip()))
    n = max(1, nbest) if glossary is not None else 1
    model, options = translator.model_id, translator.options_key(n, overrides)
    version = str(glossary.version) if glossary is not None else ""
    known = cache.get_many(model, options, version, unique) if cache is not None else {}
    todo = [s for s in unique if s not in known]
    fresh: dict[str, CachedTranslation] = {}
    if todo and glossary is not None:
        from mlcorpus.glossary.enforce import enforce_translations

        candidates = translator.translate_nbest(todo, n, progress=progress, **overrides)
        enforced = enforce_translations(
            glossary, translator.package.from_code, translator.package.to_code, todo, candidates
        )
        fresh = {
            s: CachedTranslation(e.text, e.raw_text, e.term_report)
            for s, e in zip(todo, enforced, strict=True)
        }
    elif todo:
        texts = translator.translate(todo, progress=progress, **overrides)
        fresh = {s: CachedTranslation(t, t) for s, t in zip(todo, texts, strict=True)}
    if cache is not None and fresh:
        cache.put_many(model, options, version, fresh.items())
    run = TranslationRun(
        unique=len(unique),
        cache_hits=len(known),
        translated=len(todo),
        model=model,
        glossary_version=version,
    )
    for source in segments:
        if not source.strip():
            run.results.append(SegmentTranslation(source, source, source))
            continue
        hit = source in known
        done = known[source] if hit else fresh[source]
        run.results.append(
            SegmentTranslation(source, done.text, done.raw_text, done.term_report, cached=hit)
        )
    return run


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
