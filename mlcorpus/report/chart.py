"""An inline SVG chart of segment-score distributions, one row per system.

Each row is a small histogram (5-point bins) with a box plot on top:
whiskers from the 10th to the 90th percentile, the box from the first to the
third quartile, a line at the median and a dot at the mean.  Plain SVG, no
script and no external resource, so the report stays one offline file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

LABEL_W = 180
PLOT_W = 720
ROW_H = 44
TOP = 34
BOTTOM = 34
BIN = 5.0


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolated quantile of already sorted values (q in 0..1)."""
    if not sorted_values:
        return math.nan
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def _axis_max(series: Sequence[tuple[str, Sequence[float]]]) -> float:
    top = max((max(v) for _, v in series if v), default=100.0)
    return 100.0 if top <= 100 else min(200.0, math.ceil(top / 20) * 20)


def distribution_svg(series: Sequence[tuple[str, Sequence[float]]], metric: str) -> str:
    """SVG markup showing the distribution of *metric* segment scores per system."""
    hi = _axis_max(series)
    height = TOP + ROW_H * len(series) + BOTTOM
    width = LABEL_W + PLOT_W + 20

    def x(v: float) -> float:
        return LABEL_W + PLOT_W * min(max(v, 0.0), hi) / hi

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="Segment-level {escape(metric)} distribution per system">',
        f'<text x="{LABEL_W}" y="18" class="axis-title">segment-level {escape(metric)} '
        f"(histogram of 5-point bins; box: quartiles, whiskers: 10th–90th "
        f"percentile, dot: mean)</text>",
    ]
    for tick in range(0, int(hi) + 1, 20 if hi > 100 else 10):
        tx = x(tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{TOP - 4}" x2="{tx:.1f}" '
            f'y2="{height - BOTTOM + 4}" class="grid"/>'
        )
        parts.append(f'<text x="{tx:.1f}" y="{height - BOTTOM + 20}" class="tick">{tick}</text>')
    nbins = math.ceil(hi / BIN)
    for row, (name, values) in enumerate(series):
        y0 = TOP + row * ROW_H
        mid = y0 + ROW_H / 2
        parts.append(
            f'<text x="{LABEL_W - 10}" y="{mid + 4:.1f}" class="label">{escape(name)}</text>'
        )
        if not values:
            continue
        counts = [0] * nbins
        for v in values:
            counts[min(nbins - 1, max(0, int(min(v, hi) // BIN)))] += 1
        peak = max(counts)
        bar_w = PLOT_W / nbins
        for b, c in enumerate(counts):
            if not c:
                continue
            h = (ROW_H - 8) * c / peak
            parts.append(
                f'<rect x="{LABEL_W + b * bar_w + 0.5:.1f}" y="{y0 + ROW_H - 4 - h:.1f}" '
                f'width="{bar_w - 1:.1f}" height="{h:.1f}" class="bin">'
                f"<title>{escape(name)}: {c} segments in "
                f"{b * BIN:g}–{(b + 1) * BIN:g}</title></rect>"
            )
        s = sorted(values)
        p10, q1, med, q3, p90 = (quantile(s, q) for q in (0.1, 0.25, 0.5, 0.75, 0.9))
        mean = sum(s) / len(s)
        parts.append(
            f'<line x1="{x(p10):.1f}" y1="{mid:.1f}" x2="{x(p90):.1f}" y2="{mid:.1f}" '
            'class="whisker"/>'
        )
        parts.append(
            f'<rect x="{x(q1):.1f}" y="{mid - 7:.1f}" width="{x(q3) - x(q1):.1f}" '
            f'height="14" class="box"><title>{escape(name)}: median {med:.1f}, '
            f"quartiles {q1:.1f}–{q3:.1f}, mean {mean:.1f}</title></rect>"
        )
        parts.append(
            f'<line x1="{x(med):.1f}" y1="{mid - 7:.1f}" x2="{x(med):.1f}" '
            f'y2="{mid + 7:.1f}" class="median"/>'
        )
        parts.append(f'<circle cx="{x(mean):.1f}" cy="{mid:.1f}" r="3.5" class="mean"/>')
    parts.append("</svg>")
    return "\n".join(parts)
