"""Shared fixtures: paths to the repo, the sample corpus and the dev data."""

from __future__ import annotations

import os
from pathlib import Path

# The suite runs a worker per core (pytest-xdist) and starts CTranslate2, torch
# and Argos in many processes side by side.  OpenMP threads that spin while
# they wait then steal the cores the other processes need (the examples test
# took 44 s instead of 21 s).  Set before anything loads an OpenMP runtime;
# subprocesses inherit it.  It changes only how idle threads wait.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import pytest

# Fixtures of the translation tests (built test models, private Argos folder).
pytest_plugins = ["support.mt_fixtures"]

REPO = Path(__file__).resolve().parent.parent
DEV_DATA = REPO.parent / "shared" / "data" / "dev"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def dev_data() -> Path:
    """``../shared/data/dev``; tests that use it skip cleanly when it is absent."""
    if not DEV_DATA.is_dir():
        pytest.skip("development data ../shared/data/dev is not available")
    return DEV_DATA
