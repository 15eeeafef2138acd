"""The ``run`` pipeline's heavy stages on a Ray cluster.

:class:`RayExecutor` is what ``mlcorpus run --ray`` hands the pipeline: the
alignment of many release pairs runs as Ray tasks (in parallel, on any node;
Ray retries a task whose worker died), and translation runs on the actor pool
of :mod:`mlcorpus.distributed.translate`, one block per release, so the
stored translations are those a single machine would store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from mlcorpus.distributed.cluster import connect, node_cpus
from mlcorpus.distributed.translate import RayReport, translate_blocks_ray

if TYPE_CHECKING:
    from mlcorpus.align.beads import Bead
    from mlcorpus.align.stream import AlignJob
    from mlcorpus.mt.engine import Translator
    from mlcorpus.mt.translate_segments import TranslationRun

#: alignment tasks queued per CPU of the cluster (bounds the driver's memory)
TASKS_PER_CPU = 2


def _align_job(job: AlignJob, glossary: Any) -> list[Bead]:
    return job.run(glossary)


class RayExecutor:
    """Alignment as Ray tasks, translation on Ray actors (see the module doc)."""

    def __init__(self, address: str | None = None) -> None:
        self.address = address
        self.report = RayReport()

    def align_many(
        self, jobs: list[AlignJob], glossary: Any = None
    ) -> Iterator[tuple[int, list[Bead]]]:
        """``(job number, beads)`` as tasks finish, in any order."""
        if not jobs:
            return
        ray = connect(self.address)
        task = ray.remote(num_cpus=1, max_retries=3)(_align_job)
        glossary_ref = ray.put(glossary)
        limit = TASKS_PER_CPU * max(1, sum(node_cpus(ray).values()))
        waiting: dict[Any, int] = {}
        queue = iter(enumerate(jobs))
        for k, job in queue:
            waiting[task.remote(job, glossary_ref)] = k
            if len(waiting) >= limit:
                break
        while waiting:
            ready, _ = ray.wait(list(waiting), num_returns=1)
            ref = ready[0]
            k = waiting.pop(ref)
            for k_next, job in queue:
                waiting[task.remote(job, glossary_ref)] = k_next
                break
            yield k, ray.get(ref)

    def translate_blocks(
        self, translator: Translator, blocks: Iterable[list[str]], **options: Any
    ) -> Iterator[TranslationRun]:
        """One run per block, in order, translated on the cluster's actors."""
        return translate_blocks_ray(
            translator, blocks, address=self.address, report=self.report, **options
        )
