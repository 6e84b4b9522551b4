"""Merging an export into an account file: nothing typed by hand is lost, the same export
twice changes nothing, --dry-run writes nothing, and the result still loads cleanly."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from safesocial.documents import yamlio
from safesocial.importers.run import run_import
from safesocial.model import loader
from tests import import_exports as build
from tests.conftest import EXAMPLES, ROOT

X_ACCOUNT = """\
# yaml-language-server: $schema=../../schemas/account.schema.json
# The school's X account. Checked by the deputy head.
platform: x
handle: "@ExampleSchool"
kind: official
observed_on: "2024-01-10"
source: hand
# Protected since the 2023 review.
protected: true   # ask S002 before changing
dm_from: nobody
bio: >-
  Example School. Monitored Mon-Fri 8:30-4:00,
  not 24/7.
admins:
  - {staff: S001, access: full}
followers:
  # Mum of A1207; form in the office.
  - {id: "1111111111", handle: "@parent_one", category: parent, pupil_note: kept, \
approval: {form: RAF-1, approved_by: S001, on: "2024-01-02"}}
  - id: "9999999999"
    handle: "@gone_away"
    category: parent
    note: Moved to Spain  # left in December
  - {handle: "@typed_by_hand", category: governor}
following:
  - {id: "5555555555", category: organisation, note: the council}
posts:
  - id: "1851200341"
    date: "2024-01-18"
    pupils_shown: ["2041"]
    # Taken from the back of the hall.
    identifiable: false
notes: |
  Hand notes.
  # not a comment, part of the text
