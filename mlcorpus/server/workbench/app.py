"""The browser workbench over a build folder: a Starlette app of its own.

Server-rendered pages (Jinja2, autoescaping on for every template) with a
little JavaScript for keyboard shortcuts; every asset comes from ``static/``
in this package, so it works offline.  The pages are thin: the corpus
summary, alignment edits and concordance live in :mod:`mlcorpus.workspace`,
glossary editing in :mod:`mlcorpus.glossary`, translation in
:mod:`mlcorpus.mt`.

Every request opens the workspace anew (SQLite connections belong to one
thread, and requests run in a thread pool); glossary saves are serialised by
a lock and re-read the file first, so an edit made elsewhere is never lost.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from mlcorpus.errors import MlcorpusError
from mlcorpus.server.workbench import security

HERE = Path(__file__).resolve().parent
FLASH_COOKIE = "mlc_flash"


@dataclass
class WorkbenchSettings:
    """What the workbench serves and who may change it."""

    build_dir: Path
    glossary: Path | None = None
    model: str | None = None  # Argos package name or path for the Translate page
    host: str = "127.0.0.1"  # the address the server is bound to
    api_keys: tuple[str, ...] = ()  # any of them enables writes off loopback
    per_page: int = 50
    translator_factory: Callable[[str, str], Any] | None = None  # (src, tgt) -> Translator
    cache_path: Path | None = None  # translation cache; default: the user cache
    #: called with the glossary's path after every save (the API reloads it)
    on_glossary_saved: Callable[[Path], None] | None = None

    @property
    def workspace_path(self) -> Path:
        return Path(self.build_dir) / "workspace.sqlite"

    @property
    def writes_need_key(self) -> bool:
        return not security.is_loopback(self.host)


@dataclass
class WorkbenchState:
    settings: WorkbenchSettings
    templates: Environment
    glossary_lock: threading.Lock = field(default_factory=threading.Lock)
    translators: dict[str, Any] = field(default_factory=dict)
    translator_lock: threading.Lock = field(default_factory=threading.Lock)
    jobs: OrderedDict[str, Any] = field(default_factory=OrderedDict)
    cache: dict[str, Any] = field(default_factory=dict)  # page data reused between requests


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda v: "–" if v is None else f"{100 * v:.0f}%"
    env.filters["num"] = lambda v, d=2: "–" if v is None else f"{v:.{d}f}"
    env.filters["q"] = lambda v: quote(str(v), safe="")
    return env


def state_of(request: Request) -> WorkbenchState:
    return request.app.state.workbench


@contextmanager
def open_workspace(request: Request, *, write: bool = False) -> Iterator[Any]:
    """The build's workspace; read-only unless *write* (pages only read, and a
    read-only open skips the integrity check a writable open runs)."""
    from mlcorpus.workspace import Workspace

    path = state_of(request).settings.workspace_path
    with Workspace(path, create=False, readonly=not write) as ws:
        yield ws


def render(
    request: Request,
    template: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a page; sets the CSRF cookie on first visit and shows a flash."""
    state = state_of(request)
    token = request.cookies.get(security.CSRF_COOKIE) or security.new_token()
    flash = unquote(request.cookies.get(FLASH_COOKIE, "")) or None
    html = state.templates.get_template(template).render(
        request=request,
        base=request.scope.get("root_path", "").rstrip("/"),
        csrf_field=security.CSRF_FIELD,
        csrf_token=token,
        flash=flash,
        settings=state.settings,
        need_key=state.settings.writes_need_key,
        qs=lambda **changes: (
            "?"
            + urlencode(
                {
                    k: v
                    for k, v in {**dict(request.query_params), **changes}.items()
                    if v not in ("", None)
                }
            )
        ),
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    if request.cookies.get(security.CSRF_COOKIE) != token:
        response.set_cookie(security.CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def redirect(request: Request, path: str, message: str | None = None) -> RedirectResponse:
    """303 to *path* (inside the workbench), carrying *message* for the next page."""
    base = request.scope.get("root_path", "").rstrip("/")
    response = RedirectResponse(base + path, status_code=303)
    if message:
        response.set_cookie(FLASH_COOKIE, quote(message), samesite="strict", path="/")
    return response


async def write_form(request: Request) -> tuple[dict[str, Any], str | None]:
    """The posted form and why the write must be refused (None: allowed)."""
    form = await request.form()
    data = dict(form.multi_items())
    settings = state_of(request).settings
    refusal = security.write_refusal(
        cookie_token=request.cookies.get(security.CSRF_COOKIE),
        form_token=data.get(security.CSRF_FIELD),  # type: ignore[arg-type]
        needs_key=settings.writes_need_key,
        api_keys=settings.api_keys,
        given_keys=[
            request.headers.get("x-api-key"),
            data.get(security.KEY_FIELD),  # type: ignore[list-item]
            request.cookies.get(security.KEY_COOKIE),
        ],
    )
    return data, refusal


def refused(request: Request, message: str) -> HTMLResponse:
    return render(request, "message.html", status_code=403, title="Not allowed", message=message)


async def home(request: Request) -> Response:
    return redirect(request, "/corpus")


async def key_page(request: Request) -> Response:
    """Enter the API key once; it is kept in an HttpOnly cookie for writes."""
    if request.method == "POST":
        form = await request.form()
        if not security.tokens_match(
            request.cookies.get(security.CSRF_COOKIE),
            form.get(security.CSRF_FIELD),  # type: ignore[arg-type]
        ):
            return refused(request, "the form's security token is missing; reload and retry")
        key = str(form.get(security.KEY_FIELD, ""))
        settings = state_of(request).settings
        if not any(security.tokens_match(k, key) for k in settings.api_keys):
            return render(request, "key.html", status_code=403, error="wrong API key")
        response = redirect(request, "/corpus", "API key accepted; changes are enabled")
        response.set_cookie(security.KEY_COOKIE, key, httponly=True, samesite="strict", path="/")
        return response
    return render(request, "key.html", error=None)


def error_page(request: Request, exc: Exception) -> Response:
    status = 404 if "no such" in str(exc) or "has not been aligned" in str(exc) else 400
    return render(request, "message.html", status_code=status, title="Error", message=str(exc))


def create_workbench_app(settings: WorkbenchSettings | None = None, **options: Any) -> Starlette:
    """The workbench as an ASGI app; mount it (e.g. at ``/workbench``) or run
    it alone.  *options* are :class:`WorkbenchSettings` fields."""
    from mlcorpus.server.workbench import corpus, glossary, release, translate

    settings = settings or WorkbenchSettings(**options)
    routes = [
        Route("/", home),
        Route("/key", key_page, methods=["GET", "POST"]),
        *corpus.routes(),
        *release.routes(),
        *glossary.routes(),
        *translate.routes(),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={MlcorpusError: error_page})
    app.state.workbench = WorkbenchState(settings, _templates())
    return app
