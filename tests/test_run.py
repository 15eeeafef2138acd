"""``mlcorpus run`` end to end: sample corpus, generated corpus with the test
models, resumption after changes and after a kill, concurrent-run refusal."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main

EN_PARAS = [
    "On {d} May 2016 the CSTO Secretary General met the IOM Chief of Mission. "
    "They discussed readmission and irregular migration.",
    "The member states agreed to continue the work. Trafficking in persons remains a "
    "threat to the region.",
]
RU_PARAS = [
    "{d} мая 2016 года Генеральный секретарь ОДКБ встретился с главой представительства МОМ. "
    "Они обсудили реадмиссию и незаконную миграцию.",
    "Государства-члены договорились продолжить работу. Торговля людьми остается угрозой "
    "для региона.",
]


def make_corpus(root: Path, n: int, start: int = 1) -> None:
    """*n* small release pairs in en/ and ru/ folders."""
    for k in range(start, start + n):
        day = 1 + k % 28
        (root / "en").mkdir(parents=True, exist_ok=True)
        (root / "ru").mkdir(parents=True, exist_ok=True)
        (root / "en" / f"release-{k:04d}.txt").write_text(
            f"Meeting number {k}\n\n" + "\n\n".join(p.format(d=day) for p in EN_PARAS) + "\n",
            encoding="utf-8",
        )
        (root / "ru" / f"release-{k:04d}.txt").write_text(
            f"Встреча номер {k}\n\n" + "\n\n".join(p.format(d=day) for p in RU_PARAS) + "\n",
            encoding="utf-8",
        )


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["run", *args])
    return result.exit_code, result.output


def stage_line(output: str, stage: str) -> tuple[int, int]:
    for line in output.splitlines():
        parts = line.split()
        if parts and parts[0] == stage:
            return int(parts[1]), int(parts[2])
    raise AssertionError(f"no {stage} line in:\n{output}")


@pytest.fixture()
def no_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    monkeypatch.setenv("MLCORPUS_CACHE", str(tmp_path / "cache.sqlite"))


def test_sample_corpus_without_a_model(repo_root: Path, tmp_path: Path, no_models: None) -> None:
    build = tmp_path / "build"
    code, out = run_cli(
        str(repo_root / "corpus"),
        "-o",
        str(build),
        "--glossary",
        str(repo_root / "glossary" / "migration.en-ru.tsv"),
    )
    assert code == 0, out
    assert "mlcorpus models install en ru" in out  # one line says how to get a model
    assert stage_line(out, "segment") == (4, 0)
    assert stage_line(out, "align") == (2, 0)
    for name in ("corpus.en-ru.tmx", "corpus.en-ru.tsv", "corpus.en-ru.jsonl", "report.md"):
        assert (build / name).is_file(), name
    rows = [json.loads(x) for x in (build / "corpus.en-ru.jsonl").read_text().splitlines()]
    assert len(rows) >= 25
    first = rows[1]["translation"]
    assert first["en"].startswith("On 2 March 2015") and first["ru"].startswith("2 марта 2015")
    assert "2015-03-02-iom-csto-meeting" in (build / "report.md").read_text()

    # A second run finds nothing to do.
    code, out = run_cli(str(repo_root / "corpus"), "-o", str(build))
    assert code == 0, out
    assert stage_line(out, "segment") == (0, 4)
    assert stage_line(out, "align") == (0, 2)


def test_adding_a_release_processes_only_it(tmp_path: Path, no_models: None) -> None:
    corpus, build = tmp_path / "corpus", tmp_path / "build"
    make_corpus(corpus, 3)
    assert run_cli(str(corpus), "-o", str(build))[0] == 0
    make_corpus(corpus, 1, start=4)
    code, out = run_cli(str(corpus), "-o", str(build))
    assert code == 0, out
    assert stage_line(out, "segment") == (2, 6)
    assert stage_line(out, "align") == (1, 3)
    assert "4 translation pairs" in out


def test_run_with_test_model_scores_mt(
    tmp_path: Path, installed: Path, test_models, repo_root: Path
) -> None:
    corpus, build = tmp_path / "corpus", tmp_path / "build"
    pairs = test_models.pairs[:12]
    (corpus / "en").mkdir(parents=True)
    (corpus / "ru").mkdir(parents=True)
    for k in range(3):
        chunk = pairs[k * 4 : (k + 1) * 4]
        (corpus / "en" / f"r{k}.txt").write_text(
            f"Release {k}\n\n" + "\n\n".join(en for en, _ in chunk) + "\n", encoding="utf-8"
        )
        (corpus / "ru" / f"r{k}.txt").write_text(
            f"Пресс-релиз {k}\n\n" + "\n\n".join(ru for _, ru in chunk) + "\n", encoding="utf-8"
        )
    glossary = str(repo_root / "glossary" / "migration.en-ru.tsv")
    code, out = run_cli(
        str(corpus), "-o", str(build), "--glossary", glossary, "--direction", "both"
    )
    assert code == 0, out
    assert stage_line(out, "translate") == (6, 0)  # 3 releases each way
    assert "MT en-ru: BLEU" in out and "MT ru-en: BLEU" in out
    con = sqlite3.connect(build / "workspace.sqlite")
    chrf = con.execute(
        "SELECT value FROM scores WHERE scope='corpus' AND metric='chrf' AND direction='en-ru'"
    ).fetchone()[0]
    assert chrf > 60  # the test model memorised these pairs (titles are not trained)
    per_release = con.execute(
        "SELECT COUNT(DISTINCT scope) FROM scores WHERE scope<>'corpus'"
    ).fetchone()[0]
    assert per_release == 3
    html = (build / "report-en-ru.html").read_text(encoding="utf-8")
    assert "<table" in html and "chrF" in html
    assert (build / "report-ru-en.html").is_file()
    ru_en = con.execute(
        "SELECT value FROM scores WHERE scope='corpus' AND metric='chrf' AND direction='ru-en'"
    ).fetchone()[0]
    assert ru_en > 60
    # Nothing changed: the second run decodes nothing.
    code, out = run_cli(
        str(corpus), "-o", str(build), "--glossary", glossary, "--direction", "both"
    )
    assert code == 0, out
    assert stage_line(out, "translate") == (0, 6)
    # report re-renders from the workspace alone, with the glossary the run was given
    assert "<th>Terms</th>" in html
    (build / "report.md").unlink()
    (build / "report-en-ru.html").unlink()
    result = CliRunner().invoke(main, ["report", str(build)])
    assert result.exit_code == 0, result.output
    assert (build / "report.md").is_file()
    assert "<th>Terms</th>" in (build / "report-en-ru.html").read_text(encoding="utf-8")


def _dump(build: Path) -> tuple:
    con = sqlite3.connect(build / "workspace.sqlite")
    segs = con.execute("SELECT release_id, lang, idx, text FROM segments ORDER BY 1,2,3").fetchall()
    beads = con.execute("SELECT pair_id, n, src_ids, tgt_ids FROM beads ORDER BY 1,2").fetchall()
    return segs, beads


#: releases in the kill test: enough that the kill (after 20 alignments) lands
#: mid-way, few enough that the resumed and the fresh build stay quick
KILL_CORPUS = 120


def test_killed_run_is_finished_by_the_next(tmp_path: Path, no_models: None) -> None:
    """Kill the run while it aligns (the longest stage): the workspace holds whole
    releases and whole alignments only, and the next run finishes the rest."""
    corpus = tmp_path / "corpus"
    make_corpus(corpus, KILL_CORPUS)
    build = tmp_path / "build"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlcorpus", "run", str(corpus), "-o", str(build), "--no-translate"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    db = build / "workspace.sqlite"
    deadline = time.time() + 120
    killed_mid_way = False
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                n = (
                    sqlite3.connect(db, timeout=1)
                    .execute("SELECT COUNT(*) FROM alignments")
                    .fetchone()[0]
                )
            except sqlite3.OperationalError:
                n = 0
            if n >= 20:
                proc.send_signal(signal.SIGKILL)
                killed_mid_way = True
                break
        time.sleep(0.01)
    proc.wait()
    if not killed_mid_way:
        pytest.skip("the run finished before it could be killed")
    con = sqlite3.connect(db)
    aligned = con.execute("SELECT COUNT(*) FROM alignments").fetchone()[0]
    assert 20 <= aligned < KILL_CORPUS  # the kill came mid-way
    # every stored alignment is complete: its beads cover both releases' sentences
    for (pair_id,) in con.execute("SELECT pair_id FROM alignments"):
        n_src = sum(
            len(json.loads(r[0]))
            for r in con.execute("SELECT src_ids FROM beads WHERE pair_id=?", (pair_id,))
        )
        segs = con.execute(
            "SELECT COUNT(*) FROM segments WHERE release_id=? AND lang='en'", (pair_id,)
        ).fetchone()[0]
        assert n_src == segs
    code, out = run_cli(str(corpus), "-o", str(build), "--no-translate")
    assert code == 0, out
    done, skipped = stage_line(out, "align")
    assert done + skipped == KILL_CORPUS and skipped >= aligned
    fresh = tmp_path / "fresh"
    assert run_cli(str(corpus), "-o", str(fresh), "--no-translate")[0] == 0
    assert _dump(build) == _dump(fresh)
    assert (build / "corpus.en-ru.tmx").read_bytes() == (fresh / "corpus.en-ru.tmx").read_bytes()


def test_concurrent_run_is_refused(tmp_path: Path, no_models: None) -> None:
    corpus, build = tmp_path / "corpus", tmp_path / "build"
    make_corpus(corpus, 1)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\n"
            "from mlcorpus.workspace.store import BuildLock\n"
            "with BuildLock(Path(sys.argv[1])):\n    print('ok', flush=True)\n    time.sleep(30)\n",
            str(build),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "mlcorpus",
                "run",
                str(corpus),
                "-o",
                str(build),
                "--no-translate",
            ],
            capture_output=True,
            text=True,
        )
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode != 0
    assert "in use by another mlcorpus run" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_corpus_is_a_clean_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mlcorpus", "run", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'nope'}: no such corpus folder"
    ]
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_edited_release_is_retranslated_without_stale_rows(
    tmp_path: Path, installed: Path, test_models
) -> None:
    corpus, build = tmp_path / "corpus", tmp_path / "build"
    pairs = test_models.pairs[:6]
    (corpus / "en").mkdir(parents=True)
    (corpus / "ru").mkdir(parents=True)
    en, ru = corpus / "en" / "r.txt", corpus / "ru" / "r.txt"
    en.write_text("Release\n\n" + "\n\n".join(e for e, _ in pairs) + "\n", encoding="utf-8")
    ru.write_text("Релиз\n\n" + "\n\n".join(r for _, r in pairs) + "\n", encoding="utf-8")
    assert run_cli(str(corpus), "-o", str(build))[0] == 0
    # The release shrinks to its first two paragraphs.
    en.write_text("Release\n\n" + "\n\n".join(e for e, _ in pairs[:2]) + "\n", encoding="utf-8")
    ru.write_text("Релиз\n\n" + "\n\n".join(r for _, r in pairs[:2]) + "\n", encoding="utf-8")
    code, out = run_cli(str(corpus), "-o", str(build))
    assert code == 0, out
    assert stage_line(out, "segment") == (2, 0)
    con = sqlite3.connect(build / "workspace.sqlite")
    segments = con.execute("SELECT COUNT(*) FROM segments WHERE lang='en'").fetchone()[0]
    rows = con.execute("SELECT idx, text FROM translations ORDER BY idx").fetchall()
    assert [idx for idx, _ in rows] == list(range(segments))
    assert rows[1][1] == pairs[0][1]  # index 0 is the title


def test_deleted_release_leaves_the_workspace(tmp_path: Path, no_models: None) -> None:
    corpus, build = tmp_path / "corpus", tmp_path / "build"
    make_corpus(corpus, 3)
    assert run_cli(str(corpus), "-o", str(build))[0] == 0
    before = len((build / "corpus.en-ru.jsonl").read_text().splitlines())
    (corpus / "en" / "release-0002.txt").unlink()
    (corpus / "ru" / "release-0002.txt").unlink()
    code, out = run_cli(str(corpus), "-o", str(build))
    assert code == 0, out
    assert "2 releases no longer in the corpus removed" in out
    rows = [json.loads(x) for x in (build / "corpus.en-ru.jsonl").read_text().splitlines()]
    assert len(rows) == before * 2 // 3
    assert {r["meta"]["release"] for r in rows} == {"release-0001", "release-0003"}
    con = sqlite3.connect(build / "workspace.sqlite")
    for table, column in (
        ("segments", "release_id"),
        ("beads", "pair_id"),
        ("alignments", "pair_id"),
    ):
        assert (
            con.execute(f"SELECT COUNT(*) FROM {table} WHERE {column}='release-0002'").fetchone()[0]
            == 0
        )
