"""Check kinds: YouTube videos (see docs/writing-rules.md).

Sports days and concerts go on YouTube, each video with its own visibility: public,
unlisted or private. Unlisted feels private and is not: anyone who has the link can
watch, and links are forwarded. Consent for each video's audience is judged by the
pupil rules (posts.py reads a post's own visibility); this kind holds videos to the
widest visibility the school's policy allows for videos showing pupils.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from safesocial.checks.base import DRIFT, AccountContext, Hit, choice_params
from safesocial.checks.declare import kind
from safesocial.checks.posts import live_posts, shown

# From the narrowest audience to the widest.
WIDTH = {"private": 0, "unlisted": 1, "public": 2}
# The setting that lets the most comments through, and its order.
OPENNESS = {"disabled": 0, "held_for_review": 1, "enabled": 2}
_WORDS = {
    "unlisted": "unlisted (public to anyone with the link)",
    "held_for_review": "held for review",
}


def _word(value: str) -> str:
    return _WORDS.get(value, value)


@kind(
    "video_wider_than_policy",
    "account",
    params=choice_params("setting", ["visibility", "comments"]),
    reads=("account.posts", "policy.youtube"),
)
def WIDER(ctx: AccountContext, params: Any) -> Iterator[Hit]:
    """Where the policy declares youtube.pupil_videos (setting visibility) or
    youtube.comments (setting comments), one drift finding per live post showing pupils
    whose own visibility or comments setting is wider than declared (private < unlisted <
    public; disabled < held_for_review < enabled)."""
    field, order, line = (
        ("visibility", WIDTH, "youtube.pupil_videos")
        if params["setting"] == "visibility"
        else ("comments", OPENNESS, "youtube.comments")
    )
    allowed = ctx.declared(line)
    if allowed not in order:
        return  # the policy sets nothing for videos: nothing to hold them to
    said = ctx.policy_says(
        line, f"the policy allows videos showing pupils at most {_word(allowed)}"
    )
    for post in live_posts(ctx):
        value = getattr(post, field)
        if value not in order or order[value] <= order[allowed]:
            continue
        pupils = [r.pupil for r in shown(post)]
        if not pupils:
            continue
        what = "is" if field == "visibility" else "has comments"
        yield Hit(
            f"video {post.id} shows {', '.join('pupil ' + p for p in pupils)} and {what} "
            f"{_word(value)}, wider than the policy allows ({_word(allowed)})",
            post.node.loc(field),
            subject=f"post {post.id}",
            detail=f"post {post.id}:{field}",
            related=said,
            category=DRIFT,
        )


KINDS = (WIDER,)
