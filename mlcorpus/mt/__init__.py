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
    "load_translator",
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


def load_translator(
    src: str,
    tgt: str,
    model: str | None = None,
    *,
    workload: int | None = None,
    batch_size: int | None = None,
    batch_type: str = "examples",
    inter_threads: int | None = None,
    intra_threads: int | None = None,
    **options: Any,
) -> Translator:
    """The Translator for *src*->*tgt* (the installed one, or *model*: a
    package name, folder or ``.argosmodel`` file), with threads chosen for the
    job: *workload* is the number of distinct sentences when the input is
    short, None for a long one (see :func:`~mlcorpus.mt.engine.default_threads`).
    Thread counts given explicitly are kept.  A model for another direction
    is an error.
    """
    from mlcorpus.errors import MlcorpusError
    from mlcorpus.mt.engine import DEFAULT_BATCH_SIZE, default_threads

    per_batch = (
        (batch_size or DEFAULT_BATCH_SIZE) if batch_type == "examples" else DEFAULT_BATCH_SIZE
    )
    auto_inter, auto_intra = default_threads(workload, per_batch)
    options.update(
        batch_type=batch_type,
        inter_threads=inter_threads or auto_inter,
        intra_threads=auto_intra if intra_threads is None else intra_threads,
    )
    if batch_size:
        options["batch_size"] = batch_size
    translator = (
        find_translator(src, tgt, model, **options)
        if model
        else Translator.from_installed(src, tgt, **options)
    )
    package = translator.package
    if (package.from_code, package.to_code) != (src, tgt):
        raise MlcorpusError(
            f"model {package.name} translates {package.direction}, not {src}->{tgt}"
        )
    return translator
