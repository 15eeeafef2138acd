"""One installed (or unpacked) Argos Translate package, read from its folder.

An Argos package is a folder holding ``metadata.json`` (from_code, to_code,
package_version, optional target_prefix, ...), ``model/`` (a CTranslate2
model) and a tokenizer: ``sentencepiece.model``, or else ``bpe.model``
(subword-nmt codes applied after Moses tokenisation, as in the OPUS-MT ports
of the index) -- the order Argos's ``Package`` checks them in.  Real packages
also carry ``stanza/`` (sentence splitting) and ``README.md``.  Reading the
folder directly keeps the translation path free of ``argostranslate.translate``
and its heavy imports.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from mlcorpus.errors import InputError
from mlcorpus.mt.langcodes import is_language_code

#: bytes read from each end of model.bin for the fingerprint (hashing a whole
#: 100 MB model on every run would cost more than the translation of a page)
_EDGE_BYTES = 1 << 20

#: largest metadata.json read (real ones are a few hundred bytes)
MAX_METADATA_BYTES = 64 << 10

#: first line of the README.md of the toy test packages (scripts/build_test_models.py);
#: ``models list`` marks packages whose README starts with it
TOY_MARKER = "mlcorpus toy test model"


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
    def bpe_model(self) -> Path:
        return self.path / "bpe.model"

    @property
    def tokenizer_kind(self) -> str:
        """``sentencepiece`` or ``bpe``: Argos prefers SentencePiece when both exist."""
        return "sentencepiece" if self.sentencepiece_model.is_file() else "bpe"

    @property
    def tokenizer_file(self) -> Path:
        return (
            self.sentencepiece_model if self.tokenizer_kind == "sentencepiece" else self.bpe_model
        )

    @property
    def is_toy(self) -> bool:
        """True for the project's toy test packages (they only reproduce their
        training pairs; scores with them mean nothing)."""
        readme = self.path / "README.md"
        try:
            with open(readme, encoding="utf-8") as fh:
                return fh.readline().strip().lower().startswith(TOY_MARKER)
        except (OSError, UnicodeDecodeError):
            return False

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
            self.tokenizer_file,
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
        """``translate-FROM_TO@version#fingerprint``: the model part of a cache key;
        it follows the content, not the folder name (real packages carry no
        name of their own, and the same package may be unpacked anywhere)."""
        label = str(
            self.metadata.get("package_name") or f"translate-{self.from_code}_{self.to_code}"
        )
        return f"{label}@{self.version}#{self.fingerprint}"

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())


def read_package(path: str | Path) -> ModelPackage:
    """Read the package folder *path*; raise :class:`InputError` if it is not one."""
    root = Path(path)
    meta_file = root / "metadata.json"
    if not meta_file.is_file():
        raise InputError(f"{root}: not an Argos package folder (no metadata.json)")
    if meta_file.stat().st_size > MAX_METADATA_BYTES:
        raise InputError(
            f"{meta_file}: {meta_file.stat().st_size} bytes, over the {MAX_METADATA_BYTES}-byte "
            "limit for metadata.json; not an Argos package"
        )
    try:
        metadata = json.loads(meta_file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{meta_file}: unreadable metadata.json ({exc})") from None
    if not isinstance(metadata, dict) or "from_code" not in metadata or "to_code" not in metadata:
        raise InputError(f"{meta_file}: metadata.json lacks from_code/to_code")
    for key in ("from_code", "to_code"):
        if not is_language_code(metadata[key]):
            raise InputError(
                f"{meta_file}: {key} {str(metadata[key])[:40]!r} is not an ISO 639-1/639-3 "
                "language code"
            )
    if not (root / "model" / "model.bin").is_file():
        raise InputError(
            f"{root}: Argos package without model/model.bin (only CTranslate2 packages "
            "are supported)"
        )
    if not ((root / "sentencepiece.model").is_file() or (root / "bpe.model").is_file()):
        raise InputError(f"{root}: Argos package without sentencepiece.model or bpe.model")
    return ModelPackage(
        path=root,
        from_code=str(metadata["from_code"]),
        to_code=str(metadata["to_code"]),
        version=str(metadata.get("package_version", "")),
        name=root.name,  # what Argos and `models list/remove` go by
        target_prefix=str(metadata.get("target_prefix") or ""),
        metadata=metadata,
    )
