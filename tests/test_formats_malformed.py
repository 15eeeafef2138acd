"""Malformed and hostile input: a one-line error with the position, a non-zero
exit, and nothing written; entities are never expanded, nothing is fetched."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from mlcorpus.cli import main
from mlcorpus.errors import InputError
from mlcorpus.formats import read_units

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
    '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
    'adminlang="en" srclang="en" datatype="plaintext"/>\n<body>\n'
)
TU = (
    '<tu><tuv xml:lang="en"><seg>Hello</seg></tuv><tuv xml:lang="ru"><seg>Привет</seg></tuv></tu>\n'
)
FOOTER = "</body>\n</tmx>\n"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tmx version="1.4"><header srclang="en"/><body><tu>
<tuv xml:lang="en"><seg>&lol3;</seg></tuv><tuv xml:lang="ru"><seg>x</seg></tuv>
</tu></body></tmx>
"""


def convert(tmp_path: Path, name: str, content: str | bytes, out: str = "out.jsonl", *extra: str):
    src = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    src.write_bytes(content)
    result = CliRunner().invoke(main, ["convert", str(src), str(tmp_path / out), *extra])
    return result


def assert_clean_failure(result, tmp_path: Path, *fragments: str) -> str:
    assert result.exit_code != 0
    message = result.stderr.strip()
    assert message.startswith("Error: ") and "\n" not in message, message
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in message, message
    # nothing written: neither the output nor a leftover temporary file
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("in")) == []
    return message


@pytest.mark.parametrize(
    "content, fragments",
    [
        (
            HEADER + TU + "<tu><tuv xml:lang='en'><seg>x</tuv></tu>" + FOOTER,
            ["line 6, column", "mismatched tag"],
        ),
        (HEADER + TU, ["line 6", "no element found"]),
        (
            HEADER.replace('version="1.4"', 'version="2.0"') + TU + FOOTER,
            ["line 2, column 1", "unsupported TMX version '2.0'"],
        ),
        (HEADER.replace(' version="1.4"', "") + TU + FOOTER, ["line 2", "no version"]),
        (
            HEADER + TU + "<tu><tuv><seg>no language</seg></tuv></tu>\n" + FOOTER,
            ["line 6, column 5", "<tuv> has no xml:lang"],
        ),
        (
            HEADER + TU.replace("Hello", "Hello&nbsp;world") + FOOTER,
            ["line 5, column", "undefined entity"],
        ),
        (BILLION_LAUGHS, ["line 3", "entity declaration 'lol' refused"]),
        (
            '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&x;</seg></tuv></tu>'
            "</body></tmx>",
            ["line 1", "refused"],
        ),
        (
            '<?xml version="1.0"?><xliff version="1.2"><file/></xliff>',
            ["line 1, column 22", "not a TMX file: the root element is <xliff>"],
        ),
        ("", ["file is empty"]),
        ("just some text, not XML at all\n", ["line 1, column 1", "invalid XML"]),
    ],
)
def test_malformed_tmx_fails_cleanly(tmp_path, content, fragments):
    result = convert(tmp_path, "in.tmx", content)
    assert_clean_failure(result, tmp_path, "in.tmx", *fragments)


def test_error_after_many_units_leaves_no_output(tmp_path):
    content = HEADER + TU * 5000 + "<tu><tuv xml:lang='en'><seg>a & b</seg></tuv></tu>" + FOOTER
    for out in ("out.tmx", "out.jsonl", "out.xlf", "corpus"):
        extra = ("--format", "moses") if out == "corpus" else ()
        result = convert(tmp_path, "in.tmx", content, out, *extra)
        assert_clean_failure(result, tmp_path, "line 5005", "not well-formed")


