"""Installed Argos packages and the Argos package index: list, install, remove.

Locations follow Argos Translate's own settings (``ARGOS_PACKAGES_DIR`` and
``ARGOS_PACKAGE_INDEX``, from the environment or Argos's settings.json), read
through ``argostranslate.settings`` at call time, so mlcorpus and Argos see the
same packages.  Index entries are parsed with ``argostranslate.package``.

Installing does not call ``argostranslate.package.install_from_path``: that
function imports ``argostranslate.translate`` (stanza, spaCy, torch: seconds
and hundreds of MB) just to clear a cache.  Instead the zip is checked (one
top folder, no path escaping it, a readable package inside) and unpacked into
the same directory layout, then moved into place in one rename.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from mlcorpus.errors import InputError, MlcorpusError
from mlcorpus.mt.package import ModelPackage, read_package

if TYPE_CHECKING:
    from argostranslate.package import AvailablePackage

NETWORK_TIMEOUT_S = 60


class MissingModelError(MlcorpusError):
    """No installed package translates the requested direction."""


def packages_dir() -> Path:
    """Folder Argos installs packages into (``ARGOS_PACKAGES_DIR``)."""
    from argostranslate import settings

    return Path(settings.get_setting("ARGOS_PACKAGES_DIR", default=settings.data_dir / "packages"))


def index_url(override: str | None = None) -> str:
    """URL of the package index JSON.  Like Argos, ``ARGOS_PACKAGE_INDEX`` is the
    base URL that ``index.json`` is appended to; a URL ending in ``.json`` is
    taken as the index itself."""
    from argostranslate import settings

    base = override or settings.get_setting("ARGOS_PACKAGE_INDEX", default=settings.package_index)
    if base.endswith(".json"):
        return base
    return base if base.endswith("/index.json") else base.rstrip("/") + "/index.json"


def installed_packages(directory: Path | None = None) -> list[ModelPackage]:
    """Every readable package folder in the packages directory, by direction."""
    root = directory or packages_dir()
    found = []
    if root.is_dir():
        for child in sorted(root.iterdir()):
            if child.is_dir() and not child.name.startswith("."):
                try:
                    found.append(read_package(child))
                except InputError:
                    continue  # sbd packages, half-removed folders, other tools' data
    return sorted(found, key=lambda p: (p.from_code, p.to_code, p.name))


def _version_key(version: str) -> tuple[int, Any]:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def missing_model_message(src: str, tgt: str) -> str:
    return (
        f"no {src}->{tgt} translation model installed in {packages_dir()}; install one "
        f"with 'mlcorpus models install {src} {tgt}' (online) or "
        "'mlcorpus models install FILE.argosmodel' (from a file)"
    )


def find_installed(src: str, tgt: str, name: str | None = None) -> ModelPackage:
    """The newest installed *src*->*tgt* package (or the one called *name*)."""
    candidates = [p for p in installed_packages() if (p.from_code, p.to_code) == (src, tgt)]
    if name is not None:
        named = [p for p in installed_packages() if name in (p.name, p.path.name)]
        if not named:
            raise MissingModelError(
                f"no installed model named {name!r} in {packages_dir()} "
                "(see 'mlcorpus models list')"
            )
        candidates = [p for p in named if (p.from_code, p.to_code) == (src, tgt)]
        if not candidates:
            raise MlcorpusError(f"model {name!r} translates {named[0].direction}, not {src}->{tgt}")
    if not candidates:
        raise MissingModelError(missing_model_message(src, tgt))
    return max(candidates, key=lambda p: _version_key(p.version))


def archive_top_folder(archive: zipfile.ZipFile, source: Path) -> str:
    """The single top-level folder of a package zip; refuse anything that
    would write outside it."""
    tops = set()
    for member in archive.namelist():
        parts = PurePosixPath(member.replace("\\", "/")).parts
        if not parts or member.startswith("/") or ".." in parts or ":" in parts[0]:
            raise InputError(f"{source}: unsafe path {member!r} in package archive")
        tops.add(parts[0])
    if len(tops) != 1:
        raise InputError(
            f"{source}: an .argosmodel must hold exactly one folder, found {len(tops)}"
        )
    return tops.pop()


def install_file(path: str | Path, directory: Path | None = None) -> ModelPackage:
    """Install the ``.argosmodel`` file *path*; replaces a package of the same name."""
    source = Path(path)
    if not source.is_file():
        raise InputError(f"{source}: no such file")
    if not zipfile.is_zipfile(source):
        raise InputError(f"{source}: not an Argos package (.argosmodel files are zip archives)")
    root = directory or packages_dir()
    root.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as archive:
        top = archive_top_folder(archive, source)
        with tempfile.TemporaryDirectory(dir=root, prefix=".installing-") as tmp:
            archive.extractall(tmp)
            staged = Path(tmp) / top
            read_package(staged)  # refuse broken packages before touching the install
            final = root / top
            if final.exists():
                shutil.rmtree(final)
            os.replace(staged, final)
    return read_package(final)


def fetch_index(url: str | None = None) -> list[AvailablePackage]:
    """Download and parse the package index (a JSON list of package metadata)."""
    from argostranslate.package import AvailablePackage

    where = index_url(url)
    try:
        with urllib.request.urlopen(where, timeout=NETWORK_TIMEOUT_S) as response:
            entries = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise MlcorpusError(
            f"cannot reach the Argos package index {where} ({reason}); "
            "offline, install from a file: "
            "'mlcorpus models install FILE.argosmodel'"
        ) from None
    except ValueError as exc:
        raise MlcorpusError(f"the package index {where} is not valid JSON ({exc})") from None
    if not isinstance(entries, list):
        raise MlcorpusError(f"the package index {where} is not a list of packages")
    return [AvailablePackage(entry) for entry in entries if isinstance(entry, dict)]


def _download(links: list[str], dest: Path) -> None:
    errors = []
    for link in links:
        try:
            with (
                urllib.request.urlopen(link, timeout=NETWORK_TIMEOUT_S) as response,
                open(dest, "wb") as out,
            ):
                shutil.copyfileobj(response, out, 1 << 20)
            return
        except (urllib.error.URLError, OSError) as exc:
            errors.append(f"{link}: {getattr(exc, 'reason', None) or exc}")
    raise MlcorpusError("download failed: " + "; ".join(errors or ["the index lists no link"]))


def install_from_index(src: str, tgt: str, url: str | None = None) -> ModelPackage:
    """Download the newest *src*->*tgt* package listed in the index and install it."""
    offers = [
        p
        for p in fetch_index(url)
        if getattr(p, "type", "translate") == "translate" and (p.from_code, p.to_code) == (src, tgt)
    ]
    if not offers:
        raise MlcorpusError(f"the package index {index_url(url)} has no {src}->{tgt} package")
    best = max(offers, key=lambda p: _version_key(p.package_version))
    root = packages_dir()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".download-") as tmp:
        archive = Path(tmp) / "package.argosmodel"
        _download(list(best.links), archive)
        return install_file(archive, root)


def remove(src: str, tgt: str) -> list[ModelPackage]:
    """Uninstall every *src*->*tgt* package; returns what was removed."""
    doomed = [p for p in installed_packages() if (p.from_code, p.to_code) == (src, tgt)]
    if not doomed:
        raise MlcorpusError(f"no {src}->{tgt} package is installed in {packages_dir()}")
    for package in doomed:
        shutil.rmtree(package.path)
    return doomed
