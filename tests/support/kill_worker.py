"""Kill one Ray translation worker once a job has stored its first results.

Run inside the cluster's PID namespace: ``ps`` lists only that cluster's
processes, and the worker is killed by its process id.  Prints the pid.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time


def stored(cache: str) -> int:
    try:
        with sqlite3.connect(cache, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM mt_cache").fetchone()[0]
    except sqlite3.Error:
        return 0


def workers() -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in out.splitlines()[1:] if "ray::TranslateWorker" in line]


def main(cache: str, timeout: float = 300) -> int:
    deadline = time.time() + timeout
    while time.time() < deadline:
        pids = workers()
        if len(pids) >= 2 and stored(cache) > 0:
            os.kill(pids[-1], signal.SIGKILL)
            print(pids[-1])
            return 0
        time.sleep(0.2)
    print("no worker to kill", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
