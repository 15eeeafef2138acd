"""Reading text the way users hand it to us, and writing files safely.

Every reader in mlcorpus (releases, line files, glossaries, TSV/CSV/JSONL/Moses)
decodes through this module, so the rules are the same everywhere:

* UTF-8 (BOM optional) is the default.  UTF-16 with a BOM is decoded.  A legacy
  Russian encoding (cp1251, koi8-r) is chosen only when the bytes are not UTF-8
  *at all*: a UTF-8 file with a few bad bytes (or cut in the middle of a
  character) is an error naming the file, line and byte offset, never mojibake.
* ``--encoding`` (:data:`ENCODINGS`) overrides detection; ``utf-8:replace``
  decodes with U+FFFD for bad bytes, for users who accept the loss.
* A NUL byte anywhere is refused (binary data must not pass into outputs).

Outputs (:func:`open_output`) are written atomically when they are regular
files (a temp file beside the target, renamed on success; a symlink's target is
replaced and the link kept), and written straight through when they are FIFOs,
character devices, sockets or ``/dev/fd/N``: replacing those would break the
pipe or, as root, turn ``/dev/null`` into a file.  Temp files are removed on
every exit the process sees (exceptions, Ctrl-C, SIGTERM, SIGHUP), and
:func:`remove_stale_temps` clears those of processes killed with SIGKILL.
:func:`refuse_clobber` stops an output option from naming one of the inputs.
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import errno
import io
import os
import re
import shutil
import signal
import socket
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import IO, Any, cast

from mlcorpus.errors import InputError, MlcorpusError, OutputError

# ----------------------------------------------------------------- encodings

#: What ``--encoding`` accepts; ``None`` (the default) means detect.
ENCODINGS = ("utf-8", "utf-8:replace", "cp1251", "koi8-r", "utf-16")

_INPUT_ENCODING: ContextVar[str | None] = ContextVar("mlcorpus_input_encoding", default=None)

# Letters that are frequent in Russian text; used to decide between the two
# single-byte legacy encodings, which decode any byte string without error.
_FREQUENT_RU = set("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё")
_HINT = "pass --encoding (utf-8:replace, cp1251, koi8-r or utf-16) to choose"
_BOMS_16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SNIFF = 1 << 16


def set_input_encoding(name: str | None) -> None:
    """Set the encoding every reader uses from now on (``None``: detect).

    The CLI's ``--encoding`` option calls this, so a command needs no plumbing
    to pass the choice down to the release, glossary or corpus reader."""
    if name is not None and name.lower() not in ENCODINGS:
        raise InputError(f"unknown encoding {name!r}; use one of {', '.join(ENCODINGS)}")
    _INPUT_ENCODING.set(None if name is None else name.lower())


def input_encoding() -> str | None:
    """The encoding chosen with :func:`set_input_encoding` (None: detect)."""
    return _INPUT_ENCODING.get()


def _russian_score(text: str) -> float:
    # Case matters: koi8-r read as cp1251 (and vice versa) swaps upper and lower
    # case, and real prose is mostly lowercase.
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(c in _FREQUENT_RU for c in letters) / len(letters)


def _position(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"line {line}, byte offset {offset}"


def _nul_error(name: str, data: bytes, offset: int) -> InputError:
    return InputError(
        f"{name}: NUL byte at {_position(data, offset)}: looks like a binary file, not text"
    )


def _utf8_error(name: str, data: bytes, exc: UnicodeDecodeError, base: int = 0) -> InputError:
    bad = exc.object[exc.start : exc.start + 1]
    if exc.reason == "unexpected end of data":
        what = "cut in the middle of a character"
    else:
        what = f"invalid byte 0x{bad.hex()}"
    return InputError(
        f"{name}: not valid UTF-8 at {_position(data, base + exc.start)} ({what}); {_HINT}"
    )


def _mostly_utf8(data: bytes) -> bool:
    """True when *data* holds more valid multi-byte UTF-8 sequences than bad
    bytes: UTF-8 text with a few bad bytes, not a legacy single-byte file.

    cp1251/koi8-r Cyrillic almost never forms valid UTF-8 pairs (a lead byte
    followed by a continuation byte), so one good sequence per bad byte is a
    clear signal."""
    good = bad = 0
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    view = data
    while view:
        try:
            text = decoder.decode(view, final=True)
            good += sum(1 for c in text if ord(c) > 0x7F)
            break
        except UnicodeDecodeError as exc:
            good += sum(1 for c in view[: exc.start].decode("utf-8") if ord(c) > 0x7F)
            bad += exc.end - exc.start
            view = view[exc.end :]
            decoder.reset()
    return good > bad


def _reject_binary(text: str, name: str) -> None:
    head = text[:8192]
    control = sum(1 for c in head if ord(c) < 32 and c not in "\t\n\r\f\v\x1c\x1d\x1e")
    if head and control / len(head) > 0.05:
        raise InputError(f"{name}: looks like a binary file, not text")


def decode_bytes(data: bytes, name: str = "<input>", encoding: str | None = None) -> str:
    """Decode a whole file's *data* under the rules of this module.

    *encoding* (default: the one set with :func:`set_input_encoding`, else
    detection) is one of :data:`ENCODINGS`.  Raises :class:`InputError` for
    binary data and for UTF-8 with bad bytes, naming the line and byte offset.
    Line endings come out as ``\\n``.
    """
    enc = encoding if encoding is not None else input_encoding()
    if enc is not None and enc not in ENCODINGS:
        raise InputError(f"unknown encoding {enc!r}; use one of {', '.join(ENCODINGS)}")
    if enc == "utf-16" or (enc is None and data.startswith(_BOMS_16)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}: not valid UTF-16 at byte offset {exc.start}; {_HINT}"
            ) from None
        if "\x00" in text:
            raise InputError(f"{name}: NUL character in UTF-16 text: looks like a binary file")
        text = text.lstrip("\ufeff")
    else:
        nul = data.find(b"\x00")
        if nul >= 0:
            raise _nul_error(name, data, nul)
        if enc in ("cp1251", "koi8-r"):
            text = data.decode(enc)
        elif enc == "utf-8:replace":
            text = data.decode("utf-8-sig", errors="replace")
        else:
            text = _decode_utf8_or_legacy(data, name, legacy_allowed=enc is None)
    _reject_binary(text, name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_utf8_or_legacy(data: bytes, name: str, *, legacy_allowed: bool) -> str:
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    base = len(data) - len(body)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not legacy_allowed or base or _mostly_utf8(body):
            raise _utf8_error(name, data, exc, base) from None
    candidates = [(_russian_score(data.decode(enc)), enc) for enc in ("cp1251", "koi8-r")]
    score, enc = max(candidates)
    if score < 0.5:
        raise InputError(
            f"{name}: not valid UTF-8 and does not look like cp1251 or koi8-r text; {_HINT}"
        ) from None
    return data.decode(enc)


# ------------------------------------------------------------------- readers


def existing_file(source: str | os.PathLike[str]) -> Path:
    """*source* as a Path, or a one-line InputError if it is missing or a folder."""
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a directory, expected a file")
    return path


def display_name(source: str | os.PathLike[str]) -> str:
    return "<stdin>" if str(source) == "-" else str(source)


def open_binary(source: str | os.PathLike[str]) -> IO[bytes]:
    """Open a path (or ``-`` for stdin) for reading bytes, with one-line errors."""
    if str(source) == "-":
        return sys.stdin.buffer
    try:
        return existing_file(source).open("rb")
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None


def read_bytes(source: str | os.PathLike[str]) -> bytes:
    fh = open_binary(source)
    try:
        return fh.read()
    except OSError as exc:
        raise InputError(f"{display_name(source)}: cannot read ({exc.strerror})") from None
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def read_text(
    source: str | os.PathLike[str], *, allow_empty: bool = False, encoding: str | None = None
) -> str:
    """Read a whole text file (or stdin for ``-``) under the decoding rules."""
    name = display_name(source)
    text = decode_bytes(read_bytes(source), name, encoding)
    if not allow_empty and not text.strip():
        raise InputError(f"{name}: file is empty")
    return text


def read_lines(
    source: str | os.PathLike[str], *, allow_empty: bool = False, encoding: str | None = None
) -> list[str]:
    """Read a one-segment-per-line file; the trailing newline does not add a line."""
    text = read_text(source, allow_empty=allow_empty, encoding=encoding)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


_LONE_CR = re.compile("(?<=\r)(?!\n)")


def _byte_lines(head: bytes, fh: IO[bytes]) -> Iterator[bytes]:
    """The ``\\n``-terminated lines of *head* followed by the rest of *fh*."""
    parts = head.split(b"\n")
    for part in parts[:-1]:
        yield part + b"\n"
    rest = parts[-1]
    for raw in fh:
        if rest:
            raw, rest = rest + raw, b""
        yield raw
    if rest:
        yield rest


def iter_text(
    source: str | os.PathLike[str], encoding: str | None = None
) -> Generator[str, None, None]:
    """Stream the lines of *source* with their line endings (``newline=""``
    semantics, as the csv module wants), decoded under this module's rules.

    UTF-8 input streams with flat memory; a bad byte anywhere raises an
    :class:`InputError` naming its line and byte offset.  A file whose first
    64 KiB are not UTF-8 (legacy encodings, UTF-16) is decoded whole.
    Raises :class:`InputError` for an empty file."""
    name = display_name(source)
    enc = encoding if encoding is not None else input_encoding()
    fh = open_binary(source)
    try:
        head = fh.read(_SNIFF)
        if not head:
            raise InputError(f"{name}: file is empty")
        codec = _stream_codec(head, enc)
        if codec is None:
            text = decode_bytes(head + fh.read(), name, enc)
            yield from _split_nl(text)
            return
        offset = 0
        if codec == "utf-8" and head.startswith(codecs.BOM_UTF8):
            head, offset = head[3:], 3
        errors = "replace" if enc == "utf-8:replace" else "strict"
        for number, raw in enumerate(_byte_lines(head, fh), 1):
            if b"\x00" in raw:
                raise InputError(
                    f"{name}: NUL byte at line {number}, byte offset {offset + raw.index(0)}: "
                    "looks like a binary file, not text"
                )
            try:
                line = raw.decode(codec, errors)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: not valid UTF-8 at line {number}, byte offset "
                    f"{offset + exc.start} (invalid byte 0x{raw[exc.start : exc.start + 1].hex()}"
                    f"); {_HINT}"
                ) from None
            offset += len(raw)
            if "\r" in line and _LONE_CR.search(line[:-1] if line.endswith("\r") else line):
                yield from _LONE_CR.split(line)
            else:
                yield line
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def _split_nl(text: str) -> Iterator[str]:
    # str.splitlines also breaks at U+0085, U+2028, form feeds...; lines here
    # end at "\n" only, so a character inside a line is never taken for a break.
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _stream_codec(head: bytes, enc: str | None) -> str | None:
    """The codec to stream *head*'s file with, or None to decode it whole."""
    if enc in ("cp1251", "koi8-r"):
        return enc
    if enc in ("utf-8", "utf-8:replace"):
        return "utf-8"
    if enc == "utf-16" or head.startswith(_BOMS_16):
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None  # not UTF-8 from the start: detect on the whole file
    return "utf-8"


