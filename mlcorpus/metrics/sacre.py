"""BLEU, chrF, chrF++ and TER: thin wrappers over sacrebleu's own classes.

The numbers are sacrebleu's, computed by sacrebleu's code with its defaults,
so they match the ``sacrebleu`` command line to the last digit.  What the
wrappers add is one shared interface (:class:`~mlcorpus.metrics.base.Metric`)
and segment scores derived from the statistics already computed for the corpus
score.  sacrebleu itself is imported only when a metric is built.
"""

from __future__ import annotations

from typing import Any

from mlcorpus.metrics.base import Metric, References


class BLEU(Metric):
    """Corpus BLEU (sacrebleu defaults: 13a tokenizer, exp smoothing, 4-grams).

    Segment scores use sentence BLEU with effective order, as ``sacrebleu
    --sentence-level`` does, because plain BLEU is 0 for most short sentences.
    """

    key = "bleu"
    title = "BLEU"

    def _build(
        self,
        references: References | None,
        *,
        tokenize: str | None = None,
        lowercase: bool = False,
        **_: Any,
    ) -> Any:
        from sacrebleu.metrics import BLEU as SacreBLEU

        self._sentence = SacreBLEU(tokenize=tokenize, lowercase=lowercase, effective_order=True)
        return SacreBLEU(tokenize=tokenize, lowercase=lowercase, references=references)

    def _segment_metric(self) -> Any:
        return self._sentence


class ChrF(Metric):
    """chrF (character 6-grams, beta 2)."""

    key = "chrf"
    title = "chrF"
    word_order = 0

    def _build(self, references: References | None, *, lowercase: bool = False, **_: Any) -> Any:
        from sacrebleu.metrics import CHRF

        return CHRF(word_order=self.word_order, lowercase=lowercase, references=references)

    def statistics_from_plus_plus(self, stats: list[list[int]]) -> list[list[int]]:
        """chrF statistics taken from chrF++ statistics of the same segments.

        chrF++ statistics start with the very character n-gram counts chrF
        uses, so with a single reference (no best-reference choice, which the
        word n-grams could sway) they are chrF's statistics exactly; this saves
        extracting every hypothesis' character n-grams twice.
        """
        width = 3 * self._metric.char_order
        return [s[:width] for s in stats]


class ChrFPlusPlus(ChrF):
    """chrF++: chrF plus word unigrams and bigrams (``--chrf-word-order 2``)."""

    key = "chrfpp"
    title = "chrF++"
    word_order = 2


class TER(Metric):
    """Translation Edit Rate (sacrebleu's tercom port); lower is better."""

    key = "ter"
    title = "TER"
    lower_is_better = True

    def _build(self, references: References | None, **_: Any) -> Any:
        from sacrebleu.metrics import TER as SacreTER

        return SacreTER(references=references)


#: every corpus metric by its key, in the order tables show them: THE table of
#: metric keys and titles (term accuracy, not a sacrebleu metric, adds its own)
METRICS: dict[str, type[Metric]] = {m.key: m for m in (BLEU, ChrF, ChrFPlusPlus, TER)}
DEFAULT_METRICS: tuple[str, ...] = tuple(METRICS)


def bleu_tokenizers() -> list[str]:
    """The tokenizer names sacrebleu's BLEU accepts, from sacrebleu itself, so
    the list never lags the installed version (imports sacrebleu)."""
    from sacrebleu.metrics.bleu import BLEU as SacreBLEU

    return list(SacreBLEU.TOKENIZERS)


def build_metrics(
    keys: list[str] | tuple[str, ...], references: References | None, **options: Any
) -> dict[str, Metric]:
    """Build the metrics named by *keys*, each caching the references once."""
    unknown = [k for k in keys if k not in METRICS]
    if unknown:
        raise ValueError(
            f"unknown metric(s): {', '.join(unknown)}; choose from {', '.join(METRICS)}"
        )
    return {k: METRICS[k](references=references, **options) for k in keys}
