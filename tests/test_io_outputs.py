"""Outputs: atomic for regular files (symlinks keep their link), straight
through for FIFOs, devices and /dev/fd, no temp file left on any exit the
process can see, stale temps removable, write errors name the file."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mlcorpus.textio import open_output, remove_stale_temps

TEXT = "Mr. Z. Zigic met Mr. N. Bordyuzha. They spoke.\n\nSecond paragraph here.\n"
SEGMENTED = "Mr. Z. Zigic met Mr. N. Bordyuzha.\nThey spoke.\n\nSecond paragraph here.\n"


def run_cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mlcorpus", *args], capture_output=True, text=True, **kw
    )


@pytest.fixture
def release(tmp_path: Path) -> Path:
    path = tmp_path / "release.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_fifo_with_a_reader_stays_a_fifo(tmp_path: Path, release: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    proc = run_cli("segment", str(release), "--lang", "en", "-o", str(fifo), timeout=120)
    reader.join(timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert received == [SEGMENTED]
    assert fifo.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe", "release.txt"]


def test_symlink_output_keeps_the_link_and_replaces_the_target(
    tmp_path: Path, release: Path
) -> None:
    target = tmp_path / "real" / "out.txt"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "out-link.txt"
    link.symlink_to(target)
    proc = run_cli("segment", str(release), "--lang", "en", "-o", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == SEGMENTED
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)  # the file's mode is kept
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]  # no temp left


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is needed for >(...)")
def test_process_substitution_dev_fd(tmp_path: Path, release: Path) -> None:
    out = tmp_path / "captured.txt"
    script = (
        f'"{sys.executable}" -m mlcorpus segment "{release}" --lang en -o >(cat > "{out}"); '
        "rc=$?; wait; exit $rc"
    )
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8") == SEGMENTED


def test_character_device_is_written_through_and_disk_full_names_it(
    tmp_path: Path, release: Path
) -> None:
    # a private node of /dev/full's device (1, 7), so that code which replaces
    # devices could only ever damage this copy, never the system's /dev/full
    dev = tmp_path / "full"
    try:
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except OSError as exc:
        pytest.skip(f"cannot create a device node here ({exc.strerror})")
    proc = run_cli("segment", str(release), "--lang", "en", "-o", str(dev))
    assert proc.returncode != 0
    assert proc.stderr.strip() == (
        f"Error: {dev}: cannot write: disk full (any previous file is unchanged)"
    )
    assert dev.is_char_device()


def test_write_error_names_the_file_and_leaves_no_temp(tmp_path: Path) -> None:
    # a file-size limit makes the write fail the way a full disk does
    out = tmp_path / "big.txt"
    out.write_text("previous\n", encoding="utf-8")
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "from mlcorpus.errors import MlcorpusError\n"
        "from mlcorpus.textio import atomic_write\n"
        "try:\n"
        f"    with atomic_write({str(out)!r}) as fh:\n"
        "        for _ in range(1000):\n"
        "            fh.write('x' * 100 + '\\n')\n"
        "except MlcorpusError as exc:\n"
        "    print(exc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.startswith(f"{out}: cannot write"), proc.stdout + proc.stderr
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["big.txt"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_temp_file_removed_when_killed_by_signal(tmp_path: Path, signum: int) -> None:
    out = tmp_path / "corpus.tsv"
    code = (
        "import os, signal\n"
        "from mlcorpus.textio import open_output\n"
        f"with open_output({str(out)!r}) as fh:\n"
        "    fh.write('half a corpus\\n')\n"
        "    fh.flush()\n"
        f"    os.kill(os.getpid(), {int(signum)})\n"
        "    fh.write('never\\n')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == -signum  # still dies of the signal
    assert list(tmp_path.iterdir()) == []


def test_temp_file_removed_on_keyboard_interrupt(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with pytest.raises(KeyboardInterrupt), open_output(out) as fh:
        fh.write("partial")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_stale_temps_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f".corpus.en-ru.tmx.{int(dead.stdout)}.k3j2h1g0.tmp"
    stale.write_text("half")
    mine = tmp_path / f".report.md.{os.getpid()}.abcdefgh.tmp"
    mine.write_text("being written")
    user = tmp_path / ".notes.tmp"
    user.write_text("not ours")
    assert remove_stale_temps(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, user.name])


def test_killed_writer_leaves_a_temp_that_is_recognised(tmp_path: Path) -> None:
    out = tmp_path / "corpus.tsv"
    code = (
        "import os\n"
        "from mlcorpus.textio import atomic_write\n"
        f"with atomic_write({str(out)!r}) as fh:\n"
        "    fh.write('x'); fh.flush()\n"
        "    os.kill(os.getpid(), 9)\n"
    )
    subprocess.run([sys.executable, "-c", code])
    left = list(tmp_path.iterdir())
    assert len(left) == 1 and left[0].name.startswith(".corpus.tsv.")
    assert remove_stale_temps(tmp_path) == left
    assert list(tmp_path.iterdir()) == []


def test_dev_stderr_redirected_to_a_file_is_appended_not_replaced(
    tmp_path: Path, release: Path
) -> None:
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    inode = log.stat().st_ino
    # a private link like /dev/stderr (-> /proc/self/fd/2): code that replaced
    # the link would only ever damage this copy, never the system's /dev/stderr
    link = tmp_path / "stderr"
    link.symlink_to("/proc/self/fd/2")
    with log.open("a") as err:
        proc = subprocess.run(
            [sys.executable, "-m", "mlcorpus", "segment", str(release), "--lang", "en",
             "-o", str(link)],
            stdout=subprocess.PIPE, stderr=err, text=True,
        )  # fmt: skip
    assert proc.returncode == 0
    assert log.stat().st_ino == inode  # the same file, not a replacement
    assert log.read_text(encoding="utf-8") == "earlier line\n" + SEGMENTED
    assert link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.txt", "release.txt", "stderr"]
