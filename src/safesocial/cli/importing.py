"""`safesocial import`: merge a platform's export or a CSV into a school's files."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from safesocial import verbosity
from safesocial.cli.common import (
    cli,
)
from safesocial.importers import FORMATS as IMPORT_FORMATS
from safesocial.importers import help_text as import_help

if TYPE_CHECKING:  # commands import what they need, so --version starts fast
    pass


@cli.command("import", help=import_help())
@verbosity.options
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
        verbosity.detail(f"read {line}")
    if verbosity.level() != "quiet":
        click.echo(outcome.report, nl=False)
    if show_diff:
        click.echo(outcome.diff, nl=False)
