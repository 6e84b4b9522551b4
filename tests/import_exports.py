"""Build small platform exports in their real structures, for the importer tests.

The structures follow ../shared/guidance/platform-exports.md (X's window.YTD files and
manifest, Instagram's two layouts, TikTok's old and new key names, Facebook's JSON). All
values are invented. Each builder returns {path inside the export: content}; `write`
lays that out as an unpacked folder or a .zip, as the person would have it.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

GENERATED = "2024-03-05T12:00:00.000Z"
ZIP_TIME = (2024, 3, 5, 12, 0, 0)


def write(files: Mapping[str, str | bytes], dest: Path, zipped: bool) -> Path:
    """Lay the files out under `dest` (a folder), or as `dest`.zip."""
    if zipped:
        path = dest.with_name(dest.name + ".zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, content in files.items():
                zf.writestr(zipfile.ZipInfo(name, ZIP_TIME), content)
        return path
    for name, content in files.items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return dest


def _ytd(name: str, data: Any, part: int = 0) -> str:
    return f"window.YTD.{name}.part{part} = {json.dumps(data, indent=2)}"


def _people(wrapper: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    return [
        {
            wrapper: {
                "accountId": i,
                "userLink": f"https://twitter.com/intent/user?user_id={i}",
            }
        }
        for i in ids
    ]


def x_archive(
    followers: Iterable[str] = ("1111111111", "2222222222"),
    following: Iterable[str] = ("5555555555",),
    protected: Iterable[tuple[str, str]] = (("2024-02-01T09:30:00.000Z", "Protect"),),
    created: str = "2015-09-01T08:00:00.000Z",
    generated: str = GENERATED,
    username: str = "ExampleSchool",
    vintage: str = "manifest",
    dms: int = 1,
    root: str = "",
) -> dict[str, str]:
    """An X archive. vintage: 'manifest' (dataTypes lists every file), 'bare' (a manifest
    without dataTypes, files found by name), 'parts' (followers split over
    follower-part1.js and follower-part2.js, as tweets are in older archives)."""
    followers, following = list(followers), list(following)
    files: dict[str, str] = {}
    data = {
        "account": [
            {
                "account": {
                    "email": "office@example.sch.uk",
                    "createdVia": "web",
                    "username": username,
                    "accountId": "1234567890",
                    "createdAt": created,
                    "accountDisplayName": "Example School",
                }
            }
        ],
        "following": _people("following", following),
        "block": [{"blocking": {"accountId": "3333333333", "userLink": "https://x.com/x"}}],
        "mute": [],
        "protected-history": [
            {"protectedHistory": {"protectedAt": at, "action": action}} for at, action in protected
        ],
        "direct-message-headers": [
            {
                "dmConversation": {
                    "conversationId": f"111111111{n}-1234567890",
                    "messages": [
                        {
                            "messageCreate": {
                                "id": f"17600000000000000{n}",
                                "senderId": "1111111111",
                                "recipientId": "1234567890",
                                "createdAt": "2024-03-04T10:15:00.000Z",
                            }
                        }
                    ],
                }
            }
            for n in range(dms)
        ],
    }
    types: dict[str, Any] = {}
    for stem, entries in data.items():
        var = stem.replace("-", "_")
        files[f"data/{stem}.js"] = _ytd(var, entries)
        key = {
            "protected-history": "protectedHistory",
            "direct-message-headers": "directMessageHeaders",
        }.get(stem, stem)
        types[key] = {
            "files": [
                {
                    "fileName": f"data/{stem}.js",
                    "globalName": f"YTD.{var}.part0",
                    "count": str(len(entries)),
                }
            ]
        }
    if vintage == "parts":
        half = len(followers) // 2
        files["data/follower-part1.js"] = _ytd("follower", _people("follower", followers[:half]))
        files["data/follower-part2.js"] = _ytd("follower", _people("follower", followers[half:]), 1)
    else:
        files["data/follower.js"] = _ytd("follower", _people("follower", followers))
        types["follower"] = {
            "files": [
                {
                    "fileName": "data/follower.js",
                    "globalName": "YTD.follower.part0",
                    "count": str(len(followers)),
                }
            ]
        }
    manifest: dict[str, Any] = {
        "userInfo": {
            "accountId": "1234567890",
            "userName": username,
            "displayName": "Example School",
        },
        "archiveInfo": {"generationDate": generated, "isPartialArchive": False},
    }
    if vintage == "manifest":
        manifest["dataTypes"] = types
    files["data/manifest.js"] = "window.__THAR_CONFIG = " + json.dumps(manifest, indent=2)
    files["data/tweets.js"] = _ytd("tweets", [])
    return {root + name: content for name, content in files.items()}


def _ig_entry(handle: str, when: int = 1709546100, title_style: bool = False) -> dict[str, Any]:
    if title_style:  # newer following.json: the name in "title", no "value"
        return {
            "title": handle,
            "string_list_data": [
                {"href": f"https://www.instagram.com/_u/{handle}", "timestamp": when}
            ],
        }
    return {
        "title": "",
        "media_list_data": [],
        "string_list_data": [
            {"href": f"https://www.instagram.com/{handle}", "value": handle, "timestamp": when}
        ],
    }


def mojibake(text: str) -> str:
    """Text as Meta's JSON writes it: each UTF-8 byte as its own character."""
    return text.encode("utf-8").decode("latin-1")


