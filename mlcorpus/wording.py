"""Counts and plain-text tables as people read them.

"1 segment", "2 segments", never "1 segments" or "segment(s)"; table columns
padded to their widest cell and no line ending in spaces.  Every message of
the toolkit that counts or tabulates goes through here so they all read the
same.
"""

from __future__ import annotations

from collections.abc import Sequence


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count word`` with *word* in the plural unless *count* is 1.

    >>> plural(1, "segment"), plural(3, "entry", "entries"), plural(0, "bead")
    ('1 segment', '3 entries', '0 beads')
    """
    return f"{count} {word if count == 1 else (many or word + 's')}"


def text_table(
    rows: Sequence[Sequence[str]], right: Sequence[int] = (), gap: str = "  "
) -> list[str]:
    """*rows* (the first may be a header) as aligned lines; columns in
    *right* are right-aligned (numbers), and lines carry no trailing spaces.

    >>> text_table([["stage", "done"], ["align", "2"]], right=[1])
    ['stage  done', 'align     2']
    """
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append(gap.join(cells).rstrip())
    return lines


def _cut(cell: str, width: int) -> str:
    return cell if len(cell) <= width else cell[: max(width - 1, 0)] + "…"


def fit_table(rows: Sequence[Sequence[str]], width: int, gap: str = "  ") -> list[str]:
    """:func:`text_table` within *width* characters: the widest columns are
    narrowed (their cells cut with "…") until every line fits, so one long
    cell never pushes the whole table off the screen.

    >>> fit_table([["en", "ru"], ["international migration", "миграция"]], 20)
    ['en          ru', 'internati…  миграция']
    """
    if not rows:
        return []
    n = len(rows[0])
    widths = [max(len(row[i]) for row in rows) for i in range(n)]
    budget = max(width - len(gap) * (n - 1), n * 4)
    while sum(widths) > budget:
        widest = max(range(n), key=lambda i: widths[i])
        widths[widest] = max(4, widths[widest] - max(1, (sum(widths) - budget) // n))
        if all(w == 4 for w in widths):
            break
    return text_table([[_cut(cell, widths[i]) for i, cell in enumerate(row)] for row in rows])
