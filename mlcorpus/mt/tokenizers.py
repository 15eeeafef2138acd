"""The two tokenizers Argos packages use, with Argos's exact pre/post-processing.

``sentencepiece.model`` is preferred; else ``bpe.model`` holds subword-nmt
merge codes applied after Moses punctuation normalisation and tokenisation,
with Moses detokenisation of the output (``argostranslate.tokenizer.
BPETokenizer``; the OPUS-MT ports in the Argos index use it).  The BPE
segmenter is Argos's own ``argostranslate.apply_bpe`` (stdlib only), so the
pieces match Argos's byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mlcorpus.mt.package import ModelPackage


#: lists shorter than this are encoded text by text (see SentencePieceTokenizer)
BATCH_ENCODE_MIN = 256


class Tokenizer(Protocol):
    def encode(self, texts: Sequence[str]) -> list[list[str]]: ...

    def decode(self, tokens: list[str]) -> str: ...


class SentencePieceTokenizer:
    """SentencePiece pieces in, text out."""

    def __init__(self, model_file: Path) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model_file))

    def encode(self, texts: Sequence[str]) -> list[list[str]]:
        """Pieces of each text.

        SentencePiece encodes a list on a thread pool it sets up per call,
        which costs more than encoding a few sentences (about 0.1 ms against
        5 us for one sentence), so short lists are encoded one by one.
        """
        if len(texts) < BATCH_ENCODE_MIN:
            return [self._sp.encode(text, out_type=str) for text in texts]
        return self._sp.encode(list(texts), out_type=str)

    def decode(self, tokens: list[str]) -> str:
        return self._sp.decode(tokens)


class BPETokenizer:
    """Moses normalise + tokenise, then subword-nmt BPE (``@@ `` continuation)."""

    def __init__(self, codes_file: Path, from_code: str, to_code: str) -> None:
        from argostranslate.apply_bpe import BPE
        from sacremoses.normalize import MosesPunctNormalizer
        from sacremoses.tokenize import MosesDetokenizer, MosesTokenizer

        self._normalizer = MosesPunctNormalizer(from_code)
        self._tokenizer = MosesTokenizer(from_code)
        self._detokenizer = MosesDetokenizer(to_code)
        with open(codes_file, encoding="utf-8") as fh:
            self._bpe = BPE(fh)

    def encode(self, texts: Sequence[str]) -> list[list[str]]:
        out = []
        for text in texts:
            words = " ".join(self._tokenizer.tokenize(self._normalizer.normalize(text)))
            out.append(self._bpe.segment_tokens(words.strip("\r\n ").split(" ")))
        return out

    def decode(self, tokens: list[str]) -> str:
        return self._detokenizer.detokenize(" ".join(tokens).replace("@@ ", "").split(" "))


def load_tokenizer(package: ModelPackage) -> Tokenizer:
    """The tokenizer of *package* (a :class:`~mlcorpus.mt.package.ModelPackage`)."""
    if package.tokenizer_kind == "sentencepiece":
        return SentencePieceTokenizer(package.sentencepiece_model)
    return BPETokenizer(package.bpe_model, package.from_code, package.to_code)
