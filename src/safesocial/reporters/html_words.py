"""The words of the HTML report: what a headteacher reads, kept in one place to review.

Plain English over engineering terms: severities become how urgent a thing is, statuses
say what a section needs, and counts are written out ("3 followers").
"""

from __future__ import annotations

from datetime import date

from safesocial.findings import Category, Severity
from safesocial.reporters.summary import Summary

REVEAL_WARNING = "This report shows names and handles: keep it on this computer; do not share it"

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip

# Words for severity, as a headteacher would act on them; never colour alone.
SEVERITY = {
    Severity.ERROR: ("error", "Must fix"),
    Severity.WARNING: ("warning", "Should fix"),
    Severity.INFO: ("info", "For information"),
}
# A section's status: its worst finding, in words.
STATUS = {
    "error": "Action needed",
    "warning": "Needs attention",
    "info": "For information",
    "ok": "No problems found",
    "input": "Could not be read",
    "waived": "Accepted for now",
    "gap": "Not fully checked",
}
CATEGORY = {
    Category.DRIFT: "Practice differs from your policy",
    Category.GUIDANCE: "Falls short of published guidance",
    Category.RECORDS: "Records missing or out of date",
    Category.INPUT: "A file could not be read",
}
PLATFORMS = {"x": "X (Twitter)", "instagram": "Instagram", "facebook": "Facebook",
             "tiktok": "TikTok", "youtube": "YouTube", "linkedin": "LinkedIn",
             "threads": "Threads", "bluesky": "Bluesky", "whatsapp": "WhatsApp",
             "tapestry": "Tapestry", "seesaw": "Seesaw", "classdojo": "ClassDojo",
             "evidence_me": "Evidence Me"}  # fmt: skip
# Channels that are not profiles, named as a headteacher would ({name}: the handle
# without its @; {platform}: the platform's name).
CHANNELS = {("facebook", "page"): "Your Facebook Page {handle}",
            ("youtube", "channel"): "Your YouTube channel {handle}",
            ("whatsapp", "channel"): "Your WhatsApp channel {name}",
            ("whatsapp", "community"): "The {name} WhatsApp community",
            ("whatsapp", "group"): "The {name} WhatsApp group"}  # fmt: skip
CLASS_SPACE = "The {name} class on {platform}"
# Input findings have no rule behind them; these say what went wrong in plain words.
INPUT_TITLES = {
    "IN001": "A file could not be read",
    "IN002": "A file is not laid out as expected",
    "IN003": "A required file is missing",
    "IN900": "A check could not run (a fault in safesocial, not in your files)",
}
WAIVED_NOTE = (
    "The school has accepted these for now, with a reason, an approver and an end date. "
    "They do not count in the totals above; each comes back when its waiver ends."
)
INPUT_TODO = (
    "Ask whoever keeps the school's safesocial files to correct this file and run the "
    "check again. Until then, this report cannot say whether that part of your policy is "
    "followed."
)
# What the records a gap can be about are called (targets that are not accounts): the
# school, and each part of a school folder whose gaps are shared (model/parts.py).
RECORDS = {"school": "The school as a whole", "consent": "Consent records",
           "pupils": "Pupil records", "policy": "Your written policy",
           "staff": "The staff list", "staff_accounts": "Declared staff accounts",
           "waivers": "Waivers"}  # fmt: skip
GAP_TODO = (
    "Ask whoever keeps the school's safesocial files to look at this and run the check "
    "again. Until then, this report cannot say whether this part of your policy is "
    "followed, so it is not an all-clear."
)
GAPS_NOTE = (
    "These could not be checked fully, so nothing here can be called all clear. Each "
    "says how much could not be checked and why."
)
# Said where an all-clear would be, when the check is not complete.
NOT_ALL_CLEAR = (
    "Nothing was found here in what could be checked, but this check is not complete "
    "(see above), so this is not an all-clear."
)
# Plurals for the first word of a subject, to count a group in words ("8 followers").
NOUNS = {"follower": "followers", "pupil": "pupils", "ex-pupil": "ex-pupils",
         "post": "posts", "staff": "staff members", "document": "documents",
         "thread": "conversations", "account": "accounts", "request": "requests"}  # fmt: skip


def channel(platform: str, account_type: str | None, handle: str) -> str | None:
    """'Your Facebook Page @Oak', 'The Year 4 WhatsApp group'; None for a profile."""
    words = CLASS_SPACE if account_type == "class" else CHANNELS.get((platform, account_type or ""))
    name = PLATFORMS.get(platform, platform.capitalize())
    return words.format(handle=handle, name=handle.lstrip("@"), platform=name) if words else None


def sentence(text: str) -> str:
    """Messages start in lower case for the terminal; a report starts sentences properly."""
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def day(d: date) -> str:
    """21 November 2026: spelt out, as a letter to a school would (and never a locale's)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def n(count: int, one: str, many: str | None = None) -> str:
    """'1 account', '3 accounts'."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def urgency(summary: Summary) -> str:
    """'2 must be put right now and 1 should be put right soon', from the counts."""
    parts = [
        f"{count} {verb}"
        for count, verb in (
            (summary.errors, "must be put right now"),
            (summary.warnings, "should be put right soon"),
            (summary.infos, "is for information" if summary.infos == 1 else "are for information"),
        )
        if count
    ]
    text = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return sentence(text)