def iter_lines(source: str | os.PathLike[str], encoding: str | None = None) -> Iterator[str]:
    """Yield the lines of *source* without their line endings."""
    for line in iter_text(source, encoding):
        yield line.rstrip("\r\n")


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


def count_lines(source: str | os.PathLike[str]) -> int | None:
    """Newlines in a file, counted in raw blocks (a quick first pass for a
    progress bar's length); None for standard input, which cannot be re-read."""
    if str(source) == "-":
        return None
    count = 0
    with open_binary(source) as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def zip_line_aligned(streams: Sequence[tuple[str, Iterable[str]]]) -> Iterator[tuple[str, ...]]:
    """The lines of parallel ``(name, lines)`` streams side by side, read one
    line at a time; raises the :func:`check_line_aligned` error (with the
    counts, read to the end) when a stream is shorter or longer than the first."""
    names = [name for name, _ in streams]
    iterators = [iter(lines) for _, lines in streams]
    count = 0
    sentinel = object()
    while True:
        row = [next(it, sentinel) for it in iterators]
        ended = [value is sentinel for value in row]
        if all(ended):
            return
        if any(ended):
            counts = [
                count + (not e) + sum(1 for _ in it) for e, it in zip(ended, iterators, strict=True)
            ]
            bad = next(i for i, c in enumerate(counts) if c != counts[0])
            raise InputError(
                f"line counts differ: {names[bad]} has {counts[bad]} lines, "
                f"{names[0]} has {counts[0]}; the files must be line-aligned"
            )
        count += 1
        yield tuple(row)  # type: ignore[arg-type]


