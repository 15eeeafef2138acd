"""Build small but real Argos Translate packages (en->ru and ru->en) for the tests.

The real Argos en<->ru models cannot be downloaded in the offline test
environment, so the project trains its own: a joint SentencePiece model and a
tiny pre-norm Transformer (PyTorch, CPU) that memorises the parallel text in
``tests/data/mt_train.en-ru.tsv``.  The torch weights are written into a
``ctranslate2.specs.TransformerSpec`` with the same layout the OpenNMT-py
converter produces, saved as a CTranslate2 model and packed as a
``.argosmodel`` zip shaped like the real packages: the six metadata fields of
the index (no package_name/type/links), a ``stanza/`` folder, a README, and a
SentencePiece model with SentencePiece's default ids (``<unk>`` 0, ``<s>`` 1,
``</s>`` 2, no pad), mapped to OpenNMT's vocabulary by piece, as the
OpenNMT-py converter does.

Besides the en->ru and ru->en packages the tests share, one en->ru package
per layout variant of the Argos index is built (:data:`VARIANTS`): the 2020
``en_ru/`` top folder, ``translate-en_ru-1_9/`` with ``stanza/``, a BPE
package (Moses tokenisation + subword-nmt codes in ``bpe.model``, like the
OPUS-MT ports) and a package with a ``target_prefix``.

Built packages are cached under ``$MLCORPUS_TEST_MODELS`` (default
``~/.cache/mlcorpus-test-models``) in a folder named after a hash of the
training data, this file and the library versions, so CI trains them once.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import math
import os
import shutil
import tempfile
import time
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ctranslate2
import numpy as np
import sentencepiece as spm
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
TRAIN_DATA = HERE.parent / "data" / "mt_train.en-ru.tsv"
LANG_NAMES = {"en": "English", "ru": "Russian"}
PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3
SPECIAL_PIECES = {PAD_ID: "<blank>", UNK_ID: "<unk>", BOS_ID: "<s>", EOS_ID: "</s>"}
#: the metadata fields real packages carry (argospm index)
REAL_METADATA_FIELDS = (
    "package_version",
    "argos_version",
    "from_code",
    "from_name",
    "to_code",
    "to_name",
)
#: first line of every test package README (mlcorpus.mt.package.TOY_MARKER)
TOY_README = (
    "mlcorpus toy test model\n\n"
    "Trained by the mlcorpus test suite on the 50 pairs of tests/data/mt_train.en-ru.tsv; "
    "it reproduces those sentences and nothing else. Scores computed with it mean nothing.\n"
)
#: the target prefix of the target_prefix variant (the M2M-100 style)
TARGET_PREFIX = "__ru__"
#: en->ru layout variants: name -> top folder of the .argosmodel
VARIANTS = {
    "2020": "en_ru",
    "1_9": "translate-en_ru-1_9",
    "bpe": "translate-en_ru-bpe",
    "prefix": "translate-en_ru-prefix",
}


@dataclass(frozen=True)
class ModelShape:
    """Size of the Transformer; ``tiny`` memorises 50 pairs in seconds."""

    d_model: int = 128
    heads: int = 4
    layers: int = 2
    ffn: int = 256
    max_positions: int = 512


@dataclass(frozen=True)
class TestModels:
    """Paths of the built packages and the pairs they were trained on."""

    packages: dict[tuple[str, str], Path]  # (from, to) -> .argosmodel file
    pairs: list[tuple[str, str]]  # (en, ru)
    variants: dict[str, Path] = field(default_factory=dict)  # VARIANTS name -> .argosmodel

    def package(self, src: str, tgt: str) -> Path:
        return self.packages[(src, tgt)]

    def variant(self, name: str) -> Path:
        return self.variants[name]


def read_pairs(path: Path = TRAIN_DATA) -> list[tuple[str, str]]:
    """The (en, ru) pairs of a two-column TSV file with a header row."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(line.split("\t")[:2]) for line in lines if line.strip()]  # type: ignore[misc]


