"""A larger trained en->ru package for the serving benchmark.

The test packages (:mod:`support.build_models`) are tiny (d_model 128, two
layers): decoding one sentence costs about as much as the HTTP request
around it, and translating 32 sentences in one batch saves little, which
says nothing about a server running a real model.  Argos Translate's
packages are Transformer-base sized (d_model 512, 6+6 layers); a model of
that family with random weights never emits ``</s>`` (every sentence decodes
to the length limit), so it cannot stand in for one either.

This module trains a model in between: d_model 512, 8 heads, 3+3 layers,
FFN 2048 (:data:`BENCH_SHAPE`) and a 32k-piece joint SentencePiece
vocabulary (BPE, trained on the UNPC dev text as scripts/bench_translate.py
does; Argos's packages have 32k-50k pieces, and the output layer over them
is much of what one decoding step costs).  It is trained on the 50 pairs of
the test data until it reproduces them (teacher forced) -- a few minutes on
one CPU thread, once: the package is cached next to the test packages under
a key of the texts, this file and the library versions, and built under a
file lock so parallel runs wait for one build.  Training computes the
output layer over the pieces those pairs use only; every other piece gets a
large negative output bias, so the packaged model computes all 32k logits
at every step, as a real one does, but never chooses a piece it was not
trained on.  Its translations of unseen sentences mean nothing; what matters
for the benchmark is that it ends its outputs at sensible lengths and costs
per token what a small production model costs.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import time
from pathlib import Path

import ctranslate2
import sentencepiece as spm
import torch
from torch import nn

from support import build_models as bm

#: the benchmark model's size (see the module docstring)
BENCH_SHAPE = bm.ModelShape(d_model=512, heads=8, layers=3, ffn=2048, max_positions=512)
BENCH_README = (
    "mlcorpus benchmark model (en->ru)\n\n"
    "d_model 512, 8 heads, 3+3 layers, FFN 2048, 32k pieces, trained by the mlcorpus "
    "benchmarks on the 50 "
    "pairs of tests/data/mt_train.en-ru.tsv. It reproduces those sentences and nothing else; "
    "it exists to measure serving speed with a model of realistic cost.\n"
)
PACKAGE_NAME = "translate-en_ru-bench.argosmodel"
VOCAB_SIZE = 32000
#: the SentencePiece training text (the shared dev data, as bench_translate uses)
UNPC = bm.HERE.parent.parent.parent / "shared" / "data" / "dev" / "unpc"
UNPC_FILES = ("UNv1.0.devset.en", "UNv1.0.devset.ru")
#: output bias of the pieces the training pairs never use
UNUSED_BIAS = -1e4


def vocabulary_texts() -> list[str]:
    """The SentencePiece training text: the UNPC dev set, both sides."""
    missing = [name for name in UNPC_FILES if not (UNPC / name).exists()]
    if missing:
        raise FileNotFoundError(
            f"the benchmark model's vocabulary is trained on {UNPC}, which is missing"
        )
    return [
        line
        for name in UNPC_FILES
        for line in (UNPC / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def bench_key() -> str:
    """Hash of everything that decides the benchmark package."""
    digest = hashlib.sha256()
    for part in (
        bm.TRAIN_DATA.read_bytes(),
        "\n".join(vocabulary_texts()).encode("utf-8"),
        Path(__file__).read_bytes(),
        Path(bm.__file__).read_bytes(),
        ctranslate2.__version__.encode(),
        torch.__version__.encode(),
        spm.__version__.encode(),
    ):
        digest.update(part)
        digest.update(b"\0")
    return "bench-" + digest.hexdigest()[:16]


class BenchTransformer(bm.Seq2SeqTransformer):
    """The test models' Transformer whose training output layer covers only
    *output_ids* (the pieces the training targets use, ``<blank>`` first)."""

    def __init__(self, vocab_size: int, shape: bm.ModelShape, output_ids: list[int]) -> None:
        super().__init__(vocab_size, shape)
        self.register_buffer("output_ids", torch.tensor(output_ids, dtype=torch.long))

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        length = tgt_in.size(1)
        causal = torch.ones(length, length, dtype=torch.bool).triu(1)
        hidden = self.core(
            self.embed(src),
            self.embed(tgt_in),
            tgt_mask=causal,
            tgt_is_causal=True,
            src_key_padding_mask=src == bm.PAD_ID,
            tgt_key_padding_mask=tgt_in == bm.PAD_ID,
            memory_key_padding_mask=src == bm.PAD_ID,
        )
        weight = self.embedding.weight[self.output_ids]
        return hidden @ weight.T + self.output_bias[self.output_ids]

    def close_unused(self) -> None:
        """Give every piece outside the output ids a large negative bias."""
        with torch.no_grad():
            unused = torch.ones_like(self.output_bias, dtype=torch.bool)
            unused[self.output_ids] = False
            self.output_bias[unused] = UNUSED_BIAS


def train_briefly(
    model: BenchTransformer,
    sources: list[list[int]],
    targets: list[list[int]],
    *,
    max_steps: int = 400,
    log=print,
) -> dict[str, float]:
    """Full-batch training until every target token (``</s>`` included) is
    predicted teacher-forced, or *max_steps*.  A lower learning rate than the
    tiny models' keeps a model this wide stable."""
    torch.manual_seed(1)
    src = bm._pad(sources)
    tgt_in = bm._pad([[bm.BOS_ID] + t for t in targets])
    position = {int(piece): i for i, piece in enumerate(model.output_ids.tolist())}
    tgt_out = bm._pad([[position[x] for x in t + [bm.EOS_ID]] for t in targets])
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.0, betas=(0.9, 0.98))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / 30))
    loss_fn = nn.CrossEntropyLoss(ignore_index=bm.PAD_ID)
    mask = tgt_out != bm.PAD_ID
    start, step, loss_value, accuracy = time.monotonic(), 0, float("inf"), 0.0
    model.train()
    while step < max_steps:
        logits = model(src, tgt_in)
        loss = loss_fn(logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1))
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        step += 1
        loss_value = float(loss.detach())
        if step % 10 == 0:
            accuracy = float((logits.argmax(-1)[mask] == tgt_out[mask]).float().mean())
            log(f"  step {step}: loss {loss_value:.3f}, token accuracy {accuracy:.3f}")
            if accuracy == 1.0 and loss_value < 0.02:
                break
    model.eval()
    return {
        "steps": step,
        "loss": round(loss_value, 4),
        "token_accuracy": accuracy,
        "seconds": round(time.monotonic() - start, 1),
    }


