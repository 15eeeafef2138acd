"""``mlcorpus serve`` start-up checks and the pieces of the server that need
no running process: document templates and the rate limiter."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main
from mlcorpus.server.settings import ServerSettings, is_loopback, keys_from_env


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "example.org"])
def test_refuses_other_addresses_without_a_key(host: str, monkeypatch) -> None:
    monkeypatch.delenv("MLCORPUS_API_KEY", raising=False)
    result = CliRunner().invoke(main, ["serve", "--host", host])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: refusing to listen on {host} without an API key")
    assert "Traceback" not in result.output


def test_key_from_the_environment_is_accepted() -> None:
    settings = ServerSettings(
        host="0.0.0.0", api_keys=keys_from_env({"MLCORPUS_API_KEY": "k1-secret-key, k2-secret-key"})
    )
    settings.check()
    assert settings.api_keys == ("k1-secret-key", "k2-secret-key")


def test_loopback_addresses() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "myhost"))


def test_short_key_and_missing_files_are_refused(tmp_path) -> None:
    result = CliRunner().invoke(main, ["serve", "--api-key", "short"])
    assert result.exit_code == 1 and "at least 8 characters" in result.output
    result = CliRunner().invoke(main, ["serve", "-g", str(tmp_path / "none.tsv")])
    assert result.exit_code == 1 and "no such glossary file" in result.output


def test_html_template_keeps_markup_byte_for_byte() -> None:
    from mlcorpus.server.documents import html_template

    source = (
        "<!DOCTYPE html>\n<html><head><title>Big news</title><style>p{x:1}</style></head>"
        "<body><p class=lead>Tom &amp; Jerry met. They talked!</p>"
        "<pre>keep   this</pre><span class='a notranslate'>Brand</span>"
        "<img alt='Not translated'> tail&nbsp;text</body></html>"
    )
    template = html_template(source, "en")
    assert template.segments == [
        "Big news",
        "Tom & Jerry met.",
        "They talked!",
        "tail\xa0text",
    ]
    assert template.fill(template.segments) == source.replace("&nbsp;", "\xa0")
    out = template.fill(["A<B", "C & D", "E", "F"])
    assert "<title>A&lt;B</title>" in out
    assert "<p class=lead>C &amp; D E</p>" in out


def test_plain_template_keeps_lines_and_spacing() -> None:
    from mlcorpus.server.documents import plain_template

    text = "First one. Second one!\r\n\n  Third line  \n- 12 -\n"
    template = plain_template(text, "en")
    assert template.segments == ["First one.", "Second one!", "Third line"]
    assert template.fill(["1", "2", "3"]) == "1 2\r\n\n  3  \n- 12 -\n"


def test_rate_limiter_window() -> None:
    from mlcorpus.server.errors import ApiError
    from mlcorpus.server.security import RateLimiter

    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    limiter.hit("a")
    limiter.hit("a")
    limiter.hit("b")
    with pytest.raises(ApiError) as exc:
        limiter.hit("a")
    assert exc.value.status == 429
    now[0] = 60.0
    limiter.hit("a")  # the window moved on
