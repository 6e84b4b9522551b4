"""Generate a synthetic local authority for the benchmark: deterministic for a seed.

At scale 1: 500 schools, 4 to 10 accounts each, 1,000,000 consent rows (CSV) and
2,000,000 follower entries in the account files, with findings at realistic rates
(a few unapproved or unknown followers, the odd public account, pupils pictured
without consent). Smaller scales shrink the number of schools; --smoke makes a tiny
authority for CI.

    python benchmarks/generate.py OUT_DIR [--scale 1.0] [--seed 2026] [--smoke]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

SCHOOLS = 500
CONSENT_ROWS = 1_000_000
FOLLOWERS = 2_000_000
STAFF = 40
CATEGORIES = ["parent"] * 80 + ["staff"] * 6 + ["organisation"] * 6 + ["governor"] * 2 + ["community"] * 3 + ["unknown"] * 3  # fmt: skip
SCOPES = ["internal", "website", "newsletter", "social_restricted", "social_public"]


def school_yaml(index: int) -> str:
    staff = []
    roles = (
        ["headteacher", "deputy_head", "assistant_head"]
        + ["teacher"] * (STAFF - 5)
        + ["office", "it"]
    )
    for n, role in enumerate(roles, start=1):
        staff.append(
            f'  - {{ref: S{n:03d}, role: {role}, safeguarding_trained_on: "2026-09-01", '
            f'social_media_trained_on: "2026-09-01", dsl_trained_on: "2025-06-01", '
            f'aup_signed_on: "2026-09-01"}}'
        )
    return (
        f"""school:
  name: Synthetic School {index:03d}
  id: "{900000 + index}"
  jurisdiction: england
  phase: {"primary" if index % 3 else "secondary"}
  local_authority: Synthetic Borough
  email_domains: [school{index:03d}.sch.uk]
safeguarding:
  dsl: S002
  deputies: [S003]
  online_safety_lead: S003
  link_governor: Governor for safeguarding
  incident_route: Tell the DSL the same day.
  low_level_concerns_route: Tell the headteacher.
documents:
  - id: social-media-policy
    title: Social media policy
    covers: [social_media, acceptable_use, staff_conduct, photography]
    based_on: Synthetic Borough e-Safety Policy
    reviewed_on: "2026-03-01"
    next_review_on: "2027-03-01"
    approved_by: Full governing body
staff:
"""
        + "\n".join(staff)
        + "\n"
    )


POLICY = """defaults:
  official: &account
    visibility: protected
    purpose: Keep parents informed about school life.
    audience: [parents, staff]
    followers: {approval: form, approver_roles: [headteacher, deputy_head], must_be_connected_to_school: true}
    following: {pupils: never, allowed_categories: [organisation, staff, governor], requests_to_private: never, auto_follow_back: false}
    direct_messages: {inbound: nobody, outbound_to_pupils: never, redirect_notice: Please contact the school office.}
    publishers: {roles: [headteacher, deputy_head, assistant_head, teacher], min_admins: 2, senior_full_access: true, mfa: required, training_required: true}
    bio: {monitoring_statement: required, contact_route: required}
    pupil_images: {consent_required: true, names: none, identifiable: allowed}
    settings_review_days: 90
  department: *account
