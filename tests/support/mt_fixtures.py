"""pytest fixtures for the translation tests: built test packages, a private
Argos package folder, loaded translators.  Test modules import the fixtures
they use from here."""

from __future__ import annotations

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
