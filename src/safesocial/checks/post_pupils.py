"""Check kinds: posts against the pupils register (see docs/writing-rules.md).

A post that shows, names or tags a pupil whose register entry carries a flag
(publication_restricted, directory_opt_out), shows a pupil after they left, or names a
pupil ref the register does not hold. Who a post shows, names and tags, and consent for
it, are checks/posts.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from safesocial.checks.base import (
    AccountContext,
    CheckKind,
    Context,
    Hit,
    choice,
    obj_params,
)
from safesocial.checks.declare import kind
from safesocial.checks.posts import Ref, live_posts, named_in, post_hit, recognisable, shown, tagged
from safesocial.model import Post, Pupil

_FLAG_TEXT = {
    "publication_restricted": "whose record says they must never be published",
    "directory_opt_out": "whose parents opted out of directory information (names and photos)",
}
_VIA_TEXT = {"shown": "shows", "named": "names", "caption": "names", "tagged": "tags"}


def _flagged(pupil: Pupil, flag: str) -> bool:
    return bool(getattr(pupil, flag))


def _mentions(ctx: Context, post: Post, identifiable_only: bool) -> Iterator[Ref]:
    yield from recognisable(post) if identifiable_only else shown(post)
    yield from named_in(ctx, post)
    yield from tagged(post)


@kind(
    "pupil_flagged_in_post",
    "account",
    params=obj_params(
        {
            "flag": choice(_FLAG_TEXT, "The pupils-register flag."),
            "identifiable_only": {
                "type": "boolean",
                "description": "Count pupils shown only where recognisable (default false).",
            },
        },
        required=("flag",),
    ),
    reads=("account.posts", "pupils"),
)
def FLAGGED(ctx: AccountContext, params: Any) -> Iterator[Hit]:
    """A live post shows, names or tags a pupil whose register entry carries `flag`
    (publication_restricted or directory_opt_out); one finding per pupil per post.
    """
    flag = str(params["flag"])
    identifiable_only = params.get("identifiable_only", False) is True
    for post in live_posts(ctx):
        done: set[str] = set()
        for ref in _mentions(ctx, post, identifiable_only):
            pupil = ctx.pupil(ref.pupil)
            if pupil is None or ref.pupil in done or not _flagged(pupil, flag):
                continue
            done.add(ref.pupil)
            message = f"post {post.id} {_VIA_TEXT[ref.via]} pupil {ref.pupil}, {_FLAG_TEXT[flag]}"
            yield post_hit(post, ref, message, flag)


@kind("pupil_shown_after_leaving", "account", reads=("account.posts", "pupils"))
def AFTER_LEAVING(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """A live post dated after a pupil's left_on shows them recognisably."""
    for post in live_posts(ctx):
        if post.date is None:
            continue
        for ref in recognisable(post):
            pupil = ctx.pupil(ref.pupil)
            if pupil is None or pupil.left_on is None or post.date <= pupil.left_on:
                continue
            message = (
                f"post {post.id} of {post.date} shows pupil {ref.pupil}, who left the school "
                f"on {pupil.left_on}"
            )
            yield post_hit(post, ref, message, "after-leaving")


@kind("post_pupil_not_in_register", "account", reads=("account.posts", "pupils"))
def UNKNOWN_PUPIL(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """A post (live or removed) shows, names or tags a pupil ref the pupils register does not hold.
    Runs only where a register was loaded.
    """
    register = ctx.school.pupils
    account = ctx.account
    if register is None:
        return
    for post in account.posts:
        done: set[str] = set()
        for ref in _mentions(ctx, post, identifiable_only=False):
            if ref.pupil in register or ref.pupil in done or ctx.unread("pupils", ref.pupil):
                continue
            done.add(ref.pupil)
            message = (
                f"post {post.id} refers to pupil {ref.pupil}, who is not in the pupils register"
            )
            yield post_hit(post, ref, message, "unknown")


KINDS: tuple[CheckKind, ...] = (FLAGGED, AFTER_LEAVING, UNKNOWN_PUPIL)
