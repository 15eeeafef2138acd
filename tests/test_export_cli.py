"""``mlcorpus export``: a workspace's corpus in the exchange formats, with filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main


@pytest.fixture(scope="module")
def build(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    result = CliRunner().invoke(
        main, ["run", str(repo_root / "corpus"), "-o", str(out), "--no-translate"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_export_tmx_is_read_by_translate_toolkit(build: Path, tmp_path: Path) -> None:
    from translate.storage import tmx

    out = tmp_path / "corpus.tmx"
    result = CliRunner().invoke(main, ["export", str(build / "workspace.sqlite"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    store = tmx.tmxfile(out.read_bytes())
    units = [u for u in store.units if u.source]
    jsonl = [json.loads(x) for x in (build / "corpus.en-ru.jsonl").read_text().splitlines()]
    assert [u.source for u in units] == [r["translation"]["en"] for r in jsonl]
    assert [u.target for u in units] == [r["translation"]["ru"] for r in jsonl]
    assert f"wrote {len(units)} pairs" in result.output


def test_export_min_score_and_tsv_columns(build: Path, tmp_path: Path) -> None:
    out = tmp_path / "pairs.tsv"
    result = CliRunner().invoke(
        main, ["export", str(build), "--format", "tsv", "-o", str(out), "--min-score", "0.999"]
    )
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["en", "ru", "release", "date", "score", "origin", "src_ids", "tgt_ids"]
    assert all(float(r[4]) >= 0.999 for r in rows[1:])
    dropped = int(result.output.split("dropped: min_score ")[1].split()[0])
    total = len((build / "corpus.en-ru.jsonl").read_text().splitlines())
    assert len(rows) - 1 + dropped == total


def test_export_missing_workspace_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", str(tmp_path / "none.sqlite"), "-o", str(tmp_path / "x.tmx")]
    )
    assert result.exit_code != 0
    assert result.output.strip() == (
        f"Error: {tmp_path / 'none.sqlite'}: no such workspace (a build folder written by "
        "'mlcorpus run', or its workspace.sqlite)"
    )
    assert not (tmp_path / "x.tmx").exists()


def test_export_of_a_missing_folder_says_no_such_workspace(tmp_path: Path) -> None:
    """Not a complaint about the output format: the workspace is what is missing."""
    result = CliRunner().invoke(main, ["export", str(tmp_path / "nowhere") + "/"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'nowhere'}/: no such workspace")
    assert "--format" not in result.stderr and "--to" not in result.stderr
