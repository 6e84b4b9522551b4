"""`safesocial init`: start a school's policy repository."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from safesocial import verbosity
from safesocial.cli.common import (
    cli,
)

if TYPE_CHECKING:  # commands import what they need, so --version starts fast
    pass


@cli.command("init")
@verbosity.options
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
