"""Human alignment corrections: the operations, the revision check, undo,
surviving ``mlcorpus run``, and flowing into every export."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main
from mlcorpus.formats import read_units
from mlcorpus.workspace import Workspace
from mlcorpus.workspace.edits import (
    Bead,
    EditError,
    StaleRevisionError,
    alignment_state,
    apply_operation,
    corrected_beads,
    edit_alignment,
    undo_edit,
)
from mlcorpus.workspace.overview import corpus_overview, query_overview

PAIR = "2015-03-02-iom-csto-meeting"


def _beads(*kinds: tuple[list[int], list[int]]) -> list[Bead]:
    return [Bead(src, tgt, 0.5) for src, tgt in kinds]


def test_operations_on_a_bead_list() -> None:
    beads = _beads(([0], [0]), ([1], [1, 2]), ([2, 3], [3]))
    merged, action = apply_operation(beads, "merge", 0)
    assert [(b.src, b.tgt) for b in merged] == [([0, 1], [0, 1, 2]), ([2, 3], [3])]
    assert merged[0].origin == "corrected" and merged[1].origin == "human"
    assert action == "merged beads 1 and 2"
    previous, _ = apply_operation(beads, "merge-previous", 2)
    assert [(b.src, b.tgt) for b in previous] == [([0], [0]), ([1, 2, 3], [1, 2, 3])]
    split, _ = apply_operation(beads, "split", 2, src_at=1, tgt_at=1)
    assert [(b.src, b.tgt) for b in split][2:] == [([2], [3]), ([3], [])]
    moved, _ = apply_operation(beads, "move", 1, side="tgt", direction="next")
    assert [(b.src, b.tgt) for b in moved] == [([0], [0]), ([1], [1]), ([2, 3], [2, 3])]
    up, _ = apply_operation(beads, "move", 1, side="src", direction="previous")
    # bead 2 keeps its target sentences, so it stays (as a 0-2 bead)
    assert [(b.src, b.tgt) for b in up] == [([0, 1], [0]), ([], [1, 2]), ([2, 3], [3])]
    one, _ = apply_operation(up, "move", 1, side="tgt", direction="previous")
    assert [(b.src, b.tgt) for b in one] == [([0, 1], [0, 1]), ([], [2]), ([2, 3], [3])]
    emptied, _ = apply_operation(one, "move", 1, side="tgt", direction="previous")
    assert [(b.src, b.tgt) for b in emptied] == [([0, 1], [0, 1, 2]), ([2, 3], [3])]
    excluded, _ = apply_operation(beads, "exclude", 1)
    assert excluded[1].excluded and not beads[1].excluded
    for op, n, params in [
        ("merge", 2, {}),
        ("merge-previous", 0, {}),
        ("split", 0, {"src_at": 1, "tgt_at": 1}),  # a 1-1 bead split leaves an empty half
        ("split", 1, {"src_at": 0, "tgt_at": 0}),
        ("move", 0, {"side": "src", "direction": "previous"}),
        ("include", 0, {}),
        ("exclude", 9, {}),
        ("split", 2, {}),
        ("rotate", 0, {}),
    ]:
        with pytest.raises(EditError):
            apply_operation(beads, op, n, **params)


@pytest.fixture()
def build(repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample corpus run without a model (alignment only)."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    monkeypatch.setenv("MLCORPUS_CACHE", str(tmp_path / "cache.sqlite"))
    corpus = tmp_path / "corpus"
    shutil.copytree(repo_root / "corpus", corpus)
    result = CliRunner().invoke(main, ["run", str(corpus), "-o", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    return tmp_path / "build"


def _run(build: Path) -> str:
    result = CliRunner().invoke(main, ["run", str(build.parent / "corpus"), "-o", str(build)])
    assert result.exit_code == 0, result.output
    return result.output


def _tmx(build: Path) -> list:
    return list(read_units(str(build / "corpus.en-ru.tmx"), "tmx", src_lang="en", tgt_lang="ru"))


def test_corrections_survive_a_run_and_reach_the_exports(build: Path) -> None:
    with Workspace(build / "workspace.sqlite") as ws:
        state = alignment_state(ws, PAIR)
        first_two = " ".join(state.src_sentences[:2])
        state = edit_alignment(ws, PAIR, "merge", 0, revision=state.revision)
        state = edit_alignment(ws, PAIR, "exclude", 3, revision=state.revision)
        excluded_src = state.text(state.beads[3])[0]
        # a tab that still shows the first revision is refused
        with pytest.raises(StaleRevisionError):
            edit_alignment(ws, PAIR, "merge", 5, revision="0000000000000000-0")
    _run(build)  # the corpus did not change: the edits stay in effect
    units = _tmx(build)
    pair_units = [u for u in units if u.meta["release"] == PAIR]
    assert pair_units[0].src == first_two
    assert pair_units[0].meta["origin"] == "corrected"
    assert all(u.meta["origin"] == "human" for u in pair_units[1:])
    assert excluded_src not in {u.src for u in units}
    jsonl = [json.loads(line) for line in (build / "corpus.en-ru.jsonl").read_text().splitlines()]
    assert sum(1 for row in jsonl if row["meta"]["origin"] == "corrected") == 1
    # `mlcorpus export` reads the same view
    out = build / "again.tsv"
    result = CliRunner().invoke(main, ["export", str(build), "--format", "tsv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert first_two in out.read_text(encoding="utf-8")
    with Workspace(build / "workspace.sqlite") as ws:
        # read the other way round (ru -> en scoring), the correction is there too
        back = [b for b in corrected_beads(ws, "ru", "en") if b["pair_id"] == PAIR]
        assert back[0]["tgt_text"] == first_two and back[0]["origin"] == "corrected"
        assert back[0]["src_lang"] == "ru" and back[0]["tgt_ids"] == [0, 1]
        summary = {r.pair_id: r for r in corpus_overview(ws)}[PAIR]
        assert (summary.edits, summary.excluded, summary.beads["2-2"]) == (2, 1, 1)
        page = query_overview(corpus_overview(ws), edited_only=True)
        assert [r.pair_id for r in page.rows] == [PAIR]
        state, action = undo_edit(ws, PAIR, revision=alignment_state(ws, PAIR).revision)
        assert action == "marked bead 4 as not a translation"
        assert not any(b.excluded for b in state.beads)
        assert len(state.active_edits) == 1
        # the stored per-pair summary follows the undo
        summary = {r.pair_id: r for r in corpus_overview(ws)}[PAIR]
        assert (summary.edits, summary.excluded, summary.beads["2-2"]) == (1, 0, 1)
        assert summary.sentences == {"en": 15, "ru": 15}


def test_edits_on_a_changed_text_are_set_aside(build: Path) -> None:
    with Workspace(build / "workspace.sqlite") as ws:
        state = alignment_state(ws, PAIR)
        edit_alignment(ws, PAIR, "merge", 0, revision=state.revision)
    ru = build.parent / "corpus" / "ru" / f"{PAIR}.txt"
    ru.write_text(ru.read_text(encoding="utf-8") + "\nДобавленный абзац.\n", encoding="utf-8")
    _run(build)
    with Workspace(build / "workspace.sqlite") as ws:
        state = alignment_state(ws, PAIR)
        assert not state.active_edits
        assert [e.action for e in state.set_aside] == ["merged beads 1 and 2"]
        assert state.set_aside[0].produced[0]["tgt"].startswith("Встреча главы")
        assert all(b.origin == "human" for b in state.beads)
        summary = {r.pair_id: r for r in corpus_overview(ws)}[PAIR]
        assert (summary.edits, summary.set_aside) == (0, 1)
        assert all(b["origin"] == "human" for b in corrected_beads(ws))
    assert all(u.meta["origin"] == "human" for u in _tmx(build))


def test_version_2_workspace_is_upgraded(build: Path) -> None:
    path = build / "workspace.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE alignment_edits")
    conn.execute("PRAGMA user_version=2")  # the version before edits existed
    conn.commit()
    conn.close()
    with Workspace(path) as ws:
        state = alignment_state(ws, PAIR)
        assert edit_alignment(ws, PAIR, "merge", 0, revision=state.revision).active_edits