# ------------------------------------------------------------------- outputs

_TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")
_LEGACY_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")
_LIVE_TEMPS: set[str] = set()
_HOOKS_LOCK = threading.Lock()
_hooks_installed = False
_FD_PATH = re.compile(r"^/(?:dev/fd|proc/(?:self|thread-self|\d+)/fd)/\d+$")
_STD_STREAMS = ("/dev/stdout", "/dev/stderr", "/dev/stdin")


def _remove_live_temps() -> None:
    for tmp in list(_LIVE_TEMPS):
        with contextlib.suppress(OSError):
            if os.path.isdir(tmp) and not os.path.islink(tmp):
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                os.unlink(tmp)
        _LIVE_TEMPS.discard(tmp)


@contextlib.contextmanager
def removed_if_killed(path: str | os.PathLike[str]) -> Iterator[None]:
    """Remove the temporary file or folder *path* if the process is ended by
    SIGTERM/SIGHUP (or exits) while inside this block; the same hooks that
    keep killed exports from leaving temp files (package installs use it for
    their staging folders)."""
    _install_cleanup_hooks()
    name = os.fspath(path)
    _LIVE_TEMPS.add(name)
    try:
        yield
    finally:
        _LIVE_TEMPS.discard(name)


def _on_signal(signum: int, frame: object) -> None:
    """Remove our temp files, then die of the same signal as before."""
    _remove_live_temps()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_cleanup_hooks() -> None:
    """atexit plus SIGTERM/SIGHUP handlers (only where nobody set one), so a
    killed export never leaves ``.NAME.PID.xxxx.tmp`` files behind."""
    global _hooks_installed
    with _HOOKS_LOCK:
        if _hooks_installed:
            return
        _hooks_installed = True
        atexit.register(_remove_live_temps)
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(ValueError, OSError):
                if signal.getsignal(signum) == signal.SIG_DFL:
                    signal.signal(signum, _on_signal)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _names_a_descriptor(name: str) -> bool:
    """Whether *name*, or a link on the way to its target, is an open file
    descriptor (``/dev/stderr`` -> ``/proc/self/fd/2`` -> the terminal, a pipe
    or the file stderr was redirected to)."""
    for _ in range(40):
        if _FD_PATH.match(name) or name in _STD_STREAMS:
            return True
        try:
            link = os.readlink(name)
        except OSError:
            return False
        name = os.path.normpath(os.path.join(os.path.dirname(name), link))
    return False


