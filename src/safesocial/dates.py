"""Dates: given on the command line (strictly YYYY-MM-DD, as in every input file), and
moved by whole calendar months (a review every 12 months, consent refreshed yearly)."""

from __future__ import annotations

import calendar
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


def months_before(day: date, months: int) -> date:
    """`day` moved back by whole calendar months, clamped to the end of a short month."""
    total = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def months_after(day: date, months: int) -> date:
    """`day` moved on by whole calendar months, clamped to the end of a short month."""
    return months_before(day, -months)
