"""``mlcorpus align`` through click's CliRunner: formats, contract, errors."""

from __future__ import annotations

import json
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest
from click.testing import CliRunner

from mlcorpus.cli import main

EN_LINES = [
    "On 2 March 2015 a meeting between IOM Moscow Chief of Mission Mr. Z. Zigic and CSTO "
    "Secretary General Mr. N. Bordyuzha took place.",
    "The participants discussed counteracting irregular migration.",
    "",
    "Over 1,500 people attended the conference in Yerevan on 5 February.",
    "The CSTO Secretary General thanked IOM for the cooperation.",
]
RU_LINES = [
    "2 марта 2015 года состоялась встреча главы Представительства МОМ в Москве З. Зигича с "
    "Генеральным секретарем ОДКБ Н. Бордюжей.",
    "Участники обсудили противодействие незаконной миграции.",
    "",
    "Примечание редакции: текст обновлен.",
    "",
    "Более 1 500 человек приняли участие в конференции в Ереване 5 февраля.",
    "Генеральный секретарь ОДКБ поблагодарил МОМ за сотрудничество.",
]


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    src, tgt = tmp_path / "en.txt", tmp_path / "ru.txt"
    src.write_text("\n".join(EN_LINES) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(RU_LINES) + "\n", encoding="utf-8")
    return src, tgt


def run(*args: str):
    return CliRunner().invoke(main, ["align", *args], catch_exceptions=False)


def test_jsonl_contract(files) -> None:
    src, tgt = files
    result = run(str(src), str(tgt), "--from", "en", "--to", "ru", "--segmented")
    assert result.exit_code == 0, result.output
    beads = [json.loads(line) for line in result.output.splitlines()]
    assert [(b["src"], b["tgt"]) for b in beads] == [
        ([0], [0]),
        ([1], [1]),
        ([], [2]),
        ([2], [3]),
        ([3], [4]),
    ]
    # non-blank lines, numbered from 0; texts are those lines
    assert beads[3]["src_text"] == EN_LINES[3]
    assert beads[3]["tgt_text"] == RU_LINES[5]
    assert beads[2]["src_text"] == ""
    assert all(0.0 <= b["score"] <= 1.0 for b in beads)


def test_min_score_drops_weak_beads(files) -> None:
    src, tgt = files
    result = run(str(src), str(tgt), "--segmented", "--min-score", "0.5")
    beads = [json.loads(line) for line in result.output.splitlines()]
    assert beads and all(b["score"] >= 0.5 for b in beads)
    everything = run(str(src), str(tgt), "--segmented").output.splitlines()
    scores = [json.loads(line)["score"] for line in everything]
    assert len(beads) == sum(s >= 0.5 for s in scores)


def test_tsv_holds_the_sentence_pairs(files, tmp_path) -> None:
    src, tgt = files
    out = tmp_path / "pairs.tsv"
    result = run(str(src), str(tgt), "--segmented", "--format", "tsv", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0][:3] == ["en", "ru", "score"]
    assert [r[0] for r in rows[1:]] == [line for line in EN_LINES if line]
    assert rows[3][1] == RU_LINES[5]


def test_tmx_and_moses(files, tmp_path) -> None:
    src, tgt = files
    tmx = tmp_path / "pairs.tmx"
    assert run(str(src), str(tgt), "--segmented", "--format", "tmx", "-o", str(tmx)).exit_code == 0
    root = ET.parse(tmx).getroot()
    tus = root.findall(".//tu")
    assert len(tus) == 4
    segs = [seg.text for seg in tus[0].iter("seg")]
    assert segs == [EN_LINES[0], RU_LINES[0]]
    moses = tmp_path / "corpus"
    assert (
        run(str(src), str(tgt), "--segmented", "--format", "moses", "-o", str(moses)).exit_code == 0
    )
    en = (tmp_path / "corpus.en").read_text(encoding="utf-8").splitlines()
    ru = (tmp_path / "corpus.ru").read_text(encoding="utf-8").splitlines()
    assert len(en) == len(ru) == 4
    assert ru[2] == RU_LINES[5]


