"""Release reader: metadata, formats, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlcorpus.alphabet import detect_lang
from mlcorpus.errors import InputError
from mlcorpus.release import find_date, read_release, slugify


def test_plain_release_metadata_and_trailers(repo_root: Path) -> None:
    rel = read_release(repo_root / "corpus/en/2015-03-02-iom-csto-meeting.txt")
    assert rel.id == "2015-03-02-iom-csto-meeting"
    assert rel.lang == "en"
    assert rel.title == "Meeting between IOM Moscow Chief of Mission and CSTO Secretary General"
    assert rel.date == "2015-03-02"
    assert rel.source == "CSTO web-site"
    assert len(rel.paragraphs) == 9
    assert all("Source:" not in p for p in rel.paragraphs)
    assert rel.paragraphs[0].startswith("On 2 March 2015 a meeting")


def test_sdg_trailer_becomes_tag(repo_root: Path) -> None:
    rel = read_release(repo_root / "corpus/en/2021-03-17-csto-new-publication.txt")
    assert rel.title == "Presentation of New Publication in CSTO"
    assert rel.date == "2021-03-17"
    assert rel.tags == ["SDG 17 - Partnerships for the Goals"]
    assert not any(p.startswith("SDG") for p in rel.paragraphs)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("On 2 March 2015 a meeting took place.", "2015-03-02"),
        ("It happened on March 2, 2015 in Moscow.", "2015-03-02"),
        ("17 марта 2021 года состоялась встреча.", "2021-03-17"),
        ("В мае: 5 мая 2019 г. прошло заседание.", "2019-05-05"),
        ("Dated 2020-11-05, revised on 6 December 2020.", "2020-11-05"),
        ("Протокол от 01.07.2006 подписан.", "2006-07-01"),
        ("No date here at all.", None),
        ("On 32 March 2015 nothing happened.", None),
    ],
)
def test_find_date(text: str, iso: str | None) -> None:
    assert find_date(text) == iso


def test_detect_lang_by_script() -> None:
    assert detect_lang("Встреча Генерального секретаря ОДКБ (CSTO)") == "ru"
    assert detect_lang("Meeting of the CSTO Secretary General (ОДКБ)") == "en"


def test_slugify_is_stable() -> None:
    assert slugify("IOM & CSTO Meeting (2015)") == "iom-csto-meeting-2015"


def test_markdown_release(tmp_path: Path) -> None:
    src = tmp_path / "note.md"
    src.write_text(
        "# Round table on readmission\n\nOn 5 February 2015 the **Council** met in"
        " [Yerevan](https://example.org).\n\n- First item.\n- Second item.\n\nSource: IOM\n",
        encoding="utf-8",
    )
    rel = read_release(src)
    assert rel.title == "Round table on readmission"
    assert rel.paragraphs == [
        "On 5 February 2015 the Council met in Yerevan.",
        "First item.",
        "Second item.",
    ]
    assert rel.source == "IOM"
    assert rel.date == "2015-02-05"


def test_html_release_drops_scripts(tmp_path: Path) -> None:
    src = tmp_path / "page.html"
    src.write_text(
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<h1>Встреча в Секретариате ОДКБ</h1><script>var x = 1;</script>"
        "<p>17 марта 2021 года состоялась встреча.</p><ul><li>Первый пункт</li></ul>"
        "<p>Источник: сайт ОДКБ</p></body></html>",
        encoding="utf-8",
    )
    rel = read_release(src)
    assert rel.lang == "ru"
    assert rel.title == "Встреча в Секретариате ОДКБ"
    assert rel.paragraphs == ["17 марта 2021 года состоялась встреча.", "Первый пункт"]
    assert rel.source == "сайт ОДКБ"
    assert rel.date == "2021-03-17"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "utf-8-sig"])
def test_legacy_russian_encodings(tmp_path: Path, encoding: str) -> None:
    text = "Заголовок\n\nГенеральный секретарь ОДКБ встретился с главой МОМ 2 марта 2015 года.\n"
    src = tmp_path / "ru.txt"
    src.write_bytes(text.encode(encoding))
    rel = read_release(src)
    assert rel.title == "Заголовок"
    assert rel.paragraphs == [text.split("\n\n")[1].strip()]
    assert rel.lang == "ru"


def test_binary_file_is_rejected(tmp_path: Path) -> None:
    src = tmp_path / "blob.txt"
    src.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"blob\.txt"):
        read_release(src)


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    src = tmp_path / "empty.txt"
    src.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_release(src)
