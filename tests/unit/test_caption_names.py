"""Pupils' full names found in captions by the local register: by ref, never by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from safesocial.checks import names
from safesocial.documents.yamlio import YMap
from safesocial.model import Pupil, loader
from safesocial.packs import cases
from safesocial.running import judge
from safesocial.settings import Settings
from tests.conftest import AS_OF

REGISTER = {
    "pupils": [
        {"ref": "P001", "year_group": 4, "name": "Amelia Khan", "known_as": "Millie; Mils"},
        {"ref": "P002", "year_group": 4, "name": "Zoë O'Brien"},
        {"ref": "P003", "year_group": 6, "name": "Marisol Ann Quist"},
    ]
}
POSTS = [
    {"id": "2001", "date": "2026-11-02", "caption": "Well done AMELIA khan!"},
    {"id": "2002", "date": "2026-11-03", "caption": "Zoe O'Brien and Marisol Ann Quist sang."},
    {"id": "2003", "date": "2026-11-04", "caption": "Mils Khan scored twice."},
]


def pupil(name: str, *known_as: str) -> Pupil:
    return Pupil("P9", YMap("pupils.yaml", 1, 1), name=name, known_as=known_as)


@pytest.mark.parametrize(
    ("caption", "found"),
    [
        ("Well done Amelia Khan", True),
        ("well done amelia khan's team", True),
        ("AMELIA\nKHAN", True),  # any whitespace between the words
        ("Amélia Khán", True),  # accents either way
        ("Millie Khan", True),  # a recorded nickname with the surname
        ("Amelia", False),  # a first name alone
        ("Amelia Khanna", False),  # whole words only
        ("XAmelia Khan", False),
        ("Khan Amelia", False),
    ],
)
def test_matching(caption, found):
    matcher = names.build([pupil("Amelia Khan", "Millie")])
    assert (matcher.pupils_in(caption) == ("P9",)) is found


def test_a_name_of_one_word_is_never_matched():
    assert not names.build([pupil("Amelia")]).by_first


def test_a_nickname_with_a_space_is_a_full_name_of_its_own():
    matcher = names.build([pupil("Amelia Khan", "Millie K-Jones")])
    assert matcher.pupils_in("Millie K-Jones won") == ("P9",)


def _school(tmp_path: Path) -> Path:
    files = {"pupils.yaml": REGISTER, "accounts/main.yaml": {"posts": POSTS}}
    cases.materialise(files, tmp_path / "s")
    return tmp_path / "s"


def test_findings_name_pupils_by_ref_and_no_output_holds_a_name(tmp_path, run_cli):
    folder = _school(tmp_path)
    for fmt in ("text", "json", "markdown", "sarif", "junit", "github"):
        ran = run_cli("check", str(folder), "--as-of", AS_OF, "-o", fmt)
        assert ran.code == 1
        for ref in ("P001", "P002", "P003"):
            assert ref in ran.out, (fmt, ref)
        for word in ("Amelia", "AMELIA", "Khan", "Brien", "Marisol", "Quist", "Mils"):
            assert word not in ran.out + ran.err, (fmt, word)


def test_the_matcher_is_compiled_once_per_school(tmp_path, monkeypatch, builtin_rules):
    built = []
    real = names.build
    monkeypatch.setattr(names, "build", lambda pupils: built.append(1) or real(pupils))
    loaded = loader.load_school(_school(tmp_path), "s")
    result = judge.run([loaded], builtin_rules, Settings(as_of=cases.CASE_AS_OF))
    named = {(f.rule_id, f.subject) for f in result.findings if f.rule_id == "SS603"}
    assert named == {("SS603", "pupil P001"), ("SS603", "pupil P002"), ("SS603", "pupil P003")}
    assert built == [1]
