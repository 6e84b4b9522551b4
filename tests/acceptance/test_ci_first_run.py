"""The CI files `safesocial init` writes work on their first run, on a private repository.

A school's policy repository is private, and most schools have no GitHub Code Security:
code scanning refuses their SARIF. The generated workflow's Action is run here step by
step (tests/actions_runner.py: bash, GitHub's environment variables, no network), from
a scratch repository made by `safesocial init`, as a private and as a public repository,
on a push and on a pull request. The GitLab job's script runs the same way.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from safesocial import project
from safesocial.cli import main
from tests.actions_runner import Job, Runner
from tests.conftest import EXAMPLES, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
BIN = Path(sys.executable).parent
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


def _shims(where: Path) -> str:
    """`python -m venv DIR` makes a venv whose pip only records what it was asked to
    install and whose safesocial is this one (no network); any other `python` is real."""
    where.mkdir(parents=True)
    shim = where / "python"
    shim.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then\n'
        '  mkdir -p "$3/bin"\n'
        f'  printf \'#!/bin/sh\\necho "$@" >> "%s/pip-args"\\n\' "$3" > "$3/bin/pip"\n'
        '  chmod +x "$3/bin/pip"\n'
        f'  ln -s "{BIN / "safesocial"}" "$3/bin/safesocial"\n'
        "  exit 0\n"
        "fi\n"
        f'exec "{sys.executable}" "$@"\n',
        "utf-8",
    )
    shim.chmod(0o755)
    return f"{where}:{SYSTEM_PATH}"


def _school(where: Path, clean: bool) -> Path:
    """A repository as `safesocial init` writes it; `clean` puts a well-run school's
    files in it (the workflow is init's own either way)."""
    assert main(["init", str(where), "--yes", "--name", "Oakfield Primary"]) == 0
    if clean:
        keep = {".github", ".gitlab-ci.yml", ".pre-commit-config.yaml", "safesocial.yaml"}
        for item in where.iterdir():
            if item.name not in keep:
                shutil.rmtree(item) if item.is_dir() else item.unlink()
        shutil.copytree(EXAMPLES / "clean-primary", where, dirs_exist_ok=True)
    return where


def _workflow_job(tmp_path: Path, *, private: bool, event: str, clean: bool) -> tuple[Job, Path]:
    repo = _school(tmp_path / "repo", clean)
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "safesocial.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    ours = [s for s in steps if s.get("uses", "").startswith(project.PROJECT_REPO + "@")]
    assert len(ours) == 1, steps
    assert [s["uses"].split("@")[0] for s in steps if s is not ours[0]] == ["actions/checkout"]
    assert not any("run" in s for s in steps)  # everything runs inside the Action
    payload = {"repository": {"private": private, "full_name": "oakfield/policy"}}
    runner = Runner(ROOT, repo, tmp_path / "runner", event, payload, _shims(tmp_path / "shims"))
    return runner.run(ACTION, ours[0].get("with", {})), tmp_path / "runner"


@pytest.mark.parametrize("event", ["push", "pull_request", "schedule"])
def test_a_private_repository_without_code_security_passes(tmp_path: Path, event: str) -> None:
    job, runner = _workflow_job(tmp_path, private=True, event=event, clean=True)
    assert not job.failed, [(s.name, s.returncode, s.stdout, s.stderr) for s in job.steps]
    # Installed from the Action's own checkout, not from a package index.
    (pip,) = (runner / "safesocial-venv" / "pip-args").read_text().splitlines()
    assert pip == f"install --quiet {ROOT}" and (ROOT / "pyproject.toml").is_file()
    # No upload to a code scanning the repository does not have; the summary and the
    # HTML report all the same.
    assert not job.step("Upload SARIF to code scanning").ran
    artifact = job.step("Keep the HTML report")
    assert artifact.ran and Path(artifact.with_["path"]).is_file()
    assert "## ✅ safesocial: no findings" in job.summary
    assert "not uploaded to code scanning" in job.step("Decide where findings go").stdout


def test_findings_fail_the_job_after_the_reports_are_kept(tmp_path: Path) -> None:
    job, _ = _workflow_job(tmp_path, private=True, event="push", clean=False)
    assert job.failed and job.step("Fail per fail-on").returncode == 2  # a fresh repo: gaps
    assert job.step("Keep the HTML report").ran
    assert "safesocial: could not check everything" in job.summary
    # Not uploading SARIF: the annotations are the only findings beside the lines.
    assert "::error file=accounts/" in job.step("Check").stdout


def test_a_public_pull_request_is_annotated_once(tmp_path: Path) -> None:
    job, _ = _workflow_job(tmp_path, private=False, event="pull_request", clean=False)
    upload = job.step("Upload SARIF to code scanning")
    assert upload.ran and upload.continue_on_error  # a refused upload never fails the job
    assert Path(upload.with_["sarif_file"]).is_file()
    # Code scanning annotates the pull request from the SARIF: no second set of ours.
    assert "::error" not in job.step("Check").stdout
    assert "## ❌ safesocial" in job.summary


def test_a_public_push_uploads_and_annotates(tmp_path: Path) -> None:
    job, _ = _workflow_job(tmp_path, private=False, event="push", clean=False)
    assert job.step("Upload SARIF to code scanning").ran
    assert "::error file=accounts/" in job.step("Check").stdout


def test_upload_true_uploads_from_a_private_repository(tmp_path: Path) -> None:
    repo = _school(tmp_path / "repo", clean=True)
    payload = {"repository": {"private": True}}
    runner = Runner(ROOT, repo, tmp_path / "r", "push", payload, _shims(tmp_path / "s"))
    job = runner.run(ACTION, {"upload-sarif": "true"})
    assert job.step("Upload SARIF to code scanning").ran and not job.failed


def test_the_gitlab_job_runs_on_a_fresh_repository(tmp_path: Path) -> None:
    repo = _school(tmp_path / "repo", clean=True)
    doc = yaml.safe_load((repo / ".gitlab-ci.yml").read_text("utf-8"))
    job = doc["safesocial"]
    record = tmp_path / "pip-args"
    shims = tmp_path / "bin"
    shims.mkdir()
    (shims / "python").write_text(
        "#!/bin/sh\n"
        f'if [ "$1 $2 $3" = "-m pip install" ]; then shift 3; echo "$@" > "{record}"; exit 0; fi\n'
        f'exec "{sys.executable}" "$@"\n'
    )
    (shims / "python").chmod(0o755)
    (shims / "safesocial").symlink_to(BIN / "safesocial")
    env = {"PATH": f"{shims}:{SYSTEM_PATH}", "HOME": str(tmp_path), "CI": "true"}
    env.update({k: str(v) for k, v in doc["variables"].items()})
    # GitLab runs each line of the script in one shell, stopping at the first failure.
    done = subprocess.run(
        ["sh", "-e", "-c", "\n".join(job["script"])],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert record.read_text().split() == ["--quiet", project.PROJECT_ARCHIVE]
    assert (repo / job["artifacts"]["reports"]["junit"]).is_file()
    assert all((repo / p).is_file() for p in job["artifacts"]["paths"])


def test_every_generated_file_refers_to_what_exists(tmp_path: Path) -> None:
    repo = _school(tmp_path / "repo", clean=False)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (entry,) = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())["repos"]
    assert entry["repo"] == project.PROJECT_URL and entry["rev"] == project.PROJECT_REF
    assert {h["id"] for h in entry["hooks"]} <= {h["id"] for h in hooks}
    text = "".join(p.read_text("utf-8") for p in repo.rglob("*") if p.is_file())
    assert "refs/tags" not in text and "safesocial==" not in text  # nothing never published
    # The ref is a branch of this repository (no release has been tagged).
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the ref cannot be looked up")
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{project.PROJECT_REF}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    remote = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"origin/{project.PROJECT_REF}"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert found.returncode == 0 or remote.returncode == 0


def test_the_category_input_names_the_sarif_category(tmp_path: Path) -> None:
    repo = _school(tmp_path / "repo", clean=False)
    runner = Runner(ROOT, repo, tmp_path / "r", "push", {"repository": {"private": False}},
                    _shims(tmp_path / "s"))  # fmt: skip
    job = runner.run(ACTION, {"category": "trust-north"})
    sarif = json.loads(
        Path(job.step("Upload SARIF to code scanning").with_["sarif_file"]).read_text()
    )
    assert sarif["runs"][0]["automationDetails"]["id"] == "trust-north/"
    default = Runner(ROOT, repo, tmp_path / "d", "push", {"repository": {"private": False}},
                     _shims(tmp_path / "t")).run(ACTION, {})  # fmt: skip
    doc = json.loads(
        Path(default.step("Upload SARIF to code scanning").with_["sarif_file"]).read_text()
    )
    assert doc["runs"][0]["automationDetails"]["id"] == "safesocial/"
