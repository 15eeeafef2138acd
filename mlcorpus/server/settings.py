"""Everything ``mlcorpus serve`` is started with, in one object.

The server reads and writes only what is named here (model folders, glossary
files, the translation cache, the build folder); no request parameter is
ever turned into a path.  The limits live here too, so the CLI, the tests,
the benchmark and the workbench mounted beside the API all configure the
same thing the same way.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from mlcorpus.errors import MlcorpusError

#: environment variable holding the API key(s), comma-separated
API_KEY_ENV = "MLCORPUS_API_KEY"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


def is_loopback(host: str) -> bool:
    """Whether *host* only accepts connections from this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def keys_from_env(environ: dict[str, str] | None = None) -> tuple[str, ...]:
    """API keys from ``$MLCORPUS_API_KEY`` (several separated by commas)."""
    value = (environ if environ is not None else os.environ).get(API_KEY_ENV, "")
    return tuple(k.strip() for k in value.split(",") if k.strip())


@dataclass(frozen=True)
class ServerSettings:
    """How the server is started: what it may read, where it listens, its limits.

    ``-1`` switches a limit off, as in LibreTranslate.
    """

    #: a ``mlcorpus run`` build folder (the workbench browses its workspace)
    build_dir: Path | None = None
    #: glossary files loaded at start; their id is the file name without suffix
    glossaries: tuple[Path, ...] = ()
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    #: accepted API keys; empty = no key needed (loopback only)
    api_keys: tuple[str, ...] = ()
    #: model package names, folders or .argosmodel files; empty = every
    #: installed EN<->RU package
    models: tuple[str, ...] = ()
    #: translation cache file; None = the user cache shared with
    #: ``mlcorpus translate``
    cache_path: Path | None = None
    use_cache: bool = True
    beam_size: int = 4
    #: characters per text in ``q`` (LibreTranslate's --char-limit)
    char_limit: int = 10_000
    #: texts per request when ``q`` is a list (LibreTranslate's --batch-limit)
    batch_limit: int = 128
    #: LibreTranslate's --alternatives-limit
    alternatives_limit: int = 5
    #: bytes of a request body (JSON, form or uploaded file); more gets 413
    max_body_bytes: int = 2 * 1024 * 1024
    #: seconds a client may take to send its whole body; slower gets 408
    body_timeout: float = 15.0
    #: requests per minute per API key (per client address without a key)
    req_limit: int = -1
    #: how long a batch waits for requests that are still arriving
    batch_wait_ms: float = 5.0
    #: segments translated in one batch at most
    max_batch_segments: int = 256
    #: term pairs of an inline glossary; entries of an uploaded glossary
    inline_glossary_limit: int = 200
    glossary_entry_limit: int = 20_000
    #: glossaries created through the API, kept in memory only
    created_glossary_limit: int = 100
    #: translated files kept for download (in memory), and for how long
    file_results_limit: int = 64
    file_results_ttl: float = 600.0
    #: open connections uvicorn serves at once; more get 503
    limit_concurrency: int = 256
    #: seconds an idle keep-alive connection stays open
    timeout_keep_alive: int = 5

    def check(self) -> None:
        """Refuse settings that would expose the server or cannot work."""
        if not is_loopback(self.host) and not self.api_keys:
            raise MlcorpusError(
                f"refusing to listen on {self.host} without an API key: "
                f"pass --api-key KEY or set {API_KEY_ENV} (without one, only "
                "127.0.0.1 is allowed)"
            )
        if not 0 <= self.port <= 65535:
            raise MlcorpusError(f"port {self.port} is not between 0 and 65535")
        if any(len(k) < 8 for k in self.api_keys):
            raise MlcorpusError("API keys must be at least 8 characters long")
        if self.build_dir is not None and not Path(self.build_dir).is_dir():
            raise MlcorpusError(f"{self.build_dir}: no such build folder")
        for path in self.glossaries:
            if not Path(path).is_file():
                raise MlcorpusError(f"{path}: no such glossary file")

    @property
    def key_required(self) -> bool:
        return bool(self.api_keys)
