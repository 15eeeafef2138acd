"""The scoring API: metric wrappers, segment and document scores, paired tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import sacrebleu

from mlcorpus.errors import InputError
from mlcorpus.metrics import (
    BLEU,
    TER,
    ChrF,
    ChrFPlusPlus,
    Scorer,
    TermAccuracy,
    score_documents,
    score_systems,
)
from mlcorpus.metrics.inputs import read_segments, system_names
from mlcorpus.textio import check_line_aligned

WMT = ("wmt", "wmt22")


def _wmt(dev_data: Path, name: str, n: int) -> list[str]:
    return read_segments(dev_data.joinpath(*WMT, name))[:n]


@pytest.fixture(scope="module")
def sample(dev_data: Path) -> dict[str, list[str]]:
    return {
        "ref": _wmt(dev_data, "generaltest2022.en-ru.ref.A.ru", 300),
        "promt": _wmt(dev_data, "generaltest2022.en-ru.hyp.PROMT.ru", 300),
        "online_b": _wmt(dev_data, "generaltest2022.en-ru.hyp.Online-B.ru", 300),
        "huawei": _wmt(dev_data, "generaltest2022.en-ru.hyp.HuaweiTSC.ru", 300),
    }


def test_corpus_scores_equal_sacrebleu_api(sample: dict[str, list[str]]) -> None:
    hyps, refs = sample["promt"], [sample["ref"]]
    assert BLEU(refs).corpus_score(hyps) == sacrebleu.corpus_bleu(hyps, refs).score
    assert ChrF(refs).corpus_score(hyps) == sacrebleu.corpus_chrf(hyps, refs).score
    assert (
        ChrFPlusPlus(refs).corpus_score(hyps)
        == sacrebleu.corpus_chrf(hyps, refs, word_order=2).score
    )
    assert (
        TER().corpus_score(hyps[:80], [sample["ref"][:80]])
        == sacrebleu.corpus_ter(hyps[:80], [sample["ref"][:80]]).score
    )


def test_segment_scores_equal_sentence_scores(sample: dict[str, list[str]]) -> None:
    hyps, ref = sample["online_b"][:60], sample["ref"][:60]
    system = Scorer([ref]).score("mt", hyps, segments=True)
    for i, (h, r) in enumerate(zip(hyps, ref, strict=True)):
        assert system.segments["bleu"][i] == sacrebleu.sentence_bleu(h, [r]).score
        assert system.segments["chrf"][i] == sacrebleu.sentence_chrf(h, [r]).score
        assert system.segments["chrfpp"][i] == sacrebleu.sentence_chrf(h, [r], word_order=2).score
        assert system.segments["ter"][i] == sacrebleu.sentence_ter(h, [r]).score
    # the wrapper's own sentence_score agrees with the statistics-based segment scores
    assert BLEU().sentence_score(hyps[3], [ref[3]]) == system.segments["bleu"][3]
    assert ChrF().sentence_score(hyps[5], [ref[5]]) == system.segments["chrf"][5]
    assert len({round(s, 6) for s in system.segments["chrf"]}) > 30


def test_document_scores_are_corpus_scores_of_each_document(sample: dict[str, list[str]]) -> None:
    hyps, ref = sample["huawei"], sample["ref"]
    doc_ids = [f"doc{i // 70}" for i in range(len(hyps))]
    docs = score_documents(hyps, ref, doc_ids, metrics=["bleu", "chrf"])
    assert list(docs) == ["doc0", "doc1", "doc2", "doc3", "doc4"]
    for n, doc in enumerate(docs):
        part = slice(n * 70, (n + 1) * 70)
        assert docs[doc]["bleu"] == sacrebleu.corpus_bleu(hyps[part], [ref[part]]).score
        assert docs[doc]["chrf"] == sacrebleu.corpus_chrf(hyps[part], [ref[part]]).score
        assert docs[doc]["segments"] == len(hyps[part])
    assert len({round(d["chrf"], 4) for d in docs.values()}) == 5
    with pytest.raises(ValueError, match="document ids"):
        score_documents(hyps, ref, doc_ids[:-1], metrics=["chrf"])


def test_reference_statistics_are_shared_across_systems(sample: dict[str, list[str]]) -> None:
    report = score_systems(
        [("a", sample["promt"]), ("b", sample["online_b"])],
        [sample["ref"]],
        metrics=["bleu", "chrf"],
    )
    assert [s.name for s in report.systems] == ["a", "b"]
    assert (
        report.systems[1].scores["chrf"]
        == sacrebleu.corpus_chrf(sample["online_b"], [sample["ref"]]).score
    )
    assert report.signatures["bleu"].startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    data = report.to_dict()
    assert isinstance(data, list) and set(data[0]) >= {"system", "bleu", "chrf", "signatures"}


def _sacrebleu_paired(sample: dict[str, list[str]], test: str) -> dict[str, list]:
    """sacrebleu's own paired test run directly, as its command line runs it."""
    from sacrebleu.significance import PairedTest

    metrics = {
        "BLEU": sacrebleu.BLEU(references=[sample["ref"]]),
        "chrF2": sacrebleu.CHRF(references=[sample["ref"]]),
    }
    named = [(k, sample[k]) for k in ("promt", "online_b", "huawei")]
    _, results = PairedTest(
        named, metrics, references=None, test_type=test, n_samples=1000 if test == "ar" else 0
    )()
    return results


