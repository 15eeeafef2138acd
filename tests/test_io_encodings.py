"""Encodings are decoded honestly: UTF-8 with a bad byte is an error naming the
line and byte offset (never mojibake), legacy encodings only when a file is not
UTF-8 at all, UTF-16 with a BOM is text, NUL anywhere is refused, and
``--encoding`` lets the user decide.  The same rules hold in every reader."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mlcorpus.errors import InputError
from mlcorpus.textio import decode_bytes, iter_lines, read_text

RU = "Организация Договора о коллективной безопасности провела встречу.\n"
EN = "The Collective Security Treaty Organization held a meeting.\n"


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mlcorpus", *args], capture_output=True, input=stdin
    )


def utf8_with_bad_byte() -> bytes:
    good = (RU * 3).encode("utf-8")
    return good + b"\xff" + RU.encode("utf-8")  # line 4, offset len(good)


def test_utf8_with_one_bad_byte_is_an_error_naming_line_and_offset(tmp_path: Path) -> None:
    data = utf8_with_bad_byte()
    src = tmp_path / "release.ru.txt"
    src.write_bytes(data)
    proc = run_cli("segment", str(src), "--lang", "ru")
    err = proc.stderr.decode()
    assert proc.returncode != 0, proc.stdout.decode()
    assert "Traceback" not in err
    offset = len((RU * 3).encode("utf-8"))
    assert f"{src}: not valid UTF-8 at line 4, byte offset {offset}" in err
    assert "--encoding" in err
    assert proc.stdout == b""  # no mojibake ("п▓я│п╣") on stdout


def test_utf8_cut_in_the_middle_of_a_character(tmp_path: Path) -> None:
    data = RU.encode("utf-8").rstrip(b".\n")[:-1]  # last Cyrillic letter cut in half
    with pytest.raises(InputError, match="cut in the middle of a character"):
        decode_bytes(data, "cut.txt")


def test_encoding_option_replace_keeps_the_text(tmp_path: Path) -> None:
    src = tmp_path / "release.ru.txt"
    src.write_bytes(utf8_with_bad_byte())
    proc = run_cli("segment", str(src), "--lang", "ru", "--encoding", "utf-8:replace")
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode("utf-8")
    assert "\ufffd" in out and "Организация" in out


@pytest.mark.parametrize("enc", ["cp1251", "koi8-r"])
def test_legacy_encodings_are_still_detected(tmp_path: Path, enc: str) -> None:
    src = tmp_path / "release.ru.txt"
    src.write_bytes((RU * 2).encode(enc))
    assert read_text(src) == RU * 2


def test_encoding_option_overrides_detection(tmp_path: Path) -> None:
    src = tmp_path / "release.ru.txt"
    src.write_bytes(RU.encode("koi8-r"))
    proc = run_cli("segment", str(src), "--lang", "ru", "--encoding", "koi8-r")
    assert proc.stdout.decode("utf-8") == RU
    # the same bytes forced through cp1251 are what the user asked for, not an error
    proc = run_cli("segment", str(src), "--lang", "ru", "--encoding", "cp1251")
    assert proc.returncode == 0 and proc.stdout.decode("utf-8") != RU


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    src = tmp_path / "release.en.txt"
    src.write_bytes((EN + EN).encode("utf-16"))  # BOM + UTF-16-LE
    proc = run_cli("segment", str(src), "--lang", "en")
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode("utf-8") == EN + EN


def test_nul_after_the_first_8kb_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "release.en.txt"
    src.write_bytes((EN * 400).encode() + b"hidden\x00payload\n")
    proc = run_cli("segment", str(src), "--lang", "en")
    err = proc.stderr.decode()
    assert proc.returncode != 0 and "NUL byte at line 401" in err
    assert b"\x00" not in proc.stdout


def test_line_readers_share_the_rules(tmp_path: Path) -> None:
    # a TSV corpus whose line 3 has a bad byte: streamed, error at that line
    tsv = tmp_path / "pairs.tsv"
    rows = ["en\tru", "Hello\tПривет", "World\tМир", "Peace\tМир"]
    data = "\n".join(rows).encode("utf-8") + b"\n"
    data = data.replace(b"World", b"W\xe9rld")
    tsv.write_bytes(data)
    proc = run_cli("convert", str(tsv), str(tmp_path / "out.jsonl"))
    err = proc.stderr.decode()
    assert proc.returncode != 0 and "not valid UTF-8 at line 3" in err
    assert not (tmp_path / "out.jsonl").exists()
    # a NUL inside a Moses/TSV line is refused, not passed on
    tsv.write_bytes("en\tru\nA\tБ\x00\n".encode())
    with pytest.raises(InputError, match="NUL byte at line 2"):
        list(iter_lines(str(tsv)))


def test_glossary_reader_shares_the_rules(tmp_path: Path) -> None:
    from mlcorpus.glossary import load_glossary

    gloss = tmp_path / "g.tsv"
    gloss.write_bytes("en\tru\nmember states\tгосударства-члены\n".encode()[:-2] + b"\n")
    with pytest.raises(InputError, match="not valid UTF-8 at line 2"):
        load_glossary(gloss)


def test_stdin_is_decoded_the_same_way() -> None:
    proc = run_cli("segment", "-", "--lang", "ru", stdin=utf8_with_bad_byte())
    assert proc.returncode != 0
    assert "<stdin>: not valid UTF-8 at line 4" in proc.stderr.decode()
