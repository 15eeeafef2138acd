"""Benchmark the sentence aligner on perturbed WMT news documents and the UDHR.

For every document of WMT newstest 2013–2015 (EN–RU, translated sentence by
sentence) the 1:1 pairs are perturbed with a fixed seed: adjacent sentences
are merged on one side (a 1-2 or 2-1 bead) and sentences are dropped on one
side (1-0 / 0-1).  Each test set is written one sentence per line, documents
separated by blank lines (paragraph boundaries, soft anchors for the
aligner), and aligned with ``mlcorpus align --segmented``.  In the same run
the Gale–Church length-only aligner is run per document as the baseline.
Scores are vecalign's *strict* precision/recall/F1 over non-null beads
(exact bead match).  Two settings: drop 4% / merge 8% and drop 6% / merge 10%.

Also reported: the same aligner run per document through the Python API (no
cross-document lexicon, no document boundaries), the UDHR paragraph units
(not 1:1), and the time to align two 5,000-sentence documents.

Usage: python scripts/bench_align.py [--data ../shared/data/dev] [--sets 2015]
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
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mlcorpus.align import align_length_only, align_sentences  # noqa: E402

Bead = tuple[tuple[int, ...], tuple[int, ...]]
SETTINGS = {"drop4_merge8": (0.04, 0.08), "drop6_merge10": (0.06, 0.10)}


def read_documents(path: Path) -> list[list[tuple[str, str]]]:
    docs: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    order: list[str] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            if row["docid"] not in docs:
                order.append(row["docid"])
            docs[row["docid"]].append((int(row["segno"]), row["src"].strip(), row["ref"].strip()))
    return [[(s, r) for _, s, r in sorted(docs[d])] for d in order]


def perturb(
    pairs: list[tuple[str, str]], drop: float, merge: float, rng: random.Random
) -> tuple[list[str], list[str], list[Bead]]:
    """Lines of each side and the gold beads (local 0-based ids)."""
    src: list[str] = []
    tgt: list[str] = []
    gold: list[Bead] = []
    k = 0
    while k < len(pairs):
        e, r = pairs[k]
        roll = rng.random()
        if roll < drop:
            if rng.random() < 0.5:
                gold.append(((len(src),), ()))
                src.append(e)
            else:
                gold.append(((), (len(tgt),)))
                tgt.append(r)
            k += 1
        elif roll < drop + merge and k + 1 < len(pairs):
            e2, r2 = pairs[k + 1]
            if rng.random() < 0.5:
                gold.append(((len(src),), (len(tgt), len(tgt) + 1)))
                src.append(f"{e} {e2}")
                tgt.extend([r, r2])
            else:
                gold.append(((len(src), len(src) + 1), (len(tgt),)))
                src.extend([e, e2])
                tgt.append(f"{r} {r2}")
            k += 2
        else:
            gold.append(((len(src),), (len(tgt),)))
            src.append(e)
            tgt.append(r)
            k += 1
    return src, tgt, gold


def strict_prf(gold: list[Bead], pred: list[Bead]) -> dict[str, float]:
    """vecalign's strict score: exact match of non-null beads."""
    g = {b for b in gold if b[0] and b[1]}
    p = {b for b in pred if b[0] and b[1]}
    hit = len(g & p)
    prec = hit / len(p) if p else 0.0
    rec = hit / len(g) if g else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4)}


def shift(beads: list[Bead], ds: int, dt: int) -> list[Bead]:
    return [(tuple(i + ds for i in s), tuple(j + dt for j in t)) for s, t in beads]


def confidence_report(gold: list[Bead], pred: list[Bead], scores: list[float]) -> dict:
    """How well the bead confidence separates right from wrong non-null beads."""
    g = set(gold)
    right = [s for b, s in zip(pred, scores, strict=True) if b[0] and b[1] and b in g]
    wrong = [s for b, s in zip(pred, scores, strict=True) if b[0] and b[1] and b not in g]
    brier = [(s - 1.0) ** 2 for s in right] + [s * s for s in wrong]
    return {
        "mean_right": round(sum(right) / len(right), 4) if right else None,
        "mean_wrong": round(sum(wrong) / len(wrong), 4) if wrong else None,
        "brier": round(sum(brier) / len(brier), 4) if brier else None,
    }


def run_cli(
    src_docs: list[list[str]], tgt_docs: list[list[str]], workdir: Path, name: str
) -> tuple[list[Bead], list[float], float]:
    src_path, tgt_path = workdir / f"{name}.en", workdir / f"{name}.ru"
    out_path = workdir / f"{name}.jsonl"
    src_path.write_text("\n\n".join("\n".join(d) for d in src_docs) + "\n", encoding="utf-8")
    tgt_path.write_text("\n\n".join("\n".join(d) for d in tgt_docs) + "\n", encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mlcorpus",
            "align",
            str(src_path),
            str(tgt_path),
            "--src-lang",
            "en",
            "--tgt-lang",
            "ru",
            "--segmented",
            "--format",
            "jsonl",
            "-o",
            str(out_path),
        ],
        check=True,
        cwd=REPO,
    )
    elapsed = time.perf_counter() - start
    beads, scores = [], []
    for line in out_path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        beads.append((tuple(obj["src"]), tuple(obj["tgt"])))
        scores.append(obj["score"])
    return beads, scores, elapsed


