"""The workbench over HTTP, served by uvicorn on a loopback port: pages,
escaping, CSRF and API-key rules, glossary saves that keep the file's
layout, the stale-version refusals."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

pytest.importorskip("starlette", reason="the server extra is not installed")
pytest.importorskip("uvicorn", reason="the server extra is not installed")

from support.web import make_build, serve

from mlcorpus.server.workbench import WorkbenchSettings, standalone_app

PAIR = "2015-03-02-iom-csto-meeting"


@pytest.fixture(scope="module")
def build(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_build(repo_root, tmp_path_factory.mktemp("workbench-http"))


@pytest.fixture(scope="module")
def base(build: tuple[Path, Path]):
    build_dir, glossary = build
    app = standalone_app(WorkbenchSettings(build_dir=build_dir, glossary=glossary))
    with serve(app) as url:
        yield url + "/workbench"


def _client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, follow_redirects=True, timeout=30)


def _token(client: httpx.Client) -> str:
    client.get("/corpus")
    return client.cookies["mlc_csrf"]


def _field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_pages_render_and_escape_everything(base: str) -> None:
    with _client(base) as client:
        root = client.get(base.removesuffix("/workbench") + "/")
        assert root.url.path == "/workbench/corpus" and root.status_code == 200
        corpus = client.get("/corpus")
        assert corpus.status_code == 200
        assert "&lt;script&gt;alert(&#34;en&#34;)&lt;/script&gt;" in corpus.text
        assert "<script>alert" not in corpus.text
        assert "3 of 3 releases" in corpus.text
        release = client.get("/release/2016-05-05-hostile")
        assert release.status_code == 200
        assert (
            "<b>partners</b>" not in release.text and "&lt;b&gt;partners&lt;/b&gt;" in release.text
        )
        assert "<script>alert" not in release.text
        for path in (
            f"/release/{PAIR}?order=confidence",
            "/glossary?q=migration&sort=ru&desc=1",
            "/glossary/entry?en=CSTO",
            "/glossary/concordance?en=member%20states",
            "/translate",
            "/static/workbench.css",
            "/static/workbench.js",
        ):
            assert client.get(path).status_code == 200, path
        assert client.get("/release/no-such-release").status_code == 404
        # every asset is local: no URL to another host in any page
        for page in (corpus.text, release.text):
            assert not re.search(r'(src|href)="(https?:)?//', page)


def test_corpus_sort_filter_paginate(base: str) -> None:
    with _client(base) as client:
        by_date = client.get("/corpus", params={"sort": "date", "desc": "1", "per_page": "2"})
        ids = re.findall(r'href="/workbench/release/([^"]+)"', by_date.text)
        assert ids == ["2021-03-17-csto-new-publication", "2016-05-05-hostile"]
        assert "page 1 of 2" in by_date.text
        second = client.get(
            "/corpus", params={"sort": "date", "desc": "1", "per_page": "2", "page": "2"}
        )
        assert re.findall(r'href="/workbench/release/([^"]+)"', second.text) == [PAIR]
        found = client.get("/corpus", params={"q": "publication"})
        assert "1 of 3 releases" in found.text


def test_writes_need_the_csrf_token(base: str) -> None:
    with _client(base) as client:
        token = _token(client)
        page = client.get("/release/2016-05-05-hostile")
        revision = _field(page.text, "revision")
        form = {"revision": revision, "n": "0", "action": "merge-next"}
        assert client.post("/release/2016-05-05-hostile/edit", data=form).status_code == 403
        bad = client.post("/release/2016-05-05-hostile/edit", data={**form, "csrf_token": "forged"})
        assert bad.status_code == 403
        assert "0 of 3 releases" in client.get("/corpus", params={"edited": "1"}).text
        ok = client.post("/release/2016-05-05-hostile/edit", data={**form, "csrf_token": token})
        assert ok.status_code == 200 and "merged beads 1 and 2" in ok.text
        # the corpus page, whose summary is reused between requests, sees the edit
        edited = client.get("/corpus", params={"edited": "1"})
        assert "1 of 3 releases" in edited.text and "2016-05-05-hostile" in edited.text
        stale = client.post("/release/2016-05-05-hostile/edit", data={**form, "csrf_token": token})
        assert stale.status_code == 409 and "was changed" in stale.text
        undo = client.post(
            "/release/2016-05-05-hostile/edit",
            data={
                "csrf_token": token,
                "action": "undo",
                "revision": _field(ok.text, "revision"),
            },
        )
        assert undo.status_code == 200 and "undone: merged beads 1 and 2" in undo.text


def test_glossary_save_keeps_the_file_and_refuses_a_stale_tab(
    base: str, build: tuple[Path, Path]
) -> None:
    _, glossary = build
    before = glossary.read_text(encoding="utf-8").splitlines()
    with _client(base) as client:
        token = _token(client)
        editor = client.get("/glossary/entry", params={"en": "round table"})
        version = _field(editor.text, "version")
        form = {
            "csrf_token": token,
            "original": "round table",
            "version": version,
            "en": "round table",
            "ru": "круглый стол",
            "en_variants": "roundtable|round-table",
            "ru_variants": "",
            "ru_deprecated": "круглая таблица",
            "note": "<i>edited</i> in the browser",
            "action": "save",
        }
        saved = client.post("/glossary/entry", data=form)
        assert saved.status_code == 200 and "saved round table" in saved.text
        after = glossary.read_text(encoding="utf-8").splitlines()
        changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
        assert len(changed) == 1
        assert after[changed[0]].split("\t")[:3] == [
            "round table",
            "круглый стол",
            "roundtable|round-table",
        ]
        assert after[0].startswith("#")  # the comment line stays
        listing = client.get("/glossary", params={"q": "round"})
        assert "&lt;i&gt;edited&lt;/i&gt;" in listing.text
        stale = client.post("/glossary/entry", data={**form, "note": "second tab"})
        assert stale.status_code == 409 and "changed elsewhere" in stale.text
        assert "second tab" not in glossary.read_text(encoding="utf-8")
        invalid = client.post(
            "/glossary/entry",
            data={**form, "original": "", "version": "", "en": "round table"},
        )
        assert invalid.status_code == 400 and "already in the glossary" in invalid.text


def test_off_loopback_writes_need_the_api_key(build: tuple[Path, Path]) -> None:
    build_dir, glossary = build
    for api_key in ("s3cret-key", None):
        settings = WorkbenchSettings(
            build_dir=build_dir,
            glossary=glossary,
            host="0.0.0.0",
            api_keys=(api_key,) if api_key else (),
            translator_factory=lambda src, tgt: None,  # as on a machine without models
        )
        with serve(standalone_app(settings)) as url, _client(url + "/workbench") as client:
            token = _token(client)
            form = {"csrf_token": token, "text": "The CSTO met.", "direction": "en-ru"}
            refused = client.post("/translate", data=form)
            assert refused.status_code == 403
            if api_key is None:
                assert "no API key" in refused.text
                continue
            assert "API key" in refused.text
            wrong = client.post("/key", data={"csrf_token": token, "api_key": "guess"})
            assert wrong.status_code == 403
            accepted = client.post("/key", data={"csrf_token": token, "api_key": api_key})
            assert "API key accepted" in accepted.text
            # past the key check: refused now only because no model is installed
            later = client.post("/translate", data=form)
            assert later.status_code == 400 and "no en-&gt;ru translation model" in later.text
            header = httpx.post(
                url + "/workbench/translate",
                data=form,
                headers={"X-API-Key": api_key},
                cookies={"mlc_csrf": token},
            )
            assert header.status_code == 400


def test_mlcorpus_serve_mounts_the_workbench(
    build: tuple[Path, Path], test_models, tmp_path: Path
) -> None:
    """`mlcorpus serve BUILD_DIR`: "/" leads to the workbench, which translates
    with the model the API loaded and honours the API's keys."""
    from support.serve import serve as serve_cli

    build_dir, glossary = build
    model = str(test_models.package("en", "ru"))
    env = {
        "ARGOS_PACKAGES_DIR": str(tmp_path / "packages"),
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",
        "MLCORPUS_CACHE": str(tmp_path / "cache.sqlite"),
    }
    args = [str(build_dir), "-g", str(glossary), "--model", model]
    with serve_cli(args, env, tmp_path) as running, _client(running.url) as client:
        home = client.get("/")
        assert home.status_code == 200 and home.url.path == "/workbench/corpus"
        assert "3 of 3 releases" in home.text
        token = client.cookies["mlc_csrf"]
        done = client.post(
            "/workbench/translate",
            data={
                "csrf_token": token,
                "text": "The CSTO member states met.",
                "direction": "en-ru",
                "glossary": "on",
            },
        )
        assert done.status_code == 200, done.text[-500:]
        assert 'id="download-xliff"' in done.text and "mark" in done.text
        # the API itself still answers next to it
        assert client.get("/languages").status_code == 200
        # a glossary entry saved in the workbench is what the API uses next
        editor = client.get("/workbench/glossary/entry", params={"en": "round table"})
        saved = client.post(
            "/workbench/glossary/entry",
            data={
                "csrf_token": token,
                "original": "round table",
                "version": _field(editor.text, "version"),
                "en": "round table",
                "ru": "круглый стол",
                "ru_variants": "дискуссия за круглым столом",
                "action": "save",
            },
        )
        assert saved.status_code == 200
        glossary_id = glossary.name.split(".")[0]
        entries = client.get(
            f"/v2/glossaries/{glossary_id}/entries", headers={"Accept": "application/json"}
        )
        assert entries.status_code == 200, entries.text
        table = {e["en"]: e for e in entries.json()["entries"]}
        assert table["round table"]["ru_variants"] == ["дискуссия за круглым столом"]
