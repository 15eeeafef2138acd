"""Argos's runtime settings apply to mlcorpus: ARGOS_DEVICE_TYPE,
ARGOS_COMPUTE_TYPE (environment or Argos's settings.json) and --compute-type."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main
from mlcorpus.errors import MlcorpusError
from mlcorpus.mt import Translator


def test_compute_type_from_the_environment_and_the_option(installed, monkeypatch):
    monkeypatch.setenv("ARGOS_COMPUTE_TYPE", "float32")
    assert Translator.from_installed("en", "ru").compute_type == "float32"
    assert Translator.from_installed("en", "ru", compute_type="int8").compute_type.startswith(
        "int8"
    )
    monkeypatch.setenv("ARGOS_COMPUTE_TYPE", "int3")
    with pytest.raises(MlcorpusError, match="unknown compute type 'int3'"):
        Translator.from_installed("en", "ru")
    runner = CliRunner()
    result = runner.invoke(
        main, ["translate", "-", "--from", "en", "--to", "ru", "--no-cache"], input="Hello.\n"
    )
    assert result.exit_code != 0 and "unknown compute type 'int3'" in result.output
    result = runner.invoke(
        main,
        ["translate", "-", "--from", "en", "--to", "ru", "--no-cache", "--compute-type", "float32"],
        input="Hello.\n",
    )
    assert result.exit_code == 0, result.output


def test_device_type_from_the_environment(installed, monkeypatch):
    import ctranslate2

    monkeypatch.setenv("ARGOS_DEVICE_TYPE", "tpu")
    with pytest.raises(MlcorpusError, match="unknown device 'tpu'"):
        Translator.from_installed("en", "ru")
    monkeypatch.setenv("ARGOS_DEVICE_TYPE", "cpu")
    assert Translator.from_installed("en", "ru").device == "cpu"
    if ctranslate2.get_cuda_device_count() > 0:
        pytest.skip("a GPU is present: the cuda refusal cannot be checked")
    monkeypatch.setenv("ARGOS_DEVICE_TYPE", "cuda")
    result = CliRunner().invoke(
        main, ["translate", "-", "--from", "en", "--to", "ru", "--no-cache"], input="Hello.\n"
    )
    assert result.exit_code != 0
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "device 'cuda'" in lines[0]


def test_argos_settings_json_applies(installed, argos_env, tmp_path):
    """argostranslate >= 1.10 also reads ~/.config/argos-translate/settings.json."""
    config = Path(argos_env["XDG_CONFIG_HOME"]) / "argos-translate"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"ARGOS_COMPUTE_TYPE": "float32"}))
    code = (
        "from mlcorpus.mt import Translator\n"
        "print(Translator.from_installed('en', 'ru').compute_type)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ARGOS_COMPUTE_TYPE"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "float32"
