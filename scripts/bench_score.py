"""Benchmark: `mlcorpus score` against the sacrebleu command line, end to end.

Speed: scores every WMT22 EN->RU system output (11 systems x 2,037 segments)
with BLEU, chrF and chrF++.  The baseline is the sacrebleu CLI doing the same work
in the same run: one call for BLEU and chrF and one for chrF++ (sacrebleu
computes only one chrF variant per call), each with all systems.  Both sides
run as fresh subprocesses, so process start and imports are included.  Each
side runs --repeats times, alternating; the best times give the ratio (the
medians are printed too, for a loaded machine).  The scores
of both tools are compared digit for digit.

Parity (the ``parity`` field; skip it with --no-parity): every WMT22 system of
both directions (EN->RU and RU->EN) is scored with BLEU, chrF, chrF++ and TER
by both tools and compared digit for digit.  This is the full version of the
sampled check in tests/test_score_sacrebleu.py; it takes minutes because
sacrebleu's TER is pure Python.

Prints one JSON object (last line) with the times and their ratio (the target
is a ratio of at most 1.2) and the parity result.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "wmt" / "wmt22"
TARGET_RATIO = 1.2
WIDTH = 10
SACREBLEU_KEYS = {"BLEU": "bleu", "chrF2": "chrf", "chrF2++": "chrfpp", "TER": "ter"}
PARITY_METRICS = ("bleu", "chrf", "chrfpp", "ter")
SPEED_METRICS = ("bleu", "chrf", "chrfpp")


def timed(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd[:4])} ...\n{proc.stderr}")
    return elapsed, proc.stdout


def sacrebleu_scores(outputs: list[str]) -> dict[str, dict[str, str]]:
    """sacrebleu's multi-system JSON outputs, merged: file -> our key -> score text."""
    theirs: dict[str, dict[str, str]] = {}
    for out in outputs:
        for entry in json.loads(out):
            row = theirs.setdefault(entry["system"], {})
            row.update({SACREBLEU_KEYS[k]: v for k, v in entry.items() if k in SACREBLEU_KEYS})
    return theirs


def mismatches(ours: list[dict], theirs: dict[str, dict[str, str]], keys: Sequence[str]) -> list:
    """(system, metric, ours, sacrebleu's) for every score that differs."""
    return [
        (s["system"], k, f"{s[k]:.{WIDTH}f}", theirs.get(s["file"], {}).get(k))
        for s in ours
        for k in keys
        if f"{s[k]:.{WIDTH}f}" != theirs.get(s["file"], {}).get(k)
    ]


def parity(data: Path, pair: str) -> dict:
    """Every system of one direction, every metric, both tools, digit for digit."""
    tgt = pair.split("-")[1]
    ref = data / f"generaltest2022.{pair}.ref.A.{tgt}"
    hyps = sorted(data.glob(f"generaltest2022.{pair}.hyp.*.{tgt}"))
    if not ref.exists() or not hyps:
        sys.exit(f"no WMT22 {pair} files in {data}")
    start = time.perf_counter()
    common = [str(ref), "-i", *map(str, hyps), "-f", "json", "-q", "-w", str(WIDTH)]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for cmd in (
            [sys.executable, "-m", "sacrebleu", *common, "-m", "bleu", "chrf", "ter"],
            [sys.executable, "-m", "sacrebleu", *common, "-m", "chrf", "--chrf-word-order", "2"],
        )
    ]
    ours_cmd = [sys.executable, "-m", "mlcorpus", "score", "--ref", str(ref), "--format", "json"]
    ours_cmd += ["--metrics", ",".join(PARITY_METRICS)]
    for h in hyps:
        ours_cmd += ["--hyp", str(h)]
    _, ours_out = timed(ours_cmd)
    outputs = []
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode:
            sys.exit(f"sacrebleu failed ({proc.returncode}):\n{err}")
        outputs.append(out)
    ours = json.loads(ours_out)
    wrong = mismatches(ours, sacrebleu_scores(outputs), PARITY_METRICS)
    return {
        "systems": len(hyps),
        "segments": sum(1 for _ in ref.open(encoding="utf-8")),
        "metrics": list(PARITY_METRICS),
        "digits": WIDTH,
        "identical": not wrong and len(ours) == len(hyps),
        "mismatches": wrong[:20],
        "seconds": round(time.perf_counter() - start, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder with generaltest2022.en-ru.* files"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--no-parity", action="store_true", help="skip the full parity check (minutes)"
    )
    args = parser.parse_args()

    ref = args.data / "generaltest2022.en-ru.ref.A.ru"
    hyps = sorted(args.data.glob("generaltest2022.en-ru.hyp.*.ru"))
    if not ref.exists() or not hyps:
        sys.exit(f"no WMT22 EN-RU files in {args.data}")
    segments = sum(1 for _ in ref.open(encoding="utf-8"))

    common = [str(ref), "-i", *map(str, hyps), "-f", "json", "-q", "-w", str(WIDTH)]
    sacre_cmds = [
        [sys.executable, "-m", "sacrebleu", *common, "-m", "bleu", "chrf"],
        [sys.executable, "-m", "sacrebleu", *common, "-m", "chrf", "--chrf-word-order", "2"],
    ]
    ours_cmd = [sys.executable, "-m", "mlcorpus", "score", "--ref", str(ref), "--format", "json"]
    ours_cmd += ["--metrics", "bleu,chrf,chrfpp"]
    for h in hyps:
        ours_cmd += ["--hyp", str(h)]

    sacre_times, ours_times = [], []
    sacre_out: list[str] = []
    ours_out = ""
    for _ in range(args.repeats):
        total, sacre_out = 0.0, []
        for cmd in sacre_cmds:
            elapsed, out = timed(cmd)
            total += elapsed
            sacre_out.append(out)
        sacre_times.append(total)
        elapsed, ours_out = timed(ours_cmd)
        ours_times.append(elapsed)

    match = not mismatches(json.loads(ours_out), sacrebleu_scores(sacre_out), SPEED_METRICS)
    checked = {} if args.no_parity else {p: parity(args.data, p) for p in ("en-ru", "ru-en")}

    best_sacre, best_ours = min(sacre_times), min(ours_times)
    ratio = best_ours / best_sacre
    print(
        json.dumps(
            {
                "benchmark": "score",
                "systems": len(hyps),
                "segments": segments,
                "metrics": list(SPEED_METRICS),
                "repeats": args.repeats,
                "sacrebleu_cli_s": round(best_sacre, 3),
                "mlcorpus_s": round(best_ours, 3),
                "sacrebleu_cli_runs_s": [round(t, 3) for t in sacre_times],
                "mlcorpus_runs_s": [round(t, 3) for t in ours_times],
                "ratio": round(ratio, 3),
                "ratio_median": round(
                    statistics.median(ours_times) / statistics.median(sacre_times), 3
                ),
                "target_ratio": TARGET_RATIO,
                "within_target": ratio <= TARGET_RATIO,
                "scores_identical": match,
                "parity": checked or "skipped (--no-parity)",
                "parity_identical": all(p["identical"] for p in checked.values())
                if checked
                else None,
            }
        )
    )


if __name__ == "__main__":
    main()
