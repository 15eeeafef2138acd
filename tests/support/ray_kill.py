"""Kill part of a local Ray cluster once a translation job has stored results.

Run inside the cluster's PID namespace (see ``ray_cluster.py``): ``/proc``
lists only that cluster's processes, and everything is killed by process id.

``ray_kill.py worker CACHE``
    once the cache has rows and two translation workers run, SIGKILL the
    newest ``ray::TranslateWorker`` process; prints its pid.
``ray_kill.py node CACHE NODE_PS MIN_ROWS``
    once the cache has more than MIN_ROWS rows and the node runs a
    translation worker, take the whole node down as a machine that loses
    power does: the processes listed in NODE_PS (what its ``ray start`` left
    running: the raylet and its agents) and all their descendants (its
    workers) are stopped, then SIGKILLed together.  Prints a JSON report:
    what was killed and what of it is still there afterwards.
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


def stored(cache: str) -> int:
    try:
        with sqlite3.connect(cache, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM mt_cache").fetchone()[0]
    except sqlite3.Error:
        return 0


def processes() -> dict[int, tuple[int, str, str]]:
    """Live processes: pid -> (parent pid, state, command name)."""
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


def alive(pid: int, table: dict[int, tuple[int, str, str]]) -> bool:
    return pid in table and table[pid][1] != "Z"


def descendants(roots: set[int], table: dict[int, tuple[int, str, str]]) -> set[int]:
    """*roots* that are alive and every live process below them."""
    tree = {pid for pid in roots if alive(pid, table)}
    grew = True
    while grew:
        below = {pid for pid, (ppid, _, _) in table.items() if ppid in tree and alive(pid, table)}
        grew = not below <= tree
        tree |= below
    return tree


def signal_all(pids: set[int], sig: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # it ended by itself
            os.kill(pid, sig)


def kill_worker(cache: str, deadline: float) -> int:
    while time.time() < deadline:
        if stored(cache) > 0:
            table = processes()
            workers = sorted(p for p, (_, _, name) in table.items() if name.startswith(WORKER))
            if len(workers) >= 2:
                os.kill(workers[-1], signal.SIGKILL)
                print(workers[-1])
                return 0
        time.sleep(POLL)
    print("no worker to kill", file=sys.stderr)
    return 1


def kill_node(cache: str, node_ps: str, min_rows: int, deadline: float) -> int:
    roots = {int(line.split()[0]) for line in Path(node_ps).read_text().splitlines() if line}
    while time.time() < deadline:
        if stored(cache) > min_rows:
            table = processes()
            node = descendants(roots, table)
            if any(table[p][2].startswith(WORKER) for p in node):
                break
        time.sleep(POLL)
    else:
        print("the node never ran a translation worker", file=sys.stderr)
        return 1
    rows = stored(cache)
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
    while left and time.time() < deadline:
        time.sleep(POLL)
        table = processes()
        left = {pid for pid in left if alive(pid, table)}
    report = {
        "rows_at_kill": rows,
        "killed": sorted(frozen.values()),
        "pids": sorted(frozen),
        "left": sorted(left),
    }
    print(json.dumps(report))
    return 0


def main(argv: list[str]) -> int:
    deadline = time.time() + 300
    if argv[0] == "worker":
        return kill_worker(argv[1], deadline)
    return kill_node(argv[1], argv[2], int(argv[3]), deadline)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
