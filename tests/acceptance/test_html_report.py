"""The headteacher's HTML report, without a browser: goldens, escaping, privacy, grouping.

Goldens (tests/golden/<example>.html) pin the whole page of each example. When the
report changes on purpose, regenerate them and look at the diff (and at the page):

    SAFESOCIAL_UPDATE_GOLDEN=1 python -m pytest tests/acceptance/test_html_report.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from safesocial import __version__
from safesocial.findings import Category, Finding, Location, Related, Severity, Waiver
from safesocial.packs import cases
from safesocial.packs.rules import Source
from safesocial.reporters import REPORTERS
from safesocial.reporters.base import Options
from safesocial.reporters.html import HtmlReporter
from safesocial.reporters.html_finding import LISTED
from safesocial.reporters.html_style import CONTRAST_PAIRS, page_margin
from safesocial.reporters.reveal import Reveal
from safesocial.running.results import RunResult, SchoolResult
from safesocial.settings import Settings
from tests import goldens
from tests.conftest import AS_OF, EXAMPLES, ROOT

GOLDEN = goldens.GOLDEN
NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "school.yaml").is_file())
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">"\'&'
BANNER = "This report shows names and handles: keep it on this computer; do not share it"
VOID = {"meta", "br", "img", "input", "link", "hr", "path", "circle", "rect"}


@pytest.fixture(autouse=True)
def _from_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def html_report(run_cli, tmp_path: Path, *args: str, name: str = "report.html") -> str:
    out = tmp_path / name
    ran = run_cli("check", *args, "--as-of", AS_OF, "-o", f"html:{out}")
    assert ran.code in (0, 1, 2), ran.err
    return out.read_text("utf-8")


class Page(HTMLParser):
    """Every element with its attributes, the text, and whether tags nest properly."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append(f"never closed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.elements
            if t == tag and all(k in a and v in a[k].split() for k, v in attrs.items())
        ]


def assert_safe(page: str) -> Page:
    """No script, no event handler, no resource loaded from anywhere, strict CSP."""
    parsed = Page(page)
    assert parsed.problems == []
    assert "<script" not in page.lower()
    assert "javascript:" not in page.lower()
    for tag, attrs in parsed.elements:
        assert tag not in {"script", "iframe", "object", "embed", "link", "img", "base", "form"}
        handlers = [k for k in attrs if k.startswith("on")]
        assert handlers == [], f"<{tag}> has event handlers {handlers}"
        for key in ("src", "srcset", "action", "formaction", "poster", "data", "background"):
            assert key not in attrs, f"<{tag} {key}=...> would load something"
        if "href" in attrs and tag == "a":
            href = attrs["href"]
            assert href.startswith(("#", "https://", "http://")), href
            if not href.startswith("#"):
                assert "noreferrer" in attrs.get("rel", "").split()
        elif "href" in attrs:
            pytest.fail(f"<{tag} href> outside a link")
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style and "url(" not in style.group(1) and "@import" not in style.group(1)
    csp = parsed.all("meta", **{"http-equiv": "Content-Security-Policy"})
    assert len(csp) == 1
    policy = csp[0]["content"]
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert policy.startswith("default-src 'none'; ")
    assert f"style-src 'sha256-{digest}';" in policy
    assert "unsafe" not in policy and "script-src" not in policy
    return parsed


def comparable(page: str) -> str:
    # The version changes with every release without changing what the page says.
    return page.replace(f"safesocial {__version__}", "safesocial VERSION")


# --- goldens and the shape of every example's page ---------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_example_matches_golden(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, page = goldens.render(name, "html", capsys)
    goldens.compare(name, "html", page, comparable)
    assert code == (0 if name in goldens.CLEAN else 1)


