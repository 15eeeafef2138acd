"""The self-contained HTML report: structure, escaping, term marks, and a real
render in headless Chromium (skipped when Chromium is not installed)."""

from __future__ import annotations

import re
import shutil
import statistics
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main
from mlcorpus.report.chart import quantile
from mlcorpus.report.html import mark_terms

SRC = [
    "Ministers met in <Moscow> & talked.",
    "Migration was discussed.",
    "A new office opens.",
    "Trafficking in persons is a crime.",
]
REF = [
    "Министры встретились в <Москве> и поговорили.",
    "Обсуждалась миграция.",
    "Открывается новый офис.",
    "Торговля людьми является преступлением.",
]
HYP_A = [
    "Министры встретились в Москве.",
    "Миграция обсуждалась.",
    "Новый офис открыт.",
    "Торговля людьми — преступление.",
]
HYP_B = [
    "Министры встретились в <Москве> и поговорили.",
    "Была обсуждена миграция.",
    "Офис открывается.",
    "Трафик людей это преступление.",
]


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _report(tmp_path: Path, *extra: str) -> str:
    out = tmp_path / "report.html"
    args = [
        "score",
        "-i",
        str(_write(tmp_path, "sysA.ru", HYP_A)),
        "-i",
        str(_write(tmp_path, "sysB.ru", HYP_B)),
        "-r",
        str(_write(tmp_path, "ref.ru", REF)),
        "-s",
        str(_write(tmp_path, "src.en", SRC)),
        "--format",
        "html",
        "-o",
        str(out),
        *extra,
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_report_is_one_offline_file(tmp_path: Path) -> None:
    html = _report(tmp_path)
    assert html.startswith("<!DOCTYPE html>")
    assert html.count('<table class="scores" id="scores">') == 1
    assert html.count("<svg") == 1 and "<script" not in html
    # nothing to fetch: no linked files, images, fonts or stylesheets
    assert not re.search(r"\b(src|href)\s*=|url\(|@import", html)
    # every system in the table, the chart and the worst-segment sections
    for name in ("sysA", "sysB"):
        assert html.count(f"{name}</") >= 3
    assert "nrefs:1|case:mixed|eff:no|tok:13a" in html


def test_worst_segments_side_by_side_and_escaped(tmp_path: Path) -> None:
    html = _report(tmp_path, "--worst", "2", "--metrics", "chrf,bleu")
    sections = html.split("<h3>")[1:]
    assert len(sections) == 2
    for section in sections:
        assert section.count("<tr>") == 1 + 2  # header + 2 worst segments
        assert "<th>Source</th><th>Reference</th><th>Hypothesis</th>" in section
    # user text is escaped, never interpreted as markup
    assert "&lt;Moscow&gt; &amp; talked." in html
    assert "<Moscow>" not in html
    # sysB's worst segment is line 4 (the mistranslated one), listed first
    first_row = sections[1].split("<tr>")[2]
    assert first_row.startswith("<td>4</td>")


def test_best_score_is_highlighted(tmp_path: Path) -> None:
    html = _report(tmp_path, "--metrics", "chrf,ter")
    table = html.split('id="scores"')[1].split("</table>")[0]
    assert table.count('class="best"') == 2  # one per metric column


def test_mark_terms_marks_hits_and_misses() -> None:
    marked = mark_terms("IOM and the CSTO met; iom <agreed>.", ["IOM"], ["CSTO"])
    assert marked.count('<mark class="hit">') == 2  # case-insensitive
    assert '<mark class="miss">CSTO</mark>' in marked
    assert "&lt;agreed&gt;" in marked
    # the longer term wins when terms overlap
    overlap = mark_terms("member states", ["member states"], ["states"])
    assert overlap == '<mark class="hit">member states</mark>'
    assert "empty" in mark_terms("", [], [])


def test_quantiles_interpolate_like_statistics() -> None:
    values = sorted([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0])
    assert quantile(values, 0.5) == statistics.median(values)
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert quantile(values, 0.25) == pytest.approx(q1)
    assert quantile(values, 0.75) == pytest.approx(q3)
    assert (quantile(values, 0.0), quantile(values, 1.0)) == (1.0, 9.0)


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG with the standard library; returns rows of raw bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = color = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 4 if color == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed")
def test_report_renders_in_headless_chromium(dev_data: Path, tmp_path: Path) -> None:
    folder = dev_data / "wmt" / "wmt22"

    def head(name: str) -> Path:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()[:300]
        return _write(tmp_path, name, lines)

    out = tmp_path / "report.html"
    args = [
        "score",
        "-r",
        str(head("generaltest2022.en-ru.ref.A.ru")),
        "-s",
        str(head("generaltest2022.en-ru.src.en")),
        "--metrics",
        "bleu,chrf,chrfpp",
        "--format",
        "html",
        "-o",
        str(out),
    ]
    for system in ("PROMT", "Online-B", "HuaweiTSC"):
        args += ["-i", str(head(f"generaltest2022.en-ru.hyp.{system}.ru"))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output

    flags = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    png = tmp_path / "report.png"
    subprocess.run(
        [*flags, f"--screenshot={png}", "--window-size=1200,1600", out.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    dom = subprocess.run(
        [*flags, "--dump-dom", out.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert '<table class="scores" id="scores">' in dom
    assert dom.count("<tr>") > 3 * 10  # score rows plus the worst segments
    for name in ("PROMT", "Online-B", "HuaweiTSC"):
        assert f"<td>generaltest2022.en-ru.hyp.{name}" in dom

    width, height, rows = _png_pixels(png.read_bytes())
    assert (width, height) == (1200, 1600)
    bpp = len(rows[0]) // width
    colours = set()
    non_white = 0
    for row in rows[::4]:
        for x in range(0, width * bpp, bpp * 2):
            px = row[x : x + 3]
            colours.add(px)
            non_white += px != b"\xff\xff\xff"
    assert len(colours) > 200  # text, table shading, chart colours: not a blank page
    assert non_white > 0.1 * (height // 4) * (width // 2)


GLOSSARY_FILE = Path(__file__).resolve().parent.parent / "glossary" / "migration.en-ru.tsv"


def test_worst_segments_are_not_just_short_lines() -> None:
    from mlcorpus.metrics import score_systems
    from mlcorpus.report.html import render_html

    refs = [
        "Yes.",
        "Thank you.",
        "No comment.",
        "The member states met in Moscow today.",
        "The meeting discussed readmission and irregular migration.",
    ]
    hyps = [
        "No.",
        "Thanks.",
        "Nothing.",
        "The members met in the capital today.",
        "The meeting discussed readmissions and illegal migration.",
    ]
    report = score_systems([("mt", hyps)], refs, ["chrf"], segments=True)
    html = render_html(report, worst=2)
    section = html.split("<h3>mt</h3>")[1]
    lines = re.findall(r"<tr><td>(\d+)</td>", section)
    assert sorted(lines) == ["4", "5"]  # the 1-3-word lines score lower but say little
    everything = render_html(report, worst=5)
    assert len(re.findall(r"<tr><td>\d+</td>", everything)) == 5  # all, when asked for all


def test_release_ids_and_per_release_scores() -> None:
    from mlcorpus.metrics import score_systems
    from mlcorpus.report.html import render_html

    refs = ["The member states met.", "They discussed migration.", "A plan was adopted."]
    hyps = ["The member states met.", "They talked about migration.", "A plan adopted."]
    docs = ["2015-03-02-iom-csto-meeting", "2015-03-02-iom-csto-meeting", "2021-03-17-pub"]
    report = score_systems([("mt", hyps)], refs, ["chrf"], segments=True, doc_ids=docs)
    html = render_html(report, worst=3)
    assert "<h2>Scores per release: mt</h2>" in html
    assert "<td>2021-03-17-pub</td><td>1</td>" in html  # release, segments, chrF
    worst = html.split("<h3>mt</h3>")[1]
    assert "<th>Release</th>" in worst
    assert "<td>2</td><td>2015-03-02-iom-csto-meeting</td>" in worst


def test_russian_source_misses_are_highlighted_like_their_chips() -> None:
    from mlcorpus.metrics import TermChecker, score_systems
    from mlcorpus.report.html import render_html

    src = ["Генеральный секретарь встретился с государствами-членами ОДКБ."]
    ref = ["The Secretary General met the CSTO member states."]
    hyp = ["The Secretary General met the CSTO countries."]
    checker = TermChecker(str(GLOSSARY_FILE), "ru", "en")
    report = score_systems([("mt", hyp)], ref, ["chrf"], sources=src, terms=checker, segments=True)
    html = render_html(report, worst=1, locator=checker)
    row = html.split("<h3>mt</h3>")[1]
    assert '<span class="chip miss">' in row
    assert '<mark class="miss">государствами-членами</mark>' in row
    assert '<mark class="hit">ОДКБ</mark>' in row
    chips = row.count('class="chip ')
    marks = row.split("<td>")[2].split("</td>")[0].count("<mark ")  # the source cell
    assert chips == marks