def test_releases_are_segmented(tmp_path) -> None:
    src, tgt = tmp_path / "en.txt", tmp_path / "ru.txt"
    src.write_text(
        "Title of the release\n\nThe CSTO met IOM in 2015. They signed a protocol.\n\n"
        "Source: CSTO web-site\n",
        encoding="utf-8",
    )
    tgt.write_text(
        "Заголовок сообщения\n\nОДКБ встретилась с МОМ в 2015 году. Они подписали "
        "протокол.\n\nИсточник: сайт ОДКБ\n",
        encoding="utf-8",
    )
    result = run(str(src), str(tgt), "--from", "en", "--to", "ru")
    beads = [json.loads(line) for line in result.output.splitlines()]
    assert [(b["src"], b["tgt"]) for b in beads] == [([0], [0]), ([1], [1]), ([2], [2])]
    assert beads[2]["src_text"] == "They signed a protocol."


def test_missing_file_is_a_one_line_error(files, tmp_path) -> None:
    src, _ = files
    result = CliRunner().invoke(main, ["align", str(src), str(tmp_path / "nope.txt")])
    assert result.exit_code != 0
    assert "nope.txt: no such file" in result.output
    assert "Traceback" not in result.output


def test_same_language_is_refused(files) -> None:
    src, _ = files
    result = CliRunner().invoke(main, ["align", str(src), str(src), "--segmented"])
    assert result.exit_code != 0
    assert "both in 'en'" in result.output


def test_no_partial_output_on_error(files, tmp_path) -> None:
    src, _ = files
    out = tmp_path / "out.jsonl"
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["align", str(src), str(empty), "--segmented", "-o", str(out)]
    )
    assert result.exit_code != 0
    assert "empty.txt" in result.output
    assert not out.exists()


def test_mt_without_a_model_fails_clearly(files, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    src, tgt = files
    result = CliRunner().invoke(main, ["align", str(src), str(tgt), "--segmented", "--mt"])
    assert result.exit_code != 0
    assert "--mt needs an installed en->ru model" in result.output
    assert "Traceback" not in result.output


def test_glossary_terms_decide_between_candidates(tmp_path) -> None:
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text(
        "en\tru\tru_variants\ntrafficking in human beings\tторговля людьми\t\n", encoding="utf-8"
    )
    src, tgt = tmp_path / "en.txt", tmp_path / "ru.txt"
    src.write_text("They discussed trafficking in human beings.\n", encoding="utf-8")
    tgt.write_text(
        "Они долго обсуждали погоду в городе.\nОни обсуждали торговлю людьми.\n", encoding="utf-8"
    )
    result = run(str(src), str(tgt), "--segmented", "--glossary", str(glossary))
    assert result.exit_code == 0, result.output
    beads = [json.loads(line) for line in result.output.splitlines()]
    assert [(b["src"], b["tgt"]) for b in beads] == [([], [0]), ([0], [1])]


def test_progress_counts_source_sentences_per_pass(files) -> None:
    """align has a bar too; the library reports source sentences as each pass goes."""
    from mlcorpus.align import align_sentences, alignment_work

    src, tgt = files
    result = CliRunner().invoke(
        main, ["align", str(src), str(tgt), "--segmented", "--progress", "-o", "-"]
    )
    assert result.exit_code == 0, result.output
    assert "Aligning" in result.stderr
    en = [f"Sentence number {k} is about item {k}." for k in range(250)]
    ru = [f"Предложение номер {k} о пункте {k}." for k in range(250)]
    done: list[int] = []
    beads = align_sentences(en, ru, "en", "ru", progress=done.append)
    assert len(beads) == 250
    assert sum(done) == alignment_work(250) == 500
    assert max(done) <= 100  # reported as it goes, not once at the end
