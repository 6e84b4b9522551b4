"""JSON Schema validation whose errors read as a person would write them."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from safesocial.documents import compiled_schema, patterns, resources
from safesocial.documents.yamlio import YList, YMap
from safesocial.documents.yamlnodes import locate
from safesocial.errors import InputProblem
from safesocial.findings import Location

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

MAX_ERRORS_PER_FILE = 20
_AMBIGUOUS = {"yes", "no", "on", "off", "y", "n"}
_BOUNDS = {
    "maximum": "it may be at most",
    "minimum": "it must be at least",
    "exclusiveMaximum": "it must be less than",
    "exclusiveMinimum": "it must be more than",
}
# What a value must look like, said without repeating it.
_FORMS = {
    "pattern": "is not in the expected form (it must match {})",
    "minLength": "must be at least {} characters long",
    "maxLength": "must be at most {} characters long",
    "minItems": "must list at least {} entries",
    "maxItems": "may list at most {} entries",
    "const": "must be {}",
}
_TYPE_WORDS = {
    "boolean": "true or false",
    "string": "text",
    "integer": "a whole number",
    "array": "a list",
    "object": "a mapping of keys to values",
    "number": "a number",
    "null": "nothing",
}


# jsonschema is imported only when something fails and must be explained: a clean run
# never pays for it (it is the slowest import safesocial has).


@functools.cache
def validator(schema_name: str) -> Draft202012Validator:
    return compile_schema(resources.schema(schema_name))


@functools.cache
def fast_checker(schema_name: str) -> compiled_schema.Check | None:
    return compiled_schema.compile_schema(resources.schema(schema_name))


@functools.cache
def _validator_class() -> type[Draft202012Validator]:
    """Draft 2020-12 with `pattern` matched by RE2 (patterns.py), as the fast path does:
    jsonschema's own runs Python's backtracking `re` on whatever a bio holds."""
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    def pattern(validator: Any, regex: str, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not patterns.search(regex, instance):
            # Not jsonschema's wording, which quotes the text itself.
            yield ValidationError(f"does not match the pattern {regex!r}")

    extended: type[Draft202012Validator] = validators.extend(  # type: ignore[no-untyped-call]  # untyped in the stubs
        Draft202012Validator, {"pattern": pattern}
    )
    return extended


def compile_schema(schema: Mapping[str, Any]) -> Draft202012Validator:
    """A jsonschema validator, for explaining what is wrong."""
    from jsonschema import Draft202012Validator

    return _validator_class()(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def predicate(schema: Mapping[str, Any]) -> compiled_schema.Check:
    """A yes/no check for `schema`: compiled where it can be, else jsonschema's verdict."""
    fast = compiled_schema.compile_schema(schema)
    if fast is not None:
        return fast
    slow: list[Draft202012Validator] = []

    def verdict(value: Any) -> bool:
        if not slow:
            slow.append(compile_schema(schema))
        return bool(slow[0].is_valid(value))

    return verdict


# Words a value may be quoted as: none can be a name. Any other text is described, not
# repeated, as a field meant for a category or a date may hold a pupil's name typed in
# by mistake, and these messages reach shareable reports.
_SAFE_WORDS = _AMBIGUOUS | {"maybe", "unknown", "none", "null", "true", "false", "tbc", "n/a"}
# A short number YAML read as text (1e999, 1,000): said back, as it cannot be a name or a
# date; a long one or one with a leading zero might be a phone number, and is not.
_NUMBERLIKE = re.compile(r"[-+]?(?:[1-9][\d,_]*|0)(?:\.\d*)?(?:[eE][-+]?\d+)?")


def _show(value: Any) -> str:
    if isinstance(value, YMap | dict):
        return "a mapping"
    if isinstance(value, YList | list):
        return "a list"
    if isinstance(value, str):
        plain = value.strip()
        quoted = plain.lower() in _SAFE_WORDS or _NUMBERLIKE.fullmatch(plain) is not None
        return repr(value) if quoted and len(plain) <= 12 else "text"
    text = str(value).lower()
    return text if len(text) <= 60 else text[:57] + "..."


