"""Finding the releases of a corpus folder and pairing each with its translation.

Layouts understood (they may be mixed):

* ``corpus/en/NAME.txt`` and ``corpus/ru/NAME.txt`` — language folders, same name;
* ``corpus/NAME.en.txt`` and ``corpus/NAME.ru.txt`` — language suffix in the name;
* any other release file: language detected from the script, paired by id.

Releases whose ids do not match are paired by metadata when that is
unambiguous: same date and exactly one candidate on each side.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mlcorpus.errors import InputError
from mlcorpus.release import RELEASE_SUFFIXES, Release, read_release, slugify
from mlcorpus.textio import inside

_LANG_SUFFIX = re.compile(r"^(?P<stem>.+)[._-](?P<lang>en|ru)$", re.IGNORECASE)


@dataclass
class ReleasePair:
    """A release and its translation (either side may be missing)."""

    pair_id: str
    en: Release | None = None
    ru: Release | None = None

    def side(self, lang: str) -> Release | None:
        return self.en if lang == "en" else self.ru


def _language_hint(path: Path, root: Path) -> tuple[str, str | None]:
    """(release id, language or None) from the file's name and folders."""
    stem = path.stem
    m = _LANG_SUFFIX.match(stem)
    if m:
        return slugify(m["stem"]), m["lang"].lower()
    for part in path.relative_to(root).parts[:-1]:
        if part.lower() in ("en", "ru"):
            return slugify(stem), part.lower()
    return slugify(stem), None


def _build_folders(root: Path, exclude: Iterable[Path]) -> list[str]:
    """Real paths of the folders never read as releases: *exclude* (this
    run's build folder) and any folder below *root* that holds a workspace or
    a build lock (another build), so report.md is never read back as a release."""
    skip = [os.path.realpath(p) for p in exclude]
    for marker in ("workspace.sqlite", ".mlcorpus.lock"):
        skip += [os.path.realpath(p.parent) for p in root.rglob(marker)]
    return skip


def release_files(root: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """Release files below *root*, sorted; README files are documentation, and
    build folders (see :func:`_build_folders`) are outputs, not input."""
    skip = _build_folders(root, exclude)
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in RELEASE_SUFFIXES
        and not p.name.lower().startswith("readme")
        and not p.name.startswith(".")
        and not any(inside(p, folder) for folder in skip)
    )


def discover_releases(corpus_dir: str | Path, exclude: Iterable[Path] = ()) -> list[ReleasePair]:
    """Read every release below *corpus_dir* (but not in the *exclude*d build
    folders) and pair EN with RU."""
    root = Path(corpus_dir)
    if not root.exists():
        raise InputError(f"{root}: no such corpus folder")
    if not root.is_dir():
        raise InputError(f"{root}: not a folder; give the folder that holds the releases")
    files = release_files(root, exclude)
    if not files:
        raise InputError(f"{root}: no release files (.txt, .md, .html) found")
    pairs: dict[str, ReleasePair] = {}
    for path in files:
        rid, lang = _language_hint(path, root)
        release = read_release(path, lang=lang, release_id=rid)
        pair = pairs.setdefault(rid, ReleasePair(rid))
        first = pair.side(release.lang)
        if first is not None:
            raise InputError(
                f"{path}: a second {release.lang} release with id {rid!r} (first: {first.path})"
            )
        setattr(pair, release.lang, release)
    return _pair_by_metadata(sorted(pairs.values(), key=lambda p: p.pair_id))


def _pair_by_metadata(pairs: list[ReleasePair]) -> list[ReleasePair]:
    """Join one-sided entries whose dates match one-to-one."""
    lonely_en = [(p, p.en) for p in pairs if p.en and not p.ru and p.en.date]
    lonely_ru = [(p, p.ru) for p in pairs if p.ru and not p.en and p.ru.date]
    merged: set[int] = set()
    for en_pair, en in lonely_en:
        same_date = [(p, ru) for p, ru in lonely_ru if ru.date == en.date and id(p) not in merged]
        rivals = [e for _p, e in lonely_en if e.date == en.date]
        if len(same_date) == 1 and len(rivals) == 1:
            ru_pair, en_pair.ru = same_date[0]
            merged.add(id(ru_pair))
    return [p for p in pairs if id(p) not in merged]
