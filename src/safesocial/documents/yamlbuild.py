"""A YAML document built straight from the parser's events.

PyYAML's composer makes a Node and two Mark objects for every value, and its resolver
runs a regular expression over every plain scalar, before any constructor sees them;
reading the events alone costs under half of that. This builder makes YMap, YList and
scalars from the events as they come, with the same rules, locations and refusals as
compose-then-construct had (tests/unit/test_yamlbuild.py proves them equal), in a loop with
a stack of its own, so nesting costs no recursion.

Errors keep compose-then-construct's order: the parser's and the composer's own
(syntax, an undefined or repeated anchor, a second document) come before anything the
constructor refused (a tag, a duplicate key, a key that is not text), because the whole
document was composed before any of it was constructed. So a refusal is kept while the
rest of the document is read, and only raised once nothing earlier in that order is.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from safesocial.documents.yamlnodes import Pos, YList, YMap
from safesocial.errors import InputProblem
from safesocial.findings import Location

_Y = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _Y + "str", _Y + "map", _Y + "seq"
_INT, _FLOAT, _BOOL, _NULL = _Y + "int", _Y + "float", _Y + "bool", _Y + "null"
_SCALAR_TAGS = frozenset((_STR, _INT, _FLOAT, _BOOL, _NULL))
_DIGITS = re.compile(r"[-+]?[0-9_]*[0-9][0-9_]*")
_HINTS = {
    "@": 'a value starting with @ must be quoted: "@handle"',
    "`": "a value starting with ` must be quoted",
    "\t": "YAML indents with spaces, not tabs",
}
# PyYAML's own constructors, for the few typed scalars: their rules, exactly.
_SAFE = yaml.constructor.SafeConstructor()
# Plain scalars by their first character, as PyYAML's resolver looks them up: a plain
# value whose first character starts none of these (most of a school's text) is text
# without a regular expression run over it.
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


def _resolver(tag: str, pattern: str, first: list[str]) -> None:
    compiled = re.compile(pattern, re.X)
    for char in first:
        _RESOLVERS.setdefault(char, []).append((tag, compiled))


# Only YAML 1.2 core-schema booleans: `yes`, `no`, `on` and `off` stay text, so the
# schema then reports them at their line instead of a quiet True or False.
_resolver(_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF"))
# YAML 1.2 numbers, minus one trap: a leading zero stays text, because YAML 1.1 would
# read an identifier such as 012345 as the octal number 5349 without a word.
_resolver(_INT, r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789"))
_resolver(
    _FLOAT,
    r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    list("-+0123456789."),
)
_resolver(_NULL, r"^(?:~|null|Null|NULL|)$", list("~nN\0"))
_resolver(_NULL, r"^$", [""])
# What those resolvers make of a plain value starting with t, f, n or ~: only these
# exact words are typed, so a dictionary answers (`form` or `F-1` is text) without a
# regular expression run; tests/unit/test_yamlbuild.py holds the two to the same result.
_WORDS: dict[str, Any] = dict.fromkeys(("~", "null", "Null", "NULL"))
_WORDS.update({w: w[0] in "tT" for w in ("true", "True", "TRUE", "false", "False", "FALSE")})
_WORDED = frozenset("tTfFnN~")


class _Refused(Exception):
    """What the constructor would have refused, kept until the document is read."""

    def __init__(self, problem: InputProblem, depth: int) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.depth = depth  # collections open where it was found


def hint(text: str, mark: Any) -> str:
    """A plain-English fix for the commonest slips, read from the character at fault."""
    if mark is None or mark.index >= len(text):
        return ""
    found = _HINTS.get(text[mark.index])
    return f"; {found}" if found else ""


def too_deep(file: str, mark: Any, limit: int) -> InputProblem:
    # `mark` is PyYAML's Mark or libyaml's, which the stubs type apart.
    why = f"the data is nested more than {limit} levels deep here; safesocial reads at most "
    why += "that many"
    return InputProblem(_at(file, mark) if mark else Location(file, 1, 1), why)


def _at(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _syntax(text: str, file: str, mark: Any, problem: str) -> InputProblem:
    return InputProblem(_at(file, mark), f"YAML syntax: {problem}{hint(text, mark)}")


def _typed(tag: str, value: str, mark: Any, file: str, text: str) -> Any:
    """A scalar with the type its tag (written, or resolved from plain text) gives it."""
    if tag == _STR:
        return value
    node = yaml.ScalarNode(tag, value, mark, mark)
    if tag == _INT:
        try:
            return int(_SAFE.construct_yaml_int(node))
        except (ValueError, IndexError):
            if not _DIGITS.fullmatch(value):
                raise _mistagged(tag, "a whole number", mark, file) from None
            # Python refuses to read integers of more than 4,300 digits (a guard of its own).
            raise InputProblem(
                _at(file, mark),
                f"this number has {len(value):,} digits; that is not a number safesocial can use",
            ) from None
    if tag == _FLOAT:
        try:
            return float(_SAFE.construct_yaml_float(node))
        except (ValueError, IndexError):
            raise _mistagged(tag, "a number", mark, file) from None
    if tag == _BOOL:
        try:
            return bool(_SAFE.construct_yaml_bool(node))
        except KeyError:
            raise _mistagged(tag, "true or false", mark, file) from None
    if tag == _NULL:
        return None
    if tag in (_MAP, _SEQ):
        kind = "mapping" if tag == _MAP else "sequence"
        raise _syntax(text, file, mark, f"expected a {kind} node, but found scalar")
    raise _refused_tag(tag, mark, file)


def _mistagged(tag: str, wanted: str, mark: Any, file: str) -> InputProblem:
    # An explicit tag (!!float "x") forces a type the text is not; the value itself
    # is not quoted, as it may be personal.
    return InputProblem(
        _at(file, mark),
        f"this value is tagged {tag.replace(_Y, '!!')} but is not {wanted}; "
        f"remove the tag, or write {wanted}",
    )


def _refused_tag(tag: str, mark: Any, file: str) -> InputProblem:
    why = f"the tag {tag} is not allowed: safesocial reads plain data only"
    return InputProblem(_at(file, mark), why)


def _collection_tag(event: Any, own: str, text: str, file: str) -> InputProblem | None:
    """Why a mapping or list's written tag is refused; None when it has none of its own."""
    tag = event.tag
    if tag is None or tag == "!" or tag == own:
        return None
    kind = "mapping" if own == _MAP else "sequence"
    if tag in _SCALAR_TAGS:
        return _syntax(text, file, event.start_mark, f"expected a scalar node, but found {kind}")
    if tag in (_MAP, _SEQ):
        wanted = "mapping" if tag == _MAP else "sequence"
        return _syntax(text, file, event.start_mark, f"expected a {wanted} node, but found {kind}")
    return _refused_tag(tag, event.start_mark, file)


