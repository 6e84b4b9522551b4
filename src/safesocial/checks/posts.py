"""Check kinds: posts (see docs/writing-rules.md).

Pupils in an account's posts, against their photo consent, the pupils register and the
policy's naming rule. A post counts while it is live (not taken down by the as-of
date); a pupil is shown, named (in some form) or tagged. Findings name pupils by ref and
posts by id, never by a caption.

Consent is judged against the audience a post actually reached: the account's real
`protected` state, not the visibility the policy declares (seed-002: parents consented
to a protected feed that was in fact public).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from safesocial.checks.base import (
    AccountContext,
    CheckKind,
    Context,
    Hit,
    drift_if,
    obj_params,
    some_of,
)
from safesocial.checks.declare import kind
from safesocial.checks.names import caption_pupils
from safesocial.documents.yamlio import YList
from safesocial.findings import Location, Related
from safesocial.model import Account, ConsentRecord, Post

SOCIAL = frozenset({"social_restricted", "social_public"})
NAME_FORMS = ("first_name", "initials", "full_name")
# What each declared `pupil_images.names` still allows in a post.
ALLOWED_FORMS: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "first_name": frozenset({"first_name", "initials"}),
    "full_name": frozenset(NAME_FORMS),
}
FORM_TEXT = {"first_name": "by first name", "initials": "by initials", "full_name": "by full name"}


@dataclass(frozen=True, slots=True)
class Ref:
    """One mention of a pupil in a post, with where it is written."""

    pupil: str
    via: str  # shown | named | caption (found by the register) | tagged
    location: Location
    form: str | None = None


def _entry_loc(post: Post, key: str, index: int) -> Location:
    items = post.node.get(key)
    return items.loc(index) if isinstance(items, YList) else post.node.loc(key)


def _once_each(post: Post, key: str, refs: Iterable[str], via: str) -> Iterator[Ref]:
    """Each pupil of the post's list `key` once, at their first entry."""
    seen: set[str] = set()
    for i, ref in enumerate(refs):
        if ref not in seen:
            seen.add(ref)
            yield Ref(ref, via, _entry_loc(post, key, i))


def shown(post: Post) -> Iterator[Ref]:
    return _once_each(post, "pupils_shown", post.pupils_shown, "shown")


def recognisable(post: Post) -> Iterator[Ref]:
    """Pupils shown in a way that needs consent: nobody said they cannot be recognised."""
    return shown(post) if post.identifiable else iter(())


def named(post: Post) -> Iterator[Ref]:
    for i, (ref, form) in enumerate(post.pupils_named):
        yield Ref(ref, "named", _entry_loc(post, "pupils_named", i), form)


def named_in(ctx: Context, post: Post) -> Iterator[Ref]:
    """Pupils the post names: its pupils_named, then any other pupil whose full name the
    local register finds in its caption (checks/names.py), by ref."""
    declared = list(named(post))
    yield from declared
    listed = {ref.pupil for ref in declared}
    for pupil in caption_pupils(ctx.school, post):
        if pupil not in listed:
            yield Ref(pupil, "caption", post.node.loc("caption"), "full_name")


def tagged(post: Post) -> Iterator[Ref]:
    return _once_each(post, "pupils_tagged", post.pupils_tagged, "tagged")


def live_posts(ctx: AccountContext) -> Iterator[Post]:
    for post in ctx.account.posts:
        if post.live(ctx.settings.as_of):
            yield post


def post_hit(post: Post, ref: Ref, message: str, tag: str, **extra: Any) -> Hit:
    return Hit(
        message,
        ref.location,
        subject=f"pupil {ref.pupil}",
        detail=f"post {post.id}:{ref.pupil}:{tag}",
        **extra,
    )


# --- consent --------------------------------------------------------------------------


def _in_force(ctx: Context, pupil: str) -> list[ConsentRecord]:
    return [r for r in ctx.school.consent_for(pupil) if r.in_force(ctx.settings.as_of)]


def _covers(records: Iterable[ConsentRecord], scopes: frozenset[str]) -> bool:
    return any(r.scopes & scopes for r in records)


def _withdrawn_on(record: ConsentRecord, as_of: date) -> date | None:
    if record.withdrawn_on is not None:
        return record.withdrawn_on if record.withdrawn_on <= as_of else None
    # Only the state says so, undated: treat it as the latest word on the matter.
    return date.max if record.state == "withdrawn" else None


