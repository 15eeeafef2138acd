"""JSON Lines in the Hugging Face ``datasets`` translation style.

One object per line: ``{"translation": {"en": "...", "ru": "..."}, "meta": {...}}``
(``meta`` always present, possibly empty), which ``datasets.load_dataset("json",
...)`` reads as a translation dataset.  Meta values keep their JSON types.

The reader also takes the bead lines of ``mlcorpus align --format jsonl``
(``src_text``/``tgt_text`` plus ``score`` and sentence ids) and the segment
lines of ``mlcorpus translate --format jsonl`` (``src``/``tgt``, read as
machine translation), so aligner and translator output convert directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from mlcorpus.errors import InputError
from mlcorpus.formats.base import ReadStats, TranslationUnit, WriteReport, primary_subtag
from mlcorpus.formats.lineio import display_name, drop_surrogates, iter_lines
from mlcorpus.textio import open_output

_BATCH = 2000
_TRANSLATE_KEYS = ("src", "tgt", "src_lang", "tgt_lang")


def _safe(value: object, report: WriteReport) -> object:
    """Drop lone surrogates from strings (nested too): UTF-8 cannot hold them."""
    if isinstance(value, str):
        text, removed = drop_surrogates(value)
        report.illegal_chars_removed += removed
        return text
    if isinstance(value, dict):
        return {_safe(k, report): _safe(v, report) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe(v, report) for v in value]
    return value


def write(
    units: Iterable[TranslationUnit],
    path: str | None,
    *,
    src_lang: str,
    tgt_lang: str,
    header: dict | None,
    report: WriteReport,
) -> None:
    """Stream *units* as JSON Lines (*header* is not stored: JSONL has none)."""
    dumps = json.dumps
    with open_output(path) as out:
        batch: list[str] = []
        for unit in units:
            line = dumps(
                {"translation": {src_lang: unit.src, tgt_lang: unit.tgt}, "meta": unit.meta},
                ensure_ascii=False,
            )
            try:
                line.encode("utf-8")
            except UnicodeEncodeError:
                line = dumps(
                    {
                        "translation": {
                            src_lang: _safe(unit.src, report),
                            tgt_lang: _safe(unit.tgt, report),
                        },
                        "meta": _safe(unit.meta, report),
                    },
                    ensure_ascii=False,
                )
            batch.append(line + "\n")
            report.written += 1
            if len(batch) >= _BATCH:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))


def _pick(translation: dict, want: str | None, avoid: str | None) -> str | None:
    keys = list(translation)
    if want:
        return next((k for k in keys if primary_subtag(k) == want), None)
    others = [k for k in keys if primary_subtag(k) != avoid]
    return others[0] if len(others) == 1 or (avoid is None and others) else None


def _unit(obj: object, src_lang: str | None, tgt_lang: str | None, where: str) -> TranslationUnit:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object")
    if "translation" in obj:
        translation = obj["translation"]
        if not isinstance(translation, dict) or len(translation) < 2:
            raise InputError(f'{where}: "translation" must map two language codes to text')
        want_src = primary_subtag(src_lang) if src_lang else None
        src_key = _pick(translation, want_src, None)
        tgt_key = _pick(
            translation,
            primary_subtag(tgt_lang) if tgt_lang else None,
            primary_subtag(src_key) if src_key else None,
        )
        if src_key is None or tgt_key is None:
            raise InputError(
                f"{where}: cannot find {src_lang or 'the source'} and "
                f"{tgt_lang or 'the target'} among {', '.join(translation)}"
            )
        src, tgt, meta = translation[src_key], translation[tgt_key], obj.get("meta") or {}
        langs = (src_key, tgt_key)
    elif "src_text" in obj and "tgt_text" in obj:  # a bead from `mlcorpus align`
        src, tgt = obj["src_text"], obj["tgt_text"]
        meta = {k: v for k, v in obj.items() if k not in ("src_text", "tgt_text")}
        if "src" in meta:
            meta["src_ids"] = meta.pop("src")
        if "tgt" in meta:
            meta["tgt_ids"] = meta.pop("tgt")
        langs = (src_lang or "en", tgt_lang or "ru")
    elif isinstance(obj.get("src"), str) and isinstance(obj.get("tgt"), str):
        # a segment from `mlcorpus translate --format jsonl`: the target is MT
        src, tgt = obj["src"], obj["tgt"]
        meta = {k: v for k, v in obj.items() if k not in _TRANSLATE_KEYS}
        meta.setdefault("origin", "mt")
        langs = (
            src_lang or obj.get("src_lang") or "en",
            tgt_lang or obj.get("tgt_lang") or "ru",
        )
    else:
        raise InputError(
            f'{where}: expected a "translation" object (or src_text and tgt_text, or src and tgt)'
        )
    if not isinstance(src, str) or not isinstance(tgt, str):
        raise InputError(f"{where}: segment text must be strings")
    if not isinstance(meta, dict):
        raise InputError(f'{where}: "meta" must be an object')
    return TranslationUnit(src=src, tgt=tgt, src_lang=langs[0], tgt_lang=langs[1], meta=meta)


def read(
    source: str, *, src_lang: str | None, tgt_lang: str | None, stats: ReadStats
) -> Iterator[TranslationUnit]:
    """Stream units from a JSONL file (blank lines skipped)."""
    name = display_name(source)
    for number, line in enumerate(iter_lines(source), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{name}, line {number}, column {exc.colno}: invalid JSON ({exc.msg})"
            ) from None
        unit = _unit(obj, src_lang, tgt_lang, f"{name}, line {number}")
        stats.read += 1
        yield unit
