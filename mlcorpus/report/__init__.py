"""Human-readable views of scores: plain and Markdown tables, CSV, segment files,
and a self-contained HTML report.  Renderers take a
:class:`~mlcorpus.metrics.ScoreReport` and return text; they never compute
scores themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlcorpus.metrics.scoring import ScoreReport

#: the formats :func:`render_report` writes
FORMATS = ("text", "json", "csv", "markdown", "html")


def render_report(
    report: ScoreReport, fmt: str, *, width: int = 2, worst: int = 10, locator: Any = None
) -> str:
    """*report* as text in one of :data:`FORMATS`.

    *width* is the number of decimals of the tables; *worst* and *locator*
    (a :class:`~mlcorpus.metrics.terms.TermChecker`, to mark terms) only
    shape the HTML report.
    """
    if fmt == "json":
        import json

        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        from mlcorpus.report.table import render_csv

        return render_csv(report)
    if fmt == "markdown":
        from mlcorpus.report.markdown import render_markdown

        return render_markdown(report, width)
    if fmt == "html":
        from mlcorpus.report.html import render_html

        return render_html(report, width=width, worst=worst, locator=locator)
    if fmt == "text":
        from mlcorpus.report.table import render_text

        return render_text(report, width)
    raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