def withdrawal(ctx: Context, pupil: str) -> ConsentRecord | None:
    """The record withdrawing social media consent, unless consent was given again since.

    A withdrawal that lists no scopes withdraws everything.
    """
    as_of = ctx.settings.as_of
    records = [r for r in ctx.school.consent_for(pupil) if not r.scopes or r.scopes & SOCIAL]
    if _covers((r for r in records if r.in_force(as_of)), SOCIAL):
        return None
    dated = [(on, r) for r in records if (on := _withdrawn_on(r, as_of)) is not None]
    if not dated:
        return None
    on, record = max(dated, key=lambda pair: pair[0])
    regranted = any(r.state == "granted" and r.given_on and r.given_on > on for r in records)
    return None if regranted else record


def _why_no_consent(records: list[ConsentRecord], as_of: date) -> str:
    social = [r for r in records if r.scopes & SOCIAL]
    if not records:
        return "there is no consent record for them"
    if not social:
        return "their consent does not include social media"
    states = {r.state for r in social}
    if "refused" in states:
        return "consent for social media was refused"
    expired = [r.expires_on for r in social if r.expires_on is not None and r.expires_on < as_of]
    if expired:
        return f"their social media consent expired on {max(expired)}"
    if "requested" in states:
        return "consent for social media was asked for but has not been given"
    return "no social media consent is in force for them"


def _recognisable_text(post: Post) -> str:
    if "identifiable" in post.node:
        return "who can be recognised"
    return "who may be recognisable (the post does not say identifiable: false)"


def consent_required_said(ctx: Context) -> tuple[Related, ...]:
    """The policy line requiring consent for pupils' photos, when it does (for drift)."""
    text = "the policy requires consent for pupils' photos"
    return ctx.policy_says_when("pupil_images.consent_required", True, text)


