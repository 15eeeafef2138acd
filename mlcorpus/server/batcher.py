"""Dynamic batching: concurrent requests translated in one CTranslate2 batch.

A request hands its segments to :meth:`DynamicBatcher.translate` and awaits
the result.  One worker task takes every waiting request, and while other
requests are still being read (``arriving``), or fewer requests are waiting
than the last batch held (its clients are sending their next requests), it
waits up to ``wait_ms`` more for them, up to ``max_segments``; then the
whole group goes through
:func:`mlcorpus.mt.translate_segments` in one call on the one translation
thread.  While that batch runs, new requests queue up and form the next one,
so throughput grows with concurrency while a lone request never waits: with
nothing else arriving it is sent at once.

Batches run on one translation thread: CTranslate2 releases the GIL, so the
event loop keeps reading requests meanwhile.  A lone short request (nothing
else queued or arriving) is translated on the event loop itself instead:
the two thread hand-offs would cost more than the few milliseconds the loop
is busy, and on a loaded machine each hand-off waits for a time slice.  The
SQLite translation cache is shared by every request (and with ``mlcorpus
translate`` when the default cache file is used); the worker uses it from
one place at a time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlcorpus.glossary import Glossary
    from mlcorpus.mt import TranslationCache
    from mlcorpus.server.engines import Engines


@dataclass(frozen=True)
class BatchKey:
    """What must be equal for segments to share one model call."""

    src: str
    tgt: str
    glossary: str = ""  # the glossary's version, "" without one
    alternatives: int = 0


@dataclass(frozen=True)
class SegmentResult:
    """One translated segment: final text, glossary report, alternatives."""

    text: str
    term_report: dict[str, Any] | None = None
    alternatives: tuple[str, ...] = ()


@dataclass
class _Job:
    key: BatchKey
    segments: list[str]
    glossary: Glossary | None
    future: asyncio.Future[list[SegmentResult]]


@dataclass
class BatchStats:
    """Counters shown by the health endpoint."""

    batches: int = 0
    requests: int = 0
    segments: int = 0
    largest_batch: int = 0  # requests in the largest batch
    busy_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "batches": self.batches,
            "requests": self.requests,
            "segments": self.segments,
            "largest_batch": self.largest_batch,
            "busy_seconds": round(self.busy_seconds, 3),
        }


@dataclass
class DynamicBatcher:
    engines: Engines
    cache_factory: Callable[[], TranslationCache | None] = lambda: None
    wait_ms: float = 5.0
    max_segments: int = 256
    #: a lone request with at most this many segments (and characters in
    #: all) is translated on the event loop; 0 switches that off
    inline_segments: int = 2
    inline_chars: int = 600
    stats: BatchStats = field(default_factory=BatchStats)

    def __post_init__(self) -> None:
        self._queue: asyncio.Queue[_Job] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlcorpus-mt")
        self._cache: TranslationCache | None = None
        self._cache_opened = False
        self._arriving = 0

    # -- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._worker = asyncio.create_task(self._work(), name="mlcorpus-batcher")

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with suppress(asyncio.CancelledError):
                await self._worker
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._close_cache)
        self._executor.shutdown(wait=True)

    def _close_cache(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    # -- requests ---------------------------------------------------------------------

    @contextmanager
    def arriving(self) -> Iterator[None]:
        """Mark a request that is being read and will submit segments soon,
        so a forming batch waits for it."""
        self._arriving += 1
        try:
            yield
        finally:
            self._arriving -= 1

    async def translate(
        self, key: BatchKey, segments: list[str], glossary: Glossary | None = None
    ) -> list[SegmentResult]:
        """Translate *segments* together with whatever else is waiting."""
        if not segments:
            return []
        if self._queue is None:
            raise RuntimeError("the batcher is not started")
        future: asyncio.Future[list[SegmentResult]] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(key, segments, glossary, future))
        return await future

    # -- the worker -------------------------------------------------------------------

    async def _work(self) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        previous = 1  # requests in the last batch: how many clients are active
        while True:
            jobs = [await self._queue.get()]
            size = len(jobs[0].segments)
            deadline = time.monotonic() + self.wait_ms / 1000
            while size < self.max_segments:
                if not self._queue.empty():
                    job = self._queue.get_nowait()
                elif (self._arriving > 0 or len(jobs) < previous) and time.monotonic() < deadline:
                    try:
                        job = await asyncio.wait_for(
                            self._queue.get(), max(deadline - time.monotonic(), 0.0001)
                        )
                    except TimeoutError:
                        break
                else:
                    break
                jobs.append(job)
                size += len(job.segments)
            previous = len(jobs)
            started = time.perf_counter()
            try:
                if self._lone_and_short(jobs):
                    outcomes = self._run(jobs)
                else:
                    outcomes = await loop.run_in_executor(self._executor, self._run, jobs)
            except Exception as exc:  # handed to every waiting request
                outcomes = [exc] * len(jobs)
            self.stats.busy_seconds += time.perf_counter() - started
            self.stats.batches += 1
            self.stats.requests += len(jobs)
            self.stats.segments += size
            self.stats.largest_batch = max(self.stats.largest_batch, len(jobs))
            for job, outcome in zip(jobs, outcomes, strict=True):
                if job.future.done():  # the client went away
                    continue
                if isinstance(outcome, BaseException):
                    job.future.set_exception(outcome)
                else:
                    job.future.set_result(outcome)

    def _lone_and_short(self, jobs: list[_Job]) -> bool:
        assert self._queue is not None
        if len(jobs) != 1 or not self._queue.empty() or self._arriving:
            return False
        segments = jobs[0].segments
        return (
            len(segments) <= self.inline_segments
            and sum(map(len, segments)) <= self.inline_chars
            and jobs[0].key.alternatives == 0
        )

    def _cache_now(self) -> TranslationCache | None:
        """The cache, opened on first use."""
        if not self._cache_opened:
            self._cache_opened = True
            self._cache = self.cache_factory()
        return self._cache

    def _run(self, jobs: list[_Job]) -> list[list[SegmentResult] | Exception]:
        """On the translation thread: one model call per batch key."""
        groups: dict[BatchKey, list[int]] = {}
        for index, job in enumerate(jobs):
            groups.setdefault(job.key, []).append(index)
        outcomes: list[list[SegmentResult] | Exception] = [[] for _ in jobs]
        for key, members in groups.items():
            try:
                segments = [s for i in members for s in jobs[i].segments]
                results = self._translate(key, segments, jobs[members[0]].glossary)
            except Exception as exc:  # reported to the group's requests only
                for i in members:
                    outcomes[i] = exc
                continue
            cursor = 0
            for i in members:
                count = len(jobs[i].segments)
                outcomes[i] = results[cursor : cursor + count]
                cursor += count
        return outcomes

    def _translate(
        self, key: BatchKey, segments: list[str], glossary: Glossary | None
    ) -> list[SegmentResult]:
        from mlcorpus.mt import translate_segments

        translator = self.engines.get(key.src, key.tgt)
        if translator is None:
            raise LookupError(f"no {key.src}->{key.tgt} model is loaded")
        run = translate_segments(translator, segments, cache=self._cache_now(), glossary=glossary)
        alternatives: dict[str, tuple[str, ...]] = {}
        if key.alternatives > 0:
            unique = list(dict.fromkeys(s for s in segments if s.strip()))
            nbest = translator.translate_nbest(unique, key.alternatives + 1)
            alternatives = {s: tuple(h) for s, h in zip(unique, nbest, strict=True)}
        out = []
        for source, result in zip(segments, run.results, strict=True):
            alts = tuple(
                h
                for h in dict.fromkeys(alternatives.get(source, ()))
                if h != result.text and h.strip()
            )[: key.alternatives]
            out.append(SegmentResult(result.text, result.term_report, alts))
        return out
