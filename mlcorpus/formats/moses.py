"""Moses plain text: two line-aligned files, ``PATH.<src_lang>`` and ``PATH.<tgt_lang>``.

The format MT training toolkits (Moses, Marian, fairseq, OpenNMT) read.  Line
N of one file translates line N of the other, so a segment must stay on one
line: tabs and line breaks inside it become spaces (counted in the report).
Metadata cannot be stored.  Both files are written atomically: either both
appear or neither does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from itertools import zip_longest
from pathlib import Path

from mlcorpus.errors import InputError, MlcorpusError
from mlcorpus.formats.base import ReadStats, TranslationUnit, WriteReport
from mlcorpus.formats.lineio import drop_unwritable, iter_lines, one_line
from mlcorpus.textio import atomic_write

DEFAULT_LANGS = ("en", "ru")


def moses_paths(path: str, src_lang: str, tgt_lang: str) -> tuple[str, str]:
    """The two files a Moses corpus at *path* consists of."""
    return f"{path}.{src_lang}", f"{path}.{tgt_lang}"


def _line(text: str, report: WriteReport) -> tuple[str, bool]:
    text, removed = drop_unwritable(text)
    report.illegal_chars_removed += removed
    return one_line(text)


def write(
    units: Iterable[TranslationUnit],
    path: str | None,
    *,
    src_lang: str,
    tgt_lang: str,
    header: dict | None,
    report: WriteReport,
) -> None:
    """Write *units* to ``PATH.<src_lang>`` and ``PATH.<tgt_lang>`` (a *path*
    already ending in ``.<src_lang>`` or ``.<tgt_lang>`` is taken as PATH)."""
    if path is None or path == "-":
        raise MlcorpusError(
            "the Moses format cannot go to stdout: give an output name PATH, and "
            f"PATH.{src_lang} and PATH.{tgt_lang} will be written"
        )
    for lang in (src_lang, tgt_lang):  # "corpus.en" names the same corpus as "corpus"
        path = path.removesuffix(f".{lang}")
    src_path, tgt_path = moses_paths(path, src_lang, tgt_lang)
    with contextlib.ExitStack() as stack:
        src_out = stack.enter_context(atomic_write(src_path))
        tgt_out = stack.enter_context(atomic_write(tgt_path))
        for unit in units:
            src, changed_src = _line(unit.src, report)
            tgt, changed_tgt = _line(unit.tgt, report)
            report.line_breaks_replaced += changed_src or changed_tgt
            src_out.write(src + "\n")
            tgt_out.write(tgt + "\n")
            report.written += 1
    report.paths += [src_path, tgt_path]


def _base_path(source: str, src_lang: str, tgt_lang: str) -> str:
    """Accept ``corpus``, ``corpus.en`` or ``corpus.ru`` for the same corpus."""
    for lang in (src_lang, tgt_lang):
        suffix = f".{lang}"
        if source.endswith(suffix) and not Path(f"{source}.{src_lang}").exists():
            return source[: -len(suffix)]
    return source


def guess_langs(source: str) -> tuple[str, str] | None:
    """For ``corpus.de``, the languages of ``corpus.*`` when exactly two files exist."""
    path = Path(source)
    if not path.suffix or not path.parent.is_dir():
        return None
    siblings = sorted(
        p.suffix[1:]
        for p in path.parent.glob(f"{path.stem}.*")
        if p.is_file() and 2 <= len(p.suffix) - 1 <= 3 and p.suffix[1:].isalpha()
    )
    if len(siblings) != 2 or path.suffix[1:] not in siblings:
        return None
    first = path.suffix[1:]
    return first, next(s for s in siblings if s != first)


def read(
    source: str, *, src_lang: str | None, tgt_lang: str | None, stats: ReadStats
) -> Iterator[TranslationUnit]:
    """Stream the pairs of a Moses corpus; *source* may name the corpus or
    either of its two files.  Languages default to en and ru."""
    if source == "-":
        raise MlcorpusError("the Moses format is two files and cannot be read from stdin")
    if src_lang is None or tgt_lang is None:
        guessed = guess_langs(source)
        if guessed and src_lang is None and tgt_lang is None:
            src_lang, tgt_lang = guessed
        src_lang = src_lang or DEFAULT_LANGS[0]
        tgt_lang = tgt_lang or (
            DEFAULT_LANGS[1] if src_lang != DEFAULT_LANGS[1] else DEFAULT_LANGS[0]
        )
    base = _base_path(source, src_lang, tgt_lang)
    src_path, tgt_path = moses_paths(base, src_lang, tgt_lang)
    missing = [p for p in (src_path, tgt_path) if not Path(p).is_file()]
    if missing:
        raise InputError(
            f"{source}: Moses corpus needs {src_path} and {tgt_path}; "
            f"missing {' and '.join(missing)}"
        )
    return _pairs(src_path, tgt_path, src_lang, tgt_lang, stats)


def _pairs(
    src_path: str, tgt_path: str, src_lang: str, tgt_lang: str, stats: ReadStats
) -> Iterator[TranslationUnit]:
    number = 0
    for number, (src, tgt) in enumerate(zip_longest(iter_lines(src_path), iter_lines(tgt_path)), 1):
        if src is None or tgt is None:
            short, long_ = (src_path, tgt_path) if src is None else (tgt_path, src_path)
            raise InputError(
                f"{short} has {number - 1} lines but {long_} has more; "
                "the two files of a Moses corpus must be line-aligned"
            )
        stats.read += 1
        yield TranslationUnit(src=src, tgt=tgt, src_lang=src_lang, tgt_lang=tgt_lang)
