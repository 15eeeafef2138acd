"""A self-contained HTML quality report: one file, inline CSS and SVG, no script,
no network access, so it can be mailed or archived and opened anywhere.

Contents: the metric table (best score per column in bold, paired-test
results when computed), the metric signatures, a chart of the segment-level
chrF distribution per system, and each system's worst segments with source,
reference and hypothesis side by side and glossary terms hit or missed marked.
"""

from __future__ import annotations

import re
from html import escape
from typing import Protocol

from mlcorpus.metrics.scoring import ScoreReport, SystemScores
from mlcorpus.metrics.terms import SegmentTerms, TermSpan
from mlcorpus.report.chart import distribution_svg
from mlcorpus.report.table import document_table, headers, rows, signature_lines
from mlcorpus.wording import plural

CSS = """
:root { --ink:#1d2430; --muted:#5b6575; --line:#d9dee7; --accent:#2f6fb5;
        --hit:#d7f2dc; --hit-ink:#176b2c; --miss:#fde0dc; --miss-ink:#a8281b; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: var(--ink); margin: 0; background: #f5f7fa; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; border-bottom: 2px solid var(--line);
     padding-bottom: 4px; }
h3 { font-size: 16px; margin: 22px 0 8px; }
p.meta { color: var(--muted); margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; }
table.scores th, table.scores td { padding: 7px 12px; border-bottom: 1px solid var(--line); }
table.scores th { background: #eef2f8; text-align: right; }
table.scores th:first-child, table.scores td:first-child { text-align: left; }
table.scores td { text-align: right; font-variant-numeric: tabular-nums; }
table.scores tr:nth-child(even) td { background: #fafbfd; }
td.best { font-weight: 700; color: var(--accent); }
ul.sigs { color: var(--muted); font-size: 13px; padding-left: 18px; }
ul.sigs code { font-size: 12.5px; }
.chart { max-width: 100%; height: auto; }
.chart .grid { stroke: #e3e7ee; }
.chart .tick, .chart .axis-title { font-size: 12px; fill: var(--muted); }
.chart .tick { text-anchor: middle; }
.chart .label { font-size: 13px; text-anchor: end; fill: var(--ink); }
.chart .bin { fill: #b9d3f0; }
.chart .box { fill: #2f6fb5; fill-opacity: .35; stroke: #1f4f85; stroke-width: 1.2; }
.chart .whisker { stroke: #1f4f85; stroke-width: 1.5; }
.chart .median { stroke: #0d2c4f; stroke-width: 2.5; }
.chart .mean { fill: #e0702b; stroke: #fff; stroke-width: 1; }
table.segs { table-layout: fixed; font-size: 14px; margin-bottom: 8px; }
table.segs th { text-align: left; background: #eef2f8; padding: 6px 8px; }
table.segs td { vertical-align: top; padding: 7px 8px; border-bottom: 1px solid var(--line);
                overflow-wrap: anywhere; }
table.segs col.num { width: 56px; } table.segs col.score { width: 70px; }
td.score { font-variant-numeric: tabular-nums; font-weight: 600; }
mark.hit { background: var(--hit); color: var(--hit-ink); border-radius: 3px; padding: 0 2px; }
mark.miss { background: var(--miss); color: var(--miss-ink); border-radius: 3px;
            padding: 0 2px; }
.terms { margin-top: 6px; font-size: 12.5px; }
.chip { display: inline-block; border-radius: 10px; padding: 0 8px; margin: 2px 4px 0 0; }
.chip.hit { background: var(--hit); color: var(--hit-ink); }
.chip.miss { background: var(--miss); color: var(--miss-ink); }
.empty { color: var(--muted); font-style: italic; }
"""


Span = tuple[int, int, str]  # start, end, "hit" or "miss"


class TermLocator(Protocol):
    """Finds glossary terms with their positions (see ``metrics.terms.TermChecker``)."""

    def source_spans(self, text: str) -> list[TermSpan]: ...

    def target_spans(self, text: str) -> list[TermSpan]: ...


def _page_head(title: str) -> list[str]:
    """The opening of a standalone report page: doctype, styles, the title as <h1>."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{escape(title)}</h1>",
    ]


def find_labels(text: str, hits: list[str], misses: list[str]) -> list[Span]:
    """Literal, case-insensitive occurrences of the terms (when no locator is at hand)."""
    spans: list[Span] = []
    for term in hits:
        spans += [
            (m.start(), m.end(), "hit")
            for m in re.finditer(re.escape(term), text, flags=re.IGNORECASE)
        ]
    for term in misses:
        spans += [
            (m.start(), m.end(), "miss")
            for m in re.finditer(re.escape(term), text, flags=re.IGNORECASE)
        ]
    return [sp for sp in spans if sp[1] > sp[0]]


def mark_spans(text: str, spans: list[Span]) -> str:
    """Escape *text*, wrapping the spans in ``<mark>``; the longer span wins an overlap."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda sp: sp[0] - sp[1]):
        if all(span[1] <= a or span[0] >= b for a, b, _ in kept):
            kept.append(span)
    out, pos = [], 0
    for start, end, kind in sorted(kept):
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="{kind}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out) or '<span class="empty">(empty)</span>'


