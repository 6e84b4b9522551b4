"""The reports for people (HTML, PDF, Markdown, the action plan) read as a headteacher
would: plain words with no file keys or raw values, advice for the account's own
platform, guidance for the school's own country and authority, and nothing about
terminals or the tool itself. Each test here reads the reports as a school gets them.
"""

from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from safesocial.packs import rules as rules_mod
from safesocial.reporters import plain
from tests import trust
from tests.conftest import AS_OF, ROOT

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "school.yaml").is_file())

# A setting as a file writes it: `visibility: protected`, `(protected: false)`,
# `followers.must_be_connected_to_school: true`, and raw values such as "(not set)".
_KEY_VALUE = re.compile(
    r"\b[a-z]+(?:[_.][a-z]+)+: \S+"  # followers.approval: form, dm_from: everyone
    r"|\(\s*[a-z_]+: [\w.]+\s*\)"  # (protected: false)
    r"|\b[a-z_]+: (?:true|false|null)\b"  # protected: false
    r"|\(not set\)"
    # a one-word key with one of the policy's own values: visibility: protected
    r"|\b[a-z]+: (?:protected|public|form|manual|open|nobody|followers|everyone|never|"
    r"allowed|required|optional|recommended|none)\b"
)
_SNAKE = re.compile(r"(?<![@\w/.-])[a-z]+_[a-z_]+\b")  # followed_first, dm_from
_FILE = re.compile(r"\.(ya?ml|csv|json|html|pdf)$")
_DOMAIN = re.compile(r"\.(uk|org|com|net|gov|ca|edu|example)$")
_TERMINAL = ("terminal", "safesocial check", "safesocial import", "started this tool")


