"""Benchmark: ``mlcorpus serve`` vs LibreTranslate, same model, same requests.

Both servers serve the project's EN->RU test model (tests/support builds it,
cached) from one Argos packages folder and listen on 127.0.0.1 only.  The
load is N single-sentence ``POST /translate`` requests (JSON, keep-alive
connections, one per concurrent client) at concurrency 1, 8 and 32; the
levels of the two servers are run one after the other, interleaved, so both
see the same machine load.  Sentences are distinct within a run (the test
model's training sentences and variants of them), so no server can answer
from a cache: mlcorpus runs with ``--no-cache`` and LibreTranslate keeps its
default (no translation cache).

LibreTranslate is run from its own virtualenv (``--lt-python``, default
``$MLCORPUS_BENCH_LT_PYTHON`` or ``/work/lt-venv/bin/python``), created with

    python -m venv /work/lt-venv
    /work/lt-venv/bin/pip install torch==2.13.0     # a local CPU wheel first
    /work/lt-venv/bin/pip install libretranslate

and started with ``--load-only en,ru`` and the test packages installed, so it
neither updates nor downloads models, and with ``ARGOS_INTRA_THREADS=1`` (its
default, every core through OpenMP, was ten times slower per request on a
shared two-core machine).  Its MiniSBD sentence splitter
downloads a model on first use, which fails offline, so the launcher
replaces it with a pass-through (every request is one sentence already;
this only makes LibreTranslate faster).  Without that virtualenv the
LibreTranslate part is skipped with a message.

The baseline for latency is a direct ``Translator.translate([sentence])``
call in this process with the server's own model settings.  Besides
requests/s and p50/p95 latency, each level reports the server process's CPU
time per request: on a machine shared with other work, wall-clock rates move
with the load, CPU time per request much less (it shows what batching saves).

Usage: python scripts/bench_serve.py [-n 200] [--levels 1,8,32]
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the test-model builder lives with the test support
DEFAULT_LT_PYTHON = os.environ.get("MLCORPUS_BENCH_LT_PYTHON", "/work/lt-venv/bin/python")
PREFIXES = ("", "Today, ", "In Moscow, ", "As reported, ", "On Monday, ", "Yesterday, ")

LT_LAUNCHER = """
import sys
import argostranslate.sbd as sbd

# MiniSBD downloads its model on first use (offline: fails); requests are one
# sentence each, so a pass-through splitter changes nothing but speed.
sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [text]
from libretranslate.main import main

