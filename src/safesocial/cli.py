"""The command line: parse options, build, execute, map the outcome to an exit code.

Exit codes: 0 clean; 1 findings at or above --fail-on; 2 bad input or usage. Only
this module decides them, and only `main` turns errors into them.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from safesocial import __version__, talk
from safesocial.errors import SafesocialError, UsageError, raised_at
from safesocial.importers import FORMATS as IMPORT_FORMATS
from safesocial.importers import help_text as import_help
from safesocial.text import visible

if TYPE_CHECKING:  # commands import what they need, so --version starts fast
    from safesocial.model import Loaded
    from safesocial.output import Output
    from safesocial.reveal import Reveal

EXIT_CLEAN, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")
# reporters.REPORTERS' names, written out so that --version need not import the
# reporters (tests/test_cli.py keeps the two the same).
FORMATS = (
    "text", "json", "markdown", "sarif", "junit", "github", "html", "pdf", "plan-md", "plan-csv",
)  # fmt: skip


def _as_of(value: str | None) -> date:
    from safesocial.dates import parse_day

    return date.today() if value is None else parse_day(value, "--as-of")


def _show_progress() -> bool:
    """A progress bar only for a person watching: a terminal, not CI, not piped."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def _use_color(flag: bool | None) -> bool:
    """--color/--no-color if given; else NO_COLOR turns colour off and FORCE_COLOR on
    (NO_COLOR wins, as in Python's own); else a terminal that is not TERM=dumb."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _width() -> int | None:
    """Wrap text to the terminal's width when printing to one; never in a pipe or a log,
    where one finding a line is what grep and CI viewers want."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _selectors(values: tuple[str, ...]) -> list[str]:
    """--select SS1,SS2 --select records: every comma-separated item, in order."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


class _Group(click.Group):
    """Lists each command with its whole first sentence: click cuts it at 45 characters
    with "...", which made several descriptions unreadable."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def output_reveal(loads: Sequence[Loaded]) -> Reveal:
    from safesocial.reveal import reveal_map

    return reveal_map(loads)


# Options more than one command takes, defined once.
_config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="The configuration file (default: safesocial.yaml in the checked folder or above).",
)
_as_of_option = click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD", help="Judge dates as of this day (default: today)."
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="safesocial", help="Show the version and exit.")
@talk.options
def cli() -> None:
    """Check a school's social media accounts against its own policy and safeguarding guidance."""


@cli.command()
@talk.options
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--output-format",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="The report to print on the terminal (same as --output FORMAT); default: text.",
)
@click.option(
    "--output",
    "-o",
    "outputs",
    multiple=True,
    metavar="FORMAT[:PATH]",
    help="A report to write: text, json, html, pdf, markdown, sarif, junit or github; "
    "to PATH, or to the terminal without one. Repeat for several. The action plan: "
    "plan-md, plan-csv. A trust's summary and one report per school: html-dir:FOLDER, "
    "pdf-dir:FOLDER.",
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
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Fail only on findings not in this baseline (see `safesocial baseline create`).",
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
    from safesocial import baseline, compare, output, pipeline
    from safesocial.reporters import statistics as stats
    from safesocial.reporters.base import Options
    from safesocial.reporters.progress import progress_bar

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
    with progress_bar(enabled=_show_progress() and talk.level() != "quiet") as tick:
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
        talk.detail(note)
    result = checked.result
    if baseline_path:
        result = baseline.apply(result, baseline.load(Path(baseline_path)))
    if earlier is not None:
        result = compare.apply(result, earlier)
    by_id = {r.id: r for r in checked.rules}
    reveal = output_reveal(checked.loads) if reveal_names else None
    for line in talk.describe_check(checked):
        talk.detail(line)
    fail_on = fail_on or checked.config.fail_on.value
    options = Options(
        color=_use_color(color),
        reveal=reveal,
        quiet=talk.level() == "quiet",
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
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="The configuration whose folder holds the cache (default: safesocial.yaml found "
    "at PATH or above).",
)
def cache_clear(path: str, config_path: str | None) -> None:
    """Delete the cache used when checking PATH (beside safesocial.yaml, else in PATH)."""
    from safesocial import cache, config

    found = Path(config_path) if config_path else config.discover(Path(path))
    folder = cache.location(found, Path(path))
    talk.say(f"deleted {folder}" if cache.clear(folder) else f"no cache at {folder}")


# --- end cache and shards ---


@cli.group("baseline", cls=_Group)
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
@_config_option
@_as_of_option
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
    talk.say(f"recorded {count} finding{'s' if count != 1 else ''} in {visible(out)}")


@cli.group("pack", cls=_Group)
def pack_group() -> None:
    """Check and test a rule pack (a trust's or local authority's own rules)."""


@pack_group.command("validate")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def pack_validate(path: str) -> None:
    """Check the rule pack at PATH against its schema and the check kinds."""
    from safesocial import resources, rules

    own = rules.load_pack(Path(path))
    rules.load_rules([*resources.builtin_packs(), Path(path)])  # clashes with built-in ids
    click.echo(f"{visible(path)}: ok, {len(own)} rule{'s' if len(own) != 1 else ''}")


@pack_group.command("test")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def pack_test(ctx: click.Context, path: str) -> None:
    """Run the cases in the cases/ folder beside the pack at PATH."""
    from safesocial.packtest import test_pack

    report = test_pack(Path(path))
    for result in report.results:
        mark = "ok  " if result.passed else "FAIL"
        case = result.case
        click.echo(visible(f"{mark} {case.rule} {case.expect}: {case.name}"))
        if not result.passed:
            click.echo(f"     {visible(f'{case.source}: {result.why}')}")
    for gap in report.untested:
        click.echo(f"FAIL {visible(gap)}")
    passed = sum(r.passed for r in report.results)
    failed = len(report.results) - passed + len(report.untested)
    click.echo(f"{passed} passed, {failed} failed")
    ctx.exit(EXIT_CLEAN if report.ok else EXIT_FINDINGS)


@cli.command("config")
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False))
@_config_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A table to read, or JSON (setting, value, source) for programs.",
)
def config_cmd(path: str, config_path: str | None, fmt: str) -> None:
    """Show the configuration in force for PATH and where each value came from."""
    from safesocial import config, pipeline

    conf = pipeline.load_config(config_path, Path(path))
    pipeline.load_rules(conf)  # a selector that matches no rule is an error here too
    # The schools under PATH, so that thresholds their policies set show as in force.
    schools = [load.school for load in pipeline.load_schools_if_any(path)]
    # Handles and paths come from the files: no control character reaches the terminal.
    rows = [tuple(map(visible, row)) for row in config.describe(conf, schools)]
    if fmt == "json":
        import json

        keys = ("setting", "value", "source")
        click.echo(json.dumps([dict(zip(keys, row, strict=True)) for row in rows], indent=2))
        return
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
    help="A list to read, JSON for programs, or Markdown (docs/rules.md is made with it).",
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
    type=click.Choice(
        ["uk-primary", "uk-primary-page", "uk-secondary", "us-district", "trust-department"]
    ),
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


