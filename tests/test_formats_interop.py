"""Files we write are read correctly by an independent tool (translate-toolkit,
and the standard library parser), and files other tools wrote are read by us."""

from __future__ import annotations

import json
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

from mlcorpus import __version__
from mlcorpus.formats import TranslationUnit, read_units, write_units

translate_storage = pytest.importorskip("translate.storage")
from translate.storage import tmx as tt_tmx  # noqa: E402
from translate.storage import xliff as tt_xliff  # noqa: E402

XML = "{http://www.w3.org/XML/1998/namespace}"
XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"

UNITS = [
    TranslationUnit(
        "Ministers of the CSTO met in Moscow.",
        "Министры ОДКБ встретились в Москве.",
        meta={"release_id": "2015-03-02", "score": 0.93, "origin": "human"},
    ),
    TranslationUnit(
        'Markup stays text: <a href="x">link</a> & "quotes" \'apos\'',
        'Разметка остаётся текстом: <a href="x">ссылка</a> & «кавычки»',
        meta={"origin": "mt", "model": "translate-en_ru-1_9", "glossary_version": "2"},
    ),
    TranslationUnit("  leading and trailing spaces  ", "  пробелы по краям  "),
    TranslationUnit("Line one\nline two", "Строка один\nстрока два"),
]


def test_tmx_read_by_translate_toolkit(tmp_path):
    path = tmp_path / "out.tmx"
    write_units(UNITS, str(path), "tmx", src_lang="en", tgt_lang="ru")
    store = tt_tmx.tmxfile.parsefile(str(path))
    assert [(u.source, u.target) for u in store.units] == [(u.src, u.tgt) for u in UNITS]


def test_xliff_read_by_translate_toolkit_with_review_state_for_mt(tmp_path):
    path = tmp_path / "out.xlf"
    write_units(UNITS, str(path), "xliff", src_lang="en", tgt_lang="ru")
    store = tt_xliff.xlifffile.parsefile(str(path))
    assert store.getsourcelanguage() == "en"
    assert store.gettargetlanguage() == "ru"
    assert [(u.source, u.target) for u in store.units] == [(u.src, u.tgt) for u in UNITS]
    # MT output is flagged for review; the human translations are plain "translated"
    assert [u.isreview() for u in store.units] == [False, True, False, False]
    assert store.units[1].get_state_n() < store.units[0].get_state_n()
    targets = SafeET.parse(str(path)).getroot().iter(f"{XLIFF}target")
    states = [(t.get("state"), t.get("state-qualifier")) for t in targets]
    assert states[0] == ("translated", None)
    assert states[1] == ("needs-review-translation", "leveraged-mt")


def test_tmx_header_and_props_follow_tmx_14b(tmp_path):
    path = tmp_path / "out.tmx"
    write_units(
        UNITS,
        str(path),
        "tmx",
        src_lang="en",
        tgt_lang="ru",
        header={"creationdate": "20150302T120000Z", "corpus": "CSTO releases"},
    )
    root = SafeET.parse(str(path)).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header.attrib == {
        "creationtool": "mlcorpus",
        "creationtoolversion": __version__,
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": "en",
        "o-tmf": "mlcorpus",
        "creationdate": "20150302T120000Z",
    }
    assert [(p.get("type"), p.text) for p in header.findall("prop")] == [
        ("x-corpus", "CSTO releases")
    ]
    tus = root.find("body").findall("tu")
    assert len(tus) == len(UNITS)
    props = {p.get("type"): p.text for p in tus[1].findall("prop")}
    assert props == {"x-origin": "mt", "x-model": "translate-en_ru-1_9", "x-glossary_version": "2"}
    assert [tuv.get(f"{XML}lang") for tuv in tus[0].findall("tuv")] == ["en", "ru"]
    assert tus[1].find("tuv/seg").text == UNITS[1].src  # markup kept as text, no child
    assert len(tus[1].find("tuv/seg")) == 0


def test_escaping_in_attributes_and_text(tmp_path):
    path = tmp_path / "out.tmx"
    tricky = 'id "1" & <2>\ttab\nnl'
    write_units(
        [TranslationUnit("a", "б", meta={"tuid": tricky, "k": '"&<>'})],
        str(path),
        "tmx",
        src_lang="en",
        tgt_lang="ru",
    )
    text = path.read_text(encoding="utf-8")
    assert 'tuid="id &quot;1&quot; &amp; &lt;2&gt;&#9;tab&#10;nl"' in text
    tu = SafeET.parse(str(path)).getroot().find("body/tu")
    assert tu.get("tuid") == tricky
    assert tu.find("prop").text == '"&<>'


