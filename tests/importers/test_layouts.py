"""The layouts real downloads have today (see ../shared/real-exports), built from our own
fixtures, zipped and unpacked: read right, and merged through the CLI."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from safesocial.errors import ImportProblem
from safesocial.packs.cases import base_dir
from tests import import_exports as build
from tests import import_variants as variants
from tests.importers.test_platforms import handles, snapshot

zipped = pytest.mark.parametrize("zipped", [True, False], ids=["zip", "folder"])


def _account(tmp_path, platform, handle):
    path = tmp_path / "account.yaml"
    path.write_text(f'platform: {platform}\nhandle: "{handle}"\nkind: official\n', "utf-8")
    return path


def _import(run_cli, tmp_path, fmt, files, account, zipped=True, *more):
    tmp_path.mkdir(parents=True, exist_ok=True)
    export = build.write(files, tmp_path / "export", zipped)
    return run_cli("import", fmt, str(export), "--into", str(account), *more)


# --- Instagram ----------------------------------------------------------------------


@zipped
def test_instagram_full_download_with_threads(tmp_path, zipped):
    snap = snapshot("instagram", variants.instagram_full(private="False"), tmp_path, zipped)
    # Threads' personal_information.json (private) is not a second Instagram profile.
    assert snap.username == "@exampleschool" and snap.protected.value is False
    assert snap.bio is not None and snap.bio.value == "Castle Mead Academy: news and events"
    assert snap.comments_from is not None and snap.comments_from.value == "everyone"
    assert handles(snap.lists["incoming_requests"]) == ["@waiting.one", "@waiting.two"]
    assert handles(snap.lists["close_friends"]) == ["@head.teacher"]
    assert "@threads.fan" not in handles(snap.lists["incoming_requests"])
    facts = " ".join(snap.facts)
    assert "1 blocked account" in facts and "1 restricted account" in facts
    assert "Threads profile" in facts


@zipped
def test_instagram_followers_and_following_at_the_top(tmp_path, zipped):
    snap = snapshot("instagram", build.instagram(layout="top"), tmp_path, zipped)
    assert handles(snap.lists["followers"]) == ["@parent.jones", "@pta.example"]
    # following.json entries with the name in "title", a /_u/ link and no "value"
    assert handles(snap.lists["following"]) == ["@localcouncil"]


def test_instagram_labels_in_another_case(tmp_path):
    files = build.instagram(private="True")
    personal = "personal_information/personal_information/personal_information.json"
    doc = json.loads(files[personal])
    fields = doc["profile_user"][0]["string_map_data"]
    doc["profile_user"][0]["string_map_data"] = {k.lower(): v for k, v in fields.items()}
    files[personal] = json.dumps(doc)
    snap = snapshot("instagram", files, tmp_path, True)
    assert snap.username == "@exampleschool" and snap.protected.value is True


def test_instagram_blocked_profiles_as_a_list_of_label_values(tmp_path):
    files = variants.instagram_full()
    name = "connections/followers_and_following/blocked_profiles.json"
    one = json.loads(files[name])
    files[name] = json.dumps([one, {**one, "label_values": [{"label": "username", "value": "b"}]}])
    snap = snapshot("instagram", files, tmp_path, True)
    assert any("2 blocked accounts" in f for f in snap.facts)


def test_instagram_unknown_comment_setting_is_refused(tmp_path):
    with pytest.raises(ImportProblem, match=r"comments_allowed_from\.json.*'Maybe'"):
        snapshot("instagram", variants.instagram_full(comments="Maybe"), tmp_path, True)


@zipped
def test_instagram_requests_received_merge_and_are_said(run_cli, tmp_path, zipped):
    account = _account(tmp_path, "instagram", "@exampleschool")
    ran = _import(run_cli, tmp_path, "instagram", variants.instagram_full(), account, zipped)
    assert ran.code == 0, ran.err
    assert "incoming_requests: 2 added" in ran.out and "close_friends: 1 added" in ran.out
    doc = yaml.safe_load(account.read_text("utf-8"))
    assert [e["handle"] for e in doc["incoming_requests"]] == ["@waiting.one", "@waiting.two"]
    assert doc["comments_from"] == "everyone" and doc["bio"].startswith("Castle Mead")
    # the file Instagram holds that safesocial does not read is named
    assert "not read" in ran.out and "recent_follow_requests.json" in ran.out


# --- Facebook -----------------------------------------------------------------------


@zipped
def test_facebook_2026_download(tmp_path, zipped):
    snap = snapshot("facebook", variants.facebook_2026(), tmp_path, zipped)
    assert handles(snap.lists["followers"]) == ["Jane Parent", "Sam Smith", "Sam Smith"]
    assert handles(snap.lists["following"]) == ["Kent County Council"]
    assert handles(snap.lists["friends"]) == ["Ann Friend"]
    assert handles(snap.lists["incoming_requests"]) == ["Waiting Person"]
    assert snap.username is None  # a profile URI with a number, no username
    assert any("profile.php?id=100012345678901" in f for f in snap.facts)


@zipped
def test_facebook_download_holding_only_the_followers(tmp_path, zipped):
    files = variants.facebook_2026(friends=None, received=None, profile_id=None)
    del files["connections/followers/who_you've_followed.json"]
    snap = snapshot("facebook", files, tmp_path, zipped)
    assert len(snap.lists["followers"]) == 3 and snap.lists["following"] is None


def test_facebook_vanity_profile_uri_names_the_account(tmp_path):
    files = variants.facebook_2026()
    name = "profile_information/profile_information/profile_information.json"
    files[name] = json.dumps({"profile_v2": {"profile_uri": "https://www.facebook.com/oakfield"}})
    assert snapshot("facebook", files, tmp_path, True).username == "@oakfield"


def test_facebook_two_people_with_one_name_are_both_kept(run_cli, tmp_path):
    account = _account(tmp_path, "facebook", "Example School")
    ran = _import(run_cli, tmp_path, "facebook", variants.facebook_2026(), account)
    assert ran.code == 0, ran.err
    assert "display name only" in ran.out and "Sam Smith" in ran.out
    doc = yaml.safe_load(account.read_text("utf-8"))
    assert [e["handle"] for e in doc["followers"]].count("Sam Smith") == 2
    assert [e["handle"] for e in doc["friends"]] == ["Ann Friend"]
    # the same download again: both stay, and nothing changes
    before = account.read_bytes()
    again = _import(run_cli, tmp_path / "again", "facebook", variants.facebook_2026(), account)
    assert again.code == 0 and account.read_bytes() == before


# --- TikTok -------------------------------------------------------------------------


@zipped
def test_tiktok_2026_layout(tmp_path, zipped):
    snap = snapshot("tiktok", variants.tiktok_2026(), tmp_path, zipped)
    assert snap.username == "@exampleschool"
    assert handles(snap.lists["followers"]) == ["@parent_jones"]
    assert snap.lists["following"] == []
    assert (snap.protected.value, snap.dm_from.value) == (False, "everyone")
    settings = {key: s.value for key, s in snap.settings()}
    assert settings["comments_from"] == "followers"  # Friends: followers followed back
    assert settings["duet_from"] == "everyone" and settings["stitch_from"] == "nobody"
    assert settings["downloads_allowed"] is True
    facts = " ".join(snap.facts)
    assert "2 direct-message conversations" in facts  # a group chat counts as one
    assert "blocked 1 account" in facts


@zipped
def test_tiktok_txt_download_asks_for_json(tmp_path, zipped):
    files = {
        "TikTok_Data/Activity/Follower List.txt": "Date: 2024-03-01\nUsername: parent_jones\n",
        "TikTok_Data/Profile/Profile Info.txt": "Username: exampleschool\n",
    }
    with pytest.raises(ImportProblem, match=r"TXT.*JSON"):
        snapshot("tiktok", files, tmp_path, zipped)
    with pytest.raises(ImportProblem, match="looks like a TikTok download"):
        (tmp_path / "ig").mkdir()
        snapshot("instagram", files, tmp_path / "ig", zipped)


def test_tiktok_download_of_likes_only_says_what_is_missing(tmp_path):
    files = {"user_data_tiktok.json": json.dumps({"Likes and Favorites": {"Like List": {}}})}
    with pytest.raises(ImportProblem, match="neither followers, following nor settings"):
        snapshot("tiktok", files, tmp_path, True)


# --- X ------------------------------------------------------------------------------


@zipped
def test_x_archive_without_account_js_uses_the_manifest(run_cli, tmp_path, zipped):
    files = variants.x_without_account(build.x_archive())
    snap = snapshot("x-archive", files, tmp_path, zipped)
    assert snap.username == "@ExampleSchool"
    assert any("data/account.js" in w for w in snap.warnings)
    account = _account(tmp_path, "x", "@ExampleSchool")
    ran = _import(run_cli, tmp_path / "cli", "x-archive", files, account, zipped)
    assert ran.code == 0, ran.err


@zipped
def test_x_dm_conversations_count_groups_and_xchat(tmp_path, zipped):
    # 2 one-to-one headers, 2 group headers, XChat: one known pair written with ':' and
    # one conversation found only in message-event.js: 5 in all.
    files = variants.x_with_more_dms(
        build.x_archive(dms=2), xchat=["1234567890:1111111110", "9999999999:1234567890"]
    )
    snap = snapshot("x-archive", files, tmp_path, zipped)
    assert any("shows 5 direct-message conversations" in f for f in snap.facts)


def test_x_missing_follower_file_still_refuses(tmp_path):
    files = {k: v for k, v in build.x_archive().items() if k != "data/follower.js"}
    with pytest.raises(ImportProblem, match=r"data/follower\.js.*incomplete"):
        snapshot("x-archive", files, tmp_path, True)


def test_imported_requests_waiting_are_findings(run_cli, tmp_path):
    """End to end: requests received, imported from Instagram, reach the rules."""
    school = tmp_path / "school"
    shutil.copytree(base_dir(), school)
    account = school / "accounts" / "main.yaml"
    text = account.read_text("utf-8").replace("platform: x", "platform: instagram")
    account.write_text(text.replace('"@BasePrimary"', '"@exampleschool"'), "utf-8")
    # The account stays on the school's register under its new name.
    policy = school / "policy.yaml"
    registered = policy.read_text("utf-8").replace(
        '  - platform: x\n    handle: "@BasePrimary"',
        '  - platform: instagram\n    handle: "@exampleschool"',
    )
    assert "@exampleschool" in registered
    policy.write_text(registered, "utf-8")
    files = variants.instagram_full()
    export = build.write(files, tmp_path / "instagram-exampleschool-2026-11-20", zipped=True)
    ran = run_cli("import", "instagram", str(export), "--into", str(account))
    assert ran.code == 0, ran.err
    checked = run_cli("check", str(school), "--as-of", "2026-11-21", "--format", "json")
    assert checked.code == 1
    assert "SS241" in checked.out and "SS242" in checked.out  # unknown, and from March 2024
