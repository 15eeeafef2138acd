"""Start ``mlcorpus serve`` as a real process on a free loopback port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_LISTENING = re.compile(r"listening on (http://\S+)")


@dataclass
class RunningServer:
    url: str  # without a trailing slash
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def serve(
    args: list[str], env: dict[str, str], workdir: Path, timeout: float = 60.0
) -> Iterator[RunningServer]:
    """Run ``mlcorpus serve --port 0 ARGS`` in *workdir* until the block ends."""
    log = workdir / "serve.log"
    full_env = {**os.environ, **env, "PYTHONPATH": str(REPO)}
    with open(log, "w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "mlcorpus", "serve", "--port", "0", *args],
            cwd=workdir,
            env=full_env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + timeout
        url = None
        while url is None:
            match = _LISTENING.search(log.read_text(encoding="utf-8", errors="replace"))
            if match:
                url = match.group(1)
            elif process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"mlcorpus serve did not start:\n{log.read_text()}")
            else:
                time.sleep(0.05)
        yield RunningServer(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
