"""The ``run`` pipeline's translate stage for one release: stored segments in,
stored translations out.

MT (:func:`mlcorpus.mt.translate_segments`) takes segments and returns
translations; this module is the glue that reads the segments from the
workspace and writes the translations back.  The translation cache lives in
the workspace file too (:meth:`Workspace.translation_cache`), so a re-run
decodes only segments that are new or changed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from mlcorpus.workspace.store import Workspace

if TYPE_CHECKING:
    from mlcorpus.glossary import Glossary
    from mlcorpus.mt import Translator
    from mlcorpus.mt.translate_segments import TranslationRun

#: translates blocks of segments, one run per block in order (the signature of
#: :func:`mlcorpus.mt.translate_segments.translate_blocks`; a cluster provides
#: its own, see :mod:`mlcorpus.distributed`)
TranslateBlocks = Callable[..., Iterator["TranslationRun"]]


def translate_release(
    ws: Workspace,
    translator: Translator,
    release_id: str,
    src_lang: str,
    tgt_lang: str,
    *,
    glossary: Glossary | None = None,
    beam_size: int | None = None,
) -> int:
    """Translate the stored segments of one release and store the results
    (replacing the release's earlier translations whole).  Returns how many
    segments the model decoded (0 when the cache knew them all)."""
    done = translate_releases(
        ws, translator, [release_id], src_lang, tgt_lang, glossary=glossary, beam_size=beam_size
    )
    return sum(n for _, n in done)


def translate_releases(
    ws: Workspace,
    translator: Translator,
    release_ids: Iterable[str],
    src_lang: str,
    tgt_lang: str,
    *,
    glossary: Glossary | None = None,
    beam_size: int | None = None,
    translate_blocks: TranslateBlocks | None = None,
) -> Iterator[tuple[str, int]]:
    """Translate many releases, each one block (so batches, and results, are
    those of :func:`translate_release`), storing each as soon as it is done;
    yields ``(release id, segments decoded)``.  *translate_blocks* runs the
    blocks elsewhere, e.g. on a Ray cluster."""
    if translate_blocks is None:
        from mlcorpus.mt.translate_segments import translate_blocks as local

        translate_blocks = local
    overrides: dict[str, Any] = {"beam_size": beam_size} if beam_size else {}
    pending: deque[tuple[str, list]] = deque()

    def segment_blocks() -> Iterator[list[str]]:
        for release_id in release_ids:
            rows = ws.segments(release_id, src_lang)
            pending.append((release_id, rows))
            yield [r.text for r in rows]

    runs = translate_blocks(
        translator,
        segment_blocks(),
        cache=ws.translation_cache(),
        glossary=glossary,
        **overrides,
    )
    for run in runs:
        release_id, rows = pending.popleft()
        if rows:
            ws.store_translations(
                release_id,
                src_lang,
                tgt_lang,
                run.model,
                run.glossary_version,
                [
                    (row.idx, row.text, res.text, res.raw_text, res.term_report or {})
                    for row, res in zip(rows, run.results, strict=True)
                ],
            )
        yield release_id, run.translated
