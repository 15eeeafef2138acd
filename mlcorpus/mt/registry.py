"""Installed Argos packages and the Argos package index: list, install, remove.

Locations follow Argos Translate's own settings (``ARGOS_PACKAGES_DIR`` and
``ARGOS_PACKAGE_INDEX``; see :mod:`mlcorpus.mt.argos_settings`), so mlcorpus,
Argos Translate and LibreTranslate share one packages folder.

That folder belongs to Argos: its ``get_installed_packages()`` opens every
subfolder as a package and raises for one without ``metadata.json`` (and
LibreTranslate then fails to start).  So nothing but finished packages ever
appears in it.  Downloads and unpacking happen in a sibling staging folder on
the same filesystem (``.<packages>.mlcorpus-staging``); a checked package
enters the packages folder by one rename, and a package leaves it by one
rename into the staging folder before it is deleted.  Staging folders of
installs that were killed are cleaned up by the next install (a package
displaced by a reinstall that was killed half-way is put back first).

Installing does not call ``argostranslate.package.install_from_path``: that
unpacks unchecked zips straight into the packages folder and imports
``argostranslate.translate`` (torch, stanza: seconds and hundreds of MB).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlcorpus.errors import InputError, MlcorpusError
from mlcorpus.mt import argos_settings
from mlcorpus.mt.archive import unpack
from mlcorpus.mt.download import USER_AGENT, DownloadPolicy, Progress, download, usable_links
from mlcorpus.mt.langcodes import is_language_code
from mlcorpus.mt.package import ModelPackage, read_package
from mlcorpus.textio import pid_alive, removed_if_killed

NETWORK_TIMEOUT_S = 60
#: largest package index read (the real one is ~60 kB)
MAX_INDEX_BYTES = 16 << 20
#: staging folders of earlier mlcorpus versions, inside the packages folder
_OLD_STAGING_PREFIXES = (".download-", ".installing-")


class MissingModelError(MlcorpusError):
    """No installed package translates the requested direction."""


def packages_dir() -> Path:
    """Folder Argos installs packages into (``ARGOS_PACKAGES_DIR``)."""
    return argos_settings.packages_dir()


def _local_index(override: str | None) -> Path | None:
    """The local index file *override* names (a path or a ``file:`` URL), if any."""
    if not override:
        return None
    if override.startswith("file:"):
        return Path(urllib.request.url2pathname(urllib.parse.urlsplit(override).path))
    if "://" not in override and (Path(override).exists() or override.endswith(".json")):
        return Path(override)
    return None


def index_url(override: str | None = None) -> str:
    """URL of the package index JSON.  Like Argos, ``ARGOS_PACKAGE_INDEX`` is the
    base URL that ``index.json`` is appended to; a URL ending in ``.json`` is
    taken as the index itself, and a local path as a local index file."""
    local = _local_index(override)
    if local is not None:
        return local.resolve().as_uri()
    base = override or argos_settings.index_base()
    if base.endswith(".json"):
        return base
    return base.rstrip("/") + "/index.json"


def installed_packages(directory: Path | None = None) -> list[ModelPackage]:
    """Every readable package folder in the packages directory, by direction."""
    root = directory or packages_dir()
    found = []
    if root.is_dir():
        for child in sorted(root.iterdir()):
            if child.is_dir() and not child.name.startswith("."):
                try:
                    found.append(read_package(child))
                except (InputError, OSError):
                    continue  # sbd packages, other tools' data
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
    packages = installed_packages()
    candidates = [p for p in packages if (p.from_code, p.to_code) == (src, tgt)]
    if name is not None:
        named = [p for p in packages if p.name == name]
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


# -- staging ----------------------------------------------------------------------------


def staging_root(root: Path) -> Path:
    """The sibling folder of *root* where downloads and unpacking happen."""
    return root.parent / f".{root.name}.mlcorpus-staging"


def cleanup_leftovers(root: Path) -> list[Path]:
    """Remove what killed installs left behind; returns the folders removed.

    Staging folders carry their owner's pid; those of dead owners go.  A
    package that a killed reinstall had moved aside (``displaced/``) and not
    yet replaced is moved back first.  Staging folders that older mlcorpus
    versions made inside the packages folder (``.download-*``,
    ``.installing-*``), which break Argos, go too.
    """
    removed: list[Path] = []
    if root.is_dir():
        for child in root.iterdir():
            if child.is_dir() and child.name.startswith(_OLD_STAGING_PREFIXES):
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child)
    stage_root = staging_root(root)
    if not stage_root.is_dir():
        return removed
    for stage in stage_root.iterdir():
        pid_text = stage.name.split("-", 1)[0]
        if not stage.is_dir() or not pid_text.isdigit() or pid_alive(int(pid_text)):
            continue
        displaced = stage / "displaced"
        if displaced.is_dir():
            for package in displaced.iterdir():
                if not (root / package.name).exists():
                    os.replace(package, root / package.name)
        shutil.rmtree(stage, ignore_errors=True)
        removed.append(stage)
    return removed


@dataclass
class _Stage:
    """One install's private staging folder (``<pid>-<token>``)."""

    root: Path
    path: Path = field(init=False)
    _guards: contextlib.ExitStack = field(init=False)

    def temp(self, name: str) -> Path:
        """A path in the staging folder that SIGTERM/SIGHUP removes.  Only
        what can be lost goes here: a package moved aside by a reinstall
        (``displaced/``) must survive for the next cleanup to put back."""
        path = self.path / name
        self._guards.enter_context(removed_if_killed(path))
        return path

    def __enter__(self) -> _Stage:
        # parents=True also recreates the staging root if another install
        # removed it (empty) a moment ago
        self.path = staging_root(self.root) / f"{os.getpid()}-{secrets.token_hex(4)}"
        self.path.mkdir(parents=True)
        self._guards = contextlib.ExitStack()
        return self

    def __exit__(self, *exc: object) -> None:
        self._guards.close()
        shutil.rmtree(self.path, ignore_errors=True)
        with contextlib.suppress(OSError):  # only when no other install is using it
            self.path.parent.rmdir()

    def move_out(self, package: Path, kind: str) -> Path:
        """Take *package* out of the packages folder in one rename."""
        holder = self.path / kind if kind == "displaced" else self.temp(kind)
        holder.mkdir(exist_ok=True)
        target = holder / package.name
        _rename(package, target)
        return target


