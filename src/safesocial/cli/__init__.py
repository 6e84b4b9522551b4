"""The command line: parse options, build, execute, map the outcome to an exit code.

Exit codes: 0 clean; 1 findings at or above --fail-on; 2 bad input or usage. Only
this package decides them, and only `main` turns errors into them. The group and what
commands share are in common.py; each family of commands has its own module, imported
here so that it joins the group.
"""

from __future__ import annotations

import sys

import click

from safesocial.cli import baselines, checking, fleet, importing, reference, starting

# Each module's commands, for code that reached them as safesocial.cli.<command>.
from safesocial.cli.baselines import (
    baseline_create,
    baseline_group,
    pack_group,
    pack_test,
    pack_validate,
)
from safesocial.cli.checking import check
from safesocial.cli.common import EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, FAIL_ON, FORMATS, cli
from safesocial.cli.fleet import cache_clear, cache_group, merge_cmd
from safesocial.cli.importing import import_cmd
from safesocial.cli.reference import config_cmd, explain, rules_cmd, schema_cmd
from safesocial.cli.starting import init_cmd
from safesocial.errors import SafesocialError, raised_at
from safesocial.text import visible

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_CLEAN",
    "EXIT_FINDINGS",
    "FAIL_ON",
    "FORMATS",
    "baseline_create",
    "baseline_group",
    "baselines",
    "cache_clear",
    "cache_group",
    "check",
    "checking",
    "cli",
    "config_cmd",
    "explain",
    "fleet",
    "import_cmd",
    "importing",
    "init_cmd",
    "main",
    "merge_cmd",
    "pack_group",
    "pack_test",
    "pack_validate",
    "reference",
    "rules_cmd",
    "schema_cmd",
    "starting",
]


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
