"""The batched translation engine: one CTranslate2 model, many segments.

:class:`Translator` loads a package's CTranslate2 model and SentencePiece
model once, then translates whole lists of segments: it encodes them in one
call, translates unique segments only, sorts them by length so batches hold
similar lengths (little padding), hands CTranslate2 large chunks so its
``max_batch_size``/``batch_type``/``inter_threads`` machinery can work, and
restores the original order.  Empty and whitespace-only segments pass through
untouched; segments longer than ``max_source_tokens`` are split at natural
points (:mod:`mlcorpus.mt.split`) and rejoined, never truncated.

Decoding options are CTranslate2's own ``translate_batch`` keywords, passed
straight through; the defaults are Argos Translate's (beam 4, length penalty
0.2, unknown tokens replaced from the source) so results match the Argos app.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mlcorpus.errors import InputError, MlcorpusError
from mlcorpus.mt.package import ModelPackage, read_package
from mlcorpus.mt.split import Piece, join_pieces, split_long

#: longest source (in SentencePiece tokens) sent to the model in one piece;
#: Argos models were trained on sentences, and OpenNMT-py filtered training
#: examples longer than about 200 tokens
DEFAULT_MAX_SOURCE_TOKENS = 200

#: Argos Translate's decoding settings (argostranslate.translate)
ARGOS_DECODING: dict[str, Any] = {"length_penalty": 0.2, "replace_unknowns": True}

#: CTranslate2's compute types
COMPUTE_TYPES = (
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
    "auto",
    "default",
)

#: examples per batch; with beam 4 this keeps CPU matrices well filled
DEFAULT_BATCH_SIZE = 32

#: up to this many segments, one thread decodes fastest
SMALL_WORKLOAD = 8

#: CTranslate2's default max_decoding_length
CT2_MAX_DECODING_LENGTH = 256

#: a progress wrapper: receives the list of chunks, yields them back
ProgressWrapper = Callable[[Sequence[Any]], Iterable[Any]]


def default_threads(
    segments: int | None = None, batch_size: int = DEFAULT_BATCH_SIZE
) -> tuple[int, int]:
    """``(inter_threads, intra_threads)`` for this CPU and workload.

    Measured on 2 cores with a Transformer-base: several single-threaded
    batches in parallel translate a long text fastest (1.5x against one batch
    on both cores), so that is the default.  A single full batch gains a
    little from all cores; a handful of sentences is 2.5x faster on one
    thread (the matrices are too small to split).
    """
    cores = max(1, os.cpu_count() or 1)
    if segments is not None and segments <= SMALL_WORKLOAD:
        return 1, 1
    if segments is not None and segments <= batch_size:
        return 1, min(cores, 4)
    inter = min(cores, 4)
    return inter, max(1, cores // inter)


def decoding_limit(source_tokens: int) -> int:
    """Longest translation allowed for a source of *source_tokens* tokens.

    CTranslate2's default (256) is kept for ordinary sentences, as Argos does;
    a long source gets room for a translation twice its length, so a long
    piece's translation is not cut off at 256 tokens.
    """
    return max(CT2_MAX_DECODING_LENGTH, 2 * source_tokens + 10)


def resolve_compute_type(device: str, requested: str) -> str:
    """*requested* if the device supports it, else CTranslate2's default choice
    (int8 is missing on some CPUs and GPUs)."""
    import ctranslate2

    if requested not in COMPUTE_TYPES:
        raise MlcorpusError(
            f"unknown compute type {requested!r}: choose one of {', '.join(COMPUTE_TYPES)}"
        )
    if device not in ("cpu", "cuda"):
        raise MlcorpusError(f"unknown device {device!r} (ARGOS_DEVICE_TYPE): use cpu or cuda")
    if requested in ("auto", "default"):
        return requested
    try:
        supported = ctranslate2.get_supported_compute_types(device)
    except (RuntimeError, ValueError) as exc:
        raise MlcorpusError(f"device {device!r} is not usable here ({exc})") from None
    if requested in supported:
        return requested
    if requested == "int8":
        for alternative in ("int8_float32", "int8_float16", "int8_bfloat16"):
            if alternative in supported:
                return alternative
    return "default"


def _unpack_argosmodel(path: Path) -> tuple[Path, Callable[[], None]]:
    """Check and unpack a ``.argosmodel`` into a private temporary folder."""
    from mlcorpus.mt.archive import unpack

    tmp = Path(tempfile.mkdtemp(prefix="mlcorpus-model-"))
    try:
        folder = unpack(path, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder, lambda: shutil.rmtree(tmp, ignore_errors=True)


class Translator:
    """A loaded Argos package, ready to translate lists of segments.

    >>> t = Translator.from_installed("en", "ru")          # doctest: +SKIP
    >>> t.translate(["The meeting was held in Moscow.", ""])  # doctest: +SKIP
    ['Встреча состоялась в Москве.', '']
    """

    def __init__(
        self,
        package: ModelPackage,
        *,
        device: str | None = None,
        compute_type: str | None = None,
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        beam_size: int = 4,
        batch_size: int = DEFAULT_BATCH_SIZE,
        batch_type: str = "examples",
        max_source_tokens: int = DEFAULT_MAX_SOURCE_TOKENS,
        **decode_options: Any,
    ) -> None:
        import ctranslate2

        from mlcorpus.mt import argos_settings
        from mlcorpus.mt.tokenizers import load_tokenizer

        device = device or argos_settings.device()
        compute_type = compute_type or argos_settings.compute_type()
        if batch_type not in ("examples", "tokens"):
            raise MlcorpusError(f"batch type must be 'examples' or 'tokens', not {batch_type!r}")
        if beam_size < 1 or batch_size < 1 or max_source_tokens < 1:
            raise MlcorpusError("beam size, batch size and max source tokens must be positive")
        if inter_threads is None or intra_threads is None:
            auto_inter, auto_intra = default_threads()
            inter_threads = auto_inter if inter_threads is None else inter_threads
            intra_threads = auto_intra if intra_threads is None else intra_threads
        self.package = package
        self.device = device
        self.compute_type = resolve_compute_type(device, compute_type)
        self.batch_size = batch_size
        self.batch_type = batch_type
        self.inter_threads = inter_threads
        self._replicas = threading.local()  # see spread_over
        self.max_source_tokens = max_source_tokens
        self.decode_options: dict[str, Any] = {
            **ARGOS_DECODING,
            "beam_size": beam_size,
            **decode_options,
        }
        try:
            self._model = ctranslate2.Translator(
                str(package.model_dir),
                device=device,
                compute_type=self.compute_type,
                inter_threads=inter_threads,
                intra_threads=intra_threads,
            )
            self._tok = load_tokenizer(package)
        except (RuntimeError, ValueError, OSError) as exc:
            raise MlcorpusError(f"cannot load the model in {package.path}: {exc}") from None

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_path(cls, path: str | Path, **options: Any) -> Translator:
        """Load a package folder or an ``.argosmodel`` file (unpacked privately)."""
        source = Path(path)
        if source.is_file():
            folder, cleanup = _unpack_argosmodel(source)
            try:
                translator = cls(read_package(folder), **options)
            except BaseException:
                cleanup()
                raise
            weakref.finalize(translator, cleanup)
            return translator
        if not source.exists():
            raise InputError(f"{source}: no such model file or folder")
        return cls(read_package(source), **options)

    @classmethod
    def from_installed(
        cls, src: str, tgt: str, name: str | None = None, **options: Any
    ) -> Translator:
        """Load the installed *src*->*tgt* package (or the one called *name*)."""
        from mlcorpus.mt.registry import find_installed

        return cls(find_installed(src, tgt, name), **options)

    # -- identity -----------------------------------------------------------------------

    @property
    def model_id(self) -> str:
        """``name@version#fingerprint`` of the loaded package."""
        return self.package.identity

    def _options(self, num_hypotheses: int, overrides: dict[str, Any] | None) -> dict[str, Any]:
        options = {**self.decode_options, **(overrides or {})}
        options["beam_size"] = max(int(options.get("beam_size", 1)), num_hypotheses)
        return options

    def options_key(self, num_hypotheses: int = 1, overrides: dict[str, Any] | None = None) -> str:
        """Everything that changes the output besides model and source, as JSON."""
        options = {
            **self._options(num_hypotheses, overrides),
            "num_hypotheses": num_hypotheses,
            "compute_type": self.compute_type,
            "max_source_tokens": self.max_source_tokens,
        }
        return json.dumps(options, sort_keys=True, separators=(",", ":"))

    def tokenize(self, texts: Sequence[str]) -> list[list[str]]:
        """Pieces of *texts* (SentencePiece or Moses+BPE), as the model sees them."""
        return self._tok.encode(texts) if texts else []

    # -- translation --------------------------------------------------------------------

    def translate(
        self, segments: Sequence[str], *, progress: ProgressWrapper | None = None, **overrides: Any
    ) -> list[str]:
        """Translate *segments*; one output string per input, same order.
        Keyword arguments override decoding options for this call."""
        return [
            hyps[0] for hyps in self.translate_nbest(segments, 1, progress=progress, **overrides)
        ]

    def translate_nbest(
        self,
        segments: Sequence[str],
        num_hypotheses: int,
        *,
        progress: ProgressWrapper | None = None,
        **overrides: Any,
    ) -> list[list[str]]:
        """The *num_hypotheses* best translations of each segment, best first.

        Blank segments give ``num_hypotheses`` copies of themselves.
        """
        if num_hypotheses < 1:
            raise MlcorpusError("the number of hypotheses must be positive")
        unique = list(dict.fromkeys(s for s in segments if s.strip()))
        pieces_of = self._pieces(unique)
        units = [piece for text in unique for piece in pieces_of[text][1]]
        unit_hyps = self._translate_units(
            units, num_hypotheses, self._options(num_hypotheses, overrides), progress
        )
        done: dict[str, list[str]] = {}
        cursor = 0
        for text in unique:
            pieces = pieces_of[text][0]
            per_piece = unit_hyps[cursor : cursor + len(pieces)]
            cursor += len(pieces)
            done[text] = [
                join_pieces(pieces, [hyps[i] for hyps in per_piece]) for i in range(num_hypotheses)
            ]
        return [done[s] if s.strip() else [s] * num_hypotheses for s in segments]

    def _pieces(self, texts: list[str]) -> dict[str, tuple[list[Piece], list[list[str]]]]:
        """Tokenise *texts*; split those over the length limit into pieces."""
        encoded = self.tokenize(texts)
        out: dict[str, tuple[list[Piece], list[list[str]]]] = {}
        for text, tokens in zip(texts, encoded, strict=True):
            if len(tokens) <= self.max_source_tokens:
                out[text] = ([Piece(text, "")], [tokens])
                continue
            pieces = split_long(
                text,
                lambda t: len(self._tok.encode([t])[0]),
                self.max_source_tokens,
                self.package.from_code,
            )
            out[text] = (pieces, self._tok.encode([p.text for p in pieces]))
        return out

    @contextmanager
    def spread_over(self, replicas: int) -> Iterator[None]:
        """Within the block, translate calls made on this thread cut their
        chunks for at most *replicas* of the ``inter_threads`` model replicas.

        A server that runs several batches at once gives each batch one
        replica: cut in two, a batch would make the other batch wait, and two
        half batches cost more than one whole one.  Calls on other threads are
        not affected.
        """
        previous = getattr(self._replicas, "limit", None)
        self._replicas.limit = max(1, replicas)
        try:
            yield
        finally:
            self._replicas.limit = previous

    def _spread(self, examples: int) -> int:
        """``max_batch_size`` for a chunk of *examples*: small enough that
        every one of the ``inter_threads`` (or of the replicas allowed by
        :meth:`spread_over`) gets a share (20 segments on two threads go
        10 + 10, not 32 + none), never above ``batch_size``."""
        threads = min(self.inter_threads, getattr(self._replicas, "limit", None) or 1 << 30)
        if self.batch_type != "examples" or threads <= 1:
            return self.batch_size
        return max(1, min(self.batch_size, -(-examples // threads)))

    def _chunks(self, order: list[int], lengths: list[int]) -> list[list[int]]:
        """Group unit indices (sorted by length) into chunks of several batches,
        so CTranslate2 can run ``inter_threads`` batches at once and a progress
        bar still moves."""
        budget = self.batch_size * max(1, self.inter_threads) * 4
        chunks: list[list[int]] = []
        current: list[int] = []
        used = 0
        for idx in order:
            cost = lengths[idx] if self.batch_type == "tokens" else 1
            if current and used + cost > budget:
                chunks.append(current)
                current, used = [], 0
            current.append(idx)
            used += cost
        if current:
            chunks.append(current)
        return chunks

    def _translate_units(
        self,
        units: list[list[str]],
        num_hypotheses: int,
        options: dict[str, Any],
        progress: ProgressWrapper | None,
    ) -> list[list[str]]:
        lengths = [len(u) for u in units]
        order = sorted(range(len(units)), key=lengths.__getitem__)
        chunks = self._chunks(order, lengths)
        prefix = self.package.target_prefix
        results: list[list[str]] = [[] for _ in units]
        for chunk in progress(chunks) if progress else chunks:
            batch = [units[i] for i in chunk]
            limit = (
                {}
                if "max_decoding_length" in options
                else {"max_decoding_length": decoding_limit(max(lengths[i] for i in chunk))}
            )
            outputs = self._model.translate_batch(
                batch,
                max_batch_size=self._spread(len(batch)),
                batch_type=self.batch_type,
                num_hypotheses=num_hypotheses,
                target_prefix=[[prefix]] * len(batch) if prefix else None,
                **options,
                **limit,
            )
            for idx, output in zip(chunk, outputs, strict=True):
                hyps = [h[1:] if prefix and h[:1] == [prefix] else h for h in output.hypotheses]
                texts = [self._tok.decode(h) for h in hyps]
                results[idx] = (texts + texts[-1:] * num_hypotheses)[:num_hypotheses]
        return results
