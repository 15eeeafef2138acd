"""Hostile or damaged .argosmodel files are refused before a byte is unpacked."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.repack import repack

from mlcorpus.cli import main
from mlcorpus.errors import InputError
from mlcorpus.mt.registry import install_file, installed_packages, staging_root


def _nothing_written(argos_env) -> None:
    packages = Path(argos_env["ARGOS_PACKAGES_DIR"])
    assert installed_packages() == []
    assert not packages.exists() or list(packages.iterdir()) == []
    stage = staging_root(packages)
    assert not stage.exists() or list(stage.iterdir()) == []


def _refused(path: Path, match: str, argos_env) -> str:
    with pytest.raises(InputError, match=match) as err:
        install_file(path)
    _nothing_written(argos_env)
    result = CliRunner().invoke(main, ["models", "install", str(path)])
    assert result.exit_code != 0
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    return str(err.value)


def test_zip_bomb_by_compression_ratio(argos_env, test_models, tmp_path):
    bomb = repack(
        test_models.package("en", "ru"),
        tmp_path / "bomb.argosmodel",
        extra={"model/padding.bin": bytes(256 << 20)},  # 256 MB of zeros -> ~250 kB
    )
    assert bomb.stat().st_size < 8 << 20
    assert "zip bomb" in _refused(bomb, "zip bomb", argos_env)


def _declare_size(path: Path, member_suffix: str, size: int) -> None:
    """Rewrite the uncompressed size a zip's central directory declares for a member."""
    data = bytearray(path.read_bytes())
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        name = bytes(data[offset + 46 : offset + 46 + name_len]).decode()
        if name.endswith(member_suffix):
            struct.pack_into("<I", data, offset + 24, size)
        offset = data.find(b"PK\x01\x02", offset + 46 + name_len + extra_len + comment_len)
    path.write_bytes(bytes(data))


def test_zip_bomb_by_declared_total_size(argos_env, test_models, tmp_path):
    path = repack(
        test_models.package("en", "ru"),
        tmp_path / "declared.argosmodel",
        extra={f"model/part{i}.bin": b"x" * 100 for i in range(3)},
        compression=zipfile.ZIP_STORED,
    )
    _declare_size(path, "part0.bin", 0xFFFFFF00)  # three members of ~4 GiB each
    _declare_size(path, "part1.bin", 0xFFFFFF00)
    assert "zip bomb" in _refused(path, "zip bomb", argos_env)


@pytest.mark.parametrize("code", ["xx", "en/../../x", ["en"], "", "EN-us"])
def test_language_codes_are_validated(argos_env, test_models, tmp_path, code):
    path = repack(
        test_models.package("en", "ru"), tmp_path / "codes.argosmodel", metadata={"from_code": code}
    )
    _refused(path, "from_code .* is not an ISO 639", argos_env)


def test_index_entries_with_bad_codes_are_not_offered(argos_env, tmp_path, test_models):
    from mlcorpus.mt.registry import fetch_index

    entries = [
        {"from_code": "en", "to_code": "ru", "package_version": "1.9", "links": []},
        {"from_code": "xx", "to_code": "ru", "package_version": "1.0", "links": []},
        {"from_code": ["en"], "to_code": "ru", "package_version": "1.0", "links": []},
        {"from_code": "en/../../x", "to_code": "ru", "package_version": "1.0", "links": []},
    ]
    index = tmp_path / "index.json"
    index.write_text(json.dumps(entries))
    assert [(e.from_code, e.to_code) for e in fetch_index(str(index))] == [("en", "ru")]


def test_metadata_size_is_capped(argos_env, test_models, tmp_path):
    padded = {"from_code": "en", "to_code": "ru", "padding": "x" * (300 << 10)}
    path = tmp_path / "bigmeta.argosmodel"
    repack(test_models.package("en", "ru"), path, metadata=padded)
    assert "metadata.json is" in _refused(path, "limit", argos_env)
    # an installed folder with a huge metadata.json is skipped, not read whole
    folder = Path(argos_env["ARGOS_PACKAGES_DIR"]) / "big"
    (folder / "model").mkdir(parents=True)
    (folder / "model" / "model.bin").write_bytes(b"x")
    (folder / "sentencepiece.model").write_bytes(b"x")
    (folder / "metadata.json").write_text(json.dumps(padded))
    assert installed_packages() == []


def test_hidden_top_folder_is_refused(argos_env, test_models, tmp_path):
    path = repack(test_models.package("en", "ru"), tmp_path / "hidden.argosmodel", top=".hidden")
    assert "hidden name" in _refused(path, "hidden", argos_env)


def test_truncated_file_is_reported_as_truncated(argos_env, test_models, tmp_path):
    data = test_models.package("en", "ru").read_bytes()
    path = tmp_path / "cut.argosmodel"
    path.write_bytes(data[: len(data) // 3])
    message = _refused(path, "truncated", argos_env)
    assert "not an Argos package" not in message


def test_symlink_member_is_refused(argos_env, test_models, tmp_path):
    path = repack(test_models.package("en", "ru"), tmp_path / "link.argosmodel")
    with zipfile.ZipFile(path, "a") as archive:
        info = zipfile.ZipInfo("translate-en_ru-test/model/link")
        info.external_attr = (0o120777 << 16) | 0
        archive.writestr(info, "/etc/passwd")
    _refused(path, "symbolic link", argos_env)
