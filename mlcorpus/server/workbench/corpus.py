"""The Corpus page: every release pair, sortable, filterable, paginated."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mlcorpus.server.workbench.app import open_workspace, render, state_of
from mlcorpus.workspace.overview import (
    BEAD_TYPES,
    ReleaseSummary,
    corpus_overview,
    overview_fingerprint,
    query_overview,
)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _overview(request: Request) -> list[ReleaseSummary]:
    """The corpus summary, reused while the workspace's content is unchanged,
    so sorting, filtering and paging a big corpus does not re-read it."""
    state = state_of(request)
    with open_workspace(request) as ws:
        key = overview_fingerprint(ws)
        cached = state.cache.get("overview")
        if cached is not None and cached[0] == key:
            return cached[1]
        rows = corpus_overview(ws)
    state.cache["overview"] = (key, rows)
    return rows


def _corpus_page(request: Request) -> dict:
    q = request.query_params
    rows = _overview(request)
    page = query_overview(
        rows,
        search=q.get("q", ""),
        sort=q.get("sort", "date"),
        descending=q.get("desc") == "1",
        page=_int(q.get("page"), 1),
        per_page=_int(q.get("per_page"), state_of(request).settings.per_page),
        edited_only=q.get("edited") == "1",
        max_confidence=_float(q.get("max_conf")),
    )
    return {
        "page": page,
        "bead_types": BEAD_TYPES,
        "q": q.get("q", ""),
        "sort": q.get("sort", "date"),
        "desc": q.get("desc") == "1",
        "edited": q.get("edited") == "1",
        "max_conf": q.get("max_conf", ""),
    }


async def corpus_view(request: Request) -> Response:
    context = await run_in_threadpool(_corpus_page, request)
    return render(request, "corpus.html", title="Corpus", nav="corpus", **context)


def routes() -> list[Route]:
    return [Route("/corpus", corpus_view)]
