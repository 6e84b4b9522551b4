"""How much the CLI says: `--quiet` (findings and errors only) or `--verbose` (what it read).

Both work before the command (`safesocial -q check .`) and after it (`safesocial check
. -q`), as people type them either way. Verbose lines go to stderr, so they never mix
with a report on stdout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, TypeVar

import click

from safesocial.errors import UsageError
from safesocial.text import plural, visible

if TYPE_CHECKING:
    from safesocial.running.pipeline import Checked

F = TypeVar("F", bound=Callable[..., object])
Level = Literal["quiet", "normal", "verbose"]
_KEY = "safesocial.verbosity."


def _remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    # ctx.meta is shared by the group's context and the command's: either place counts.
    if value and param.name:
        ctx.meta[_KEY + param.name] = True


def options(f: F) -> F:
    """Add --quiet/-q and --verbose/-v to a group or command."""
    f = click.option(
        "--verbose",
        "-v",
        is_flag=True,
        expose_value=False,
        callback=_remember,
        help="Also say, on stderr, which configuration, rules and files were used.",
    )(f)
    return click.option(
        "--quiet",
        "-q",
        is_flag=True,
        expose_value=False,
        callback=_remember,
        help="Print only findings and errors: no summary, progress or other chatter.",
    )(f)


def level() -> Level:
    meta = click.get_current_context().meta
    quiet, verbose = meta.get(_KEY + "quiet", False), meta.get(_KEY + "verbose", False)
    if quiet and verbose:
        raise UsageError("--quiet and --verbose cannot be used together")
    return "quiet" if quiet else "verbose" if verbose else "normal"


def say(message: str) -> None:
    """A line of ordinary chatter on stdout; --quiet leaves it out."""
    if level() != "quiet":
        click.echo(visible(message))


def detail(message: str) -> None:
    """A line for --verbose only, on stderr."""
    if level() == "verbose":
        click.echo(visible(message), err=True)


def describe_check(checked: Checked) -> list[str]:
    """What --verbose says about a check: configuration, rules, schools and files read."""
    conf = checked.config
    lines = [f"config: {conf.path}" if conf.path else "config: none found, using the defaults"]
    packs = sorted({r.pack for r in checked.rules})
    lines.append(f"rules: {len(checked.rules)} selected, from {', '.join(packs) or 'no packs'}")
    lines.append(f"as of: {checked.result.settings.as_of.isoformat()}")
    for school in checked.result.schools:
        count = len(school.files)
        prefix = school.root.rstrip("/") + "/"
        files = ", ".join(f.removeprefix(prefix) for f in school.files)
        lines.append(f"read {school.root}: {plural(count, 'file')} ({files})")
    return lines
