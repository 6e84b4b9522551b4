"""What every command shares: the exit codes, the group, the options several commands take."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import click

from safesocial import __version__, verbosity
from safesocial.reporters import FORMATS as FORMATS

if TYPE_CHECKING:
    from click.decorators import FC

EXIT_CLEAN, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")
# The output formats, from the reporters' table (light: no reporter is imported until
# used). --format and the --output help of check and merge list them.
FORMATS_SAID = ", ".join(FORMATS[:-1]) + f" or {FORMATS[-1]}"


def _as_of(value: str | None) -> date:
    from safesocial.dates import parse_day

    return date.today() if value is None else parse_day(value, "--as-of")


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


def _file_option(flag: str, dest: str, help: str) -> Callable[[FC], FC]:
    """An option naming a file that must be there: click refuses a missing one, by its
    path, before the command starts (each command says in `help` what the file is for)."""
    return click.option(flag, dest, type=click.Path(exists=True, dir_okay=False), help=help)


def _outputs_option(help: str) -> Callable[[FC], FC]:
    """--output/-o FORMAT[:PATH], repeatable: the reports to write (reporters.output.plan)."""
    return click.option(
        "--output", "-o", "outputs", multiple=True, metavar="FORMAT[:PATH]", help=help
    )


# Options more than one command takes, defined once.
_config_option = _file_option(
    "--config",
    "config_path",
    "The configuration file (default: safesocial.yaml in the checked folder or above).",
)
_as_of_option = click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD", help="Judge dates as of this day (default: today)."
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="safesocial", help="Show the version and exit.")
@verbosity.options
def cli() -> None:
    """Check a school's social media accounts against its own policy and safeguarding guidance."""
