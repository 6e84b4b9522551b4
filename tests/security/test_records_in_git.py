"""SS620: pupils' names in a register or consent file that git keeps.

The rule's cases (policies/cases/SS620.yaml) cover the rule; here are the parts under
it: how vcs.py decides that git keeps a file without running git, and that the finding
itself never carries the names it reports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safesocial import reporters
from safesocial.cli import main
from safesocial.documents import vcs
from safesocial.packs import cases

NAMES = ("Zebedee Quillfeather", "Marigold Thistlewood")


def repo(tmp_path: Path, ignores: dict[str, str], gitdir: bool = True) -> Path:
    """A repository at tmp_path/repo with a school at trust/school; `ignores` maps a
    folder (relative to the repository) to its .gitignore text."""
    top = tmp_path / "repo"
    school = top / "trust" / "school"
    school.mkdir(parents=True)
    if gitdir:
        (top / ".git" / "info").mkdir(parents=True)
    else:  # a worktree or submodule has a .git file instead
        (top / ".git").write_text("gitdir: /elsewhere/.git/worktrees/x\n")
    for folder, text in ignores.items():
        (top / folder / ".gitignore").write_text(text)
    for name in ("pupils.yaml", "consent.csv", "school.yaml"):
        (school / name).write_text("x: 1\n")
    return school


NAMES_ASKED = ("pupils.yaml", "consent.csv", "consent.yaml")


@pytest.mark.parametrize(
    ("ignores", "kept"),
    [
        ({}, {"pupils.yaml", "consent.csv"}),
        ({".": "pupils.yaml\n"}, {"consent.csv"}),
        ({".": "*.csv\n# a comment\n\n"}, {"pupils.yaml"}),
        ({".": "/pupils.yaml\n"}, {"pupils.yaml", "consent.csv"}),  # only at the top
        ({".": "trust/school/pupils.yaml\n"}, {"consent.csv"}),
        ({".": "**/pupils.yaml\n"}, {"consent.csv"}),
        ({"trust": "school/\n"}, set()),  # the whole folder
        ({"trust": "school\n"}, set()),
        ({".": "*.yaml\n!pupils.yaml\n"}, {"pupils.yaml", "consent.csv"}),
        ({".": "trust/\n", "trust/school": "!pupils.yaml\n"}, set()),  # no way back in
        ({"trust/school": "pupils.*\n"}, {"consent.csv"}),
        ({"trust/school": "/consent.csv\n"}, {"pupils.yaml"}),
        ({".": "pupils.yaml/\n"}, {"pupils.yaml", "consent.csv"}),  # folders only
        ({".": "\\#pupils.yaml\n"}, {"pupils.yaml", "consent.csv"}),
    ],
)
def test_which_files_git_would_keep(
    tmp_path: Path, ignores: dict[str, str], kept: set[str]
) -> None:
    school = repo(tmp_path, ignores)
    assert vcs.versioned(school, NAMES_ASKED) == kept


def test_info_exclude_counts_and_a_git_file_marks_a_repository(tmp_path: Path) -> None:
    school = repo(tmp_path, {})
    (tmp_path / "repo" / ".git" / "info" / "exclude").write_text("consent.csv\n")
    assert vcs.versioned(school, NAMES_ASKED) == {"pupils.yaml"}
    other = repo(tmp_path / "wt", {}, gitdir=False)
    assert vcs.versioned(other, NAMES_ASKED) == {"pupils.yaml", "consent.csv"}


def test_no_repository_keeps_nothing(tmp_path: Path) -> None:
    school = tmp_path / "school"
    school.mkdir()
    (school / "pupils.yaml").write_text("x: 1\n")
    if vcs.work_tree(school) is not None:
        pytest.skip("the temporary folder is itself inside a git repository")
    assert vcs.versioned(school, NAMES_ASKED) == frozenset()


def test_a_huge_gitignore_is_not_read(tmp_path: Path) -> None:
    school = repo(tmp_path, {".": "pupils.yaml\n" + "#" * (2 * 1024 * 1024)})
    assert "pupils.yaml" in vcs.versioned(school, NAMES_ASKED)


@pytest.mark.parametrize("names_as", ["name", "ref"])
def test_the_finding_names_no_pupil_in_any_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], names_as: str
) -> None:
    top = tmp_path / "repo"
    (top / ".git").mkdir(parents=True)
    school = top / "school"
    if names_as == "name":
        pupils = [{"ref": f"P00{i}", "name": n} for i, n in enumerate(NAMES, 1)]
    else:
        pupils = [{"ref": n} for n in NAMES]
    cases.materialise({"pupils.yaml": {"pupils": pupils}}, school)
    formats = sorted(n for n, cls in reporters.REPORTERS.items() if not cls.binary)
    args = [a for fmt in formats for a in ("-o", f"{fmt}:{tmp_path / fmt}")]
    assert main(["check", str(school), "--as-of", "2026-11-21", *args]) == 1
    capsys.readouterr()
    report = json.loads((tmp_path / "json").read_text("utf-8"))
    (finding,) = [f for f in report["schools"][0]["findings"] if f["rule_id"] == "SS620"]
    assert finding["message"].startswith("pupils.yaml holds 2 pupils' names, all in full")
    assert finding["location"]["line"] == (3 if names_as == "name" else 2)
    for fmt in formats:
        text = (tmp_path / fmt).read_text("utf-8")
        assert "SS620" in text, fmt
        for name in NAMES:
            assert name not in text and name.split()[1] not in text, (fmt, name)
