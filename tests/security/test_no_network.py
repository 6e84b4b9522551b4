"""Nothing reaches for the network: every command runs with sockets blocked.

safesocial handles children's data; it must never send any of it anywhere, nor fetch
anything (a JSON Schema `$ref`, a source's URL, a font for the HTML report). Two ways:

- in this process, with `socket` patched so that every attempt is recorded and refused,
  every command and output format runs (PDF aside: Chromium is another program; its
  flags, and the report's Content-Security-Policy, are checked instead);
- in child processes, with the same block installed at interpreter start through a
  sitecustomize module, so that the worker processes a fleet check spawns are covered.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from safesocial import cli, reporters
from safesocial.cli import main
from safesocial.reporters import pdf
from tests import import_exports
from tests.conftest import ROOT

AS_OF = "2026-11-21"
DRIFT = ROOT / "examples" / "drift-primary"
TRUST_PACK = ROOT / "examples" / "trust-pack" / "oakwood.yaml"
OFFLINE_FORMATS = sorted(n for n in reporters.REPORTERS if n != "pdf")


class NetworkAttempt(OSError):
    pass


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every reach for the network, recorded (in case something swallows the error)."""
    seen: list[str] = []
    real = socket.socket

    class Blocked(real):  # type: ignore[misc,valid-type]
        def __init__(self, family: int = -1, type: int = -1, proto: int = -1, fileno=None):
            # A socket over an inherited descriptor, or a local (AF_UNIX) one, is not the
            # network; anything else is.
            if fileno is None and family != socket.AF_UNIX:
                seen.append(f"socket(family={family})")
                raise NetworkAttempt("network blocked by the test")
            super().__init__(family, type, proto, fileno)

    def refuse(name: str):
        def call(*args: object, **kwargs: object) -> object:
            seen.append(f"{name}{args[:2]}")
            raise NetworkAttempt(f"{name} blocked by the test")

        return call

    monkeypatch.setattr(socket, "socket", Blocked)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield seen


def _commands(tmp: Path) -> list[list[str]]:
    school = tmp / "school"
    shutil.copytree(DRIFT, school)
    base = str(tmp / "base.json")
    export = import_exports.write(
        import_exports.x_archive(username="AshcombeCofE", generated="2026-11-21T09:00:00.000Z"),
        tmp / "x-export",
        zipped=True,
    )
    outputs = [arg for fmt in OFFLINE_FORMATS for arg in ("-o", f"{fmt}:{tmp / ('r.' + fmt)}")]
    return [
        ["check", str(school), "--as-of", AS_OF],
        ["check", str(school), "--as-of", AS_OF, *outputs],
        ["check", str(school), "--as-of", AS_OF, "--reveal-names", "-o", f"html:{tmp}/l.html"],
        ["baseline", "create", str(school), "--as-of", AS_OF, "-o", base],
        ["check", str(school), "--as-of", AS_OF, "--baseline", base, "-o", "sarif:b.sarif"],
        ["explain", "SS101"],
        ["explain", "pupil-names-in-version-control"],
        ["rules"],
        ["rules", "--format", "json"],
        ["rules", "--format", "markdown"],
        ["rules", "--kinds"],
        ["config", str(school)],
        ["pack", "validate", str(TRUST_PACK)],
        ["pack", "test", str(TRUST_PACK)],
        ["schema"],
        ["schema", "account"],
        ["init", str(tmp / "new-school"), "--yes", "--handle", "@NewSchool", "--platform", "x"],
        ["import", "x-archive", str(export), "--into", str(school / "accounts" / "twitter.yaml")],
        ["check", str(school), "--as-of", AS_OF, "--shard", "1/1", "-o", f"json:{tmp}/1.json"],
        ["merge", f"{tmp}/1.json", "-o", f"sarif:{tmp}/merged.sarif"],
        ["cache", "clear", str(school)],
        ["--version"],
    ]


