"""Benchmark: memory and time of the streaming commands at 100k and 1M lines,
and translation throughput on a local two-node Ray cluster.

Inputs are the UNPC dev set (4000 EN-RU sentence pairs) repeated with a
perturbation per repetition (a number appended to every sentence, so each
line is distinct and the translation cache never short-cuts the work).  Each
command runs in its own process and is measured from outside: wall time and
peak resident memory (``wait4``'s ``ru_maxrss`` of that one child).

Commands (the project's test model translates):

* ``translate``  ``mlcorpus translate IN --segmented`` with a fresh cache.  Its
  input is the test model's own training sentences, perturbed the same way:
  on UNPC lines the toy model (trained on 50 pairs) never emits ``</s>`` and
  decodes every line to its 256-token limit (about 4 ms of CPU per line, 70
  minutes per million), which measures the decoder's length cap, not the
  streaming.  The code path is the same for any input.
* ``align``      ``mlcorpus align EN RU --segmented`` (jsonl)
* ``score``      ``mlcorpus score --hyp H --ref R --format json`` (BLEU, chrF, chrF++, TER)
* ``fix``        ``mlcorpus glossary fix -g glossary/migration.en-ru.tsv --src EN --hyp RU``
* ``convert``    ``mlcorpus convert pairs.tsv pairs.tmx``

Targets: peak RSS at the large size <= 1.2x the small size's (translate, score,
fix, convert); align under 1 GB at the large size; CPU time per line at the
large size within 1.2x of the small size's (CPU time rather than wall time,
which on a shared machine also measures the other users' load; both are
reported).  Ray: throughput of ``translate --ray``
on two local nodes (one CPU each, inside private network/PID namespaces) over
the single process on the same machine (target >= 0.8).

Usage: nice -n 10 python scripts/bench_scale.py [--sizes 100000,1000000]
           [--commands translate,align,score,fix,convert] [--ray-lines 20000] [--no-ray]
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the test-model builder and the Ray cluster helper
UNPC = REPO.parent / "shared" / "data" / "dev" / "unpc"
GLOSSARY = REPO / "glossary" / "migration.en-ru.tsv"
COMMANDS = ("convert", "fix", "score", "translate", "align")
RSS_TARGET = 1.2
TIME_TARGET = 1.2
ALIGN_LIMIT_MB = 1024
RAY_TARGET = 0.8


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_unpc() -> tuple[list[str], list[str]]:
    en = (UNPC / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()
    ru = (UNPC / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()
    return en, ru


def perturbed(lines: list[str], count: int, *, rotate: bool = False):
    """*count* lines: *lines* over and over, repetition r marked with "(r)";
    with *rotate*, the words of each line are also rotated (a plausible
    system output to score against the reference)."""
    r = 0
    produced = 0
    while produced < count:
        for line in lines:
            if produced >= count:
                return
            words = line.split()
            if rotate and len(words) > 3:
                k = 1 + r % 3
                words = words[k:] + words[:k]
            yield " ".join(words) + f" ({r})"
            produced += 1
        r += 1


def write_lines(path: Path, lines) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")
    return path


def make_inputs(
    folder: Path, n: int, en: list[str], ru: list[str], mt_en: list[str]
) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "mt_en": write_lines(folder / "mt.en", perturbed(mt_en, n)),
        "en": write_lines(folder / "in.en", perturbed(en, n)),
        "ru": write_lines(folder / "in.ru", perturbed(ru, n)),
        "hyp": write_lines(folder / "hyp.ru", perturbed(ru, n, rotate=True)),
    }
    with (folder / "pairs.tsv").open("w", encoding="utf-8") as fh:
        fh.write("en\tru\n")
        for a, b in zip(perturbed(en, n), perturbed(ru, n), strict=True):
            fh.write(f"{a}\t{b}\n")
    files["tsv"] = folder / "pairs.tsv"
    return files


def measure(args: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one
    child process.  CPU time is what the per-line targets compare: on a
    shared machine the wall time also measures everyone else's load.

    The child is started through ``/usr/bin/time`` when present: a forked
    child inherits its parent's peak RSS on Linux, so measuring it straight
    from this (large) Python process would report at least this process's size.
    """
    timer = shutil.which("time") if Path("/usr/bin/time").exists() else None
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        wrapped = ["/usr/bin/time", "-f", "%M %U %S", "-o", rss_file.name, *args] if timer else args
        start = time.perf_counter()
        proc = subprocess.Popen(
            wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or os.environ.copy()
        )
        assert proc.stderr is not None
        err = proc.stderr.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{err.decode(errors='replace')[-2000:]}")
        if timer:
            kib, user, system = rss_file.read().split()[-3:]
            cpu = float(user) + float(system)
        else:
            kib, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(int(kib) / 1024, 1),
    }