def visible_text(page: str) -> str:
    """What a reader of the HTML sees: no stylesheet, no tags, entities decoded."""
    page = re.sub(r"<style>.*?</style>|<title>.*?</title>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def markdown_text(text: str) -> str:
    """Markdown as it reads: escapes and zero-width spaces taken out."""
    return html.unescape(re.sub(r"\\(.)", r"\1", text)).replace("\u200b", "")


def raw_keys(text: str) -> list[str]:
    """Every file key or raw value in `text`, outside file names, addresses and links."""
    found = [m.group() for m in _KEY_VALUE.finditer(text)]
    for token in re.findall(r"[\w.@/:#-]+", text):
        token = token.rstrip(".:,;")
        if "@" in token or "/" in token or _FILE.search(token) or _DOMAIN.search(token):
            continue
        if re.fullmatch(r"[a-z_]{3,}(\.[a-z_]{3,})+", token):
            found.append(token)  # a dotted key: followers.approval
    found += [m.group() for m in _SNAKE.finditer(text)]
    return found


def _reports(run_cli, folder: Path, target: str, name: str) -> dict[str, str]:
    out = {
        "html": folder / f"{name}.html",
        "markdown": folder / f"{name}.md",
        "plan-md": folder / f"{name}.plan.md",
    }
    args = [a for fmt, path in out.items() for a in ("-o", f"{fmt}:{path}")]
    ran = run_cli("check", target, "--as-of", AS_OF, *args)
    assert ran.code in (0, 1), ran.err
    return {fmt: path.read_text("utf-8") for fmt, path in out.items()}


def _read(reports: dict[str, str]) -> dict[str, str]:
    return {
        fmt: visible_text(text) if fmt == "html" else markdown_text(text)
        for fmt, text in reports.items()
    }


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_file_keys_or_raw_values_in_any_report_for_people(
    name: str, run_cli, tmp_path: Path
) -> None:
    for fmt, text in _read(
        _reports(run_cli, tmp_path, str(ROOT / "examples" / name), name)
    ).items():
        assert raw_keys(text) == [], f"{name} {fmt}"
        for said in _TERMINAL:
            assert said not in text.lower(), f"{name} {fmt}: {said}"


def test_a_trust_and_each_school_page_have_no_file_keys(run_cli, tmp_path: Path) -> None:
    fleet = trust.make(tmp_path / "trust", schools=8)
    pages = tmp_path / "pages"
    ran = run_cli("check", str(fleet), "--as-of", AS_OF, "-o", f"html-dir:{pages}")
    assert ran.code == 1, ran.err
    assert (pages / "index.html").is_file() and len(list(pages.glob("*.html"))) == 9
    for page in sorted(pages.glob("*.html")):
        text = visible_text(page.read_text("utf-8"))
        assert raw_keys(text) == [], page.name
        assert "terminal" not in text


def test_the_scan_finds_what_it_is_for() -> None:
    # The scan itself must be able to fail: each of these is a key or raw value.
    for said in (
        "The policy declares visibility: protected",
        "@Oakfield is not protected (protected: false)",
        "followers.must_be_connected_to_school: true",
        "accepts direct messages from (not set)",
        "record followed_first on the entry",
    ):
        assert raw_keys(said), said
    for said in (
        "In the file: policy.yaml, line 12",
        "The account is public: anyone can see every post.",
        "Questions: office@oakfield.sch.uk",
        "Follower #8 (unknown): no record of approval.",
    ):
        assert raw_keys(said) == [], said


def test_every_rules_failing_case_reads_in_plain_words(builtin_rules) -> None:
    """Every rule's own failing cases (policies/cases/), as the HTML and Markdown say
    them: what was found, and what the policy says."""
    from safesocial.packs import cases

    by_id = {r.id: r for r in builtin_rules}
    leaks: dict[str, list[str]] = {}
    seen: set[str] = set()
    for case in cases.all_cases():
        if case.expect != "fail":
            continue
        for f in cases.run_case(case, builtin_rules):
            rule = by_id.get(f.rule_id)
            seen.add(f.rule_id)
            texts = [plain.found(rule, f, "the account")]
            texts += [text for text, _ in plain.said(rule, f.related)]
            for text in texts:
                if raw_keys(text):
                    leaks.setdefault(f.rule_id, []).append(text)
    assert len(seen) >= 80, "the cases reach (nearly) every rule"
    assert leaks == {}


def test_every_rules_words_are_plain() -> None:
    """The `words:` of every built-in rule, and the words table, hold no keys either."""
    for rule in rules_mod.load_rules():
        w = rule.words
        for part in (w.policy, w.found, w.why, w.todo):
            assert not part or raw_keys(part) == [], rule.id
            assert not part or "on X:" not in part, f"{rule.id}: menu paths go in steps"
        # What every report for people shows as "Why it matters" and "What to do".
        for shown in (plain.why(rule), plain.todo(rule, None)):
            assert raw_keys(shown) == [] and "`" not in shown, rule.id
            for said in (*_TERMINAL, "this tool", "the case that started"):
                assert said not in shown.lower(), (rule.id, said)
    for key, values in rules_mod.policy_words().items():
        for text in values.values():
            assert raw_keys(text) == [], key


def _copy(example: str, tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    """A copy of an example with some text replaced, file by file."""
    folder = tmp_path / example
    shutil.copytree(ROOT / "examples" / example, folder)
    for file, (old, new) in edits.items():
        path = folder / file
        text = path.read_text("utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new), "utf-8")
    return folder


def test_a_facebook_account_gets_no_advice_for_x(run_cli, tmp_path: Path) -> None:
    folder = _copy(
        "drift-primary",
        tmp_path,
        {
            "accounts/twitter.yaml": ("platform: x", "platform: facebook"),
            "policy.yaml": ("platform: x", "platform: facebook"),
        },
    )
    reports = _read(_reports(run_cli, tmp_path, str(folder), "facebook"))
    for fmt, text in reports.items():
        for x_only in ("On X:", "on X:", "Protect your posts", "Remove this follower", "(Twitter)"):
            assert x_only not in text, f"{fmt}: {x_only}"
    assert "On Facebook: for a private group, Members" in reports["html"]
    # The same folder on X gets X's menus: the advice follows the platform.
    x = _read(_reports(run_cli, tmp_path, str(ROOT / "examples" / "drift-primary"), "x"))
    assert "On X: Settings and privacy > Privacy and safety" in x["html"]


US_OR_CANADA = ("NYC", "FERPA", "US district", "US Department", "Ontario", "Waterloo")
BACKGROUND = ("Mumsnet", "blog post", "forum thread", "EduGeek", "St Teresa")


@pytest.mark.parametrize("name", ["drift-primary", "followback-secondary", "department-accounts"])
def test_an_england_school_cites_its_own_guidance_only(name: str, run_cli, tmp_path: Path) -> None:
    assert "jurisdiction: england" in (ROOT / "examples" / name / "school.yaml").read_text()
    page = _reports(run_cli, tmp_path, str(ROOT / "examples" / name), name)["html"]
    cited = " ".join(re.findall(r'<ul class="sources">(.*?)</ul>', page, re.S))
    assert cited, "an England school is shown the guidance it follows"
    for foreign in US_OR_CANADA + BACKGROUND:
        assert foreign not in cited, foreign
    assert "NSPCC" in cited or "Information Commissioner" in cited or "Keeping Children" in cited


def test_a_school_in_ontario_sees_the_ontario_college_of_teachers(run_cli, tmp_path: Path) -> None:
    folder = _copy(
        "followback-secondary",
        tmp_path,
        {"school.yaml": ("jurisdiction: england", "jurisdiction: ontario")},
    )
    page = _reports(run_cli, tmp_path, str(folder), "ontario")["html"]
    cited = " ".join(re.findall(r'<ul class="sources">(.*?)</ul>', page, re.S))
    assert "Ontario College of Teachers" in cited
    for english in ("Keeping Children Safe", "Information Commissioner", "NSPCC"):
        assert english not in cited, english


def test_a_local_authoritys_guidance_goes_to_its_own_schools_only() -> None:
    kent = rules_mod.library()["S8"]
    assert kent.applies_to("england", "Kent")
    assert not kent.applies_to("england", "Derbyshire")
    assert not kent.applies_to("wales", "Kent")
    assert not rules_mod.library()["seed-002"].applies_to("england", "Kent")  # background
    # Where the school's country is not known, every country's guidance is cited.
    assert rules_mod.library()["S1"].applies_to("", "")
    assert rules_mod.library()["S5"].applies_to("other", "")
    assert not rules_mod.library()["S1"].applies_to("england", "")


def test_advice_uses_the_schools_own_contact_details() -> None:
    from safesocial.running.results import Place, SchoolResult

    rule = {r.id: r for r in rules_mod.load_rules()}["SS502"]
    school = SchoolResult("s", "S", (), (), (), place=Place(contact="office@ashcombe.sch.uk"))
    assert "Questions or concerns: office@ashcombe.sch.uk" in plain.todo(rule, school)
    assert "oakfield" not in plain.todo(rule, school)
    unknown = SchoolResult("s", "S", (), (), ())
    assert "{contact}" not in plain.todo(rule, unknown)
    # The engine takes the address from the school's own records: its office's email.
    from safesocial.running import pipeline

    checked = pipeline.check((str(ROOT / "examples" / "drift-primary"),), None, date(2026, 11, 21))
    place = checked.result.schools[0].place
    assert place.contact == "office@ashcombe.derbyshire.sch.uk"
    assert (place.jurisdiction, place.local_authority) == ("england", "Derbyshire")
