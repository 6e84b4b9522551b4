"""Hostile regular expressions and references in rule packs (issue 12).

Every JSON Schema `pattern` runs through RE2 (src/safesocial/documents/patterns.py), so the cost of
a match is bounded by the pattern's compiled size times the text's length whatever the
pattern's shape. These tests assert that structurally (no backtracking engine ever sees
a pack's pattern; the compiled size is capped) and, for the patterns that hang Python's
`re`, with a generous watchdog in a subprocess: never a tight timing.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from safesocial.documents import compiled_schema, patterns, validate, yamlio
from safesocial.errors import RulePackError
from safesocial.packs import cases, rules, schema_safety
from tests.conftest import ROOT

PACK = """\
pack:
  id: hostile
  title: A pack with one dangerous rule
rules:
  - id: HST001
    name: dangerous
    title: t
    severity: warning
    category: guidance
    rationale: r
    remediation: r
    sources: [seed-002]
{where}
"""

PLACES = {
    "pattern in check.schema": (
        "    check:\n      kind: schema\n      target: account\n      message: m\n"
        "      schema:\n        properties:\n          account:\n            properties:\n"
        "              bio: {{pattern: '{regex}'}}\n"
    ),
    "pattern in when": (
        "    when:\n      properties:\n        account:\n          properties:\n"
        "            bio: {{not: {{pattern: '{regex}'}}}}\n"
        "    check:\n      kind: schema\n      target: account\n      message: m\n"
        "      schema: {{}}\n"
    ),
    "pattern in each.where": (
        "    check:\n      kind: each\n      target: account\n      list: account.posts\n"
        "      message: m\n      where:\n        properties:\n"
        "          caption: {{pattern: '{regex}'}}\n"
    ),
}

# Each of these runs for hours (or, for the polynomial ones, minutes) under Python's `re`
# on the text beside it, and each passed the old shape-guessing guard or was refused by it.
HOSTILE: dict[str, str] = {
    r"^(a+)+$": "a" * 50_000 + "!",
    r"^(\w+\s?)*$": "a" * 50_000 + "!",
    r"(a|a)*b": "a" * 50_000,
    r"^(a*)*$": "a" * 50_000 + "!",
    r"((ab)*|a)+c": "ab" * 25_000,
    # a character range outside the old guard's sample alphabet (Devanagari)
    r"^([\u0900-\u097F]+)+$": "\u0915" * 50_000 + "!",
    # an unrolled run of optional parts
    "^" + "a?" * 40 + "a" * 40 + "$": "a" * 40,
    # overlapping alternatives outside any repeat, then a repeat
    r"^(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a).*b$": "a" * 50_000,
    # high-degree polynomial
    r"a*a*a*a*a*a*b": "a" * 50_000,
    r"\b[\w-]+\.(org|com)\b": "a-" * 50_000,
}


def _pack(tmp_path: Path, place: str, regex: str) -> Path:
    pack = tmp_path / "hostile.yaml"
    pack.write_text(PACK.format(where=PLACES[place].format(regex=regex)), "utf-8")
    return pack


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("regex", sorted(HOSTILE))
def test_a_pattern_that_backtracks_loads_and_never_reaches_python_re(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, place: str, regex: str
) -> None:
    (rule,) = rules.load_pack(_pack(tmp_path, place, regex.replace("'", "''")))
    compiled_by_re: list[str] = []
    real_compile = re._compile  # type: ignore[attr-defined]

    def spy(pattern: Any, flags: Any) -> Any:
        if pattern == regex:
            compiled_by_re.append(pattern)
        return real_compile(pattern, flags)

    # Every use of Python's `re` (re.search as jsonschema calls it, re.compile, re.match)
    # goes through re._compile, cached or not.
    monkeypatch.setattr(re, "_compile", spy)
    text = "a" * 30 + "!"
    view = {"account": {"bio": text, "posts": [{"caption": text}]}}
    if rule.when is not None:
        rule.when(view)
    params = rule.params
    if hasattr(params, "fits"):
        params.fits(view)
        list(params.errors(view))  # jsonschema's explanation, through the same engine
    else:
        params.where(view["account"]["posts"][0])
    validate.compile_schema({"pattern": regex}).is_valid(text)
    assert compiled_by_re == []


def test_the_compiled_size_bounds_the_work() -> None:
    # RE2's cost per character is at most its program's size: capped when the pack loads.
    for regex in HOSTILE:
        assert 0 < patterns.compiled(regex).programsize <= patterns.MAX_PROGRAM


def test_patterns_that_hang_python_re_finish_under_a_watchdog() -> None:
    # A hang guard, not a speed target: under `re` the first of these takes hours. Run in
    # a subprocess so that a regression fails the test instead of hanging the suite.
    script = textwrap.dedent(
        """
        import json, sys
        from safesocial.documents import compiled_schema, validate
        for regex, text in json.load(sys.stdin).items():
            schema = {"properties": {"bio": {"pattern": regex}}}
            compiled_schema.compile_schema(schema)({"bio": text})
            list(validate.compile_schema(schema).iter_errors({"bio": text}))
        print("done")
        """
    )
    ran = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(HOSTILE),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "done"


def test_the_builtin_contact_pattern_is_linear_on_a_long_bio(builtin_rules) -> None:
    # SS4xx's contact route pattern was quadratic on "a-a-a-..." under `re`.
    found = [
        regex
        for rule in builtin_rules
        for _, regex in schema_safety._regexes(cases._plain(rule.raw_check))
        if "sch\\.uk" in regex
    ]
    assert found, "the contact-route pattern moved: update this test"
    script = (
        "import sys\nfrom safesocial.documents import patterns\n"
        "m = patterns.matcher(sys.argv[1])\n"
        "for n in (10_000, 100_000, 1_000_000):\n"
        "    assert not m('a-' * n)\n"
        "print('done')\n"
    )
    for regex in found:
        ran = subprocess.run(
            [sys.executable, "-c", script, regex],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert ran.stdout.strip() == "done", ran.stderr


def _shipped() -> list[object]:
    """The schemas and the built-in and example packs, as plain data."""
    return [
        *(json.loads(p.read_text("utf-8")) for p in (ROOT / "schemas").glob("*.json")),
        *(
            cases._plain(yamlio.parse(p.read_text("utf-8"), p.name))
            for p in [*(ROOT / "policies").glob("*.yaml"), *(ROOT / "examples").rglob("*.yaml")]
        ),
    ]


def test_every_shipped_pattern_is_linear_on_long_adversarial_text() -> None:
    # The shapes that make backtracking engines slow, long: runs of word characters,
    # hyphens and dots between them, digits, spaces, almost-emails and almost-dates.
    shipped = sorted({regex for _, regex in schema_safety._regexes(_shipped())})
    script = textwrap.dedent(
        """
        import json, sys
        from safesocial.documents import patterns
        texts = [u * 100_000 for u in ("a", "a-", "a.", "1", "1 ", "a@", "2026-", " ", "\u3000")]
        for regex in json.load(sys.stdin):
            match = patterns.matcher(regex)
            for text in texts:
                match(text + "!")
        print("done")
        """
    )
    ran = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(shipped),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ran.stdout.strip() == "done", ran.stderr
    assert len(shipped) > 5


REFUSED = {
    r"(?=a)b": "look-ahead",
    r"(?<=a)b": "look-ahead",
    r"(a)\1": "back-references",
    r"[\S,]": "inside [...]",
    "a{1000}a{1000}a{1000}": "compiles to",
    "a" * 1001: "characters long",
    r"(a": "not a regular expression",
}


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("regex", sorted(REFUSED))
def test_a_pattern_re2_cannot_run_is_refused_at_its_line(
    tmp_path: Path, place: str, regex: str
) -> None:
    pack = _pack(tmp_path, place, regex)
    text = pack.read_text("utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if regex in t)
    with pytest.raises(RulePackError) as caught:
        rules.load_pack(pack)
    message = str(caught.value)
    assert message.startswith(f"{pack.as_posix()}:{line}:"), message
    assert "rule HST001: " in message and REFUSED[regex] in message


@pytest.mark.parametrize(
    ("keyword", "said"),
    [
        ("patternProperties: {{'^(a+)+$': {{type: string}}}}", "patternProperties"),
        ("properties: {{bio: {{format: regex}}}}", "format: regex"),
    ],
)
def test_keywords_that_run_python_re_are_refused_at_their_line(
    tmp_path: Path, keyword: str, said: str
) -> None:
    where = (
        "    check:\n      kind: each\n      target: account\n      list: account.posts\n"
        f"      message: m\n      where:\n        {keyword.format()}\n"
    )
    pack = tmp_path / "p.yaml"
    pack.write_text(PACK.format(where=where), "utf-8")
    with pytest.raises(RulePackError, match=rf"p.yaml:19:\d+: rule HST001: .*{said}"):
        rules.load_pack(pack)


# What a pattern means: ECMA-262's (JSON Schema's) dialect, whatever RE2's own says.
MEANING = [
    (r"\S", "\u3000\u00a0 \t\u2028\ufeff", False),  # Unicode white space is space
    (r"\S", " x ", True),
    (r"^\s+$", "\u3000\u00a0\u2029\v", True),
    (r"[\s,]", "a\u00a0b", True),
    (r"[^\s]", "\u3000", False),
    (r"\u00e9", "caf\u00e9", True),
    (r"\u{1F600}", "\U0001f600", True),
    (r"^abc$", "abc\n", False),  # `$` is the very end, as in ECMA-262
    (r"^\d+$", "\u0663\u0664", False),  # \d is ASCII, as in ECMA-262
    (r"^\d+$", "42", True),
    (r"(?i)^caf\u00c9$", "caf\u00e9", True),
    (r"a", "\ud800a", True),  # a lone surrogate in the text is no error
    (r"^.$", "\ud800", True),  # one code point, as ECMA-262 counts it
    (r"\\s", "\\s", True),  # an escaped backslash then s is not white space
]


@pytest.mark.parametrize(("regex", "text", "expected"), MEANING)
def test_a_pattern_means_what_json_schema_says(regex: str, text: str, expected: bool) -> None:
    assert patterns.search(regex, text) is expected
    schema = {"pattern": regex}
    assert compiled_schema.compile_schema(schema)(text) is expected
    assert validate.compile_schema(schema).is_valid(text) is expected


def test_a_pattern_failure_does_not_quote_the_text() -> None:
    errors = list(validate.compile_schema({"pattern": "^x"}).iter_errors("@pupil_handle"))
    assert len(errors) == 1 and "@pupil_handle" not in errors[0].message


def test_every_shipped_pattern_runs() -> None:
    # The schemas and the built-in and example packs are the guard's first users.
    shipped = _shipped()
    found = list(schema_safety._regexes(shipped))
    assert len(found) > 10  # the walk does find them
    assert [regex for _, regex in found if patterns.problem(regex)] == []


def test_every_shipped_pack_passes_the_guard(builtin_rules) -> None:
    for rule in builtin_rules:
        for part in (rule.raw_check.get("schema"), rule.raw_check.get("where"), rule.raw_when):
            if part is not None:
                assert list(schema_safety.problems(cases._plain(part))) == [], rule.id


@pytest.mark.parametrize("keyword", ["$id: x", "$anchor: x", "$dynamicAnchor: x"])
def test_keywords_that_change_what_a_reference_means_are_refused(
    tmp_path: Path, keyword: str
) -> None:
    where = (
        "    check:\n      kind: schema\n      target: account\n      message: m\n"
        f"      schema:\n        $defs: {{a: {{{keyword}}}}}\n"
    )
    pack = tmp_path / "p.yaml"
    pack.write_text(PACK.format(where=where), "utf-8")
    with pytest.raises(RulePackError, match=r"p.yaml:18:\d+: .* is not supported in a rule"):
        rules.load_pack(pack)


def test_a_property_may_be_named_like_a_keyword(tmp_path: Path) -> None:
    where = (
        "    check:\n      kind: schema\n      target: account\n      message: m\n"
        "      schema: {properties: {pattern: {}, $id: {}, patternProperties: {}}}\n"
    )
    pack = tmp_path / "p.yaml"
    pack.write_text(PACK.format(where=where), "utf-8")
    assert len(rules.load_pack(pack)) == 1


# ---- references -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref", ["https://evil.example/schema.json", "file:///etc/passwd", "other.json#/x"]
)
def test_a_reference_out_of_the_rule_is_refused(tmp_path: Path, ref: str) -> None:
    template = (
        "    check:\n      kind: schema\n      target: account\n      message: m\n"
        f"      schema:\n        properties:\n          account: {{$ref: '{ref}'}}\n"
    )
    pack = tmp_path / "remote.yaml"
    pack.write_text(PACK.format(where=template), "utf-8")
    with pytest.raises(RulePackError, match=r"remote.yaml:19:\d+: .*points outside the rule"):
        rules.load_pack(pack)


@pytest.mark.parametrize(
    "ref",
    ["#/$defs/missing", "#/$defs/yes/0", "#/properties/x", "#/$defs/yes/const/x", "#x"],
)
def test_a_local_reference_to_nothing_is_refused_at_its_line(tmp_path: Path, ref: str) -> None:
    template = (
        "    check:\n      kind: schema\n      target: account\n      message: m\n"
        "      schema:\n        $defs: {yes: {const: true}}\n"
        f"        properties: {{account: {{properties: {{protected: {{$ref: '{ref}'}}}}}}}}\n"
    )
    pack = tmp_path / "local.yaml"
    pack.write_text(PACK.format(where=template), "utf-8")
    with pytest.raises(RulePackError, match=r"local.yaml:19:\d+: .*leads to nothing"):
        rules.load_pack(pack)


@pytest.mark.parametrize("ref", ["#/$defs/yes", "#/$defs/a~1b", "#/$defs/a%20c", "#/allOf/0"])
def test_a_local_reference_is_fine(tmp_path: Path, ref: str) -> None:
    template = (
        "    check:\n      kind: schema\n      target: account\n      message: m\n"
        "      schema:\n        $defs: {yes: {const: true}, a/b: {const: true}, a c: {}}\n"
        "        allOf: [{}]\n"
        f"        properties: {{account: {{properties: {{protected: {{$ref: '{ref}'}}}}}}}}\n"
    )
    pack = tmp_path / "local.yaml"
    pack.write_text(PACK.format(where=template), "utf-8")
    (rule,) = rules.load_pack(pack)
    view = {"account": {"protected": True}}
    assert rule.params.fits(view) is validate.compile_schema(rule.params.schema).is_valid(view)


def test_the_compiled_validator_names_a_reference_to_nothing() -> None:
    with pytest.raises(compiled_schema.BadReference, match="#/\\$defs/missing"):
        compiled_schema.compile_schema({"$ref": "#/$defs/missing"})