def _expected(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(_TYPE_WORDS.get(str(k), str(k)) for k in kind)
    return _TYPE_WORDS.get(str(kind), str(kind))


def _where(path: list[str | int], top: str = "the top level") -> str:
    keys = [p if isinstance(p, str) else f"[{p + 1}]" for p in path]
    if top != "the top level":
        keys.insert(0, top)
    return ".".join(keys).replace(".[", "[") if keys else top


def _value_loc(root: Any, path: list[str | int]) -> Location | None:
    """Where the value at `path` was written: a wrong value is shown at the value itself,
    not at its key (``protected: maybe`` points at ``maybe``)."""
    parent: Any = root
    for part in path[:-1]:
        in_map = isinstance(parent, Mapping) and isinstance(part, str) and part in parent
        in_list = isinstance(parent, list) and isinstance(part, int) and 0 <= part < len(parent)
        if not (in_map or in_list):
            return None
        parent = parent[part]
    last = path[-1] if path else None
    if isinstance(parent, YMap) and isinstance(last, str) and last in parent:
        return parent.value_loc(last)
    if isinstance(parent, YList) and isinstance(last, int) and 0 <= last < len(parent):
        return parent.loc(last)
    return None


def describe(
    error: ValidationError, doc: Any, file: str, top: str = "the top level"
) -> InputProblem:
    """Turn one jsonschema error into a located, plain-English problem.

    `top` names `doc` in messages when it is part of a larger file (a rule's `check`).
    """
    path = list(error.absolute_path)
    root = doc if isinstance(doc, YMap) else {}
    # A problem with the document as a whole (a missing key, a list where a mapping
    # belongs) points at the document itself, not at the file's first line.
    here = doc.loc() if isinstance(doc, YMap | YList) else Location(file, 1, 1)
    loc = locate(root, path) or here
    if error.validator not in ("required", "additionalProperties"):
        loc = _value_loc(root, path) or loc
    key = f"'{path[-1]}'" if path and isinstance(path[-1], str) else _where(path, top)
    inst, kw = error.instance, error.validator
    # jsonschema types these loosely (they may be "unset"); normalise once here.
    sch: dict[str, Any] = dict(error.schema) if isinstance(error.schema, Mapping) else {}
    wanted: list[Any] = (
        list(error.validator_value) if isinstance(error.validator_value, list) else []
    )
    if kw == "additionalProperties" and isinstance(inst, YMap):
        allowed = sorted(sch.get("properties", {}))
        extra = [k for k in inst if k not in allowed]
        name = extra[0] if extra else "?"
        guess = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = (
            f"; did you mean '{guess[0]}'?" if guess else f"; expected one of: {', '.join(allowed)}"
        )
        return InputProblem(inst.loc(name), f"unknown key '{name}' in {_where(path, top)}{hint}")
    if kw == "required":
        missing = str(wanted[0]) if wanted else "?"
        for name in wanted:
            if isinstance(inst, Mapping) and name not in inst:
                missing = str(name)
                break
        return InputProblem(loc, f"{_where(path, top)} is missing the required key '{missing}'")
    if kw == "type":
        msg = f"{key} should be {_expected(sch)}, not {_show(inst)}"
        if (
            isinstance(inst, str)
            and inst.lower() in _AMBIGUOUS
            and "boolean" in str(sch.get("type"))
        ):
            msg += " (write true or false: YAML's yes/no/on/off are ambiguous)"
        return InputProblem(loc, msg)
    if kw == "enum":
        # The value itself is never repeated (see _SAFE_WORDS): the place and the choices.
        options = ", ".join(str(o) for o in wanted)
        hint = ""
        if isinstance(inst, str):
            guess = difflib.get_close_matches(inst, [str(o) for o in wanted], n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
        return InputProblem(loc, f"{key} must be one of: {options}{hint}")
    if kw in ("format", "pattern") and sch.get("format") == "date":
        return InputProblem(loc, f"{key} is not a real date written YYYY-MM-DD")
    if kw in _BOUNDS:
        # Said with _show, which shortens: a 400-digit number is not repeated in full.
        limit = error.validator_value
        return InputProblem(loc, f"{key} is {_show(inst)}, but {_BOUNDS[kw]} {limit}")
    if kw == "uniqueItems":
        return InputProblem(loc, f"{key} lists the same value twice")
    keys = [b.get("required") for b in wanted if isinstance(b, Mapping)]
    singles = [str(k[0]) for k in keys if isinstance(k, list) and len(k) == 1]
    if kw == "anyOf" and singles and len(singles) == len(wanted):
        # "one of these keys" (an admin's access, or a Page role): name the keys, never
        # the entry's content.
        names = " or ".join(f"'{k}'" for k in singles)
        return InputProblem(loc, f"{key} needs one of the keys {names}")
    if kw == "minLength" and error.validator_value == 1:
        return InputProblem(loc, f"{key} must not be empty")
    if kw in _FORMS:
        return InputProblem(loc, f"{key} {_FORMS[kw].format(error.validator_value)}")
    if isinstance(inst, str | Mapping | list):
        # jsonschema's own message repeats the value (text, or every text inside a
        # mapping or a list): say what was expected instead.
        return InputProblem(loc, f"{key} is not in the expected form ({kw})")
    return InputProblem(loc, f"{key}: {error.message}")


def check(
    doc: Any, schema: str | Mapping[str, Any] | Draft202012Validator, file: str
) -> Iterator[InputProblem]:
    """Every schema problem in `doc`, in file order, at most MAX_ERRORS_PER_FILE.

    `schema` is a file name in schemas/, a schema itself, or a ready validator.
    """
    if isinstance(schema, str):
        fast, checker = fast_checker(schema), None
    elif hasattr(schema, "iter_errors"):  # a ready jsonschema validator
        fast, checker = None, schema
    else:
        fast, checker = compiled_schema.compile_schema(schema), None
    if fast is not None and fast(doc):
        return  # valid: jsonschema is only needed to explain what is wrong
    if checker is None:
        checker = (
            validator(schema) if isinstance(schema, str) else compile_schema(schema)  # type: ignore[arg-type]  # a Mapping here
        )
    problems = [describe(e, doc, file) for e in checker.iter_errors(doc)]
    for problem in problems:
        problem.code = "IN002"
    problems.sort(key=lambda p: (p.location.line, p.location.column))
    seen: set[Location] = set()
    unique = []
    for problem in problems:
        # A bad date breaks both its pattern and its format: say it once per place.
        if problem.location not in seen:
            seen.add(problem.location)
            unique.append(problem)
    yield from unique[:MAX_ERRORS_PER_FILE]
