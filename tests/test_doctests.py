"""The ``>>>`` examples in the library's docstrings run and print what they say.

Only modules that contain an example are imported, so modules behind an optional
extra (Ray, the web server) are not imported when the extra is absent; a module
with examples whose extra is missing is skipped with the reason.
"""

from __future__ import annotations

import doctest
import importlib
import io
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mlcorpus"


def _modules_with_examples() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>>" in path.read_text(encoding="utf-8"):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = _modules_with_examples()


def test_the_library_has_examples() -> None:
    assert "mlcorpus.metrics.scoring" in MODULES
    assert "mlcorpus.formats.filters" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] != "mlcorpus":
            pytest.skip(f"{name} needs {exc.name}, which is not installed")
        raise
    tests = doctest.DocTestFinder().find(module)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    out = io.StringIO()
    for test in tests:
        runner.run(test, out=out.write)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, out.getvalue()
    assert result.attempted + _skipped(tests) > 0, f"{name}: no example was found"


def _skipped(tests: list[doctest.DocTest]) -> int:
    return sum(
        1 for t in tests for e in t.examples if e.options.get(doctest.OPTIONFLAGS_BY_NAME["SKIP"])
    )
