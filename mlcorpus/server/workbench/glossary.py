"""The Glossary pages: the entries as a table, the entry editor, the concordance.

Saving goes through :mod:`mlcorpus.glossary.edit` (the checks of ``glossary
add``) and :func:`mlcorpus.glossary.save_glossary` (atomic, row order,
comments and unknown columns kept).  The file is re-read for every save
under a lock, and the editor's entry version must still match, so a stale
tab cannot overwrite a newer change.
"""

from __future__ import annotations

import math
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mlcorpus.errors import InputError, MlcorpusError
from mlcorpus.glossary.concordance import marked_pieces
from mlcorpus.glossary.edit import (
    StaleEntryError,
    add_entry,
    entry_version,
    remove_entry,
    update_entry,
)
from mlcorpus.glossary.io_tsv import split_cell
from mlcorpus.glossary.model import Entry, Glossary
from mlcorpus.server.workbench.app import (
    open_workspace,
    redirect,
    refused,
    render,
    state_of,
    write_form,
)

PER_PAGE = 100
CONCORDANCE_LINES = 200
SORTS = {
    "en": lambda e: e.en.casefold(),
    "ru": lambda e: e.ru.casefold(),
    "note": lambda e: e.note.casefold(),
    "file": None,
}


def _path(request: Request) -> Path:
    path = state_of(request).settings.glossary
    if path is None:
        raise InputError("no glossary: start the server with --glossary FILE to edit one")
    return Path(path)


def _load(request: Request) -> Glossary:
    from mlcorpus.glossary import load_glossary
    from mlcorpus.glossary.model import Glossary

    path = _path(request)
    if not path.exists():
        return Glossary(path=str(path))
    return load_glossary(path)


def _glossary_context(request: Request) -> dict:
    q = request.query_params
    glossary = _load(request)
    needle = q.get("q", "").strip().casefold()
    entries = [
        e
        for e in glossary.entries
        if not needle
        or any(
            needle in cell.casefold()
            for cell in (e.en, e.ru, e.note, *e.en_variants, *e.ru_variants, *e.ru_deprecated)
        )
    ]
    sort = q.get("sort", "file")
    key = SORTS.get(sort)
    if key is not None:
        entries.sort(key=key, reverse=q.get("desc") == "1")
    try:
        page = max(1, int(q.get("page", "1")))
    except ValueError:
        page = 1
    pages = max(1, math.ceil(len(entries) / PER_PAGE))
    page = min(page, pages)
    return {
        "entries": entries[(page - 1) * PER_PAGE : page * PER_PAGE],
        "matched": len(entries),
        "total": len(glossary),
        "page_no": page,
        "pages": pages,
        "q": q.get("q", ""),
        "sort": sort,
        "desc": q.get("desc") == "1",
        "path": str(_path(request)),
        "version": entry_version,
    }


async def glossary_view(request: Request) -> Response:
    context = await run_in_threadpool(_glossary_context, request)
    return render(request, "glossary.html", title="Glossary", nav="glossary", **context)


def _entry_from_form(data: dict) -> Entry:
    return Entry(
        en=str(data.get("en", "")).strip(),
        ru=str(data.get("ru", "")).strip(),
        en_variants=split_cell(str(data.get("en_variants", ""))),
        ru_variants=split_cell(str(data.get("ru_variants", ""))),
        ru_deprecated=split_cell(str(data.get("ru_deprecated", ""))),
        case_sensitive=data.get("case_sensitive") in ("on", "true", "1"),
        note=" ".join(str(data.get("note", "")).split()),
    )


async def entry_view(request: Request) -> Response:
    """The editor for one entry (``?en=TERM``) or a new one (no ``en``)."""
    en = request.query_params.get("en")
    glossary = await run_in_threadpool(_load, request)
    entry = glossary.find(en) if en else None
    if en and entry is None:
        raise InputError(f"no such glossary entry: {en!r}")
    return render(
        request,
        "entry.html",
        title=f"Edit {entry.en}" if entry else "New entry",
        nav="glossary",
        entry=entry,
        form=None,
        original=entry.en if entry else "",
        version=entry_version(entry) if entry else "",
        error=None,
    )


def _save(request: Request, data: dict) -> str:
    state = state_of(request)
    with state.glossary_lock:  # saves, and the API's reloads, in order
        message = _save_locked(request, data)
        if state.settings.on_glossary_saved is not None:
            state.settings.on_glossary_saved(_path(request))
    return message


def _save_locked(request: Request, data: dict) -> str:
    from mlcorpus.glossary import save_glossary

    glossary = _load(request)
    action = data.get("action", "save")
    original = str(data.get("original", ""))
    version = str(data.get("version", "")) or None
    if action == "remove":
        removed = remove_entry(glossary, original, version)
        save_glossary(glossary, _path(request))
        return f"removed {removed.en} -> {removed.ru}"
    entry = _entry_from_form(data)
    if original:
        update_entry(glossary, original, version, entry)
        verb = "saved"
    else:
        add_entry(glossary, entry)
        verb = "added"
    save_glossary(glossary, _path(request))
    return f"{verb} {entry.en} -> {entry.ru}"


async def entry_save(request: Request) -> Response:
    data, refusal = await write_form(request)
    if refusal:
        return refused(request, refusal)
    try:
        message = await run_in_threadpool(_save, request, data)
    except MlcorpusError as exc:
        status = 409 if isinstance(exc, StaleEntryError) else 400
        return render(
            request,
            "entry.html",
            status_code=status,
            title="Entry not saved",
            nav="glossary",
            entry=None,
            form=data,
            original=data.get("original", ""),
            version=data.get("version", ""),
            error=str(exc),
        )
    return redirect(request, "/glossary", message)


def _concordance_context(request: Request, en: str) -> dict:
    from mlcorpus.workspace.concordance import term_concordance

    glossary = _load(request)
    entry = glossary.find(en)
    if entry is None:
        raise InputError(f"no such glossary entry: {en!r}")
    kind = request.query_params.get("kind", "")
    with open_workspace(request) as ws:
        result = term_concordance(ws, entry)
    lines = [line for line in result.lines if not kind or kind in _line_kinds(line)]
    return {
        "entry": entry,
        "result": result,
        "lines": [
            (
                line,
                marked_pieces(line.source, line.source_spans),
                marked_pieces(line.target, line.target_spans),
            )
            for line in lines[:CONCORDANCE_LINES]
        ],
        "shown_kind": kind,
        "matched_lines": len(lines),
        "limit": CONCORDANCE_LINES,
    }


def _line_kinds(line) -> set[str]:  # noqa: ANN001
    return line.kinds or {"none"}


async def concordance_view(request: Request) -> Response:
    en = request.query_params.get("en", "")
    context = await run_in_threadpool(_concordance_context, request, en)
    return render(
        request, "concordance.html", title=f"Concordance: {en}", nav="glossary", **context
    )


def routes() -> list[Route]:
    return [
        Route("/glossary", glossary_view),
        Route("/glossary/entry", entry_view),
        Route("/glossary/entry", entry_save, methods=["POST"]),
        Route("/glossary/concordance", concordance_view),
    ]
