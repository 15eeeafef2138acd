"""OmegaT (Debian package ``omegat``, 3.6) opens what mlcorpus writes.

One OmegaT project, run once in console mode (one JVM start for the module):
an mlcorpus TMX in ``tm/auto/`` fills the translations of a plain-text source
file and of an mlcorpus XLIFF; the XLIFF (the ``xliff-omegat`` layout) shows
its English sources as segments, one per unit, and no metadata; the glossary
exports load through OmegaT's own glossary readers.  A Groovy script passed
with ``--script`` (OmegaT's console scripting hook) records what OmegaT made
of the project.  Skips cleanly when OmegaT or Java is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mlcorpus.formats import TranslationUnit, read_units, write_units
from mlcorpus.glossary import load_glossary
from mlcorpus.glossary.io_simple import dump_omegat, dump_simple
from mlcorpus.glossary.io_tbx import write_tbx

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).parent / "support" / "omegat_dump.groovy"
GLOSSARY = REPO / "glossary" / "migration.en-ru.tsv"

PROJECT_FILE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <source_dir_excludes><mask>**/.svn/**</mask></source_dir_excludes>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>EN-US</source_lang>
        <target_lang>RU-RU</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneRussianTokenizer</target_tok>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""

UNITS = [
    TranslationUnit(
        "Ministers of the CSTO met in Moscow.",
        "Министры ОДКБ встретились в Москве.",
        meta={"release": "2015-03-02", "score": 0.93, "origin": "human", "note": "aligned"},
    ),
    TranslationUnit(
        "Labour migrants need protection.",
        "Трудовые мигранты нуждаются в защите.",
        meta={"origin": "mt", "model": "translate-en_ru-1_9"},
    ),
]
NEW_SENTENCE = "This sentence is in no translation memory."


@pytest.fixture(scope="module")
def omegat(tmp_path_factory):
    """The project, OmegaT's view of it (omegat-view.json) and its log."""
    if shutil.which("omegat") is None or shutil.which("java") is None:
        pytest.skip("OmegaT is not installed (Debian package omegat)")
    root = tmp_path_factory.mktemp("omegat")
    project = root / "project"
    for folder in ("source", "target", "tm/auto", "glossary", "omegat", "dictionary"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT_FILE, encoding="utf-8")
    # BCP 47 tags that match the project's EN-US/RU-RU
    write_units(
        UNITS, str(project / "tm/auto/corpus.tmx"), "tmx", src_lang="en-US", tgt_lang="ru-RU"
    )
    write_units(
        UNITS,
        str(project / "source/review.xlf"),
        "xliff-omegat",
        src_lang="en-US",
        tgt_lang="ru-RU",
    )
    (project / "source/release.txt").write_text(
        f"{UNITS[0].src}\n\n{NEW_SENTENCE}\n", encoding="utf-8"
    )
    glossary = load_glossary(GLOSSARY)
    (project / "glossary/migration.txt").write_text(dump_omegat(glossary), encoding="utf-8")
    (project / "glossary/migration.csv").write_text(dump_simple(glossary), encoding="utf-8")
    write_tbx(glossary, project / "glossary/migration.tbx")
    result = subprocess.run(
        [
            "omegat",
            str(project),
            "--mode=console-translate",
            f"--script={SCRIPT}",
            f"--config-dir={root / 'config'}",
            "--disable-project-locking",
            "--no-team",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=root,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    view = json.loads((project / "omegat-view.json").read_text(encoding="utf-8"))
    return project, view, log, glossary


def test_tm_auto_tmx_is_loaded_without_language_warnings(omegat):
    _, view, log, _ = omegat
    assert view["tms"]["corpus.tmx"] == [[u.src, u.tgt] for u in UNITS]
    assert "TMXR_WARNING" not in log


def test_tmx_fills_the_plain_text_source(omegat):
    project, view, _, _ = omegat
    segments = [(e["src"], e["tr"]) for e in view["entries"] if e["file"] == "release.txt"]
    assert segments == [(UNITS[0].src, UNITS[0].tgt), (NEW_SENTENCE, None)]
    target = (project / "target/release.txt").read_text(encoding="utf-8")
    assert UNITS[0].tgt in target and NEW_SENTENCE in target


def test_xliff_shows_english_sources_one_segment_per_unit(omegat):
    project, view, _, _ = omegat
    segments = [(e["src"], e["tr"]) for e in view["entries"] if e["file"] == "review.xlf"]
    # English sources only: no Russian, no release/score/origin metadata segments;
    # the translations come from the TMX in tm/auto
    assert segments == [(u.src, u.tgt) for u in UNITS]
    translated = list(read_units(str(project / "target/review.xlf")))
    assert [(u.src, u.tgt) for u in translated] == [(u.src, u.tgt) for u in UNITS]


def test_glossary_exports_load_in_omegat(omegat):
    _, view, _, glossary = omegat
    loaded = view["glossaries"]
    assert {name: "error" in data for name, data in loaded.items()} == {
        "migration.txt": False,
        "migration.csv": False,
        "migration.tbx": False,
    }, loaded
    tab = loaded["migration.txt"]["entries"]
    assert len(tab) == sum(len(e.terms("en")) for e in glossary.entries)
    first = glossary.entries[0]
    assert (tab[0]["src"], tab[0]["loc"]) == (first.en, first.ru)
    assert "en_variants" not in json.dumps(tab) and {"src": "en", "loc": "ru"} not in [
        {"src": t["src"], "loc": t["loc"]} for t in tab
    ]
    csv_pairs = [(t["src"], t["loc"]) for t in loaded["migration.csv"]["entries"]]
    assert csv_pairs == [(e.en, e.ru) for e in glossary.entries]
    tbx_pairs = {(t["src"], t["loc"]) for t in loaded["migration.tbx"]["entries"]}
    assert {(e.en, e.ru) for e in glossary.entries} <= tbx_pairs
