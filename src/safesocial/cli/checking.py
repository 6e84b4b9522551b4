"""`safesocial check`: read, check and report on school folders."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from safesocial import verbosity
from safesocial.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    EXIT_FINDINGS,
    FAIL_ON,
    FORMATS,
    FORMATS_SAID,
    _as_of,
    _as_of_option,
    _config_option,
    _file_option,
    _outputs_option,
    _use_color,
    cli,
)
from safesocial.errors import UsageError

if TYPE_CHECKING:  # commands import what they need, so --version starts fast
    from safesocial.model import Loaded
    from safesocial.reporters.output import Output
    from safesocial.reporters.reveal import Reveal


def _show_progress() -> bool:
    """A progress bar only for a person watching: a terminal, not CI, not piped."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def _width() -> int | None:
    """Wrap text to the terminal's width when printing to one; never in a pipe or a log,
    where one finding a line is what grep and CI viewers want."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _selectors(values: tuple[str, ...]) -> list[str]:
    """--select SS1,SS2 --select records: every comma-separated item, in order."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def output_reveal(loads: Sequence[Loaded]) -> Reveal:
    from safesocial.reporters.reveal import reveal_map

    return reveal_map(loads)


@cli.command()
@verbosity.options
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--output-format",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="The report to print on the terminal (same as --output FORMAT); default: text.",
)
@_outputs_option(
    f"A report to write: {FORMATS_SAID} (plan-md and plan-csv are the action plan); "
    "to PATH, or to the terminal without one. Repeat for several. A trust's summary and "
    "one report per school: html-dir:FOLDER, pdf-dir:FOLDER."
)
@click.option(
    "--reveal-names",
    is_flag=True,
    help="Show handles and names in a local HTML report (never in any other output).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="The least severity that makes the run fail (exit 1); default: the "
    "configuration's fail_on, else error.",
)
@_config_option
@_as_of_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Check this many schools at once, in separate processes (default: the cores "
    "available). The output is the same whatever the number.",
)
@click.option("--strict", is_flag=True, help="Ignore every waiver: show the findings as they are.")
@_file_option(
    "--baseline",
    "baseline_path",
    "Fail only on findings not in this baseline (see `safesocial baseline create`).",
)
@click.option(
    "--compare",
    "compare_path",
    type=click.Path(dir_okay=False),
    metavar="PREVIOUS.json",
    help="Mark each finding new or still open since an earlier run's JSON report "
    "(--output json:FILE), and list what it found that is now fixed.",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Force colour on or off (default: on a terminal, unless NO_COLOR; FORCE_COLOR forces it).",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Run only these rules (ids, id prefixes, names or categories; comma-separated or "
    "repeated), instead of the configuration's select.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="RULES",
    help="Also leave out these rules, as well as the configuration's ignore.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print how many findings each rule raised instead of the findings "
    "(as JSON with --output-format json); report files are still written.",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when findings reach --fail-on; bad input and anything not fully "
    "checked still exit 2.",
)
# --- cache and shards (docs/fleets.md) ---
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read and check every school anew, without .safesocial_cache/ (also "
    "SAFESOCIAL_NO_CACHE=1).",
)
@click.option(
    "--shard",
    metavar="I/N",
    default=None,
    help="Check share I of N of the schools (each school is always in the same share) "
    "and write the JSON report for `safesocial merge`.",
)
# --- end cache and shards ---
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str | None,
    outputs: tuple[str, ...],
    reveal_names: bool,
    fail_on: str | None,
    config_path: str | None,
    as_of: str | None,
    jobs: int,
    strict: bool,
    baseline_path: str | None,
    compare_path: str | None,
    color: bool | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    statistics: bool,
    exit_zero: bool,
    no_cache: bool,
    shard: str | None,
) -> None:
    """Check the school folder(s) at PATHS (default: here): a folder holding school.yaml,
    a folder of them, or a folder inside one school's (such as its accounts/)."""
    from safesocial.reporters import output
    from safesocial.reporters import statistics as stats
    from safesocial.reporters.base import Options
    from safesocial.reporters.progress import progress_bar
    from safesocial.running import baseline, compare, pipeline

    paths = paths or (".",)
    plan = output.plan(([fmt] if fmt else []) + list(outputs), os.environ, reveal_names)
    # Read before checking: a wrong file is exit 2 at once, not after a long run.
    earlier = compare.load(Path(compare_path)) if compare_path else None
    stats_format = None
    if statistics:
        # The statistics take the terminal's place; files and annotations are kept.
        shown = [o.fmt for o in plan if o.path is None and o.fmt != "github"] or ["text"]
        if shown[0] not in ("text", "json"):
            raise UsageError("--statistics prints text or json; write the other reports to files")
        stats_format = shown[0]
        plan = [o for o in plan if o.path is not None or o.fmt == "github"]
    # --- cache and shards ---
    share = _shard(shard, plan, baseline_path)
    use_cache = not (no_cache or reveal_names or os.environ.get("SAFESOCIAL_NO_CACHE"))
    # --- end cache and shards ---
    with progress_bar(enabled=_show_progress() and verbosity.level() != "quiet") as tick:
        checked = pipeline.check(
            paths,
            config_path,
            _as_of(as_of),
            strict,
            jobs=jobs or pipeline.default_jobs(),
            keep_loads=reveal_names,
            progress=tick,
            select=_selectors(select),
            ignore=_selectors(ignore),
            use_cache=use_cache,
            shard=share,
        )
    for note in checked.notes:  # how the cache was used, for --verbose
        verbosity.detail(note)
    result = checked.result
    if baseline_path:
        result = baseline.apply(result, baseline.load(Path(baseline_path)))
    if earlier is not None:
        result = compare.apply(result, earlier)
    by_id = {r.id: r for r in checked.rules}
    reveal = output_reveal(checked.loads) if reveal_names else None
    for line in verbosity.describe_check(checked):
        verbosity.detail(line)
    fail_on = fail_on or checked.config.fail_on.value
    options = Options(
        color=_use_color(color),
        reveal=reveal,
        quiet=verbosity.level() == "quiet",
        fail_on=fail_on,
        width=_width(),
    )
    output.deliver(plan, result, by_id, options, sys.stdout)
    if stats_format is not None:
        render = stats.as_json if stats_format == "json" else stats.as_text
        click.echo(render(result, by_id), nl=False)
    # Anything unread or unchecked is bad input (2), whatever was found elsewhere, and
    # --exit-zero does not change that: CI must never pass a run that could not see
    # everything.
    findings = EXIT_CLEAN if exit_zero else EXIT_FINDINGS
    codes = {"incomplete": EXIT_BAD_INPUT, "findings": findings, "clean": EXIT_CLEAN}
    ctx.exit(codes[result.outcome(fail_on)])


# --- cache and shards: `check --shard`, `merge`, `cache clear` (docs/fleets.md) ---


def _shard(
    value: str | None, plan: Sequence[Output], baseline_path: str | None
) -> tuple[int, int] | None:
    """--shard I/N as (I, N); a shard writes the JSON report merge reads, and no baseline
    (merge applies one to the whole run)."""
    if value is None:
        return None
    from safesocial.running.pipeline import parse_shard

    share = parse_shard(value)
    if not any(o.fmt == "json" and o.path for o in plan):
        raise UsageError("--shard needs --output json:FILE, the report `safesocial merge` reads")
    if baseline_path:
        raise UsageError("--shard and --baseline do not go together: give the baseline to merge")
    return share
