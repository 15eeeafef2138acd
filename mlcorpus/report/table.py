"""The metric table shared by the text, Markdown, CSV and HTML views.

One row per system, one column per metric (plus term accuracy when a glossary
was used).  With a paired test, each cell also shows the bootstrap mean, the
95% confidence interval and the p-value against the baseline.
"""

from __future__ import annotations

import io

from mlcorpus.metrics.scoring import PairedResult, ScoreReport, SystemScores, metric_title
from mlcorpus.metrics.terms import TERM_ACCURACY
from mlcorpus.textio import csv_writer

SIGNIFICANCE = 0.05


def headers(report: ScoreReport) -> list[str]:
    """Column titles: System, the metrics, then Terms when measured."""
    cols = ["System"] + [report.titles[k] for k in report.metrics]
    if any(s.terms is not None for s in report.systems):
        cols.append(metric_title(TERM_ACCURACY))
    return cols


def paired_text(result: PairedResult, width: int) -> str:
    """``(μ 30.75 ± 0.90) p=0.0010*``: bootstrap mean, CI, p-value, star if significant."""
    parts = []
    if result.mean is not None and result.ci is not None:
        parts.append(f"(μ {result.mean:.{width}f} ± {result.ci:.{width}f})")
    if result.p_value is not None:
        star = "*" if result.p_value < SIGNIFICANCE else ""
        parts.append(f"p={result.p_value:.4f}{star}")
    return " ".join(parts)


def term_text(system: SystemScores, width: int) -> str:
    if system.terms is None:
        return ""
    t = system.terms
    if t.accuracy is None:
        return "n/a (0 terms)"
    return f"{100 * t.accuracy:.{width}f}% ({t.hits}/{t.total})"


def score_cell(report: ScoreReport, system: SystemScores, key: str, width: int) -> str:
    cell = f"{system.scores[key]:.{width}f}"
    if system.paired and key in system.paired:
        extra = paired_text(system.paired[key], width)
        if extra:
            cell += " " + extra
    return cell


def rows(report: ScoreReport, width: int = 2) -> list[list[str]]:
    """Formatted cells, one list per system, matching :func:`headers`."""
    has_terms = any(s.terms is not None for s in report.systems)
    out = []
    for system in report.systems:
        name = system.name
        if report.comparison is not None and name == report.comparison.baseline:
            name += " (baseline)"
        row = [name] + [score_cell(report, system, k, width) for k in report.metrics]
        if has_terms:
            row.append(term_text(system, width))
        out.append(row)
    return out


def document_table(report: ScoreReport, system: SystemScores, width: int = 2) -> list[list[str]]:
    """Per-document scores of *system* (header first), empty without document ids."""
    if not system.documents:
        return []
    has_terms = system.terms is not None
    head = ["Document", "Segments"] + [report.titles[k] for k in report.metrics]
    table = [head + (["Terms"] if has_terms else [])]
    for doc, row in system.documents.items():
        cells = [doc, str(row["segments"])]
        cells += [f"{row[k]:.{width}f}" for k in report.metrics]
        if has_terms:
            acc = row.get("term_accuracy")
            terms = "n/a" if acc is None else f"{100 * acc:.{width}f}%"
            cells.append(f"{terms} ({row['term_hits']}/{row['term_total']})")
        table.append(cells)
    return table


def _aligned(table: list[list[str]]) -> list[str]:
    """Text lines of *table*: first column left, others right, a rule under the header."""
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = []
    for n, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def signature_lines(report: ScoreReport) -> list[str]:
    """``BLEU: nrefs:1|case:mixed|...`` for every metric."""
    return [
        f"{report.titles[k]}: {report.signatures[k]}"
        for k in report.metrics
        if k in report.signatures
    ]


def render_text(report: ScoreReport, width: int = 2) -> str:
    """An aligned plain-text table followed by the signatures."""
    lines = _aligned([headers(report)] + rows(report, width))
    for system in report.systems:
        docs = document_table(report, system, width)
        if docs:
            lines += ["", f"Documents of {system.name}:"] + _aligned(docs)
    if report.comparison is not None:
        lines += ["", report.comparison.description]
    lines += ["", "Signatures:"] + ["  " + s for s in signature_lines(report)]
    return "\n".join(lines) + "\n"


def render_csv(report: ScoreReport) -> str:
    """Machine-readable table: full-precision numbers, one row per system."""
    has_terms = any(s.terms is not None for s in report.systems)
    cols = ["system"] + list(report.metrics)
    if has_terms:
        cols += [TERM_ACCURACY, "term_hits", "term_total"]
    if report.comparison is not None:
        for k in report.metrics:
            cols += [f"{k}_mean", f"{k}_ci", f"{k}_p_value"]
    buf = io.StringIO()
    writer = csv_writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for s in report.systems:
        row: list = [s.name] + [s.scores[k] for k in report.metrics]
        if has_terms:
            t = s.terms
            row += (
                [("" if t.accuracy is None else t.accuracy), t.hits, t.total] if t else ["", "", ""]
            )
        if report.comparison is not None:
            for k in report.metrics:
                r = (s.paired or {}).get(k)
                row += [
                    "" if r is None or v is None else v
                    for v in ((r.mean, r.ci, r.p_value) if r else (None, None, None))
                ]
        writer.writerow(row)
    return buf.getvalue()