def test_tico19_tmx_from_another_tool(dev_data):
    path = dev_data / "tico19" / "all.en-ru.tmx"
    units = read_units(str(path))
    got = list(units)
    assert units.stats.read == len(got) == 3071
    assert units.stats.skipped == 0
    first = got[0]
    assert first.src == "about how long have these symptoms been going on?"
    assert first.tgt == "о том, как долго присутствуют эти симптомы?"
    assert (first.src_lang, first.tgt_lang) == ("en", "ru")
    assert first.meta["tuid"] == "CMU_1:1"
    assert first.meta["note"].startswith("http://www.speech.cs.cmu.edu/")
    assert any("i'm" in u.src for u in got)  # &apos; decoded
    # an independent reader sees exactly the same segments
    store = tt_tmx.tmxfile.parsefile(str(path))
    assert [(u.source, u.target) for u in store.units] == [(u.src, u.tgt) for u in got]


def test_tico19_through_our_tmx_is_stable(dev_data, tmp_path):
    first, second = tmp_path / "first.tmx", tmp_path / "second.tmx"
    source = dev_data / "tico19" / "all.en-ru.tmx"
    write_units(read_units(str(source)), str(first), "tmx", src_lang="en", tgt_lang="ru")
    write_units(read_units(str(first)), str(second), "tmx", src_lang="en", tgt_lang="ru")
    assert first.read_bytes() == second.read_bytes()
    ours = [(u.src, u.tgt, u.meta) for u in read_units(str(first))]
    theirs = [(u.src, u.tgt, u.meta) for u in read_units(str(source))]
    assert ours == theirs


def test_tico19_reversed_direction_and_conversion_roundtrip(dev_data, tmp_path):
    path = dev_data / "tico19" / "all.en-ru.tmx"
    reverse = next(read_units(str(path), src_lang="ru", tgt_lang="en"))
    assert reverse.src.startswith("о том, как долго") and reverse.src_lang == "ru"
    out = tmp_path / "tico.jsonl"
    write_units(read_units(str(path)), str(out), "jsonl", src_lang="en", tgt_lang="ru")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3071
    assert json.loads(lines[0])["translation"]["ru"] == reverse.src


def test_region_subtags_match_primary_language(tmp_path):
    path = tmp_path / "regions.tmx"
    write_units(UNITS[:2], str(path), "tmx", src_lang="en-US", tgt_lang="ru-RU")
    got = list(read_units(str(path), src_lang="en", tgt_lang="ru"))
    assert [(u.src, u.tgt) for u in got] == [(u.src, u.tgt) for u in UNITS[:2]]
    assert (got[0].src_lang, got[0].tgt_lang) == ("en-US", "ru-RU")
    # the same through translate-toolkit's writer, with upper-case codes
    store = tt_tmx.tmxfile(sourcelanguage="EN-GB", targetlanguage="RU-RU")
    store.addtranslation("Border guards", "EN-GB", "Пограничники", "RU-RU")
    other = tmp_path / "tt.tmx"
    store.savefile(str(other))
    got = list(read_units(str(other), src_lang="en", tgt_lang="ru"))
    assert [(u.src, u.tgt) for u in got] == [("Border guards", "Пограничники")]


def test_multilingual_tmx_picks_requested_pair_and_skips_incomplete(tmp_path):
    path = tmp_path / "multi.tmx"
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.4b"><header srclang="en" '
        'creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
        'adminlang="en" datatype="plaintext"/><body>'
        '<tu><tuv xml:lang="en"><seg>Hello <bpt i="1">&lt;b&gt;</bpt>world<ept i="1">'
        '&lt;/b&gt;</ept></seg></tuv><tuv xml:lang="de"><seg>Hallo Welt</seg></tuv>'
        '<tuv lang="ru"><seg>Привет, <hi>мир</hi></seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>Only English</seg></tuv>'
        '<tuv xml:lang="de"><seg>Nur Deutsch</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    units = read_units(str(path), src_lang="en", tgt_lang="ru")
    got = list(units)
    # inline codes are removed and counted (formats.inline), the <hi> text stays
    assert [(u.src, u.tgt) for u in got] == [("Hello world", "Привет, мир")]
    assert units.stats.skipped == 1
    assert units.stats.inline == {"bpt": 1, "ept": 1, "hi": 1}


