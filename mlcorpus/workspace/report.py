"""The build report: what the corpus holds, how well it aligned, how good the MT is.

``report.md`` always (releases, alignment, scores per direction and per
release); ``report-<direction>.html`` — the self-contained HTML quality report
of :mod:`mlcorpus.report.html` — for every direction that has MT scores.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mlcorpus.metrics import DEFAULT_METRICS, TERM_ACCURACY, metric_title
from mlcorpus.report.markdown import markdown_text
from mlcorpus.textio import atomic_write
from mlcorpus.workspace.edits import corrected_beads
from mlcorpus.workspace.store import Workspace

SCORE_COLUMNS = (*DEFAULT_METRICS, TERM_ACCURACY)


def _fmt(value: float | None, metric: str) -> str:
    if value is None:
        return "–"
    if metric == TERM_ACCURACY:
        return f"{100 * value:.1f}%"
    if metric in ("segments", "term_hits", "term_total"):
        return str(int(value))
    return f"{value:.2f}"


def score_table(ws: Workspace) -> dict[str, dict[str, dict[str, float | None]]]:
    """direction -> scope -> metric -> value, from the workspace's scores table."""
    table: dict[str, dict[str, dict[str, float | None]]] = {}
    for row in ws.scores():
        table.setdefault(row["direction"], {}).setdefault(row["scope"], {})[row["metric"]] = row[
            "value"
        ]
    return table


def render_workspace_markdown(ws: Workspace) -> str:
    releases = ws.releases()
    beads = [b for b in corrected_beads(ws, "en", "ru") if not b["excluded"]]
    kinds = Counter(f"{len(b['src_ids'])}-{len(b['tgt_ids'])}" for b in beads)
    pairs = sorted({r["pair_id"] for r in releases})
    lines = [
        "# mlcorpus build report",
        "",
        f"{len(releases)} releases, {len(pairs)} release ids, "
        f"{sum(1 for b in beads if b['src_ids'] and b['tgt_ids'])} aligned segment pairs.",
        "",
        "## Releases",
        "",
        "| id | lang | date | title | sentences |",
        "|:---|:---|:---|:---|---:|",
    ]
    for r in releases:
        n = len(ws.segments(r["id"], r["lang"]))
        cells = [r["pair_id"], r["lang"], r["date"] or "–", r["title"] or ""]
        lines.append("| " + " | ".join(markdown_text(c) for c in cells) + f" | {n} |")
    if beads:
        low = [b for b in beads if b["score"] < 0.5 and b["src_ids"] and b["tgt_ids"]]
        lines += [
            "",
            "## Alignment",
            "",
            "Beads by type: " + ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())) + ".",
            f"Low-confidence beads (score < 0.5): {len(low)}.",
        ]
    table = score_table(ws)
    for direction, scopes in table.items():
        lines += [
            "",
            f"## MT quality {direction}",
            "",
            "| scope | " + " | ".join(metric_title(m) for m in SCORE_COLUMNS) + " | segments |",
            "|:---|" + "---:|" * (len(SCORE_COLUMNS) + 1),
        ]
        for scope, metrics in sorted(scopes.items(), key=lambda kv: kv[0] != "corpus"):
            cells = [_fmt(metrics.get(m), m) for m in SCORE_COLUMNS]
            lines.append(
                f"| {markdown_text(scope)} | "
                + " | ".join(cells)
                + f" | {_fmt(metrics.get('segments'), 'segments')} |"
            )
        sigs = sorted(
            {
                r["signature"]
                for r in ws.scores()
                if r["direction"] == direction and r["scope"] == "corpus" and r["signature"]
            }
        )
        lines += ["", "Signatures:", ""] + [f"- `{s}`" for s in sigs]
    if not table:
        lines += ["", "## MT quality", "", "No machine translation was scored in this build."]
    return "\n".join(lines) + "\n"


def write_workspace_report(
    ws: Workspace, build_dir: Path, glossary_path: str | None = None, reports: dict | None = None
) -> list[Path]:
    """Write report.md and one HTML report per scored direction; return the paths.

    *reports* maps a direction to the ScoreReport just computed by the score
    stage; directions not in it are scored again from the workspace (as
    ``mlcorpus report`` does)."""
    from mlcorpus.workspace.score import direction_segments, score_report

    if glossary_path is None:
        recorded = ws.setting("glossary")  # the one 'mlcorpus run' was given
        glossary_path = recorded if recorded and Path(recorded).is_file() else None
    written = [build_dir / "report.md"]
    with atomic_write(written[0]) as fh:
        fh.write(render_workspace_markdown(ws))
    beads = [b for b in corrected_beads(ws, "en", "ru") if not b["excluded"]]
    if beads:  # with or without MT, a translator reviews the alignment
        from mlcorpus.report.html import render_alignment_html

        path = build_dir / "report-alignment.html"
        with atomic_write(path) as fh:
            fh.write(render_alignment_html(ws.releases(), beads, title="mlcorpus alignment report"))
        written.append(path)
    for direction in score_table(ws):
        from mlcorpus.report.html import render_html

        report = (reports or {}).get(direction)
        if report is None:
            data = direction_segments(ws, direction)
            if not data.hypotheses:
                continue
            _, _, report = score_report(data, glossary_path, segments=True)
        locator = None
        if glossary_path:
            from mlcorpus.metrics import TermChecker

            src_lang, tgt_lang = direction.split("-")
            locator = TermChecker(glossary_path, src_lang, tgt_lang)
        path = build_dir / f"report-{direction}.html"
        with atomic_write(path) as fh:
            fh.write(
                render_html(report, title=f"mlcorpus build report: MT {direction}", locator=locator)
            )
        written.append(path)
    return written
