"""The CLI shell: light start-up, help, piping and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import COMMANDS, main

HEAVY = (
    "torch",
    "stanza",
    "spacy",
    "argostranslate.translate",
    "ctranslate2",
    "pandas",
    "starlette",
    "uvicorn",
    "multipart",
    "ray",
)


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from mlcorpus.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('LOADED:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout.strip().splitlines()[-1]
    assert loaded == "LOADED:", f"heavy modules imported by --help: {loaded}"
    assert "segment" in out.stdout


def test_import_mlcorpus_is_light() -> None:
    code = f"import sys, mlcorpus\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mlcorpus", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("mlcorpus, version ")


def test_every_registered_command_has_help() -> None:
    runner = CliRunner()
    for name in COMMANDS:
        if main.get_command(None, name) is None:  # type: ignore[arg-type]
            pytest.fail(f"command {name} is registered but missing")
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output


def test_segment_from_stdin_keeps_paragraphs() -> None:
    text = "Mr. Z. Zigic met Mr. N. Bordyuzha. They spoke.\n\nSecond paragraph here."
    result = CliRunner().invoke(main, ["segment", "-", "--lang", "en"], input=text)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Mr. Z. Zigic met Mr. N. Bordyuzha.\nThey spoke.\n\nSecond paragraph here.\n"
    )


def test_segment_jsonl_to_file(tmp_path: Path) -> None:
    src = tmp_path / "ru.txt"
    src.write_text(
        "Встреча прошла в Москве. Участники обсудили реадмиссию.\n\nИтоги.", encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        main, ["segment", str(src), "--lang", "ru", "--format", "jsonl", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["paragraph"], r["index"]) for r in rows] == [(0, 0), (0, 1), (1, 0)]
    assert rows[1]["text"] == "Участники обсудили реадмиссию."


def _run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlcorpus", *args], capture_output=True, text=True)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "no such file"),
        ("empty", "empty"),
        ("binary", "binary"),
        ("directory", "directory"),
    ],
)
def test_segment_bad_input_one_line_error(tmp_path: Path, setup: str, message: str) -> None:
    target = tmp_path / "input.txt"
    if setup == "empty":
        target.write_text("", encoding="utf-8")
    elif setup == "binary":
        target.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    elif setup == "directory":
        target.mkdir()
    proc = _run(["segment", str(target), "--lang", "en"])
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert proc.stdout == ""


def test_segment_unknown_lang_is_rejected(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Text.", encoding="utf-8")
    proc = _run(["segment", str(src), "--lang", "de"])
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "'de' is not one of" in proc.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any directory")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    src = tmp_path / "secret.txt"
    src.write_text("Text.", encoding="utf-8")
    src.chmod(0)
    proc = _run(["segment", str(src), "--lang", "en"])
    assert proc.returncode != 0 and "permission denied" in proc.stderr


def test_output_is_not_half_written_on_error(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("previous content", encoding="utf-8")
    proc = _run(["segment", str(tmp_path / "missing.txt"), "--lang", "en", "-o", str(out)])
    assert proc.returncode != 0
    assert out.read_text(encoding="utf-8") == "previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_respects_umask(tmp_path: Path) -> None:
    from mlcorpus.textio import atomic_write

    old = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "out.txt") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o644
