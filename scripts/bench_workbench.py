"""Benchmark: the workbench's Corpus page on a corpus of 5,000 release pairs.

Builds a synthetic workspace (5,000 EN/RU release pairs, 30 beads each, MT
scores for every pair, human corrections on 100 pairs), serves the workbench
with uvicorn on a loopback port and times full HTTP requests of the Corpus
page: the first view (the workspace summary read from SQLite, templates
compiled), then the default order, sorted by confidence, a text filter and
the last page (median of several runs each; these reuse the summary while
the workspace is unchanged).

Baseline, measured in the same run: one full scan of the same data straight
from SQLite (every bead row and every release row fetched into Python), the
least any page that summarises the whole corpus has to read.  The ratio says
how much the page costs on top of that.

Usage: python scripts/bench_workbench.py [--releases 5000] [--beads 30] [--runs 5]
Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from mlcorpus.release import Release
from mlcorpus.workspace import Workspace, release_hash
from mlcorpus.workspace.edits import alignment_state, edit_alignment
from mlcorpus.workspace.overview import refresh_summaries


def build_workspace(path: Path, releases: int, beads: int) -> None:
    with Workspace(path) as ws:
        scores: dict[str, dict[str, tuple[float | None, str | None]]] = {}
        for k in range(releases):
            pair = f"{2000 + k % 25}-{1 + k % 12:02d}-{1 + k % 28:02d}-release-{k:05d}"
            date = pair[:10]
            en_sents = [
                f"Sentence {i} of release {k} about the CSTO member states." for i in range(beads)
            ]
            ru_sents = [
                f"Предложение {i} релиза {k} о государствах-членах ОДКБ." for i in range(beads)
            ]
            en = Release(
                id=pair, lang="en", title=f"Release {k} in English", paragraphs=en_sents, date=date
            )
            ru = Release(id=pair, lang="ru", title=f"Релиз {k}", paragraphs=ru_sents, date=date)
            ws.store_segmented_release(en, pair, [(1, s) for s in en_sents])
            ws.store_segmented_release(ru, pair, [(1, s) for s in ru_sents])
            rows = [
                ([i], [i], en_sents[i], ru_sents[i], 0.5 + ((i * 7 + k) % 50) / 100)
                for i in range(beads)
            ]
            ws.store_beads(pair, "en", "ru", release_hash(en), release_hash(ru), rows)
            scores[pair] = {"bleu": (20 + k % 30, None), "chrf": (45 + k % 20, None)}
        ws.store_scores("en-ru", scores)
        for pair in [r["pair_id"] for r in ws.releases() if r["lang"] == "en"][:100]:
            state = alignment_state(ws, pair)
            edit_alignment(ws, pair, "merge", 0, revision=state.revision)
        refresh_summaries(ws)  # as `mlcorpus run` does after aligning


def full_scan(path: Path) -> float:
    start = time.perf_counter()
    with Workspace(path) as ws:
        ws.conn.execute("SELECT * FROM beads").fetchall()
        ws.conn.execute("SELECT * FROM releases").fetchall()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--releases", type=int, default=5000)
    parser.add_argument("--beads", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import httpx
    from support.web import serve

    from mlcorpus.server.workbench import WorkbenchSettings, standalone_app

    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp)
        start = time.perf_counter()
        build_workspace(build / "workspace.sqlite", args.releases, args.beads)
        built = time.perf_counter() - start
        queries = {
            "default": {},
            "sort_confidence_desc": {"sort": "confidence", "desc": "1"},
            "filter_text": {"q": "release-04"},
            "last_page": {"sort": "en-ru bleu", "page": str(args.releases // 50)},
        }
        app = standalone_app(WorkbenchSettings(build_dir=build))
        timings: dict[str, float] = {}
        with serve(app) as url, httpx.Client(base_url=url, timeout=60) as client:
            t0 = time.perf_counter()
            client.get("/workbench/corpus")  # first view: workspace read, templates compiled
            first = time.perf_counter() - t0
            for name, params in queries.items():
                runs = []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    response = client.get("/workbench/corpus", params=params)
                    runs.append(time.perf_counter() - t0)
                    assert response.status_code == 200, response.text[:300]
                    assert f"of {args.releases} releases" in response.text
                timings[name] = round(statistics.median(runs), 4)
        scan = statistics.median(full_scan(build / "workspace.sqlite") for _ in range(args.runs))
    worst = max([*timings.values(), first])
    print(
        json.dumps(
            {
                "benchmark": "workbench corpus page",
                "releases": args.releases,
                "beads": args.releases * args.beads,
                "corrected_releases": 100,
                "build_workspace_s": round(built, 2),
                "first_view_s": round(first, 4),
                "page_s": timings,
                "worst_page_s": worst,
                "under_one_second": worst < 1.0,
                "baseline_full_scan_s": round(scan, 4),
                "worst_page_vs_full_scan": round(worst / scan, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
