"""pytest fixtures for the translation tests: built test packages, a private
Argos package folder, loaded translators.  Test modules import the fixtures
they use from here."""

from __future__ import annotations

import functools
import json
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from support.build_models import TestModels, build_test_models


@pytest.fixture(scope="session")
def test_models() -> TestModels:
    """The en->ru and ru->en test packages (trained once, then cached on disk)."""
    return build_test_models(log=lambda *_: None)


@pytest.fixture(scope="session")
def en_ru(test_models: TestModels):
    """A Translator on the en->ru test package, loaded once per session."""
    from mlcorpus.mt import Translator

    return Translator.from_path(test_models.package("en", "ru"))


@pytest.fixture(scope="session")
def ru_en(test_models: TestModels):
    from mlcorpus.mt import Translator

    return Translator.from_path(test_models.package("ru", "en"))


@pytest.fixture()
def argos_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point Argos's package folder, the package index and every cache at
    *tmp_path*, so nothing of the user's is read or written."""
    env = {
        "ARGOS_PACKAGES_DIR": str(tmp_path / "packages"),
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",  # closed port: never the internet
        "MLCORPUS_CACHE": str(tmp_path / "cache" / "translations.sqlite"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture()
def installed(argos_env: dict[str, str], test_models: TestModels) -> Path:
    """Both test packages installed into the private package folder."""
    from mlcorpus.mt.registry import install_file

    for path in test_models.packages.values():
        install_file(path)
    return Path(argos_env["ARGOS_PACKAGES_DIR"])


#: the oldest argostranslate the project supports; tests run it from a
#: ``pip install --no-deps --target`` folder on PYTHONPATH, reusing the venv's
#: ctranslate2, sentencepiece, stanza and sacremoses
OLDEST_ARGOS = "1.9.6"
ARGOS_RUN = Path(__file__).with_name("argos_run.py")


def _install_oldest_argos() -> Path | None:
    """``argostranslate==OLDEST_ARGOS`` in the test-model cache (built once,
    atomically: other test runs may read the cache at the same time)."""
    import contextlib
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    from support.build_models import cache_root

    target = cache_root() / f"argostranslate-{OLDEST_ARGOS}"
    if (target / "argostranslate" / "package.py").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".argostranslate-{OLDEST_ARGOS}-"))
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--no-deps",
                "--target",
                str(tmp),
                f"argostranslate=={OLDEST_ARGOS}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            return None
        with contextlib.suppress(OSError):  # another run got there first
            os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target if target.is_dir() else None


@pytest.fixture(scope="session", params=["newest", "oldest"])
def argos_version(request) -> str:
    """Extra PYTHONPATH entry selecting an argostranslate version ("" = the venv's)."""
    if request.param == "newest":
        return ""
    where = _install_oldest_argos()
    if where is None:
        pytest.skip(f"argostranslate=={OLDEST_ARGOS} could not be installed (no package index?)")
    return str(where)


def run_argos(args: list[str], env: dict[str, str], pythonpath: str = "") -> object:
    """Run tests/support/argos_run.py with the real argostranslate; its JSON output."""
    import json
    import os
    import subprocess
    import sys

    # Argos leaves CTranslate2's intra_threads at 0 (every core, OpenMP
    # spin-waits): next to other test processes one sentence took 18 s
    # instead of 0.4 s.  One thread changes nothing but the speed.
    full = {"OMP_NUM_THREADS": "1", **os.environ, **env}
    if pythonpath:
        full["PYTHONPATH"] = os.pathsep.join(filter(None, [pythonpath, full.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, str(ARGOS_RUN), *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=300,
    )
    if done.returncode != 0:
        raise AssertionError(f"argostranslate {args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture()
def loopback_index(tmp_path, test_models):
    """An HTTP server on 127.0.0.1 serving index.json and the test packages."""
    root = tmp_path / "www"
    root.mkdir()
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root))
    )
    base = f"http://127.0.0.1:{server.server_port}/"
    entries = []
    for package in test_models.packages.values():
        (root / package.name).write_bytes(package.read_bytes())
        with zipfile.ZipFile(package) as archive:
            meta = json.loads(archive.read(f"{package.stem}/metadata.json"))
        entries.append({**meta, "links": [base + package.name]})
    (root / "index.json").write_text(json.dumps(entries), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()
