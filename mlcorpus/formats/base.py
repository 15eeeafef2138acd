"""The unit every exchange format reads and writes: one aligned segment pair."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TranslationUnit:
    """A source/target pair plus metadata (release id, date, alignment score,
    origin human/MT, model, glossary version, sentence ids...)."""

    src: str
    tgt: str
    src_lang: str = "en"
    tgt_lang: str = "ru"
    meta: dict[str, str | int | float] = field(default_factory=dict)
