"""Dynamic batching: concurrent requests translated in one CTranslate2 batch.

A request hands its segments to :meth:`DynamicBatcher.translate` and awaits
the result.  The model has one replica per core (CTranslate2
``inter_threads``) and the batcher keeps up to that many batches in flight
(``slots``), each on one replica and one translation thread.  Whenever a
slot is free, one worker task gathers the waiting requests into a batch:
while other requests are still being read (``arriving``), or fewer are
waiting than the last batch held (its clients are sending their next
requests), it waits up to ``wait_ms`` more for them, up to ``max_segments``
segments and up to a fair share of everything in flight and waiting
(``ceil(requests / slots)``), so 32 clients on two cores make two batches of
16 that run side by side.  When a batch finishes, its clients' next requests
form the next batch on the same core while the other batch still runs: no
core waits for the slower half of a split batch, nor for the HTTP work
between two batches.  A lone request never waits: with nothing else arriving
it is sent at once, and a batch with nothing else in flight is spread over
every replica.

CTranslate2 releases the GIL, so the event loop keeps reading requests
meanwhile.  A lone short request (nothing else queued, arriving or in
flight) is translated on the event loop itself instead: the two thread
hand-offs would cost more than the few milliseconds the loop is busy, and on
a loaded machine each hand-off waits for a time slice.  The SQLite
translation cache is shared by every request (and with ``mlcorpus
translate`` when the default cache file is used); batches look it up and
fill it one at a time, under a lock, and translate outside it.
"""

from __future__ import annotations

import asyncio
import threading
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
    inline: int = 0  # lone requests translated on the event loop
    busy_seconds: float = 0.0  # summed over batches running side by side

    def to_dict(self) -> dict[str, Any]:
        return {
            "batches": self.batches,
            "requests": self.requests,
            "segments": self.segments,
            "largest_batch": self.largest_batch,
            "inline": self.inline,
            "busy_seconds": round(self.busy_seconds, 3),
        }


