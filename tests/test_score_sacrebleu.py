"""`mlcorpus score` gives exactly the numbers of the sacrebleu command line.

A sample of WMT22 system outputs (EN->RU and RU->EN: two systems, the first
200 segments) is scored by both tools in the same test; every metric is
compared digit for digit, and so are BLEU's offline tokenizers, two
references and lowercasing.  The sacrebleu CLI runs as subprocesses (once for
BLEU, chrF, TER and once for chrF++) while `mlcorpus score` runs in this
process.  Every system on the whole test set, both directions, is compared by
``scripts/bench_score.py`` (its ``parity`` field), which takes minutes because
of sacrebleu's pure-Python TER.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main

WIDTH = 10  # decimals compared: the scores must agree digit for digit
SACREBLEU_KEYS = {"BLEU": "bleu", "chrF2": "chrf", "TER": "ter", "chrF2++": "chrfpp"}


def _sacrebleu(refs: list[Path], hyps: list[Path], *extra: str) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "sacrebleu",
        *map(str, refs),
        "-i",
        *map(str, hyps),
        "-f",
        "json",
        "-w",
        str(WIDTH),
        "-q",
        "--no-color",
        *extra,
    ]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _collect(procs: list[subprocess.Popen]) -> dict[str, dict[str, str]]:
    """sacrebleu's multi-system JSON, merged: file name -> our key -> formatted score."""
    merged: dict[str, dict[str, str]] = {}
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        for entry in json.loads(out):
            row = merged.setdefault(entry["system"], {})
            for name, value in entry.items():
                if name in SACREBLEU_KEYS:
                    row[SACREBLEU_KEYS[name]] = value
    return merged


def _ours(refs: list[Path], hyps: list[Path], *extra: str) -> list[dict]:
    args = ["score", "--format", "json"]
    for r in refs:
        args += ["--ref", str(r)]
    for h in hyps:
        args += ["--hyp", str(h)]
    result = CliRunner().invoke(main, args + list(extra))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return data if isinstance(data, list) else [data]


def _compare(ours: list[dict], theirs: dict[str, dict[str, str]], keys: set[str]) -> None:
    assert len(ours) == len(theirs)
    for system in ours:
        expected = theirs[system["file"]]
        assert set(expected) == keys
        for key, value in expected.items():
            assert f"{system[key]:.{WIDTH}f}" == value, (system["system"], key)


SAMPLE_SYSTEMS = 2
SAMPLE_SEGMENTS = 200


def _head(source: Path, target: Path, lines: int) -> Path:
    text = source.read_text(encoding="utf-8").splitlines(keepends=True)[:lines]
    target.write_text("".join(text), encoding="utf-8")
    return target


@pytest.mark.parametrize("pair", ["en-ru", "ru-en"])
def test_wmt22_systems_match_sacrebleu_cli(dev_data: Path, tmp_path: Path, pair: str) -> None:
    folder = dev_data / "wmt" / "wmt22"
    tgt = pair.split("-")[1]
    every = sorted(folder.glob(f"generaltest2022.{pair}.hyp.*.{tgt}"))
    assert len(every) >= 10
    hyps = [_head(h, tmp_path / h.name, SAMPLE_SEGMENTS) for h in every[:SAMPLE_SYSTEMS]]
    ref_file = folder / f"generaltest2022.{pair}.ref.A.{tgt}"
    ref = _head(ref_file, tmp_path / ref_file.name, SAMPLE_SEGMENTS)
    procs = [
        _sacrebleu([ref], hyps, "-m", "bleu", "chrf", "ter"),
        _sacrebleu([ref], hyps, "-m", "chrf", "--chrf-word-order", "2"),
    ]
    ours = _ours([ref], hyps)
    theirs = _collect(procs)
    _compare(ours, theirs, {"bleu", "chrf", "ter", "chrfpp"})
    # signatures are sacrebleu's own
    assert ours[0]["signatures"]["bleu"].startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    assert "nw:2" in ours[0]["signatures"]["chrfpp"]


def test_multiple_references_and_options_match_sacrebleu_cli(
    dev_data: Path, tmp_path: Path
) -> None:
    """Two references, the intl tokenizer and lowercasing, on the first 100 segments."""
    folder = dev_data / "wmt" / "wmt22"

    def head(name: str) -> Path:
        return _head(folder / name, tmp_path / name, 100)

    refs = [head("generaltest2022.ru-en.ref.A.en"), head("generaltest2022.ru-en.hyp.Online-W.en")]
    hyps = [
        head(f"generaltest2022.ru-en.hyp.{s}.en")
        for s in ("Online-B", "SRPOL")
        if (folder / f"generaltest2022.ru-en.hyp.{s}.en").exists()
    ]
    assert len(hyps) >= 2
    procs = [
        _sacrebleu(
            refs, hyps, "-m", "bleu", "chrf", "ter", "-tok", "intl", "-lc", "--chrf-lowercase"
        ),
        _sacrebleu(refs, hyps, "-m", "chrf", "--chrf-word-order", "2", "--chrf-lowercase"),
    ]
    ours = _ours(refs, hyps, "--tokenize", "intl", "--lowercase")
    theirs = _collect(procs)
    _compare(ours, theirs, {"bleu", "chrf", "ter", "chrfpp"})
    assert ours[0]["signatures"]["bleu"].startswith("nrefs:2|case:lc|eff:no|tok:intl")


@pytest.mark.parametrize("tokenizer", ["char", "none", "zh"])
def test_bleu_tokenizers_match_sacrebleu_cli(
    dev_data: Path, tmp_path: Path, tokenizer: str
) -> None:
    """BLEU's other offline tokenizers (13a and intl are covered above; mecab and
    SentencePiece ones need extra packages or downloaded models)."""
    folder = dev_data / "wmt" / "wmt22"
    ref = _head(folder / "generaltest2022.en-ru.ref.A.ru", tmp_path / "ref.ru", SAMPLE_SEGMENTS)
    hyps = [
        _head(folder / f"generaltest2022.en-ru.hyp.{s}.ru", tmp_path / f"{s}.ru", SAMPLE_SEGMENTS)
        for s in ("Online-B", "Online-G")
    ]
    procs = [_sacrebleu([ref], hyps, "-m", "bleu", "-tok", tokenizer)]
    ours = _ours([ref], hyps, "--metrics", "bleu", "--tokenize", tokenizer)
    _compare(ours, _collect(procs), {"bleu"})
    assert f"tok:{tokenizer}" in ours[0]["signatures"]["bleu"]
