"""Check kinds: posts (see docs/writing-rules.md)."""

from __future__ import annotations

from safesocial.checks.base import CheckKind

KINDS: tuple[CheckKind, ...] = ()
