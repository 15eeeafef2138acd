"""Finding glossary terms in English and Russian text."""

from __future__ import annotations

import pytest

from mlcorpus.glossary import Entry
from mlcorpus.glossary.match_en import EnglishMatcher, pluralize, singular
from mlcorpus.glossary.match_ru import RussianMatcher

MS = Entry(
    "member states",
    "государства-члены",
    en_variants=["MS", "MSs"],
    ru_deprecated=["государства-участники"],
    case_sensitive=True,
)
TIP = Entry(
    "TIP",
    "торговля людьми",
    en_variants=["trafficking in persons", "trafficking in human beings", "human trafficking"],
    case_sensitive=True,
)
TRAFFICKING = Entry("trafficking", "незаконный оборот")
BEINGS = Entry("human beings", "люди")
READMISSION = Entry("readmission", "реадмиссия")
PEACE = Entry("peace-keepers", "миротворцы")
ROUND = Entry("round table", "круглый стол")
IOM = Entry("IOM", "МОМ", case_sensitive=True)
CSTO = Entry("CSTO", "ОДКБ", case_sensitive=True)
CIS = Entry("CIS", "СНГ", case_sensitive=True)
ENTRIES = [MS, TIP, TRAFFICKING, BEINGS, READMISSION, PEACE, ROUND, IOM, CSTO, CIS]


def en_found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entry.en) for m in EnglishMatcher(ENTRIES).find(text)]


def ru_found(text: str, which: str = "accepted") -> list[tuple[str, str]]:
    matcher = RussianMatcher(ENTRIES, which=which)
    return [(text[m.start : m.end], m.entry.en) for m in matcher.find(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Member States and the member state agreed.",
            [("Member States", "member states"), ("member state", "member states")],
        ),
        ("MS and MSs, but not ms or Ms.", [("MS", "member states"), ("MSs", "member states")]),
        ("TIP is a crime; a tip is money.", [("TIP", "TIP")]),
        (
            "Trafficking in persons and human trafficking.",
            [("Trafficking in persons", "TIP"), ("human trafficking", "TIP")],
        ),
        (
            "Readmissions and readmission.",
            [("Readmissions", "readmission"), ("readmission", "readmission")],
        ),
        (
            "peacekeepers, peace keepers and a peace-keeper",
            [
                ("peacekeepers", "peace-keepers"),
                ("peace keepers", "peace-keepers"),
                ("peace-keeper", "peace-keepers"),
            ],
        ),
        ("a round-table and two roundtables", [("round-table", "round table")]),
        (
            "IOM's office; the CSTO-led operation; CISCO is a company.",
            [("IOM", "IOM"), ("CSTO", "CSTO")],
        ),
        ("misreadmission and readmissionist", []),
    ],
)
def test_english_matching(text, expected):
    assert en_found(text) == expected


def test_longest_match_wins_and_overlaps_are_resolved():
    text = "They fight trafficking in human beings and drug trafficking."
    assert en_found(text) == [
        ("trafficking in human beings", "TIP"),
        ("trafficking", "trafficking"),
    ]


def test_english_plural_helpers():
    assert [singular(w) for w in ("states", "policies", "addresses", "status", "MSs")] == [
        "state",
        "policy",
        "address",
        "status",
        "MSs",
    ]
    assert [pluralize(t) for t in ("member state", "policy", "SDG", "address")] == [
        "member states",
        "policies",
        "SDGs",
        "addresses",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Представители государств-членов обсудили", [("государств-членов", "member states")]),
        ("по борьбе с торговлей людьми", [("торговлей людьми", "TIP")]),
        ("Торговля людьми — преступление", [("Торговля людьми", "TIP")]),
        (
            "соглашение о реадмиссии и реадмиссию",
            [("реадмиссии", "readmission"), ("реадмиссию", "readmission")],
        ),
        ("в рамках ОДКБ, МОМ и СНГ", [("ОДКБ", "CSTO"), ("МОМ", "IOM"), ("СНГ", "CIS")]),
        ("за круглым столом", [("круглым столом", "round table")]),
        ("государствам‑членам (неразрывный дефис)", [("государствам‑членам", "member states")]),
        ("мом и одкб строчными — не аббревиатуры", []),
        ("государства и члены семей", []),
    ],
)
def test_russian_lemma_matching(text, expected):
    assert ru_found(text) == expected


def test_russian_deprecated_renderings_and_untranslated_acronyms():
    text = "Государствам-участникам МОМ (IOM) помогает."
    assert ru_found(text, "deprecated") == [
        ("Государствам-участникам", "member states"),
        ("IOM", "IOM"),
    ]


def test_russian_matching_ignores_yo():
    entry = Entry("United Nations", "Организация Объединенных Наций")
    matcher = RussianMatcher([entry])
    assert len(matcher.find("в Организации Объединённых Наций")) == 1
