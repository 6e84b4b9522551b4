"""The node-walking alias bound yamlalias had before events (reference for tests only).

An alias (*name) repeats what its anchor (&name) holds without writing it again. The
values are shared once read, not copied, but every check that walks or copies them
(a follower list, a handle put in lower case) pays for each repetition.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from safesocial.errors import InputProblem
from safesocial.findings import Location


def check_expansion(root: yaml.Node, file: str, max_nodes: int, max_chars: int) -> None:
    """Refuse a document whose aliases expand it past the bounds, in values or in text.
    Each distinct node is measured once, so the walk costs what the file holds."""
    sizes: dict[int, tuple[int, int]] = {}

    def size(node: yaml.Node) -> tuple[int, int]:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.ScalarNode):
            total = (1, len(node.value))
        else:
            nodes, chars = 1, 0
            children = node.value if isinstance(node, yaml.SequenceNode) else _pairs(node)
            for child in children:
                more, text = size(child)
                nodes, chars = nodes + more, chars + text
            total = (nodes, chars)
        sizes[id(node)] = total
        return total

    expanded, chars = size(root)
    where = Location(file, root.start_mark.line + 1, root.start_mark.column + 1)
    if expanded > max_nodes and expanded > 10 * len(sizes):
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


def _pairs(node: yaml.Node) -> Iterator[yaml.Node]:
    for key, value in node.value:
        yield key
        yield value
