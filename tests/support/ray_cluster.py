"""A real two-node Ray cluster on this machine, for tests and benchmarks.

Ray talks over the machine's interface address even when told 127.0.0.1, so
the cluster and everything that uses it run inside private network and PID
namespaces (``unshare``) with only a loopback interface: nothing leaves the
machine, ports cannot collide with another cluster's, and ``ray stop --force``
inside can only see this cluster's own processes.  The caller hands over a
shell script body that runs with the cluster up (``$RAY_ADDRESS`` set); the
cluster is always stopped afterwards.

The processes the second node's ``ray start`` left running (its raylet and
the agents the raylet started; ``ps`` lines: pid, command) are listed in
``node.ps`` in the work folder, so a test can take that whole node down.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

UNSHARE = ["unshare", "--net", "--pid", "--fork", "--mount-proc"]

#: Ray system settings (``RAY_<name>``, see Ray's ray_config_def.h) for a
#: small local cluster.  The GCS declares a node dead after
#: ``failure_threshold`` failed health checks ``period_ms`` apart (defaults
#: 3000 ms x 5, plus a 10 s timeout per check): a killed node is noticed in
#: about 3 s instead of 15-30 s, while a live raylet on a busy machine still
#: has 5 s to answer each check.  No idle workers are prestarted: the
#: mlcorpus actors need workers with the job's runtime env (its code), which
#: prestarted ones do not have, so prestarting only costs CPU.
RAY_SETTINGS = {
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_health_check_initial_delay_ms": "1000",
    "RAY_health_check_period_ms": "1000",
    "RAY_health_check_timeout_ms": "5000",
    "RAY_health_check_failure_threshold": "3",
    "RAY_prestart_worker_first_driver": "0",
    "RAY_enable_worker_prestart": "0",
}


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
    paths inside it must stay under the 107-byte limit.  Neither node runs a
    dashboard or a log monitor (the drivers do not print workers' logs)."""
    ray = ray_bin()
    settings = "\n".join(f"export {name}={value}" for name, value in RAY_SETTINGS.items())
    quiet = "--include-log-monitor false --disable-usage-stats"
    return f"""
set -u
ip link set lo up
{settings}
export RAY_ADDRESS=127.0.0.1:{port}
cleanup() {{ {ray} stop --force > {workdir}/ray-stop.log 2>&1; }}
trap cleanup EXIT
{ray} start --head --node-ip-address 127.0.0.1 --port {port} --num-cpus {cpus_per_node} \\
    --include-dashboard false {quiet} --temp-dir {temp} > {workdir}/ray-head.log 2>&1 || exit 90
ps -eo pid=,args= | sort > {workdir}/head.ps
{ray} start --address 127.0.0.1:{port} --node-ip-address 127.0.0.1 --num-cpus {cpus_per_node} \\
    {quiet} > {workdir}/ray-node.log 2>&1 || exit 91
ps -eo pid=,args= | sort | comm -13 {workdir}/head.ps - > {workdir}/node.ps
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