def mark_terms(text: str, hits: list[str], misses: list[str]) -> str:
    """Escape *text*, marking literal occurrences of hit and missed terms."""
    return mark_spans(text, find_labels(text, hits, misses))


def _chips(terms: SegmentTerms) -> str:
    if not terms.hit and not terms.missed:
        return ""
    chips = [f'<span class="chip hit">✓ {escape(t.label)}</span>' for t in terms.hit]
    chips += [f'<span class="chip miss">✗ {escape(t.label)}</span>' for t in terms.missed]
    return f'<div class="terms">{"".join(chips)}</div>'


def _term_marks(
    source: str, hyp: str, seg: SegmentTerms, locator: TermLocator | None
) -> tuple[list[Span], list[Span]]:
    """Spans to mark in the source (hit/missed terms) and the hypothesis (hit terms)."""
    if locator is None:
        return (
            find_labels(source, [t.source for t in seg.hit], [t.source for t in seg.missed]),
            find_labels(hyp, [t.target for t in seg.hit], []),
        )
    hit, expected = set(seg.hit), set(seg.expected)
    src = [
        (s.start, s.end, "hit" if s.term in hit else "miss")
        for s in locator.source_spans(source)
        if s.term in expected
    ]
    # every chip has its highlight: a term the locator did not place is marked
    # where it occurs literally
    placed = {s.term for s in locator.source_spans(source)}
    unplaced = [t for t in seg.expected if t not in placed]
    src += find_labels(
        source,
        [t.source for t in unplaced if t in hit],
        [t.source for t in unplaced if t not in hit],
    )
    tgt = [(s.start, s.end, "hit") for s in locator.target_spans(hyp) if s.term in hit]
    return src, tgt


#: worst-segment lists skip references shorter than this (in words) while longer
#: ones remain: a 1-3-word line scores 0 for one wrong word and says little
MIN_WORST_WORDS = 4


def worst_order(report: ScoreReport, system: SystemScores, key: str, worst: int) -> list[int]:
    """The *worst* segments by *key*, lowest first, short references left out
    unless too few longer ones are left."""
    scores = system.segments.get(key, [])
    reverse = key in report.lower_is_better
    order = sorted(range(len(scores)), key=lambda i: scores[i], reverse=reverse)
    long_enough = [i for i in order if len(report.references[0][i].split()) >= MIN_WORST_WORDS]
    return (long_enough if len(long_enough) >= worst else order)[:worst]