my_own_key: {anything: [1, 2]}
"""


def school(tmp_path: Path, account: str = X_ACCOUNT, name: str = "main") -> Path:
    """A small school folder whose one account file is `account`."""
    folder = tmp_path / "school"
    (folder / "accounts").mkdir(parents=True)
    shutil.copy(EXAMPLES / "clean-primary" / "school.yaml", folder / "school.yaml")
    shutil.copy(EXAMPLES / "clean-primary" / "policy.yaml", folder / "policy.yaml")
    path = folder / "accounts" / f"{name}.yaml"
    path.write_text(account, encoding="utf-8")
    return path


def x_export(tmp_path: Path, zipped: bool = True, **kwargs) -> Path:
    kwargs.setdefault("followers", ["1111111111", "2222222222"])
    return build.write(build.x_archive(**kwargs), tmp_path / "x-export", zipped)


def run(run_cli, fmt, export, into, *extra):
    ran = run_cli("import", fmt, str(export), "--into", str(into), *extra)
    assert ran.code == 0, ran.out + ran.err
    return ran


def parsed(path: Path):
    return yamlio.parse(path.read_text("utf-8"), path.name)


def test_x_merge_keeps_every_hand_field(run_cli, tmp_path):
    account = school(tmp_path)
    ran = run(run_cli, "x-archive", x_export(tmp_path), account)
    doc = parsed(account)
    followers = {f.get("id") or f.get("handle"): f for f in doc["followers"]}
    # Still there, exactly as typed, unknown keys and all.
    assert followers["1111111111"] == {
        "id": "1111111111",
        "handle": "@parent_one",
        "category": "parent",
        "pupil_note": "kept",
        "approval": {"form": "RAF-1", "approved_by": "S001", "on": "2024-01-02"},
    }
    # New: category unknown; gone: removed and listed with what it held.
    assert followers["2222222222"] == {"id": "2222222222", "category": "unknown"}
    assert "9999999999" not in followers
    assert "@gone_away: no longer in the export; it had category parent" in ran.out
    assert "note Moved to Spain" in ran.out
    # A follower typed by handle cannot be matched against X's ids: kept, and said so.
    assert followers["@typed_by_hand"] == {"handle": "@typed_by_hand", "category": "governor"}
    assert "kept as typed" in ran.out and "@typed_by_hand" in ran.out
    # Everything the export does not speak about is untouched.
    for key in ("bio", "admins", "posts", "notes", "my_own_key", "kind", "dm_from"):
        assert doc[key] == yamlio.parse(X_ACCOUNT, "x")[key], key
    assert doc["observed_on"] == "2024-03-05" and doc["source"] == "x-archive"
    assert doc["following"] == [
        {"id": "5555555555", "category": "organisation", "note": "the council"}
    ]


def test_x_merge_keeps_comments_and_layout(run_cli, tmp_path):
    account = school(tmp_path)
    run(run_cli, "x-archive", x_export(tmp_path), account)
    text = account.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/account.schema.json\n")
    for kept in (
        "# The school's X account. Checked by the deputy head.",
        "# Protected since the 2023 review.",
        "protected: true   # ask S002 before changing",
        "# Mum of A1207; form in the office.",
        "# Taken from the back of the hall.",
        "bio: >-\n  Example School. Monitored Mon-Fri 8:30-4:00,\n  not 24/7.\n",
        "  # not a comment, part of the text\n",
        "my_own_key: {anything: [1, 2]}",
    ):
        assert kept in text, kept
    # The comment on the follower who left goes with it (and the summary says so).
    assert "left in December" not in text
    assert "# safesocial import: " in text


def test_comment_of_a_removed_follower_is_reported(run_cli, tmp_path):
    account = school(tmp_path)
    ran = run(run_cli, "x-archive", x_export(tmp_path), account)
    assert "Comments that did not stay" in ran.out
    assert "# left in December" in ran.out


@pytest.mark.parametrize(
    ("fmt", "files", "handle", "platform"),
    [
        ("x-archive", lambda: build.x_archive(), "@ExampleSchool", "x"),
        ("instagram", lambda: build.instagram(), "@exampleschool", "instagram"),
        ("instagram", lambda: build.instagram(layout="2022"), "@exampleschool", "instagram"),
        ("tiktok", lambda: build.tiktok(), "@exampleschool", "tiktok"),
        ("tiktok", lambda: build.tiktok(keys="new"), "@exampleschool", "tiktok"),
        ("facebook", lambda: build.facebook(), "@exampleschool", "facebook"),
    ],
)
@pytest.mark.parametrize("zipped", [True, False], ids=["zip", "folder"])
def test_importing_twice_changes_nothing_the_second_time(
    run_cli, tmp_path, fmt, files, handle, platform, zipped
):
    account = school(tmp_path, f'platform: {platform}\nhandle: "{handle}"\nkind: official\n')
    export = build.write(files(), tmp_path / "export-2024-03-05", zipped)
    first = run(run_cli, fmt, export, account)
    assert "Wrote" in first.out
    after_first = account.read_bytes()
    second = run(run_cli, fmt, export, account)
    assert account.read_bytes() == after_first
    assert "already up to date" in second.out
    # And the merged file loads with no input problem at all.
    loaded = loader.load_school(account.parents[1], "school")
    assert loaded.problems == [], [str(p) for p in loaded.problems]


def test_dry_run_writes_nothing_and_shows_the_changes(run_cli, tmp_path):
    account = school(tmp_path)
    before = account.read_bytes()
    ran = run(run_cli, "x-archive", x_export(tmp_path), account, "--dry-run", "--diff")
    assert account.read_bytes() == before
    assert "Dry run" in ran.out and "followers: 1 added, 1 removed" in ran.out
    assert '+  - {id: "2222222222", category: unknown}' in ran.out  # the diff
    assert not list(account.parent.glob(".*.tmp"))  # no temporary file left behind


def test_unknown_protected_state_keeps_what_was_typed(run_cli, tmp_path):
    account = school(tmp_path)
    ran = run(run_cli, "x-archive", x_export(tmp_path, protected=[]), account)
    assert parsed(account)["protected"] is True
    assert "protected: stays true, as typed" in ran.out
    assert "six months" in ran.out


def test_known_protected_state_is_recorded(run_cli, tmp_path):
    account = school(tmp_path)
    export = x_export(tmp_path, protected=[("2024-02-01T09:30:00.000Z", "Unprotect")])
    ran = run(run_cli, "x-archive", export, account)
    assert parsed(account)["protected"] is False
    assert "protected: true -> false" in ran.out
    # The comments about the setting stay with it.
    assert "# Protected since the 2023 review.\nprotected: false" in account.read_text("utf-8")


def test_renamed_follower_keeps_category_and_approval(run_cli, tmp_path):
    # X names followers by id: the hand-typed handle is out of date, the id still matches.
    account = school(tmp_path)
    run(run_cli, "x-archive", x_export(tmp_path), account)
    first = parsed(account)["followers"][0]
    assert first["handle"] == "@parent_one" and first["approval"]["form"] == "RAF-1"


def test_instagram_matches_handles_without_regard_to_case(run_cli, tmp_path):
    account = school(
        tmp_path,
        """\
