"""Benchmark: mlcorpus engine vs Argos Translate's own path vs raw CTranslate2.

Builds once (cached) an Argos package shaped like the real en->ru model --
Transformer-base (6+6 layers, d_model 512, 8 heads, FFN 2048), a 32k
SentencePiece vocabulary trained on the UNPC dev text (EN+RU; BPE, because a
unigram model stops near 20k pieces on those 8000 lines), int8 weights -- with
random weights, and translates the same N sentences of the UNPC dev set with

(a) Argos Translate's ``apply_packaged_translation`` at its default settings
    (beam 4, ``ARGOS_BATCH_SIZE`` 32 tokens), one sentence per call, with a
    pass-through sentence splitter (Argos's splitters download models on first
    use, which fails offline);
(b) the mlcorpus engine (``mlcorpus.mt.Translator``) at its defaults;
(c) raw ``ctranslate2.Translator.translate_batch`` on pre-tokenised input with
    the best batch/thread settings found by a small search (the ceiling).

All three decode with beam 4 and Argos's options (length penalty 0.2, unknowns
replaced) and exactly ``--decode-tokens`` tokens per sentence: random weights
never choose </s>, so min and max decoding length are both forced (for Argos by
a thin wrapper adding the two keywords to its ``translate_batch`` call).

It also times process start -> first translated line for ``mlcorpus translate``
and for a process that imports ``argostranslate.translate`` and translates one
sentence through its path; both decode CTranslate2's default 256 tokens there.

Usage: python scripts/bench_translate.py [-n 200] [--decode-tokens 40]
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the model builder lives with the test support code
UNPC = REPO.parent / "shared" / "data" / "dev" / "unpc"
VOCAB_SIZE = 32000
DECODING = {"beam_size": 4, "length_penalty": 0.2, "replace_unknowns": True}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_cache_dir() -> Path:
    return Path(
        os.environ.get("MLCORPUS_BENCH_MODELS") or Path.home() / ".cache" / "mlcorpus-bench-models"
    )


def build_base_package() -> tuple[Path, int]:
    """The random-weight Transformer-base package (built once, then cached)."""
    import ctranslate2
    import torch
    from support import build_models as bm

    texts = [
        line
        for name in ("UNv1.0.devset.en", "UNv1.0.devset.ru")
        for line in (UNPC / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    key = hashlib.sha256(
        "\n".join(texts).encode()
        + Path(bm.__file__).read_bytes()
        + ctranslate2.__version__.encode()
    ).hexdigest()[:16]
    target = bench_cache_dir() / key
    package = target / "translate-en_ru-base-random.argosmodel"
    info = target / "info.json"
    if package.exists() and info.exists():
        return package, json.loads(info.read_text())["vocab_size"]
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        sp = bm.train_sentencepiece(
            texts,
            Path(tmp) / "sentencepiece.model",
            VOCAB_SIZE,
            hard_vocab_limit=False,
            model_type="bpe",
        )
        vocabulary = bm.sp_vocabulary(sp)
        log(f"SentencePiece: {len(vocabulary)} pieces in {time.perf_counter() - started:.0f} s")
        torch.manual_seed(0)
        shape = bm.ModelShape(d_model=512, heads=8, layers=6, ffn=2048, max_positions=1024)
        model = bm.Seq2SeqTransformer(len(vocabulary), shape)
        bm.write_argos_package(
            bm.to_ctranslate2_spec(model, vocabulary),
            Path(tmp) / "sentencepiece.model",
            "en",
            "ru",
            package,
            quantization="int8",
            readme="Random-weight Transformer-base for benchmarks.\n",
        )
    info.write_text(json.dumps({"vocab_size": len(vocabulary)}))
    return package, len(vocabulary)


class ForcedLength:
    """Wraps a ctranslate2.Translator so every translate_batch call decodes a
    fixed number of tokens (what random weights need to do comparable work)."""

    def __init__(self, translator, tokens: int) -> None:
        self._translator, self._tokens = translator, tokens

    def translate_batch(self, *args, **kwargs):
        kwargs.update(min_decoding_length=self._tokens, max_decoding_length=self._tokens)
        return self._translator.translate_batch(*args, **kwargs)


def time_argos(package_dir: Path, sentences: list[str], tokens: int) -> float:
    """Seconds for Argos's path, one sentence per apply_packaged_translation call."""
    import ctranslate2
    from argostranslate import package as argos_package
    from argostranslate import settings
    from argostranslate.translate import apply_packaged_translation
    from support.argos_path import WholeTextSentencizer

    pkg = argos_package.Package(package_dir)
    translator = ForcedLength(
        ctranslate2.Translator(
            str(package_dir / "model"),
            device=settings.device,
            inter_threads=settings.inter_threads,
            intra_threads=settings.intra_threads,
            compute_type=settings.compute_type,
        ),
        tokens,
    )
    splitter = WholeTextSentencizer()
    apply_packaged_translation(pkg, sentences[0], translator, splitter, 1)  # warm-up
    started = time.perf_counter()
    for sentence in sentences:
        apply_packaged_translation(pkg, sentence, translator, splitter, 1)
    return time.perf_counter() - started


