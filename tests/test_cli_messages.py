"""What the commands tell people: headers, hints, counts, terminal-sized tables,
and the small promises of the command overview (paragraph modes, format from
the file name, acronyms imported case sensitive, nothing left in build/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mlcorpus.cli import main

REPO = Path(__file__).resolve().parent.parent
GLOSSARY = REPO / "glossary" / "migration.en-ru.tsv"


def _run(*args: str, **kw: object) -> Result:
    return CliRunner().invoke(main, list(args), **kw)


def test_segment_one_paragraph_per_line() -> None:
    """A UDHR-style text (no blank lines) keeps its paragraphs with --paragraphs line."""
    text = (
        "All human beings are born free. They are endowed with reason.\n"
        "Everyone has the right to life.\n"
        "No one shall be held in slavery.\n"
    )
    blank = _run("segment", "-", "--lang", "en", input=text)
    line = _run("segment", "-", "--lang", "en", "--paragraphs", "line", input=text)
    assert blank.exit_code == 0 and line.exit_code == 0
    assert "\n\n" not in blank.stdout  # one paragraph: merged
    assert line.stdout.split("\n\n") == [
        "All human beings are born free.\nThey are endowed with reason.",
        "Everyone has the right to life.",
        "No one shall be held in slavery.\n",
    ]


def test_glossary_list_fits_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    result = _run("glossary", "list", "-g", str(GLOSSARY))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["en", "ru", "notes"]
    assert max(len(line) for line in lines) <= 60
    assert not any(line != line.rstrip() for line in lines)
    assert any("…" in line for line in lines)  # long cells are cut, not wrapped
    assert result.stderr.strip().endswith("entries")


def test_glossary_list_for_scripts() -> None:
    tsv = _run("glossary", "list", "-g", str(GLOSSARY), "--format", "tsv", "--search", "CSTO")
    rows = [line.split("\t") for line in tsv.stdout.splitlines()]
    assert rows[0][:2] == ["en", "ru"] and ["CSTO", "ОДКБ"] in [r[:2] for r in rows]
    data = json.loads(_run("glossary", "list", "-g", str(GLOSSARY), "--format", "json").stdout)
    assert {"en": "CSTO", "ru": "ОДКБ"}.items() <= next(
        e for e in data if e["en"] == "CSTO"
    ).items()


def test_missing_default_glossary_hints_at_g_and_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # outside the repository: no glossary/ folder here
    result = _run("glossary", "list")
    assert result.exit_code != 0
    assert "no such glossary file" in result.stderr
    assert "-g FILE" in result.stderr and "$MLCORPUS_GLOSSARY" in result.stderr


def test_imported_acronyms_are_case_sensitive(tmp_path: Path) -> None:
    """TICO-19 style lists: WHO must not be matched by the pronoun "who"."""
    terms = tmp_path / "terms.csv"
    terms.write_text("WHO,ВОЗ\nquarantine,карантин\n", encoding="utf-8")
    gloss = tmp_path / "g.tsv"
    assert _run("glossary", "import", "-g", str(gloss), str(terms)).exit_code == 0
    data = json.loads(_run("glossary", "list", "-g", str(gloss), "--format", "json").stdout)
    flags = {e["en"]: e["case_sensitive"] for e in data}
    assert flags == {"WHO": True, "quarantine": False}
    src = tmp_path / "src.en"
    hyp = tmp_path / "hyp.ru"
    src.write_text("The doctor who came.\nWHO declared a quarantine.\n", encoding="utf-8")
    hyp.write_text("Врач, который пришёл.\nВОЗ объявила карантин.\n", encoding="utf-8")
    check = _run(
        "glossary", "check", "-g", str(gloss), "-s", str(src), "-i", str(hyp), "--format", "json"
    )
    assert check.exit_code == 0, check.output
    result = json.loads(check.stdout)
    assert (result["term_hits"], result["term_total"]) == (2, 2)


def test_validate_warns_about_latin_russian_terms_and_unknown_columns(tmp_path: Path) -> None:
    gloss = tmp_path / "g.tsv"
    gloss.write_text(
        "en\tru\tsourceLang\ncovid19\tcovid19\ten\nquarantine\tкарантин\ten\n", encoding="utf-8"
    )
    result = _run("glossary", "validate", "-g", str(gloss))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"{gloss}: line 1: warning: column 'sourceLang' is not one mlcorpus uses" in out
    assert f"{gloss}: line 2: warning: Russian term 'covid19' for 'covid19' has no Cyrillic" in out
    assert "quarantine" not in out
    assert "2 warnings" in result.stderr


def test_glossary_export_format_from_the_file_name(tmp_path: Path) -> None:
    tbx = tmp_path / "x.tbx"
    csv = tmp_path / "x.csv"
    assert _run("glossary", "export", "-g", str(GLOSSARY), "-o", str(tbx)).exit_code == 0
    assert _run("glossary", "export", "-g", str(GLOSSARY), "-o", str(csv)).exit_code == 0
    assert "<termEntry" in tbx.read_text(encoding="utf-8") or "<conceptEntry" in tbx.read_text(
        encoding="utf-8"
    )
    assert "CSTO,ОДКБ" in csv.read_text(encoding="utf-8").splitlines()
    # and the TBX comes back in
    back = tmp_path / "back.tsv"
    assert _run("glossary", "import", "-g", str(back), str(tbx)).exit_code == 0
    assert "ОДКБ" in back.read_text(encoding="utf-8")


def test_models_list_has_a_header_and_remove_takes_its_name(installed: Path) -> None:
    listed = _run("models", "list")
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["direction", "version", "size", "name", "path"]
    assert not any(line != line.rstrip() for line in lines)
    data = json.loads(_run("models", "list", "--format", "json").stdout)
    name = next(p["name"] for p in data if p["direction"] == "en->ru")
    assert any(line.startswith("en->ru") and f"  {name}  " in line for line in lines)
    removed = _run("models", "remove", name)
    assert removed.exit_code == 0, removed.output
    assert "Removed en->ru" in removed.stdout
    left = [line.split()[0] for line in _run("models", "list").stdout.splitlines()[1:]]
    assert left == ["ru->en"]
    again = _run("models", "remove", name)
    assert again.exit_code == 1 and f"no installed package named {name!r}" in again.stderr


def test_run_leaves_no_lock_file_and_counts_in_words(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for lang, text in (
        ("en", "Meeting\n\nThe CSTO met the IOM. They spoke."),
        ("ru", "Встреча\n\nОДКБ встретилась с МОМ. Они говорили."),
    ):
        (corpus / lang).mkdir(parents=True)
        (corpus / lang / "2016-05-01-meeting.txt").write_text(text, encoding="utf-8")
    build = tmp_path / "build"
    result = _run("run", str(corpus), "-o", str(build), "--no-translate")
    assert result.exit_code == 0, result.output
    assert not (build / ".mlcorpus.lock").exists()
    # no model, still an HTML report for the translator: the alignment, side by side
    html = (build / "report-alignment.html").read_text(encoding="utf-8")
    assert "<h3>2016-05-01-meeting</h3>" in html
    assert "<td>The CSTO met the IOM.</td><td>ОДКБ встретилась с МОМ.</td>" in html
    scores = [float(x) for x in re.findall(r'<td class="score">([\d.]+)</td>', html)]
    assert scores == sorted(scores)  # lowest confidence first
    assert "2 releases, 1 translation pair, " in result.stderr
    assert not any(line != line.rstrip() for line in result.stderr.splitlines())
    assert result.stderr.splitlines()[1].split() == ["stage", "done", "skipped", "seconds", "note"]