def test_every_command_runs_with_sockets_blocked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    attempts: list[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    # The checks use the cache too (written, then read by the next check).
    monkeypatch.delenv("SAFESOCIAL_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    ran: dict[str, int] = {}
    for args in _commands(tmp_path):
        code = main(args)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err, (args, err)
        assert code in (0, 1), (args, code, err[-500:])
        ran[args[0]] = code
    assert attempts == []
    # Every command of the CLI is in the list above: a new one must be shown offline too.
    assert set(cli.cli.commands) - set(ran) == set(), "add the new command to _commands"


def test_the_block_itself_works(attempts: list[str]) -> None:
    # Without this, a fixture that blocked nothing would pass every test above.
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("example.org", 443), timeout=1)
    with pytest.raises(NetworkAttempt):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    local_a, local_b = socket.socketpair()  # local IPC stays possible
    local_a.close()
    local_b.close()
    assert len(attempts) == 2


def test_a_remote_reference_in_a_rule_is_refused_before_anything_is_fetched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], attempts: list[str]
) -> None:
    pack = tmp_path / "remote.yaml"
    pack.write_text(
        textwrap.dedent(
            """\
            pack: {id: remote, title: t}
            rules:
              - id: RMT001
                name: remote
                title: t
                severity: warning
                category: guidance
                rationale: r
                remediation: r
                sources: [seed-002]
                check:
                  kind: schema
                  message: m
                  schema: {$ref: "https://schemas.example.org/evil.json"}
            """
        )
    )
    assert main(["pack", "validate", str(pack)]) == 2
    assert "points outside the rule" in capsys.readouterr().err
    assert attempts == []


# ---- the PDF: another program, checked by its flags and the page it prints ----------


def test_chromium_is_started_without_background_networking() -> None:
    for flag in ("--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-extensions", "--no-first-run"):  # fmt: skip
        assert flag in pdf.FLAGS


def test_the_printed_page_may_load_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    # Chromium prints the HTML report; its Content-Security-Policy lets it fetch nothing
    # (no script, font, image or style from anywhere but the page itself).
    assert main(["check", str(DRIFT), "--as-of", AS_OF, "-o", "html"]) == 1
    page = capsys.readouterr().out
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "http://" not in page.split("</head>")[0].replace("http://www.w3.org", "")


# ---- child processes, fleet workers included ------------------------------------------

SITECUSTOMIZE = """
import os, socket
_log = os.environ["SAFESOCIAL_NETWORK_LOG"]
_real = socket.socket

def _record(what):
    with open(_log, "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()} {what}\\n")
    raise OSError("network blocked by the test")

class _Blocked(_real):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family != socket.AF_UNIX:
            _record(f"socket({family})")
        super().__init__(family, type, proto, fileno)

socket.socket = _Blocked
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
    setattr(socket, _name, lambda *a, _n=_name, **k: _record(_n))
with open(_log, "a", encoding="utf-8") as _fh:
    _fh.write(f"{os.getpid()} started\\n")
"""


def test_a_fleet_check_in_worker_processes_stays_offline(tmp_path: Path) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, "utf-8")
    log = tmp_path / "network.log"
    trust = tmp_path / "trust"
    for name in ("clean-primary", "drift-primary", "followback-secondary"):
        shutil.copytree(ROOT / "examples" / name, trust / name)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH", "")]),
        "SAFESOCIAL_NETWORK_LOG": str(log),
    }
    args = [arg for fmt in OFFLINE_FORMATS for arg in ("-o", f"{fmt}:{tmp_path / fmt}")]
    done = subprocess.run(
        [sys.executable, "-m", "safesocial", "check", str(trust), "--as-of", AS_OF,
         "--jobs", "3", *args],
        capture_output=True, text=True, env=env, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]
    lines = log.read_text("utf-8").splitlines()
    started = {line.split()[0] for line in lines if line.endswith(" started")}
    assert len(started) >= 2, "the workers did not load the block: the test proves nothing"
    assert [line for line in lines if not line.endswith(" started")] == []


def test_the_commands_list_names_real_commands() -> None:
    assert isinstance(cli.cli, click.Group)
    assert {"check", "explain", "rules", "config", "baseline"} <= set(cli.cli.commands)
