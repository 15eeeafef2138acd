"""Package downloads against a real HTTP server on 127.0.0.1: mirrors, schemes,
retries with backoff, deadlines against a server that drips bytes, size caps,
truncated bodies, Argos's User-Agent and the byte progress bar."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.package_server import PackageServer

from mlcorpus.cli import main
from mlcorpus.errors import MlcorpusError
from mlcorpus.mt.download import DownloadPolicy, download, usable_links
from mlcorpus.mt.registry import install_from_index, installed_packages, staging_root

FAST = DownloadPolicy(stall_timeout_s=1.0, deadline_s=20.0, retries=2, backoff_s=0.05)


def _metadata(package: Path) -> dict:
    with zipfile.ZipFile(package) as archive:
        top = archive.namelist()[0].split("/")[0]
        return json.loads(archive.read(f"{top}/metadata.json"))


@pytest.fixture()
def server(test_models):
    with PackageServer() as srv:
        srv.files["/en_ru.argosmodel"] = test_models.package("en", "ru").read_bytes()
        yield srv


def _publish(srv: PackageServer, test_models, links, **extra) -> str:
    entry = {**_metadata(test_models.package("en", "ru")), "links": links, **extra}
    srv.files["/index.json"] = json.dumps([entry]).encode()
    return srv.url("/")


def _no_leftovers(packages: Path) -> None:
    assert all(not p.name.startswith(".") for p in packages.iterdir())
    stage = staging_root(packages)
    assert not stage.exists() or list(stage.iterdir()) == []


def test_bad_links_are_skipped_and_the_next_mirror_is_used(argos_env, server, test_models):
    good = server.url("/en_ru.argosmodel")
    links = [
        "ipfs://QmPackage",
        "ifps://QmTypo",
        "example.com/translate-en_ru.argosmodel",  # no scheme: used to raise ValueError
        server.url("/gone.argosmodel"),  # 404: next mirror, no retry
        good,
    ]
    index = _publish(server, test_models, links)
    result = CliRunner().invoke(main, ["models", "install", "en", "ru", "--index", index])
    assert result.exit_code == 0, result.output
    assert [p.direction for p in installed_packages()] == ["en->ru"]
    assert server.hits["/gone.argosmodel"] == 1 and server.hits["/en_ru.argosmodel"] == 1
    _no_leftovers(Path(argos_env["ARGOS_PACKAGES_DIR"]))


def test_links_given_as_one_string_are_one_link(argos_env, server, test_models):
    index = _publish(server, test_models, server.url("/en_ru.argosmodel"))
    result = CliRunner().invoke(main, ["models", "install", "en", "ru", "--index", index])
    assert result.exit_code == 0, result.output
    assert [p.direction for p in installed_packages()] == ["en->ru"]


def test_only_http_links_unless_the_index_is_a_local_file(argos_env, server, test_models, tmp_path):
    package = test_models.package("en", "ru")
    file_link = package.resolve().as_uri()
    remote = _publish(server, test_models, [file_link])
    result = CliRunner().invoke(main, ["models", "install", "en", "ru", "--index", remote])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "no usable link" in result.output and "unsupported scheme 'file'" in result.output
    assert installed_packages() == []
    local_index = tmp_path / "index.json"
    local_index.write_text(json.dumps([{**_metadata(package), "links": [file_link]}]))
    result = CliRunner().invoke(
        main, ["models", "install", "en", "ru", "--index", str(local_index)]
    )
    assert result.exit_code == 0, result.output
    assert [p.direction for p in installed_packages()] == ["en->ru"]


def test_retries_with_backoff_and_argos_user_agent(tmp_path, server):
    server.behaviour["/en_ru.argosmodel"] = "fail:2"
    pauses: list[float] = []
    url = server.url("/en_ru.argosmodel")
    assert download([url], tmp_path / "p.zip", policy=FAST, sleep=pauses.append) == url
    assert server.hits["/en_ru.argosmodel"] == 3
    assert pauses == [0.05, 0.1]
    assert (tmp_path / "p.zip").read_bytes() == server.files["/en_ru.argosmodel"]
    assert {agent for _, agent in server.requests} == {"ArgosTranslate"}


def test_host_that_wants_argos_user_agent(tmp_path, server):
    server.behaviour["/en_ru.argosmodel"] = "need-agent"
    download([server.url("/en_ru.argosmodel")], tmp_path / "p.zip", policy=FAST)
    assert (tmp_path / "p.zip").stat().st_size == len(server.files["/en_ru.argosmodel"])


def test_a_server_dripping_bytes_meets_the_overall_deadline(tmp_path, server):
    server.behaviour["/en_ru.argosmodel"] = "drip"
    server.drip_pause = 0.2  # always some bytes within the stall timeout
    policy = DownloadPolicy(
        stall_timeout_s=5.0, deadline_s=1.5, retries=3, backoff_s=0.05, min_bytes_per_s=0
    )
    started = time.monotonic()
    with pytest.raises(MlcorpusError, match=r"deadline of [12] s passed"):
        download([server.url("/en_ru.argosmodel")], tmp_path / "p.zip", policy=policy)
    assert time.monotonic() - started < 5


def test_a_server_dripping_10_bytes_every_few_seconds_is_given_up_on(tmp_path, server):
    server.behaviour["/en_ru.argosmodel"] = "drip"
    server.drip_pause = 0.3
    policy = DownloadPolicy(
        stall_timeout_s=5.0, deadline_s=60, retries=1, backoff_s=0.05, min_rate_grace_s=0.5
    )
    started = time.monotonic()
    with pytest.raises(MlcorpusError, match=r"too slow: .* bytes/s"):
        download([server.url("/en_ru.argosmodel")], tmp_path / "p.zip", policy=policy)
    assert time.monotonic() - started < 10


def test_a_stalled_server_is_abandoned_then_the_next_mirror_used(tmp_path, server):
    server.files["/slow.argosmodel"] = server.files["/en_ru.argosmodel"]
    server.behaviour["/slow.argosmodel"] = "drip"
    server.drip_pause = 5.0  # 10 bytes every 5 s
    policy = DownloadPolicy(stall_timeout_s=0.5, deadline_s=20.0, retries=1, backoff_s=0.05)
    started = time.monotonic()
    used = download(
        [server.url("/slow.argosmodel"), server.url("/en_ru.argosmodel")],
        tmp_path / "p.zip",
        policy=policy,
    )
    assert used.endswith("/en_ru.argosmodel")
    assert server.hits["/slow.argosmodel"] == 2  # first attempt and one retry
    assert time.monotonic() - started < 5


def test_size_cap_from_the_index(argos_env, server, test_models):
    index = _publish(server, test_models, [server.url("/en_ru.argosmodel")], size=1000)
    with pytest.raises(MlcorpusError, match="over the 1000-byte limit"):
        install_from_index("en", "ru", index, policy=FAST)
    assert installed_packages() == []
    _no_leftovers(Path(argos_env["ARGOS_PACKAGES_DIR"]))


def test_truncated_download_is_reported_as_truncated(argos_env, server, test_models):
    server.behaviour["/en_ru.argosmodel"] = "truncate"
    index = _publish(server, test_models, [server.url("/en_ru.argosmodel")])
    with pytest.raises(MlcorpusError) as err:
        install_from_index("en", "ru", index, policy=FAST)
    assert "truncated: got" in str(err.value) and "not an Argos package" not in str(err.value)
    assert server.hits["/en_ru.argosmodel"] == 3
    assert installed_packages() == []


def test_progress_reports_bytes(argos_env, server, test_models):
    index = _publish(server, test_models, [server.url("/en_ru.argosmodel")])
    seen: list[tuple[int, int | None]] = []
    install_from_index("en", "ru", index, policy=FAST, progress=lambda d, t: seen.append((d, t)))
    size = len(server.files["/en_ru.argosmodel"])
    assert seen[-1] == (size, size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    result = CliRunner().invoke(
        main, ["models", "install", "en", "ru", "--index", index, "--progress"]
    )
    assert result.exit_code == 0, result.output
    assert "Downloading en->ru" in result.output and f"{size / 1e6:.1f} MB" in result.output


def test_usable_links_reasons():
    usable, skipped = usable_links(["https://a.example/p", "ftp://b/p", 7, "", "http:///nohost"])
    assert usable == ["https://a.example/p"]
    assert len(skipped) == 4
    assert usable_links({"a": 1})[0] == []


def test_sigterm_during_a_download_leaves_no_partial_file(argos_env, server, test_models):
    import os
    import signal
    import subprocess
    import sys

    server.behaviour["/en_ru.argosmodel"] = "drip"
    server.drip_pause = 0.05
    index = _publish(server, test_models, [server.url("/en_ru.argosmodel")])
    packages = Path(argos_env["ARGOS_PACKAGES_DIR"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlcorpus", "models", "install", "en", "ru", "--index", index],
        env={**os.environ, **argos_env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not any(staging_root(packages).glob("*/package.argosmodel")):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == -signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert list(staging_root(packages).rglob("*.argosmodel")) == []
    assert installed_packages() == []
