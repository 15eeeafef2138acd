"""Translation on a real two-node Ray cluster (two raylets on this machine).

One cluster serves the whole module: a script inside private network and PID
namespaces starts it, runs every scenario with the real ``mlcorpus`` command
and the test model, and stops it.  The single-machine run happens outside the
cluster, and every Ray output must equal it byte for byte, including the run
during which a worker process is killed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from support.build_models import read_pairs
from support.ray_cluster import namespaces_available, run_in_cluster

pytest.importorskip("ray", reason='Ray is not installed (pip install "mlcorpus[ray]")')
_why_not = namespaces_available()
pytestmark = pytest.mark.skipif(_why_not is not None, reason=str(_why_not))

HERE = Path(__file__).parent
BLOCK = 200  # small blocks: many of them, so a kill lands mid-job
LINES = 4000
GLOSSARY_LINES = 1000  # glossary enforcement is slower: fewer lines show it


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


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, test_models) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("ray")
    model = test_models.package("en", "ru")
    glossary = HERE.parent / "glossary" / "migration.en-ru.tsv"
    inp = _input(work / "input.en")
    short = _input(work / "short.en", GLOSSARY_LINES)
    env = {**os.environ, "PYTHONPATH": str(HERE.parent) + os.pathsep + str(HERE)}
    env.pop("MLCORPUS_RAY_ADDRESS", None)
    for name, source, extra in (
        ("local", inp, []),
        ("local-glossary", short, ["-g", str(glossary)]),
    ):
        subprocess.run(
            _translate_args(model, source, work / f"{name}.jsonl", work / f"{name}.sqlite", *extra),
            check=True,
            env=env,
            capture_output=True,
        )

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

    subprocess.run(run_args(work / "build-local"), check=True, env=env, capture_output=True)
    subprocess.run(export_args(work / "build-local"), check=True, env=env, capture_output=True)
    quoted = " ".join(shlex.quote(a) for a in run_args(work / "build-ray", "--ray"))
    export_ray = " ".join(shlex.quote(a) for a in export_args(work / "build-ray"))

    def cmd(name: str, *extra: str, source: Path = inp) -> str:
        args = _translate_args(
            model, source, work / f"{name}.jsonl", work / f"{name}.sqlite", "--ray", *extra
        )
        return " ".join(shlex.quote(a) for a in args)

    killer = f"{shlex.quote(sys.executable)} {HERE / 'support' / 'kill_worker.py'}"
    body = f"""
{cmd("ray")} 2> {work}/ray.err; echo $? > {work}/ray.rc
{cmd("ray-glossary", "-g", str(glossary), source=short)} 2> {work}/ray-glossary.err
echo $? > {work}/ray-glossary.rc
{cmd("ray-killed")} 2> {work}/ray-killed.err &
job=$!
{killer} {work}/ray-killed.sqlite > {work}/killed.pid 2> {work}/killer.err
wait $job; echo $? > {work}/ray-killed.rc
{quoted} 2> {work}/run.err; echo $? > {work}/run.rc
{export_ray} 2>> {work}/run.err
"""
    done = run_in_cluster(body, work, timeout=900)
    if done.returncode in (90, 91):
        pytest.skip(f"could not start a local Ray cluster: {(work / 'ray-head.log').read_text()}")
    assert done.returncode == 0, done.stderr
    return {"work": work}


def _read(work: Path, name: str) -> tuple[str, str, bytes]:
    rc = (work / f"{name}.rc").read_text().strip()
    err = (work / f"{name}.err").read_text()
    out = (work / f"{name}.jsonl").read_bytes() if (work / f"{name}.jsonl").exists() else b""
    return rc, err, out


def test_translation_runs_on_both_nodes_and_equals_one_machine(runs):
    work = runs["work"]
    rc, err, out = _read(work, "ray")
    assert rc == "0", err
    assert "blocks on 2 nodes" in err, err
    local = (work / "local.jsonl").read_bytes()
    assert out == local
    assert len(out.splitlines()) == LINES


def test_glossary_is_applied_on_the_workers(runs):
    work = runs["work"]
    rc, err, out = _read(work, "ray-glossary")
    assert rc == "0", err
    assert out == (work / "local-glossary.jsonl").read_bytes()
    assert b'"term_report"' in out


def test_a_killed_worker_loses_nothing(runs):
    work = runs["work"]
    assert (work / "killed.pid").read_text().strip().isdigit(), (work / "killer.err").read_text()
    rc, err, out = _read(work, "ray-killed")
    assert rc == "0", err
    assert "0 resubmitted" not in err, err  # the killed worker's blocks went elsewhere
    assert out == (work / "local.jsonl").read_bytes()


def test_no_ray_process_is_left_running(runs):
    # the namespace's processes end with it; `ray stop --force` ran inside it
    log = (runs["work"] / "ray-stop.log").read_text()
    assert "Stopped" in log or "stopped" in log, log


def test_run_aligns_and_translates_on_the_cluster(runs):
    work = runs["work"]
    rc = (work / "run.rc").read_text().strip()
    err = (work / "run.err").read_text()
    assert rc == "0", err
    assert "blocks on" in err and "Ray:" in err, err
    local = (work / "build-local" / "with-mt.jsonl").read_bytes()
    assert b'"mt"' in local  # the export carries the machine translations
    assert (work / "build-ray" / "with-mt.jsonl").read_bytes() == local
