"""Every format: export -> import -> export gives the same bytes, and the
text that comes back is the text that went in (within what the format holds)."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlcorpus.formats import FORMATS, TranslationUnit, read_units, write_units

# xliff-omegat is a layout for OmegaT to translate (its <target> holds the source
# until a translator fills it), so reading it back does not give the pairs
ALL = [fmt for fmt in FORMATS if fmt != "xliff-omegat"]
# formats whose text survives unchanged (TSV and Moses turn tabs/line breaks to spaces)
LOSSLESS_TEXT = ["tmx", "xliff", "csv", "jsonl"]
KEEPS_META = ["tmx", "xliff", "tsv", "csv", "jsonl"]


def out_path(tmp_path: Path, fmt: str, name: str = "out") -> Path:
    ext = {
        "tmx": ".tmx",
        "xliff": ".xlf",
        "tsv": ".tsv",
        "csv": ".csv",
        "jsonl": ".jsonl",
        "moses": "",
    }[fmt]
    return tmp_path / f"{name}{ext}"


def file_bytes(path: Path, fmt: str) -> bytes:
    if fmt == "moses":
        return Path(f"{path}.en").read_bytes() + b"\0" + Path(f"{path}.ru").read_bytes()
    return path.read_bytes()


def roundtrip(tmp_path: Path, fmt: str, units: list[TranslationUnit]):
    first, second = out_path(tmp_path, fmt, "first"), out_path(tmp_path, fmt, "second")
    report = write_units(units, str(first), fmt, src_lang="en", tgt_lang="ru")
    back = list(read_units(str(first), fmt, src_lang="en", tgt_lang="ru"))
    write_units(back, str(second), fmt, src_lang="en", tgt_lang="ru")
    return report, back, file_bytes(first, fmt), file_bytes(second, fmt)


SAMPLE = [
    TranslationUnit(
        "The CSTO & IOM signed a <b>memorandum</b>.",
        "ОДКБ и МОМ подписали <b>меморандум</b>.",
        meta={
            "release_id": "2015-03-02-csto-iom",
            "date": "2015-03-02",
            "score": 0.87,
            "origin": "human",
        },
    ),
    TranslationUnit(
        'He said: "It\'s 5 > 3 && 2 < 4" ]]> done',
        "Он сказал: «5 > 3 && 2 < 4» ]]> готово",
        meta={
            "release_id": "r2",
            "date": "2015-03-03",
            "score": 0.5,
            "origin": "mt",
            "model": "argos-en-ru-1.9",
            "glossary_version": "3",
        },
    ),
    TranslationUnit("", "Пустой источник", meta={"score": 0.1}),
    TranslationUnit(
        "Unicode: ё Ё — “quotes” 🙂 \u00a0nbsp",
        "Юникод: ё Ё — «кавычки» 🙂",
        meta={"note": "emoji & <tags>"},
    ),
]


@pytest.mark.parametrize("fmt", ALL)
def test_export_import_export_is_byte_identical(tmp_path, fmt):
    report, back, first, second = roundtrip(tmp_path, fmt, SAMPLE)
    assert report.written == len(SAMPLE) == len(back)
    assert first == second
    assert [u.src for u in back] == [u.src for u in SAMPLE]
    assert [u.tgt for u in back] == [u.tgt for u in SAMPLE]


@pytest.mark.parametrize("fmt", KEEPS_META)
def test_meta_survives_as_text(tmp_path, fmt):
    _, back, _, _ = roundtrip(tmp_path, fmt, SAMPLE)
    assert str(back[0].meta["release_id"]) == "2015-03-02-csto-iom"
    assert float(back[1].meta["score"]) == 0.5
    assert back[1].meta["origin"] == "mt"
    if fmt not in ("tsv", "csv"):  # columns come from the first unit, which has no model
        assert back[1].meta["model"] == "argos-en-ru-1.9"


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_delimited_meta_columns_from_first_unit_or_header(tmp_path, fmt):
    path = out_path(tmp_path, fmt)
    report = write_units(SAMPLE, str(path), fmt, src_lang="en", tgt_lang="ru")
    assert report.meta_columns == ["release_id", "date", "score", "origin"]
    assert report.meta_not_written == 2  # the second unit's model, the fourth one's note
    columns = ["score", "origin", "model"]
    report = write_units(
        SAMPLE, str(path), fmt, src_lang="en", tgt_lang="ru", header={"columns": columns}
    )
    assert report.meta_not_written == 3
    back = list(read_units(str(path)))
    assert back[1].meta == {"score": "0.5", "origin": "mt", "model": "argos-en-ru-1.9"}
    assert back[2].meta == {"score": "0.1"}  # empty cells are absent


@pytest.mark.parametrize("fmt", LOSSLESS_TEXT)
def test_whitespace_and_line_breaks_survive(tmp_path, fmt):
    units = [
        TranslationUnit(
            "  two  spaces\tand a tab\nnew line\r\nCRLF\rCR ", "\n ведущий перевод строки  "
        )
    ]
    _, back, first, second = roundtrip(tmp_path, fmt, units)
    assert (back[0].src, back[0].tgt) == (units[0].src, units[0].tgt)
    assert first == second


@pytest.mark.parametrize("fmt", ["tsv", "moses"])
def test_line_formats_flatten_line_breaks_and_count_them(tmp_path, fmt):
    units = [TranslationUnit("a\tb\nc", "д\u2028е"), TranslationUnit("plain", "просто")]
    report, back, first, second = roundtrip(tmp_path, fmt, units)
    assert report.line_breaks_replaced == 1
    assert [(u.src, u.tgt) for u in back] == [("a b c", "д е"), ("plain", "просто")]
    assert first == second


@pytest.mark.parametrize("fmt", ALL)
def test_very_long_segments(tmp_path, fmt):
    long_en = ("Migration policy must protect the rights of labour migrants. " * 40_000).strip()
    long_ru = "Миграционная политика должна защищать права трудовых мигрантов. " * 40_000
    units = [TranslationUnit(long_en, long_ru.strip()), TranslationUnit("short", "коротко")]
    _, back, first, second = roundtrip(tmp_path, fmt, units)
    assert len(back[0].src) == len(long_en) > 2_000_000
    assert back[0].tgt == long_ru.strip()
    assert back[1].src == "short"
    assert first == second


@pytest.mark.parametrize("fmt", ["tmx", "xliff"])
def test_illegal_xml_characters_are_removed_and_counted(tmp_path, fmt):
    units = [
        TranslationUnit(
            "bell\x07 form\x0cfeed\x00", "не\ufffeсимвол\ud800", meta={"note": "esc\x1b"}
        )
    ]
    report, back, first, second = roundtrip(tmp_path, fmt, units)
    assert report.illegal_chars_removed == 6
    assert (back[0].src, back[0].tgt) == ("bell formfeed", "несимвол")
    assert back[0].meta["note"] == "esc"
    assert first == second


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl", "moses"])
def test_lone_surrogates_cannot_be_utf8_and_are_removed(tmp_path, fmt):
    units = [TranslationUnit("broken\ud83d pair", "ok")]
    report, back, _, _ = roundtrip(tmp_path, fmt, units)
    assert report.illegal_chars_removed == 1
    assert back[0].src == "broken pair"


def test_empty_input_writes_a_valid_empty_file(tmp_path):
    for fmt in ALL:
        path = out_path(tmp_path, fmt)
        assert write_units([], str(path), fmt, src_lang="en", tgt_lang="ru").written == 0
        if fmt in ("tmx", "xliff", "tsv", "csv"):  # these have a header to read
            assert list(read_units(str(path), fmt)) == []


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
_meta = st.dictionaries(
    st.text(alphabet=string.ascii_lowercase + "_-", min_size=1, max_size=8),
    st.one_of(
        st.text(min_size=1, max_size=20),
        st.integers(-(10**6), 10**6),
        st.floats(allow_nan=False, allow_infinity=False),
    ),
    max_size=3,
)
_units = st.lists(
    st.builds(TranslationUnit, src=_text, tgt=_text, meta=_meta), min_size=1, max_size=6
)


@pytest.mark.parametrize("fmt", ALL)
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(units=_units)
def test_roundtrip_property(tmp_path, fmt, units):
    report, back, first, second = roundtrip(tmp_path, fmt, units)
    assert first == second
    assert len(back) == len(units)
    if fmt == "jsonl":
        assert [(u.src, u.tgt) for u in back] == [(u.src, u.tgt) for u in units]
    # CSV, TMX and XLIFF drop (and count) only what they cannot hold: NUL, XML-illegal
    if fmt in ("csv", "tmx", "xliff") and report.illegal_chars_removed == 0:
        assert [(u.src, u.tgt) for u in back] == [(u.src, u.tgt) for u in units]


@pytest.mark.parametrize("fmt", ["tmx", "xliff"])
def test_meta_keys_that_already_start_with_the_private_prefix_come_back(tmp_path, fmt):
    # found by the property test: "x-" was written as itself, read back as "",
    # and the second export wrote a different type
    meta = {"x-": "0", "x-x-model": "base", "x-origin": "mt"}
    _report, back, first, second = roundtrip(tmp_path, fmt, [TranslationUnit("a", "б", meta=meta)])
    assert first == second
    assert {k: v for k, v in back[0].meta.items() if k in meta} == meta