def _score_table(report: ScoreReport, width: int) -> str:
    head = headers(report)
    body = rows(report, width)
    best: dict[int, float] = {}
    for col, key in enumerate(report.metrics, start=1):
        values = [s.scores[key] for s in report.systems]
        if len(values) > 1:
            best[col] = min(values) if key in report.lower_is_better else max(values)
    lines = ['<table class="scores" id="scores"><thead><tr>']
    lines += [f"<th>{escape(h)}</th>" for h in head]
    lines.append("</tr></thead><tbody>")
    for system, row in zip(report.systems, body, strict=True):
        cells = []
        for col, cell in enumerate(row):
            metric = report.metrics[col - 1] if 1 <= col <= len(report.metrics) else None
            cls = ' class="best"' if metric and best.get(col) == system.scores[metric] else ""
            cells.append(f"<td{cls}>{escape(cell)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _worst_segments(
    report: ScoreReport, system: SystemScores, key: str, worst: int, locator: TermLocator | None
) -> str:
    scores = system.segments.get(key, [])
    order = worst_order(report, system, key, worst)
    terms = system.segment_terms
    has_src = report.sources is not None
    docs = report.doc_ids
    cols = ['<col class="num">'] + (['<col class="num">'] if docs else []) + ['<col class="score">']
    cols += ["<col>"] * (3 if has_src else 2)
    head = ["Line"] + (["Release"] if docs else []) + [escape(report.titles[key])]
    head += ["Source"] if has_src else []
    head += ["Reference", "Hypothesis"]
    out = [
        f"<h3>{escape(system.name)}</h3>",
        '<table class="segs">',
        "".join(cols),
        "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>",
    ]
    for i in order:
        seg = terms[i] if terms is not None else SegmentTerms()
        source = report.sources[i] if report.sources is not None else ""
        src_marks, hyp_marks = _term_marks(source, system.hypotheses[i], seg, locator)
        cells = [f"<td>{i + 1}</td>"] + ([f"<td>{escape(docs[i])}</td>"] if docs else [])
        cells.append(f'<td class="score">{scores[i]:.1f}</td>')
        if has_src:
            cells.append(f"<td>{mark_spans(source, src_marks)}{_chips(seg)}</td>")
        refs = "<br>".join(escape(r[i]) for r in report.references if r[i])
        cells.append(f"<td>{refs or '<span class=empty>(empty)</span>'}</td>")
        cells.append(f"<td>{mark_spans(system.hypotheses[i], hyp_marks)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render_html(
    report: ScoreReport,
    *,
    width: int = 2,
    worst: int = 10,
    title: str = "Translation quality report",
    locator: TermLocator | None = None,
) -> str:
    """The whole report as one HTML document (systems must carry segment scores).

    *locator* (the :class:`~mlcorpus.metrics.terms.TermChecker` used for
    scoring) finds inflected term forms to mark; without it terms are marked
    where they occur literally.
    """
    n_segments = len(report.references[0]) if report.references else 0
    key = "chrf" if "chrf" in report.metrics else report.metrics[0]
    metric_title = report.titles[key]
    parts = [
        *_page_head(title),
        f'<p class="meta">{plural(len(report.systems), "system")} · '
        f"{plural(n_segments, 'segment')} · "
        f"{plural(len(report.references), 'reference')}</p>",
        "<h2>Scores</h2>",
        _score_table(report, width),
    ]
    if report.comparison is not None:
        parts.append(f'<p class="meta">{escape(report.comparison.description)}.</p>')
    parts.append(
        '<ul class="sigs">'
        + "".join(f"<li><code>{escape(s)}</code></li>" for s in signature_lines(report))
        + "</ul>"
    )
    for system in report.systems:
        table = document_table(report, system, width)
        if table:
            parts.append(f"<h2>Scores per release: {escape(system.name)}</h2>")
            parts.append(
                '<table class="scores"><thead><tr>'
                + "".join(f"<th>{escape(h)}</th>" for h in table[0])
                + "</tr></thead><tbody>"
                + "".join(
                    "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                    for row in table[1:]
                )
                + "</tbody></table>"
            )
    series = [(s.name, s.segments.get(key, [])) for s in report.systems]
    parts += [
        f"<h2>Segment-level {escape(metric_title)}</h2>",
        distribution_svg(series, metric_title),
    ]
    if worst:
        parts.append(f"<h2>Worst segments by {escape(metric_title)}</h2>")
        if any(s.terms is not None for s in report.systems):
            parts.append(
                '<p class="meta">Glossary terms: <mark class="hit">hit</mark> '
                '<mark class="miss">missed</mark></p>'
            )
        parts += [_worst_segments(report, s, key, worst, locator) for s in report.systems]
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


#: low-confidence beads listed first in the alignment report, per release
ALIGNMENT_ROWS = 25


def render_alignment_html(
    releases: list[dict], beads: list[dict], *, title: str = "Alignment report"
) -> str:
    """The alignment of a build for a translator: the releases, beads by type,
    and per release its beads side by side, lowest confidence first.

    *releases* are dicts with ``pair_id``, ``lang``, ``date``, ``title``;
    *beads* dicts with ``pair_id``, ``src_ids``, ``tgt_ids``, ``src_text``,
    ``tgt_text`` and ``score`` (as the workspace hands them out).
    """
    from collections import Counter

    kinds = Counter(f"{len(b['src_ids'])}-{len(b['tgt_ids'])}" for b in beads)
    parts = [
        *_page_head(title),
        f'<p class="meta">{plural(len({r["pair_id"] for r in releases}), "release")} · '
        f"{plural(len(beads), 'bead')}: "
        + escape(", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        + "</p>",
        "<h2>Releases</h2>",
        '<table class="scores"><thead><tr><th>Release</th><th>Language</th><th>Date</th>'
        "<th>Title</th></tr></thead><tbody>",
    ]
    for r in releases:
        cells = [r["pair_id"], r["lang"], r.get("date") or "–", r.get("title") or ""]
        parts.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    parts.append("</tbody></table>")
    by_release: dict[str, list[dict]] = {}
    for bead in beads:
        by_release.setdefault(bead["pair_id"], []).append(bead)
    for pair_id, group in by_release.items():
        shown = sorted(group, key=lambda b: b["score"])[:ALIGNMENT_ROWS]
        parts += [
            f"<h3>{escape(pair_id)}</h3>",
            f'<p class="meta">{plural(len(group), "bead")}, lowest confidence first</p>',
            '<table class="segs"><col class="score"><col class="num"><col><col>',
            "<thead><tr><th>Confidence</th><th>Type</th><th>Source</th><th>Target</th>"
            "</tr></thead><tbody>",
        ]
        for b in shown:
            kind = f"{len(b['src_ids'])}-{len(b['tgt_ids'])}"
            src = escape(b["src_text"] or "") or '<span class="empty">(none)</span>'
            tgt = escape(b["tgt_text"] or "") or '<span class="empty">(none)</span>'
            parts.append(
                f'<tr><td class="score">{b["score"]:.2f}</td><td>{kind}</td>'
                f"<td>{src}</td><td>{tgt}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"
