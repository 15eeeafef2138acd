"""Kill a worker, then a whole node, of a local Ray cluster mid-job.

``ray_kill.py CACHE NODE_PS`` runs beside a ``translate --ray`` job, inside
the cluster's PID namespace (see ``ray_cluster.py``: ``/proc`` lists only that
cluster's processes, and everything is killed by process id):

1. once the job's cache has rows and both nodes run a translation worker,
   SIGKILL the head node's worker process: its blocks must move to the
   other node;
2. once more rows are stored, take the second node down as a machine that
   loses power does: the processes listed in NODE_PS (what its ``ray start``
   left running: the raylet and its agents) and all their descendants (its
   workers) are stopped, then SIGKILLed together.  Every actor of the job is
   gone then: the job must start a new one on the head and finish there.

Prints a JSON report: the pid killed first, and what the node kill killed
and what of it is still there afterwards, with the cache's rows at each kill.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

#: how the actor's process names itself (``ray::TranslateWorker.translate``
#: while it runs a method)
WORKER = "ray::TranslateWorker"
POLL = 0.05  # seconds between looks at the cache: the job must still be mid-way
Table = dict[int, tuple[int, str, str]]  # pid -> (parent pid, state, command name)


def stored(cache: str | os.PathLike[str]) -> int:
    """Rows in a translation cache (0 while it does not exist yet)."""
    try:
        with sqlite3.connect(cache, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM mt_cache").fetchone()[0]
    except sqlite3.Error:
        return 0


def processes() -> Table:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            args = (entry / "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        found[int(entry.name)] = (int(ppid), state, os.path.basename(args))
    return found


def alive(pid: int, table: Table) -> bool:
    return pid in table and table[pid][1] != "Z"


def descendants(roots: set[int], table: Table) -> set[int]:
    """*roots* that are alive and every live process below them."""
    tree = {pid for pid in roots if alive(pid, table)}
    grew = True
    while grew:
        below = {pid for pid, (ppid, _, _) in table.items() if ppid in tree and alive(pid, table)}
        grew = not below <= tree
        tree |= below
    return tree


def workers(pids: set[int], table: Table) -> list[int]:
    return sorted(pid for pid in pids if alive(pid, table) and table[pid][2].startswith(WORKER))


def signal_all(pids: set[int], sig: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # it ended by itself
            os.kill(pid, sig)


def wait_for(more_than: int, cache: str, roots: set[int], deadline: float) -> Table:
    """The process table once the cache has more than *more_than* rows and
    the node still runs a translation worker."""
    while time.time() < deadline:
        if stored(cache) > more_than:
            table = processes()
            if workers(descendants(roots, table), table):
                return table
        time.sleep(POLL)
    raise SystemExit("the job ended, or never ran on the second node, before the kill")


def kill_head_worker(cache: str, roots: set[int], deadline: float) -> dict[str, int]:
    while True:
        table = wait_for(0, cache, roots, deadline)
        head = workers(set(table) - descendants(roots, table), table)
        if head:
            rows = stored(cache)
            os.kill(head[-1], signal.SIGKILL)
            return {"pid": head[-1], "rows_at_kill": rows}
        time.sleep(POLL)


def kill_node(roots: set[int]) -> dict[str, object]:
    # freeze the node first, so that nothing it runs can start another process
    frozen: dict[int, str] = {}
    while True:
        table = processes()
        members = descendants(roots | set(frozen), table) - set(frozen)
        if not members:
            break
        signal_all(members, signal.SIGSTOP)
        frozen.update({pid: table[pid][2] for pid in members})
    signal_all(set(frozen), signal.SIGKILL)
    left = set(frozen)
    until = time.time() + 30
    while left and time.time() < until:
        time.sleep(POLL)
        table = processes()
        left = {pid for pid in left if alive(pid, table)}
    return {"killed": sorted(frozen.values()), "pids": sorted(frozen), "left": sorted(left)}


def main(cache: str, node_ps: str) -> int:
    roots = {int(line.split()[0]) for line in Path(node_ps).read_text().splitlines() if line}
    deadline = time.time() + 300
    worker = kill_head_worker(cache, roots, deadline)
    wait_for(worker["rows_at_kill"], cache, roots, deadline)
    rows = stored(cache)
    node = {"rows_at_kill": rows, **kill_node(roots)}
    print(json.dumps({"worker": worker, "node": node}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