def bench_setting(
    docs: list[list[tuple[str, str]]],
    drop: float,
    merge: float,
    seed: int,
    workdir: Path,
    name: str,
    per_document: bool,
) -> dict:
    rng = random.Random(seed)
    src_docs, tgt_docs, gold = [], [], []
    base_pred: list[Bead] = []
    api_pred: list[Bead] = []
    ds = dt = 0
    t_base = t_api = 0.0
    for pairs in docs:
        src, tgt, g = perturb(pairs, drop, merge, rng)
        src_docs.append(src)
        tgt_docs.append(tgt)
        gold.extend(shift(g, ds, dt))
        start = time.perf_counter()
        base = align_length_only(src, tgt)
        t_base += time.perf_counter() - start
        base_pred.extend(shift([(b.src, b.tgt) for b in base], ds, dt))
        if per_document:
            start = time.perf_counter()
            ours = align_sentences(src, tgt, "en", "ru")
            t_api += time.perf_counter() - start
            api_pred.extend(shift([(b.src, b.tgt) for b in ours], ds, dt))
        ds += len(src)
        dt += len(tgt)
    pred, scores, t_cli = run_cli(src_docs, tgt_docs, workdir, name)
    result = {
        "sentences": [ds, dt],
        "gold_beads": len(gold),
        "aligner": {**strict_prf(gold, pred), "seconds": round(t_cli, 2)},
        "gale_church": {**strict_prf(gold, base_pred), "seconds": round(t_base, 2)},
        "confidence": confidence_report(gold, pred, scores),
    }
    if per_document:
        result["aligner_per_document"] = {**strict_prf(gold, api_pred), "seconds": round(t_api, 2)}
    return result


def bench_udhr(udhr: Path) -> dict:
    """UDHR paragraph units; gold pairs units of the same article in order.

    The one unit without a counterpart is the English "Now, therefore," of the
    preamble (the Russian text goes straight to "Генеральная Ассамблея,"), so
    it is the one gold 1-0 bead.
    """

    def units(path: Path) -> list[tuple[str, str]]:
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
        return [(r[0], r[2]) for r in rows if len(r) >= 3]

    en, ru = units(udhr / "udhr.en.units.tsv"), units(udhr / "udhr.ru.units.tsv")
    gold: list[Bead] = []
    j = 0
    for i, (label, text) in enumerate(en):
        if text.strip() == "Now, therefore,":
            gold.append(((i,), ()))
            continue
        assert ru[j][0] == label, (label, ru[j])
        gold.append(((i,), (j,)))
        j += 1
    start = time.perf_counter()
    ours = align_sentences([t for _, t in en], [t for _, t in ru], "en", "ru")
    elapsed = time.perf_counter() - start
    base = align_length_only([t for _, t in en], [t for _, t in ru])
    return {
        "units": [len(en), len(ru)],
        "aligner": {
            **strict_prf(gold, [(b.src, b.tgt) for b in ours]),
            "seconds": round(elapsed, 2),
        },
        "gale_church": strict_prf(gold, [(b.src, b.tgt) for b in base]),
    }


def bench_speed(wmt: Path, size: int, seed: int) -> dict:
    """Two documents of *size* sentences each (all WMT news articles run together)."""
    docs = [
        d for path in sorted(wmt.glob("newstest*.en-ru.docs.tsv")) for d in read_documents(path)
    ]
    rng = random.Random(seed)
    pairs = [p for d in docs for p in d]
    src, tgt, _ = perturb(pairs, 0.04, 0.08, rng)
    src, tgt = src[:size], tgt[:size]
    start = time.perf_counter()
    beads = align_sentences(src, tgt, "en", "ru")
    elapsed = time.perf_counter() - start
    return {"sentences": [len(src), len(tgt)], "beads": len(beads), "seconds": round(elapsed, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "dev")
    parser.add_argument(
        "--sets",
        default="2013,2014,2015",
        help="comma-separated newstest years (default: 2013,2014,2015)",
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-per-document", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()

    report: dict = {"metric": "strict P/R/F1 over non-null beads", "seed": args.seed}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for year in args.sets.split(","):
            path = args.data / "wmt-docs" / f"newstest{year}.en-ru.docs.tsv"
            docs = read_documents(path)
            for setting, (drop, merge) in SETTINGS.items():
                res = bench_setting(
                    docs,
                    drop,
                    merge,
                    args.seed,
                    workdir,
                    f"nt{year}-{setting}",
                    not args.no_per_document,
                )
                res["f1_over_baseline"] = round(res["aligner"]["f1"] / res["gale_church"]["f1"], 4)
                report[f"newstest{year}/{setting}"] = res
                print(
                    f"newstest{year} {setting}: aligner F1 {res['aligner']['f1']:.4f} "
                    f"({res['aligner']['seconds']} s), Gale-Church F1 "
                    f"{res['gale_church']['f1']:.4f}",
                    file=sys.stderr,
                )
    report["udhr"] = bench_udhr(args.data / "udhr")
    if not args.no_speed:
        report["speed_5000x5000"] = bench_speed(args.data / "wmt-docs", 5000, args.seed)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
