"""Make package variants from a built test package without retraining:
another top folder, other metadata, extra or missing files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path


def repack(
    source: Path,
    dest: Path,
    *,
    top: str | None = None,
    metadata: dict | None = None,
    drop_metadata: tuple[str, ...] = (),
    extra: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Copy the ``.argosmodel`` *source* to *dest*, renaming its folder to *top*,
    updating/removing metadata keys, adding *extra* files (paths inside the
    folder) and leaving out members whose in-folder path is in *drop*."""
    with zipfile.ZipFile(source) as archive:
        old_top = archive.namelist()[0].split("/")[0]
        new_top = top or old_top
        with zipfile.ZipFile(dest, "w", compression) as out:
            for info in archive.infolist():
                inner = info.filename[len(old_top) + 1 :]
                if inner in drop:
                    continue
                if info.is_dir():
                    out.writestr(f"{new_top}/{inner}", b"")
                    continue
                data = archive.read(info)
                if inner == "metadata.json":
                    meta = {**json.loads(data), **(metadata or {})}
                    for key in drop_metadata:
                        meta.pop(key, None)
                    data = json.dumps(meta, indent=2).encode()
                out.writestr(f"{new_top}/{inner}", data)
            for inner, data in (extra or {}).items():
                out.writestr(f"{new_top}/{inner}", data)
    return dest
