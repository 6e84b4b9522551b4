"""The HTML report in a real browser (headless Chromium), and the PDF printed from it.

Playwright drives the system's Chromium (Debian's `chromium`, which .ci/run installs);
it never downloads a browser of its own. Without Chromium these tests skip locally,
and fail in CI (where CI is set), so the browser check can never be lost quietly.

Screenshots go to pytest's temporary folder. With SAFESOCIAL_UPDATE_GOLDEN=1 the one of
drift-primary also replaces docs/images/report-drift-primary.png, which
docs/reading-the-report.md shows; look at it before committing it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from safesocial.reporters import pdf
from tests.conftest import AS_OF, ROOT

GOLDEN = ROOT / "tests" / "golden"
SCREENSHOT = ROOT / "docs" / "images" / "report-drift-primary.png"
UPDATE = os.environ.get("SAFESOCIAL_UPDATE_GOLDEN") == "1"
NAMES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "school.yaml").is_file())
VERDICTS = {
    "clean-primary": "Everything we checked matches your policy",
    "department-accounts": "1 of your 3 accounts does not do what your policy says",
    "drift-primary": "Your account does not do what your policy says",
    "followback-secondary": "Your account does not do what your policy says",
    "channels-primary": "3 of your 6 accounts do not do what your policy says",
}


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what}, and CI must run the browser tests (.ci/run installs it)")
    pytest.skip(what)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    found = pdf.find_browser()
    if found is None:
        _missing("no Chromium found (apt-get install chromium, or set SAFESOCIAL_CHROMIUM)")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[test]')")
    flags = [f for f in pdf.FLAGS if f != "--headless"]  # Playwright adds its own
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium_path, args=flags)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def _from_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _report(run_cli, folder: Path, name: str) -> Path:
    out = folder / f"{name}.html"
    ran = run_cli("check", f"examples/{name}", "--as-of", AS_OF, "-o", f"html:{out}")
    assert ran.code in (0, 1), ran.err
    return out


class Visit:
    """A page opened from disk, with everything it asked the network and the console."""

    def __init__(self, browser: Any, path: Path, width: int = 1100) -> None:
        self.url = path.as_uri()
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.requests: list[str] = []
        self.console: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.goto(self.url, wait_until="load")

    def close(self) -> None:
        self.page.close()


@pytest.mark.parametrize("name", NAMES)
def test_report_renders_in_chromium(name: str, browser: Any, run_cli, tmp_path: Path) -> None:
    visit = Visit(browser, _report(run_cli, tmp_path, name))
    page = visit.page
    try:
        assert page.locator("h2#verdict").inner_text() == VERDICTS[name]
        accounts = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))["schools"][0]
        sections = page.locator("section.area-account")
        assert sections.count() == len(accounts["accounts"])
        headings = page.locator("section.area-account .area-head h2").all_inner_texts()
        shown = [h.split(" on ", 1)[0] for h in headings]
        handles = [t.split(":", 1)[1] for t in accounts["accounts"]]
        # A profile is headed by its handle; a channel by plain words holding its name
        # ("Your Facebook Page @Oak", "The Year 4 WhatsApp group").
        assert len(shown) == len(handles)
        assert all(any(h == s or h.lstrip("@") in s for s in shown) for h in handles)
        # Each section says its status in words, not only in colour.
        for i in range(sections.count()):
            badge = sections.nth(i).locator(".area-head .badge").inner_text()
            assert badge in (
                "Action needed",
                "Needs attention",
                "For information",
                "No problems found",
            )
        # The stylesheet was allowed by the page's CSP (a blocked one would leave the
        # verdict without its border, and log a console error).
        border = page.evaluate(
            "getComputedStyle(document.querySelector('.verdict')).borderTopWidth"
        )
        assert border == "2px"
        assert visit.console == []
        assert visit.requests == [visit.url]
        shot = tmp_path / f"report-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(b"\x89PNG")
        if name == "drift-primary" and (UPDATE or not SCREENSHOT.is_file()):
            # The docs show the top of the page: verdict, counts and the first findings.
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            top = {"x": 0, "y": 0, "width": 1100, "height": 1900}
            page.screenshot(path=str(SCREENSHOT), clip=top, full_page=True)
    finally:
        visit.close()


@pytest.mark.parametrize("name", ["drift-primary", "department-accounts"])
def test_report_fits_a_phone_screen(name: str, browser: Any, run_cli, tmp_path: Path) -> None:
    visit = Visit(browser, _report(run_cli, tmp_path, name), width=390)
    try:
        width = visit.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the page scrolls sideways on a phone"
    finally:
        visit.close()


def test_a_report_with_gaps_fits_a_phone_screen(browser: Any, tmp_path: Path) -> None:
    from safesocial.reporters.html import HtmlReporter
    from tests import coverage_cases as cc

    out = tmp_path / "gaps.html"
    out.write_text(HtmlReporter().render(cc.run(cc.school(findings=(cc.finding(),))), {}))
    visit = Visit(browser, out, width=390)
    try:
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= 390
        assert visit.page.locator("section.area-gaps article").count() == 3
        assert visit.console == []
    finally:
        visit.close()


def test_keyboard_focus_is_visible(browser: Any, run_cli, tmp_path: Path) -> None:
    visit = Visit(browser, _report(run_cli, tmp_path, "drift-primary"))
    page = visit.page
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        assert focused == "Skip to the details"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        box = page.evaluate("document.activeElement.getBoundingClientRect().left")
        assert outline == "solid" and box >= 0
        page.keyboard.press("Enter")
        # Following an in-page link updates the URL asynchronously; on a busy machine the
        # next line can run first, so wait for it (a generous bound, not a timing test).
        page.wait_for_url("**#details", timeout=15_000)
        assert page.url.endswith("#details")
    finally:
        visit.close()


def test_the_fleet_table_links_to_each_school_that_needs_action(
    browser: Any, run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "fleet.html"
    assert run_cli("check", "examples", "--as-of", AS_OF, "-o", f"html:{out}").code == 1
    visit = Visit(browser, out)
    page = visit.page
    try:
        links = page.locator("table a")
        assert links.count() == 4  # one school has nothing to do: no section
        first = links.nth(0)
        assert first.inner_text() == "Castle Mead Academy"
        first.click()
        anchor = page.url.rsplit("#", 1)[1]
        assert page.locator(f"section#{anchor} h3").first.inner_text() == "Castle Mead Academy"
        assert visit.console == [] and visit.requests == [visit.url]
    finally:
        visit.close()


# --- a trust of 50 schools, and one school's page, at desktop and phone widths ------------


@pytest.fixture(scope="session")
def trust_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """html-dir of a 50-school trust (tests/trust.py): index.html and a page per school."""
    from safesocial.cli import main
    from tests import trust

    base = tmp_path_factory.mktemp("trust")
    fleet = trust.make(base / "schools", schools=50)
    out = base / "pages"
    assert main(["check", str(fleet), "--as-of", AS_OF, "-o", f"html-dir:{out}"]) == 1
    return out


PAGES = {
    "school": "examples/drift-primary",
    "trust-index": "index.html",
    "trust-school": "004-school-03.html",
}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("kind", list(PAGES))
def test_each_report_reads_at_desktop_and_phone_widths(
    kind: str, width: int, browser: Any, run_cli, tmp_path: Path, trust_pages: Path
) -> None:
    if kind == "school":
        path = _report(run_cli, tmp_path, "drift-primary")
    else:
        path = trust_pages / PAGES[kind]
    visit = Visit(browser, path, width=width)
    page = visit.page
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # The at-a-glance table (the schools table, for a trust) needs no sideways
        # scrolling of its own either: it fits its box.
        fits = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')].every("
            "w => w.scrollWidth <= w.clientWidth)"
        )
        assert fits, "a table scrolls sideways"
        if kind == "trust-index":
            assert page.locator(".table-wrap tbody tr").count() == 50
            assert page.locator("section.school").count() > 0
            # Each school that needs action links to its own page, which is there.
            href = page.locator("section.school a").first.get_attribute("href")
            assert href and (trust_pages / href).is_file()
        else:
            assert page.locator("#plan").count() == 1
            assert page.locator(".sign-off .sign-line").count() == 4
        assert visit.console == [] and visit.requests == [visit.url]
        shot = tmp_path / f"{kind}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(b"\x89PNG")
        docs = ROOT / "docs" / "images" / f"report-{kind}-{width}.png"
        if UPDATE or not docs.is_file():
            # The docs show the top of each page: what a reader sees first.
            clip = {"x": 0, "y": 0, "width": width, "height": 1600 if width > 400 else 1400}
            page.screenshot(path=str(docs), clip=clip, full_page=True)
        plan = ROOT / "docs" / "images" / "report-plan.png"
        if kind == "school" and width == 1280 and (UPDATE or not plan.is_file()):
            top = page.evaluate("document.querySelector('#plan').getBoundingClientRect().top")
            clip = {
                "x": 0,
                "y": top + page.evaluate("scrollY") - 30,
                "width": width,
                "height": 1300,
            }
            page.screenshot(path=str(plan), clip=clip, full_page=True)
    finally:
        visit.close()


def test_a_trusts_pdf_is_a_summary_not_every_schools_detail(
    chromium_path: str, tmp_path: Path, trust_pages: Path
) -> None:
    index = trust_pages / "index.html"
    out = tmp_path / "trust.pdf"
    out.write_bytes(pdf.print_to_pdf(index.read_text("utf-8"), chromium_path))
    info = subprocess.run(
        [_poppler("pdfinfo"), str(out)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(dict(line.split(":", 1) for line in info.splitlines() if ":" in line)["Pages"])
    # 50 schools once made 960 pages; the summary is a board paper.
    assert pages <= 25, pages


def test_pdf_dir_writes_a_pdf_per_school_and_the_summary(
    chromium_path: str, run_cli, tmp_path: Path
) -> None:
    from tests import trust

    fleet = trust.make(tmp_path / "trust", schools=2)
    out = tmp_path / "pdfs"
    ran = run_cli("check", str(fleet), "--as-of", AS_OF, "-o", f"pdf-dir:{out}")
    assert ran.code == 1, ran.err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["001-school-00.pdf", "002-school-01.pdf", "index.pdf"]
    assert all((out / n).read_bytes().startswith(b"%PDF-") for n in names)


# --- PDF -----------------------------------------------------------------------------------


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        _missing(f"{tool} (poppler-utils) is not installed")
    assert found is not None
    return found


def test_pdf_is_an_a4_document(chromium_path: str, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    ran = run_cli("check", "examples/drift-primary", "--as-of", AS_OF, "-o", f"pdf:{out}")
    assert ran.code == 1, ran.err
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    info = subprocess.run(
        [_poppler("pdfinfo"), str(out)], capture_output=True, text=True, check=True
    ).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert int(fields["Pages"]) >= 2
    assert "(A4)" in fields["Page size"]
    text = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Your account does not do what your policy says" in text
    assert "Page 1 of" in text  # the print stylesheet's page footer
    # The printed page, as a reader sees it (kept with the test's files for a look).
    subprocess.run(
        [
            _poppler("pdftoppm"),
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(out),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and pages[0].read_bytes().startswith(b"\x89PNG")


def test_pdf_never_shows_names_even_with_reveal(
    chromium_path: str, run_cli, tmp_path: Path
) -> None:
    local, shared = tmp_path / "local.html", tmp_path / "shared.pdf"
    ran = run_cli(
        "check", "examples/drift-primary", "--as-of", AS_OF, "--reveal-names",
        "-o", f"html:{local}", "-o", f"pdf:{shared}",
    )  # fmt: skip
    assert ran.code == 1, ran.err
    assert "@bev_knows_best" in local.read_text("utf-8")
    text = subprocess.run(
        [_poppler("pdftotext"), str(shared), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "@bev_knows_best" not in text and "names and handles" not in text


# --- PDF without a browser: no Chromium needed for these --------------------------------


def test_pdf_without_a_browser_says_what_to_install(run_cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(pdf.ENV_BROWSER, raising=False)
    out = tmp_path / "report.pdf"
    ran = run_cli("check", "examples/drift-primary", "--as-of", AS_OF, "-o", f"pdf:{out}")
    assert ran.code == 2
    assert "apt-get install chromium" in ran.err
    assert "--output html:report.html" in ran.err
    assert not out.exists()


def test_pdf_with_a_wrong_browser_setting_says_so(run_cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(pdf.ENV_BROWSER, str(tmp_path / "no-such-browser"))
    ran = run_cli("check", "examples/drift-primary", "-o", f"pdf:{tmp_path / 'r.pdf'}")
    assert ran.code == 2 and pdf.ENV_BROWSER in ran.err


def test_pdf_needs_a_file(run_cli) -> None:
    ran = run_cli("check", "examples/drift-primary", "-o", "pdf")
    assert ran.code == 2 and "pdf:report.pdf" in ran.err


def test_a_browser_that_fails_is_reported(tmp_path: Path) -> None:
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(Exception, match=r"could not print the report.*exit 3.*cannot open display"):
        pdf.print_to_pdf("<p>x</p>", str(fake))


# --- a run that could not check everything ----------------------------------------------


def test_an_input_problem_shows_could_not_check_and_never_all_clear(
    browser: Any, run_cli, tmp_path: Path
) -> None:
    """A copy of the clean example with one broken file: the page says the check is not
    complete, and nowhere that everything is fine."""
    school = tmp_path / "clean-primary"
    shutil.copytree(ROOT / "examples" / "clean-primary", school)
    (school / "pupils.yaml").write_text("pupils: [\n", "utf-8")
    out = tmp_path / "broken.html"
    ran = run_cli("check", str(school), "--as-of", AS_OF, "-o", f"html:{out}")
    assert ran.code == 2, ran.err
    visit = Visit(browser, out)
    page = visit.page
    try:
        verdict = page.locator("h2#verdict").inner_text()
        # The unreadable register leaves the rules that read it unrun: gaps, said too.
        assert verdict == (
            "1 problem reading your files, and 7 things not checked fully: "
            "this check is not complete"
        )
        box = page.locator("section.verdict")
        assert "this report cannot say that all is well" in box.inner_text()
        assert "tone-ok" not in (box.get_attribute("class") or "")
        body = page.locator("body").inner_text()
        for all_clear in (
            VERDICTS["clean-primary"],
            "No problems found",
            "Every check on this account matches",
            "passed every check",
        ):
            assert all_clear not in body
        assert page.locator(".all-clear").count() == 0
        # Every section that found nothing says why that is not an all-clear, visibly.
        notes = page.locator("p.not-checked")
        assert notes.count() >= 1 and all(notes.nth(i).is_visible() for i in range(notes.count()))
        badges = page.locator("section.area-account .area-head .badge").all_inner_texts()
        assert badges and set(badges) == {"Not fully checked"}
        assert visit.console == [] and visit.requests == [visit.url]
        page.screenshot(path=str(tmp_path / "broken.png"), full_page=True)
    finally:
        visit.close()


def test_the_pdf_of_an_incomplete_run_says_so(chromium_path: str, run_cli, tmp_path: Path) -> None:
    school = tmp_path / "clean-primary"
    shutil.copytree(ROOT / "examples" / "clean-primary", school)
    (school / "pupils.yaml").write_text("pupils: [\n", "utf-8")
    out = tmp_path / "broken.pdf"
    ran = run_cli("check", str(school), "--as-of", AS_OF, "-o", f"pdf:{out}")
    assert ran.code == 2, ran.err
    text = subprocess.run(
        [_poppler("pdftotext"), str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert (
        "1 problem reading your files, and 7 things not checked fully: this check is not complete"
        in flat
    )
    assert VERDICTS["clean-primary"] not in flat and "No problems found" not in flat
