"""Enforcement (rerank, fix, report) and term accuracy on real and crafted text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mlcorpus.errors import InputError
from mlcorpus.glossary import Entry, Glossary, load_glossary
from mlcorpus.glossary.check import term_accuracy
from mlcorpus.glossary.enforce import enforce_translations, fix_translations

SMALL = Path(__file__).parent / "data" / "glossary_small.tsv"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(SMALL)


def fix_one(glossary: Glossary, source: str, hyp: str) -> str:
    return fix_translations(glossary, "en", "ru", [source], [hyp])[0].text


@pytest.mark.parametrize(
    "source, hyp, fixed",
    [
        # both parts of the hyphenated term inflect; sentence-start capital kept
        (
            "Member states met.",
            "Государства-участники встретились.",
            "Государства-члены встретились.",
        ),
        ("Aid to member states.", "Помощь государствам-участникам.", "Помощь государствам-членам."),
        (
            "Aid from member states.",
            "Помощь от государств-участников ОДКБ.",
            "Помощь от государств-членов ОДКБ.",
        ),
        # only the head changes; the governed word stays
        (
            "They fight human trafficking.",
            "Они борются с трафиком людей.",
            "Они борются с торговлей людьми.",
        ),
        (
            "Trafficking in persons grows.",
            "Торговля человеческими существами растет.",
            "Торговля людьми растет.",
        ),
        # the agreeing adjective follows; the preposition picks the case
        (
            "A talk on irregular migration.",
            "Доклад о нерегулярной миграции.",
            "Доклад о незаконной миграции.",
        ),
        (
            "They fight irregular migration.",
            "Они противодействуют нерегулярной миграции.",
            "Они противодействуют незаконной миграции.",
        ),
        ("Readmission rules.", "Правила повторного приема.", "Правила реадмиссии."),
        # words outside the span are never touched, even the agreeing verb
        ("A round table was held.", "Прошла круглая таблица.", "Прошла круглый стол."),
        ("At the round table.", "За круглой таблицей.", "За круглым столом."),
        ("The Secretary General said.", "Заявил генсек.", "Заявил Генеральный секретарь."),
        # untranslated acronym
        ("IOM helps.", "IOM помогает.", "МОМ помогает."),
    ],
)
def test_fix_replaces_with_the_inflected_preferred_term(glossary, source, hyp, fixed):
    assert fix_one(glossary, source, hyp) == fixed


def test_nothing_outside_the_span_changes(glossary):
    hyp = "  Вчера   «государства-участники» (т.е. все) встретились!!  "
    assert (
        fix_one(glossary, "Member states met yesterday.", hyp)
        == "  Вчера   «государства-члены» (т.е. все) встретились!!  "
    )


def test_spaced_hyphen_is_kept(glossary):
    assert (
        fix_one(glossary, "Aid to member states.", "Помощь государствам - участникам.")
        == "Помощь государствам - членам."
    )


def test_no_source_term_means_no_change(glossary):
    # "государства-участники" is right for "States parties"; not touched
    hyp = "Государства-участники договора встретились."
    assert fix_one(glossary, "States parties to the treaty met.", hyp) == hyp


def test_missing_terms_are_reported_not_invented(glossary):
    (result,) = fix_translations(
        glossary, "en", "ru", ["Member states fight TIP."], ["Страны борются с этим."]
    )
    assert result.text == result.raw_text == "Страны борются с этим."
    assert [m["source"] for m in result.term_report["misses"]] == ["member states", "TIP"]
    assert result.term_report["hits"] == [] and result.term_report["fixed"] == []


def test_report_lists_hits_and_fixes(glossary):
    (result,) = fix_translations(
        glossary,
        "en",
        "ru",
        ["IOM and member states discussed readmission."],
        ["МОМ и государства-участники обсудили реадмиссию."],
    )
    report = result.term_report
    assert [h["target"] for h in report["hits"]] == ["МОМ", "государства-члены", "реадмиссия"]
    assert report["fixed"] == [
        {
            "source": "member states",
            "target": "государства-члены",
            "from": "государства-участники",
            "to": "государства-члены",
        }
    ]
    assert report["misses"] == []


def test_rerank_prefers_a_candidate_that_has_the_term(glossary):
    sources = ["Member states discussed readmission."]
    candidates = [
        [
            "Страны обсудили возвращение.",
            "Государства-члены обсудили возвращение.",
            "Государства-члены обсудили реадмиссию.",
        ]
    ]
    (result,) = enforce_translations(glossary, "en", "ru", sources, candidates)
    assert result.text == "Государства-члены обсудили реадмиссию."
    assert result.raw_text == "Страны обсудили возвращение."
    assert result.term_report["candidate"] == 2


def test_rerank_prefers_model_wording_over_surgery(glossary):
    candidates = [["Государства-участники встретились.", "Государства-члены встретились."]]
    (result,) = enforce_translations(glossary, "en", "ru", ["Member states met."], candidates)
    assert result.text == "Государства-члены встретились."
    assert result.term_report["candidate"] == 1 and result.term_report["fixed"] == []


def test_fix_falls_back_to_surgery_on_the_best_candidate(glossary):
    candidates = [["Государства-участники встретились.", "Страны встретились."]]
    (result,) = enforce_translations(glossary, "en", "ru", ["Member states met."], candidates)
    assert result.text == "Государства-члены встретились."
    assert result.term_report["candidate"] == 0


def test_russian_to_english():
    glossary = Glossary()
    glossary.add(
        Entry(
            "member states",
            "государства-члены",
            en_variants=["member state"],
            en_deprecated=["participating states"],
        )
    )
    glossary.add(Entry("CSTO", "ОДКБ", case_sensitive=True))
    sources = ["Государства-члены ОДКБ встретились.", "Государство-член ОДКБ подписало."]
    hyps = ["Participating states of the ОДКБ met.", "A participating state of CSTO signed."]
    results = fix_translations(glossary, "ru", "en", sources, hyps)
    assert [r.text for r in results] == [
        "Member states of the CSTO met.",
        "A member state of CSTO signed.",
    ]
    accuracy = term_accuracy(glossary, "ru", "en", sources, hyps)
    assert (accuracy.hits, accuracy.total) == (1, 4)


def test_term_accuracy_counts_lemma_hits(glossary):
    sources = ["Member states and IOM fight TIP.", "Nothing to see.", "Readmission of MSs."]
    hyps = ["Государствам-членам и МОМ.", "Ничего.", "Реадмиссия государств-членов."]
    result = term_accuracy(glossary, "en", "ru", sources, hyps)
    assert (result.hits, result.total) == (4, 5)
    assert result.accuracy == pytest.approx(0.8)
    assert [t.source for t in result.segments[0].missed] == ["TIP"]
    assert result.segments[1].expected == []
    data = result.to_dict()
    assert data["term_hits"] == 4 and data["segments"][0]["missed"] == [
        {"source": "TIP", "target": "торговля людьми"}
    ]


def test_term_accuracy_is_none_without_terms(glossary):
    result = term_accuracy(glossary, "en", "ru", ["Nothing here."], ["Ничего."])
    assert (result.hits, result.total, result.accuracy) == (0, 0, None)


def test_misaligned_input_and_bad_pair_are_errors(glossary):
    with pytest.raises(InputError, match="2 source lines but 1"):
        fix_translations(glossary, "en", "ru", ["a", "b"], ["a"])
    with pytest.raises(InputError, match="en->ru and ru->en"):
        term_accuracy(glossary, "en", "en", ["a"], ["a"])


def test_project_glossary_on_wmt22_is_fast_and_leaves_clean_lines_alone(dev_data, repo_root):
    """~2,000 real MT lines: seconds, and lines with nothing to fix come back as they were."""
    wmt = dev_data / "wmt" / "wmt22"
    sources = (wmt / "generaltest2022.en-ru.src.en").read_text(encoding="utf-8").splitlines()
    hyps = (wmt / "generaltest2022.en-ru.hyp.Online-B.ru").read_text(encoding="utf-8").splitlines()
    glossary = load_glossary(repo_root / "glossary" / "migration.en-ru.tsv")
    started = time.perf_counter()
    results = fix_translations(glossary, "en", "ru", sources, hyps)
    assert time.perf_counter() - started < 15
    assert len(results) == len(hyps)
    for result, hyp in zip(results, hyps, strict=True):
        assert result.raw_text == hyp
        if not result.term_report["fixed"]:
            assert result.text == hyp
    accuracy = term_accuracy(glossary, "en", "ru", sources, [r.text for r in results])
    assert accuracy.total > 0


def test_russian_source_terms_on_wmt22(dev_data, repo_root):
    """ru->en: inflected Russian source terms are found by lemma."""
    wmt = dev_data / "wmt" / "wmt22"
    sources = (wmt / "generaltest2022.ru-en.src.ru").read_text(encoding="utf-8").splitlines()
    hyps = (wmt / "generaltest2022.ru-en.hyp.Online-A.en").read_text(encoding="utf-8").splitlines()
    glossary = load_glossary(repo_root / "glossary" / "migration.en-ru.tsv")
    result = term_accuracy(glossary, "ru", "en", sources, hyps)
    found = {i for i, seg in enumerate(result.segments) if seg.expected}
    migrants = [i for i in found if "нелегальных мигрантов" in sources[i]]
    assert migrants, "the genitive plural of a multiword ru term must be found"
    for i in migrants:
        assert [t.source for t in result.segments[i].expected] == ["незаконные мигранты"]
        assert ("illegal migrants" in hyps[i]) == bool(result.segments[i].hit)
    assert 0 < result.hits <= result.total


def _fix_with(entry: Entry, source: str, hyp: str) -> str:
    return fix_translations(Glossary(rows=[entry]), "en", "ru", [source], [hyp])[0].text


@pytest.mark.parametrize(
    "entry, source, hyp, fixed",
    [
        # о -> об before a vowel, and back
        (
            Entry(en="operation", ru="операция", ru_deprecated=["мероприятие"]),
            "They spoke about the operations.",
            "Они говорили о мероприятиях.",
            "Они говорили об операциях.",
        ),
        (
            Entry(en="event", ru="мероприятие", ru_deprecated=["операция"]),
            "They spoke about the events.",
            "Они говорили об операциях.",
            "Они говорили о мероприятиях.",
        ),
        (
            Entry(en="change", ru="изменение", ru_deprecated=["перемена"]),
            "Everyone spoke about the change.",
            "О перемене говорили все.",
            "Об изменении говорили все.",
        ),
        # с <-> со
        (
            Entry(en="country", ru="страна", ru_deprecated=["государство"]),
            "Work with countries.",
            "Работа с государствами.",
            "Работа со странами.",
        ),
        # в <-> во
        (
            Entry(en="cooperation", ru="взаимодействие", ru_deprecated=["сотрудничество"]),
            "In cooperation with IOM.",
            "В сотрудничестве с МОМ.",
            "Во взаимодействии с МОМ.",
        ),
        (
            Entry(en="cooperation", ru="сотрудничество", ru_deprecated=["взаимодействие"]),
            "In cooperation with IOM.",
            "Во взаимодействии с МОМ.",
            "В сотрудничестве с МОМ.",
        ),
        # ко -> к
        (
            Entry(en="set of measures", ru="комплекс мер", ru_deprecated=["множество мер"]),
            "They turned to a set of measures.",
            "Они перешли ко множеству мер.",
            "Они перешли к комплексу мер.",
        ),
    ],
)
def test_preposition_agrees_with_the_replacement(entry, source, hyp, fixed):
    assert _fix_with(entry, source, hyp) == fixed


def test_preposition_agrees_with_the_project_glossary(repo_root):
    glossary = load_glossary(repo_root / "glossary" / "migration.en-ru.tsv")
    fixed = fix_translations(
        glossary,
        "en",
        "ru",
        ["Cooperation with member states."],
        ["Сотрудничество со странами-членами."],
    )[0]
    assert fixed.text == "Сотрудничество с государствами-членами."


def test_an_original_acronym_glossing_the_term_is_kept():
    isil = Entry(en="ISIL", ru="ИГИЛ", en_variants=["Islamic State"], case_sensitive=True)
    source = "The so-called Islamic State, also known as ISIL."
    glossed = "Так называемого Исламского государства, известного как ИГИЛ или ISIL."
    assert _fix_with(isil, source, glossed) == glossed
    assert _fix_with(isil, "ISIL met IOM.", "ИГИЛ (ISIL) встретился с МОМ.") == (
        "ИГИЛ (ISIL) встретился с МОМ."
    )
    # left untranslated, or merely in the same sentence, it is still replaced
    assert _fix_with(isil, "ISIL attacked.", "ISIL атаковал.") == "ИГИЛ атаковал."
    assert _fix_with(isil, "ISIL and ISIL.", "ИГИЛ и ISIL.") == "ИГИЛ и ИГИЛ."


@pytest.mark.parametrize(
    "before, following, expected",
    [
        ("говорили о ", "операциях", "говорили об "),
        ("говорили обо ", "операциях", "говорили об "),
        ("думал о ", "мне", "думал обо "),
        ("О ", "изменении", "Об "),
        ("о ", "его работе", "о "),  # е, ё, ю, я start with a consonant sound
        ("о ", "ИГИЛ", "об "),  # an acronym read from a vowel letter
        ("о ", "МОМ", "о "),  # a consonant letter: left as written
        ("об ", "МОМ", "об "),
        ("со ", "государствами", "с "),
        ("с ", "сотрудниками", "с "),
        ("с ", "всеми", "со "),
        ("в ", "Франции", "во "),
        ("во ", "вопросах", "в "),
        ("к ", "многим", "ко "),
        ("подход ", "к", "подход "),  # no preposition at the end
        ("стоп-с ", "странами", "стоп-с "),  # part of a word, not a preposition
    ],
)
def test_preposition_forms(before, following, expected):
    from mlcorpus.glossary.prepositions import agree_preposition

    assert agree_preposition(before, following) == expected
