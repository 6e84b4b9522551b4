"""`--output html-dir:FOLDER` (and pdf-dir): a trust's summary as index.html with one
report per school beside it, linked from the summary, and the folder replaced whole."""

from __future__ import annotations

import re
from pathlib import Path

from tests import trust
from tests.conftest import AS_OF


def test_a_trust_folder_has_an_index_and_one_report_per_school(run_cli, tmp_path: Path) -> None:
    fleet = trust.make(tmp_path / "trust", schools=6)
    out = tmp_path / "reports"
    ran = run_cli("check", str(fleet), "--as-of", AS_OF, "-o", f"html-dir:{out}")
    assert ran.code == 1, ran.err
    names = sorted(p.name for p in out.iterdir())
    assert names == [*(f"{i:03d}-school-{i - 1:02d}.html" for i in range(1, 7)), "index.html"]
    index = (out / "index.html").read_text("utf-8")
    # Every school that needs action links to its own report, and every link resolves.
    links = re.findall(r'href="(\d{3}-school-\d{2}\.html)"', index)
    assert links and all((out / link).is_file() for link in links)
    assert "Full report for" in index
    one = (out / "001-school-00.html").read_text("utf-8")
    assert "Ashcombe Church of England Primary School 00" in one
    assert 'id="plan"' in one and 'class="finding' in one  # the detail lives here
    assert 'class="finding' not in index  # and not in the trust's summary
    assert '<a href="index.html">Back to the trust summary</a>' in one


def test_the_folder_is_replaced_whole(run_cli, tmp_path: Path) -> None:
    fleet = trust.make(tmp_path / "trust", schools=2)
    out = tmp_path / "reports"
    out.mkdir()
    (out / "stale.html").write_text("from an older run", "utf-8")
    assert run_cli("check", str(fleet), "--as-of", AS_OF, "-o", f"html-dir:{out}").code == 1
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()
    # No scratch or old folder is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports", "trust"]


def test_a_file_in_the_way_or_a_missing_parent_is_exit_2(run_cli, tmp_path: Path) -> None:
    fleet = trust.make(tmp_path / "trust", schools=2)
    blocker = tmp_path / "reports"
    blocker.write_text("a file", "utf-8")
    ran = run_cli("check", str(fleet), "--as-of", AS_OF, "-o", f"html-dir:{blocker}")
    assert ran.code == 2 and "is a file, not a folder" in ran.err
    ran = run_cli("check", str(fleet), "-o", f"html-dir:{tmp_path / 'no' / 'where'}")
    assert ran.code == 2 and "does not exist" in ran.err
    ran = run_cli("check", str(fleet), "-o", "html-dir")
    assert ran.code == 2 and "give a folder" in ran.err