@pytest.mark.parametrize("name", NAMES)
def test_example_page_is_safe_and_whole(name: str, run_cli, tmp_path: Path) -> None:
    page = html_report(run_cli, tmp_path, f"examples/{name}")
    parsed = assert_safe(page)
    report = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
    school = report["schools"][0]
    # One section per account, each with a status in words beside its icon.
    accounts = parsed.all("section", **{"class": "area-account"})
    assert len(accounts) == len(school["accounts"])
    assert len(parsed.all("section", **{"class": "area-school"})) == 1
    assert parsed.all("html")[0]["lang"] == "en-GB"
    # Every link inside the page lands somewhere, and no id is used twice.
    ids = [a["id"] for _, a in parsed.elements if "id" in a]
    assert len(ids) == len(set(ids))
    targets = {a["href"][1:] for a in parsed.all("a") if a["href"].startswith("#")}
    assert targets <= set(ids)
    for th in parsed.all("th"):
        assert th.get("scope") in ("col", "row")
    text = " ".join(parsed.text)
    assert "As of 21 November 2026" in text
    for path in school["files"]:
        assert path.removeprefix(school["root"] + "/") in text
    # Every finding is there: the rule behind each one is named.
    for finding in school["findings"]:
        assert f"Rule {finding['rule_id']} ({finding['rule_name']})" in text


def test_verdicts_say_what_a_headteacher_needs_to_know(run_cli, tmp_path: Path) -> None:
    verdicts = {}
    for name in NAMES:
        found = re.search(
            r'<h2 id="verdict">(.*?)</h2>', html_report(run_cli, tmp_path, f"examples/{name}")
        )
        verdicts[name] = found.group(1) if found else None
    assert verdicts == {
        "clean-primary": "Everything we checked matches your policy",
        # Its PE account breaks the policy's own min_admins and senior_full_access: drift.
        "department-accounts": "1 of your 3 accounts does not do what your policy says",
        "drift-primary": "Your account does not do what your policy says",
        "followback-secondary": "Your account does not do what your policy says",
        # The Year 4 WhatsApp group, YouTube and Tapestry each break a declared line.
        "channels-primary": "3 of your 6 accounts do not do what your policy says",
    }


def test_drift_shows_the_policy_beside_the_account(run_cli, tmp_path: Path) -> None:
    page = html_report(run_cli, tmp_path, "examples/drift-primary")
    compare = re.search(r'<div class="compare">(.*?)</div></div>', page, re.S)
    assert compare
    block = compare.group(1)
    assert "Your policy says" in block and "the account is protected: only followers" in block
    # Plain words: never the setting's key and value (docs/reading-the-report.md).
    assert "visibility" not in block and "protected: false" not in block
    assert "What the account does" in block and "The account is public: anyone" in block
    assert "In the file: policy.yaml, line 8" in block
    assert "In the file: accounts/twitter.yaml, line 21" in block
    # Why it matters, what to do, who fixes it and the guidance come with every finding.
    for term in ("Why it matters", "What to do", "Who fixes it", "Guidance"):
        assert page.count(f"<dt>{term}</dt>") == 5


def test_a_fleet_lists_schools_worst_first_with_links(run_cli, tmp_path: Path) -> None:
    page = html_report(run_cli, tmp_path, "examples")
    parsed = assert_safe(page)
    table = re.search(r"<caption>Your schools, most urgent first</caption>(.*?)</table>", page)
    assert table
    # Schools that need action link to their section; one with nothing to do has none.
    rows = re.findall(r'<th scope="row"><a href="#(s\d)">([^<]+)</a>', table.group(1))
    assert [name for _, name in rows] == [
        "Castle Mead Academy",
        "Fernside Primary School",
        "Ashcombe Church of England Primary School",
        "Kingsford Park School",
    ]
    assert '<th scope="row">Hollybrook Primary School</th>' in table.group(1)
    sections = [a["id"] for a in parsed.all("section", **{"class": "school"})]
    assert sections == [anchor for anchor, _ in rows]
    # A trust's summary: each school's most urgent items, not every account's detail.
    assert len(parsed.all("section", **{"class": "area-account"})) == 0
    assert page.count('<ol class="urgent">') == 4
    assert "6 of the 13 accounts across your 5 schools do not do what their school" in page


