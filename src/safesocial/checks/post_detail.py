"""Check kinds: what a post gives away beyond the faces in it (see docs/writing-rules.md).

A photo with no name can still tell a stranger where a child is (a location tag, a post
that goes up while the trip is still on), which school they go to (a uniform beside a
first name: NSPCC and CPSU both name the club or school as what lets someone find a
child), or show them in swimwear or PE kit, which guidance treats as a higher risk of
misuse. A live stream shows pupils before anyone can check what it shows. And a post
of a pupil who left years ago is personal data kept longer than the school said it
would keep it (UK GDPR storage limitation).

Findings name posts by id and pupils by ref, never by caption.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from safesocial.checks.base import (
    DRIFT,
    AccountContext,
    Context,
    Hit,
    choice_params,
    drift_if,
)
from safesocial.checks.declare import kind
from safesocial.checks.posts import live_posts, named_in, recognisable, shown
from safesocial.dates import months_before
from safesocial.model import Post

# Name forms that, beside the school, let someone find the child (initials do not).
_FINDABLE_FORMS = frozenset({"first_name", "full_name"})


def _refs(refs: list[str]) -> str:
    return ", ".join(f"pupil {ref}" for ref in refs)


Look = Callable[[Context, Post], tuple[str, str] | None]


def _flagged(key: str, text: str) -> Look:
    """A post with `key` true that shows pupils at all: recognisable or not, the flag
    gives them away (a place, a moment, a stream nobody checked)."""

    def found(ctx: Context, post: Post) -> tuple[str, str] | None:
        pupils = [r.pupil for r in shown(post)]
        if getattr(post, key) is not True or not pupils:
            return None
        return f"post {post.id} {text.format(pupils=_refs(pupils))}", key

    return found


def _school_and_name(ctx: Context, post: Post) -> tuple[str, str] | None:
    if not post.school_identifiable:
        return None
    pupils = sorted({r.pupil for r in named_in(ctx, post) if r.form in _FINDABLE_FORMS})
    if not pupils:
        return None
    return (
        f"post {post.id} shows which school it is (uniform, badge, sign or name) and names "
        f"{_refs(pupils)}: a first name and a school are enough to find a child",
        "school_identifiable",
    )


def _dress(wanted: str, text: str) -> Look:
    def found(ctx: Context, post: Post) -> tuple[str, str] | None:
        pupils = [r.pupil for r in recognisable(post)]
        if post.dress != wanted or not pupils:
            return None
        return f"post {post.id} shows {_refs(pupils)} recognisably in {text}", "dress"

    return found


FEATURES: dict[str, Look] = {
    "location_tag": _flagged(
        "location_tag",
        "carries a location tag and shows {pupils}: it tells anyone who sees it where "
        "these pupils are, or were",
    ),
    "school_and_name": _school_and_name,
    "live_stream": _flagged(
        "live_stream",
        "is a live stream showing {pupils}: it went out before anyone could check who was "
        "in it or what it showed",
    ),
    "swimwear": _dress("swimwear", "swimwear"),
    "pe_kit": _dress("pe_kit", "PE kit"),
    "during_event": _flagged(
        "during_event",
        "went up while the event was still going on and shows {pupils}: it told anyone "
        "where they were at that moment",
    ),
}
# Features the policy can rule out itself: then a hit is drift, with the policy's line.
_POLICY_LINE = {"during_event": "pupil_images.post_after_event"}


@kind(
    "post_gives_away",
    "account",
    params=choice_params("feature", sorted(FEATURES)),
    reads=("account.posts", "policy.pupil_images", "pupils"),
)
def GIVES_AWAY(ctx: AccountContext, params: Any) -> Iterator[Hit]:
    """One finding per live post showing pupils that gives away `feature`: location_tag (a location
    tag or check-in), school_and_name (the school can be told from the image and a pupil is named
    by first or full name), live_stream, swimwear or pe_kit (recognisable pupils in that dress),
    during_event (posted while the event was on; only where the policy declares
    pupil_images.post_after_event: true, as drift).
    """
    feature = str(params["feature"])
    look = FEATURES[feature]
    line = _POLICY_LINE.get(feature)
    if line is not None and ctx.declared(line) is not True:
        return  # the policy does not ask for it: nothing to hold practice to
    said = ctx.policy_says(line, f"the policy declares {line}: true") if line else ()
    for post in live_posts(ctx):
        found = look(ctx, post)
        if found is None:
            continue
        message, key = found
        yield Hit(
            message,
            post.node.loc(key),
            subject=f"post {post.id}",
            detail=f"post {post.id}:{feature}",
            related=said,
            category=drift_if(said),
        )


# --- retention ------------------------------------------------------------------------


@kind(
    "leaver_posts_past_retention",
    "account",
    reads=("account.posts", "pupils", "policy.pupil_images.retention_months"),
)
def RETENTION(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """Where the policy declares pupil_images.retention_months, one finding per live post older than
    that which shows a pupil who has left (left_on on or before the as-of date), as drift. Silent
    where the policy sets no period.
    """
    months = ctx.declared("pupil_images.retention_months")
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        return  # the policy sets no period: nothing to review against
    as_of = ctx.settings.as_of
    cutoff = months_before(as_of, months)
    said = ctx.policy_says(
        "pupil_images.retention_months",
        f"the policy keeps posts of pupils who have left for {months} months",
    )
    for post in live_posts(ctx):
        if post.date is None or post.date >= cutoff:
            continue
        leavers = []
        for ref in shown(post):
            pupil = ctx.pupil(ref.pupil)
            if pupil is not None and pupil.left_on is not None and pupil.left_on <= as_of:
                leavers.append(ref.pupil)
        if not leavers:
            continue
        have = "have" if len(leavers) > 1 else "has"
        yield Hit(
            f"post {post.id} of {post.date} is older than the {months} months the policy "
            f"keeps posts for and shows {_refs(leavers)}, who {have} left the school: "
            "review it (take it down, or record why it stays)",
            post.node.loc("date"),
            subject=f"post {post.id}",
            detail=f"post {post.id}:retention",
            related=said,
            category=DRIFT,
        )


KINDS = (GIVES_AWAY, RETENTION)