def command_args(command: str, files: dict[str, Path], out: Path, model: Path) -> list[str]:
    cli = [sys.executable, "-m", "mlcorpus"]
    if command == "translate":
        return [
            *cli, "translate", str(files["mt_en"]), "--from", "en", "--to", "ru", "--segmented",
            "--model", str(model), "--cache", str(out.with_suffix(".sqlite")), "-o", str(out),
        ]  # fmt: skip
    if command == "align":
        return [
            *cli, "align", str(files["en"]), str(files["ru"]), "--from", "en", "--to", "ru",
            "--segmented", "-o", str(out),
        ]  # fmt: skip
    if command == "score":
        return [
            *cli, "score", "--hyp", str(files["hyp"]), "--ref", str(files["ru"]),
            "--format", "json", "-o", str(out),
        ]  # fmt: skip
    if command == "fix":
        return [
            *cli, "glossary", "fix", "-g", str(GLOSSARY), "--src", str(files["en"]),
            "--hyp", str(files["ru"]), "-o", str(out),
        ]  # fmt: skip
    if command == "convert":
        return [*cli, "convert", str(files["tsv"]), str(out.with_suffix(".tmx"))]
    raise ValueError(command)


def bench_commands(
    sizes: list[int], commands: list[str], work: Path, model: Path, mt_en: list[str]
) -> dict[str, dict[str, dict[str, float]]]:
    en, ru = read_unpc()
    results: dict[str, dict[str, dict[str, float]]] = {c: {} for c in commands}
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for n in sizes:
        log(f"generating {n} lines")
        files = make_inputs(work / str(n), n, en, ru, mt_en)
        for command in commands:
            out = work / str(n) / f"out.{command}"
            log(f"{command} {n} ...")
            row = measure(command_args(command, files, out, model), env)
            row["us_per_line"] = round(row["seconds"] / n * 1e6, 1)
            row["cpu_us_per_line"] = round(row["cpu_seconds"] / n * 1e6, 1)
            results[command][str(n)] = row
            log(f"  {row}")
            for leftover in work.glob(f"{n}/out.{command}*"):
                leftover.unlink()
    return results


def ratios(results: dict, small: int, large: int) -> dict[str, dict[str, float | bool]]:
    out: dict[str, dict[str, float | bool]] = {}
    for command, rows in results.items():
        if str(small) not in rows or str(large) not in rows:
            continue
        a, b = rows[str(small)], rows[str(large)]
        rss = b["peak_rss_mb"] / a["peak_rss_mb"]
        per_line = b["cpu_us_per_line"] / a["cpu_us_per_line"]
        entry: dict[str, float | bool] = {
            "rss_ratio": round(rss, 3),
            "cpu_time_per_line_ratio": round(per_line, 3),
            "wall_time_per_line_ratio": round(b["us_per_line"] / a["us_per_line"], 3),
            "time_target_met": per_line <= TIME_TARGET,
        }
        if command == "align":
            entry["rss_target_met"] = b["peak_rss_mb"] < ALIGN_LIMIT_MB
        else:
            entry["rss_target_met"] = rss <= RSS_TARGET
        out[command] = entry
    return out


