"""Partial documents: take out what fails its schema, keep every value that passes.

One bad value must never hide a whole account. A value that fails is removed (and
rules that read it are not run); an entry of a list that fails (one follower, one
consent row) is skipped and the rest of the list is kept and checked. Only when what
is left cannot be a record at all (a required key missing at the top, a file that is
not a mapping) is the whole file unusable.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from safesocial.documents import compiled_schema, validate
from safesocial.documents.yamlio import YList, YMap
from safesocial.model import Pruned

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

# Each round takes out at least one value, and a removal can only make a parent fail
# (a list now too short, a mapping now missing a required key): a handful of rounds
# settles any real file. Past this the file is taken as unusable rather than looped on.
_MAX_ROUNDS = 16
Path = tuple[str | int, ...]


class Unusable(Exception):
    """What is left of the document cannot become a record."""


def _targets(error: ValidationError, records: str | None) -> Iterator[tuple[Path, str | None]]:
    """What to take out for one schema error: the value at fault, or the innermost list
    entry that holds it, or nothing (the document as a whole is at fault); with, for a
    misspelt key, the key it was probably meant to be."""
    path: Path = tuple(error.absolute_path)
    inst = error.instance
    paths: list[tuple[Path, str | None]] = [(path, None)]
    if error.validator == "additionalProperties" and isinstance(inst, Mapping):
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        free = [str(k) for k in allowed if k not in inst]
        extra = [str(k) for k in inst if k not in allowed]
        guesses = [
            next(iter(difflib.get_close_matches(k, free, n=1, cutoff=0.6)), None) for k in extra
        ]
        # "" marks an unknown key with no likely meaning (see _remove).
        paths = [((*path, k), g or "") for k, g in zip(extra, guesses, strict=True)] or paths
    for one, guess in paths:
        # The entries of `records` are records of their own (a staff account): what is
        # wrong inside one is pruned as in a file of its own, not the whole entry.
        start = 2 if records is not None and one[:1] == (records,) and len(one) > 2 else 0
        cut = max((i for i, p in enumerate(one) if isinstance(p, int) and i >= start), default=-1)
        # A broken entry in a list is skipped whole: half a follower or half a consent
        # row read as if complete would be judged wrongly.
        one = one[: cut + 1] if cut >= start else one
        if not one:
            raise Unusable
        yield one, guess if cut < start else None


def _ref(entry: Any) -> str | None:
    """An entry's own ref, if it has a readable one (pupil and staff refs, never names)."""
    if not isinstance(entry, Mapping):
        return None
    ref = next((entry[k] for k in ("ref", "pupil") if k in entry), None)
    return ref if isinstance(ref, str) and ref.strip() else None


def _remove(doc: YMap, targets: dict[Path, str | None]) -> list[Pruned]:
    """Take every target out of `doc`, each once, reporting where it was written.

    A misspelt key's probable meaning (`protcted` for `protected`) is pruned too, though
    there is nothing to take out: what the file meant to say there is not known. The
    unknown key itself is taken out unrecorded: no rule reads it, and its name is the
    file's own text, which a gap's reason must never quote.
    """
    # A target inside another one goes with it.
    kept = [t for t in targets if not any(t[:k] in targets for k in range(1, len(t)))]
    resolved: list[tuple[Any, str | int, Pruned | None]] = []
    for target in kept:
        parent: Any = doc
        written: list[str | int] = []
        for part in target[:-1]:
            if isinstance(parent, YList) and isinstance(part, int) and part < len(parent):
                written.append(parent.number(part))
            elif isinstance(parent, YMap) and isinstance(part, str) and part in parent:
                written.append(part)
            else:  # pragma: no cover - jsonschema's paths lead through the document
                raise Unusable
            parent = parent[part]
        last = target[-1]
        ref = None
        if isinstance(parent, YList) and isinstance(last, int):
            where, entry = parent.loc(last), True
            written.append(parent.number(last))
            ref = _ref(parent[last])
        elif isinstance(parent, YMap) and isinstance(last, str):
            where, entry = parent.value_loc(last), False
            written.append(last)
            meant = targets.get(target)
            if meant is not None:  # an unknown key
                if meant:
                    guess = Pruned((*written[:-1], meant), parent.loc(last), False)
                    resolved.append((None, meant, guess))
                resolved.append((parent, last, None))
                continue
        else:  # pragma: no cover - jsonschema paths always lead through the document
            raise Unusable
        resolved.append((parent, last, Pruned(tuple(written), where, entry, ref)))
    # Highest indexes first, so the lower ones still point where they did.
    resolved.sort(key=lambda r: r[1] if isinstance(r[1], int) else -1, reverse=True)
    done: set[tuple[int, str | int]] = set()
    for parent, last, _ in resolved:
        if parent is None or (id(parent), last) in done:
            continue  # a key the file meant and does not hold; or, by an alias, done
        done.add((id(parent), last))
        if isinstance(parent, YList) and isinstance(last, int):
            parent.drop(last)
        else:
            # pop: an alias (*name) may make two targets one mapping, taken out once.
            parent.pop(last, None)
            parent.pos.pop(last, None)
    return [r[2] for r in resolved if r[2] is not None]


def prune(doc: YMap, schema: str | Mapping[str, Any], records: str | None = None) -> list[Pruned]:
    """Take out of `doc` everything that fails `schema` (a file in schemas/, or a schema),
    in place. `records` names a top-level list whose entries are each a target of their
    own (``staff_accounts``).

    Returns what was taken out, in file order; raises Unusable when no record can be
    built from what is left. The problems themselves are reported by validate.check.
    """
    if isinstance(schema, str):
        checker, fits = validate.validator(schema), validate.fast_checker(schema)
    else:
        checker, fits = validate.compile_schema(schema), compiled_schema.compile_schema(schema)
    pruned: list[Pruned] = []
    for _ in range(_MAX_ROUNDS):
        if fits is not None and fits(doc):
            break
        errors = list(checker.iter_errors(doc))
        if not errors:
            break
        targets = dict(t for error in errors for t in _targets(error, records))
        removed = _remove(doc, targets)
        # A removal that leaves a parent failing is not a new problem to report, but
        # what it takes out is pruned all the same.
        pruned.extend(removed)
    else:
        raise Unusable
    if not isinstance(doc, YMap):
        raise Unusable
    pruned.sort(key=lambda p: (p.location.line, p.location.column))
    return pruned
