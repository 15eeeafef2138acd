"""The ``run`` pipeline's translate stage for one release: stored segments in,
stored translations out.

MT (:func:`mlcorpus.mt.translate_segments`) takes segments and returns
translations; this module is the glue that reads the segments from the
workspace and writes the translations back.  The translation cache lives in
the workspace file too (:meth:`Workspace.translation_cache`), so a re-run
decodes only segments that are new or changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlcorpus.workspace.store import Workspace

if TYPE_CHECKING:
    from mlcorpus.glossary import Glossary
    from mlcorpus.mt import Translator


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
    from mlcorpus.mt import translate_segments

    rows = ws.segments(release_id, src_lang)
    if not rows:
        return 0
    overrides: dict[str, Any] = {"beam_size": beam_size} if beam_size else {}
    run = translate_segments(
        translator,
        [r.text for r in rows],
        cache=ws.translation_cache(),
        glossary=glossary,
        **overrides,
    )
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
    return run.translated
