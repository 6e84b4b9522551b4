"""The files of a new school repository, rendered from the templates shipped in this package.

Templates hold `@@key@@` placeholders (not `{...}` or `$...`: workflow files use `${{ }}`
and every YAML file a `$schema=` line). Values that land in YAML are JSON-quoted, which
YAML reads as a double-quoted string, so a name such as `St Mary's: Infants` stays one
value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

from safesocial.project import PROJECT_ARCHIVE, PROJECT_REF, PROJECT_REPO, PROJECT_URL
from safesocial.scaffold.choices import Answers
from safesocial.scaffold.schemas import url

# Where schools get the GitHub Action, the pre-commit hook and the package from: this
# project's own repository (action.yml and .pre-commit-hooks.yaml sit at its root), at a
# ref that exists (safesocial.project says why it is a branch, not a release tag).
RELEASE = PROJECT_REF

_OTHER_SCHEMAS = {
    "github-workflow": "https://json.schemastore.org/github-workflow.json",
    "gitlab-ci": "https://gitlab.com/gitlab-org/gitlab/-/raw/master/app/assets/javascripts/editor/schema/ci.json",
    "pre-commit-config": "https://json.schemastore.org/pre-commit-config.json",
}


@dataclass(frozen=True, slots=True)
class Planned:
    """One file to write: its path in the school's repository (with /) and its text."""

    path: str
    text: str


@dataclass(frozen=True, slots=True)
class _Template:
    source: str  # under templates/
    target: str  # in the school's repository
    schema: str | None  # a safesocial schema's short name, or a key of _OTHER_SCHEMAS


def _templates(answers: Answers) -> list[_Template]:
    point = answers.starting_point
    return [
        _Template("README.md", "README.md", None),
        _Template("school.yaml", "school.yaml", "school"),
        _Template(f"policy/{point.name}.yaml", "policy.yaml", "policy"),
        _Template(
            f"accounts/{point.template}.yaml", f"accounts/{point.account_file}.yaml", "account"
        ),
        _Template("consent.yaml", "consent.yaml", "consent"),
        _Template("pupils.yaml", "pupils.yaml", "pupils"),
        _Template("staff-accounts.yaml", "staff-accounts.yaml", "staff-accounts"),
        _Template("safesocial.yaml", "safesocial.yaml", "config"),
        _Template("github-workflow.yml", ".github/workflows/safesocial.yml", "github-workflow"),
        _Template("gitlab-ci.yml", ".gitlab-ci.yml", "gitlab-ci"),
        _Template("pre-commit-config.yaml", ".pre-commit-config.yaml", "pre-commit-config"),
        _Template("gitignore", ".gitignore", None),
    ]


def _values(answers: Answers) -> dict[str, str]:
    point = answers.starting_point
    return {
        "name": answers.name,
        "name_yaml": json.dumps(answers.name, ensure_ascii=False),
        "handle": answers.handle,
        "handle_yaml": json.dumps(answers.handle, ensure_ascii=False),
        "platform": answers.platform,
        "starting_point": point.name,
        "jurisdiction": point.jurisdiction,
        "phase": point.phase,
        "account_file": point.account_file,
        "account_kind": point.account_kind,
        "project_repo": PROJECT_REPO,
        "project_url": PROJECT_URL,
        "release": RELEASE,
        "package": PROJECT_ARCHIVE,
        "action": f"{PROJECT_REPO}@{RELEASE}",
    }


_PLACEHOLDER = re.compile(r"@@([a-z_]+)@@")


def template_text(source: str) -> str:
    return (resources.files("safesocial.scaffold") / "templates" / source).read_text("utf-8")


def fill(text: str, values: dict[str, str]) -> str:
    """Replace every `@@key@@`; a key with no value is a bug in the templates, not input."""

    def one(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"template placeholder @@{key}@@ has no value")
        return values[key]

    return _PLACEHOLDER.sub(one, text)


def schema_line(schema: str) -> str:
    where = _OTHER_SCHEMAS.get(schema) or url(schema)
    return f"# yaml-language-server: $schema={where}\n"


def plan(answers: Answers) -> list[Planned]:
    """Every file of the new repository, in the order they are written and listed."""
    values = _values(answers)
    planned = []
    for t in _templates(answers):
        text = fill(template_text(t.source), values)
        if t.schema:
            text = schema_line(t.schema) + text
        planned.append(Planned(t.target, text))
    return planned