@kind("pupil_shown_without_consent", "account", reads=("account.posts", "consent"))
def CONSENT_MISSING(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """A live post shows a recognisable pupil (identifiable is not false) who has no consent in
    force for social media at all (social_restricted or social_public). Pupils whose consent was
    withdrawn are left to pupil-shown-after-withdrawal.
    """
    as_of = ctx.settings.as_of
    said = consent_required_said(ctx)
    for post in live_posts(ctx):
        for ref in recognisable(post):
            if _covers(_in_force(ctx, ref.pupil), SOCIAL) or withdrawal(ctx, ref.pupil):
                continue  # consented, or SS606's withdrawal finding says it better
            if ctx.unread("consent", ref.pupil):
                continue  # a consent record of theirs could not be read: a gap, not a finding
            why = _why_no_consent(ctx.school.consent_for(ref.pupil), as_of)
            message = (
                f"post {post.id} shows pupil {ref.pupil}, {_recognisable_text(post)}, but {why}"
            )
            yield post_hit(post, ref, message, "no-consent", related=said, category=drift_if(said))


def _audience_text(account: Account, post: Post) -> str:
    protected = account.protected
    if post.visibility == "unlisted":
        return f"post {post.id} is unlisted: anyone with the link can watch it, and links travel"
    if post.visibility == "public":
        return f"post {post.id} is public"
    if account.facebook_page:
        return f"{account.target} is a Facebook Page, which anyone can see"
    if account.always_public:
        return f"{account.target} is a WhatsApp channel, whose updates anyone can see"
    if protected is None:
        return f"{account.target} is not recorded as protected, so anyone may be able to see it"
    return f"{account.target} is public (protected: false)"


@kind(
    "pupil_consent_narrower_than_audience",
    "account",
    reads=(
        "account.posts",
        "account.protected",
        "account.platform",
        "account.account_type",
        "consent",
        "policy.visibility",
    ),
)
def CONSENT_AUDIENCE(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """A live post anyone can see (its own visibility public or unlisted; else the account is a
    Facebook Page, or protected is false or not recorded) shows a recognisable pupil whose
    consent in force covers social_restricted but not social_public. Judged on the real state;
    the declared visibility is only shown as the related line.
    """
    account = ctx.account
    related = ctx.policy_says("visibility")
    for post in live_posts(ctx):
        if account.post_public(post) is False:
            continue  # approved followers only, or a video shared with chosen people
        for ref in recognisable(post):
            records = _in_force(ctx, ref.pupil)
            if _covers(records, frozenset({"social_public"})):
                continue
            if not _covers(records, frozenset({"social_restricted"})):
                continue  # no social consent at all: pupil-shown-without-consent
            message = (
                f"post {post.id} shows pupil {ref.pupil}, whose photo consent covers only a "
                f"protected account seen by approved followers, but "
                f"{_audience_text(account, post)}"
            )
            consent = next(r for r in records if "social_restricted" in r.scopes)
            scope_note = Related(
                consent.node.loc("scopes"),
                f"pupil {ref.pupil}'s consent covers social media on a protected account only",
            )
            yield post_hit(post, ref, message, "restricted-only", related=(*related, scope_note))


@kind("pupil_shown_after_withdrawal", "account", reads=("account.posts", "consent"))
def WITHDRAWN(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """A live post shows a recognisable pupil whose social media consent was withdrawn (state
    withdrawn, or withdrawn_on on or before the as-of date) and not given again.
    """
    for post in live_posts(ctx):
        for ref in recognisable(post):
            record = withdrawal(ctx, ref.pupil)
            if record is None:
                continue
            when = f" on {record.withdrawn_on}" if record.withdrawn_on else ""
            message = (
                f"post {post.id} is still up and shows pupil {ref.pupil}, whose photo "
                f"consent for social media was withdrawn{when}"
            )
            yield post_hit(post, ref, message, "withdrawn")


# --- names and tags -------------------------------------------------------------------


# The params of a kind that looks for pupils named in some of these ways.
_FORMS_PARAMS = obj_params(
    {"forms": some_of(NAME_FORMS, "The ways of naming a pupil that are findings.")},
    required=("forms",),
)


def _named_as(ref: Ref) -> str:
    how = FORM_TEXT.get(ref.form or "", "by name")
    return f"{how} in its caption (by the pupils register)" if ref.via == "caption" else how


@kind("pupil_named", "account", params=_FORMS_PARAMS, reads=("account.posts",))
def NAMED(ctx: AccountContext, params: Any) -> Iterator[Hit]:
    """A live post names a pupil in one of `forms` (first_name, initials, full_name)."""
    forms = frozenset(params["forms"])
    for post in live_posts(ctx):
        for ref in named_in(ctx, post):
            if ref.form in forms:
                message = f"post {post.id} names pupil {ref.pupil} {_named_as(ref)}"
                yield post_hit(post, ref, message, f"named:{ref.form}")


def _policy_names_text(declared: str) -> str:
    if declared == "none":
        return "the policy allows no pupil names in posts"
    return "the policy allows first names or initials only"


@kind("pupil_named_against_policy", "account", reads=("account.posts", "policy.pupil_images.names"))
def NAMED_AGAINST_POLICY(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """A live post names a pupil in a way the applicable policy's pupil_images.names does not allow
    (none: no naming at all; first_name: first names and initials only).
    """
    declared = ctx.declared("pupil_images.names")
    allowed = ALLOWED_FORMS.get(str(declared))
    if allowed is None:
        return
    related = ctx.policy_says("pupil_images.names")
    for post in live_posts(ctx):
        for ref in named_in(ctx, post):
            if ref.form in allowed or ref.form is None:
                continue
            message = (
                f"post {post.id} names pupil {ref.pupil} {_named_as(ref)}, "
                f"but {_policy_names_text(str(declared))}"
            )
            yield post_hit(post, ref, message, f"named:{ref.form}", related=related)


@kind("pupil_named_and_shown", "account", params=_FORMS_PARAMS, reads=("account.posts",))
def NAMED_AND_SHOWN(ctx: AccountContext, params: Any) -> Iterator[Hit]:
    """A live post names a pupil (in one of `forms`) and shows the same pupil recognisably: a name
    next to a face lets a stranger find the child.
    """
    forms = frozenset(params["forms"])
    for post in live_posts(ctx):
        pictured = {ref.pupil for ref in recognisable(post)}
        for ref in named_in(ctx, post):
            if ref.form in forms and ref.pupil in pictured:
                message = (
                    f"post {post.id} names pupil {ref.pupil} {_named_as(ref)} and also "
                    "shows them in a recognisable image"
                )
                yield post_hit(post, ref, message, "named-and-shown")


@kind("pupil_tagged", "account", reads=("account.posts",))
def TAGGED(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """A live post tags a pupil (pupils_tagged)."""
    for post in live_posts(ctx):
        for ref in tagged(post):
            message = (
                f"post {post.id} tags pupil {ref.pupil}, linking the post to their own account"
            )
            yield post_hit(post, ref, message, "tagged")


KINDS: tuple[CheckKind, ...] = (
    CONSENT_MISSING,
    CONSENT_AUDIENCE,
    WITHDRAWN,
    NAMED,
    NAMED_AGAINST_POLICY,
    NAMED_AND_SHOWN,
    TAGGED,
)