@dataclass
class DynamicBatcher:
    engines: Engines
    cache_factory: Callable[[], TranslationCache | None] = lambda: None
    wait_ms: float = 5.0
    max_segments: int = 256
    #: batches in flight at once; default: the models' replicas (inter_threads)
    slots: int | None = None
    #: a lone request with at most this many segments (and characters in
    #: all) is translated on the event loop; 0 switches that off
    inline_segments: int = 2
    inline_chars: int = 600
    stats: BatchStats = field(default_factory=BatchStats)

    def __post_init__(self) -> None:
        if self.slots is None:
            replicas = [t.inter_threads for t in self.engines.translators.values()]
            self.slots = max(replicas, default=1)
        self.slots = max(1, self.slots)
        self._queue: asyncio.Queue[_Job] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._free: asyncio.Semaphore | None = None
        self._in_flight: set[asyncio.Future[Any]] = set()
        self._executor = ThreadPoolExecutor(
            max_workers=self.slots, thread_name_prefix="mlcorpus-mt"
        )
        self._cache: TranslationCache | None = None
        self._cache_opened = False
        self._cache_lock = threading.Lock()
        self._arriving = 0
        self._running = 0  # requests in batches in flight

    # -- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._free = asyncio.Semaphore(self.slots or 1)
        self._worker = asyncio.create_task(self._work(), name="mlcorpus-batcher")

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with suppress(asyncio.CancelledError):
                await self._worker
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._close_cache)
        self._executor.shutdown(wait=True)

    def _close_cache(self) -> None:
        with self._cache_lock:
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
        assert self._free is not None
        previous = 1  # requests in the last batch: how many clients one batch serves
        while True:
            await self._free.acquire()
            try:
                jobs = await self._gather(previous)
            except BaseException:
                self._free.release()
                raise
            previous = len(jobs)
            self._launch(jobs)

    def _share(self, gathered: int) -> int:
        """Most requests one batch should take: a fair part of everything
        gathered, waiting, being read and in flight."""
        assert self._queue is not None and self.slots
        total = gathered + self._queue.qsize() + self._arriving + self._running
        return max(1, -(-total // self.slots))

    async def _gather(self, previous: int) -> list[_Job]:
        """The next batch: every waiting request up to the limits above,
        waiting up to ``wait_ms`` for requests that are on their way."""
        assert self._queue is not None
        jobs = [await self._queue.get()]
        size = len(jobs[0].segments)
        deadline = time.monotonic() + self.wait_ms / 1000
        while size < self.max_segments and len(jobs) < self._share(len(jobs)):
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
        return jobs

    def _launch(self, jobs: list[_Job]) -> None:
        """Start *jobs* as one batch; its results are handed out (and its
        slot freed) when it is done."""
        assert self._queue is not None
        alone = not (self._running or self._arriving or not self._queue.empty())
        self._running += len(jobs)
        started = time.perf_counter()
        if alone and self._short(jobs):
            self.stats.inline += 1
            try:
                outcomes: list[list[SegmentResult] | BaseException] = list(self._run(jobs, 1))
            except Exception as exc:
                outcomes = [exc] * len(jobs)
            self._finish(jobs, outcomes, started)
            return
        # with nothing else in flight the batch may use every replica
        replicas = (self.slots or 1) if alone else 1
        loop = asyncio.get_running_loop()
        running = loop.run_in_executor(self._executor, self._run, jobs, replicas)
        self._in_flight.add(running)

        def done(future: asyncio.Future[list[list[SegmentResult] | Exception]]) -> None:
            self._in_flight.discard(future)
            if future.cancelled():
                outcomes: list[list[SegmentResult] | BaseException] = [
                    asyncio.CancelledError()
                ] * len(jobs)
            elif future.exception() is not None:
                outcomes = [future.exception()] * len(jobs)  # type: ignore[list-item]
            else:
                outcomes = list(future.result())
            self._finish(jobs, outcomes, started)

        running.add_done_callback(done)

    def _finish(
        self,
        jobs: list[_Job],
        outcomes: list[list[SegmentResult] | BaseException],
        started: float,
    ) -> None:
        assert self._free is not None
        self._running -= len(jobs)
        self._free.release()
        stats = self.stats
        stats.busy_seconds += time.perf_counter() - started
        stats.batches += 1
        stats.requests += len(jobs)
        stats.segments += sum(len(job.segments) for job in jobs)
        stats.largest_batch = max(stats.largest_batch, len(jobs))
        for job, outcome in zip(jobs, outcomes, strict=True):
            if job.future.done():  # the client went away
                continue
            if isinstance(outcome, BaseException):
                job.future.set_exception(outcome)
            else:
                job.future.set_result(outcome)

    def _short(self, jobs: list[_Job]) -> bool:
        """Whether a lone batch is small enough to run on the event loop."""
        if len(jobs) != 1:
            return False
        segments = jobs[0].segments
        return (
            len(segments) <= self.inline_segments
            and sum(map(len, segments)) <= self.inline_chars
            and jobs[0].key.alternatives == 0
        )

    def _cache_now(self) -> TranslationCache | None:
        """The cache, opened on first use (call with the cache lock held)."""
        if not self._cache_opened:
            self._cache_opened = True
            self._cache = self.cache_factory()
        return self._cache

    def _run(self, jobs: list[_Job], replicas: int) -> list[list[SegmentResult] | Exception]:
        """On a translation thread: one model call per batch key, spread over
        at most *replicas* model replicas."""
        groups: dict[BatchKey, list[int]] = {}
        for index, job in enumerate(jobs):
            groups.setdefault(job.key, []).append(index)
        outcomes: list[list[SegmentResult] | Exception] = [[] for _ in jobs]
        for key, members in groups.items():
            try:
                segments = [s for i in members for s in jobs[i].segments]
                results = self._translate(key, segments, jobs[members[0]].glossary, replicas)
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
        self, key: BatchKey, segments: list[str], glossary: Glossary | None, replicas: int
    ) -> list[SegmentResult]:
        from mlcorpus.mt.translate_segments import (
            GLOSSARY_NBEST,
            CacheKey,
            open_block,
            translate_misses,
        )

        translator = self.engines.get(key.src, key.tgt)
        if translator is None:
            raise LookupError(f"no {key.src}->{key.tgt} model is loaded")
        cache_key = CacheKey.of(translator, glossary, GLOSSARY_NBEST, {})
        with self._cache_lock:
            cache = self._cache_now()
            block = open_block(segments, cache, cache_key)
        with translator.spread_over(replicas):
            fresh = translate_misses(translator, block.todo, glossary=glossary)
            alternatives: dict[str, tuple[str, ...]] = {}
            if key.alternatives > 0:
                unique = list(dict.fromkeys(s for s in segments if s.strip()))
                nbest = translator.translate_nbest(unique, key.alternatives + 1)
                alternatives = {s: tuple(h) for s, h in zip(unique, nbest, strict=True)}
        with self._cache_lock:
            run = block.finish(fresh, self._cache, cache_key)
        out = []
        for source, result in zip(segments, run.results, strict=True):
            alts = tuple(
                h
                for h in dict.fromkeys(alternatives.get(source, ()))
                if h != result.text and h.strip()
            )[: key.alternatives]
            out.append(SegmentResult(result.text, result.term_report, alts))
        return out
