"""Outside text made safe for the HTML report, and places in files said in words; shared
by html.py and html_coverage.py."""

from __future__ import annotations

import html

from safesocial.findings import Location
from safesocial.reporters.base import visible


def esc(text: str) -> str:
    """Escape for HTML text or a quoted attribute, showing hidden control characters."""
    return html.escape(visible(text), quote=True)


def relative(path: str, root: str) -> str:
    prefix = root.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else path


def where_line(loc: Location | None, root: str) -> str:
    """'In the file: accounts/twitter.yaml, line 21': relative to the school, as whoever
    keeps its files knows it."""
    if loc is None:
        return ""
    return f"In the file: {esc(relative(loc.path, root))}, line {loc.line}"
