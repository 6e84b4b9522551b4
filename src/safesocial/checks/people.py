"""Check kinds (filled in below)."""

from __future__ import annotations

from safesocial.checks.base import CheckKind

KINDS: tuple[CheckKind, ...] = ()