@pytest.mark.parametrize(
    "content, fragments",
    [
        (
            '<?xml version="1.0"?><xliff version="2.0"'
            ' xmlns="urn:oasis:names:tc:xliff:document:2.0"'
            ' srcLang="en"><file id="f"/></xliff>',
            ["XLIFF 2.0 is not supported"],
        ),
        (
            '<xliff version="1.2"><file original="a" datatype="plaintext"><body/></file></xliff>',
            ["line 1, column 22", "no source-language"],
        ),
        (
            '<xliff version="1.2"><file original="a" source-language="en" target-language="de" '
            'datatype="plaintext"><body/></file></xliff>',
            ["en -> de, not en -> ru"],
        ),
    ],
)
def test_malformed_xliff_fails_cleanly(tmp_path, content, fragments):
    result = convert(tmp_path, "in.xlf", content, "out.jsonl", "--from", "en", "--to", "ru")
    assert_clean_failure(result, tmp_path, *fragments)


def test_malformed_text_formats_fail_with_line_numbers(tmp_path):
    good = '{"translation": {"en": "a", "ru": "б"}}\n'
    result = convert(tmp_path, "in.jsonl", good * 2 + "{broken\n", "out.tmx")
    assert_clean_failure(result, tmp_path, "line 3, column 2", "invalid JSON")
    result = convert(
        tmp_path,
        "in.jsonl",
        good + '{"translation": {"de": "x", "fr": "y"}}\n',
        "out.tmx",
        "--from",
        "en",
    )
    assert_clean_failure(result, tmp_path, "line 2", "cannot find en")
    result = convert(tmp_path, "in.csv", 'en,ru\n"a","б"\nonly one column\n', "out.tmx")
    assert_clean_failure(result, tmp_path, "line 3", "expected at least 2 columns")
    result = convert(tmp_path, "in.csv", 'en,ru\n"unterminated,б\n', "out.tmx")
    assert_clean_failure(result, tmp_path, "invalid CSV")
    result = convert(tmp_path, "in.tsv", b"en\tru\na\tb\n\xff\xfe\x00\x01\x02", "out.tmx")
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_moses_files_of_different_length(tmp_path):
    (tmp_path / "in.en").write_text("one\ntwo\nthree\n", encoding="utf-8")
    (tmp_path / "in.ru").write_text("один\nдва\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["convert", str(tmp_path / "in.en"), str(tmp_path / "out.tmx")]
    )
    assert_clean_failure(result, tmp_path, "in.ru has 2 lines but", "line-aligned")


def test_api_error_carries_position(tmp_path):
    path = tmp_path / "bad.tmx"
    path.write_text(
        HEADER + TU + '<tu><tuv lang=""><seg>x</seg></tuv></tu>' + FOOTER, encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"bad\.tmx, line 6, column 5: <tuv> has no xml:lang"):
        list(read_units(str(path)))


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY leak "fetched">')

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def http_url():
    server = http.server.HTTPServer(("127.0.0.1", 0), _RecordingHandler)
    _RecordingHandler.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_nothing_is_fetched_from_the_network(tmp_path, http_url):
    external_entity = (
        f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY ext SYSTEM '
        f'"{http_url}/entity">]><tmx version="1.4"><header srclang="en"/>'
        "<body></body></tmx>"
    )
    result = convert(tmp_path, "in.tmx", external_entity)
    assert_clean_failure(result, tmp_path, "refused")
    parameter_entity = (
        f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY % p SYSTEM '
        f'"{http_url}/param"> %p;]><tmx version="1.4"><header srclang="en"/>'
        "<body></body></tmx>"
    )
    result = convert(tmp_path, "in.tmx", parameter_entity)
    assert_clean_failure(result, tmp_path, "refused")
    # an external DTD is allowed (CAT tools write one) but never loaded
    with_dtd = (
        f'<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "{http_url}/tmx14.dtd">'
        + HEADER.split("\n", 1)[1]
        + TU
        + FOOTER
    )
    result = convert(tmp_path, "in.tmx", with_dtd, "out.jsonl")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") == 1
    assert _RecordingHandler.requests == []