def time_mlcorpus(
    package_dir: Path, sentences: list[str], tokens: int, **settings
) -> tuple[float, int]:
    from mlcorpus.mt import Translator

    translator = Translator.from_path(package_dir, **settings)
    forced = {"min_decoding_length": tokens, "max_decoding_length": tokens}
    translator.translate(sentences[:4], **forced)  # warm-up
    started = time.perf_counter()
    out = translator.translate(sentences, **forced)
    elapsed = time.perf_counter() - started
    assert len(out) == len(sentences)
    return elapsed, len(translator.tokenize(out[:1])[0])


def time_raw(
    package_dir: Path,
    tokenized: list[list[str]],
    tokens: int,
    *,
    batch_size: int,
    batch_type: str,
    inter: int,
    intra: int,
) -> float:
    import ctranslate2

    translator = ctranslate2.Translator(
        str(package_dir / "model"), compute_type="int8", inter_threads=inter, intra_threads=intra
    )
    forced = {"min_decoding_length": tokens, "max_decoding_length": tokens}
    translator.translate_batch(tokenized[:4], **DECODING, **forced)  # warm-up
    started = time.perf_counter()
    translator.translate_batch(
        tokenized, max_batch_size=batch_size, batch_type=batch_type, **DECODING, **forced
    )
    return time.perf_counter() - started


def first_line_seconds(command: list[str], env: dict[str, str], stdin: str) -> float:
    """Wall time from process start to its first line on stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    proc.stdin.write(stdin)
    proc.stdin.close()
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(timeout=300)
    if proc.returncode != 0 or not line.strip():
        raise RuntimeError(f"{command[:3]} failed: {proc.stderr.read()[-500:]}")
    return elapsed


ARGOS_ONE_SENTENCE = """
import sys
sys.path.insert(0, {tests!r})
from argostranslate import translate
from support.argos_path import WholeTextSentencizer
langs = {{lang.code: lang for lang in translate.get_installed_languages()}}
translation = langs["en"].get_translation(langs["ru"])
translation.underlying.sentencizer = WholeTextSentencizer()
print(translation.translate(sys.stdin.read().strip()), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="sentences to translate")
    parser.add_argument(
        "--decode-tokens", type=int, default=40, help="tokens decoded per sentence in every engine"
    )
    parser.add_argument(
        "--repeats", type=int, default=2, help="timed runs of the fast engines (best is kept)"
    )
    args = parser.parse_args()
    if not UNPC.is_dir():
        sys.exit(f"{UNPC}: UNPC dev data not found")
    sentences = [
        s for s in (UNPC / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines() if s.strip()
    ][: args.n]
    archive, vocab_size = build_base_package()
    workdir = Path(tempfile.mkdtemp(prefix="bench-translate-"))
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(workdir / "packages")
    package_dir = workdir / "packages" / archive.stem
    tokens = args.decode_tokens

    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    tokenized = sp.encode(sentences, out_type=str)

    log("searching raw CTranslate2 settings for the ceiling ...")
    grid = [
        {"batch_size": b, "batch_type": "examples", "inter": i, "intra": t}
        for b in (16, 32, 64)
        for i, t in ((1, 2), (2, 1))
    ]
    grid += [{"batch_size": 2048, "batch_type": "tokens", "inter": 1, "intra": 2}]
    probe = tokenized[: min(64, len(tokenized))]
    probe_times = [(time_raw(package_dir, probe, tokens, **g), g) for g in grid]
    best = min(probe_times, key=lambda x: x[0])[1]
    log(f"best: {best}")

    ceiling_s = min(time_raw(package_dir, tokenized, tokens, **best) for _ in range(args.repeats))
    mlcorpus_s, decoded = min(
        time_mlcorpus(package_dir, sentences, tokens) for _ in range(args.repeats)
    )
    assert decoded >= tokens - 2, decoded  # forced length held (detokenised, re-encoded)
    log(f"ceiling {ceiling_s:.2f} s, mlcorpus {mlcorpus_s:.2f} s; running Argos ...")
    argos_s = time_argos(package_dir, sentences, tokens)

    env = {
        "ARGOS_PACKAGES_DIR": str(workdir / "packages"),
        "MLCORPUS_CACHE": str(workdir / "cache.sqlite"),
    }
    mlcorpus_cli = str(Path(sys.executable).with_name("mlcorpus"))
    first_ml = first_line_seconds(
        [mlcorpus_cli, "translate", "-", "--from", "en", "--to", "ru", "--no-cache"],
        env,
        sentences[1] + "\n",
    )
    first_argos = first_line_seconds(
        [sys.executable, "-c", ARGOS_ONE_SENTENCE.format(tests=str(REPO / "tests"))],
        env,
        sentences[1] + "\n",
    )

    n = len(sentences)
    result = {
        "n_sentences": n,
        "decode_tokens_per_sentence": tokens,
        "beam_size": DECODING["beam_size"],
        "model": "Transformer-base 6+6, d512, 8 heads, FFN 2048, int8, random weights",
        "vocab_size": vocab_size,
        "cpu_count": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "ceiling_settings": best,
        "argos_sents_per_s": round(n / argos_s, 2),
        "mlcorpus_sents_per_s": round(n / mlcorpus_s, 2),
        "ceiling_sents_per_s": round(n / ceiling_s, 2),
        "speedup_vs_argos": round(argos_s / mlcorpus_s, 2),
        "fraction_of_ceiling": round(ceiling_s / mlcorpus_s, 3),
        "first_line_s_mlcorpus": round(first_ml, 2),
        "first_line_s_argos": round(first_argos, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
