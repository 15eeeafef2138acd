"""The workspace layer: one SQLite file holding the state of a corpus build.

Everything that reads or writes a build folder lives here: the store
(:class:`Workspace`), release discovery, the resumable ``run`` pipeline, and the
workspace views used by ``export``, ``report`` and scoring. Other layers hand it
segments, beads and translations; nothing outside this package touches its
SQLite connection.
"""

from __future__ import annotations

from mlcorpus.workspace.discover import ReleasePair, discover_releases
from mlcorpus.workspace.store import SCHEMA_VERSION, BuildLock, Workspace, release_hash

__all__ = [
    "SCHEMA_VERSION",
    "BuildLock",
    "ReleasePair",
    "Workspace",
    "discover_releases",
    "release_hash",
]
