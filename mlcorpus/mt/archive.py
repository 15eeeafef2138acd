""".argosmodel archives checked before anything is unpacked.

An ``.argosmodel`` is a zip holding one folder.  Argos unpacks whatever it is
given straight into its packages folder; mlcorpus first reads the zip's
central directory and refuses, without writing a byte:

* paths that escape the folder, absolute paths, drive letters, links;
* more than one top folder, and top folders (or any member) named with a
  leading dot: a hidden folder cannot be listed or removed by name, and
  Argos would choke on it;
* zip bombs: a declared total size over :data:`MAX_UNPACKED_BYTES`, a
  member whose compression ratio exceeds :data:`MAX_RATIO`, or members that
  inflate past their declared size while being extracted;
* a ``metadata.json`` over :data:`MAX_METADATA_BYTES` (real ones are < 1 kB).

A file cut short by an interrupted download is reported as truncated, not as
"not an Argos package".
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from mlcorpus.errors import InputError

#: largest unpacked package accepted (the biggest Argos packages are ~400 MB)
MAX_UNPACKED_BYTES = 4 << 30
#: largest compression ratio of one member; model weights compress ~1.1x,
#: text ~3-10x; a bomb of zeros compresses ~1000x
MAX_RATIO = 200
#: members smaller than this are exempt from the ratio check (tiny json/txt)
RATIO_FLOOR_BYTES = 1 << 20
#: largest metadata.json read (real ones are a few hundred bytes)
MAX_METADATA_BYTES = 64 << 10


def _looks_truncated(path: Path) -> bool:
    """True when *path* starts like a zip but its end record is missing:
    what an interrupted download leaves behind."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return False
    return head in (b"PK\x03\x04", b"PK\x05\x06") and not zipfile.is_zipfile(path)


def open_archive(path: Path) -> zipfile.ZipFile:
    """Open *path* as a zip; a one-line :class:`InputError` when it is not one."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if _looks_truncated(path):
        raise InputError(
            f"{path}: truncated .argosmodel ({path.stat().st_size} bytes; the zip's end is "
            "missing, so the download or copy was cut short): fetch it again"
        )
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputError(
            f"{path}: not an Argos package (.argosmodel files are zip archives)"
        ) from None


def _hidden(part: str) -> bool:
    return part.startswith(".")


def check_archive(archive: zipfile.ZipFile, source: Path) -> str:
    """Validate *archive*; return its single top folder name."""
    tops: set[str] = set()
    total = 0
    for info in archive.infolist():
        member = info.filename
        parts = PurePosixPath(member.replace("\\", "/")).parts
        if not parts or member.startswith("/") or ".." in parts or ":" in parts[0]:
            raise InputError(f"{source}: unsafe path {member!r} in package archive")
        if any(_hidden(p) for p in parts):
            raise InputError(
                f"{source}: hidden name {member!r} in package archive (names starting with "
                "'.' cannot be listed or removed)"
            )
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise InputError(f"{source}: symbolic link {member!r} in package archive")
        total += info.file_size
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
            1, info.compress_size
        ):
            raise InputError(
                f"{source}: {member!r} would inflate {info.file_size // max(1, info.compress_size)}"
                f"x ({info.file_size} bytes): refusing a likely zip bomb"
            )
        if len(parts) == 2 and parts[1] == "metadata.json" and info.file_size > MAX_METADATA_BYTES:
            raise InputError(
                f"{source}: metadata.json is {info.file_size} bytes "
                f"(limit {MAX_METADATA_BYTES}); not an Argos package"
            )
        tops.add(parts[0])
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            f"{source}: unpacks to {total} bytes (limit {MAX_UNPACKED_BYTES}): "
            "refusing a likely zip bomb"
        )
    if len(tops) != 1:
        raise InputError(
            f"{source}: an .argosmodel must hold exactly one folder, found {len(tops)}"
        )
    return tops.pop()


def extract(archive: zipfile.ZipFile, dest: Path, source: Path) -> None:
    """Unpack the checked *archive* into *dest*, never writing more bytes per
    member than its declared size (a lying header cannot fill the disk)."""
    for info in archive.infolist():
        target = dest / info.filename
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as src, open(target, "wb") as out:
            written = 0
            while chunk := src.read(1 << 20):
                written += len(chunk)
                if written > info.file_size:
                    raise InputError(f"{source}: {info.filename!r} inflates past its declared size")
                out.write(chunk)


def unpack(path: Path, dest: Path) -> Path:
    """Check and unpack the ``.argosmodel`` *path* into the empty folder *dest*;
    return the unpacked package folder."""
    with open_archive(path) as archive:
        top = check_archive(archive, path)
        try:
            extract(archive, dest, path)
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise InputError(f"{path}: damaged .argosmodel ({exc})") from None
    return dest / top
