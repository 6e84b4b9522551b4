"""The Markdown summary: goldens on every example, escaping that leaves no markup from the
input, and the cap on how many findings are listed."""

from __future__ import annotations

import dataclasses
from datetime import date
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from safesocial.findings import Category, Finding, Location, Severity, Waiver
from safesocial.reporters.base import visible
from safesocial.reporters.markdown import LIMIT, MarkdownReporter, escape
from safesocial.running.results import RunResult, SchoolResult
from safesocial.settings import Settings
from tests import goldens
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _from_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# CommonMark plus GitHub's tables, with raw HTML allowed as GitHub allows some: any
# tag that shows up in the rendering came from our Markdown or from an escaping bug.
_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.rows: list[int] = []
        self.cells: list[str] = []
        self.in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th"):
            self.rows[-1] += 1
            self.cells.append("")
            self.in_cell = True

    def handle_endtag(self, tag: str) -> None:
        self.in_cell = self.in_cell and tag not in ("td", "th")

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.cells[-1] += data


def rendered(markdown: str) -> _Tags:
    parser = _Tags()
    parser.feed(_MD.render(markdown))
    return parser


OUR_TAGS = {"h2", "h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td"}


def assert_plain(markdown: str) -> None:
    """Only the tags our own Markdown makes; tables whose rows all have their columns."""
    parsed = rendered(markdown)
    tags = {tag for tag, _ in parsed.tags}
    assert tags <= OUR_TAGS, f"markup from the input: {sorted(tags - OUR_TAGS)}"
    for tag, attrs in parsed.tags:
        assert all(name == "style" for name, _ in attrs), (tag, attrs)
    # Every row of a table has as many cells as its header: nothing broke a row.
    assert all(count in (4, 5, 9) for count in parsed.rows), parsed.rows


@pytest.mark.parametrize("name", goldens.EXAMPLES)
def test_example_matches_golden(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = goldens.render(name, "markdown", capsys)
    goldens.compare(name, "md", out)
    assert code == (0 if name in goldens.CLEAN else 1)
    assert_plain(out)


def test_verdict_comes_first_and_names_the_worst(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = goldens.render("drift-primary", "markdown", capsys)
    assert out.startswith("## ❌ safesocial: 3 errors, 2 warnings")
    _, clean = goldens.render("clean-primary", "markdown", capsys)
    assert clean.startswith("## ✅ safesocial: no findings")
    assert "No findings." in clean


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "![i](http://evil/x.png)",
        "<img src=x onerror=alert(1)>",
        "**bold** _em_ `code` ~~gone~~ $x^2$",
        "| a | b |",
        "line one\nline two\r\n# heading",
        "<http://evil.example/>",
        "http://evil.example/path www.evil.example mailto:a@b.example",
        "&lt;script&gt; &#60;b&#62;",
        "\\[x](y)",
    ],
)
def test_escaped_text_renders_as_itself(hostile: str) -> None:
    cell = f"| a | b | c | {escape(hostile)} |"
    table = f"| w | x | y | z |\n|---|---|---|---|\n{cell}\n"
    parsed = rendered(table)
    assert {tag for tag, _ in parsed.tags} <= OUR_TAGS
    assert parsed.rows == [4, 4]
    html = _MD.render(table)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    # What a reader sees is the text itself: controls shown as escapes, line breaks as
    # spaces, a zero-width space after @ and #.
    expected = visible(hostile).replace("\n", " ").replace("\t", " ")
    expected = expected.replace("@", "@\u200b").replace("#", "#\u200b")
    assert parsed.cells[-1] == expected


def test_escape_leaves_no_raw_angle_brackets_or_line_breaks() -> None:
    text = escape("<script>\n\t::error::x")
    assert "<" not in text and ">" not in text
    assert "\n" not in text and "\t" not in text


def test_escape_shows_control_and_direction_characters() -> None:
    text = escape("a\x1b[31mb\u202ec\x07")
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "u001b" in text and "u202e" in text


def test_mentions_and_issue_references_are_broken() -> None:
    # In a pull-request comment @name notifies a GitHub user and #12 links an issue.
    assert escape("@AshcombeCofE") == "@&#8203;AshcombeCofE"
    assert escape("#12") == "\\#&#8203;12"


def _finding(i: int, target: str = "x:@School") -> Finding:
    return Finding(
        rule_id="SS101",
        severity=Severity.ERROR,
        category=Category.DRIFT,
        message=f"finding {i}",
        target=target,
        location=Location("s/accounts/main.yaml", i + 1, 1),
        school="s",
    )


def _result(findings: list[Finding]) -> RunResult:
    school = SchoolResult("s", "School", ("s/school.yaml",), ("x:@School",), tuple(findings))
    return RunResult((school,), Settings(as_of=date(2026, 11, 21)), 1)


def test_long_reports_are_capped() -> None:
    out = MarkdownReporter().render(_result([_finding(i) for i in range(LIMIT + 7)]), {})
    rows = [line for line in out.splitlines() if line.startswith("| ❌ error")]
    assert len(rows) == LIMIT
    assert "…and 7 more findings not listed here" in out
    assert f"Finding {LIMIT - 1} " in out and f"Finding {LIMIT} " not in out


def test_the_cap_spans_schools() -> None:
    first = SchoolResult("a", "A", (), ("x:@A",), tuple(_finding(i, "x:@A") for i in range(LIMIT)))
    second = SchoolResult("b", "B", (), ("x:@B",), (_finding(1, "x:@B"),))
    result = RunResult((first, second), Settings(as_of=date(2026, 11, 21)), 1)
    out = MarkdownReporter().render(result, {})
    assert "x\\:@&#8203;B" not in out  # its finding is beyond the cap
    assert "| B | b | 1 | 1 |" in out  # but it is counted
    assert "…and 1 more finding not listed here" in out


def test_a_short_report_has_no_more_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = goldens.render("followback-secondary", "markdown", capsys)
    assert "more finding" not in out


def test_waived_findings_are_listed_apart() -> None:
    waiver = Waiver("agreed", "S001", date(2026, 11, 1), date(2026, 12, 31), Location("w", 1, 1))
    findings = [_finding(1), dataclasses.replace(_finding(2), rule_id="SS103", waiver=waiver)]
    out = MarkdownReporter().render(_result(findings), {})
    main, _, waived = out.partition("#### waived")
    assert "SS103" not in main and "SS103" in waived
    assert "| agreed (approved by S001 on 2026-11-01; expires 2026-12-31) |" in waived
    assert "| School | s | 1 | 1 | 0 | 0 | 1 | 0 | 0 |" in out  # counted as waived, not an error
    assert_plain(out)
