"""`mlcorpus score` on small files: output formats, segment files, bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sacrebleu
from click.testing import CliRunner

from mlcorpus.cli import main

REF = [
    "The ministers met in Moscow on Monday.",
    "Migration was the main topic of the talks.",
    "The organisation will open a new office.",
    "Officials discussed human trafficking and readmission.",
]
HYP_A = [
    "Ministers met in Moscow on Monday.",
    "Migration was the main subject of talks.",
    "The organization opens a new office.",
    "Officials talked about trafficking in persons.",
]
HYP_B = [
    "The ministers met in Moscow on Monday.",
    "The main topic of the talks was migration.",
    "A new office will be opened by the organisation.",
    "Officials discussed human trafficking and readmission.",
]


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, lines in (("ref", REF), ("sysA", HYP_A), ("sysB", HYP_B)):
        out[name] = tmp_path / f"{name}.en"
        out[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["score", *args], input=input)


def test_json_single_system_has_contract_keys(files: dict[str, Path]) -> None:
    result = run("--hyp", str(files["sysA"]), "--ref", str(files["ref"]), "--format", "json")
    assert result.exit_code == 0, result.output
    (data,) = json.loads(result.output)  # a list, one object per system, however many
    assert {"bleu", "chrf", "chrfpp", "ter", "signatures"} <= set(data)
    assert data["system"] == "sysA"
    assert data["bleu"] == sacrebleu.corpus_bleu(HYP_A, [REF]).score
    assert data["ter"] == sacrebleu.corpus_ter(HYP_A, [REF]).score
    assert data["chrfpp"] == sacrebleu.corpus_chrf(HYP_A, [REF], word_order=2).score
    assert set(data["signatures"]) == {"bleu", "chrf", "chrfpp", "ter"}
    assert "term_accuracy" not in data


def test_json_several_systems_one_entry_each(files: dict[str, Path]) -> None:
    result = run(
        "-i",
        str(files["sysA"]),
        "-i",
        str(files["sysB"]),
        "-r",
        str(files["ref"]),
        "--format",
        "json",
        "--metrics",
        "bleu,chrf",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["system"] for d in data] == ["sysA", "sysB"]
    assert all(set(d) == {"system", "file", "bleu", "chrf", "signatures"} for d in data)
    assert data[1]["chrf"] > data[0]["chrf"]


def test_text_output_and_output_file(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "scores.txt"
    result = run(
        "-i", str(files["sysA"]), "-i", str(files["sysB"]), "-r", str(files["ref"]), "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    header = text.splitlines()[0].split()
    assert header == ["System", "BLEU", "chrF", "chrF++", "TER"]
    assert text.splitlines()[2].startswith("sysA")
    assert "nrefs:1|case:mixed|eff:no|tok:13a" in text
    bleu_b = sacrebleu.corpus_bleu(HYP_B, [REF]).score
    assert f"{bleu_b:.2f}" in text.splitlines()[3]


def test_csv_and_markdown(files: dict[str, Path]) -> None:
    args = [
        "-i",
        str(files["sysA"]),
        "-i",
        str(files["sysB"]),
        "-r",
        str(files["ref"]),
        "--metrics",
        "chrf,ter",
    ]
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").output)))
    assert [r["system"] for r in rows] == ["sysA", "sysB"]
    assert float(rows[0]["chrf"]) == sacrebleu.corpus_chrf(HYP_A, [REF]).score
    md = run(*args, "--format", "markdown", "-w", "1").output.splitlines()
    assert md[0] == "| System | chrF | TER |"
    assert md[1] == "|:---|---:|---:|"
    assert (
        md[2] == f"| sysA | {sacrebleu.corpus_chrf(HYP_A, [REF]).score:.1f} | "
        f"{sacrebleu.corpus_ter(HYP_A, [REF]).score:.1f} |"
    )
    assert any(line.startswith("- `chrF: nrefs:1") for line in md)


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_segment_file(files: dict[str, Path], tmp_path: Path, suffix: str) -> None:
    seg = tmp_path / f"segments.{suffix}"
    result = run(
        "-i",
        str(files["sysA"]),
        "-i",
        str(files["sysB"]),
        "-r",
        str(files["ref"]),
        "--metrics",
        "bleu,chrf,ter",
        "--segments",
        str(seg),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    if suffix == "csv":
        records = list(csv.DictReader(seg.open(encoding="utf-8")))
    else:
        records = [json.loads(line) for line in seg.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2 * len(REF)
    assert list(records[0]) == ["system", "line", "chrf", "bleu", "ter"]
    for rec in records:
        hyps = HYP_A if rec["system"] == "sysA" else HYP_B
        i = int(rec["line"]) - 1  # 1-based, as people count lines
        assert float(rec["chrf"]) == pytest.approx(
            sacrebleu.sentence_chrf(hyps[i], [REF[i]]).score, abs=1e-9
        )
        assert float(rec["bleu"]) == pytest.approx(
            sacrebleu.sentence_bleu(hyps[i], [REF[i]]).score, abs=1e-9
        )
    exact = [r for r in records if r["system"] == "sysB" and int(r["line"]) == 1]
    assert float(exact[0]["chrf"]) == 100.0


def test_stdin_hypothesis(files: dict[str, Path]) -> None:
    result = run(
        "-i",
        "-",
        "-r",
        str(files["ref"]),
        "--format",
        "json",
        "--metrics",
        "chrf",
        input="\n".join(HYP_B) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["chrf"] == sacrebleu.corpus_chrf(HYP_B, [REF]).score


def _error(result) -> str:
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_line_count_mismatch_names_files_and_counts(files: dict[str, Path], tmp_path: Path) -> None:
    short = tmp_path / "short.en"
    short.write_text("one line\n", encoding="utf-8")
    out = tmp_path / "never.json"
    msg = _error(run("-i", str(short), "-r", str(files["ref"]), "-o", str(out)))
    assert "short.en has 1 lines" in msg and "ref.en has 4" in msg
    assert not out.exists()


def test_bad_files_give_one_line_errors(files: dict[str, Path], tmp_path: Path) -> None:
    empty = tmp_path / "empty.en"
    empty.write_text("\n\n", encoding="utf-8")
    assert "empty.en: file is empty" in _error(run("-i", str(empty), "-r", str(files["ref"])))
    binary = tmp_path / "model.bin"
    binary.write_bytes(b"\x00\x01\x02binary" * 50)
    assert "binary" in _error(run("-i", str(binary), "-r", str(files["ref"])))
    garbled = tmp_path / "garbled.en"
    garbled.write_bytes("caf\u00e9 na\u00efve r\u00e9sum\u00e9\n".encode("latin-1") * 4)
    msg = _error(run("-i", str(garbled), "-r", str(files["ref"])))
    assert "garbled.en" in msg and "UTF-8" in msg
    assert "no such file" in _error(run("-i", str(tmp_path / "nope"), "-r", str(files["ref"])))


def test_usage_errors(files: dict[str, Path]) -> None:
    base = ["-i", str(files["sysA"]), "-r", str(files["ref"])]
    assert run(*base, "--metrics", "bleu,meteor").exit_code == 2
    assert "--glossary needs --src" in run(*base, "--glossary", "g.tsv").output
    one = run(*base, "--paired-bs")
    assert one.exit_code == 2 and "two or more --hyp" in one.output


def test_paired_bootstrap_table(files: dict[str, Path]) -> None:
    result = run(
        "-i",
        str(files["sysA"]),
        "-i",
        str(files["sysB"]),
        "-r",
        str(files["ref"]),
        "--metrics",
        "chrf",
        "--paired-bs",
        "--paired-n",
        "200",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    base, other = json.loads(result.output)
    assert base["baseline"] is True and base["comparison"]["chrf"]["p_value"] is None
    assert other["baseline"] is False
    assert 0 < other["comparison"]["chrf"]["p_value"] <= 1
    assert other["comparison"]["chrf"]["ci"] >= 0
    assert "bs:200" in other["signatures"]["chrf"]


def test_score_command_imports_stay_light() -> None:
    """Loading the command, the metrics API and the renderers imports no heavy library."""
    import subprocess
    import sys

    code = (
        "import sys, mlcorpus.cli.score, mlcorpus.metrics, mlcorpus.report.html, "
        "mlcorpus.report.markdown, mlcorpus.report.segments; "
        "print(sorted(m for m in ('sacrebleu', 'numpy', 'pandas', 'torch') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_document_scores_from_unpc_ids(dev_data: Path, tmp_path: Path) -> None:
    """UNPC's .ids file names each line's document; every document is scored on its own."""
    folder = dev_data / "unpc"
    ref = (folder / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()[:120]
    ids = (folder / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines()[:120]
    docs = [line.split()[0] for line in ids]
    first = docs[0]
    # the first document translated perfectly, the others with their words reversed
    hyp = [
        r if d == first else " ".join(reversed(r.split())) for r, d in zip(ref, docs, strict=True)
    ]
    paths = {}
    for name, lines in (("ref.en", ref), ("hyp.en", hyp), ("docs.ids", ids)):
        paths[name] = tmp_path / name
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    seg = tmp_path / "segments.csv"
    result = run(
        "-i",
        str(paths["hyp.en"]),
        "-r",
        str(paths["ref.en"]),
        "--metrics",
        "chrf,bleu",
        "--docs",
        str(paths["docs.ids"]),
        "--segments",
        str(seg),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    documents = json.loads(result.output)[0]["documents"]
    assert list(documents) == list(dict.fromkeys(docs))
    assert len(documents) > 3
    assert documents[first]["chrf"] == 100.0
    for doc, scores in documents.items():
        idx = [i for i, d in enumerate(docs) if d == doc]
        part_h, part_r = [hyp[i] for i in idx], [ref[i] for i in idx]
        assert scores["chrf"] == sacrebleu.corpus_chrf(part_h, [part_r]).score
        assert scores["bleu"] == sacrebleu.corpus_bleu(part_h, [part_r]).score
        assert scores["segments"] == len(idx)
        if doc != first:
            assert scores["chrf"] < 100
    rows = list(csv.DictReader(seg.open(encoding="utf-8")))
    assert [r["document"] for r in rows] == docs
    short = tmp_path / "short.ids"
    short.write_text("\n".join(ids[:10]) + "\n", encoding="utf-8")
    msg = _error(run("-i", str(paths["hyp.en"]), "-r", str(paths["ref.en"]), "--docs", str(short)))
    assert "short.ids has 10 lines" in msg


def test_document_scores_in_text_and_markdown(tmp_path: Path) -> None:
    """--docs is not only for JSON: the tables people read list every document too."""
    ref = ["The meeting was held.", "Two states met.", "They agreed.", "A plan was adopted."]
    hyp = ["The meeting was held.", "Two states met.", "agreed They.", "adopted plan A was."]
    docs = ["doc-a", "doc-a", "doc-b", "doc-b"]
    paths = {}
    for name, lines in (("ref.en", ref), ("hyp.en", hyp), ("docs.ids", docs)):
        paths[name] = tmp_path / name
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = [
        "-i",
        str(paths["hyp.en"]),
        "-r",
        str(paths["ref.en"]),
        "--docs",
        str(paths["docs.ids"]),
    ]
    text = run(*args, "--metrics", "chrf")
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    start = lines.index("Documents of hyp:")
    assert lines[start + 1].split() == ["Document", "Segments", "chrF"]
    doc_a = lines[start + 3].split()
    doc_b = lines[start + 4].split()
    assert doc_a == ["doc-a", "2", "100.00"]
    chrf_b = sacrebleu.corpus_chrf(hyp[2:], [ref[2:]]).score
    assert doc_b == ["doc-b", "2", f"{chrf_b:.2f}"]
    markdown = run(*args, "--metrics", "chrf", "--format", "markdown").stdout
    assert "| doc-a | 2 | 100.00 |" in markdown


def test_progress_advances_per_system(files: dict[str, Path]) -> None:
    """The bar counts each system (and the comparison) as it is done, not 0/N till the end."""
    from mlcorpus.metrics.scoring import score_systems

    seen: list[int] = []

    def progress(steps):  # the library's progress hook, as the CLI's bar uses it
        for n, step in enumerate(steps):
            seen.append(n)
            yield step

    report = score_systems(
        [("a", HYP_A), ("b", HYP_B)], [REF], ["chrf"], paired="bs", n_samples=50, progress=progress
    )
    assert seen == [0, 1, 2] and report.comparison is not None
    bar = run(
        "-i", str(files["sysA"]), "-i", str(files["sysB"]), "-r", str(files["ref"]), "--progress"
    )
    assert bar.exit_code == 0 and "Scoring" in bar.stderr


def test_tokenizers_are_sacrebleus_own(files: dict[str, Path]) -> None:
    """--tokenize accepts exactly the tokenizers of the installed sacrebleu."""
    from sacrebleu.metrics.bleu import BLEU as SacreBLEU

    base = ("-i", str(files["sysA"]), "-r", str(files["ref"]), "--format", "json")
    result = run(*base, "--tokenize", "char", "--metrics", "bleu")
    assert result.exit_code == 0, result.output
    expected = sacrebleu.corpus_bleu(HYP_A, [REF], tokenize="char")
    assert json.loads(result.stdout)[0]["bleu"] == expected.score
    wrong = run(*base, "--tokenize", "nonsense")
    assert wrong.exit_code != 0
    assert ", ".join(SacreBLEU.TOKENIZERS) in wrong.output  # the whole list, spBLEU-1K too


def test_metric_titles_come_from_one_table() -> None:
    from mlcorpus.metrics import METRICS, TERM_ACCURACY, metric_title
    from mlcorpus.workspace.report import SCORE_COLUMNS

    assert [metric_title(k) for k in METRICS] == ["BLEU", "chrF", "chrF++", "TER"]
    assert metric_title(TERM_ACCURACY) == "Terms"
    assert SCORE_COLUMNS == (*METRICS, TERM_ACCURACY)