# --- privacy: handles and names only with --reveal-names, and only in HTML ----------------


def _private_values(folder: Path) -> set[str]:
    """The handles of everyone else's accounts, as the example's account files hold them
    (the school's own accounts are named in the report: they are what it is about)."""
    found: set[str] = set()
    docs = [yaml.safe_load(p.read_text("utf-8")) for p in sorted(folder.glob("accounts/*.yaml"))]
    own = {doc["handle"] for doc in docs}
    for doc in docs:
        for key in ("followers", "following", "outgoing_requests"):
            found.update(e["handle"] for e in doc.get(key) or () if e.get("handle"))
        found.update(t["counterpart"] for t in doc.get("dm_threads") or () if t.get("counterpart"))
    return found - own


@pytest.mark.parametrize("name", NAMES)
def test_without_reveal_no_handle_or_name_appears(name: str, run_cli, tmp_path: Path) -> None:
    page = html_report(run_cli, tmp_path, f"examples/{name}")
    private = _private_values(EXAMPLES / name)
    assert private, f"{name}: expected handles in the example's files"
    leaked = sorted(v for v in private if v in page or v.lstrip("@") in page)
    assert leaked == []
    assert BANNER not in page and 'class="revealed"' not in page


def test_reveal_shows_handles_in_the_html_only(run_cli, tmp_path: Path) -> None:
    page_file, json_file = tmp_path / "local.html", tmp_path / "shared.json"
    ran = run_cli(
        "check", "examples/drift-primary", "--as-of", AS_OF, "--reveal-names",
        "-o", f"html:{page_file}", "-o", f"json:{json_file}",
    )  # fmt: skip
    assert ran.code == 1, ran.err
    page = page_file.read_text("utf-8")
    assert_safe(page)
    assert BANNER in page
    assert '<span class="revealed" title="Name or handle">@bev_knows_best</span>' in page
    assert "@bev_knows_best" not in json_file.read_text("utf-8")
    assert "keep it on this computer and do not share it" in page.lower()


def test_reveal_is_refused_without_an_html_file(run_cli) -> None:
    ran = run_cli("check", "examples/drift-primary", "--reveal-names", "-o", "markdown")
    assert ran.code == 2 and "only for a local HTML report" in ran.err


# --- hostile input -------------------------------------------------------------------------


def _hostile_result(builtin_rules) -> tuple[RunResult, dict[str, Any]]:
    root = f"schools/{HOSTILE}"
    loc = Location(f"{root}/accounts/{HOSTILE}.yaml", 3, 1)
    finding = Finding(
        rule_id="SS101",
        severity=Severity.ERROR,
        category=Category.DRIFT,
        message=f"{HOSTILE} is not protected \u202eevil\u202c",
        target=f"x:@{HOSTILE}",
        subject=f"follower {HOSTILE}",
        location=loc,
        related=(Related(Location(f"{root}/policy.yaml", 8, 5), f"policy {HOSTILE}"),),
        school=root,
    )
    staff = replace(finding, target=f"staff:{HOSTILE}", category=Category.GUIDANCE)
    school_wide = replace(finding, target="school", rule_id="SS999")
    broken = replace(finding, rule_id="IN001", category=Category.INPUT, target="input")
    school = SchoolResult(
        root=root,
        name=f"Academy {HOSTILE}",
        files=(f"{root}/{HOSTILE}.yaml",),
        targets=(f"x:@{HOSTILE}",),
        findings=(broken, finding, staff, school_wide),
    )
    rule = next(r for r in builtin_rules if r.id == "SS101")
    rule = replace(
        rule,
        title=f"Title {HOSTILE}",
        rationale=f"Why {HOSTILE} `code {HOSTILE}`",
        remediation=f"Do {HOSTILE}\n\nthen `{HOSTILE}`",
        owner=f"owner {HOSTILE}",
        name=f"name-{HOSTILE}",
        sources=(
            Source("X1", f"Source {HOSTILE}", "javascript:alert(3)"),
            Source("X2", "A real page", 'https://example.org/a"b<c>'),
            Source("X3", "Local file", "file:///etc/passwd"),
        ),
    )
    settings = Settings(as_of=date(2026, 11, 21))
    return RunResult(schools=(school,), settings=settings, rule_count=1), {"SS101": rule}


