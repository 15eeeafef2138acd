"""Every XML file mlcorpus writes is valid against the official schema
(xmllint with the schemas in ../shared/schemas, the TBX-Basic Schematron),
and translate-toolkit reads it as a translator's tool would: translated and
fuzzy counts from ``pocount``, units through ``xliff2po``/``po2tmx`` and
``tbx2po``.  Skips cleanly when xmllint, the schemas or translate-toolkit are
missing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.schemas import schematron_errors, xmllint

from mlcorpus.formats import TranslationUnit, read_units, write_units
from mlcorpus.glossary import load_glossary
from mlcorpus.glossary.io_tbx import write_tbx

REPO = Path(__file__).resolve().parent.parent
GLOSSARY = REPO / "glossary" / "migration.en-ru.tsv"

HUMAN = {"release": "2015-03-02-csto", "date": "2015-03-02", "score": 0.93, "origin": "human"}
UNITS = [
    TranslationUnit(
        "Ministers of the CSTO met in Moscow.",
        "Министры ОДКБ встретились в Москве.",
        meta={**HUMAN, "tuid": "r1-0", "note": "aligned 1-1"},
    ),
    TranslationUnit(
        'Markup stays text: <a href="x">link</a> & "quotes"',
        'Разметка остаётся текстом: <a href="x">ссылка</a> & «кавычки»',
        meta={"origin": "mt", "model": "translate-en_ru-1_9", "glossary version": "2"},
    ),
    TranslationUnit(
        "Labour migrants need protection.",
        "Трудовые мигранты нуждаются в защите.",
        meta={**HUMAN, "mt": "Трудящиеся-мигранты нуждаются в защите."},
    ),
]


def _write(tmp_path: Path, fmt: str, suffix: str, units=UNITS, **langs) -> Path:
    path = tmp_path / f"out{suffix}"
    write_units(
        units, str(path), fmt, src_lang=langs.get("src", "en"), tgt_lang=langs.get("tgt", "ru")
    )
    return path


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip(f"{name} (translate-toolkit) is not installed")
    return found


@pytest.mark.parametrize("langs", [{}, {"src": "en-US", "tgt": "ru-RU"}])
def test_tmx_is_valid_against_dtd_and_xsd(tmp_path, langs):
    path = _write(tmp_path, "tmx", ".tmx", **langs)
    assert xmllint(path, "dtdvalid", "tmx14.dtd") == ""
    assert xmllint(path, "schema", "tmx14.xsd") == ""


@pytest.mark.parametrize("fmt", ["xliff", "xliff-omegat"])
def test_xliff_is_valid_against_the_strict_schema(tmp_path, fmt):
    path = _write(tmp_path, fmt, ".xlf")
    assert xmllint(path, "schema", "xliff-core-1.2-strict.xsd") == ""
    # the metadata is still there, in what XLIFF 1.2 defines
    text = path.read_text(encoding="utf-8")
    assert '<context context-type="x-release">2015-03-02-csto</context>' in text
    assert '<context context-type="x-glossary_version">2</context>' in text
    assert "<note>aligned 1-1</note>" in text and 'resname="r1-0"' in text


def test_xliff_metadata_reads_back(tmp_path):
    back = list(read_units(str(_write(tmp_path, "xliff", ".xlf"))))
    assert back[0].meta == {
        "tuid": "r1-0",
        "state": "translated",
        "release": "2015-03-02-csto",
        "date": "2015-03-02",
        "score": "0.93",
        "origin": "human",
        "note": "aligned 1-1",
    }
    assert back[1].meta["glossary_version"] == "2"
    assert back[2].meta["mt"] == "Трудящиеся-мигранты нуждаются в защите."


def test_xliff_from_older_mlcorpus_failed_the_strict_schema(tmp_path):
    """The check above can fail: the namespaced <mlc:prop> of older files did."""
    path = tmp_path / "old.xlf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:mlc="urn:mlcorpus:meta">'
        '<file original="x" source-language="en" target-language="ru" datatype="plaintext">'
        '<body><trans-unit id="1"><source>a</source><target>б</target>'
        '<mlc:prop type="score">0.9</mlc:prop></trans-unit></body></file></xliff>',
        encoding="utf-8",
    )
    assert "mlc" in xmllint(path, "schema", "xliff-core-1.2-strict.xsd")
    assert [u.meta for u in read_units(str(path))] == [{"score": "0.9"}]


def test_tbx_martif_is_valid_against_tbx_xsd(tmp_path):
    path = tmp_path / "g.tbx"
    write_tbx(load_glossary(GLOSSARY), path)
    assert xmllint(path, "schema", "tbx.xsd") == ""


def test_tbx_v3_is_valid_tbx_basic_and_tbx_core(tmp_path):
    path = tmp_path / "g.tbx"
    write_tbx(load_glossary(GLOSSARY), path, "3")
    assert xmllint(path, "relaxng", "TBX-Basic_integrated.rng") == ""
    assert xmllint(path, "relaxng", "TBXcoreStructV03.rng") == ""
    assert schematron_errors(path) == []


def test_schematron_check_catches_private_categories(tmp_path):
    """The Schematron run can fail: a descrip type TBX-Basic lacks is reported."""
    path = tmp_path / "g.tbx"
    write_tbx(load_glossary(GLOSSARY), path, "3")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "<note>mlcorpus:case_sensitive=true</note>",
            '<descrip type="x-caseSensitive">true</descrip>',
            1,
        ),
        encoding="utf-8",
    )
    assert any("subjectField, context, definition" in e for e in schematron_errors(path))


# --- translate-toolkit -------------------------------------------------------------


def _pocount(path: Path) -> dict:
    result = subprocess.run(
        [_tool("pocount"), "--csv", str(path)], capture_output=True, text=True, check=True
    )
    header, row = result.stdout.strip().splitlines()[-2:]
    names = [h.strip() for h in header.split(",")]
    return dict(zip(names, (v.strip() for v in row.split(",")), strict=False))


def test_pocount_counts_human_units_translated_and_mt_fuzzy(tmp_path):
    path = _write(tmp_path, "xliff", ".xlf")
    counts = _pocount(path)
    assert counts["Translated Messages"] == "2"
    assert counts["Fuzzy Messages"] == "1"


def test_xliff2po_po2tmx_keeps_the_approved_units(tmp_path):
    xlf = _write(tmp_path, "xliff", ".xlf")
    po, tmx = tmp_path / "out.po", tmp_path / "back.tmx"
    subprocess.run([_tool("xliff2po"), str(xlf), str(po)], check=True, capture_output=True)
    subprocess.run(
        [_tool("po2tmx"), "-l", "ru", str(po), str(tmx)], check=True, capture_output=True
    )
    pairs = [(u.src, u.tgt) for u in read_units(str(tmx), src_lang="en", tgt_lang="ru")]
    assert pairs == [(UNITS[0].src, UNITS[0].tgt), (UNITS[2].src, UNITS[2].tgt)]


def test_translate_toolkit_reads_tbx_and_tbx2po_writes_every_entry(tmp_path):
    pytest.importorskip("translate.storage.tbx")
    from translate.storage import tbx

    glossary = load_glossary(GLOSSARY)
    path = tmp_path / "g.tbx"
    write_tbx(glossary, path)
    store = tbx.tbxfile.parsefile(str(path))
    assert [(u.source, u.target) for u in store.units] == [(e.en, e.ru) for e in glossary.entries]
    po = tmp_path / "g.po"
    subprocess.run([_tool("tbx2po"), str(path), str(po)], check=True, capture_output=True)
    assert _pocount(po)["Translated Messages"] == str(len(glossary.entries))