def is_stream_path(path: str | os.PathLike[str]) -> bool:
    """True when *path* must be written straight through, not replaced: a
    FIFO, character device, socket, or an open descriptor (``/dev/fd/N`` from
    process substitution, ``/dev/stderr``) even when it leads to a file."""
    name = os.fspath(path)
    if _names_a_descriptor(name):
        return True
    try:
        mode = os.stat(name).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


class _NamedWriter:
    """A file object whose write errors name the file (``disk full`` alone
    does not tell a user which of three outputs failed)."""

    def __init__(self, fh: IO[Any], name: str) -> None:
        self._fh = fh
        self._name = name

    def _fail(self, exc: OSError) -> MlcorpusError:
        return write_error(self._name, exc)

    def write(self, data: Any) -> int:
        try:
            return self._fh.write(data)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            raise self._fail(exc) from None

    def writelines(self, lines: Iterable[Any]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._fh.flush()
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            raise self._fail(exc) from None

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._fh, attr)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._fh)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Write the regular file *path*: the file appears (or is replaced) only
    if the block succeeds; on any exit the temp file is removed.

    A symlink is kept and its target replaced; an existing file keeps its
    permission bits.  Streaming-friendly: the block writes as results come.
    Special files are written straight through (see :func:`open_output`)."""
    if is_stream_path(path):
        with _stream_output(path, mode) as fh:
            yield fh
        return
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        old_mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
        _install_cleanup_hooks()
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=_TEMP_SUFFIX, dir=target.parent
        )
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    _LIVE_TEMPS.add(tmp)
    try:
        raw = os.fdopen(fd, "wb" if "b" in mode else "w", **_text_kwargs(mode))
        writer = _NamedWriter(raw, str(path))
        with _closing(raw):
            yield cast(IO[Any], writer)
            writer.flush()
            try:
                os.fsync(raw.fileno())
            except OSError as exc:
                raise writer._fail(exc) from None
        # mkstemp creates 0600 files: keep the old file's mode, else the umask default
        os.chmod(tmp, old_mode if old_mode is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        _LIVE_TEMPS.discard(tmp)


@contextlib.contextmanager
def _closing(raw: IO[Any]) -> Iterator[None]:
    """Close *raw* after the block; when the block failed, a second write
    error from flushing the rest of the buffer must not hide the first."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            raw.close()
        raise
    raw.close()


