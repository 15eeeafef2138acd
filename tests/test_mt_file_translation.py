"""The file-translation API under ``mlcorpus translate``: units in, one
written unit per input unit, in order, in every output format."""

from __future__ import annotations

import json

import pytest

from mlcorpus.formats import read_units as read_exchange
from mlcorpus.mt.cache import TranslationCache
from mlcorpus.mt.file_translation import OutputSpec, read_units, translate_units


def test_units_come_back_in_order_with_empty_ones_kept(en_ru, test_models, tmp_path):
    pairs = test_models.pairs
    units = [[pairs[0][0], pairs[1][0]], [], [pairs[2][0]]]
    out = tmp_path / "out.txt"
    done = translate_units(
        en_ru, iter(units), OutputSpec("text", str(out), "en", "ru", False), block_size=2
    )
    assert out.read_text(encoding="utf-8") == (
        f"{pairs[0][1]} {pairs[1][1]}\n\n\n\n{pairs[2][1]}\n"
    )
    assert (done.segments, done.stats.unique, done.stats.translated) == (3, 3, 3)
    assert done.report_lines("m 1.0") == [
        "3 segments (3 distinct): 0 from the cache, 3 translated by m 1.0"
    ]


@pytest.mark.parametrize("fmt", ["jsonl", "tmx"])
def test_a_second_run_is_served_by_the_cache(en_ru, test_models, tmp_path, fmt):
    source = tmp_path / "in.en"
    source.write_text("\n".join(en for en, _ in test_models.pairs[:5]) + "\n\n", encoding="utf-8")
    spec = OutputSpec(fmt, str(tmp_path / f"out.{fmt}"), "en", "ru", True, "test 1.0")
    with TranslationCache(tmp_path / "cache.sqlite") as cache:
        first = translate_units(en_ru, read_units(str(source), "en", True), spec, cache=cache)
        again = translate_units(en_ru, read_units(str(source), "en", True), spec, cache=cache)
    assert (first.stats.translated, again.stats.translated, again.stats.cache_hits) == (5, 0, 5)
    expected = [ru for _, ru in test_models.pairs[:5]]
    if fmt == "jsonl":
        rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
        assert [r["tgt"] for r in rows] == [*expected, ""]  # the blank line stays a line
        assert [r["line"] for r in rows] == [1, 2, 3, 4, 5, 6]
        assert all(r["cached"] for r in rows[:5])
    else:
        units = list(read_exchange(str(tmp_path / "out.tmx"), "tmx"))
        assert [u.tgt for u in units] == expected  # blank lines make no translation unit
        assert units[0].meta["model"] == "test 1.0"


def test_unknown_format_is_refused_before_writing(en_ru, tmp_path):
    spec = OutputSpec("docx", str(tmp_path / "out.docx"), "en", "ru", True)
    with pytest.raises(ValueError, match="docx"):
        translate_units(en_ru, iter([["Hello."]]), spec)
    assert not (tmp_path / "out.docx").exists()
