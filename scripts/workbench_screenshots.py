"""Screenshots of the workbench for the README (docs/img/), from the sample corpus.

Runs ``mlcorpus run`` on corpus/ in a temporary folder, serves the workbench
on a loopback port, makes one correction so the release view shows one, and
captures the release view and the concordance of "member states" with
headless Chromium at 1280 px.

Usage: python scripts/workbench_screenshots.py [--out docs/img]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    args = parser.parse_args()

    from selenium.webdriver.common.by import By
    from support.web import chromium, make_build, serve

    from mlcorpus.server.workbench import WorkbenchSettings, standalone_app
    from mlcorpus.workspace import Workspace
    from mlcorpus.workspace.edits import alignment_state, edit_alignment

    pair = "2015-03-02-iom-csto-meeting"
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build, glossary = make_build(REPO, root)
        with Workspace(build / "workspace.sqlite") as ws:
            edit_alignment(ws, pair, "merge", 0, revision=alignment_state(ws, pair).revision)
        app = standalone_app(WorkbenchSettings(build_dir=build, glossary=glossary))
        with serve(app) as url, chromium(root / "profile", root / "dl") as driver:
            driver.set_window_size(1280, 860)
            driver.get(f"{url}/workbench/release/{pair}")
            driver.find_element(By.ID, "bead-1").click()
            driver.save_screenshot(str(args.out / "workbench-release.png"))
            driver.get(f"{url}/workbench/glossary/concordance?en=member%20states")
            driver.save_screenshot(str(args.out / "workbench-concordance.png"))
    for name in ("workbench-release.png", "workbench-concordance.png"):
        path = args.out / name
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