def _build(out: Path, log) -> Path:
    pairs = bm.read_pairs()
    sp_path = out / "sentencepiece.model"
    started = time.monotonic()
    sp = bm.train_sentencepiece(
        vocabulary_texts() + [t for pair in pairs for t in pair],
        sp_path,
        VOCAB_SIZE,
        hard_vocab_limit=False,
        model_type="bpe",  # a unigram model stops near 20k pieces on this text
    )
    vocabulary = bm.sp_vocabulary(sp)
    log(f"SentencePiece: {len(vocabulary)} pieces in {time.monotonic() - started:.0f} s")
    sources = bm.ids_of(sp.encode([p[0] for p in pairs], out_type=str), vocabulary)
    targets = bm.ids_of(sp.encode([p[1] for p in pairs], out_type=str), vocabulary)
    output_ids = sorted({bm.PAD_ID, bm.EOS_ID} | {x for t in targets for x in t})
    torch.manual_seed(7)
    model = BenchTransformer(len(vocabulary), BENCH_SHAPE, output_ids)
    stats = train_briefly(model, sources, targets, log=log)
    model.close_unused()
    log(f"trained the en->ru benchmark model: {stats}")
    package = bm.write_argos_package(
        bm.to_ctranslate2_spec(model, vocabulary),
        sp_path,
        "en",
        "ru",
        out / PACKAGE_NAME,
        # stored in int8 as Argos's packages are, so LibreTranslate (which
        # keeps the stored type) and mlcorpus (int8) compute alike
        quantization="int8",
        readme=BENCH_README,
    )
    score = bm.check_package(package, [p[0] for p in pairs], [p[1] for p in pairs])
    log(f"chrF of {package.name} on its training pairs: {score:.1f}")
    if score < 80:
        raise RuntimeError(f"benchmark model reached only chrF {score:.1f}")
    sp_path.unlink()
    return package


def build_bench_model(cache_dir: Path | None = None, *, log=print) -> Path:
    """The benchmark ``.argosmodel`` (en->ru), trained if not cached.

    Built in a private folder and renamed into place in one step, under a
    file lock, like the test packages."""
    root = cache_dir or bm.cache_root()
    target = root / bench_key()
    package = target / PACKAGE_NAME
    if package.exists():
        return package
    # one thread: OpenMP threads that spin-wait are slow on a shared machine
    torch.set_num_threads(1)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".bench-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if package.exists():
            return package
        with tempfile.TemporaryDirectory(dir=root, prefix=".build-") as tmp:
            out = Path(tmp) / "out"
            out.mkdir()
            _build(out, log)
            os.replace(out, target)
    return package
