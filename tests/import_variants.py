"""The layouts real downloads have today (../shared/real-exports, described in
../shared/guidance/platform-exports.md), built from scratch with invented values: the
variants the base builders in import_exports.py do not make."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from tests.import_exports import _ig_entry, _ytd, instagram, mojibake


def _manifest(files: dict[str, str]) -> dict[str, Any]:
    return dict(json.loads(files["data/manifest.js"].partition("=")[2]))


def _set_manifest(files: dict[str, str], manifest: dict[str, Any]) -> None:
    files["data/manifest.js"] = "window.__THAR_CONFIG = " + json.dumps(manifest, indent=2)


def x_without_account(files: dict[str, str]) -> dict[str, str]:
    """An archive whose owner removed data/account.js; the manifest still lists it and
    its userInfo still names the account."""
    return {k: v for k, v in files.items() if k != "data/account.js"}


def x_with_more_dms(
    files: dict[str, str], groups: int = 2, xchat: Iterable[str] = ("9999999999:1234567890",)
) -> dict[str, str]:
    """Group DM headers and 2026's XChat message events (data/message-event.js), whose
    conversation ids are written with ':' and may not be in the headers."""
    files = dict(files)
    manifest = _manifest(files)
    group = [
        {"dmConversation": {"conversationId": f"88888888{n}", "messages": []}}
        for n in range(groups)
    ]
    events = [
        {"messageEvent": {"conversationId": c, "senderId": "1234567890", "detail": {}}}
        for c in xchat
    ]
    for stem, key, entries in (
        ("direct-message-group-headers", "directMessageGroupHeaders", group),
        ("message-event", "messageEvent", events),
    ):
        var = stem.replace("-", "_")
        files[f"data/{stem}.js"] = _ytd(var, entries)
        manifest.setdefault("dataTypes", {})[key] = {
            "files": [{"fileName": f"data/{stem}.js", "count": str(len(entries))}]
        }
    _set_manifest(files, manifest)
    return files


def _string_map(key: str, fields: Mapping[str, str]) -> str:
    data = {k: {"href": "", "value": v, "timestamp": 0} for k, v in fields.items()}
    return json.dumps({key: [{"title": "", "media_map_data": {}, "string_map_data": data}]})


def instagram_full(
    received: Iterable[str] = ("waiting.one", "waiting.two"),
    close: Iterable[str] = ("head.teacher",),
    blocked: str = "spam.account",
    restricted: Iterable[str] = ("rude.one",),
    comments: str = "Everyone",
    bio: str = "Castle Mead Academy: news and events",
    **kwargs: Any,
) -> dict[str, str]:
    """The 2024+ full download: Instagram's own files, plus the Threads profile under
    your_instagram_activity/threads/ (a personal_information.json of its own, private, and
    Threads' requests), requests received, close friends, blocked_profiles.json in Meta's
    label_values shape, restricted accounts and "Comments allowed from" in lower case."""
    files = instagram(**kwargs)
    base = "connections/followers_and_following/"
    personal = "personal_information/personal_information/personal_information.json"
    doc = json.loads(files[personal])
    doc["profile_user"][0]["string_map_data"]["Bio"] = {"href": "", "value": bio, "timestamp": 0}
    files[personal] = json.dumps(doc)
    threads = "your_instagram_activity/threads/"
    files[threads + "personal_information.json"] = _string_map(
        "text_post_app_text_post_app_profile", {"Bio": "", "Private Account": "True"}
    )
    files[threads + "follow_requests_you've_received.json"] = json.dumps(
        {"text_post_app_text_post_app_follow_requests_received": [_ig_entry("threads.fan")]}
    )
    files[base + "follow_requests_you've_received.json"] = json.dumps(
        {"relationships_follow_requests_received": [_ig_entry(h) for h in received]}
    )
    files[base + "close_friends.json"] = json.dumps(
        {"relationships_close_friends": [_ig_entry(h) for h in close]}
    )
    files[base + "blocked_profiles.json"] = json.dumps(
        {
            "timestamp": 1751439108,
            "media": [],
            "label_values": [
                {"label": "Name", "value": "Spam"},
                {"label": "Username", "value": blocked},
            ],
            "fbid": "96187182085258204",
        }
    )
    files[base + "restricted_profiles.json"] = json.dumps(
        {"relationships_restricted_users": [_ig_entry(h) for h in restricted]}
    )
    files[base + "recent_follow_requests.json"] = json.dumps(
        {"relationships_permanent_follow_requests": []}
    )
    files["preferences/settings/comments_allowed_from.json"] = _string_map(
        "settings_allow_comments_from", {"Comments allowed from": comments}
    )
    return files


def facebook_2026(
    followers: Iterable[str] = ("Jane Parent", "Sam Smith", "Sam Smith"),
    following: Iterable[str] = ("Kent County Council",),
    friends: Iterable[str] | None = ("Ann Friend",),
    received: Iterable[str] | None = ("Waiting Person",),
    profile_id: str | None = "100012345678901",
) -> dict[str, str]:
    """Facebook's 2026 download: connections/followers/people_who_followed_you.json
    (followers_v3, names only: two people can share one), who_you've_followed.json
    (following_v2), friends and friend requests received under connections/friends/, and a
    profile_information.json with a profile URI and no username."""
    base = "connections/"
    files = {
        base + "followers/people_who_followed_you.json": json.dumps(
            {"followers_v3": [{"name": mojibake(n)} for n in followers]}
        ),
        base + "followers/who_you've_followed.json": json.dumps(
            {"following_v2": [{"name": mojibake(n), "timestamp": 1772711993} for n in following]}
        ),
    }
    if friends is not None:
        files[base + "friends/your_friends.json"] = json.dumps(
            {"friends_v2": [{"name": mojibake(n), "timestamp": 1772926883} for n in friends]}
        )
        files[base + "friends/people_you_may_know.json"] = json.dumps(
            {"media": [], "label_values": [], "fbid": "190913100358194"}
        )
    if received is not None:
        files[base + "friends/received_friend_requests.json"] = json.dumps(
            {"received_requests_v2": [{"name": n, "timestamp": 1772732145} for n in received]}
        )
    if profile_id is not None:
        files["profile_information/profile_information/profile_information.json"] = json.dumps(
            {
                "profile_v2": {
                    "name": {"full_name": "Example School"},
                    "profile_uri": f"https://www.facebook.com/profile.php?id={profile_id}",
                }
            }
        )
    return files


def tiktok_2026(
    followers: Iterable[str] = ("parent_jones",),
    chats: Iterable[str] = ("parent_jones", "Group_Chat_6616449111287310793"),
    blocked: Iterable[str] = ("spam_account",),
    username: str = "exampleschool",
) -> dict[str, str]:
    """TikTok's 2025-26 file: the username under Profile → "Profile Info" → ProfileMap,
    chats as "Chat History with NAME:" keys, the block list, and sections moved out of
    "Your Activity" into top-level groups. The real group that holds followers after the
    January 2026 change is not in any sample safesocial has seen, so "Connections" here is
    an invented name: the reader looks in every top-level group."""
    doc = {
        "Likes and Favorites": {"Like List": {"ItemFavoriteList": []}},
        "Connections": {
            "Follower": {
                "FansList": [{"Date": "2026-01-05 10:00:00", "UserName": n} for n in followers]
            },
            "Following": {"Following": None},
        },
        "App Settings": {
            "Block List": {
                "BlockList": [{"Date": "2025-12-01 09:00:00", "UserName": n} for n in blocked]
            },
            "Settings": {
                "SettingsMap": {
                    "Private Account": "Disabled",
                    "Who Can Send Me Message": "Everyone",
                    "Who Can Post Comments": "Friends",
                    "Who Can Duet With Me": "Everyone",
                    "Who Can Stitch with your videos": "Only Me",
                    "Allow DownLoad": "Everyone",
                }
            },
        },
        "Direct Message": {
            "Direct Messages": {
                "ChatHistory": {
                    f"Chat History with {n}:": [{"From": n, "Content": "x"}] for n in chats
                }
            }
        },
        "Profile": {"Profile Info": {"ProfileMap": {"userName": username}}},
    }
    return {"TikTok_Data_export/user_data_tiktok.json": json.dumps(doc, indent=1)}
