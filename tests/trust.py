"""A trust of many schools for the report tests: the examples, copied into numbered
folders, each with its own school name and account handles (as a real trust's are), so
that every school's section and counts are its own."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import ROOT

EXAMPLES = ("drift-primary", "clean-primary", "department-accounts", "followback-secondary")
_HANDLE = re.compile(r'^handle: "?(@?[A-Za-z0-9_.]+)"?', re.M)


def make(out: Path, schools: int = 50) -> Path:
    """`schools` school folders under `out` (made afresh); returns `out`."""
    if out.exists():
        shutil.rmtree(out)
    for i in range(schools):
        folder = out / f"school-{i:02d}"
        shutil.copytree(ROOT / "examples" / EXAMPLES[i % len(EXAMPLES)], folder)
        handles = {
            h
            for account in (folder / "accounts").glob("*.yaml")
            for h in _HANDLE.findall(account.read_text("utf-8"))
        }
        for path in folder.rglob("*.yaml"):
            text = path.read_text("utf-8")
            for handle in handles:
                text = re.sub(rf"{re.escape(handle)}\b", f"{handle}{i:02d}", text)
            if path.name == "school.yaml":
                text = re.sub(
                    r"^(  name: )(.*)$", rf"\g<1>\g<2> {i:02d}", text, count=1, flags=re.M
                )
            path.write_text(text, "utf-8")
    return out
