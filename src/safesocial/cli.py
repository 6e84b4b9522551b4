"""The command line: parse options, build, execute, map the outcome to an exit code.

Exit codes: 0 clean; 1 findings at or above --fail-on; 2 bad input or usage. Only
this module decides them, and only `main` turns errors into them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from safesocial import __version__, talk
from safesocial.errors import SafesocialError, UsageError
from safesocial.importers import FORMATS as IMPORT_FORMATS

if TYPE_CHECKING:  # commands import what they need, so --version starts fast
    from safesocial.model import Loaded
    from safesocial.output import Output
    from safesocial.reveal import Reveal

EXIT_CLEAN, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")


def _as_of(value: str | None) -> date:
    from safesocial.dates import parse_day

    return date.today() if value is None else parse_day(value, "--as-of")


def _show_progress() -> bool:
    """A progress bar only for a person watching: a terminal, not CI, not piped."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def _use_color(flag: bool | None) -> bool:
    """--color/--no-color if given; otherwise a terminal that has not asked for NO_COLOR."""
    if flag is not None:
        return flag
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def output_reveal(loads: Sequence[Loaded]) -> Reveal:
    from safesocial.reveal import reveal_map

    return reveal_map(loads)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="safesocial")
@talk.options
def cli() -> None:
    """Check a school's social media accounts against its own policy and safeguarding guidance."""


@cli.command()
@talk.options
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default=None,
    help="How to print findings on the terminal (same as --output FORMAT).",
)
@click.option(
    "--output",
    "-o",
    "outputs",
    multiple=True,
    metavar="FORMAT[:PATH]",
    help="A report to write: text, json, html, pdf, markdown, sarif, junit or github; "
    "to PATH, or to the terminal without one. Repeat for several.",
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
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="The configuration file (default: safesocial.yaml in the checked folder or above).",
)
@click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD", help="Judge dates as of this day (default: today)."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Check this many schools at once, in separate processes (default: the cores "
    "available). The output is the same whatever the number.",
)
@click.option("--strict", is_flag=True, help="Ignore every waiver: show the findings as they are.")
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Fail only on findings not in this baseline (see `safesocial baseline create`).",
)
@click.option(
    "--color/--no-color", default=None, help="Force colour on or off (default: when a terminal)."
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
    color: bool | None,
    no_cache: bool,
    shard: str | None,
) -> None:
    """Check the school folder(s) at PATHS (a folder holding school.yaml, or folders of them)."""
    from safesocial import baseline, output, pipeline
    from safesocial.reporters.base import Options
    from safesocial.reporters.progress import progress_bar

    plan = output.plan(([fmt] if fmt else []) + list(outputs), os.environ, reveal_names)
    # --- cache and shards ---
    share = _shard(shard, plan, baseline_path)
    use_cache = not (no_cache or reveal_names or os.environ.get("SAFESOCIAL_NO_CACHE"))
    # --- end cache and shards ---
    with progress_bar(enabled=_show_progress() and talk.level() != "quiet") as tick:
        checked = pipeline.check(
            paths,
            config_path,
            _as_of(as_of),
            strict,
            jobs=jobs or pipeline.default_jobs(),
            keep_loads=reveal_names,
            progress=tick,
            use_cache=use_cache,
            shard=share,
        )
    for note in checked.notes:  # how the cache was used, for --verbose
        talk.detail(note)
    result = checked.result
    if baseline_path:
        result = baseline.apply(result, baseline.load(Path(baseline_path)))
    by_id = {r.id: r for r in checked.rules}
    reveal = output_reveal(checked.loads) if reveal_names else None
    for line in talk.describe_check(checked):
        talk.detail(line)
    fail_on = fail_on or checked.config.fail_on.value
    options = Options(
        color=_use_color(color), reveal=reveal, quiet=talk.level() == "quiet", fail_on=fail_on
    )
    output.deliver(plan, result, by_id, options, sys.stdout)
    # Anything unread or unchecked is bad input (2), whatever was found elsewhere: CI
    # must never pass a run that could not see everything.
    codes = {"incomplete": EXIT_BAD_INPUT, "findings": EXIT_FINDINGS, "clean": EXIT_CLEAN}
    ctx.exit(codes[result.outcome(fail_on)])


# --- cache and shards: `check --shard`, `merge`, `cache clear` (docs/fleets.md) ---


def _shard(
    value: str | None, plan: Sequence[Output], baseline_path: str | None
) -> tuple[int, int] | None:
    """--shard I/N as (I, N); a shard writes the JSON report merge reads, and no baseline
    (merge applies one to the whole run)."""
    if value is None:
        return None
    from safesocial.pipeline import parse_shard

    share = parse_shard(value)
    if not any(o.fmt == "json" and o.path for o in plan):
        raise UsageError("--shard needs --output json:FILE, the report `safesocial merge` reads")
    if baseline_path:
        raise UsageError("--shard and --baseline do not go together: give the baseline to merge")
    return share


