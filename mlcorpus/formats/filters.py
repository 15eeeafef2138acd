"""Clean-up filters applied while exporting a parallel corpus.

Each filter drops pairs for one reason and counts them, so a user sees what
an export removed (``mlcorpus convert`` prints the counts).  A pair is
counted under the first reason that applies, in this order:

``empty``         a side is empty or only whitespace
``min_score``     ``meta["score"]`` below the threshold (pairs without a score,
                  e.g. human translation memories, are kept and counted as
                  ``unscored``)
``identical``     source equals target ignoring case and spacing (untranslated)
``length_ratio``  longer side more than N times the shorter, in characters
                  (only checked when the longer side has ``ratio_min_chars``)
``wrong_script``  a side is not mostly in its language's script: Cyrillic for
                  ru/uk/be/bg/sr/kk, Latin for en/fr/de/...; words found on
                  both sides (names, acronyms) are not counted, and sides
                  without other letters (numbers, codes) pass
``duplicate``     the same pair (spacing normalised) seen before; checked last
                  so a pair dropped for another reason does not count twice

Filters stream: ``apply_filters`` returns an iterable whose ``report`` fills
in as it is consumed.  Deduplication keeps a 16-byte hash per kept pair.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from mlcorpus.alphabet import script_shares
from mlcorpus.formats.base import TranslationUnit, primary_subtag

# ISO 639-1 codes plus the three-letter ones corpora also use (FLORES: eng, rus)
CYRILLIC_LANGS = frozenset(
    {
        "ru",
        "uk",
        "be",
        "bg",
        "sr",
        "mk",
        "kk",
        "ky",
        "tg",
        "mn",
        "rus",
        "ukr",
        "bel",
        "bul",
        "srp",
        "mkd",
        "kaz",
        "kir",
        "tgk",
    }
)
LATIN_LANGS = frozenset(
    {
        "en",
        "fr",
        "de",
        "es",
        "it",
        "pt",
        "nl",
        "pl",
        "cs",
        "ro",
        "tr",
        "sv",
        "da",
        "no",
        "nb",
        "fi",
        "et",
        "lv",
        "lt",
        "hu",
        "hr",
        "sl",
        "sk",
        "uz",
        "az",
        "id",
        "ms",
        "vi",
        "eng",
        "fra",
        "fre",
        "deu",
        "ger",
        "spa",
        "ita",
        "por",
        "nld",
        "pol",
        "ces",
        "ron",
        "tur",
        "swe",
        "fin",
        "est",
        "lav",
        "lit",
        "hun",
    }
)
_WORD = re.compile(r"\w+")
_MIN_LETTERS = 4  # fewer letters (codes such as "2013-041A") are not judged
REASONS = ("empty", "min_score", "identical", "length_ratio", "wrong_script", "duplicate")


@dataclass
class FilterConfig:
    """Which filters run; the defaults run none."""

    min_score: float | None = None
    dedup: bool = False
    drop_empty: bool = False
    drop_identical: bool = False
    max_length_ratio: float | None = None
    check_script: bool = False
    ratio_min_chars: int = 10  # short pairs ("Yes." / "Да.") vary too much to judge
    min_script_share: float = 0.5  # share of letters that must be in the expected script

    def enabled(self) -> list[str]:
        """The reasons this configuration can drop a pair for, in check order."""
        flags = {
            "empty": self.drop_empty,
            "min_score": self.min_score is not None,
            "identical": self.drop_identical,
            "length_ratio": self.max_length_ratio is not None,
            "wrong_script": self.check_script,
            "duplicate": self.dedup,
        }
        return [reason for reason in REASONS if flags[reason]]


@dataclass
class FilterReport:
    """How many pairs came in, went out, and were dropped for each reason."""

    seen: int = 0
    kept: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    unscored: int = 0  # pairs kept by min_score because they carry no score

    def to_dict(self) -> dict:
        return {
            "seen": self.seen,
            "kept": self.kept,
            "dropped": dict(self.dropped),
            "unscored": self.unscored,
        }

    def summary(self) -> str:
        """One line for stderr: ``kept 95 of 100; dropped: duplicate 3, empty 2``."""
        parts = [f"{reason} {count}" for reason, count in self.dropped.items()]
        text = f"kept {self.kept} of {self.seen}"
        if parts:
            text += "; dropped: " + ", ".join(parts)
        if self.unscored:
            text += f"; {self.unscored} without a score kept"
        return text


def _squash(text: str) -> str:
    return " ".join(text.split())


def in_expected_script(text: str, lang: str, min_share: float = 0.5, other_side: str = "") -> bool:
    """True unless *text* has letters and fewer than *min_share* of them are
    in the script *lang* is written in (unknown languages always pass).

    Words that also occur in *other_side* (names, acronyms, Latin species
    names copied into a Russian sentence) do not count: they are correct in
    either script.  A side made only of such words (an untranslated copy) is
    judged as a whole, unless it has fewer than four letters."""
    code = primary_subtag(lang)
    if code in CYRILLIC_LANGS:
        index = 0
    elif code in LATIN_LANGS:
        index = 1
    else:
        return True
    counts = None
    if other_side:
        shared = {w.casefold() for w in _WORD.findall(other_side)}
        own = " ".join(w for w in _WORD.findall(text) if w.casefold() not in shared)
        counts = script_shares(own)
    if counts is None or counts[2] == 0:  # a copy of the other side is judged whole
        counts = script_shares(text)
        if counts[2] < _MIN_LETTERS:
            return True
    return counts[index] / counts[2] >= min_share


def _score(unit: TranslationUnit) -> float | None:
    value = unit.meta.get("score")
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class FilteredUnits:
    """The units that pass *config*; iterate once, then read ``report``."""

    def __init__(self, units: Iterable[TranslationUnit], config: FilterConfig) -> None:
        self._units = units
        self.config = config
        self.report = FilterReport(dropped=dict.fromkeys(config.enabled(), 0))
        self._seen_pairs: set[bytes] = set()

    def __iter__(self) -> Iterator[TranslationUnit]:
        report = self.report
        for unit in self._units:
            report.seen += 1
            reason = self.reject_reason(unit)
            if reason is None:
                report.kept += 1
                yield unit
            else:
                report.dropped[reason] += 1

    def reject_reason(self, unit: TranslationUnit) -> str | None:
        """The first reason to drop *unit*, or None to keep it."""
        cfg = self.config
        src, tgt = unit.src, unit.tgt
        if cfg.drop_empty and (not src.strip() or not tgt.strip()):
            return "empty"
        if cfg.min_score is not None:
            score = _score(unit)
            if score is None:
                self.report.unscored += 1
            elif score < cfg.min_score:
                return "min_score"
        if cfg.drop_identical and _squash(src).casefold() == _squash(tgt).casefold():
            return "identical"
        if cfg.max_length_ratio is not None:
            short, long_ = sorted((len(src.strip()), len(tgt.strip())))
            if long_ >= cfg.ratio_min_chars and (
                short == 0 or long_ / short > cfg.max_length_ratio
            ):
                return "length_ratio"
        if cfg.check_script and not (
            in_expected_script(src, unit.src_lang, cfg.min_script_share, tgt)
            and in_expected_script(tgt, unit.tgt_lang, cfg.min_script_share, src)
        ):
            return "wrong_script"
        if cfg.dedup:
            key = hashlib.blake2b(
                f"{_squash(src)}\x00{_squash(tgt)}".encode("utf-8", "replace"), digest_size=16
            ).digest()
            if key in self._seen_pairs:
                return "duplicate"
            self._seen_pairs.add(key)
        return None


def apply_filters(units: Iterable[TranslationUnit], config: FilterConfig) -> FilteredUnits:
    """Wrap *units* so that iterating yields only the pairs *config* keeps.

    The filtering happens while the writer consumes the stream, so a large
    corpus is never held in memory; the counts are complete once it is used up.

    >>> units = [
    ...     TranslationUnit("Hello.", "Привет."),
    ...     TranslationUnit("Hello.", "Привет."),
    ...     TranslationUnit("Empty.", ""),
    ... ]
    >>> kept = apply_filters(units, FilterConfig(dedup=True, drop_empty=True))
    >>> [unit.tgt for unit in kept]  # or: write_units(kept, "out.tmx", "tmx")
    ['Привет.']
    >>> dict(kept.report.dropped)
    {'empty': 1, 'duplicate': 1}
    """
    return FilteredUnits(units, config)
