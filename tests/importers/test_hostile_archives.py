"""Hostile and broken exports: refused before anything is read, with a message naming the
file and what was wrong, and exit code 2 through the CLI."""

from __future__ import annotations

import os
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from safesocial.errors import ImportProblem
from safesocial.importers import archive
from tests.import_exports import x_archive

ACCOUNT = """\
platform: x
handle: "@ExampleSchool"
kind: official
followers:
  - {id: "1111111111", handle: "@parent_one", category: parent}
"""


def _zip(path: Path, entries: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _x_zip(path: Path, extra: dict[str, bytes | str] | None = None) -> Path:
    return _zip(path, {**x_archive(), **(extra or {})})


@pytest.fixture
def account(tmp_path: Path) -> Path:
    path = tmp_path / "school" / "accounts" / "main.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(ACCOUNT, encoding="utf-8")
    return path


def _refused(run_cli, export: Path, account: Path, *words: str) -> str:
    before = account.read_bytes()
    ran = run_cli("import", "x-archive", str(export), "--into", str(account))
    assert ran.code == 2, ran.out + ran.err
    assert "Traceback" not in ran.err
    for word in words:
        assert word in ran.err, ran.err
    assert account.read_bytes() == before  # nothing written
    return ran.err


def test_zip_slip_entry_is_refused(run_cli, tmp_path, account):
    export = _x_zip(tmp_path / "x.zip", {"data/../../evil.js": "x"})
    _refused(run_cli, export, account, "x.zip", "outside the export", "'..'")


@pytest.mark.parametrize("name", ["/etc/passwd", "\\windows\\evil.js", "C:/evil.js"])
def test_absolute_entry_is_refused(run_cli, tmp_path, account, name):
    export = _x_zip(tmp_path / "x.zip", {name: "x"})
    _refused(run_cli, export, account, "absolute")


def test_backslash_zip_slip_is_refused(run_cli, tmp_path, account):
    export = _x_zip(tmp_path / "x.zip", {"data\\..\\..\\evil.js": "x"})
    _refused(run_cli, export, account, "'..'")


def test_symlink_entry_is_refused(run_cli, tmp_path, account):
    export = tmp_path / "x.zip"
    with zipfile.ZipFile(export, "w") as zf:
        for name, data in x_archive().items():
            zf.writestr(name, data)
        link = zipfile.ZipInfo("data/follower-link.js")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    _refused(run_cli, export, account, "symbolic link", "follower-link.js")


def test_duplicate_entry_is_refused(run_cli, tmp_path, account):
    export = tmp_path / "x.zip"
    with zipfile.ZipFile(export, "w") as zf, pytest.warns(UserWarning):
        for name, data in x_archive().items():
            zf.writestr(name, data)
        zf.writestr("data/follower.js", "window.YTD.follower.part0 = []")
    _refused(run_cli, export, account, "twice")


def _patch_central_sizes(path: Path, size: int) -> None:
    """Rewrite every central-directory entry's uncompressed size, as a zip bomb declares."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_zip_bomb_by_declared_size_is_refused_before_reading(run_cli, tmp_path, account):
    export = _x_zip(tmp_path / "bomb.zip")
    _patch_central_sizes(export, 0xFFFFFFF0)  # ~4 GiB each, 9 entries: past 8 GiB
    _refused(run_cli, export, account, "bomb.zip", "zip bomb")


def test_zip_bomb_by_entry_count_is_refused_from_the_end_record(tmp_path, monkeypatch):
    export = _x_zip(tmp_path / "many.zip")
    monkeypatch.setattr(archive, "MAX_ENTRIES", 5)
    # The end-of-archive record is read before zipfile loads the directory.
    monkeypatch.setattr(zipfile, "ZipFile", None)
    with (
        pytest.raises(ImportProblem, match=f"holds {len(x_archive())} entries"),
        archive.open_export(export, "many.zip"),
    ):
        pass


def test_member_that_expands_past_its_header_is_refused(tmp_path, monkeypatch):
    export = _x_zip(tmp_path / "liar.zip")
    original = zipfile.ZipFile.open

    def lying_open(self, name, *args, **kwargs):  # a member whose header understates it
        member = original(self, name, *args, **kwargs)
        member._left = 10**9  # type: ignore[attr-defined]
        member._orig_file_size = 10**9  # type: ignore[attr-defined]
        return member

    with archive.open_export(export, "liar.zip") as opened:
        info = opened._infos["data/follower.js"]  # type: ignore[union-attr]
        info.file_size = 10
        monkeypatch.setattr(zipfile.ZipFile, "open", lying_open)
        with pytest.raises(ImportProblem, match="expands past"):
            opened.read_bytes("data/follower.js")


def test_member_larger_than_the_read_limit_is_refused(tmp_path, monkeypatch):
    export = _x_zip(tmp_path / "x.zip")
    monkeypatch.setattr(archive, "MAX_READ_BYTES", 100)
    with (
        archive.open_export(export, "x.zip") as opened,
        pytest.raises(ImportProblem, match=r"data/manifest\.js.*at most"),
    ):
        opened.read_bytes("data/manifest.js")


def test_corrupt_zip_is_refused(run_cli, tmp_path, account):
    export = _x_zip(tmp_path / "x.zip")
    data = bytearray(export.read_bytes())
    data[60:200] = bytes(140)  # wreck the first member's compressed data
    export.write_bytes(bytes(data))
    _refused(run_cli, export, account, "x.zip")


def test_truncated_zip_is_refused(run_cli, tmp_path, account):
    export = _x_zip(tmp_path / "x.zip")
    export.write_bytes(export.read_bytes()[:-100])
    _refused(run_cli, export, account, "x.zip", "zip")


def test_a_file_that_is_not_a_zip_is_refused(run_cli, tmp_path, account):
    export = tmp_path / "export.tar.gz"
    export.write_bytes(b"\x1f\x8b\x08\x00 not a zip")
    _refused(run_cli, export, account, "export.tar.gz", ".zip file or an unpacked folder")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_in_an_unpacked_export_is_refused(run_cli, tmp_path, account):
    folder = tmp_path / "export"
    for name, data in x_archive().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(data, encoding="utf-8")
    (folder / "data" / "follower.js").unlink()
    secret = tmp_path / "secret.txt"
    secret.write_text("not for you", encoding="utf-8")
    os.symlink(secret, folder / "data" / "follower.js")
    _refused(run_cli, folder, account, "symbolic link", "data/follower.js")


def test_folder_with_too_many_files_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "export"
    folder.mkdir()
    for n in range(6):
        (folder / f"f{n}.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(archive, "MAX_ENTRIES", 5)
    with (
        pytest.raises(ImportProblem, match="more than 5 files"),
        archive.open_export(folder, "export"),
    ):
        pass


def test_the_importer_never_uses_the_network(run_cli, tmp_path, account, monkeypatch):
    import socket

    def no(*args, **kwargs):
        raise AssertionError("the importer tried to use the network")

    monkeypatch.setattr(socket, "socket", no)
    monkeypatch.setattr(socket, "create_connection", no)
    export = _x_zip(tmp_path / "x.zip")
    ran = run_cli("import", "x-archive", str(export), "--into", str(account))
    assert ran.code == 0, ran.err
