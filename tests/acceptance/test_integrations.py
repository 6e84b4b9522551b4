"""The school's toolbox: the GitHub Action, GitLab CI, the pre-commit hook, editor schemas,
and a CLI that behaves as people expect (--quiet, --verbose, NO_COLOR, shell completion).

The Action's and GitLab's own shell steps are run here, with a local safesocial standing
in for the install step, so what they write is checked, not only how they read.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from safesocial import scaffold
from safesocial.documents import resources
from safesocial.scaffold import schemas
from tests.conftest import AS_OF, EXAMPLES, ROOT, tool

ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
GITLAB = ROOT / "ci-templates" / "gitlab-ci.yml"
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
BIN = Path(sys.executable).parent


def _env(**extra: str) -> dict[str, str]:
    """This interpreter's safesocial first on PATH; no CI variables from outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "NO_COLOR"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def _rendered(path: str) -> str:
    answers = scaffold.answers("Oakfield", "uk-primary", "x", "@Oakfield")
    return next(p.text for p in scaffold.plan(answers) if p.path == path)


# -- the GitHub Action ---------------------------------------------------------------------


def _steps() -> dict[str, dict]:
    return {step["name"]: step for step in ACTION["runs"]["steps"]}


def test_action_is_composite_with_its_inputs():
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert {"path", "fail-on", "config", "upload-sarif"} <= set(inputs)
    assert "version" not in inputs  # no safesocial is published to install by version
    assert (inputs["path"]["default"], inputs["fail-on"]["default"]) == (".", "error")
    assert all(spec["description"] for spec in inputs.values())
    uses = [s.get("uses", "").split("@")[0] for s in ACTION["runs"]["steps"]]
    assert uses == [
        "actions/setup-python",
        "",
        "",
        "",
        "github/codeql-action/upload-sarif",
        "actions/upload-artifact",
        "",
    ]


def test_action_uploads_whatever_the_check_found():
    steps = _steps()
    sarif, html = steps["Upload SARIF to code scanning"], steps["Keep the HTML report"]
    # always(): findings fail nothing before the last step, but a cancelled or failed
    # earlier step must not hide reports that were written.
    assert "always()" in sarif["if"] and "always()" in html["if"]
    assert sarif["with"]["sarif_file"] == "${{ steps.check.outputs.sarif }}"
    assert html["with"]["path"] == "${{ steps.check.outputs.html }}"
    assert steps["Check"]["id"] == "check"


def test_action_scripts_take_inputs_only_through_env():
    # `${{ inputs.path }}` inside a script is pasted into the shell before it runs: a
    # crafted value would run commands. Scripts read environment variables instead.
    for step in ACTION["runs"]["steps"]:
        if "run" not in step:
            continue
        assert "${{" not in step["run"], step["name"]
        assert step["shell"] == "bash"
    env_values = " ".join(v for s in ACTION["runs"]["steps"] for v in s.get("env", {}).values())
    for name in ("path", "fail-on", "config", "upload-sarif"):
        assert f"${{{{ inputs.{name} }}}}" in env_values, name


def _run_action(tmp_path: Path, **inputs: str) -> tuple[int, dict[str, str], Path]:
    """Run the Check and Fail steps as GitHub would (bash -e), from the repository root."""
    runner = tmp_path / "runner"
    runner.mkdir(parents=True)
    outputs, summary = runner / "output", runner / "summary.md"
    env = _env(
        RUNNER_TEMP=str(runner),
        GITHUB_OUTPUT=str(outputs),
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_ACTIONS="true",
        SAFESOCIAL_PATH=inputs.get("path", "."),
        SAFESOCIAL_FAIL_ON=inputs.get("fail-on", "error"),
        SAFESOCIAL_CONFIG=inputs.get("config", ""),
    )
    check = _steps()["Check"]["run"]
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", check],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr  # the check step itself never fails the job
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    fail = subprocess.run(
        [
            "bash",
            "--noprofile",
            "--norc",
            "-eo",
            "pipefail",
            "-c",
            _steps()["Fail per fail-on"]["run"],
        ],
        env=_env(SAFESOCIAL_STATUS=values["exit-code"]),
        capture_output=True,
        text=True,
    )
    return fail.returncode, values | {"stdout": done.stdout}, summary


