"""A glossary entry's concordance (renderings found by lemma) and the shared
add/update/remove functions with their version check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlcorpus.errors import InputError
from mlcorpus.glossary import load_glossary, save_glossary
from mlcorpus.glossary.concordance import concordance, marked_pieces
from mlcorpus.glossary.edit import (
    StaleEntryError,
    add_entry,
    entry_version,
    remove_entry,
    update_entry,
)
from mlcorpus.glossary.model import Entry

PAIRS = [
    ("a", "The member states met.", "Государства-члены встретились."),
    ("b", "Member States of the CSTO agreed.", "Государства — члены ОДКБ согласились."),
    ("c", "All member states signed.", "Все государства-участники подписали."),
    ("d", "The member state voted.", "Страна-участница проголосовала."),
    ("e", "Two member states abstained.", "Две страны воздержались."),
    ("f", "Nothing about the term here.", "Здесь нет термина."),
]


@pytest.fixture()
def glossary(repo_root: Path):
    return load_glossary(repo_root / "glossary" / "migration.en-ru.tsv")


def test_concordance_counts_every_inflected_rendering(glossary) -> None:
    entry = glossary.find("member states")
    result = concordance(entry, PAIRS)
    assert result.total == 5  # every line but "f"
    rows = {(kind, term): (count, forms) for kind, term, count, forms in result.rendering_rows()}
    assert rows[("preferred", "государства-члены")] == (
        2,
        [("Государства-члены", 1), ("Государства — члены", 1)],
    )
    assert rows[("deprecated", "государства-участники")] == (1, [("государства-участники", 1)])
    assert rows[("deprecated", "страны-участницы")] == (1, [("Страна-участница", 1)])
    assert rows[("deprecated", "страны-члены")][0] == 0
    assert result.without_rendering == 1
    line = next(item for item in result.lines if item.ref == "c")
    pieces = marked_pieces(line.target, line.target_spans)
    assert pieces == [
        ("Все ", None),
        ("государства-участники", "deprecated"),
        (" подписали.", None),
    ]
    assert marked_pieces(line.source, line.source_spans)[1] == ("member states", "source")
    assert len(concordance(entry, PAIRS, limit=2).lines) == 2
    assert concordance(entry, PAIRS, limit=2).total == 5


def test_variants_and_case_sensitive_terms(glossary) -> None:
    chief = glossary.find("Chief of Mission")
    result = concordance(
        chief,
        [(1, "The IOM Chief of Mission spoke.", "Выступил глава Представительства МОМ.")],
    )
    assert result.lines[0].target_spans[0].kind == "variant"
    tip = glossary.find("TIP")
    assert concordance(tip, [(1, "A tip for visitors.", "Совет посетителям.")]).total == 0


def test_edit_functions_keep_rows_and_refuse_stale_versions(repo_root: Path, tmp_path: Path):
    path = tmp_path / "g.tsv"
    shutil.copy(repo_root / "glossary" / "migration.en-ru.tsv", path)
    original = path.read_text(encoding="utf-8").splitlines()
    g = load_glossary(path)
    entry = g.find("round table")
    seen = entry_version(entry)
    update_entry(g, "round table", seen, Entry("round table", "круглый стол", note="edited"))
    save_glossary(g)
    lines = path.read_text(encoding="utf-8").splitlines()
    changed = [i for i, (a, b) in enumerate(zip(original, lines, strict=True)) if a != b]
    assert len(changed) == 1 and lines[changed[0]].startswith("round table\tкруглый стол")
    # a second editor who loaded the old entry is refused
    g2 = load_glossary(path)
    with pytest.raises(StaleEntryError, match="changed elsewhere"):
        update_entry(g2, "round table", seen, Entry("round table", "круглый стол", note="other"))
    with pytest.raises(StaleEntryError):
        remove_entry(g2, "round table", seen)
    with pytest.raises(InputError, match="already in the glossary"):
        add_entry(g2, Entry("Round Table", "стол"))
    with pytest.raises(InputError, match=r"'\|'"):
        add_entry(g2, Entry("new term", "термин", ru_variants=["a|b"]))
    with pytest.raises(InputError, match="empty Russian"):
        add_entry(g2, Entry("new term", " "))
    with pytest.raises(InputError, match="already in the glossary"):
        update_entry(g2, "round table", entry_version(g2.find("round table")), Entry("IOM", "МОМ"))
    removed = remove_entry(g2, "round table", entry_version(g2.find("round table")))
    assert removed.note == "edited" and g2.find("round table") is None
