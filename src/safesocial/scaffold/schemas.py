"""The JSON Schemas by name: for `safesocial schema NAME` and editors' `$schema` lines."""

from __future__ import annotations

import json

from safesocial.documents import resources
from safesocial.errors import UsageError

SUFFIX = ".schema.json"
# Each schema's $id; editors with yaml-language-server fetch the schema from it.
URL_BASE = "https://safesocial.dev/schemas/"


def names() -> list[str]:
    """The schemas shipped with safesocial, short names (`account`, `policy`...)."""
    folder = resources.data_dir("schemas")
    return sorted(p.name.removesuffix(SUFFIX) for p in folder.glob(f"*{SUFFIX}"))


def resolve(name: str) -> str:
    """`account`, `account.schema.json` or `account.schema` -> `account.schema.json`."""
    short = name.strip().lower().removesuffix(".json").removesuffix(".schema")
    known = names()
    if short not in known:
        raise UsageError(f"no schema called {name!r}; the schemas are: {', '.join(known)}")
    return short + SUFFIX


def text(name: str) -> str:
    """One schema as indented JSON, ready to save beside a school's files."""
    return json.dumps(resources.schema(resolve(name)), indent=2, ensure_ascii=False) + "\n"


def url(short: str) -> str:
    """The URL form a `# yaml-language-server: $schema=` line names (the schema's $id)."""
    return URL_BASE + short + SUFFIX
