"""Reading text the way users hand it to us, and writing files safely.

* Input may be a path or ``-`` (stdin); UTF-8 with or without BOM, or a
  legacy Russian encoding (cp1251, koi8-r), which we detect rather than guess
  blindly, because UN and CIS archives still hold such files.
* Output files are written atomically (temp file in the same folder, then
  ``os.replace``) so an interrupted run never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, cast

from mlcorpus.errors import InputError

# Letters that are frequent in Russian text; used to decide between the two
# single-byte legacy encodings, which decode any byte string without error.
_FREQUENT_RU = set("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё")


def _russian_score(text: str) -> float:
    # Case matters: koi8-r read as cp1251 (and vice versa) swaps upper and lower
    # case, and real prose is mostly lowercase.
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(c in _FREQUENT_RU for c in letters) / len(letters)


def decode_bytes(data: bytes, name: str = "<input>") -> str:
    """Decode *data* as UTF-8 (BOM optional), else cp1251 or koi8-r.

    Raises :class:`InputError` for binary data (NUL bytes or mostly control
    characters) so that users get a message naming the file instead of
    garbage output.
    """
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        candidates = []
        for enc in ("cp1251", "koi8-r"):
            try:
                candidates.append((_russian_score(data.decode(enc)), enc))
            except UnicodeDecodeError:
                continue
        if not candidates:
            raise InputError(f"{name}: cannot decode as UTF-8, cp1251 or koi8-r") from None
        score, enc = max(candidates)
        if score < 0.5:
            raise InputError(
                f"{name}: not valid UTF-8 and does not look like cp1251 or koi8-r text"
            ) from None
        text = data.decode(enc)
    control = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\t\n\r\f\v")
    if text and control / min(len(text), 8192) > 0.05:
        raise InputError(f"{name}: looks like a binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def existing_file(source: str | os.PathLike[str]) -> Path:
    """*source* as a Path, or a one-line InputError if it is missing or a folder."""
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a directory, expected a file")
    return path


def read_text(source: str | os.PathLike[str], *, allow_empty: bool = False) -> str:
    """Read a whole text file (or stdin for ``-``) with encoding detection."""
    name = str(source)
    if name == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        path = existing_file(source)
        try:
            data = path.read_bytes()
        except PermissionError:
            raise InputError(f"{name}: permission denied") from None
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    text = decode_bytes(data, name)
    if not allow_empty and not text.strip():
        raise InputError(f"{name}: file is empty")
    return text


def read_lines(source: str | os.PathLike[str], *, allow_empty: bool = False) -> list[str]:
    """Read a one-segment-per-line file; the trailing newline does not add a line."""
    text = read_text(source, allow_empty=allow_empty)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_line_aligned(streams: Sequence[tuple[str, Sequence[str]]]) -> None:
    """Raise :class:`InputError` unless every ``(name, lines)`` stream has as many
    lines as the first: parallel files (source, translation, reference) must be
    line-aligned, and the message says which files and counts differ."""
    if not streams:
        return
    first_name, first = streams[0]
    for name, lines in streams[1:]:
        if len(lines) != len(first):
            raise InputError(
                f"line counts differ: {name} has {len(lines)} lines, "
                f"{first_name} has {len(first)}; the files must be line-aligned"
            )


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO]:
    """Open *path* for writing; the file appears only if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if "b" in mode:
            fh = os.fdopen(fd, mode)
        else:
            fh = os.fdopen(fd, mode, encoding="utf-8", newline="\n")
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600 files; give the result the usual umask permissions.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def open_output(path: str | os.PathLike[str] | None, mode: str = "w") -> Iterator[IO]:
    """Atomic file output, or stdout for ``None``/``-``."""
    if path is None or str(path) == "-":
        if "b" in mode:
            yield sys.stdout.buffer
        else:
            yield sys.stdout
        sys.stdout.flush()
    else:
        with atomic_write(path, mode) as fh:
            yield fh


#: bytes read to decide a file's encoding before it is streamed
SNIFF_BYTES = 1 << 16


def _sniff_encoding(head: bytes, name: str) -> str:
    """The encoding of a file starting with *head*: UTF-8 unless *head* is not
    valid UTF-8 (a character cut at the end of *head* does not count)."""
    import codecs

    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    # decode_bytes decides between cp1251 and koi8-r (or rejects the data)
    text = decode_bytes(head, name)
    for enc in ("cp1251", "koi8-r"):
        if head.decode(enc, errors="replace").replace("\r\n", "\n").replace("\r", "\n") == text:
            return enc
    return "cp1251"  # pragma: no cover - decode_bytes returned one of the two


def iter_lines(source: str | os.PathLike[str], *, allow_empty: bool = False) -> Iterator[str]:
    """Lines of a text file (or stdin for ``-``) one at a time, without their
    newline, with the encoding detection of :func:`read_text`.

    Memory stays flat however long the file is, which is what lets commands
    stream millions of segments; the encoding is decided from the first
    64 KiB.  An empty file raises :class:`InputError` once the end shows it.
    """
    name = str(source)
    if name == "-":
        stdin = sys.stdin.buffer
        # peek() decides the encoding; a pipe has it, an in-memory stdin may not
        raw = (
            cast(io.BufferedReader, stdin)
            if hasattr(stdin, "peek")
            else io.BufferedReader(cast(io.RawIOBase, stdin))
        )
        name = "<stdin>"
    else:
        path = existing_file(source)
        try:
            raw = path.open("rb")
        except PermissionError:
            raise InputError(f"{name}: permission denied") from None
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    try:
        head = raw.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        if b"\x00" in head[:8192]:
            raise InputError(f"{name}: looks like a binary file, not text")
        encoding = _sniff_encoding(head, name)
        decode_bytes(head[:8192].decode(encoding, errors="ignore").encode("utf-8"), name)
        text = io.TextIOWrapper(raw, encoding=encoding, newline=None)
        seen = False
        try:
            for line in text:
                line = line[:-1] if line.endswith("\n") else line
                seen = seen or bool(line.strip())
                yield line
        except UnicodeDecodeError:
            raise InputError(f"{name}: not valid {encoding} text past the start") from None
        if not seen and not allow_empty:
            raise InputError(f"{name}: file is empty")
    finally:
        if name != "<stdin>":
            raw.close()
