"""Terminology glossary: file formats, EN/RU term matching, enforcement with
Russian inflection, and term accuracy.

Only the light parts are imported here; matching, inflection and the
pymorphy3 analyser load on first use.
"""

from __future__ import annotations

from mlcorpus.glossary.io_tsv import load_glossary, save_glossary
from mlcorpus.glossary.model import Entry, Glossary

__all__ = ["Entry", "Glossary", "load_glossary", "save_glossary"]
