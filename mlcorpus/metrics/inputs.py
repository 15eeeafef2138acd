"""Reading the files to score: hypotheses, references and sources.

Lines are read the way the ``sacrebleu`` command line reads them (trailing
whitespace stripped), so scores agree with it exactly; encodings and binary
files are handled by :mod:`mlcorpus.textio`.  Every stream must have the same
number of lines, and the error names the files and their counts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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


def system_name(path: str) -> str:
    """A system's name from its file alone: the file name without its last
    extension (``generaltest2022.en-ru.hyp.PROMT.ru`` is
    ``generaltest2022.en-ru.hyp.PROMT``), so a system keeps its name however
    many others are scored with it.

    >>> system_name("out/mt.ru"), system_name("-"), system_name(".hidden")
    ('mt', 'stdin', '.hidden')
    """
    base = "stdin" if path == "-" else Path(path).name
    return (Path(base).stem if "." in base.strip(".") else base) or base


def system_names(paths: Sequence[str]) -> list[str]:
    """Unique system names: :func:`system_name` of each file; when two files
    share one, their file names, then the paths as given, numbered if the
    same file is given twice."""
    names = [system_name(p) for p in paths]
    if len(set(names)) == len(names):
        return names
    bases = ["stdin" if p == "-" else Path(p).name for p in paths]
    if len(set(bases)) == len(bases):
        return bases
    if len(set(paths)) == len(paths):
        return list(paths)
    return [f"{p} #{i + 1}" for i, p in enumerate(paths)]


@dataclass
class ScoreInputs:
    """The line-aligned files of one scoring run, read and checked."""

    systems: list[tuple[str, list[str]]]  # (name, hypotheses)
    paths: list[str]
    references: list[list[str]]
    sources: list[str] | None = None
    doc_ids: list[str] | None = None


def read_score_inputs(
    hypotheses: Sequence[str],
    references: Sequence[str],
    *,
    sources: str | None = None,
    documents: str | None = None,
) -> ScoreInputs:
    """Read hypothesis, reference, source and document-id files and check
    that they have the same number of lines (the error names every file).

    A document-id file holds one id per line; only its first field counts,
    so UNPC ``.ids`` files work as they are.
    """
    from mlcorpus.textio import check_line_aligned

    refs = [read_segments(r) for r in references]
    hyps = [read_segments(h) for h in hypotheses]
    streams = list(zip(references, refs, strict=True)) + list(zip(hypotheses, hyps, strict=True))
    src = read_segments(sources) if sources else None
    if sources and src is not None:
        streams.append((sources, src))
    doc_ids = None
    if documents:
        doc_ids = [(line.split() or [""])[0] for line in read_lines(documents)]
        streams.append((documents, doc_ids))
    check_line_aligned(streams)
    names = system_names(list(hypotheses))
    return ScoreInputs(
        systems=list(zip(names, hyps, strict=True)),
        paths=list(hypotheses),
        references=refs,
        sources=src,
        doc_ids=doc_ids,
    )
