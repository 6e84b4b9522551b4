"""The one registry of check kinds. Rule packs name a kind; this is where names resolve."""

from __future__ import annotations

import difflib

from safesocial.checks import (
    accounts,
    admins,
    audience,
    class_apps,
    consent,
    consent_age,
    declarative,
    followers,
    following,
    governance,
    interactions,
    lifecycle,
    messages,
    pages,
    post_detail,
    post_pupils,
    posts,
    privacy,
    register,
    staff_accounts,
    staff_records,
    waivers,
    youtube,
)
from safesocial.checks.base import CheckKind

# Each module's KINDS, in one tuple: a new module of kinds is added here, and nowhere else.
MODULES = (
    declarative,
    accounts,
    admins,
    audience,
    followers,
    following,
    messages,
    posts,
    post_pupils,
    consent,
    staff_accounts,
    staff_records,
    governance,
    waivers,
    privacy,
    # The account register and data too thin to judge, and what an account lets others do.
    register,
    interactions,
    # What posts give away besides faces, consent outgrown by the pupil it is for, and who
    # can still get into an account (recovery routes) or whether anyone still uses it.
    post_detail,
    consent_age,
    lifecycle,
    # The channels schools really use: Facebook Pages, YouTube, WhatsApp, class apps.
    pages,
    youtube,
    class_apps,
)
REGISTRY: dict[str, CheckKind] = {kind.name: kind for module in MODULES for kind in module.KINDS}


def get(name: str) -> CheckKind:
    """The kind called `name`, or a KeyError that suggests the nearest name."""
    try:
        return REGISTRY[name]
    except KeyError:
        guess = difflib.get_close_matches(name, REGISTRY, n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        raise KeyError(f"no check kind called '{name}'{hint}") from None
