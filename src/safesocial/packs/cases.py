"""Rule cases: small schools, written as patches to a clean base school, that a rule
must or must not fire on. The tests run every case; `explain` shows them as examples.

A case file (policies/cases/<RULE>.yaml)::

    rule: SS101
    cases:
      - name: public although the policy says protected
        expect: fail              # the rule raises at least one finding
        category: drift           # optional: and every finding it raises is this category
        files:
          accounts/main.yaml:     # deep-merged into the base file; null deletes a key,
            protected: false      # a list replaces the base list whole
          .gitignore: "pupils.yaml\n"  # text is written as it is
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from safesocial.documents import resources, yamlio
from safesocial.documents.read import read_document
from safesocial.documents.yamlio import YMap
from safesocial.errors import RulePackError
from safesocial.findings import Finding
from safesocial.model import loader
from safesocial.packs.rules import Rule
from safesocial.running import judge
from safesocial.settings import Settings

CASE_AS_OF = date(2026, 11, 21)


@dataclass(frozen=True, slots=True)
class Case:
    rule: str
    name: str
    expect: str  # "fail" or "pass"
    files: Mapping[str, Any]
    as_of: date
    source: str
    # The clean school the patches apply to: the case folder's own _base/ if it has one
    # (a trust's pack may need its own), else the built-in one.
    base: Path | None = None
    # For a failing case, the category every finding of the rule must carry: a guidance
    # rule reports drift where the policy declared the value practice breaks.
    category: str | None = None


def cases_dir() -> Path:
    return resources.data_dir("policies") / "cases"


def base_dir() -> Path:
    return cases_dir() / "_base"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _patch(base: Any, patch: Any) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = _patch(out.get(key), value)
        return out
    return patch


def load_cases(path: Path) -> list[Case]:
    shown = path.as_posix()
    doc = read_document(path, shown, None, RulePackError, what="the case file")
    if not isinstance(doc, dict) or "rule" not in doc or not isinstance(doc.get("cases"), list):
        raise RulePackError(f"{shown}: a case file needs `rule:` and a list of `cases:`")
    out = []
    own_base = path.parent / "_base"
    for index, item in enumerate(doc["cases"]):
        if not isinstance(item, YMap):
            raise RulePackError(f"{doc['cases'].loc(index)}: each case is a mapping")
        if item.get("expect") not in ("pass", "fail") or not isinstance(
            item.get("files", {}), dict
        ):
            raise RulePackError(
                f"{item.loc()}: each case needs expect: pass|fail and files: {{...}}"
            )
        category = item.get("category")
        if category not in (None, "drift", "guidance", "records"):
            raise RulePackError(f"{item.loc()}: a case's category is drift, guidance or records")
        as_of = date.fromisoformat(item["as_of"]) if "as_of" in item else CASE_AS_OF
        out.append(
            Case(
                str(doc["rule"]),
                str(item.get("name", "")),
                item["expect"],
                _plain(item.get("files", {})),
                as_of,
                f"{shown}:{item.line}",
                own_base if own_base.is_dir() else None,
                category,
            )
        )
    return out


def all_cases(folder: Path | None = None) -> list[Case]:
    folder = folder or cases_dir()
    return [c for path in sorted(folder.glob("*.yaml")) for c in load_cases(path)]


def materialise(case_files: Mapping[str, Any], into: Path, base: Path | None = None) -> None:
    """Write the base school with the case's patches applied into folder `into`."""
    base = base or base_dir()
    docs: dict[str, Any] = {}
    for path in sorted(base.rglob("*.yaml")):
        docs[path.relative_to(base).as_posix()] = _plain(
            yamlio.parse(yamlio.read_text(path, str(path)), str(path))
        )
    for name, patch in case_files.items():
        if patch is None:
            docs.pop(name, None)
        else:
            docs[name] = _patch(docs.get(name), patch)
    for name, doc in docs.items():
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        # Text is written as it is: a .gitignore, a CSV file, a .git/HEAD.
        if isinstance(doc, str):
            target.write_text(doc, "utf-8")
        else:
            target.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")


def run_case(case: Case, rules: Sequence[Rule]) -> list[Finding]:
    """Every finding the rules raise on the case's school (input problems included)."""
    with tempfile.TemporaryDirectory(prefix="safesocial-case-") as tmp:
        folder = Path(tmp)
        materialise(case.files, folder, case.base)
        loaded = loader.load_school(folder, "case")
        result = judge.run([loaded], rules, Settings(as_of=case.as_of))
    return list(result.findings)