def _rename(src: Path, dst: Path) -> None:
    try:
        os.replace(src, dst)
    except OSError as exc:
        if exc.errno == 18:  # EXDEV
            raise MlcorpusError(
                f"cannot move {src} to {dst}: the packages folder and its staging folder "
                "are on different filesystems; make the packages folder a subfolder of a "
                "mount, not the mount itself"
            ) from None
        raise


# -- install / remove -------------------------------------------------------------------


def _install_staged(staged: Path, root: Path, stage: _Stage) -> ModelPackage:
    """Move the checked package folder *staged* into *root*; then retire the
    older packages of the same direction (new one in place first)."""
    new = read_package(staged)  # refuse broken packages before touching the install
    final = root / staged.name
    displaced = stage.move_out(final, "displaced") if final.exists() else None
    try:
        _rename(staged, final)
    except BaseException:
        if displaced is not None and not final.exists():
            os.replace(displaced, final)
        raise
    for old in installed_packages(root):
        if (
            old.path != final
            and (old.from_code, old.to_code) == (new.from_code, new.to_code)
            and _version_key(old.version) <= _version_key(new.version)
        ):
            stage.move_out(old.path, "retired")
    return read_package(final)


def install_file(path: str | Path, directory: Path | None = None) -> ModelPackage:
    """Install the ``.argosmodel`` file *path*.

    A package of the same folder name, and older versions of the same
    direction, are replaced (as Argos's ``update()`` does); newer ones stay.
    """
    source = Path(path)
    root = directory or packages_dir()
    root.mkdir(parents=True, exist_ok=True)
    cleanup_leftovers(root)
    with _Stage(root) as stage:
        staged = unpack(source, stage.temp("new"))
        return _install_staged(staged, root, stage)


