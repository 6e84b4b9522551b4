"""The headteacher's report as a PDF: the HTML report, printed by headless Chromium.

Chromium lays out the page exactly as the browser tests see it, with the report's own
print stylesheet (A4, no findings cut across pages). No Python PDF library comes close
without a dependency; a browser is usually installed already, or one apt-get away.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from safesocial.errors import SafesocialError, UsageError
from safesocial.packs.rules import Rule
from safesocial.reporters.base import Options, Reporter
from safesocial.reporters.html import HtmlReporter
from safesocial.running.results import RunResult

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ENV_BROWSER = "SAFESOCIAL_CHROMIUM"
TIMEOUT_SECONDS = 120

# Headless and quiet: no sandbox (CI containers run as root), no GPU, and none of the
# background traffic (updates, sync, safe-browsing lists) a browser starts by itself.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
)


def find_browser(env: Mapping[str, str] | None = None) -> str | None:
    """$SAFESOCIAL_CHROMIUM if set, else the first Chromium or Chrome on PATH."""
    env = os.environ if env is None else env
    chosen = env.get(ENV_BROWSER)
    if chosen:
        return shutil.which(chosen, path=env.get("PATH"))
    for name in BROWSERS:
        found = shutil.which(name, path=env.get("PATH"))
        if found:
            return found
    return None


def missing(env: Mapping[str, str]) -> UsageError:
    chosen = env.get(ENV_BROWSER)
    if chosen:
        return UsageError(
            f"--output pdf: {ENV_BROWSER}={chosen!r} is not a program that can be run; "
            "point it at Chromium or Google Chrome"
        )
    return UsageError(
        "--output pdf needs Chromium or Google Chrome to print the report, and none was "
        "found (looked for " + ", ".join(BROWSERS) + f" on PATH, and ${ENV_BROWSER}). "
        "Install one (Debian/Ubuntu: apt-get install chromium), or write the HTML report "
        "with --output html:report.html and print it from any browser"
    )


def print_to_pdf(page: str, browser: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """`page` (HTML) printed to PDF by `browser`, in a scratch folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="safesocial-pdf-") as tmp:
        folder = Path(tmp)
        source, target = folder / "report.html", folder / "report.pdf"
        source.write_text(page, encoding="utf-8")
        command = [
            browser,
            *FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={target}",
            "--no-pdf-header-footer",
            source.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise SafesocialError(
                f"--output pdf: {browser} did not finish printing within {timeout:.0f} seconds"
            ) from None
        except OSError as exc:
            raise SafesocialError(f"--output pdf: cannot run {browser}: {exc.strerror}") from None
        data = target.read_bytes() if target.is_file() else b""
        if done.returncode != 0 or not data.startswith(b"%PDF"):
            said = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise SafesocialError(
                f"--output pdf: {browser} could not print the report "
                f"(exit {done.returncode}): " + " / ".join(said)
            )
        return data


class PdfReporter(Reporter):
    """The HTML report on paper. Shareable: it never shows names, even with --reveal-names."""

    binary = True

    def render(self, result: RunResult, rules: Mapping[str, Rule]) -> bytes:
        browser = find_browser()
        if browser is None:
            raise missing(os.environ)
        # The CLI already keeps --reveal-names away from every format but HTML; a PDF is
        # made to be sent, so it drops any reveal map it is handed all the same.
        page = HtmlReporter(Options()).render(result, rules)
        return print_to_pdf(page, browser)
