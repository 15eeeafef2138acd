"""A real uvicorn server on a free loopback port, and a headless Chromium
driven by Selenium (Debian's chromium + chromedriver), for the workbench tests."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run *app* with uvicorn on 127.0.0.1 in a thread; yields the base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def require_browser() -> None:
    pytest.importorskip("selenium", reason="selenium is not installed (test extra)")
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not Path(tool).exists() and not shutil.which(Path(tool).name):
            pytest.skip(f"{tool} is not installed (apt-get install chromium chromium-driver)")


@contextmanager
def chromium(profile: Path, downloads: Path) -> Iterator[Any]:
    """A headless Chromium with a fresh profile, 1280 px wide, downloads to *downloads*."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    require_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        "--lang=en-US",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver_path = CHROMEDRIVER if Path(CHROMEDRIVER).exists() else shutil.which("chromedriver")
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield driver
    finally:
        driver.quit()


_COUNT_COLOURS_JS = """
const [b64, done] = arguments;
const img = new Image();
img.onload = () => {
  const canvas = document.createElement("canvas");
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  const seen = new Set();
  for (let i = 0; i < data.length; i += 16) {
    seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  }
  done([img.width, img.height, seen.size]);
};
img.onerror = () => done([0, 0, 0]);
img.src = "data:image/png;base64," + b64;
"""


def screenshot_colours(driver: Any) -> tuple[int, int, int]:
    """(width, height, distinct colours) of a screenshot of the current page,
    counted by the browser itself: a blank page has one or two colours."""
    png = driver.get_screenshot_as_base64()
    return tuple(driver.execute_async_script(_COUNT_COLOURS_JS, png))  # type: ignore[return-value]


HOSTILE_EN = """<script>alert("en")</script> Ministers & <b>partners</b> meet

On 5 May 2016 the CSTO member states met in Moscow. They discussed irregular migration.

The member states agreed on a joint action plan. This line has no counterpart.
"""
HOSTILE_RU = """<script>alert("ru")</script> Встреча министров

5 мая 2016 года государства-члены ОДКБ встретились в Москве. Они обсудили незаконную миграцию.

Государства-участники согласовали совместный план действий.
"""


def make_build(repo_root: Path, root: Path) -> tuple[Path, Path]:
    """Run ``mlcorpus run`` (no model) on the sample corpus plus a release
    whose title is HTML; returns (build folder, a copy of the glossary)."""
    from click.testing import CliRunner

    from mlcorpus.cli import main

    corpus = root / "corpus"
    shutil.copytree(repo_root / "corpus", corpus)
    (corpus / "en" / "2016-05-05-hostile.txt").write_text(HOSTILE_EN, encoding="utf-8")
    (corpus / "ru" / "2016-05-05-hostile.txt").write_text(HOSTILE_RU, encoding="utf-8")
    glossary = root / "glossary.tsv"
    shutil.copy(repo_root / "glossary" / "migration.en-ru.tsv", glossary)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARGOS_PACKAGES_DIR", str(root / "no-packages"))
        mp.setenv("MLCORPUS_CACHE", str(root / "cache.sqlite"))
        result = CliRunner().invoke(
            main, ["run", str(corpus), "-o", str(root / "build"), "--glossary", str(glossary)]
        )
    assert result.exit_code == 0, result.output
    return root / "build", glossary
