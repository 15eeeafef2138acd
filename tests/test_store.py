"""The SQLite workspace and the build lock."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mlcorpus.errors import MlcorpusError
from mlcorpus.release import Release
from mlcorpus.workspace.store import SCHEMA_VERSION, BuildLock, Workspace, release_hash


def _release(text: str = "First sentence. Second one.") -> Release:
    return Release(id="r1", lang="en", title="Title", paragraphs=[text], date="2015-03-02")


def test_segments_round_trip_and_hash(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        rel = _release()
        ws.store_segmented_release(
            rel, "r1", [(0, "Title"), (1, "First sentence."), (1, "Second one.")]
        )
        assert [s.text for s in ws.segments("r1", "en")] == [
            "Title",
            "First sentence.",
            "Second one.",
        ]
        assert ws.release_state("r1", "en") == (release_hash(rel), release_hash(rel))
        # Re-storing replaces rather than appends.
        ws.store_segmented_release(rel, "r1", [(0, "Title")])
        assert len(ws.segments("r1", "en")) == 1
    conn = sqlite3.connect(tmp_path / "ws.sqlite")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    Workspace(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(MlcorpusError, match="newer"):
        Workspace(path)


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(MlcorpusError, match="not an mlcorpus workspace"):
        Workspace(path)


def test_beads_and_alignment_currency(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.sqlite") as ws:
        ws.store_segmented_release(_release(), "r1", [(0, "A.")])
        ws.store_beads(
            "r1",
            "en",
            "ru",
            "h1",
            "h2",
            [([0], [0], "A.", "А.", 0.9), ([1, 2], [1], "B. C.", "Б.", 0.7)],
        )
        assert ws.alignment_is_current("r1", "en", "h1", "h2")
        assert not ws.alignment_is_current("r1", "en", "h1", "changed")
        beads = ws.beads("en", "ru")
        assert [(b["src_ids"], b["tgt_ids"]) for b in beads] == [([0], [0]), ([1, 2], [1])]
        assert beads[0]["date"] == "2015-03-02"
        # the other direction reads the same beads with the sides swapped
        back = ws.beads("ru", "en")
        assert [(b["src_ids"], b["tgt_text"]) for b in back] == [([0], "A."), ([1], "B. C.")]
        assert back[0]["src_lang"] == "ru" and back[0]["tgt_lang"] == "en"
        assert ws.beads("en", "fr") == []
        frame = ws.to_pandas("beads")
        assert list(frame["score"]) == [0.9, 0.7]


def test_build_lock_refuses_a_second_holder(tmp_path: Path) -> None:
    code = (
        "import sys, time\nfrom pathlib import Path\n"
        "from mlcorpus.workspace.store import BuildLock\n"
        "with BuildLock(Path(sys.argv[1])):\n    print('locked', flush=True)\n"
        "    time.sleep(30)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with (
            pytest.raises(MlcorpusError, match="in use by another mlcorpus run"),
            BuildLock(tmp_path),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    # The kernel released the dead holder's lock: no stale lock file problem.
    with BuildLock(tmp_path):
        pass
