"""The sentence aligner's API: evidence, lexicon, DP, beads and confidence."""

from __future__ import annotations

import csv
import random
from collections import Counter

import pytest

from mlcorpus.align import Bead, align_length_only, align_sentences
from mlcorpus.align.beads import check_beads
from mlcorpus.align.dp import best_path, monotone_chain
from mlcorpus.align.evidence import build_term_index, numbers, sentence_evidence
from mlcorpus.align.lexicon import learn_lexicon
from mlcorpus.align.translit import cognate_key
from mlcorpus.glossary import Entry, Glossary, load_glossary

EN = [
    "On 2 March 2015 a meeting between IOM Moscow Chief of Mission Mr. Z. Zigic and CSTO "
    "Secretary General Mr. N. Bordyuzha took place.",
    "The participants discussed counteracting irregular migration.",
    "Over 1,500 people attended the conference in Yerevan on 5 February.",
    "The CSTO Secretary General thanked IOM for the cooperation.",
    "A handbook for peacekeepers was published in 2014.",
    "Details are available at www.iom.int.",
]
RU = [
    "2 марта 2015 года состоялась встреча главы Представительства МОМ в Москве З. Зигича с "
    "Генеральным секретарем ОДКБ Н. Бордюжей.",
    "Участники обсудили противодействие незаконной миграции.",
    "Более 1 500 человек приняли участие в конференции в Ереване 5 февраля.",
    "Генеральный секретарь ОДКБ поблагодарил МОМ за сотрудничество.",
    "В 2014 году было издано пособие для миротворцев.",
    "Подробности на сайте www.iom.int.",
]


def pairs_of(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in beads]


def test_cognate_key_joins_names_and_their_transliteration() -> None:
    assert cognate_key("Zigic") == cognate_key("Зигича")
    assert cognate_key("Bordyuzha") == cognate_key("Бордюжей")
    assert cognate_key("protocol") == cognate_key("протокола")
    assert cognate_key("Moscow") != cognate_key("Зигич")


def test_numbers_are_spelled_alike_in_both_languages() -> None:
    assert numbers("costs $1,500.5 in 2015") == numbers("стоит 1 500,5 долл. в 2015 г.")
    assert numbers("No. 007") == ["7"]


def test_evidence_shares_acronyms_months_and_names() -> None:
    index = build_term_index()
    en = sentence_evidence(EN[0], "en", index).features
    ru = sentence_evidence(RU[0], "ru", index).features
    shared = set(en) & set(ru)
    assert {"a:CSTO", "a:IOM", "m:3", "n:2015", "n:2", f"c:{cognate_key('Zigic')}"} <= shared


def test_glossary_terms_match_by_lemma() -> None:
    from mlcorpus.align.evidence import russian_lemmatizer

    lemma = russian_lemmatizer()
    glossary = Glossary(
        [Entry("human trafficking", "торговля людьми", en_variants=["trafficking in human beings"])]
    )
    index = build_term_index(glossary, lemma)
    en = sentence_evidence("They fight trafficking in human beings.", "en", index, lemma)
    ru = sentence_evidence("Они борются с торговлей людьми.", "ru", index, lemma)
    assert en.features["g:0"] == 1
    assert ru.features["g:0"] == 1


def test_glossary_from_the_glossary_module_is_accepted(tmp_path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("en\tru\nreadmission\tреадмиссия\n", encoding="utf-8")
    glossary = load_glossary(str(path))
    beads = align_sentences(
        ["Readmission was discussed."], ["Обсуждалась реадмиссия."], "en", "ru", glossary=glossary
    )
    assert pairs_of(beads) == [((0,), (0,))]


def test_lexicon_links_words_that_cooccur() -> None:
    rng = random.Random(1)
    pairs = []
    for _ in range(30):
        en = ["house"] if rng.random() < 0.25 else []
        ru = ["дом"] if en else []
        en += rng.sample(["red", "blue", "green", "tall"], 2)
        ru += rng.sample(["один", "два", "три", "четыре"], 2)
        pairs.append((en, ru))
    links = {(s, t) for s, t, _ in learn_lexicon(pairs)}
    assert ("house", "дом") in links
    assert not any(s == "house" and t != "дом" for s, t in links)


def test_monotone_chain_keeps_the_heaviest_increasing_pairs() -> None:
    chain = monotone_chain([(0, 0, 1.0), (1, 5, 0.5), (2, 1, 1.0), (3, 2, 1.0), (4, 3, 1.0)])
    assert chain == [(0, 0), (2, 1), (3, 2), (4, 3)]


def test_best_path_follows_the_scores() -> None:
    wanted = {(0, 0, 1, 1), (1, 1, 2, 1), (3, 2, 1, 0), (4, 2, 1, 1)}

    def score(i: int, j: int, a: int, b: int) -> float:
        return 1.0 if (i, j, a, b) in wanted else -1.0

    steps = best_path(5, 3, [0] * 6, [3] * 6, [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2)], score)
    assert [s[:4] for s in steps] == sorted(wanted)


def test_aligns_one_to_one_release() -> None:
    beads = align_sentences(EN, RU, "en", "ru")
    assert pairs_of(beads) == [((k,), (k,)) for k in range(len(EN))]
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def test_finds_merges_and_unmatched_sentences() -> None:
    ru = [RU[0], RU[1] + " " + RU[2], "Погода в Москве была солнечной.", RU[3], RU[5]]
    beads = align_sentences(EN, ru, "en", "ru")
    assert pairs_of(beads) == [
        ((0,), (0,)),
        ((1, 2), (1,)),
        ((), (2,)),
        ((3,), (3,)),
        ((4,), ()),
        ((5,), (4,)),
    ]


