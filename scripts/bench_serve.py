"""Benchmark: ``mlcorpus serve`` vs LibreTranslate, same model, same requests.

Both servers serve one en->ru Argos package from one packages folder, with
the same decoding (beam 4, Argos's length penalty) and listen on 127.0.0.1
only.  The model is the benchmark model of tests/support/bench_models.py:
d_model 512, 8 heads, 3+3 layers, FFN 2048, trained on the test data until
it reproduces it (a few minutes once, then cached next to the test
packages).  Not the tiny test model (d_model 128, 2 layers): with it one
sentence costs about as much as the HTTP request around it and a batch of
32 saves little, which says nothing about serving a real model; nor a
random-weight Transformer-base, which never emits ``</s>`` and decodes every
sentence to the length limit.  Argos's own packages are bigger still (6+6
layers), so batching gains more with them, not less.  The package is stored
in int8, as Argos's are: LibreTranslate computes in the stored type and
mlcorpus in int8, so both do the same arithmetic (the tiny test packages are
stored in float32, which would make LibreTranslate compute in float32).
The JSON reports the model's shape and the mean and longest output length,
so runaway decoding would show.

The load is N single-sentence ``POST /translate`` requests (JSON, keep-alive
connections, one per concurrent client) at concurrency 1, 8 and 32; the
levels of the servers are run one after the other, interleaved, so all see
the same machine load.  Sentences are distinct within a run (the training
sentences and variants of them), so no server can answer from a cache:
mlcorpus runs with ``--no-cache`` and LibreTranslate keeps its default (no
translation cache).  A load run starts no new request after 40 seconds, and
reports how many it ``completed`` when that cut it short.

LibreTranslate is run from its own virtualenv (``--lt-python``, default
``$MLCORPUS_BENCH_LT_PYTHON`` or ``/work/lt-venv/bin/python``), created with

    python -m venv /work/lt-venv
    /work/lt-venv/bin/pip install torch==2.13.0     # a local CPU wheel first
    /work/lt-venv/bin/pip install libretranslate

and started with ``--load-only en,ru``, so it neither updates nor downloads
models.  Its MiniSBD sentence splitter downloads a model on first use, which
fails offline, so the launcher replaces it with a pass-through (every request
is one sentence already; this only makes LibreTranslate faster).  It runs in
up to three thread settings (``--lt-variants``): as shipped (Argos's
defaults: one model replica, every core for each translation), with one
thread per translation (``ARGOS_INTRA_THREADS=1``, much faster on a busy
machine) and with one replica per core (``ARGOS_INTER_THREADS`` = cores, so
it too translates several requests at once).  The targets compare against
LibreTranslate's best requests/s at each level among the first two (its
stock one-replica design in its best thread setting); the ratios against
the tuned one-replica-per-core variant are reported as well.  Without that
virtualenv the LibreTranslate part is skipped with a message.

The baseline for latency is a direct ``Translator.translate([sentence])``
call in this process with the server's own model settings (one thread per
translation); ``direct_all_cores`` times the same calls with every core on
each translation, to show whether a lone request could be faster.  Besides
requests/s and p50/p95 latency, each level reports the server process's CPU
time per request and how many cores it kept busy: on a machine shared with
other work, wall-clock rates move with the load (the busy cores show the
share the server got), CPU time per request much less (it shows what
batching saves).

The benchmark model's vocabulary is trained on ``../shared/data/dev/unpc``;
without it the tiny test model is served (``"model": {"name": "test"}``).

Usage: python scripts/bench_serve.py [-n 200] [--levels 1,8,32] [--model test]
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
#: longest time one load run may keep starting requests
LEVEL_SECONDS = 40.0
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


async def _load(
    port: int, texts: list[str], concurrency: int, budget: float = LEVEL_SECONDS
) -> dict[str, float]:
    """Send *texts* from *concurrency* clients; after *budget* seconds no new
    request is started (a server in a pathological setting, such as OpenMP
    threads spinning on a busy machine, would otherwise hold the run for
    many minutes), and the rate is that of the requests completed."""
    bodies = [json.dumps({"q": t, "source": "en", "target": "ru"}).encode("utf-8") for t in texts]
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    latencies: list[float] = []
    errors = 0

    stop_at = time.perf_counter() + budget

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while not queue.empty() and time.perf_counter() < stop_at:
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
    result = summary(latencies, elapsed) | {"errors": errors}
    if len(latencies) < len(texts):
        result["completed"] = len(latencies)
    return result


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
    started = time.perf_counter()
    result = asyncio.run(_load(port, texts, concurrency))
    if pid:
        used = cpu_seconds(pid) - before
        done = result.get("completed", len(texts))
        result["server_cpu_ms_per_request"] = round(1000 * used / done, 2)
        # cores the server kept busy: on a shared machine, the share it got
        result["server_cores_busy"] = round(used / (time.perf_counter() - started), 2)
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


def direct_baseline(
    package: Path, texts: list[str], all_cores: bool = False
) -> tuple[dict[str, float], list[str]]:
    """Latency of one ``Translator.translate([sentence])`` call per sentence,
    with the server's model settings (or every core on each call), and the
    translations."""
    from mlcorpus.mt import Translator
    from mlcorpus.server.engines import server_options

    options = server_options(4)
    if all_cores:
        options |= {"inter_threads": 1, "intra_threads": os.cpu_count() or 1}
    translator = Translator.from_path(package, **options)
    translator.translate(texts[:5])
    latencies, outputs = [], []
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        t0 = time.perf_counter()
        outputs.extend(translator.translate([text]))
        latencies.append(time.perf_counter() - t0)
    cpu_ms = 1000 * (time.process_time() - cpu) / len(texts)
    result = summary(latencies, time.perf_counter() - started)
    return result | {"cpu_ms_per_request": round(cpu_ms, 2)}, outputs


def model_info(package: Path, name: str, texts: list[str], outputs: list[str]) -> dict:
    """What was served: its shape, and how long its outputs are (in model
    tokens), so a model that never stops decoding would show."""
    from mlcorpus.mt import Translator

    translator = Translator.from_path(package, inter_threads=1, intra_threads=1)
    source = [len(t) for t in translator.tokenize(texts)]
    target = [len(t) for t in translator.tokenize(outputs)]
    info: dict = {"name": name, "package": package.name}
    if name == "bench":
        from support.bench_models import BENCH_SHAPE

        info["shape"] = {
            "d_model": BENCH_SHAPE.d_model,
            "heads": BENCH_SHAPE.heads,
            "layers": BENCH_SHAPE.layers,
            "ffn": BENCH_SHAPE.ffn,
        }
    info["vocabulary"] = _vocabulary_size(translator)
    info["mean_source_tokens"] = round(statistics.mean(source), 1)
    info["mean_output_tokens"] = round(statistics.mean(target), 1)
    info["longest_output_tokens"] = max(target)
    return info


def _vocabulary_size(translator) -> int:
    vocab = translator.package.model_dir / "shared_vocabulary.json"
    if not vocab.exists():
        vocab = translator.package.model_dir / "target_vocabulary.json"
    return len(json.loads(vocab.read_text("utf-8"))) if vocab.exists() else 0


#: LibreTranslate's stock one-replica settings: the targets' baseline
STOCK_LT = ("libretranslate", "libretranslate_intra1")


def lt_variants(cores: int) -> dict[str, dict[str, str]]:
    """LibreTranslate thread settings by name (see the module docstring)."""
    return {
        "libretranslate": {},
        "libretranslate_intra1": {"ARGOS_INTRA_THREADS": "1"},
        f"libretranslate_inter{cores}": {
            "ARGOS_INTER_THREADS": str(cores),
            "ARGOS_INTRA_THREADS": "1",
        },
    }


def start_libretranslate(
    python: str, env: dict[str, str], extra_env: dict[str, str], work: Path, name: str
) -> tuple[subprocess.Popen, int]:
    launcher = work / "run_libretranslate.py"
    launcher.write_text(LT_LAUNCHER)
    port = free_port()
    cmd = [
        python,
        str(launcher),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--load-only",
        "en,ru",
        "--disable-web-ui",
    ]
    lt_env = {k: v for k, v in env.items() if k != "PYTHONPATH"} | extra_env
    return start(cmd, lt_env, port, work, name), port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="requests per concurrency level")
    parser.add_argument("--levels", default="1,8,32", help="concurrency levels")
    parser.add_argument(
        "--model",
        choices=("bench", "test"),
        default="bench",
        help="bench: the d_model 512 benchmark model; test: the tiny test model",
    )
    parser.add_argument("--lt-python", default=DEFAULT_LT_PYTHON)
    parser.add_argument(
        "--lt-variants",
        default="libretranslate,libretranslate_intra1,libretranslate_inter",
        help="LibreTranslate thread settings to run (comma-separated; see the docstring)",
    )
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    cores = os.cpu_count() or 1

    from support.build_models import build_test_models

    models = build_test_models(log=log)
    model = args.model
    if model == "bench":
        from support.bench_models import build_bench_model

        try:
            package = build_bench_model(log=log)
            served = [package]
        except FileNotFoundError as exc:  # no ../shared dev data for its vocabulary
            log(f"no benchmark model ({exc}); serving the tiny test model instead")
            model = "test"
    if model == "test":
        package = models.package("en", "ru")
        served = list(models.packages.values())
    texts = sentences(args.n)
    warmup = sentences(min(args.n, 40))[-20:]
    work = Path(tempfile.mkdtemp(prefix="mlcorpus-bench-serve-"))
    packages = work / "packages"
    for path in served:
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
    result: dict = {"requests": args.n, "levels": levels, "cores": cores}
    result["direct"], outputs = direct_baseline(package, texts)
    result["direct_all_cores"], _ = direct_baseline(package, texts, all_cores=True)
    result["model"] = model_info(package, model, texts, outputs)

    wanted = [
        name.replace("libretranslate_inter", f"libretranslate_inter{cores}")
        if name == "libretranslate_inter"
        else name
        for name in args.lt_variants.split(",")
        if name
    ]
    variants = {k: v for k, v in lt_variants(cores).items() if k in wanted}
    servers: dict[str, tuple[subprocess.Popen, int]] = {}
    try:
        port = free_port()
        cmd = [sys.executable, "-m", "mlcorpus", "serve", "--port", str(port), "--no-cache"]
        servers["mlcorpus"] = (start(cmd, env, port, work, "mlcorpus"), port)
        skip = lt_available(args.lt_python) if variants else "no variant asked for"
        for name, extra_env in variants.items() if skip is None else ():
            try:
                servers[name] = start_libretranslate(args.lt_python, env, extra_env, work, name)
            except RuntimeError as exc:
                skip = f"LibreTranslate did not start: {str(exc)[-500:]}"
                break
        if skip:
            log(f"skipping LibreTranslate: {skip}")
            result["libretranslate"] = {"skipped": skip}
            for name in [n for n in servers if n != "mlcorpus"]:
                stop(servers.pop(name)[0])
        for _name, (_proc, port) in servers.items():
            run_load(port, warmup, 4)
        for level in levels:
            for name, (proc, port) in servers.items():
                log(f"{name}: concurrency {level} ...")
                result.setdefault(name, {})[str(level)] = run_load(port, texts, level, proc.pid)
    finally:
        for proc, _port in servers.values():
            stop(proc)

    result["ratios"], result["targets"] = ratios_and_targets(result, levels, cores)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))


def ratios_and_targets(result: dict, levels: list[int], cores: int) -> tuple[dict, dict]:
    """The issue's three ratios, against LibreTranslate's best one-replica
    setting at each level, plus the ratios against its one-replica-per-core
    setting."""
    own = result["mlcorpus"]
    top, one = str(max(levels)), str(min(levels))
    ratios = {
        f"c{top}_vs_own_c{one}": round(own[top]["requests_per_s"] / own[one]["requests_per_s"], 2),
        f"c{one}_p95_vs_direct_p95": round(own[one]["p95_ms"] / result["direct"]["p95_ms"], 2),
    }
    # against the fastest one-sentence-at-a-time rate without HTTP, whichever
    # thread setting gives it: what concurrency buys over the best c=1 path
    single = max(result[k]["requests_per_s"] for k in ("direct", "direct_all_cores") if k in result)
    ratios[f"c{top}_vs_best_direct_rate"] = round(own[top]["requests_per_s"] / single, 2)
    stock = [result[n] for n in STOCK_LT if top in result.get(n, {})]
    if stock:
        best = {str(lv): max(lt[str(lv)]["requests_per_s"] for lt in stock) for lv in levels}
        result["libretranslate_best_requests_per_s"] = best
        for level in levels:
            ratios[f"c{level}_vs_libretranslate"] = round(
                own[str(level)]["requests_per_s"] / best[str(level)], 2
            )
    tuned = result.get(f"libretranslate_inter{cores}", {})
    for level in levels:
        if str(level) in tuned:
            ratios[f"c{level}_vs_libretranslate_inter{cores}"] = round(
                own[str(level)]["requests_per_s"] / tuned[str(level)]["requests_per_s"], 2
            )
    targets = {
        "c32_vs_libretranslate>=3": ratios.get(f"c{top}_vs_libretranslate", 0) >= 3,
        "c32_vs_own_c1>=5": ratios[f"c{top}_vs_own_c{one}"] >= 5,
        "c1_p95_vs_direct<=1.2": ratios[f"c{one}_p95_vs_direct_p95"] <= 1.2,
    }
    return ratios, targets


if __name__ == "__main__":
    main()
