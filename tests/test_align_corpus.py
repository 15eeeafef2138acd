"""The sample releases in corpus/ align with their Russian translations."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mlcorpus.align import align_releases
from mlcorpus.cli import main
from mlcorpus.release import read_release

RELEASES = {
    # name: (sentence count on each side, (EN fragment, RU fragment) of some beads)
    "2015-03-02-iom-csto-meeting": (
        15,
        [
            ("On 2 March 2015 a meeting", "2 марта 2015 года состоялась встреча"),
            ("The last meeting they attended", "Последнее заседание, в котором они участвовали"),
            ("As well IOM Moscow developed", "Кроме того, Представительство МОМ"),
        ],
    ),
    "2021-03-17-csto-new-publication": (
        14,
        [
            ("On 17 March 2021 a meeting", "17 марта 2021 года глава"),
            ("In addition, Mr. Zas noted", "Кроме того, С. Зась отметил"),
            ("The contribution to the work", "Был с признательностью отмечен вклад"),
        ],
    ),
}


@pytest.fixture(params=sorted(RELEASES))
def release_pair(request, repo_root):
    en = repo_root / "corpus" / "en" / f"{request.param}.txt"
    ru = repo_root / "corpus" / "ru" / f"{request.param}.txt"
    if not ru.exists():
        pytest.skip(f"{ru} is not in the corpus")
    return request.param, en, ru


def test_sample_releases_align_one_to_one(release_pair) -> None:
    name, en, ru = release_pair
    count, examples = RELEASES[name]
    result = align_releases(read_release(en, "en"), read_release(ru, "ru"))
    assert len(result.src_sentences) == len(result.tgt_sentences) == count
    assert [(b.src, b.tgt) for b in result.beads] == [((k,), (k,)) for k in range(count)]
    assert min(b.score for b in result.beads) > 0.5
    for en_start, ru_start in examples:
        bead = next(b for b in result.beads if result.src_sentences[b.src[0]].startswith(en_start))
        assert result.tgt_sentences[bead.tgt[0]].startswith(ru_start)


def test_sample_release_through_the_cli(release_pair) -> None:
    name, en, ru = release_pair
    result = CliRunner().invoke(
        main,
        ["align", str(en), str(ru), "--from", "en", "--to", "ru"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    beads = [json.loads(line) for line in result.output.splitlines()]
    assert len(beads) == RELEASES[name][0]
    assert beads[0]["src_text"].startswith(("Meeting between", "Presentation of"))
    assert beads[0]["tgt_text"].startswith(("Встреча главы", "Презентация нового"))
