"""`safesocial init`: ask (on a terminal) or take flags, then write what is not there yet."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from safesocial import verbosity
from safesocial.errors import UsageError
from safesocial.scaffold.choices import (
    STARTING_POINTS,
    Answers,
    answers,
    clean_handle,
    handle_from_name,
    name_from_folder,
    platforms,
)
from safesocial.scaffold.render import plan
from safesocial.scaffold.write import Outcome, write


def interactive() -> bool:
    """Prompt only a person at a terminal; CI and pipes get the flags and defaults."""
    return sys.stdin.isatty()


def _valid_handle(value: str) -> str:
    try:
        return clean_handle(value)
    except UsageError as exc:  # click asks again
        raise click.BadParameter(str(exc)) from None


def _ask(
    folder: Path, name: str | None, point: str | None, platform: str | None, handle: str | None
) -> Answers:
    name = name or click.prompt("School name", default=name_from_folder(folder.resolve().name))
    if point is None:
        click.echo("Starting points:")
        for p in STARTING_POINTS.values():
            click.echo(f"  {p.name:<17} {p.summary}")
        point = click.prompt(
            "Starting point", type=click.Choice(list(STARTING_POINTS)), default="uk-primary"
        )
    chosen = STARTING_POINTS[point]
    platform = platform or click.prompt(
        "Platform of your main account", type=click.Choice(platforms()), default=chosen.platform
    )
    handle = handle or click.prompt(
        "Its handle", default=handle_from_name(name), value_proc=_valid_handle
    )
    return answers(name, point, platform, handle)


def _defaults(
    folder: Path, name: str | None, point: str | None, platform: str | None, handle: str | None
) -> Answers:
    name = name or name_from_folder(folder.resolve().name)
    point = point or "uk-primary"
    chosen = STARTING_POINTS.get(point)
    platform = platform or (chosen.platform if chosen else "x")
    return answers(name, point, platform, handle or handle_from_name(name))


def _report(folder: Path, outcome: Outcome) -> None:
    for path in outcome.written:
        verbosity.say(f"  created {path}")
    for path in outcome.skipped:
        verbosity.say(f"  kept    {path} (already there; not changed)")
    for path, why in outcome.failed:
        click.echo(f"safesocial: could not write {folder / path}: {why}", err=True)


def init(
    folder: Path,
    name: str | None,
    starting_point: str | None,
    platform: str | None,
    handle: str | None,
    yes: bool,
) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; give a folder for the new repository")
    if yes or not interactive():
        chosen = _defaults(folder, name, starting_point, platform, handle)
    else:
        chosen = _ask(folder, name, starting_point, platform, handle)
    verbosity.detail(
        f"starting point {chosen.starting_point.name}, {chosen.platform} account "
        f"{chosen.handle}, into {folder}"
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {folder}: {exc.strerror}") from None
    outcome = write(folder, plan(chosen))
    verbosity.say(f"{chosen.name}: a safesocial repository in {folder}")
    _report(folder, outcome)
    if outcome.failed:
        raise UsageError(f"{len(outcome.failed)} file(s) could not be written in {folder}")
    if not outcome.written:
        raise UsageError(f"nothing written: every file is already in {folder}")
    where = "" if folder.resolve() == Path.cwd() else f"cd {folder} && "
    verbosity.say(f"Next: {where}safesocial check .   (the first check lists what to fill in)")
