"""What one running server holds: settings, models, batcher, glossaries,
translated files, key check and rate limit -- built once by ``create_app``
and shared by the route modules."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from mlcorpus.server.batcher import DynamicBatcher
from mlcorpus.server.engines import Engines
from mlcorpus.server.files import FileStore
from mlcorpus.server.glossaries import GlossaryStore
from mlcorpus.server.params import Params, api_key_of, read_params
from mlcorpus.server.security import KeyCheck, RateLimiter
from mlcorpus.server.settings import ServerSettings


@dataclass
class ServerState:
    settings: ServerSettings
    engines: Engines
    batcher: DynamicBatcher
    glossaries: GlossaryStore
    files: FileStore
    keys: KeyCheck
    limiter: RateLimiter

    async def checked_params(self, request: Request) -> Params:
        """The request's parameters after the API key check and the rate
        limit (per key, or per client address without one)."""
        params = await read_params(request)
        key = api_key_of(request, params)
        self.keys.check(key)
        client = request.client.host if request.client else "unknown"
        self.limiter.hit(f"key:{key}" if key else f"ip:{client}")
        return params
