"""Check kinds: class apps (see docs/writing-rules.md).

Most pupil photos a primary school takes never reach social media: they go into a class
app (Tapestry, Seesaw, ClassDojo, Evidence Me), seen by that class's parents. That is
a different audience, kept by a different company, so it needs its own consent scope
(`class_app`); social media consent neither covers it nor is needed for it, which is
why the social consent rules leave class-app accounts (kind class_app) alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from safesocial.checks.base import AccountContext, Context, Hit, drift_if
from safesocial.checks.declare import kind
from safesocial.checks.posts import consent_required_said, live_posts, recognisable

SCOPE = "class_app"


def _why(ctx: Context, pupil: str) -> str | None:
    """Why a pupil has no class-app consent in force, or None when they have it."""
    as_of = ctx.settings.as_of
    records = [r for r in ctx.school.consent_for(pupil) if SCOPE in r.scopes or not r.scopes]
    if any(SCOPE in r.scopes and r.in_force(as_of) for r in records):
        return None
    if not records:
        return "their consent does not include the class app"
    if any(r.state == "withdrawn" or r.withdrawn_on is not None for r in records):
        return "their consent for the class app was withdrawn"
    if any(r.state == "refused" for r in records):
        return "their consent for the class app was refused"
    return "no consent for the class app is in force for them"


@kind("class_app_consent", "account", reads=("account.kind", "account.posts", "consent"))
def CLASS_CONSENT(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """On an account of kind class_app, a live post shows a recognisable pupil with no consent in
    force whose scopes include class_app; drift where the policy declares
    pupil_images.consent_required: true.
    """
    account = ctx.account
    if account.kind != "class_app":
        return
    said = consent_required_said(ctx)
    for post in live_posts(ctx):
        for ref in recognisable(post):
            why = _why(ctx, ref.pupil)
            if why is None:
                continue
            yield Hit(
                f"post {post.id} in {account.handle} shows pupil {ref.pupil}, but {why}",
                ref.location,
                subject=f"pupil {ref.pupil}",
                detail=f"post {post.id}:{ref.pupil}:class-app",
                related=said,
                category=drift_if(said),
            )


KINDS = (CLASS_CONSENT,)