def _text_kwargs(mode: str) -> dict[str, Any]:
    return {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}


@contextlib.contextmanager
def _stream_output(path: str | os.PathLike[str], mode: str) -> Iterator[IO[Any]]:
    """Write straight into a FIFO, device, socket or inherited descriptor."""
    name = os.fspath(path)
    binary = "wb" if "b" in mode else "w"
    try:
        if stat.S_ISSOCK(os.stat(name).st_mode):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(name)
            raw: IO[Any] = sock.makefile("wb")
            sock.close()  # the file object keeps the connection open
            if "b" not in mode:
                raw = io.TextIOWrapper(cast(IO[bytes], raw), **_text_kwargs(mode))
        else:
            if stat.S_ISREG(os.stat(name).st_mode):  # a descriptor to a file (2>>log):
                binary = binary.replace("w", "a")  # add to it, never truncate it
            raw = open(name, binary, **_text_kwargs(mode))  # noqa: SIM115
    except OSError as exc:
        raise OutputError(f"{name}: cannot write ({exc.strerror or exc})") from None
    writer = _NamedWriter(raw, name)
    with _closing(raw):
        yield cast(IO[Any], writer)
        writer.flush()


@contextlib.contextmanager
def open_output(path: str | os.PathLike[str] | None, mode: str = "w") -> Iterator[IO[Any]]:
    """Where a command's output goes: stdout for ``None``/``-``; a regular
    file written atomically; a FIFO, device, socket or ``/dev/fd/N`` written
    straight through.  Yields a stream the caller writes to as results come."""
    if path is None or os.fspath(path) == "-":
        out = sys.stdout.buffer if "b" in mode else sys.stdout
        yield out
        out.flush()
        return
    with atomic_write(path, mode) as fh:
        yield fh


def remove_stale_temps(folder: str | os.PathLike[str], *, min_age: float = 600.0) -> list[Path]:
    """Remove the temp files that killed mlcorpus processes left in *folder*.

    A temp file carries its writer's pid; it is stale when that process is
    gone (or, for the older pid-less names, when it is older than *min_age*
    seconds).  Returns what was removed."""
    removed: list[Path] = []
    root = Path(folder)
    if not root.is_dir():
        return removed
    now = time.time()
    for entry in root.iterdir():
        if not entry.name.startswith(".") or not entry.name.endswith(_TEMP_SUFFIX):
            continue
        m = _TEMP_NAME.match(entry.name)
        try:
            if m is not None:
                stale = not pid_alive(int(m["pid"]))
            elif _LEGACY_TEMP_NAME.match(entry.name):
                stale = now - entry.lstat().st_mtime > min_age
            else:
                continue
            if stale and entry.is_file() and str(entry) not in _LIVE_TEMPS:
                entry.unlink()
                removed.append(entry)
        except OSError:
            continue
    return removed


