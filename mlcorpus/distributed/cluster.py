"""Connecting to a Ray cluster, with one clear message when Ray is missing."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mlcorpus.errors import MlcorpusError

#: errors after which a block is sent to another worker: the worker process,
#: its node or an object it held is gone, or the actor was pinned to a node
#: that died before it could start there (a Python error in the work is not one)
RETRYABLE_NAMES = (
    "RayActorError",
    "WorkerCrashedError",
    "NodeDiedError",
    "ObjectLostError",
    "ActorUnschedulableError",
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


def node_cpus(ray: Any) -> dict[str, int]:
    """CPUs of every live node that has some (a head started with
    ``--num-cpus 0`` runs no workers), by node id.

    "Live" is what the cluster's control store believes: a node that died a
    moment ago is listed until its health checks have failed (seconds to
    tens of seconds), so whatever is placed on these nodes must cope with
    one being gone.
    """
    alive = (node for node in ray.nodes() if node.get("Alive"))
    cpus = {node["NodeID"]: int(node.get("Resources", {}).get("CPU", 0)) for node in alive}
    return {node: n for node, n in cpus.items() if n >= 1}
