"""Glossary files: TSV layout preservation, validation, TBX and two-column import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlcorpus.errors import InputError
from mlcorpus.glossary import Entry, load_glossary, save_glossary
from mlcorpus.glossary.io_simple import read_simple
from mlcorpus.glossary.io_tbx import dump_tbx, read_tbx, write_tbx
from mlcorpus.glossary.io_tsv import dump_tsv, load_tsv, parse_tsv
from mlcorpus.glossary.merge import merge_entries
from mlcorpus.glossary.model import Glossary

DATA = Path(__file__).parent / "data"
SMALL = DATA / "glossary_small.tsv"


def test_small_glossary_reads_all_columns():
    glossary = load_glossary(SMALL)
    assert len(glossary) == 7
    ms = glossary.find("Member States")
    assert ms is not None and ms.ru == "государства-члены"
    assert ms.en_variants == ["member state", "MS", "MSs"]
    assert ms.ru_deprecated == ["государства-участники"]
    assert ms.case_sensitive is True  # "TRUE"
    assert ms.extra == {"owner": "legal"}
    assert glossary.find("IOM").case_sensitive is True  # "yes"
    assert glossary.find("readmission").case_sensitive is False  # empty cell


def test_dump_reproduces_file_byte_for_byte():
    text = SMALL.read_text(encoding="utf-8")
    glossary, issues = parse_tsv(text)
    assert [i for i in issues if i.level == "error"] == []
    assert dump_tsv(glossary) == text


def test_editing_one_row_changes_only_that_row(tmp_path):
    path = tmp_path / "g.tsv"
    shutil.copy(SMALL, path)
    before = path.read_text(encoding="utf-8").split("\n")
    glossary = load_glossary(path)
    glossary.find("readmission").ru_variants.append("возвращение")
    glossary.add(Entry("forced labour", "принудительный труд"))
    save_glossary(glossary)
    after = path.read_text(encoding="utf-8").split("\n")
    changed = [i for i, (a, b) in enumerate(zip(before[:-1], after, strict=False)) if a != b]
    assert len(changed) == 1
    assert after[changed[0]].startswith("readmission\tреадмиссия\t\tвозвращение\t")
    assert after[-2].startswith("forced labour\tпринудительный труд")
    assert after[-2].count("\t") == 7  # all columns, including the unknown one
    assert after[0].startswith("# Test glossary") and "" in after and "# Organisations" in after


def test_version_changes_with_terms_not_with_comments(tmp_path):
    glossary = load_glossary(SMALL)
    with_comment = parse_tsv("# extra comment\n" + SMALL.read_text(encoding="utf-8"))[0]
    assert glossary.version == with_comment.version
    assert len(glossary.version) == 12
    glossary.find("IOM").ru = "Международная организация по миграции"
    assert glossary.version != with_comment.version


@pytest.mark.parametrize(
    "text, message",
    [
        ("en\tnote\nx\ty\n", "line 1: missing required column: ru"),
        ("en\tru\nIOM\t\n", "line 2: empty Russian term"),
        (
            "en\tru\tcase_sensitive\nIOM\tМОМ\tmaybe\n",
            "line 2: case_sensitive must be true or false",
        ),
        ("en\tru\nIOM\tМОМ\niom\tМОМ\n", "line 3: duplicate entry for 'iom' (first on line 2)"),
        (
            "en\tru\nIOM\tМОМ\nIOM\tМеждународная организация по миграции\n",
            "line 3: conflicting entry for 'IOM'",
        ),
        ("en\tru\nIOM\tМОМ\textra\n", "line 2: 3 cells but the header has 2 columns"),
    ],
)
def test_loader_reports_problems_with_line_numbers(tmp_path, text, message):
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_glossary(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_case_sensitive_entries_may_differ_only_in_case(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text(
        "en\tru\tcase_sensitive\nTIP\tторговля людьми\ttrue\ntip\tчаевые\ttrue\n", encoding="utf-8"
    )
    assert [e.ru for e in load_glossary(path)] == ["торговля людьми", "чаевые"]


@pytest.mark.parametrize("version", ["2", "3"])
def test_tsv_tbx_tsv_round_trip_is_lossless(tmp_path, repo_root, version):
    for source in (SMALL, repo_root / "glossary" / "migration.en-ru.tsv"):
        glossary = load_glossary(source)
        write_tbx(glossary, tmp_path / "g.tbx", version)
        back = read_tbx(tmp_path / "g.tbx")
        assert back == glossary.entries
        rebuilt = Glossary(columns=list(glossary.columns))
        for entry in back:
            rebuilt.add(entry)
        assert parse_tsv(dump_tsv(rebuilt))[0].entries == glossary.entries
        assert rebuilt.version == glossary.version


def test_tbx_default_is_tbx_basic_in_martif_form():
    text = dump_tbx(load_glossary(SMALL))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert '<martif type="TBX-Basic" xml:lang="en">' in text and "xmlns" not in text
    assert "<termEntry" in text and '<langSet xml:lang="ru">' in text
    assert (
        "<tig>\n            <term>государства-участники</term>\n"
        '            <termNote type="administrativeStatus">deprecatedTerm-admn-sts'
        "</termNote>"
    ) in text


def test_tbx_v3_uses_tbx_core_structure():
    text = dump_tbx(load_glossary(SMALL), "3")
    assert 'xmlns="urn:iso:std:iso:30042:ed-2"' in text and 'type="TBX-Basic"' in text
    assert "<conceptEntry" in text and '<langSec xml:lang="ru">' in text


def test_fields_without_a_tbx_basic_category_are_notes_and_come_back():
    entry = Entry(
        en="TIP",
        ru="торговля людьми",
        case_sensitive=True,
        note="Acronym.",
        extra={"subjectField": "migration", "source": "IOM glossary"},
    )
    glossary = Glossary(columns=["en", "ru", "case_sensitive", "note", "subjectField", "source"])
    glossary.add(entry)
    for version in ("2", "3"):
        text = dump_tbx(glossary, version)
        assert "x-" not in text  # no private data categories: TBX-Basic has none
        assert '<descrip type="subjectField">migration</descrip>' in text
        assert "<note>mlcorpus:case_sensitive=true</note>" in text
        assert "<note>mlcorpus:column:source=IOM glossary</note>" in text
        [back] = _read_tbx_text(text)
        assert back == entry


def _read_tbx_text(text: str) -> list:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "g.tbx"
        path.write_text(text, encoding="utf-8")
        return read_tbx(path)


def test_reads_case_sensitivity_from_older_mlcorpus_tbx(tmp_path):
    path = tmp_path / "old.tbx"
    path.write_text(
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="c1">'
        '<descrip type="x-caseSensitive">true</descrip>'
        '<descrip type="x-column-source">IOM</descrip>'
        '<langSec xml:lang="en"><termSec><term>TIP</term></termSec></langSec>'
        '<langSec xml:lang="ru"><termSec><term>ТЛ</term></termSec></langSec>'
        "</conceptEntry></body></text></tbx>",
        encoding="utf-8",
    )
    [entry] = read_tbx(path)
    assert entry.case_sensitive and entry.extra == {"source": "IOM"}


def test_reads_tbx_v2_from_another_tool():
    entries = read_tbx(DATA / "glossary_v2.tbx")
    assert len(entries) == 2  # the entry without Russian is skipped
    smuggling, labour = entries
    assert (smuggling.en, smuggling.ru) == ("smuggling of migrants", "незаконный ввоз мигрантов")
    assert smuggling.en_variants == ["migrant smuggling"]
    assert smuggling.ru_deprecated == ["контрабанда мигрантов"]
    assert smuggling.note == "Palermo Protocol wording."
    assert smuggling.extra == {"subjectField": "migration"}
    # no status: the first term is preferred, the others admitted
    assert (labour.en, labour.en_variants, labour.ru) == (
        "forced labour",
        ["forced labor"],
        "принудительный труд",
    )


def test_reads_term_entry_with_lang_sec_and_plain_status_words():
    (entry,) = read_tbx(DATA / "glossary_v3_mixed.tbx")
    assert (entry.en, entry.ru, entry.ru_deprecated) == (
        "peacekeepers",
        "миротворцы",
        ["хранители мира"],
    )


def test_tbx_entity_expansion_is_refused(tmp_path):
    bomb = tmp_path / "bomb.tbx"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<tbx><text><body>'
        '<conceptEntry><langSec xml:lang="en"><termSec><term>&b;</term>'
        "</termSec></langSec></conceptEntry></body></text></tbx>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="unsafe XML"):
        read_tbx(bomb)


def test_malformed_or_foreign_xml_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.tbx"
    broken.write_text("<tbx><text>", encoding="utf-8")
    with pytest.raises(InputError, match="not well-formed XML"):
        read_tbx(broken)
    other = tmp_path / "other.xml"
    other.write_text("<tmx version='1.4'/>", encoding="utf-8")
    with pytest.raises(InputError, match="not a TBX file"):
        read_tbx(other)


def test_two_column_csv_detects_direction_and_quotes():
    entries = read_simple(DATA / "glossary_deepl.csv")
    assert [(e.en, e.ru) for e in entries] == [
        ("round table", "круглый стол"),
        ("Chief of Mission, IOM", "глава миссии МОМ"),
        ("round table", "круглый стол"),  # the Russian-first row is turned round
    ]


def test_language_code_header_keeps_other_columns():
    entries = read_simple(DATA / "glossary_google.tsv")
    assert (entries[0].en, entries[0].ru) == ("refugee", "беженец")
    assert entries[0].extra == {"pos": "noun", "description": "person fleeing"}


def test_merge_reports_added_merged_unchanged_and_conflicts():
    glossary = load_glossary(SMALL)
    incoming = [
        Entry("forced labour", "принудительный труд"),
        Entry("readmission", "реадмиссия", ru_deprecated=["обратный прием"]),
        Entry("round table", "круглый стол"),
        Entry("IOM", "Международная организация по миграции"),
        Entry("", "пусто"),
    ]
    report = merge_entries(glossary, incoming)
    assert [e.en for e in report.added] == ["forced labour"]
    assert [e.en for e in report.merged] == ["readmission"]
    assert [e.en for e in report.unchanged] == ["round table"]
    assert [(n.ru, o.ru) for n, o in report.conflicts] == [
        ("Международная организация по миграции", "МОМ")
    ]
    assert len(report.skipped) == 1
    assert glossary.find("readmission").ru_deprecated == ["повторный прием", "обратный прием"]
    assert glossary.find("IOM").ru == "МОМ"  # conflicts do not overwrite by default
    assert report.summary() == (
        "1 added, 1 merged, 1 unchanged, 1 conflict, 1 skipped (empty term)"
    )
    merge_entries(glossary, incoming[3:4], overwrite=True)
    assert glossary.find("IOM").ru == "Международная организация по миграции"


def test_import_real_term_lists(dev_data):
    """Several hundred real entries: TICO-19 CSV term lists and pycountry TSVs."""
    terminology = dev_data / "terminology"
    glossary = Glossary()
    total = conflicts = 0
    for name in (
        "tico19-terminology-facebook.en-ru.csv",
        "tico19-terminology-google.en-ru.csv",
        "tico19-terminology-google.ru-en.csv",
        "pycountry_iso3166-1.en-ru.tsv",
        "pycountry_iso4217.en-ru.tsv",
    ):
        entries = read_simple(terminology / name)
        assert entries and all(e.en and e.ru for e in entries), name
        total += len(entries)
        conflicts += len(merge_entries(glossary, entries).conflicts)
    assert conflicts > 0
    assert total > 1000
    assert len(glossary) > 900
    assert glossary.find("Afghanistan").ru == "Афганистан"
    assert glossary.find("acute bronchitis").ru == "острый бронхит"
    strain = glossary.find("strain")  # from the ru->en list: turned round
    assert strain is not None and strain.ru == "штамм"
    assert glossary.find("active cases").extra["pos"] == "noun"
    # Google's "заразный : передающийся при контакте" disagrees with Facebook's "заразный"
    assert glossary.find("contagious").ru == "заразный"
    # the merged glossary survives a TSV and a TBX round trip
    text = dump_tsv(glossary)
    again = parse_tsv(text)[0]
    assert again.entries == glossary.entries
    assert [e.en for e in read_tbx_text(dump_tbx(again))] == [e.en for e in again.entries]


def read_tbx_text(text: str):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "g.tbx"
        path.write_text(text, encoding="utf-8")
        return read_tbx(path)


def test_load_tsv_collects_every_issue(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text(
        "en\tru\tcase_sensitive\nA\t\t\nB\tб\tperhaps\nC\tв\t\nC\tг\t\n", encoding="utf-8"
    )
    _glossary, issues = load_tsv(path)
    errors = [(i.line, i.message.split(" ")[0]) for i in issues if i.level == "error"]
    assert errors == [(2, "empty"), (3, "case_sensitive"), (5, "conflicting")]
