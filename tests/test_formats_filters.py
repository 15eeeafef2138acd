"""Export filters: each drops what it should, keeps the rest, and counts."""

from __future__ import annotations

from mlcorpus.formats import TranslationUnit
from mlcorpus.formats.filters import FilterConfig, apply_filters, in_expected_script


def unit(src: str, tgt: str, **meta) -> TranslationUnit:
    return TranslationUnit(src, tgt, meta=meta)


GOOD = unit("The meeting took place in Moscow.", "Встреча прошла в Москве.", score=0.9)


def run(units, **config):
    kept = apply_filters(units, FilterConfig(**config))
    return list(kept), kept.report


def test_no_filters_keep_everything_and_report_nothing_dropped():
    units = [GOOD, unit("", ""), GOOD]
    kept, report = run(units)
    assert kept == units
    assert (report.seen, report.kept, report.dropped) == (3, 3, {})


def test_drop_empty_sides():
    units = [GOOD, unit("  ", "Текст"), unit("Text", "\n"), unit("", "")]
    kept, report = run(units, drop_empty=True)
    assert kept == [GOOD]
    assert report.dropped == {"empty": 3}


def test_min_score_keeps_unscored_pairs_and_reads_text_scores():
    units = [
        GOOD,
        unit("a b c", "а б в", score="0.2"),
        unit("x y", "х у"),
        unit("p", "п", score=0.5),
    ]
    kept, report = run(units, min_score=0.5)
    assert [u.src for u in kept] == [GOOD.src, "x y", "p"]
    assert report.dropped == {"min_score": 1}
    assert report.unscored == 1
    assert "1 without a score kept" in report.summary()


def test_drop_identical_ignores_case_and_spacing():
    units = [GOOD, unit("Distr.: General", "Distr.:  general"), unit("COVID-19", "COVID-19")]
    kept, report = run(units, drop_identical=True)
    assert kept == [GOOD]
    assert report.dropped == {"identical": 2}


def test_length_ratio_outliers_but_not_short_pairs():
    long_src = "It would be highly appreciated if you could circulate the present letter."
    units = [
        GOOD,
        unit(long_src, "Пункт 19(f)."),
        unit("OK", "Хорошо"),
        unit("Outreach", "Информационно-просветительская деятельность"),
    ]
    kept, report = run(units, max_length_ratio=2.5)
    assert [u.src for u in kept] == [GOOD.src, "OK"]
    assert report.dropped == {"length_ratio": 2}


def test_wrong_script_on_either_side():
    untranslated = unit(
        "Policies are oriented towards families.",
        "Policies are oriented towards families and children.",
    )
    swapped = unit("Встреча прошла в Москве.", "The meeting took place in Moscow.")
    names = unit(
        "Coronaviruses constitute the subfamily Orthocoronavirinae.",
        "Коронавирусы — это подсемейство Orthocoronavirinae.",
    )
    copied = unit(
        "Policies are oriented towards families.", "Policies are oriented towards families."
    )
    numbers = unit("2013-041A", "2013-041A.")
    kept, report = run([GOOD, untranslated, swapped, names, copied, numbers], check_script=True)
    assert kept == [GOOD, names, numbers]
    assert report.dropped == {"wrong_script": 3}


def test_script_check_respects_language_codes():
    assert in_expected_script("Привет", "ru-RU")
    assert not in_expected_script("Hello there", "ru")
    assert in_expected_script("Hello there", "en-GB")
    assert not in_expected_script("Здравствуйте", "en")
    assert in_expected_script("你好", "zh")  # unknown script: not judged


def test_dedup_normalises_spacing_and_counts_each_reason_once():
    units = [
        GOOD,
        unit(" The meeting  took place in Moscow. ", "Встреча прошла в Москве."),
        unit("", "пусто"),
        unit("", "пусто"),
        GOOD,
    ]
    kept, report = run(units, dedup=True, drop_empty=True)
    assert kept == [GOOD]
    assert report.dropped == {"empty": 2, "duplicate": 2}
    assert report.summary() == "kept 1 of 5; dropped: empty 2, duplicate 2"
    assert report.to_dict()["kept"] == 1


def test_filters_stream_lazily():
    consumed = []

    def source():
        for i in range(1000):
            consumed.append(i)
            yield unit(f"Sentence {i} in English.", f"Предложение {i} по-русски.")

    kept = apply_filters(source(), FilterConfig(dedup=True, check_script=True))
    iterator = iter(kept)
    next(iterator)
    assert len(consumed) == 1
    assert kept.report.seen == 1
