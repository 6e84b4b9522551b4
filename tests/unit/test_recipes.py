"""CONTRIBUTING.md's recipes stay true: every file they name exists, and each list a
recipe says to extend agrees with the one table it extends (the check kinds' modules, the
reporters, the import formats, the parts of a school folder). What other tests already
hold is not repeated here: a platform's reader, detector, docs section and fixture are
tests/importers/test_platform_table.py's, a kind's doc and use
tests/unit/test_check_kind_*.py's.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import click

from safesocial import checks, importers, reporters
from safesocial.checks.base import CheckKind
from safesocial.cli import cli
from safesocial.model.parts import PARTS
from safesocial.reporters import folder
from safesocial.reporters.base import Reporter
from safesocial.reporters.html_words import RECORDS
from tests.conftest import ROOT

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
# A path in the repository, as the recipes write them: `src/safesocial/model/parts.py`,
# `policies/cases/<ID>.yaml` (a placeholder in <...> stands for any name).
_PATH = re.compile(
    r"`((?:src|tests|policies|schemas|docs|examples|benchmarks)/[\w./<>*-]*"
    r"|[A-Z]+\.md|pyproject\.toml)`"
)


def _named_paths(text: str) -> list[str]:
    spans = _PATH.findall(text)
    links = re.findall(r"\]\(((?!https?:)[^)#]+)(?:#[^)]*)?\)", text)
    return sorted(set(spans) | set(links))


def _exists(path: str) -> bool:
    pattern = re.sub(r"<[^>]+>", "*", path).rstrip("/")
    return any(ROOT.glob(pattern)) if "*" in pattern else (ROOT / pattern).exists()


def test_every_file_contributing_names_exists():
    named = _named_paths(CONTRIBUTING)
    assert len(named) > 30, named  # the parser still finds the recipes' paths
    assert [p for p in named if not _exists(p)] == []


def test_the_path_check_catches_a_missing_file():
    text = CONTRIBUTING + "\n1. Edit `src/safesocial/model/nowhere.py` and `docs/<x>.txt`.\n"
    missing = [p for p in _named_paths(text) if not _exists(p)]
    assert missing == ["docs/<x>.txt", "src/safesocial/model/nowhere.py"]


# (b) A check kind: declared in a module of checks/, listed in its KINDS, the module in
# MODULES. A kind left out of either would be refused only when a rule names it.
def test_every_declared_kind_is_registered():
    package = checks.__path__
    declared: dict[str, str] = {}
    for info in pkgutil.iter_modules(package):
        module = importlib.import_module(f"safesocial.checks.{info.name}")
        for value in vars(module).values():
            if isinstance(value, CheckKind):
                declared.setdefault(value.name, info.name)
        if hasattr(module, "KINDS"):
            assert module in checks.MODULES, f"checks/{info.name}.py is not in checks.MODULES"
    assert sorted(set(declared) - set(checks.REGISTRY)) == []


# (c) An output format: its reporter, the CLI's help, and README's table of formats.
def _help_words(command: str) -> set[str]:
    option = next(p for p in cli.commands[command].params if p.name == "outputs")
    assert isinstance(option, click.Option) and option.help
    return set(re.findall(r"[a-z]+(?:-[a-z]+)*", option.help))


def _readme_formats() -> set[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Reports for every reader", 1)[1].split("\n## ", 1)[0]
    cells = re.findall(r"^\| ([a-z][\w, -]*?) \|", section, flags=re.M)
    return {name.strip() for cell in cells[1:] for name in cell.split(",")}  # after the heading


def test_every_row_of_the_reporters_table_names_a_reporter():
    # The table names modules and classes as text: a typo would fail only when used.
    for name in reporters.FORMATS:
        assert issubclass(reporters.REPORTERS[name], Reporter), name


def test_every_output_format_is_in_the_help_and_the_readme():
    formats = set(reporters.REPORTERS) | set(folder.FORMATS)
    assert formats - _help_words("check") == set()
    assert set(reporters.REPORTERS) - _help_words("merge") == set()
    assert _readme_formats() == formats


# (d) A platform importer: docs/importing.md's table lists every format the command takes
# (each platform's own section is checked in tests/importers/test_platform_table.py).
def test_the_importing_table_lists_every_import_format():
    doc = (ROOT / "docs" / "importing.md").read_text("utf-8")
    table = doc.split("| FORMAT | EXPORT |", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `([\w-]+)` \|", table, flags=re.M)
    assert sorted(rows) == sorted(importers.FORMATS)


# (e) A new input file: one row in model/parts.py, a schema, a section of the data model.
SCHEMAS_NOT_PARTS = {
    "account.schema.json",  # accounts/*.yaml: many files, read beside the parts
    "config.schema.json",  # safesocial.yaml, the tool's own
    "rule-pack.schema.json",
    "report.schema.json",  # the JSON report, an output
}


def test_every_part_has_its_schema_and_every_schema_a_reader():
    shipped = {p.name for p in (ROOT / "schemas").glob("*.schema.json")}
    assert shipped == {part.schema for part in PARTS} | SCHEMAS_NOT_PARTS


def test_every_part_a_gap_can_be_about_has_its_name_in_the_html_report():
    # A gap on skipped entries of a shared part is about the part: the HTML report names
    # it in words, never by its key.
    shared = {part.key for part in PARTS if part.shared}
    assert sorted(shared - set(RECORDS)) == []


def test_every_part_has_its_section_in_the_data_model():
    doc = (ROOT / "docs" / "data-model.md").read_text("utf-8")
    headings = re.findall(r"^## (\S+)", doc, flags=re.M)
    assert [part.names[0] for part in PARTS if part.names[0] not in headings] == []
    assert len({name for part in PARTS for name in part.names}) == sum(
        len(part.names) for part in PARTS
    )