@cli.command("merge")
@talk.options
@click.argument("reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--output",
    "-o",
    "outputs",
    multiple=True,
    metavar="FORMAT[:PATH]",
    help="A report to write, as for check: text, json, html, pdf, markdown, sarif, junit "
    "or github. Repeat for several.",
)
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None, help="As for check.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="The configuration the shards used (default: safesocial.yaml here or above).",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Fail only on findings not in this baseline, over the whole run.",
)
@click.option("--color/--no-color", default=None, help="Force colour on or off.")
@click.pass_context
def merge_cmd(
    ctx: click.Context,
    reports: tuple[str, ...],
    outputs: tuple[str, ...],
    fail_on: str | None,
    config_path: str | None,
    baseline_path: str | None,
    color: bool | None,
) -> None:
    """Join the JSON reports of `check --shard I/N` (every I from 1 to N) into every
    format, with the exit code one run over the whole fleet would give."""
    from safesocial import baseline, merge, output
    from safesocial.reporters.base import Options

    plan = output.plan(list(outputs), os.environ, reveal=False)
    result, by_id, conf = merge.merged_run([Path(r) for r in reports], config_path)
    if baseline_path:
        result = baseline.apply(result, baseline.load(Path(baseline_path)))
    fail_on = fail_on or conf.fail_on.value
    options = Options(color=_use_color(color), quiet=talk.level() == "quiet", fail_on=fail_on)
    output.deliver(plan, result, by_id, options, sys.stdout)
    codes = {"incomplete": EXIT_BAD_INPUT, "findings": EXIT_FINDINGS, "clean": EXIT_CLEAN}
    ctx.exit(codes[result.outcome(fail_on)])


@cli.group("cache")
def cache_group() -> None:
    """The cache of unchanged schools' results (.safesocial_cache/)."""


@cache_group.command("clear")
@talk.options
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False))
def cache_clear(path: str, config_path: str | None) -> None:
    """Delete the cache used when checking PATH (beside safesocial.yaml, else in PATH)."""
    from safesocial import cache, config

    found = Path(config_path) if config_path else config.discover(Path(path))
    folder = cache.location(found, Path(path))
    talk.say(f"deleted {folder}" if cache.clear(folder) else f"no cache at {folder}")


# --- end cache and shards ---


@cli.group("baseline")
def baseline_group() -> None:
    """Record today's findings, so that checks fail only on new ones."""


@baseline_group.command("create")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--output",
    "-o",
    "out",
    default="safesocial-baseline.json",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to write the baseline.",
)
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD")
def baseline_create(
    paths: tuple[str, ...], out: str, config_path: str | None, as_of: str | None
) -> None:
    """Write the findings of PATHS to a baseline file for `check --baseline`."""
    from safesocial import baseline, pipeline
    from safesocial.atomic import write_atomic

    checked = pipeline.check(paths, config_path, _as_of(as_of))
    if checked.result.input_errors:
        raise UsageError("the files have input errors; fix them before recording a baseline")
    write_atomic(Path(out), baseline.dump(checked.result))
    count = len(baseline.entries(checked.result.findings))
    talk.say(f"recorded {count} finding{'s' if count != 1 else ''} in {out}")


@cli.group("pack")
def pack_group() -> None:
    """Check and test a rule pack (a trust's or local authority's own rules)."""


@pack_group.command("validate")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def pack_validate(path: str) -> None:
    """Check the rule pack at PATH against its schema and the check kinds."""
    from safesocial import resources, rules

    own = rules.load_pack(Path(path))
    rules.load_rules([*resources.builtin_packs(), Path(path)])  # clashes with built-in ids
    click.echo(f"{path}: ok, {len(own)} rule{'s' if len(own) != 1 else ''}")


@pack_group.command("test")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def pack_test(ctx: click.Context, path: str) -> None:
    """Run the cases in the cases/ folder beside the pack at PATH."""
    from safesocial.packtest import test_pack

    report = test_pack(Path(path))
    for result in report.results:
        mark = "ok  " if result.passed else "FAIL"
        click.echo(f"{mark} {result.case.rule} {result.case.expect}: {result.case.name}")
        if not result.passed:
            click.echo(f"     {result.case.source}: {result.why}")
    for gap in report.untested:
        click.echo(f"FAIL {gap}")
    passed = sum(r.passed for r in report.results)
    failed = len(report.results) - passed + len(report.untested)
    click.echo(f"{passed} passed, {failed} failed")
    ctx.exit(EXIT_CLEAN if report.ok else EXIT_FINDINGS)


