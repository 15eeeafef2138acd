"""Large test sets are scored in chunks without a reference cache: same numbers."""

from __future__ import annotations

import random

import pytest

from mlcorpus.metrics import scoring
from mlcorpus.metrics.scoring import Scorer

WORDS = [
    "migration",
    "member",
    "states",
    "trafficking",
    "readmission",
    "council",
    "secretary",
    "general",
    "государства",
    "члены",
    "торговля",
    "людьми",
    "реадмиссия",
    "совет",
]


def _corpus(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12))) + "." for _ in range(n)]


def test_chunked_statistics_equal_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    refs, hyps, other = _corpus(250, 1), _corpus(250, 2), _corpus(250, 3)
    cached = Scorer(refs)
    assert cached.cache_references
    expected = [cached.score(name, h, segments=True) for name, h in (("a", hyps), ("b", other))]

    monkeypatch.setattr(scoring, "REFERENCE_CACHE_LIMIT", 100)
    monkeypatch.setattr(scoring, "STATISTICS_CHUNK", 64)
    chunked = Scorer(refs)
    assert not chunked.cache_references
    got = [chunked.score(name, h, segments=True) for name, h in (("a", hyps), ("b", other))]
    for want, have in zip(expected, got, strict=True):
        assert have.scores == want.scores
        assert have.segments == want.segments
    assert chunked.signatures == cached.signatures
