"""Write a merged document back into the file it came from, changing only what changed.

A school's YAML files carry more than data: comments ("# Taken from the back of the
hall: 2240's parents said no"), folded text, a chosen order and quoting. PyYAML drops
all of that, so instead of dumping the whole document this copies every top-level key
and every list entry the import did not touch byte for byte from the original text, and
writes only new or changed ones. The layout comes from the scanner's own tokens, so a
`#` inside a quoted string or a block of text is never taken for a comment.

Whatever the result, `render` reads it back and compares it with the merged data; if the
careful edit did not come out right it falls back to writing the whole document afresh
(keeping the comments at the top), and says which comments were lost.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from safesocial.documents import yamlio, yamlwrite
from safesocial.documents.yamlio import YList, YMap
from safesocial.errors import ImportProblem, InputProblem

_Scanner: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as a line break
_COMMENT = re.compile(r"#[^\r\n\x85\u2028\u2029]*")
HEADER_MARK = "# safesocial import:"


@dataclass
class Source:
    """A YAML text and where its parts are, by line (1-based)."""

    text: str
    root: Any
    lines: list[str] = field(default_factory=list)  # each with its line break
    free: list[bool] = field(default_factory=list)  # blank or only a comment (0-based)
    comments: dict[int, str] = field(default_factory=dict)
    dashes: dict[int, list[int]] = field(default_factory=dict)  # column -> lines of '-'
    flow_starts: set[tuple[int, int]] = field(default_factory=set)
    newline: str = "\n"

    def line_text(self, number: int) -> str:
        return _BREAK.sub("", self.lines[number - 1])


def _split(text: str) -> list[str]:
    lines, at = [], 0
    for match in _BREAK.finditer(text):
        lines.append(text[at : match.end()])
        at = match.end()
    if at < len(text):
        lines.append(text[at:])
    return lines


def scan(text: str, root: Any) -> Source:
    """The layout of `text`, which has already parsed (as `root`) without error."""
    src = Source(text, root, _split(text))
    first = _BREAK.search(text)
    src.newline = first.group() if first and first.group() in ("\n", "\r\n") else "\n"
    if src.lines and not _BREAK.search(src.lines[-1]):
        src.lines[-1] += src.newline  # so that more can follow it
    starts = [0]
    for line in src.lines:
        starts.append(starts[-1] + len(line))

    def line_of(index: int) -> int:  # 1-based line holding character `index`
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= index:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    covered: set[int] = set()
    spans: list[int] = []  # begin, end, begin, end... of the tokens holding text
    scalar, entry = yaml.ScalarToken, yaml.BlockEntryToken
    flows = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
    scanner = _Scanner(text)
    try:
        while True:
            token = scanner.get_token()  # type: ignore[no-untyped-call]
            if token is None or type(token) is yaml.StreamEndToken:
                break
            kind, start, stop = type(token), token.start_mark, token.end_mark
            if kind is scalar:
                spans += (start.index, stop.index)
                # Lines inside a scalar spread over several (a block of text) are content,
                # even when they look blank or start with '#'.
                last = stop.line + 1 if stop.column else stop.line
                if last > start.line + 1:
                    covered.update(range(start.line + 2, last + 1))
            elif kind is entry:
                src.dashes.setdefault(start.column + 1, []).append(start.line + 1)
            elif kind in flows:
                src.flow_starts.add((start.line + 1, start.column + 1))
            elif stop.index > start.index:  # tags, anchors, directives
                spans += (start.index, stop.index)
    finally:
        scanner.dispose()
    # A '#' outside every token starts a comment that runs to the end of its line.
    after = 0
    for match in re.finditer("#", text):
        at = match.start()
        if at < after:
            continue
        inside = bisect.bisect_right(spans, at)
        if inside % 2 == 1:  # after a token's begin and before its end
            continue
        found = _COMMENT.match(text, at)
        assert found is not None  # the pattern matches any '#'
        after = found.end()
        src.comments[line_of(at)] = found.group()
    for number in range(1, len(src.lines) + 1):
        body = src.line_text(number)
        stripped = body.strip()
        comment = src.comments.get(number)
        src.free.append(
            number not in covered
            and (not stripped or (comment is not None and stripped == comment.strip()))
        )
    return src


@dataclass
class Rendered:
    text: str
    doc: Any  # the text read back: the merged data, with its locations
    lost: list[tuple[int, str]]  # comments of the original not in the result: (line, text)
    rewritten: bool  # True: written afresh (the careful edit was not possible)


class _Editor:
    def __init__(self, src: Source, origin: Mapping[int, Any]) -> None:
        self.src = src
        self.origin = origin
        self.nl = src.newline
        self.kept: set[int] = set()  # the original's lines copied as they were

    def lead_start(self, line: int) -> int:
        """The first line of the run of blank and comment lines just above `line`."""
        at = line - 1
        while at >= 1 and self.src.free[at - 1]:
            at -= 1
        return at + 1

    def chunk(self, first: int, last: int) -> list[str]:
        self.kept.update(range(first, last + 1))
        return self.src.lines[first - 1 : last]

    def fresh(self, lines: list[str]) -> list[str]:
        return [line + self.nl for line in lines]

    def render(self, merged: Mapping[str, Any], header: Sequence[str]) -> str | None:
        root = self.src.root
        if not isinstance(root, YMap) or root.col != 1 or not root:
            return None
        if (root.line, root.col) in self.src.flow_starts:
            return None  # a document written as one {...}: nothing to keep line by line
        keys = list(root)
        starts = [root.pos[k][0] for k in keys]
        if any(root.pos[k][1] != 1 for k in keys) or starts != sorted(set(starts)):
            return None
        last_content = max(i + 1 for i, free in enumerate(self.src.free) if not free)
        ends = [self.lead_start(s) - 1 for s in starts[1:]] + [last_content]
        out = with_header(self.chunk(1, starts[0] - 1), header, self.nl)
        where = {k: (i, starts[i], ends[i]) for i, k in enumerate(keys)}
        for key, value in merged.items():
            if key not in where:
                out += self.fresh(yamlwrite.entry(key, value, 0))
                continue
            index, start, end = where[key]
            if index:
                out += self.chunk(self.lead_start(start), start - 1)
            old = root[key]
            if value is old or yamlwrite.same(value, old):
                out += self.chunk(start, end)
                continue
            edited = self.edit_list(key, old, value, start, end)
            if edited is not None:
                out += edited
                continue
            lines = self.fresh(yamlwrite.entry(key, value, 0))
            comment = self.src.comments.get(start)
            if comment and start == end and len(lines) == 1:
                lines = [lines[0][: -len(self.nl)] + "  " + comment + self.nl]
                self.kept.add(start)
            out += lines
        out += self.chunk(last_content + 1, len(self.src.lines))
        return "".join(out)

    def edit_list(self, key: str, old: Any, new: Any, start: int, end: int) -> list[str] | None:
        """The key's lines with kept entries copied, new ones written, gone ones left out."""
        if not (isinstance(old, YList) and isinstance(new, list) and old and new):
            return None
        if (old.line, old.col) in self.src.flow_starts:
            return None
        dashes = [d for d in self.src.dashes.get(old.col, []) if start < d <= end]
        if len(dashes) != len(old):
            return None
        bounds = [self.lead_start(d) for d in dashes] + [end + 1]
        out = self.chunk(start, bounds[0] - 1)
        by_id = {id(item): i for i, item in enumerate(old)}
        for item in new:
            index = by_id.get(id(item))
            if index is not None:
                out += self.chunk(bounds[index], bounds[index + 1] - 1)
                continue
            was = self.origin.get(id(item))
            if was is not None and id(was) in by_id:  # a changed entry keeps its lead comment
                index = by_id[id(was)]
                out += self.chunk(bounds[index], dashes[index] - 1)
            out += self.fresh(yamlwrite.item(item, old.col - 1))
        return out


