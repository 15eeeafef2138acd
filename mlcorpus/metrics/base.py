"""The interface every metric shares, in the style of sacrebleu.

A metric object is built once with its options (and, ideally, the references,
so that reference n-grams are extracted once and reused for every system).
It then scores a corpus (``corpus_score``) or one sentence
(``sentence_score``), and prints a reproducibility ``signature``.

Scoring goes through per-segment *sufficient statistics*: one pass over the
hypotheses gives the corpus score, the segment scores, per-document scores and
the input of the significance tests, so none of these re-reads the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

References = Sequence[Sequence[str]]  # one stream per reference set, sacrebleu layout


class Metric:
    """Wraps one sacrebleu metric object; subclasses say which and with what options."""

    #: key in JSON output and on the command line (``bleu``, ``chrfpp`` ...)
    key: ClassVar[str] = ""
    #: column title in tables
    title: ClassVar[str] = ""
    #: True when a lower score is better (TER)
    lower_is_better: ClassVar[bool] = False

    def __init__(self, references: References | None = None, **options: Any) -> None:
        self.options = options
        self._metric = self._build(references=references, **options)
        self._has_refs = references is not None

    # -- to be provided by subclasses -------------------------------------------------
    def _build(self, references: References | None, **options: Any) -> Any:
        raise NotImplementedError

    def _segment_metric(self) -> Any:
        """The sacrebleu object that turns one segment's statistics into a score."""
        return self._metric

    # -- sacrebleu-style interface ----------------------------------------------------
    @property
    def sacrebleu_metric(self) -> Any:
        """The underlying sacrebleu object (for sacrebleu's own significance tests)."""
        return self._metric

    def statistics(
        self, hypotheses: Sequence[str], references: References | None = None
    ) -> list[list[float]]:
        """Per-segment sufficient statistics (uses the cached references by default)."""
        if references is None and not self._has_refs:
            raise ValueError(f"{type(self).__name__}: no references given")
        return self._metric._extract_corpus_statistics(hypotheses, references)

    def score_from_statistics(self, stats: Sequence[Sequence[float]]) -> float:
        """Corpus score of the segments whose statistics are given."""
        return float(self._metric._aggregate_and_compute(stats).score)

    def segment_scores(self, stats: Sequence[Sequence[float]]) -> list[float]:
        """Sentence-level score of every segment, as ``sentence_score`` would give."""
        seg = self._segment_metric()
        return [float(seg._compute_score_from_stats(s).score) for s in stats]

    def corpus_score(
        self, hypotheses: Sequence[str], references: References | None = None
    ) -> float:
        """Corpus-level score, identical to sacrebleu's ``corpus_score``."""
        return self.score_from_statistics(self.statistics(hypotheses, references))

    def sentence_score(self, hypothesis: str, references: Sequence[str]) -> float:
        """Score of one sentence against one or more references."""
        stats = self._segment_metric()._extract_corpus_statistics(
            [hypothesis], [[ref] for ref in references]
        )
        return self.segment_scores(stats)[0]

    def clear_caches(self) -> None:
        """Empty the tokenizer's line cache (sacrebleu keeps up to 2**16
        tokenized lines): streamed scoring calls this after each chunk, so
        memory stays flat however many segments pass."""
        for metric in (self._metric, self._segment_metric()):
            # 13a hands its output to a regexp tokenizer with a cache of its own
            tokenizer = getattr(metric, "tokenizer", None)
            while tokenizer is not None:
                clear = getattr(type(tokenizer).__call__, "cache_clear", None)
                if clear is not None:
                    clear()
                tokenizer = getattr(tokenizer, "_post_tokenizer", None)

    @property
    def signature(self) -> str:
        """sacrebleu's reproducibility signature (known once references were seen)."""
        return self._metric.get_signature().format()

    @property
    def name(self) -> str:
        """The metric's name as sacrebleu prints it (``BLEU``, ``chrF2++``, ``TER``)."""
        return self.title
