"""Hostile YAML text: alias bombs measured in text, not values; control characters and
forced tags reported at their line and column in one line; and the characters YAML 1.1
takes for line breaks (U+2028, U+2029, U+0085) read as YAML 1.2 and editors read them.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from safesocial.cli import main
from safesocial.documents import yamlalias, yamlchars, yamlio
from safesocial.errors import InputProblem
from safesocial.findings import Location
from safesocial.packs import cases
from tests.conftest import AS_OF

MB = 1024 * 1024


def parse(text: str) -> Any:
    return yamlio.parse(text, "f.yaml")


def problem(text: str) -> InputProblem:
    with pytest.raises(InputProblem) as caught:
        parse(text)
    assert "\n" not in caught.value.message
    return caught.value


def check_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: Callable[[str], str]
) -> tuple[int, list[dict[str, Any]], int]:
    """Check the base school with its account file edited: exit code, findings, and the
    number of lines the account file has."""
    folder = tmp_path / "s"
    cases.materialise({}, folder)
    account = folder / "accounts" / "main.yaml"
    account.write_text(edit(account.read_text("utf-8")), "utf-8")
    code = main(["check", str(folder), "--as-of", AS_OF, "--format", "json", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    found = [f for s in json.loads(out)["schools"] for f in s["findings"]]
    for f in found:
        if f["location"]:
            f["location"]["path"] = f["location"]["path"].removeprefix(folder.as_posix() + "/")
    return code, found, account.read_text("utf-8").count("\n")


# ---- aliases: bounded in text as well as in values ------------------------------------


@pytest.mark.parametrize(
    ("shape", "text"),
    [
        (
            "forty thousand aliases to one long value",
            'a: &big "' + "x" * MB + '"\nb: [' + "*big, " * 40_000 + "]\n",
        ),
        (
            "a list of long values, aliased as a whole",
            "a: &l ["
            + ", ".join(f'"{c * (MB // 8)}"' for c in "abcdefgh")
            + "]\n"
            + "".join(f"k{i}: *l\n" for i in range(40)),
        ),
        (
            "forty thousand followers whose handle is one long value",
            'h: &big "@'
            + "x" * MB
            + '"\nfollowers:\n'
            + "- {handle: *big, category: parent}\n" * 40_000,
        ),
        (
            "aliases as values of a block mapping",
            "bio: &b " + "y" * MB + "\n" + "".join(f"f{i}: *b\n" for i in range(40)),
        ),
    ],
)
def test_aliases_that_expand_the_text_past_the_bound_are_refused(shape: str, text: str) -> None:
    found = problem(text)
    assert found.location == Location("f.yaml", 1, 1)
    assert "characters of text" in found.message and "alias bomb" in found.message


def test_a_few_aliases_to_a_long_value_are_fine() -> None:
    doc = parse('a: &big "' + "x" * MB + '"\nb: [*big, *big, *big]\n')
    assert doc["b"][2] == "x" * MB


def test_the_text_bound_is_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    text = 'a: &s "' + "z" * 100 + '"\n' + "".join(f"k{i}: *s\n" for i in range(10))
    # keys: "a" + k0..k9 (21 characters) and eleven uses of the value (1,100).
    monkeypatch.setattr(yamlio, "MAX_EXPANDED_CHARS", 1_120)
    assert "characters of text" in problem(text).message
    monkeypatch.setattr(yamlio, "MAX_EXPANDED_CHARS", 1_121)
    assert len(parse(text)) == 11


def test_a_document_without_aliases_is_not_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    # The walk reads the events again: only a document that used an alias pays for it.
    walked: list[str] = []
    monkeypatch.setattr(yamlalias, "check_expansion", lambda *a: walked.append("x"))
    for plain in (
        "bio: Q&A with the head, 5* rated\nhandle: '@x'\nurl: https://a.uk/?a=1&b=2\n",
        "&x [1]\n",
        "a: [1,&x 2]\n",
    ):
        parse(plain)
        assert walked == [], plain
    for aliased in (
        "a: &x 1\nb: *x\n",
        "a: [&x 1, *x]\n",
        'a: {"k":&x 1, b: *x}\n',
        "a: {?&x k : 1, b: *x}\n",
        'a: ["k":&x 1, *x]\n',
        "a:\n- &x 1\n- *x\n",
        "a: !!str &x v\nb: *x\n",
        "a:\t&x 1\nb: *x\n",
        "a: &x [1]\nb: *x\n",
    ):
        walked.clear()
        with contextlib.suppress(InputProblem):  # some are not valid documents
            parse(aliased)
        assert walked == ["x"], aliased


def test_reused_lists_are_bounded() -> None:
    # A billion-laughs of lists: few values written, a million once expanded.
    levels = ['a0: &a0 ["' + "x" * 1000 + '"]']
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    assert "alias bomb" in problem("\n".join(levels) + "\n").message


def test_an_alias_bomb_in_an_account_file_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = 'x_big: &big "' + "h" * MB + '"\nx_refs: [' + "*big, " * 40_000 + "]\n"
    code, found, _ = check_account(tmp_path, capsys, lambda text: text + bomb)
    assert code == 2
    assert [(f["rule_id"], f["location"]["path"]) for f in found] == [
        ("IN001", "accounts/main.yaml")
    ]
    assert "alias bomb" in found[0]["message"]


# ---- control characters --------------------------------------------------------------

CONTROLS = {
    "ESC": "\x1b",
    "DEL": "\x7f",
    "BEL": "\x07",
    "VT": "\x0b",
    "C1 PAD": "\x80",
    "C1 CSI": "\x9b",
    "C1 APC": "\x9f",
    "U+FFFE": "\ufffe",
}


@pytest.mark.parametrize("name", sorted(CONTROLS))
@pytest.mark.parametrize(
    ("template", "line", "column"),
    [
        ("platform: x\nbio: ab{c}cd\n", 2, 8),
        ('platform: x\nbio: "ab{c}cd"\n', 2, 9),
        ("platform: x\r\nhandle: x\r\nbio: ab{c}\r\n", 3, 8),
        ("platform: x\n# a note{c}\n", 2, 9),
        ("k{c}: 1\n", 1, 2),
        ("bio: |\n  first\n  sec{c}ond\n", 3, 6),
    ],
)
def test_a_control_character_is_reported_where_it_is(
    name: str, template: str, line: int, column: int
) -> None:
    char = CONTROLS[name]
    found = problem(template.format(c=char))
    assert found.location == Location("f.yaml", line, column)
    assert f"U+{ord(char):04X}" in found.message
    assert "position" not in found.message and "<unicode string>" not in found.message


def test_a_control_character_reaches_the_report_at_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, found, lines = check_account(tmp_path, capsys, lambda text: text + "x_bio: hi\x1b[31m\n")
    assert code == 2
    (where,) = [f["location"] for f in found if f["rule_id"] == "IN001"]
    assert (where["path"], where["line"], where["column"]) == ("accounts/main.yaml", lines, 10)


# ---- tags that force a type the text is not -------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('a: 1\nb: !!float "secret"\n', "tagged !!float but is not a number"),
        ("a: 1\nb: !!float ''\n", "tagged !!float but is not a number"),
        ("a: 1\nb: !!float 1:x\n", "tagged !!float but is not a number"),
        ('a: 1\nb: !!bool "secret"\n', "tagged !!bool but is not true or false"),
        ("a: 1\nb: !!bool ''\n", "tagged !!bool but is not true or false"),
        ("a: 1\nb: !!int secret\n", "tagged !!int but is not a whole number"),
        ("a: 1\nb: !!int _\n", "tagged !!int but is not a whole number"),
        ("a: 1\nb: !!int ''\n", "tagged !!int but is not a whole number"),
        ("a: 1\nb: !!int 0xZZ\n", "tagged !!int but is not a whole number"),
    ],
)
def test_a_forced_tag_is_an_input_problem_at_the_value(text: str, words: str) -> None:
    found = problem(text)
    assert found.location == Location("f.yaml", 2, 4)
    assert words in found.message
    assert "secret" not in found.message and "bug" not in found.message


def test_a_forced_tag_at_the_top_of_the_document() -> None:
    assert problem("!!float nope\n").location == Location("f.yaml", 1, 1)


@pytest.mark.parametrize(
    ("text", "value"),
    [("!!float '1.5'", 1.5), ("!!bool 'true'", True), ("!!int '12'", 12), ("!!str 12", "12")],
)
def test_a_tag_that_fits_the_text_still_reads(text: str, value: object) -> None:
    assert parse(f"a: {text}\n")["a"] == value


def test_a_long_run_of_digits_is_still_said_to_be_too_long() -> None:
    assert "digits" in problem("a: !!int " + "9" * 5000 + "\n").message


# ---- U+2028, U+2029 and NEL: characters, not line breaks ------------------------------

SEPARATORS = {"U+2028": "\u2028", "U+2029": "\u2029", "NEL": "\x85"}


@pytest.mark.parametrize("name", sorted(SEPARATORS))
@pytest.mark.parametrize(
    ("template", "key", "value"),
    [
        ("bio: one{c}two\nhandle: x\n", "bio", "one{c}two"),
        ('bio: "one{c}two"\nhandle: x\n', "bio", "one{c}two"),
        ("bio: 'one{c} two'\nhandle: x\n", "bio", "one{c} two"),
        ("bio: |\n  one{c}two\n  three\nhandle: x\n", "bio", "one{c}two\nthree\n"),
        ("bio: {c}\nhandle: x\n", "bio", "{c}"),
        ("o{c}k: yes\nhandle: x\n", "o{c}k", "yes"),
        ("list:\n  - a{c}b\n  - c\nhandle: x\n", "list", ["a{c}b", "c"]),
    ],
)
def test_a_pasted_separator_is_a_character_and_lines_stay_the_editors(
    name: str, template: str, key: str, value: Any
) -> None:
    char = SEPARATORS[name]
    text = template.format(c=char)
    doc = parse(text)
    wanted = [v.format(c=char) for v in value] if isinstance(value, list) else value.format(c=char)
    assert doc[key.format(c=char)] == wanted
    # The line an editor (and git) shows: line feeds only.
    assert doc.loc("handle").line == text[: text.index("handle")].count("\n") + 1


@pytest.mark.parametrize("name", sorted(SEPARATORS))
def test_a_syntax_error_after_a_separator_is_at_the_editors_line(name: str) -> None:
    text = f'a: 1\nbio: "one{SEPARATORS[name]}two"\nc: [\n'
    assert problem(text).location.line == 4  # the end of the file, as an editor counts


def test_every_separator_at_once_with_a_private_use_character_already_there() -> None:
    text = "bio: \ue000 \u2028 \u2029 \x85 \ue001\nnext: x\n"
    doc = parse(text)
    assert doc["bio"] == "\ue000 \u2028 \u2029 \x85 \ue001"
    assert doc.loc("next").line == 2


def test_a_separator_inside_an_aliased_value_is_restored_everywhere() -> None:
    doc = parse("a: &x [one\u2028two]\nb: *x\nc: *x\n")
    assert doc["a"] == doc["b"] == doc["c"] == ["one\u2028two"]


def test_text_without_a_separator_is_left_alone() -> None:
    # The usual file pays three substring searches and nothing else.
    text = "bio: ordinary\n" * 1000
    swapped, back = yamlchars.swap_breaks(text)
    assert swapped is text and back == {}


def test_a_bio_with_a_separator_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bio = (
        "bio: News from Base Primary.\u2028Monitored Mon-Fri 8:30-4:30, not 24/7.\x85"
        "Questions to office@base.sch.uk\u2029thank you\n"
    )

    def edit(text: str) -> str:
        return text.replace(text[text.index("bio:") : text.index("admins:")], bio)

    code, found, _ = check_account(tmp_path, capsys, edit)
    assert (code, found) == (0, [])
