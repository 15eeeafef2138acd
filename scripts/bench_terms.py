#!/usr/bin/env python
"""Benchmark of glossary post-editing (``mlcorpus glossary fix``).

1. Restoration: real reference translations (UNPC dev set, WMT22 EN->RU
   reference) whose source contains a benchmark-glossary term and whose
   Russian contains the preferred term; the term is replaced by a deprecated
   rendering in the same case and number; ``glossary fix`` must give back the
   original sentence exactly.
2. Controls: the untouched references with terms, plus references whose
   source has no glossary term; ``glossary fix`` must return them unchanged.
3. A naive baseline in the same run: plain string replacement of the
   dictionary forms (deprecated -> preferred).
4. The real WMT22 EN->RU system outputs: term accuracy and chrF before and
   after ``glossary fix``.

The fix runs through the command line (``python -m mlcorpus glossary fix``),
exactly as users run it.  The last line printed is one JSON object.

    python scripts/bench_terms.py [--glossary G] [--data ../shared/data/dev]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mlcorpus.glossary import Entry, Glossary, load_glossary  # noqa: E402
from mlcorpus.glossary.check import term_accuracy  # noqa: E402
from mlcorpus.glossary.enforce import capitalise_like, keep_hyphen_spacing  # noqa: E402
from mlcorpus.glossary.inflect import analyze_term, inflect_term, span_form  # noqa: E402
from mlcorpus.glossary.match_ru import RussianMatcher  # noqa: E402
from mlcorpus.glossary.terms import TermFinder  # noqa: E402

DEFAULT_GLOSSARY = REPO / "scripts" / "data" / "bench_terms.en-ru.tsv"
DEFAULT_DATA = REPO.parent / "shared" / "data" / "dev"


def read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def reference_pairs(data: Path) -> list[tuple[str, str]]:
    pairs = list(
        zip(
            read(data / "unpc" / "UNv1.0.devset.en"),
            read(data / "unpc" / "UNv1.0.devset.ru"),
            strict=True,
        )
    )
    wmt = data / "wmt" / "wmt22"
    pairs += list(
        zip(
            read(wmt / "generaltest2022.en-ru.src.en"),
            read(wmt / "generaltest2022.en-ru.ref.A.ru"),
            strict=True,
        )
    )
    return pairs


def corrupt(ref: str, entry: Entry, deprecated: str) -> str:
    """Every occurrence of the preferred term -> *deprecated*, same form."""
    matcher = RussianMatcher([Entry(entry.en, entry.ru)])
    out, last = [], 0
    for match in matcher.find(ref):
        before = ref[: match.start].rstrip().rsplit(None, 1)
        previous = before[-1].strip("«\"'(") if before else None
        span = ref[match.start : match.end]
        forms = span_form(entry.ru, span, previous)
        if not forms:
            continue
        case, number = forms[0]
        if number == analyze_term(entry.ru).number and analyze_term(deprecated).number:
            number = analyze_term(deprecated).number
        form = inflect_term(deprecated, case, number, yo="ё" in ref.lower())
        out += [
            ref[last : match.start],
            keep_hyphen_spacing(capitalise_like(form, span, entry.ru), span),
        ]
        last = match.end
    out.append(ref[last:])
    return "".join(out)


def naive_fix(text: str, entries: list[Entry]) -> str:
    """Baseline: replace deprecated dictionary forms verbatim (and capitalised)."""
    for entry in entries:
        for bad in entry.ru_deprecated:
            text = text.replace(bad, entry.ru)
            text = text.replace(bad[:1].upper() + bad[1:], entry.ru[:1].upper() + entry.ru[1:])
    return text


def run_fix(
    glossary_path: Path, sources: list[str], hyps: list[str], folder: Path, name: str
) -> tuple[list[str], float]:
    src, hyp, out = folder / f"{name}.en", folder / f"{name}.ru", folder / f"{name}.fixed.ru"
    src.write_text("\n".join(sources) + "\n", encoding="utf-8")
    hyp.write_text("\n".join(hyps) + "\n", encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mlcorpus",
            "glossary",
            "fix",
            "-g",
            str(glossary_path),
            "--src",
            str(src),
            "--hyp",
            str(hyp),
            "--from",
            "en",
            "--to",
            "ru",
            "-o",
            str(out),
        ],
        check=True,
        cwd=REPO,
        capture_output=True,
    )
    return read(out), time.perf_counter() - started


def build_items(glossary: Glossary, pairs: list[tuple[str, str]], n_controls: int):
    finder = TermFinder(glossary, "en", "ru")
    preferred = {id(e): RussianMatcher([Entry(e.en, e.ru)]) for e in glossary.entries}
    used: dict[int, int] = {}
    items, clean, skipped, impure = [], [], 0, 0
    for source, ref in pairs:
        wanted = finder.source_entries(source)
        if wanted and finder.wrong_renderings(ref, wanted):
            impure += 1  # the reference itself uses a deprecated rendering
            continue
        if not wanted:
            if len(clean) < n_controls and ref.strip():
                clean.append((source, ref))
            continue
        for entry in wanted:
            if not entry.ru_deprecated or not preferred[id(entry)].find(ref):
                continue
            k = used.get(id(entry), 0)
            used[id(entry)] = k + 1
            deprecated = entry.ru_deprecated[k % len(entry.ru_deprecated)]
            broken = corrupt(ref, entry, deprecated)
            if broken == ref:
                skipped += 1
                continue
            items.append(
                {
                    "source": source,
                    "ref": ref,
                    "broken": broken,
                    "term": entry.en,
                    "deprecated": deprecated,
                }
            )
    return items, clean, skipped, impure


def wmt22_systems(glossary_path: Path, glossary: Glossary, data: Path, folder: Path) -> dict:
    import sacrebleu

    wmt = data / "wmt" / "wmt22"
    sources = read(wmt / "generaltest2022.en-ru.src.en")
    refs = read(wmt / "generaltest2022.en-ru.ref.A.ru")
    systems = {}
    for path in sorted(wmt.glob("generaltest2022.en-ru.hyp.*.ru")):
        name = path.name.split(".hyp.")[1][:-3]
        hyps = read(path)
        fixed, seconds = run_fix(glossary_path, sources, hyps, folder, f"wmt22-{name}")
        before = term_accuracy(glossary, "en", "ru", sources, hyps)
        after = term_accuracy(glossary, "en", "ru", sources, fixed)
        chrf_before = sacrebleu.corpus_chrf(hyps, [refs]).score
        chrf_after = sacrebleu.corpus_chrf(fixed, [refs]).score
        naive = [naive_fix(h, glossary.entries) for h in hyps]
        systems[name] = {
            "lines": len(hyps),
            "lines_changed": sum(a != b for a, b in zip(hyps, fixed, strict=True)),
            "term_accuracy_before": round(before.accuracy or 0.0, 4),
            "term_accuracy_after": round(after.accuracy or 0.0, 4),
            "term_total": before.total,
            "chrf_before": round(chrf_before, 3),
            "chrf_after": round(chrf_after, 3),
            "chrf_naive": round(sacrebleu.corpus_chrf(naive, [refs]).score, 3),
            "fix_seconds": round(seconds, 2),
        }
    return systems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--glossary", type=Path, default=DEFAULT_GLOSSARY)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--controls",
        type=int,
        default=1000,
        help="references without glossary terms used as controls",
    )
    args = parser.parse_args()
    glossary = load_glossary(args.glossary)
    started = time.perf_counter()
    items, clean, skipped, impure = build_items(glossary, reference_pairs(args.data), args.controls)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # one run: corrupted references, then untouched references, then clean controls
        sources = [i["source"] for i in items] * 2 + [s for s, _r in clean]
        hyps = [i["broken"] for i in items] + [i["ref"] for i in items] + [r for _s, r in clean]
        fixed, seconds = run_fix(args.glossary, sources, hyps, folder, "restore")
        n = len(items)
        restored, kept = fixed[:n], fixed[n:]
        controls = hyps[n:]
        exact = [out == item["ref"] for out, item in zip(restored, items, strict=True)]
        unchanged = sum(out == hyp for out, hyp in zip(kept, controls, strict=True))
        naive_exact = sum(naive_fix(i["broken"], glossary.entries) == i["ref"] for i in items)
        naive_unchanged = sum(naive_fix(h, glossary.entries) == h for h in controls)
        failures = [
            {"term": i["term"], "broken": i["broken"], "fixed": out, "ref": i["ref"]}
            for i, out, ok in zip(items, restored, exact, strict=True)
            if not ok
        ]
        control_failures = [
            {"control": hyp, "fixed": out}
            for out, hyp in zip(kept, controls, strict=True)
            if out != hyp
        ]
        systems = wmt22_systems(args.glossary, glossary, args.data, folder)
    per_term: dict[str, list[int]] = {}
    for item, ok in zip(items, exact, strict=True):
        per_term.setdefault(item["term"], [0, 0])
        per_term[item["term"]][0] += ok
        per_term[item["term"]][1] += 1
    for failure in failures[:15] + control_failures[:5]:
        print(json.dumps(failure, ensure_ascii=False))
    exact_rate = sum(exact) / n if n else 0.0
    naive_rate = naive_exact / n if n else 0.0
    controls_rate = unchanged / len(controls) if controls else 1.0
    chrf_ok = all(s["chrf_after"] >= s["chrf_before"] for s in systems.values())
    result = {
        "benchmark": "bench_terms",
        "glossary": str(args.glossary.relative_to(REPO))
        if args.glossary.is_relative_to(REPO)
        else str(args.glossary),
        "glossary_entries": len(glossary),
        "terms_with_items": len(per_term),
        "restoration": {
            "items": n,
            "skipped_uncorruptible": skipped,
            "skipped_reference_has_deprecated": impure,
            "exact": sum(exact),
            "exact_rate": round(exact_rate, 4),
            "naive_exact": naive_exact,
            "naive_exact_rate": round(naive_rate, 4),
            "ratio_vs_naive": round(exact_rate / naive_rate, 2) if naive_rate else None,
            "fix_seconds": round(seconds, 2),
            "lines_fixed": len(hyps),
        },
        "controls": {
            "items": len(controls),
            "unchanged": unchanged,
            "unchanged_rate": round(controls_rate, 4),
            "naive_unchanged_rate": round(naive_unchanged / len(controls), 4) if controls else 1.0,
        },
        "per_term_exact": {t: round(a / b, 3) for t, (a, b) in sorted(per_term.items())},
        "wmt22_en_ru": systems,
        "targets": {
            "exact_restoration_ge_0.97": exact_rate >= 0.97,
            "controls_unchanged_1.0": controls_rate == 1.0,
            "chrf_never_lower": chrf_ok,
        },
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
