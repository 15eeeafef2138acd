"""Exporting a workspace's aligned beads as a parallel corpus in any format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from mlcorpus.formats import write_units
from mlcorpus.formats.base import TranslationUnit, WriteReport
from mlcorpus.workspace.edits import corrected_beads
from mlcorpus.workspace.store import Workspace

if TYPE_CHECKING:
    from mlcorpus.formats.filters import FilterConfig, FilteredUnits

# metadata columns of TSV/CSV exports (TMX, XLIFF and JSONL carry all metadata)
EXPORT_COLUMNS = ("release", "date", "score", "origin", "src_ids", "tgt_ids")


def workspace_units(ws: Workspace) -> Iterator[TranslationUnit]:
    """One unit per non-null bead, with release id, date, score and sentence ids.

    Human corrections apply: corrected beads have the origin ``corrected``,
    beads marked as not a translation are left out."""
    for bead in corrected_beads(ws, "en"):
        if not bead["src_ids"] or not bead["tgt_ids"] or bead["excluded"]:
            continue
        yield TranslationUnit(
            bead["src_text"],
            bead["tgt_text"],
            "en",
            bead["tgt_lang"],
            meta={
                "release": bead["pair_id"],
                "date": bead["date"] or "",
                "score": round(float(bead["score"]), 4),
                "origin": bead["origin"],
                "src_ids": ",".join(map(str, bead["src_ids"])),
                "tgt_ids": ",".join(map(str, bead["tgt_ids"])),
            },
        )


def export_workspace(
    ws: Workspace, out: str | Path | None, fmt: str, *, filters: FilterConfig | None = None
) -> tuple[WriteReport, FilteredUnits | None]:
    """Write the workspace corpus to *out*; returns the write report and the
    filtered stream (whose ``report`` counts what each filter dropped), or None."""
    units: Iterator[TranslationUnit] = workspace_units(ws)
    filtered = None
    if filters is not None:
        from mlcorpus.formats.filters import apply_filters

        filtered = apply_filters(units, filters)
        units = iter(filtered)
    header = {"columns": list(EXPORT_COLUMNS)} if fmt in ("tsv", "csv") else None
    report = write_units(
        units, None if out is None else str(out), fmt, src_lang="en", tgt_lang="ru", header=header
    )
    return report, filtered