def pid_alive(pid: int) -> bool:
    """Whether process *pid* still runs (leftovers of dead ones may go)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -------------------------------------------------------- input != output


def _identity(path: str) -> tuple[str, tuple[int, int] | None]:
    real = os.path.realpath(path)
    try:
        st = os.stat(path)
    except OSError:
        return real, None
    return real, (st.st_dev, st.st_ino)


def refuse_clobber(
    outputs: Iterable[tuple[str, str | os.PathLike[str] | None]],
    inputs: Iterable[str | os.PathLike[str] | None],
) -> None:
    """Raise ``-o would overwrite the input FILE`` when an output resolves to
    one of *inputs* (same real path, or the same inode: hard links count).

    *outputs* are ``(option, path)`` pairs such as ``("-o", "out.tsv")``;
    ``None``/``-`` and special files (pipes, devices: written through, never
    replaced) are not checked.  Inputs may include the workspace and the
    glossary; a SQLite workspace's ``-wal``/``-shm`` files are covered."""
    known: list[tuple[str, str, tuple[int, int] | None]] = []
    for source in inputs:
        if source is None or os.fspath(source) == "-":
            continue
        name = os.fspath(source)
        for extra in ("", "-wal", "-shm") if name.endswith(".sqlite") else ("",):
            known.append((name, *_identity(name + extra)))
    for option, out in outputs:
        if out is None or os.fspath(out) == "-" or is_stream_path(out):
            continue
        real, ident = _identity(os.fspath(out))
        for name, in_real, in_ident in known:
            if real == in_real or (ident is not None and ident == in_ident):
                raise InputError(f"{option} would overwrite the input {name}")


def inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """True when *path* is *folder* or lies below it (real paths)."""
    p, f = os.path.realpath(path), os.path.realpath(folder)
    return p == f or p.startswith(f.rstrip(os.sep) + os.sep)


def write_error(path: str | os.PathLike[str], exc: OSError) -> MlcorpusError:
    """A one-line error for a failed write that names the file."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"{path}: cannot write: disk full (any previous file is unchanged)")
    return OutputError(f"{path}: cannot write ({exc.strerror or exc})")


# ------------------------------------------------------ spreadsheet formulas

#: A CSV cell starting with one of these is run as a formula by spreadsheet
#: programs (OWASP "CSV injection"): ``=HYPERLINK(...)``, ``@SUM(...)``...
FORMULA_START = "=+-@\t\r"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_formula_guard() -> bool:
    """On unless ``MLCORPUS_CSV_FORMULAS=keep`` (documented in README)."""
    return os.environ.get("MLCORPUS_CSV_FORMULAS", "").strip().lower() != "keep"


def _formula_like(cell: str) -> bool:
    body = cell.lstrip("'")
    return bool(body) and body[0] in FORMULA_START and _NUMBER.fullmatch(body) is None


def csv_cell(value: object) -> object:
    """A CSV cell made safe to open in a spreadsheet: text that would start a
    formula gets a leading ``'`` (the OWASP advice); numbers such as ``-0.5``
    stay numbers.  :func:`csv_text` undoes it, so mlcorpus reads back exactly
    what it wrote (a cell that already started with quotes gets one more)."""
    if isinstance(value, str) and _formula_like(value) and csv_formula_guard():
        return "'" + value
    return value


def csv_text(cell: str) -> str:
    """The text of a CSV cell written by :func:`csv_cell`."""
    if cell.startswith("'") and _formula_like(cell[1:]):
        return cell[1:]
    return cell


class _GuardedWriter:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([csv_cell(c) for c in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str], **kwargs: Any) -> _GuardedWriter:
    """``csv.writer`` whose cells pass through :func:`csv_cell`: every CSV
    mlcorpus writes (corpora, scores, segment scores, glossaries) is safe to
    open in Excel or LibreOffice."""
    import csv

    return _GuardedWriter(csv.writer(out, **kwargs))
