"""The one form a check kind is declared in (checks/declare.py): its scope decides the
context its run function is handed, and a mismatch is refused, by mypy and at import."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import textwrap
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from safesocial import checks
from safesocial.checks.base import AccountContext, Context, Hit, StaffAccountContext
from safesocial.checks.declare import CONTEXT_OF, kind

ROOT = Path(__file__).resolve().parents[2]


def _handed(kind_name: str) -> type:
    """The class of the first parameter of a registered kind's own run function."""
    func = inspect.unwrap(checks.REGISTRY[kind_name].run)
    first = next(iter(inspect.signature(func).parameters))
    return typing.get_type_hints(func)[first]  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", sorted(checks.REGISTRY))
def test_every_kind_is_handed_the_context_of_its_scope(name: str) -> None:
    scopes = checks.REGISTRY[name].scopes
    wanted = CONTEXT_OF[scopes[0]] if len(scopes) == 1 else Context
    assert _handed(name) is wanted


@pytest.mark.parametrize("name", sorted(checks.REGISTRY))
def test_every_kind_is_declared_with_its_doc_as_the_docstring(name: str) -> None:
    registered = checks.REGISTRY[name]
    func = inspect.unwrap(registered.run)
    assert " ".join((func.__doc__ or "").split()) == registered.doc


def _school_run(ctx: Context, _params: Any) -> Iterator[Hit]:
    """For tests."""
    yield from ()


def _account_run(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
    """For tests."""
    yield Hit(ctx.account.handle, None)


def _staff_run(ctx: StaffAccountContext, _params: Any) -> Iterator[Hit]:
    """For tests."""
    yield Hit(ctx.staff_account.staff, None)


@pytest.mark.parametrize(
    ("scope", "func"),
    [
        ("account", _school_run),
        ("staff_account", _account_run),
        ("school", _account_run),
        (("account", "staff_account"), _staff_run),
    ],
)
def test_a_run_function_of_another_scope_is_refused(scope: Any, func: Any) -> None:
    with pytest.raises(TypeError, match="must take a"):
        kind("test_kind", scope)(func)


def test_a_kind_without_a_docstring_is_refused() -> None:
    def undocumented(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
        yield from ()

    with pytest.raises(TypeError, match="needs a docstring"):
        kind("test_kind", "account")(undocumented)


def test_an_account_kind_finds_nothing_on_a_target_without_an_account() -> None:
    declared = kind("test_kind", "account")(_account_run)
    bare = Context(None, None, "school", {}, {})  # type: ignore[arg-type]
    assert list(declared.run(bare, {})) == []


def test_an_account_kind_is_handed_the_account_of_a_plain_context() -> None:
    class FakeAccount:
        handle = "@school"

    declared = kind("test_kind", "account")(_account_run)
    plain = Context(None, None, "t", {}, {}, account=FakeAccount())  # type: ignore[arg-type]
    assert [hit.message for hit in declared.run(plain, {})] == ["@school"]


def test_mypy_refuses_a_run_function_of_another_scope(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong_scope.py"
    wrong.write_text(
        textwrap.dedent(
            '''
            from collections.abc import Iterator
            from typing import Any

            from safesocial.checks.base import AccountContext, Hit
            from safesocial.checks.declare import kind


            @kind("on_schools", "school")
            def ON_SCHOOLS(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
                """Reads ctx.account, which a school has not."""
                yield from ()


            @kind("on_staff", "staff_account")
            def ON_STAFF(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
                """Reads ctx.account, which a staff account has not."""
                yield from ()
            '''
        )
    )
    ran = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(wrong)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        # The package is installed editable, without py.typed: point mypy at the source.
        env={**os.environ, "MYPYPATH": str(ROOT / "src")},
    )
    assert ran.returncode == 1, ran.stdout
    errors = [line for line in ran.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["9", "15"], ran.stdout
    assert all("AccountContext" in line for line in errors), ran.stdout
