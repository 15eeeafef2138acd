"""One installed (or unpacked) Argos Translate package, read from its folder.

An Argos package is a folder holding ``metadata.json`` (from_code, to_code,
package_version, optional target_prefix, ...), ``model/`` (a CTranslate2
model) and ``sentencepiece.model``.  Reading the folder directly keeps the
translation path free of ``argostranslate.translate`` and its heavy imports.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from mlcorpus.errors import InputError

#: bytes read from each end of model.bin for the fingerprint (hashing a whole
#: 100 MB model on every run would cost more than the translation of a page)
_EDGE_BYTES = 1 << 20


@dataclass(frozen=True)
class ModelPackage:
    """Metadata and file locations of one Argos package folder."""

    path: Path
    from_code: str
    to_code: str
    version: str
    name: str
    target_prefix: str = ""
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def sentencepiece_model(self) -> Path:
        return self.path / "sentencepiece.model"

    @property
    def direction(self) -> str:
        return f"{self.from_code}->{self.to_code}"

    @cached_property
    def fingerprint(self) -> str:
        """A short content hash that changes when the model or vocabulary does,
        wherever the package lives; part of translation-cache keys."""
        digest = hashlib.sha256()
        for part in (
            self.path / "metadata.json",
            self.model_dir / "config.json",
            self.sentencepiece_model,
        ):
            digest.update(part.read_bytes() if part.exists() else b"")
        model_bin = self.model_dir / "model.bin"
        size = model_bin.stat().st_size
        digest.update(str(size).encode())
        with open(model_bin, "rb") as fh:
            digest.update(fh.read(_EDGE_BYTES))
            fh.seek(max(0, size - _EDGE_BYTES))
            digest.update(fh.read(_EDGE_BYTES))
        return digest.hexdigest()[:16]

    @property
    def identity(self) -> str:
        """``name@version#fingerprint``: the model part of a cache key."""
        return f"{self.name}@{self.version}#{self.fingerprint}"

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())


def read_package(path: str | Path) -> ModelPackage:
    """Read the package folder *path*; raise :class:`InputError` if it is not one."""
    root = Path(path)
    meta_file = root / "metadata.json"
    if not meta_file.is_file():
        raise InputError(f"{root}: not an Argos package folder (no metadata.json)")
    try:
        metadata = json.loads(meta_file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{meta_file}: unreadable metadata.json ({exc})") from None
    if (
        not isinstance(metadata, dict)
        or not metadata.get("from_code")
        or not metadata.get("to_code")
    ):
        raise InputError(f"{meta_file}: metadata.json lacks from_code/to_code")
    for needed in ("model/model.bin", "sentencepiece.model"):
        if not (root / needed).is_file():
            raise InputError(
                f"{root}: Argos package without {needed} "
                "(only CTranslate2 + SentencePiece packages are supported)"
            )
    return ModelPackage(
        path=root,
        from_code=str(metadata["from_code"]),
        to_code=str(metadata["to_code"]),
        version=str(metadata.get("package_version", "")),
        name=str(metadata.get("package_name") or root.name),
        target_prefix=str(metadata.get("target_prefix") or ""),
        metadata=metadata,
    )
