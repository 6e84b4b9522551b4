"""Strict, safe YAML reading that remembers where every key and item came from.

The document is built straight from the parser's events (yamlbuild). Locations come
from the parser's own marks and are kept in one small side table
per mapping or sequence (``pos`` and ``item_pos``) rather than by wrapping
every scalar in an object: a follower list of ten thousand entries costs ten
thousand tuples, not fifty thousand proxy objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from safesocial.documents import inputfile, yamlalias, yamlbuild, yamlchars
from safesocial.documents.yamlbuild import hint as _hint
from safesocial.documents.yamlnodes import Pos as Pos
from safesocial.documents.yamlnodes import YList as YList
from safesocial.documents.yamlnodes import YMap as YMap
from safesocial.errors import InputProblem
from safesocial.findings import Location

# libyaml's parser is several times faster; the pure-Python one gives the same events.
_Parser: Callable[[str], Any]
try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - only without libyaml
    _Parser = yaml.SafeLoader

MAX_FILE_BYTES = 32 * 1024 * 1024
# A document may use aliases, but once expanded it may not grow past this many
# nodes, nor past ten times its written size: that stops "billion laughs".
MAX_EXPANDED_NODES = 200_000
# Nor may its text (the length of every value, counted each time an alias repeats it)
# grow past what the largest file could hold: forty thousand aliases to one long value
# are few nodes, but every check that copies each value (a handle put in lower case)
# would then copy gigabytes.
MAX_EXPANDED_CHARS = MAX_FILE_BYTES
# No school file nests more than a handful of levels; the builder refuses anything
# deeper at the level past this, with its line and column.
MAX_DEPTH = 64
# The compose path this builder replaced walked a text whose nesting could pass this
# bound for depth first (its C composer recursed once per level), so there a level past
# MAX_DEPTH was reported before any other refusal; the builder keeps that order, so
# every file is refused with exactly the message it was before.
_COMPOSE_SAFE = 10_000


def _too_deep(file: str, mark: Any) -> InputProblem:
    return yamlbuild.too_deep(file, mark, MAX_DEPTH)


def _nesting_bound(text: str) -> int:
    """A cheap upper bound on how deeply `text` can nest: a flow level costs a bracket, a
    block level a column or an indicator on its line (two levels per column at most)."""
    if len(text) <= _COMPOSE_SAFE:
        return len(text)
    longest = max(map(len, text.split("\n")))
    return text.count("[") + text.count("{") + 2 * longest + 2


def _check_depth(text: str, file: str) -> None:
    """Refuse nesting past MAX_DEPTH from the pure-Python parser's events."""
    loader: Any = yaml.SafeLoader(text)
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
        _check_depth(text, file)
    except InputProblem as problem:
        return problem
    except yaml.YAMLError:
        pass
    return _too_deep(file, exc.problem_mark)


def _events(text: str) -> Iterator[Any]:
    """The parser's events for `text`, read again (only a document with an alias is)."""
    parser = _Parser(text)
    try:
        while True:
            event = parser.get_event()
            yield event
            if isinstance(event, yaml.StreamEndEvent):
                return
    finally:
        if parser is not None:
            parser.dispose()


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
    parser: Any = None
    try:
        parser = _Parser(text)  # the pure-Python reader refuses control characters here
        eager = _nesting_bound(text) > _COMPOSE_SAFE
        builder = yamlbuild.Builder(parser, text, file, MAX_DEPTH, eager)
        data, aliased = builder.build()
        if aliased:
            yamlalias.check_expansion(_events(text), file, MAX_EXPANDED_NODES, MAX_EXPANDED_CHARS)
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
        if parser is not None:
            parser.dispose()
