"""The cache: unchanged schools come from .safesocial_cache/, anything changed is checked
anew, a broken cache is never trusted nor fatal, and it holds no names or handles."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from safesocial import reporters
from safesocial.packs import cases
from safesocial.running import cache
from tests.conftest import EXAMPLES, ROOT
from tests.security.test_privacy import TEMPTING, assert_no_leak, private_strings

AS_OF = "2026-11-21"
SCHOOLS = sorted(p.name for p in EXAMPLES.iterdir() if (p / "school.yaml").is_file())
# Every text format (PDF is the HTML report printed, and needs a browser).
FORMATS = sorted(name for name, cls in reporters.REPORTERS.items() if not cls.binary)
_UNCHANGED = re.compile(r"cache: (\d+) of (\d+) schools unchanged")


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch, tmp_path):
    monkeypatch.delenv("SAFESOCIAL_NO_CACHE", raising=False)
    monkeypatch.delenv(cache.SECRET_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.fixture
def fleet(tmp_path):
    folder = tmp_path / "fleet"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns(".safesocial_cache"))
    return folder


def check(run_cli, folder: Path, *extra: str) -> tuple[int, str, int | None]:
    """(exit code, text report, schools taken from the cache or None when it was off)."""
    # One process unless a test asks for more: monkeypatches do not reach workers.
    jobs = () if "-j" in extra else ("-j", "1")
    ran = run_cli("check", str(folder), "--as-of", AS_OF, "-v", "--no-color", *jobs, *extra)
    hits = _UNCHANGED.search(ran.err)
    return ran.code, ran.out, int(hits.group(1)) if hits else None


def entries(folder: Path) -> list[Path]:
    return sorted((folder / cache.CACHE_DIR).glob("*.json"))


def test_a_second_run_takes_every_school_from_the_cache(run_cli, fleet):
    # In worker processes (-j 2), as by default, and then in this one.
    code, first, hits = check(run_cli, fleet, "-j", "2")
    assert hits == 0 and len(entries(fleet)) == len(SCHOOLS)
    again, second, hits = check(run_cli, fleet)
    assert hits == len(SCHOOLS)
    assert (again, second) == (code, first)
    assert check(run_cli, fleet, "-j", "2") == (code, first, len(SCHOOLS))


def _edit_file(folder: Path) -> None:
    path = folder / "drift-primary" / "accounts" / "twitter.yaml"
    path.write_text(path.read_text("utf-8").replace("protected: false", "protected: true"))


def _add_file(folder: Path) -> None:
    # A second consent file is itself a finding: the key covers names, not just content.
    shutil.copy(folder / "drift-primary" / "consent.yaml", folder / "drift-primary" / "consent.yml")


def _rename_file(folder: Path) -> None:
    accounts = folder / "drift-primary" / "accounts"
    (accounts / "twitter.yaml").rename(accounts / "x.yaml")


@pytest.mark.parametrize("change", [_edit_file, _add_file, _rename_file])
def test_a_changed_school_is_checked_anew_and_only_it(run_cli, fleet, change, tmp_path):
    check(run_cli, fleet)
    change(fleet)
    code, out, hits = check(run_cli, fleet)
    assert hits == len(SCHOOLS) - 1
    fresh = tmp_path / "fresh"
    shutil.copytree(fleet, fresh, ignore=shutil.ignore_patterns(".safesocial_cache"))
    # Against the same files checked without any cache (paths differ by folder only).
    expected = run_cli("check", str(fresh), "--as-of", AS_OF, "--no-cache", "--no-color", "-j1")
    assert (code, out.replace(str(fleet), "F")) == (
        expected.code,
        expected.out.replace(str(fresh), "F"),
    )


def _config(folder: Path, text: str) -> None:
    (folder / "safesocial.yaml").write_text(text, encoding="utf-8")


def test_a_changed_configuration_misses(run_cli, fleet):
    _config(fleet, "thresholds:\n  policy_review_months: 12\n")
    check(run_cli, fleet)
    assert check(run_cli, fleet)[2] == len(SCHOOLS)
    _config(fleet, "thresholds:\n  policy_review_months: 2\n")
    assert check(run_cli, fleet)[2] == 0


def test_a_changed_rule_pack_misses(run_cli, fleet):
    shutil.copytree(ROOT / "examples" / "trust-pack", fleet / "pack", dirs_exist_ok=True)
    _config(fleet, "packs: [pack/oakwood.yaml]\n")
    check(run_cli, fleet)
    assert check(run_cli, fleet)[2] == len(SCHOOLS)
    pack = fleet / "pack" / "oakwood.yaml"
    pack.write_text(pack.read_text("utf-8") + "\n# a comment changes the content\n")
    assert check(run_cli, fleet)[2] == 0


def test_another_day_misses(run_cli, fleet):
    check(run_cli, fleet)
    ran = run_cli("check", str(fleet), "--as-of", "2026-11-22", "-j", "1", "-v")
    assert "cache: 0 of" in ran.err


def test_strict_misses(run_cli, fleet):
    check(run_cli, fleet)
    assert check(run_cli, fleet, "--strict")[2] == 0


def test_another_version_is_ignored_with_a_note(run_cli, fleet, monkeypatch):
    check(run_cli, fleet)
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    ran = run_cli("check", str(fleet), "--as-of", AS_OF, "-j", "1", "-v")
    assert "cache: 0 of" in ran.err and "another safesocial version" in ran.err


def test_a_changed_safesocial_misses(run_cli, fleet, monkeypatch):
    check(run_cli, fleet)
    # An edited module (an editable install between releases) is another safesocial too.
    real = cache._tree_digest
    monkeypatch.setattr(cache, "_tree_digest", lambda *a, **k: [*real(*a, **k), "changed.py"])
    assert check(run_cli, fleet)[2] == 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"not json at all",
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: raw.split(b"\n", 1)[0] + b"\n[1, 2, 3]",  # a body of the wrong shape
        lambda raw: b"",
    ],
    ids=["garbage", "truncated", "wrong-shape", "empty"],
)
def test_a_corrupt_cache_is_ignored_with_a_note_and_mended(run_cli, fleet, damage):
    code, out, _ = check(run_cli, fleet)
    for entry in entries(fleet):
        entry.write_bytes(damage(entry.read_bytes()))
    ran = run_cli("check", str(fleet), "--as-of", AS_OF, "-j", "1", "-v", "--no-color")
    assert (ran.code, ran.out) == (code, out)
    assert "cache: 0 of" in ran.err and "corrupt" in ran.err
    assert check(run_cli, fleet)[2] == len(SCHOOLS)  # written again


def test_a_forged_entry_is_not_trusted(run_cli, fleet):
    """An entry planted in a pull request, claiming a school is clean, hides nothing."""
    code, out, _ = check(run_cli, fleet)
    assert code != 0
    for entry in entries(fleet):
        head, body = entry.read_bytes().split(b"\n", 1)
        record = json.loads(body)
        record["findings"], record["gaps"] = [], []
        entry.write_bytes(head + b"\n" + json.dumps(record).encode())
    ran = run_cli("check", str(fleet), "--as-of", AS_OF, "-j", "1", "-v", "--no-color")
    assert (ran.code, ran.out) == (code, out)
    assert "not written with this machine's cache secret" in ran.err


def test_an_unwritable_cache_is_not_fatal(run_cli, fleet):
    (fleet / cache.CACHE_DIR).write_text("a file where the folder would be")
    code, out, _ = check(run_cli, fleet, "--no-cache")
    ran = run_cli("check", str(fleet), "--as-of", AS_OF, "-j", "1", "-v", "--no-color")
    assert (ran.code, ran.out) == (code, out)
    assert ran.err.count("cannot write") == 1  # said once, not once per school


def test_no_cache_and_reveal_names_leave_it_alone(run_cli, fleet, tmp_path, monkeypatch):
    check(run_cli, fleet, "--no-cache")
    html = tmp_path / "local.html"
    assert check(run_cli, fleet, "--reveal-names", "-o", f"html:{html}")[2] is None
    assert not (fleet / cache.CACHE_DIR).exists()
    monkeypatch.setenv("SAFESOCIAL_NO_CACHE", "1")
    assert check(run_cli, fleet)[2] is None
    assert not (fleet / cache.CACHE_DIR).exists()


def test_the_cache_holds_no_names_or_handles(run_cli, tmp_path):
    folder = tmp_path / "school"
    cases.materialise(TEMPTING, folder)
    secrets = private_strings(folder)
    assert check(run_cli, folder)[2] == 0
    written = {p.name: p.read_text("utf-8") for p in (folder / cache.CACHE_DIR).iterdir()}
    assert any("SS201" in text for text in written.values()), "the school's findings are kept"
    assert_no_leak(written, secrets)
    assert check(run_cli, folder)[2] == 1


def test_the_cache_is_beside_the_configuration_and_ignored_by_git(run_cli, fleet):
    _config(fleet, "fail_on: error\n")
    check(run_cli, fleet / "drift-primary")
    kept = fleet / cache.CACHE_DIR
    assert len(entries(fleet)) == 1 and (kept / "CACHEDIR.TAG").is_file()
    assert (kept / ".gitignore").read_text().splitlines()[-1] == "*"
    init_ignore = (ROOT / "src/safesocial/scaffold/templates/gitignore").read_text("utf-8")
    assert ".safesocial_cache/" in init_ignore.splitlines()


def test_cache_clear(run_cli, fleet):
    check(run_cli, fleet)
    ran = run_cli("cache", "clear", str(fleet))
    assert ran.code == 0 and not (fleet / cache.CACHE_DIR).exists()
    assert "no cache" in run_cli("cache", "clear", str(fleet)).out
    (fleet / cache.CACHE_DIR).mkdir()  # not ours: no tag, so it stays
    assert run_cli("cache", "clear", str(fleet)).code == 2
    assert (fleet / cache.CACHE_DIR).is_dir()


@pytest.mark.parametrize("school", SCHOOLS)
def test_every_format_is_the_same_from_the_cache(run_cli, tmp_path, school):
    folder = tmp_path / school
    shutil.copytree(EXAMPLES / school, folder)

    def outputs(tag: str, *extra: str) -> tuple[int, dict[str, str]]:
        args = [f"{fmt}:{tmp_path / f'{tag}.{fmt}'}" for fmt in FORMATS]
        ran = run_cli("check", str(folder), "--as-of", AS_OF, "--no-color", "-j1", *extra,
                      *[a for spec in args for a in ("-o", spec)])  # fmt: skip
        return ran.code, {fmt: (tmp_path / f"{tag}.{fmt}").read_text() for fmt in FORMATS}

    uncached = outputs("none", "--no-cache")
    assert outputs("first") == uncached
    assert check(run_cli, folder)[2] == 1
    assert outputs("cached") == uncached


def test_a_linked_cache_folder_is_not_used(run_cli, fleet, tmp_path):
    """A pull request could plant .safesocial_cache as a link to a folder elsewhere, to
    have safesocial write there: it is left alone and the schools are checked."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".gitignore").write_text("mine\n")
    (fleet / cache.CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    code, out, _ = check(run_cli, fleet, "--no-cache")
    ran = run_cli("check", str(fleet), "--as-of", AS_OF, "-j", "1", "-v", "--no-color")
    assert (ran.code, ran.out) == (code, out)
    assert "symbolic link" in ran.err
    assert sorted(p.name for p in elsewhere.iterdir()) == [".gitignore"]
    assert (elsewhere / ".gitignore").read_text() == "mine\n"


def test_a_secret_from_the_environment_or_none_at_all(run_cli, fleet, monkeypatch, tmp_path):
    monkeypatch.setenv(cache.SECRET_ENV, "a CI secret of enough length for HMAC")
    check(run_cli, fleet)
    assert check(run_cli, fleet)[2] == len(SCHOOLS)
    # Another secret (another machine, a fork without the CI secret): nothing is believed.
    monkeypatch.setenv(cache.SECRET_ENV, "another secret entirely, also long enough")
    assert check(run_cli, fleet)[2] == 0
    # No secret can be read or made: the cache is not used, and the check still runs.
    monkeypatch.delenv(cache.SECRET_ENV)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the user's cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    ran = run_cli("check", str(fleet), "--as-of", AS_OF, "-j", "1", "-v")
    assert ran.code in (1, 2) and "cache: not used" in ran.err
