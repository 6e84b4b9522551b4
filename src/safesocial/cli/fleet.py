"""`safesocial merge` and `safesocial cache clear`: a fleet checked in shards, and the cache
(docs/fleets.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from safesocial import verbosity
from safesocial.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    EXIT_FINDINGS,
    FAIL_ON,
    FORMATS_SAID,
    _file_option,
    _outputs_option,
    _use_color,
    cli,
)

if TYPE_CHECKING:  # commands import what they need, so --version starts fast
    pass


# --- cache and shards: `merge`, `cache clear` (docs/fleets.md) ---


@cli.command("merge")
@verbosity.options
@click.argument("reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@_outputs_option(f"A report to write, as for check: {FORMATS_SAID}. Repeat for several.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None, help="As for check.")
@_file_option(
    "--config",
    "config_path",
    "The configuration the shards used (default: safesocial.yaml here or above).",
)
@_file_option(
    "--baseline", "baseline_path", "Fail only on findings not in this baseline, over the whole run."
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
    from safesocial.reporters import output
    from safesocial.reporters.base import Options
    from safesocial.running import baseline, shards

    plan = output.plan(list(outputs), os.environ, reveal=False)
    result, by_id, conf = shards.merged_run([Path(r) for r in reports], config_path)
    if baseline_path:
        result = baseline.apply(result, baseline.load(Path(baseline_path)))
    fail_on = fail_on or conf.fail_on.value
    options = Options(color=_use_color(color), quiet=verbosity.level() == "quiet", fail_on=fail_on)
    output.deliver(plan, result, by_id, options, sys.stdout)
    codes = {"incomplete": EXIT_BAD_INPUT, "findings": EXIT_FINDINGS, "clean": EXIT_CLEAN}
    ctx.exit(codes[result.outcome(fail_on)])


@cli.group("cache")
def cache_group() -> None:
    """The cache of unchanged schools' results (.safesocial_cache/)."""


@cache_group.command("clear")
@verbosity.options
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False))
@_file_option(
    "--config",
    "config_path",
    "The configuration whose folder holds the cache (default: safesocial.yaml found "
    "at PATH or above).",
)
def cache_clear(path: str, config_path: str | None) -> None:
    """Delete the cache used when checking PATH (beside safesocial.yaml, else in PATH)."""
    from safesocial.running import cache, config

    found = Path(config_path) if config_path else config.discover(Path(path))
    folder = cache.location(found, Path(path))
    verbosity.say(f"deleted {folder}" if cache.clear(folder) else f"no cache at {folder}")


# --- end cache and shards ---
