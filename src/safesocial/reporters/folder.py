"""A trust's reports as a folder (`--output html-dir:FOLDER`, `pdf-dir:FOLDER`): the
trust's summary as index.html (index.pdf), and one report per school beside it.

The folder is made whole in a scratch folder beside it and then renamed into place, so a
crash or a kill leaves the old folder or the new one, never half of each. An old folder
is moved aside first and removed once the new one is in place.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from safesocial.atomic import write_atomic
from safesocial.errors import UsageError
from safesocial.packs.rules import Rule
from safesocial.reporters import pdf
from safesocial.reporters.base import Options, Reporter
from safesocial.reporters.html import HtmlReporter
from safesocial.running.results import RunResult

# Each folder format and the reporter whose pages it holds.
PAGES: dict[str, type[Reporter]] = {"html-dir": HtmlReporter, "pdf-dir": pdf.PdfReporter}
FORMATS = tuple(PAGES)
INDEX = "index"


def file_names(result: RunResult, ext: str) -> dict[str, str]:
    """Each school's root -> its report's file name: numbered in folder order and named
    by its folder, so that two schools never share a name."""
    names = {}
    for number, school in enumerate(result.schools, 1):
        stem = re.sub(r"[^a-z0-9]+", "-", Path(school.root).name.lower()).strip("-") or "school"
        names[school.root] = f"{number:03d}-{stem}.{ext}"
    return names


def _pages(
    result: RunResult, rules: Mapping[str, Rule], options: Options, ext: str
) -> dict[str, str]:
    """File name -> HTML page: one per school, and the summary linking to them."""
    names = file_names(result, ext)
    pages = {}
    own = replace(options, up=f"{INDEX}.{ext}")
    for school in result.schools:
        one = replace(result, schools=(school,))
        pages[names[school.root]] = HtmlReporter(own).render(one, rules)
    linked = replace(options, links=tuple(names.items()))
    pages[f"{INDEX}.{ext}"] = HtmlReporter(linked).render(result, rules)
    return pages


def write(
    fmt: str, folder: Path, result: RunResult, rules: Mapping[str, Rule], options: Options
) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--output {fmt}:{folder}: {folder} is a file, not a folder")
    parent = folder.parent if str(folder.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"--output {fmt}:{folder}: the folder {parent} does not exist")
    browser = None
    if fmt == "pdf-dir":
        browser = pdf.find_browser()
        if browser is None:
            raise pdf.missing(os.environ)
        # A PDF is made to be sent: never with names, whatever the options say.
        options = Options()
    ext = "pdf" if fmt == "pdf-dir" else "html"
    pages = _pages(result, rules, options, ext)
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        for name, page in pages.items():
            data = pdf.print_to_pdf(page, browser) if browser else page
            write_atomic(scratch / name, data)
        os.chmod(scratch, 0o755)
        _swap(scratch, folder)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def _swap(new: Path, folder: Path) -> None:
    """Put `new` where `folder` is, in two renames; the old folder is removed after."""
    if not folder.exists():
        os.replace(new, folder)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
    os.rmdir(old)
    os.replace(folder, old)
    try:
        os.replace(new, folder)
    except OSError:
        os.replace(old, folder)  # put the old one back: never no folder at all
        raise
    with contextlib.suppress(OSError):
        shutil.rmtree(old)