def test_action_check_writes_sarif_html_summary_and_fails_per_fail_on(tmp_path):
    code, out, summary = _run_action(tmp_path, path="examples/drift-primary")
    assert code == 1 and out["exit-code"] == "1"
    sarif = json.loads(Path(out["sarif"]).read_text("utf-8"))
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"SS101", "SS221"}
    assert Path(out["html"]).read_text("utf-8").lstrip().lower().startswith("<!doctype html")
    assert "## ❌ safesocial" in summary.read_text("utf-8")  # exactly once, not twice
    assert summary.read_text("utf-8").count("## ❌ safesocial") == 1
    assert "::error file=examples/drift-primary/accounts/twitter.yaml" in out["stdout"]

    code, out, _ = _run_action(
        tmp_path / "never", path="examples/drift-primary", **{"fail-on": "never"}
    )
    assert code == 0 and out["exit-code"] == "0"


def test_action_inputs_cannot_inject_commands(tmp_path):
    marker = tmp_path / "pwned"
    code, out, _ = _run_action(
        tmp_path,
        path=f'examples/drift-primary"; touch {marker}; echo "',
        config=f"$(touch {marker})",
    )
    assert code == 2 and out["exit-code"] == "2"  # a path that does not exist: usage error
    assert not marker.exists()


