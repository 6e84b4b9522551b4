"""`safesocial init`: a school repository that checks, with only the findings to fill in."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from safesocial import scaffold
from safesocial.cli import cli
from safesocial.documents import resources
from safesocial.scaffold import command, schemas

SCAFFOLD_FILES = [
    "README.md",
    "school.yaml",
    "policy.yaml",
    "consent.yaml",
    "pupils.yaml",
    "staff-accounts.yaml",
    "safesocial.yaml",
    ".github/workflows/safesocial.yml",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
]
SAFESOCIAL_SCHEMAS = {
    "school.yaml": "school",
    "policy.yaml": "policy",
    "consent.yaml": "consent",
    "pupils.yaml": "pupils",
    "staff-accounts.yaml": "staff-accounts",
    "safesocial.yaml": "config",
}

# What a new repository's first check asks the school to fill in: dates, records and the
# real settings of the account, none of which `init` can know. Nothing else.
ACCOUNT_TODO = [
    ("SS103", None),  # settings_reviewed_on: look at the real settings
    ("SS105", None),  # approved_by
    ("SS106", None),  # owner_email
    ("SS108", None),  # risk_assessment
    ("SS111", None),  # parents_notified_on
    ("SS112", None),  # moderation
    ("SS301", None),  # dm_from
    ("SS406", None),  # mfa
    ("SS501", None),  # bio: monitoring hours
    ("SS502", None),  # bio: contact route
    ("SS405", "staff S001"),  # social_media_trained_on
    ("SS405", "staff S003"),
]
SCHOOL_TODO = [
    ("SS805", "document social-media-policy"),  # reviewed_on, next_review_on
    ("SS805", "document acceptable-use-policy"),
    ("SS810", None),  # based_on
    ("SS811", None),  # incident_route
    ("SS811", None),  # low_level_concerns_route
    ("SS812", None),  # link_governor
    *[(rule, f"staff {ref}") for ref in ("S001", "S002", "S003") for rule in ("SS807", "SS808")],
    ("SS809", "staff S001"),  # dsl_trained_on, for the DSL and the deputy
    ("SS809", "staff S002"),
]
POINTS = {
    # starting point: (account file, platform by default, findings of its own)
    # protected: record it; and, declared protected, its followers (SS124)
    "uk-primary": ("main", "x", [("SS101", None), ("SS124", None)]),
    "uk-primary-page": ("facebook", "facebook", []),
    "uk-secondary": ("main", "instagram", []),
    "us-district": ("main", "facebook", []),
    "trust-department": ("pe", "x", []),
}


def _init(run_cli, folder: Path, *args: str):
    return run_cli("init", str(folder), "--yes", *args)


def _findings(run_cli, folder: Path) -> tuple[int, list[dict]]:
    ran = run_cli("check", str(folder), "--format", "json")
    report = json.loads(ran.out)
    return ran.code, [f for school in report["schools"] for f in school["findings"]]


def _where(folder: Path, finding: dict) -> str:
    return Path(finding["location"]["path"]).relative_to(folder).as_posix()


@pytest.mark.parametrize("point", sorted(POINTS))
def test_scaffold_checks_with_only_what_to_fill_in(run_cli, tmp_path, point):
    account, platform, own = POINTS[point]
    folder = tmp_path / "oakfield"
    ran = _init(run_cli, folder, "--starting-point", point, "--name", "Oakfield School")
    assert ran.code == 0, ran.err
    for name in [*SCAFFOLD_FILES, f"accounts/{account}.yaml"]:
        assert (folder / name).is_file(), name
        assert f"created {name}" in ran.out

    code, findings = _findings(run_cli, folder)
    # Errors to fill in, and no input problem. The protected starting point's follower
    # list is left for the school to type, so its check is also incomplete (exit 2):
    # a scaffold left as it is never comes out green.
    assert code == (2 if point == "uk-primary" else 1)
    assert not [f for f in findings if f["category"] == "input"]
    found = Counter((f["rule_id"], _where(folder, f), f["subject"]) for f in findings)
    expected = Counter(
        [(rule, "school.yaml", subject) for rule, subject in SCHOOL_TODO]
        + [(rule, f"accounts/{account}.yaml", s) for rule, s in ACCOUNT_TODO + own]
    )
    assert found == expected
    assert {f["target"] for f in findings} == {"school", f"{platform}:@Oakfield"}


def test_every_yaml_file_names_its_schema(run_cli, tmp_path):
    assert _init(run_cli, tmp_path, "--name", "Oakfield").code == 0
    written = [p for p in tmp_path.rglob("*") if p.suffix in (".yaml", ".yml")]
    assert len(written) == 10
    for path in written:
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=https://"), path
        rel = path.relative_to(tmp_path).as_posix()
        short = SAFESOCIAL_SCHEMAS.get(rel, "account" if rel.startswith("accounts/") else None)
        if short:
            # The URL is the schema's own $id, so editors and `safesocial schema` agree.
            schema_id = resources.schema(f"{short}.schema.json")["$id"]
            assert first == f"# yaml-language-server: $schema={schema_id}", rel
        yaml.safe_load(path.read_text("utf-8"))  # and every file parses


_EXAMPLE = re.compile(r"^(\s*)# ([a-z_]+: \S.*)$", flags=re.M)


def test_the_commented_examples_fill_in_what_they_say(run_cli, tmp_path):
    # Uncommenting every `# key: value` example in school.yaml and the account file must
    # give valid files, and clear every finding they answer (the other staff's dates, the
    # second document's review and the follower list are left, as no one-line example
    # fills them in).
    assert _init(run_cli, tmp_path, "--name", "Oakfield Primary School").code == 0
    for name in ("school.yaml", "accounts/main.yaml"):
        path = tmp_path / name
        path.write_text(_EXAMPLE.sub(r"\1\2", path.read_text("utf-8")), "utf-8")
    ran = run_cli("check", str(tmp_path), "--format", "json", "--as-of", "2026-11-21")
    findings = [f for s in json.loads(ran.out)["schools"] for f in s["findings"]]
    assert Counter((f["rule_id"], f["subject"]) for f in findings) == Counter(
        [
            ("SS805", "document acceptable-use-policy"),
            *[(rule, f"staff {ref}") for ref in ("S002", "S003") for rule in ("SS807", "SS808")],
            ("SS809", "staff S002"),
            ("SS405", "staff S003"),
            ("SS124", None),
        ]
    )


def test_init_never_touches_an_existing_file(run_cli, tmp_path):
    mine = {
        "school.yaml": b"school: {name: Our own}\n",
        "README.md": b"# Ours\r\nwith CRLF and no final newline",
        "accounts/main.yaml": b"",
        ".gitlab-ci.yml": b"stages: [build]\n",
    }
    for name, data in mine.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
        os.utime(tmp_path / name, (1_000_000_000, 1_000_000_000))
    os.chmod(tmp_path / "school.yaml", 0o600)

    ran = _init(run_cli, tmp_path, "--name", "Oakfield")
    assert ran.code == 0, ran.err
    for name, data in mine.items():
        path = tmp_path / name
        assert path.read_bytes() == data, name
        assert path.stat().st_mtime == 1_000_000_000, name
        assert f"kept    {name} (already there; not changed)" in ran.out
    assert (tmp_path / "school.yaml").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "policy.yaml").is_file()  # the rest were written
    assert not list(tmp_path.rglob(".*.tmp"))  # no temporary file left behind


def test_init_where_everything_exists_writes_nothing_and_says_so(run_cli, tmp_path):
    assert _init(run_cli, tmp_path, "--name", "Oakfield").code == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    ran = _init(run_cli, tmp_path, "--name", "Someone else", "--starting-point", "us-district")
    assert ran.code == 2
    assert "nothing written: every file is already in" in ran.err
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_init_into_a_file_is_a_usage_error(run_cli, tmp_path):
    target = tmp_path / "school.yaml"
    target.write_text("x\n")
    ran = _init(run_cli, target, "--name", "Oakfield")
    assert ran.code == 2 and "is a file" in ran.err
    assert target.read_text() == "x\n"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--platform", "myspace"], "choose one of: x, instagram"),
        (["--handle", "two words"], "give the account's handle"),
        (["--name", "   "], "the school's name is empty"),
        (["--name", "red\x1b[31m"], "on one line"),
        (["--starting-point", "uk-nursery"], "uk-nursery"),
    ],
)
def test_bad_answers_are_usage_errors(run_cli, tmp_path, args, says):
    ran = _init(run_cli, tmp_path / "new", *args)
    assert ran.code == 2
    assert says in ran.err
    assert not (tmp_path / "new" / "school.yaml").exists()


def test_defaults_come_from_the_folder_name(run_cli, tmp_path):
    assert run_cli("init", str(tmp_path / "st-marys_infants"), "--yes").code == 0
    school = yaml.safe_load((tmp_path / "st-marys_infants" / "school.yaml").read_text("utf-8"))
    account = yaml.safe_load(
        (tmp_path / "st-marys_infants" / "accounts" / "main.yaml").read_text("utf-8")
    )
    assert school["school"]["name"] == "St Marys Infants"
    assert (account["platform"], account["handle"]) == ("x", "@StMarysInfants")


def test_a_name_yaml_would_misread_stays_one_value(run_cli, tmp_path):
    name = 'St Mary\'s: "Infants" #1 — Ysgol Gymraeg'
    assert _init(run_cli, tmp_path, "--name", name, "--handle", "StMarys").code == 0
    school = yaml.safe_load((tmp_path / "school.yaml").read_text("utf-8"))
    account = yaml.safe_load((tmp_path / "accounts" / "main.yaml").read_text("utf-8"))
    assert school["school"]["name"] == name
    assert account["handle"] == "@StMarys"
    assert (tmp_path / "README.md").read_text("utf-8").startswith(f"# {name}: ")


def test_prompts_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(command, "interactive", lambda: True)
    answers = "\n".join(
        [
            "Castle Mead Academy",  # name
            "uk-secondary",  # starting point
            "",  # platform: the starting point's own (instagram)
            "castle mead",  # not a handle: asked again
            "@castlemeadacademy",
        ]
    )
    result = CliRunner().invoke(cli, ["init", str(tmp_path)], input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert "uk-secondary" in result.output and "a UK secondary school" in result.output
    assert "give the account's handle" in result.output
    school = yaml.safe_load((tmp_path / "school.yaml").read_text("utf-8"))
    account = yaml.safe_load((tmp_path / "accounts" / "main.yaml").read_text("utf-8"))
    assert school["school"]["name"] == "Castle Mead Academy"
    assert school["school"]["phase"] == "secondary"
    assert (account["platform"], account["handle"]) == ("instagram", "@castlemeadacademy")


def test_no_prompts_with_yes_even_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(command, "interactive", lambda: True)
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "oak"), "--yes"], input="")
    assert result.exit_code == 0, result.output
    assert "School name" not in result.output


def test_quiet_init_says_nothing_and_verbose_says_more(run_cli, tmp_path):
    quiet = run_cli("--quiet", "init", str(tmp_path / "a"), "--yes")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    verbose = run_cli("init", str(tmp_path / "b"), "--yes", "--verbose")
    assert verbose.code == 0
    assert "starting point uk-primary, x account @B" in verbose.err
    assert "created school.yaml" in verbose.out


def test_templates_cover_every_starting_point_and_placeholder():
    # Every starting point renders, with no @@placeholder@@ left and valid YAML throughout.
    for point in scaffold.STARTING_POINTS:
        planned = scaffold.plan(scaffold.answers("Oakfield", point, "x", "@Oak"))
        for item in planned:
            assert "@@" not in item.text, (point, item.path)
            if item.path.endswith((".yaml", ".yml")):
                yaml.safe_load(item.text)
    with pytest.raises(KeyError, match="@@nope@@"):
        scaffold.render.fill("a @@nope@@ b", {})


def test_schema_urls_are_the_schemas_ids():
    for short in schemas.names():
        assert resources.schema(f"{short}.schema.json")["$id"] == schemas.url(short)


def test_the_cli_offers_every_starting_point():
    # cli/starting.py names them literally, so `safesocial --version` need not import the scaffold.
    option = next(p for p in cli.commands["init"].params if p.name == "starting_point")
    assert list(option.type.choices) == list(scaffold.STARTING_POINTS)
