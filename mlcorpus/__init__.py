"""mlcorpus: offline English-Russian translation and multilingual corpus toolkit.

The top-level package stays light on purpose: importing it (or running
``mlcorpus --help``) must never pull in torch, stanza, spaCy or
``argostranslate.translate``.  Heavy modules are imported lazily by the
functions that need them.
"""

from __future__ import annotations

__version__ = "0.1.0"

from mlcorpus.errors import MlcorpusError
from mlcorpus.release import Release, read_release
from mlcorpus.segment import segment_paragraph, segment_paragraphs, segment_text

__all__ = [
    "MlcorpusError",
    "Release",
    "__version__",
    "read_release",
    "segment_paragraph",
    "segment_paragraphs",
    "segment_text",
]
