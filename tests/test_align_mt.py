"""``mlcorpus align --mt`` on the small test translation models."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mlcorpus.align import align_sentences
from mlcorpus.cli import main


def _perturbed(pairs):
    src = [e for e, _ in pairs]
    tgt = [r for _, r in pairs]
    # target: sentence 3 dropped, sentences 6 and 7 merged
    tgt = tgt[:3] + tgt[4:6] + [tgt[6] + " " + tgt[7]] + tgt[8:]
    gold = (
        [((k,), (k,)) for k in range(3)]
        + [((3,), ())]
        + [((k,), (k - 1,)) for k in (4, 5)]
        + [((6, 7), (5,))]
        + [((k,), (k - 2,)) for k in range(8, len(src))]
    )
    return src, tgt, gold


def test_mt_channel_through_the_cli(installed, test_models, tmp_path, argos_env) -> None:
    src, tgt, gold = _perturbed(test_models.pairs[10:24])
    (tmp_path / "en.txt").write_text("\n".join(src) + "\n", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("\n".join(tgt) + "\n", encoding="utf-8")
    args = [
        "align",
        str(tmp_path / "en.txt"),
        str(tmp_path / "ru.txt"),
        "--from",
        "en",
        "--to",
        "ru",
        "--segmented",
        "--mt",
    ]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    beads = [json.loads(line) for line in result.output.splitlines()]
    assert [(tuple(b["src"]), tuple(b["tgt"])) for b in beads] == gold
    # every pair carries how close its MT is to the target; lone sentences do not
    pairs = [b for b in beads if b["src"] and b["tgt"]]
    assert all(0.0 < b["mt_similarity"] <= 1.0 for b in pairs)
    assert not any("mt_similarity" in b for b in beads if not (b["src"] and b["tgt"]))
    # the test model reproduces its training pairs: its MT is close to the target
    assert sum(b["mt_similarity"] for b in pairs) / len(pairs) > 0.5
    # the translations went through the translation cache
    from mlcorpus.mt.cache import TranslationCache, default_cache_path

    with TranslationCache(default_cache_path()) as cache:
        assert len(cache) >= len(src)


def test_mt_assisted_alignment_recovers_the_beads(en_ru, test_models) -> None:
    src, tgt, gold = _perturbed(test_models.pairs[24:40])
    beads = align_sentences(src, tgt, "en", "ru", mt=en_ru)
    assert [(b.src, b.tgt) for b in beads] == gold
    assert all(0.0 <= b.score <= 1.0 for b in beads)
    # a wrong pairing is less similar than the right one
    right = next(b for b in beads if b.src == (0,))
    wrong = align_sentences([src[0]], [tgt[5]], "en", "ru", mt=en_ru)[0]
    assert right.mt_similarity is not None and wrong.mt_similarity is not None
    assert wrong.mt_similarity < right.mt_similarity
    plain = align_sentences(src, tgt, "en", "ru")
    assert all(b.mt_similarity is None for b in plain)
