"""The Release page: the two texts bead by bead, and the corrections.

Each bead row is one form; its buttons name the correction (merge, split,
move a sentence, not a translation).  Every form carries the alignment's
revision, so a save from a stale tab is refused with a message (409) and
the page shows the alignment as it is now.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mlcorpus.server.workbench.app import (
    open_workspace,
    redirect,
    refused,
    render,
    write_form,
)
from mlcorpus.workspace.edits import (
    AlignmentState,
    EditError,
    StaleRevisionError,
    alignment_state,
    edit_alignment,
    undo_edit,
)
from mlcorpus.workspace.overview import refresh_summaries

PER_PAGE = 200
#: button value -> (operation, extra parameters)
BUTTONS = {
    "merge-next": ("merge", {}),
    "merge-previous": ("merge-previous", {}),
    "split": ("split", {}),
    "src-next": ("move", {"side": "src", "direction": "next"}),
    "src-previous": ("move", {"side": "src", "direction": "previous"}),
    "tgt-next": ("move", {"side": "tgt", "direction": "next"}),
    "tgt-previous": ("move", {"side": "tgt", "direction": "previous"}),
    "exclude": ("exclude", {}),
    "include": ("include", {}),
}


def _rows(state: AlignmentState, order: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n, bead in enumerate(state.beads):
        rows.append(
            {
                "n": n,
                "bead": bead,
                "src": [(i, state.src_sentences[i]) for i in bead.src],
                "tgt": [(j, state.tgt_sentences[j]) for j in bead.tgt],
            }
        )
    if order == "confidence":
        rows.sort(key=lambda r: (r["bead"].score, r["n"]))
    return rows


def _release_context(request: Request, pair_id: str, order: str, page: int) -> dict:
    with open_workspace(request) as ws:
        state = alignment_state(ws, pair_id)
        release: dict[str, Any] = next((r for r in ws.releases() if r["pair_id"] == pair_id), {})
    rows = _rows(state, order)
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(max(page, 1), pages)
    return {
        "state": state,
        "release": release,
        "rows": rows[(page - 1) * PER_PAGE : page * PER_PAGE],
        "order": order,
        "page_no": page,
        "pages": pages,
        "title": f"Release {pair_id}",
        "nav": "corpus",
    }


def _page_args(request: Request) -> tuple[str, int]:
    order = request.query_params.get("order", "document")
    try:
        page = int(request.query_params.get("page", "1"))
    except ValueError:
        page = 1
    return ("confidence" if order == "confidence" else "document"), page


async def release_view(request: Request) -> Response:
    pair_id = request.path_params["pair_id"]
    order, page = _page_args(request)
    context = await run_in_threadpool(_release_context, request, pair_id, order, page)
    return render(request, "release.html", error=None, **context)


def _apply(request: Request, pair_id: str, data: dict) -> str:
    with open_workspace(request, write=True) as ws:
        message = _correct(ws, pair_id, data)
        refresh_summaries(ws)  # the corpus page's counts for this release
        return message


def _correct(ws: Any, pair_id: str, data: dict) -> str:
    if data.get("action") == "undo":
        _, action = undo_edit(ws, pair_id, revision=str(data.get("revision", "")))
        return f"undone: {action}"
    op, params = BUTTONS.get(str(data.get("action", "")), (None, {}))
    if op is None:
        raise EditError(f"unknown correction {data.get('action')!r}")
    if op == "split":
        params = {"src_at": data.get("src_at", ""), "tgt_at": data.get("tgt_at", "")}
    try:
        n = int(str(data.get("n", "")))
    except ValueError:
        raise EditError("no bead number in the request") from None
    state = edit_alignment(ws, pair_id, op, n, revision=str(data.get("revision", "")), **params)
    return state.active_edits[-1].action if state.active_edits else "saved"


async def edit_view(request: Request) -> Response:
    pair_id = request.path_params["pair_id"]
    data, refusal = await write_form(request)
    if refusal:
        return refused(request, refusal)
    order = "confidence" if data.get("order") == "confidence" else "document"
    try:
        message = await run_in_threadpool(_apply, request, pair_id, data)
    except (StaleRevisionError, EditError) as exc:
        context = await run_in_threadpool(_release_context, request, pair_id, order, 1)
        status = 409 if isinstance(exc, StaleRevisionError) else 400
        return render(request, "release.html", status_code=status, error=str(exc), **context)
    anchor = f"#bead-{data.get('n')}" if data.get("n") not in (None, "") else ""
    query = "?order=confidence" if order == "confidence" else ""
    return redirect(request, f"/release/{pair_id}{query}{anchor}", message)


def routes() -> list[Route]:
    return [
        Route("/release/{pair_id}", release_view),
        Route("/release/{pair_id}/edit", edit_view, methods=["POST"]),
    ]
