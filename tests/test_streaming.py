"""Streaming in bounded memory: translate in blocks through the cache (and
resume after a kill), score from running sums of sacrebleu statistics,
parallel files read side by side."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.ray_kill import stored  # rows in a translation cache

from mlcorpus.errors import InputError
from mlcorpus.metrics.scoring import Scorer
from mlcorpus.metrics.terms import TermChecker
from mlcorpus.mt.cache import TranslationCache
from mlcorpus.mt.translate_segments import TranslationRun, translate_segments, translate_stream
from mlcorpus.textio import zip_line_aligned

REPO = Path(__file__).resolve().parent.parent
GLOSSARY = REPO / "glossary" / "migration.en-ru.tsv"


def _numbered(pairs: list[tuple[str, str]], count: int) -> list[str]:
    """*count* distinct sentences: the test pairs' English with a number, a
    blank line and a repeat now and then."""
    out = []
    for k in range(count):
        en = f"{pairs[k % len(pairs)][0]} ({k // len(pairs)})"
        out.append("" if k % 41 == 0 else pairs[0][0] if k % 37 == 0 else en)
    return out


def test_translate_stream_equals_whole_list_and_reuses_the_cache(en_ru, test_models, tmp_path):
    segments = _numbered(test_models.pairs, 300)
    whole = translate_segments(en_ru, segments, cache=TranslationCache(tmp_path / "a.sqlite"))
    stats = TranslationRun()
    blocks: list[int] = []
    with TranslationCache(tmp_path / "b.sqlite") as cache:
        streamed = list(
            translate_stream(
                en_ru, iter(segments), cache=cache, block_size=64, stats=stats,
                on_block=blocks.append,
            )
        )  # fmt: skip
        assert [r.text for r in streamed] == whole.texts
        assert blocks == [64, 64, 64, 64, 44]
        # a repeat in a later block is served by the cache filled by an earlier one
        assert stats.cache_hits > 0
        assert stats.translated == len({s for s in segments if s.strip()})
        again = TranslationRun()
        list(translate_stream(en_ru, iter(segments), cache=cache, block_size=64, stats=again))
        assert again.translated == 0


def test_translate_stream_reads_its_input_lazily(en_ru, test_models):
    """Results of the first block arrive before the input's end is read."""
    pairs = test_models.pairs
    read = []

    def source():
        for k in range(10_000):
            read.append(k)
            yield f"{pairs[k % len(pairs)][0]} ({k})"

    first = next(translate_stream(en_ru, source(), block_size=50))
    assert first.text and len(read) <= 51


def _translate_cmd(model: Path, source: Path, out: Path, cache: Path) -> list[str]:
    return [
        sys.executable, "-m", "mlcorpus", "translate", str(source), "--from", "en", "--to", "ru",
        "--segmented", "--model", str(model), "--cache", str(cache), "--block-size", "50",
        "--format", "jsonl", "-o", str(out),
    ]  # fmt: skip


