"""Package management against a loopback package index (no mocks of Argos)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main
from mlcorpus.errors import InputError, MlcorpusError
from mlcorpus.mt.registry import (
    MissingModelError,
    find_installed,
    install_file,
    installed_packages,
)


def _mlcorpus(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mlcorpus", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_install_list_remove_end_to_end_over_http(argos_env, loopback_index):
    env = {**argos_env, "ARGOS_PACKAGE_INDEX": loopback_index}
    packages = Path(argos_env["ARGOS_PACKAGES_DIR"])
    done = _mlcorpus("models", "install", "en", "ru", env=env)
    assert done.returncode == 0, done.stderr
    assert "Installed en->ru" in done.stdout
    assert (packages / "translate-en_ru-test" / "model" / "model.bin").is_file()
    assert not (packages / "translate-ru_en-test").exists()
    listed = _mlcorpus("models", "list", "--format", "json", env=env)
    rows = json.loads(listed.stdout)
    assert [(r["direction"], r["path"]) for r in rows] == [
        ("en->ru", str(packages / "translate-en_ru-test"))
    ]
    assert rows[0]["size_bytes"] > 100_000
    removed = _mlcorpus("models", "remove", "en", "ru", env=env)
    assert removed.returncode == 0 and "Removed en->ru" in removed.stdout
    assert not (packages / "translate-en_ru-test").exists()
    assert json.loads(_mlcorpus("models", "list", "--format", "json", env=env).stdout) == []


def test_install_both_and_list_available(argos_env, loopback_index):
    runner = CliRunner()
    result = runner.invoke(
        main, ["models", "install", "en", "ru", "--both", "--index", loopback_index]
    )
    assert result.exit_code == 0, result.output
    assert {(p.from_code, p.to_code) for p in installed_packages()} == {("en", "ru"), ("ru", "en")}
    result = runner.invoke(
        main, ["models", "list", "--available", "--index", loopback_index + "index.json"]
    )
    assert result.exit_code == 0
    assert "en->ru" in result.output and "ru->en" in result.output
    text = runner.invoke(main, ["models", "list"]).output
    assert "en->ru" in text and "MB" in text and argos_env["ARGOS_PACKAGES_DIR"] in text


def test_index_errors_are_one_line(argos_env, loopback_index):
    runner = CliRunner()
    result = runner.invoke(main, ["models", "install", "en", "de", "--index", loopback_index])
    assert result.exit_code != 0
    assert "has no en->de package" in result.output and "Traceback" not in result.output
    result = runner.invoke(main, ["models", "install", "en", "ru"])  # closed port
    assert result.exit_code != 0
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "cannot reach the Argos package index" in lines[0]
    assert "models install FILE.argosmodel" in lines[0]


def test_install_from_file_replaces_same_package(argos_env, test_models):
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(main, ["models", "install", str(test_models.package("ru", "en"))])
        assert result.exit_code == 0, result.output
    assert [p.name for p in installed_packages()] == ["translate-ru_en-test"]
    assert find_installed("ru", "en").version == "1.0"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_bad_package_files_are_refused_before_installing(argos_env, tmp_path):
    meta = json.dumps({"from_code": "en", "to_code": "ru"}).encode()
    cases = {
        "notzip.argosmodel": None,
        "escape.argosmodel": {"p/metadata.json": meta, "p/../../evil.txt": b"x"},
        "two.argosmodel": {"a/metadata.json": meta, "b/metadata.json": meta},
        "nomodel.argosmodel": {"p/metadata.json": meta, "p/sentencepiece.model": b"x"},
        "nometa.argosmodel": {"p/model/model.bin": b"x"},
    }
    for name, members in cases.items():
        path = tmp_path / name
        if members is None:
            path.write_bytes(b"plain text")
        else:
            _zip(path, members)
        with pytest.raises(InputError):
            install_file(path)
    assert installed_packages() == []
    assert not (tmp_path.parent / "evil.txt").exists()
    packages = Path(argos_env["ARGOS_PACKAGES_DIR"])
    assert [p.name for p in packages.iterdir()] == []  # no half-installed leftovers


def test_lookup_by_direction_and_name(installed):
    (installed / "not-a-package").mkdir()  # other tools' folders are ignored
    assert find_installed("en", "ru").name == "translate-en_ru-test"
    assert find_installed("ru", "en", "translate-ru_en-test").direction == "ru->en"
    with pytest.raises(MlcorpusError, match="translates ru->en, not en->ru"):
        find_installed("en", "ru", "translate-ru_en-test")
    with pytest.raises(MissingModelError) as err:
        find_installed("en", "de")
    message = str(err.value)
    assert "mlcorpus models install en de" in message
    assert "mlcorpus models install FILE.argosmodel" in message


def _version_variant(test_models, tmp_path, folder: str, version: str) -> Path:
    from support.repack import repack

    return repack(
        test_models.package("en", "ru"),
        tmp_path / f"{folder}.argosmodel",
        top=folder,
        metadata={"package_version": version},
    )


def test_upgrade_replaces_the_older_version_of_the_same_direction(argos_env, test_models, tmp_path):
    old = _version_variant(test_models, tmp_path, "translate-en_ru-1_7", "1.7")
    new = _version_variant(test_models, tmp_path, "translate-en_ru-1_9", "1.9")
    install_file(test_models.package("ru", "en"))
    install_file(old)
    install_file(new)
    assert [(p.name, p.version) for p in installed_packages()] == [
        ("translate-en_ru-1_9", "1.9"),
        ("translate-ru_en-test", "1.0"),
    ]
    install_file(old)  # an older one next to a newer one: both stay, the newer is used
    assert [p.name for p in installed_packages()][:2] == [
        "translate-en_ru-1_7",
        "translate-en_ru-1_9",
    ]
    assert find_installed("en", "ru").name == "translate-en_ru-1_9"


def test_remove_takes_the_name_models_list_shows(argos_env, test_models, tmp_path):
    install_file(_version_variant(test_models, tmp_path, "translate-en_ru-1_9", "1.9"))
    install_file(test_models.package("ru", "en"))
    runner = CliRunner()
    rows = json.loads(runner.invoke(main, ["models", "list", "--format", "json"]).output)
    name = next(r["name"] for r in rows if r["direction"] == "en->ru")
    assert name == "translate-en_ru-1_9"
    assert name in runner.invoke(main, ["models", "list"]).output
    result = runner.invoke(main, ["models", "remove", name])
    assert result.exit_code == 0, result.output
    assert [p.direction for p in installed_packages()] == ["ru->en"]
    result = runner.invoke(main, ["models", "remove", "translate-en_ru-1_9"])
    assert result.exit_code != 0 and "installed: translate-ru_en-test" in result.output
    result = runner.invoke(main, ["models", "remove", "ru", "en"])
    assert result.exit_code == 0 and installed_packages() == []


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


def test_cleanup_puts_back_a_package_a_killed_reinstall_had_moved_aside(argos_env, test_models):
    """Killed between its two renames, a reinstall leaves the old package in
    its staging folder's displaced/; the next install puts it back whole."""
    from mlcorpus.mt.registry import cleanup_leftovers, staging_root

    packages = Path(argos_env["ARGOS_PACKAGES_DIR"])
    install_file(test_models.package("en", "ru"))
    folder = packages / "translate-en_ru-test"
    files = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    stage = staging_root(packages) / f"{_dead_pid()}-deadbeef"
    (stage / "displaced").mkdir(parents=True)
    (stage / "new").mkdir()
    os.replace(folder, stage / "displaced" / folder.name)
    retired = stage / "retired" / "translate-en_ru-old"
    retired.mkdir(parents=True)  # half-deleted upgrade leftovers are never put back
    assert installed_packages() == []
    install_file(test_models.package("ru", "en"))  # any install cleans up first
    assert [p.name for p in installed_packages()] == [
        "translate-en_ru-test",
        "translate-ru_en-test",
    ]
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == files
    assert not stage.exists() and not (packages / "translate-en_ru-old").exists()
    live = staging_root(packages) / f"{os.getpid()}-cafe"  # a running install's folder stays
    live.mkdir(parents=True)
    cleanup_leftovers(packages)
    assert live.is_dir()


def test_legacy_packages_dir_variable(monkeypatch, tmp_path):
    """argostranslate 1.9 still honours ARGOS_TRANSLATE_PACKAGES_DIR."""
    from mlcorpus.mt.registry import packages_dir

    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.setenv("ARGOS_TRANSLATE_PACKAGES_DIR", str(tmp_path / "legacy"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert packages_dir() == tmp_path / "legacy"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "new"))
    assert packages_dir() == tmp_path / "new"
