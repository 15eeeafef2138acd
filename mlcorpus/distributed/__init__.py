"""Ray execution of the translate and align stages, for corpora that outgrow
one machine.

Imported only when a command is given ``--ray`` (or ``MLCORPUS_RAY_ADDRESS``)
and installed with the ``ray`` extra (``pip install "mlcorpus[ray]"``), so the
plain install and ``mlcorpus --help`` never load Ray.  The results are the
single-machine results, byte for byte: workers run the very functions the
local path runs, on the very same blocks.
"""

from __future__ import annotations

from mlcorpus.distributed.cluster import connect, ray_module
from mlcorpus.distributed.executor import RayExecutor
from mlcorpus.distributed.translate import RayReport, translate_blocks_ray

__all__ = [
    "RayExecutor",
    "RayReport",
    "connect",
    "ray_module",
    "translate_blocks_ray",
]
