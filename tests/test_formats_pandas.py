"""Raw TSV stays raw, and the documented ways of reading it are safe: the
pandas call in README (``quoting=csv.QUOTE_NONE``) and ``read_pairs()`` /
``to_pandas()``, which read every format."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from mlcorpus.formats import FORMATS, TranslationUnit, read_pairs, to_pandas, write_units

pd = pytest.importorskip("pandas")
README = Path(__file__).resolve().parent.parent / "README.md"

QUOTED = [
    TranslationUnit('"We now have mice," he added.', "«Теперь у нас есть мыши», — добавил он."),
    TranslationUnit("Plain sentence.", "Простое предложение."),
    TranslationUnit('"Open quote only', '"Открытая кавычка'),
    TranslationUnit("Last one.", "Последнее."),
]


def _flores_units(dev_data: Path, count: int = 300) -> list[TranslationUnit]:
    folder = dev_data / "flores"
    en = (folder / "flores101.devtest.eng").read_text(encoding="utf-8").splitlines()[:count]
    ru = (folder / "flores101.devtest.rus").read_text(encoding="utf-8").splitlines()[:count]
    return [TranslationUnit(s, t) for s, t in zip(en, ru, strict=True)]


def _readme_pandas_call(path: Path):
    """Run the pandas call README shows, on *path*."""
    block = README.read_text(encoding="utf-8").split("## Formats", 1)[1]
    call = re.search(r"df = (pd\.read_csv\(.*?\))\n", block, re.S).group(1)
    return eval(call.replace('"pairs.tsv"', repr(str(path))), {"pd": pd, "csv": csv})


def test_tsv_is_raw_and_the_readme_pandas_call_reads_it(tmp_path):
    path = tmp_path / "pairs.tsv"
    write_units(QUOTED, str(path), "tsv", src_lang="en", tgt_lang="ru")
    assert path.read_text(encoding="utf-8").splitlines()[1].startswith('"We now')  # no quoting
    naive = pd.read_csv(path, sep="\t")
    assert len(naive) != len(QUOTED) or list(naive["en"]) != [u.src for u in QUOTED]
    frame = _readme_pandas_call(path)
    assert list(zip(frame["en"], frame["ru"], strict=True)) == [(u.src, u.tgt) for u in QUOTED]


def test_flores_through_tsv_with_pandas_and_read_pairs(tmp_path, dev_data):
    units = _flores_units(dev_data)
    assert sum(u.src.startswith('"') for u in units) > 0
    path = tmp_path / "pairs.tsv"
    write_units(units, str(path), "tsv", src_lang="en", tgt_lang="ru")
    expected = [(u.src, u.tgt) for u in units]
    frame = _readme_pandas_call(path)
    assert list(zip(frame["en"], frame["ru"], strict=True)) == expected
    assert read_pairs(str(path)) == expected


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "xliff-omegat"])
def test_read_pairs_and_to_pandas_for_every_format(tmp_path, fmt):
    units = [TranslationUnit(u.src, u.tgt, meta={"release": "r1", "score": 0.5}) for u in QUOTED]
    suffix = FORMATS[fmt].extensions[0] if FORMATS[fmt].extensions else ""
    path = tmp_path / f"pairs{suffix}"
    write_units(units, str(path), fmt, src_lang="en", tgt_lang="ru")
    expected = [(u.src, u.tgt) for u in units]
    assert read_pairs(str(path), fmt) == expected
    frame = to_pandas(str(path), fmt)
    assert list(zip(frame["src"], frame["tgt"], strict=True)) == expected
    assert set(frame["src_lang"]) == {"en"} and set(frame["tgt_lang"]) == {"ru"}
    if fmt != "moses":
        assert list(frame["release"]) == ["r1"] * len(units)
