"""Term accuracy in `mlcorpus score`, through the glossary package's matcher."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main

pytest.importorskip("mlcorpus.glossary.check")

GLOSSARY = (
    "en\tru\ten_variants\tru_variants\tru_deprecated\tcase_sensitive\tnote\n"
    "member states\tгосударства-члены\tmember state\t\tстраны-члены\tfalse\t\n"
    "IOM\tМОМ\t\t\t\ttrue\t\n"
    "human trafficking\tторговля людьми\ttrafficking in persons\t\t\tfalse\t\n"
)
SRC = [
    "The member states met with IOM in Moscow.",
    "They discussed human trafficking.",
    "The weather was fine.",
]
REF = [
    "Государства-члены встретились с МОМ в Москве.",
    "Они обсудили торговлю людьми.",
    "Погода была хорошей.",
]
HYP_GOOD = [
    "Государства-члены провели встречу с МОМ в Москве.",
    "Они обсудили проблему торговли людьми.",
    "Погода была прекрасной.",
]
HYP_BAD = [
    "Страны-члены встретились с Международной организацией по миграции в Москве.",
    "Они обсудили трафик людей.",
    "Погода была хорошей.",
]


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    out = {"glossary": tmp_path / "glossary.tsv"}
    out["glossary"].write_text(GLOSSARY, encoding="utf-8")
    for name, lines in (
        ("src.en", SRC),
        ("ref.ru", REF),
        ("good.ru", HYP_GOOD),
        ("bad.ru", HYP_BAD),
    ):
        out[name] = tmp_path / name
        out[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _score(files: dict[str, Path], *extra: str) -> str:
    args = [
        "score",
        "-i",
        str(files["good.ru"]),
        "-i",
        str(files["bad.ru"]),
        "-r",
        str(files["ref.ru"]),
        "-s",
        str(files["src.en"]),
        "-g",
        str(files["glossary"]),
        *extra,
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.output


def test_json_term_accuracy_per_system(files: dict[str, Path]) -> None:
    good, bad = json.loads(_score(files, "--format", "json", "--metrics", "chrf"))
    assert (good["term_hits"], good["term_total"], good["term_accuracy"]) == (3, 3, 1.0)
    assert (bad["term_hits"], bad["term_total"], bad["term_accuracy"]) == (0, 3, 0.0)
    assert {"chrf", "signatures", "term_accuracy", "term_hits", "term_total"} <= set(good)


def test_text_table_shows_terms(files: dict[str, Path]) -> None:
    lines = _score(files, "--metrics", "bleu").splitlines()
    assert lines[0].split() == ["System", "BLEU", "Terms"]
    assert lines[2].endswith("100.00% (3/3)") and lines[3].endswith("0.00% (0/3)")


def test_segment_file_lists_terms_hit_and_missed(files: dict[str, Path], tmp_path: Path) -> None:
    seg = tmp_path / "segments.jsonl"
    _score(files, "--metrics", "chrf", "--segments", str(seg), "--format", "json")
    records = [json.loads(line) for line in seg.read_text(encoding="utf-8").splitlines()]
    good = {r["line"] - 1: r for r in records if r["system"] == "good"}
    bad = {r["line"] - 1: r for r in records if r["system"] == "bad"}
    assert good[0]["terms_hit"] == [
        {"source": "member states", "target": "государства-члены"},
        {"source": "IOM", "target": "МОМ"},
    ]
    assert good[0]["terms_missed"] == []
    assert bad[1]["terms_missed"] == [{"source": "human trafficking", "target": "торговля людьми"}]
    assert good[2]["terms_hit"] == good[2]["terms_missed"] == []
    csv_seg = tmp_path / "segments.csv"
    _score(files, "--metrics", "chrf", "--segments", str(csv_seg), "--format", "json")
    header, first = csv_seg.read_text(encoding="utf-8").splitlines()[:2]
    assert header == "system,line,chrf,terms_hit,terms_missed"
    assert first.endswith("member states=государства-члены|IOM=МОМ,")


def test_html_marks_inflected_terms(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    _score(files, "--format", "html", "-o", str(out), "--worst", "3")
    html = out.read_text(encoding="utf-8")
    good, bad = html.split("<h3>")[1:]
    # the hypothesis has the term inflected; the locator still finds it
    assert '<mark class="hit">торговли людьми</mark>' in good
    assert '<mark class="hit">human trafficking</mark>' in good
    assert '<mark class="miss">human trafficking</mark>' in bad
    assert '<span class="chip miss">✗ IOM → МОМ</span>' in bad
    assert "Terms" in html.split('id="scores"')[1].split("</table>")[0]


def test_term_scores_equal_the_glossary_check(dev_data: Path, tmp_path: Path) -> None:
    """Real data: WMT22 EN->RU against the pycountry country names (1 header line added)."""
    from mlcorpus.glossary import load_glossary
    from mlcorpus.glossary.check import term_accuracy
    from mlcorpus.metrics import TermChecker
    from mlcorpus.metrics.inputs import read_segments

    names = dev_data / "terminology" / "pycountry_iso3166-1.en-ru.tsv"
    glossary = tmp_path / "countries.tsv"
    glossary.write_text("en\tru\n" + names.read_text(encoding="utf-8"), encoding="utf-8")
    folder = dev_data / "wmt" / "wmt22"
    src = read_segments(folder / "generaltest2022.en-ru.src.en")
    checker = TermChecker(str(glossary), "en", "ru")
    totals = set()
    for system in ("PROMT", "Online-B"):
        hyps = read_segments(folder / f"generaltest2022.en-ru.hyp.{system}.ru")
        ours = checker.score(src, hyps)
        direct = term_accuracy(load_glossary(glossary), "en", "ru", src, hyps)
        assert (ours.hits, ours.total) == (direct.hits, direct.total)
        assert ours.accuracy == direct.accuracy
        assert sum(len(s.hit) for s in ours.segments) == ours.hits
        assert 0 < ours.hits < ours.total
        totals.add(ours.total)
    assert len(totals) == 1 and totals.pop() > 50  # same sources, same expected terms


def test_document_scores_include_term_accuracy(files: dict[str, Path]) -> None:
    from mlcorpus.metrics import Scorer, TermChecker

    checker = TermChecker(str(files["glossary"]), "en", "ru")
    scorer = Scorer(REF, ["chrf"], sources=SRC, terms=checker)
    system = scorer.score("good", HYP_GOOD)
    docs = scorer.document_scores(system, ["a", "a", "b"])
    assert (docs["a"]["term_hits"], docs["a"]["term_total"]) == (3, 3)
    assert docs["b"]["term_total"] == 0 and docs["b"]["term_accuracy"] is None
