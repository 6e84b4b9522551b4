"""Where safesocial itself lives, for the files and links that point back at it.

The scaffold writes a school's CI files with these (the GitHub Action, the pre-commit
hook and the GitLab install all come from this repository), and SARIF rules link their
help to docs/rules.md here. safesocial has not tagged a release and is not on a package
index, so every reference names the repository's `main` branch, which exists; change
`PROJECT_REF` to a release tag the day one is made (docs/ci.md, "Where the CI files
get safesocial from").
"""

from __future__ import annotations

PROJECT_REPO = "safesocial/safesocial"
PROJECT_URL = f"https://github.com/{PROJECT_REPO}"
PROJECT_REF = "main"
# What pip installs where a git client may be missing (python:3.12-slim has none): the
# repository's archive at PROJECT_REF.
PROJECT_ARCHIVE = f"{PROJECT_URL}/archive/refs/heads/{PROJECT_REF}.tar.gz"
RULES_DOC = f"{PROJECT_URL}/blob/{PROJECT_REF}/docs/rules.md"


def rule_anchor(rule_id: str, name: str) -> str:
    """The heading id GitHub gives a rule's section in docs/rules.md ("SS101 protected-as-
    declared" becomes "ss101-protected-as-declared")."""
    return f"{rule_id} {name}".lower().replace(" ", "-")


def rule_help_uri(rule_id: str, name: str) -> str:
    return f"{RULES_DOC}#{rule_anchor(rule_id, name)}"
