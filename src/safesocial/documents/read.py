"""Reading one whole document that stops the command if it is wrong: a configuration, a
rule pack, a case file, a column mapping.

The school's own files are read by loader.py, which reports every problem as an input
finding and goes on; the documents read here are the tool's instructions, so the first
problem is raised as the caller's own error (ConfigError, RulePackError, ImportProblem)
with the file, line and expected form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from safesocial.documents import validate, yamlio
from safesocial.errors import InputProblem
from safesocial.findings import Location


def read_document(
    path: Path,
    shown: str,
    schema: str | Mapping[str, Any] | None,
    error: Callable[[str], Exception],
    *,
    what: str,
    invalid: str = "",
    withhold: str | None = None,
    empty: bool = False,
) -> Any:
    """The parsed document at `path` (None if it is empty), checked against `schema`
    (a file in schemas/ or a schema; None checks nothing); the first problem is raised
    as `error("<file:line:col>: <message>")`.

    `what` names the document where it cannot be read (`cannot read the rule pack`);
    `invalid` goes before a schema problem ("invalid rule pack: "). `withhold`, when
    given, is said instead of what the parser or schema says about the content, which can
    quote it (a file from outside the checked tree); a problem with the file itself (too
    big, not UTF-8) is always said. `empty` refuses an empty file instead of returning None.
    """
    try:
        text = yamlio.read_text(path, shown)
    except InputProblem as problem:
        raise error(f"{problem.location}: {problem.message}") from None
    except OSError as exc:
        raise error(f"{shown}: cannot read {what}: {exc.strerror}") from None
    try:
        doc = yamlio.parse(text, shown)
    except InputProblem as problem:
        raise error(f"{problem.location}: {withhold or problem.message}") from None
    if doc is None:
        if empty:
            raise error(f"{Location(shown, 1, 1)}: the file is empty")
        return None
    if schema is not None:
        first = next(iter(validate.check(doc, schema, shown)), None)
        if first is not None:
            raise error(f"{first.location}: {withhold or invalid + first.message}")
    return doc
