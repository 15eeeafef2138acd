"""``segment``, ``translate``, ``align`` and ``run`` see the same sentences.

They all go through ``Release.sentences()``; this checks it from the outside,
command by command, on a release whose lines are hard-wrapped and which has no
title (a Markdown file without a heading), the case where the copies used to
disagree (joined vs. kept line breaks, title slot counted or not).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from mlcorpus.align.sides import read_side
from mlcorpus.cli import main
from mlcorpus.workspace.store import SCHEMA_VERSION

EN = """The meeting took place
in Moscow. The parties discussed
irregular migration.

Trafficking in persons
remains a threat.
"""
RU = """Встреча состоялась
в Москве. Стороны обсудили
незаконную миграцию.

Торговля людьми
остается угрозой.
"""
EXPECTED = {
    "en": [
        (0, "The meeting took place in Moscow."),
        (0, "The parties discussed irregular migration."),
        (1, "Trafficking in persons remains a threat."),
    ],
    "ru": [
        (0, "Встреча состоялась в Москве."),
        (0, "Стороны обсудили незаконную миграцию."),
        (1, "Торговля людьми остается угрозой."),
    ],
}


def _corpus(root: Path) -> dict[str, Path]:
    paths = {}
    for lang, text in (("en", EN), ("ru", RU)):
        (root / lang).mkdir(parents=True)
        paths[lang] = root / lang / "2019-05-14-meeting.md"
        paths[lang].write_text(text, encoding="utf-8")
    return paths


def _invoke(*args: str) -> str:
    """The command's stdout (its stderr when *args* is a ``run``: the summary)."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stderr if args[0] == "run" else result.stdout


def test_segment_align_translate_and_run_agree(tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "corpus")

    for lang, path in paths.items():
        out = _invoke("segment", str(path), "--lang", lang, "--format", "jsonl")
        rows = [json.loads(line) for line in out.splitlines()]
        assert [(r["paragraph"], r["text"]) for r in rows] == EXPECTED[lang]
        text = _invoke("segment", str(path), "--lang", lang)
        sentences = [t for _, t in EXPECTED[lang]]
        assert text == "\n".join(sentences[:2]) + "\n\n" + sentences[2] + "\n"

        side = read_side(str(path), lang, segmented=False)  # what `align` reads
        assert list(zip(side.paragraphs, side.sentences, strict=True)) == EXPECTED[lang]

    out = _invoke("align", str(paths["en"]), str(paths["ru"]), "--from", "en", "--to", "ru")
    beads = [json.loads(line) for line in out.splitlines()]
    assert [(b["src"], b["tgt"]) for b in beads] == [([0], [0]), ([1], [1]), ([2], [2])]
    assert [b["src_text"] for b in beads] == [t for _, t in EXPECTED["en"]]
    assert [b["tgt_text"] for b in beads] == [t for _, t in EXPECTED["ru"]]

    build = tmp_path / "build"
    _invoke("run", str(tmp_path / "corpus"), "-o", str(build), "--no-translate")
    with sqlite3.connect(build / "workspace.sqlite") as conn:
        for lang in ("en", "ru"):
            rows = conn.execute(
                "SELECT paragraph, text FROM segments WHERE lang=? ORDER BY idx", (lang,)
            ).fetchall()
            assert rows == EXPECTED[lang]


def test_translate_reads_the_same_sentences(installed: Path, tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "corpus")
    out = _invoke(
        "translate",
        str(paths["en"]),
        "--from",
        "en",
        "--to",
        "ru",
        "--format",
        "jsonl",
        "--no-cache",
    )
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["paragraph"], r["src"]) for r in rows] == EXPECTED["en"]
    assert [r["index"] for r in rows] == [0, 1, 0]


def test_an_older_workspace_is_segmented_and_aligned_again(tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus")
    build = tmp_path / "build"
    args = ("run", str(tmp_path / "corpus"), "-o", str(build), "--no-translate")
    _invoke(*args)
    # What the previous version stored: line breaks kept, the empty title counted.
    with sqlite3.connect(build / "workspace.sqlite") as conn:
        conn.execute(
            "UPDATE segments SET text = replace(text, ' in Moscow', char(10) || 'in Moscow')"
        )
        conn.execute("UPDATE segments SET paragraph = paragraph + 1")
        conn.execute("PRAGMA user_version=1")  # before v2's one release -> sentences path

    out = _invoke(*args)
    assert _stage(out, "segment") == (2, 0)  # both releases segmented again
    assert _stage(out, "align") == (1, 0)  # and the pair aligned again
    with sqlite3.connect(build / "workspace.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = conn.execute(
            "SELECT paragraph, text FROM segments WHERE lang='en' ORDER BY idx"
        ).fetchall()
        assert rows == EXPECTED["en"]
        beads = conn.execute("SELECT src_text FROM beads ORDER BY n").fetchall()
        assert [b[0] for b in beads] == [t for _, t in EXPECTED["en"]]

    # Upgraded once: the next run skips everything again.
    out = _invoke(*args)
    assert _stage(out, "segment") == (0, 2)
    assert _stage(out, "align") == (0, 1)


def _stage(output: str, stage: str) -> tuple[int, int]:
    for line in output.splitlines():
        parts = line.split()
        if parts and parts[0] == stage:
            return int(parts[1]), int(parts[2])
    raise AssertionError(f"no {stage} line in:\n{output}")
