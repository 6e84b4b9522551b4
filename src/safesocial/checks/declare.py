"""The one form a check kind is declared in: `@kind(...)` over its run function.

    @kind("admin_left", "account", reads=("account.admins",))
    def ADMIN_LEFT(ctx: AccountContext, _params: Any) -> Iterator[Hit]:
        "No admin of the account has left the school."

The docstring is the kind's doc; the scope picks the context the run function is handed
(docs/writing-rules.md). Modules still list their kinds in `KINDS`, and the one registry
is built from those in checks/__init__.py: declaring a kind registers nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields
from typing import Any, Literal, TypedDict, TypeVar, Unpack, overload

from safesocial.checks.base import (
    NO_PARAMS,
    AccountContext,
    AccountRun,
    CheckKind,
    Context,
    Hit,
    Run,
    Scope,
    StaffAccountContext,
    StaffAccountRun,
    shown,
)

T = TypeVar("T", bound=Context)


def _retyped(ctx: Context, cls: type[T], target: object) -> T | None:
    """`ctx` as a `cls`, or None when it has no `target` (an account, a staff account).
    The engine builds typed contexts already; this is for any other caller."""
    if isinstance(ctx, cls):
        return ctx
    if target is None:
        return None
    return cls(**{f.name: getattr(ctx, f.name) for f in fields(Context)})


def as_account(ctx: Context) -> AccountContext | None:
    """`ctx` as an account's context, or None when it is not one."""
    return _retyped(ctx, AccountContext, ctx.account)


def as_staff_account(ctx: Context) -> StaffAccountContext | None:
    """`ctx` as a staff account's context, or None when it is not one."""
    return _retyped(ctx, StaffAccountContext, ctx.staff_account)


# Which context class the run function of a single-scope kind is handed.
CONTEXT_OF: Mapping[Scope, type[Context]] = {
    "school": Context,
    "account": AccountContext,
    "staff_account": StaffAccountContext,
}


class Options(TypedDict, total=False):
    """What a kind may declare beside its name and scope (the fields of `CheckKind`)."""

    params: Mapping[str, Any]  # default NO_PARAMS: the kind takes none
    reads: tuple[str, ...]
    phase: Literal["check", "waivers"]
    prepare: Callable[[Mapping[str, Any]], Any]
    template_names: frozenset[str]


@overload
def kind(
    name: str, scope: Literal["account"], **options: Unpack[Options]
) -> Callable[[AccountRun], CheckKind]: ...
@overload
def kind(
    name: str, scope: Literal["staff_account"], **options: Unpack[Options]
) -> Callable[[StaffAccountRun], CheckKind]: ...
@overload
def kind(
    name: str, scope: Literal["school"] | tuple[Scope, ...], **options: Unpack[Options]
) -> Callable[[Run], CheckKind]: ...
def kind(
    name: str, scope: Scope | tuple[Scope, ...], **options: Unpack[Options]
) -> Callable[[Any], CheckKind]:
    """Declare a check kind over its run function, whose docstring is the kind's doc
    (`safesocial rules --kinds`, docs/rules.md), its lines joined by single spaces.

    A kind of one scope, "account" or "staff_account", is handed an `AccountContext` or
    `StaffAccountContext` (the account is never None); "school", or several scopes, a
    plain `Context`. Through the overloads mypy refuses a run function that wants more
    than its scope gives (an `AccountContext` on a school kind would read an account that
    is not there); the check below, at import, refuses one that wants less too (a plain
    `Context` on an account kind would need its old None guard back), so every kind
    takes exactly the context of its scope (tests/unit/test_check_kind_declaration.py).
    """
    scopes: tuple[Scope, ...] = (scope,) if isinstance(scope, str) else scope
    wanted = CONTEXT_OF[scopes[0]] if len(scopes) == 1 else Context

    def declare(func: Callable[[Any, Any], Iterator[Hit]]) -> CheckKind:
        handed = _first_annotation(func)
        if handed != wanted.__name__:
            raise TypeError(
                f"check kind {name!r} has scope {shown(list(scopes))}, so its run function "
                f"must take a {wanted.__name__}, not {handed or 'an unannotated ctx'}"
            )
        doc = " ".join((func.__doc__ or "").split())
        if not doc:
            raise TypeError(f"check kind {name!r} needs a docstring: it is the kind's doc")
        declared: Options = {"params": NO_PARAMS, **options}
        return CheckKind(name=name, scopes=scopes, run=_narrowed(func, wanted), doc=doc, **declared)

    return declare


def _first_annotation(func: Callable[..., Any]) -> str | None:
    """The name of the class of a function's first parameter, as written (modules use
    `from __future__ import annotations`, so it is usually the string itself)."""
    code = func.__code__
    first = code.co_varnames[0] if code.co_argcount else None
    note = func.__annotations__.get(first) if first else None
    return note if isinstance(note, str) or note is None else getattr(note, "__name__", None)


def _narrowed(func: Callable[[Any, Any], Iterator[Hit]], wanted: type[Context]) -> Run:
    """The run function the engine calls, with any context: a target of another scope
    has nothing for the kind to check, as the `if ctx.account is None: return` each run
    function used to begin with said."""
    if wanted is Context:
        return func
    narrow = as_account if wanted is AccountContext else as_staff_account

    def run(ctx: Context, params: Any) -> Iterator[Hit]:
        typed = narrow(ctx)
        return iter(()) if typed is None else func(typed, params)

    run.__wrapped__ = func  # type: ignore[attr-defined]
    return run
