"""LibreTranslate's error shape: a status code and ``{"error": "message"}``.

Handlers raise :class:`ApiError`; the app turns it (and Starlette's own HTTP
errors, and anything unexpected) into that JSON body, so every client sees
one shape whatever went wrong.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger("mlcorpus.server")


class ApiError(Exception):
    """An error answered with *status* and ``{"error": message}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def missing(name: str) -> ApiError:
    """LibreTranslate's wording for an absent or empty parameter."""
    return ApiError(400, f"Invalid request: missing {name} parameter")


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def api_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message)


async def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, str(exc.detail))


async def server_error_handler(request: Request, exc: Exception) -> JSONResponse:
    log.exception("error while serving %s", request.url.path, exc_info=exc)
    return error_response(500, f"Cannot translate text: {exc}")