def test_xliff_from_translate_toolkit_with_groups_and_alt_trans(tmp_path):
    path = tmp_path / "in.xlf"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="a.txt" source-language="en-US" target-language="ru-RU" '
        'datatype="plaintext"><body><group id="g1">'
        '<trans-unit id="u1" resname="intro"><source>Hello <g id="1">there</g><x id="2"/>'
        '</source><target state="final">Привет <g id="1">всем</g></target>'
        "<alt-trans><source>Hello</source><target>Здравствуйте</target></alt-trans>"
        "<note>check</note></trans-unit></group>"
        '<trans-unit id="u2"><source>Untranslated</source></trans-unit>'
        "</body></file></xliff>",
        encoding="utf-8",
    )
    got = list(read_units(str(path), src_lang="en", tgt_lang="ru"))
    assert [(u.src, u.tgt) for u in got] == [("Hello there", "Привет всем"), ("Untranslated", "")]
    assert got[0].meta == {"tuid": "intro", "state": "final", "note": "check"}
    assert got[0].src_lang == "en-US"
    reverse = list(read_units(str(path), src_lang="ru", tgt_lang="en"))
    assert (reverse[0].src, reverse[0].tgt) == ("Привет всем", "Hello there")


def test_jsonl_is_hugging_face_translation_style(tmp_path):
    path = tmp_path / "out.jsonl"
    write_units(UNITS[:2], str(path), "jsonl", src_lang="en", tgt_lang="ru")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == {
        "translation": {"en": UNITS[0].src, "ru": UNITS[0].tgt},
        "meta": {"release_id": "2015-03-02", "score": 0.93, "origin": "human"},
    }
    assert "\\u" not in path.read_text(encoding="utf-8")  # Cyrillic written as is


def test_jsonl_reads_aligner_beads(tmp_path):
    path = tmp_path / "beads.jsonl"
    bead = {
        "src": [0, 1],
        "tgt": [0],
        "score": 0.71,
        "src_text": "One. Two.",
        "tgt_text": "Один и два.",
    }
    path.write_text(json.dumps(bead, ensure_ascii=False) + "\n", encoding="utf-8")
    (unit,) = read_units(str(path))
    assert (unit.src, unit.tgt) == ("One. Two.", "Один и два.")
    assert unit.meta == {"score": 0.71, "src_ids": [0, 1], "tgt_ids": [0]}


def test_delimited_files_without_header_and_legacy_encoding(tmp_path):
    tsv = tmp_path / "plain.tsv"
    tsv.write_bytes(
        "Refugees\tБеженцы и вынужденные переселенцы\r\nMigrants\tТрудовые мигранты\r\n".encode(
            "cp1251"
        )
    )
    got = list(read_units(str(tsv)))
    assert [(u.src, u.tgt, u.src_lang) for u in got] == [
        ("Refugees", "Беженцы и вынужденные переселенцы", "en"),
        ("Migrants", "Трудовые мигранты", "en"),
    ]
    csv_path = tmp_path / "reversed.csv"
    csv_path.write_text('ru,en,score\n"Да, конечно","Yes, of course",0.9\n', encoding="utf-8-sig")
    (unit,) = read_units(str(csv_path), src_lang="en", tgt_lang="ru")
    assert (unit.src, unit.tgt, unit.meta) == ("Yes, of course", "Да, конечно", {"score": "0.9"})


def test_moses_reads_corpus_by_either_file_name(tmp_path):
    base = tmp_path / "corpus"
    write_units(UNITS, str(base) + ".ru", "moses", src_lang="en", tgt_lang="ru")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.en", "corpus.ru"]
    for name in ("corpus", "corpus.en"):
        got = list(read_units(str(tmp_path / name), "moses"))
        assert [u.src for u in got][:3] == [u.src for u in UNITS][:3]
    assert Path(f"{base}.en").read_text(encoding="utf-8").count("\n") == len(UNITS)
