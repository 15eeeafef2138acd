"""The score table as GitHub-flavoured Markdown, ready for a README or an issue."""

from __future__ import annotations

import re

from mlcorpus.metrics.scoring import ScoreReport
from mlcorpus.report.table import document_table, headers, rows, signature_lines

# inline Markdown syntax: emphasis, code, links/images, tables, strike-through
_MARKDOWN_PUNCT = re.compile(r"([\\`*_\[\]|~!])")
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def markdown_text(text: str) -> str:
    """*text* (a release title, a system or file name) as literal text in a
    Markdown table cell: HTML is escaped, so ``<img onerror=...>`` is shown
    and never run, and Markdown punctuation is backslash-escaped, so
    ``[x](javascript:...)`` is not a link and ``|`` does not split the cell.

    >>> markdown_text("<b>[x](javascript:alert(1))</b> | *y*")
    '&lt;b&gt;\\\\[x\\\\](javascript:alert(1))&lt;/b&gt; \\\\| \\\\*y\\\\*'
    """
    text = " ".join(text.split())  # one line: a line break would end the table row
    return _MARKDOWN_PUNCT.sub(r"\\\1", text.translate(_HTML))


_cell = markdown_text


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