@cli.command("config")
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False))
def config_cmd(path: str, config_path: str | None) -> None:
    """Show the configuration in force for PATH and where each value came from."""
    from safesocial import config, pipeline

    conf = pipeline.load_config(config_path, Path(path))
    pipeline.load_rules(conf)  # a selector that matches no rule is an error here too
    # The schools under PATH, so that thresholds their policies set show as in force.
    schools = [load.school for load in pipeline.load_schools_if_any(path)]
    from safesocial.reporters.base import visible

    # Handles and paths come from the files: no control character reaches the terminal.
    rows = [tuple(map(visible, row)) for row in config.describe(conf, schools)]
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        click.echo(f"{name:<{width}}  {value}  ({source})")


@cli.command("rules")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option("--kinds", is_flag=True, help="List the check kinds rules can use instead.")
def rules_cmd(fmt: str, kinds: bool) -> None:
    """List the built-in rules (or, with --kinds, the check kinds)."""
    from safesocial import rules
    from safesocial.explain import list_kinds, list_rules

    if kinds:
        click.echo(list_kinds(fmt), nl=False)
        return
    click.echo(list_rules(rules.load_rules(), fmt), nl=False)


@cli.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Show a rule's rationale, remediation, sources and examples."""
    from safesocial import rules
    from safesocial.explain import explain_rule

    loaded = rules.load_rules()
    rule = rules.by_id(loaded, rule_id)
    if rule is None:
        raise UsageError(f"no rule called {rule_id!r}; `safesocial rules` lists them")
    click.echo(explain_rule(rule), nl=False)


@cli.command("init")
@talk.options
@click.argument("folder", default=".", type=click.Path(path_type=Path))
@click.option("--name", help="The school's name as parents know it (default: from FOLDER).")
@click.option(
    "--starting-point",
    type=click.Choice(["uk-primary", "uk-secondary", "us-district", "trust-department"]),
    help="The policy to start from (default: uk-primary).",
)
@click.option("--platform", help="The main account's platform: x, instagram, facebook...")
@click.option("--handle", help='The main account\'s handle, e.g. "@OakfieldPrimary".')
@click.option("--yes", "-y", is_flag=True, help="Ask nothing: defaults for what is not given.")
def init_cmd(
    folder: Path,
    name: str | None,
    starting_point: str | None,
    platform: str | None,
    handle: str | None,
    yes: bool,
) -> None:
    """Start a school's policy repository in FOLDER (default: here); never overwrites a file."""
    from safesocial.scaffold.command import init

    init(folder, name, starting_point, platform, handle, yes)


@cli.command("schema")
@click.argument("name", required=False)
def schema_cmd(name: str | None) -> None:
    """Print one JSON Schema (account, policy, school...), or list them without NAME."""
    from safesocial.scaffold import schemas

    click.echo(schemas.text(name) if name else "\n".join(schemas.names()) + "\n", nl=False)


@cli.command("import")
@talk.options
@click.argument("fmt", metavar="FORMAT", type=click.Choice(IMPORT_FORMATS))
@click.argument("export", type=click.Path(exists=True))
@click.option(
    "--into",
    required=True,
    type=click.Path(dir_okay=False),
    help="The file to merge into: accounts/NAME.yaml, or consent.yaml / pupils.yaml.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--diff", "show_diff", is_flag=True, help="Also show the change as a diff.")
@click.option(
    "--observed-on",
    metavar="YYYY-MM-DD",
    help="The day the export was made, for exports that do not say (Instagram, TikTok...).",
)
def import_cmd(
    fmt: str, export: str, into: str, dry_run: bool, show_diff: bool, observed_on: str | None
) -> None:
    """Merge a platform's data EXPORT (.zip or folder), or an MIS CSV, into a file,
    keeping everything typed by hand. FORMAT: x-archive, instagram, tiktok, facebook,
    consent-csv or pupils-csv. See docs/importing.md."""
    from safesocial.importers.run import run_import

    outcome = run_import(fmt, export, into, dry_run=dry_run, observed_on=observed_on)
    for line in outcome.read:
        talk.detail(f"read {line}")
    if talk.level() != "quiet":
        click.echo(outcome.report, nl=False)
    if show_diff:
        click.echo(outcome.diff, nl=False)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; the one place errors become exit codes."""
    try:
        # Without standalone mode click returns ctx.exit()'s code instead of exiting.
        code = cli.main(args=argv, prog_name="safesocial", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        return EXIT_BAD_INPUT
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_BAD_INPUT
    except SafesocialError as exc:
        click.echo(f"safesocial: error: {exc}", err=True)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `safesocial rules | head`
        return EXIT_CLEAN
    return code if isinstance(code, int) else EXIT_CLEAN
