"""Reporters by name: the CLI picks them, the engine never knows they exist."""

from __future__ import annotations

from safesocial.reporters.base import Options, Reporter
from safesocial.reporters.github import GithubReporter
from safesocial.reporters.html import HtmlReporter
from safesocial.reporters.json_ import JsonReporter
from safesocial.reporters.junit import JunitReporter
from safesocial.reporters.markdown import MarkdownReporter
from safesocial.reporters.pdf import PdfReporter
from safesocial.reporters.plan import PlanCsvReporter, PlanMarkdownReporter
from safesocial.reporters.sarif import SarifReporter
from safesocial.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "markdown": MarkdownReporter,
    "sarif": SarifReporter,
    "junit": JunitReporter,
    "github": GithubReporter,
    "html": HtmlReporter,
    "pdf": PdfReporter,
    "plan-md": PlanMarkdownReporter,
    "plan-csv": PlanCsvReporter,
}


def make(name: str, options: Options | None = None) -> Reporter:
    """The reporter called `name`; the CLI has already checked that the name exists."""
    return REPORTERS[name](options)
