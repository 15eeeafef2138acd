"""``mlcorpus convert`` end to end through click's runner and a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main
from mlcorpus.formats import TranslationUnit, read_units, write_units

UNITS = [
    TranslationUnit(
        "The CSTO and the IOM signed a memorandum.",
        "ОДКБ и МОМ подписали меморандум.",
        meta={"score": 0.9},
    ),
    TranslationUnit(
        "The CSTO and the IOM signed a memorandum.",
        "ОДКБ и МОМ подписали меморандум.",
        meta={"score": 0.9},
    ),
    TranslationUnit("Weak pair.", "Слабая пара.", meta={"score": 0.1}),
    TranslationUnit("", "Пусто.", meta={"score": 0.8}),
    TranslationUnit("Untranslated line.", "Untranslated line.", meta={"score": 0.7}),
    TranslationUnit("Bad\x01char", "Плохой символ", meta={"score": 0.95}),
]


def invoke(*args: str):
    return CliRunner().invoke(main, ["convert", *args])


@pytest.fixture()
def jsonl_input(tmp_path):
    path = tmp_path / "in.jsonl"
    write_units(UNITS, str(path), "jsonl", src_lang="en", tgt_lang="ru")
    return path


def test_convert_with_all_filters_reports_counts_on_stderr(tmp_path, jsonl_input):
    out = tmp_path / "out.tmx"
    result = invoke(
        str(jsonl_input),
        str(out),
        "--min-score",
        "0.5",
        "--dedup",
        "--drop-empty",
        "--drop-identical",
        "--max-length-ratio",
        "3",
        "--check-script",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    stderr = result.stderr
    assert "read 6 pairs" in stderr
    assert (
        "filters: kept 2 of 6; dropped: empty 1, min_score 1, identical 1, "
        "length_ratio 0, wrong_script 0, duplicate 1"
    ) in stderr
    assert "removed 1 character that tmx cannot hold" in stderr
    assert "wrote 2 pairs" in stderr
    got = list(read_units(str(out)))
    assert [u.src for u in got] == [UNITS[0].src, "Badchar"]


@pytest.mark.parametrize(
    "target, fmt",
    [
        ("out.tmx", "tmx"),
        ("out.xlf", "xliff"),
        ("out.tsv", "tsv"),
        ("out.csv", "csv"),
        ("out.jsonl", "jsonl"),
    ],
)
def test_every_format_from_its_extension_and_back(tmp_path, jsonl_input, target, fmt):
    out = tmp_path / target
    assert invoke(str(jsonl_input), str(out)).exit_code == 0
    back = tmp_path / "back.jsonl"
    result = invoke(str(out), str(back))
    assert result.exit_code == 0, result.output
    assert f"({fmt})" in result.stderr
    pairs = [(u.src, u.tgt) for u in read_units(str(back))]
    assert pairs[:5] == [(u.src, u.tgt) for u in UNITS[:5]]


def test_moses_output_and_input(tmp_path, jsonl_input):
    result = invoke(str(jsonl_input), str(tmp_path / "corpus"), "--format", "moses")
    assert result.exit_code == 0, result.output
    assert "corpus.en" in result.stderr and "corpus.ru" in result.stderr
    en = (tmp_path / "corpus.en").read_text(encoding="utf-8").splitlines()
    ru = (tmp_path / "corpus.ru").read_text(encoding="utf-8").splitlines()
    assert len(en) == len(ru) == len(UNITS)
    result = invoke(str(tmp_path / "corpus.en"), "-", "--format", "tsv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "en\tru"
    assert lines[1] == f"{UNITS[0].src}\t{UNITS[0].tgt}"


def test_stdin_to_stdout(tmp_path):
    line = json.dumps({"translation": {"en": "Hi & bye", "ru": "Привет"}}, ensure_ascii=False)
    result = CliRunner().invoke(
        main, ["convert", "-", "-", "--input-format", "jsonl", "--format", "tmx"], input=line + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "<seg>Hi &amp; bye</seg>" in result.stdout
    assert "wrote 1 pairs to stdout (tmx)" in result.stderr


def test_language_options_select_and_name_output(tmp_path):
    path = tmp_path / "in.tmx"
    write_units(UNITS[:1], str(path), "tmx", src_lang="en-US", tgt_lang="ru-RU")
    out = tmp_path / "out.jsonl"
    result = invoke(str(path), str(out), "--from", "ru", "--to", "en")
    assert result.exit_code == 0, result.output
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["translation"] == {"ru": UNITS[0].tgt, "en": UNITS[0].src}
    # languages from the input: JSONL keys are language codes, TMX keeps the tag
    result = invoke(str(path), str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["translation"] == {
        "en": UNITS[0].src,
        "ru": UNITS[0].tgt,
    }
    back = tmp_path / "back.tmx"
    assert invoke(str(path), str(back)).exit_code == 0
    assert '<tuv xml:lang="en-US">' in back.read_text(encoding="utf-8")


def test_tmx_11_upper_case_lang_gives_plain_codes_in_jsonl_and_moses(tmp_path):
    path = tmp_path / "old.tmx"
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.1"><header srclang="EN-US" creationtool="x" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="EN-US" '
        'datatype="plaintext"/><body><tu><tuv lang="EN-US"><seg>Hello</seg></tuv>'
        '<tuv lang="RU-RU"><seg>Привет</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert invoke(str(path), str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["translation"] == {
        "en": "Hello",
        "ru": "Привет",
    }
    result = invoke(str(path), str(tmp_path / "corpus"), "--format", "moses")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "corpus.en").read_text(encoding="utf-8") == "Hello\n"
    assert (tmp_path / "corpus.ru").read_text(encoding="utf-8") == "Привет\n"
    xlf = tmp_path / "out.xlf"
    assert invoke(str(path), str(xlf)).exit_code == 0
    assert 'source-language="en-US" target-language="ru-RU"' in xlf.read_text(encoding="utf-8")


def test_bcp47_tags_are_accepted_where_a_language_is_given(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("Ministers met in Moscow. They agreed.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["segment", str(source), "--lang", "en-US"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["Ministers met in Moscow.", "They agreed."]
    result = CliRunner().invoke(main, ["segment", str(source), "--lang", "de-DE"])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_inline_markup_is_removed_and_counted(tmp_path):
    path = tmp_path / "in.xlf"
    path.write_text(
        '<?xml version="1.0"?><xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" '
        'source-language="en" target-language="ru" datatype="plaintext"><body>'
        '<trans-unit id="1"><source>Press <g id="1">Save</g><x id="2"/> now'
        '<ph id="3">&lt;br/&gt;</ph></source><target>Нажмите <g id="1">Сохранить</g>'
        '<x id="2"/> сейчас<bpt id="4">&lt;b&gt;</bpt>!<ept id="4">&lt;/b&gt;</ept>'
        '<it id="5" pos="open">&lt;i&gt;</it><bx id="6"/><ex id="6"/><ut>{\\b}</ut>'
        '<mrk mtype="term">ОДКБ</mrk></target></trans-unit></body></file></xliff>',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = invoke(str(path), str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["translation"] == {
        "en": "Press Save now",
        "ru": "Нажмите Сохранить сейчас!ОДКБ",
    }
    assert (
        "removed inline markup: <bpt> 1, <bx> 1, <ept> 1, <ex> 1, <g> 2 (text kept), "
        "<it> 1, <mrk> 1 (text kept), <ph> 1, <ut> 1, <x> 2"
    ) in result.stderr


def test_tmx_tuv_with_two_segs_keeps_both(tmp_path):
    path = tmp_path / "two.tmx"
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en" creationtool="x" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" '
        'datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>First part.</seg>'
        '<seg>Second part.</seg></tuv><tuv xml:lang="ru"><seg>Обе части.</seg></tuv>'
        "</tu></body></tmx>",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = invoke(str(path), str(out))
    assert result.exit_code == 0, result.output
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["translation"]["en"] == "First part. Second part."
    assert "1 extra <seg> joined" in result.stderr


def test_unknown_formats_and_missing_input_are_one_line_errors(tmp_path, jsonl_input):
    for args, fragment in [
        ([str(jsonl_input), str(tmp_path / "out.unknown")], "cannot tell the output format"),
        ([str(tmp_path / "missing.tmx"), str(tmp_path / "out.tsv")], "no such file"),
        ([str(tmp_path / "in.weird"), str(tmp_path / "out.tsv")], "cannot tell the input"),
        ([str(jsonl_input), "-", "--format", "moses"], "cannot be written to stdout"),
    ]:
        result = invoke(*args)
        assert result.exit_code != 0
        assert fragment in result.stderr
        assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_real_subprocess_exit_status(tmp_path, jsonl_input):
    bad = tmp_path / "bad.tmx"
    bad.write_text('<tmx version="1.4"><body><tu>', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mlcorpus", "convert", str(bad), str(tmp_path / "out.jsonl")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: ") and "line 1, column" in proc.stderr
    assert not (tmp_path / "out.jsonl").exists()
