"""``mlcorpus serve`` against real LibreTranslate clients (libretranslatepy,
deep-translator) and plain HTTP, on a loopback port with the test models."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the server extra is not installed")
pytest.importorskip("uvicorn", reason="the server extra is not installed")

from support.serve import RunningServer, serve

KEY = "test-key-0123456789"
OTHER_KEY = "other-key-9876543210"
GLOSSARY = Path(__file__).resolve().parent.parent / "glossary" / "migration.en-ru.tsv"


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: pytest.TempPathFactory, test_models) -> dict[str, Any]:
    """A private Argos folder with both test packages, and private caches."""
    from mlcorpus.mt.registry import install_file

    root = tmp_path_factory.mktemp("serve")
    packages = root / "packages"
    for path in test_models.packages.values():
        install_file(path, packages)
    env = {
        "ARGOS_PACKAGES_DIR": str(packages),
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",
        "MLCORPUS_CACHE": str(root / "cache" / "translations.sqlite"),
        "XDG_DATA_HOME": str(root / "data"),
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_CACHE_HOME": str(root / "xdg-cache"),
    }
    return {"env": env, "root": root}


@pytest.fixture(scope="module")
def server(server_env: dict[str, Any]):
    workdir = server_env["root"] / "work"
    workdir.mkdir()
    args = ["--api-key", KEY, "--api-key", OTHER_KEY, "-g", str(GLOSSARY), "--char-limit", "2000"]
    with serve(args, server_env["env"], workdir) as running:
        yield running


@pytest.fixture(scope="module")
def strict_server(server_env: dict[str, Any]):
    """Tight limits: 5 requests a minute, 4 kB bodies, 1 s to send a body."""
    workdir = server_env["root"] / "strict"
    workdir.mkdir()
    args = ["--req-limit", "5", "--max-body", "4000", "--body-timeout", "1", "--no-cache"]
    with serve(args, server_env["env"], workdir) as running:
        yield running


def call(
    server: RunningServer,
    path: str,
    body: dict[str, Any] | bytes | None = None,
    *,
    method: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """(status, decoded JSON or text) of one request."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    hdrs = {"Content-Type": "application/json"} if isinstance(body, dict) else {}
    hdrs.update(headers or {})
    req = urllib.request.Request(server.url + path, data=data, headers=hdrs, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            status, raw, ctype = resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        status, raw, ctype = exc.code, exc.read(), exc.headers.get("Content-Type", "")
    text = raw.decode("utf-8")
    return status, json.loads(text) if "json" in ctype and text else text


def translate(server: RunningServer, **body: Any) -> tuple[int, Any]:
    return call(server, "/translate", {"api_key": KEY, **body})


# -- real clients -------------------------------------------------------------------------


def test_libretranslatepy_client(server: RunningServer, test_models, en_ru, ru_en) -> None:
    from libretranslatepy import LibreTranslateAPI

    client = LibreTranslateAPI(server.url, api_key=KEY)
    en, ru = test_models.pairs[1]
    assert client.translate(en, "en", "ru") == en_ru.translate([en])[0]
    assert client.translate(ru, "ru", "en") == ru_en.translate([ru])[0]
    languages = client.languages()
    assert {lang["code"]: lang["targets"] for lang in languages} == {"en": ["ru"], "ru": ["en"]}
    assert {lang["name"] for lang in languages} == {"English", "Russian"}
    detected = client.detect(ru)
    assert detected[0]["language"] == "ru" and detected[0]["confidence"] == 100.0
    assert client.detect("Hello, МОМ")[0]["language"] == "en"


def test_deep_translator_client(server: RunningServer, test_models, en_ru) -> None:
    from deep_translator import LibreTranslator

    en, _ru = test_models.pairs[2]
    client = LibreTranslator(source="en", target="ru", api_key=KEY, custom_url=server.url + "/")
    assert client.translate(en) == en_ru.translate([en])[0]
    assert client.translate_batch([en, test_models.pairs[3][0]]) == en_ru.translate(
        [en, test_models.pairs[3][0]]
    )


def test_deep_translator_reports_a_wrong_key(server: RunningServer) -> None:
    from deep_translator import LibreTranslator
    from deep_translator.exceptions import AuthorizationException

    client = LibreTranslator(
        source="en", target="ru", api_key="wrong-key-xyz", custom_url=server.url + "/"
    )
    with pytest.raises(AuthorizationException):
        client.translate("The meeting was held on 2 March 2015.")


# -- /translate ---------------------------------------------------------------------------


def test_q_list_keeps_order_and_paragraphs(server: RunningServer, test_models, en_ru) -> None:
    first, second = test_models.pairs[0][0], test_models.pairs[1][0]
    status, body = translate(
        server, q=[f"{first} {second}", "", f"{second}\n\n{first}"], source="en", target="ru"
    )
    assert status == 200, body
    t1, t2 = en_ru.translate([first, second])
    assert body == {"translatedText": [f"{t1} {t2}", "", f"{t2}\n\n{t1}"]}


def test_form_body_and_query_string(server: RunningServer, test_models, en_ru) -> None:
    from urllib.parse import urlencode

    en = test_models.pairs[4][0]
    form = urlencode({"q": en, "source": "en", "target": "ru", "api_key": KEY}).encode()
    status, body = call(
        server, "/translate", form, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert (status, body) == (200, {"translatedText": en_ru.translate([en])[0]})
    # raw UTF-8 (not percent-encoded) form values, as curl -d sends them
    ru = test_models.pairs[4][1]
    raw = f"q={ru}&source=auto&target=en&api_key={KEY}".encode()
    status, body = call(
        server, "/translate", raw, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 200
    assert body["detectedLanguage"] == {"confidence": 100.0, "language": "ru"}


def test_html_keeps_markup_and_translates_text_nodes(
    server: RunningServer, test_models, en_ru
) -> None:
    first, second = test_models.pairs[0][0], test_models.pairs[1][0]
    html = (
        f'<div class="news"><h1 title="keep this">{first}</h1>\n'
        f"<p>{second} <code>mlcorpus serve</code></p>"
        '<script>var s = "The meeting";</script><p translate="no">Keep me</p>'
        f"<!-- {first} --></div>"
    )
    status, body = translate(server, q=html, source="en", target="ru", format="html")
    assert status == 200, body
    t1, t2 = en_ru.translate([first, second])
    assert body["translatedText"] == (
        f'<div class="news"><h1 title="keep this">{t1}</h1>\n'
        f"<p>{t2} <code>mlcorpus serve</code></p>"
        '<script>var s = "The meeting";</script><p translate="no">Keep me</p>'
        f"<!-- {first} --></div>"
    )


def test_alternatives(server: RunningServer, test_models, en_ru) -> None:
    en = test_models.pairs[0][0]
    status, body = translate(server, q=en, source="en", target="ru", alternatives=3)
    assert status == 200, body
    best = en_ru.translate_nbest([en], 4)[0]
    assert body["translatedText"] == best[0]
    assert body["alternatives"] == [h for h in dict.fromkeys(best[1:]) if h != best[0]][:3]
    assert len(body["alternatives"]) >= 1


def test_loaded_glossary_term_report(server: RunningServer, test_models) -> None:
    en = next(en for en, _ in test_models.pairs if "CSTO" in en)
    status, body = translate(
        server, q=en, source="en", target="ru", glossary="migration", term_report=True
    )
    assert status == 200, body
    hits = body["termReport"]["hits"]
    assert {"source": "CSTO", "target": "ОДКБ"} in hits
    assert "ОДКБ" in body["translatedText"]


def test_inline_glossary_reports_misses(server: RunningServer, test_models, en_ru) -> None:
    en = next(en for en, _ in test_models.pairs if "IOM" in en)
    model_output = en_ru.translate([en])[0]
    status, body = translate(
        server,
        q=[en],
        source="en",
        target="ru",
        glossary={"IOM": "Международная организация по миграции"},
        term_report="true",
    )
    assert status == 200, body
    assert body["translatedText"] == [model_output]  # nothing to replace: reported, not forced
    assert body["termReport"][0]["misses"] == [
        {"source": "IOM", "target": "Международная организация по миграции"}
    ]


# -- glossary endpoints ---------------------------------------------------------------------


def _auth() -> dict[str, str]:
    return {"Authorization": f"DeepL-Auth-Key {KEY}"}


def test_glossary_create_list_entries_delete(server: RunningServer, test_models) -> None:
    status, created = call(
        server,
        "/v2/glossaries",
        {
            "name": "press",
            "source_lang": "en",
            "target_lang": "ru",
            "entries": "CSTO\tОДКБ\nmemorandum of understanding\tмеморандум о взаимопонимании\n",
            "entries_format": "tsv",
        },
        headers=_auth(),
    )
    assert status == 201, created
    assert created["entry_count"] == 2 and created["ready"] is True
    gid = created["glossary_id"]
    status, listing = call(server, "/v2/glossaries", headers=_auth())
    assert gid in [g["glossary_id"] for g in listing["glossaries"]]
    assert "migration" in [g["glossary_id"] for g in listing["glossaries"]]
    status, entries = call(server, f"/v2/glossaries/{gid}/entries", headers=_auth())
    assert (status, entries) == (
        200,
        "CSTO\tОДКБ\nmemorandum of understanding\tмеморандум о взаимопонимании\n",
    )
    en = next(en for en, _ in test_models.pairs if "memorandum" in en)
    status, body = translate(server, q=en, source="en", target="ru", glossary=gid, term_report=1)
    assert status == 200
    assert {"source": "memorandum of understanding", "target": "меморандум о взаимопонимании"} in (
        body["termReport"]["hits"]
    )
    assert call(server, f"/v2/glossaries/{gid}", method="DELETE", headers=_auth())[0] == 204
    assert call(server, f"/v2/glossaries/{gid}", headers=_auth())[0] == 404
    status, body = translate(server, q=en, source="en", target="ru", glossary=gid)
    assert status == 404 and "not found" in body["error"]


def test_glossary_from_csv_and_tbx_uploads(server: RunningServer, tmp_path: Path) -> None:
    from mlcorpus.glossary import load_glossary
    from mlcorpus.glossary.io_tbx import dump_tbx

    status, created = call(
        server,
        "/v2/glossaries",
        {"name": "csv", "entries": "member states,государства-члены\n", "entries_format": "csv"},
        headers=_auth(),
    )
    assert status == 201 and created["entry_count"] == 1
    tbx = dump_tbx(load_glossary(GLOSSARY)).encode("utf-8")
    boundary = "mlcorpusboundary"
    multipart = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nfrom tbx\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="t.tbx"\r\n'
            "Content-Type: application/xml\r\n\r\n"
        ).encode()
        + tbx
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, created = call(
        server,
        "/v2/glossaries",
        multipart,
        headers={**_auth(), "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert status == 201, created
    assert created["entry_count"] == len(load_glossary(GLOSSARY))
    status, entries = call(
        server,
        f"/v2/glossaries/{created['glossary_id']}/entries",
        headers={**_auth(), "Accept": "application/json"},
    )
    csto = next(e for e in entries["entries"] if e["en"] == "CSTO")
    assert (csto["ru"], csto["case_sensitive"]) == ("ОДКБ", True)
    for gid in (created["glossary_id"],):
        call(server, f"/v2/glossaries/{gid}", method="DELETE", headers=_auth())


def test_glossary_loaded_from_a_file_is_read_only(server: RunningServer) -> None:
    status, body = call(server, "/v2/glossaries/migration", method="DELETE", headers=_auth())
    assert status == 403 and "read-only" in body["error"]


def test_bad_glossary_upload(server: RunningServer) -> None:
    status, body = call(
        server,
        "/v2/glossaries",
        {"name": "x", "entries": "<martif><text>", "entries_format": "tbx"},
        headers=_auth(),
    )
    assert status == 400 and body["error"].startswith("Invalid glossary entries")


# -- files --------------------------------------------------------------------------------


def _upload(server: RunningServer, name: str, content: bytes, **fields: str) -> tuple[int, Any]:
    boundary = "mlcorpusfileboundary"
    parts = b""
    for key, value in {"source": "en", "target": "ru", "api_key": KEY, **fields}.items():
        parts += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        ).encode()
    parts += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return call(
        server,
        "/translate_file",
        parts,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.read()


def test_translate_txt_and_html_files(server: RunningServer, test_models, en_ru) -> None:
    first, second = test_models.pairs[0][0], test_models.pairs[1][0]
    t1, t2 = en_ru.translate([first, second])
    status, body = _upload(server, "release.txt", f"{first}\n\n{second}\n".encode())
    assert status == 200, body
    assert body["translatedFileUrl"].startswith(server.url + "/download_file/")
    assert _download(body["translatedFileUrl"]).decode() == f"{t1}\n\n{t2}\n"
    status, body = _upload(server, "page.html", f"<p>{first}</p><p>{second}</p>".encode())
    assert _download(body["translatedFileUrl"]).decode() == f"<p>{t1}</p><p>{t2}</p>"


def test_translate_xliff_file_read_back_by_translate_toolkit(
    server: RunningServer, test_models, en_ru
) -> None:
    from translate.storage import xliff

    first, second = test_models.pairs[0][0], test_models.pairs[1][0]
    store = xliff.xlifffile(sourcelanguage="en", targetlanguage="ru")
    store.addsourceunit(first)
    done = store.addsourceunit(second)
    done.target = "Готовый перевод."
    status, body = _upload(server, "job.xlf", bytes(store))
    assert status == 200, body
    result = xliff.xlifffile.parsestring(_download(body["translatedFileUrl"]))
    units = result.getunits()
    assert [u.source for u in units] == [first, second]
    assert units[0].target == en_ru.translate([first])[0]
    assert units[1].target == "Готовый перевод."  # a filled target is kept


def test_unsupported_file_type(server: RunningServer) -> None:
    status, body = _upload(server, "slides.pptx", b"PK\x03\x04")
    assert (status, body) == (400, {"error": "Invalid request: file format not supported"})


# -- errors, with LibreTranslate's codes and messages -------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"q": "Hello", "source": "en", "target": "de"}, 400, "de is not supported"),
        ({"q": "Hello", "source": "xx", "target": "ru"}, 400, "xx is not supported"),
        ({"q": "", "source": "en", "target": "ru"}, 400, "Invalid request: missing q parameter"),
        ({"q": [], "source": "en", "target": "ru"}, 400, "Invalid request: missing q parameter"),
        ({"q": "Hello", "target": "ru"}, 400, "Invalid request: missing source parameter"),
        ({"q": "Hello", "source": "en"}, 400, "Invalid request: missing target parameter"),
        (
            {"q": "Hello", "source": "en", "target": "ru", "format": "pdf"},
            400,
            "pdf format is not supported",
        ),
        (
            {"q": "x" * 2001, "source": "en", "target": "ru"},
            400,
            "Invalid request: request (2001) exceeds text limit (2000)",
        ),
        (
            {"q": "Hello", "source": "en", "target": "ru", "alternatives": "many"},
            400,
            "Invalid request: alternatives parameter is not a number",
        ),
        (
            {"q": "Hello", "source": "en", "target": "en"},
            400,
            "English (en) is not available as a target language from English (en)",
        ),
        (
            {"q": "Hello", "source": "en", "target": "ru", "glossary": "../../etc/passwd"},
            404,
            "Glossary '../../etc/passwd' not found",
        ),
    ],
)
def test_translate_errors(server: RunningServer, body: dict, status: int, error: str) -> None:
    assert translate(server, **body) == (status, {"error": error})


def test_bad_json_and_non_object_json(server: RunningServer) -> None:
    status, body = call(
        server, "/translate", b'{"q": "Hello", ', headers={"Content-Type": "application/json"}
    )
    assert status == 400 and body["error"].startswith("Failed to decode JSON object")
    status, body = call(
        server, "/translate", b'["q"]', headers={"Content-Type": "application/json"}
    )
    assert (status, body) == (400, {"error": "Invalid JSON format"})


def test_api_key_missing_or_wrong(server: RunningServer) -> None:
    body = {"q": "Hello", "source": "en", "target": "ru"}
    assert call(server, "/translate", body) == (
        400,
        {"error": "Please contact the server operator to get an API key"},
    )
    assert call(server, "/translate", {**body, "api_key": "nope-nope-nope"}) == (
        403,
        {"error": "Invalid API key"},
    )
    assert call(server, "/detect", {"q": "Hello"})[0] == 400
    assert call(server, "/v2/glossaries")[0] == 400
    assert call(server, "/languages")[0] == 200  # exempt, as in LibreTranslate


def test_frontend_settings_and_health(server: RunningServer) -> None:
    status, body = call(server, "/frontend/settings")
    assert status == 200
    assert body["charLimit"] == 2000 and body["keyRequired"] is True
    assert ".xliff" in body["supportedFilesFormat"]
    status, health = call(server, "/health")
    assert status == 200 and health["status"] == "ok"
    assert set(health["models"]) == {"en-ru", "ru-en"}


def test_no_request_touches_the_disk(server: RunningServer, server_env) -> None:
    workdir = server.log.parent
    before = sorted(p.name for p in workdir.iterdir())
    status, body = _upload(server, "../../escape.txt", b"The meeting was held.")
    assert status == 200
    assert body["translatedFileUrl"].endswith(".escape.txt")
    assert call(server, "/download_file/..%2F..%2Fetc%2Fpasswd")[0] == 404
    assert call(server, "/download_file/" + "a" * 20 + ".passwd")[0] == 404
    assert sorted(p.name for p in workdir.iterdir()) == before
    assert not (workdir.parent / "escape.txt").exists()


# -- batching -----------------------------------------------------------------------------


def test_concurrent_requests_share_batches(server: RunningServer, test_models, en_ru) -> None:
    import http.client

    # sentences no other test sends, so the model (not the cache) answers
    sources = [f"Today, {en[0].lower()}{en[1:]}" for en, _ in test_models.pairs[:32]]
    expected = en_ru.translate(sources)
    _, before = call(server, "/health")
    host, port = server.url.removeprefix("http://").split(":")
    connections = [http.client.HTTPConnection(host, int(port), timeout=60) for _ in sources]
    for conn in connections:
        conn.connect()
    barrier = threading.Barrier(len(sources))

    def one(conn: http.client.HTTPConnection, text: str) -> str:
        body = json.dumps({"q": text, "source": "en", "target": "ru", "api_key": KEY})
        barrier.wait()
        conn.request("POST", "/translate", body, {"Content-Type": "application/json"})
        reply = conn.getresponse()
        assert reply.status == 200
        return json.loads(reply.read())["translatedText"]

    with ThreadPoolExecutor(len(sources)) as pool:
        got = list(pool.map(one, connections, sources))
    assert got == expected
    _, after = call(server, "/health")
    batches = after["batching"]["batches"] - before["batching"]["batches"]
    requests = after["batching"]["requests"] - before["batching"]["requests"]
    assert requests == len(sources)
    assert batches < len(sources)  # several requests went into one model call
    assert after["batching"]["largest_batch"] > 1


def test_batcher_translates_concurrent_calls_in_one_batch(test_models, en_ru) -> None:
    import asyncio

    from mlcorpus.mt import Translator
    from mlcorpus.server.batcher import DynamicBatcher
    from mlcorpus.server.engines import Engines, server_options

    translator = Translator.from_path(test_models.package("en", "ru"), **server_options(4))
    batcher = DynamicBatcher(Engines({("en", "ru"): translator}), slots=1)
    sources = [en for en, _ in test_models.pairs[:20]]
    results = asyncio.run(_translate_together(batcher, sources))
    assert results == [[t, ""] for t in en_ru.translate(sources)]
    assert batcher.stats.batches == 1 and batcher.stats.largest_batch == len(sources)


async def _translate_together(batcher, sources: list[str]) -> list[list[str]]:
    """Submit every source at once (each with a blank segment) and wait."""
    import asyncio

    from mlcorpus.server.batcher import BatchKey

    await batcher.start()
    try:
        calls = [batcher.translate(BatchKey("en", "ru"), [s, ""]) for s in sources]
        return [[r.text for r in res] for res in await asyncio.gather(*calls)]
    finally:
        await batcher.stop()


def test_batcher_shares_requests_between_its_slots(test_models, en_ru) -> None:
    """With one slot per model replica, 20 waiting requests make two batches
    of 10 that run side by side, not one of 20 and an idle replica."""
    import asyncio

    from mlcorpus.mt import Translator
    from mlcorpus.server.batcher import DynamicBatcher
    from mlcorpus.server.engines import Engines

    translator = Translator.from_path(
        test_models.package("en", "ru"), beam_size=4, inter_threads=2, intra_threads=1
    )
    batcher = DynamicBatcher(Engines({("en", "ru"): translator}))
    assert batcher.slots == 2  # one per replica by default
    sources = [en for en, _ in test_models.pairs[:20]]
    results = asyncio.run(_translate_together(batcher, sources))
    assert results == [[t, ""] for t in en_ru.translate(sources)]
    assert batcher.stats.batches == 2 and batcher.stats.largest_batch == 10
    assert batcher.stats.requests == 20 and batcher.stats.segments == 40


def test_batcher_slots_share_one_cache(test_models, en_ru, tmp_path) -> None:
    """Batches running side by side look up and fill the one cache file."""
    import asyncio

    from mlcorpus.mt import TranslationCache, Translator
    from mlcorpus.mt.cache import CachedTranslation
    from mlcorpus.mt.translate_segments import CacheKey
    from mlcorpus.server.batcher import DynamicBatcher
    from mlcorpus.server.engines import Engines, server_options

    translator = Translator.from_path(test_models.package("en", "ru"), **server_options(4))
    path = tmp_path / "cache.sqlite"
    sources = [en for en, _ in test_models.pairs[:12]]

    def batcher() -> DynamicBatcher:
        return DynamicBatcher(
            Engines({("en", "ru"): translator}),
            lambda: TranslationCache(path, any_thread=True),
            slots=2,
        )

    first = batcher()
    assert asyncio.run(_translate_together(first, sources)) == [
        [t, ""] for t in en_ru.translate(sources)
    ]
    assert first.stats.batches == 2
    key = CacheKey.of(translator, None, 1, {})
    with TranslationCache(path) as cache:
        stored = cache.get_many(key.model, key.options, key.glossary_version, sources)
    assert sorted(stored) == sorted(sources)
    # a cached answer is what the next server gives, even if the model would not
    with TranslationCache(path) as cache:
        cache.put_many(key.model, key.options, "", [(sources[0], CachedTranslation("X", "X"))])
    assert asyncio.run(_translate_together(batcher(), sources[:1])) == [["X", ""]]


def test_lone_request_is_translated_at_once(test_models, en_ru) -> None:
    """One request with nothing else in flight is translated on the event loop;
    requests that arrive together go to the translation threads."""
    import asyncio

    from mlcorpus.mt import Translator
    from mlcorpus.server.batcher import DynamicBatcher
    from mlcorpus.server.engines import Engines, server_options

    translator = Translator.from_path(test_models.package("en", "ru"), **server_options(4))
    sources = [en for en, _ in test_models.pairs[:4]]
    lone = DynamicBatcher(Engines({("en", "ru"): translator}))
    assert asyncio.run(_translate_together(lone, sources[:1])) == [
        [en_ru.translate(sources[:1])[0], ""]
    ]
    assert lone.stats.inline == 1 and lone.stats.batches == 1
    together = DynamicBatcher(Engines({("en", "ru"): translator}), slots=1)
    asyncio.run(_translate_together(together, sources))
    assert together.stats.inline == 0 and together.stats.batches == 1


def test_spread_over_limits_the_replicas_a_call_uses(test_models, en_ru) -> None:
    from mlcorpus.mt import Translator

    translator = Translator.from_path(
        test_models.package("en", "ru"), inter_threads=2, intra_threads=1, batch_size=16
    )
    sources = [en for en, _ in test_models.pairs[:20]]
    assert translator._spread(20) == 10  # both replicas get half
    with translator.spread_over(1):
        assert translator._spread(20) == 16  # one replica: whole batches
        assert translator.translate(sources) == en_ru.translate(sources)
    assert translator._spread(20) == 10


# -- limits -------------------------------------------------------------------------------


def test_rate_limit_per_key(strict_server: RunningServer) -> None:
    for _ in range(5):
        assert call(strict_server, "/detect", {"q": "Hello"})[0] == 200
    assert call(strict_server, "/detect", {"q": "Hello"}) == (
        429,
        {"error": "Slowdown: 5 per 1 minute"},
    )
    assert call(strict_server, "/languages")[0] == 200


def test_body_too_large(strict_server: RunningServer) -> None:
    status, body = call(
        strict_server, "/translate", {"q": "x" * 5000, "source": "en", "target": "ru"}
    )
    assert status == 413 and body["error"].startswith("Request too large")


def test_body_too_large_without_content_length(strict_server: RunningServer) -> None:
    host, port = strict_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /detect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"x" * 3000
        for _ in range(2):
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        reply = _read_reply(sock)
    assert reply.startswith(b"HTTP/1.1 413")
    assert b"Request too large" in reply


def _read_reply(sock: socket.socket) -> bytes:
    """A whole HTTP reply (headers and Content-Length bytes of body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += sock.recv(4096)
    return head + b"\r\n\r\n" + body


def test_slow_client_does_not_hold_the_server(strict_server: RunningServer) -> None:
    host, port = strict_server.url.removeprefix("http://").split(":")
    slow = socket.create_connection((host, int(port)), timeout=10)
    slow.sendall(
        b"POST /detect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"q": '
    )
    started = time.monotonic()
    status, _ = call(strict_server, "/languages")  # served while the slow body trickles
    assert status == 200 and time.monotonic() - started < 0.9
    reply = _read_reply(slow)
    slow.close()
    assert reply.startswith(b"HTTP/1.1 408"), reply
    assert b"not received within 1 s" in reply


def test_slow_request_head_is_cut_off(strict_server: RunningServer) -> None:
    host, port = strict_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\n")  # and never ends the head
        started = time.monotonic()
        assert sock.recv(4096) == b""  # closed by the server
        assert time.monotonic() - started < 5


def test_many_slow_clients_do_not_block_translation(
    strict_server: RunningServer, test_models
) -> None:
    host, port = strict_server.url.removeprefix("http://").split(":")
    slow = []
    for _ in range(20):
        sock = socket.create_connection((host, int(port)), timeout=10)
        sock.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n")
        slow.append(sock)
    try:
        result: dict[str, Any] = {}

        def translate_now() -> None:
            result["reply"] = call(strict_server, "/languages")

        thread = threading.Thread(target=translate_now)
        thread.start()
        thread.join(5)
        assert result["reply"][0] == 200
    finally:
        for sock in slow:
            sock.close()
