"""Segment-level scores as CSV or JSON Lines, one record per system and segment.

Fields: system, line (1-based line number in the input files, as editors
and ``glossary check`` count), document (when document ids were given),
chrf, bleu, ter (those that were computed, sentence-level) and, with a
glossary, terms_hit and terms_missed: lists of {"source", "target"} in JSON
Lines, ``source=target`` joined by ``|`` in CSV.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from mlcorpus.metrics.scoring import ScoreReport
from mlcorpus.textio import csv_cell

SEGMENT_METRICS = ("chrf", "bleu", "ter", "chrfpp")


def segment_records(report: ScoreReport) -> Iterator[dict[str, Any]]:
    """One dict per (system, segment); systems must carry segment scores."""
    keys = [k for k in SEGMENT_METRICS if k in report.metrics]
    for system in report.systems:
        terms = system.segment_terms
        n = len(system.hypotheses)
        for i in range(n):
            rec: dict[str, Any] = {"system": system.name, "line": i + 1}
            if report.doc_ids is not None:
                rec["document"] = report.doc_ids[i]
            for k in keys:
                rec[k] = system.segments[k][i]
            if terms is not None:
                rec["terms_hit"] = [t._asdict() for t in terms[i].hit]
                rec["terms_missed"] = [t._asdict() for t in terms[i].missed]
            yield rec


def write_segments(report: ScoreReport, out: IO[str], fmt: str) -> None:
    """Write segment scores as ``csv`` (term lists joined with ``|``) or ``jsonl``."""
    records = segment_records(report)
    if fmt == "jsonl":
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return
    writer: csv.DictWriter | None = None
    for rec in records:
        row = {
            k: csv_cell(
                "|".join(f"{t['source']}={t['target']}" for t in v) if isinstance(v, list) else v
            )
            for k, v in rec.items()
        }
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
            writer.writeheader()
        writer.writerow(row)


def segments_format(path: str) -> str:
    """``jsonl`` for .jsonl/.json/.ndjson file names, else ``csv``."""
    return "jsonl" if path.lower().endswith((".jsonl", ".json", ".ndjson")) else "csv"
