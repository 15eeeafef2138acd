"""The score table as GitHub-flavoured Markdown, ready for a README or an issue."""

from __future__ import annotations

from mlcorpus.metrics.scoring import ScoreReport
from mlcorpus.report.table import document_table, headers, rows, signature_lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: ScoreReport, width: int = 2) -> str:
    """A Markdown table (scores right-aligned), the test used, and the signatures."""
    head = headers(report)
    lines = [
        "| " + " | ".join(_cell(h) for h in head) + " |",
        "|" + "|".join([":---"] + ["---:"] * (len(head) - 1)) + "|",
    ]
    for row in rows(report, width):
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    for system in report.systems:
        docs = document_table(report, system, width)
        if docs:
            lines += ["", f"Documents of {_cell(system.name)}:", ""]
            lines.append("| " + " | ".join(_cell(h) for h in docs[0]) + " |")
            lines.append("|" + "|".join([":---"] + ["---:"] * (len(docs[0]) - 1)) + "|")
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in docs[1:]]
    if report.comparison is not None:
        lines += ["", f"Compared by {_cell(report.comparison.description)}."]
    lines += ["", "Signatures:", ""]
    lines += [f"- `{s}`" for s in signature_lines(report)]
    return "\n".join(lines) + "\n"
