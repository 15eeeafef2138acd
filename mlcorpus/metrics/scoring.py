"""Scoring one or more systems against shared references.

:class:`Scorer` builds each metric once with the references, so the
reference statistics are extracted once however many systems are scored (the
expensive part when comparing many systems).  Each system is read once per
metric into per-segment statistics, from which the corpus score, the segment
scores, per-document scores and the paired significance tests are all derived.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from mlcorpus.metrics.base import Metric
from mlcorpus.metrics.sacre import DEFAULT_METRICS, METRICS, ChrF, build_metrics
from mlcorpus.metrics.terms import SegmentTerms, TermAccuracy, TermChecker


def metric_title(key: str) -> str:
    """The table title of a score key: a corpus metric's (:data:`METRICS`) or
    term accuracy's; every report and summary takes its titles from here."""
    if key == TermChecker.key:
        return TermChecker.title
    return METRICS[key].title


@dataclass
class PairedResult:
    """One system's result in a paired test against the baseline (sacrebleu's Result)."""

    score: float
    p_value: float | None
    mean: float | None
    ci: float | None


@dataclass
class SystemScores:
    """Everything measured for one system."""

    name: str
    scores: dict[str, float]
    statistics: dict[str, list] = field(repr=False, default_factory=dict)
    segments: dict[str, list[float]] = field(repr=False, default_factory=dict)
    terms: TermAccuracy | None = None
    paired: dict[str, PairedResult] | None = None
    documents: dict[str, dict[str, float]] | None = None
    path: str | None = None
    hypotheses: list[str] = field(repr=False, default_factory=list)

    @property
    def segment_terms(self) -> list[SegmentTerms] | None:
        return self.terms.segments if self.terms else None


@dataclass
class Comparison:
    """How systems were compared: which test, how many samples, against which baseline."""

    test: str  # "bs" (paired bootstrap) or "ar" (approximate randomization)
    n_samples: int
    baseline: str
    signatures: dict[str, str]

    @property
    def description(self) -> str:
        kind = (
            "paired bootstrap resampling"
            if self.test == "bs"
            else "paired approximate randomization"
        )
        return (
            f"{kind} ({self.n_samples} samples) against baseline {self.baseline}; "
            "p < 0.05 marks a difference unlikely to be chance"
        )


@dataclass
class ScoreReport:
    """The result of scoring: systems, metric signatures, the data they came from."""

    systems: list[SystemScores]
    metrics: list[str]
    titles: dict[str, str]
    signatures: dict[str, str]
    references: list[list[str]] = field(repr=False)
    sources: list[str] | None = field(repr=False, default=None)
    comparison: Comparison | None = None
    lower_is_better: set[str] = field(default_factory=set)
    doc_ids: list[str] | None = field(repr=False, default=None)

    def system_dict(self, system: SystemScores) -> dict[str, Any]:
        """JSON-ready scores of one system (keys as in the CLI contract)."""
        out: dict[str, Any] = {"system": system.name}
        if system.path:
            out["file"] = system.path
        out.update(system.scores)
        if system.terms is not None:
            out["term_accuracy"] = system.terms.accuracy
            out["term_hits"] = system.terms.hits
            out["term_total"] = system.terms.total
        out["signatures"] = dict(self.signatures)
        if system.documents is not None:
            out["documents"] = system.documents
        if system.paired is not None and self.comparison is not None:
            out["baseline"] = system.name == self.comparison.baseline
            out["comparison"] = {
                k: {"p_value": r.p_value, "mean": r.mean, "ci": r.ci}
                for k, r in system.paired.items()
            }
        return out

    def to_pandas(self) -> Any:
        """One row per system (index: system name), one column per score.

        Segment-level scores, when computed, are in :meth:`segments_to_pandas`.
        """
        import pandas as pd

        records = []
        for s in self.systems:
            row: dict[str, Any] = {"system": s.name, **s.scores}
            if s.terms is not None:
                row.update(
                    term_accuracy=s.terms.accuracy, term_hits=s.terms.hits, term_total=s.terms.total
                )
            for key, r in (s.paired or {}).items():
                row.update({f"{key}_mean": r.mean, f"{key}_ci": r.ci, f"{key}_p_value": r.p_value})
            records.append(row)
        return pd.DataFrame.from_records(records).set_index("system")

    def segments_to_pandas(self) -> Any:
        """Long table of segment scores: system, index, then one column per metric."""
        import pandas as pd

        frames = []
        for s in self.systems:
            frame = pd.DataFrame(s.segments)
            frame.insert(0, "index", range(len(frame)))
            frame.insert(0, "system", s.name)
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def to_dict(self) -> list[dict[str, Any]]:
        """A list of one object per system, however many systems there are
        (as sacrebleu's multi-system JSON), so scripts read one shape."""
        return [self.system_dict(s) for s in self.systems]


