"""Discovering releases and pairing them with their translations."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlcorpus.errors import InputError
from mlcorpus.workspace.discover import discover_releases


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_sample_corpus_pairs_by_folder(repo_root: Path) -> None:
    pairs = discover_releases(repo_root / "corpus")
    assert [p.pair_id for p in pairs] == [
        "2015-03-02-iom-csto-meeting",
        "2021-03-17-csto-new-publication",
    ]
    assert all(p.en is not None and p.ru is not None for p in pairs)
    assert pairs[0].ru.lang == "ru" and pairs[0].en.lang == "en"


def test_suffix_layout_and_metadata_pairing(tmp_path: Path) -> None:
    _write(tmp_path / "a.en.txt", "Title A\n\nOn 2 March 2015 they met.\n")
    _write(tmp_path / "a.ru.txt", "Заголовок А\n\n2 марта 2015 года они встретились.\n")
    # Different names, same date on both sides: paired by metadata.
    _write(tmp_path / "meeting-b.txt", "Title B\n\nOn 5 May 2016 the council met.\n")
    _write(tmp_path / "vstrecha-b.txt", "Заголовок Б\n\n5 мая 2016 года совет собрался.\n")
    # A release without a translation stays alone.
    _write(tmp_path / "c.txt", "Title C\n\nOn 7 July 2017 nothing happened.\n")
    _write(tmp_path / "README.md", "# Not a release\n")
    pairs = {p.pair_id: p for p in discover_releases(tmp_path)}
    assert set(pairs) == {"a", "meeting-b", "c"}
    assert pairs["a"].ru.title == "Заголовок А"
    assert pairs["meeting-b"].ru.title == "Заголовок Б"
    assert pairs["c"].ru is None


def test_missing_and_empty_corpus(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such corpus folder"):
        discover_releases(tmp_path / "nope")
    with pytest.raises(InputError, match="no release files"):
        discover_releases(tmp_path)


def test_duplicate_language_side_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "en" / "x.txt", "Title\n\nText one.\n")
    _write(tmp_path / "x.en.txt", "Title\n\nText two.\n")
    with pytest.raises(InputError, match="second en release"):
        discover_releases(tmp_path)
