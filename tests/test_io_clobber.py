"""No output option may overwrite one of the command's inputs (files, the
workspace, the glossary), whatever path spelling, symlink or hard link names it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main

EN = "The CSTO and IOM signed a memorandum. They met in Moscow.\n"
RU = "ОДКБ и МОМ подписали меморандум. Они встретились в Москве.\n"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def files(tmp_path: Path, repo_root: Path) -> dict[str, Path]:
    en, ru = tmp_path / "src.en", tmp_path / "ref.ru"
    en.write_text(EN, encoding="utf-8")
    ru.write_text(RU, encoding="utf-8")
    gloss = tmp_path / "g.tsv"
    shutil.copy(repo_root / "glossary" / "migration.en-ru.tsv", gloss)
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("en\tru\nHello\tПривет\n", encoding="utf-8")
    return {"en": en, "ru": ru, "g": gloss, "tsv": tsv}


def assert_refused(code: int, output: str, path: Path, before: bytes, flag: str = "-o") -> None:
    assert code != 0, output
    assert output.strip().endswith(f"{flag} would overwrite the input {path}"), output
    assert path.read_bytes() == before


def test_segment(files: dict[str, Path]) -> None:
    before = files["en"].read_bytes()
    code, out = invoke("segment", str(files["en"]), "--lang", "en", "-o", str(files["en"]))
    assert_refused(code, out, files["en"], before)


def test_same_file_by_another_spelling_symlink_and_hard_link(
    files: dict[str, Path], tmp_path: Path
) -> None:
    src = files["en"]
    before = src.read_bytes()
    other = tmp_path / "sub" / ".." / src.name
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.en"
    link.symlink_to(src)
    hard = tmp_path / "hard.en"
    os.link(src, hard)
    for out in (other, link, hard):
        code, output = invoke("segment", str(src), "--lang", "en", "-o", str(out))
        assert_refused(code, output, src, before)


def test_align_moses_output_over_an_input(files: dict[str, Path], tmp_path: Path) -> None:
    before = files["en"].read_bytes()
    base = tmp_path / "src"  # --format moses writes src.en (an input) and src.ru
    code, out = invoke(
        "align", str(files["en"]), str(files["ru"]), "--format", "moses", "-o", str(base)
    )
    assert_refused(code, out, files["en"], before)


def test_score_output_and_segments(files: dict[str, Path]) -> None:
    before = files["ru"].read_bytes()
    args = ["score", "--hyp", str(files["ru"]), "--ref", str(files["ru"])]
    code, out = invoke(*args, "-o", str(files["ru"]))
    assert_refused(code, out, files["ru"], before)
    code, out = invoke(*args, "--segments", str(files["ru"]))
    assert_refused(code, out, files["ru"], before, "--segments")


def test_score_output_over_the_glossary(files: dict[str, Path]) -> None:
    before = files["g"].read_bytes()
    code, out = invoke(
        "score", "--hyp", str(files["ru"]), "--ref", str(files["ru"]),
        "--src", str(files["en"]), "-g", str(files["g"]), "-o", str(files["g"]),
    )  # fmt: skip
    assert_refused(code, out, files["g"], before)


def test_glossary_export_over_itself(files: dict[str, Path]) -> None:
    before = files["g"].read_bytes()
    code, out = invoke(
        "glossary", "export", "-g", str(files["g"]), "--format", "csv", "-o", str(files["g"])
    )
    assert_refused(code, out, files["g"], before)


def test_glossary_check_and_fix(files: dict[str, Path]) -> None:
    common = ["-g", str(files["g"]), "--src", str(files["en"]), "--hyp", str(files["ru"])]
    before = files["ru"].read_bytes()
    code, out = invoke("glossary", "fix", *common, "-o", str(files["ru"]))
    assert_refused(code, out, files["ru"], before)
    code, out = invoke("glossary", "fix", *common, "--term-report", str(files["en"]))
    assert_refused(code, out, files["en"], files["en"].read_bytes(), "--term-report")
    code, out = invoke("glossary", "check", *common, "-o", str(files["g"]))
    assert_refused(code, out, files["g"], files["g"].read_bytes())


def test_convert_over_its_input(files: dict[str, Path]) -> None:
    before = files["tsv"].read_bytes()
    code, out = invoke("convert", str(files["tsv"]), str(files["tsv"]))
    assert_refused(code, out, files["tsv"], before, "OUT")


def test_translate_over_its_input(files: dict[str, Path]) -> None:
    before = files["en"].read_bytes()
    code, out = invoke("translate", str(files["en"]), "--from", "en", "--to", "ru",
                       "-o", str(files["en"]))  # fmt: skip
    assert_refused(code, out, files["en"], before)


def test_export_over_the_workspace(tmp_path: Path, repo_root: Path) -> None:
    build = tmp_path / "build"
    code, out = invoke("run", str(repo_root / "corpus"), "-o", str(build), "--no-translate")
    assert code == 0, out
    ws = build / "workspace.sqlite"
    before = ws.read_bytes()
    for source in (str(build), str(ws)):
        code, out = invoke("export", source, "--format", "tsv", "-o", str(ws))
        assert_refused(code, out, ws, before)
    code, out = invoke("export", str(build), "--format", "tsv", "-o", f"{ws}-wal")
    assert code != 0 and "would overwrite the input" in out


def test_two_outputs_naming_one_file(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "scores.json"
    code, output = invoke(
        "score", "--hyp", str(files["ru"]), "--ref", str(files["ru"]),
        "-o", str(out), "--segments", str(out),
    )  # fmt: skip
    assert code != 0 and "name the same file" in output
    assert not out.exists()


def test_a_different_output_still_works(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    code, output = invoke("segment", str(files["en"]), "--lang", "en", "-o", str(out))
    assert code == 0, output
    assert out.read_text(encoding="utf-8").count("\n") == 2


def test_run_outputs_never_replace_the_glossary(tmp_path: Path, repo_root: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    gloss = build / "corpus.en-ru.tsv"  # a glossary saved under an export's name
    shutil.copy(repo_root / "glossary" / "migration.en-ru.tsv", gloss)
    before = gloss.read_bytes()
    code, out = invoke(
        "run", str(repo_root / "corpus"), "-o", str(build), "-g", str(gloss), "--no-translate"
    )
    assert_refused(code, out, gloss, before)
