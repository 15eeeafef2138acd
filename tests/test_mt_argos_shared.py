"""mlcorpus and the real argostranslate (newest in the venv, and the oldest
supported, 1.9.x, from PyPI) share one packages folder.

Every check runs argostranslate in a subprocess (tests/support/argos_run.py),
with the packages folder given by ARGOS_PACKAGES_DIR as a user would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.mt_fixtures import run_argos
from support.package_server import PackageServer
from support.repack import repack

from mlcorpus.mt.registry import cleanup_leftovers, staging_root

REPO = Path(__file__).resolve().parent.parent


def _env(argos_env: dict[str, str], pythonpath: str) -> dict[str, str]:
    env = {**os.environ, **argos_env}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [pythonpath, str(REPO)]))
    return env


def _mlcorpus(args: list[str], env: dict[str, str], stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "mlcorpus", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=300,
    )


def _folders(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_install_with_one_list_and_translate_with_the_other(argos_env, argos_version, test_models):
    env = _env(argos_env, argos_version)
    packages = Path(argos_env["ARGOS_PACKAGES_DIR"])
    version = run_argos(["version"], argos_env, argos_version)["version"]
    assert version.startswith("1.9") if argos_version else not version.startswith("1.9")
    sources = [en for en, _ in test_models.pairs[:6]]
    references = [ru for _, ru in test_models.pairs[:6]]

    # mlcorpus installs en->ru; Argos lists and translates it
    done = _mlcorpus(["models", "install", str(test_models.package("en", "ru"))], env)
    assert done.returncode == 0, done.stderr
    assert run_argos(["list"], argos_env, argos_version) == [
        ["en", "ru", "translate-en_ru-test", "1.0"]
    ]
    assert run_argos(["translate", "en", "ru", *sources], argos_env, argos_version) == references

    # Argos installs ru->en; mlcorpus lists and translates it
    packages.mkdir(exist_ok=True)
    run_argos(["install", str(test_models.package("ru", "en"))], argos_env, argos_version)
    listed = _mlcorpus(["models", "list", "--format", "json"], env)
    assert listed.returncode == 0, listed.stderr
    assert [(r["direction"], r["name"]) for r in json.loads(listed.stdout)] == [
        ("en->ru", "translate-en_ru-test"),
        ("ru->en", "translate-ru_en-test"),
    ]
    translated = _mlcorpus(
        ["translate", "-", "--from", "ru", "--to", "en", "--segmented", "--no-cache"],
        env,
        stdin="\n".join(references) + "\n",
    )
    assert translated.returncode == 0, translated.stderr
    assert translated.stdout.splitlines() == sources
    assert run_argos(["translate", "ru", "en", *references], argos_env, argos_version) == sources
    assert _folders(packages) == ["translate-en_ru-test", "translate-ru_en-test"]


def _wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def test_argos_works_during_after_killed_and_after_failed_installs(
    argos_env, argos_version, test_models, tmp_path
):
    env = _env(argos_env, argos_version)
    packages = Path(argos_env["ARGOS_PACKAGES_DIR"])
    packages.mkdir(parents=True)
    run_argos(["install", str(test_models.package("ru", "en"))], argos_env, argos_version)
    listed = [["ru", "en", "translate-ru_en-test", "1.0"]]
    with PackageServer() as server:
        server.files["/p.argosmodel"] = test_models.package("en", "ru").read_bytes()
        server.behaviour["/p.argosmodel"] = "drip"
        server.drip_pause = 0.05
        entry = {"from_code": "en", "to_code": "ru", "package_version": "1.0"}
        server.files["/index.json"] = json.dumps(
            [{**entry, "links": [server.url("/p.argosmodel")]}]
        ).encode()
        install = subprocess.Popen(
            [sys.executable, "-m", "mlcorpus", "models", "install", "en", "ru"],
            env={**env, "ARGOS_PACKAGE_INDEX": server.url("/")},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            stage = staging_root(packages)
            _wait_for(lambda: any(stage.glob("*/package.argosmodel")))
            # during the download
            assert run_argos(["list"], argos_env, argos_version) == listed
            install.send_signal(signal.SIGKILL)
            install.wait(timeout=30)
        finally:
            if install.poll() is None:
                install.kill()
                install.wait()
    # after kill -9
    assert run_argos(["list"], argos_env, argos_version) == listed
    assert _folders(packages) == ["translate-ru_en-test"]
    assert any(stage.iterdir())  # the killed install's leftovers, outside the folder

    # a failed install (a package without a model) leaves nothing behind either,
    # and cleans up the killed install's leftovers
    broken = repack(
        test_models.package("en", "ru"), tmp_path / "b.argosmodel", drop=("model/model.bin",)
    )
    done = _mlcorpus(["models", "install", str(broken)], env)
    assert done.returncode != 0 and "model/model.bin" in done.stderr
    assert "Traceback" not in done.stderr
    assert run_argos(["list"], argos_env, argos_version) == listed
    assert _folders(packages) == ["translate-ru_en-test"]
    assert not stage.exists() or list(stage.iterdir()) == []


def test_old_staging_leftovers_inside_the_folder_are_cleaned(argos_env, test_models):
    """Folders earlier mlcorpus versions left in the packages folder break Argos;
    the next install removes them."""
    packages = Path(argos_env["ARGOS_PACKAGES_DIR"])
    (packages / ".installing-abc123" / "translate-en_ru-test").mkdir(parents=True)
    (packages / ".download-xyz").mkdir()
    with pytest.raises(AssertionError, match=r"metadata\.json"):
        run_argos(["list"], argos_env)
    done = _mlcorpus(
        ["models", "install", str(test_models.package("en", "ru"))], _env(argos_env, "")
    )
    assert done.returncode == 0, done.stderr
    assert _folders(packages) == ["translate-en_ru-test"]
    assert run_argos(["list"], argos_env) == [["en", "ru", "translate-en_ru-test", "1.0"]]


def test_kill_during_reinstall_never_leaves_a_half_deleted_package(
    argos_env, test_models, tmp_path
):
    """Reinstall a big package and kill -9 at spread-out moments: afterwards the
    package is whole (or, killed between its two renames, put back whole by
    the next install's cleanup), and Argos lists it."""
    big = repack(
        test_models.package("en", "ru"),
        tmp_path / "big.argosmodel",
        extra={"model/extra.bin": os.urandom(48 << 20)},
    )
    env = _env(argos_env, "")
    packages = Path(argos_env["ARGOS_PACKAGES_DIR"])
    assert _mlcorpus(["models", "install", str(big)], env).returncode == 0
    folder = packages / "translate-en_ru-test"
    expected = {p.relative_to(folder): p.stat().st_size for p in folder.rglob("*") if p.is_file()}
    for delay in (0.3, 0.5, 0.7, 0.9, 1.1, 1.4):
        proc = subprocess.Popen(
            [sys.executable, "-m", "mlcorpus", "models", "install", str(big)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert all(not name.startswith(".") for name in _folders(packages))
        cleanup_leftovers(packages)
        assert _folders(packages) == ["translate-en_ru-test"]
        found = {p.relative_to(folder): p.stat().st_size for p in folder.rglob("*") if p.is_file()}
        assert found == expected, f"package damaged by a kill after {delay} s"
    assert run_argos(["list"], argos_env) == [["en", "ru", "translate-en_ru-test", "1.0"]]