def test_scaffold_workflow_uses_this_action():
    workflow = yaml.safe_load(_rendered(".github/workflows/safesocial.yml"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as true
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["check"]["steps"]
    step = next(s for s in steps if s.get("uses", "").startswith(scaffold.PROJECT_REPO))
    assert step["uses"] == f"{scaffold.PROJECT_REPO}@{scaffold.RELEASE}"
    assert set(step["with"]) <= set(ACTION["inputs"])


# -- GitLab CI -----------------------------------------------------------------------------


def test_gitlab_template_publishes_junit_and_the_html_report():
    job = yaml.safe_load(GITLAB.read_text("utf-8"))["safesocial"]
    script = " ".join(job["script"])
    junit = re.search(r"-o junit:(\S+)", script).group(1)
    html = re.search(r"-o html:(\S+)", script).group(1)
    assert job["artifacts"]["reports"]["junit"] == junit
    assert html in job["artifacts"]["paths"]
    assert job["artifacts"]["when"] == "always"


def test_gitlab_template_is_what_init_writes():
    assert GITLAB.read_text("utf-8") == _rendered(".gitlab-ci.yml"), (
        "ci-templates/gitlab-ci.yml and the scaffold's template "
        "(src/safesocial/scaffold/templates/gitlab-ci.yml) differ: keep them the same"
    )


def test_gitlab_script_runs_in_posix_sh(tmp_path):
    doc = yaml.safe_load(GITLAB.read_text("utf-8"))
    check = doc["safesocial"]["script"][-1]  # the first line installs safesocial
    work = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "drift-primary", work)
    done = subprocess.run(
        ["sh", "-c", check],
        cwd=work,
        env=_env(**{k: str(v) for k, v in doc["variables"].items()}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "<testsuites" in (work / "safesocial-junit.xml").read_text("utf-8")
    assert (work / "safesocial-report.html").is_file()


# -- pre-commit ----------------------------------------------------------------------------


def test_hook_manifest():
    (hook,) = HOOKS
    assert hook["id"] == "safesocial"
    assert hook["entry"] == "safesocial check ."
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for name in ("school.yaml", "accounts/main.yml", "pupils.csv", "policy.yaml"):
        assert files.search(name), name
    for name in ("README.md", "report.html", "notes.yaml.bak"):
        assert not files.search(name), name


def test_scaffold_pre_commit_config_names_the_hook():
    config = yaml.safe_load(_rendered(".pre-commit-config.yaml"))
    (repo,) = config["repos"]
    assert (repo["repo"], repo["rev"]) == (scaffold.PROJECT_URL, scaffold.RELEASE)
    assert [h["id"] for h in repo["hooks"]] == [HOOKS[0]["id"]]


def _git_repo(folder: Path, example: str) -> None:
    shutil.copytree(EXAMPLES / example, folder)
    (folder / "README.md").write_text("# notes\n")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def _pre_commit(folder: Path, hook: dict, *args: str) -> subprocess.CompletedProcess[str]:
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (folder / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    return subprocess.run(
        [tool("pre-commit"), "run", *args],
        cwd=folder,
        env=_env(PRE_COMMIT_HOME=str(folder.parent / "pre-commit-home")),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def local_hook() -> dict:
    # The published hook as it is, except `language: system`: pre-commit runs the
    # safesocial already installed instead of building a virtualenv from the package
    # index, so this runs offline. `args` pins the day the examples are judged on.
    return HOOKS[0] | {"language": "system", "args": ["--as-of", AS_OF]}


def test_pre_commit_hook_fails_on_drift(tmp_path, local_hook):
    _git_repo(tmp_path / "drift", "drift-primary")
    done = _pre_commit(tmp_path / "drift", local_hook, "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"safesocial\.+Failed", done.stdout)
    assert "SS101" in done.stdout and "accounts/twitter.yaml:21:1" in done.stdout


def test_pre_commit_hook_passes_a_clean_school_and_skips_other_files(tmp_path, local_hook):
    _git_repo(tmp_path / "clean", "clean-primary")
    done = _pre_commit(tmp_path / "clean", local_hook, "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"safesocial\.+Passed", done.stdout)
    only_readme = _pre_commit(tmp_path / "clean", local_hook, "--files", "README.md")
    assert only_readme.returncode == 0
    assert re.search(r"safesocial\.+\(no files to check\)Skipped", only_readme.stdout)


def test_the_offline_hook_in_the_docs_works(tmp_path):
    doc = (ROOT / "docs" / "getting-started.md").read_text("utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, flags=re.S) if "repo: local" in b)
    (hook,) = yaml.safe_load(block)["repos"][0]["hooks"]
    assert {k: hook[k] for k in ("entry", "pass_filenames", "files")} == {
        k: HOOKS[0][k] for k in ("entry", "pass_filenames", "files")
    }
    _git_repo(tmp_path / "drift", "drift-primary")
    done = _pre_commit(tmp_path / "drift", hook, "--all-files")
    assert done.returncode == 1 and "SS101" in done.stdout, done.stdout + done.stderr


@pytest.mark.skipif(
    not os.environ.get("SAFESOCIAL_TEST_PRE_COMMIT_INSTALL"),
    reason="installs the hook from the package index; set SAFESOCIAL_TEST_PRE_COMMIT_INSTALL=1",
)
def test_pre_commit_installs_the_published_hook(tmp_path):
    # The real thing: pre-commit clones this project at a commit and pip-installs it
    # (language: python), which needs the package index for hatchling and the
    # dependencies. The project is copied and committed in tmp_path, so the working
    # tree's .pre-commit-hooks.yaml is what is installed.
    project = tmp_path / "safesocial"
    project.mkdir()
    for name in ("src", "policies", "schemas"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, project / name)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "hook"]):
        subprocess.run([*git, *args], cwd=project, check=True, capture_output=True)
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.strip()
    _git_repo(tmp_path / "drift", "drift-primary")
    hook = {"id": "safesocial", "args": ["--as-of", AS_OF]}
    config = {"repos": [{"repo": str(project), "rev": rev, "hooks": [hook]}]}
    (tmp_path / "drift" / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    done = subprocess.run(
        [tool("pre-commit"), "run", "--all-files"],
        cwd=tmp_path / "drift",
        env=_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home")),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "SS101" in done.stdout


# -- editors: schemas ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["account", "account.schema.json", "ACCOUNT.schema"])
def test_schema_prints_one_schema(run_cli, name):
    ran = run_cli("schema", name)
    assert ran.code == 0, ran.err
    assert json.loads(ran.out) == resources.schema("account.schema.json")


def test_schema_unknown_lists_the_names(run_cli):
    ran = run_cli("schema", "acount")
    assert ran.code == 2
    assert "no schema called 'acount'" in ran.err
    for name in ("account", "policy", "school", "consent", "pupils", "config"):
        assert name in ran.err


def test_schema_without_a_name_lists_them(run_cli):
    ran = run_cli("schema")
    assert ran.code == 0
    assert ran.out.split() == schemas.names()
    assert len(ran.out.split()) == len(list((ROOT / "schemas").glob("*.schema.json")))


def test_every_schema_has_an_id_and_a_description():
    for short in schemas.names():
        schema = resources.schema(f"{short}.schema.json")
        assert schema["$id"] == schemas.url(short)
        assert schema.get("description"), short


# -- --quiet, --verbose, NO_COLOR, completion ----------------------------------------------


def test_quiet_prints_findings_only(run_cli):
    normal = run_cli("check", str(EXAMPLES / "drift-primary"), "--as-of", AS_OF)
    quiet = run_cli("check", str(EXAMPLES / "drift-primary"), "--as-of", AS_OF, "-q")
    assert normal.code == quiet.code == 1
    assert "✗ 3 errors" in normal.out and "✗" not in quiet.out
    assert "SS101" in quiet.out
    assert [line for line in normal.out.splitlines() if "SS" in line] == [
        line for line in quiet.out.splitlines() if "SS" in line
    ]
    assert quiet.err == ""


def test_quiet_clean_run_prints_nothing(run_cli):
    ran = run_cli("--quiet", "check", str(EXAMPLES / "clean-primary"), "--as-of", AS_OF)
    assert (ran.code, ran.out, ran.err) == (0, "", "")


def test_verbose_says_what_was_read_on_stderr(run_cli):
    plain = run_cli("check", str(EXAMPLES / "clean-primary"), "--as-of", AS_OF)
    ran = run_cli("--verbose", "check", str(EXAMPLES / "clean-primary"), "--as-of", AS_OF)
    assert ran.code == 0
    assert ran.out == plain.out  # stdout is the report, unchanged
    assert "config: none found, using the defaults" in ran.err
    assert re.search(r"rules: \d+ selected, from core-", ran.err)
    assert f"as of: {AS_OF}" in ran.err
    assert "read " in ran.err and "7 files (school.yaml, policy.yaml, consent.csv" in ran.err


def test_quiet_and_verbose_together_is_a_usage_error(run_cli):
    ran = run_cli("-q", "check", str(EXAMPLES / "clean-primary"), "-v")
    assert ran.code == 2 and "cannot be used together" in ran.err


def _on_a_terminal(args: list[str], **env: str) -> str:
    """Run safesocial with stdout on a pseudo-terminal, as a person would see it."""
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "safesocial", *args],
        stdout=child,
        stderr=child,
        env=_env(**env),
        cwd=ROOT,
    )
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_no_color_turns_colour_off_on_a_terminal():
    args = ["check", "examples/drift-primary", "--as-of", AS_OF]
    assert "\x1b[" in _on_a_terminal(args)  # a terminal gets colour
    plain = _on_a_terminal(args, NO_COLOR="1")
    assert "\x1b[" not in plain and "SS101" in plain
    assert "\x1b[" in _on_a_terminal([*args, "--color"], NO_COLOR="1")  # asked for: given


def test_shell_completion(tmp_path):
    script = subprocess.run(
        [sys.executable, "-m", "safesocial"],
        env=_env(_SAFESOCIAL_COMPLETE="bash_source"),
        capture_output=True,
        text=True,
    )
    assert "_safesocial_completion()" in script.stdout
    done = subprocess.run(
        [sys.executable, "-m", "safesocial"],
        env=_env(
            _SAFESOCIAL_COMPLETE="bash_complete",
            COMP_WORDS="safesocial init --starting-point ",
            COMP_CWORD="3",
        ),
        capture_output=True,
        text=True,
    )
    assert done.stdout.split() == [
        f"plain,{name}"
        for name in (
            "uk-primary",
            "uk-primary-page",
            "uk-secondary",
            "us-district",
            "trust-department",
        )
    ]
