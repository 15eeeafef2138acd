"""Every example in every ``--help`` and in README's Quickstart runs.

The examples are read from the commands themselves (and from README) and run
with bash in a copy of the repository's corpus/, glossary/ and examples/
folders, in the order a reader meets them: the Quickstart first (it builds
``build/``, which ``export`` and ``report`` examples use), then each command's
help.  Translation examples use the small test models, installed into a
private Argos folder; ``models install en ru`` downloads them from a package
index on 127.0.0.1.  A failing example fails with its command line and output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from mlcorpus.cli import COMMANDS, main
from mlcorpus.mt.registry import install_file

REPO = Path(__file__).resolve().parent.parent
#: long-running servers (and requests to them), and examples that need a Ray
#: cluster: the server and distributed tests exercise these
NOT_RUN = re.compile(r"\bmlcorpus serve\b|^curl |--ray\b")
#: a released Argos package named in examples, and the test package standing in for it
ARGOS_NAME = "translate-en_ru-1_9"


def _commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = [("", main)]
    for name in sorted(COMMANDS):
        cmd = main.get_command(click.Context(main), name)
        assert cmd is not None
        found.append((name, cmd))
        if isinstance(cmd, click.Group):
            for sub in sorted(cmd.list_commands(click.Context(cmd))):
                sub_cmd = cmd.get_command(click.Context(cmd), sub)
                assert sub_cmd is not None
                found.append((f"{name} {sub}", sub_cmd))
    return found


def _joined(lines: list[str]) -> list[str]:
    """Shell lines with backslash continuations joined."""
    out: list[str] = []
    pending = ""
    for line in lines:
        text = line.strip()
        if pending:
            text = pending + " " + text
        if text.endswith("\\"):
            pending = text[:-1].rstrip()
            continue
        pending = ""
        out.append(text)
    return out


def help_examples(help_text: str) -> list[str]:
    """The command lines under "Example:"/"Examples:" in a help text."""
    lines = help_text.splitlines()
    found: list[str] = []
    for n, line in enumerate(lines):
        if re.fullmatch(r"\s*Examples?:\s*", line):
            block = []
            for follow in lines[n + 1 :]:
                if not follow.strip():
                    break
                block.append(follow)
            found += _joined(block)
    return found


def readme_examples() -> list[str]:
    """Shell command lines of README's Quickstart (indented or fenced code)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    code: list[str] = []
    fenced = False
    for line in section.splitlines():
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced or line.startswith("    "):
            code.append(line)
    commands = _joined([c for c in code if c.strip() and not c.strip().startswith("#")])
    return [c for c in commands if re.match(r"(mlcorpus |cat |echo )", c)]


def test_every_command_has_examples() -> None:
    missing = [name or "mlcorpus" for name, cmd in _commands() if not help_examples(cmd.help or "")]
    assert not missing, f"commands without examples in --help: {missing}"


def test_examples_are_found() -> None:
    assert "mlcorpus run corpus/ -o build/ --glossary glossary/migration.en-ru.tsv" in (
        readme_examples()
    )
    align = dict(_commands())["align"]
    assert help_examples(align.help or "")[0] == (
        "mlcorpus align corpus/en/2015-03-02-iom-csto-meeting.txt "
        "corpus/ru/2015-03-02-iom-csto-meeting.txt --from en --to ru"
    )


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    """A copy of what the examples read from the repository root."""
    root = tmp_path / "repo"
    root.mkdir()
    for folder in ("corpus", "glossary", "examples"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_every_example_runs(
    workdir: Path, installed: Path, loopback_index: str, test_models, argos_env
) -> None:
    package = test_models.package("en", "ru")
    shutil.copy(package, workdir / f"{ARGOS_NAME}.argosmodel")  # "a downloaded package"
    env = {
        **os.environ,
        **argos_env,
        "ARGOS_PACKAGE_INDEX": loopback_index,
        "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
        "COLUMNS": "100",
    }
    env.pop("MLCORPUS_GLOSSARY", None)
    listed = subprocess.run(
        ["mlcorpus", "models", "list", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    test_name = next(p["name"] for p in json.loads(listed.stdout) if p["direction"] == "en->ru")
    examples = [("README Quickstart", c) for c in readme_examples()]
    # models last: they install and remove the packages the other examples use
    ordered = sorted(_commands(), key=lambda item: item[0].startswith("models"))
    for name, cmd in ordered:
        examples += [
            (f"mlcorpus {name} --help".replace("  ", " "), c) for c in help_examples(cmd.help or "")
        ]
    failures = []
    ran = 0
    for where, command in examples:
        if NOT_RUN.search(command):
            continue
        line = re.sub(rf"\b{re.escape(ARGOS_NAME)}\b(?!\.argosmodel)", test_name, command)
        if where.startswith("mlcorpus models"):
            for path in test_models.packages.values():  # each example starts from both
                install_file(path)
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", line],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        ran += 1
        if done.returncode != 0:
            failures.append(f"{where}: {command}\n  exit {done.returncode}: {done.stderr[-600:]}")
    assert not failures, "\n".join(failures)
    assert ran > 50
