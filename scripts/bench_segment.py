"""Benchmark sentence segmentation on WMT news documents (English and Russian).

Paragraphs are rebuilt from ``../shared/data/dev/wmt-docs``: 1-6 consecutive
sentences of one document are joined with a space (seeded RNG); a sentence
without closing punctuation, such as a headline, ends its paragraph, because no
segmenter could (or should) find a boundary after it.  Every segmenter then
splits the paragraphs, and the internal boundaries it finds are compared with
the gold ones.  A boundary is an offset counted in non-space characters, so
segmenters that trim or keep whitespace are scored alike.

Compared in the same run: mlcorpus, pysbd (en, ru) and razdel (ru).
newstest2013 and newstest2014 are the development years; newstest2015 is
reported separately as a check that the rules generalise.  When the UN Parallel
Corpus dev set is present, paragraphs built the same way from its documents are
scored too, as a check on UN-style text (its lines are samples of documents,
and some open in lowercase, so no segmenter can reach 1.0 there).

Usage::

    python scripts/bench_segment.py [--data DIR] [--seed N] [--years 2013 2014 2015]

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from mlcorpus.segment import sentence_spans

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "dev" / "wmt-docs"
DEFAULT_UNPC = REPO.parent / "shared" / "data" / "dev" / "unpc"
DEV_YEARS = ("2013", "2014")
TEST_YEARS = ("2015",)
TARGET_F1 = {"en": 0.99, "ru": 0.995}
TARGET_SENTENCES_PER_S = 5000.0

# Terminal punctuation, optionally followed by closing quotes or brackets.
_CLOSED = re.compile(r"(?:[.!?…]|\.\.\.)[\"'”’»)\]]*$")
_SPACE = re.compile(r"\s")

Paragraph = tuple[str, frozenset[int], int]  # text, gold boundaries, sentence count
Segmenter = Callable[[str], list[str]]


def read_documents(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Read a wmt-docs TSV into ``{docid: [(en, ru), ...]}`` in segment order."""
    docs: dict[str, list[tuple[int, str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)  # header
        for row in reader:
            docid, _orig, segno, src, ref = row[:5]
            docs.setdefault(docid, []).append((int(segno), src.strip(), ref.strip()))
    return {d: [(en, ru) for _, en, ru in sorted(rows)] for d, rows in docs.items()}


def read_unpc(folder: Path) -> list[list[tuple[str, str]]]:
    """Read the UN Parallel Corpus dev set as documents (lines grouped by symbol)."""
    symbols = (folder / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines()
    en = (folder / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()
    ru = (folder / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[tuple[str, str]]] = {}
    for ids, src, ref in zip(symbols, en, ru, strict=True):
        docs.setdefault(ids.split()[0], []).append((src.strip(), ref.strip()))
    return list(docs.values())


def nonspace_len(text: str) -> int:
    """Number of non-whitespace characters: the unit boundaries are counted in."""
    return len(text) - len(_SPACE.findall(text))


def build_paragraphs(sentences: list[str], rng: random.Random) -> list[Paragraph]:
    """Join runs of 1-6 consecutive sentences; an unterminated sentence ends its run."""
    paragraphs: list[Paragraph] = []
    i = 0
    while i < len(sentences):
        want = rng.randint(1, 6)
        run: list[str] = []
        while i < len(sentences) and len(run) < want:
            sent = sentences[i]
            i += 1
            if sent:
                run.append(sent)
                if not _CLOSED.search(sent):
                    break
        if not run:
            continue
        bounds, offset = set(), 0
        for sent in run[:-1]:
            offset += nonspace_len(sent)
            bounds.add(offset)
        paragraphs.append((" ".join(run), frozenset(bounds), len(run)))
    return paragraphs


def boundaries_of(pieces: Iterable[str]) -> frozenset[int]:
    """Internal boundaries of a segmentation given as a list of sentence strings."""
    pieces = list(pieces)
    bounds, offset = set(), 0
    for piece in pieces[:-1]:
        offset += nonspace_len(piece)
        bounds.add(offset)
    return frozenset(bounds)


def run(segment: Segmenter, paragraphs: list[Paragraph]) -> tuple[list[frozenset[int]], float]:
    """Segment every paragraph; return the boundaries found and the seconds taken."""
    start = time.perf_counter()
    predicted = [segment(text) for text, _, _ in paragraphs]
    elapsed = time.perf_counter() - start
    return [boundaries_of(pieces) for pieces in predicted], elapsed


def score(found: list[frozenset[int]], paragraphs: list[Paragraph]) -> dict[str, float]:
    """Precision, recall and F1 of internal boundaries."""
    tp = fp = fn = 0
    for (_, gold, _), bounds in zip(paragraphs, found, strict=True):
        tp += len(bounds & gold)
        fp += len(bounds - gold)
        fn += len(gold - bounds)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "false_splits": fp,
        "missed": fn,
    }


def show_errors(lang: str, paragraphs: list[Paragraph], found: list[frozenset[int]]) -> None:
    """Print each wrong boundary with some context, marking it ``<FP>`` or ``<FN>``."""
    for (text, gold, _), bounds in zip(paragraphs, found, strict=True):
        for offset in sorted(bounds ^ gold):
            tag = "FP" if offset in bounds else "FN"
            count, pos = 0, 0
            while count < offset:
                count += not text[pos].isspace()
                pos += 1
            print(
                f"{lang} {tag}: ...{text[max(0, pos - 70) : pos]} <{tag}> "
                f"{text[pos : pos + 50]}...",
                file=sys.stderr,
            )


def segmenters(lang: str) -> dict[str, Segmenter]:
    """mlcorpus and the baselines available for *lang*."""

    def ours(text: str) -> list[str]:
        return [text[s:e] for s, e in sentence_spans(text, lang)]

    found: dict[str, Segmenter] = {"mlcorpus": ours}
    try:
        import pysbd

        sbd = pysbd.Segmenter(language=lang, clean=False)
        found["pysbd"] = sbd.segment
    except ImportError:
        print("pysbd not installed: baseline skipped", file=sys.stderr)
    if lang == "ru":
        try:
            from razdel import sentenize

            found["razdel"] = lambda text: [s.text for s in sentenize(text)]
        except ImportError:
            print("razdel not installed: baseline skipped", file=sys.stderr)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--years", nargs="+", default=list(DEV_YEARS + TEST_YEARS))
    parser.add_argument(
        "--unpc",
        type=Path,
        default=DEFAULT_UNPC,
        help="UN Parallel Corpus dev set, scored as a genre check if present",
    )
    parser.add_argument(
        "--show-errors",
        metavar="NAME",
        default=None,
        help="print the boundaries NAME (e.g. mlcorpus) got wrong to stderr",
    )
    args = parser.parse_args(argv)

    if not args.data.is_dir():
        print(f"Error: WMT documents not found in {args.data}", file=sys.stderr)
        return 1
    docs_by_year = {}
    for year in args.years:
        path = args.data / f"newstest{year}.en-ru.docs.tsv"
        if not path.is_file():
            print(f"Error: missing {path}", file=sys.stderr)
            return 1
        docs_by_year[year] = read_documents(path)

    unpc_docs = read_unpc(args.unpc) if (args.unpc / "UNv1.0.devset.ids").is_file() else []
    result: dict = {"seed": args.seed, "data": str(args.data), "languages": {}}
    met = True
    for li, lang in enumerate(("en", "ru")):
        rng = random.Random(args.seed)
        per_year = {
            year: [
                p
                for doc in docs.values()
                for p in build_paragraphs([pair[li] for pair in doc], rng)
            ]
            for year, docs in docs_by_year.items()
        }
        dev = [p for y in DEV_YEARS if y in per_year for p in per_year[y]]
        test = [p for y in TEST_YEARS if y in per_year for p in per_year[y]]
        everything = dev + test
        sentences = sum(n for _, _, n in everything)
        lang_result: dict = {
            "paragraphs": {"dev": len(dev), "test2015": len(test)},
            "sentences": sentences,
            "gold_boundaries": sum(len(b) for _, b, _ in everything),
        }
        for name, segment in segmenters(lang).items():
            found, elapsed = run(segment, everything)
            if name == args.show_errors:
                show_errors(lang, everything, found)
            lang_result[name] = {
                "dev": score(found[: len(dev)], dev),
                "test2015": score(found[len(dev) :], test),
                "all": score(found, everything),
                "sentences_per_s": round(sentences / elapsed),
            }
        ours = lang_result["mlcorpus"]["all"]["f1"]
        baselines = [k for k in lang_result if k in ("pysbd", "razdel")]
        best = max((lang_result[k]["all"]["f1"] for k in baselines), default=0.0)
        speed = lang_result["mlcorpus"]["sentences_per_s"]
        lang_result["ratio_f1_vs_best_baseline"] = round(ours / best, 4) if best else None
        lang_result["ratio_speed_vs_pysbd"] = (
            round(speed / lang_result["pysbd"]["sentences_per_s"], 1)
            if "pysbd" in lang_result
            else None
        )
        lang_result["targets_met"] = bool(
            ours >= TARGET_F1[lang] and ours > best and speed >= TARGET_SENTENCES_PER_S
        )
        if unpc_docs:
            # Genre check on UN documents: scores only, the targets are set on WMT.
            rng = random.Random(args.seed)
            unpc = [
                p for doc in unpc_docs for p in build_paragraphs([pair[li] for pair in doc], rng)
            ]
            lang_result["unpc"] = {
                "paragraphs": len(unpc),
                "gold_boundaries": sum(len(b) for _, b, _ in unpc),
                **{
                    name: score(run(segment, unpc)[0], unpc)
                    for name, segment in segmenters(lang).items()
                },
            }
        met = met and lang_result["targets_met"]
        result["languages"][lang] = lang_result
    result["targets_met"] = met
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
