"""The channels schools really use: Page roles on the admin model, each post's own
audience, school years, and the plain words the headteacher's report names them by."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from safesocial.checks.consent_age import school_year
from safesocial.documents import yamlio
from safesocial.model import Account
from safesocial.reporters.html_words import channel

ROOT = Path(__file__).resolve().parents[2]


def _account(text: str) -> Account:
    return Account.build(
        yamlio.parse("platform: facebook\nhandle: '@A'\nkind: official\n" + text, "a.yaml"), "main"
    )


@pytest.mark.parametrize(
    ("entry", "access", "runs", "speaks"),
    [
        ("{staff: S1, page_role: admin}", "full", True, True),
        ("{staff: S1, page_role: full_control}", "full", True, True),
        ("{staff: S1, page_role: editor}", "publisher", True, True),
        ("{staff: S1, page_role: partial_control}", "publisher", True, True),
        ("{staff: S1, page_role: moderator}", "tasks", False, True),
        ("{staff: S1, page_role: analyst}", "tasks", False, False),
        ("{staff: S1, page_role: advertiser}", "tasks", False, False),
        # What the file says wins; page-role-access-disagree reports the difference.
        ("{staff: S1, page_role: analyst, access: full}", "full", True, True),
        ("{staff: S1, access: publisher}", "publisher", True, True),
    ],
)
def test_page_roles_map_onto_admin_access(entry: str, access: str, runs: bool, speaks: bool):
    [admin] = _account(f"admins:\n  - {entry}\n").admins
    assert (admin.access, admin.runs_it, admin.speaks_for_it) == (access, runs, speaks)


@pytest.mark.parametrize(
    ("extra", "post", "public"),
    [
        ("account_type: page\nprotected: true\n", "{id: '1'}", True),  # a Page cannot be protected
        ("protected: true\n", "{id: '1', visibility: unlisted}", True),  # the link is public
        ("protected: false\n", "{id: '1', visibility: private}", False),
        ("protected: true\n", "{id: '1'}", False),
        ("", "{id: '1'}", None),  # nothing recorded: unknown
    ],
)
def test_each_post_is_judged_for_its_own_audience(extra: str, post: str, public: bool | None):
    account = _account(f"{extra}posts:\n  - {post}\n")
    assert account.post_public(account.posts[0]) is public


def test_a_whatsapp_channel_is_public_a_group_is_not_said_to_be():
    channel_file = "platform: whatsapp\nhandle: News\nkind: official\naccount_type: channel\n"
    group_file = channel_file.replace("channel\n", "group\n")
    assert Account.build(yamlio.parse(channel_file, "c.yaml"), "c").always_public
    assert not Account.build(yamlio.parse(group_file, "g.yaml"), "g").always_public


@pytest.mark.parametrize(
    ("day", "starts", "year"),
    [
        (date(2026, 11, 21), 8, "2026-27"),
        (date(2026, 7, 31), 8, "2025-26"),
        (date(2026, 8, 1), 8, "2026-27"),
        (date(2099, 9, 1), 9, "2099-00"),
    ],
)
def test_school_year(day: date, starts: int, year: str):
    assert school_year(day, starts) == year


@pytest.mark.parametrize(
    ("platform", "kind", "handle", "words"),
    [
        ("facebook", "page", "@Oak", "Your Facebook Page @Oak"),
        ("youtube", "channel", "@Oak", "Your YouTube channel @Oak"),
        ("whatsapp", "channel", "@Oak news", "Your WhatsApp channel Oak news"),
        ("whatsapp", "community", "@Oak families", "The Oak families WhatsApp community"),
        ("whatsapp", "group", "@Year 4", "The Year 4 WhatsApp group"),
        ("tapestry", "class", "@Robins", "The Robins class on Tapestry"),
        ("facebook", None, "@Oak", None),  # a profile keeps its handle
        ("x", "profile", "@Oak", None),
    ],
)
def test_channels_in_plain_words(platform: str, kind: str | None, handle: str, words: str | None):
    assert channel(platform, kind, handle) == words


def test_the_report_names_each_channel_in_plain_words(run_cli, tmp_path: Path):
    out = tmp_path / "report.html"
    ran = run_cli(
        "check", "examples/channels-primary", "--as-of", "2026-11-21", "-o", f"html:{out}"
    )
    assert ran.code == 1, ran.err
    page = out.read_text("utf-8")
    for words in (
        "Your Facebook Page @FernsidePrimaryCanterbury",
        "The Year 4 WhatsApp group",
        "The Fernside families WhatsApp community",
        "Your WhatsApp channel Fernside news",
        "Your YouTube channel @FernsidePrimary",
        "The Robins (Reception) class on Tapestry",
    ):
        assert words in page
