"""The translation models the server loads at start, one per direction.

Models are loaded once, before the port opens, and shared by every request
through the batcher; the set of loaded directions is what ``/languages``
reports, so a client only ever sees pairs that can really be translated.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlcorpus.errors import MlcorpusError

if TYPE_CHECKING:
    from mlcorpus.mt import Translator

#: LibreTranslate's language names for the codes mlcorpus translates
LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}


def server_options(beam_size: int) -> dict[str, Any]:
    """CTranslate2 threading for a server.

    One thread per batch keeps a single short request as fast as a direct
    call (small matrices do not gain from splitting, and spinning OpenMP
    threads are very slow on a busy machine), and one model replica per core
    (``inter_threads``) lets the batcher run that many batches side by side.
    A batch of up to ``batch_size`` sentences stays whole on its replica.
    """
    cores = max(1, os.cpu_count() or 1)
    return {
        "beam_size": beam_size,
        "inter_threads": min(cores, 4),
        "intra_threads": 1,
        "batch_size": 32,
    }


@dataclass
class Engines:
    """Loaded translators by ``(source, target)``."""

    translators: dict[tuple[str, str], Translator] = field(default_factory=dict)

    @classmethod
    def load(cls, models: tuple[str, ...] = (), beam_size: int = 4) -> Engines:
        """The given *models* (names, folders, .argosmodel files), or every
        installed EN<->RU package (the newest per direction)."""
        from mlcorpus.mt import Translator
        from mlcorpus.mt.registry import installed_packages

        options = server_options(beam_size)
        loaded: dict[tuple[str, str], Translator] = {}
        if models:
            installed = {p.name: p for p in installed_packages()}
            installed.update({p.path.name: p for p in installed.values()})
            for model in models:
                if Path(model).exists():
                    translator = Translator.from_path(model, **options)
                elif model in installed:
                    translator = Translator(installed[model], **options)
                else:
                    raise MlcorpusError(
                        f"no model {model!r}: give an installed package name "
                        "(see 'mlcorpus models list'), a package folder or an .argosmodel file"
                    )
                loaded[(translator.package.from_code, translator.package.to_code)] = translator
            return cls(loaded)
        from mlcorpus.mt.registry import find_installed

        pairs = {
            (p.from_code, p.to_code)
            for p in installed_packages()
            if p.from_code in LANGUAGE_NAMES and p.to_code in LANGUAGE_NAMES
        }
        for src, tgt in sorted(pairs):
            loaded[(src, tgt)] = Translator(find_installed(src, tgt), **options)
        return cls(loaded)

    def get(self, src: str, tgt: str) -> Translator | None:
        return self.translators.get((src, tgt))

    @property
    def codes(self) -> list[str]:
        """Every language code that is a source or a target of a loaded model."""
        return sorted({code for pair in self.translators for code in pair})

    def languages(self) -> list[dict[str, Any]]:
        """``GET /languages``: LibreTranslate's ``[{code, name, targets}]``."""
        return [
            {
                "code": code,
                "name": LANGUAGE_NAMES.get(code, code),
                "targets": sorted(t for s, t in self.translators if s == code),
            }
            for code in self.codes
        ]
