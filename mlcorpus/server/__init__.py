"""``mlcorpus serve``: a LibreTranslate-compatible translation API with
glossaries and dynamic batching, and the browser workbench over a build
folder (:mod:`mlcorpus.server.workbench`, mounted at ``/workbench``).

Tools that already speak LibreTranslate's HTTP API (Weblate, CAT-tool plugins,
``libretranslatepy``, ``deep-translator``) get mlcorpus's offline,
glossary-enforced EN<->RU translation by pointing them at this server.

Only :mod:`mlcorpus.server.settings` is light; the web stack (Starlette,
uvicorn, python-multipart, installed with the ``server`` extra) is imported
by :mod:`mlcorpus.server.app` and the modules it uses.
"""

from __future__ import annotations

from mlcorpus.server.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]


def create_app(settings: ServerSettings):  # noqa: ANN201 -- Starlette, imported lazily
    """The ASGI application for *settings* (see :func:`mlcorpus.server.app.create_app`)."""
    from mlcorpus.server.app import create_app as _create_app

    return _create_app(settings)
