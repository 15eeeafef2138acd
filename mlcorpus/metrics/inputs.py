"""Reading the files to score: hypotheses, references and sources.

Lines are read the way the ``sacrebleu`` command line reads them (trailing
whitespace stripped), so scores agree with it exactly; encodings and binary
files are handled by :mod:`mlcorpus.textio`.  Every stream must have the same
number of lines, and the error names the files and their counts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from mlcorpus.errors import InputError
from mlcorpus.textio import display_name, iter_lines, read_lines


def read_segments(path: str | os.PathLike[str]) -> list[str]:
    """One segment per line, trailing whitespace removed (as sacrebleu does)."""
    return [line.rstrip() for line in read_lines(path)]


def iter_segments(path: str | os.PathLike[str]) -> Iterator[str]:
    """:func:`read_segments` one line at a time (flat memory for big test sets);
    a file of blank lines is empty, as for :func:`read_segments`."""
    seen = False
    for line in iter_lines(path):
        line = line.rstrip()
        seen = seen or bool(line)
        yield line
    if not seen:
        raise InputError(f"{display_name(path)}: file is empty")


def system_names(paths: Sequence[str]) -> list[str]:
    """Short, unique system names from hypothesis file names.

    ``generaltest2022.en-ru.hyp.PROMT.ru`` and ``...hyp.Online-A.ru`` become
    ``PROMT`` and ``Online-A``: dot-separated parts shared by every file name
    are dropped.  A single file is named by its stem; clashes fall back to the
    paths as given, numbered if the same file is given twice.
    """
    bases = ["stdin" if p == "-" else Path(p).name for p in paths]
    if len(bases) == 1:
        stem = Path(bases[0]).stem if "." in bases[0].strip(".") else bases[0]
        return [stem or bases[0]]
    parts = [b.split(".") for b in bases]
    shortest = min(len(p) for p in parts)
    head = 0
    while head < shortest - 1 and len({p[head] for p in parts}) == 1:
        head += 1
    tail = 0
    while tail < shortest - head - 1 and len({p[-1 - tail] for p in parts}) == 1:
        tail += 1
    names = [".".join(p[head : len(p) - tail]) for p in parts]
    if len(set(names)) == len(names) and all(names):
        return names
    if len(set(bases)) == len(bases):
        return bases
    if len(set(paths)) == len(paths):
        return list(paths)
    return [f"{p} #{i + 1}" for i, p in enumerate(paths)]
