"""The translate stage on a pool of Ray actors, each holding one model.

The driver streams the input in the same blocks as the single-machine path
(:func:`mlcorpus.mt.translate_segments.translate_stream`), looks each block
up in the translation cache and sends only the misses to an actor.  The actor
runs :func:`~mlcorpus.mt.translate_segments.translate_misses` (decoding and
glossary enforcement) on exactly that list, so batches, and therefore the
output, are the ones one machine would produce.  Results come back in input
order, are committed to the cache and yielded block by block.

Fault tolerance is the driver's job and needs no Ray retry settings: a block
whose actor died (process killed, node lost) is sent to another live actor;
a block is written only once, after its results arrived, so nothing is lost
or duplicated.  When every actor is gone a new pool is started on whatever
nodes remain.  Each actor is pinned to its node: an actor meant for a node
that has just died (and is still listed as alive) fails as soon as the
cluster notices, and its blocks move on, instead of waiting forever for a
place on the nodes the other actors already fill.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlcorpus.distributed.cluster import connect, node_cpus, retryable_errors
from mlcorpus.errors import MlcorpusError
from mlcorpus.mt.translate_segments import (
    GLOSSARY_NBEST,
    CacheKey,
    PendingBlock,
    TranslationRun,
    open_block,
)

if TYPE_CHECKING:
    from mlcorpus.mt.cache import CachedTranslation, TranslationCache
    from mlcorpus.mt.engine import Translator

#: blocks queued per actor: one decoding, one waiting, so an actor never idles
#: while the driver writes; also bounds the driver's memory
BLOCKS_PER_ACTOR = 2
#: how many times a block may lose its worker before the job gives up
MAX_ATTEMPTS = 8


def package_archive(folder: Path) -> bytes:
    """An Argos package folder as ``.argosmodel`` bytes (a zip with one top
    folder), to ship through the object store: nodes need no model installed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path(folder.name) / path.relative_to(folder))
    return buffer.getvalue()


def translator_options(translator: Translator) -> dict[str, Any]:
    """The options that rebuild *translator* elsewhere with the same output."""
    return {
        "compute_type": translator.compute_type,
        "batch_size": translator.batch_size,
        "batch_type": translator.batch_type,
        "max_source_tokens": translator.max_source_tokens,
        **translator.decode_options,
    }


