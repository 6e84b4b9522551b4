"""The compose-then-construct reader yamlio used before it built documents from events.

Kept only as the reference the event builder is proved equal to (tests/unit/test_yamlbuild.py):
the same documents, locations and errors on every input the tests know.

Original summary: strict, safe YAML reading that remembers where every key and item came from.

Locations come from the parser's own marks and are kept in two small side tables
per mapping or sequence (``key_pos`` and ``item_pos``) rather than by wrapping
every scalar in an object: a follower list of ten thousand entries costs ten
thousand tuples, not fifty thousand proxy objects.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

from safesocial.documents import yamlchars
from safesocial.documents.yamlio import (
    _hint,
    _libyaml_too_deep,
    _nesting_bound,
    _refuse_deep,
    _too_deep,
)
from safesocial.documents.yamlnodes import Pos, YList, YMap
from safesocial.errors import InputProblem
from safesocial.findings import Location
from tests.yamlalias_reference import check_expansion

# The C parser is several times faster; the pure-Python one behaves the same.
_BaseLoader: type[yaml.SafeLoader]
try:
    _BaseLoader = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - only without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_FILE_BYTES = 32 * 1024 * 1024
# A document may use aliases, but once expanded it may not grow past this many
# nodes, nor past ten times its written size: that stops "billion laughs".
MAX_EXPANDED_NODES = 200_000
# Nor may its text (the length of every value, counted each time an alias repeats it)
# grow past what the largest file could hold: forty thousand aliases to one long value
# are few nodes, but every check that copies each value (a handle put in lower case)
# would then copy gigabytes.
MAX_EXPANDED_CHARS = MAX_FILE_BYTES
# No school file nests more than a handful of levels. libyaml's C composer recurses once
# per level with no limit of its own (about 30,000 levels of "[" overflow the C stack and
# kill the process), so deeper documents are refused before it sees them.
MAX_DEPTH = 64
# Below this bound on nesting the C composer is safe without looking first: it overflows
# at about 30,000 levels, and the constructor refuses anything past MAX_DEPTH with a
# located message. The bound counts every bracket, so a follower list in flow style
# ({...} per entry) reaches it only past ~5,000 entries, and then pays one event walk.
_COMPOSE_SAFE = 10_000
_STR = "tag:yaml.org,2002:str"
# Where libyaml can start an anchor (&name): a token starts at the start of the text, or
# after a blank or the end of another token. An alias needs an anchor, so text without
# an & in such a place has no alias ("Q&A" has none; "fish & chips" is walked anyway).
_TOKEN_END = frozenset(" \t\r\n\x85\u2028\u2029\ufeff[]{},:?\"'")
_DIGITS = re.compile(r"[-+]?[0-9_]*[0-9][0-9_]*")


class _StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader with YAML 1.2 booleans, dates kept as text and no merge keys."""

    # A fresh table, so the resolvers below replace PyYAML's rather than add to them.
    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}

    def __init__(self, stream: str, file: str) -> None:
        super().__init__(stream)
        self.file = file
        self.aliased = False
        self.depth = 1  # the document's own top-level mapping or list

    def _pos(self, node: yaml.Node) -> Pos:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _child(self, node: yaml.Node) -> Any:
        # Plain text is most of a school's files (handles, categories, dates), and needs
        # none of PyYAML's generic machinery: taking it straight from the node keeps our
        # parse at or under the bare C loader's time.
        if node.__class__ is yaml.ScalarNode and node.tag == _STR:
            return node.value
        # A mapping or list constructed before is an alias being reused. (An alias to
        # text takes the path above: the text of the file tells of those, see parse.)
        if node in self.constructed_objects:
            self.aliased = True
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
                raise _too_deep(self.file, node.start_mark)
            return self.construct_object(node, deep=True)
        finally:
            self.depth -= 1

    def construct_strict_int(self, node: yaml.ScalarNode) -> int:
        try:
            return int(self.construct_yaml_int(node))
        except (ValueError, IndexError):
            if not _DIGITS.fullmatch(str(node.value)):
                raise self._mistagged(node, "a whole number") from None
            # Python refuses to read integers of more than 4,300 digits (a guard of its own).
            raise InputProblem(
                Location(self.file, *self._pos(node)),
                f"this number has {len(str(node.value)):,} digits; that is not a number "
                "safesocial can use",
            ) from None

    def construct_strict_float(self, node: yaml.ScalarNode) -> float:
        try:
            return float(self.construct_yaml_float(node))
        except (ValueError, IndexError):
            raise self._mistagged(node, "a number") from None

    def construct_strict_bool(self, node: yaml.ScalarNode) -> bool:
        try:
            return bool(self.construct_yaml_bool(node))
        except KeyError:
            raise self._mistagged(node, "true or false") from None

    def _mistagged(self, node: yaml.ScalarNode, wanted: str) -> InputProblem:
        # An explicit tag (!!float "x") forces a type the text is not; the value itself
        # is not quoted, as it may be personal.
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        return InputProblem(
            Location(self.file, *self._pos(node)),
            f"this value is tagged {tag} but is not {wanted}; remove the tag, or write {wanted}",
        )

    def construct_strict_map(self, node: yaml.MappingNode) -> YMap:
        mark = node.start_mark
        result = YMap(self.file, mark.line + 1, mark.column + 1)
        positions = result.pos
        for key_node, value_node in node.value:
            key = self._child(key_node)
            mark = key_node.start_mark
            if not isinstance(key, str):
                raise InputProblem(
                    Location(self.file, mark.line + 1, mark.column + 1),
                    f"key {key!r} must be text; put it in quotes",
                )
            if key in result:
                raise InputProblem(
                    Location(self.file, mark.line + 1, mark.column + 1),
                    f"duplicate key '{key}' (first written at line {positions[key][0]}); "
                    "a second value would silently replace the first",
                )
            result[key] = self._child(value_node)
            at = value_node.start_mark
            positions[key] = (mark.line + 1, mark.column + 1, at.line + 1, at.column + 1)
        return result

    def construct_strict_seq(self, node: yaml.SequenceNode) -> YList:
        mark = node.start_mark
        result = YList(self.file, mark.line + 1, mark.column + 1)
        positions = result.item_pos
        for item in node.value:
            result.append(self._child(item))
            mark = item.start_mark
            positions.append((mark.line + 1, mark.column + 1))
        return result

    def construct_refused(self, node: yaml.Node) -> Any:
        raise InputProblem(
            Location(self.file, *self._pos(node)),
            f"the tag {node.tag} is not allowed: safesocial reads plain data only",
        )


