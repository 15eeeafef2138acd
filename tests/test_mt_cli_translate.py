"""``mlcorpus translate`` through click's CliRunner, on the test models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main


def _run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["translate", *args], input=stdin)


def test_paragraphs_are_kept_and_cache_hits_reported(installed, test_models, tmp_path):
    p = test_models.pairs
    source = tmp_path / "release.txt"
    source.write_text(f"{p[1][0]} {p[2][0]}\n\n{p[44][0]}\n", encoding="utf-8")
    first = _run(str(source), "--from", "en", "--to", "ru")
    assert first.exit_code == 0, first.output
    assert first.stdout == f"{p[1][1]} {p[2][1]}\n\n{p[44][1]}\n"
    assert "0 from the cache, 3 translated" in first.stderr
    second = _run(str(source), "--from", "en", "--to", "ru")
    assert second.stdout == first.stdout
    assert "3 from the cache, 0 translated" in second.stderr
    bypass = _run(str(source), "--from", "en", "--to", "ru", "--no-cache")
    assert bypass.stdout == first.stdout and "0 from the cache, 3 translated" in bypass.stderr


def test_segmented_lines_stdin_and_reverse_direction(installed, test_models, tmp_path):
    p = test_models.pairs
    text = f"{p[5][1]}\n\n{p[6][1]}\n   \n"
    result = _run("-", "-f", "ru", "-t", "en", "--segmented", "--no-cache", stdin=text)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{p[5][0]}\n\n{p[6][0]}\n\n"


def test_progress_bar_only_when_asked_off_a_terminal(installed, test_models):
    lines = "".join(f"{en}\n" for en, _ in test_models.pairs * 2)
    quiet = _run("-", "-f", "en", "-t", "ru", "--segmented", "--no-cache", stdin=lines)
    assert quiet.exit_code == 0 and "Translating" not in quiet.stderr
    shown = _run(
        "-", "-f", "en", "-t", "ru", "--segmented", "--no-cache", "--progress", stdin=lines
    )
    assert shown.exit_code == 0 and "Translating" in shown.stderr
    assert shown.stdout == quiet.stdout and len(shown.stdout.splitlines()) == 100


def test_jsonl_and_tsv_formats_to_file(installed, test_models, tmp_path):
    p = test_models.pairs
    source = tmp_path / "in.txt"
    source.write_text(f"{p[8][0]}\n\n{p[9][0]} {p[10][0]}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = _run(
        str(source),
        "-f",
        "en",
        "-t",
        "ru",
        "--format",
        "jsonl",
        "-o",
        str(out),
        "--cache",
        str(tmp_path / "c.sqlite"),
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["paragraph"], r["index"]) for r in rows] == [(0, 0), (1, 0), (1, 1)]
    assert [r["tgt"] for r in rows] == [p[8][1], p[9][1], p[10][1]]
    assert (tmp_path / "c.sqlite").is_file()
    tsv = _run(str(source), "-f", "en", "-t", "ru", "--format", "tsv", "--no-cache")
    assert tsv.stdout.splitlines()[2] == f"{p[10][0]}\t{p[10][1]}"


def test_model_given_as_file_and_wrong_direction(argos_env, test_models, tmp_path):
    p = test_models.pairs
    package = str(test_models.package("en", "ru"))
    ok = _run(
        "-",
        "-f",
        "en",
        "-t",
        "ru",
        "--model",
        package,
        "--no-cache",
        "--beam",
        "2",
        "--batch-size",
        "8",
        stdin=p[0][0] + "\n",
    )
    assert ok.exit_code == 0, ok.output
    assert ok.stdout == p[0][1] + "\n"
    wrong = _run("-", "-f", "ru", "-t", "en", "--model", package, stdin=p[0][1] + "\n")
    assert wrong.exit_code != 0 and "translates en->ru, not ru->en" in wrong.output


def test_no_model_is_one_clear_line(argos_env, tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = _run(str(source), "--from", "en", "--to", "ru", "-o", str(tmp_path / "out.txt"))
    assert result.exit_code != 0
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: no en->ru translation model")
    assert "'mlcorpus models install en ru'" in lines[0]
    assert "'mlcorpus models install FILE.argosmodel'" in lines[0]
    assert not (tmp_path / "out.txt").exists()


def test_bad_input_is_an_error_without_output(installed, tmp_path):
    out = tmp_path / "out.txt"
    result = _run(str(tmp_path / "missing.txt"), "-f", "en", "-t", "ru", "-o", str(out))
    assert result.exit_code != 0 and "no such file" in result.output
    same = _run("-", "-f", "en", "-t", "en", stdin="Hello.\n")
    assert same.exit_code != 0 and "both 'en'" in same.output
    assert not out.exists()


@pytest.mark.skipif(
    not (Path(__file__).parent.parent / "mlcorpus" / "glossary" / "enforce.py").exists(),
    reason="glossary module not present",
)
def test_glossary_is_enforced_and_versioned_in_the_cache(installed, test_models, tmp_path):
    source_line = test_models.pairs[9][0]  # "Readmission procedures were discussed at the seminar."
    assert test_models.pairs[9][1].endswith("на семинаре.")
    glossary = tmp_path / "g.tsv"
    glossary.write_text(
        "en\tru\ten_variants\tru_variants\tru_deprecated\tcase_sensitive\tnote\n"
        "seminar\tпрактикум\t\t\tсеминар\tfalse\t\n",
        encoding="utf-8",
    )
    source = tmp_path / "in.txt"
    source.write_text(source_line + "\n", encoding="utf-8")
    args = [str(source), "-f", "en", "-t", "ru", "--cache", str(tmp_path / "c.sqlite")]
    result = _run(*args, "--glossary", str(glossary), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["tgt"].endswith("на практикуме.")  # preferred term, inflected
    assert row["raw"] == test_models.pairs[9][1]
    assert row["term_report"]["fixed"]
    plain = _run(*args)  # without the glossary: another cache key, the raw output
    assert plain.stdout.strip() == test_models.pairs[9][1]
    again = _run(*args, "--glossary", str(glossary))
    assert again.stdout.strip() == row["tgt"] and "1 from the cache" in again.stderr


def test_text_mode_reports_term_misses_on_stderr(installed, test_models, tmp_path):
    """Text and TSV have no room for the term report: misses go to stderr, where people read."""
    source_line = test_models.pairs[9][0]  # "Readmission procedures were discussed at the seminar."
    glossary = tmp_path / "g.tsv"
    glossary.write_text("en\tru\nprocedures\tрегламенты\n", encoding="utf-8")
    source = tmp_path / "in.txt"
    source.write_text(source_line + "\n", encoding="utf-8")
    result = _run(str(source), "-f", "en", "-t", "ru", "-g", str(glossary), "--no-cache")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == test_models.pairs[9][1]  # nothing invented
    lines = result.stderr.splitlines()
    assert "term missing: paragraph 1, sentence 1: procedures -> регламенты" in lines
    assert "1 glossary term missing from the translation" in lines
    assert any(line.startswith("1 segment (1 distinct)") for line in lines)
    segmented = _run(
        str(source), "-f", "en", "-t", "ru", "-g", str(glossary), "--no-cache", "--segmented"
    )
    assert "term missing: line 1: procedures -> регламенты" in segmented.stderr.splitlines()
    plain = _run(str(source), "-f", "en", "-t", "ru", "--no-cache")
    assert "term missing" not in plain.stderr
