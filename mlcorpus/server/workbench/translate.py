"""The Translate page: paste text or upload a release, translate with the
glossary, see term hits, fixes and misses, download as text or XLIFF.

Translation is :func:`mlcorpus.mt.translate_segments` (cached, glossary
enforced) over the sentences of :func:`mlcorpus.segment.segment_paragraph`;
the result is kept in memory for its downloads (the newest few only).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mlcorpus.errors import InputError, MlcorpusError
from mlcorpus.server.workbench.app import refused, render, state_of, write_form

MAX_JOBS = 20
MAX_CHARS = 200_000
DIRECTIONS = ("en-ru", "ru-en")


@dataclass
class TranslatedSegment:
    source: str
    text: str
    raw_text: str
    report: dict
    source_pieces: list = field(default_factory=list)
    text_pieces: list = field(default_factory=list)


@dataclass
class TranslationJob:
    id: str
    src_lang: str
    tgt_lang: str
    name: str
    paragraphs: list[list[TranslatedSegment]]
    model: str
    glossary_version: str

    def counts(self) -> dict[str, int]:
        segs = [s for p in self.paragraphs for s in p]
        return {
            kind: sum(len(s.report.get(kind, [])) for s in segs)
            for kind in ("hits", "fixed", "misses")
        }


def _translator(request: Request, src: str, tgt: str) -> Any:
    state = state_of(request)
    key = f"{src}-{tgt}"
    with state.translator_lock:
        if key not in state.translators:
            factory = state.settings.translator_factory
            if factory is not None:
                translator = factory(src, tgt)
            else:
                from mlcorpus.mt import find_translator

                translator = find_translator(src, tgt, model=state.settings.model)
            if translator is None:
                from mlcorpus.mt.registry import missing_model_message

                raise MlcorpusError(missing_model_message(src, tgt))
            state.translators[key] = translator
        return state.translators[key]


def _paragraphs(text: str, upload: tuple[str, bytes] | None, src: str) -> tuple[str, list[str]]:
    """(name, paragraphs) of the pasted text or the uploaded release."""
    if upload is not None and upload[1]:
        from mlcorpus.release import read_release

        name, data = upload
        suffix = Path(name).suffix.lower() or ".txt"
        fd, tmp = tempfile.mkstemp(suffix=suffix)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            release = read_release(tmp, lang=src)
        finally:
            os.unlink(tmp)
        return Path(name).name, [p for p in [release.title, *release.paragraphs] if p.strip()]
    paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return "pasted text", [p for p in paragraphs if p]


def _translate(
    request: Request,
    text: str,
    upload: tuple[str, bytes] | None,
    direction: str,
    use_glossary: bool,
) -> TranslationJob:
    from mlcorpus.glossary.concordance import marked_pieces
    from mlcorpus.glossary.marks import translation_marks
    from mlcorpus.mt import TranslationCache, default_cache_path, translate_segments
    from mlcorpus.segment import segment_paragraph

    if direction not in DIRECTIONS:
        raise InputError(f"unknown direction {direction!r}")
    src, tgt = direction.split("-")
    name, paragraphs = _paragraphs(text, upload, src)
    if not paragraphs:
        raise InputError("nothing to translate: paste some text or choose a release file")
    if sum(len(p) for p in paragraphs) > MAX_CHARS:
        raise InputError(
            f"the text is longer than {MAX_CHARS} characters; use 'mlcorpus translate'"
        )
    glossary = None
    settings = state_of(request).settings
    if use_glossary and settings.glossary is not None and Path(settings.glossary).exists():
        from mlcorpus.glossary import load_glossary

        glossary = load_glossary(settings.glossary)
    translator = _translator(request, src, tgt)
    sentences = [segment_paragraph(p, src) for p in paragraphs]
    flat = [s for para in sentences for s in para]
    cache = TranslationCache(settings.cache_path or default_cache_path())
    try:
        run = translate_segments(translator, flat, cache=cache, glossary=glossary)
    finally:
        cache.close()
    finder = None
    if glossary is not None:
        from mlcorpus.glossary.terms import TermFinder

        finder = TermFinder(glossary, src, tgt)
    results = iter(run.results)
    out: list[list[TranslatedSegment]] = []
    for para in sentences:
        segs = []
        for _ in para:
            res = next(results)
            seg = TranslatedSegment(res.source, res.text, res.raw_text, res.term_report or {})
            spans = (
                translation_marks(finder, seg.source, seg.text, seg.report) if finder else ([], [])
            )
            seg.source_pieces = marked_pieces(seg.source, spans[0])
            seg.text_pieces = marked_pieces(seg.text, spans[1])
            segs.append(seg)
        out.append(segs)
    return TranslationJob(
        secrets.token_urlsafe(9),
        src,
        tgt,
        name,
        out,
        getattr(translator, "model_id", ""),
        glossary.version if glossary is not None else "",
    )


async def translate_view(request: Request) -> Response:
    return render(
        request,
        "translate.html",
        title="Translate",
        nav="translate",
        job=None,
        error=None,
        text="",
        direction="en-ru",
        has_glossary=state_of(request).settings.glossary is not None,
    )


async def translate_post(request: Request) -> Response:
    data, refusal = await write_form(request)
    if refusal:
        return refused(request, refusal)
    from starlette.datastructures import UploadFile

    upload = data.get("file")
    upload_pair = None
    if isinstance(upload, UploadFile) and upload.filename:
        upload_pair = (upload.filename, await upload.read())
    text = str(data.get("text", ""))
    direction = str(data.get("direction", "en-ru"))
    context: dict[str, Any] = {
        "title": "Translate",
        "nav": "translate",
        "text": text,
        "direction": direction,
        "has_glossary": state_of(request).settings.glossary is not None,
    }
    try:
        job = await run_in_threadpool(
            _translate, request, text, upload_pair, direction, data.get("glossary") == "on"
        )
    except MlcorpusError as exc:
        return render(
            request, "translate.html", status_code=400, job=None, error=str(exc), **context
        )
    jobs = state_of(request).jobs
    jobs[job.id] = job
    while len(jobs) > MAX_JOBS:
        jobs.popitem(last=False)
    return render(request, "translate.html", job=job, error=None, **context)


def _xliff(job: TranslationJob) -> bytes:
    from mlcorpus.formats import write_units
    from mlcorpus.formats.base import machine_translation_unit

    units = [
        machine_translation_unit(
            seg.source,
            seg.text,
            job.src_lang,
            job.tgt_lang,
            model=job.model.split("#")[0],
            glossary_version=job.glossary_version,
            term_report=seg.report,
        )
        for para in job.paragraphs
        for seg in para
    ]
    fd, tmp = tempfile.mkstemp(suffix=".xlf")
    os.close(fd)
    try:
        write_units(units, tmp, "xliff", src_lang=job.src_lang, tgt_lang=job.tgt_lang)
        return Path(tmp).read_bytes()
    finally:
        os.unlink(tmp)


async def download(request: Request) -> Response:
    job = state_of(request).jobs.get(request.path_params["job"])
    if job is None:
        raise InputError(
            "no such translation (translations are kept for a while only); translate again"
        )
    fmt = request.path_params["fmt"]
    stem = Path(job.name).stem.replace(" ", "-") or "translation"
    if fmt == "txt":
        body = "\n\n".join(" ".join(s.text for s in para) for para in job.paragraphs) + "\n"
        data, media = body.encode("utf-8"), "text/plain; charset=utf-8"
    elif fmt == "xlf":
        data, media = await run_in_threadpool(_xliff, job), "application/x-xliff+xml"
    else:
        raise InputError(f"no such download format {fmt!r} (txt or xlf)")
    filename = f"{stem}.{job.src_lang}-{job.tgt_lang}.{fmt}"
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def routes() -> list[Route]:
    return [
        Route("/translate", translate_view),
        Route("/translate", translate_post, methods=["POST"]),
        Route("/translate/{job}.{fmt}", download),
    ]