@pytest.mark.parametrize("reveal", [False, True])
def test_hostile_strings_are_escaped_everywhere(builtin_rules, reveal: bool) -> None:
    result, rules = _hostile_result(builtin_rules)
    shown = Reveal({(result.schools[0].findings[1].location.path, 3): HOSTILE}, {})  # type: ignore[union-attr]
    options = Options(reveal=shown if reveal else None)
    page = HtmlReporter(options).render(result, rules)
    parsed = assert_safe(page)
    # The text survives, escaped: a reader sees exactly what the files say.
    text = "".join(parsed.text)
    assert "<script>alert(1)</script>" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Direction overrides cannot reorder what a reader sees.
    assert "\u202e" not in page and "\\u202e" in page
    # Only the web link became a link (the parser gives attribute values unescaped).
    links = {a["href"] for a in parsed.all("a") if not a["href"].startswith("#")}
    assert links == {'https://example.org/a"b<c>'}
    assert "Source &lt;script&gt;" in page and "Local file" in page
    assert (BANNER in page) is reveal
    assert "Problems reading your files" in page and "Staff accounts" in page


def test_hostile_handles_in_real_files_are_escaped(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "school"
    cases.materialise(
        {
            "accounts/main.yaml": {
                "protected": False,
                "followers": [{"handle": f"@{HOSTILE}", "category": "unknown"}],
            },
            "school.yaml": {"school": {"name": f"Hostile {HOSTILE}"}},
        },
        folder,
    )
    page = html_report(run_cli, tmp_path, str(folder), "--reveal-names")
    parsed = assert_safe(page)
    assert f"@{HOSTILE}" in "".join(parsed.text)  # revealed, as text
    assert BANNER in page


# --- grouping ------------------------------------------------------------------------------


def test_many_findings_of_one_rule_are_one_item(run_cli, tmp_path: Path) -> None:
    followers = [{"handle": f"@stranger{i}", "category": "parent"} for i in range(40)]
    folder = tmp_path / "school"
    cases.materialise({"accounts/main.yaml": {"followers": followers}}, folder)
    page = html_report(run_cli, tmp_path, str(folder))
    assert_safe(page)
    items = re.findall(r'<article class="finding[^"]*"[^>]*>.*?</article>', page, re.S)
    ss221 = [i for i in items if "Rule SS221 " in i]
    assert len(ss221) == 1
    item = ss221[0]
    assert '<span class="pill">40 followers</span>' in item
    listed = re.search(r'<ul class="instances">(.*?)</ul>', item, re.S)
    assert listed
    assert listed.group(1).count("<li>") == LISTED
    assert f"and {40 - LISTED} more" in item
    assert "Follower #1 (parent): no record of approval through the request form" in item
    assert "Follower #6 " not in item
    assert "@stranger" not in page


# --- the look: contrast, print footer, the registry ----------------------------------------


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize(("fg", "bg"), CONTRAST_PAIRS)
def test_text_colours_meet_wcag_aa(fg: str, bg: str) -> None:
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5, f"{fg} on {bg}"


def test_the_print_footer_refuses_text_that_could_break_out_of_css() -> None:
    assert "as of 21 November 2026" in page_margin("bottom-left", "as of 21 November 2026")
    with pytest.raises(ValueError):
        page_margin("bottom-left", 'x"; } body { display: none')


def test_html_and_pdf_are_registered() -> None:
    assert REPORTERS["html"] is HtmlReporter
    assert not REPORTERS["html"].binary and REPORTERS["pdf"].binary
    # --reveal-names reaches the HTML report only; the PDF is shared as it is printed.
    assert REPORTERS["html"].may_name_pupils and not REPORTERS["pdf"].may_name_pupils


def test_waived_findings_are_listed_apart_and_not_counted(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "school"
    waiver = {
        "rule": "SS221",
        "target": "x:@BasePrimary",
        "follower": "@Grandma_Jo",
        "reason": f"Form lost {HOSTILE}",
        "approved_by": "S001",
        "approved_on": "2026-11-01",
        "expires_on": "2027-01-31",
    }
    followers = [
        {"handle": "@grandma_jo", "category": "parent"},
        {"handle": "@aunt_bea", "category": "parent"},
    ]
    cases.materialise(
        {"accounts/main.yaml": {"followers": followers}, "waivers.yaml": {"waivers": [waiver]}},
        folder,
    )
    page = html_report(run_cli, tmp_path, str(folder))
    parsed = assert_safe(page)
    sections = re.findall(r'<section class="area area-(\w+)".*?</section>', page, re.S)
    assert sections == ["account", "school", "waived"]
    account = re.search(r'<section class="area area-account".*?</section>', page, re.S)
    waived = re.search(r'<section class="area area-waived".*?</section>', page, re.S)
    assert account and waived
    # The open finding counts; the waived one is apart, with its reason, approver and end.
    assert "Follower #2 (parent)" in account.group() and "Follower #1" not in account.group()
    assert "Follower #1 (parent)" in waived.group() and "Follower #2" not in waived.group()
    text = " ".join(parsed.text)
    assert f"Form lost {HOSTILE}" in text
    assert "S001 on 1 November 2026" in text
    assert "31 January 2027; after that it is “Must fix” again" in text
    assert "In the file: waivers.yaml, line 2" in text
    tiles = re.findall(r'<span class="count-number">(\d+)</span>.*?</svg> ([^<]+)</span>', page)
    assert tiles == [
        ("1", "Must fix"),
        ("0", "Should fix"),
        ("0", "For information"),
        ("1", "Waived"),
    ]
    assert "accepted 1 thing for now (waived)" in page
    assert "@grandma_jo" not in page.lower()


def test_the_guide_shows_the_screenshot() -> None:
    guide = (ROOT / "docs" / "reading-the-report.md").read_text("utf-8")
    shown = re.findall(r"\]\((images/[^)]+\.png)\)", guide)
    # A school, a trust's summary and one school's page in it, at desktop and phone
    # widths, and the action plan (tests/acceptance/test_browser.py makes them).
    for name in ("school-1280", "school-390", "trust-index-1280", "trust-index-390",
                 "trust-school-1280", "plan"):  # fmt: skip
        assert f"images/report-{name}.png" in shown, name
    for image in shown:
        assert (ROOT / "docs" / image).read_bytes().startswith(b"\x89PNG"), image
    assert "docs/reading-the-report.md" in (ROOT / "README.md").read_text("utf-8")


def test_when_everything_open_is_waived_the_verdict_says_so(builtin_rules) -> None:
    waiver = Waiver("Booked", "S001", date(2026, 11, 1), date(2027, 1, 31), Location("w", 2, 3))
    finding = Finding(
        "SS101", Severity.ERROR, Category.DRIFT, "m", "x:@a", waiver=waiver, school="s"
    )
    school = SchoolResult("s", "A school", (), ("x:@a",), (finding,))
    result = RunResult((school,), Settings(as_of=date(2026, 11, 21)), 1)
    page = HtmlReporter().render(result, {r.id: r for r in builtin_rules})
    assert '<h2 id="verdict">Nothing needs putting right now</h2>' in page
    assert 'class="verdict tone-ok"' in page
    assert "Nothing open on this account; 1 finding waived for now" in page
