"""A rule's message may quote only fields whose type makes them shareable (issue 12).

Messages reach every report (JSON, SARIF, JUnit, annotations, HTML). A template that
names a mapping, a list of records or free text would put handles, captions and DM
counterparts in them; the pack loader refuses it at the template's line, for the
built-in packs and a trust's alike (checks/shareable.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safesocial.checks.declarative import template_fields
from safesocial.cli import main
from safesocial.documents import resources
from safesocial.errors import RulePackError
from safesocial.packs import cases, rules

PACK = """\
pack:
  id: tmpl
  title: Templates
rules:
  - id: TPL001
    name: template
    title: t
    severity: warning
    category: guidance
    rationale: r
    remediation: r
    sources: [seed-002]
    check:
{check}"""

EACH = (
    "      kind: each\n      target: account\n      list: {list}\n"
    '      where: {{}}\n      {key}: "{text}"\n'
)
SCHEMA = '      kind: schema\n      target: {target}\n      schema: {{}}\n      {key}: "{text}"\n'
CATEGORIES = (
    "      kind: follower_categories\n      target: account\n      categories: [unknown]\n"
    '      {key}: "{text}"\n'
)


def _write(tmp_path: Path, check: str) -> Path:
    path = tmp_path / "tmpl.yaml"
    path.write_text(PACK.format(check=check), "utf-8")
    return path


REFUSED = [
    # (check template, its fields, the template)
    (SCHEMA, {"target": "account"}, "{account.followers}"),
    (SCHEMA, {"target": "account"}, "{account.posts}"),
    (SCHEMA, {"target": "account"}, "{account}"),
    (SCHEMA, {"target": "account"}, "{account.bio}"),
    (SCHEMA, {"target": "account"}, "{account.notes}"),
    (SCHEMA, {"target": "account"}, "{account.purpose}"),
    (SCHEMA, {"target": "account"}, "{account.owner_email}"),
    (SCHEMA, {"target": "account"}, "{account.followers.0.handle}"),
    (SCHEMA, {"target": "account"}, "{account.nothing_like_this}"),
    (SCHEMA, {"target": "account"}, "{policy}"),
    (SCHEMA, {"target": "account"}, "{policy.purpose}"),
    (SCHEMA, {"target": "account"}, "{entry.pupil}"),  # no entry in a schema rule
    (SCHEMA, {"target": "account"}, "{follower}"),  # nor a follower
    (SCHEMA, {"target": "school"}, "{school.staff}"),
    (SCHEMA, {"target": "school"}, "{school.school.name}"),
    (SCHEMA, {"target": "school"}, "{account.handle}"),  # no account in a school's view
    (SCHEMA, {"target": "staff_account"}, "{staff.name}"),
    (SCHEMA, {"target": "staff_account"}, "{staff.email}"),
    (EACH, {"list": "account.following"}, "{entry}"),
    (EACH, {"list": "account.following"}, "{entry.handle}"),
    (EACH, {"list": "account.following"}, "{entry.note}"),
    (EACH, {"list": "account.following"}, "{entry.id}"),
    (EACH, {"list": "account.dm_threads"}, "{entry.counterpart}"),
    (EACH, {"list": "account.posts"}, "{entry.caption}"),
    (EACH, {"list": "account.posts"}, "{entry.pupils_named}"),
    (EACH, {"list": "account.bio"}, "{entry}"),  # not a list: no entry at all
    (EACH, {"list": "account.following"}, "{number.x}"),
    (CATEGORIES, {}, "{follower.handle}"),
]


def _keys(check: str) -> list[str]:
    """The template params a kind has."""
    return (
        ["message", "subject", "related_text"]
        if check is EACH
        else (["message"] if check is CATEGORIES else ["message", "related_text"])
    )


@pytest.mark.parametrize(
    ("check", "fields", "template", "key"),
    [(*case, key) for case in REFUSED for key in _keys(case[0])],
)
def test_a_template_that_could_quote_private_data_is_refused_at_its_line(
    tmp_path: Path, check: str, fields: dict[str, str], template: str, key: str
) -> None:
    if key != "message":
        text = f"see {template}"
        body = check.format(**fields, key="message", text="m") + f'      {key}: "{text}"\n'
    else:
        body = check.format(**fields, key=key, text=f"it says {template}")
    path = _write(tmp_path, body)
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if template in t)
    with pytest.raises(RulePackError) as caught:
        rules.load_pack(path)
    message = str(caught.value)
    assert message.startswith(f"{path.as_posix()}:{line}:"), message
    assert f"quotes '{template.strip('{}')}'" in message and "refer to pupils by ref" in message


ALLOWED = [
    (SCHEMA, {"target": "account"}, "{account.handle} {account.platform} {account.kind}"),
    (SCHEMA, {"target": "account"}, "{account.protected} {account.observed_on} {value}"),
    (SCHEMA, {"target": "account"}, "{policy.audience} {policy.visibility} {account.staff}"),
    (SCHEMA, {"target": "school"}, "{school.school.phase} {policy.staff_accounts.private}"),
    (SCHEMA, {"target": "staff_account"}, "{staff_account.staff} {staff.role}"),
    (EACH, {"list": "account.following"}, "{entry.pupil} {entry.category} {number}"),
    (EACH, {"list": "account.following"}, "{entry.followed_first} {entry.on}"),
    (EACH, {"list": "account.posts"}, "{entry.date} {entry.identifiable}"),
    (CATEGORIES, {}, "{follower} {account.handle}"),
]


@pytest.mark.parametrize(("check", "fields", "template"), ALLOWED)
def test_shareable_fields_may_be_quoted(
    tmp_path: Path, check: str, fields: dict[str, str], template: str
) -> None:
    (rule,) = rules.load_pack(
        _write(tmp_path, check.format(**fields, key="message", text=template))
    )
    assert rule.raw_check["message"] == template


@pytest.mark.parametrize(("related", "ok"), [("policy.visibility", True), ("account.bio", False)])
def test_the_related_line_is_held_to_the_same_test(tmp_path: Path, related: str, ok: bool) -> None:
    body = SCHEMA.format(target="account", key="message", text="m") + f"      related: {related}\n"
    path = _write(tmp_path, body)
    if ok:
        assert rules.load_pack(path)
    else:
        with pytest.raises(RulePackError, match=rf"tmpl.yaml:18:\d+: .*quotes '{related}'"):
            rules.load_pack(path)


def test_every_builtin_template_passes(builtin_rules) -> None:
    # The built-in packs are loaded trusted, but their templates are checked all the same.
    quoted = {
        name
        for rule in builtin_rules
        for key in ("message", "subject", "related_text")
        for name in template_fields(str(rule.raw_check.get(key, "")))
    }
    assert {"account.handle", "entry.pupil", "policy.audience"} <= quoted
    assert resources.builtin_packs()


AS_OF = "2026-11-21"
SECRET = "@secret_pupil_99"


@pytest.mark.parametrize(
    ("field", "shown"),
    [("bio: {maxLength: 1}", "(a value not shown)"), ("mfa: {const: true}", "false")],
)
def test_value_shows_only_a_shareable_value_in_every_report(
    tmp_path: Path, capsys, field: str, shown: str
) -> None:
    # `{value}` is the failing value: shown for true/false or a word, never for a bio.
    folder = tmp_path / "s"
    cases.materialise({"accounts/main.yaml": {"bio": f"ask {SECRET}", "mfa": False}}, folder)
    check = (
        "      kind: schema\n      target: account\n"
        f"      schema: {{properties: {{account: {{properties: {{{field}}}}}}}}}\n"
        '      message: "got {value}"\n'
    )
    (folder / "tmpl.yaml").write_text(PACK.format(check=check), "utf-8")
    (folder / "safesocial.yaml").write_text("packs: [tmpl.yaml]\nselect: [TPL001]\n")
    outputs = {fmt: tmp_path / f"r.{fmt}" for fmt in ("json", "sarif", "junit", "html", "github")}
    args = [f"-o{fmt}:{path}" for fmt, path in outputs.items()]
    code = main(["check", str(folder), "--as-of", AS_OF, "--fail-on", "warning", *args])
    capsys.readouterr()
    assert code == 1
    found = json.loads(outputs["json"].read_text("utf-8"))["schools"][0]["findings"]
    assert [f["message"] for f in found] == [f"got {shown}"]
    for path in outputs.values():
        assert SECRET not in path.read_text("utf-8")