@cli.command("import", help=import_help())
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
@click.option(
    "--mapping",
    "mapping_name",
    metavar="NAME|FILE",
    help="For CSV formats: how the CSV's columns map to safesocial's (microsoft-forms, "
    "google-forms, mis-consent, mis-pupils, or a mapping file). See docs/importing.md.",
)
def import_cmd(
    fmt: str,
    export: str,
    into: str,
    dry_run: bool,
    show_diff: bool,
    observed_on: str | None,
    mapping_name: str | None,
) -> None:
    # The help text comes from the platform table (importers/platforms.py).
    from safesocial.importers.run import run_import

    outcome = run_import(
        fmt, export, into, dry_run=dry_run, observed_on=observed_on, mapping_name=mapping_name
    )
    for line in outcome.read:
        talk.detail(f"read {line}")
    if talk.level() != "quiet":
        click.echo(outcome.report, nl=False)
    if show_diff:
        click.echo(outcome.diff, nl=False)


def _show_click_error(exc: click.ClickException) -> None:
    """Click's own errors in safesocial's one style (`safesocial: error: ...`), after
    the usage line and a pointer to --help, as click gives them."""
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        click.echo(exc.ctx.get_usage(), err=True)
        name = exc.ctx.command_path
        click.echo(f"Try '{name} --help' for help.\n", err=True)
    # Its message can quote an argument (a path, a value): escaped like any outside text.
    click.echo(f"safesocial: error: {visible(exc.format_message())}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; the one place errors become exit codes.

    The one outer guard of every command: whatever goes wrong ends in one line and exit
    2, never a traceback. An unexpected exception is named by its type and the line of
    safesocial's code it came from, never by its text, which could quote input.
    """
    words = [str(w) for w in (sys.argv[1:] if argv is None else argv)]
    command = next((w for w in words if not w.startswith("-")), "safesocial")
    try:
        # Without standalone mode click returns ctx.exit()'s code instead of exiting.
        code = cli.main(args=argv, prog_name="safesocial", standalone_mode=False)
    except click.ClickException as exc:
        _show_click_error(exc)
        return EXIT_BAD_INPUT
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_BAD_INPUT
    except SafesocialError as exc:
        click.echo(f"safesocial: error: {visible(str(exc))}", err=True)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `safesocial rules | head`
        return EXIT_CLEAN
    except Exception as exc:
        click.echo(
            f"safesocial: error: {visible(command)} stopped on an unexpected "
            f"{type(exc).__name__} at {raised_at(exc)}; nothing was written after it. "
            "Please report this, with the command you ran.",
            err=True,
        )
        return EXIT_BAD_INPUT
    return code if isinstance(code, int) else EXIT_CLEAN
