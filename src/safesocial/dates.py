"""Dates given on the command line: strictly YYYY-MM-DD, as in every input file."""

from __future__ import annotations

import re
from datetime import date

from safesocial.errors import UsageError


def parse_day(value: str, option: str) -> date:
    """`value` as a date, or a UsageError naming `option` (e.g. --as-of)."""
    try:
        # Python 3.11 also reads 20261121 and 2026-W47-6; input files may not, nor may we.
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date written YYYY-MM-DD") from None
