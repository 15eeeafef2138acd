"""Argos Translate's settings, read the way the installed argostranslate reads them.

argostranslate 1.10 added ``settings.get_setting`` (environment first, then
``~/.config/argos-translate/settings.json``) and ``settings.package_index``;
1.9 reads the environment once at import (``package_data_dir``,
``remote_package_index``, ``device``) and honours the older
``ARGOS_TRANSLATE_PACKAGES_DIR``.  Everything here works with both, and reads
the environment at call time so a changed ``ARGOS_PACKAGES_DIR`` is seen.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"


def get_setting(key: str, default: Any = None) -> Any:
    """*key* from the environment, else (argostranslate >= 1.10) settings.json."""
    value = os.environ.get(key)
    if value is not None:
        return value
    from argostranslate import settings

    getter = getattr(settings, "get_setting", None)
    if getter is not None:
        return getter(key, default)
    return default


def packages_dir() -> Path:
    """Folder Argos installs packages into."""
    from argostranslate import settings

    legacy = os.environ.get("ARGOS_TRANSLATE_PACKAGES_DIR") or os.environ.get(
        "ARGOS_TRANSLATE_PACKAGE_DIR"
    )
    fallback = legacy or getattr(settings, "package_data_dir", settings.data_dir / "packages")
    return Path(get_setting("ARGOS_PACKAGES_DIR", default=fallback)).expanduser()


def index_base() -> str:
    """``ARGOS_PACKAGE_INDEX``: the base URL ``index.json`` is appended to."""
    from argostranslate import settings

    default = getattr(settings, "package_index", None)
    if default is None:  # 1.9: only the full URL is kept
        remote = getattr(settings, "remote_package_index", DEFAULT_INDEX + "index.json")
        default = remote[: -len("index.json")] if remote.endswith("index.json") else remote
    return str(get_setting("ARGOS_PACKAGE_INDEX", default=default))


def device() -> str:
    """``ARGOS_DEVICE_TYPE`` (cpu or cuda; Argos's ``auto`` picks cuda when present)."""
    value = str(get_setting("ARGOS_DEVICE_TYPE", default="cpu")).lower()
    if value == "auto":
        import ctranslate2

        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    return value


def compute_type(default: str = "int8") -> str:
    """``ARGOS_COMPUTE_TYPE`` when set, else *default*."""
    return str(get_setting("ARGOS_COMPUTE_TYPE", default=default))
