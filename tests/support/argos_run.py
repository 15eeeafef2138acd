"""Drive the real argostranslate (whichever version is importable) from a subprocess.

Usage (prints one JSON value):
    python argos_run.py list
    python argos_run.py install FILE.argosmodel
    python argos_run.py translate FROM TO TEXT [TEXT...]
    python argos_run.py check '{"folders": [PACKAGES_DIR...], "sources": [TEXT...]}'

Run with ``ARGOS_PACKAGES_DIR`` set; prepend a ``pip install --target`` folder
to ``PYTHONPATH`` to run an older argostranslate.  Argos splits sentences with
the stanza model inside the package, and stanza first downloads its
resources.json, which is impossible offline; ``stanza.Pipeline`` is therefore
replaced by one that returns the input as a single sentence (the texts given
are single sentences), and argostranslate >= 1.10 is told to use stanza
(``ARGOS_CHUNK_TYPE=STANZA``) rather than MiniSBD, which downloads too.
Since stanza's pipeline is never used, the module itself is a stand-in
holding that pass-through, and spaCy (optional for argostranslate >= 1.10,
unused with that setting) is hidden: importing the real ones (and torch
under them) cost ~3 s of CPU per process.  Everything else is Argos's own code.
"""

from __future__ import annotations

import json
import sys
from types import ModuleType, SimpleNamespace


class _OneSentencePipeline:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def __call__(self, text: str):
        return SimpleNamespace(sentences=[SimpleNamespace(text=text)])


def _stand_ins() -> None:
    """The pass-through ``stanza`` and no ``spacy``, before argostranslate imports them."""
    stanza = ModuleType("stanza")
    stanza.Pipeline = _OneSentencePipeline  # type: ignore[attr-defined]
    sys.modules["stanza"] = stanza
    sys.modules["spacy"] = None  # type: ignore[assignment]  # "import spacy" -> ImportError


def main(argv: list[str]) -> object:
    import os

    _stand_ins()

    # argostranslate >= 1.10 picks a splitter per package; stanza is the one
    # real packages ship (1.9 always uses it)
    os.environ.setdefault("ARGOS_CHUNK_TYPE", "STANZA")
    import argostranslate
    from argostranslate import package

    version = getattr(argostranslate, "__version__", None)
    if argv[0] == "version":
        from importlib.metadata import version as dist_version

        return {
            "version": version or dist_version("argostranslate"),
            "file": argostranslate.__file__,
        }
    if argv[0] == "list":
        return sorted(
            [p.from_code, p.to_code, p.package_path.name, str(p.package_version)]
            for p in package.get_installed_packages()
        )
    if argv[0] == "install":
        package.install_from_path(argv[1])
        return "ok"
    if argv[0] == "translate":
        from argostranslate import translate

        src, tgt, texts = argv[1], argv[2], argv[3:]
        languages = {lang.code: lang for lang in translate.get_installed_languages()}
        translation = languages[src].get_translation(languages[tgt])
        return [translation.translate(text) for text in texts]
    if argv[0] == "check":
        # one process for many package folders: list each, translate with each
        from pathlib import Path

        from argostranslate import translate

        spec = json.loads(argv[1])
        out = {}
        for folder in spec["folders"]:
            listed = package.get_installed_packages([Path(folder)])
            found = [[p.from_code, p.to_code, p.package_path.name] for p in listed]
            translation = translate.PackageTranslation(None, None, listed[0])
            out[folder] = {
                "listed": found,
                "translated": [translation.translate(text) for text in spec["sources"]],
            }
        return out
    raise SystemExit(f"unknown command {argv[0]!r}")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), ensure_ascii=False))
