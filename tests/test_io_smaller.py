"""The smaller safe-output points: Markdown/HTML escaping in Markdown outputs,
spreadsheet-formula guard in CSV outputs, characters never dropped by align,
NFC glossary matching and the ``#`` comment rule of glossary files."""

from __future__ import annotations

import csv
import io
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main
from mlcorpus.formats import TranslationUnit, read_units, write_units

HOSTILE = '<img src=x onerror="alert(1)"> [click](javascript:alert(1)) *bold* | cell'


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def render(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable("table").render(markdown)


def assert_inert(html: str) -> None:
    assert "<img" not in html and "onerror" not in html.replace("onerror=&quot;", "")
    assert 'href="javascript:' not in html
    assert "<em>" not in html and "<strong>" not in html


# ------------------------------------------------------------------ Markdown


def test_report_md_escapes_release_titles(tmp_path: Path, repo_root: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(repo_root / "corpus", corpus)
    en = sorted((corpus / "en").glob("*.txt"))[0]
    lines = en.read_text(encoding="utf-8").split("\n")
    en.write_text("\n".join([HOSTILE, *lines[1:]]), encoding="utf-8")
    build = tmp_path / "build"
    code, out = invoke("run", str(corpus), "-o", str(build), "--no-translate")
    assert code == 0, out
    html = render((build / "report.md").read_text(encoding="utf-8"))
    assert_inert(html)
    # the title is shown as text, in one cell of its row
    assert "[click](javascript:alert(1)) *bold* | cell" in html.replace("&lt;", "<").replace(
        "&gt;", ">"
    ).replace("&quot;", '"')
    row = next(r for r in html.split("<tr>") if "click" in r)
    assert row.count("<td") == 5


def test_score_markdown_escapes_system_names(tmp_path: Path) -> None:
    ref = tmp_path / "ref.ru"
    ref.write_text("Привет мир.\nКак дела?\n", encoding="utf-8")
    hyp = tmp_path / "[x](javascript:alert(1)) *sys* <b>.ru"
    hyp.write_text("Привет мир.\nКак дела.\n", encoding="utf-8")
    code, out = invoke("score", "--hyp", str(hyp), "--ref", str(ref), "--format", "markdown")
    assert code == 0, out
    html = render(out)
    assert_inert(html)
    assert "<b>" not in html and "&lt;b&gt;" in html


# ----------------------------------------------------------------------- CSV


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "'=already quoted"]


def test_csv_cells_that_start_a_formula_are_guarded_and_read_back(tmp_path: Path) -> None:
    units = [TranslationUnit(f, f"перевод {i}") for i, f in enumerate(FORMULAS)]
    units.append(TranslationUnit("-0.5", "число"))  # a number stays a number
    out = tmp_path / "pairs.csv"
    write_units(units, str(out), "csv", src_lang="en", tgt_lang="ru")
    with out.open(encoding="utf-8", newline="") as fh:
        cells = [row[0] for row in csv.reader(fh)][1:]
    assert cells == ["'" + f for f in FORMULAS] + ["-0.5"]
    assert [u.src for u in read_units(str(out))] == FORMULAS + ["-0.5"]


def test_score_csv_guards_system_names_unless_asked(tmp_path: Path) -> None:
    ref = tmp_path / "ref.ru"
    ref.write_text("Привет мир.\n", encoding="utf-8")
    hyp = tmp_path / "=1+2.ru"
    hyp.write_text("Привет мир.\n", encoding="utf-8")
    args = ["score", "--hyp", str(hyp), "--ref", str(ref), "--format", "csv"]
    code, out = invoke(*args)
    assert code == 0, out
    assert next(csv.DictReader(io.StringIO(out)))["system"] == "'=1+2"
    code, out = invoke(*args, env={"MLCORPUS_CSV_FORMULAS": "keep"})
    assert next(csv.DictReader(io.StringIO(out)))["system"] == "=1+2"


def test_glossary_csv_export_is_guarded(tmp_path: Path) -> None:
    gloss = tmp_path / "g.tsv"
    gloss.write_text("en\tru\n=cmd|' /C calc'!A0\tформула\n", encoding="utf-8")
    out = tmp_path / "g.csv"
    code, output = invoke("glossary", "export", "-g", str(gloss), "--format", "csv", "-o", str(out))
    assert code == 0, output
    assert out.read_text(encoding="utf-8").startswith("'=cmd|")


# --------------------------------------------------------------------- align


@pytest.mark.parametrize("fmt", ["jsonl", "tmx", "tsv", "moses"])
def test_align_never_drops_a_character(tmp_path: Path, fmt: str) -> None:
    en, ru = tmp_path / "a.en", tmp_path / "a.ru"
    en.write_text("Line one.\nLine two.\nLine three\u0085next.\n", encoding="utf-8")
    ru.write_text("Строка один.\nСтрока два.\nСтрока три.\n", encoding="utf-8")
    out = tmp_path / ("out" if fmt == "moses" else f"out.{fmt}")
    code, output = invoke("align", str(en), str(ru), "--segmented", "--format", fmt, "-o", str(out))
    assert code == 0, output
    text = Path(f"{out}.en" if fmt == "moses" else out).read_text(encoding="utf-8")
    if fmt == "jsonl":
        text = "".join(json.loads(line)["src_text"] for line in text.split("\n") if line)
    assert "threenext" not in text
    # formats that hold it keep it; the line formats turn a line break into a space
    assert ("Line three\u0085next" if fmt in ("jsonl", "tmx") else "Line three next") in text


# ------------------------------------------------------------------ glossary


def test_glossary_matching_is_nfc_on_both_sides(repo_root: Path, tmp_path: Path) -> None:
    from mlcorpus.glossary import load_glossary
    from mlcorpus.glossary.enforce import fix_translations
    from mlcorpus.glossary.terms import TermFinder

    glossary = load_glossary(repo_root / "glossary" / "migration.en-ru.tsv")
    finder = TermFinder(glossary, "en", "ru")
    wanted = finder.source_entries("The Collective Security Treaty Organization met.")
    nfc = "Организация Договора о коллективной безопасности провела встречу."
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc  # й is decomposed
    assert finder.target_hits(nfd, wanted) == finder.target_hits(nfc, wanted) != set()
    # a glossary written in NFD matches NFC text
    decomposed = tmp_path / "nfd.tsv"
    decomposed.write_text(
        unicodedata.normalize("NFD", "en\tru\nMoscow region\tМосковский регион\n"),
        encoding="utf-8",
    )
    finder = TermFinder(load_glossary(decomposed), "en", "ru")
    wanted = finder.source_entries("The Moscow region")
    assert finder.target_hits("Московский регион принял", wanted)
    # post-editing NFD text works on the characters, not on the encoding
    fixed = fix_translations(
        glossary, "en", "ru", ["Trafficking in persons is a crime."],
        [unicodedata.normalize("NFD", "Трафик людей — преступление.")],
    )  # fmt: skip
    assert fixed[0].text.startswith("Торговл") and "людьми" in fixed[0].text


def test_hash_term_is_an_entry_not_a_comment(tmp_path: Path) -> None:
    from mlcorpus.glossary import load_glossary

    gloss = tmp_path / "g.tsv"
    gloss.write_text(
        "# Campaign glossary\nen\tru\n#MeToo\t#ЯНеБоюсьСказать\n# reviewed 2024\nhashtag\tхештег\n",
        encoding="utf-8",
    )
    entries = load_glossary(gloss).entries
    assert [e.en for e in entries] == ["#MeToo", "hashtag"]
    result = CliRunner().invoke(main, ["glossary", "validate", "-g", str(gloss)])
    assert result.exit_code == 0, result.output
    assert "2 entries, OK" in result.output and "2 comment lines skipped" in result.output
    # and it survives a rewrite
    code, out = invoke("glossary", "add", "-g", str(gloss), "readmission", "реадмиссия")
    assert code == 0, out
    assert [e.en for e in load_glossary(gloss).entries][:2] == ["#MeToo", "hashtag"]
