"""Argos Translate itself accepts and runs the packages the project builds.

This is the one test module that imports ``argostranslate.translate`` (it
loads stanza/spaCy/torch machinery; a few seconds).  The sentence splitter is
replaced by one that returns the input as a single sentence, because Argos's
splitters download models at first use, which is impossible offline.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support.argos_path import WholeTextSentencizer
from support.build_models import chrf


def test_argos_installs_lists_and_translates_our_package(tmp_path, monkeypatch, test_models, en_ru):
    from argostranslate import package, settings

    packages = tmp_path / "packages"
    packages.mkdir()
    monkeypatch.setattr(settings, "package_data_dir", packages)
    monkeypatch.setattr(settings, "package_dirs", [packages])
    # Argos's default intra_threads 0 (every core, OpenMP spin-waits) took 26 s
    # next to another test process instead of 1 s; one thread changes only the speed
    monkeypatch.setattr(settings, "intra_threads", 1, raising=False)
    for path in test_models.packages.values():
        package.install_from_path(path)

    from argostranslate import translate

    monkeypatch.setattr(translate, "installed_translates", [])
    translate.get_installed_languages.cache_clear()
    languages = {lang.code: lang for lang in translate.get_installed_languages()}
    assert {"en", "ru"} <= set(languages)
    translation = languages["en"].get_translation(languages["ru"])
    assert translation is not None
    translation.underlying.sentencizer = WholeTextSentencizer()  # see module docstring

    sources = [en for en, _ in test_models.pairs[:12]]
    argos_out = [translation.translate(s) for s in sources]
    assert chrf(argos_out, [ru for _, ru in test_models.pairs[:12]]) >= 90
    # Argos's path and the mlcorpus engine agree on the same package
    assert argos_out == en_ru.translate(sources)
    translate.get_installed_languages.cache_clear()


def test_translation_path_never_loads_argos_translate_or_torch(test_models):
    """The engine uses CTranslate2 + SentencePiece only (checked in a fresh process)."""
    code = (
        "import sys, json\n"
        "from mlcorpus.mt import Translator\n"
        f"t = Translator.from_path({str(test_models.package('en', 'ru'))!r})\n"
        f"out = t.translate([{test_models.pairs[0][0]!r}])\n"
        "heavy = ['argostranslate.translate', 'torch', 'stanza', 'spacy']\n"
        "print(json.dumps([out, [m for m in heavy if m in sys.modules]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr
    out, loaded = json.loads(done.stdout)
    assert out == [test_models.pairs[0][1]]
    assert loaded == []


def test_cli_help_stays_light():
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom mlcorpus.cli import main\n"
        "for args in (['--help'], ['translate', '--help'], ['models', '--help']):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0\n"
        "print(sorted(m for m in ('ctranslate2', 'sentencepiece', 'argostranslate',"
        " 'torch') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
