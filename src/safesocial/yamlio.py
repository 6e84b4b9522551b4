"""Strict, safe YAML reading that remembers where every key and item came from.

Locations come from the parser's own marks and are kept in two small side tables
per mapping or sequence (``key_pos`` and ``item_pos``) rather than by wrapping
every scalar in an object: a follower list of ten thousand entries costs ten
thousand tuples, not fifty thousand proxy objects.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import yaml

from safesocial import inputfile, yamlalias, yamlchars
from safesocial.errors import InputProblem
from safesocial.findings import Location

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
Pos = tuple[int, int]
_STR = "tag:yaml.org,2002:str"
# Where libyaml can start an anchor (&name): a token starts at the start of the text, or
# after a blank or the end of another token. An alias needs an anchor, so text without
# an & in such a place has no alias ("Q&A" has none; "fish & chips" is walked anyway).
_TOKEN_END = frozenset(" \t\r\n\x85\u2028\u2029\ufeff[]{},:?\"'")
_DIGITS = re.compile(r"[-+]?[0-9_]*[0-9][0-9_]*")


class YMap(dict[str, Any]):
    """A mapping that knows its file and where each of its keys was written."""

    __slots__ = ("col", "file", "key_pos", "line", "val_pos")

    def __init__(self, file: str, line: int, col: int) -> None:
        super().__init__()
        self.file = file
        self.line = line
        self.col = col
        self.key_pos: dict[str, Pos] = {}
        # Where each value was written, when it is not where its key is (a CSV cell is
        # both): a wrong value is reported at the value, a wrong key at the key.
        self.val_pos: dict[str, Pos] = {}

    def loc(self, key: str | None = None) -> Location:
        """The location of `key` (or of the mapping itself when absent)."""
        if key is not None and key in self.key_pos:
            line, col = self.key_pos[key]
            return Location(self.file, line, col)
        return Location(self.file, self.line, self.col)

    def value_loc(self, key: str) -> Location:
        """The location of `key`'s value (its key's when the value's is not known)."""
        pos = self.val_pos.get(key)
        return Location(self.file, *pos) if pos else self.loc(key)


class YList(list[Any]):
    """A sequence that knows its file and where each item was written."""

    __slots__ = ("col", "file", "item_pos", "line", "origin")

    def __init__(self, file: str, line: int, col: int) -> None:
        super().__init__()
        self.file = file
        self.line = line
        self.col = col
        self.item_pos: list[Pos] = []
        # Set once an unreadable entry is taken out: each kept entry's index as written,
        # so "follower #4" stays follower #4 (waivers and baselines name entries so).
        self.origin: list[int] | None = None

    def number(self, index: int) -> int:
        """The index `index` had in the file, before any unreadable entry was taken out."""
        return self.origin[index] if self.origin is not None else index

    def drop(self, index: int) -> None:
        """Take out one entry, keeping positions and the entries' written indexes."""
        if self.origin is None:
            self.origin = list(range(len(self)))
        del self[index]
        del self.origin[index]
        if index < len(self.item_pos):
            del self.item_pos[index]

    def loc(self, index: int | None = None) -> Location:
        if index is not None and 0 <= index < len(self.item_pos):
            line, col = self.item_pos[index]
            return Location(self.file, line, col)
        return Location(self.file, self.line, self.col)


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
        positions, values = result.key_pos, result.val_pos
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
            positions[key] = (mark.line + 1, mark.column + 1)
            mark = value_node.start_mark
            values[key] = (mark.line + 1, mark.column + 1)
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


def _too_deep(file: str, mark: Any) -> InputProblem:
    # `mark` is PyYAML's Mark or libyaml's, which the stubs type apart.
    return InputProblem(
        Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1),
        f"the data is nested more than {MAX_DEPTH} levels deep here; "
        "safesocial reads at most that many",
    )


def _nesting_bound(text: str) -> int:
    """A cheap upper bound on how deeply `text` can nest: a flow level costs a bracket, a
    block level a column or an indicator on its line (two levels per column at most)."""
    if len(text) <= _COMPOSE_SAFE:
        return len(text)
    longest = max(map(len, text.split("\n")))
    return text.count("[") + text.count("{") + 2 * longest + 2


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


def _libyaml_too_deep(exc: yaml.MarkedYAMLError) -> bool:
    # libyaml 0.2.5 as bundled since PyYAML 6.0.3 has a nesting limit of its own (1,000)
    # that its scanner meets while reading ahead, before any event of ours can count to
    # MAX_DEPTH; older builds have none. Either way the limit below is ours.
    return "nesting depth" in (exc.problem or "")


def _refuse_deep(text: str, file: str, exc: yaml.MarkedYAMLError) -> InputProblem:
    """Where libyaml gave up on nesting, find the level past MAX_DEPTH with PyYAML's pure
    Python parser, which keeps its stack in a list and reads ahead only a token at a time.
    Only documents already refused pay for this slower walk."""
    try:
        _check_depth(text, file, yaml.SafeLoader)
    except InputProblem as problem:
        return problem
    except yaml.YAMLError:
        pass
    return _too_deep(file, exc.problem_mark)


_HINTS = {
    "@": 'a value starting with @ must be quoted: "@handle"',
    "`": "a value starting with ` must be quoted",
    "\t": "YAML indents with spaces, not tabs",
}


def _may_anchor(text: str) -> bool:
    at = text.find("&")
    while at != -1:
        if at == 0 or text[at - 1] in _TOKEN_END:
            return True
        at = text.find("&", at + 1)
    return False


def _hint(text: str, mark: yaml.Mark | None) -> str:
    """A plain-English fix for the commonest slips, read from the character at fault."""
    if mark is None or mark.index >= len(text):
        return ""
    hint = _HINTS.get(text[mark.index])
    return f"; {hint}" if hint else ""


def read_text(path: Path, file: str) -> str:
    """A regular file's text, refusing an oversized file before reading it into memory
    and anything else (a folder, a named pipe, a device) before reading at all."""
    return decode(inputfile.read_regular(path, file, MAX_FILE_BYTES), file)


def decode(data: bytes, file: str) -> str:
    """Bytes to text: UTF-8 with or without a BOM, nothing else guessed."""
    if len(data) > MAX_FILE_BYTES:
        raise inputfile.too_big(len(data), file, MAX_FILE_BYTES)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputProblem(Location(file, 1, 1), "the file is UTF-16; save it as UTF-8")
    if b"\0" in data:
        raise InputProblem(Location(file, 1, 1), "the file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputProblem(
            Location(file, line, col), "the file is not valid UTF-8; save it as UTF-8"
        ) from None


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
            yamlalias.check_expansion(node, file, MAX_EXPANDED_NODES, MAX_EXPANDED_CHARS)
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
