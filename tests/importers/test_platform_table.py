"""The platform table (importers/platforms.py) is the one place a platform is named:
every row has its reader, detector, docs section and test fixture, and everything that
lists the platforms (the CLI, its help, the schema's `source`) agrees with it."""

from __future__ import annotations

import re

import click
import pytest

from safesocial.cli import cli
from safesocial.documents.resources import schema
from safesocial.importers import FORMATS, PLATFORMS, help_text
from safesocial.importers.archive import open_export
from safesocial.importers.detect import guess
from safesocial.importers.snapshot import Snapshot
from tests import import_exports as build
from tests.conftest import ROOT

DOCS = (ROOT / "docs" / "importing.md").read_text("utf-8")


def _fixture(fmt):
    return getattr(build, fmt.replace("-", "_"))


@pytest.mark.parametrize("platform", PLATFORMS, ids=lambda p: p.fmt)
def test_each_platform_has_its_reader_detector_docs_and_fixture(tmp_path, platform):
    files = _fixture(platform.fmt)()
    export = build.write(files, tmp_path / "export", zipped=True)
    with open_export(export, "export.zip") as opened:
        assert platform.detector(opened)
        assert guess(opened) is platform  # no earlier row claims this platform's export
        snap = platform.reader(opened)
    assert (snap.source, snap.platform, snap.label) == (platform.fmt, platform.platform,
                                                        platform.label)  # fmt: skip
    heading = re.compile(rf"^### .*`{re.escape(platform.fmt)}`", re.M)
    assert heading.search(DOCS), f"docs/importing.md has no section for {platform.fmt}"


def test_the_cli_help_and_schema_list_the_table():
    command = cli.commands["import"]
    choice = next(p for p in command.params if p.name == "fmt").type
    assert isinstance(choice, click.Choice)
    assert tuple(choice.choices) == FORMATS
    for platform in PLATFORMS:
        assert platform.fmt in help_text() and platform.download in help_text()
    source = schema("account.schema.json")["properties"]["source"]["enum"]
    assert sorted(source) == sorted(["hand", *(p.fmt for p in PLATFORMS)])


def test_a_snapshot_of_a_platform_not_in_the_table_is_refused():
    with pytest.raises(ValueError, match=r"platforms\.py"):
        Snapshot(source="myspace", label="x", platform="myspace", match_by="handle")