@pytest.mark.parametrize("test", ["bs", "ar"])
def test_paired_tests_equal_sacrebleu(sample: dict[str, list[str]], test: str) -> None:
    theirs = _sacrebleu_paired(sample, test)
    report = score_systems(
        [
            ("promt", sample["promt"]),
            ("online_b", sample["online_b"]),
            ("huawei", sample["huawei"]),
        ],
        [sample["ref"]],
        metrics=["bleu", "chrf"],
        paired=test,
        n_samples=1000 if test == "ar" else 0,
    )
    assert report.comparison is not None and report.comparison.baseline == "promt"
    for n, ours in enumerate(report.systems):
        for key, name in (("bleu", "BLEU"), ("chrf", "chrF2")):
            result, their = ours.paired[key], theirs[name][n]
            assert result.score == their.score
            assert result.p_value == their.p_value
            if n:
                assert result.p_value is not None and 0 < result.p_value <= 1
            if test == "bs":
                assert (result.mean, result.ci) == (their.mean, their.ci)
            else:  # AR also reports bootstrap confidence intervals
                assert result.ci is not None and result.ci > 0
    assert "seed:12345" in report.signatures["bleu"]
    assert f"{test}:" in report.signatures["chrf"]


def test_paired_test_needs_two_systems(sample: dict[str, list[str]]) -> None:
    with pytest.raises(ValueError, match="two systems"):
        score_systems([("a", sample["promt"])], [sample["ref"]], metrics=["chrf"], paired="bs")


def test_unknown_metric_and_missing_references() -> None:
    with pytest.raises(ValueError, match="unknown metric"):
        Scorer([["a"]], metrics=["meteor"])
    with pytest.raises(ValueError, match="no references"):
        ChrF().statistics(["a"])


def test_term_accuracy_is_a_fraction_and_undefined_without_terms() -> None:
    assert TermAccuracy(0, 0, []).accuracy is None
    assert TermAccuracy(3, 4, []).accuracy == 0.75


def test_system_names_do_not_depend_on_the_other_systems() -> None:
    promt, online = (
        "/d/generaltest2022.en-ru.hyp.PROMT.ru",
        "/d/generaltest2022.en-ru.hyp.Online-A.ru",
    )
    assert system_names([promt, online]) == [
        "generaltest2022.en-ru.hyp.PROMT",
        "generaltest2022.en-ru.hyp.Online-A",
    ]
    assert system_names([online]) == ["generaltest2022.en-ru.hyp.Online-A"]
    assert system_names(["out/mt.ru"]) == ["mt"]
    assert system_names(["a/mt.txt", "b/mt.txt"]) == ["a/mt.txt", "b/mt.txt"]
    assert system_names(["-"]) == ["stdin"]
    assert system_names(["mt.ru", "mt.ru"]) == ["mt.ru #1", "mt.ru #2"]


def test_line_count_check_names_files_and_counts() -> None:
    check_line_aligned([("ref.txt", ["a", "b"]), ("hyp.txt", ["x", "y"])])
    with pytest.raises(InputError, match=r"hyp\.txt has 1 lines, ref\.txt has 2"):
        check_line_aligned([("ref.txt", ["a", "b"]), ("hyp.txt", ["x"])])


def test_lines_are_read_like_sacrebleu(tmp_path: Path) -> None:
    f = tmp_path / "h.txt"
    f.write_bytes("\ufeffone  \r\ntwo\t\n\nfour\n".encode())
    assert read_segments(f) == ["one", "two", "", "four"]


def test_reports_convert_to_pandas(sample: dict[str, list[str]]) -> None:
    report = score_systems(
        [("a", sample["promt"][:50]), ("b", sample["online_b"][:50])],
        [sample["ref"][:50]],
        metrics=["chrf", "bleu"],
        segments=True,
    )
    frame = report.to_pandas()
    assert list(frame.index) == ["a", "b"] and list(frame.columns) == ["chrf", "bleu"]
    assert frame.loc["b", "chrf"] == report.systems[1].scores["chrf"]
    segs = report.segments_to_pandas()
    assert len(segs) == 100 and list(segs.columns) == ["system", "index", "chrf", "bleu"]
    assert segs[segs.system == "a"]["chrf"].tolist() == report.systems[0].segments["chrf"]


def test_chrf_statistics_shared_with_chrfpp_are_exact(sample: dict[str, list[str]]) -> None:
    hyps, refs = sample["huawei"], [sample["ref"]]
    chrf, chrfpp = ChrF(refs), ChrFPlusPlus(refs)
    assert chrf.statistics_from_plus_plus(chrfpp.statistics(hyps)) == chrf.statistics(hyps)
    shared = Scorer(refs, ["chrf", "chrfpp"]).score("mt", hyps, segments=True)
    alone = Scorer(refs, ["chrf"]).score("mt", hyps, segments=True)
    assert shared.scores["chrf"] == alone.scores["chrf"] == sacrebleu.corpus_chrf(hyps, refs).score
    assert shared.segments["chrf"] == alone.segments["chrf"]
    # with two references the best reference may differ, so nothing is shared
    two = Scorer([sample["ref"], sample["promt"]], ["chrf", "chrfpp"]).score("mt", hyps)
    assert two.scores["chrf"] == sacrebleu.corpus_chrf(hyps, [sample["ref"], sample["promt"]]).score
