"""Translation quality metrics: sacrebleu's BLEU, chrF, chrF++ and TER, term accuracy,
segment and document scores, and paired significance tests.

Typical use::

    from mlcorpus.metrics import score_systems
    report = score_systems([("mt", hyps)], refs)
    report.systems[0].scores["chrf"]

sacrebleu is imported only when a metric is built, so importing this package
is cheap.
"""

from __future__ import annotations

from mlcorpus.metrics.base import Metric
from mlcorpus.metrics.sacre import (
    BLEU,
    DEFAULT_METRICS,
    METRICS,
    TER,
    ChrF,
    ChrFPlusPlus,
    bleu_tokenizers,
)
from mlcorpus.metrics.scoring import (
    Comparison,
    PairedResult,
    Scorer,
    ScoreReport,
    SystemScores,
    metric_title,
    score_documents,
    score_systems,
)
from mlcorpus.metrics.terms import (
    TERM_ACCURACY,
    SegmentTerms,
    TermAccuracy,
    TermChecker,
    TermRef,
    TermSpan,
)

__all__ = [
    "BLEU",
    "DEFAULT_METRICS",
    "METRICS",
    "TER",
    "TERM_ACCURACY",
    "ChrF",
    "ChrFPlusPlus",
    "Comparison",
    "Metric",
    "PairedResult",
    "ScoreReport",
    "Scorer",
    "SegmentTerms",
    "SystemScores",
    "TermAccuracy",
    "TermChecker",
    "TermRef",
    "TermSpan",
    "bleu_tokenizers",
    "metric_title",
    "score_documents",
    "score_systems",
]
