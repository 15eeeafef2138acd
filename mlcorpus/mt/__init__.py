"""Offline machine translation on Argos Translate packages.

``Translator`` (engine), the package registry (list/install/remove) and the
SQLite translation cache.  Importing this package loads neither CTranslate2
nor SentencePiece; a Translator does so when it is created.
"""

from __future__ import annotations

from typing import Any, overload

from mlcorpus.mt.cache import TranslationCache, default_cache_path
from mlcorpus.mt.engine import Translator
from mlcorpus.mt.package import ModelPackage, read_package
from mlcorpus.mt.translate_segments import CachedTranslator, translate_segments

__all__ = [
    "CachedTranslator",
    "ModelPackage",
    "TranslationCache",
    "Translator",
    "default_cache_path",
    "find_translator",
    "read_package",
    "translate_segments",
]


@overload
def find_translator(src: str, tgt: str, model: str, **options: Any) -> Translator: ...
@overload
def find_translator(
    src: str, tgt: str, model: None = None, **options: Any
) -> Translator | None: ...
def find_translator(
    src: str, tgt: str, model: str | None = None, **options: Any
) -> Translator | None:
    """A Translator for *src*->*tgt*, or None when no such model is installed.

    *model* is an installed package name, a package folder or an
    ``.argosmodel`` file; a model given but not found is an error.
    """
    from pathlib import Path

    from mlcorpus.mt.registry import MissingModelError

    if model and (Path(model).exists() or "/" in model or model.endswith(".argosmodel")):
        return Translator.from_path(model, **options)
    try:
        return Translator.from_installed(src, tgt, model, **options)
    except MissingModelError:
        if model:
            raise
        return None