class TranslateWorker:
    """One model loaded once per actor; translates lists of cache misses.

    The package arrives as bytes (resolved from the object store) and is
    unpacked into a private folder on the worker's own disk.
    """

    def __init__(
        self,
        archive: bytes,
        options: dict[str, Any],
        threads: int,
        glossary: Any,
        nbest: int,
        overrides: dict[str, Any],
    ) -> None:
        from mlcorpus.mt.engine import Translator

        # from_path unpacks the archive into a private folder it removes itself
        folder = tempfile.mkdtemp(prefix="mlcorpus-ray-model-")
        try:
            path = Path(folder) / "package.argosmodel"
            path.write_bytes(archive)
            self.translator = Translator.from_path(
                path, inter_threads=threads, intra_threads=1, **options
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self.glossary = glossary
        self.nbest = nbest
        self.overrides = overrides

    def describe(self) -> tuple[str, str, str]:
        """The worker's cache key parts (a key that differs from the driver's
        would mean a different model or options)."""
        key = CacheKey.of(self.translator, self.glossary, self.nbest, self.overrides)
        return key.model, key.options, key.glossary_version

    def translate(self, todo: list[str]) -> list[tuple[str, str, Any]]:
        from mlcorpus.mt.translate_segments import translate_misses

        done = translate_misses(
            self.translator, todo, glossary=self.glossary, nbest=self.nbest, **self.overrides
        )
        return [(d.text, d.raw_text, d.term_report) for d in done]


@dataclass
class _Job:
    """A block sent to the cluster: its todo list, the actor and the result ref."""

    todo: list[str]
    actor: Any = None
    ref: Any = None
    attempts: int = 0


@dataclass
class RayReport:
    """Where the blocks ran: blocks translated per node, blocks sent again
    because their worker was lost."""

    blocks_per_node: dict[str, int] = field(default_factory=dict)
    resubmitted: int = 0

    def summary(self) -> str:
        return (
            f"Ray: {sum(self.blocks_per_node.values())} blocks on "
            f"{len(self.blocks_per_node)} nodes, {self.resubmitted} resubmitted after a lost worker"
        )


@dataclass
class ActorPool:
    """One actor on each node of the cluster, using the node's CPUs; blocks
    go to the least busy live actor."""

    ray: Any
    make_actor: Callable[[str, int], Any]  # (node id, CPUs) -> an actor pinned there
    report: RayReport
    actors: list[Any] = field(default_factory=list)
    load: dict[int, int] = field(default_factory=dict)
    node_of: dict[int, str] = field(default_factory=dict)

    def start(self) -> None:
        cpus = node_cpus(self.ray)
        if not cpus:
            raise MlcorpusError("the Ray cluster has no live node")
        self.actors = []
        for node, n in cpus.items():
            actor = self.make_actor(node, n)
            self.actors.append(actor)
            self.node_of[id(actor)] = node
        self.load = {id(a): 0 for a in self.actors}

    @property
    def capacity(self) -> int:
        return BLOCKS_PER_ACTOR * max(1, len(self.actors))

    def submit(self, job: _Job) -> None:
        if not self.actors:
            self.start()
        actor = min(self.actors, key=lambda a: self.load[id(a)])
        self.load[id(actor)] += 1
        job.actor, job.ref = actor, actor.translate.remote(job.todo)
        job.attempts += 1

    def result(self, job: _Job) -> list[tuple[str, str, Any]]:
        """The job's results; a lost worker's job is resubmitted elsewhere."""
        retry = retryable_errors(self.ray)
        while True:
            try:
                out = self.ray.get(job.ref)
                if id(job.actor) in self.load:  # (an actor dropped after this block was done)
                    self.load[id(job.actor)] -= 1
                node = self.node_of.get(id(job.actor), "?")
                self.report.blocks_per_node[node] = self.report.blocks_per_node.get(node, 0) + 1
                return out
            except retry as exc:
                self.drop(job.actor)
                self.report.resubmitted += 1
                if job.attempts >= MAX_ATTEMPTS:
                    raise MlcorpusError(
                        f"a block failed on {job.attempts} Ray workers in a row: {exc}"
                    ) from None
                self.submit(job)
            except self.ray.exceptions.RayTaskError as exc:
                cause = exc.cause if isinstance(exc.cause, Exception) else exc
                raise MlcorpusError(f"translation failed on a Ray worker: {cause}") from None

    def drop(self, actor: Any) -> None:
        if any(a is actor for a in self.actors):
            self.actors = [a for a in self.actors if a is not actor]
            self.load.pop(id(actor), None)
            self._kill(actor)

    def shutdown(self) -> None:
        for actor in self.actors:
            self._kill(actor)
        self.actors = []

    def _kill(self, actor: Any) -> None:
        with contextlib.suppress(Exception):  # already dead, or its node is gone
            self.ray.kill(actor, no_restart=True)


def translate_blocks_ray(
    translator: Translator,
    segment_blocks: Iterable[list[str]],
    *,
    address: str | None = None,
    cache: TranslationCache | None = None,
    glossary: Any = None,
    nbest: int = GLOSSARY_NBEST,
    report: RayReport | None = None,
    **overrides: Any,
) -> Iterator[TranslationRun]:
    """:func:`~mlcorpus.mt.translate_segments.translate_blocks` on a pool of
    Ray actors: the driver looks each block up in the cache, sends only the
    misses, and yields one run per block in input order.

    *translator* is the locally loaded model: its package is shipped to the
    workers once and its cache key is checked against theirs.
    """
    ray = connect(address)
    key = CacheKey.of(translator, glossary, nbest, overrides)
    archive = ray.put(package_archive(translator.package.path))
    remote_worker = ray.remote(num_cpus=1, max_restarts=0)(TranslateWorker)
    options = translator_options(translator)
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    def make_actor(node: str, cpus: int) -> Any:
        on_node = NodeAffinitySchedulingStrategy(node, soft=False)
        return remote_worker.options(scheduling_strategy=on_node).remote(
            archive, options, cpus, glossary, nbest, overrides
        )

    pool = ActorPool(ray, make_actor, report if report is not None else RayReport())
    pool.start()
    _check_key(ray, pool, key)
    # segments some earlier, unfinished block is translating: a later block
    # reads them from the cache once that block is stored, as one machine does
    inflight: dict[str, int] = {}
    pending: deque[tuple[PendingBlock, list[str], _Job | None]] = deque()

    def finish() -> TranslationRun:
        block, deferred, job = pending.popleft()
        fresh: list[CachedTranslation] = []
        if job is not None:
            from mlcorpus.mt.cache import CachedTranslation

            fresh = [CachedTranslation(*r) for r in pool.result(job)]
            for source in job.todo:
                inflight[source] -= 1
                if not inflight[source]:
                    del inflight[source]
        if deferred and cache is not None:
            block.known.update(
                cache.get_many(key.model, key.options, key.glossary_version, deferred)
            )
        return block.finish(fresh, cache, key)

    try:
        for chunk in segment_blocks:
            block = open_block(chunk, cache, key)
            deferred: list[str] = []
            if cache is not None:
                deferred = [s for s in block.todo if s in inflight]
                block.todo = [s for s in block.todo if s not in inflight]
            job = _Job(block.todo) if block.todo else None
            if job is not None:
                for source in job.todo:
                    inflight[source] = inflight.get(source, 0) + 1
                pool.submit(job)
            pending.append((block, deferred, job))
            while len(pending) > pool.capacity:
                yield finish()
        while pending:
            yield finish()
    finally:
        pool.shutdown()


def _check_key(ray: Any, pool: ActorPool, key: CacheKey) -> None:
    """Refuse to run when a worker would not produce what the driver's cache
    key says (another compute type on that CPU, another model)."""
    for actor in list(pool.actors):
        try:
            model, options, version = ray.get(actor.describe.remote())
        except retryable_errors(ray):
            pool.drop(actor)
            continue
        except ray.exceptions.RayTaskError as exc:
            raise MlcorpusError(f"a Ray worker could not load the model: {exc.cause}") from None
        if (model, options, version) != (key.model, key.options, key.glossary_version):
            raise MlcorpusError(
                "a Ray worker loaded the model with other settings "
                f"({options}) than this machine ({key.options}); "
                "give --compute-type explicitly"
            )
