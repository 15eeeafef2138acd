"""Translation on a real two-node Ray cluster (two raylets on this machine).

One cluster serves the whole module: a script inside private network and PID
namespaces starts it, runs every scenario with the real ``mlcorpus`` command
and the test model, and stops it.  The single-machine runs happen outside the
cluster, while it starts, and every Ray output must equal them byte for byte.

Every driver start costs seconds of CPU, so each Ray run shows several things:
``run --ray`` aligns and translates on both nodes without faults; then one
``translate --ray`` with a glossary loses a worker process and, later, the
whole second node (raylet, agents, workers), so that the job must also start
a new actor on the one node left.  The node kill comes last: after it only
one node is left.
"""

from __future__ import annotations

import importlib.util
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

# (not importorskip: importing Ray costs every pytest process that collects this)
_why_not = (
    'Ray is not installed (pip install "mlcorpus[ray]")'
    if importlib.util.find_spec("ray") is None
    else namespaces_available()
)
pytestmark = pytest.mark.skipif(_why_not is not None, reason=str(_why_not))

HERE = Path(__file__).parent
BLOCK = 80  # small blocks: 15 of them, so both kills land mid-job
LINES = 1200


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
        out, cache = work / f"{name}.jsonl", work / f"{name}.sqlite"
        return _translate_args(model, inp, out, cache, "-g", str(glossary), *extra)

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
        for args in (translate("local"), run_args(work / "build-local")):
            subprocess.run(args, check=True, env=env, capture_output=True)
        subprocess.run(export_args(work / "build-local"), check=True, env=env, capture_output=True)

    killer = [sys.executable, str(HERE / "support" / "ray_kill.py")]
    body = f"""
{_shell(run_args(work / "build-ray", "--ray"))} 2> {work}/run.err; echo $? > {work}/run.rc
{_shell(export_args(work / "build-ray"))} 2>> {work}/run.err
{_shell(translate("ray", "--ray"))} 2> {work}/ray.err &
job=$!
{_shell(killer)} {work}/ray.sqlite {work}/node.ps > {work}/kills.json 2> {work}/killer.err
wait $job; echo $? > {work}/ray.rc
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


def _ray_run(work: Path) -> tuple[str, bytes]:
    """The killed job's summary (stderr) and output; it must have succeeded."""
    err = (work / "ray.err").read_text()
    assert (work / "ray.rc").read_text().strip() == "0", err
    return err, (work / "ray.jsonl").read_bytes()


def _kills(work: Path) -> dict:
    text = (work / "kills.json").read_text()
    assert text, (work / "killer.err").read_text()
    return json.loads(text)


def _summary(err: str) -> tuple[int, int]:
    """(nodes, resubmitted blocks) from the job's ``Ray:`` summary line."""
    found = re.search(r"Ray: \d+ blocks on (\d+) nodes, (\d+) resubmitted", err)
    assert found, err
    return int(found.group(1)), int(found.group(2))


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


def test_glossary_is_applied_on_the_workers(runs):
    work = runs["work"]
    _, out = _ray_run(work)
    assert out == (work / "local.jsonl").read_bytes()
    reports = [json.loads(line)["term_report"] for line in out.splitlines()]
    assert sum(1 for r in reports if r and r["hits"]) > LINES // 4  # terms found on the workers


def test_a_killed_worker_loses_nothing(runs):
    work = runs["work"]
    worker = _kills(work)["worker"]
    assert 0 < worker["rows_at_kill"] < LINES - 2 * BLOCK, worker  # mid-job
    err, out = _ray_run(work)
    nodes, resubmitted = _summary(err)
    assert nodes == 2 and resubmitted > 0, err  # its blocks went to the other node
    assert out == (work / "local.jsonl").read_bytes()
    assert len(out.splitlines()) == LINES


def test_a_killed_node_loses_nothing(runs):
    work = runs["work"]
    kills = _kills(work)
    node = kills["node"]
    # the whole second node went down mid-job: its raylet, agents and worker
    assert "raylet" in node["killed"], node
    assert any(name.startswith("ray::TranslateWorker") for name in node["killed"]), node
    assert node["left"] == [], node
    assert kills["worker"]["rows_at_kill"] < node["rows_at_kill"] < LINES - 2 * BLOCK, kills
    err, out = _ray_run(work)
    # each kill cost the job the blocks in flight on the lost actor; a new
    # actor on the head finished them
    assert _summary(err)[1] >= 2, err
    assert out == (work / "local.jsonl").read_bytes()


def test_no_ray_process_is_left_running(runs):
    # the namespace's processes end with it; `ray stop --force` ran inside it
    log = (runs["work"] / "ray-stop.log").read_text()
    assert "Stopped" in log or "stopped" in log, log