platform: instagram
handle: "@ExampleSchool"
kind: official
followers:
  - {handle: "@Parent.Jones", category: parent, approval: {form: F-1}}
  - {handle: "@left.us", category: parent}
outgoing_requests:
  - {handle: "@old.request", category: unknown}
""",
    )
    export = build.write(build.instagram(), tmp_path / "instagram-2024-03-06", True)
    ran = run(run_cli, "instagram", export, account)
    doc = parsed(account)
    assert doc["followers"][0] == {
        "handle": "@Parent.Jones",
        "category": "parent",
        "approval": {"form": "F-1"},
    }
    assert [f["handle"] for f in doc["followers"]] == ["@Parent.Jones", "@pta.example"]
    assert doc["outgoing_requests"] == [
        {"handle": "@sports.club", "category": "unknown", "on": "2024-03-04"}
    ]
    assert doc["observed_on"] == "2024-03-06"  # from the export's name
    assert "the date in the export's name" in ran.out
    assert "dm_from: the download does not hold" in ran.out


def test_tiktok_records_the_dm_setting(run_cli, tmp_path):
    account = school(
        tmp_path, 'platform: tiktok\nhandle: "@exampleschool"\nkind: official\ndm_from: nobody\n'
    )
    export = build.write(build.tiktok(messages="Everyone"), tmp_path / "tt", True)
    ran = run(run_cli, "tiktok", export, account, "--observed-on", "2024-03-07")
    assert parsed(account)["dm_from"] == "everyone"
    assert "dm_from: nobody -> everyone" in ran.out
    assert parsed(account)["observed_on"] == "2024-03-07"


def test_export_without_a_date_uses_its_files_times(run_cli, tmp_path):
    account = school(tmp_path, 'platform: tiktok\nhandle: "@exampleschool"\nkind: official\n')
    export = build.write(build.tiktok(), tmp_path / "tt", True)  # zip entries dated 2024-03-05
    ran = run(run_cli, "tiktok", export, account)
    assert parsed(account)["observed_on"] == "2024-03-05"
    assert "give --observed-on" in ran.out


def test_new_keys_land_where_the_schema_puts_them(run_cli, tmp_path):
    account = school(
        tmp_path,
        """\
platform: x
handle: "@ExampleSchool"
kind: official
admins:
  - {staff: S001, access: full}
posts:
  - {id: "1"}