def test_every_sentence_in_exactly_one_bead_in_order() -> None:
    rng = random.Random(7)
    for _ in range(20):
        src = [rng.choice(EN)[: rng.randint(5, 80)] for _ in range(rng.randint(0, 12))]
        tgt = [rng.choice(RU)[: rng.randint(5, 80)] for _ in range(rng.randint(0, 12))]
        beads = align_sentences(src, tgt, "en", "ru")
        check_beads(beads, len(src), len(tgt))
        assert all(0.0 <= b.score <= 1.0 for b in beads)


UNRELATED_RU = [
    "Вчера вечером в парке прошел концерт классической музыки, собравший много слушателей "
    "из разных районов города и пригородов.",
    "Погода на выходных будет теплой и солнечной.",
    "Новая библиотека откроется после ремонта в конце осени этого года.",
    "Футбольная команда выиграла матч со счетом два на один.",
    "Врачи советуют больше гулять и пить воду.",
    "Выставка продлится до конца месяца.",
]


def test_confidence_is_lower_for_an_unrelated_text() -> None:
    right = align_sentences(EN, RU, "en", "ru")
    wrong = align_sentences(EN, UNRELATED_RU, "en", "ru")

    def mean(beads: list[Bead]) -> float:
        pairs = [b.score for b in beads if not b.is_null]
        return sum(pairs) / len(pairs) if pairs else 0.0

    assert mean(right) > 0.9
    assert mean(wrong) < 0.5


def test_paragraph_boundaries_are_soft_anchors() -> None:
    # Two short sentences on each side with equal lengths: only the paragraph
    # structure tells that the Russian second paragraph starts one sentence later.
    src = ["Yes.", "No.", "Maybe."]
    tgt = ["Да.", "Нет.", "Может быть."]
    free = align_sentences(src, tgt, "en", "ru")
    anchored = align_sentences(
        src, tgt, "en", "ru", src_paragraphs=[0, 0, 1], tgt_paragraphs=[0, 0, 1]
    )
    assert pairs_of(anchored) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    check_beads(free, 3, 3)
    with pytest.raises(ValueError):
        align_sentences(src, tgt, "en", "ru", src_paragraphs=[0, 1])


def test_rejects_unknown_language() -> None:
    from mlcorpus.errors import MlcorpusError

    with pytest.raises(MlcorpusError):
        align_sentences(["a"], ["b"], "en", "fr")


def _perturbed_documents(dev_data, count: int, drop: float, merge: float, seed: int):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from bench_align import perturb, read_documents

    docs = read_documents(dev_data / "wmt-docs" / "newstest2015.en-ru.docs.tsv")[:count]
    rng = random.Random(seed)
    return [perturb(pairs, drop, merge, rng) for pairs in docs]


def test_recovers_perturbed_news_documents_better_than_length_only(dev_data) -> None:
    gold_hits = base_hits = total = 0
    for src, tgt, gold in _perturbed_documents(dev_data, 12, 0.06, 0.10, seed=5):
        gold_set = {g for g in gold if g[0] and g[1]}
        ours = {p for p in pairs_of(align_sentences(src, tgt, "en", "ru")) if p[0] and p[1]}
        base = {p for p in pairs_of(align_length_only(src, tgt)) if p[0] and p[1]}
        gold_hits += len(ours & gold_set)
        base_hits += len(base & gold_set)
        total += len(gold_set)
    assert gold_hits / total >= 0.95
    assert gold_hits > base_hits


def test_length_only_baseline_is_a_valid_alignment() -> None:
    beads = align_length_only(EN, RU)
    check_beads(beads, len(EN), len(RU))
    assert Counter(b.kind for b in beads)["1-1"] >= 4


def test_udhr_paragraph_units(dev_data) -> None:
    def units(path):
        with open(path, encoding="utf-8") as fh:
            return [row for row in csv.reader(fh, delimiter="\t") if len(row) >= 3]

    en = units(dev_data / "udhr" / "udhr.en.units.tsv")
    ru = units(dev_data / "udhr" / "udhr.ru.units.tsv")
    beads = align_sentences([r[2] for r in en], [r[2] for r in ru], "en", "ru")
    check_beads(beads, len(en), len(ru))
    # every bead stays inside one article (labels agree)
    for b in beads:
        labels = {en[i][0] for i in b.src} | {ru[j][0] for j in b.tgt}
        assert len(labels) == 1, b


def test_a_missing_block_of_sentences_does_not_derail_the_rest(dev_data) -> None:
    docs = _perturbed_documents(dev_data, 15, 0.0, 0.0, seed=1)
    src = [s for d in docs for s in d[0]]
    tgt = [t for d in docs for t in d[1]]
    gap = range(100, 130)  # 30 target sentences lost in the translation
    kept = [j for j in range(len(tgt)) if j not in gap]
    beads = align_sentences(src, [tgt[j] for j in kept], "en", "ru")
    pairs = {(b.src, b.tgt) for b in beads if not b.is_null}
    expected = {((j,), (k,)) for k, j in enumerate(kept)}
    assert len(pairs & expected) / len(expected) >= 0.97
    unmatched = {b.src[0] for b in beads if not b.tgt}
    assert len(unmatched & set(gap)) >= 27
