"""Build the actual state of an account (or the school's records) from the data the
platform or the MIS exports, merged into the file a person keeps, never losing what
they typed. `run.run_import` does one import; the CLI only calls it and prints.

This module stays light (the CLI reads FORMATS when it starts); the work is in run.py.
The platforms are one table, in platforms.py.
"""

from __future__ import annotations

import textwrap

from safesocial.importers.platforms import ACCOUNT_FORMATS, PLATFORMS

__all__ = ["ACCOUNT_FORMATS", "FORMATS", "PLATFORMS", "RECORD_FORMATS", "help_text"]

# Platform exports merge into accounts/NAME.yaml; the CSV formats into consent.yaml and
# pupils.yaml.
RECORD_FORMATS = ("approvals-csv", "consent-csv", "pupils-csv")
FORMATS = ACCOUNT_FORMATS + RECORD_FORMATS


def help_text() -> str:
    """The import command's help, from the platform table."""
    lines = [
        "Merge a platform's data EXPORT (.zip or folder), or an MIS CSV, into a file, "
        "keeping everything typed by hand. See docs/importing.md.",
        "",
        "\b",
        "FORMAT is one of:",
    ]
    rows = [(p.fmt, f"{p.download}: {p.holds}") for p in PLATFORMS]
    rows += [
        (
            "approvals-csv",
            "a follower request form's responses (Microsoft or Google Forms), "
            "as CSV, with --mapping",
        ),
        ("consent-csv", "the MIS's consent records, as CSV"),
        ("pupils-csv", "the MIS's pupils register, as CSV"),
    ]
    for fmt, text in rows:
        lines += textwrap.wrap(text, 76, initial_indent=f"  {fmt:<12} ", subsequent_indent=" " * 15)
    return "\n".join(lines)