def bench_ray(lines: int, work: Path, model: Path) -> dict[str, float | bool | str]:
    """translate --ray on a local two-node cluster vs one process, same input."""
    from support.ray_cluster import namespaces_available, run_in_cluster

    why_not = namespaces_available()
    if why_not:
        return {"skipped": why_not}
    try:
        import ray  # noqa: F401
    except ImportError:
        return {"skipped": 'Ray is not installed (pip install "mlcorpus[ray]")'}
    en, _ru = read_unpc()
    folder = work / "ray"
    folder.mkdir(parents=True, exist_ok=True)
    source = write_lines(folder / "in.en", perturbed(en, lines))
    result = folder / "result.json"
    inner = [
        sys.executable, str(Path(__file__).resolve()), "--ray-inner", str(source),
        "--model", str(model), "--work", str(folder), "--result", str(result),
    ]  # fmt: skip
    done = run_in_cluster(" ".join(map(str, inner)), folder, timeout=3600)
    if done.returncode != 0 or not result.exists():
        return {"skipped": f"cluster run failed ({done.returncode}): {done.stderr[-500:]}"}
    data = json.loads(result.read_text())
    data["lines"] = lines
    data["throughput_ratio"] = round(data["single_seconds"] / data["ray_seconds"], 3)
    data["target_met"] = data["throughput_ratio"] >= RAY_TARGET
    data["ray_lines_per_second_per_node"] = round(lines / data["ray_seconds"] / 2, 1)
    data["single_lines_per_second"] = round(lines / data["single_seconds"], 1)
    return data


def ray_inner(source: Path, model: Path, work: Path, result: Path) -> None:
    """Inside the cluster's namespaces: one process, then two Ray nodes."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("MLCORPUS_RAY_ADDRESS", None)
    base = [
        sys.executable, "-m", "mlcorpus", "translate", str(source), "--from", "en", "--to", "ru",
        "--segmented", "--model", str(model),
    ]  # fmt: skip
    single = measure([*base, "--cache", str(work / "single.sqlite"), "-o", str(work / "s.ru")], env)
    ray = measure(
        [*base, "--cache", str(work / "ray.sqlite"), "-o", str(work / "r.ru"), "--ray"], env
    )
    same = (work / "s.ru").read_bytes() == (work / "r.ru").read_bytes()
    result.write_text(
        json.dumps(
            {
                "single_seconds": single["seconds"],
                "ray_seconds": ray["seconds"],
                "identical_output": same,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--commands", default=",".join(COMMANDS))
    parser.add_argument("--ray-lines", type=int, default=20000)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder [default: temp]")
    parser.add_argument("--ray-inner", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--model", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ray_inner:
        ray_inner(args.ray_inner, args.model, args.work, args.result)
        return
    if not UNPC.exists():
        raise SystemExit(f"{UNPC}: the UNPC dev set is needed to build the inputs")
    from support.build_models import build_test_models

    models = build_test_models(log=log)
    model = models.package("en", "ru")
    mt_en = [en for en, _ in models.pairs]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    commands = [c for c in args.commands.split(",") if c]
    unknown = set(commands) - set(COMMANDS)
    if unknown:
        raise SystemExit(f"unknown commands: {', '.join(sorted(unknown))}")
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-scale-", dir=args.work) as tmp:
        work = Path(tmp)
        results = bench_commands(sizes, commands, work, model, mt_en) if commands else {}
        report: dict = {
            "sizes": sizes,
            "commands": results,
            "ratios": ratios(results, min(sizes), max(sizes)) if len(sizes) > 1 else {},
        }
        if not args.no_ray:
            log(f"ray: {args.ray_lines} lines, one process vs two local nodes")
            report["ray"] = bench_ray(args.ray_lines, work, model)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
