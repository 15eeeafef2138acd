"""Parallel-corpus exchange formats: one module per format, one API for all.

    from mlcorpus.formats import write_units, read_units, FORMATS

    report = write_units(units, "pairs.tmx", "tmx", src_lang="en", tgt_lang="ru")
    for unit in read_units("pairs.tmx"):          # format from the extension
        ...

``write_units(units, path, fmt, *, src_lang, tgt_lang, header=None)`` streams
any iterable of :class:`TranslationUnit` to *path* (written atomically: on
any error nothing appears) or to stdout when *path* is ``None`` or ``"-"``
(all formats but Moses), and returns a :class:`WriteReport` (units written,
characters that had to be removed, ...).  Moses writes two files,
``PATH.<src_lang>`` and ``PATH.<tgt_lang>``.  *header* holds file-level
metadata: TMX header attributes/props, XLIFF ``original`` and props, and
``columns`` (meta columns) for TSV/CSV.

``read_pairs(path)`` gives the (source, target) pairs of any file and
``to_pandas(path)`` a DataFrame, the safe way to load a raw TSV.

``read_units(path, fmt=None, *, src_lang=None, tgt_lang=None)`` streams the
units of a file; the format is guessed from the extension when *fmt* is
None, languages are matched on their primary subtag (``en`` finds
``en-US``), and malformed input raises a one-line :class:`InputError` with
the position.  The returned stream's ``stats`` counts units read and
skipped.

| format | extensions     | stdout | meta                        |
|--------|----------------|--------|-----------------------------|
| tmx    | .tmx           | yes    | ``<prop type="x-KEY">``      |
| xliff  | .xlf .xliff    | yes    | ``<context context-type="x-KEY">`` |
| xliff-omegat | (none)   | yes    | as xliff (see formats.xliff) |
| moses  | .en/.ru pairs  | no     | none                        |
| tsv    | .tsv .tab      | yes    | columns after the text      |
| csv    | .csv           | yes    | columns after the text      |
| jsonl  | .jsonl .ndjson | yes    | ``"meta"`` object           |
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mlcorpus.errors import InputError, MlcorpusError
from mlcorpus.formats.base import ReadStats, TranslationUnit, WriteReport

if TYPE_CHECKING:  # pandas is imported only when to_pandas() runs
    import pandas as pd


@dataclass(frozen=True)
class FormatInfo:
    """One exchange format: where its code lives and how files are named."""

    name: str
    module: str  # module under mlcorpus.formats
    writer: str  # function names in that module
    reader: str
    extensions: tuple[str, ...]
    stdout: bool
    description: str

    def load(self, attr: str) -> Callable:
        module = importlib.import_module(f"mlcorpus.formats.{self.module}")
        return getattr(module, attr)


FORMATS: dict[str, FormatInfo] = {
    "tmx": FormatInfo(
        "tmx", "tmx", "write", "read", (".tmx",), True, "TMX 1.4b translation memory"
    ),
    "xliff": FormatInfo(
        "xliff",
        "xliff",
        "write",
        "read",
        (".xlf", ".xliff"),
        True,
        "XLIFF 1.2 for review in CAT tools",
    ),
    "xliff-omegat": FormatInfo(
        "xliff-omegat",
        "xliff",
        "write_omegat",
        "read",
        (),
        True,
        "XLIFF 1.2 for OmegaT 3.x: the English source in <target>, the translation in <alt-trans>",
    ),
    "moses": FormatInfo(
        "moses",
        "moses",
        "write",
        "read",
        (),
        False,
        "two line-aligned text files PATH.<src> and PATH.<tgt>",
    ),
    "tsv": FormatInfo(
        "tsv",
        "delimited",
        "write_tsv",
        "read_tsv",
        (".tsv", ".tab"),
        True,
        "tab-separated, header row",
    ),
    "csv": FormatInfo(
        "csv", "delimited", "write_csv", "read_csv", (".csv",), True, "RFC 4180 CSV, header row"
    ),
    "jsonl": FormatInfo(
        "jsonl",
        "jsonl",
        "write",
        "read",
        (".jsonl", ".ndjson"),
        True,
        'JSON Lines {"translation": {...}, "meta": {...}}',
    ),
}
ALIASES = {"xlf": "xliff", "xlif": "xliff", "tab": "tsv", "ndjson": "jsonl"}
# suffixes that look like language codes but name ordinary file types
_NOT_LANGS = {"txt", "xml", "md", "htm", "gz", "bz2", "xz", "zip", "tar", "log", "bak", "tmp"}


def format_info(fmt: str) -> FormatInfo:
    """The :class:`FormatInfo` for a name or alias (case-insensitive)."""
    key = fmt.strip().lower().lstrip(".")
    key = ALIASES.get(key, key)
    if key not in FORMATS:
        raise MlcorpusError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[key]


def guess_format(path: str) -> str | None:
    """The format named by *path*'s extension, or None.  ``corpus.en`` (a
    two- or three-letter language suffix) is taken as one side of a Moses corpus."""
    suffix = Path(path).suffix.lower()
    for info in FORMATS.values():
        if suffix in info.extensions:
            return info.name
    if 3 <= len(suffix) <= 4 and suffix[1:].isalpha() and suffix[1:] not in _NOT_LANGS:
        return "moses"
    return None


def resolve_format(path: str | None, fmt: str | None, role: str = "input") -> FormatInfo:
    """*fmt* if given, else the format *path*'s extension names; *role*
    (``input``/``output``) only shapes the error message."""
    if fmt:
        return format_info(fmt)
    guessed = guess_format(path) if path and path != "-" else None
    if guessed is None:
        raise MlcorpusError(
            f"{path or '-'}: cannot tell the {role} format from the file "
            f"name; name it ({', '.join(FORMATS)})"
        )
    return FORMATS[guessed]


def write_units(
    units: Iterable[TranslationUnit],
    path: str | None,
    fmt: str,
    *,
    src_lang: str,
    tgt_lang: str,
    header: dict | None = None,
) -> WriteReport:
    """Stream *units* to *path* in format *fmt*; see the module docstring."""
    info = format_info(fmt)
    if not src_lang or not tgt_lang:
        raise MlcorpusError(f"both a source and a target language are needed to write {info.name}")
    if src_lang == tgt_lang:
        raise MlcorpusError(f"source and target language are both {src_lang!r}")
    if path == "-":
        path = None
    if path is None and not info.stdout:
        raise MlcorpusError(
            f"the {info.name} format cannot be written to stdout; give an output path"
        )
    report = WriteReport(fmt=info.name)
    info.load(info.writer)(
        units, path, src_lang=src_lang, tgt_lang=tgt_lang, header=header, report=report
    )
    if path is not None and not report.paths:
        report.paths.append(str(path))
    return report


class UnitStream(Iterator[TranslationUnit]):
    """The units of one input file, read lazily; ``stats`` fills in as it goes."""

    def __init__(self, units: Iterator[TranslationUnit], fmt: str, stats: ReadStats) -> None:
        self._units = iter(units)
        self.fmt = fmt
        self.stats = stats

    def __next__(self) -> TranslationUnit:
        return next(self._units)


def read_units(
    path: str, fmt: str | None = None, *, src_lang: str | None = None, tgt_lang: str | None = None
) -> UnitStream:
    """Stream the units of *path* (``-``: stdin, which needs *fmt*); see the
    module docstring."""
    info = resolve_format(path, fmt, "input")
    if path != "-" and info.name != "moses":
        target = Path(path)
        if not target.exists():
            raise InputError(f"{path}: no such file")
        if target.is_dir():
            raise InputError(f"{path}: is a directory, expected a file")
    stats = ReadStats()
    units = info.load(info.reader)(str(path), src_lang=src_lang, tgt_lang=tgt_lang, stats=stats)
    return UnitStream(units, info.name, stats)


def read_pairs(
    path: str, fmt: str | None = None, *, src_lang: str | None = None, tgt_lang: str | None = None
) -> list[tuple[str, str]]:
    """The (source, target) text pairs of a file in any format.

    The safe way to load a raw TSV whose segments may begin with a quote
    character, which ``pandas.read_csv`` and ``csv`` take as quoting unless
    told otherwise.

    >>> read_pairs("pairs.tsv")[:1]          # doctest: +SKIP
    [('Ministers met in Moscow.', 'Министры встретились в Москве.')]
    """
    return [(u.src, u.tgt) for u in read_units(path, fmt, src_lang=src_lang, tgt_lang=tgt_lang)]


def to_pandas(
    path: str, fmt: str | None = None, *, src_lang: str | None = None, tgt_lang: str | None = None
) -> pd.DataFrame:
    """A file in any format as a DataFrame: columns ``src``, ``tgt``,
    ``src_lang``, ``tgt_lang``, then one column per metadata key (missing
    values are None)."""
    import pandas as pd

    rows = [
        {"src": u.src, "tgt": u.tgt, "src_lang": u.src_lang, "tgt_lang": u.tgt_lang, **u.meta}
        for u in read_units(path, fmt, src_lang=src_lang, tgt_lang=tgt_lang)
    ]
    frame = pd.DataFrame(rows, columns=None if rows else ["src", "tgt", "src_lang", "tgt_lang"])
    return frame.astype(object).where(frame.notna(), None)


__all__ = [
    "FORMATS",
    "FormatInfo",
    "ReadStats",
    "TranslationUnit",
    "UnitStream",
    "WriteReport",
    "format_info",
    "guess_format",
    "read_pairs",
    "read_units",
    "resolve_format",
    "to_pandas",
    "write_units",
]
