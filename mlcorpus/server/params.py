"""Request parameters the way LibreTranslate reads them.

A JSON object body, or form fields (urlencoded or multipart) merged over the
query string -- Flask's ``request.values``, which clients such as
deep-translator rely on by sending everything in the query string.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.requests import Request

from mlcorpus.server.errors import ApiError


@dataclass
class Params:
    """Parameters of one request; ``files`` holds multipart uploads."""

    values: dict[str, Any]
    is_json: bool = False
    files: dict[str, UploadFile] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def text(self, name: str) -> str | None:
        """A parameter that must be a string when given."""
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        raise ApiError(400, f"Invalid request: {name} parameter must be a string")


def _is_json(request: Request) -> bool:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return ctype == "application/json" or ctype.endswith("+json")


async def read_params(request: Request) -> Params:
    """The request's parameters (see the module docstring)."""
    values: dict[str, Any] = dict(request.query_params)
    if request.method in ("GET", "HEAD", "DELETE"):
        return Params(values)
    if _is_json(request):
        body = await request.body()
        try:
            data = json.loads(body) if body.strip() else None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, f"Failed to decode JSON object: {exc}") from None
        if not isinstance(data, dict):
            raise ApiError(400, "Invalid JSON format")
        return Params(data, is_json=True)
    ctype = request.headers.get("content-type", "").lower()
    if ctype.startswith("application/x-www-form-urlencoded"):
        # parsed here rather than by Starlette, which reads raw (not
        # percent-encoded) bytes as Latin-1; browsers and curl -d send UTF-8
        raw = await request.body()
        values.update(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
        return Params(values)
    if ctype.startswith("multipart/form-data"):
        try:
            form = await request.form(max_files=4, max_fields=64)
        except ApiError:
            raise
        except Exception as exc:  # malformed multipart bodies
            raise ApiError(400, f"Invalid request: cannot read the form ({exc})") from None
        files: dict[str, UploadFile] = {}
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files[key] = value
            else:
                values[key] = value
        return Params(values, files=files)
    return Params(values)


def api_key_of(request: Request, params: Params) -> str | None:
    """The API key: LibreTranslate's ``api_key`` field, or an
    ``Authorization: DeepL-Auth-Key KEY`` / ``Bearer KEY`` header."""
    key = params.get("api_key")
    if isinstance(key, str) and key:
        return key
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() in ("deepl-auth-key", "bearer") and value.strip():
        return value.strip()
    return None