staff_accounts: {contact_pupils: never, private: required, ex_pupil_min_age: 18, declare_relationships: required}
"""


def account_yaml(rng: random.Random, school: int, number: int, followers: int, pupils: int) -> str:
    kind = "official" if number == 0 else "department"
    public = rng.random() < 0.05  # the drift the product exists for
    lines = [
        f"platform: {rng.choice(['x', 'instagram', 'facebook'])}",
        f'handle: "@school{school:03d}_{number}"',
        f"kind: {kind}",
        f"owner_email: office@school{school:03d}.sch.uk",
        "owned_by: school",
        "purpose: Keep parents informed about school life.",
        "audience: [parents, staff]",
        "approved_by: S001",
        'risk_assessment: {ref: RA-1, on: "2026-01-10", agreed_by: [S001, S002]}',
        'parents_notified_on: "2026-09-05"',
        "moderation: {moderators: [S002, S003], comment_policy: https://example.sch.uk/social}",
        'observed_on: "2026-11-20"',
        "source: hand",
        f"protected: {'false' if public else 'true'}",
        "dm_from: nobody",
        "mfa: true",
        "auto_follow_back: false",
        "access: delegated",
        'settings_reviewed_on: "2026-11-01"',
        'bio: "News from the school. Monitored Mon-Fri 8:30-4:30, not 24/7. office@example.sch.uk"',
        "admins:",
        "  - {staff: S001, access: full}",
        f"  - {{staff: S{rng.randint(4, STAFF - 2):03d}, access: publisher}}",
        "followers:",
    ]
    for n in range(followers):
        category = rng.choice(CATEGORIES)
        entry = f'  - {{id: "{school:03d}{number:02d}{n:06d}", handle: "@f{school}_{number}_{n}", category: {category}'
        if category != "unknown" and rng.random() > 0.02:
            approver = "S001" if n % 2 else "S002"
            entry += f', approval: {{form: F-{n}, approved_by: {approver}, on: "2026-09-10"}}'
        lines.append(entry + "}")
    lines += ["following:", '  - {handle: "@synthetic_borough", category: organisation}', "posts:"]
    for n in range(20):
        shown = ", ".join(f"P{rng.randrange(pupils):05d}" for _ in range(rng.randint(0, 3)))
        lines.append(
            f'  - {{id: "{n}", date: "2026-10-{n % 28 + 1:02d}", pupils_shown: [{shown}]}}'
        )
    return "\n".join(lines) + "\n"


def pupils_csv(rng: random.Random, count: int) -> str:
    rows = ["ref,year_group,date_of_birth,left_on,publication_restricted"]
    for n in range(count):
        year = rng.randint(0, 11)
        rows.append(
            f"P{n:05d},{year},{2021 - year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},,"
        )
    return "\n".join(rows) + "\n"


def consent_csv(rng: random.Random, count: int, pupils: int) -> str:
    rows = [
        "pupil,scopes,state,given_on,expires_on,informed_by,parental_responsibility,method,wording_version"
    ]
    for n in range(count):
        state = "granted" if rng.random() > 0.05 else "refused"
        scopes = ";".join(s for s in SCOPES if rng.random() < 0.8) or "internal"
        rows.append(
            f"P{n % pupils:05d},{scopes},{state},2026-09-02,2027-08-31,parent,true,app,2026-1"
        )
    return "\n".join(rows) + "\n"


def generate(out: Path, scale: float = 1.0, seed: int = 2026, smoke: bool = False) -> Path:
    schools = 4 if smoke else max(1, round(SCHOOLS * scale))
    per_school_followers = 60 if smoke else FOLLOWERS // SCHOOLS
    per_school_consent = 50 if smoke else CONSENT_ROWS // SCHOOLS
    pupils = 50 if smoke else per_school_consent
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for index in range(schools):
        folder = out / f"district-{index % 10}" / f"school-{index:03d}"
        (folder / "accounts").mkdir(parents=True)
        (folder / "school.yaml").write_text(school_yaml(index), "utf-8")
        (folder / "pupils.csv").write_text(pupils_csv(rng, pupils), "utf-8")
        (folder / "consent.csv").write_text(consent_csv(rng, per_school_consent, pupils), "utf-8")
        accounts = rng.randint(4, 10)
        # The official account has most followers; department accounts share the rest.
        weights = [3.0] + [1.0] * (accounts - 1)
        register = ["register:"]
        for number in range(accounts):
            share = round(per_school_followers * weights[number] / sum(weights))
            text = account_yaml(rng, index, number, share, pupils)
            (folder / "accounts" / f"account-{number}.yaml").write_text(text, "utf-8")
            # Every account is on the school's register (SS120-SS122), as a real one is.
            platform, handle, kind = (line.split(": ", 1)[1] for line in text.split("\n")[:3])
            register.append(f"  - {{platform: {platform}, handle: {handle}, kind: {kind}}}")
        (folder / "policy.yaml").write_text(POLICY + "\n".join(register) + "\n", "utf-8")
    return out


def big_account(out: Path, followers: int = 50_000, seed: int = 2026) -> Path:
    """One school whose one account has `followers` followers (a large secondary's or a
    trust's main account): the size of a single file, not of the fleet, is what grows."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "accounts").mkdir(parents=True)
    pupils = 2_000
    (out / "school.yaml").write_text(school_yaml(0), "utf-8")
    (out / "pupils.csv").write_text(pupils_csv(rng, pupils), "utf-8")
    (out / "consent.csv").write_text(consent_csv(rng, pupils, pupils), "utf-8")
    text = account_yaml(rng, 0, 0, followers, pupils)
    (out / "accounts" / "main.yaml").write_text(text, "utf-8")
    platform, handle, kind = (line.split(": ", 1)[1] for line in text.split("\n")[:3])
    register = f"register:\n  - {{platform: {platform}, handle: {handle}, kind: {kind}}}\n"
    (out / "policy.yaml").write_text(POLICY + register, "utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    generate(args.out, args.scale, args.seed, args.smoke)


if __name__ == "__main__":
    main()