def test_killed_translate_resumes_from_the_cache(test_models, tmp_path):
    model = test_models.package("en", "ru")
    source = tmp_path / "in.en"
    lines = _numbered(test_models.pairs, 1200)
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    full = subprocess.run(
        _translate_cmd(model, source, tmp_path / "full.jsonl", tmp_path / "full.sqlite"),
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    distinct = len({s for s in lines if s.strip()})
    assert f"{distinct} translated" in full.stderr

    out, cache = tmp_path / "resumed.jsonl", tmp_path / "resumed.sqlite"
    job = subprocess.Popen(_translate_cmd(model, source, out, cache), env=env)
    deadline = time.time() + 300
    while stored(cache) < 150 and job.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    if job.poll() is not None:
        pytest.skip("the run finished before it could be killed (machine too fast)")
    os.kill(job.pid, signal.SIGKILL)
    job.wait()
    done_before = stored(cache)
    assert 0 < done_before < distinct
    assert not out.exists()  # nothing half-written
    resumed = subprocess.run(
        _translate_cmd(model, source, out, cache), env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    summary = re.search(r"(\d+) from the cache, (\d+) translated", resumed.stderr)
    assert summary is not None, resumed.stderr
    hits, translated = int(summary[1]), int(summary[2])
    assert hits >= done_before  # what the killed run stored is not translated again
    assert translated <= distinct - done_before
    texts = [json.loads(line)["tgt"] for line in out.read_text(encoding="utf-8").splitlines()]
    full_texts = [
        json.loads(line)["tgt"]
        for line in (tmp_path / "full.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert texts == full_texts


def test_streamed_scores_equal_whole_corpus_scores(test_models):
    pairs = test_models.pairs * 5
    sources = [en for en, _ in pairs]
    refs_a = [ru for _, ru in pairs]
    refs_b = [" ".join(reversed(ru.split())) for _, ru in pairs]
    hyp_1 = [" ".join(ru.split()[1:]) for _, ru in pairs]
    hyp_2 = [ru.upper() if k % 3 else ru for k, (_, ru) in enumerate(pairs)]
    terms = TermChecker(str(GLOSSARY), "en", "ru")
    whole = Scorer([refs_a, refs_b], sources=sources, terms=terms)
    expected = [whole.score("one", hyp_1), whole.score("two", hyp_2)]
    hyps = zip(hyp_1, hyp_2, strict=True)
    rows = zip(hyps, zip(refs_a, refs_b, strict=True), sources, strict=True)
    streamed = Scorer(None, terms=TermChecker(str(GLOSSARY), "en", "ru")).score_stream(
        ["one", "two"], rows, chunk=17
    )
    for got, want in zip(streamed, expected, strict=True):
        assert got.scores == pytest.approx(want.scores, abs=1e-9)
        assert got.terms is not None and want.terms is not None
        assert (got.terms.hits, got.terms.total) == (want.terms.hits, want.terms.total)
        assert want.terms.total > 0
    assert len(expected[0].statistics["bleu"]) == len(pairs)
    assert len(streamed[0].statistics["bleu"]) == 1  # running sums only


def test_parallel_streams_report_their_line_counts():
    rows = list(zip_line_aligned([("a", iter(["1", "2"])), ("b", iter(["x", "y"]))]))
    assert rows == [("1", "x"), ("2", "y")]
    with pytest.raises(InputError, match="b has 3 lines, a has 2"):
        list(zip_line_aligned([("a", iter(["1", "2"])), ("b", iter(["x", "y", "z"]))]))
    with pytest.raises(InputError, match="b has 1 lines, a has 2"):
        list(zip_line_aligned([("a", iter(["1", "2"])), ("b", iter(["x"]))]))


def test_windowed_alignment_covers_every_line_and_agrees_with_one_pass(dev_data):
    from mlcorpus.align.aligner import align_sentences
    from mlcorpus.align.beads import check_beads
    from mlcorpus.align.stream import align_stream

    unpc = dev_data / "unpc"
    if not (unpc / "UNv1.0.devset.en").exists():
        pytest.skip("UNPC dev set not available")
    en = (unpc / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()[:400]
    ru = (unpc / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()[:400]
    ru = [r for k, r in enumerate(ru) if k % 40 != 3]  # some sentences without a translation
    whole = align_sentences(en, ru, "en", "ru")
    windowed = [
        bead for bead, _, _ in align_stream(((e, 0) for e in en), ((r, 0) for r in ru), "en", "ru",
                                            window=100)
    ]  # fmt: skip
    check_beads(windowed, len(en), len(ru))
    agree = {(b.src, b.tgt) for b in whole} & {(b.src, b.tgt) for b in windowed}
    assert len(agree) >= 0.97 * len(whole)
    # a text no longer than one window is aligned exactly as in one pass
    short = list(align_stream(((e, 0) for e in en[:100]), ((r, 0) for r in ru[:97]), "en", "ru"))
    assert [b for b, _, _ in short] == align_sentences(en[:100], ru[:97], "en", "ru")
    assert short[0][1] == [en[short[0][0].src[0]]]