@dataclass(frozen=True)
class IndexEntry:
    """One translate package of the index (attribute names as Argos's
    ``AvailablePackage``)."""

    from_code: str
    to_code: str
    package_version: str
    from_name: str
    to_name: str
    links: list[str]
    skipped_links: list[str]
    size: int | None
    type: str = "translate"
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _entry(raw: dict[str, Any], allow_file: bool) -> IndexEntry | None:
    codes = raw.get("from_code"), raw.get("to_code")
    if not all(is_language_code(c) for c in codes):
        return None
    links, skipped = usable_links(raw.get("links", []), allow_file=allow_file)
    size = raw.get("size")
    return IndexEntry(
        from_code=str(codes[0]),
        to_code=str(codes[1]),
        package_version=str(raw.get("package_version", "")),
        from_name=str(raw.get("from_name", "")),
        to_name=str(raw.get("to_name", "")),
        links=links,
        skipped_links=skipped,
        size=size if isinstance(size, int) and size > 0 else None,
        type=str(raw.get("type", "translate")),
        metadata=raw,
    )


def fetch_index(url: str | None = None) -> list[IndexEntry]:
    """Download (or read) and parse the package index (a JSON list of package
    metadata); entries with invalid language codes are dropped."""
    where = index_url(url)
    local = where.startswith("file:")
    try:
        request = urllib.request.Request(where, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=NETWORK_TIMEOUT_S) as response:
            body = response.read(MAX_INDEX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise MlcorpusError(
            f"cannot reach the Argos package index {where} ({reason}); "
            "offline, install from a file: "
            "'mlcorpus models install FILE.argosmodel'"
        ) from None
    if len(body) > MAX_INDEX_BYTES:
        raise MlcorpusError(f"the package index {where} is over {MAX_INDEX_BYTES} bytes")
    try:
        entries = json.loads(body.decode("utf-8"))
    except ValueError as exc:
        raise MlcorpusError(f"the package index {where} is not valid JSON ({exc})") from None
    if not isinstance(entries, list):
        raise MlcorpusError(f"the package index {where} is not a list of packages")
    parsed = (_entry(e, allow_file=local) for e in entries if isinstance(e, dict))
    return [e for e in parsed if e is not None]


def install_from_index(
    src: str,
    tgt: str,
    url: str | None = None,
    *,
    policy: DownloadPolicy | None = None,
    progress: Progress | None = None,
) -> ModelPackage:
    """Download the newest *src*->*tgt* package listed in the index and install it."""
    offers = [
        p
        for p in fetch_index(url)
        if p.type == "translate" and (p.from_code, p.to_code) == (src, tgt)
    ]
    if not offers:
        raise MlcorpusError(f"the package index {index_url(url)} has no {src}->{tgt} package")
    best = max(offers, key=lambda p: _version_key(p.package_version))
    if not best.links:
        raise MlcorpusError(
            f"the index entry for {src}->{tgt} {best.package_version} has no usable link ("
            + ("; ".join(best.skipped_links) or "no links")
            + ")"
        )
    policy = policy or DownloadPolicy()
    if best.size is not None:
        policy = DownloadPolicy(**{**policy.__dict__, "max_bytes": best.size})
    root = packages_dir()
    root.mkdir(parents=True, exist_ok=True)
    cleanup_leftovers(root)
    with _Stage(root) as stage:
        archive = stage.temp("package.argosmodel")
        download(best.links, archive, policy=policy, progress=progress)
        staged = unpack(archive, stage.temp("new"))
        return _install_staged(staged, root, stage)


def _resolve_removal(what: str, tgt: str | None) -> list[ModelPackage]:
    packages = installed_packages()
    if tgt is not None:
        doomed = [p for p in packages if (p.from_code, p.to_code) == (what, tgt)]
        if not doomed:
            raise MlcorpusError(f"no {what}->{tgt} package is installed in {packages_dir()}")
        return doomed
    doomed = [p for p in packages if p.name == what]
    if not doomed:
        names = ", ".join(p.name for p in packages) or "none"
        raise MlcorpusError(
            f"no installed package named {what!r} in {packages_dir()} (installed: {names})"
        )
    return doomed


def remove(what: str, tgt: str | None = None) -> list[ModelPackage]:
    """Uninstall the package named *what* (as ``models list`` shows it), or
    every *what*->*tgt* package; returns what was removed.  Each package
    leaves the packages folder in one rename before it is deleted."""
    doomed = _resolve_removal(what, tgt)
    root = packages_dir()
    cleanup_leftovers(root)
    with _Stage(root) as stage:
        for package in doomed:
            stage.move_out(package.path, "retired")
    return doomed
