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
