"""The one inline-markup policy for TMX and XLIFF input: plain text.

Corpora feed MT training, scoring and alignment, which want the words a
reader sees, not a CAT tool's formatting codes.  So every inline element in
a ``<seg>``, ``<source>`` or ``<target>`` is removed and counted by name:

* **code elements** hold native markup (``<ph>&lt;br/&gt;</ph>``,
  ``<bpt>&lt;b&gt;</bpt>``): TMX/XLIFF ``<ph>``, ``<bpt>``, ``<ept>``,
  ``<it>``, ``<ut>``.  Their content is dropped with them (``<sub>`` text
  inside them too).
* **placeholders** are empty elements standing for codes: XLIFF ``<x/>``,
  ``<bx/>``, ``<ex/>``.  Dropped.
* **wrappers** mark up a stretch of real text: XLIFF ``<g>``, ``<mrk>``,
  TMX ``<hi>``, and any element this list does not know.  The tags go, the
  text inside stays.

A TMX ``<tuv>`` may hold one ``<seg>``; when a file has several, their texts
are joined with a space (counted as ``extra-seg``) rather than one being lost.
Readers put the counts in ``ReadStats.inline`` and ``mlcorpus convert``
reports them on stderr, as it reports what the filters dropped.
"""

from __future__ import annotations

CODE_ELEMENTS = frozenset({"ph", "bpt", "ept", "it", "ut"})
PLACEHOLDERS = frozenset({"x", "bx", "ex"})
WRAPPERS = frozenset({"g", "mrk", "hi", "sub"})
EXTRA_SEG = "extra-seg"  # the count key of a <tuv>'s second and later <seg>s


def drops_content(name: str) -> bool:
    """True for elements whose content is native code, removed with the tags."""
    return name in CODE_ELEMENTS or name in PLACEHOLDERS


def summary(counts: dict[str, int]) -> str:
    """``removed inline markup: ph 3, g 2 (text kept)`` for stderr, or ``""``."""
    if not counts:
        return ""
    parts = []
    for name, count in sorted(counts.items()):
        if name == EXTRA_SEG:
            parts.append(f"{count} extra <seg> joined")
        elif drops_content(name):
            parts.append(f"<{name}> {count}")
        else:
            parts.append(f"<{name}> {count} (text kept)")
    return "removed inline markup: " + ", ".join(parts)
