"""``mlcorpus serve``: the LibreTranslate-compatible translation server."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mlcorpus.cli.common import beam_option, glossary_option
from mlcorpus.cli.vocabulary import Command, vocab_option
from mlcorpus.server.settings import API_KEY_ENV, DEFAULT_HOST, DEFAULT_PORT


@click.command("serve", cls=Command)
@click.argument("build_dir", required=False, type=click.Path(file_okay=False))
@glossary_option(
    "Glossary TSV to load (repeatable); requests name it by its file name "
    "without suffix (glossary=migration).",
    dest="glossaries",
    multiple=True,
)
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (0: any free port; the chosen one is printed).",
)
@click.option(
    "--api-key",
    "api_keys",
    multiple=True,
    help=f"Accepted API key (repeatable) [default: ${API_KEY_ENV}, comma-separated]. "
    "Required to listen on anything but 127.0.0.1.",
)
@vocab_option(
    "model",
    "models",
    multiple=True,
    metavar="NAME|PATH",
    help="Model to serve (repeatable) [default: every installed EN<->RU package].",
)
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Translation cache file [default: the one 'mlcorpus translate' uses].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the translation cache.")
@beam_option()
@click.option(
    "--char-limit",
    type=int,
    default=10_000,
    show_default=True,
    help="Characters per text (400 beyond); -1: none.",
)
@click.option(
    "--batch-limit",
    type=int,
    default=128,
    show_default=True,
    help="Texts per request when q is a list; -1: none.",
)
@click.option(
    "--req-limit",
    type=int,
    default=-1,
    show_default=True,
    help="Requests per minute per API key (or client address); -1: none.",
)
@click.option(
    "--max-body",
    "max_body_bytes",
    type=click.IntRange(1),
    default=2 * 1024 * 1024,
    show_default=True,
    help="Largest request body or uploaded file in bytes (413 beyond).",
)
@click.option(
    "--batch-wait-ms",
    type=click.FloatRange(0, 1000),
    default=5.0,
    show_default=True,
    help="How long a batch waits for requests still arriving.",
)
@click.option(
    "--body-timeout",
    type=click.FloatRange(0.1),
    default=15.0,
    show_default=True,
    help="Seconds a client may take to send its request head, and its body "
    "(the connection is closed, or 408, beyond).",
)
@click.option("--access-log/--no-access-log", default=False, help="Log every request.")
def serve_cmd(
    build_dir: str | None,
    glossaries: tuple[str, ...],
    host: str,
    port: int,
    api_keys: tuple[str, ...],
    models: tuple[str, ...],
    cache_path: str | None,
    no_cache: bool,
    beam: int,
    char_limit: int,
    batch_limit: int,
    req_limit: int,
    max_body_bytes: int,
    batch_wait_ms: float,
    body_timeout: float,
    access_log: bool,
) -> None:
    """Serve translation over HTTP, compatible with LibreTranslate's API.

    Weblate, libretranslatepy, deep-translator and other LibreTranslate
    clients work unchanged: POST /translate, /detect, /translate_file, GET
    /languages.  Requests may name a loaded glossary (glossary=ID) or give
    inline term pairs; /v2/glossaries manages glossaries in DeepL's style.
    Concurrent requests are translated together in one batch.

    Listens on 127.0.0.1 only unless an API key is set.  Needs the server
    extra: pip install "mlcorpus[server]".

    \b
    Examples:
      mlcorpus serve --glossary glossary/migration.en-ru.tsv
      curl -s localhost:5000/translate -H 'Content-Type: application/json' \\
           -d '{"q": "The member states met.", "source": "en", "target": "ru"}'
      MLCORPUS_API_KEY=s3cret-key mlcorpus serve build/ --host 0.0.0.0 --port 8080
    """
    from mlcorpus.errors import MlcorpusError
    from mlcorpus.server.settings import ServerSettings, keys_from_env

    settings = ServerSettings(
        build_dir=Path(build_dir) if build_dir else None,
        glossaries=tuple(Path(g) for g in glossaries),
        host=host,
        port=port,
        api_keys=tuple(api_keys) or keys_from_env(),
        models=models,
        cache_path=Path(cache_path) if cache_path else None,
        use_cache=not no_cache,
        beam_size=beam,
        char_limit=char_limit,
        batch_limit=batch_limit,
        req_limit=req_limit,
        max_body_bytes=max_body_bytes,
        batch_wait_ms=batch_wait_ms,
        body_timeout=body_timeout,
    )
    settings.check()
    try:
        import uvicorn  # noqa: F401 -- checked here for a clear message

        from mlcorpus.server.app import create_app
    except ImportError as exc:
        raise MlcorpusError(
            f"the server needs the 'server' extra ({exc.name} is missing): "
            'pip install "mlcorpus[server]"'
        ) from None
    app = create_app(settings)
    state = app.state.mlcorpus
    if not state.engines.translators:
        click.echo(
            "warning: no EN<->RU model installed; /translate will refuse every pair "
            "(install one with 'mlcorpus models install en ru')",
            err=True,
        )
    run_server(app, settings, access_log=access_log)


def run_server(app, settings, *, access_log: bool = False) -> None:  # noqa: ANN001
    """Run uvicorn with the settings' limits and print the address once it
    accepts connections (port 0 picks a free port)."""
    import uvicorn

    from mlcorpus.server.protocol import head_timeout_protocol

    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=head_timeout_protocol(settings.body_timeout),
        access_log=access_log,
        log_level="warning",
        limit_concurrency=settings.limit_concurrency,
        timeout_keep_alive=settings.timeout_keep_alive,
        timeout_graceful_shutdown=5,
        server_header=False,
        proxy_headers=False,
    )
    sock = config.bind_socket()
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:  # noqa: ANN001
            await super().startup(sockets)
            if self.started:
                click.echo(f"mlcorpus serve: listening on http://{shown}:{bound_port}", err=True)
                sys.stderr.flush()

    Server(config).run(sockets=[sock])
