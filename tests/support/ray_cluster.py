"""A real two-node Ray cluster on this machine, for tests and benchmarks.

Ray talks over the machine's interface address even when told 127.0.0.1, so
the cluster and everything that uses it run inside private network and PID
namespaces (``unshare``) with only a loopback interface: nothing leaves the
machine, and ``ray stop --force`` inside can only see this cluster's own
processes.  The caller hands over a shell script body that runs with the
cluster up (``$RAY_ADDRESS`` set); the cluster is always stopped afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

UNSHARE = ["unshare", "--net", "--pid", "--fork", "--mount-proc"]


def namespaces_available() -> str | None:
    """None when private namespaces can be made here, else the reason why not."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "unshare or ip is not installed"
    try:
        done = subprocess.run(
            [*UNSHARE, "bash", "-c", "ip link set lo up"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unshare failed: {exc}"
    if done.returncode != 0:
        return f"unshare is not permitted here: {done.stderr.strip()[:200]}"
    return None


def ray_bin() -> str:
    """The ``ray`` command next to this Python interpreter."""
    candidate = Path(sys.executable).parent / "ray"
    return str(candidate) if candidate.exists() else "ray"


def cluster_script(
    body: str, workdir: Path, temp: Path, *, port: int = 6380, cpus_per_node: int = 1
) -> str:
    """A bash script: start a head and a second node, run *body*, stop both.
    *temp* is Ray's session folder: a short path, because Ray's Unix socket
    paths inside it must stay under the 107-byte limit."""
    ray = ray_bin()
    return f"""
set -u
ip link set lo up
export RAY_USAGE_STATS_ENABLED=0
export RAY_ADDRESS=127.0.0.1:{port}
cleanup() {{ {ray} stop --force > {workdir}/ray-stop.log 2>&1; }}
trap cleanup EXIT
{ray} start --head --node-ip-address 127.0.0.1 --port {port} --num-cpus {cpus_per_node} \\
    --include-dashboard false --disable-usage-stats --temp-dir {temp} \\
    > {workdir}/ray-head.log 2>&1 || exit 90
{ray} start --address 127.0.0.1:{port} --node-ip-address 127.0.0.1 --num-cpus {cpus_per_node} \\
    --disable-usage-stats > {workdir}/ray-node.log 2>&1 || exit 91
{body}
"""


def run_in_cluster(
    body: str, workdir: Path, *, timeout: float = 600, **options: int
) -> subprocess.CompletedProcess:
    """Run *body* (bash) with a two-node cluster up, inside private namespaces."""
    workdir.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix="mlray-", dir="/tmp"))
    script = workdir / "cluster.sh"
    script.write_text(cluster_script(body, workdir, temp, **options))
    try:
        return subprocess.run(
            [*UNSHARE, "bash", str(script)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=os.environ.copy(),
        )
    finally:
        shutil.rmtree(temp, ignore_errors=True)
