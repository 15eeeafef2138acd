"""Is system B really different from system A?  sacrebleu's paired tests.

Paired bootstrap resampling (Koehn 2004) and approximate randomization
(Riezler and Maxwell 2005) are run by sacrebleu's own
:class:`sacrebleu.significance.PairedTest`, so p-values and confidence
intervals are exactly those of ``sacrebleu --paired-bs`` / ``--paired-ar``.
The segment statistics we already computed are handed to it instead of being
extracted a second time from the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlcorpus.metrics.base import Metric
from mlcorpus.metrics.scoring import Comparison, PairedResult, SystemScores

TESTS = ("bs", "ar")


class _KnownStatistics:
    """A sacrebleu metric that returns already-computed statistics for known systems."""

    def __init__(self, metric: Any, known: dict[int, list]) -> None:
        self._metric = metric
        self._known = known

    def _extract_corpus_statistics(self, hypotheses: Sequence[str], references: Any) -> list:
        stats = self._known.get(id(hypotheses))
        if stats is None:
            stats = self._metric._extract_corpus_statistics(hypotheses, references)
        return stats

    def __getattr__(self, name: str) -> Any:
        return getattr(self._metric, name)


def paired_test(
    systems: list[SystemScores],
    metrics: dict[str, Metric],
    *,
    test: str = "bs",
    n_samples: int = 0,
    ar_confidence: int = 1000,
) -> Comparison:
    """Compare every system with the first one; fills ``system.paired`` in place.

    *n_samples* 0 means sacrebleu's defaults (1000 resamples for ``bs``, 10000
    trials for ``ar``).  For ``ar``, *ar_confidence* bootstrap resamples give
    the confidence intervals shown next to the scores.
    """
    if test not in TESTS:
        raise ValueError(f"unknown paired test {test!r}; choose from {', '.join(TESTS)}")
    if len(systems) < 2:
        raise ValueError("a paired test needs at least two systems (the first is the baseline)")
    from sacrebleu.significance import PairedTest

    named: list[tuple[str, Sequence[str]]] = [(s.name, s.hypotheses) for s in systems]
    wrapped: dict[str, Any] = {}
    key_of_name: dict[str, str] = {}
    for key, metric in metrics.items():
        known = {id(hyps): s.statistics[key] for (_, hyps), s in zip(named, systems, strict=True)}
        wrapped[key] = _KnownStatistics(metric.sacrebleu_metric, known)
    tester = PairedTest(
        named,
        wrapped,
        references=None,
        test_type=test,
        n_samples=n_samples,
        n_ar_confidence=ar_confidence if test == "ar" else -1,
    )
    for key, metric in metrics.items():
        name = metric.sacrebleu_metric._aggregate_and_compute(systems[0].statistics[key][:1]).name
        key_of_name[name] = key
    signatures, results = tester()
    for name, column in results.items():
        if name == "System":
            continue
        key = key_of_name[name]
        for system, result in zip(systems, column, strict=True):
            if isinstance(result, str):  # sacrebleu's column header
                continue
            if system.paired is None:
                system.paired = {}
            system.paired[key] = PairedResult(
                score=float(result.score),
                p_value=None if result.p_value is None else float(result.p_value),
                mean=None if result.mean is None else float(result.mean),
                ci=None if result.ci is None else float(result.ci),
            )
    return Comparison(
        test=test,
        n_samples=tester.n_samples,
        baseline=systems[0].name,
        signatures={key_of_name[n]: s.format() for n, s in signatures.items()},
    )