def train_sentencepiece(
    texts: Sequence[str],
    model_path: Path,
    vocab_size: int,
    *,
    hard_vocab_limit: bool = False,
    model_type: str = "unigram",
) -> spm.SentencePieceProcessor:
    """Train a joint SentencePiece model with SentencePiece's default special
    ids, as Argos's packages have (see :func:`sp_vocabulary` for the mapping
    to OpenNMT's vocabulary).

    ``hard_vocab_limit=False`` lets a small text end with fewer pieces than
    asked for instead of failing.  On a few thousand lines a unigram model
    stops well short of 32k pieces; ``model_type="bpe"`` gets there.
    """
    model_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text("\n".join(texts) + "\n", encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(corpus),
            model_prefix=str(Path(tmp) / "sp"),
            vocab_size=vocab_size,
            model_type=model_type,
            character_coverage=1.0,
            hard_vocab_limit=hard_vocab_limit,
            num_threads=2,
            minloglevel=2,
            input_sentence_size=200000,
            shuffle_input_sentence=True,
        )
        shutil.copyfile(Path(tmp) / "sp.model", model_path)
    return spm.SentencePieceProcessor(model_file=str(model_path))


def sinusoid_table(length: int, dim: int) -> torch.Tensor:
    """OpenNMT-py's position encodings (sin on even, cos on odd channels)."""
    position = torch.arange(length, dtype=torch.float32).unsqueeze(1)
    div = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * -(math.log(10000.0) / dim))
    table = torch.zeros(length, dim)
    table[:, 0::2] = torch.sin(position * div)
    table[:, 1::2] = torch.cos(position * div)
    return table


class Seq2SeqTransformer(nn.Module):
    """A pre-norm encoder-decoder with tied embeddings, shaped like CTranslate2's
    ``TransformerSpec`` so every weight has exactly one place to go."""

    def __init__(self, vocab_size: int, shape: ModelShape) -> None:
        super().__init__()
        self.shape = shape
        self.embedding = nn.Embedding(vocab_size, shape.d_model, padding_idx=PAD_ID)
        nn.init.normal_(self.embedding.weight, std=shape.d_model**-0.5)
        self.register_buffer("positions", sinusoid_table(shape.max_positions, shape.d_model))
        with warnings.catch_warnings():  # nested tensors are off with norm_first; fine
            warnings.simplefilter("ignore", UserWarning)
            self.core = self._make_core(shape)
        self.output_bias = nn.Parameter(torch.zeros(vocab_size))

    @staticmethod
    def _make_core(shape: ModelShape) -> nn.Transformer:
        return nn.Transformer(
            d_model=shape.d_model,
            nhead=shape.heads,
            num_encoder_layers=shape.layers,
            num_decoder_layers=shape.layers,
            dim_feedforward=shape.ffn,
            dropout=0.0,
            batch_first=True,
            norm_first=True,
            layer_norm_eps=1e-6,
        )

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        scale = math.sqrt(self.shape.d_model)
        return self.embedding(ids) * scale + self.positions[: ids.size(1)]

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        length = tgt_in.size(1)
        causal = torch.ones(length, length, dtype=torch.bool).triu(1)
        hidden = self.core(
            self.embed(src),
            self.embed(tgt_in),
            tgt_mask=causal,
            tgt_is_causal=True,
            src_key_padding_mask=src == PAD_ID,
            tgt_key_padding_mask=tgt_in == PAD_ID,
            memory_key_padding_mask=src == PAD_ID,
        )
        return hidden @ self.embedding.weight.T + self.output_bias


def _pad(rows: list[list[int]]) -> torch.Tensor:
    width = max(len(r) for r in rows)
    return torch.tensor([r + [PAD_ID] * (width - len(r)) for r in rows], dtype=torch.long)


