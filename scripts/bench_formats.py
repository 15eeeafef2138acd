"""Benchmark: export and re-import a large parallel corpus as TMX and JSONL.

Each case runs in its own subprocess so that its peak RSS (``ru_maxrss`` from
``os.wait4``) is its own.  The same run measures naive baselines that build
the whole document in memory (ElementTree for TMX, a list for JSONL) and
translate-toolkit's TMX writer, so the ratios mean something on any machine.

    python scripts/bench_formats.py                # 200,000 pairs
    python scripts/bench_formats.py --pairs 20000  # quicker

Pairs are real EN-RU sentences (UN Parallel Corpus dev set, TICO-19) when
``../shared/data/dev`` is present, repeated with a running number, each with
release id, date, score and origin metadata; otherwise synthetic sentences.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "data" / "dev"
TARGET_TMX_WRITE_PAIRS_PER_S = 20_000
TARGET_PEAK_RSS_MB = 300
TTK_MAX_PAIRS = 50_000  # translate-toolkit keeps every unit as an lxml tree: cap its run


def base_pairs() -> tuple[list[tuple[str, str]], str]:
    """Real sentence pairs from the dev data, else a synthetic set."""
    from mlcorpus.formats import read_units

    pairs: list[tuple[str, str]] = []
    sources = []
    unpc = DEV / "unpc" / "UNv1.0.devset.en"
    tico = DEV / "tico19" / "all.en-ru.tmx"
    if unpc.exists():
        pairs += [
            (u.src, u.tgt) for u in read_units(str(unpc), "moses", src_lang="en", tgt_lang="ru")
        ]
        sources.append("UNPC dev")
    if tico.exists():
        pairs += [(u.src, u.tgt) for u in read_units(str(tico))]
        sources.append("TICO-19")
    if pairs:
        return pairs, " + ".join(sources)
    synthetic = [
        (
            f"Migration policy item {i} protects the rights of labour migrants & "
            f"their families <{i}>.",
            f"Пункт {i} миграционной политики защищает права трудовых мигрантов и их семей.",
        )
        for i in range(1000)
    ]
    return synthetic, "synthetic"


_PAIRS: list[tuple[str, str]] = []  # loaded before the clock starts


def make_units(n: int) -> Iterator:
    """*n* units cycling through the base pairs, numbered so none repeat."""
    from mlcorpus.formats import TranslationUnit

    pairs = _PAIRS or base_pairs()[0]
    for i in range(n):
        src, tgt = pairs[i % len(pairs)]
        yield TranslationUnit(
            f"{src} [{i}]",
            f"{tgt} [{i}]",
            meta={
                "release_id": f"release-{i // 40:05d}",
                "date": "2015-03-02",
                "score": round(0.5 + (i % 500) / 1000, 3),
                "origin": "human",
            },
        )


# ---- cases: each runs in a child process and returns the number of pairs handled


def case_tmx_write(n: int, work: Path) -> int:
    from mlcorpus.formats import write_units

    return write_units(
        make_units(n), str(work / "bench.tmx"), "tmx", src_lang="en", tgt_lang="ru"
    ).written


def case_tmx_read(n: int, work: Path) -> int:
    from mlcorpus.formats import read_units

    return sum(1 for _ in read_units(str(work / "bench.tmx")))


def case_jsonl_write(n: int, work: Path) -> int:
    from mlcorpus.formats import write_units

    return write_units(
        make_units(n), str(work / "bench.jsonl"), "jsonl", src_lang="en", tgt_lang="ru"
    ).written


def case_jsonl_read(n: int, work: Path) -> int:
    from mlcorpus.formats import read_units

    return sum(1 for _ in read_units(str(work / "bench.jsonl")))


def case_etree_tmx_write(n: int, work: Path) -> int:
    """Naive baseline: build the whole TMX tree, then serialise it."""
    import xml.etree.ElementTree as ET

    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        creationtool="baseline",
        srclang="en",
        datatype="plaintext",
        segtype="sentence",
        adminlang="en",
        creationtoolversion="1",
        **{"o-tmf": "baseline"},
    )
    body = ET.SubElement(root, "body")
    count = 0
    for unit in make_units(n):
        tu = ET.SubElement(body, "tu")
        for key, value in unit.meta.items():
            ET.SubElement(tu, "prop", type=f"x-{key}").text = str(value)
        for lang, text in (("en", unit.src), ("ru", unit.tgt)):
            tuv = ET.SubElement(tu, "tuv", {"xml:lang": lang})
            ET.SubElement(tuv, "seg").text = text
        count += 1
    ET.ElementTree(root).write(work / "etree.tmx", encoding="utf-8", xml_declaration=True)
    return count


def case_etree_tmx_read(n: int, work: Path) -> int:
    """Naive baseline: parse the whole TMX into a tree (defusedxml), then walk it."""
    import defusedxml.ElementTree as SafeET

    root = SafeET.parse(str(work / "bench.tmx")).getroot()
    return sum(1 for tu in root.iter("tu") if len(tu.findall("tuv")) == 2)


def case_ttk_tmx_write(n: int, work: Path) -> int:
    """translate-toolkit's TMX store (an lxml tree), capped at TTK_MAX_PAIRS."""
    from translate.storage import tmx

    store = tmx.tmxfile(sourcelanguage="en", targetlanguage="ru")
    count = 0
    for unit in make_units(min(n, TTK_MAX_PAIRS)):
        store.addtranslation(unit.src, "en", unit.tgt, "ru")
        count += 1
    store.savefile(str(work / "ttk.tmx"))
    return count


