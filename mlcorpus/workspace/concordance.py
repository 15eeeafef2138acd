"""A glossary entry's concordance over a workspace's aligned corpus.

The corrected alignment is the evidence (human corrections applied, beads
marked as not a translation left out); the matching itself is
:mod:`mlcorpus.glossary.concordance`.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlcorpus.glossary.concordance import Concordance, concordance
from mlcorpus.glossary.model import Entry
from mlcorpus.workspace.edits import corrected_beads
from mlcorpus.workspace.store import Workspace


def _pairs(ws: Workspace) -> Iterator[tuple[tuple[str, int], str, str]]:
    for bead in corrected_beads(ws, "en"):
        if bead["src_ids"] and bead["tgt_ids"] and not bead["excluded"]:
            yield (bead["pair_id"], bead["n"]), bead["src_text"], bead["tgt_text"]


def term_concordance(ws: Workspace, entry: Entry, *, limit: int | None = None) -> Concordance:
    """Every aligned pair whose English side has *entry*'s term; line refs
    are ``(release id, bead number)``."""
    return concordance(entry, _pairs(ws), limit=limit)