def _resolver(tag: str, pattern: str, first: str) -> None:
    _StrictLoader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


# Only YAML 1.2 core-schema booleans: `yes`, `no`, `on` and `off` stay text, so the
# schema then reports them at their line instead of a quiet True or False.
_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
# YAML 1.2 numbers, minus one trap: a leading zero stays text, because YAML 1.1 would
# read an identifier such as 012345 as the octal number 5349 without a word.
_resolver(
    "tag:yaml.org,2002:int",
    r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$",
    "-+0123456789",
)
_resolver(
    "tag:yaml.org,2002:float",
    r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    "-+0123456789.",
)
_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN\0")
_resolver("tag:yaml.org,2002:null", r"^$", [""])  # type: ignore[arg-type]

_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_strict_map)
_StrictLoader.add_constructor("tag:yaml.org,2002:seq", _StrictLoader.construct_strict_seq)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_strict_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _StrictLoader.construct_strict_float)
_StrictLoader.add_constructor("tag:yaml.org,2002:bool", _StrictLoader.construct_strict_bool)
for _tag in ("set", "omap", "pairs", "binary", "timestamp", "merge"):
    _StrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _StrictLoader.construct_refused)
_StrictLoader.add_constructor(None, _StrictLoader.construct_refused)


def _check_depth(text: str, file: str, parser: type[Any] = _StrictLoader) -> None:
    """Refuse nesting past MAX_DEPTH from the parser's events, which libyaml produces
    with a stack of its own, before the composer recurses (see MAX_DEPTH)."""
    loader = parser(text, file) if parser is _StrictLoader else parser(text)
    depth = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(file, event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def _may_anchor(text: str) -> bool:
    at = text.find("&")
    while at != -1:
        if at == 0 or text[at - 1] in _TOKEN_END:
            return True
        at = text.find("&", at + 1)
    return False


def parse(text: str, file: str) -> Any:
    """Parse one YAML document into YMap/YList/scalars, raising InputProblem on any fault."""
    text, back = yamlchars.swap_breaks(text)
    loader = _StrictLoader(text, file)
    try:
        if _nesting_bound(text) > _COMPOSE_SAFE:
            _check_depth(text, file)
        node = loader.get_single_node()
        if node is None:
            return None
        # Constructed first: that refuses an alias to its own container, which the walk
        # below would follow for ever. Aliased values are shared, not copied, meanwhile.
        data = loader.construct_document(node)
        if loader.aliased or _may_anchor(text):
            check_expansion(node, file, MAX_EXPANDED_NODES, MAX_EXPANDED_CHARS)
        return yamlchars.restore(data, back) if back else data
    except yaml.reader.ReaderError as exc:
        # libyaml names the character by its offset in its own encoding, over two lines.
        raise yamlchars.control_character(text, file) or InputProblem(
            Location(file, 1, 1), f"YAML: {exc.reason}"
        ) from None
    except yaml.MarkedYAMLError as exc:
        if _libyaml_too_deep(exc):
            raise _refuse_deep(text, file, exc) from None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or str(exc)
        if exc.context and "expected a single document" in exc.context:
            problem = "the file holds more than one YAML document (---); keep one"
        elif "recursive" in problem:
            problem = "an alias (*name) refers to the mapping or list that contains it"
        raise InputProblem(
            Location(file, line, col), f"YAML syntax: {problem}{_hint(text, mark)}"
        ) from None
    except yaml.YAMLError as exc:
        raise InputProblem(Location(file, 1, 1), f"YAML: {exc}") from None
    except RecursionError:
        raise InputProblem(
            Location(file, 1, 1), "the document is nested too deeply to read"
        ) from None
    finally:
        loader.dispose()
