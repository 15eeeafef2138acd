"""Hostile-input table: every safe-I/O case tried as a careful user (or an
attacker) would, through the real ``mlcorpus`` command line, with its outcome.

An outcome is *clean* when it is what mlcorpus promises: either a correct
output (checked, not assumed), or a one-line ``Error: ...`` with a non-zero
exit that says the expected thing, no traceback, the inputs byte-for-byte
unchanged and no temp file left behind.

    python scripts/bench_io.py                       # this checkout
    python scripts/bench_io.py --baseline 5f379c5    # and a baseline revision

With ``--baseline REV`` the same cases run against ``git archive REV`` in the
same run, and the JSON gives both clean ratios.  The last line printed is one
JSON object: ``{"cases": [...], "clean": n, "total": n, "clean_ratio": x, ...}``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EN = "The Collective Security Treaty Organization held a meeting. Members spoke.\n"
RU = "Организация Договора о коллективной безопасности провела встречу. Члены выступили.\n"
SEGMENTED_EN = "The Collective Security Treaty Organization held a meeting.\nMembers spoke.\n"


@dataclass
class Result:
    clean: bool
    outcome: str  # "clean error", "correct output", or what went wrong


class Runner:
    """Runs ``mlcorpus`` from one source tree (this checkout or a baseline)."""

    def __init__(self, tree: Path, work: Path) -> None:
        self.tree = tree
        self.work = work
        self.env = {**os.environ, "PYTHONPATH": str(tree)}

    def cli(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "mlcorpus", *args],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.work,
            timeout=600,
            **kw,
        )

    def python(self, code: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.work,
        )

    def file(self, name: str, data: str | bytes) -> Path:
        path = self.work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return path

    def pristine(self) -> Path:
        """A build of the sample corpus made once, never handed to a case."""
        build = self.work / "pristine-build"
        if not build.exists():
            proc = self.cli("run", str(REPO / "corpus"), "-o", str(build), "--no-translate")
            if proc.returncode != 0:
                raise RuntimeError(proc.stderr)
        return build

    def build(self, name: str) -> Path:
        """A fresh copy of the pristine build for one case (a case may damage it)."""
        build = self.work / name
        shutil.copytree(self.pristine(), build)
        return build


def digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    return h.hexdigest()


def temps(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob(".*.tmp")]


def clean_error(
    proc: subprocess.CompletedProcess, expect: str, untouched: tuple[Path, ...], before: str
) -> Result:
    err = proc.stderr.strip().splitlines()
    if proc.returncode == 0:
        return Result(False, "exit 0 (accepted)")
    if "Traceback" in proc.stderr:
        return Result(False, "traceback")
    errors = [line for line in err if line.startswith("Error: ")]
    if len(errors) != 1 or expect not in errors[0]:
        return Result(False, f"unexpected message: {' / '.join(err)[:160]}")
    if untouched and digest(*untouched) != before:
        return Result(False, "input changed")
    return Result(True, "clean error")


def output(ok: bool, why: str = "wrong output") -> Result:
    return Result(True, "correct output") if ok else Result(False, why)


# ------------------------------------------------------------------ cases

Case = Callable[[Runner], Result]
CASES: list[tuple[str, str, Case]] = []


def case(group: str, name: str) -> Callable[[Case], Case]:
    def register(fn: Case) -> Case:
        CASES.append((group, name, fn))
        return fn

    return register


def refused(r: Runner, args: list[str], victim: Path, expect: str) -> Result:
    before = digest(victim)
    return clean_error(r.cli(*args), expect, (victim,), before)


@case("outputs", "segment -o INPUT")
def _(r: Runner) -> Result:
    src = r.file("a/release.txt", EN)
    return refused(r, ["segment", str(src), "--lang", "en", "-o", str(src)], src, "overwrite")


@case("outputs", "segment -o hard link of INPUT")
def _(r: Runner) -> Result:
    src = r.file("b/release.txt", EN)
    os.link(src, src.parent / "hard.txt")
    args = ["segment", str(src), "--lang", "en", "-o", str(src.parent / "hard.txt")]
    return refused(r, args, src, "overwrite")


@case("outputs", "segment -o symlink to INPUT")
def _(r: Runner) -> Result:
    src = r.file("c/release.txt", EN)
    (src.parent / "link.txt").symlink_to(src)
    args = ["segment", str(src), "--lang", "en", "-o", str(src.parent / "link.txt")]
    return refused(r, args, src, "overwrite")


@case("outputs", "export -o build/workspace.sqlite")
def _(r: Runner) -> Result:
    ws = r.build("build-clobber") / "workspace.sqlite"
    args = ["export", str(ws.parent), "--format", "tsv", "-o", str(ws)]
    return refused(r, args, ws, "overwrite")


@case("outputs", "glossary export -g G --format csv -o G")
def _(r: Runner) -> Result:
    gloss = r.work / "g1.tsv"
    shutil.copy(REPO / "glossary" / "migration.en-ru.tsv", gloss)
    args = ["glossary", "export", "-g", str(gloss), "--format", "csv", "-o", str(gloss)]
    return refused(r, args, gloss, "overwrite")


@case("outputs", "convert IN IN")
def _(r: Runner) -> Result:
    tsv = r.file("d/pairs.tsv", "en\tru\nHello\tПривет\n")
    return refused(r, ["convert", str(tsv), str(tsv)], tsv, "overwrite")


@case("outputs", "score -o REF")
def _(r: Runner) -> Result:
    ref = r.file("e/ref.ru", RU)
    return refused(
        r, ["score", "--hyp", str(ref), "--ref", str(ref), "-o", str(ref)], ref, "overwrite"
    )


@case("outputs", "glossary fix -o HYP")
def _(r: Runner) -> Result:
    src, hyp = r.file("f/src.en", EN), r.file("f/hyp.ru", RU)
    gloss = REPO / "glossary" / "migration.en-ru.tsv"
    args = ["glossary", "fix", "-g", str(gloss), "--src", str(src), "--hyp", str(hyp)]
    return refused(r, [*args, "-o", str(hyp)], hyp, "overwrite")


@case("outputs", "align --format moses -o STEM (writes STEM.en = input)")
def _(r: Runner) -> Result:
    en, ru = r.file("g/text.en", EN), r.file("g/other.ru", RU)
    args = ["align", str(en), str(ru), "--format", "moses", "-o", str(en.parent / "text")]
    return refused(r, args, en, "overwrite")


@case("outputs", "segment -o FIFO (with a reader)")
def _(r: Runner) -> Result:
    src = r.file("h/release.txt", EN)
    fifo = src.parent / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    proc = r.cli("segment", str(src), "--lang", "en", "-o", str(fifo))
    try:
        got, _ = reader.communicate(timeout=30)
    except subprocess.TimeoutExpired:  # nothing ever reached the pipe
        reader.kill()
        reader.communicate()
        return Result(False, "FIFO replaced, the reader got nothing")
    ok = proc.returncode == 0 and got == SEGMENTED_EN and fifo.is_fifo()
    return output(ok, proc.stderr.strip()[-160:] or "FIFO replaced")


@case("outputs", "segment -o SYMLINK (target replaced, link kept)")
def _(r: Runner) -> Result:
    src = r.file("i/release.txt", EN)
    target = r.file("i/real/out.txt", "old\n")
    link = src.parent / "out-link.txt"
    link.symlink_to(target)
    proc = r.cli("segment", str(src), "--lang", "en", "-o", str(link))
    ok = link.is_symlink() and target.read_text(encoding="utf-8") == SEGMENTED_EN
    return output(
        proc.returncode == 0 and ok, "symlink replaced" if not link.is_symlink() else "wrong output"
    )


@case("outputs", "segment -o >(cat) (process substitution, /dev/fd/N)")
def _(r: Runner) -> Result:
    src = r.file("j/release.txt", EN)
    out = src.parent / "captured.txt"
    script = (
        f'"{sys.executable}" -m mlcorpus segment "{src}" --lang en -o >(cat > "{out}"); '
        "rc=$?; wait; exit $rc"
    )
    proc = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=r.env, cwd=r.work
    )
    ok = out.exists() and out.read_text(encoding="utf-8") == SEGMENTED_EN
    return output(proc.returncode == 0 and ok, proc.stderr.strip()[-160:] or "wrong output")


@case("outputs", "segment -o a 'full' character device (disk full)")
def _(r: Runner) -> Result:
    # a private node of /dev/full's device (1, 7): an old mlcorpus that replaces
    # devices must only ever damage this copy, never the system's /dev/full
    src = r.file("k/release.txt", EN)
    dev = src.parent / "full"
    try:
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except OSError:
        return Result(True, "skipped (cannot create a device node here)")
    res = clean_error(r.cli("segment", str(src), "--lang", "en", "-o", str(dev)), str(dev), (), "")
    if res.clean and not dev.is_char_device():
        return Result(False, "device replaced")
    return res


@case("outputs", "segment -o LINK-TO-/proc/self/fd/2 (like /dev/stderr), stderr to a file")
def _(r: Runner) -> Result:
    src = r.file("k2/release.txt", EN)
    log = r.file("k2/log.txt", "earlier line\n")
    inode = log.stat().st_ino
    # a private link like /dev/stderr: an old mlcorpus that replaces the link
    # must only ever damage this copy, never the system's /dev/stderr
    err_link = src.parent / "stderr"
    err_link.symlink_to("/proc/self/fd/2")
    with log.open("a") as err:
        proc = subprocess.run(
            [sys.executable, "-m", "mlcorpus", "segment", str(src), "--lang", "en"]
            + ["-o", str(err_link)],
            stdout=subprocess.PIPE,
            stderr=err,
            env=r.env,
            cwd=r.work,
        )
    ok = log.stat().st_ino == inode and log.read_text(encoding="utf-8") == (
        "earlier line\n" + SEGMENTED_EN
    )
    return output(proc.returncode == 0 and ok, "log file replaced or truncated")


@case("outputs", "run -g BUILD/corpus.en-ru.tsv (glossary under an export's name)")
def _(r: Runner) -> Result:
    build = r.work / "k3"
    build.mkdir()
    gloss = build / "corpus.en-ru.tsv"
    shutil.copy(REPO / "glossary" / "migration.en-ru.tsv", gloss)
    args = ["run", str(REPO / "corpus"), "-o", str(build), "-g", str(gloss), "--no-translate"]
    return refused(r, args, gloss, "overwrite")


@case("outputs", "export killed by SIGTERM mid-write (temp file removed)")
def _(r: Runner) -> Result:
    folder = r.work / "l"
    folder.mkdir()
    code = (
        "import os, signal\n"
        "from mlcorpus.textio import open_output\n"
        f"with open_output({str(folder / 'corpus.tsv')!r}) as fh:\n"
        "    fh.write('half'); fh.flush()\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
    )
    proc = r.python(code)
    left = list(folder.iterdir())
    return output(proc.returncode == -signal.SIGTERM and not left, f"left {[p.name for p in left]}")


@case("outputs", "run cleans stale temp files of killed writers")
def _(r: Runner) -> Result:
    build = r.build("build-stale")
    stale = build / ".corpus.en-ru.tsv.999999999.x1y2z3w4.tmp"
    stale.write_text("half")
    proc = r.cli("run", str(REPO / "corpus"), "-o", str(build), "--no-translate")
    return output(proc.returncode == 0 and not stale.exists(), "stale temp file kept")


@case("outputs", "run CORPUS -o CORPUS/build twice (build folder not read)")
def _(r: Runner) -> Result:
    corpus = r.work / "m" / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    runs = [r.cli("run", str(corpus), "-o", str(corpus / "build"), "--no-translate") for _ in "12"]

    def found(proc: subprocess.CompletedProcess) -> str:
        line = [x for x in proc.stderr.splitlines() if x.startswith("discover")]
        return line[0].split()[1] if line else "?"

    ok = all(p.returncode == 0 for p in runs) and found(runs[0]) == found(runs[1])
    return output(ok, f"releases {found(runs[0])} then {found(runs[1])}")


# ---------------------------------------------------------------- encodings


def utf8_bad() -> bytes:
    return (RU * 3).encode() + b"\xff" + RU.encode()


@case("encodings", "UTF-8 with one bad byte")
def _(r: Runner) -> Result:
    src = r.file("n/bad.ru.txt", utf8_bad())
    proc = r.cli("segment", str(src), "--lang", "ru")
    return clean_error(proc, "line 4, byte offset", (src,), digest(src))


@case("encodings", "UTF-8 cut in the middle of a character")
def _(r: Runner) -> Result:
    src = r.file("n/cut.ru.txt", RU.encode().rstrip(b".\n")[:-1])
    return clean_error(
        r.cli("segment", str(src), "--lang", "ru"), "not valid UTF-8", (src,), digest(src)
    )


@case("encodings", "--encoding utf-8:replace on a bad byte")
def _(r: Runner) -> Result:
    src = r.file("n/bad2.ru.txt", utf8_bad())
    proc = r.cli("segment", str(src), "--lang", "ru", "--encoding", "utf-8:replace")
    return output(proc.returncode == 0 and "\ufffd" in proc.stdout and "Организация" in proc.stdout)


@case("encodings", "cp1251 file detected")
def _(r: Runner) -> Result:
    src = r.file("n/win.ru.txt", (RU * 3).encode("cp1251"))
    proc = r.cli("segment", str(src), "--lang", "ru")
    return output(proc.returncode == 0 and "Организация Договора" in proc.stdout)


@case("encodings", "koi8-r file detected")
def _(r: Runner) -> Result:
    src = r.file("n/koi.ru.txt", (RU * 3).encode("koi8-r"))
    proc = r.cli("segment", str(src), "--lang", "ru")
    return output(proc.returncode == 0 and "Организация Договора" in proc.stdout)


@case("encodings", "UTF-16 with BOM")
def _(r: Runner) -> Result:
    src = r.file("n/u16.en.txt", EN.encode("utf-16"))
    proc = r.cli("segment", str(src), "--lang", "en")
    return output(proc.returncode == 0 and proc.stdout == SEGMENTED_EN, proc.stderr.strip()[-120:])


@case("encodings", "NUL byte after the first 8 KB")
def _(r: Runner) -> Result:
    src = r.file("n/nul.en.txt", (EN * 200).encode() + b"x\x00y\n")
    return clean_error(r.cli("segment", str(src), "--lang", "en"), "NUL", (src,), digest(src))


@case("encodings", "TSV corpus with a bad byte on line 3 (streamed reader)")
def _(r: Runner) -> Result:
    tsv = r.file("n/pairs.tsv", b"en\tru\nHello\t\xd0\x9f\xd1\x80\xd0\xb8\nW\xe9rld\tx\n")
    out = r.work / "n" / "out.jsonl"
    res = clean_error(r.cli("convert", str(tsv), str(out)), "line 3", (tsv,), digest(tsv))
    return Result(False, "output written") if res.clean and out.exists() else res


@case("encodings", "glossary with a bad byte")
def _(r: Runner) -> Result:
    gloss = r.file("n/g.tsv", b"en\tru\nmember states\t\xd0\xb3\xd0\xbe\xff\n")
    proc = r.cli("glossary", "validate", "-g", str(gloss))
    return clean_error(proc, "line 2", (gloss,), digest(gloss))


# --------------------------------------------------------------- workspaces


@case("workspaces", "export of an empty file")
def _(r: Runner) -> Result:
    empty = r.file("o/empty.txt", b"")
    proc = r.cli("export", str(empty), "--format", "tsv")
    res = clean_error(proc, "not an mlcorpus workspace", (empty,), digest(empty))
    extra = [p.name for p in empty.parent.iterdir() if p != empty]
    return Result(False, f"created {extra}") if res.clean and extra else res


@case("workspaces", "export of a foreign SQLite database")
def _(r: Runner) -> Result:
    db = r.work / "o" / "people.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.commit()
    conn.close()
    before = digest(db)
    return clean_error(
        r.cli("export", str(db), "--format", "tsv"), "not an mlcorpus workspace", (db,), before
    )


@case("workspaces", "export from a read-only filesystem")
def _(r: Runner) -> Result:
    build = r.build("ro-build")
    mnt = r.work / "ro-mnt"
    mnt.mkdir()
    out = r.work / "ro.tsv"
    script = (
        f'mount --bind "{build}" "{mnt}" && mount -o remount,ro,bind "{mnt}" || exit 77; '
        f'"{sys.executable}" -m mlcorpus export "{mnt}" --format tsv -o "{out}"'
    )
    proc = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, env=r.env
    )
    if proc.returncode == 77:
        return Result(True, "skipped (no read-only mount here)")
    ok = proc.returncode == 0 and out.exists() and out.read_text(encoding="utf-8").count("\n") > 10
    return output(ok, proc.stderr.strip()[-160:])


def broken_run(r: Runner, name: str, damage: str, expect: str) -> Result:
    build = r.build(name)
    conn = sqlite3.connect(build / "workspace.sqlite")
    conn.execute(damage)
    conn.commit()
    conn.close()
    exports = sorted(build.glob("corpus.*"))
    before = digest(*exports)
    proc = r.cli("run", str(REPO / "corpus"), "-o", str(build), "--no-translate")
    res = clean_error(proc, expect, tuple(exports), before)
    if res.clean and "--rebuild" not in proc.stderr:
        return Result(False, "no rebuild advice")
    return res


@case("workspaces", "run after a table was dropped")
def _(r: Runner) -> Result:
    return broken_run(r, "p1", "DROP TABLE beads", "inconsistent")


@case("workspaces", "run after a table was renamed")
def _(r: Runner) -> Result:
    return broken_run(r, "p2", "ALTER TABLE segments RENAME TO segs", "inconsistent")


@case("workspaces", "run after a column was dropped")
def _(r: Runner) -> Result:
    return broken_run(r, "p3", "ALTER TABLE releases DROP COLUMN source", "inconsistent")


@case("workspaces", "run with a JSON field that is not JSON")
def _(r: Runner) -> Result:
    return broken_run(r, "p4", "UPDATE beads SET src_ids='[1,' WHERE n=2", "not JSON")


@case("workspaces", "run on a workspace with corrupt pages")
def _(r: Runner) -> Result:
    build = r.build("p5")
    ws = build / "workspace.sqlite"
    data = bytearray(ws.read_bytes())
    data[4096 : 3 * 4096] = os.urandom(2 * 4096)
    ws.write_bytes(bytes(data))
    exports = sorted(build.glob("corpus.*"))
    before = digest(*exports)
    proc = r.cli("run", str(REPO / "corpus"), "-o", str(build), "--no-translate")
    return clean_error(proc, "corrupt", tuple(exports), before)


@case("workspaces", "run --rebuild after the error")
def _(r: Runner) -> Result:
    build = r.work / "p1"
    proc = r.cli("run", str(REPO / "corpus"), "-o", str(build), "--no-translate", "--rebuild")
    same = digest(*sorted(build.glob("corpus.*"))) == digest(*sorted(r.pristine().glob("corpus.*")))
    return output(proc.returncode == 0 and same, proc.stderr.strip()[-160:])


@case("workspaces", "run with the workspace file over a size limit (disk full)")
def _(r: Runner) -> Result:
    build = r.work / "q"
    code = (
        "import resource, signal\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))\n"
        "from mlcorpus.cli import main\n"
        f"main(['run', {str(REPO / 'corpus')!r}, '-o', {str(build)!r}, '--no-translate'])\n"
    )
    return clean_error(r.python(code), "workspace.sqlite: cannot write", (), "")


# ------------------------------------------------------------------ smaller


@case("smaller", "report.md with an HTML/Markdown release title")
def _(r: Runner) -> Result:
    from markdown_it import MarkdownIt

    corpus = r.work / "s" / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    en = sorted((corpus / "en").glob("*.txt"))[0]
    rest = en.read_text(encoding="utf-8").split("\n")[1:]
    title = '<img src=x onerror="alert(1)"> [x](javascript:alert(1)) *b* | c'
    en.write_text("\n".join([title, *rest]), encoding="utf-8")
    proc = r.cli("run", str(corpus), "-o", str(r.work / "s" / "build"), "--no-translate")
    html = (
        MarkdownIt("commonmark")
        .enable("table")
        .render((r.work / "s" / "build" / "report.md").read_text(encoding="utf-8"))
    )
    inert = "<img" not in html and 'href="javascript:' not in html and "<em>" not in html
    return output(proc.returncode == 0 and inert, "markup rendered")


@case("smaller", "CSV cell starting with = (formula injection)")
def _(r: Runner) -> Result:
    tsv = r.file("t/pairs.tsv", 'en\tru\n=HYPERLINK("http://x","y")\tссылка\n')
    out = r.work / "t" / "pairs.csv"
    proc = r.cli("convert", str(tsv), str(out))
    with out.open(encoding="utf-8", newline="") as fh:
        cells = [row[0] for row in csv.reader(fh)] if proc.returncode == 0 else []
    ok = cells[1:] == ['\'=HYPERLINK("http://x","y")']
    back = r.cli("convert", str(out), str(r.work / "t" / "back.tsv"))
    same = back.returncode == 0 and (r.work / "t" / "back.tsv").read_bytes() == tsv.read_bytes()
    return output(ok and same, "not guarded" if not ok else "not read back")


@case("smaller", "align keeps U+0085 inside a line")
def _(r: Runner) -> Result:
    en = r.file("u/a.en", "Line one.\nLine two.\nLine three\u0085next.\n")
    ru = r.file("u/a.ru", "Строка один.\nСтрока два.\nСтрока три.\n")
    proc = r.cli("align", str(en), str(ru), "--segmented")
    return output(proc.returncode == 0 and "Line three\u0085next" in proc.stdout)


@case("smaller", "NFD hypothesis matched by the glossary")
def _(r: Runner) -> Result:
    src = r.file("v/src.en", "The Collective Security Treaty Organization met.\n")
    nfd = unicodedata.normalize(
        "NFD", "Организация Договора о коллективной безопасности встретилась.\n"
    )
    hyp = r.file("v/hyp.ru", nfd)
    gloss = REPO / "glossary" / "migration.en-ru.tsv"
    proc = r.cli(
        "glossary",
        "check",
        "-g",
        str(gloss),
        "--src",
        str(src),
        "--hyp",
        str(hyp),
        "--format",
        "json",
    )
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return Result(False, proc.stderr.strip()[-160:])
    hits = data.get("term_hits", data.get("hits"))
    return output(proc.returncode == 0 and hits == 1, f"hits {hits}")


@case("smaller", "glossary term starting with # is an entry")
def _(r: Runner) -> Result:
    gloss = r.file("w/g.tsv", "en\tru\n#MeToo\t#ЯНеБоюсьСказать\n# a comment\n")
    proc = r.cli("glossary", "validate", "-g", str(gloss))
    return output(
        proc.returncode == 0 and "1 entries" in proc.stderr and "1 comment line" in proc.stderr,
        proc.stderr.strip()[-120:],
    )


def run_all(tree: Path) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-io-") as tmp:
        runner = Runner(tree, Path(tmp))
        for group, name, fn in CASES:
            try:
                res = fn(runner)
            except Exception as exc:  # a case that cannot even be set up is not clean
                res = Result(False, f"{type(exc).__name__}: {str(exc)[:120]}")
            rows.append({"group": group, "case": name, "clean": res.clean, "outcome": res.outcome})
            print(
                f"{'ok ' if res.clean else 'BAD'} {group:<10} {name}: {res.outcome}",
                file=sys.stderr,
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="git revision to run the same cases against")
    args = parser.parse_args()
    rows = run_all(REPO)
    clean = sum(r["clean"] for r in rows)
    result: dict = {
        "cases": rows,
        "total": len(rows),
        "clean": clean,
        "clean_ratio": round(clean / len(rows), 3),
    }
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="bench-io-base-") as base:
            archive = subprocess.run(
                ["git", "-C", str(REPO), "archive", args.baseline], capture_output=True, check=True
            )
            subprocess.run(["tar", "-x", "-C", base], input=archive.stdout, check=True)
            base_rows = run_all(Path(base))
        base_clean = sum(r["clean"] for r in base_rows)
        result["baseline"] = {
            "rev": args.baseline,
            "clean": base_clean,
            "clean_ratio": round(base_clean / len(base_rows), 3),
            "not_clean": [r["case"] for r in base_rows if not r["clean"]],
        }
        result["clean_ratio_vs_baseline"] = round(clean / max(base_clean, 1), 2)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
