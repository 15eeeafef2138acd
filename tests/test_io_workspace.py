"""Workspaces: export and report only read (SQLite read-only mode), foreign
databases are refused untouched, a broken workspace is one line saying how to
rebuild and never empties the exports, run cleans its stale temp files and
never reads its own build folder as releases."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def exports(build: Path) -> dict[str, str]:
    return {p.name: digest(p) for p in sorted(build.glob("corpus.*"))}


@pytest.fixture(scope="module")
def built(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = tmp_path_factory.mktemp("ws") / "build"
    code, out = invoke("run", str(repo_root / "corpus"), "-o", str(build), "--no-translate")
    assert code == 0, out
    return build


@pytest.fixture
def build(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    return copy


def test_export_of_an_empty_file_leaves_it_alone(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out = invoke("export", str(empty), "--format", "tsv", "-o", str(tmp_path / "o.tsv"))
    assert code != 0 and out.count("\n") == 1
    assert "not an mlcorpus workspace" in out
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt"]


def test_foreign_database_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "people.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.execute("INSERT INTO people VALUES ('Zigic')")
    conn.commit()
    conn.close()
    before = digest(db)
    for args in (["export", str(db), "--format", "tsv"], ["report", str(tmp_path)]):
        if args[0] == "report":
            db.rename(tmp_path / "workspace.sqlite")
            db = tmp_path / "workspace.sqlite"
        code, out = invoke(*args)
        assert code != 0 and "not an mlcorpus workspace (it holds people)" in out, out
        assert digest(db) == before
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_export_does_not_write_the_workspace(build: Path, tmp_path: Path) -> None:
    ws = build / "workspace.sqlite"
    before = (digest(ws), ws.stat().st_mtime_ns)
    code, out = invoke("export", str(build), "--format", "tsv", "-o", str(tmp_path / "o.tsv"))
    assert code == 0, out
    assert (digest(ws), ws.stat().st_mtime_ns) == before


def test_export_from_a_read_only_filesystem(build: Path, tmp_path: Path) -> None:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        pytest.skip("unshare and mount are needed for a read-only mount")
    for name in ("workspace.sqlite-wal", "workspace.sqlite-shm"):
        (build / name).unlink(missing_ok=True)
    mnt = tmp_path / "ro"
    mnt.mkdir()
    out = tmp_path / "o.tsv"
    script = (
        f'mount --bind "{build}" "{mnt}" && mount -o remount,ro,bind "{mnt}" || exit 77; '
        f'touch "{mnt}/probe" 2>/dev/null && exit 78; '
        f'"{sys.executable}" -m mlcorpus export "{mnt}" --format tsv -o "{out}"'
    )
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True)
    if proc.returncode in (77, 78) or "unshare failed" in proc.stderr:
        pytest.skip(f"no read-only mount here: {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) > 10


@pytest.mark.parametrize(
    ("damage", "what"),
    [
        ("DROP TABLE beads", "table beads is missing"),
        ("ALTER TABLE beads RENAME TO beads_old", "table beads is missing"),
        ("ALTER TABLE releases DROP COLUMN source", "table releases lacks column(s) source"),
    ],
)
def test_inconsistent_workspace_is_one_line_and_keeps_exports(
    build: Path, repo_root: Path, damage: str, what: str
) -> None:
    conn = sqlite3.connect(build / "workspace.sqlite")
    conn.execute(damage)
    conn.commit()
    conn.close()
    before = exports(build)
    code, out = invoke("run", str(repo_root / "corpus"), "-o", str(build), "--no-translate")
    assert code != 0
    assert out.count("\n") == 1 and "Traceback" not in out
    assert what in out and "--rebuild" in out
    assert exports(build) == before  # not replaced by emptier ones
    code, out = invoke("export", str(build), "--format", "tsv")
    assert code != 0 and what in out
    # the advice works
    code, out = invoke(
        "run", str(repo_root / "corpus"), "-o", str(build), "--no-translate", "--rebuild"
    )
    assert code == 0, out
    assert exports(build) == before


def test_json_field_that_is_not_json(build: Path, repo_root: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(build / "workspace.sqlite")
    conn.execute("UPDATE beads SET src_ids='[1, 2' WHERE n=3")
    conn.commit()
    conn.close()
    before = exports(build)
    out_file = tmp_path / "o.tsv"
    out_file.write_text("previous export\n", encoding="utf-8")
    code, out = invoke("export", str(build), "--format", "tsv", "-o", str(out_file))
    assert code != 0 and out.count("\n") == 1
    assert "stored JSON value is not JSON" in out and "--rebuild" in out
    assert out_file.read_text(encoding="utf-8") == "previous export\n"
    code, out = invoke("run", str(repo_root / "corpus"), "-o", str(build), "--no-translate")
    assert code != 0 and "not JSON" in out and "Traceback" not in out
    assert exports(build) == before


def test_corrupt_workspace_file(build: Path, repo_root: Path) -> None:
    ws = build / "workspace.sqlite"
    conn = sqlite3.connect(ws)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(ws.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[page : 3 * page] = os.urandom(2 * page)  # pages 2-3: table b-trees
    ws.write_bytes(bytes(data))
    before = exports(build)
    code, out = invoke("run", str(repo_root / "corpus"), "-o", str(build), "--no-translate")
    assert code != 0 and out.count("\n") == 1 and "Traceback" not in out
    assert "inconsistent or corrupt" in out and "--rebuild" in out
    assert exports(build) == before


def test_disk_full_names_the_workspace(tmp_path: Path, repo_root: Path) -> None:
    build = tmp_path / "build"
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))\n"
        "from mlcorpus.cli import main\n"
        f"main(['run', {str(repo_root / 'corpus')!r}, '-o', {str(build)!r}, '--no-translate'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"Error: {build / 'workspace.sqlite'}: cannot write"), proc.stderr


def test_run_removes_stale_temp_files(build: Path, repo_root: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = build / f".corpus.en-ru.tsv.{int(dead.stdout)}.x1y2z3w4.tmp"
    stale.write_text("half an export")
    code, out = invoke("run", str(repo_root / "corpus"), "-o", str(build), "--no-translate")
    assert code == 0, out
    assert not stale.exists()


def test_build_folder_inside_the_corpus_is_not_read(tmp_path: Path, repo_root: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(repo_root / "corpus", corpus)
    build = corpus / "build"
    first = invoke("run", str(corpus), "-o", str(build), "--no-translate")
    second = invoke("run", str(corpus), "-o", str(build), "--no-translate")
    assert first[0] == 0 and second[0] == 0, second[1]
    assert (build / "report.md").exists()

    def discovered(output: str) -> str:
        return next(x for x in output.splitlines() if x.startswith("discover")).split()[1]

    assert discovered(second[1]) == discovered(first[1])
    code, out = invoke("run", str(corpus), "-o", str(corpus), "--no-translate")
    assert code != 0 and "cannot be the corpus folder" in out
