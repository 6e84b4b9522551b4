"""Follower approvals kept apart from the account files (approvals.yaml, written by
`safesocial import approvals-csv` from a request form's responses), and how they join the
followers: a follower with no `approval:` of its own takes the one recorded for its
platform and handle, so the follower rules judge it as if it were typed there."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import ClassVar

from safesocial.documents.yamlio import YMap
from safesocial.model import Account, Approval
from safesocial.model.fields import opt_str, read, record, whole


def norm_handle(handle: str) -> str:
    """Handles compare without '@', case or repeated spaces (Facebook's display names)."""
    return " ".join(handle.strip().lstrip("@").casefold().split())


def _normed(value: object) -> str:
    return norm_handle(str(value))


@record
class ApprovalRecord:
    """approvals.yaml: one approved follow request, from the request form's responses."""

    platform: str = read(str)
    handle: str = read(_normed)  # normalised (norm_handle), for matching
    node: YMap = whole()
    approval: Approval = whole(Approval.build)  # form, approved_by and on, beside the rest
    category: str | None = read(opt_str, default=None)
    pupil: str | None = read(opt_str, default=None)
    build: ClassVar[Callable[[YMap], ApprovalRecord]]


def join_approvals(account: Account, records: Mapping[tuple[str, str], ApprovalRecord]) -> Account:
    """The account with each follower that has no `approval:` of its own given the one
    approvals.yaml records for its platform and handle (and its category and pupil ref,
    where the follower's own say unknown): the follower rules then see it approved."""
    followers = []
    for conn in account.followers:
        handle = conn.handle
        record = (
            records.get((account.platform, norm_handle(handle)))
            if conn.approval is None and handle is not None
            else None
        )
        if record is None:
            followers.append(conn)
            continue
        category = record.category if conn.category == "unknown" and record.category else None
        followers.append(
            replace(
                conn,
                approval=record.approval,
                category=category or conn.category,
                pupil=conn.pupil or record.pupil,
            )
        )
    return replace(account, followers=tuple(followers))
