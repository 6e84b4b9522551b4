"""Every anonymised real download in ../shared/real-exports, imported into a fresh account
file, zipped and unpacked, gives what its expect.yaml says (counted from the files there,
not from safesocial). The samples stay where they are: read by path, never copied into
the project; the tests skip when the folder is absent."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT


def _corpus() -> Path | None:
    given = os.environ.get("SAFESOCIAL_REAL_EXPORTS")
    # ROOT.parent/shared in the main checkout; one more level up from a worktree.
    for place in ([Path(given)] if given else []) + [
        ROOT.parent / "shared" / "real-exports",
        ROOT.parent.parent / "shared" / "real-exports",
    ]:
        if (place / "expect.yaml").is_file():
            return place
    return None


CORPUS = _corpus()
EXPECT: dict[str, Any] = (
    yaml.safe_load((CORPUS / "expect.yaml").read_text("utf-8")) if CORPUS else {}
)
needs_corpus = pytest.mark.skipif(CORPUS is None, reason="../shared/real-exports is absent")
LISTS = ("followers", "following", "outgoing_requests")
HAND = {"handle": "@typed_by_hand", "category": "parent", "note": "kept across imports"}


def _norm(text: str) -> str:
    return " ".join(str(text).strip().lstrip("@").casefold().split())


def _name(entry: dict[str, Any]) -> str:
    return _norm(entry["handle"]) if entry.get("handle") else str(entry["id"])


def _digest(entries: list[dict[str, Any]]) -> str:
    """expect.yaml's digest: sha1 of the sorted entries, each once, normalised."""
    names = sorted({_name(e) for e in entries})
    return hashlib.sha1("\n".join(names).encode("utf-8")).hexdigest()[:16]


def _zipped(folder: Path, dest: Path) -> Path:
    """The export's contents zipped flat, as the platform ships them."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    return dest


def _cases() -> list[Any]:
    cases = []
    for sample in EXPECT:
        for zipped in (False, True):
            cases.append(pytest.param(sample, zipped, id=f"{sample}-{'zip' if zipped else 'dir'}"))
    return cases or [pytest.param("none", False, id="no-corpus")]


def _fresh(path: Path, spec: dict[str, Any], first: dict[str, Any]) -> None:
    platform = {"x-archive": "x"}.get(spec["format"], spec["format"])
    handle = first["handle"] or ("Someone" if platform == "facebook" else "@whoever")
    text = f'platform: {platform}\nhandle: "{handle}"\nkind: official\n'
    if spec.get("sequence"):
        text += 'followers:\n  - {handle: "@typed_by_hand", category: parent, note: kept}\n'
    path.write_text(text, "utf-8")


def _check_lists(doc: dict[str, Any], want: dict[str, Any], where: str) -> None:
    for key in LISTS:
        expected = want[key]
        got = [e for e in doc.get(key) or [] if e.get("handle") != HAND["handle"]]
        if expected == "absent":
            assert not got, f"{where}: {key} should stay as it was (empty)"
            continue
        # A display name the export repeats may be two people: both kept is right too.
        assert len(got) in (expected["count"], expected.get("listed")), f"{where}: {key}"
        assert _digest(got) == expected["digest"], f"{where}: {key}"
        names = {_name(e) for e in got}
        for one in expected["some"]:
            assert _norm(one.removeprefix("id ")) in names, f"{where}: {key} lacks {one}"


def _check_settings(doc: dict[str, Any], want: dict[str, Any], where: str) -> None:
    for key in ("protected", "dm_from"):
        expected = want[key]
        got = doc.get(key, "unknown")
        allowed = expected["any_of"] if isinstance(expected, dict) else [expected]
        assert got in allowed, f"{where}: {key} is {got!r}, expected {allowed}"
    if want["handle"] is not None:
        assert doc["handle"] == want["handle"]
    if want["observed_on"] != "any":
        assert doc["observed_on"] == want["observed_on"], where


def _check_summary(out: str, doc: dict[str, Any], want: dict[str, Any], where: str) -> None:
    dms = want.get("dm_conversations")
    if isinstance(dms, int):
        assert f"shows {dms} direct-message conversation" in out, f"{where}: {out}"
    elif dms is not None:
        assert "direct-message conversation" not in out, where
    incoming = want.get("incoming_requests")
    if incoming is not None:
        assert len(doc.get("incoming_requests") or []) == incoming, where
        assert "incoming_requests:" in out and f"{incoming} added" in out, out


@needs_corpus
@pytest.mark.parametrize(("sample", "zipped"), _cases())
def test_real_export_imports_as_expected(run_cli, tmp_path, sample, zipped):
    assert CORPUS is not None
    spec = EXPECT[sample]
    names = spec.get("sequence") or list(spec["exports"])
    account = tmp_path / "account.yaml"
    _fresh(account, spec, spec["exports"][names[0]])
    for name in names:
        want = spec["exports"][name]
        export = CORPUS / "samples" / sample / name
        if zipped:
            export = _zipped(export, tmp_path / f"{name}.zip")
        where = f"{sample}/{name}"
        ran = run_cli("import", spec["format"], str(export), "--into", str(account))
        assert "Traceback" not in ran.err
        if ran.code == 2 and want.get("refusal_ok"):
            assert any(f in ran.err for f in want.get("files_listed_but_absent", ["user_data"]))
            return
        assert ran.code == 0, f"{where}: {ran.err}"
        doc = yaml.safe_load(account.read_text("utf-8"))
        _check_lists(doc, want, where)
        _check_settings(doc, want, where)
        _check_summary(ran.out, doc, want, where)
        if not zipped:
            before = account.read_bytes()
            again = run_cli("import", spec["format"], str(export), "--into", str(account))
            assert again.code == 0 and account.read_bytes() == before, where
    if spec.get("sequence"):
        doc = yaml.safe_load(account.read_text("utf-8"))
        assert any(e.get("handle") == HAND["handle"] for e in doc["followers"])


@needs_corpus
def test_the_threads_profile_is_not_read_as_instagrams(run_cli, tmp_path):
    """The full 2024 download: Threads' personal_information.json says private, and
    Instagram's public; the account is Instagram's."""
    assert CORPUS is not None
    export = CORPUS / "samples/ig2024-yummyhopper/instagram-user_e85c24-2024-07-10-BCyiKj1q"
    account = tmp_path / "ig.yaml"
    account.write_text('platform: instagram\nhandle: "@user_e85c24"\nkind: official\n', "utf-8")
    ran = run_cli("import", "instagram", str(export), "--into", str(account), "--dry-run")
    assert ran.code == 0, ran.err
    assert "protected: (not set) -> false" in ran.out
    assert "Threads profile" in ran.out
    # Threads' follow requests received are another profile's: not read as Instagram's.
    assert "incoming_requests: left as it is" in ran.out