def instagram(
    followers: Iterable[str] = ("parent.jones", "pta.example"),
    following: Iterable[str] = ("localcouncil",),
    pending: Iterable[str] | None = ("sports.club",),
    private: str | None = "True",
    username: str = "exampleschool",
    layout: str = "newer",
    language: str = "en",
    split: bool = False,
) -> dict[str, str]:
    """An Instagram JSON download: layout 'newer' (connections/..., followers_1.json as a
    bare list) or '2022' (followers_and_following/followers.json, wrapped)."""
    followers = list(followers)
    labels = {"en": ("Username", "Private Account"), "de": ("Benutzername", "Privates Konto")}
    user_label, private_label = labels[language]
    fields: dict[str, Any] = {user_label: {"href": "", "value": username, "timestamp": 0}}
    if private is not None:
        fields[private_label] = {"href": "", "value": private, "timestamp": 0}
    personal = {
        "profile_user": [
            {"title": "User Information", "media_map_data": {}, "string_map_data": fields}
        ]
    }
    following_doc = {
        "relationships_following": [
            _ig_entry(h, 1709546200, title_style=layout != "2022") for h in following
        ]
    }
    files: dict[str, str] = {}
    if layout in ("newer", "top"):
        # 'top': followers_and_following/ without connections/ (seen in 2025 downloads)
        base = (
            "followers_and_following/"
            if layout == "top"
            else "connections/followers_and_following/"
        )
        parts = [followers[: len(followers) // 2], followers[len(followers) // 2 :]]
        if not split:
            parts = [followers]
        for n, part in enumerate(parts, 1):
            files[f"{base}followers_{n}.json"] = json.dumps([_ig_entry(h) for h in part])
        files["personal_information/personal_information/personal_information.json"] = json.dumps(
            personal
        )
    else:
        base = "followers_and_following/"
        files[f"{base}followers.json"] = json.dumps(
            {"relationships_followers": [_ig_entry(h) for h in followers]}
        )
        files["account_information/personal_information.json"] = json.dumps(personal)
    files[f"{base}following.json"] = json.dumps(following_doc)
    if pending is not None:
        files[f"{base}pending_follow_requests.json"] = json.dumps(
            {"relationships_follow_requests_sent": [_ig_entry(h, 1709546300) for h in pending]}
        )
    files["media/posts/202403/photo.jpg"] = "not really a photo"
    return files


def tiktok(
    followers: Iterable[str] = ("parent_jones", "pta_example"),
    following: Iterable[str] = ("localcouncil",),
    private: str = "Enabled",
    messages: str = "Friends",
    username: str = "exampleschool",
    keys: str = "old",
) -> dict[str, str]:
    """TikTok's JSON download: keys 'old' (user_data.json, "Activity", "Follower List",
    "App Settings") or 'new' (user_data_tiktok.json, "Your Activity", "Follower",
    "Profile And Settings", lower-case item keys)."""
    new = keys == "new"
    name_key, date_key = ("userName", "date") if new else ("UserName", "Date")

    def people(names: Iterable[str], day: str) -> list[dict[str, str]]:
        return [{date_key: f"{day} 09:00:00", name_key: n} for n in names]

    settings = {
        "Settings": {
            "SettingsMap": {
                "Private Account": private,
                "Who Can Send Me Message": messages,
                "Who Can Post Comments": "Everyone",
                "Who Can Duet With Me": "Off",
                "Allow DownLoad": "Disabled",
            }
        }
    }
    doc: dict[str, Any] = {
        ("Your Activity" if new else "Activity"): {
            ("Follower" if new else "Follower List"): {"FansList": people(followers, "2024-03-01")},
            ("Following" if new else "Following List"): {
                "Following": people(following, "2024-02-01")
            },
        },
        ("Profile And Settings" if new else "App Settings"): {
            **settings,
            "Block List": {"BlockList": None},
        },
    }
    if new:
        doc["Profile And Settings"]["Profile Info"] = {"ProfileMap": {"userName": username}}
    else:
        doc["Profile"] = {"Profile Information": {"ProfileMap": {"userName": username}}}
    return {("user_data_tiktok.json" if new else "user_data.json"): json.dumps(doc, indent=1)}


def facebook(
    followers: Iterable[str] = ("Jane Parent", "Valérie Martin"),
    following: Iterable[str] = ("Kent County Council",),
    pages: Iterable[tuple[str, str]] = (("Example School PTA", "ExampleSchoolPTA"),),
    username: str | None = "exampleschool",
) -> dict[str, str]:
    files = {
        "connections/followers/people_who_follow_you.json": json.dumps(
            {"followers_v2": [{"name": mojibake(n)} for n in followers]}
        ),
        "connections/followers/who_you've_followed.json": json.dumps(
            {"following_v3": [{"name": mojibake(n), "timestamp": 1605741859} for n in following]}
        ),
        "pages/your_pages.json": json.dumps(
            {
                "pages_v2": [
                    {
                        "name": mojibake(n),
                        "timestamp": 1605741859,
                        "url": f"https://www.facebook.com/{slug}/",
                    }
                    for n, slug in pages
                ]
            }
        ),
    }
    if username is not None:
        files["profile_information/profile_information.json"] = json.dumps(
            {"profile_v2": {"name": {"full_name": "Example School"}, "username": username}}
        )
    return files


# --- Variants seen in real downloads (../shared/real-exports), built from scratch ----------


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
