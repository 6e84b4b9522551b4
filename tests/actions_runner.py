"""Just enough of a GitHub Actions runner to run a workflow's composite Action offline.

Each `run:` step runs in bash as the runner runs it (`bash -e -o pipefail`), with the
environment variables GitHub sets (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_PATH,
GITHUB_EVENT_PATH, RUNNER_TEMP...), its `env:` expressions evaluated, and `if:`
conditions decided; a `uses:` step is not run but recorded with its evaluated `with:`,
so a test can say whether the upload would have happened and with what. The expression
language is only what action.yml uses; anything else fails the test rather than being
guessed at.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_TERM = re.compile(r"^(?P<left>[\w.\-]+)\s*(?P<op>==|!=)\s*'(?P<right>[^']*)'$")


@dataclass
class Step:
    name: str
    ran: bool
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    with_: dict[str, str] = field(default_factory=dict)
    continue_on_error: bool = False


@dataclass
class Job:
    steps: list[Step]
    summary: str  # every step's summary, as GitHub joins them

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)

    @property
    def failed(self) -> bool:
        return any(s.ran and s.returncode != 0 and not s.continue_on_error for s in self.steps)


class Runner:
    def __init__(
        self,
        action_path: Path,
        workspace: Path,
        runner_temp: Path,
        event_name: str,
        event: dict[str, Any],
        path: str,
    ) -> None:
        self.action = action_path
        self.workspace = workspace
        self.temp = runner_temp
        self.temp.mkdir(parents=True, exist_ok=True)
        event_file = runner_temp / "event.json"
        event_file.write_text(json.dumps(event), "utf-8")
        self.base_env = {
            "PATH": path,
            "HOME": str(runner_temp),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event_file),
            "GITHUB_WORKSPACE": str(workspace),
            "RUNNER_TEMP": str(runner_temp),
        }
        self.outputs: dict[str, dict[str, str]] = {}
        self.inputs: dict[str, str] = {}

    def value(self, expression: str) -> str:
        if expression == "github.action_path":
            return str(self.action)
        if expression.startswith("inputs."):
            return self.inputs[expression.removeprefix("inputs.")]
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if match:
            return self.outputs.get(match.group(1), {}).get(match.group(2), "")
        raise AssertionError(f"the test runner does not know the expression {expression!r}")

    def fill(self, text: str) -> str:
        return _EXPR.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, text: str | None) -> bool:
        if text is None:
            return True  # success(): no earlier step failed (checked by the caller)
        body = _EXPR.fullmatch(text.strip())
        terms = (body.group(1) if body else text).split("&&")
        verdict = True
        for term in (t.strip() for t in terms):
            if term == "always()":
                continue
            match = _TERM.match(term)
            assert match, f"the test runner cannot evaluate {term!r}"
            left = self.value(match["left"])
            verdict &= (left == match["right"]) == (match["op"] == "==")
        return verdict

    def run(self, action: dict[str, Any], given: dict[str, str]) -> Job:
        self.inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
        unknown = set(given) - set(self.inputs)
        assert not unknown, f"the workflow passes inputs the Action does not have: {unknown}"
        self.inputs.update({k: str(v) for k, v in given.items()})
        steps: list[Step] = []
        summaries: list[str] = []
        extra_path: list[str] = []
        for n, spec in enumerate(action["runs"]["steps"]):
            name = spec["name"]
            failed_before = any(s.ran and s.returncode and not s.continue_on_error for s in steps)
            wanted = self.condition(spec.get("if"))
            if not wanted or (failed_before and "always()" not in str(spec.get("if"))):
                steps.append(Step(name, ran=False))
                continue
            if "uses" in spec:
                with_ = {k: self.fill(str(v)) for k, v in spec.get("with", {}).items()}
                steps.append(
                    Step(
                        name,
                        True,
                        with_=with_,
                        continue_on_error=bool(spec.get("continue-on-error")),
                    )
                )
                continue
            files = {
                key: self.temp / f"{key.lower()}-{n}"
                for key in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_PATH")
            }
            for f in files.values():
                f.write_text("", "utf-8")
            env = dict(self.base_env)
            env["PATH"] = os.pathsep.join([*extra_path, env["PATH"]])
            env.update({k: str(v) for k, v in files.items()})
            env.update({k: self.fill(str(v)) for k, v in spec.get("env", {}).items()})
            assert "${{" not in spec["run"], f"{name}: an expression pasted into a script"
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", spec["run"]],
                cwd=self.workspace,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            out = files["GITHUB_OUTPUT"].read_text("utf-8").splitlines()
            if "id" in spec:
                self.outputs[spec["id"]] = dict(line.split("=", 1) for line in out if "=" in line)
            extra_path = [*files["GITHUB_PATH"].read_text("utf-8").split(), *extra_path]
            summaries.append(files["GITHUB_STEP_SUMMARY"].read_text("utf-8"))
            steps.append(
                Step(name, True, done.returncode, done.stdout, done.stderr,
                     continue_on_error=bool(spec.get("continue-on-error")))
            )  # fmt: skip
        return Job(steps, "".join(summaries))
