"""The workspace layer: one SQLite file holding the state of a corpus build.

Everything that reads or writes a build folder lives here: the store
(:class:`Workspace`), release discovery, the resumable ``run`` pipeline
(:class:`Pipeline`), and the workspace views used by ``export``, ``report`` and
scoring.  Other layers hand it segments, beads and translations and get them
back through these functions; nothing outside this package touches its SQLite
connection.

The names below are the interface; the submodules are its implementation.
Importing this package stays light (no MT, metrics or pandas until used).
"""

from __future__ import annotations

from mlcorpus.workspace.discover import ReleasePair, discover_releases
from mlcorpus.workspace.export import export_workspace, workspace_units
from mlcorpus.workspace.pipeline import Pipeline, RunOptions, RunSummary, StageStats
from mlcorpus.workspace.report import write_workspace_report
from mlcorpus.workspace.score import score_direction
from mlcorpus.workspace.store import (
    SCHEMA_VERSION,
    BuildLock,
    SegmentRow,
    Workspace,
    release_hash,
)
from mlcorpus.workspace.translate import translate_release

__all__ = [
    "SCHEMA_VERSION",
    "BuildLock",
    "Pipeline",
    "ReleasePair",
    "RunOptions",
    "RunSummary",
    "SegmentRow",
    "StageStats",
    "Workspace",
    "discover_releases",
    "export_workspace",
    "release_hash",
    "score_direction",
    "translate_release",
    "workspace_units",
    "write_workspace_report",
]
