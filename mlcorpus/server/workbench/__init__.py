"""The browser workbench: review and correct alignments, edit the glossary
with corpus evidence, translate with the glossary.

``create_workbench_app`` builds it as its own Starlette app; ``mount_workbench``
adds it under ``/workbench`` to another app (the ``serve`` API) with ``/``
redirecting to it.
"""

from __future__ import annotations

from typing import Any

from mlcorpus.server.workbench.app import WorkbenchSettings, create_workbench_app

MOUNT_PATH = "/workbench"

__all__ = ["MOUNT_PATH", "WorkbenchSettings", "create_workbench_app", "mount_workbench"]


def mount_workbench(app: Any, settings: WorkbenchSettings) -> None:
    """Mount the workbench at ``/workbench`` of Starlette *app*; ``/`` redirects there."""
    from starlette.responses import RedirectResponse
    from starlette.routing import Mount, Route

    async def to_workbench(request: Any) -> RedirectResponse:
        return RedirectResponse(MOUNT_PATH + "/", status_code=307)

    app.router.routes.append(Mount(MOUNT_PATH, app=create_workbench_app(settings)))
    app.router.routes.append(Route("/", to_workbench))


def standalone_app(settings: WorkbenchSettings) -> Any:
    """The workbench mounted at ``/workbench`` in an otherwise empty app (tests,
    benchmarks, and a server without the translation API)."""
    from starlette.applications import Starlette

    app = Starlette()
    mount_workbench(app, settings)
    return app