sys.argv = ["libretranslate", *sys.argv[1:]]
main()
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sentences(n: int) -> list[str]:
    """*n* distinct English sentences the test model translates sensibly."""
    rows = (REPO / "tests" / "data" / "mt_train.en-ru.tsv").read_text("utf-8").splitlines()[1:]
    base = [row.split("\t")[0] for row in rows if row.strip()]
    out: list[str] = []
    for prefix in PREFIXES:
        for sent in base:
            text = prefix + (sent[0].lower() + sent[1:] if prefix else sent)
            out.append(text)
            out.append(text.rstrip(".") + "!")
    unique = list(dict.fromkeys(out))
    if len(unique) < n:
        raise SystemExit(f"only {len(unique)} distinct sentences available; use -n {len(unique)}")
    return unique[:n]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- load generator --------------------------------------------------------------------


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes
) -> tuple[int, bytes]:
    writer.write(
        b"POST /translate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return status, await reader.readexactly(length)


async def _load(port: int, texts: list[str], concurrency: int) -> dict[str, float]:
    bodies = [json.dumps({"q": t, "source": "en", "target": "ru"}).encode("utf-8") for t in texts]
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    latencies: list[float] = []
    errors = 0

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while not queue.empty():
                body = queue.get_nowait()
                started = time.perf_counter()
                status, payload = await asyncio.wait_for(_request(reader, writer, body), 120)
                latencies.append(time.perf_counter() - started)
                if status != 200 or b"translatedText" not in payload:
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return summary(latencies, elapsed) | {"errors": errors}


def summary(latencies: list[float], elapsed: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "requests_per_s": round(len(ordered) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p95_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process *pid* so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_load(
    port: int, texts: list[str], concurrency: int, pid: int | None = None
) -> dict[str, float]:
    """Requests/s and latency; with *pid*, also the server's CPU time per
    request, which the machine's other load does not change much."""
    before = cpu_seconds(pid) if pid else 0.0
    result = asyncio.run(_load(port, texts, concurrency))
    if pid:
        result["server_cpu_ms_per_request"] = round(
            1000 * (cpu_seconds(pid) - before) / len(texts), 2
        )
    return result


# -- servers ---------------------------------------------------------------------------


def wait_ready(port: int, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/languages", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout:.0f} s:\n{log_path.read_text()[-3000:]}")


def start(
    cmd: list[str], env: dict[str, str], port: int, work: Path, name: str
) -> subprocess.Popen:
    log_path = work / f"{name}.log"
    with open(log_path, "w") as sink:
        process = subprocess.Popen(
            cmd, env={**os.environ, **env}, cwd=work, stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        wait_ready(port, process, log_path, 180)
    except BaseException:
        stop(process)
        raise
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def lt_available(python: str) -> str | None:
    """None when LibreTranslate can be run with *python*, else why not."""
    if not Path(python).exists():
        return f"no LibreTranslate virtualenv at {python} (see this script's docstring)"
    probe = subprocess.run(
        [python, "-c", "import libretranslate.main, argostranslate.sbd"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        return f"LibreTranslate cannot be imported with {python}: {probe.stderr.strip()[-300:]}"
    return None


def direct_baseline(package: Path, texts: list[str]) -> dict[str, float]:
    """Latency of one ``Translator.translate([sentence])`` call per sentence,
    with the server's model settings."""
    from mlcorpus.mt import Translator
    from mlcorpus.server.engines import server_options

    translator = Translator.from_path(package, **server_options(4))
    translator.translate(texts[:5])
    latencies = []
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        t0 = time.perf_counter()
        translator.translate([text])
        latencies.append(time.perf_counter() - t0)
    cpu_ms = 1000 * (time.process_time() - cpu) / len(texts)
    result = summary(latencies, time.perf_counter() - started)
    return result | {"cpu_ms_per_request": round(cpu_ms, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="requests per concurrency level")
    parser.add_argument("--levels", default="1,8,32", help="concurrency levels")
    parser.add_argument("--lt-python", default=DEFAULT_LT_PYTHON)
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]

    from support.build_models import build_test_models

    models = build_test_models(log=log)
    texts = sentences(args.n)
    warmup = sentences(min(args.n, 40))[-20:]
    work = Path(tempfile.mkdtemp(prefix="mlcorpus-bench-serve-"))
    packages = work / "packages"
    for path in models.packages.values():
        with zipfile.ZipFile(path) as archive:
            archive.extractall(packages)
    env = {
        "ARGOS_PACKAGES_DIR": str(packages),
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",  # closed port: never the internet
        "XDG_DATA_HOME": str(work / "data"),
        "XDG_CACHE_HOME": str(work / "cache"),
        "XDG_CONFIG_HOME": str(work / "config"),
        "HOME": str(work / "home"),
        "PYTHONPATH": str(REPO),
    }
    (work / "home").mkdir()

    log("direct Translator calls ...")
    result: dict = {"requests": args.n, "levels": levels}
    result["direct"] = direct_baseline(models.package("en", "ru"), texts)

    servers: dict[str, tuple[subprocess.Popen, int]] = {}
    try:
        port = free_port()
        cmd = [sys.executable, "-m", "mlcorpus", "serve", "--port", str(port), "--no-cache"]
        servers["mlcorpus"] = (start(cmd, env, port, work, "mlcorpus"), port)
        skip = lt_available(args.lt_python)
        if skip is None:
            launcher = work / "run_libretranslate.py"
            launcher.write_text(LT_LAUNCHER)
            port = free_port()
            cmd = [
                args.lt_python,
                str(launcher),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--load-only",
                "en,ru",
                "--disable-web-ui",
            ]
            # one thread per translation: Argos's default (0 = every core, OpenMP)
            # was ten times slower per request on a shared two-core machine
            lt_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
            lt_env["ARGOS_INTRA_THREADS"] = "1"
            try:
                servers["libretranslate"] = (start(cmd, lt_env, port, work, "lt"), port)
            except RuntimeError as exc:
                skip = f"LibreTranslate did not start: {str(exc)[-500:]}"
        if skip:
            log(f"skipping LibreTranslate: {skip}")
            result["libretranslate"] = {"skipped": skip}
        for _name, (_proc, port) in servers.items():
            run_load(port, warmup, 4)
        for level in levels:
            for name, (proc, port) in servers.items():
                log(f"{name}: concurrency {level} ...")
                result.setdefault(name, {})[str(level)] = run_load(port, texts, level, proc.pid)
    finally:
        for proc, _port in servers.values():
            stop(proc)

    own = result["mlcorpus"]
    top, one = str(max(levels)), str(min(levels))
    ratios = {
        f"c{top}_vs_own_c{one}": round(own[top]["requests_per_s"] / own[one]["requests_per_s"], 2),
        f"c{one}_p95_vs_direct_p95": round(own[one]["p95_ms"] / result["direct"]["p95_ms"], 2),
    }
    lt = result.get("libretranslate", {})
    if top in lt:
        ratios[f"c{top}_vs_libretranslate"] = round(
            own[top]["requests_per_s"] / lt[top]["requests_per_s"], 2
        )
        for level in levels:
            ratios[f"c{level}_vs_libretranslate"] = round(
                own[str(level)]["requests_per_s"] / lt[str(level)]["requests_per_s"], 2
            )
    result["ratios"] = ratios
    result["targets"] = {
        "c32_vs_libretranslate>=3": ratios.get(f"c{top}_vs_libretranslate", 0) >= 3,
        "c32_vs_own_c1>=5": ratios[f"c{top}_vs_own_c{one}"] >= 5,
        "c1_p95_vs_direct<=1.2": ratios[f"c{one}_p95_vs_direct_p95"] <= 1.2,
    }
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
