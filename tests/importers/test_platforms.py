"""Each platform's export, in each known variant, zipped and unpacked, read to a snapshot;
and the exports each reader must refuse, with the file named and what was expected."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from safesocial.errors import ImportProblem
from safesocial.importers import facebook, instagram, tiktok, xarchive
from safesocial.importers.archive import open_export
from tests import import_exports as build

READERS = {
    "x-archive": xarchive.read,
    "instagram": instagram.read,
    "tiktok": tiktok.read,
    "facebook": facebook.read,
}


def snapshot(fmt, files, tmp_path, zipped):
    export = build.write(files, tmp_path / "export", zipped)
    with open_export(export, export.name) as opened:
        return READERS[fmt](opened)


def handles(seen):
    return [s.handle for s in seen]


def ids(seen):
    return [s.id for s in seen]


zipped = pytest.mark.parametrize("zipped", [True, False], ids=["zip", "folder"])


# --- X ------------------------------------------------------------------------------


@zipped
@pytest.mark.parametrize("vintage", ["manifest", "bare", "parts"])
def test_x_archive_variants(tmp_path, zipped, vintage):
    files = build.x_archive(followers=["11", "22", "33", "44"], vintage=vintage)
    snap = snapshot("x-archive", files, tmp_path, zipped)
    assert ids(snap.lists["followers"]) == ["11", "22", "33", "44"]
    assert ids(snap.lists["following"]) == ["5555555555"]
    assert snap.lists["outgoing_requests"] is None
    assert snap.username == "@ExampleSchool"
    assert snap.observed_on == date(2024, 3, 5)
    assert snap.protected.value is True
    assert snap.dm_from.value is None and "direct-message setting" in snap.dm_from.why
    assert any("1 direct-message conversation" in f for f in snap.facts)


def test_x_archive_nested_under_a_folder_in_the_zip(tmp_path):
    files = build.x_archive(root="twitter-2024-03-05-abc/")
    snap = snapshot("x-archive", files, tmp_path, True)
    assert ids(snap.lists["followers"]) == ["1111111111", "2222222222"]


@pytest.mark.parametrize(
    ("history", "created", "expected"),
    [
        (
            [("2024-01-01T00:00:00.000Z", "Protect"), ("2024-02-01T00:00:00.000Z", "Unprotect")],
            "2015-09-01T08:00:00.000Z",
            False,
        ),
        (
            [("2024-02-01T00:00:00.000Z", "Unprotect"), ("2024-01-01T00:00:00.000Z", "Protect")],
            "2015-09-01T08:00:00.000Z",
            False,
        ),
        ([("2024-02-01T00:00:00.000Z", "Protect")], "2015-09-01T08:00:00.000Z", True),
        ([], "2023-12-01T00:00:00.000Z", False),  # younger than the six months covered
        ([], "2015-09-01T08:00:00.000Z", None),  # older, no toggles: unknown
    ],
)
def test_x_protected_state_from_the_history(tmp_path, history, created, expected):
    files = build.x_archive(protected=history, created=created)
    snap = snapshot("x-archive", files, tmp_path, True)
    assert snap.protected.value is expected
    if expected is None:
        assert "six months" in snap.protected.why


def test_x_manifest_count_mismatch_is_a_warning(tmp_path):
    files = build.x_archive()
    manifest = files["data/manifest.js"].replace('"count": "2"', '"count": "3"', 1)
    files["data/manifest.js"] = manifest
    snap = snapshot("x-archive", files, tmp_path, True)
    assert any("manifest counts 3" in w for w in snap.warnings)


# --- Instagram ----------------------------------------------------------------------


@zipped
@pytest.mark.parametrize("layout", ["newer", "2022"])
def test_instagram_layouts(tmp_path, zipped, layout):
    files = build.instagram(followers=["a.one", "b_two", "c3"], layout=layout, split=True)
    snap = snapshot("instagram", files, tmp_path, zipped)
    assert handles(snap.lists["followers"]) == ["@a.one", "@b_two", "@c3"]
    assert handles(snap.lists["following"]) == ["@localcouncil"]
    assert handles(snap.lists["outgoing_requests"]) == ["@sports.club"]
    assert snap.lists["followers"][0].on == "2024-03-04"
    assert snap.username == "@exampleschool"
    assert snap.protected.value is True
    assert snap.dm_from.value is None
    assert snap.observed_on is None  # the download carries no date of its own


def test_instagram_followers_split_over_parts_keep_their_order(tmp_path):
    names = [f"user{n}" for n in range(12)]
    files = build.instagram(followers=names, split=True)
    files["connections/followers_and_following/followers_10.json"] = json.dumps(
        [{"string_list_data": [{"value": "late", "timestamp": 0}]}]
    )
    snap = snapshot("instagram", files, tmp_path, True)
    assert handles(snap.lists["followers"]) == [f"@{n}" for n in names] + ["@late"]


def test_instagram_missing_pending_file_leaves_requests_alone(tmp_path):
    snap = snapshot("instagram", build.instagram(pending=None), tmp_path, True)
    assert snap.lists["outgoing_requests"] is None
    assert "pending_follow_requests.json" in snap.absent["outgoing_requests"]


def test_instagram_public_account(tmp_path):
    snap = snapshot("instagram", build.instagram(private="False"), tmp_path, True)
    assert snap.protected.value is False


def test_instagram_privacy_history_when_the_flag_is_missing(tmp_path):
    files = build.instagram(private=None)
    files[
        "security_and_login_information/login_and_account_creation/account_privacy_changes.json"
    ] = json.dumps(
        {
            "account_history_account_privacy_history": [
                {
                    "title": "Switched to Private",
                    "string_map_data": {"Time": {"timestamp": 1650219244}},
                },
                {
                    "title": "Switched to Public",
                    "string_map_data": {"Time": {"timestamp": 1600000000}},
                },
            ]
        }
    )
    snap = snapshot("instagram", files, tmp_path, True)
    assert snap.protected.value is True
    assert "2022-04-17" in snap.protected.why


def test_instagram_mojibake_is_repaired(tmp_path):
    files = build.instagram()
    personal = "personal_information/personal_information/personal_information.json"
    doc = json.loads(files[personal])
    # Labels and values arrive mis-encoded too; 'Usernäme' would fail if not repaired.
    doc["profile_user"][0]["string_map_data"]["Username"]["value"] = build.mojibake("écoleX")
    files[personal] = json.dumps(doc)
    snap = snapshot("instagram", files, tmp_path, True)
    assert snap.username == "@écoleX"


# --- TikTok -------------------------------------------------------------------------


@zipped
@pytest.mark.parametrize("keys", ["old", "new"])
def test_tiktok_key_variants(tmp_path, zipped, keys):
    snap = snapshot("tiktok", build.tiktok(keys=keys), tmp_path, zipped)
    assert handles(snap.lists["followers"]) == ["@parent_jones", "@pta_example"]
    assert snap.lists["followers"][0].on == "2024-03-01"
    assert handles(snap.lists["following"]) == ["@localcouncil"]
    assert snap.username == "@exampleschool"
    assert snap.protected.value is True
    assert snap.dm_from.value == "followers"


@pytest.mark.parametrize(
    ("private", "messages", "protected", "dm"),
    [
        ("Disabled", "Everyone", False, "everyone"),
        ("enabled", "No One", True, "nobody"),
        ("Enabled", "friends", True, "followers"),
    ],
)
def test_tiktok_settings_values(tmp_path, private, messages, protected, dm):
    files = build.tiktok(private=private, messages=messages)
    snap = snapshot("tiktok", files, tmp_path, True)
    assert (snap.protected.value, snap.dm_from.value) == (protected, dm)


def test_tiktok_unknown_setting_value_is_refused(tmp_path):
    with pytest.raises(ImportProblem, match=r"user_data\.json.*'Maybe'.*Enabled or Disabled"):
        snapshot("tiktok", build.tiktok(private="Maybe"), tmp_path, True)


def test_tiktok_empty_list_written_as_null(tmp_path):
    files = build.tiktok()
    doc = json.loads(files["user_data.json"])
    doc["Activity"]["Follower List"]["FansList"] = None
    snap = snapshot("tiktok", {"user_data.json": json.dumps(doc)}, tmp_path, True)
    assert snap.lists["followers"] == []


# --- Facebook -----------------------------------------------------------------------


@zipped
def test_facebook_download(tmp_path, zipped):
    snap = snapshot("facebook", build.facebook(), tmp_path, zipped)
    # Meta's mis-encoded 'ValÃ©rie' comes back as 'Valérie'.
    assert handles(snap.lists["followers"]) == ["Jane Parent", "Valérie Martin"]
    assert handles(snap.lists["following"]) == ["Kent County Council"]
    assert snap.managed == [("Example School PTA", "ExampleSchoolPTA")]
    assert snap.protected.value is None and snap.dm_from.value is None
    assert any("Page roles" in item for item in snap.by_hand)


# --- Refusals -----------------------------------------------------------------------

BAD = {
    "another kind": (
        "x-archive",
        lambda: build.tiktok(),
        ["looks like a TikTok download", "data/manifest.js", "safesocial import tiktok"],
    ),
    "instagram given an X archive": (
        "instagram",
        lambda: build.x_archive(),
        ["looks like an X archive", "import x-archive"],
    ),
    "nothing recognisable": (
        "facebook",
        lambda: {"notes.txt": "hello"},
        ["not a Facebook download", "people_who_follow_you.json"],
    ),
    "non-English Instagram": (
        "instagram",
        lambda: build.instagram(language="de"),
        ["personal_information.json", "'Benutzername'", "English"],
    ),
    "Instagram in HTML": (
        "instagram",
        lambda: {"connections/followers_and_following/followers_1.html": "<html></html>"},
        ["HTML", "JSON"],
    ),
    "TikTok as text": ("tiktok", lambda: {"user_data.txt": "Follower List"}, ["text", "JSON"]),
    "unknown X version": (
        "x-archive",
        lambda: {
            **build.x_archive(),
            "data/follower.js": 'window.YTD.follower.part0 = [{"fan": {"accountId": "1"}}]',
        },
        ["data/follower.js", "entry 1", "'follower'", "does not know"],
    ),
    "X manifest without a date": (
        "x-archive",
        lambda: {
            **build.x_archive(),
            "data/manifest.js": 'window.__THAR_CONFIG = {"userInfo": {}}',
        },
        ["data/manifest.js", "generationDate"],
    ),
    "X file without its prefix": (
        "x-archive",
        lambda: {**build.x_archive(), "data/follower.js": '[{"follower": {"accountId": "1"}}]'},
        ["data/follower.js", "window.YTD"],
    ),
    "X id that is not a number": (
        "x-archive",
        lambda: {
            **build.x_archive(),
            "data/follower.js": 'window.YTD.follower.part0 = [{"follower": {"accountId": "<b>"}}]',
        },
        ["data/follower.js", "numeric account id"],
    ),
    "corrupt JSON": (
        "tiktok",
        lambda: {"user_data.json": '{"Activity": {'},
        ["user_data.json", "not valid JSON", "line 1"],
    ),
    "unknown TikTok version": (
        "tiktok",
        lambda: {"user_data.json": '{"Stuff": {}}'},
        ["user_data.json", "'Your Activity'", "'Stuff'"],
    ),
    "unknown Instagram wrapper": (
        "instagram",
        lambda: {"followers_and_following/followers.json": '{"relationships_fans": []}'},
        ["followers.json", "relationships_followers", "relationships_fans"],
    ),
    "Instagram username with markup": (
        "instagram",
        lambda: {"followers_1.json": json.dumps([{"string_list_data": [{"value": "<script>"}]}])},
        ["followers_1.json", "not a username"],
    ),
    "two Instagram layouts at once": (
        "instagram",
        lambda: {**build.instagram(), **build.instagram(layout="2022")},
        ["two exports in one"],
    ),
    "X manifest listing a missing file": (
        "x-archive",
        lambda: {k: v for k, v in build.x_archive().items() if k != "data/following.js"},
        ["data/manifest.js", "data/following.js", "incomplete"],
    ),
    "unknown X protect action": (
        "x-archive",
        lambda: build.x_archive(protected=[("2024-01-01T00:00:00.000Z", "Lock")]),
        ["'Lock'", "Protect"],
    ),
    "unknown Facebook version": (
        "facebook",
        lambda: {"people_who_follow_you.json": '{"fans_v9": []}'},
        ["followers_v2", "'fans_v9'"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_exports_are_refused_with_the_file_named(tmp_path, case):
    fmt, files, words = BAD[case]
    with pytest.raises(ImportProblem) as caught:
        snapshot(fmt, files(), tmp_path, True)
    message = str(caught.value)
    assert message.startswith("export.zip"), message
    for word in words:
        assert word in message, message


def test_bad_export_through_the_cli_exits_2(run_cli, tmp_path):
    account = tmp_path / "main.yaml"
    account.write_text('platform: x\nhandle: "@ExampleSchool"\nkind: official\n', "utf-8")
    export = build.write(build.instagram(language="de"), tmp_path / "ig", True)
    ran = run_cli("import", "instagram", str(export), "--into", str(account))
    assert ran.code == 2
    assert "English" in ran.err and "Traceback" not in ran.err


def test_export_path_that_does_not_exist(run_cli, tmp_path):
    ran = run_cli("import", "x-archive", str(tmp_path / "nope.zip"), "--into", "x.yaml")
    assert ran.code == 2
    assert "nope.zip" in ran.err


def test_every_reader_reads_only_the_files_it_needs(tmp_path):
    files = build.x_archive()
    files["data/direct-messages.js"] = "window.YTD.direct_messages.part0 = []"
    export = build.write(files, tmp_path / "x", True)
    with open_export(export, "x.zip") as opened:
        xarchive.read(opened)
        read = set(opened.read_names)
    assert "data/direct-messages.js" not in read and "data/tweets.js" not in read
    assert Path("data/follower.js").as_posix() in read