""",
    )
    run(run_cli, "x-archive", x_export(tmp_path), account)
    keys = list(parsed(account))
    assert keys == [
        "platform",
        "handle",
        "kind",
        "observed_on",
        "source",
        "protected",
        "admins",
        "followers",
        "following",
        "posts",
    ]


def test_crlf_files_stay_crlf(run_cli, tmp_path):
    account = school(tmp_path)
    account.write_bytes(X_ACCOUNT.replace("\n", "\r\n").encode("utf-8"))
    run(run_cli, "x-archive", x_export(tmp_path), account)
    data = account.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")


def test_file_permissions_are_kept(run_cli, tmp_path):
    account = school(tmp_path)
    account.chmod(0o600)
    run(run_cli, "x-archive", x_export(tmp_path), account)
    assert account.stat().st_mode & 0o777 == 0o600


def test_a_failed_write_leaves_the_file_as_it_was(run_cli, tmp_path, monkeypatch):
    from safesocial.importers import run as run_module

    account = school(tmp_path)
    before = account.read_bytes()

    def fail(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(run_module, "write_atomic", fail)
    ran = run_cli("import", "x-archive", str(x_export(tmp_path)), "--into", str(account))
    assert ran.code == 2 and "No space left" in ran.err
    assert account.read_bytes() == before


REFUSED = {
    "another account's export": (
        {"username": "SomeoneElse"},
        X_ACCOUNT,
        ["@ExampleSchool", "@SomeoneElse"],
    ),
    "a file for another platform": (
        {},
        X_ACCOUNT.replace("platform: x", "platform: instagram"),
        ["platform: instagram"],
    ),
    "an export older than the file": (
        {},
        X_ACCOUNT.replace('"2024-01-10"', '"2025-01-10"'),
        ["2025-01-10", "turn the clock"],
    ),
    "a file that does not parse": (
        {},
        "platform: x\nhandle: @x\n",
        ["main.yaml:2", "fix the file before importing"],
    ),
    "followers that are not a list": (
        {},
        'platform: x\nhandle: "@ExampleSchool"\nkind: official\nfollowers: {a: 1}\n',
        ["main.yaml:4", "followers should be a list"],
    ),
    "a follower that is not a mapping": (
        {},
        'platform: x\nhandle: "@ExampleSchool"\nkind: official\nfollowers:\n  - "@x"\n',
        ["main.yaml:5:5", "should be a mapping"],
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_merges_that_are_refused(run_cli, tmp_path, case):
    kwargs, text, words = REFUSED[case]
    account = school(tmp_path, text)
    ran = run_cli("import", "x-archive", str(x_export(tmp_path, **kwargs)), "--into", str(account))
    assert ran.code == 2, ran.out
    assert account.read_text("utf-8") == text
    for word in words:
        assert word in ran.err, ran.err


def test_facebook_download_of_a_page_manager_is_refused_for_the_page(run_cli, tmp_path):
    account = school(tmp_path, 'platform: facebook\nhandle: "@ExampleSchoolPTA"\nkind: official\n')
    export = build.write(build.facebook(username=None), tmp_path / "fb", True)
    ran = run_cli("import", "facebook", str(export), "--into", str(account))
    assert ran.code == 2
    assert "no Facebook download holds a Page's followers" in ran.err


def test_missing_account_file_says_how_to_start_one(run_cli, tmp_path):
    ran = run_cli(
        "import", "x-archive", str(x_export(tmp_path)), "--into", str(tmp_path / "new.yaml")
    )
    assert ran.code == 2 and "Create the account file first" in ran.err


def test_bad_observed_on_is_a_usage_error(run_cli, tmp_path):
    account = school(tmp_path)
    ran = run_cli(
        "import",
        "x-archive",
        str(x_export(tmp_path)),
        "--into",
        str(account),
        "--observed-on",
        "05/03/2024",
    )
    assert ran.code == 2 and "YYYY-MM-DD" in ran.err


@pytest.mark.parametrize(
    ("example", "account", "fmt", "files"),
    [
        (
            "drift-primary",
            "twitter",
            "x-archive",
            lambda: build.x_archive(username="AshcombeCofE", generated="2026-11-25T12:00:00Z"),
        ),
        (
            "followback-secondary",
            "instagram",
            "instagram",
            lambda: build.instagram(
                username="castlemeadacademy",
                followers=["devizes_parent_jo", "lowkey.cm_", "new.one"],
            ),
        ),
        (
            "clean-primary",
            "facebook",
            "facebook",
            lambda: build.facebook(username="HollybrookPrimaryCanterbury", pages=[]),
        ),
    ],
)
def test_importing_into_the_examples_keeps_them_checkable(
    run_cli, tmp_path, example, account, fmt, files
):
    folder = tmp_path / example
    shutil.copytree(EXAMPLES / example, folder)
    target = folder / "accounts" / f"{account}.yaml"
    export = build.write(files(), tmp_path / "export-2026-11-26", True)
    run(run_cli, fmt, export, target)
    loaded = loader.load_school(folder, example)
    assert loaded.problems == [], [str(p) for p in loaded.problems]
    ran = run_cli("check", str(folder), "--as-of", "2026-11-27")
    assert ran.code in (0, 1), ran.out + ran.err  # findings are fine; input errors are not


def test_run_import_api_returns_the_diff(tmp_path):
    account = school(tmp_path)
    outcome = run_import("x-archive", str(x_export(tmp_path)), str(account), dry_run=True)
    assert outcome.changed and not outcome.written
    assert outcome.diff.startswith("---")


def test_importers_stay_below_the_cli():
    # cli -> importers -> (loader, validate, yamlio, atomic); never the engine or reporters.
    forbidden = {"cli", "engine", "reporters", "checks", "rules", "pipeline", "rich", "click"}
    for path in sorted((ROOT / "src" / "safesocial" / "importers").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                name = parts[1] if parts[0] == "safesocial" and len(parts) > 1 else parts[0]
                assert name not in forbidden, f"{path.name} imports {node.module}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in forbidden, path.name


def test_verbose_lists_the_files_read_from_the_export(run_cli, tmp_path):
    account = school(tmp_path)
    ran = run(run_cli, "x-archive", x_export(tmp_path), account, "-v", "--dry-run")
    assert "read " in ran.err and "data/follower.js" in ran.err
    assert "data/tweets.js" not in ran.err
    quiet = run(run_cli, "x-archive", x_export(tmp_path), account, "-q", "--dry-run")
    assert quiet.out == ""
