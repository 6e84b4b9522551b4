"""`safesocial baseline` and `safesocial pack`: record today's findings, check and test a
rule pack."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from safesocial import verbosity
from safesocial.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    _as_of,
    _as_of_option,
    _config_option,
    _Group,
    cli,
)
from safesocial.errors import UsageError
from safesocial.text import plural, visible

if TYPE_CHECKING:  # commands import what they need, so --version starts fast
    pass


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
    from safesocial.atomic import write_atomic
    from safesocial.running import baseline, pipeline

    checked = pipeline.check(paths, config_path, _as_of(as_of))
    if checked.result.input_errors:
        raise UsageError("the files have input errors; fix them before recording a baseline")
    write_atomic(Path(out), baseline.dump(checked.result))
    count = len(baseline.entries(checked.result.findings))
    verbosity.say(f"recorded {plural(count, 'finding')} in {visible(out)}")


@cli.group("pack", cls=_Group)
def pack_group() -> None:
    """Check and test a rule pack (a trust's or local authority's own rules)."""


@pack_group.command("validate")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def pack_validate(path: str) -> None:
    """Check the rule pack at PATH against its schema and the check kinds."""
    from safesocial.documents import resources
    from safesocial.packs import rules

    own = rules.load_pack(Path(path))
    rules.load_rules([*resources.builtin_packs(), Path(path)])  # clashes with built-in ids
    click.echo(f"{visible(path)}: ok, {plural(len(own), 'rule')}")


@pack_group.command("test")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def pack_test(ctx: click.Context, path: str) -> None:
    """Run the cases in the cases/ folder beside the pack at PATH."""
    from safesocial.packs.selftest import test_pack

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
