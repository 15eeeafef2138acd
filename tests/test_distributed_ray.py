"""Translation on a real two-node Ray cluster (two raylets on this machine).

One cluster serves the whole module: a script inside private network and PID
namespaces starts it, runs every scenario with the real ``mlcorpus`` command
and the test model, and stops it.  The single-machine runs happen outside the
cluster (while it starts), and every Ray output must equal them byte for
byte, including the run during which a worker process is killed and the run
during which the whole second node is killed.  Each Ray run shows two things
at once, because every driver start costs seconds of CPU: the worker kill
happens in the glossary run, the fault-free cluster run is ``run --ray``, and
the node kill comes last (after it only one node is left).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from support.build_models import read_pairs
from support.ray_cluster import namespaces_available, run_in_cluster

pytest.importorskip("ray", reason='Ray is not installed (pip install "mlcorpus[ray]")')
_why_not = namespaces_available()
pytestmark = pytest.mark.skipif(_why_not is not None, reason=str(_why_not))

HERE = Path(__file__).parent
BLOCK = 100  # small blocks: many of them, so a kill lands mid-job
LINES = 1400
KILLER = [sys.executable, str(HERE / "support" / "ray_kill.py")]


def _input(path: Path, count: int = LINES) -> Path:
    """Distinct sentences (numbered variants of the test model's training
    sentences), a blank line now and then, some repeats across blocks."""
    sentences = [en for en, _ in read_pairs()]
    lines = []
    for k in range(count):
        if k % 97 == 0:
            lines.append("")
        elif k % 89 == 0:
            lines.append(sentences[k % len(sentences)])  # a repeat: served by the cache
        else:
            lines.append(f"{sentences[k % len(sentences)]} ({k // len(sentences)})")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _translate_args(model: Path, inp: Path, out: Path, cache: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "mlcorpus",
        "translate",
        str(inp),
        "--from",
        "en",
        "--to",
        "ru",
        "--model",
        str(model),
        "--segmented",
        "--format",
        "jsonl",
        "--block-size",
        str(BLOCK),
        "--cache",
        str(cache),
        "-o",
        str(out),
        *extra,
    ]


def _shell(args: list[str]) -> str:
    return " ".join(shlex.quote(str(a)) for a in args)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, test_models) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("ray")
    model = test_models.package("en", "ru")
    glossary = HERE.parent / "glossary" / "migration.en-ru.tsv"
    inp = _input(work / "input.en")
    env = {**os.environ, "PYTHONPATH": str(HERE.parent) + os.pathsep + str(HERE)}
    env.pop("MLCORPUS_RAY_ADDRESS", None)

    def translate(name: str, *extra: str) -> list[str]:
        return _translate_args(model, inp, work / f"{name}.jsonl", work / f"{name}.sqlite", *extra)

    corpus = HERE.parent / "corpus"

    def run_args(build: Path, *extra: str) -> list[str]:
        return [
            sys.executable, "-m", "mlcorpus", "run", str(corpus), "-o", str(build),
            "--model", str(model), "-g", str(glossary), *extra,
        ]  # fmt: skip

    def export_args(build: Path) -> list[str]:
        return [
            sys.executable, "-m", "mlcorpus", "export", str(build), "--mt", "beside",
            "--format", "jsonl", "-o", str(build / "with-mt.jsonl"),
        ]  # fmt: skip

    def single_machine() -> None:
        for args in (
            translate("local"),
            translate("local-glossary", "-g", str(glossary)),
            run_args(work / "build-local"),
            export_args(work / "build-local"),
        ):
            subprocess.run(args, check=True, env=env, capture_output=True)

    gloss = f"{work}/ray-glossary"
    node = f"{work}/ray-node-killed"
    body = f"""
{_shell(translate("ray-glossary", "-g", str(glossary), "--ray"))} 2> {gloss}.err &
job=$!
{_shell(KILLER)} worker {gloss}.sqlite > {work}/killed-worker.pid 2> {work}/killer.err
wait $job; echo $? > {gloss}.rc
{_shell(run_args(work / "build-ray", "--ray"))} 2> {work}/run.err; echo $? > {work}/run.rc
{_shell(export_args(work / "build-ray"))} 2>> {work}/run.err
{_shell(translate("ray-node-killed", "--ray"))} 2> {node}.err &
job=$!
{_shell(KILLER)} node {node}.sqlite {work}/node.ps {BLOCK} > {work}/killed-node.json \\
    2>> {work}/killer.err
