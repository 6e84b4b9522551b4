"""The bound on what aliases may make of a document ("billion laughs").

An alias (*name) repeats what its anchor (&name) holds without writing it again. The
values are shared once read, not copied, but every check that walks or copies them
(a follower list, a handle put in lower case) pays for each repetition.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from yaml import events as ev

from safesocial.errors import InputProblem
from safesocial.findings import Location


def check_expansion(events: Iterable[Any], file: str, max_nodes: int, max_chars: int) -> None:
    """Refuse a document whose aliases expand it past the bounds, in values or in text.
    `events` are the parser's for a document already read (so without a recursive or
    undefined alias); each value written is measured once, where it ends, and an alias
    adds what its anchor measured, so the walk costs what the file holds."""
    anchors: dict[str, tuple[int, int]] = {}
    # Per open mapping or list: values and characters so far, and its anchor; the first
    # entry stands for the stream, around the document's root.
    stack: list[list[Any]] = [[0, 0, None]]
    written = 0
    where: Location | None = None
    for event in events:
        cls = event.__class__
        if cls is ev.ScalarEvent:
            written += 1
            nodes, chars = 1, len(event.value)
            if event.anchor is not None:
                anchors[event.anchor] = (nodes, chars)
        elif cls is ev.AliasEvent:
            nodes, chars = anchors[event.anchor]
        elif cls is ev.MappingStartEvent or cls is ev.SequenceStartEvent:
            written += 1
            stack.append([1, 0, event.anchor])
        elif cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
            nodes, chars, anchor = stack.pop()
            if anchor is not None:
                anchors[anchor] = (nodes, chars)
        elif cls is ev.DocumentEndEvent:
            break
        else:
            continue
        if where is None:
            mark = event.start_mark
            where = Location(file, mark.line + 1, mark.column + 1)
        if cls is not ev.MappingStartEvent and cls is not ev.SequenceStartEvent:
            stack[-1][0] += nodes
            stack[-1][1] += chars
    expanded, chars = stack[0][0], stack[0][1]
    where = where or Location(file, 1, 1)
    if expanded > max_nodes and expanded > 10 * written:
        raise InputProblem(
            where,
            f"aliases expand this document to {expanded:,} values; "
            "that is more than safesocial reads (an alias bomb?)",
        )
    if chars > max_chars:
        raise InputProblem(
            where,
            f"aliases expand this document to {chars:,} characters of text; safesocial "
            f"reads at most {max_chars:,} (an alias bomb?)",
        )
