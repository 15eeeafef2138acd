"""``mlcorpus glossary`` through click's CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main

DATA = Path(__file__).parent / "data"


@pytest.fixture()
def gloss(tmp_path) -> Path:
    path = tmp_path / "g.tsv"
    shutil.copy(DATA / "glossary_small.tsv", path)
    return path


def run(*args: str):
    return CliRunner().invoke(main, ["glossary", *args])


def test_list_formats(gloss):
    table = run("list", "-g", str(gloss))
    assert table.exit_code == 0
    assert "TIP" in table.output and "торговля людьми" in table.output
    found = run("list", "-g", str(gloss), "--search", "МИГРАЦ", "--format", "json")
    rows = json.loads(found.output)
    assert [r["en"] for r in rows] == ["irregular migration"]
    assert rows[0]["ru_variants"] == ["нелегальная миграция"]
    tsv = run("list", "-g", str(gloss), "--format", "tsv")
    assert tsv.output.splitlines()[0].split("\t")[-1] == "owner"


def test_add_refuses_duplicates_unless_forced(gloss):
    before = gloss.read_text(encoding="utf-8")
    added = run(
        "add",
        "-g",
        str(gloss),
        "forced labour",
        "принудительный труд",
        "--en-variant",
        "forced labor",
        "--deprecated",
        "вынужденный труд",
        "--note",
        "ILO",
    )
    assert added.exit_code == 0, added.output
    after = gloss.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after[len(before) :] == (
        "forced labour\tпринудительный труд\tforced labor\t\tвынужденный труд\tfalse\tILO\t\n"
    )
    again = run("add", "-g", str(gloss), "Forced Labour", "принудительный труд")
    assert again.exit_code != 0
    assert "already in the glossary" in again.output and "--force" in again.output
    forced = run("add", "-g", str(gloss), "forced labour", "подневольный труд", "--force")
    assert forced.exit_code == 0
    assert "forced labour\tподневольный труд" in gloss.read_text(encoding="utf-8")


def test_add_creates_a_new_glossary(tmp_path):
    path = tmp_path / "new.tsv"
    result = run("add", "-g", str(path), "TIP", "торговля людьми", "--case-sensitive")
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == (
        "en\tru\ten_variants\tru_variants\tru_deprecated\tcase_sensitive\tnote\n"
        "TIP\tторговля людьми\t\t\t\ttrue\t\n"
    )


def test_remove(gloss):
    assert run("remove", "-g", str(gloss), "round table").exit_code == 0
    assert "круглый стол" not in gloss.read_text(encoding="utf-8")
    missing = run("remove", "-g", str(gloss), "round table")
    assert missing.exit_code != 0 and "no entry for 'round table'" in missing.output


def test_import_reports_conflicts_and_writes(gloss):
    result = run("import", "-g", str(gloss), str(DATA / "glossary_deepl.csv"))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 added, 0 merged, 2 unchanged, 0 conflicts"
    assert "Chief of Mission, IOM\tглава миссии МОМ" in gloss.read_text(encoding="utf-8")
    report = run(
        "import", "-g", str(gloss), str(DATA / "glossary_v2.tbx"), "--dry-run", "--format", "json"
    )
    data = json.loads(report.output)
    assert data["added"] == 2 and data["written"] is False
    assert "smuggling" not in gloss.read_text(encoding="utf-8")
    conflict_file = gloss.parent / "conflict.csv"
    conflict_file.write_text("IOM,Международная организация по миграции\n", encoding="utf-8")
    conflict = run("import", "-g", str(gloss), str(conflict_file))
    assert "conflict:" in conflict.output and "kept existing" in conflict.output
    assert "1 conflict" in conflict.output


def test_export_tbx_and_import_back(gloss, tmp_path):
    tbx = tmp_path / "g.tbx"
    assert run("export", "-g", str(gloss), "--format", "tbx", "-o", str(tbx)).exit_code == 0
    empty = tmp_path / "empty.tsv"
    result = run("import", "-g", str(empty), str(tbx))
    assert result.exit_code == 0 and "7 added" in result.output
    listed = json.loads(run("list", "-g", str(empty), "--format", "json").output)
    original = json.loads(run("list", "-g", str(gloss), "--format", "json").output)
    assert listed == original
    csv_out = run("export", "-g", str(gloss), "--format", "csv")
    assert csv_out.output.splitlines()[0] == "member states,государства-члены"


def test_validate(gloss, tmp_path):
    ok = run("validate", "-g", str(gloss))
    assert ok.exit_code == 0
    bad = tmp_path / "bad.tsv"
    bad.write_text("en\tru\tcase_sensitive\nIOM\tМОМ\tnope\nIOM\tМОМ\tfalse\n", encoding="utf-8")
    result = run("validate", "-g", str(bad))
    assert result.exit_code != 0
    assert f"{bad}: line 2: error: case_sensitive must be true or false" in result.output
    assert f"{bad}: line 3: error: duplicate entry for 'IOM'" in result.output
    assert "Traceback" not in result.output


def test_check_and_fix(gloss, tmp_path):
    src = tmp_path / "src.en"
    hyp = tmp_path / "hyp.ru"
    src.write_text(
        "Member states fight TIP.\nNo terms here.\nIOM met member states.\n", encoding="utf-8"
    )
    hyp.write_text(
        "Государства-участники борются с торговлей людьми.\nБез терминов.\n"
        "IOM встретилась с государствами-членами.\n",
        encoding="utf-8",
    )
    checked = run(
        "check", "-g", str(gloss), "--src", str(src), "--hyp", str(hyp), "--format", "json"
    )
    assert checked.exit_code == 0, checked.output
    data = json.loads(checked.output)
    assert (data["term_hits"], data["term_total"]) == (2, 4)
    assert data["segments"][0]["missed"] == [
        {"source": "member states", "target": "государства-члены"}
    ]
    text = run("check", "-g", str(gloss), "--src", str(src), "--hyp", str(hyp))
    assert "line 1: 1/2 missing: member states -> государства-члены" in text.output
    assert "term accuracy: 0.5000 (2/4)" in text.output
    out = tmp_path / "fixed.ru"
    report = tmp_path / "report.jsonl"
    fixed = run(
        "fix",
        "-g",
        str(gloss),
        "--src",
        str(src),
        "--hyp",
        str(hyp),
        "-o",
        str(out),
        "--term-report",
        str(report),
    )
    assert fixed.exit_code == 0, fixed.output
    assert out.read_text(encoding="utf-8") == (
        "Государства-члены борются с торговлей людьми.\nБез терминов.\n"
        "МОМ встретилась с государствами-членами.\n"
    )
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [len(line["fixed"]) for line in lines] == [1, 0, 1]
    again = run("check", "-g", str(gloss), "--src", str(src), "--hyp", str(out))
    assert "term accuracy: 1.0000 (4/4)" in again.output


def test_bad_input_is_a_one_line_error(gloss, tmp_path):
    src = tmp_path / "src.en"
    src.write_text("a\nb\n", encoding="utf-8")
    hyp = tmp_path / "hyp.ru"
    hyp.write_text("а\n", encoding="utf-8")
    out = tmp_path / "out.ru"
    result = run("fix", "-g", str(gloss), "--src", str(src), "--hyp", str(hyp), "-o", str(out))
    assert result.exit_code != 0
    assert "must be line-aligned" in result.output and "Traceback" not in result.output
    assert not out.exists()
    missing = run("check", "-g", str(tmp_path / "nope.tsv"), "--src", str(src), "--hyp", str(hyp))
    assert missing.exit_code != 0 and "no such glossary file" in missing.output
    broken = tmp_path / "broken.tbx"
    broken.write_text("<tbx>", encoding="utf-8")
    bad_import = run("import", "-g", str(gloss), str(broken))
    assert bad_import.exit_code != 0 and "not well-formed XML" in bad_import.output
