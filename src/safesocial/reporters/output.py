"""Where reports go: `--output FORMAT[:PATH]`, repeatable; stdout when there is no path.

Files are written atomically. In GitHub Actions the Markdown summary also goes to
$GITHUB_STEP_SUMMARY and annotations to stdout, as people using Actions expect.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from safesocial import reporters
from safesocial.atomic import write_atomic
from safesocial.errors import SafesocialError, UsageError
from safesocial.packs.rules import Rule
from safesocial.reporters import folder
from safesocial.reporters.base import Options
from safesocial.running.results import RunResult


@dataclass(frozen=True, slots=True)
class Output:
    fmt: str
    path: Path | None  # None: standard output


def parse(spec: str) -> Output:
    """`json`, `json:report.json`, `html:out/report.html`, `json:-` (stdout)..."""
    fmt, sep, path = spec.partition(":")
    fmt = fmt.strip().lower()
    if fmt in folder.FORMATS:
        if not path:
            raise UsageError(f"--output {spec!r}: give a folder after the colon: {fmt}:reports/")
        return Output(fmt, Path(path))
    if fmt not in reporters.REPORTERS:
        known = ", ".join(sorted([*reporters.REPORTERS, *folder.FORMATS]))
        raise UsageError(f"--output {spec!r}: unknown format {fmt!r}; known formats: {known}")
    if sep and not path:
        raise UsageError(f"--output {spec!r}: give a file after the colon, or no colon for stdout")
    # `-` is standard output, as for most tools: never a file named "-".
    return Output(fmt, Path(path) if path and path != "-" else None)


def plan(specs: Sequence[str], env: Mapping[str, str], reveal: bool) -> list[Output]:
    """The outputs of a run: those asked for (text on stdout when none), plus CI's own."""
    outputs = [parse(s) for s in specs] or [Output("text", None)]
    on_stdout = [o for o in outputs if o.path is None and o.fmt not in folder.FORMATS]
    if len(on_stdout) > 1:
        raise UsageError("only one --output can go to standard output; give the others a file")
    for out in on_stdout:
        if out.fmt in reporters.REPORTERS and reporters.REPORTERS[out.fmt].binary:
            raise UsageError(
                f"--output {out.fmt} needs a file: --output {out.fmt}:report.{out.fmt}"
            )
    if reveal and not any(o.fmt in ("html", "html-dir") and o.path for o in outputs):
        raise UsageError("--reveal-names is only for a local HTML report: add --output html:FILE")
    if env.get("GITHUB_STEP_SUMMARY") and "markdown" in reporters.REPORTERS:
        outputs.append(Output("markdown", Path(env["GITHUB_STEP_SUMMARY"])))
    # SAFESOCIAL_ANNOTATIONS=false: the Action's pull requests, where code scanning
    # annotates the diff from the SARIF and ours would show every finding twice.
    wants_annotations = (
        env.get("GITHUB_ACTIONS") == "true"
        and env.get("SAFESOCIAL_ANNOTATIONS", "").lower() != "false"
        and "github" in reporters.REPORTERS
    )
    if wants_annotations and not any(o.fmt == "github" for o in outputs):
        outputs.append(Output("github", None))
    return outputs


class OutputFailed(SafesocialError):
    """Some reports could not be made; the others were."""


def deliver(
    outputs: Sequence[Output],
    result: RunResult,
    rules: Mapping[str, Rule],
    options: Options,
    stdout: TextIO,
    env: Mapping[str, str] | None = None,
) -> None:
    env = os.environ if env is None else env
    failed: list[str] = []
    for out in outputs:
        # One report that cannot be made (a crash in its reporter, a folder that is not
        # there) must not cost the others: each is tried, and the run then fails (exit 2).
        try:
            own = _with_category(options, env) if out.fmt == "sarif" else options
            _deliver_one(out, result, rules, own, stdout, env.get("GITHUB_STEP_SUMMARY"))
        except SafesocialError as exc:
            failed.append(str(exc))
        except BrokenPipeError:
            raise  # the reader went away (`| head`): the CLI ends quietly
        except OSError as exc:
            failed.append(f"cannot write the {out.fmt} report: {exc.strerror}")
        except Exception as exc:
            # The type only: an exception's text may quote the input, and this goes to
            # the terminal or a CI log.
            failed.append(
                f"the {out.fmt} report could not be made ({type(exc).__name__}); "
                "this is a bug in safesocial, please report it"
            )
    if failed:
        done = len(outputs) - len(failed)
        raise OutputFailed("; ".join(failed) + f" ({done} of {len(outputs)} reports were made)")


def _with_category(options: Options, env: Mapping[str, str]) -> Options:
    """SAFESOCIAL_SARIF_CATEGORY (the Action's `category` input) names the code scanning
    category, for a repository that uploads several safesocial checks (one per trust
    folder, say); each upload then replaces only its own alerts."""
    category = env.get("SAFESOCIAL_SARIF_CATEGORY", "").strip().strip("/")
    return replace(options, sarif_category=category) if category else options


def _deliver_one(
    out: Output,
    result: RunResult,
    rules: Mapping[str, Rule],
    options: Options,
    stdout: TextIO,
    summary_file: str | None,
) -> None:
    pages = folder.PAGES.get(out.fmt) or reporters.REPORTERS[out.fmt]
    own = options if pages.may_name_pupils else replace(options, reveal=None)
    if out.path is not None:
        own = replace(own, color=False, quiet=False, width=None)  # a file is not a terminal
    if out.fmt in folder.FORMATS and out.path is not None:
        try:
            folder.write(out.fmt, out.path, result, rules, own)
        except OSError as exc:
            raise UsageError(f"cannot write {out.path}: {exc.strerror}") from None
        return
    rendered = reporters.make(out.fmt, own).render(result, rules)
    if out.path is None:
        stdout.write(rendered if isinstance(rendered, str) else rendered.decode())
    elif summary_file and out.fmt == "markdown" and str(out.path) == summary_file:
        # GitHub collects the job summary by appending; each step adds its part.
        with out.path.open("a", encoding="utf-8") as fh:
            fh.write(rendered if isinstance(rendered, str) else rendered.decode())
    else:
        try:
            write_atomic(out.path, rendered)
        except OSError as exc:
            raise UsageError(f"cannot write {out.path}: {exc.strerror}") from None
