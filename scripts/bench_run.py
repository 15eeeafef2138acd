"""Benchmark ``mlcorpus run`` end to end on 200 releases built from WMT news documents.

Each WMT newstest document becomes a release pair (EN and RU as separate files,
first sentence as the title, 1-4 sentences per paragraph).  Configurations,
each in its own process so peak memory (ru_maxrss) is its own:

* ``no_translate`` — discover, segment, align, export, report;
* ``resume`` — the same command again on the same build folder (nothing
  changed: the baseline the first run is compared with);
* ``with_model`` — a fresh build translating with the project's test model
  (tests/support/build_models.py), when torch can build it.

Target: segmentation + alignment + export of the 200 releases in under 60 s.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WMT_DOCS = REPO.parent / "shared" / "data" / "dev" / "wmt-docs"

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from mlcorpus.workspace.pipeline import Pipeline, RunOptions
corpus, build, translate, model = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
start = time.perf_counter()
opts = RunOptions(Path(corpus), Path(build), translate=translate, model=model or None)
summary = Pipeline(opts).run()
total = time.perf_counter() - start
print(json.dumps({
    "total_s": round(total, 3),
    "stages_s": {k: round(v.seconds, 3) for k, v in summary.stages.items()},
    "processed": {k: v.processed for k, v in summary.stages.items()},
    "beads": summary.beads,
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "notes": summary.notes,
}))
"""


def load_documents(n_docs: int) -> list[list[tuple[str, str]]]:
    docs: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(WMT_DOCS.glob("newstest*.en-ru.docs.tsv")):
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            for row in reader:
                docs.setdefault(f"{path.stem}-{row['docid']}", []).append((row["src"], row["ref"]))
    chosen = [d for _, d in sorted(docs.items()) if len(d) >= 4][:n_docs]
    if len(chosen) < n_docs:
        raise SystemExit(f"only {len(chosen)} documents with >= 4 sentences in {WMT_DOCS}")
    return chosen


def write_corpus(root: Path, docs: list[list[tuple[str, str]]], seed: int) -> int:
    rng = random.Random(seed)
    sentences = 0
    for k, doc in enumerate(docs):
        title, body = doc[0], doc[1:]
        paras: list[list[tuple[str, str]]] = []
        i = 0
        while i < len(body):
            size = rng.randint(1, 4)
            paras.append(body[i : i + size])
            i += size
        for side, lang in ((0, "en"), (1, "ru")):
            folder = root / lang
            folder.mkdir(parents=True, exist_ok=True)
            text = (
                title[side]
                + "\n\n"
                + "\n\n".join(" ".join(pair[side] for pair in para) for para in paras)
                + "\n"
            )
            (folder / f"doc-{k:04d}.txt").write_text(text, encoding="utf-8")
        sentences += len(doc)
    return sentences


def run_child(corpus: Path, build: Path, translate: bool, model: str = "") -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus), str(build), "1" if translate else "0", model],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    if proc.returncode != 0:
        raise SystemExit(f"run failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_model_package() -> str | None:
    """Path of the en->ru test package (built once and cached), or None."""
    sys.path.insert(0, str(REPO / "tests"))
    try:
        from support.build_models import build_test_models
    except ImportError:
        return None
    models = build_test_models(log=lambda *_: None)
    return str(models.package("en", "ru"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--releases", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--skip-model", action="store_true")
    args = parser.parse_args()
    if not WMT_DOCS.is_dir():
        raise SystemExit(f"{WMT_DOCS} not found")
    docs = load_documents(args.releases)
    result: dict = {"releases": args.releases}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        result["sentence_pairs"] = write_corpus(corpus, docs, args.seed)
        first = run_child(corpus, Path(tmp) / "build", translate=False)
        again = run_child(corpus, Path(tmp) / "build", translate=False)
        result["no_translate"] = first
        result["resume"] = again
        core = sum(first["stages_s"].get(k, 0.0) for k in ("segment", "align", "export"))
        result["segment_align_export_s"] = round(core, 3)
        result["target_s"] = 60
        result["meets_target"] = core < 60
        result["resume_vs_first_ratio"] = round(again["total_s"] / first["total_s"], 3)
        if not args.skip_model:
            package = test_model_package()
            if package:
                result["with_model"] = run_child(
                    corpus, Path(tmp) / "build-mt", translate=True, model=package
                )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
