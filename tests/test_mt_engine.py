"""The batched CTranslate2 engine, on real models the test suite builds."""

from __future__ import annotations

import random
import shutil
import zipfile

import pytest
from support.build_models import chrf

from mlcorpus.errors import InputError, MlcorpusError
from mlcorpus.mt import Translator
from mlcorpus.mt.engine import decoding_limit, default_threads, resolve_compute_type


def test_engine_reproduces_training_pairs_both_directions(test_models, en_ru, ru_en):
    en = [p[0] for p in test_models.pairs]
    ru = [p[1] for p in test_models.pairs]
    assert en_ru.compute_type in ("int8", "int8_float32", "default")
    assert chrf(en_ru.translate(en), ru) >= 90
    assert chrf(ru_en.translate(ru), en) >= 90


def test_order_is_kept_across_many_small_batches(test_models):
    pairs = list(test_models.pairs) * 2  # duplicates too
    random.Random(3).shuffle(pairs)
    reference = dict(test_models.pairs)
    for batch_type, size in (("examples", 3), ("tokens", 40)):
        translator = Translator.from_path(
            test_models.package("en", "ru"), batch_size=size, batch_type=batch_type
        )
        out = translator.translate([en for en, _ in pairs])
        assert len(out) == len(pairs)
        hits = sum(o == reference[en] for o, (en, _) in zip(out, pairs, strict=True))
        assert hits >= 0.9 * len(pairs), batch_type
        # the same source always gets the same translation wherever it sits
        by_source: dict[str, set[str]] = {}
        for o, (en, _) in zip(out, pairs, strict=True):
            by_source.setdefault(en, set()).add(o)
        assert all(len(v) == 1 for v in by_source.values())


def test_blank_segments_pass_through_in_place(test_models, en_ru):
    first, second = test_models.pairs[1], test_models.pairs[4]
    out = en_ru.translate(["", first[0], "   ", second[0], "\t"])
    assert out[0] == "" and out[2] == "   " and out[4] == "\t"
    assert out[1] == first[1] and out[3] == second[1]
    assert en_ru.translate([]) == []


def test_over_long_segment_is_split_and_rejoined_not_truncated(test_models):
    translator = Translator.from_path(test_models.package("en", "ru"), max_source_tokens=24)
    chosen = [test_models.pairs[i] for i in (1, 2, 44, 19)]
    long_source = " ".join(en for en, _ in chosen)
    assert len(translator.tokenize([long_source])[0]) > 24 * 2
    (out,) = translator.translate([long_source])
    assert chrf([out], [" ".join(ru for _, ru in chosen)]) >= 90
    # the tail is there: nothing was cut off at the length limit
    assert out.endswith(chosen[-1][1])
    # long pieces get room to decode beyond CTranslate2's default of 256 tokens
    assert decoding_limit(30) == 256 and decoding_limit(200) == 410


def test_nbest_lists_best_first(test_models, en_ru):
    sources = [en for en, _ in test_models.pairs[:5]]
    nbest = en_ru.translate_nbest(sources, 3)
    assert [len(h) for h in nbest] == [3] * 5
    assert [h[0] for h in nbest] == en_ru.translate(sources)
    assert all(len(set(h)) > 1 for h in nbest)  # real alternatives, not copies
    assert en_ru.translate_nbest(["", sources[0]], 2)[0] == ["", ""]


def test_package_file_and_folder_load_the_same_model(test_models, tmp_path, en_ru):
    with zipfile.ZipFile(test_models.package("en", "ru")) as archive:
        archive.extractall(tmp_path)
    folder = next(tmp_path.iterdir())
    moved = shutil.move(str(folder), tmp_path / "elsewhere")
    from_folder = Translator.from_path(moved)
    assert from_folder.model_id == en_ru.model_id  # identity follows content, not path
    assert from_folder.package.from_code == "en" and from_folder.package.to_code == "ru"
    source = test_models.pairs[7][0]
    assert from_folder.translate([source]) == en_ru.translate([source])
    assert en_ru.options_key() != en_ru.options_key(overrides={"beam_size": 1})


def test_missing_or_broken_model_paths_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no such model"):
        Translator.from_path(tmp_path / "nope")
    with pytest.raises(InputError, match=r"no metadata\.json"):
        Translator.from_path(tmp_path)
    junk = tmp_path / "junk.argosmodel"
    junk.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="zip"):
        Translator.from_path(junk)


def test_compute_type_falls_back_when_unsupported():
    import ctranslate2

    supported = ctranslate2.get_supported_compute_types("cpu")
    assert resolve_compute_type("cpu", "float32") == "float32"
    with pytest.raises(MlcorpusError, match="unknown compute type 'int9'"):
        resolve_compute_type("cpu", "int9")
    unsupported = next(
        (t for t in ("float16", "bfloat16", "int8_float16") if t not in supported), None
    )
    if unsupported is None:
        pytest.skip("this CPU supports every compute type tried")
    assert resolve_compute_type("cpu", unsupported) == "default"


def test_thread_plan_matches_the_workload(monkeypatch):
    import os

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert default_threads() == (2, 1)  # long texts: parallel single-threaded batches
    assert default_threads(10, 32) == (1, 2)  # one batch: every core on it
    assert default_threads(3, 32) == (1, 1)  # a few sentences: one thread
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert default_threads() == (4, 4)
