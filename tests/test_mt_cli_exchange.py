"""``mlcorpus translate`` output for post-editing and for ``convert``: XLIFF
with the MT as target marked ``needs-review-translation`` and the glossary's
term hits and misses as notes (checked with translate-toolkit and the XLIFF
1.2 strict schema), and JSON Lines that ``convert`` reads."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from support.schemas import xmllint

from mlcorpus.cli import main
from mlcorpus.formats import read_units

GLOSSARY = (
    "en\tru\ten_variants\tru_variants\tru_deprecated\tcase_sensitive\tnote\n"
    "seminar\tпрактикум\t\t\tсеминар\tfalse\t\n"
    "readmission\tреадмиссия\t\t\t\tfalse\t\n"
    "procedures\tпроцедуры-термин\t\t\t\tfalse\t\n"
)


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture()
def release(test_models, tmp_path):
    p = test_models.pairs
    source = tmp_path / "release.txt"
    source.write_text(f"{p[9][0]}\n\n{p[8][0]} {p[10][0]}\n", encoding="utf-8")
    glossary = tmp_path / "g.tsv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    return source, glossary


def test_translate_to_xliff_for_post_editing(installed, test_models, release, tmp_path):
    source, glossary = release
    out = tmp_path / "release.xlf"
    result = _run(
        "translate", str(source), "--from", "en-US", "--to", "ru_RU", "-g", str(glossary),
        "--format", "xliff", "-o", str(out), "--no-cache",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    p = test_models.pairs
    units = list(read_units(str(out)))  # BCP 47 tags pick the en->ru model
    assert [u.src for u in units] == [p[9][0], p[8][0], p[10][0]]
    assert units[0].tgt.endswith("на практикуме.")  # the glossary-fixed MT is the target
    assert {u.meta["state"] for u in units} == {"needs-review-translation"}
    assert units[0].meta["origin"] == "mt" and units[0].meta["tuid"] == "1.1"
    notes = units[0].meta["note"]
    assert "glossary terms fixed: seminar → практикум" in notes
    assert "glossary terms MISSING: procedures → процедуры-термин" in notes
    assert xmllint(out, "schema", "xliff-core-1.2-strict.xsd") == ""

    from translate.storage import xliff as tt_xliff

    store = tt_xliff.xlifffile.parsefile(str(out))
    assert [u.isfuzzy() for u in store.units] == [True, True, True]  # all to review
    assert [u.target for u in store.units] == [u.tgt for u in units]
    assert "MISSING" in store.units[0].getnotes()


def test_translate_jsonl_is_read_by_convert(installed, test_models, release, tmp_path):
    source, _ = release
    jsonl, tmx = tmp_path / "mt.jsonl", tmp_path / "mt.tmx"
    result = _run(
        "translate", str(source), "--from", "en", "--to", "ru", "--format", "jsonl",
        "-o", str(jsonl), "--no-cache",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])["tgt"]
    result = _run("convert", str(jsonl), str(tmx))
    assert result.exit_code == 0, result.output
    p = test_models.pairs
    units = list(read_units(str(tmx)))
    assert [(u.src, u.tgt) for u in units] == [p[9], p[8], p[10]]
    assert {u.meta["origin"] for u in units} == {"mt"}


@pytest.fixture()
def mt_build(installed, test_models, tmp_path, repo_root):
    """A workspace built with the en->ru test model and the project glossary."""
    corpus, build = tmp_path / "corpus", tmp_path / "build"
    pairs = test_models.pairs[:6]
    for lang in ("en", "ru"):
        (corpus / lang).mkdir(parents=True)
    for k in range(2):
        chunk = pairs[k * 3 : (k + 1) * 3]
        (corpus / "en" / f"r{k}.txt").write_text(
            f"Release {k}\n\n" + "\n\n".join(en for en, _ in chunk) + "\n", encoding="utf-8"
        )
        (corpus / "ru" / f"r{k}.txt").write_text(
            f"Пресс-релиз {k}\n\n" + "\n\n".join(ru for _, ru in chunk) + "\n", encoding="utf-8"
        )
    glossary = str(repo_root / "glossary" / "migration.en-ru.tsv")
    result = _run("run", str(corpus), "-o", str(build), "--glossary", glossary)
    assert result.exit_code == 0, result.output
    return build


def test_export_with_mt_instead_of_the_human_target(mt_build, test_models, tmp_path):
    out = tmp_path / "post-edit.xlf"
    result = _run("export", str(mt_build), "--mt", "instead", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert xmllint(out, "schema", "xliff-core-1.2-strict.xsd") == ""
    units = list(read_units(str(out)))
    memorised = dict(test_models.pairs[:6])
    sentences = [u for u in units if u.src in memorised]
    assert len(sentences) == 6  # the titles are translated too, but not memorised
    assert all(u.tgt == memorised[u.src] for u in sentences)
    assert {u.meta["state"] for u in units} == {"needs-review-translation"}
    assert {u.meta["origin"] for u in units} == {"mt"}
    assert all(u.meta["model"] and u.meta["glossary_version"] for u in units)

    from translate.storage import xliff as tt_xliff

    store = tt_xliff.xlifffile.parsefile(str(out))
    assert all(u.isfuzzy() for u in store.units)


def test_export_with_mt_beside_the_human_target(mt_build, test_models, tmp_path):
    human = {u.src: u.tgt for u in _export(mt_build, tmp_path, "none", "h.jsonl")}
    beside = _export(mt_build, tmp_path, "beside", "b.jsonl")
    assert {u.src: u.tgt for u in beside} == human  # the target stays the human one
    memorised = dict(test_models.pairs[:6])
    assert all(u.meta["mt"] == memorised[u.src] for u in beside if u.src in memorised)
    xlf = tmp_path / "b.xlf"
    assert _run("export", str(mt_build), "--mt", "beside", "-o", str(xlf)).exit_code == 0
    assert xmllint(xlf, "schema", "xliff-core-1.2-strict.xsd") == ""
    text = xlf.read_text(encoding="utf-8")
    assert text.count('<alt-trans origin="machine-translation">') == len(beside)
    assert text.count('approved="yes"') == len(beside)
    tsv = tmp_path / "b.tsv"
    assert _run("export", str(mt_build), "--mt", "beside", "-o", str(tsv)).exit_code == 0
    assert tsv.read_text(encoding="utf-8").splitlines()[0].endswith("\tmt")


def _export(build, tmp_path, mt, name):
    out = tmp_path / name
    result = _run("export", str(build), "--mt", mt, "-o", str(out))
    assert result.exit_code == 0, result.output
    return list(read_units(str(out)))
