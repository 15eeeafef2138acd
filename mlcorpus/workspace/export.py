"""Exporting a workspace's aligned beads as a parallel corpus in any format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from mlcorpus.formats import write_units
from mlcorpus.formats.base import TranslationUnit, WriteReport
from mlcorpus.workspace.edits import iter_corrected_beads
from mlcorpus.workspace.store import Workspace

if TYPE_CHECKING:
    from mlcorpus.formats.filters import FilterConfig, FilteredUnits

# metadata columns of TSV/CSV exports (TMX, XLIFF and JSONL carry all metadata)
EXPORT_COLUMNS = ("release", "date", "score", "origin", "src_ids", "tgt_ids")
#: what an export does with the machine translations of the workspace
MT_CHOICES = ("none", "beside", "instead")


def _bead_mt(mt: dict[int, dict], src_ids: list[int]) -> dict | None:
    """The machine translation of a bead's source sentences, joined, or None
    when any of them was not translated."""
    rows = [mt.get(i) for i in src_ids]
    if not rows or any(r is None for r in rows):
        return None
    report: dict[str, list] = {"hits": [], "fixed": [], "misses": []}
    for row in rows:
        for key in report:
            report[key] += (row or {}).get("term_report", {}).get(key, [])
    first = rows[0] or {}
    return {
        "text": " ".join((r or {})["text"] for r in rows),
        "model": first.get("model", ""),
        "glossary_version": first.get("glossary_version", ""),
        "term_report": report,
    }


def workspace_units(
    ws: Workspace, mt: str = "none", src_lang: str = "en", tgt_lang: str = "ru"
) -> Iterator[TranslationUnit]:
    """One unit per non-null bead, with release id, date, score and sentence ids,
    *src_lang* on the source side.

    *mt* ``beside`` adds the *src_lang* -> *tgt_lang* machine translation of the
    bead as ``meta["mt"]`` (XLIFF: an ``<alt-trans>``, TMX: a prop, TSV/CSV:
    a column); ``instead`` makes it the target, for post-editing (origin
    ``mt``: XLIFF ``needs-review-translation``, glossary term hits and misses
    as notes), leaving out beads whose sentences were not translated.

    Human corrections apply: corrected beads have the origin ``corrected``,
    beads marked as not a translation are left out.
    """
    from mlcorpus.formats.base import machine_translation_unit

    if mt not in MT_CHOICES:
        raise ValueError(f"mt must be one of {MT_CHOICES}, not {mt!r}")
    release_ids = {(r["pair_id"], r["lang"]): r["id"] for r in ws.releases()}
    cache: dict[str, dict[int, dict]] = {}
    for bead in iter_corrected_beads(ws, src_lang, tgt_lang):
        if not bead["src_ids"] or not bead["tgt_ids"] or bead["excluded"]:
            continue
        meta: dict = {
            "release": bead["pair_id"],
            "date": bead["date"] or "",
            "score": round(float(bead["score"]), 4),
            "origin": bead["origin"],
            "src_ids": ",".join(map(str, bead["src_ids"])),
            "tgt_ids": ",".join(map(str, bead["tgt_ids"])),
        }
        machine = None
        if mt != "none":
            pair = bead["pair_id"]
            if pair not in cache:
                release_id = release_ids.get((pair, src_lang))
                cache.clear()  # beads come release by release: keep one in memory
                cache[pair] = ws.translations(release_id, src_lang, tgt_lang) if release_id else {}
            machine = _bead_mt(cache[pair], bead["src_ids"])
        if mt == "instead":
            if machine is None:
                continue
            unit = machine_translation_unit(
                bead["src_text"],
                machine["text"],
                src_lang,
                tgt_lang,
                model=machine["model"],
                glossary_version=machine["glossary_version"],
                term_report=machine["term_report"],
            )
            unit.meta = {**meta, **unit.meta}
            yield unit
            continue
        if machine is not None:
            meta["mt"] = machine["text"]
        yield TranslationUnit(bead["src_text"], bead["tgt_text"], src_lang, tgt_lang, meta)


def export_workspace(
    ws: Workspace,
    out: str | Path | None,
    fmt: str,
    *,
    filters: FilterConfig | None = None,
    mt: str = "none",
    src_lang: str = "en",
    tgt_lang: str = "ru",
) -> tuple[WriteReport, FilteredUnits | None]:
    """Write the workspace corpus (*src_lang* -> *tgt_lang*) to *out*; returns the
    write report and the filtered stream (whose ``report`` counts what each
    filter dropped), or None.  *mt*: see :func:`workspace_units`."""
    units: Iterator[TranslationUnit] = workspace_units(ws, mt, src_lang, tgt_lang)
    filtered = None
    if filters is not None:
        from mlcorpus.formats.filters import apply_filters

        filtered = apply_filters(units, filters)
        units = iter(filtered)
    columns = list(EXPORT_COLUMNS) + (["mt"] if mt == "beside" else [])
    header = {"columns": columns} if fmt in ("tsv", "csv") else None
    report = write_units(
        units,
        None if out is None else str(out),
        fmt,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        header=header,
    )
    return report, filtered
