"""Glossary endpoints in the style of DeepL's v2 API.

    GET    /v2/glossary-language-pairs
    GET    /v2/glossaries                  {"glossaries": [...]}
    POST   /v2/glossaries                  name, source_lang, target_lang,
                                           entries (+ entries_format tsv|csv|tbx|mlcorpus)
                                           or a multipart ``file`` -> 201
    GET    /v2/glossaries/{id}
    GET    /v2/glossaries/{id}/entries     TSV (DeepL), or JSON with Accept: application/json
    DELETE /v2/glossaries/{id}             204

Every endpoint checks the API key like /translate.  A glossary's id is what
/translate's ``glossary`` parameter takes.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from mlcorpus.server.errors import ApiError, missing
from mlcorpus.server.state import ServerState


class GlossaryApi:
    def __init__(self, state: ServerState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            Route("/v2/glossary-language-pairs", self.language_pairs, methods=["GET"]),
            Route("/v2/glossaries", self.list, methods=["GET"]),
            Route("/v2/glossaries", self.create, methods=["POST"]),
            Route("/v2/glossaries/{glossary_id}", self.info, methods=["GET"]),
            Route("/v2/glossaries/{glossary_id}", self.delete, methods=["DELETE"]),
            Route("/v2/glossaries/{glossary_id}/entries", self.entries, methods=["GET"]),
        ]

    async def language_pairs(self, request: Request) -> Response:
        await self.state.checked_params(request)
        pairs = sorted(self.state.engines.translators)
        return JSONResponse(
            {"supported_languages": [{"source_lang": s, "target_lang": t} for s, t in pairs]}
        )

    async def list(self, request: Request) -> Response:
        await self.state.checked_params(request)
        return JSONResponse({"glossaries": [g.info() for g in self.state.glossaries.list()]})

    async def create(self, request: Request) -> Response:
        params = await self.state.checked_params(request)
        name = params.text("name")
        source = (params.text("source_lang") or "en").lower()
        target = (params.text("target_lang") or ("ru" if source == "en" else "en")).lower()
        if not name:
            raise missing("name")
        if {source, target} != {"en", "ru"}:
            raise ApiError(
                400,
                f"Invalid request: glossaries translate between en and ru, not {source}->{target}",
            )
        upload = params.files.get("file")
        fmt = params.text("entries_format") or "auto"
        if upload is not None:
            content: str | bytes = await upload.read()
            if fmt == "auto" and upload.filename and upload.filename.lower().endswith(".csv"):
                fmt = "csv"
        else:
            entries = params.text("entries")
            if not entries:
                raise missing("entries")
            content = entries
        stored = self.state.glossaries.create(name, source, target, content, fmt)
        return JSONResponse(stored.info(), status_code=201)

    async def info(self, request: Request) -> Response:
        await self.state.checked_params(request)
        return JSONResponse(self.state.glossaries.get(request.path_params["glossary_id"]).info())

    async def entries(self, request: Request) -> Response:
        await self.state.checked_params(request)
        stored = self.state.glossaries.get(request.path_params["glossary_id"])
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"entries": stored.entries_json()})
        return PlainTextResponse(
            stored.entries_tsv(), media_type="text/tab-separated-values; charset=utf-8"
        )

    async def delete(self, request: Request) -> Response:
        await self.state.checked_params(request)
        self.state.glossaries.delete(request.path_params["glossary_id"])
        return Response(status_code=204)
