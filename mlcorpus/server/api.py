"""LibreTranslate's endpoints: /translate, /detect, /languages,
/translate_file, /download_file and /frontend/settings.

Parameters, response shapes, error messages and status codes follow
LibreTranslate's ``app.py``, so its clients work unchanged.  mlcorpus adds
optional parameters: ``glossary`` (a loaded glossary's id, or inline
``{"term": "термин"}`` pairs) and ``term_report`` (glossary hits, fixes and
misses per text).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mlcorpus.alphabet import script_shares
from mlcorpus.server.batcher import BatchKey, SegmentResult
from mlcorpus.server.documents import Template, make_template
from mlcorpus.server.engines import LANGUAGE_NAMES
from mlcorpus.server.errors import ApiError, missing
from mlcorpus.server.files import FILE_KINDS, file_kind, translate_file_bytes
from mlcorpus.server.glossaries import inline_glossary
from mlcorpus.server.params import Params
from mlcorpus.server.state import ServerState

TRUE_WORDS = ("1", "true", "yes", "on")


def detect_languages(text: str, codes: list[str]) -> list[dict[str, Any]]:
    """Script-based detection among *codes*: the share of Cyrillic letters is
    the confidence (0-100) of Russian, the share of Latin letters that of
    English; best first."""
    cyrillic, latin, letters = script_shares(text)
    share = {"ru": cyrillic, "en": latin}
    found = [
        {
            "confidence": round(100.0 * share.get(code, 0) / letters, 1) if letters else 0.0,
            "language": code,
        }
        for code in codes or sorted(LANGUAGE_NAMES)
    ]
    return sorted(found, key=lambda d: -d["confidence"])


def _merge_reports(reports: list[dict[str, Any] | None]) -> dict[str, Any]:
    merged: dict[str, Any] = {"hits": [], "fixed": [], "misses": []}
    for report in reports:
        for name in merged:
            merged[name].extend((report or {}).get(name, []))
    return merged


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in TRUE_WORDS


def _language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


class TranslateApi:
    """The LibreTranslate-compatible routes over one :class:`ServerState`."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.settings = state.settings

    def routes(self) -> list[Route]:
        return [
            Route("/translate", self.translate, methods=["POST"]),
            Route("/detect", self.detect, methods=["POST"]),
            Route("/languages", self.languages, methods=["GET", "POST"]),
            Route("/translate_file", self.translate_file, methods=["POST"]),
            Route("/download_file/{filename}", self.download_file, methods=["GET"]),
            Route("/frontend/settings", self.frontend_settings, methods=["GET"]),
        ]

    # -- shared checks ----------------------------------------------------------------

    def _pair(self, source: str, target: str) -> None:
        codes = self.state.engines.codes
        if source not in codes:
            raise ApiError(400, f"{source} is not supported")
        if target not in codes:
            raise ApiError(400, f"{target} is not supported")
        if self.state.engines.get(source, target) is None:
            raise ApiError(
                400,
                f"{_language_name(target)} ({target}) is not available as a target language "
                f"from {_language_name(source)} ({source})",
            )

    def _glossary(self, value: Any, source: str, target: str):  # noqa: ANN202
        """The glossary a request asks for: a stored id or inline pairs."""
        if value is None or value == "" or value == {}:
            return None
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("{"):
                try:
                    value = json.loads(text)
                except ValueError:
                    raise ApiError(400, "Invalid request: glossary is not valid JSON") from None
            else:
                return self.state.glossaries.get(text).glossary
        if not isinstance(value, dict):
            raise ApiError(
                400,
                "Invalid request: glossary must be a glossary id or an object of term pairs",
            )
        return inline_glossary(value, source, target, self.settings.inline_glossary_limit)

    async def _translate_templates(
        self, key: BatchKey, templates: list[Template], glossary: Any
    ) -> list[list[SegmentResult]]:
        segments = [s for t in templates for s in t.segments]
        results = await self.state.batcher.translate(key, segments, glossary)
        out, cursor = [], 0
        for template in templates:
            out.append(results[cursor : cursor + len(template.segments)])
            cursor += len(template.segments)
        return out

    # -- routes -----------------------------------------------------------------------

    async def translate(self, request: Request) -> Response:
        with self.state.batcher.arriving():
            params = await self.state.checked_params(request)
            prepared = self._prepare_translation(params)
        return JSONResponse(await self._run_translation(*prepared))

    def _prepare_translation(self, params: Params) -> tuple:
        settings = self.settings
        q = params.get("q")
        source, target = params.text("source"), params.text("target")
        fmt = params.text("format") or "text"
        if not q:
            raise missing("q")
        if not source:
            raise missing("source")
        if not target:
            raise missing("target")
        try:
            alternatives = max(0, int(params.get("alternatives") or 0))
        except (TypeError, ValueError):
            raise ApiError(400, "Invalid request: alternatives parameter is not a number") from None
        if 0 <= settings.alternatives_limit < alternatives:
            raise ApiError(
                400,
                f"Invalid request: alternatives parameter must be <= {settings.alternatives_limit}",
            )
        batch = isinstance(q, list)
        texts = q if batch else [q]
        if not all(isinstance(t, str) for t in texts):
            raise ApiError(400, "Invalid request: q must be a string or a list of strings")
        if not params.is_json:
            texts = ["\n".join(t.splitlines()) for t in texts]
        if batch and 0 <= settings.batch_limit < len(texts):
            raise ApiError(
                400,
                f"Invalid request: request ({len(texts)}) exceeds text limit "
                f"({settings.batch_limit})",
            )
        for text in texts:
            if 0 <= settings.char_limit < len(text):
                raise ApiError(
                    400,
                    f"Invalid request: request ({len(text)}) exceeds text limit "
                    f"({settings.char_limit})",
                )
        detected = None
        if source == "auto":
            detected = detect_languages(" ".join(texts), self.state.engines.codes)[0]
            source = detected["language"]
        self._pair(source, target)
        if fmt not in ("text", "html"):
            raise ApiError(400, f"{fmt} format is not supported")
        glossary = self._glossary(params.get("glossary", params.get("glossary_id")), source, target)
        templates = [make_template(t, fmt, source) for t in texts]
        key = BatchKey(
            source,
            target,
            glossary.version if glossary is not None else "",
            alternatives if fmt == "text" else 0,
        )
        want_report = _flag(params.get("term_report"))
        return key, templates, glossary, batch, detected, alternatives, want_report

    async def _run_translation(
        self,
        key: BatchKey,
        templates: list[Template],
        glossary: Any,
        batch: bool,
        detected: dict[str, Any] | None,
        alternatives: int,
        want_report: bool,
    ) -> dict[str, Any]:
        per_text = await self._translate_templates(key, templates, glossary)
        texts, alts, reports = [], [], []
        for template, results in zip(templates, per_text, strict=True):
            main = template.fill([r.text for r in results])
            texts.append(main)
            options: list[str] = []
            for rank in range(key.alternatives):
                if not any(len(r.alternatives) > rank for r in results):
                    break
                option = template.fill(
                    [
                        r.alternatives[rank] if len(r.alternatives) > rank else r.text
                        for r in results
                    ]
                )
                if option != main and option not in options:
                    options.append(option)
            alts.append(options)
            reports.append(_merge_reports([r.term_report for r in results]))
        body: dict[str, Any] = {"translatedText": texts if batch else texts[0]}
        if detected is not None:
            body["detectedLanguage"] = [detected] * len(texts) if batch else detected
        if alternatives > 0:
            body["alternatives"] = alts if batch else alts[0]
        if want_report:
            body["termReport"] = reports if batch else reports[0]
        return body

    async def detect(self, request: Request) -> Response:
        params = await self.state.checked_params(request)
        q = params.get("q")
        if not q:
            raise missing("q")
        if isinstance(q, list):
            q = " ".join(t for t in q if isinstance(t, str))
        if not isinstance(q, str):
            raise ApiError(400, "Invalid request: q must be a string")
        return JSONResponse(detect_languages(q, self.state.engines.codes))

    async def languages(self, request: Request) -> Response:
        return JSONResponse(self.state.engines.languages())

    async def frontend_settings(self, request: Request) -> Response:
        codes = self.state.engines.codes or sorted(LANGUAGE_NAMES)
        source = "en" if "en" in codes else codes[0]
        target = next((c for c in codes if c != source), source)
        return JSONResponse(
            {
                "charLimit": self.settings.char_limit,
                "frontendTimeout": 500,
                "apiKeys": self.state.keys.required,
                "keyRequired": self.state.keys.required,
                "suggestions": False,
                "filesTranslation": True,
                "supportedFilesFormat": sorted(FILE_KINDS),
                "language": {
                    "source": {"code": source, "name": _language_name(source)},
                    "target": {"code": target, "name": _language_name(target)},
                },
            }
        )

    async def translate_file(self, request: Request) -> Response:
        with self.state.batcher.arriving():
            params = await self.state.checked_params(request)
        upload = params.files.get("file")
        source, target = params.text("source"), params.text("target")
        if upload is None:
            raise missing("file")
        if not source:
            raise missing("source")
        if not target:
            raise missing("target")
        if not upload.filename:
            raise ApiError(400, "Invalid request: empty file")
        kind = file_kind(upload.filename)
        data = await upload.read()
        if source == "auto":
            sample = data[:20000].decode("utf-8", errors="ignore")
            source = detect_languages(sample, self.state.engines.codes)[0]["language"]
        self._pair(source, target)
        glossary = self._glossary(params.get("glossary"), source, target)
        key = BatchKey(source, target, glossary.version if glossary is not None else "")

        async def run(templates: list[Template]) -> list[str]:
            done = await self._translate_templates(key, templates, glossary)
            return [t.fill([r.text for r in res]) for t, res in zip(templates, done, strict=True)]

        out = await translate_file_bytes(data, upload.filename, source, target, run)
        name = self.state.files.put(upload.filename, out, kind)
        url = str(request.url_for("download_file", filename=name))
        return JSONResponse({"translatedFileUrl": url})

    async def download_file(self, request: Request) -> Response:
        stored = self.state.files.get(request.path_params["filename"])
        if stored is None:
            raise ApiError(404, "Invalid filename: no such translated file (or it expired)")
        return Response(
            stored.data,
            media_type=stored.media_type,
            headers={"Content-Disposition": f'attachment; filename="{stored.name}"'},
        )