def with_header(prelude: list[str], header: Sequence[str], nl: str) -> list[str]:
    """The lines above the first key with our header lines replaced (or added after the
    `# yaml-language-server` line that points editors at the schema)."""
    kept = [line for line in prelude if not line.lstrip().startswith(HEADER_MARK)]
    at = 0
    for i, line in enumerate(kept):
        if line.startswith("# yaml-language-server"):
            at = i + 1
            break
    return kept[:at] + [h + nl for h in header] + kept[at:]


def _fresh_document(
    src: Source | None, merged: Mapping[str, Any], header: Sequence[str]
) -> tuple[str, set[int]]:
    """The whole document written afresh, and which original lines it keeps (the
    comments at the very top, the schema line among them)."""
    nl = src.newline if src else "\n"
    prelude: list[str] = []
    if src is not None:
        for number, line in enumerate(src.lines, 1):
            if not src.free[number - 1]:
                break
            prelude.append(line)
    lines = with_header(prelude, header, nl)
    text = "".join(lines) + "".join(line + nl for line in yamlwrite.document(merged))
    return text, set(range(1, len(prelude) + 1))


def _read_back(text: str, merged: Mapping[str, Any], shown: str) -> Any:
    """`text` parsed, if it holds exactly `merged`; else None."""
    try:
        doc = yamlio.parse(text, shown)
    except InputProblem:
        return None
    return doc if yamlwrite.same(merged, doc) else None


def render(
    src: Source | None,
    merged: Mapping[str, Any],
    header: Sequence[str],
    shown: str,
    origin: Mapping[int, Any] | None = None,
) -> Rendered:
    """The text of `merged`, keeping from `src` everything that did not change.

    `origin` maps id() of a changed list entry to the original entry it replaces, so
    that the comment lines above the original stay above the change.
    """
    text, doc, kept, rewritten = None, None, set(), False
    if src is not None:
        editor = _Editor(src, origin or {})
        text = editor.render(merged, header)
        kept = editor.kept
    if text is not None:
        doc = _read_back(text, merged, shown)
    if doc is None:
        text, kept = _fresh_document(src, merged, header)
        rewritten = src is not None
        doc = _read_back(text, merged, shown)
        if doc is None:
            raise ImportProblem(
                f"{shown}: safesocial could not write the merged file so that it reads back "
                "the same; nothing was written. Please report this as a bug"
            )
    lost = []
    if src is not None:
        lost = [
            (line, comment)
            for line, comment in sorted(src.comments.items())
            if line not in kept and not comment.startswith(HEADER_MARK)
        ]
    assert text is not None  # doc is only set from a text
    return Rendered(text, doc, lost, rewritten)
