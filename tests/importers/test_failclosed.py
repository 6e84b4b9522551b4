"""An import never exits 0 having silently read nothing the export should hold, and
hostile files around it (issue 12) give an error, never a traceback or a hang."""

from __future__ import annotations

import json
import os
import sys

import pytest

from tests import import_exports as build
from tests import import_variants as variants


def _account(tmp_path, platform="x", handle="@ExampleSchool", text=None):
    path = tmp_path / "account.yaml"
    body = text if text is not None else f'platform: {platform}\nhandle: "{handle}"\n'
    path.write_text(body + ("kind: official\n" if text is None else ""), "utf-8")
    return path


def _run(run_cli, tmp_path, fmt, files, account, zipped=True):
    tmp_path.mkdir(exist_ok=True)
    export = build.write(files, tmp_path / "export", zipped)
    return run_cli("import", fmt, str(export), "--into", str(account))


@pytest.mark.parametrize("zipped", [True, False], ids=["zip", "folder"])
@pytest.mark.parametrize(
    ("fmt", "name", "platform", "handle"),
    [
        ("instagram", "connections/followers_and_following/followers_1.json", "instagram",
         "@exampleschool"),
        ("facebook", "connections/followers/people_who_followed_you.json", "facebook", "School"),
    ],
)  # fmt: skip
def test_a_recognised_but_unreadable_follower_file_fails(
    run_cli, tmp_path, zipped, fmt, name, platform, handle
):
    files = build.instagram() if fmt == "instagram" else variants.facebook_2026()
    files[name] = '{"followers_v3": [ {"name": '  # cut short
    account = _account(tmp_path, platform, handle)
    before = account.read_bytes()
    ran = _run(run_cli, tmp_path, fmt, files, account, zipped)
    assert ran.code == 2 and name in ran.err and "not valid JSON" in ran.err
    assert "Traceback" not in ran.err and account.read_bytes() == before


def test_an_export_with_nothing_safesocial_reads_fails(run_cli, tmp_path):
    files = {"pages/your_pages.json": json.dumps({"pages_v2": []})}
    ran = _run(run_cli, tmp_path, "facebook", files, _account(tmp_path, "facebook", "School"))
    assert ran.code == 2 and "holds no list of followers" in ran.err


def test_files_beside_those_read_are_listed_as_not_read(run_cli, tmp_path):
    files = variants.facebook_2026()
    ran = _run(run_cli, tmp_path, "facebook", files, _account(tmp_path, "facebook", "School"))
    assert ran.code == 0, ran.err
    assert "not read (nothing safesocial checks): connections/friends/people_you_may_know" in (
        ran.out
    )


# --- Issue 12 -----------------------------------------------------------------------


def test_generation_date_at_the_start_of_time(run_cli, tmp_path):
    files = build.x_archive(generated="0001-01-01T00:30:00+01:00")
    ran = _run(run_cli, tmp_path, "x-archive", files, _account(tmp_path))
    assert ran.code == 2 and "generationDate" in ran.err and "Traceback" not in ran.err


def test_a_part_number_of_thousands_of_digits(run_cli, tmp_path):
    files = build.x_archive(followers=["11", "22"], vintage="bare")
    follower = files.pop("data/follower.js")
    files["data/follower-part" + "9" * 5000 + ".js"] = follower.replace("part0", "part1")
    files["data/follower-part1.js"] = build.x_archive(followers=["33"])["data/follower.js"]
    ran = _run(run_cli, tmp_path, "x-archive", files, _account(tmp_path))
    assert ran.code == 0, ran.err
    ig = build.instagram()
    ig["connections/followers_and_following/followers_" + "7" * 5000 + ".json"] = "[]"
    ran = _run(run_cli, tmp_path / "second", "instagram", ig,
               _account(tmp_path, "instagram", "@exampleschool"))  # fmt: skip
    assert ran.code == 0, ran.err


def test_alias_nesting_hundreds_deep_in_the_file(run_cli, tmp_path):
    lines = ["platform: x", 'handle: "@ExampleSchool"', "kind: official", "notes:", "  - &a0 [1]"]
    lines += [f"  - &a{n} [*a{n - 1}]" for n in range(1, 700)]
    account = _account(tmp_path, text="\n".join(lines) + "\n")
    assert sys.getrecursionlimit() / 3 < 700  # deep enough to break a recursive comparer
    ran = _run(run_cli, tmp_path, "x-archive", build.x_archive(), account)
    assert "Traceback" not in ran.err and ran.code in (0, 2), ran.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_into_a_fifo_is_refused_without_reading_it(run_cli, tmp_path):
    fifo = tmp_path / "account.yaml"
    os.mkfifo(fifo)  # nobody writes to it: reading would block for ever
    ran = _run(run_cli, tmp_path, "x-archive", build.x_archive(), fifo)
    assert ran.code == 2 and "not a regular file" in ran.err


def test_a_merge_keeps_the_byte_order_mark(run_cli, tmp_path):
    account = tmp_path / "account.yaml"
    text = (
        '# yaml-language-server: $schema=x\nplatform: x\nhandle: "@ExampleSchool"\nkind: official\n'
    )
    account.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    ran = _run(run_cli, tmp_path, "x-archive", build.x_archive(), account)
    assert ran.code == 0, ran.err
    written = account.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf# yaml-language-server: $schema=x\n")
    before = written
    again = _run(run_cli, tmp_path / "second", "x-archive", build.x_archive(), account)
    assert again.code == 0 and account.read_bytes() == before
