"""Every package layout of the Argos index, under mlcorpus and under the real
argostranslate (newest and oldest supported): the compatibility table in
docs/argos-compatibility.md is this module's expectations.

Layouts (one test package each, tests/support/build_models.py): the 2020
``en_ru/`` top folder, ``translate-en_ru-1_9/`` with ``stanza/``, a BPE
package (``bpe.model``, Moses + subword-nmt) and one with a ``target_prefix``.
"""

from __future__ import annotations

import json
import zipfile

import pytest
from click.testing import CliRunner
from support.build_models import REAL_METADATA_FIELDS, TARGET_PREFIX, VARIANTS
from support.mt_fixtures import run_argos

from mlcorpus.cli import main
from mlcorpus.mt import Translator
from mlcorpus.mt.registry import install_file, installed_packages

#: (layout, argostranslate) -> how Argos's output compares with mlcorpus's.
#: argostranslate >= 1.10 turns every "_" of a SentencePiece output into a
#: space before it strips the target prefix, so "__ru__" survives as " ru ".
ARGOS_DIFFERS = {("prefix", "newest"): f" {TARGET_PREFIX.strip('_')}   "}


def _members(package) -> tuple[str, list[str], dict]:
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        top = names[0].split("/")[0]
        return top, names, json.loads(archive.read(f"{top}/metadata.json"))


@pytest.mark.parametrize("layout", sorted(VARIANTS))
def test_test_packages_are_shaped_like_real_ones(test_models, layout):
    top, names, metadata = _members(test_models.variant(layout))
    assert top == VARIANTS[layout]
    expected = set(REAL_METADATA_FIELDS) | ({"target_prefix"} if layout == "prefix" else set())
    assert set(metadata) == expected
    assert f"{top}/stanza/resources.json" in names
    assert f"{top}/model/model.bin" in names
    tokenizer = "bpe.model" if layout == "bpe" else "sentencepiece.model"
    assert f"{top}/{tokenizer}" in names
    if layout != "bpe":
        import sentencepiece

        with zipfile.ZipFile(test_models.variant(layout)) as archive:
            sp = sentencepiece.SentencePieceProcessor(
                model_proto=archive.read(f"{top}/sentencepiece.model")
            )
        # SentencePiece's default ids, as in Argos's packages
        assert (sp.unk_id(), sp.bos_id(), sp.eos_id(), sp.pad_id()) == (0, 1, 2, -1)
    _, _, shared = _members(test_models.package("en", "ru"))
    assert set(shared) == set(REAL_METADATA_FIELDS)


@pytest.fixture(scope="module")
def layouts_run(argos_version, test_models, tmp_path_factory) -> dict:
    """Each layout installed by mlcorpus into its own packages folder and
    translated by mlcorpus; then listed and translated by Argos (one process)."""
    sources = [en for en, _ in test_models.pairs[:5]]
    runs = {}
    for layout in VARIANTS:
        folder = tmp_path_factory.mktemp(f"packages-{layout}")
        package = install_file(test_models.variant(layout), folder)
        runs[layout] = {
            "folder": str(folder),
            "package": package,
            "ours": Translator(package).translate(sources),
        }
    spec = {"folders": [r["folder"] for r in runs.values()], "sources": sources}
    env = {"XDG_DATA_HOME": str(tmp_path_factory.mktemp("argos-data"))}
    argos = run_argos(["check", json.dumps(spec)], env, argos_version)
    for run in runs.values():
        run.update(argos[run["folder"]])
    return runs


@pytest.mark.parametrize("layout", sorted(VARIANTS))
def test_layout_under_mlcorpus_and_argos(layouts_run, argos_version, test_models, layout):
    run = layouts_run[layout]
    package = run["package"]
    assert (package.name, package.direction) == (VARIANTS[layout], "en->ru")
    assert package.tokenizer_kind == ("bpe" if layout == "bpe" else "sentencepiece")
    assert run["ours"] == [ru for _, ru in test_models.pairs[:5]]
    assert run["listed"] == [["en", "ru", VARIANTS[layout]]]
    which = "oldest" if argos_version else "newest"
    residue = ARGOS_DIFFERS.get((layout, which), "")
    assert run["translated"] == [residue + text for text in run["ours"]]


def test_bpe_package_is_supported_not_skipped(argos_env, test_models):
    """A BPE package used to be skipped, then reported as 'no en->ru model'."""
    install_file(test_models.variant("bpe"))
    result = CliRunner().invoke(
        main,
        ["translate", "-", "--from", "en", "--to", "ru", "--segmented", "--no-cache"],
        input=test_models.pairs[0][0] + "\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == test_models.pairs[0][1]
    rows = json.loads(CliRunner().invoke(main, ["models", "list", "--format", "json"]).output)
    assert [(r["name"], r["tokenizer"]) for r in rows] == [("translate-en_ru-bpe", "bpe")]


def test_models_list_marks_toy_packages(argos_env, test_models, tmp_path):
    from support.repack import repack

    install_file(test_models.package("en", "ru"))
    real_like = repack(
        test_models.package("ru", "en"),
        tmp_path / "real.argosmodel",
        drop=("README.md",),
        extra={"README.md": b"Russian to English translation model.\n"},
    )
    install_file(real_like)
    text = CliRunner().invoke(main, ["models", "list"]).stdout.splitlines()
    toy = next(line for line in text if "translate-en_ru-test" in line)
    real = next(line for line in text if "translate-ru_en-test" in line)
    assert toy.endswith("[toy test model: reproduces its training pairs only]")
    assert "[toy test model" not in real
    rows = json.loads(CliRunner().invoke(main, ["models", "list", "--format", "json"]).output)
    assert [r["toy"] for r in rows] == [True, False]
    assert [p.is_toy for p in installed_packages()] == [True, False]