#: up to this many segments, reference statistics are cached across systems
REFERENCE_CACHE_LIMIT = 3000
#: segments per extraction when they are not (memory is bounded by one chunk)
STATISTICS_CHUNK = 1000


def _reference_streams(references: Sequence[str] | Sequence[Sequence[str]]) -> list[list[str]]:
    """Accept one reference stream (list of str) or several (list of lists)."""
    if references and isinstance(references[0], str):
        return [list(references)]  # type: ignore[arg-type]
    return [list(r) for r in references]


class Scorer:
    """Scores systems against one set of references with the chosen metrics.

    >>> scorer = Scorer([["The cat sat."]], metrics=["chrf"])
    >>> round(scorer.score("mt", ["The cat sat."]).scores["chrf"], 1)
    100.0
    """

    def __init__(
        self,
        references: Sequence[str] | Sequence[Sequence[str]] | None,
        metrics: Sequence[str] = DEFAULT_METRICS,
        *,
        tokenize: str | None = None,
        lowercase: bool = False,
        sources: Sequence[str] | None = None,
        terms: TermChecker | None = None,
    ) -> None:
        # None: the references come with the segments (score_stream)
        self.references = _reference_streams(references) if references is not None else []
        self.metric_keys = list(metrics)
        # Cached reference statistics make every further system cheap, but chrF's
        # cache holds each reference's n-gram counters (~60 kB a segment): past
        # the limit, statistics are extracted in chunks instead, so memory stays flat.
        self.cache_references = (
            bool(self.references) and len(self.references[0]) <= REFERENCE_CACHE_LIMIT
        )
        self.metrics: dict[str, Metric] = build_metrics(
            self.metric_keys,
            self.references if self.cache_references else None,
            tokenize=tokenize,
            lowercase=lowercase,
        )
        self.sources = list(sources) if sources is not None else None
        self.terms = terms
        if terms is not None and self.sources is None and references is not None:
            raise ValueError("term accuracy needs the source segments")

    @property
    def signatures(self) -> dict[str, str]:
        return {k: m.signature for k, m in self.metrics.items()}

    def score(
        self,
        name: str,
        hypotheses: Sequence[str],
        *,
        segments: bool = False,
        path: str | None = None,
    ) -> SystemScores:
        """Corpus scores of one system (and segment scores when *segments*)."""
        hyps = list(hypotheses)
        stats = self._statistics(hyps)
        scores = {k: self.metrics[k].score_from_statistics(s) for k, s in stats.items()}
        system = SystemScores(
            name=name, scores=scores, statistics=stats, path=path, hypotheses=hyps
        )
        if self.terms is not None and self.sources is not None:
            system.terms = self.terms.score(self.sources, hyps)
        if segments:
            self.add_segment_scores(system)
        return system

    def _statistics(
        self, hyps: list[str], references: list[list[str]] | None = None
    ) -> dict[str, list]:
        """Per-segment statistics for every metric, chrF derived from chrF++ when exact.

        *references* (one list per reference set) are those of *hyps*; by
        default the scorer's own."""
        chrf, chrfpp = self.metrics.get("chrf"), self.metrics.get("chrfpp")
        share = (
            isinstance(chrf, ChrF)
            and chrfpp is not None
            and len(references if references is not None else self.references) == 1
            and chrf.options == chrfpp.options
        )
        stats: dict[str, list] = {
            k: (
                m.statistics(hyps, references)
                if references is not None
                else self._metric_statistics(m, hyps)
            )
            for k, m in self.metrics.items()
            if not (share and k == "chrf")
        }
        if share and isinstance(chrf, ChrF) and chrfpp is not None:
            stats["chrf"] = chrf.statistics_from_plus_plus(stats["chrfpp"])
            # only chrF++ read the references; chrF's signature counts them all the same
            chrf.sacrebleu_metric.num_refs = chrfpp.sacrebleu_metric.num_refs
        return {k: stats[k] for k in self.metric_keys}

    def _metric_statistics(self, metric: Metric, hyps: list[str]) -> list:
        if self.cache_references:
            return metric.statistics(hyps)
        stats: list = []
        for start in range(0, len(hyps), STATISTICS_CHUNK):
            end = start + STATISTICS_CHUNK
            stats += metric.statistics(hyps[start:end], [r[start:end] for r in self.references])
        return stats

    def score_stream(
        self,
        names: Sequence[str],
        rows: Iterable[tuple[Sequence[str], Sequence[str], str | None]],
        *,
        paths: Sequence[str | None] | None = None,
        chunk: int = STATISTICS_CHUNK,
        progress: Callable[[int], None] | None = None,
    ) -> list[SystemScores]:
        """Corpus scores of the systems *names*, read together from a stream of
        ``(hypotheses, references, source)`` rows, one row per segment.

        Every metric's sufficient statistics add up over segments (n-gram
        matches and lengths for BLEU and chrF, edits and reference length for
        TER), so only running sums are kept and memory holds one *chunk*
        however long the corpus: the scores are those of :meth:`score`.
        Segment scores, per-document scores and paired tests need every
        segment's statistics; use :meth:`score` for them.
        """
        import itertools

        totals: list[dict[str, list]] = [{} for _ in names]
        hits = [0] * len(names)
        expected = [0] * len(names)
        stream = iter(rows)
        while block := list(itertools.islice(stream, chunk)):
            references = [list(r) for r in zip(*(row[1] for row in block), strict=True)]
            sources = [row[2] or "" for row in block]
            for k in range(len(names)):
                hyps = [row[0][k] for row in block]
                for key, seg in self._statistics(hyps, references).items():
                    summed = [sum(column) for column in zip(*seg, strict=True)]
                    before = totals[k].get(key, [0] * len(summed))
                    totals[k][key] = [a + b for a, b in zip(before, summed, strict=True)]
                if self.terms is not None:
                    found = self.terms.score(sources, hyps)
                    hits[k] += found.hits
                    expected[k] += found.total
            for metric in self.metrics.values():
                metric.clear_caches()
            if progress is not None:
                progress(len(block))
        systems = []
        for k, name in enumerate(names):
            stats = {key: [totals[k][key]] for key in self.metric_keys if key in totals[k]}
            if len(stats) != len(self.metric_keys):
                raise ValueError("nothing to score: the stream has no segments")
            system = SystemScores(
                name=name,
                scores={k2: self.metrics[k2].score_from_statistics(s) for k2, s in stats.items()},
                statistics=stats,
                path=paths[k] if paths else None,
            )
            if self.terms is not None:
                system.terms = TermAccuracy(
                    hits[k], expected[k], [], self.terms.src_lang, self.terms.tgt_lang
                )
            systems.append(system)
        return systems

    def add_segment_scores(self, system: SystemScores) -> dict[str, list[float]]:
        """Fill in (once) and return the sentence-level scores of every segment."""
        for key, metric in self.metrics.items():
            if key not in system.segments:
                system.segments[key] = metric.segment_scores(system.statistics[key])
        return system.segments

    def document_scores(
        self, system: SystemScores, doc_ids: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        """Scores per document, in order of first appearance of each document id
        (also kept in ``system.documents``)."""
        if len(doc_ids) != len(system.hypotheses):
            raise ValueError(f"{len(doc_ids)} document ids for {len(system.hypotheses)} segments")
        groups: dict[str, list[int]] = {}
        for i, doc in enumerate(doc_ids):
            groups.setdefault(str(doc), []).append(i)
        out: dict[str, dict[str, Any]] = {}
        for doc, idx in groups.items():
            row: dict[str, Any] = {
                k: self.metrics[k].score_from_statistics([system.statistics[k][i] for i in idx])
                for k in self.metric_keys
            }
            if system.terms is not None:
                hits = sum(len(system.terms.segments[i].hit) for i in idx)
                total = sum(len(system.terms.segments[i].expected) for i in idx)
                row["term_accuracy"] = hits / total if total else None
                row["term_hits"], row["term_total"] = hits, total
            row["segments"] = len(idx)
            out[doc] = row
        system.documents = out
        return out

    def report(
        self,
        systems: list[SystemScores],
        comparison: Comparison | None = None,
        doc_ids: Sequence[str] | None = None,
    ) -> ScoreReport:
        """Bundle scored systems with signatures for output."""
        signatures = self.signatures
        if comparison is not None:
            signatures = {**signatures, **comparison.signatures}
        return ScoreReport(
            systems=systems,
            metrics=list(self.metric_keys),
            titles={k: metric_title(k) for k in self.metric_keys},
            signatures=signatures,
            references=self.references,
            sources=self.sources,
            comparison=comparison,
            doc_ids=list(doc_ids) if doc_ids is not None else None,
            lower_is_better={k for k in self.metric_keys if METRICS[k].lower_is_better},
        )


#: a progress wrapper: receives the list of steps, yields them back as each is taken
ProgressWrapper = Callable[[Sequence[Any]], Iterable[Any]]


def score_systems(
    systems: Sequence[tuple[str, Sequence[str]]],
    references: Sequence[str] | Sequence[Sequence[str]],
    metrics: Sequence[str] = DEFAULT_METRICS,
    *,
    tokenize: str | None = None,
    lowercase: bool = False,
    sources: Sequence[str] | None = None,
    terms: TermChecker | None = None,
    segments: bool = False,
    paired: str | None = None,
    n_samples: int = 0,
    doc_ids: Sequence[str] | None = None,
    paths: Sequence[str] | None = None,
    progress: ProgressWrapper | None = None,
) -> ScoreReport:
    """Score named systems; with *paired* (``"bs"`` or ``"ar"``) also compare each
    with the first system using sacrebleu's significance tests.

    *doc_ids* (one per segment) adds per-document scores; *paths* records
    each system's file; *progress* wraps the steps (one per system, plus the
    comparison), so a progress bar advances as each is done.
    """
    scorer = Scorer(
        references, metrics, tokenize=tokenize, lowercase=lowercase, sources=sources, terms=terms
    )
    scored: list[SystemScores] = []
    files = list(paths) if paths is not None else [None] * len(systems)

    def score_one(name: str, hyps: Sequence[str], path: str | None) -> None:
        system = scorer.score(name, hyps, segments=segments, path=path)
        if doc_ids is not None:
            scorer.document_scores(system, doc_ids)
        scored.append(system)

    comparison: list[Comparison] = []

    def compare(test: str) -> None:
        from mlcorpus.metrics.compare import paired_test

        comparison.append(paired_test(scored, scorer.metrics, test=test, n_samples=n_samples))

    steps: list[Callable[[], None]] = [
        partial(score_one, name, hyps, path)
        for (name, hyps), path in zip(systems, files, strict=True)
    ]
    if paired:
        steps.append(partial(compare, paired))
    for step in progress(steps) if progress is not None else steps:
        step()
    return scorer.report(scored, comparison[0] if comparison else None, doc_ids)


def score_documents(
    hypotheses: Sequence[str],
    references: Sequence[str] | Sequence[Sequence[str]],
    doc_ids: Sequence[str],
    metrics: Sequence[str] = DEFAULT_METRICS,
    **options: Any,
) -> dict[str, dict[str, Any]]:
    """Scores of each document (segments sharing a document id), e.g. per release.

    Each document is scored as a corpus of its own segments, with the same
    sacrebleu statistics used for the whole-corpus score.
    """
    scorer = Scorer(references, metrics, **options)
    return scorer.document_scores(scorer.score("system", hypotheses), doc_ids)


def score_files(
    hypotheses: Sequence[str],
    references: Sequence[str],
    metrics: Sequence[str] = DEFAULT_METRICS,
    *,
    sources: str | None = None,
    glossary: str | None = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    tokenize: str | None = None,
    lowercase: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ScoreReport:
    """Corpus scores of hypothesis files against reference files, the files
    read side by side one line at a time (:meth:`Scorer.score_stream`): memory
    stays flat however many segments.  With *glossary* and *sources*, term
    accuracy too; *progress* hears how many segments each chunk held.
    Raises InputError when the files' line counts differ."""
    import itertools

    from mlcorpus.metrics.inputs import iter_segments, system_names
    from mlcorpus.textio import zip_line_aligned

    terms = None
    if glossary and sources:
        terms = TermChecker.for_texts(
            glossary,
            list(itertools.islice(iter_segments(sources), 200)),
            list(itertools.islice(iter_segments(references[0]), 200)),
            src_lang=src_lang,
            tgt_lang=tgt_lang,
        )
    streams = [(r, iter_segments(r)) for r in references]
    streams += [(h, iter_segments(h)) for h in hypotheses]
    if sources:
        streams.append((sources, iter_segments(sources)))
    n_refs, n_hyps = len(references), len(hypotheses)
    rows = (
        (line[n_refs : n_refs + n_hyps], line[:n_refs], line[-1] if sources else None)
        for line in zip_line_aligned(streams)
    )
    scorer = Scorer(None, metrics, tokenize=tokenize, lowercase=lowercase, terms=terms)
    names = system_names(list(hypotheses))
    scored = scorer.score_stream(names, rows, paths=list(hypotheses), progress=progress)
    return scorer.report(scored)