def train_to_memorise(
    model: Seq2SeqTransformer,
    sources: list[list[int]],
    targets: list[list[int]],
    *,
    max_steps: int = 600,
    seed: int = 1,
) -> dict[str, float]:
    """Full-batch training until every target token is predicted (teacher forced)
    and the loss is near zero, or *max_steps* (counted in steps, not seconds, so
    a busy machine builds the same model, only later)."""
    torch.manual_seed(seed)
    src = _pad(sources)
    tgt_in = _pad([[BOS_ID] + t for t in targets])
    tgt_out = _pad([t + [EOS_ID] for t in targets])
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0, betas=(0.9, 0.98))
    warmup = 40
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / warmup))
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD_ID)
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
        if step % 25 == 0:
            mask = tgt_out != PAD_ID
            accuracy = float((logits.argmax(-1)[mask] == tgt_out[mask]).float().mean())
            if accuracy == 1.0 and loss_value < 0.01:
                break
    model.eval()
    return {
        "steps": step,
        "loss": loss_value,
        "token_accuracy": accuracy,
        "seconds": round(time.monotonic() - start, 1),
    }


def _np(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().to(torch.float32).cpu().numpy().copy()


def _set_linear(spec, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
    spec.weight = _np(weight)
    if bias is not None:
        spec.bias = _np(bias)


def _set_norm(spec, norm: nn.LayerNorm) -> None:
    spec.gamma = _np(norm.weight)
    spec.beta = _np(norm.bias)


def to_ctranslate2_spec(model: Seq2SeqTransformer, vocabulary: list[str]):
    """Write the torch weights into a ``TransformerSpec`` (OpenNMT-py layout:
    fused q/k/v for self-attention, fused k/v for encoder-decoder attention)."""
    from ctranslate2.specs import TransformerSpec, common_spec

    shape = model.shape
    d = shape.d_model
    spec = TransformerSpec.from_config(
        (shape.layers, shape.layers),
        shape.heads,
        pre_norm=True,
        activation=common_spec.Activation.RELU,
    )
    emb = model.embedding.weight
    for side in (spec.encoder, spec.decoder):
        side.position_encodings.encodings = _np(model.positions)
        side.scale_embeddings = True
    spec.encoder.embeddings[0].weight = _np(emb)
    spec.decoder.embeddings.weight = _np(emb)
    _set_linear(spec.decoder.projection, emb, model.output_bias)
    _set_norm(spec.encoder.layer_norm, model.core.encoder.norm)
    _set_norm(spec.decoder.layer_norm, model.core.decoder.norm)
    for layer_spec, layer in zip(spec.encoder.layer, model.core.encoder.layers, strict=True):
        attn = layer.self_attn
        _set_norm(layer_spec.self_attention.layer_norm, layer.norm1)
        _set_linear(layer_spec.self_attention.linear[0], attn.in_proj_weight, attn.in_proj_bias)
        _set_linear(layer_spec.self_attention.linear[1], attn.out_proj.weight, attn.out_proj.bias)
        _set_norm(layer_spec.ffn.layer_norm, layer.norm2)
        _set_linear(layer_spec.ffn.linear_0, layer.linear1.weight, layer.linear1.bias)
        _set_linear(layer_spec.ffn.linear_1, layer.linear2.weight, layer.linear2.bias)
    for layer_spec, layer in zip(spec.decoder.layer, model.core.decoder.layers, strict=True):
        attn, cross = layer.self_attn, layer.multihead_attn
        _set_norm(layer_spec.self_attention.layer_norm, layer.norm1)
        _set_linear(layer_spec.self_attention.linear[0], attn.in_proj_weight, attn.in_proj_bias)
        _set_linear(layer_spec.self_attention.linear[1], attn.out_proj.weight, attn.out_proj.bias)
        _set_norm(layer_spec.attention.layer_norm, layer.norm2)
        _set_linear(
            layer_spec.attention.linear[0], cross.in_proj_weight[:d], cross.in_proj_bias[:d]
        )
        _set_linear(
            layer_spec.attention.linear[1], cross.in_proj_weight[d:], cross.in_proj_bias[d:]
        )
        _set_linear(layer_spec.attention.linear[2], cross.out_proj.weight, cross.out_proj.bias)
        _set_norm(layer_spec.ffn.layer_norm, layer.norm3)
        _set_linear(layer_spec.ffn.linear_0, layer.linear1.weight, layer.linear1.bias)
        _set_linear(layer_spec.ffn.linear_1, layer.linear2.weight, layer.linear2.bias)
    spec.config.decoder_start_token = "<s>"
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    return spec


def sp_vocabulary(sp: spm.SentencePieceProcessor) -> list[str]:
    """CTranslate2 vocabulary: OpenNMT's four specials, then every other piece.

    The model sees pieces as strings, so SentencePiece's own ids (``<unk>``
    0, ``<s>`` 1, ``</s>`` 2) do not have to line up with the model's.
    """
    specials = {"<unk>", "<s>", "</s>"}
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    return [SPECIAL_PIECES[i] for i in range(4)] + [p for p in pieces if p not in specials]


def ids_of(tokens: list[list[str]], vocabulary: list[str]) -> list[list[int]]:
    """Model ids of token strings (unknown -> ``<unk>``)."""
    index = {piece: i for i, piece in enumerate(vocabulary)}
    return [[index.get(t, UNK_ID) for t in row] for row in tokens]


def write_argos_package(
    spec,
    sp_model: Path,
    src: str,
    tgt: str,
    out_file: Path,
    *,
    version: str = "1.0",
    quantization: str | None = None,
    readme: str = "",
    folder_name: str | None = None,
    tokenizer_name: str = "sentencepiece.model",
    target_prefix: str = "",
) -> Path:
    """Save *spec* and pack it with its tokenizer model as ``out_file``: a zip
    holding one folder (*folder_name*, default the file's stem) with
    metadata.json, model/, the tokenizer (``sentencepiece.model`` or
    ``bpe.model``), stanza/ and README.md, as real packages have."""
    folder_name = folder_name or out_file.stem
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / folder_name
        (root / "model").mkdir(parents=True)
        spec.validate()
        spec.optimize(quantization=quantization)
        spec.save(str(root / "model"))
        shutil.copyfile(sp_model, root / tokenizer_name)
        metadata = {
            "package_version": version,
            "argos_version": "1.9",
            "from_code": src,
            "from_name": LANG_NAMES.get(src, src),
            "to_code": tgt,
            "to_name": LANG_NAMES.get(tgt, tgt),
        }
        if target_prefix:
            metadata["target_prefix"] = target_prefix
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        write_stanza_folder(root / "stanza", src)
        (root / "README.md").write_text(readme or f"{folder_name}\n", encoding="utf-8")
        out_file.parent.mkdir(parents=True, exist_ok=True)
        partial = out_file.with_suffix(".part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                archive.write(path, path.relative_to(Path(tmp)).as_posix())
        os.replace(partial, out_file)
    return out_file


def cache_root() -> Path:
    return Path(
        os.environ.get("MLCORPUS_TEST_MODELS") or Path.home() / ".cache" / "mlcorpus-test-models"
    )


def build_key(data: Path = TRAIN_DATA) -> str:
    """Hash of everything that decides the built packages."""
    digest = hashlib.sha256()
    for part in (
        data.read_bytes(),
        Path(__file__).read_bytes(),
        (HERE / "repack.py").read_bytes(),
        ctranslate2.__version__.encode(),
        torch.__version__.encode(),
        spm.__version__.encode(),
    ):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def chrf(hypotheses: list[str], references: list[str]) -> float:
    """Corpus chrF (sacrebleu defaults) of *hypotheses* against *references*."""
    from sacrebleu.metrics import CHRF

    return CHRF().corpus_score(hypotheses, [references]).score


def check_package(package: Path, sources: list[str], references: list[str]) -> float:
    """chrF on its training pairs of the ``.argosmodel`` *package*, loaded the
    way mlcorpus loads packages (tokenizer, target prefix and all)."""
    from mlcorpus.mt import Translator

    translator = Translator.from_path(package, compute_type="int8")
    return chrf(translator.translate(sources), references)


def write_stanza_folder(folder: Path, lang: str) -> None:
    """``stanza/`` as real packages lay it out (resources.json and
    ``LANG/tokenize/``).  The stanza tokenizer weights are left out: Argos
    splits sentences with them, but offline stanza first tries to download
    its resources.json anyway, so the tests give Argos a one-sentence
    splitter (tests/support/argos_run.py); mlcorpus does not use stanza."""
    (folder / lang / "tokenize").mkdir(parents=True)
    resources = {
        lang: {
            "lang_name": LANG_NAMES.get(lang, lang),
            "default_processors": {"tokenize": "toy"},
            "tokenize": {"toy": {}},
        }
    }
    (folder / "resources.json").write_text(json.dumps(resources, indent=2), encoding="utf-8")


def learn_bpe(words: Sequence[str], merges: int) -> list[tuple[str, str]]:
    """subword-nmt's BPE learning (format 0.2: the last symbol of a word
    carries ``</w>``), deterministic on ties."""
    from collections import Counter

    vocab: Counter[tuple[str, ...]] = Counter(tuple(w[:-1]) + (w[-1] + "</w>",) for w in words if w)
    codes: list[tuple[str, str]] = []
    for _ in range(merges):
        pairs: Counter[tuple[str, str]] = Counter()
        for word, freq in vocab.items():
            for a, b in itertools.pairwise(word):
                pairs[(a, b)] += freq
        if not pairs:
            break
        best = max(pairs, key=lambda p: (pairs[p], p))
        if pairs[best] < 2:
            break
        codes.append(best)
        merged: Counter[tuple[str, ...]] = Counter()
        for word, freq in vocab.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] += freq
        vocab = merged
    return codes


def _train_package(
    label: str,
    sources: list[list[str]],
    targets: list[list[str]],
    vocabulary: list[str],
    log,
) -> Seq2SeqTransformer:
    torch.manual_seed(7)
    model = Seq2SeqTransformer(len(vocabulary), ModelShape())
    stats = train_to_memorise(model, ids_of(sources, vocabulary), ids_of(targets, vocabulary))
    log(f"trained {label}: {stats}")
    return model


def _check(package: Path, sources: list[str], references: list[str], log) -> None:
    score = check_package(package, sources, references)
    log(f"chrF of {package.name} on its training pairs: {score:.1f}")
    if score < 90:
        raise RuntimeError(f"test model {package.name} reached only chrF {score:.1f}")


def _build_all(out: Path, pairs: list[tuple[str, str]], log) -> None:
    """Train and pack every test package into the empty folder *out*."""
    from mlcorpus.mt.tokenizers import BPETokenizer
    from support.repack import repack

    by_lang = {"en": [p[0] for p in pairs], "ru": [p[1] for p in pairs]}
    sp_path = out / "sentencepiece.model"
    sp = train_sentencepiece([t for pair in pairs for t in pair], sp_path, vocab_size=800)
    vocabulary = sp_vocabulary(sp)
    pieces = {lang: sp.encode(texts, out_type=str) for lang, texts in by_lang.items()}
    for src, tgt in (("en", "ru"), ("ru", "en")):
        model = _train_package(f"{src}->{tgt}", pieces[src], pieces[tgt], vocabulary, log)
        package = write_argos_package(
            to_ctranslate2_spec(model, vocabulary),
            sp_path,
            src,
            tgt,
            out / f"translate-{src}_{tgt}-test.argosmodel",
            readme=TOY_README,
        )
        _check(package, by_lang[src], by_lang[tgt], log)
    en_ru = out / "translate-en_ru-test.argosmodel"
    repack(
        en_ru,
        out / f"{VARIANTS['2020']}.argosmodel",
        top=VARIANTS["2020"],
        metadata={"argos_version": "1.0"},
    )
    repack(
        en_ru,
        out / f"{VARIANTS['1_9']}.argosmodel",
        top=VARIANTS["1_9"],
        metadata={"package_version": "1.9"},
    )

    # target_prefix: the decoder is forced to start with __ru__
    prefixed_vocab = vocabulary + [TARGET_PREFIX]
    model = _train_package(
        "en->ru with target prefix",
        pieces["en"],
        [[TARGET_PREFIX, *t] for t in pieces["ru"]],
        prefixed_vocab,
        log,
    )
    package = write_argos_package(
        to_ctranslate2_spec(model, prefixed_vocab),
        sp_path,
        "en",
        "ru",
        out / f"{VARIANTS['prefix']}.argosmodel",
        readme=TOY_README,
        target_prefix=TARGET_PREFIX,
    )
    _check(package, by_lang["en"], by_lang["ru"], log)

    # BPE: Moses tokenisation + subword-nmt codes, like the OPUS-MT ports
    from sacremoses.tokenize import MosesTokenizer

    words = [
        w
        for lang, texts in by_lang.items()
        for text in texts
        for w in MosesTokenizer(lang).tokenize(text)
    ]
    codes = out / "bpe.model"
    codes.write_text(
        "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in learn_bpe(words, 400)),
        encoding="utf-8",
    )
    bpe_pieces = {
        "en": BPETokenizer(codes, "en", "ru").encode(by_lang["en"]),
        "ru": BPETokenizer(codes, "ru", "ru").encode(by_lang["ru"]),
    }
    bpe_vocab = [SPECIAL_PIECES[i] for i in range(4)] + sorted(
        {t for rows in bpe_pieces.values() for row in rows for t in row}
    )
    model = _train_package("en->ru BPE", bpe_pieces["en"], bpe_pieces["ru"], bpe_vocab, log)
    package = write_argos_package(
        to_ctranslate2_spec(model, bpe_vocab),
        codes,
        "en",
        "ru",
        out / f"{VARIANTS['bpe']}.argosmodel",
        readme=TOY_README,
        tokenizer_name="bpe.model",
    )
    _check(package, by_lang["en"], by_lang["ru"], log)
    sp_path.unlink()
    codes.unlink()


def build_test_models(cache_dir: Path | None = None, *, log=print) -> TestModels:
    """Return the test packages, training them if not cached.

    The cache folder is named after :func:`build_key`; it is built in a
    private folder and renamed into place in one step, so concurrent test
    runs never see half a cache entry (older entries are left alone: other
    checkouts may still use them)."""
    pairs = read_pairs()
    root = cache_dir or cache_root()
    target = root / build_key()
    packages = {
        ("en", "ru"): target / "translate-en_ru-test.argosmodel",
        ("ru", "en"): target / "translate-ru_en-test.argosmodel",
    }
    variants = {name: target / f"{top}.argosmodel" for name, top in VARIANTS.items()}
    models = TestModels(packages, pairs, variants)
    if all(p.exists() for p in [*packages.values(), *variants.values()]):
        return models
    # One thread: the model is tiny, and OpenMP threads that spin-wait make
    # training many times slower when other processes share the cores.
    torch.set_num_threads(1)
    root.mkdir(parents=True, exist_ok=True)
    # Parallel workers of one run (pytest -n) wait for the first to finish
    # instead of all training the same models.
    with open(root / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all(p.exists() for p in [*packages.values(), *variants.values()]):
            return models
        with tempfile.TemporaryDirectory(dir=root, prefix=".build-") as tmp:
            out = Path(tmp) / "out"
            out.mkdir()
            _build_all(out, pairs, log)
            try:
                os.replace(out, target)
            except OSError:
                if not all(p.exists() for p in [*packages.values(), *variants.values()]):
                    raise
    return models