def case_list_jsonl_write(n: int, work: Path) -> int:
    """Naive baseline: collect every record, then dump them in one go."""
    records = [{"translation": {"en": u.src, "ru": u.tgt}, "meta": u.meta} for u in make_units(n)]
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
    (work / "list.jsonl").write_text(text, encoding="utf-8")
    return len(records)


def case_list_jsonl_read(n: int, work: Path) -> int:
    """Naive baseline: read the whole file and parse every line into a list."""
    text = (work / "bench.jsonl").read_text(encoding="utf-8")
    return len([json.loads(line) for line in text.splitlines() if line])


def case_idle(n: int, work: Path) -> int:
    """Interpreter plus ``mlcorpus.formats`` imported: the floor under every case."""
    import mlcorpus.formats  # noqa: F401

    return 0


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}
ORDER = [
    "idle",
    "tmx_write",
    "tmx_read",
    "jsonl_write",
    "jsonl_read",
    "etree_tmx_write",
    "etree_tmx_read",
    "ttk_tmx_write",
    "list_jsonl_write",
    "list_jsonl_read",
]


def run_child(case: str, n: int, work: Path) -> dict:
    """Run one case in a fresh interpreter; time it there, take its peak RSS here."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--case", case, "--pairs", str(n), "--work", str(work)],
        stdout=subprocess.PIPE,
        text=True,
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"case {case} failed with exit code {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    if result["pairs"]:
        result["pairs_per_s"] = round(result["pairs"] / result["seconds"])
    return result


def child_main(case: str, n: int, work: Path) -> None:
    if "write" in case:
        _PAIRS[:] = base_pairs()[0]
    start = time.perf_counter()
    pairs = CASES[case](n, work)
    seconds = time.perf_counter() - start
    print(json.dumps({"pairs": pairs, "seconds": round(seconds, 3)}))


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=200_000)
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--skip-ttk", action="store_true", help="leave out the translate-toolkit baseline"
    )
    args = parser.parse_args()
    if args.case:
        child_main(args.case, args.pairs, args.work)
        return
    sys.path.insert(0, str(REPO))
    _, source = base_pairs()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench_formats_") as tmp:
        work = Path(tmp)
        for case in ORDER:
            if case == "ttk_tmx_write" and args.skip_ttk:
                continue
            results[case] = run_child(case, args.pairs, work)
            print(f"{case:18s} {json.dumps(results[case])}", file=sys.stderr)
        sizes = {
            name: round((work / name).stat().st_size / 2**20, 1)
            for name in ("bench.tmx", "bench.jsonl")
        }
    tmx_write = results["tmx_write"]
    peak = max(
        results[c]["peak_rss_mb"] for c in ("tmx_write", "tmx_read", "jsonl_write", "jsonl_read")
    )
    ratios = {
        "tmx_write_speed_vs_etree": ratio(
            tmx_write["pairs_per_s"], results["etree_tmx_write"]["pairs_per_s"]
        ),
        "tmx_write_rss_vs_etree": ratio(
            tmx_write["peak_rss_mb"], results["etree_tmx_write"]["peak_rss_mb"]
        ),
        "tmx_read_speed_vs_etree": ratio(
            results["tmx_read"]["pairs_per_s"], results["etree_tmx_read"]["pairs_per_s"]
        ),
        "tmx_read_rss_vs_etree": ratio(
            results["tmx_read"]["peak_rss_mb"], results["etree_tmx_read"]["peak_rss_mb"]
        ),
        "jsonl_write_speed_vs_list": ratio(
            results["jsonl_write"]["pairs_per_s"], results["list_jsonl_write"]["pairs_per_s"]
        ),
        "jsonl_write_rss_vs_list": ratio(
            results["jsonl_write"]["peak_rss_mb"], results["list_jsonl_write"]["peak_rss_mb"]
        ),
        "jsonl_read_rss_vs_list": ratio(
            results["jsonl_read"]["peak_rss_mb"], results["list_jsonl_read"]["peak_rss_mb"]
        ),
    }
    if "ttk_tmx_write" in results:
        ratios["tmx_write_speed_vs_translate_toolkit"] = ratio(
            tmx_write["pairs_per_s"], results["ttk_tmx_write"]["pairs_per_s"]
        )
    report = {
        "benchmark": "formats",
        "pairs": args.pairs,
        "data": source,
        "file_mb": sizes,
        "cases": results,
        "ratios": ratios,
        "targets": {
            "tmx_write_pairs_per_s": {
                "target": TARGET_TMX_WRITE_PAIRS_PER_S,
                "value": tmx_write["pairs_per_s"],
                "met": tmx_write["pairs_per_s"] >= TARGET_TMX_WRITE_PAIRS_PER_S,
            },
            "peak_rss_mb": {
                "target": TARGET_PEAK_RSS_MB,
                "value": peak,
                "met": peak < TARGET_PEAK_RSS_MB,
            },
        },
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
