"""The sample corpus: paired releases, metadata, terminology and encoding.

The Russian files are reference translations used for alignment and MT
scoring, so their structure must mirror the English paragraph by paragraph
(and sentence by sentence), and they must use the established IOM/CSTO
terminology; a drifting translation would silently skew every score.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from mlcorpus.release import Release, read_release
from mlcorpus.segment import segment_paragraph

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
RELEASE_IDS = ["2015-03-02-iom-csto-meeting", "2021-03-17-csto-new-publication"]

# The English files are the published releases, kept byte for byte.
PUBLISHED_SHA256 = {
    "2015-03-02-iom-csto-meeting": "0991691142b631eba09d805cb1ce3e8b73c8f31be3baf759276c7cc84fb0b414",  # noqa: E501
    "2021-03-17-csto-new-publication": "f44e4aada0ab0198bd90a53fef4314d3cb1829d8fa146f89759892f80536e077",  # noqa: E501
}

EXPECTED_METADATA = {
    ("en", "2015-03-02-iom-csto-meeting"): {
        "title": "Meeting between IOM Moscow Chief of Mission and CSTO Secretary General",
        "date": "2015-03-02",
        "source": "CSTO web-site",
        "tags": [],
        "paragraphs": 9,
    },
    ("ru", "2015-03-02-iom-csto-meeting"): {
        "title": "Встреча главы Представительства МОМ в Москве с Генеральным секретарем ОДКБ",
        "date": "2015-03-02",
        "source": "сайт ОДКБ",
        "tags": [],
        "paragraphs": 9,
    },
    ("en", "2021-03-17-csto-new-publication"): {
        "title": "Presentation of New Publication in CSTO",
        "date": "2021-03-17",
        "source": None,
        "tags": ["SDG 17 - Partnerships for the Goals"],
        "paragraphs": 6,
    },
    ("ru", "2021-03-17-csto-new-publication"): {
        "title": "Презентация нового издания в ОДКБ",
        "date": "2021-03-17",
        "source": None,
        "tags": ["ЦУР 17 - Партнерство в интересах устойчивого развития"],
        "paragraphs": 6,
    },
}

# (English pattern, Russian pattern): wherever the English paragraph matches
# the first, the Russian paragraph must match the second.
GLOSSARY = [
    (r"\b(?:CSTO|SCTO)\b", r"\bОДКБ\b"),
    (r"\bIOM\b", r"\bМОМ\b"),
    (r"Chief of Mission", r"\b[Гг]лав\w* Представительства МОМ в Москве\b"),
    (r"IOM Moscow|IOM Office in Moscow", r"\bПредставительств\w* МОМ в Москве\b"),
    (r"Secretary General", r"\bГенеральн\w* секретар\w*"),
    (r"Secretariat", r"\bСекретариат\w*"),
    (r"CSTO (?:member[- ]states|MSs)", r"\bгосударств\w* — член\w* ОДКБ\b"),
    (r"CIS Member-States", r"\bгосударств\w* — участник\w* СНГ\b"),
    (r"CIS Executive Committee", r"\bИсполнительн\w* комитет\w* СНГ\b"),
    (r"\bCIS\b", r"\bСНГ\b"),
    (r"trafficking in human beings|human trafficking|anti-TIP", r"\bторговл\w* людьми\b"),
    (r"readmission", r"\bреадмисси\w*"),
    (r"(?:irregular|illegal) migration", r"\bнезаконн\w* миграци\w*"),
    (
        r"Coordinat\w+ Council of the Heads of the (?:CSTO )?Competent Authorities",
        r"\bКоординационн\w* совет\w* руководителей компетентных органов "
        r"государств — членов ОДКБ по вопросам противодействия незаконной миграции\b",
    ),
    (r"Peacekeepers", r"\bмиротворц\w*"),
    (r"Forced Labour", r"\bпринудительн\w* труд\w*"),
    (
        r"Global Compact on Migration",
        r"\bГлобальн\w* договор\w* о безопасной, упорядоченной и легальной миграции\b",
    ),
    (r"Model Law", r"\bтипов\w* закон\w*"),
    (r"round tables?", r"\bкругл\w* стол\w*"),
    (r"Action Plan", r"\bПлан\w* действий\b"),
    (r"Protocol on Cooperation", r"\bПротокол\w* о сотрудничестве\b"),
    (r"Moscow", r"\bМоскв\w*"),
    (r"Yerevan", r"\bЕреван\w*"),
    (r"Tajikistan", r"\bТаджикистан\w*"),
    (r"Zigic", r"\bЗ\. Зигич\w*"),
    (r"Bordyuzha", r"\bН\. Бордюж\w*"),
    (r"Esoev", r"\bАбдусаттор\w* Есоев\w*"),
    (r"\bZas\b", r"\bЗась\b"),
]

_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_RU_MONTHS_GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
_EN_FULL_DATE = re.compile(r"\b(\d{1,2})(?:-(\d{1,2}))? (" + "|".join(_EN_MONTHS) + r") (\d{4})\b")


def _path(lang: str, release_id: str) -> Path:
    return CORPUS / lang / f"{release_id}.txt"


def _pair(release_id: str) -> tuple[Release, Release]:
    return read_release(_path("en", release_id)), read_release(_path("ru", release_id))


def _aligned_blocks(release_id: str) -> list[tuple[str, str]]:
    """Title and body paragraphs of a release, English next to Russian."""
    en, ru = _pair(release_id)
    assert len(en.paragraphs) == len(ru.paragraphs)
    return [(en.title, ru.title), *zip(en.paragraphs, ru.paragraphs, strict=True)]


def _russian_date(match: re.Match[str]) -> str:
    """'10-11 February 2015' in Russian style: '10–11 февраля 2015 года'."""
    day, day_to, month, year = match.groups()
    days = f"{day}–{day_to}" if day_to else day
    return f"{days} {_RU_MONTHS_GENITIVE[_EN_MONTHS.index(month)]} {year} года"


def test_every_release_has_both_languages() -> None:
    en = sorted(p.name for p in (CORPUS / "en").glob("*.txt"))
    ru = sorted(p.name for p in (CORPUS / "ru").glob("*.txt"))
    assert en == ru == sorted(f"{rid}.txt" for rid in RELEASE_IDS)


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_english_files_are_the_published_text(release_id: str) -> None:
    data = _path("en", release_id).read_bytes()
    assert hashlib.sha256(data).hexdigest() == PUBLISHED_SHA256[release_id]


@pytest.mark.parametrize(("lang", "release_id"), sorted(EXPECTED_METADATA))
def test_release_reader_metadata(lang: str, release_id: str) -> None:
    expected = EXPECTED_METADATA[(lang, release_id)]
    rel = read_release(_path(lang, release_id))  # language detected, not given
    assert rel.id == release_id
    assert rel.lang == lang
    assert rel.title == expected["title"]
    assert rel.date == expected["date"]
    assert rel.source == expected["source"]
    assert rel.tags == expected["tags"]
    assert len(rel.paragraphs) == expected["paragraphs"]
    trailer = re.compile(r"^(?:Source|Источник)\s*:|^(?:SDG|ЦУР)\s*\d", re.MULTILINE)
    assert not any(trailer.search(p) for p in rel.paragraphs)


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_pair_has_same_paragraph_and_sentence_counts(release_id: str) -> None:
    en, ru = _pair(release_id)
    assert len(en.paragraphs) == len(ru.paragraphs)
    for i, (en_par, ru_par) in enumerate(zip(en.paragraphs, ru.paragraphs, strict=True)):
        en_n = len(segment_paragraph(en_par, "en"))
        ru_n = len(segment_paragraph(ru_par, "ru"))
        assert en_n == ru_n, f"paragraph {i}: {en_n} English vs {ru_n} Russian sentences"


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_pair_has_trailers_in_the_same_position(release_id: str) -> None:
    en_last = _path("en", release_id).read_text(encoding="utf-8").rstrip("\n").split("\n")[-1]
    ru_last = _path("ru", release_id).read_text(encoding="utf-8").rstrip("\n").split("\n")[-1]
    if en_last.startswith("Source:"):
        assert ru_last.startswith("Источник: ")
    else:
        en_goal = re.match(r"SDG (\d+) - ", en_last)
        assert en_goal, en_last
        assert ru_last.startswith(f"ЦУР {en_goal[1]} — ")


@pytest.mark.parametrize("release_id", RELEASE_IDS)
@pytest.mark.parametrize(("en_pattern", "ru_pattern"), GLOSSARY, ids=[g[0] for g in GLOSSARY])
def test_russian_uses_established_terms(release_id: str, en_pattern: str, ru_pattern: str) -> None:
    for i, (en_text, ru_text) in enumerate(_aligned_blocks(release_id)):
        if re.search(en_pattern, en_text, re.IGNORECASE):
            assert re.search(ru_pattern, ru_text), f"block {i} lacks {ru_pattern!r}: {ru_text}"


@pytest.mark.parametrize(("en_pattern", "ru_pattern"), GLOSSARY, ids=[g[0] for g in GLOSSARY])
def test_glossary_entries_are_exercised(en_pattern: str, ru_pattern: str) -> None:
    # An entry whose English never occurs would check nothing.
    english = [en for rid in RELEASE_IDS for en, _ in _aligned_blocks(rid)]
    assert any(re.search(en_pattern, text, re.IGNORECASE) for text in english)


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_russian_keeps_dates_and_years(release_id: str) -> None:
    for en_text, ru_text in _aligned_blocks(release_id):
        for match in _EN_FULL_DATE.finditer(en_text):
            assert _russian_date(match) in ru_text
        for year in re.findall(r"\b(?:19|20)\d\d\b", en_text):
            assert year in ru_text


def test_secretary_general_surname_is_spelled_consistently() -> None:
    surnames = set()
    for release_id in RELEASE_IDS:
        text = _path("ru", release_id).read_text(encoding="utf-8")
        surnames.update(re.findall(r"\b(?:Станислав|С\.)\s+(\w+)", text))
    assert surnames == {"Зась"}


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_russian_text_has_no_untranslated_latin(release_id: str) -> None:
    text = _path("ru", release_id).read_text(encoding="utf-8")
    assert re.findall(r"[A-Za-z]+", text) == []


@pytest.mark.parametrize(
    "path",
    sorted(CORPUS.rglob("*.txt")) + [CORPUS / "README.md"],
    ids=lambda p: str(p.relative_to(CORPUS)),
)
def test_files_are_utf8_without_bom(path: Path) -> None:
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    data.decode("utf-8")  # strict: raises on any invalid byte
    assert b"\r" not in data


@pytest.mark.parametrize(
    "path",
    sorted((CORPUS / "ru").glob("*.txt")) + [CORPUS / "README.md"],
    ids=lambda p: str(p.relative_to(CORPUS)),
)
def test_written_files_end_with_one_newline(path: Path) -> None:
    # The English files are verbatim copies of the published text, which has
    # no final newline; the files written for the project end with exactly one.
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")


@pytest.mark.parametrize("release_id", RELEASE_IDS)
def test_russian_file_layout(release_id: str) -> None:
    lines = _path("ru", release_id).read_text(encoding="utf-8").split("\n")[:-1]
    assert lines[0] and lines[1] == ""
    assert all(line == line.strip() for line in lines)
    assert all(lines[i] or lines[i + 1] for i in range(len(lines) - 1)), "double blank line"


def test_reference_translations_use_every_glossary_term(repo_root: Path) -> None:
    """The Russian references are the terminology's showcase: every term the glossary
    finds in an English paragraph appears, in some inflected form, in its translation."""
    from mlcorpus.glossary import load_glossary
    from mlcorpus.glossary.check import term_accuracy
    from mlcorpus.release import read_release

    glossary = load_glossary(repo_root / "glossary" / "migration.en-ru.tsv")
    for en_path in sorted((repo_root / "corpus" / "en").glob("*.txt")):
        en = read_release(en_path)
        ru = read_release(repo_root / "corpus" / "ru" / en_path.name)
        result = term_accuracy(glossary, "en", "ru", en.paragraphs, ru.paragraphs)
        missed = [m for seg in result.segments for m in seg.missed]
        assert result.total > 20
        assert missed == [], f"{en_path.name}: {missed}"
