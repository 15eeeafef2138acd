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
    # the translations went through the translation cache
    from mlcorpus.mt.cache import TranslationCache, default_cache_path

    with TranslationCache(default_cache_path()) as cache:
        assert len(cache) >= len(src)


def test_mt_assisted_alignment_recovers_the_beads(en_ru, test_models) -> None:
    src, tgt, gold = _perturbed(test_models.pairs[24:40])
    beads = align_sentences(src, tgt, "en", "ru", mt=en_ru)
    assert [(b.src, b.tgt) for b in beads] == gold
    assert all(0.0 <= b.score <= 1.0 for b in beads)
