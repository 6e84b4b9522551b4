"""How a record is read from its schema-checked mapping: each field says where its value
comes from, once, beside its type.

    @record
    class Staff:
        ref: str = read(str)                             # n["ref"], required
        node: YMap = whole()                             # the mapping itself
        left_on: date | None = read(as_date, default=None)   # as_date(n.get("left_on"))
        build: ClassVar[Callable[[YMap], Staff]]

`record` makes the class a frozen, slotted dataclass and gives it `build(n, *given)`:
the fields with no `read` or `whole` are the ones the caller gives (a list index, what
was pruned), in their order. A field with a default (or `required=False`) is read with
`n.get`, so an absent key reaches its converter as None; one without, with `n[key]`.

`build` is written out as Python once per class, as dataclasses writes `__init__`: a
fleet builds a record per follower, consent row and pupil (hundreds of thousands), and
both a loop over the fields and the frozen `__init__` (object.__setattr__ per field)
cost more than twice the written-out form (and a call per converter, so the commonest
are written in as the expressions they are: _INLINE). The source is made of the class's
own field names, the keys its code declares and those fixed expressions, never of input.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar, dataclass_transform

from safesocial.documents.yamlio import YList, YMap

T = TypeVar("T")
_SPEC = "safesocial.model.read"
_WHOLE = object()  # the spec's key for a value made from the whole mapping


@dataclasses.dataclass(frozen=True, slots=True)
class _Spec:
    convert: Callable[[Any], Any] | None
    key: object
    required: bool


def read(
    convert: Callable[[Any], Any] | None = None,
    *,
    key: str | None = None,
    default: Any = dataclasses.MISSING,
    required: bool | None = None,
) -> Any:
    """A field read from the mapping as `convert(value)`; the key is the field's name
    unless given. The key is required (`n[key]`) unless the field has a default or
    `required=False` says an absent key reaches `convert` as None."""
    must = default is dataclasses.MISSING if required is None else required
    return dataclasses.field(default=default, metadata={_SPEC: _Spec(convert, key, must)})


def whole(convert: Callable[[Any], Any] | None = None) -> Any:
    """A field made from the whole mapping: the mapping itself, or `convert(mapping)`."""
    return dataclasses.field(metadata={_SPEC: _Spec(convert, _WHOLE, True)})


@dataclass_transform(frozen_default=True, field_specifiers=(read, whole))
def record(cls: type[T]) -> type[T]:
    """A frozen, slotted dataclass whose `build` reads it from its mapping."""
    made: type[T] = dataclasses.dataclass(frozen=True, slots=True)(cls)
    made.build = staticmethod(_builder(made))  # type: ignore[attr-defined]
    return made


def _builder(cls: type[Any]) -> Callable[..., Any]:
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_date": date.fromisoformat}
    params, lines = ["n"], []
    for f in dataclasses.fields(cls):
        scope[f"_set_{f.name}"] = getattr(cls, f.name).__set__
        spec = f.metadata.get(_SPEC)
        if spec is None:  # given by the caller
            if f.default is dataclasses.MISSING:
                params.append(f.name)
            else:
                scope[f"_d_{f.name}"] = f.default
                params.append(f"{f.name}=_d_{f.name}")
            value = f.name
        else:
            if spec.key is _WHOLE:
                value = "n"
            else:
                key = spec.key or f.name
                value = f"n[{key!r}]" if spec.required else f"get({key!r})"
            inline = _INLINE.get(spec.convert)
            if inline is not None:
                value = inline.format(value)
            elif spec.convert is not None:
                scope[f"_c_{f.name}"] = spec.convert
                value = f"_c_{f.name}({value})"
        lines.append(f"    _set_{f.name}(made, {value})\n")
    source = (
        f"def build({', '.join(params)}):\n    get = n.get\n    made = _new(_cls)\n"
        + "".join(lines)
        + "    return made\n"
    )
    exec(source, scope)
    built: Callable[..., Any] = scope["build"]
    return built


# Converters: a schema-checked value as the field's type, None (or empty) where absent.


def as_date(value: object) -> date | None:
    """A schema-checked YYYY-MM-DD string as a date; anything else is "not recorded"."""
    return date.fromisoformat(value) if isinstance(value, str) else None


def opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def opt_bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def is_true(value: object) -> bool:
    return value is True


def strs(value: object) -> tuple[str, ...]:
    return tuple([str(v) for v in value]) if isinstance(value, list) else ()


def str_set(value: object) -> frozenset[str]:
    return frozenset([str(v) for v in value] if isinstance(value, list) else ())


# The commonest converters written into `build` as what they do (a record per follower
# reads a handful of these): the same result, without a call each.
_INLINE: dict[Callable[[Any], Any] | None, str] = {
    opt_str: "(None if (_v := {}) is None else str(_v))",
    as_date: "(_date(_v) if isinstance(_v := {}, str) else None)",
    opt_bool: "(_v if isinstance(_v := {}, bool) else None)",
}


def maps(node: YMap, key: str) -> Iterable[YMap]:
    items = node.get(key)
    return items if isinstance(items, YList) else ()


def each(build: Callable[[YMap], Any]) -> Callable[[object], tuple[Any, ...]]:
    """A converter for a list of mappings: each one built into its record."""

    def convert(items: object) -> tuple[Any, ...]:
        return tuple([build(item) for item in items]) if isinstance(items, YList) else ()

    return convert


def each_numbered(build: Callable[[YMap, int], T]) -> Callable[[object], tuple[T, ...]]:
    """As `each`, giving each record the index its entry had in the file (before any
    unreadable entry was taken out), so that "follower #12" stays the twelfth written."""

    def convert(items: object) -> tuple[T, ...]:
        if not isinstance(items, YList):
            return ()
        numbers = items.origin if items.origin is not None else range(len(items))
        return tuple([build(item, number) for number, item in zip(numbers, items, strict=True)])

    return convert
