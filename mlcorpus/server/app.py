"""The ASGI application of ``mlcorpus serve``.

:func:`create_app` loads the models and glossaries named in the settings,
wires the LibreTranslate-compatible API (:mod:`mlcorpus.server.api`), the
DeepL-style glossary API (:mod:`mlcorpus.server.glossary_api`) and a health
endpoint, and wraps them in the body-size/timeout guard.  The dynamic
batcher starts and stops with the app's lifespan.

Starlette was chosen because it is small, well kept and pure ASGI: routing,
form and multipart parsing (python-multipart) and JSON responses without a
validation layer we would not use, since the request shapes are
LibreTranslate's, checked by hand for its exact error messages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from mlcorpus.server.api import TranslateApi
from mlcorpus.server.batcher import DynamicBatcher
from mlcorpus.server.engines import Engines
from mlcorpus.server.errors import (
    ApiError,
    api_error_handler,
    http_error_handler,
    server_error_handler,
)
from mlcorpus.server.files import FileStore
from mlcorpus.server.glossaries import GlossaryStore
from mlcorpus.server.glossary_api import GlossaryApi
from mlcorpus.server.security import BodyGuard, KeyCheck, RateLimiter
from mlcorpus.server.settings import ServerSettings
from mlcorpus.server.state import ServerState


def build_state(settings: ServerSettings, engines: Engines | None = None) -> ServerState:
    """Load models and glossaries; nothing listens yet."""
    from mlcorpus.mt import TranslationCache, default_cache_path

    engines = engines if engines is not None else Engines.load(settings.models, settings.beam_size)

    def open_cache() -> TranslationCache | None:
        if not settings.use_cache:
            return None
        return TranslationCache(settings.cache_path or default_cache_path(), any_thread=True)

    return ServerState(
        settings=settings,
        engines=engines,
        batcher=DynamicBatcher(
            engines, open_cache, settings.batch_wait_ms, settings.max_batch_segments
        ),
        glossaries=GlossaryStore.from_files(
            settings.glossaries,
            created_limit=settings.created_glossary_limit,
            entry_limit=settings.glossary_entry_limit,
        ),
        files=FileStore(settings.file_results_limit, settings.file_results_ttl),
        keys=KeyCheck(settings.api_keys),
        limiter=RateLimiter(settings.req_limit),
    )


def create_app(settings: ServerSettings, *, state: ServerState | None = None) -> Starlette:
    """The API for *settings*: models and glossaries are loaded here, so a
    bad model or glossary fails before the port opens."""
    state = state or build_state(settings)

    async def health(request: Request) -> Response:
        return JSONResponse(
            {
                "status": "ok",
                "models": {
                    f"{s}-{t}": tr.model_id
                    for (s, t), tr in sorted(state.engines.translators.items())
                },
                "glossaries": len(state.glossaries.list()),
                "batching": state.batcher.stats.to_dict(),
            }
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await state.batcher.start()
        try:
            yield
        finally:
            await state.batcher.stop()

    routes: list[BaseRoute] = [
        *TranslateApi(state).routes(),
        *GlossaryApi(state).routes(),
        Route("/health", health, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(BodyGuard, max_bytes=settings.max_body_bytes, timeout=settings.body_timeout),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST", "DELETE"],
                allow_headers=["Authorization", "Content-Type"],
                max_age=60 * 60 * 24,
            ),
        ],
        exception_handlers={
            ApiError: api_error_handler,
            HTTPException: http_error_handler,
            Exception: server_error_handler,
        },
        lifespan=lifespan,
    )
    app.state.mlcorpus = state
    if settings.build_dir is not None:
        _mount_workbench(app, settings, state, settings.build_dir)
    return app


def _mount_workbench(
    app: Starlette, settings: ServerSettings, state: ServerState, build_dir: Path
) -> None:
    """The browser workbench over the build folder at /workbench ("/" leads
    there), sharing the API's loaded models, cache, host and API keys."""
    from mlcorpus.server.workbench import WorkbenchSettings, mount_workbench

    mount_workbench(
        app,
        WorkbenchSettings(
            build_dir=build_dir,
            glossary=settings.glossaries[0] if settings.glossaries else None,
            host=settings.host,
            api_keys=settings.api_keys,
            translator_factory=state.engines.get,
            cache_path=settings.cache_path,
            on_glossary_saved=state.glossaries.reload_file,
        ),
    )
