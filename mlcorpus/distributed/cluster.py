"""Connecting to a Ray cluster, with one clear message when Ray is missing."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mlcorpus.errors import MlcorpusError

#: errors after which a block is sent to another worker: the worker process,
#: its node or an object it held is gone (a Python error in the work is not one)
RETRYABLE_NAMES = (
    "RayActorError",
    "WorkerCrashedError",
    "NodeDiedError",
    "ObjectLostError",
)


def ray_module() -> Any:
    """The ``ray`` package, or an MlcorpusError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise MlcorpusError(
            '--ray needs Ray: pip install "mlcorpus[ray]" (on every node of the cluster)'
        ) from None
    return ray


def retryable_errors(ray: Any) -> tuple[type[BaseException], ...]:
    return tuple(getattr(ray.exceptions, name) for name in RETRYABLE_NAMES)


def connect(address: str | None) -> Any:
    """Join the cluster at *address* (``auto``: the one this machine belongs to,
    as ``ray start`` left it) and return the ``ray`` module.

    The mlcorpus package is shipped to the workers with the job
    (``runtime_env`` ``py_modules``), so nodes need its dependencies
    (ctranslate2, sentencepiece, ...) but neither mlcorpus nor any model.
    """
    ray = ray_module()
    if ray.is_initialized():
        return ray
    import mlcorpus

    try:
        ray.init(
            address=address or "auto",
            logging_level=logging.WARNING,
            log_to_driver=False,
            runtime_env={"py_modules": [str(Path(mlcorpus.__file__).parent)]},
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise MlcorpusError(
            f"cannot connect to the Ray cluster at {address or 'auto'}: {exc}; "
            "start one with 'ray start --head' or give --ray HOST:PORT"
        ) from None
    return ray


def node_cpus(ray: Any) -> list[int]:
    """CPUs of every live node that has some (a head started with
    ``--num-cpus 0`` runs no workers), one entry per node."""
    alive = (node for node in ray.nodes() if node.get("Alive"))
    cpus = (int(node.get("Resources", {}).get("CPU", 0)) for node in alive)
    return [n for n in cpus if n >= 1]