wait $job; echo $? > {node}.rc
"""
    # the single-machine runs use the CPU while the cluster starts (mostly waiting)
    with ThreadPoolExecutor(1) as pool:
        local = pool.submit(single_machine)
        done = run_in_cluster(body, work, timeout=900)
        local.result()
    if done.returncode in (90, 91):
        pytest.skip(f"could not start a local Ray cluster: {(work / 'ray-head.log').read_text()}")
    assert done.returncode == 0, done.stderr
    return {"work": work}


def _read(work: Path, name: str) -> tuple[str, str, bytes]:
    rc = (work / f"{name}.rc").read_text().strip()
    err = (work / f"{name}.err").read_text()
    out = (work / f"{name}.jsonl").read_bytes() if (work / f"{name}.jsonl").exists() else b""
    return rc, err, out


def _resubmitted(err: str) -> int:
    found = re.search(r"Ray: \d+ blocks on (\d+) nodes, (\d+) resubmitted", err)
    assert found, err
    return int(found.group(2))


def test_glossary_is_applied_on_the_workers(runs):
    work = runs["work"]
    rc, err, out = _read(work, "ray-glossary")
    assert rc == "0", err
    assert out == (work / "local-glossary.jsonl").read_bytes()
    assert b'"term_report"' in out
    assert len(out.splitlines()) == LINES


def test_a_killed_worker_loses_nothing(runs):
    work = runs["work"]
    assert (work / "killed-worker.pid").read_text().strip().isdigit(), (
        work / "killer.err"
    ).read_text()
    rc, err, out = _read(work, "ray-glossary")
    assert rc == "0", err
    assert _resubmitted(err) > 0, err  # the killed worker's blocks went elsewhere
    assert out == (work / "local-glossary.jsonl").read_bytes()


def test_run_aligns_and_translates_on_both_nodes(runs):
    work = runs["work"]
    rc = (work / "run.rc").read_text().strip()
    err = (work / "run.err").read_text()
    assert rc == "0", err
    # one block per release, two releases: one on each node's actor
    assert "Ray: 2 blocks on 2 nodes, 0 resubmitted" in err, err
    local = (work / "build-local" / "with-mt.jsonl").read_bytes()
    assert b'"mt"' in local  # the export carries the machine translations
    assert (work / "build-ray" / "with-mt.jsonl").read_bytes() == local


def test_a_killed_node_loses_nothing(runs):
    work = runs["work"]
    report = json.loads((work / "killed-node.json").read_text() or "null")
    assert report, (work / "killer.err").read_text()
    # the whole node went down mid-job: its raylet, agents and translation worker
    assert "raylet" in report["killed"], report
    assert any(name.startswith("ray::TranslateWorker") for name in report["killed"]), report
    assert report["left"] == [], report
    assert BLOCK < report["rows_at_kill"] < LINES - 2 * BLOCK, report
    rc, err, out = _read(work, "ray-node-killed")
    assert rc == "0", err
    # both nodes translated blocks before the kill; the lost ones were sent again
    assert "blocks on 2 nodes" in err, err
    assert _resubmitted(err) > 0, err
    assert out == (work / "local.jsonl").read_bytes()
    assert len(out.splitlines()) == LINES


def test_no_ray_process_is_left_running(runs):
    # the namespace's processes end with it; `ray stop --force` ran inside it
    log = (runs["work"] / "ray-stop.log").read_text()
    assert "Stopped" in log or "stopped" in log, log