class Builder:
    """One document from one parser: `build()` returns it and whether it used an alias."""

    def __init__(self, parser: Any, text: str, file: str, max_depth: int, eager: bool) -> None:
        self.get = parser.get_event
        self.text, self.file, self.max_depth = text, file, max_depth
        # A long text was walked for depth before composing, once: there a level past
        # max_depth anywhere in the stream came first, and the composer's errors after.
        self.eager = eager
        self.composing: InputProblem | None = None  # the composer's, kept (eager only)
        self.anchors: dict[str, tuple[Any, Any, bool]] = {}  # value, mark, is collection
        self.aliased = False

    def build(self) -> tuple[Any, bool]:
        get = self.get
        get()  # stream start
        if get().__class__ is StreamEndEvent:
            return None, False
        late: InputProblem | None = None
        try:
            root = self._tree()
        except _Refused as refused:
            late, root = refused.problem, None
            self._drain(refused.depth)
        event = get()
        if event.__class__ is not StreamEndEvent:
            why = "the file holds more than one YAML document (---); keep one"
            more = _syntax(self.text, self.file, event.start_mark, why)
            if not self.eager:
                raise more
            self.composing = self.composing or more
            self._drain(0, stream=True)
        if self.composing:
            raise self.composing
        if late:
            raise late
        return root, self.aliased

    def _compose_error(self, problem: InputProblem, depth: int, draining: bool = False) -> None:
        """The composer's refusal: raised at once, unless the depth walk came first; then
        kept (and the tree given up, unless the rest is only being read already)."""
        if not self.eager:
            raise problem
        self.composing = problem
        if not draining:
            raise _Refused(problem, depth)

    def _anchor(self, event: Any, depth: int, collection: bool, draining: bool = False) -> None:
        """Register the anchor `event` names, once: the composer refused it written twice."""
        if event.anchor in self.anchors:
            problem = _syntax(self.text, self.file, event.start_mark, "second occurrence")
            self._compose_error(problem, depth, draining)
        self.anchors[event.anchor] = (None, event.start_mark, collection)

    def _scalar(self, event: Any, depth: int) -> Any:
        """A scalar with an anchor or a tag of its own: the rarer, slower path."""
        mark = event.start_mark
        if event.anchor is not None:
            self._anchor(event, depth, False)
        tag, value = event.tag, event.value
        if tag is None or tag == "!":
            if event.implicit[0]:
                value = self._resolve(value, mark, depth)
        elif tag != _STR:
            try:
                value = _typed(tag, value, mark, self.file, self.text)
            except InputProblem as refusal:
                raise _Refused(refusal, depth) from None
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, mark, False)
        return value

    def _resolve(self, value: str, mark: Any, depth: int) -> Any:
        """A plain scalar's type, from PyYAML's resolvers for its first character."""
        for tag, pattern in _RESOLVERS.get(value[:1], ()):
            if pattern.match(value):
                try:
                    return _typed(tag, value, mark, self.file, self.text)
                except InputProblem as refusal:
                    raise _Refused(refusal, depth) from None
        return value

    def _start(self, event: Any, depth: int, is_map: bool) -> None:
        """Refuse a mapping or list's start for its anchor written twice, depth or tag."""
        if event.anchor is not None:
            self._anchor(event, depth + 1, True)
        if depth >= self.max_depth:
            deep = too_deep(self.file, event.start_mark, self.max_depth)
            if self.eager:
                raise deep
            raise _Refused(deep, depth + 1)
        if event.tag is not None:
            refused = _collection_tag(event, _MAP if is_map else _SEQ, self.text, self.file)
            if refused:
                raise _Refused(refused, depth + 1)

    def _tree(self) -> Any:
        # One loop with a stack of its own, so nesting costs no recursion; the open
        # collection's state in locals (saved on `stack`): it runs once per event.
        get, file, anchors, max_depth = self.get, self.file, self.anchors, self.max_depth
        resolvers, words, worded = _RESOLVERS, _WORDS, _WORDED
        stack: list[tuple[Any, ...]] = []  # saved: container, mode, key, its line, col, anchor
        opened: set[str] = set()  # anchors of mappings and lists not yet ended
        container: Any = None
        mode: Any = _ROOT  # what the next value is: an item, a key, a key's value, the root
        key: Any = None
        key_line = key_col = 0  # the pending key's position
        anchor: Any = None  # the open collection's anchor
        root: Any = None
        while True:
            event = get()
            cls = event.__class__
            if cls is ScalarEvent:
                mark = event.start_mark
                if event.anchor is not None or event.tag is not None:
                    value = self._scalar(event, len(stack))
                else:
                    value = event.value
                    if event.implicit[0]:
                        first = value[:1]
                        if first in worded:  # a word, or text such as `form`: no regex
                            value = words.get(value, value)
                        elif first in resolvers:
                            value = self._resolve(value, mark, len(stack))
                line, col = mark.line + 1, mark.column + 1
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                is_map = cls is MappingStartEvent
                if event.anchor is not None or event.tag is not None or len(stack) >= max_depth:
                    self._start(event, len(stack), is_map)
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                opening: Any = YMap(file, line, col) if is_map else YList(file, line, col)
                if event.anchor is not None:
                    anchors[event.anchor] = (opening, mark, True)
                    opened.add(event.anchor)
                stack.append((container, mode, key, key_line, key_col, anchor))
                container, mode, anchor = opening, _KEY if is_map else _ITEM, event.anchor
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                value = container
                line, col = value.line, value.col
                if anchor is not None:
                    opened.discard(anchor)
                container, mode, key, key_line, key_col, anchor = stack.pop()
            elif cls is AliasEvent:
                value, (line, col) = self._alias(event, len(stack), opened)
            elif cls is DocumentEndEvent:
                return root
            else:  # pragma: no cover - no other event comes inside a document
                continue
            if mode is _VALUE:
                container[key] = value
                container.pos[key] = (key_line, key_col, line, col)  # one tuple: see YMap
                mode = _KEY
            elif mode is _KEY:
                if not isinstance(value, str):
                    why = f"key {value!r} must be text; put it in quotes"
                    raise _Refused(InputProblem(Location(file, line, col), why), len(stack))
                if value in container:
                    problem = InputProblem(
                        Location(file, line, col),
                        f"duplicate key '{value}' (first written at line "
                        f"{container.pos[value][0]}); a second value would silently "
                        "replace the first",
                    )
                    raise _Refused(problem, len(stack))
                key, key_line, key_col, mode = value, line, col, _VALUE
            elif mode is _ITEM:
                container.append(value)
                container.item_pos.append((line, col))
            else:
                root = value

    def _alias(self, event: Any, depth: int, opened: set[str]) -> tuple[Any, Pos]:
        """The value an alias names, and its position: where the anchor was written."""
        found = self.anchors.get(event.anchor)
        if found is None:
            problem = _syntax(self.text, self.file, event.start_mark, "found undefined alias")
            self._compose_error(problem, depth)
            raise AssertionError("not reached: _compose_error raises")  # pragma: no cover
        value, mark, collection = found
        self.aliased = True
        # Where the constructor met an alias, it met the node the anchor named: its
        # depth, its place and (for a container still open) recursion.
        if collection and depth >= self.max_depth:
            raise _Refused(too_deep(self.file, mark, self.max_depth), depth)
        if event.anchor in opened:
            why = "an alias (*name) refers to the mapping or list that contains it"
            raise _Refused(_syntax(self.text, self.file, mark, why), depth)
        return value, (mark.line + 1, mark.column + 1)

    def _drain(self, depth: int, stream: bool = False) -> None:
        """Read on to the end of the document (of the stream when `stream`), for the
        errors that would have come before a refusal: the parser's and the composer's."""
        get = self.get
        while True:
            event = get()
            cls = event.__class__
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                depth += 1
                if self.eager and depth > self.max_depth:
                    raise too_deep(self.file, event.start_mark, self.max_depth)
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                depth -= 1
            elif cls is StreamEndEvent or (cls is DocumentEndEvent and not stream):
                return
            if stream or self.composing:
                continue  # past the first document, or composing has failed already
            if cls is AliasEvent and event.anchor not in self.anchors:
                problem = _syntax(self.text, self.file, event.start_mark, "found undefined alias")
                self._compose_error(problem, depth, draining=True)
            elif cls is not AliasEvent and getattr(event, "anchor", None) is not None:
                self._anchor(event, depth, False, draining=True)


_ITEM = object()  # the open collection is a list
_KEY = object()  # the open collection is a mapping, waiting for a key
_VALUE = object()  # the open collection is a mapping, waiting for its key's value
_ROOT = object()  # no collection is open: the value is the document's
