"""What safesocial knows, shown: `config`, `rules`, `explain` and `schema`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from safesocial.cli.common import (
    _config_option,
    cli,
)
from safesocial.errors import UsageError
from safesocial.text import visible

if TYPE_CHECKING:  # commands import what they need, so --version starts fast
    pass


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
    from safesocial.running import config, pipeline

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
    from safesocial.packs import rules
    from safesocial.packs.explain import list_kinds, list_rules

    if kinds:
        click.echo(list_kinds(fmt), nl=False)
        return
    click.echo(list_rules(rules.load_rules(), fmt), nl=False)


@cli.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Show a rule's rationale, remediation, sources and examples."""
    from safesocial.packs import rules
    from safesocial.packs.explain import explain_rule

    loaded = rules.load_rules()
    rule = rules.by_id(loaded, rule_id)
    if rule is None:
        raise UsageError(f"no rule called {rule_id!r}; `safesocial rules` lists them")
    click.echo(explain_rule(rule), nl=False)


@cli.command("schema")
@click.argument("name", required=False)
def schema_cmd(name: str | None) -> None:
    """Print one JSON Schema (account, policy, school...), or list them without NAME."""
    from safesocial.scaffold import schemas

    click.echo(schemas.text(name) if name else "\n".join(schemas.names()) + "\n", nl=False)
